// SPDX-License-Identifier: GPL-2.0
/*
 * Rootless replay tests: committed recordings from real runs, replayed to text, JSON and
 * summaries and compared byte for byte with committed expected output; and bad recordings,
 * made here by damaging a real one, each giving one clear error line naming file and offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "cases.h"
#include "harness.h"
#include "recfile.h"

#define BUF (256 * 1024)
#define DIR "tests/golden/"

static char out[BUF], err[BUF];

static char *slurp(const char *path, size_t *len)
{
	char *buf = slurp_file(path, len);

	assert_non_null(buf);
	return buf;
}

static int replay(const char *recording, const char *const *args, const char *stdin_path)
{
	const char *argv[16] = { tracer_binary(), "-r", recording };
	int n = 3;

	for (int i = 0; args && args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return run_capture_stdin(argv, stdin_path, out, sizeof(out), err, sizeof(err));
}

static void test_golden_outputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < GOLDEN_CASES; i++) {
		const struct golden_case *c = &golden_cases[i];
		char rec[256], exp[256];
		char *expected;
		int status;

		snprintf(rec, sizeof(rec), DIR "%s", c->recording);
		snprintf(exp, sizeof(exp), DIR "%s", c->expected);
		status = replay(rec, c->args, NULL);
		expected = slurp(exp, NULL);
		if (strcmp(out, expected))
			fprintf(stderr, "golden: %s differs from the replay of %s\n", exp, rec);
		assert_string_equal(out, expected);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		/* only the truncated recording warns, once */
		if (strcmp(c->recording, "truncated.v6t"))
			assert_string_equal(err, "");
		else
			assert_non_null(strstr(err, "warning: " DIR "truncated.v6t: offset 3240: truncated record"));
		free(expected);
	}
}

/* -r - reads standard input: the same output as from the file */
static void test_replay_stdin(void **state)
{
	char *expected = slurp(DIR "dualstack.jsonl", NULL);

	(void)state;
	assert_int_equal(replay("-", (const char *[]){ "-j", NULL }, DIR "dualstack.v6t"), 0);
	assert_string_equal(out, expected);
	free(expected);
}

/* --since/--until select by the recording machine's wall-clock time, inclusive */
static void test_since_until(void **state)
{
	json_object *first, *last;
	char since[64], until[64];
	char *all_text, *line, *save = NULL;
	const char *lines[64];
	int n = 0;

	(void)state;
	assert_int_equal(replay(DIR "dualstack.v6t", (const char *[]){ "-j", NULL }, NULL), 0);
	all_text = strdup(out);
	for (line = strtok_r(all_text, "\n", &save); line && n < 64; line = strtok_r(NULL, "\n", &save))
		lines[n++] = line;
	assert_true(n > 6);
	first = json_tokener_parse(lines[2]);
	last = json_tokener_parse(lines[4]);
	snprintf(since, sizeof(since), "%s", json_object_get_string(json_object_object_get(first, "time")));
	snprintf(until, sizeof(until), "%s", json_object_get_string(json_object_object_get(last, "time")));
	assert_int_equal(replay(DIR "dualstack.v6t",
				(const char *[]){ "-j", "--since", since, "--until", until, NULL }, NULL), 0);
	{
		char expect[8192] = "";

		for (int i = 2; i <= 4; i++) {
			strcat(expect, lines[i]);
			strcat(expect, "\n");
		}
		assert_string_equal(out, expect);
	}
	json_object_put(first);
	json_object_put(last);
	free(all_text);
	/* @0 is 1970-01-01T00:00:00Z, not "no limit": nothing was recorded by then */
	assert_int_equal(replay(DIR "dualstack.v6t", (const char *[]){ "-j", "--until", "@0", NULL }, NULL), 0);
	assert_string_equal(out, "");
	assert_string_equal(err, "");
}

/* Writes a damaged copy of dualstack.v6t: the first len bytes, then patch at offset. */
static void damaged(const char *path, size_t len, size_t at, const void *patch, size_t patch_len)
{
	size_t n;
	char *data = slurp(DIR "dualstack.v6t", &n);
	FILE *f = fopen(path, "wb");

	if (len > n)
		len = n;
	if (patch)
		memcpy(data + at, patch, patch_len);
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	free(data);
}

static void expect_error(const char *path, const char *message)
{
	int status = replay(path, (const char *[]){ "-j", NULL }, NULL);
	char prefix[256];

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	snprintf(prefix, sizeof(prefix), "v6trace: %s: offset ", path);
	assert_true(!strncmp(err, prefix, strlen(prefix)));
	assert_non_null(strstr(err, message));
	assert_string_equal(strchr(err, '\n'), "\n");	/* one line */
}

static void test_bad_recordings(void **state)
{
	char path[] = "/tmp/v6t-bad-XXXXXX";
	uint16_t v;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	damaged(path, 0, 0, NULL, 0);
	expect_error(path, "empty file");
	damaged(path, 4096, 0, "GIF89a", 6);
	expect_error(path, "not a v6trace recording");
	damaged(path, 20, 0, NULL, 0);
	expect_error(path, "truncated header");
	v = 2;
	damaged(path, 4096, 8, &v, 2);
	expect_error(path, "format version 2.0 is newer than this v6trace reads");
	v = 9000;
	damaged(path, 4096, 14, &v, 2);
	expect_error(path, "impossible header size 9000");
	v = 7;	/* the first record (a netns record at 176) claims 7 bytes */
	damaged(path, 4096, 176 + 2, &v, 2);
	expect_error(path, "offset 176: corrupt record: type 3 with impossible length 7");
	v = 60000;
	damaged(path, 4096, 176 + 2, &v, 2);
	expect_error(path, "impossible length 60000");
	v = 0x0201;
	damaged(path, 4096, 12, &v, 2);
	expect_error(path, "other byte order");
	unlink(path);
}

/* Two recordings one after the other (cat a.v6t b.v6t): the second header is named as such. */
static void test_concatenated(void **state)
{
	char path[] = "/tmp/v6t-cat-XXXXXX";
	size_t n;
	char *data = slurp(DIR "dualstack.v6t", &n);
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), n);
	assert_int_equal(write(fd, data, n), n);
	close(fd);
	expect_error(path, "offset 3400: a second recording header: files concatenated? "
			   "read them one at a time");
	/* the same from standard input */
	assert_int_equal(replay("-", (const char *[]){ "-j", NULL }, path), 1 << 8);
	assert_string_equal(err, "v6trace: standard input: offset 3400: a second recording header: "
				 "files concatenated? read them one at a time\n");
	unlink(path);
	free(data);
}

/*
 * The header's record layout is checked against what this build reads: a newer event ABI is
 * refused, sizes out of range are corruption, and each record must have its declared size.
 */
static void test_record_layout_checked(void **state)
{
	static const struct {
		size_t at, size;	/* where the header (or record) is patched, how many bytes */
		uint32_t value;
		const char *message;
	} cases[] = {
		{ 16, 4, 2, "offset 16: event records of ABI 2, newer than this v6trace reads (1); "
			    "use a newer v6trace" },
		{ 16, 4, 0, "offset 16: corrupt header: event ABI 0" },
		{ 20, 2, 5000, "offset 20: corrupt header: socket events of 5000 bytes (160 to 4096)" },
		{ 22, 2, 16, "offset 22: corrupt header: lost records of 16 bytes (24 to 4096)" },
		/* a header declaring longer events (a newer minor) while the records are 160 bytes */
		{ 20, 2, 168, "offset 200: corrupt record: type 1 of 160 bytes, the header says 168" },
		/* and a record longer than the header says */
		{ 200 + 2, 2, 168, "offset 200: corrupt record: type 1 of 168 bytes, the header says 160" },
	};
	char path[] = "/tmp/v6t-abi-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* little-endian, as the recording: the low bytes of value are the field */
		damaged(path, 4096, cases[i].at, &cases[i].value, cases[i].size);
		expect_error(path, cases[i].message);
	}
	unlink(path);
}

/* A record type from a newer version is skipped by its length, not treated as an error. */
static void test_unknown_record_skipped(void **state)
{
	char path[] = "/tmp/v6t-unknown-XXXXXX";
	uint16_t type = 77;
	char *expected = slurp(DIR "dualstack.jsonl", NULL);
	int fd = mkstemp(path);

	(void)state;
	close(fd);
	damaged(path, 1 << 20, 176, &type, 2);	/* the netns record becomes type 77 */
	assert_int_equal(replay(path, (const char *[]){ "-j", NULL }, NULL), 0);
	assert_string_equal(out, expected);
	assert_string_equal(err, "");
	unlink(path);
	free(expected);
}

/*
 * Lost-event records as a crafted file can hold them: a gap of 0 events is no gap, a total
 * that would pass 2^64 - 1 stays there, and a replay's advice is about the recording.
 */
static void test_crafted_lost_records(void **state)
{
	static const uint64_t counts[] = { 0, UINT64_MAX, 5 };
	char path[] = "/tmp/v6t-lost-XXXXXX";
	int fd = mkstemp(path);
	size_t n;
	char *data = slurp(DIR "dualstack.v6t", &n);
	const char *gap, *row;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), n);
	for (size_t i = 0; i < 3; i++) {
		struct v6t_lost l = { .hdr = { .type = V6T_REC_LOST, .size = sizeof(l) },
				      .count = counts[i] };

		assert_int_equal(write(fd, &l, sizeof(l)), sizeof(l));
	}
	close(fd);
	assert_int_equal(replay(path, (const char *[]){ "-j", "--event", "listening", NULL }, NULL), 0);
	assert_null(strstr(out, "\"count\":0,"));
	assert_non_null(strstr(out, "\"count\":18446744073709551615,\"total\":18446744073709551615}\n"));
	assert_non_null(strstr(out, "\"count\":5,\"total\":18446744073709551615}\n"));
	/* text shows a gap as JSON does, in the stream where it is: a row, EVENT "lost" */
	assert_int_equal(replay(path, (const char *[]){ "--event", "listening", NULL }, NULL), 0);
	assert_string_equal(err, "");
	gap = strstr(out, "lost 5 events");
	assert_non_null(gap);
	for (row = gap; row > out && row[-1] != '\n'; row--)
		;
	assert_int_equal(gap - row, 125);
	assert_memory_equal(row + 41, "lost ", 5);
	assert_null(strstr(out, "lost 0 events"));
	/* with no display, a warning on stderr */
	assert_int_equal(replay(path, (const char *[]){ "-q", "-s", NULL }, NULL), 0);
	assert_null(strstr(err, "lost 0 events"));
	assert_non_null(strstr(err, "lost 5 events"));
	/* -r takes no --buffer-size: the advice is for whoever records */
	assert_null(strstr(err, "--buffer-size"));
	assert_non_null(strstr(err, "the recorder's ring buffer was full"));
	unlink(path);
	free(data);
}

/* The namespaces a recording names in netns records (type 3), in ns, up to max. */
static int netns_records(const char *path, uint64_t *ns, int max)
{
	size_t len, off;
	char *data = slurp(path, &len);
	struct v6t_file_header h;
	int n = 0;

	memcpy(&h, data, sizeof(h));
	for (off = h.header_size; off + sizeof(struct v6t_rec_hdr) <= len;) {
		struct v6t_netns_rec r;

		memcpy(&r, data + off, sizeof(r.hdr));
		assert_true(r.hdr.size >= sizeof(r.hdr));
		if (r.hdr.type == V6T_REC_NETNS && n < max) {
			memcpy(&r, data + off, sizeof(r));
			ns[n++] = r.info.netns_ino;
		}
		off += r.hdr.size;
	}
	free(data);
	return n;
}

/*
 * -r with -w and -N: the new recording names only the namespace -N selects, not another one
 * a netns record of the input named (a rotated file names every namespace seen before it).
 */
static void test_filtered_copy_netns(void **state)
{
	char in[] = "/tmp/v6t-netns-in-XXXXXX", dir[] = "/tmp/v6t-netns-XXXXXX", copy[64];
	struct v6t_netns_rec other = { .hdr = { .type = V6T_REC_NETNS, .size = sizeof(other) },
				       .info = { .netns_ino = 4026530000ULL } };
	int fd = mkstemp(in);
	char *data;
	uint64_t ns[4];
	size_t n;

	(void)state;
	assert_true(fd >= 0);
	assert_non_null(mkdtemp(dir));
	snprintf(copy, sizeof(copy), "%s/copy.v6t", dir);
	data = slurp(DIR "dualstack.v6t", &n);
	/* the other namespace's record right after the header, as rotation writes it */
	assert_int_equal(write(fd, data, 176), 176);
	assert_int_equal(write(fd, &other, sizeof(other)), sizeof(other));
	assert_int_equal(write(fd, data + 176, n - 176), n - 176);
	close(fd);
	assert_int_equal(netns_records(in, ns, 4), 2);
	assert_int_equal(replay(in, (const char *[]){ "-q", "-N", "4026532176", "-w", copy, NULL }, NULL), 0);
	assert_int_equal(netns_records(copy, ns, 4), 1);
	assert_int_equal(ns[0], 4026532176ULL);
	unlink(in);
	unlink(copy);
	rmdir(dir);
	free(data);
}

/*
 * In a real terminal (tmux): colour marks IPv4-mapped accepts and failures, and NO_COLOR or
 * --color=never leaves plain text. tmux wait-for is the readiness signal that the replay ended.
 */
static void terminal_capture(const char *env, const char *extra, char *screen, size_t size)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	/* a server of this process's own: two test runs at once must not kill each other's */
	snprintf(cmd, sizeof(cmd),
		 "T='tmux -L v6t-test-%d'; $T kill-server 2>/dev/null; "
		 "$T new-session -d -x 260 -y 40 "
		 "\"env %s TERM=xterm-256color %s -r " DIR "dualstack.v6t %s; $T wait-for -S v6t-done; sleep 60\" && "
		 "$T wait-for v6t-done && $T capture-pane -p -e -J; "
		 "$T kill-server",
		 (int)getpid(), env, tracer_binary(), extra);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(screen, 1, size - 1, p);
	screen[n] = '\0';
	assert_int_equal(pclose(p), 0);
}

static void test_terminal_colour(void **state)
{
	static char screen[65536];

	(void)state;
	terminal_capture("-u NO_COLOR", "", screen, sizeof(screen));
	/* tmux re-encodes SGR; bold yellow comes back as ESC[1m ESC[33m */
	assert_non_null(strstr(screen, "\033[1m\033[33m::ffff:127.0.0.1 = IPv4 127.0.0.1 via dual-stack [::]:8080"));
	assert_non_null(strstr(screen, "\033[1m\033[31mfailed: EADDRINUSE"));
	assert_non_null(strstr(screen, "TIME            PID"));
	terminal_capture("NO_COLOR=1", "", screen, sizeof(screen));
	assert_non_null(strstr(screen, "::ffff:127.0.0.1 = IPv4 127.0.0.1 via dual-stack [::]:8080"));
	assert_null(strstr(screen, "\033[3"));
	terminal_capture("-u NO_COLOR", "--color=never", screen, sizeof(screen));
	assert_null(strstr(screen, "\033[3"));
	/* not a terminal: plain unless asked */
	assert_int_equal(replay(DIR "dualstack.v6t", NULL, NULL), 0);
	assert_null(strchr(out, '\033'));
	assert_int_equal(replay(DIR "dualstack.v6t", (const char *[]){ "--color=always", NULL }, NULL), 0);
	assert_non_null(strstr(out, "\033[1;33m::ffff:127.0.0.1 = IPv4"));
}

/* --update: rewrite the expected files from this build (read the git diff before committing) */
static int update_expected(void)
{
	for (size_t i = 0; i < GOLDEN_CASES; i++) {
		const struct golden_case *c = &golden_cases[i];
		char rec[256], exp[256];
		FILE *f;

		snprintf(rec, sizeof(rec), DIR "%s", c->recording);
		snprintf(exp, sizeof(exp), DIR "%s", c->expected);
		replay(rec, c->args, NULL);
		f = fopen(exp, "w");
		if (!f || fputs(out, f) < 0 || fclose(f)) {
			perror(exp);
			return 1;
		}
		printf("wrote %s\n", exp);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_outputs),
		cmocka_unit_test(test_replay_stdin),
		cmocka_unit_test(test_since_until),
		cmocka_unit_test(test_bad_recordings),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_record_layout_checked),
		cmocka_unit_test(test_unknown_record_skipped),
		cmocka_unit_test(test_crafted_lost_records),
		cmocka_unit_test(test_filtered_copy_netns),
		cmocka_unit_test(test_terminal_colour),
	};

	setenv("TZ", "UTC", 1);
	if (argc == 2 && !strcmp(argv[1], "--update"))
		return update_expected();
	return cmocka_run_group_tests_name("golden", tests, NULL, NULL);
}

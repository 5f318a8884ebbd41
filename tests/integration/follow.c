// SPDX-License-Identifier: GPL-2.0
/*
 * --follow as tail -F: a recording followed while it is written, across its rotation (-C, -W),
 * through truncation in place, the name taken over by a new run (the systemd service
 * restarting), files of other runs lying around, and files removed before they could be read.
 * The follower must show exactly the events of its run, in order, and say what happened in one
 * line each; -d, --until and -n end a follow.
 */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"
#include "recfile.h"

#define HANG_MS 30000	/* a hang detector: far above what any step needs */
#define GOLDEN "tests/golden/"
#define UNIT "systemd/v6trace-record.service"

struct follower {
	pid_t pid;
	char out_path[64], err_path[64];
};

static char *slurp(const char *path, size_t *size)
{
	char *buf = slurp_file(path, size);

	assert_non_null(buf);
	return buf;
}

static int count_lines(const char *s)
{
	return str_count(s, "\n");
}

/* v6trace -r path -j [args...]: its stdout, malloc'd; asserts it succeeded without a word */
static char *replayed(const char *path)
{
	static char out[16 << 20], err[4096];
	const char *argv[] = { tracer_binary(), "-r", path, "-j", NULL };

	assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(err, "");
	return strdup(out);
}

/* A new recording (a run of its own) made by replaying src: -r src -w dst [args...] */
static void record_from(const char *src, const char *dst, const char *const *args)
{
	const char *argv[16] = { tracer_binary(), "-r", src, "-w", dst, "-q" };
	static char out[4096], err[4096];
	int n = 6;

	for (int i = 0; args && args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

/* A large recording: a golden file's records repeated copies times after its header. */
static void repeated(const char *golden, const char *dst, int copies)
{
	uint16_t header_size;
	size_t size;
	char *data = slurp(golden, &size);
	FILE *out = fopen(dst, "wb");

	assert_non_null(out);
	memcpy(&header_size, data + 14, sizeof(header_size));
	fwrite(data, 1, header_size, out);
	for (int i = 0; i < copies; i++)
		fwrite(data + header_size, 1, size - header_size, out);
	assert_int_equal(fclose(out), 0);
	free(data);
}

static void copy_file(const char *src, const char *dst)
{
	size_t size;
	char *data = slurp(src, &size);
	/* like cp: truncated in place if it exists, then written at once */
	int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, size), size);
	close(fd);
	free(data);
}

static void temp_dir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/v6t-follow-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

static void remove_dir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* v6trace -r path --follow -j [args...], stdout and stderr to files */
static void follower_start(struct follower *fw, const char *path, const char *const *args)
{
	const char *argv[16] = { tracer_binary(), "-r", path, "--follow", "-j" };
	int n = 5, out_fd, err_fd;

	for (int i = 0; args && args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(fw->out_path, sizeof(fw->out_path), "/tmp/v6t-fout-XXXXXX");
	snprintf(fw->err_path, sizeof(fw->err_path), "/tmp/v6t-ferr-XXXXXX");
	out_fd = mkstemp(fw->out_path);
	err_fd = mkstemp(fw->err_path);
	assert_true(out_fd >= 0 && err_fd >= 0);
	fw->pid = spawn_fds(argv, -1, out_fd, err_fd);
	assert_true(fw->pid > 0);
	close(out_fd);
	close(err_fd);
}

/* Waits until the follower has shown lines lines of output. */
static void follower_wait_lines(struct follower *fw, int lines)
{
	assert_int_equal(wait_file_output(fw->out_path, "\n", lines, HANG_MS), 0);
}

/* Ends it (SIGINT, or on its own: sig 0) and checks it exited 0. */
static void follower_end(struct follower *fw, int sig)
{
	int status;

	if (sig)
		kill(fw->pid, sig);
	assert_int_equal(wait_exit(fw->pid, HANG_MS, &status), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void follower_check(struct follower *fw, const char *out, const char *err)
{
	char *got_out = slurp(fw->out_path, NULL), *got_err = slurp(fw->err_path, NULL);

	assert_string_equal(got_out, out);
	assert_string_equal(got_err, err);
	free(got_out);
	free(got_err);
	unlink(fw->out_path);
	unlink(fw->err_path);
}

/* n UDP binds on ::1 (ephemeral ports), then one on marker: what the follower waits for */
static void binds_then_marker(int n, int marker)
{
	for (int i = 0; i < n; i++)
		close(sock_bind(AF_INET6, SOCK_DGRAM, "::1", 0, -1));
	close(sock_bind(AF_INET6, SOCK_DGRAM, "::1", marker, -1));
}

static void wait_marker(const char *path, int marker)
{
	char needle[32];

	snprintf(needle, sizeof(needle), "\"local_port\":%d,", marker);
	assert_int_equal(wait_file_output(path, needle, 1, HANG_MS), 0);
}

/*
 * A live recording in files of 1 MB, three kept (-C 1 -W 3), followed from its first file:
 * 22,010 events over four files, t.v6t removed by -W on the way. The follower (paced, so it
 * never falls two files behind) shows exactly what the recorder showed, and says nothing.
 */
static void test_follow_live_rotation(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128], last[160];
	struct follower fw;
	struct stat st;

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.v6t", dir);
	snprintf(last, sizeof(last), "%s.3", path);
	start_traced(t, ns, (const char *[]){ "-w", path, "-C", "1", "-W", "3", NULL });
	follower_start(&fw, path, NULL);
	for (int round = 0; round < 10; round++) {
		binds_then_marker(2200, 31000 + round);
		wait_marker(fw.out_path, 31000 + round);
	}
	stop_traced(t);
	assert_int_equal(t->n_events, 22010);
	assert_int_equal(stat(path, &st), -1);	/* removed when t.v6t.3 began */
	assert_int_equal(stat(last, &st), 0);
	follower_wait_lines(&fw, t->n_events);
	follower_end(&fw, SIGINT);
	follower_check(&fw, tracer_stdout(t), "");
	remove_dir(dir);
}

/*
 * Files of another run under the chain's names are not ours: a stale t.v6t.1 is skipped
 * until the run's own t.v6t.1 replaces it, complete, by rename (as the writer replaces a
 * file of its own).
 */
static void test_follow_skips_other_runs(void **state)
{
	char dir[64], big[128], other[128], r[128], s[128], t[128], name[160], tmp[160];
	char *want, *part;
	struct follower fw;
	int lines = 0;

	(void)state;
	temp_dir(dir, sizeof(dir));
	snprintf(big, sizeof(big), "%s/big.v6t", dir);
	snprintf(other, sizeof(other), "%s/other.v6t", dir);
	snprintf(r, sizeof(r), "%s/r.v6t", dir);
	snprintf(s, sizeof(s), "%s/s.v6t", dir);
	snprintf(t, sizeof(t), "%s/t.v6t", dir);
	repeated(GOLDEN "dualstack.v6t", big, 500);	/* 10,000 events: r.v6t, r.v6t.1 */
	repeated(GOLDEN "sysctl.v6t", other, 1000);
	record_from(big, r, (const char *[]){ "-C", "1", NULL });
	record_from(other, s, (const char *[]){ "-C", "1", NULL });
	copy_file(r, t);
	snprintf(name, sizeof(name), "%s.1", s);
	snprintf(tmp, sizeof(tmp), "%s.1", t);
	copy_file(name, tmp);	/* a t.v6t.1 of another run */

	follower_start(&fw, t, NULL);
	part = replayed(r);
	lines += count_lines(part);
	follower_wait_lines(&fw, lines);
	free(part);
	snprintf(name, sizeof(name), "%s.1", r);
	snprintf(tmp, sizeof(tmp), "%s/.t.v6t.1.tmp", dir);
	copy_file(name, tmp);
	snprintf(name, sizeof(name), "%s.1", t);
	assert_int_equal(rename(tmp, name), 0);
	want = replayed(big);
	follower_wait_lines(&fw, count_lines(want));
	follower_end(&fw, SIGINT);
	follower_check(&fw, want, "");
	free(want);
	remove_dir(dir);
}

/*
 * A followed file truncated in place and written again at once (cp over it): said in one
 * line, and read again from its new header, never taken for a corrupt record.
 */
static void test_follow_truncated_in_place(void **state)
{
	char dir[64], t[128], b[128], msg[256];
	char *first, *second, *want;
	struct follower fw;

	(void)state;
	temp_dir(dir, sizeof(dir));
	snprintf(t, sizeof(t), "%s/t.v6t", dir);
	snprintf(b, sizeof(b), "%s/b.v6t", dir);
	record_from(GOLDEN "sysctl.v6t", t, NULL);
	record_from(GOLDEN "dualstack.v6t", b, NULL);
	first = replayed(t);
	second = replayed(b);
	follower_start(&fw, t, NULL);
	follower_wait_lines(&fw, count_lines(first));
	copy_file(b, t);
	follower_wait_lines(&fw, count_lines(first) + count_lines(second));
	follower_end(&fw, SIGINT);
	want = malloc(strlen(first) + strlen(second) + 1);
	strcpy(want, first);
	strcat(want, second);
	snprintf(msg, sizeof(msg),
		 "v6trace: %s: file truncated; reading it again from its header\n", t);
	follower_check(&fw, want, msg);
	free(first);
	free(second);
	free(want);
	remove_dir(dir);
}

/* The unit's ExecStartPre (moving the previous run aside), run on dir instead of its own. */
static void unit_start_pre(const char *dir)
{
	char *unit = slurp(UNIT, NULL), cmd[2048], out[256], err[256], *line, *p;
	size_t n = 0;

	line = strstr(unit, "\nExecStartPre=/bin/sh -c '");
	assert_non_null(line);
	line += strlen("\nExecStartPre=/bin/sh -c '");
	for (p = line; *p && *p != '\n' && n < sizeof(cmd) - 128; p++) {
		if (!strncmp(p, "$$", 2))	/* systemd's escaped $ */
			p++;
		if (!strncmp(p, "/var/log/v6trace", 16)) {
			n += snprintf(cmd + n, sizeof(cmd) - n, "%s", dir);
			p += 15;
			continue;
		}
		cmd[n++] = *p;
	}
	assert_true(n > 0 && cmd[n - 1] == '\'');
	cmd[n - 1] = '\0';
	assert_int_equal(run_capture((const char *[]){ "/bin/sh", "-c", cmd, NULL }, out, sizeof(out), err,
				     sizeof(err)), 0);
	free(unit);
}

/*
 * The systemd recorder's review path: v6trace -r .../trace.v6t --follow while the service
 * records (-C, -W) and restarts. The restart moves trace.v6t* aside (the unit's ExecStartPre)
 * and the new run writes trace.v6t again: the follower goes on with it, saying so.
 */
static void test_follow_service_restart(void **state)
{
	static struct tracer second = { .pid = -1, .out_fd = -1 };
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128], moved[160], msg[256];
	struct follower fw;
	struct stat st;
	char *want;

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/trace.v6t", dir);
	start_traced(t, ns, (const char *[]){ "-w", path, "-C", "1", "-W", "10", NULL });
	follower_start(&fw, path, NULL);
	for (int round = 0; round < 2; round++) {
		binds_then_marker(4000, 31000 + round);
		wait_marker(fw.out_path, 31000 + round);
	}
	kill(t->pid, SIGTERM);	/* systemctl restart */
	assert_int_equal(tracer_wait(t, HANG_MS / 1000), 0);
	unit_start_pre(dir);
	snprintf(moved, sizeof(moved), "%s/previous.trace.v6t.1", dir);
	assert_int_equal(stat(moved, &st), 0);
	assert_int_equal(stat(path, &st), -1);

	start_traced(&second, ns, (const char *[]){ "-w", path, "-C", "1", "-W", "10", NULL });
	binds_then_marker(100, 31002);
	wait_marker(fw.out_path, 31002);
	stop_traced(&second);
	want = malloc(strlen(tracer_stdout(t)) + strlen(tracer_stdout(&second)) + 1);
	strcpy(want, tracer_stdout(t));
	strcat(want, tracer_stdout(&second));
	follower_wait_lines(&fw, count_lines(want));
	follower_end(&fw, SIGINT);
	snprintf(msg, sizeof(msg),
		 "v6trace: %s: replaced by another recording; following that one\n", path);
	follower_check(&fw, want, msg);
	free(want);
	tracer_cleanup(&second);
	remove_dir(dir);
}

/* Does haystack end with needle? */
static bool ends_with(const char *haystack, const char *needle)
{
	size_t h = strlen(haystack), n = strlen(needle);

	return h >= n && !strcmp(haystack + h - n, needle);
}

/*
 * A follower that falls behind (stopped) while -W 2 removes t.v6t.1 before it was read:
 * it finishes t.v6t (still open), reports the gap in one line and goes on with t.v6t.2.
 */
static void test_follow_gap(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128], p1[160], p2[160], p3[160], msg[512];
	char *got, *tail, *two, *three;
	struct follower fw;
	struct stat st;
	size_t kept;

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.v6t", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	snprintf(p2, sizeof(p2), "%s.2", path);
	snprintf(p3, sizeof(p3), "%s.3", path);
	start_traced(t, ns, (const char *[]){ "-w", path, "-C", "1", "-W", "2", NULL });
	follower_start(&fw, path, NULL);
	binds_then_marker(3000, 31000);
	wait_marker(fw.out_path, 31000);
	kill(fw.pid, SIGSTOP);
	binds_then_marker(20000, 31001);
	/* the recorder's display is flushed after its file: once it shows the marker, so do the
	 * files */
	assert_int_equal(tracer_wait_output(t, "\"local_port\":31001,", HANG_MS), 0);
	assert_int_equal(stat(p1, &st), -1);
	assert_int_equal(stat(p3, &st), 0);
	kill(fw.pid, SIGCONT);
	wait_marker(fw.out_path, 31001);
	stop_traced(t);
	follower_end(&fw, SIGINT);

	/* what it showed: the recorder's events but those of t.v6t.1, whose place was kept */
	got = slurp(fw.out_path, NULL);
	two = replayed(p2);
	three = replayed(p3);
	tail = malloc(strlen(two) + strlen(three) + 1);
	strcpy(tail, two);
	strcat(tail, three);
	assert_true(ends_with(got, tail));
	assert_true(ends_with(tracer_stdout(t), tail));
	kept = strlen(got) - strlen(tail);
	assert_memory_equal(got, tracer_stdout(t), kept);
	/* the gap: t.v6t.1 whole, 1 MB of 160-byte events */
	{
		char *gap = strndup(tracer_stdout(t) + kept,
				    strlen(tracer_stdout(t)) - kept - strlen(tail));

		assert_in_range(count_lines(gap), 6000, 6300);
		free(gap);
	}
	snprintf(msg, sizeof(msg),
		 "v6trace: %s was removed (-W) before it could be read; going on with %s\n", p1,
		 p2);
	follower_check(&fw, got, msg);
	/* following t.v6t, gone, starts at the oldest file left of the run */
	follower_start(&fw, path, (const char *[]){ "-d", "1", NULL });
	follower_end(&fw, 0);
	snprintf(msg, sizeof(msg),
		 "v6trace: %s: removed by rotation (-W); starting at %s, the oldest file "
		 "left of its recording\n",
		 path, p2);
	follower_check(&fw, tail, msg);
	free(got);
	free(two);
	free(three);
	free(tail);
	remove_dir(dir);
}

/* -d, --until and -n end a follow by themselves; -d ends a replay of a silent pipe too. */
static void test_follow_ends(void **state)
{
	char dir[64], t[128], until[64];
	char *all, *third, *want, *line;
	struct follower fw;
	json_object *e;
	int p[2], status;
	pid_t pid;

	(void)state;
	temp_dir(dir, sizeof(dir));
	snprintf(t, sizeof(t), "%s/t.v6t", dir);
	record_from(GOLDEN "dualstack.v6t", t, NULL);
	all = replayed(t);

	follower_start(&fw, t, (const char *[]){ "-d", "1", NULL });
	follower_end(&fw, 0);
	follower_check(&fw, all, "");

	/* --until: once a later event was read and nothing more is there, nothing can match */
	third = strchr(strchr(strchr(all, '\n') + 1, '\n') + 1, '\n') + 1;
	line = strndup(third, strchr(third, '\n') - third);
	e = json_tokener_parse(line);
	free(line);
	snprintf(until, sizeof(until), "%s", ev_str(e, "time"));
	json_object_put(e);
	follower_start(&fw, t, (const char *[]){ "--until", until, NULL });
	follower_end(&fw, 0);
	want = strndup(all, strchr(third, '\n') + 1 - all);
	follower_check(&fw, want, "");
	free(want);

	follower_start(&fw, t, (const char *[]){ "-n", "2", NULL });
	follower_end(&fw, 0);
	want = strndup(all, strchr(strchr(all, '\n') + 1, '\n') + 1 - all);
	follower_check(&fw, want, "");
	free(want);

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid = spawn_fds((const char *[]){ tracer_binary(), "-r", "-", "-d", "1", NULL }, p[0], -1, -1);
	close(p[0]);
	assert_int_equal(wait_exit(pid, HANG_MS, &status), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	close(p[1]);
	free(all);
	remove_dir(dir);
}

/* Moves a recording's clock: its events then happened delta_ns later in wall-clock time. */
static void shift_clock(const char *path, int64_t delta_ns)
{
	int64_t boot_to_wall;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &boot_to_wall, sizeof(boot_to_wall),
			       offsetof(struct v6t_file_header, boot_to_wall_ns)), sizeof(boot_to_wall));
	boot_to_wall += delta_ns;
	assert_int_equal(pwrite(fd, &boot_to_wall, sizeof(boot_to_wall),
				offsetof(struct v6t_file_header, boot_to_wall_ns)), sizeof(boot_to_wall));
	close(fd);
}

/*
 * --follow -w OUT across two runs whose clocks differ (a restart after a reboot): OUT has one
 * header, the first run's clock, so the second run's events must be written on that clock;
 * replaying OUT shows what the follower showed, times included.
 */
static void test_follow_new_run_recorded(void **state)
{
	char dir[64], a[128], b[128], t[128], tmp[160], out[128], said[256];
	char *first, *second, *shown, *again;
	struct follower fw;

	(void)state;
	temp_dir(dir, sizeof(dir));
	snprintf(a, sizeof(a), "%s/a.v6t", dir);
	snprintf(b, sizeof(b), "%s/b.v6t", dir);
	snprintf(t, sizeof(t), "%s/t.v6t", dir);
	snprintf(tmp, sizeof(tmp), "%s/.t.v6t.tmp", dir);
	snprintf(out, sizeof(out), "%s/out.v6t", dir);
	record_from(GOLDEN "dualstack.v6t", a, NULL);
	record_from(GOLDEN "sysctl.v6t", b, NULL);
	shift_clock(b, 3600 * 1000000000LL);
	first = replayed(a);
	second = replayed(b);
	copy_file(a, t);
	follower_start(&fw, t, (const char *[]){ "-w", out, NULL });
	follower_wait_lines(&fw, count_lines(first));
	copy_file(b, tmp);
	assert_int_equal(rename(tmp, t), 0);
	follower_wait_lines(&fw, count_lines(first) + count_lines(second));
	follower_end(&fw, SIGINT);
	shown = slurp(fw.out_path, NULL);
	assert_non_null(strstr(shown, second));
	again = replayed(out);
	assert_string_equal(again, shown);
	snprintf(said, sizeof(said), "v6trace: %s: replaced by another recording; following that one\n", t);
	follower_check(&fw, shown, said);
	free(first);
	free(second);
	free(shown);
	free(again);
	remove_dir(dir);
}

int run_follow_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_follow_live_rotation, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_follow_skips_other_runs, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_follow_truncated_in_place, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_follow_service_restart, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_follow_gap, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_follow_ends, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_follow_new_run_recorded, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("follow", tests, NULL, NULL);
}

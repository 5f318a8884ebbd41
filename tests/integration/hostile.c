// SPDX-License-Identifier: GPL-2.0
/*
 * Names chosen to attack a terminal or a JSON reader, on every output path. Real processes
 * in the test's namespace name themselves (prctl) with C0, ESC sequences, DEL, C1 (raw and
 * as UTF-8), invalid UTF-8, bidi controls, quotes and backslashes, and valid UTF-8, set IPV6_V6ONLY (so their names
 * go into notes), bind, listen, connect and accept, inside a cgroup whose directory name is
 * hostile too. v6trace watches live (text, JSON, summaries, --wide, -w), lists them (-l) and
 * replays the recording; then a crafted recording brings hostile header fields and records.
 * Everything a terminal gets must be valid UTF-8 without a control character, every JSON
 * line must parse, valid names must come back byte for byte and invalid bytes as U+FFFD.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cgroup.h"
#include "itest.h"
#include "recfile.h"

#define FFFD "\xef\xbf\xbd"
#define EMOJI "\xf0\x9f\x98\x80"
#define PORT 8600
#define OUT (1 << 20)

struct hostile_name {
	const char *name;	/* what the process calls itself (the kernel keeps 15 bytes) */
	const char *text;	/* what a terminal must show */
	const char *json;	/* what a JSON parser must read back */
};

static const struct hostile_name names[] = {
	{ "c0\x01\x08\r\n\tx", "c0?????x", "c0\x01\x08\r\n\tx" },
	{ "\x1b[2J\x1b[31mred", "?[2J?[31mred", "\x1b[2J\x1b[31mred" },
	{ "\x1b]0;t\x07" "del\x7f", "?]0;t?del?", "\x1b]0;t\x07" "del\x7f" },
	{ "c1\x9b" "31m\x85\x90x", "c1?31m??x", "c1" FFFD "31m" FFFD FFFD "x" },
	{ "u\xc2\x9b" "31m\xc2\x85\xc2\x90", "u?31m??", "u\xc2\x9b" "31m\xc2\x85\xc2\x90" },
	{ "\xc0\xaf\xed\xa0\x80\xe2\x82", "??????", FFFD FFFD FFFD FFFD FFFD FFFD },
	{ "x\xf4\x90\x80\x80\xff\xe2\x82", "x??????", "x" FFFD FFFD FFFD FFFD FFFD FFFD },
	{ "\xe2\x80\xae" "cba\xe2\x81\xa6" "d\xe2\x80\x8f", "?cba?d?",
	  "\xe2\x80\xae" "cba\xe2\x81\xa6" "d\xe2\x80\x8f" },
	{ "caf\xc3\xa9-\xe6\x97\xa5\xf0\x9f\x98\x80", "caf\xc3\xa9-\xe6\x97\xa5\xf0\x9f\x98\x80",
	  "caf\xc3\xa9-\xe6\x97\xa5\xf0\x9f\x98\x80" },
	/* quotes and backslashes: printable, so shown as they are, and escaped in JSON */
	{ "\"\\\"'\\n\\u0041\\", "\"\\\"'\\n\\u0041\\", "\"\\\"'\\n\\u0041\\" },
	{ "\x1b\"\\x\x07'\"", "?\"\\x?'\"", "\x1b\"\\x\x07'\"" },
	/* 16 bytes: the kernel keeps 15, cutting the last character */
	{ EMOJI EMOJI EMOJI EMOJI, EMOJI EMOJI EMOJI "?", EMOJI EMOJI EMOJI FFFD },
};

#define N_NAMES (sizeof(names) / sizeof(names[0]))

/* the cgroup directory's name after the pid, and as --wide must show it */
#define CG_TAIL "-\x1b[31m\xc2\x9b\xe2\x80\xae\xff"
#define CG_TAIL_TEXT "-?[31m???"
#define CG_TAIL_JSON "-\x1b[31m\xc2\x9b\xe2\x80\xae" FFFD

static struct {
	uint64_t ns;
	char cgroup[1200];
	char cgroup_text[64];		/* "[v6t-hostile-PID-?[31m???]" */
	char cgroup_json[64];		/* what a JSON parser reads back of its name */
	char dir[64], recording[128], crafted[128];
	pid_t pid[N_NAMES];
	int go[2];
	struct tracer json, text;	/* live: -j -s -w, and -s --wide */
} h;

static char out[OUT], err[OUT];

/* The code points a terminal must never get from a name (C0 but '\n', DEL, C1, bidi, LS/PS). */
static bool forbidden(wint_t c)
{
	return (c != L'\n' && iswcntrl(c)) || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	       c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c > 0x10ffff;
}

/* s for a failure message: what is not printable ASCII as \xNN, from the line at bad on */
static void print_escaped(const char *s, const char *bad)
{
	const char *p = bad;

	while (p > s && p[-1] != '\n')
		p--;
	for (; *p && *p != '\n'; p++)
		if (*p >= 0x20 && *p < 0x7f)
			print_message("%c", *p);
		else
			print_message("\\x%02x", (unsigned char)*p);
	print_message("\n");
}

/* What reaches a terminal: valid UTF-8 (glibc's decoder) with nothing forbidden in it. */
static void assert_terminal_safe(const char *what, const char *s)
{
	mbstate_t st;
	size_t n = strlen(s);

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < n;) {
		wchar_t wc = 0;
		size_t len = mbrtowc(&wc, s + i, n - i, &st);

		if (len == (size_t)-1 || len == (size_t)-2 || forbidden(wc)) {
			if (len == (size_t)-1 || len == (size_t)-2)
				print_message("%s: byte %zu: invalid UTF-8 in the line:\n", what,
					      i);
			else
				print_message("%s: byte %zu: code point %x in the line:\n", what, i,
					      (unsigned int)wc);
			print_escaped(s, s + i);
			fail();
		}
		i += len;
	}
}

/* Every line a JSON object (json-c), and the raw text as safe as any other. */
static void assert_json_lines(const char *what, const char *s)
{
	char *copy = strdup(s), *save = NULL;
	int lines = 0;

	assert_non_null(copy);
	assert_terminal_safe(what, s);
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(line);

		if (!o || !json_object_is_type(o, json_type_object)) {
			print_message("%s: not a JSON object:\n", what);
			print_escaped(line, line);
			fail();
		}
		json_object_put(o);
		lines++;
	}
	free(copy);
	assert_true(lines > 0);
}

/* a line of s that holds both needles (a name and its verdict, say) */
static bool line_with(const char *s, const char *a, const char *b)
{
	for (const char *p = s; (p = strstr(p, a)); p++) {
		const char *bol = p, *eol = strchr(p, '\n'), *q;

		while (bol > s && bol[-1] != '\n')
			bol--;
		q = strstr(bol, b);
		if (q && (!eol || q < eol))
			return true;
	}
	return false;
}

#define EVENT_LINES 0x1	/* "PID     NAME  ": the PID and COMM columns */
#define NAME_PID 0x2	/* "NAME[PID]": the summary's PROCESS column, a note's setter */

/* Text output: safe, and each process's name shown as documented where names go. */
static void assert_text_names(const char *what, const char *s, unsigned int where)
{
	assert_terminal_safe(what, s);
	for (size_t i = 0; i < N_NAMES; i++) {
		char columns[64], name_pid[64];

		snprintf(columns, sizeof(columns), "%-7d %s ", h.pid[i], names[i].text);
		snprintf(name_pid, sizeof(name_pid), "%s[%d]", names[i].text, h.pid[i]);
		if (((where & EVENT_LINES) && !strstr(s, columns)) ||
		    ((where & NAME_PID) && !strstr(s, name_pid))) {
			print_message("%s: name %zu not shown as \"%s\" in:\n%s\n", what, i,
				      names[i].text, s);	/* s is safe: checked above */
			fail();
		}
	}
}

static json_object *parse_line_with(const char *s, const char *needle)
{
	const char *p = strstr(s, needle), *bol = p;
	char line[4096];
	size_t len;

	if (!p)
		return NULL;
	while (bol > s && bol[-1] != '\n')
		bol--;
	len = strcspn(bol, "\n");
	assert_true(len < sizeof(line));
	memcpy(line, bol, len);
	line[len] = '\0';
	return json_tokener_parse(line);
}

/* JSON output: each process's events carry its name as the parser must read it back. */
static void assert_json_names(const char *what, const char *s, bool setter)
{
	assert_json_lines(what, s);
	for (size_t i = 0; i < N_NAMES; i++) {
		char key[64];
		json_object *e, *set_by = NULL;

		snprintf(key, sizeof(key), "\"pid\":%d,", h.pid[i]);
		e = parse_line_with(s, key);
		assert_non_null(e);
		assert_str(ev_str(e, "comm"), names[i].json);
		json_object_put(e);
		if (!setter)
			continue;
		snprintf(key, sizeof(key), "\"v6only_set_by\":{\"pid\":%d,", h.pid[i]);
		e = parse_line_with(s, key);
		assert_non_null(e);
		assert_true(json_object_object_get_ex(e, "v6only_set_by", &set_by));
		assert_str(ev_str(set_by, "comm"), names[i].json);
		json_object_put(e);
	}
}

/* Each process: into the cgroup, renamed, then a V6ONLY listener it connects to and accepts. */
static void hostile_child(size_t i, int ready)
{
	char procs[1300], c;
	int fd, lfd, cfd, afd;

	close(h.go[1]);	/* the parent's close alone must end the wait below */
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", h.cgroup);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1 || prctl(PR_SET_NAME, names[i].name))
		_exit(1);
	close(fd);
	lfd = tcp_listen(AF_INET6, "::", PORT + i, 1);
	cfd = tcp_connect(AF_INET6, "::1", PORT + i);
	afd = accept_one(lfd);
	if (write(ready, lfd >= 0 && cfd >= 0 && afd >= 0 ? "y" : "n", 1) != 1)
		_exit(1);
	/* hold the listener for -l until released */
	if (read(h.go[0], &c, 1) < 0)
		_exit(1);
	_exit(0);
}

static int spawn_children(void)
{
	for (size_t i = 0; i < N_NAMES; i++) {
		int ready[2];
		char c = 0;

		if (pipe2(ready, O_CLOEXEC))
			return -1;
		h.pid[i] = fork();
		if (h.pid[i] == 0)
			hostile_child(i, ready[1]);
		close(ready[1]);
		if (h.pid[i] < 0 || read(ready[0], &c, 1) != 1 || c != 'y') {
			fprintf(stderr, "hostile: process %zu did not do its sockets\n", i);
			close(ready[0]);
			return -1;
		}
		close(ready[0]);
	}
	return 0;
}

static int start_live(void)
{
	char ns[32];

	snprintf(ns, sizeof(ns), "%llu", (unsigned long long)h.ns);
	if (tracer_start(&h.json, (const char *[]){ "-N", ns, "-s", "-w", h.recording, NULL }) ||
	    tracer_start_text(&h.text, (const char *[]){ "-N", ns, "-s", "--wide", NULL }))
		return -1;
	if (spawn_children())
		return -1;
	/* tracer_stop fails on any line that is not a JSON object */
	return tracer_stop(&h.json) || tracer_stop(&h.text) ? -1 : 0;
}

static int teardown(void **state);

static int prepare(void)
{
	char root[1024];

	memset(&h, 0, sizeof(h));
	h.json.pid = h.text.pid = -1;
	h.json.out_fd = h.text.out_fd = -1;
	h.go[0] = h.go[1] = -1;
	if (!setlocale(LC_CTYPE, "C.UTF-8") || pipe2(h.go, O_CLOEXEC))
		return -1;
	h.ns = netns_enter_new();
	if (!h.ns || v6t_cgroup2_mount(root, sizeof(root)))
		return -1;
	snprintf(h.cgroup, sizeof(h.cgroup), "%s/v6t-hostile-%d" CG_TAIL, root, getpid());
	snprintf(h.cgroup_text, sizeof(h.cgroup_text), "[v6t-hostile-%d" CG_TAIL_TEXT "]",
		 getpid());
	snprintf(h.cgroup_json, sizeof(h.cgroup_json), "v6t-hostile-%d" CG_TAIL_JSON, getpid());
	snprintf(h.dir, sizeof(h.dir), "/tmp/v6t-hostile-XXXXXX");
	if (mkdir(h.cgroup, 0755) || !mkdtemp(h.dir))
		return -1;
	snprintf(h.recording, sizeof(h.recording), "%s/live.v6t", h.dir);
	snprintf(h.crafted, sizeof(h.crafted), "%s/crafted.v6t", h.dir);
	return start_live();
}

static int setup(void **state)
{
	if (!prepare())
		return 0;
	teardown(state);
	return -1;
}

static int teardown(void **state)
{
	(void)state;
	if (h.go[1] >= 0)
		close(h.go[1]);	/* end of file: every child's read returns */
	for (size_t i = 0; i < N_NAMES; i++)
		if (h.pid[i] > 0)
			waitpid(h.pid[i], NULL, 0);
	if (h.go[0] >= 0)
		close(h.go[0]);
	tracer_cleanup(&h.json);
	tracer_cleanup(&h.text);
	if (h.cgroup[0])
		rmdir(h.cgroup);
	if (h.recording[0])
		unlink(h.recording);
	if (h.crafted[0])
		unlink(h.crafted);
	if (h.dir[0])
		rmdir(h.dir);
	setlocale(LC_CTYPE, "C");
	return 0;
}

static int run(const char *const *args)
{
	const char *argv[2 * N_NAMES + 8] = { tracer_binary() };
	int n = 1, status;

	for (int i = 0; args[i]; i++) {
		assert_true(n < (int)(sizeof(argv) / sizeof(argv[0])) - 1);
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	status = run_capture(argv, out, sizeof(out), err, sizeof(err));
	assert_terminal_safe("stderr", err);
	return status;
}

#define assert_ran(args)                                                                          \
	do {                                                                                       \
		int status_ = run(args);                                                           \
		if (!WIFEXITED(status_) || WEXITSTATUS(status_)) {                                 \
			print_message("exit status 0x%x; stderr:\n%s\n", status_, err);           \
			fail();                                                                    \
		}                                                                                  \
	} while (0)

/* live -j -s: events, setter names and summary lines, names back as they were */
static void test_live_json(void **state)
{
	(void)state;
	assert_terminal_safe("live -j stderr", h.json.stderr_text);
	assert_json_names("live -j -s", tracer_stdout(&h.json), true);
	for (size_t i = 0; i < N_NAMES; i++) {
		json_object *s = ev_find(&h.json, "summary", PORT + i, 0);

		assert_non_null(s);
		assert_str(ev_str(s, "comm"), names[i].json);
		assert_int_equal(ev_int(s, "pid"), h.pid[i]);
	}
}

/* live text -s --wide: event lines, notes with the setter, the summary table, the cgroup */
static void test_live_text(void **state)
{
	const char *s = tracer_stdout(&h.text);
	char name_pid[64];

	(void)state;
	assert_terminal_safe("live text stderr", h.text.stderr_text);
	assert_text_names("live -s --wide", s, EVENT_LINES | NAME_PID);
	assert_non_null(strstr(s, h.cgroup_text));
	for (size_t i = 0; i < N_NAMES; i++) {
		/* the summary's PROCESS column and the notes' setter */
		snprintf(name_pid, sizeof(name_pid), "%s[%d]", names[i].text, h.pid[i]);
		assert_true(line_with(s, name_pid, "IPv6 only (V6ONLY)"));
		assert_true(line_with(s, name_pid, "set by "));
	}
}

/* -l and its summary, as text, JSON and --wide, in this namespace and across all of them */
static void test_listeners(void **state)
{
	static const char *const modes[][4] = {
		{ "-l", NULL }, { "-l", "--wide", NULL }, { "-l", "-s", NULL },
		{ "-l", "-s", "--all-netns", NULL }, { "-l", "-j", NULL },
		{ "-l", "-s", "-j", NULL },
	};
	char ports[N_NAMES][8];
	const char *args[2 * N_NAMES + 8];

	(void)state;
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		bool json = false, summary = false, wide = false;
		int n = 0;

		for (int k = 0; modes[m][k]; k++) {
			args[n++] = modes[m][k];
			json |= !strcmp(modes[m][k], "-j");
			summary |= !strcmp(modes[m][k], "-s");
			wide |= !strcmp(modes[m][k], "--wide");
		}
		for (size_t i = 0; i < N_NAMES; i++) {
			snprintf(ports[i], sizeof(ports[i]), "%zu", PORT + i);
			args[n++] = "-P";
			args[n++] = ports[i];
		}
		args[n] = NULL;
		assert_ran(args);
		if (json)
			assert_json_names("-l -j", out, false);
		else
			assert_text_names("-l", out, EVENT_LINES | (summary ? NAME_PID : 0));
		if (wide)
			assert_non_null(strstr(out, h.cgroup_text));
	}
}

/* the live recording replayed: text, --wide, -s, JSON, and -v's header */
static void test_replay(void **state)
{
	(void)state;
	assert_ran(((const char *[]){ "-r", h.recording, NULL }));
	assert_text_names("-r", out, EVENT_LINES | NAME_PID);
	assert_ran(((const char *[]){ "-r", h.recording, "-s", "--wide", NULL }));
	assert_text_names("-r -s --wide", out, EVENT_LINES | NAME_PID);
	assert_non_null(strstr(out, h.cgroup_text));
	assert_ran(((const char *[]){ "-r", h.recording, "-j", NULL }));
	assert_json_names("-r -j", out, true);
	assert_ran(((const char *[]){ "-r", h.recording, "-j", "-s", NULL }));
	assert_json_names("-r -j -s", out, true);
	/* --wide's container is a JSON key too, its name read back as it is */
	assert_ran(((const char *[]){ "-r", h.recording, "-j", "--wide", NULL }));
	assert_json_names("-r -j --wide", out, true);
	for (size_t i = 0; i < N_NAMES; i++) {
		char key[64];
		json_object *e, *c;

		snprintf(key, sizeof(key), "\"pid\":%d,", h.pid[i]);
		e = parse_line_with(out, key);
		assert_non_null(e);
		assert_true(json_object_object_get_ex(e, "container", &c));
		assert_str(ev_str(c, "cgroup"), h.cgroup_json);
		assert_true(ev_is_null(c, "runtime"));
		json_object_put(e);
	}
	assert_ran(((const char *[]){ "-r", h.recording, "-v", NULL }));
	assert_non_null(strstr(err, "v6trace: recorded on "));
	assert_terminal_safe("-r -v", out);
}

/* a recording's header fields and its records' names, made by hand: a 1.0 file, no run tag */
static const char *const crafted_header[] = {
	[V6T_TAG_HOSTNAME] = "host\x1b]0;owned\x07\xc2\x9b\xe2\x80\xae\xff",
	[V6T_TAG_KERNEL] = "6.1\x1b[2J\x9b" "2J\xe2\x81\xa6",
	[V6T_TAG_BACKENDS] = "bind=\x1b[5m\xc2\x85\xed\xa0\x80",
	[V6T_TAG_VERSION] = "9\r\x7f\xe2\x80\x8f\xc0\xaf",
};
static const char *const crafted_header_text =
	"recorded on host?]0;owned???? (kernel 6.1?[2J?2J?) by v6trace 9?????, format 1.0; "
	"hooks: bind=?[5m????\n";

static size_t put_tag(unsigned char *buf, size_t off, uint16_t tag, const char *value)
{
	struct v6t_file_tag t = { .tag = tag, .len = strlen(value) };

	memcpy(buf + off, &t, sizeof(t));
	memcpy(buf + off + sizeof(t), value, t.len);
	return off + sizeof(t) + ((t.len + 3) & ~3u);
}

/* A listen with a known setter per name (comm: name i, setter: the next one), 15 bytes each. */
static size_t put_events(unsigned char *buf, size_t off)
{
	for (size_t i = 0; i < N_NAMES; i++) {
		struct v6t_sock_event e = {
			.hdr = { .type = V6T_REC_SOCK_EVENT, .size = sizeof(e) },
			.ts_boot_ns = 1000000000ULL * (i + 1), .netns_ino = 4026531840ULL,
			.pid = 100 + i, .tid = 100 + i, .setter_pid = 200 + i,
			.local_port = 9000 + i, .family = V6T_AF_INET6, .proto = V6T_IPPROTO_TCP,
			.kind = V6T_EV_LISTEN, .v6only = 1, .flags = V6T_F_SETTER_KNOWN,
			.backend = V6T_BACKEND_TRACEPOINT,
		};

		memcpy(e.comm, names[i].name, strnlen(names[i].name, V6T_COMM_LEN - 1));
		memcpy(e.setter_comm, names[(i + 1) % N_NAMES].name,
		       strnlen(names[(i + 1) % N_NAMES].name, V6T_COMM_LEN - 1));
		memcpy(buf + off, &e, sizeof(e));
		off += sizeof(e);
	}
	return off;
}

static void write_crafted(const char *path)
{
	static unsigned char buf[16384];
	struct v6t_file_header fh = {
		.magic = V6T_FILE_MAGIC, .major = V6T_FILE_MAJOR, .minor = 0,
		.byte_order = V6T_FILE_BOM, .abi_version = V6T_ABI_VERSION,
		.sock_event_size = sizeof(struct v6t_sock_event),
		.lost_size = sizeof(struct v6t_lost),
		.start_wall_ns = 1795514400000000000ULL, .boot_to_wall_ns = 1795514400000000000LL,
	};
	size_t off = sizeof(fh);
	FILE *f;

	for (uint16_t tag = V6T_TAG_HOSTNAME; tag <= V6T_TAG_VERSION; tag++)
		off = put_tag(buf, off, tag, crafted_header[tag]);
	fh.header_size = off;
	memcpy(buf, &fh, sizeof(fh));
	off = put_events(buf, off);
	f = fopen(path, "we");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, off, f), off);
	assert_int_equal(fclose(f), 0);
}

static void test_crafted_recording(void **state)
{
	const char *path = h.crafted;

	(void)state;
	write_crafted(path);
	assert_ran(((const char *[]){ "-r", path, "-v", "-s", NULL }));
	assert_non_null(strstr(err, crafted_header_text));
	assert_terminal_safe("-r crafted -v -s", out);
	for (size_t i = 0; i < N_NAMES; i++) {
		char shown[64];

		/* the event's COMM, the note's setter and the summary's PROCESS */
		snprintf(shown, sizeof(shown), "set by %s[%zu]", names[(i + 1) % N_NAMES].text,
			 200 + i);
		assert_true(line_with(out, names[i].text, shown));
		snprintf(shown, sizeof(shown), "%s[%zu]", names[i].text, 100 + i);
		assert_true(line_with(out, shown, "IPv6 only (V6ONLY)"));
	}
	assert_ran(((const char *[]){ "-r", path, "-j", "-s", NULL }));
	assert_json_lines("-r crafted -j -s", out);
	for (size_t i = 0; i < N_NAMES; i++) {
		char key[64];
		json_object *e, *set_by = NULL;

		snprintf(key, sizeof(key), "\"pid\":%zu,", 100 + i);
		e = parse_line_with(out, key);
		assert_non_null(e);
		assert_str(ev_str(e, "comm"), names[i].json);
		assert_true(json_object_object_get_ex(e, "v6only_set_by", &set_by));
		assert_str(ev_str(set_by, "comm"), names[(i + 1) % N_NAMES].json);
		assert_non_null(strstr(ev_str(e, "note"), names[(i + 1) % N_NAMES].json));
		json_object_put(e);
	}
}

int run_hostile_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_json),
		cmocka_unit_test(test_live_text),
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_crafted_recording),
	};

	return cmocka_run_group_tests_name("hostile", tests, setup, teardown);
}

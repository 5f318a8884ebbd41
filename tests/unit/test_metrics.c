// SPDX-License-Identifier: GPL-2.0
/* --metrics: the Prometheus text exposition, its numbers from decoded views, and its file. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "metrics.h"
#include "strbuf.h"
#include "summary.h"
#include "tmpdir.h"
#include "view.h"

#define NETNS 4026531840ULL

static struct v6t_sock_event event(unsigned int kind, unsigned int family, const char *local,
				   uint16_t port)
{
	struct v6t_sock_event e = {
		.hdr = { .type = V6T_REC_SOCK_EVENT, .size = sizeof(e) },
		.netns_ino = NETNS,
		.sock_ino = 1000 + port + family,
		.pid = 4242,
		.kind = kind,
		.family = family,
		.proto = V6T_IPPROTO_TCP,
		.local_port = port,
	};

	strcpy(e.comm, "httpd");
	if (family == V6T_AF_INET6) {
		assert_int_equal(inet_pton(AF_INET6, local, e.local_addr), 1);
	} else {
		/* an AF_INET address sits in the first four bytes */
		assert_int_equal(inet_pton(AF_INET, local, e.local_addr), 1);
	}
	return e;
}

/* An accept on e's listener from peer (an address of e's family). */
static void add_accept(struct v6t_summary *s, const struct v6t_sock_event *l, const char *peer)
{
	struct v6t_sock_event e = *l;

	e.kind = V6T_EV_ACCEPT;
	e.flags = V6T_F_HAS_PEER | V6T_F_HAS_LISTENER;
	memcpy(e.listen_addr, l->local_addr, 16);
	e.listen_port = l->local_port;
	assert_int_equal(inet_pton(l->family == V6T_AF_INET6 ? AF_INET6 : AF_INET, peer,
				   e.peer_addr), 1);
	summary_add(s, &e);
}

static void add_view(struct v6t_metrics *m, const struct v6t_sock_event *e)
{
	struct v6t_view v;

	v6t_decode(e, 0, &v);
	v6t_metrics_add(m, &v);
}

static void add_connect(struct v6t_metrics *m, unsigned int family, const char *peer, int err)
{
	struct v6t_sock_event e = event(V6T_EV_CONNECT, family,
					family == V6T_AF_INET6 ? "::1" : "127.0.0.1", 40000);

	e.flags = V6T_F_HAS_PEER;
	e.err = err;
	assert_int_equal(inet_pton(family == V6T_AF_INET6 ? AF_INET6 : AF_INET, peer, e.peer_addr), 1);
	add_view(m, &e);
}

static void add_refused(struct v6t_metrics *m, unsigned int family, uint16_t port,
			uint32_t suppressed)
{
	struct v6t_sock_event e = event(V6T_EV_REFUSED, family,
					family == V6T_AF_INET6 ? "::1" : "127.0.0.1", port);

	e.suppressed = suppressed;
	add_view(m, &e);
}

/* The exposition as a string (static: one at a time). */
static const char *exposition(const struct v6t_metrics *m, const struct v6t_summary *s,
			      uint64_t lost)
{
	static struct v6t_sink sink;
	static char out[65536];
	int fd = memfd_create("metrics", 0);
	ssize_t n;

	assert_true(fd >= 0);
	v6t_sink_init(&sink, fd);
	v6t_metrics_print(m, s, lost, &sink);
	assert_int_equal(v6t_sink_flush(&sink), 0);
	n = pread(fd, out, sizeof(out) - 1, 0);
	close(fd);
	assert_true(n > 0);
	out[n] = '\0';
	return out;
}

static void label(const char *in, size_t n, const char *want)
{
	char buf[256];
	struct strbuf sb = STRBUF_ON(buf);

	sb_prom_label(&sb, in, n);
	assert_string_equal(buf, want);
}

/* The format's three escapes; what is not UTF-8, or a control, becomes U+FFFD. */
static void test_label_escaping(void **state)
{
	(void)state;
	label("httpd", 5, "\"httpd\"");
	label("a\"b\\c\nd", 7, "\"a\\\"b\\\\c\\nd\"");
	label("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	label("\xff", 1, "\"\xef\xbf\xbd\"");
	label("x\xe2\x82", 3, "\"x\xef\xbf\xbd\"");
	label("\x1b[31m", 5, "\"\xef\xbf\xbd[31m\"");
	label("\xe2\x80\xae", 3, "\"\xef\xbf\xbd\"");
	label("\t\r", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	label("", 0, "\"\"");
}

/* The numbers of a set of events: accepts per listener by class, connects, refused, lost. */
static void test_numbers(void **state)
{
	struct v6t_summary *s = v6t_summary_new(false);
	struct v6t_metrics *m = v6t_metrics_new("unused");
	struct v6t_sock_event dual = event(V6T_EV_LISTEN, V6T_AF_INET6, "::", 80);
	struct v6t_sock_event four = event(V6T_EV_LISTEN, V6T_AF_INET, "0.0.0.0", 8080);
	const char *out;

	(void)state;
	assert_non_null(s);
	assert_non_null(m);
	summary_add(s, &dual);
	summary_add(s, &four);
	for (int i = 0; i < 3; i++)
		add_accept(s, &dual, "::ffff:192.0.2.1");
	add_accept(s, &dual, "2001:db8::1");
	add_accept(s, &dual, "2001:db8::2");
	add_accept(s, &four, "192.0.2.7");
	add_connect(m, V6T_AF_INET6, "::ffff:192.0.2.9", 0);
	add_connect(m, V6T_AF_INET6, "2001:db8::9", -EINPROGRESS);	/* under way: not failed */
	add_connect(m, V6T_AF_INET6, "2001:db8::9", 0);
	add_connect(m, V6T_AF_INET, "192.0.2.9", -ECONNREFUSED);	/* failed: not counted */
	add_refused(m, V6T_AF_INET, 22, 4);
	add_refused(m, V6T_AF_INET, 22, 0);
	add_refused(m, V6T_AF_INET6, 22, 0);
	out = exposition(m, s, 7);
	assert_non_null(strstr(out, "v6trace_accepts_total{netns=\"4026531840\",inode=\"1090\","
				    "address=\"::\",port=\"80\",proto=\"tcp\",family=\"inet6\","
				    "comm=\"httpd\",pid=\"4242\",peer_class=\"ipv4_mapped\"} 3\n"));
	assert_non_null(strstr(out, "family=\"inet6\",comm=\"httpd\",pid=\"4242\","
				    "peer_class=\"ipv6\"} 2\n"));
	assert_non_null(strstr(out, "address=\"::\",port=\"80\",proto=\"tcp\",family=\"inet6\","
				    "comm=\"httpd\",pid=\"4242\",peer_class=\"ipv4\"} 0\n"));
	assert_non_null(strstr(out, "address=\"0.0.0.0\",port=\"8080\",proto=\"tcp\",family=\"inet\","
				    "comm=\"httpd\",pid=\"4242\",peer_class=\"ipv4\"} 1\n"));
	assert_non_null(strstr(out, "v6trace_listener_v6only{netns=\"4026531840\",inode=\"1090\","
				    "address=\"::\",port=\"80\",proto=\"tcp\",family=\"inet6\","
				    "comm=\"httpd\",pid=\"4242\",source=\"default\"} 0\n"));
	assert_non_null(strstr(out, "port=\"8080\",proto=\"tcp\",family=\"inet\",comm=\"httpd\","
				    "pid=\"4242\",source=\"n/a\"} 0\n"));
	assert_non_null(strstr(out, "v6trace_connects_total{peer_class=\"ipv4_mapped\"} 1\n"
				    "v6trace_connects_total{peer_class=\"ipv4\"} 0\n"
				    "v6trace_connects_total{peer_class=\"ipv6\"} 2\n"));
	assert_non_null(strstr(out, "v6trace_refused_total{netns=\"4026531840\",port=\"22\","
				    "proto=\"tcp\",family=\"inet\"} 6\n"));
	assert_non_null(strstr(out, "v6trace_refused_total{netns=\"4026531840\",port=\"22\","
				    "proto=\"tcp\",family=\"inet6\"} 1\n"));
	assert_non_null(strstr(out, "\nv6trace_lost_events_total 7\n"));
	assert_non_null(strstr(out, "\nv6trace_accepts_unattributed_total 0\n"));
	v6t_metrics_free(m);
	v6t_summary_free(s);
}

/* Each sample's family has its HELP and TYPE lines before it, once. */
static void test_help_and_type(void **state)
{
	static const char *const families[][2] = {
		{ "v6trace_accepts_total", "counter" },
		{ "v6trace_accepts_unattributed_total", "counter" },
		{ "v6trace_listener_v6only", "gauge" },
		{ "v6trace_connects_total", "counter" },
		{ "v6trace_refused_total", "counter" },
		{ "v6trace_lost_events_total", "counter" },
	};
	struct v6t_summary *s = v6t_summary_new(false);
	struct v6t_metrics *m = v6t_metrics_new("unused");
	struct v6t_sock_event dual = event(V6T_EV_LISTEN, V6T_AF_INET6, "::", 80);
	char want[128];
	const char *out, *help, *type, *sample;

	(void)state;
	summary_add(s, &dual);
	add_refused(m, V6T_AF_INET, 22, 0);
	out = exposition(m, s, 0);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		snprintf(want, sizeof(want), "# HELP %s ", families[i][0]);
		help = strstr(out, want);
		assert_non_null(help);
		assert_null(strstr(help + 1, want));
		snprintf(want, sizeof(want), "\n# TYPE %s %s\n", families[i][0], families[i][1]);
		type = strstr(out, want);
		assert_non_null(type);
		assert_true(help < type);
		snprintf(want, sizeof(want), "\n%s", families[i][0]);
		sample = strstr(out, want);
		assert_non_null(sample);
		assert_true(type < sample);
	}
	assert_int_equal(out[strlen(out) - 1], '\n');
	v6t_metrics_free(m);
	v6t_summary_free(s);
}

/* A process names itself: quotes, backslashes, newlines and bytes that are not UTF-8. */
static void test_hostile_comm(void **state)
{
	struct v6t_summary *s = v6t_summary_new(false);
	struct v6t_metrics *m = v6t_metrics_new("unused");
	struct v6t_sock_event l = event(V6T_EV_LISTEN, V6T_AF_INET6, "::", 80);
	const char *out, *p;

	(void)state;
	memset(l.comm, 0, sizeof(l.comm));
	memcpy(l.comm, "a\"}\n\\x 1\xff\xc3", 10);
	summary_add(s, &l);
	out = exposition(m, s, 0);
	assert_non_null(strstr(out, ",comm=\"a\\\"}\\n\\\\x 1\xef\xbf\xbd\xef\xbf\xbd\",pid=\"4242\","
				    "peer_class=\"ipv4_mapped\"} 0\n"));
	/* every line is a comment or a sample: the name broke none */
	for (p = out; *p; p = strchr(p, '\n') + 1)
		assert_true(*p == '#' || !strncmp(p, "v6trace_", 8));
	v6t_metrics_free(m);
	v6t_summary_free(s);
}

static int write_file(const char *path)
{
	struct v6t_summary *s = v6t_summary_new(false);
	struct v6t_metrics *m = v6t_metrics_new(path);
	int err = v6t_metrics_write(m, s, 3);

	v6t_metrics_free(m);
	v6t_summary_free(s);
	return err;
}

/* Only the final name in the directory afterwards: no temporary file is left behind. */
static int entries(const char *d)
{
	char cmd[128];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", d);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &n), 1);
	pclose(f);
	return n;
}

/* New or not, the file is replaced whole, mode 0644 (node_exporter runs as its own user). */
static void test_file_replaced(void **state)
{
	char path[128], buf[4096];
	struct stat st, before;
	int fd;
	ssize_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/v6trace.prom", dir);
	assert_int_equal(write_file(path), 0);
	assert_int_equal(lstat(path, &before), 0);
	assert_true(S_ISREG(before.st_mode));
	assert_int_equal(before.st_mode & 07777, 0644);
	assert_int_equal(write_file(path), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_not_equal(st.st_ino, before.st_ino);	/* renamed over, not rewritten */
	assert_int_equal(entries(dir), 1);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "\nv6trace_lost_events_total 3\n"));
	unlink(path);
}

/* A link planted at the name is refused, and its target is not touched. */
static void test_file_symlink(void **state)
{
	char path[128], target[128];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/link.prom", dir);
	snprintf(target, sizeof(target), "%s/target", dir);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(write_file(path), -EPERM);
	assert_int_equal(lstat(target, &st), -1);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(entries(dir), 1);
	unlink(path);
}

/* Others could move what is in a directory they may write without the sticky bit. */
static void test_file_open_directory(void **state)
{
	char sub[128], path[160];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/open", dir);
	snprintf(path, sizeof(path), "%s/m.prom", sub);
	assert_int_equal(mkdir(sub, 0777), 0);
	assert_int_equal(chmod(sub, 0777), 0);
	assert_int_equal(write_file(path), -EPERM);
	assert_int_equal(entries(sub), 0);
	assert_int_equal(chmod(sub, 01777), 0);
	assert_int_equal(write_file(path), 0);
	unlink(path);
	rmdir(sub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_help_and_type),
		cmocka_unit_test(test_hostile_comm),
		cmocka_unit_test(test_file_replaced),
		cmocka_unit_test(test_file_symlink),
		cmocka_unit_test(test_file_open_directory),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}

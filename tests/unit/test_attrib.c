// SPDX-License-Identifier: GPL-2.0
/*
 * Attribution in user space: where V6ONLY came from, an accept whose listener is not known,
 * and summary rows that are listening sockets, not addresses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "output.h"
#include "summary.h"
#include "view.h"

static struct v6t_sock_event ev(unsigned int kind, const char *local)
{
	struct v6t_sock_event e = {
		.hdr = { .type = V6T_REC_SOCK_EVENT, .size = sizeof(e) },
		.netns_ino = 4026531840ULL,
		.pid = 4242,
		.kind = kind,
		.family = V6T_AF_INET6,
		.proto = V6T_IPPROTO_TCP,
		.local_port = 8080,
		.backend = V6T_BACKEND_TRACEPOINT,
	};

	assert_int_equal(inet_pton(AF_INET6, local, e.local_addr), 1);
	strcpy(e.comm, "httpd");
	return e;
}

static void listener_of(struct v6t_sock_event *e, const char *addr, uint64_t ino)
{
	assert_int_equal(inet_pton(AF_INET6, addr, e->listen_addr), 1);
	e->listen_port = e->local_port;
	e->sock_ino = ino;
	e->flags |= V6T_F_HAS_LISTENER;
}

/* bind() to one IPv6 address sets V6ONLY (__inet6_bind): the source is that address. */
static void test_source_bind_address(void **state)
{
	struct v6t_sock_event e = ev(V6T_EV_BIND, "::1");

	(void)state;
	e.v6only = 1;
	assert_string_equal(source_of(&e), "bind-address");
	/* whatever the sysctl says */
	e.sysctl_v6only = 1;
	assert_string_equal(source_of(&e), "bind-address");
	e.sysctl_v6only = 0;
	/* a setsockopt this tracer saw set it (BPF drops the setter if V6ONLY changed since) */
	e.flags |= V6T_F_SETTER_KNOWN;
	assert_string_equal(source_of(&e), "setsockopt");
	e.flags = 0;
	/* a failed bind leaves V6ONLY as it was: the address did not set it */
	e.err = -EADDRINUSE;
	assert_string_equal(source_of(&e), "setsockopt");
	e.err = 0;
	/* :: and ::ffff:0:0/96 do not set it */
	e = ev(V6T_EV_BIND, "::");
	e.v6only = 1;
	assert_string_equal(source_of(&e), "setsockopt");
	e.sysctl_v6only = 1;
	assert_string_equal(source_of(&e), "sysctl");
	e = ev(V6T_EV_LISTEN, "::ffff:127.0.0.1");
	assert_string_equal(source_of(&e), "default");
	e.family = V6T_AF_INET;
	assert_string_equal(source_of(&e), "n/a");
}

/* Only where the address shown is the bound one. */
static void test_source_bound_address_only(void **state)
{
	struct v6t_sock_event e = ev(V6T_EV_CONNECT, "2001:db8::1");

	(void)state;
	e.v6only = 1;
	/* a connect's source address is the route's choice, not a bind */
	assert_string_equal(source_of(&e), "setsockopt");
	e.kind = V6T_EV_LISTEN;
	assert_string_equal(source_of(&e), "bind-address");
	e.kind = V6T_EV_SOCKET;
	assert_string_equal(source_of(&e), "bind-address");
	/* a UDP socket found connected: its address may be connect()'s */
	e.proto = V6T_IPPROTO_UDP;
	assert_string_equal(source_of(&e), "bind-address");
	e.flags |= V6T_F_HAS_PEER;
	assert_string_equal(source_of(&e), "setsockopt");
	/* an accept: its listener's address, when known */
	e = ev(V6T_EV_ACCEPT, "::1");
	e.v6only = 1;
	e.flags = V6T_F_HAS_PEER | V6T_F_LISTENER_UNKNOWN;
	assert_string_equal(source_of(&e), "setsockopt");
	e.flags = V6T_F_HAS_PEER;
	listener_of(&e, "::1", 77);
	assert_string_equal(source_of(&e), "bind-address");
}

static void render(const struct v6t_sock_event *e, char *text, char *json)
{
	struct v6t_view v;
	char tb[V6T_LINE_MAX], jb[V6T_LINE_MAX];
	struct strbuf ts = STRBUF_ON(tb), js = STRBUF_ON(jb);

	view_of(e, 0, &v);
	v6t_text_row(&ts, V6T_ROW_EVENT, &v, 0);
	v6t_json_row(&js, V6T_ROW_EVENT, &v);
	strcpy(text, tb);
	strcpy(json, jb);
}

/* The explanation of a V6ONLY the kernel set at bind(). */
static void test_note_bind_address(void **state)
{
	struct v6t_sock_event e = ev(V6T_EV_LISTEN, "::1");
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	e.v6only = 1;
	render(&e, text, json);
	assert_non_null(strstr(text, " yes:bind-address IPv6-only listener; V6ONLY=1 set by the "
				     "kernel: bound to one IPv6 address, the socket can never take "
				     "IPv4\n"));
	assert_non_null(strstr(json, "\"v6only_source\":\"bind-address\",\"v6only_set_by\":null,"));
}

/* An accept whose listener is not known names none: no address made up from its own. */
static void test_accept_listener_unknown(void **state)
{
	struct v6t_sock_event e = ev(V6T_EV_ACCEPT, "::ffff:127.0.0.1");
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "::ffff:127.0.0.2", e.peer_addr), 1);
	e.peer_port = 40000;
	e.flags = V6T_F_HAS_PEER | V6T_F_LISTENER_UNKNOWN;
	e.pid = 0;
	e.comm[0] = '\0';
	render(&e, text, json);
	assert_non_null(strstr(text, "::ffff:127.0.0.2 = IPv4 127.0.0.2 on port 8080: "
				     "listener not known\n"));
	assert_non_null(strstr(json, "\"listener_addr\":null,\"listener_port\":null,"));
	assert_non_null(strstr(json, "\"note\":\"::ffff:127.0.0.2 = IPv4 127.0.0.2 on port 8080: "
				     "listener not known\""));
	/* a known one, as before */
	e.flags = V6T_F_HAS_PEER;
	listener_of(&e, "::", 5);
	render(&e, text, json);
	assert_non_null(strstr(text, "IPv4 127.0.0.2 via dual-stack [::]:8080\n"));
	assert_non_null(strstr(json, "\"listener_addr\":\"::\",\"listener_port\":8080,"));
}

static void summary_json(const struct v6t_summary *sum, char *out, size_t size)
{
	static struct v6t_sink sink;
	int fds[2];
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	v6t_sink_init(&sink, fds[1]);
	v6t_summary_print(sum, &sink, 1);
	assert_int_equal(v6t_sink_flush(&sink), 0);
	close(fds[1]);
	n = read(fds[0], out, size - 1);
	close(fds[0]);
	assert_true(n > 0);
	out[n] = '\0';
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

/*
 * Two sockets on one address and port (SO_REUSEPORT), two owners: a row each, accepts and
 * kernel counts to the socket that took them; an accept on a listener not known, no row.
 */
static void test_summary_rows_are_sockets(void **state)
{
	struct v6t_sock_event a = ev(V6T_EV_LISTEN, "::"), b = a, acc;
	struct v6t_count_key k = { .netns_ino = a.netns_ino, .sock_ino = 11, .port = 8080,
				   .family = V6T_AF_INET6 };
	struct v6t_accept_counts c = { .ipv6 = 4 };
	struct v6t_summary *sum = v6t_summary_new(false);
	char out[4096];

	(void)state;
	assert_non_null(sum);
	a.sock_ino = 11;
	b.sock_ino = 12;
	b.pid = 4343;
	strcpy(b.comm, "worker2");
	summary_add(sum, &a);
	summary_add(sum, &b);
	acc = ev(V6T_EV_ACCEPT, "::1");
	acc.pid = 4343;
	acc.flags = V6T_F_HAS_PEER;
	assert_int_equal(inet_pton(AF_INET6, "::1", acc.peer_addr), 1);
	listener_of(&acc, "::", 12);
	summary_add(sum, &acc);
	v6t_summary_add_counts(sum, &k, &c);
	acc.flags = V6T_F_HAS_PEER | V6T_F_LISTENER_UNKNOWN;
	acc.sock_ino = 0;
	acc.pid = 0;
	memset(acc.listen_addr, 0, sizeof(acc.listen_addr));
	acc.listen_port = 0;
	assert_int_equal(inet_pton(AF_INET6, "::1", acc.local_addr), 1);
	summary_add(sum, &acc);
	summary_json(sum, out, sizeof(out));
	v6t_summary_free(sum);

	assert_int_equal(count(out, "\"event\":\"summary\""), 2);
	assert_non_null(strstr(out, "\"local_port\":8080,\"netns\":4026531840,\"inode\":11,\"pid\":4242,"
				    "\"comm\":\"httpd\",\"v6only\":false,"
				    "\"v6only_source\":\"default\",\"accepts_ipv4_mapped\":0,"
				    "\"accepts_ipv4\":0,\"accepts_ipv6\":4,"));
	assert_non_null(strstr(out, "\"local_port\":8080,\"netns\":4026531840,\"inode\":12,\"pid\":4343,"
				    "\"comm\":\"worker2\",\"v6only\":false,"
				    "\"v6only_source\":\"default\",\"accepts_ipv4_mapped\":0,"
				    "\"accepts_ipv4\":0,\"accepts_ipv6\":1,"));
	assert_null(strstr(out, "\"local_addr\":\"::1\""));
	assert_non_null(strstr(out, "{\"event\":\"summary_unknown\","
				    "\"unknown_listener_accepts\":1}\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_bind_address),
		cmocka_unit_test(test_source_bound_address_only),
		cmocka_unit_test(test_note_bind_address),
		cmocka_unit_test(test_accept_listener_unknown),
		cmocka_unit_test(test_summary_rows_are_sockets),
	};

	return cmocka_run_group_tests_name("attrib", tests, NULL, NULL);
}

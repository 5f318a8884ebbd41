// SPDX-License-Identifier: GPL-2.0
/* Decoding and rendering: exact text and JSON lines for known events. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <unistd.h>
#include "output.h"
#include "summary.h"
#include "view.h"

/* 2026-11-24T10:00:01.123456789Z, as boot time 5 s plus an offset */
#define BOOT_NS 5000000000ULL
#define WALL_NS 1795514401123456789ULL

static struct v6t_sock_event base(unsigned int kind, unsigned int family)
{
	struct v6t_sock_event e = {
		.hdr = { .type = V6T_REC_SOCK_EVENT, .size = sizeof(e) },
		.ts_boot_ns = BOOT_NS,
		.netns_ino = 4026531840ULL,
		.cgroup_id = 7,
		.pid = 4242,
		.tid = 4243,
		.uid = 33,
		.kind = kind,
		.family = family,
		.proto = V6T_IPPROTO_TCP,
		.backend = V6T_BACKEND_TRACEPOINT,
	};

	strcpy(e.comm, "httpd");
	return e;
}

static void set6(uint8_t *dst, const char *text)
{
	assert_int_equal(inet_pton(AF_INET6, text, dst), 1);
}

static void render(const struct v6t_sock_event *e, char *text, char *json)
{
	struct v6t_view v;
	char tb[V6T_LINE_MAX], jb[V6T_LINE_MAX];
	struct strbuf ts = STRBUF_ON(tb), js = STRBUF_ON(jb);

	view_of(e, (int64_t)(WALL_NS - BOOT_NS), &v);
	v6t_text_row(&ts, V6T_ROW_EVENT, &v, 0);
	v6t_json_row(&js, V6T_ROW_EVENT, &v);
	strcpy(text, tb);
	strcpy(json, jb);
}

static struct v6t_sock_event mapped_accept(void)
{
	struct v6t_sock_event e = base(V6T_EV_ACCEPT, V6T_AF_INET6);

	set6(e.local_addr, "::ffff:10.0.0.1");
	set6(e.peer_addr, "::ffff:10.0.0.20");
	set6(e.listen_addr, "::");
	e.local_port = 80;
	e.peer_port = 51234;
	e.listen_port = 80;
	e.flags = V6T_F_HAS_PEER | V6T_F_HAS_LISTENER;
	return e;
}

static void test_text_mapped_accept(void **state)
{
	struct v6t_sock_event e = mapped_accept();
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	render(&e, text, json);
	assert_string_equal(text,
		"10:00:01.123456 4242    httpd            accept     tcp6  [::ffff:10.0.0.1]:80      "
		"[::ffff:10.0.0.20]:51234  no:default     "
		"::ffff:10.0.0.20 = IPv4 10.0.0.20 via dual-stack [::]:80\n");
}

static void test_json_mapped_accept(void **state)
{
	struct v6t_sock_event e = mapped_accept();
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	render(&e, text, json);
	assert_string_equal(json,
		"{\"time\":\"2026-11-24T10:00:01.123456789Z\",\"event\":\"accept\",\"pid\":4242,"
		"\"tid\":4243,\"uid\":33,\"comm\":\"httpd\",\"netns\":4026531840,\"cgroup\":7,\"inode\":0,"
		"\"proto\":\"tcp\",\"family\":\"inet6\",\"local_addr\":\"::ffff:10.0.0.1\","
		"\"local_port\":80,\"peer_addr\":\"::ffff:10.0.0.20\",\"peer_port\":51234,"
		"\"v6only\":false,\"v6only_source\":\"default\",\"v6only_set_by\":null,"
		"\"bindv6only\":0,\"requested\":null,\"reuseaddr\":null,\"reuseport\":null,"
		"\"freebind\":null,\"bound_dev\":null,\"mapped\":true,\"ipv4\":\"10.0.0.20\",\"listener_addr\":\"::\","
		"\"listener_port\":80,\"error\":null,\"suppressed\":null,"
		"\"note\":\"::ffff:10.0.0.20 = IPv4 10.0.0.20 via dual-stack [::]:80\","
		"\"hint\":null,"
		"\"backend\":\"tracepoint\"}\n");
}

static void test_v6only_failure(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_V6ONLY, V6T_AF_INET6);
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];
	json_object *obj, *v;

	(void)state;
	e.err = -22;
	e.requested = 1;
	e.local_port = 8080;
	render(&e, text, json);
	assert_non_null(strstr(text, " v6only     tcp6  [::]:8080 "));
	assert_non_null(strstr(text, "setsockopt(IPV6_V6ONLY, 1) failed: EINVAL: already bound to [::]:8080, "
				     "set it before bind(); stays dual-stack\n"));
	obj = json_tokener_parse(json);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "error", &v));
	assert_string_equal(json_object_get_string(v), "EINVAL");
	assert_true(json_object_object_get_ex(obj, "requested", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(obj);
}

static void test_setter_named(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_LISTEN, V6T_AF_INET6);
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	e.v6only = 1;
	e.local_port = 22;
	e.flags = V6T_F_SETTER_KNOWN;
	e.setter_pid = 100;
	strcpy(e.setter_comm, "sshd");
	render(&e, text, json);
	assert_non_null(strstr(text, "yes:setsockopt IPv6-only listener; V6ONLY=1 set by sshd[100]\n"));
	assert_non_null(strstr(json, "\"v6only_set_by\":{\"pid\":100,\"comm\":\"sshd\"}"));
	assert_non_null(strstr(json, "\"peer_addr\":null,\"peer_port\":null"));
}

static void test_bind_eaddrinuse_ipv4(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_BIND, V6T_AF_INET);
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	e.err = -98;
	e.proto = V6T_IPPROTO_UDP;
	e.local_port = 53;
	inet_pton(AF_INET, "127.0.0.53", e.local_addr);
	render(&e, text, json);
	assert_non_null(strstr(text, " bind       udp   127.0.0.53:53 "));
	assert_non_null(strstr(text, " -              failed: EADDRINUSE\n"));
	assert_non_null(strstr(json, "\"family\":\"inet\",\"local_addr\":\"127.0.0.53\""));
	assert_non_null(strstr(json, "\"v6only\":false,\"v6only_source\":\"n/a\""));
	assert_non_null(strstr(json, "\"error\":\"EADDRINUSE\""));
}

/*
 * The options read at bind and listen: JSON has each, text names the two that explain a
 * shared port or a foreign address; a record without them (an older recording) has nulls.
 */
static void test_bind_sockopts(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_BIND, V6T_AF_INET6);
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	set6(e.local_addr, "::");
	e.local_port = 80;
	e.sockopts = V6T_SO_KNOWN | V6T_SO_REUSEADDR | V6T_SO_REUSEPORT;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"reuseaddr\":true,\"reuseport\":true,\"freebind\":false,"));
	assert_non_null(strstr(text, "; with SO_REUSEPORT\n"));

	e.kind = V6T_EV_LISTEN;
	e.sockopts = V6T_SO_KNOWN | V6T_SO_FREEBIND | V6T_SO_REUSEPORT;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"reuseaddr\":false,\"reuseport\":true,\"freebind\":true,"));
	assert_non_null(strstr(text, "; with SO_REUSEPORT, IP_FREEBIND\n"));

	e.sockopts = V6T_SO_KNOWN | V6T_SO_REUSEADDR;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"reuseaddr\":true,\"reuseport\":false,\"freebind\":false,"));
	assert_null(strstr(text, "; with"));

	e.sockopts = V6T_SO_REUSEADDR;	/* not read: bits without V6T_SO_KNOWN mean nothing */
	render(&e, text, json);
	assert_non_null(strstr(json, "\"reuseaddr\":null,\"reuseport\":null,\"freebind\":null,"
				     "\"bound_dev\":null,"));

	e.kind = V6T_EV_ACCEPT;		/* nor on an event that does not read them */
	e.sockopts = V6T_SO_KNOWN | V6T_SO_REUSEPORT;
	e.bound_dev_if = 2;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"reuseport\":null,\"freebind\":null,\"bound_dev\":null,"));
	assert_null(strstr(text, "; with"));
}

/*
 * SO_BINDTODEVICE's interface by name; an interface name is chosen by whoever made it (any
 * byte but '/', ':' and spaces), so both formats escape it; "ifindex N" without a name.
 */
static void test_bound_dev(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_BIND, V6T_AF_INET);
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	e.local_port = 53;
	e.sockopts = V6T_SO_KNOWN;
	e.bound_dev_if = 7;
	memcpy(e.bound_dev, "eth0", 4);
	render(&e, text, json);
	assert_non_null(strstr(json, "\"freebind\":false,\"bound_dev\":\"eth0\","));
	assert_non_null(strstr(text, "IPv4 socket; with SO_BINDTODEVICE eth0\n"));

	memcpy(e.bound_dev, "\033[2Jx\"y\x7fzzzzzzzzz", 16);	/* 16 bytes, no NUL */
	render(&e, text, json);
	assert_non_null(strstr(json, "\"bound_dev\":\"\\u001b[2Jx\\\"y\\u007fzzzzzzzz\","));
	assert_null(strchr(text, '\033'));
	assert_null(strchr(text, '\x7f'));
	assert_non_null(strstr(text, "; with SO_BINDTODEVICE "));

	memset(e.bound_dev, 0, sizeof(e.bound_dev));
	e.kind = V6T_EV_LISTEN;
	e.sockopts = V6T_SO_KNOWN | V6T_SO_REUSEPORT;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"bound_dev\":\"ifindex 7\","));
	assert_non_null(strstr(text, "; with SO_REUSEPORT, SO_BINDTODEVICE ifindex 7\n"));
}

/* The failed binds people meet, each explained with the way past it. */
static void test_bind_failures_explained(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_BIND, V6T_AF_INET);
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	e.err = -EACCES;
	e.local_port = 80;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"note\":\"failed: EACCES: port 80 is below "
				     "net.ipv4.ip_unprivileged_port_start (1024 unless set): binding it "
				     "needs CAP_NET_BIND_SERVICE\""));
	e.local_port = 8080;	/* above the default: the sysctl was raised, or an LSM said no */
	render(&e, text, json);
	assert_non_null(strstr(json, "\"note\":\"failed: EACCES\""));

	e.err = -EADDRNOTAVAIL;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.1", e.local_addr), 1);
	render(&e, text, json);
	assert_non_null(strstr(json, "\"note\":\"failed: EADDRNOTAVAIL: 192.0.2.1 is no address "
				     "of this namespace; IP_FREEBIND (or the ip_nonlocal_bind sysctl) "
				     "binds it before it exists\""));
	e.sockopts = V6T_SO_KNOWN | V6T_SO_FREEBIND;	/* it had it: some other cause */
	render(&e, text, json);
	assert_non_null(strstr(json, "\"note\":\"failed: EADDRNOTAVAIL; with IP_FREEBIND\""));

	e.err = -EINVAL;
	e.sockopts = 0;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"note\":\"failed: EINVAL: the socket is bound already "
				     "(bind works once), or the address is not of its family\""));
}

/* A refused packet: no process, no V6ONLY; suppressed in JSON and the note; the exit tally. */
static void test_refused(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_REFUSED, V6T_AF_INET);
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];

	(void)state;
	e.pid = e.tid = e.uid = 0;
	e.cgroup_id = 0;
	memset(e.comm, 0, sizeof(e.comm));
	e.err = -ECONNREFUSED;
	e.flags = V6T_F_HAS_PEER;
	assert_int_equal(inet_pton(AF_INET, "10.0.0.1", e.local_addr), 1);
	assert_int_equal(inet_pton(AF_INET, "10.0.0.5", e.peer_addr), 1);
	e.local_port = 8080;
	e.peer_port = 51234;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"event\":\"refused\",\"pid\":0,"));
	assert_non_null(strstr(json, "\"v6only\":false,\"v6only_source\":\"n/a\","));
	assert_non_null(strstr(json, "\"error\":\"ECONNREFUSED\",\"suppressed\":0,"));
	assert_non_null(strstr(json, "\"note\":\"IPv4 SYN from 10.0.0.5:51234 to 10.0.0.1:8080 "
				     "refused: no socket on the port takes IPv4 to this address\""));
	assert_non_null(strstr(text, " refused    tcp   10.0.0.1:8080             10.0.0.5:51234 "));

	e.family = V6T_AF_INET6;
	e.proto = V6T_IPPROTO_UDP;
	set6(e.local_addr, "::1");
	set6(e.peer_addr, "::1");
	e.suppressed = 41;
	render(&e, text, json);
	assert_non_null(strstr(json, "\"v6only\":false,\"v6only_source\":\"n/a\","));
	assert_non_null(strstr(json, "\"suppressed\":41,"));
	assert_non_null(strstr(json, "\"note\":\"IPv6 datagram from [::1]:51234 to [::1]:8080 "
				     "refused: no socket on the port takes IPv6 to this address (and 41 "
				     "more since the last report)\""));

	e.flags = V6T_F_TALLY;	/* at exit: the packets still counted, without a peer */
	e.suppressed = UINT32_MAX;	/* 2^32 packets: not wrapped */
	render(&e, text, json);
	assert_non_null(strstr(json, "\"peer_addr\":null,\"peer_port\":null,"));
	assert_non_null(strstr(json, "\"note\":\"4294967296 more IPv6 datagrams to [::1]:8080 "
				     "refused since the last report\""));
}

/* comm is chosen by whoever runs the traced program: JSON must stay valid whatever it holds */
static void test_hostile_comm_is_escaped(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_BIND, V6T_AF_INET6);
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];
	json_object *obj, *v;

	(void)state;
	memcpy(e.comm, "a\"b\\c\n\x01\xff\x7f", 10);
	render(&e, text, json);
	obj = json_tokener_parse(json);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "comm", &v));
	/* every byte back but the invalid 0xff, which is U+FFFD (3 bytes) */
	assert_int_equal(json_object_get_string_len(v), 11);
	assert_non_null(strstr(json, "\"comm\":\"a\\\"b\\\\c\\n\\u0001\\ufffd\\u007f\""));
	json_object_put(obj);
	/* a terminal gets no control bytes: a name cannot move the cursor or recolour */
	assert_non_null(strstr(text, " a\"b\\c???? "));
	for (const char *c = text; *c; c++)
		assert_true(*c == '\n' || (unsigned char)*c >= 0x20);
	/* a full 16-byte comm without NUL is cut at 16, not read past */
	memset(e.comm, 'x', sizeof(e.comm));
	render(&e, text, json);
	assert_non_null(strstr(json, "\"comm\":\"xxxxxxxxxxxxxxxx\""));
	/* the setter's name goes into the note: the note is escaped too */
	e.flags = V6T_F_SETTER_KNOWN;
	e.setter_pid = 7;
	memcpy(e.setter_comm, "q\"r\\s\xfe", 6);
	render(&e, text, json);
	obj = json_tokener_parse(json);
	assert_non_null(obj);
	json_object_put(obj);
	assert_non_null(strstr(json, "set by q\\\"r\\\\s\\ufffd[7]\""));
	assert_non_null(strstr(text, "set by q\"r\\s?[7]\n"));
}

/* Every event has every key: what it lacks is null (or false), never left out. */
static void test_every_key_on_every_event(void **state)
{
	static const unsigned int kinds[] = { V6T_EV_BIND, V6T_EV_V6ONLY, V6T_EV_LISTEN,
					      V6T_EV_ACCEPT, V6T_EV_SOCKET, V6T_EV_CONNECT,
					      V6T_EV_UDP_MAPPED };
	char text[V6T_LINE_MAX], json[V6T_LINE_MAX];
	int keys = -1;

	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct v6t_sock_event e = base(kinds[i], V6T_AF_INET6);
		json_object *obj;

		render(&e, text, json);
		obj = json_tokener_parse(json);
		assert_non_null(obj);
		if (keys < 0)
			keys = json_object_object_length(obj);
		assert_int_equal(json_object_object_length(obj), keys);
		json_object_put(obj);
		if (kinds[i] != V6T_EV_ACCEPT)
			assert_non_null(strstr(json, "\"listener_addr\":null,\"listener_port\":null,"));
		if (kinds[i] != V6T_EV_V6ONLY)
			assert_non_null(strstr(json, "\"bindv6only\":0,\"requested\":null,"));
	}
}

static void test_lost_lines(void **state)
{
	char buf[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(buf);
	struct v6t_view v;

	(void)state;
	v6t_view_lost(&v, WALL_NS, 5, 12, false);
	v6t_json_row(&sb, V6T_ROW_LOST, &v);
	assert_string_equal(buf, "{\"time\":\"2026-11-24T10:00:01.123456789Z\",\"event\":\"lost\",\"count\":5,\"total\":12}\n");
	sb_reset(&sb);
	v6t_text_row(&sb, V6T_ROW_LOST, &v, 0);
	assert_non_null(strstr(buf, "lost 5 events (ring buffer full; try a larger --buffer-size), 12 in total\n"));
	/* a row where the events are: TIME and EVENT in their columns, the gap in NOTE's */
	assert_memory_equal(buf, "10:00:01.123456 ", 16);
	assert_memory_equal(buf + 41, "lost ", 5);
	assert_memory_equal(buf + 125, "lost 5 events", 13);
	sb_reset(&sb);
	v6t_view_lost(&v, WALL_NS, 5, 12, true);
	v6t_text_row(&sb, V6T_ROW_LOST, &v, 0);
	assert_non_null(strstr(buf, "lost 5 events (the recorder's ring buffer was full"));
	/* with no display, a line for stderr */
	sb_reset(&sb);
	v6t_lost_warning(&sb, &v);
	assert_string_equal(buf, "v6trace: lost 5 events (the recorder's ring buffer was full: the "
				 "recording misses them), 12 in total\n");
}

/* colour marks the note only, and only where it matters */
static void test_color(void **state)
{
	struct v6t_sock_event e = mapped_accept();
	char tb[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(tb);
	struct v6t_view v;

	(void)state;
	view_of(&e, 0, &v);
	v6t_text_row(&sb, V6T_ROW_EVENT, &v, V6T_OUT_COLOR);
	assert_non_null(strstr(tb, "\033[1;33m::ffff:10.0.0.20 = IPv4 10.0.0.20 via dual-stack [::]:80\033[0m\n"));
	e = base(V6T_EV_V6ONLY, V6T_AF_INET6);
	e.err = -22;
	e.requested = 1;
	view_of(&e, 0, &v);
	sb_reset(&sb);
	v6t_text_row(&sb, V6T_ROW_EVENT, &v, V6T_OUT_COLOR);
	assert_non_null(strstr(tb, "\033[1;31msetsockopt(IPV6_V6ONLY, 1) failed"));
	e = base(V6T_EV_BIND, V6T_AF_INET);	/* nothing to point out */
	view_of(&e, 0, &v);
	sb_reset(&sb);
	v6t_text_row(&sb, V6T_ROW_EVENT, &v, V6T_OUT_COLOR);
	assert_null(strchr(tb, '\033'));
}

static void test_header(void **state)
{
	char buf[256];
	struct strbuf sb = STRBUF_ON(buf);

	(void)state;
	v6t_text_header(&sb, V6T_ROW_EVENT);
	assert_string_equal(buf, "TIME            PID     COMM             EVENT      PROTO LOCAL                     "
				 "PEER                      V6ONLY         NOTE\n");
}

static int utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/*
 * -s -q: the kernel counts a listener's accepts after the first, which arrives as a record
 * and describes the listener; the counts add to it. Counts for a listener whose first record
 * never arrived (lost) still show, with its owner unknown.
 */
static void test_summary_counts(void **state)
{
	struct v6t_sock_event e = base(V6T_EV_ACCEPT, V6T_AF_INET6);
	struct v6t_count_key k = { .netns_ino = e.netns_ino, .port = 80, .family = V6T_AF_INET6 };
	struct v6t_accept_counts c = { .ipv4_mapped = 5, .ipv6 = 2 };
	static struct v6t_sink sink;
	struct v6t_summary *sum = v6t_summary_new(false);
	char out[4096];
	int fds[2];
	ssize_t n;

	(void)state;
	assert_non_null(sum);
	e.flags = V6T_F_HAS_PEER | V6T_F_HAS_LISTENER;
	set6(e.local_addr, "::ffff:192.0.2.10");
	set6(e.peer_addr, "::ffff:192.0.2.1");
	e.local_port = e.listen_port = 80;
	summary_add(sum, &e);
	v6t_summary_add_counts(sum, &k, &c);
	k.port = 81;
	c = (struct v6t_accept_counts){ .ipv6 = 3 };
	v6t_summary_add_counts(sum, &k, &c);
	assert_int_equal(pipe(fds), 0);
	v6t_sink_init(&sink, fds[1]);
	v6t_summary_print(sum, &sink, 1);
	assert_int_equal(v6t_sink_flush(&sink), 0);
	close(fds[1]);
	n = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	assert_true(n > 0);
	out[n] = '\0';
	assert_non_null(strstr(out, "\"local_addr\":\"::\",\"local_port\":80,\"netns\":4026531840,"
				    "\"inode\":0,\"pid\":4242,\"comm\":\"httpd\",\"v6only\":false,"
				    "\"v6only_source\":\"default\","
				    "\"accepts_ipv4_mapped\":6,\"accepts_ipv4\":0,\"accepts_ipv6\":2,"));
	assert_non_null(strstr(out, "\"local_addr\":\"::\",\"local_port\":81,\"netns\":4026531840,"
				    "\"inode\":0,\"pid\":0,\"comm\":\"?\",\"v6only\":false,\"v6only_source\":\"unknown\","
				    "\"accepts_ipv4_mapped\":0,\"accepts_ipv4\":0,\"accepts_ipv6\":3,"));
	v6t_summary_free(sum);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_mapped_accept),
		cmocka_unit_test(test_json_mapped_accept),
		cmocka_unit_test(test_v6only_failure),
		cmocka_unit_test(test_setter_named),
		cmocka_unit_test(test_bind_eaddrinuse_ipv4),
		cmocka_unit_test(test_bind_sockopts),
		cmocka_unit_test(test_bound_dev),
		cmocka_unit_test(test_bind_failures_explained),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_hostile_comm_is_escaped),
		cmocka_unit_test(test_every_key_on_every_event),
		cmocka_unit_test(test_lost_lines),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_summary_counts),
	};

	return cmocka_run_group_tests_name("output", tests, utc, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The one classifier: what a socket takes by family, address and V6ONLY, what its peer is,
 * and what the display points out. The notes, verdicts, colours and filters read it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "classify.h"
#include "note.h"

/* the class of a socket listening on addr */
static enum v6t_sock_class sock(uint16_t family, const uint8_t *addr, bool v6only)
{
	struct v6t_sock_event e = { .kind = V6T_EV_LISTEN, .family = family, .v6only = v6only };
	struct v6t_class c;

	memcpy(e.local_addr, addr, 16);
	v6t_classify(&e, &c);
	return c.sock;
}

static enum v6t_sock_class sock6(const char *text, bool v6only)
{
	uint8_t a[16];

	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
	return sock(V6T_AF_INET6, a, v6only);
}

static void test_sock_inet6(void **state)
{
	(void)state;
	assert_int_equal(sock6("::", false), V6T_SOCK_DUALSTACK);
	assert_int_equal(sock6("::", true), V6T_SOCK_V6ONLY);
	assert_int_equal(sock6("::1", false), V6T_SOCK_IPV6);
	assert_int_equal(sock6("::1", true), V6T_SOCK_V6ONLY);
	assert_int_equal(sock6("2001:db8::1", false), V6T_SOCK_IPV6);
	/* ::a.b.c.d (deprecated v4-compatible) carries no IPv4 traffic: one IPv6 address */
	assert_int_equal(sock6("::10.0.0.20", false), V6T_SOCK_IPV6);
	/* a v4-mapped address takes IPv4 only, V6ONLY or not */
	assert_int_equal(sock6("::ffff:10.0.0.20", false), V6T_SOCK_V4MAPPED);
	assert_int_equal(sock6("::ffff:0.0.0.0", true), V6T_SOCK_V4MAPPED);
	/* one bit off the mapped prefix is not mapped; NAT64 is not mapped either */
	assert_int_equal(sock6("::fffe:10.0.0.20", false), V6T_SOCK_IPV6);
	assert_int_equal(sock6("1::ffff:10.0.0.20", false), V6T_SOCK_IPV6);
	assert_int_equal(sock6("64:ff9b::10.0.0.20", false), V6T_SOCK_IPV6);
}

/* the same bytes on an AF_INET socket (or a family no kernel sends) are IPv4 */
static void test_sock_inet(void **state)
{
	uint8_t a[16] = {};

	(void)state;
	assert_int_equal(sock(V6T_AF_INET, a, false), V6T_SOCK_IPV4);
	assert_int_equal(inet_pton(AF_INET6, "::ffff:10.0.0.20", a), 1);
	assert_int_equal(sock(V6T_AF_INET, a, true), V6T_SOCK_IPV4);
	assert_int_equal(sock(0, a, false), V6T_SOCK_IPV4);
}

static struct v6t_sock_event event(unsigned int kind, const char *local, const char *peer)
{
	struct v6t_sock_event e = { .kind = kind, .family = V6T_AF_INET6, .proto = V6T_IPPROTO_TCP };

	assert_int_equal(inet_pton(AF_INET6, local, e.local_addr), 1);
	if (peer) {
		assert_int_equal(inet_pton(AF_INET6, peer, e.peer_addr), 1);
		e.flags |= V6T_F_HAS_PEER;
	}
	return e;
}

static struct v6t_class classify(const struct v6t_sock_event *e)
{
	struct v6t_class c;

	v6t_classify(e, &c);
	return c;
}

/* An accept: its peer, and its listener by the listener's own address. */
static void test_accept(void **state)
{
	struct v6t_sock_event e = event(V6T_EV_ACCEPT, "::ffff:10.0.0.1", "::ffff:10.0.0.20");
	struct v6t_class c;

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "::", e.listen_addr), 1);
	e.flags |= V6T_F_HAS_LISTENER;
	c = classify(&e);
	assert_int_equal(c.peer, V6T_PEER_MAPPED);
	assert_int_equal(c.sock, V6T_SOCK_V4MAPPED);
	assert_int_equal(c.listener, V6T_SOCK_DUALSTACK);
	assert_true(c.dualstack);
	assert_int_equal(c.emphasis, V6T_EMPH_MAPPED);
	/* a listener not known: none to classify, the socket's own class stands in */
	e.flags = V6T_F_HAS_PEER | V6T_F_LISTENER_UNKNOWN;
	assert_int_equal(classify(&e).listener, V6T_SOCK_V4MAPPED);
	e = event(V6T_EV_ACCEPT, "::1", "::1");
	c = classify(&e);
	assert_int_equal(c.peer, V6T_PEER_IPV6);
	assert_false(c.dualstack);
	assert_int_equal(c.emphasis, V6T_EMPH_NONE);
	/* mapped bytes on an AF_INET socket are a plain IPv4 peer */
	e = event(V6T_EV_ACCEPT, "::ffff:10.0.0.1", "::ffff:10.0.0.20");
	e.family = V6T_AF_INET;
	assert_int_equal(classify(&e).peer, V6T_PEER_IPV4);
}

/* What the display points out: failures first, then mapped peers, then dual-stack sockets. */
static void test_emphasis(void **state)
{
	struct v6t_sock_event e = event(V6T_EV_LISTEN, "::", NULL);

	(void)state;
	assert_int_equal(classify(&e).emphasis, V6T_EMPH_DUALSTACK);
	e.v6only = 1;
	assert_int_equal(classify(&e).emphasis, V6T_EMPH_NONE);
	e = event(V6T_EV_BIND, "::", NULL);
	e.err = -EADDRINUSE;
	assert_int_equal(classify(&e).emphasis, V6T_EMPH_FAILED);
	/* setsockopt(IPV6_V6ONLY, 0) makes a socket dual-stack; to 1 it does not */
	e = event(V6T_EV_V6ONLY, "::", NULL);
	assert_int_equal(classify(&e).emphasis, V6T_EMPH_DUALSTACK);
	e.v6only = 1;
	assert_int_equal(classify(&e).emphasis, V6T_EMPH_NONE);
	/* a non-blocking connect under way has not failed */
	e = event(V6T_EV_CONNECT, "::ffff:10.0.0.1", "::ffff:10.0.0.20");
	e.err = -EINPROGRESS;
	assert_false(classify(&e).failed);
	assert_int_equal(classify(&e).emphasis, V6T_EMPH_MAPPED);
	e.err = -ECONNREFUSED;
	assert_true(classify(&e).failed);
	assert_int_equal(classify(&e).emphasis, V6T_EMPH_FAILED);
}

/*
 * The classifier's -m answer and peer class are the kernel's (v6t_event_is_dualstack,
 * v6t_peer_class in include/v6trace.h), for every kind, family, V6ONLY, flag and kind of
 * address in each place.
 */
static void test_agrees_with_the_kernel(void **state)
{
	static const char *const addrs[] = { "::", "::ffff:10.0.0.1", "::1", "::10.0.0.1",
					     "2001:db8::1", "::ffff:0.0.0.0", "ffff::" };
	const unsigned int n = sizeof(addrs) / sizeof(addrs[0]);
	static const uint16_t families[] = { V6T_AF_INET6, V6T_AF_INET, 0 };
	struct v6t_sock_event e = {};
	struct v6t_class c;

	(void)state;
	/* every kind, and one past them (a crafted recording's) */
	const unsigned int kinds = V6T_EV_MAX + 2;

	for (unsigned int i = 0; i < kinds * 3 * 2 * 8 * n * n * n; i++) {
		unsigned int r = i;

		e.kind = r % kinds, r /= kinds;
		e.family = families[r % 3], r /= 3;
		e.v6only = r % 2, r /= 2;
		e.flags = (r % 8) * V6T_F_SETTER_KNOWN, r /= 8;
		assert_int_equal(inet_pton(AF_INET6, addrs[r % n], e.local_addr), 1), r /= n;
		assert_int_equal(inet_pton(AF_INET6, addrs[r % n], e.peer_addr), 1), r /= n;
		assert_int_equal(inet_pton(AF_INET6, addrs[r % n], e.listen_addr), 1);
		v6t_classify(&e, &c);
		assert_int_equal(c.dualstack, v6t_event_is_dualstack(&e));
		assert_int_equal(c.peer, v6t_peer_class(&e));
	}
}

/* Why each kind of listener did not take a refused packet of each family. */
static void test_refused_miss(void **state)
{
	static const struct {
		uint16_t packet, family;
		const char *addr;
		uint8_t v6only;
		enum v6t_miss why;
	} cases[] = {
		{ V6T_AF_INET, V6T_AF_INET6, "::", 1, V6T_MISS_V6ONLY },
		{ V6T_AF_INET, V6T_AF_INET6, "::1", 1, V6T_MISS_IPV6 },
		{ V6T_AF_INET, V6T_AF_INET6, "2001:db8::1", 1, V6T_MISS_IPV6 },
		{ V6T_AF_INET, V6T_AF_INET6, "::ffff:127.0.0.1", 0, V6T_MISS_ADDRESS },
		{ V6T_AF_INET, V6T_AF_INET, "::", 0, V6T_MISS_ADDRESS },	/* 127.0.0.1 vs 10.0.0.1 */
		{ V6T_AF_INET6, V6T_AF_INET, "::", 0, V6T_MISS_IPV4 },
		{ V6T_AF_INET6, V6T_AF_INET6, "::ffff:127.0.0.1", 0, V6T_MISS_V4MAPPED },
		{ V6T_AF_INET6, V6T_AF_INET6, "::1", 1, V6T_MISS_ADDRESS },
	};
	struct v6t_sock_event e = { .kind = V6T_EV_REFUSED };
	struct v6t_port_sock s = {};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e.family = cases[i].packet;
		s.family = cases[i].family;
		s.v6only = cases[i].v6only;
		assert_int_equal(inet_pton(AF_INET6, cases[i].addr, s.addr), 1);
		assert_int_equal(v6t_refused_miss(&e, &s), cases[i].why);
	}
}

/* The verdict is worded from the class alone: one sentence per class, none left out. */
static void test_verdicts(void **state)
{
	(void)state;
	for (unsigned int c = 0; c < V6T_SOCK_CLASSES; c++)
		assert_non_null(v6t_verdict(c));
	assert_string_equal(v6t_verdict(V6T_SOCK_DUALSTACK),
			    "dual-stack: IPv4 clients arrive as ::ffff:a.b.c.d, so netstat lists it "
			    "only as tcp6");
	assert_string_equal(v6t_source_name(V6T_SRC_NONE), "n/a");
	assert_string_equal(v6t_source_name(V6T_SRC_UNKNOWN), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sock_inet6),
		cmocka_unit_test(test_sock_inet),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_emphasis),
		cmocka_unit_test(test_agrees_with_the_kernel),
		cmocka_unit_test(test_refused_miss),
		cmocka_unit_test(test_verdicts),
	};

	return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}

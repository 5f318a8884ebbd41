// SPDX-License-Identifier: GPL-2.0
/*
 * What --mapped-only keeps (v6t_event_is_dualstack, shared with the BPF programs), where
 * V6ONLY came from (v6t_v6only_source), and the replay filter on crafted records.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cidr.h"
#include "decode.h"
#include "filter.h"
#include "v6trace.h"
#include "view.h"

static struct v6t_sock_event ev(unsigned int kind, unsigned int family, const char *local, int v6only)
{
	struct v6t_sock_event e = { .kind = kind, .family = family, .v6only = v6only };

	assert_int_equal(inet_pton(family == V6T_AF_INET6 ? AF_INET6 : AF_INET, local, e.local_addr), 1);
	return e;
}

static void test_dualstack_bind_and_listen(void **state)
{
	(void)state;
	for (unsigned int kind = V6T_EV_BIND; kind <= V6T_EV_LISTEN; kind += 2) {
		struct v6t_sock_event e = ev(kind, V6T_AF_INET6, "::", 0);

		assert_true(v6t_event_is_dualstack(&e));
		e.v6only = 1;
		assert_false(v6t_event_is_dualstack(&e));
		e = ev(kind, V6T_AF_INET6, "::ffff:127.0.0.1", 0);
		assert_true(v6t_event_is_dualstack(&e));
		e = ev(kind, V6T_AF_INET6, "::1", 0);	/* a specific IPv6 address takes no IPv4 */
		assert_false(v6t_event_is_dualstack(&e));
		e = ev(kind, V6T_AF_INET, "0.0.0.0", 0);
		assert_false(v6t_event_is_dualstack(&e));
	}
}

static void test_dualstack_accept(void **state)
{
	struct v6t_sock_event e = ev(V6T_EV_ACCEPT, V6T_AF_INET6, "::ffff:127.0.0.1", 0);

	(void)state;
	e.flags = V6T_F_HAS_PEER;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", e.peer_addr);
	assert_true(v6t_event_is_dualstack(&e));
	inet_pton(AF_INET6, "::1", e.peer_addr);
	assert_false(v6t_event_is_dualstack(&e));
	/* the same bytes on an AF_INET socket are not a mapped peer */
	e.family = V6T_AF_INET;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", e.peer_addr);
	assert_false(v6t_event_is_dualstack(&e));
}

static void test_every_v6only_change_is_kept(void **state)
{
	struct v6t_sock_event e = ev(V6T_EV_V6ONLY, V6T_AF_INET6, "::", 1);

	(void)state;
	assert_true(v6t_event_is_dualstack(&e));
	e.err = -22;
	assert_true(v6t_event_is_dualstack(&e));
}

static void test_v6only_source(void **state)
{
	struct v6t_sock_event e = ev(V6T_EV_BIND, V6T_AF_INET6, "::", 0);

	(void)state;
	assert_string_equal(source_of(&e), "default");
	e.v6only = 1;
	e.sysctl_v6only = 1;
	assert_string_equal(source_of(&e), "sysctl");
	/* differs from the namespace's sysctl: only setsockopt can have done that */
	e.sysctl_v6only = 0;
	assert_string_equal(source_of(&e), "setsockopt");
	e.v6only = 0;
	e.sysctl_v6only = 1;
	assert_string_equal(source_of(&e), "setsockopt");
	/* seen being set, even to the sysctl's own value */
	e.sysctl_v6only = 0;
	e.flags = V6T_F_SETTER_KNOWN;
	assert_string_equal(source_of(&e), "setsockopt");
	e = ev(V6T_EV_BIND, V6T_AF_INET, "0.0.0.0", 0);
	assert_string_equal(source_of(&e), "n/a");
}

/* A kind no name selects (a crafted recording) matches no --event, and names no kind. */
static void test_event_filter_unknown_kind(void **state)
{
	struct v6t_config cfg = { .event_mask = 1U << V6T_EV_ACCEPT };
	struct v6t_sock_event e = ev(V6T_EV_ACCEPT, V6T_AF_INET6, "::1", 0);

	(void)state;
	assert_true(filter_at(&cfg, &e, 0));
	/* 36 is 4 (accept) modulo 32: what a shift by it gave on x86 */
	for (unsigned int kind = V6T_EV_MAX + 1; kind < 256; kind++) {
		e.kind = kind;
		assert_false(filter_at(&cfg, &e, 0));
		assert_string_equal(v6t_event_name(kind), "unknown");
	}
	e.kind = 0;
	assert_false(filter_at(&cfg, &e, 0));
	/* without --event every record is shown, an unknown kind as "unknown" */
	cfg.event_mask = 0;
	e.kind = 36;
	assert_true(filter_at(&cfg, &e, 0));
}

/* One --peer CIDR (or --local, same rule) and one address: does it match? */
struct prefix_case {
	const char *cidr;
	unsigned int family;
	const char *addr;
	bool match;
};

static const struct prefix_case prefix_cases[] = {
	/* an IPv4 CIDR: the AF_INET address and the same one v4-mapped on an AF_INET6 socket */
	{ "127.0.0.1/32", V6T_AF_INET, "127.0.0.1", true },
	{ "127.0.0.1/32", V6T_AF_INET6, "::ffff:127.0.0.1", true },
	{ "127.0.0.1", V6T_AF_INET6, "::ffff:127.0.0.1", true },
	{ "127.0.0.1/32", V6T_AF_INET, "127.0.0.2", false },
	{ "127.0.0.1/32", V6T_AF_INET6, "::ffff:127.0.0.2", false },
	{ "127.0.0.0/8", V6T_AF_INET6, "::ffff:127.255.0.1", true },
	{ "127.0.0.0/8", V6T_AF_INET, "128.0.0.1", false },
	/* /96+n inside a byte: 192.0.2.128/25 is ::ffff:192.0.2.128/121 */
	{ "192.0.2.128/25", V6T_AF_INET, "192.0.2.127", false },
	{ "192.0.2.128/25", V6T_AF_INET, "192.0.2.128", true },
	{ "192.0.2.128/25", V6T_AF_INET6, "::ffff:192.0.2.255", true },
	{ "10.0.0.0/7", V6T_AF_INET, "11.255.255.255", true },
	{ "10.0.0.0/7", V6T_AF_INET6, "::ffff:12.0.0.0", false },
	/* 0.0.0.0/0 is every IPv4 address, and no IPv6 one */
	{ "0.0.0.0/0", V6T_AF_INET, "203.0.113.9", true },
	{ "0.0.0.0/0", V6T_AF_INET6, "::ffff:203.0.113.9", true },
	{ "0.0.0.0/0", V6T_AF_INET6, "::1", false },
	{ "0.0.0.0/0", V6T_AF_INET6, "2001:db8::1", false },
	/* ::ffff:0:0/96, and a mapped IPv6 literal, are the same as their IPv4 forms */
	{ "::ffff:0:0/96", V6T_AF_INET, "192.0.2.1", true },
	{ "::ffff:0:0/96", V6T_AF_INET6, "::1", false },
	{ "::ffff:192.0.2.0/120", V6T_AF_INET, "192.0.2.77", true },
	/* ::/0 is every address, IPv4 included */
	{ "::/0", V6T_AF_INET, "192.0.2.1", true },
	{ "::/0", V6T_AF_INET6, "::ffff:192.0.2.1", true },
	{ "::/0", V6T_AF_INET6, "2001:db8::1", true },
	/* any other IPv6 CIDR: no IPv4 address, mapped or not */
	{ "::1/128", V6T_AF_INET6, "::1", true },
	{ "::1/128", V6T_AF_INET6, "::2", false },
	{ "::1/128", V6T_AF_INET6, "::ffff:127.0.0.1", false },
	{ "::1/128", V6T_AF_INET, "0.0.0.1", false },
	{ "::/96", V6T_AF_INET, "1.2.3.4", false },
	{ "::/96", V6T_AF_INET6, "::1.2.3.4", true },
	{ "2001:db8::/32", V6T_AF_INET6, "2001:db8:ffff::1", true },
	{ "2001:db8::/32", V6T_AF_INET6, "2001:db9::", false },
	{ "2001:db8::1/128", V6T_AF_INET6, "2001:db8::1", true },
};

static struct v6t_sock_event with_peer(unsigned int family, const char *addr)
{
	struct v6t_sock_event e = ev(V6T_EV_ACCEPT, family, family == V6T_AF_INET6 ? "::" : "0.0.0.0", 0);

	e.flags = V6T_F_HAS_PEER;
	e.pid = 1;
	assert_int_equal(inet_pton(family == V6T_AF_INET6 ? AF_INET6 : AF_INET, addr, e.peer_addr), 1);
	return e;
}

/* --peer tests the peer, --local the local address, by the same rule: each case both ways */
static void test_prefix_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(prefix_cases) / sizeof(prefix_cases[0]); i++) {
		const struct prefix_case *c = &prefix_cases[i];
		struct v6t_config peer = { .n_peers = 1 }, local = { .n_locals = 1 };
		struct v6t_sock_event e = with_peer(c->family, c->addr);

		assert_int_equal(v6t_cidr_parse(c->cidr, &peer.peers[0]), 0);
		local.locals[0] = peer.peers[0];
		if (filter_at(&peer, &e, 0) != c->match)
			fail_msg("--peer %s on %s: expected %d", c->cidr, c->addr, c->match);
		memcpy(e.local_addr, e.peer_addr, 16);
		memset(e.peer_addr, 0, 16);
		if (filter_at(&local, &e, 0) != c->match)
			fail_msg("--local %s on %s: expected %d", c->cidr, c->addr, c->match);
	}
}

/* Repeated, they are alternatives; --peer and --local (and -m) must all match. */
static void test_prefixes_combine(void **state)
{
	struct v6t_config cfg = { .n_peers = 2, .n_locals = 1, .mapped_only = true };
	struct v6t_sock_event e = with_peer(V6T_AF_INET6, "::ffff:10.1.1.1");

	(void)state;
	assert_int_equal(v6t_cidr_parse("2001:db8::/32", &cfg.peers[0]), 0);
	assert_int_equal(v6t_cidr_parse("10.0.0.0/8", &cfg.peers[1]), 0);
	assert_int_equal(v6t_cidr_parse("::ffff:127.0.0.1", &cfg.locals[0]), 0);
	inet_pton(AF_INET6, "::ffff:127.0.0.1", e.local_addr);
	assert_true(filter_at(&cfg, &e, 0));
	inet_pton(AF_INET6, "::ffff:127.0.0.2", e.local_addr);
	assert_false(filter_at(&cfg, &e, 0));
	/* the same IPv4 peer on an AF_INET socket: not dual-stack, so -m drops it */
	e = with_peer(V6T_AF_INET, "10.1.1.1");
	inet_pton(AF_INET, "127.0.0.1", e.local_addr);
	assert_false(filter_at(&cfg, &e, 0));
	cfg.mapped_only = false;
	assert_true(filter_at(&cfg, &e, 0));
}

/* No peer, no --peer match; but a refused tally stands for peers the kernel filtered. */
static void test_peer_needs_a_peer(void **state)
{
	struct v6t_config cfg = { .n_peers = 1 };
	struct v6t_sock_event e = ev(V6T_EV_BIND, V6T_AF_INET6, "::", 0);

	(void)state;
	assert_int_equal(v6t_cidr_parse("::/0", &cfg.peers[0]), 0);
	assert_false(filter_at(&cfg, &e, 0));
	e = ev(V6T_EV_REFUSED, V6T_AF_INET, "127.0.0.1", 0);
	e.flags = V6T_F_TALLY;
	assert_true(filter_at(&cfg, &e, 0));
	e.flags = 0;
	assert_false(filter_at(&cfg, &e, 0));
}

/* -u: the task's uid; refused packets and unknown tasks have none, uid 0 included. */
static void test_uid_filter(void **state)
{
	struct v6t_config cfg = { .uids = { 0, 1000 }, .n_uids = 2 };
	struct v6t_sock_event e = with_peer(V6T_AF_INET, "127.0.0.1");

	(void)state;
	e.uid = 1000;
	assert_true(filter_at(&cfg, &e, 0));
	e.uid = 1001;
	assert_false(filter_at(&cfg, &e, 0));
	e.uid = 0;
	assert_true(filter_at(&cfg, &e, 0));
	e.pid = 0;	/* an accept whose listener's owner is unknown */
	assert_false(filter_at(&cfg, &e, 0));
	e.kind = V6T_EV_SOCKET;	/* sock_diag gives the uid even with the owner unknown */
	assert_true(filter_at(&cfg, &e, 0));
	e.kind = V6T_EV_REFUSED;
	assert_false(filter_at(&cfg, &e, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dualstack_bind_and_listen),
		cmocka_unit_test(test_dualstack_accept),
		cmocka_unit_test(test_every_v6only_change_is_kept),
		cmocka_unit_test(test_v6only_source),
		cmocka_unit_test(test_event_filter_unknown_kind),
		cmocka_unit_test(test_prefix_table),
		cmocka_unit_test(test_prefixes_combine),
		cmocka_unit_test(test_peer_needs_a_peer),
		cmocka_unit_test(test_uid_filter),
	};

	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}

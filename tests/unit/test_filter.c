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
#include <cmocka.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dualstack_bind_and_listen),
		cmocka_unit_test(test_dualstack_accept),
		cmocka_unit_test(test_every_v6only_change_is_kept),
		cmocka_unit_test(test_v6only_source),
		cmocka_unit_test(test_event_filter_unknown_kind),
	};

	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* Address formatting, for both families, and what makes a peer mapped. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "addr.h"
#include "v6trace.h"

/* The kernel stores v4-mapped bytes even for AF_INET: the prefix alone must not decide. */
static void test_mapped_needs_inet6_family(void **state)
{
	struct v6t_sock_event e = { .family = V6T_AF_INET6, .flags = V6T_F_HAS_PEER };

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "::ffff:10.0.0.20", e.peer_addr), 1);
	assert_true(v6t_peer_is_mapped(&e));
	e.family = V6T_AF_INET;
	assert_false(v6t_peer_is_mapped(&e));
	e.family = V6T_AF_INET6;
	e.flags = 0;	/* no peer at all */
	assert_false(v6t_peer_is_mapped(&e));
}

static void endpoint(char *out, size_t size, uint16_t family, const uint8_t *addr, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];
	struct strbuf sb = { .buf = out, .cap = size };

	sb_reset(&sb);
	v6t_put_endpoint(&sb, family, a, v6t_addr_str(a, family, addr), port);
}

static void test_format(void **state)
{
	uint8_t a6[16], a4[16] = {};
	char out[INET6_ADDRSTRLEN + 8];

	(void)state;
	inet_pton(AF_INET6, "::ffff:10.0.0.20", a6);
	endpoint(out, sizeof(out), AF_INET6, a6, 80);
	assert_string_equal(out, "[::ffff:10.0.0.20]:80");
	inet_pton(AF_INET6, "2001:db8:0:0:1:0:0:1", a6);
	assert_int_equal(v6t_addr_str(out, AF_INET6, a6), 17);
	assert_string_equal(out, "2001:db8::1:0:0:1");
	inet_pton(AF_INET, "192.0.2.7", a4);
	endpoint(out, sizeof(out), AF_INET, a4, 65535);
	assert_string_equal(out, "192.0.2.7:65535");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapped_needs_inet6_family),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}

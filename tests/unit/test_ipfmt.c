// SPDX-License-Identifier: GPL-2.0
/* The address formatter against glibc's inet_ntop: every shape of zero runs, edges, random. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ipfmt.h"

/* deterministic, so a failure reproduces */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state >> 32;
}

static void check6(const uint8_t *a)
{
	char want[INET6_ADDRSTRLEN], got[INET6_ADDRSTRLEN];
	size_t len;

	assert_non_null(inet_ntop(AF_INET6, a, want, sizeof(want)));
	memset(got, 'x', sizeof(got));
	len = v6t_ipfmt6(got, a);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
}

static void check4(const uint8_t *a)
{
	char want[INET_ADDRSTRLEN], got[INET6_ADDRSTRLEN];
	size_t len;

	assert_non_null(inet_ntop(AF_INET, a, want, sizeof(want)));
	len = v6t_ipfmt4(got, a);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
}

static void check6_text(const char *text)
{
	uint8_t a[16];

	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
	check6(a);
}

static void test_edges6(void **state)
{
	static const char *const edges[] = {
		"::", "::1", "::2", "1::", "1::1", "::ffff:0:0", "::ffff:0.0.0.1", "::ffff:1.2.3.4",
		"::ffff:255.255.255.255", "::1.2.3.4", "::0.0.1.2", "::0.1.0.0", "::fffe:1.2.3.4",
		"::1:ffff:1.2.3.4", "1::ffff:1.2.3.4", "64:ff9b::1.2.3.4", "::ffff:0:1.2.3.4",
		"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:0", "0:1:2:3:4:5:6:7", "1:0:2:3:4:5:6:7",
		"1:0:0:2:0:0:3:4", "1:0:0:2:0:0:0:3", "1:0:0:0:2:0:0:3", "0:0:1:0:0:1:0:0",
		"0:0:1:2:3:4:0:0", "1:0:0:1:0:0:1:1", "0:0:0:1:0:0:0:1", "ffff::", "ffff:ffff::",
		"2001:db8::1", "2001:db8:0:0:1:0:0:1", "fe80::1:2", "::ffff", "::ffff:0",
		"0:0:0:0:0:ffff:0:0", "0:0:0:0:1:ffff:0:0",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"a:b:c:d:e:f:10:100", "1000:100:10:1::",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		check6_text(edges[i]);
}

/* A group value with 1 to 4 hex digits, or one of the values the formatter treats specially. */
static unsigned int some_group(void)
{
	static const unsigned int special[] = { 1, 0xf, 0x10, 0xff, 0x100, 0xfff, 0x1000, 0xffff };
	uint32_t r = rnd();

	switch (r % 4) {
	case 0:
		return special[(r >> 8) % 8];
	case 1:
		return 1 + (r >> 8) % 0xff;
	default:
		return 1 + (r >> 8) % 0xffff;
	}
}

/* every placement of zero groups (256 masks), many values for the others */
static void test_zero_runs6(void **state)
{
	uint8_t a[16];

	(void)state;
	for (unsigned int mask = 0; mask < 256; mask++) {
		for (int round = 0; round < 400; round++) {
			for (int g = 0; g < 8; g++) {
				unsigned int w = mask & (1u << g) ? some_group() : 0;

				a[2 * g] = w >> 8;
				a[2 * g + 1] = w & 0xff;
			}
			check6(a);
		}
	}
}

/* the ::/96 and ::ffff:0:0/96 neighbourhood, where a dotted IPv4 tail may appear */
static void test_embedded_v4(void **state)
{
	uint8_t a[16];

	(void)state;
	for (int round = 0; round < 200000; round++) {
		uint32_t r = rnd(), tail = rnd();

		memset(a, 0, sizeof(a));
		a[10] = a[11] = round & 1 ? 0xff : 0;
		if (r & 2)
			a[11] ^= 1 << (r >> 8) % 8;	/* one bit off the prefix */
		if ((r & 0x30) == 0x30)
			a[(r >> 12) % 10] = r >> 16;	/* something earlier, sometimes 0 */
		/* tails with zero halves or zero bytes, not only random ones */
		if (r & 0x40)
			tail &= 0xffff;
		if (r & 0x80)
			tail &= 0xffff0000;
		if (r & 0x100)
			tail &= 0xff00ff00;
		memcpy(a + 12, &tail, 4);
		check6(a);
	}
}

static void test_random6(void **state)
{
	uint8_t a[16];

	(void)state;
	for (int round = 0; round < 300000; round++) {
		for (int i = 0; i < 16; i += 4) {
			uint32_t r = rnd();

			memcpy(a + i, &r, 4);
		}
		/* zero some groups so runs of all lengths are common */
		for (int g = 0, z = rnd(); g < 8; g++)
			if (z & (1 << g))
				a[2 * g] = a[2 * g + 1] = 0;
		check6(a);
	}
}

static void test_ipv4(void **state)
{
	uint8_t a[4];

	(void)state;
	for (int pos = 0; pos < 4; pos++) {
		for (unsigned int v = 0; v < 256; v++) {
			memset(a, 0, sizeof(a));
			a[pos] = v;
			check4(a);
			memset(a, 0xff, sizeof(a));
			a[pos] = v;
			check4(a);
		}
	}
	for (int round = 0; round < 200000; round++) {
		uint32_t r = rnd();

		memcpy(a, &r, 4);
		check4(a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges6),
		cmocka_unit_test(test_zero_runs6),
		cmocka_unit_test(test_embedded_v4),
		cmocka_unit_test(test_random6),
		cmocka_unit_test(test_ipv4),
	};

	return cmocka_run_group_tests_name("ipfmt", tests, NULL, NULL);
}

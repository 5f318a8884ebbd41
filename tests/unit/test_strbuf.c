// SPDX-License-Identifier: GPL-2.0
/*
 * The number formatter against snprintf: every digit count, both sides of each power of ten,
 * zero padding, and the truncation of a full buffer.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "strbuf.h"

static void check(uint64_t v, int width)
{
	char want[32], got[32];
	struct strbuf sb = STRBUF_ON(got);

	snprintf(want, sizeof(want), "%0*" PRIu64, width, v);
	sb_lit(&sb, "<");
	sb_u64_pad0(&sb, v, width);
	sb_lit(&sb, ">");
	assert_int_equal(sb.len, strlen(want) + 2);
	assert_memory_equal(got + 1, want, strlen(want));
	assert_string_equal(got + 1 + strlen(want), ">");
}

static void test_every_digit_count(void **state)
{
	uint64_t p = 1;

	(void)state;
	check(0, 1);
	check(UINT64_MAX, 1);
	for (int d = 1; d <= 19; d++) {
		p *= 10;
		check(p - 1, 1);
		check(p, 1);
		check(p + 1, 1);
	}
	/* every bit length, at both of its ends */
	for (int b = 1; b < 64; b++) {
		check((1ULL << b) - 1, 1);
		check(1ULL << b, 1);
	}
}

static void test_zero_padding(void **state)
{
	(void)state;
	check(0, 9);
	check(7, 2);
	check(123456789, 9);
	check(12345, 9);
	check(1234567890, 9);	/* wider than asked: all digits */
	check(0, 0);		/* width 0 still prints the one digit of zero */
}

/* a full buffer truncates (keeping the NUL) rather than overflowing */
static void test_truncation(void **state)
{
	char buf[8];
	struct strbuf sb = STRBUF_ON(buf);

	(void)state;
	memset(buf, 'x', sizeof(buf));
	sb_lit(&sb, "ab");
	sb_u64(&sb, 1234567890);
	assert_int_equal(sb.len, 7);
	assert_string_equal(buf, "ab12345");
	sb_u64(&sb, 9);		/* no room at all: nothing written */
	assert_string_equal(buf, "ab12345");
	sb_reset(&sb);
	sb_lit(&sb, "abcd");
	sb_u64_pad0(&sb, 5, 6);	/* "000005" cut to what fits */
	assert_string_equal(buf, "abcd000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_digit_count),
		cmocka_unit_test(test_zero_padding),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}

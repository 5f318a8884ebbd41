// SPDX-License-Identifier: GPL-2.0
/*
 * A rotation chain's names and identity: FILE.n as the writer writes it and nothing that only
 * looks like it, and a new run id for every run, kept by each of its files.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "chain.h"

static void test_names(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(v6t_chain_name(out, sizeof(out), "d/t.v6t", 0), 0);
	assert_string_equal(out, "d/t.v6t");
	assert_int_equal(v6t_chain_name(out, sizeof(out), "d/t.v6t", 12), 0);
	assert_string_equal(out, "d/t.v6t.12");
	assert_int_equal(v6t_chain_name(out, 8, "d/t.v6t", 1), -ENAMETOOLONG);
}

/* the chain's FILE from a member's name, when the name agrees with the header's index */
static void test_base(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(v6t_chain_base(out, sizeof(out), "d/t.v6t.3", 3), 0);
	assert_string_equal(out, "d/t.v6t");
	assert_int_equal(v6t_chain_base(out, sizeof(out), "d/t.v6t", 0), 0);
	assert_string_equal(out, "d/t.v6t");
	assert_int_equal(v6t_chain_base(out, sizeof(out), "d/t.v6t.3", 4), -EINVAL);
	assert_int_equal(v6t_chain_base(out, sizeof(out), "d/t.v6t.03", 3), -EINVAL);
	assert_int_equal(v6t_chain_base(out, sizeof(out), "d/t.v6t.3x", 3), -EINVAL);
	assert_int_equal(v6t_chain_base(out, sizeof(out), "d/copy", 3), -EINVAL);
	assert_int_equal(v6t_chain_base(out, sizeof(out), "d/t.v6t.4294967296", 0), 0);
	assert_int_equal(v6t_chain_base(out, 4, "d/t.v6t.3", 3), -EINVAL);
}

static void test_runs(void **state)
{
	struct v6t_file_info a = { 0 }, b = { 0 }, plain = { 0 };

	(void)state;
	v6t_chain_mark(&a, 0);
	b = a;
	v6t_chain_mark(&b, 1);
	assert_true(v6t_chain_same_run(&a, &b));
	assert_int_equal(b.run.index, 1);
	v6t_chain_mark(&b, 0);	/* a new run */
	assert_false(v6t_chain_same_run(&a, &b));
	assert_false(v6t_chain_same_run(&a, &plain));	/* a 1.0 file has no run */
	assert_false(v6t_chain_same_run(&plain, &plain));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_runs),
	};

	return cmocka_run_group_tests_name("chain", tests, NULL, NULL);
}

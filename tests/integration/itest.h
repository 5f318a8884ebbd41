/* SPDX-License-Identifier: GPL-2.0 */
/* The integration test groups; each file runs one cmocka group. */
#ifndef V6T_ITEST_H
#define V6T_ITEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "harness.h"

int run_scenario_tests(void);
int run_filter_tests(void);
int run_cli_tests(void);
int run_record_tests(void);
int run_existing_tests(void);
int run_listing_tests(void);
int run_file_tests(void);
int run_hostile_tests(void);
int run_signal_tests(void);
int run_follow_tests(void);
int run_attrib_tests(void);
int run_compat_tests(void);
int run_refused_tests(void);
int run_owner_tests(void);
int run_owner_scan_tests(void);
int run_hint_tests(void);
int run_holders_tests(void);
int run_metrics_tests(void);

/* Per-test state: a tracer that teardown always reaps, even after a failed assertion. */
int itest_setup(void **state);
int itest_teardown(void **state);

/* Starts the tracer on the current namespace with extra args; fails the test if it cannot. */
void start_traced(struct tracer *t, uint64_t netns, const char *const *extra);
void stop_traced(struct tracer *t);
/*
 * With -v: n events shown, and no other record crossed the ring (-v's "read N records"): the
 * rest were dropped in the kernel.
 */
void assert_only_in_ring(struct tracer *t, int n);

/* Linux 5.17 or later, where refused events can be made (refused.c) */
bool kernel_has_drop_reason(void);

/* The backend events must come from: the forced one, or $V6TRACE_EXPECT_BACKEND under auto. */
const char *expected_backend(void);

#define assert_str(actual, expected) assert_string_equal((actual) ? (actual) : "(null)", (expected))

#endif

// SPDX-License-Identifier: GPL-2.0
/* Integration tests: real BPF programs, real sockets, one network namespace per test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "itest.h"

const char *expected_backend(void)
{
	const char *forced = tracer_backend();

	return strcmp(forced, "auto") ? forced : getenv("V6TRACE_EXPECT_BACKEND");
}

int itest_setup(void **state)
{
	struct tracer *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	t->pid = -1;
	t->out_fd = -1;
	*state = t;
	return 0;
}

int itest_teardown(void **state)
{
	tracer_cleanup(*state);
	free(*state);
	return 0;
}

void start_traced(struct tracer *t, uint64_t netns, const char *const *extra)
{
	char ns[32];
	const char *args[32] = { "-N", ns };
	int n = 2;

	snprintf(ns, sizeof(ns), "%llu", (unsigned long long)netns);
	for (int i = 0; extra && extra[i] && n < 31; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	assert_int_equal(tracer_start(t, args), 0);
}

static long records_read(const struct tracer *t)
{
	const char *p = t->stderr_text ? strstr(t->stderr_text, "v6trace: read ") : NULL;

	return p ? strtol(p + strlen("v6trace: read "), NULL, 10) : -1;
}

void assert_only_in_ring(struct tracer *t, int n)
{
	assert_int_equal(t->n_events, n);
	assert_int_equal(records_read(t), n);
}

void stop_traced(struct tracer *t)
{
	assert_int_equal(tracer_stop(t), 0);
}

/* $V6TRACE_ITEST_GROUPS: a comma-separated subset (the VM runs the backend-specific ones) */
static int wanted(const char *group)
{
	const char *list = getenv("V6TRACE_ITEST_GROUPS");
	size_t len = strlen(group);

	if (!list || !*list)
		return 1;
	for (const char *p = list; (p = strstr(p, group)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return 1;
	return 0;
}

int main(void)
{
	int failed = 0;

	if (geteuid() != 0) {
		/* a skipped suite must not look like a passed one */
		fprintf(stderr, "itest: the integration tests load BPF programs and need root; "
				"run: sudo make check\n");
		return 1;
	}
	if (!expected_backend()) {
		fprintf(stderr, "itest: with backend auto, set V6TRACE_EXPECT_BACKEND to the backend this "
				"kernel should get (fentry, kprobe or tracepoint)\n");
		return 1;
	}
	fprintf(stderr, "itest: %s, backend %s, expecting events from %s\n", tracer_binary(),
		tracer_backend(), expected_backend());
	if (wanted("scenarios"))
		failed += run_scenario_tests();
	if (wanted("filters"))
		failed += run_filter_tests();
	if (wanted("cli"))
		failed += run_cli_tests();
	if (wanted("record"))
		failed += run_record_tests();
	if (wanted("existing"))
		failed += run_existing_tests();
	if (wanted("listing"))
		failed += run_listing_tests();
	if (wanted("files"))
		failed += run_file_tests();
	if (wanted("hostile"))
		failed += run_hostile_tests();
	if (wanted("signals"))
		failed += run_signal_tests();
	if (wanted("follow"))
		failed += run_follow_tests();
	if (wanted("attrib"))
		failed += run_attrib_tests();
	if (wanted("compat"))
		failed += run_compat_tests();
	if (wanted("refused"))
		failed += run_refused_tests();
	if (wanted("owners"))
		failed += run_owner_tests();
	if (wanted("owner-scan"))
		failed += run_owner_scan_tests();
	if (wanted("hints"))
		failed += run_hint_tests();
	if (wanted("holders"))
		failed += run_holders_tests();
	if (wanted("metrics"))
		failed += run_metrics_tests();
	return failed ? 1 : 0;
}

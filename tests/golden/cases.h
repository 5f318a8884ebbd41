/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The golden cases: v6trace arguments (after -r FILE) and the file holding the expected
 * standard output. `golden --update` rewrites those files from the same list.
 */
#ifndef V6T_GOLDEN_CASES_H
#define V6T_GOLDEN_CASES_H

struct golden_case {
	const char *recording;
	const char *args[8];
	const char *expected;
};

static const struct golden_case golden_cases[] = {
	{ "dualstack.v6t", { NULL }, "dualstack.txt" },
	{ "dualstack.v6t", { "-j", NULL }, "dualstack.jsonl" },
	{ "dualstack.v6t", { "-s", "-q", NULL }, "dualstack.summary.txt" },
	{ "dualstack.v6t", { "-s", "-q", "-j", NULL }, "dualstack.summary.jsonl" },
	{ "dualstack.v6t", { "-m", "-j", NULL }, "dualstack.mapped.jsonl" },
	{ "dualstack.v6t", { "--event", "accept", "-P", "22", NULL }, "dualstack.accept-22.txt" },
	{ "dualstack.v6t", { "--event", "v6only", "--event", "bind", "-c", "python3", NULL },
	  "dualstack.v6only-bind.txt" },
	{ "sysctl.v6t", { "-s", NULL }, "sysctl.txt" },
	{ "sysctl.v6t", { "-j", "-s", NULL }, "sysctl.jsonl" },
	{ "truncated.v6t", { "-j", NULL }, "truncated.jsonl" },
	{ "holders.v6t", { NULL }, "holders.txt" },
	{ "holders.v6t", { "-j", NULL }, "holders.jsonl" },
	/* its cgroups and Docker's state were removed once recorded: owners from the recording */
	{ "owners.v6t", { "--wide", NULL }, "owners.txt" },
	{ "owners.v6t", { "--wide", "-j", "-s", NULL }, "owners.jsonl" },
	{ "owners.v6t", { "--container", "shop-web", NULL }, "owners.container.txt" },
	{ "owners.v6t", { "--unit", "v6t-fixture", "--wide", NULL }, "owners.unit.txt" },
	{ "owners.v6t", { "--container", "shop-api", NULL }, "owners.none.txt" },
};

#define GOLDEN_CASES (sizeof(golden_cases) / sizeof(golden_cases[0]))

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Which backend works on which kernel, checked against an oracle written here from the
 * kernels' history, not from v6trace's own tables: each backend forced either starts or is
 * refused with the one line naming what this kernel lacks, and auto plans each hook where the
 * oracle says, with no load failing after it planned. The VM matrix runs this group in every
 * guest; $V6TRACE_COMPAT_ABSENT lists backends this machine's configuration removes whatever
 * its version (the project's host: "fentry,kprobe"), which must be refused for any reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "itest.h"

static const char *const backends[] = { "fentry", "kprobe", "tracepoint", "raw_tp" };
static const char *const hook_names[] = { "bind", "v6only", "accept", "listen", "connect", "udp-recv" };

/* major * 100 + minor of the running kernel, and its release in *release */
static int kernel_version(const char **release)
{
	static struct utsname u;
	int major = 0, minor = 0;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(sscanf(u.release, "%d.%d", &major, &minor), 2);
	*release = u.release;
	return major * 100 + minor;
}

static int absent(const char *backend)
{
	const char *list = getenv("V6TRACE_COMPAT_ABSENT");
	size_t len = strlen(backend);

	for (const char *p = list; p && (p = strstr(p, backend)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return 1;
	return 0;
}

/*
 * A BPF trampoline on a kernel function needs ftrace direct calls: x86_64 has had them since
 * 5.5 (before v6trace's minimum), arm64 since 6.4.
 */
static int kfunc_trampolines(int v)
{
#ifdef __aarch64__
	return v >= 604;
#else
	(void)v;
	return 1;
#endif
}

/*
 * The oracle for Debian's kernels: NULL if backend works on version v, else the refusal (a
 * format taking the release). bpf_get_func_arg/ret came in 5.17, trampolines for a struct
 * passed by value (ipv6_setsockopt's sockptr_t) in 6.1, BPF atomics in 5.12; kprobes work
 * on every kernel v6trace runs on (5.8+). The tracepoint backend's syscall hooks fall back to
 * older helpers, so its first refusal is accept's.
 */
static const char *expected_refusal(const char *backend, int v)
{
	if (!strcmp(backend, "fentry") && !kfunc_trampolines(v))
		return "v6trace: the fentry backend cannot hook bind on this kernel (%s): it needs "
		       "fentry on kernel functions (Linux 6.4 on arm64)\n";
	if (!strcmp(backend, "fentry") && v < 517)
		return "v6trace: the fentry backend cannot hook bind on this kernel (%s): it needs "
		       "bpf_get_func_ret (Linux 5.17)\n";
	if (!strcmp(backend, "fentry") && v < 601)
		return "v6trace: the fentry backend cannot hook v6only on this kernel (%s): it needs "
		       "fexit on a function with a struct argument (Linux 6.1)\n";
	if ((!strcmp(backend, "tracepoint") || !strcmp(backend, "raw_tp")) && v < 512)
		return "v6trace: the tracepoint backend cannot hook accept on this kernel (%s): it needs "
		       "BPF atomic instructions (Linux 5.12)\n";
	return NULL;
}

/* What auto must choose for hook on version v, given the backends this machine lacks. */
static const char *expected_auto(const char *hook, int v)
{
	int fentry = kfunc_trampolines(v) && (v >= 601 || (v >= 517 && strcmp(hook, "v6only")));

	if (!strcmp(hook, "listen"))
		return "tracepoint";	/* sock:inet_sock_set_state in every backend */
	if (fentry && !absent("fentry"))
		return "fentry";
	return absent("kprobe") ? "tracepoint" : "kprobe";
}

/* Runs v6trace for a second with args (-B raw_tp: tracepoint without tracefs); its status. */
static int run_v6trace(const char *backend, const char *const *args, char *out, size_t out_size,
		       char *err, size_t err_size)
{
	const char *argv[16] = { tracer_binary(), "-d", "1" };
	int n = 3, status;

	if (backend) {
		argv[n++] = "-B";
		argv[n++] = strcmp(backend, "raw_tp") ? backend : "tracepoint";
	}
	for (int i = 0; args && args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (backend && !strcmp(backend, "raw_tp"))
		setenv("V6TRACE_TRACEFS", "", 1);
	status = run_capture(argv, out, out_size, err, err_size);
	if (backend && !strcmp(backend, "raw_tp"))
		unsetenv("V6TRACE_TRACEFS");
	return status;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Each backend forced: it starts and stops cleanly, or says in one line why not. */
static void test_forced_backends(void **state)
{
	static char out[65536], err[8192];
	const char *release;
	int v = kernel_version(&release);

	(void)state;
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		const char *b = backends[i], *refusal = expected_refusal(b, v);
		char want[256], prefix[128];
		int status = run_v6trace(b, NULL, out, sizeof(out), err, sizeof(err));

		fprintf(stderr, "compat: %s on %s: status %d, %s", b, release, status, err[0] ? err : "\n");
		if (absent(b)) {
			snprintf(prefix, sizeof(prefix), "v6trace: the %s backend cannot hook bind",
				 strcmp(b, "raw_tp") ? b : "tracepoint");
			assert_int_equal(count_lines(err), 1);
			assert_true(!strncmp(err, prefix, strlen(prefix)));
			assert_int_not_equal(status, 0);
		} else if (refusal) {
			snprintf(want, sizeof(want), refusal, release);
			assert_string_equal(err, want);
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
			assert_string_equal(out, "");
		} else {
			assert_string_equal(err, "");
			assert_int_equal(status, 0);
		}
	}
}

/*
 * The tracepoint backend's syscall hooks on every kernel: where the helpers of its syscall
 * tracepoint programs are missing (before 5.15), the raw sys_exit program serves them.
 */
static void test_tracepoint_syscall_hooks(void **state)
{
	static char out[65536], err[8192];
	const char *const events[] = { "--event", "bind,v6only,listen,udp-mapped", NULL };

	(void)state;
	for (size_t i = 2; i < sizeof(backends) / sizeof(backends[0]); i++) {
		int status = run_v6trace(backends[i], events, out, sizeof(out), err, sizeof(err));

		fprintf(stderr, "compat: %s --event bind,v6only,listen,udp-mapped: status %d, %s",
			backends[i], status, err[0] ? err : "\n");
		assert_string_equal(err, "");
		assert_int_equal(status, 0);
	}
}

/* auto plans each hook where the oracle says, and nothing fails to load after it planned. */
static void test_auto_plan(void **state)
{
	static char out[65536], err[16384];
	const char *const verbose[] = { "-v", NULL };
	const char *release;
	int v = kernel_version(&release), status;

	(void)state;
	status = run_v6trace(NULL, verbose, out, sizeof(out), err, sizeof(err));
	fprintf(stderr, "compat: auto on %s: status %d\n%s", release, status, err);
	assert_int_equal(status, 0);
	assert_null(strstr(err, "warning"));
	assert_null(strstr(err, "libbpf:"));
	for (size_t i = 0; i < sizeof(hook_names) / sizeof(hook_names[0]); i++) {
		char line[64];
		const char *at;
		char chosen[32] = "";

		snprintf(line, sizeof(line), "v6trace: hook %-8s -> ", hook_names[i]);
		at = strstr(err, line);
		assert_non_null(at);
		assert_int_equal(sscanf(at + strlen(line), "%31s", chosen), 1);
		assert_string_equal(chosen, expected_auto(hook_names[i], v));
	}
}

/* The backend and first program -v says auto planned for hook, from "hook bind -> B (P ...)". */
static void planned(const char *err, const char *hook, char *backend, char *prog)
{
	char line[64];
	const char *at;

	snprintf(line, sizeof(line), "v6trace: hook %-8s -> ", hook);
	at = strstr(err, line);
	assert_non_null(at);
	assert_int_equal(sscanf(at + strlen(line), "%31s (%63[^ )]", backend, prog), 2);
}

/*
 * A program the kernel refuses (V6TRACE_TEST_REJECT makes the load of bind's first program
 * fail for real) is named with its backend; auto then plans bind elsewhere and runs, and
 * where nothing is left (tracepoint, the last backend) v6trace stops in one line.
 */
static void test_load_failure_blamed(void **state)
{
	static char out[65536], err[65536];
	const char *const verbose[] = { "-v", NULL };
	char backend[32], prog[64], again[32], next[64], want[256];
	int status;

	(void)state;
	assert_int_equal(run_v6trace(NULL, verbose, out, sizeof(out), err, sizeof(err)), 0);
	planned(err, "bind", backend, prog);
	setenv("V6TRACE_TEST_REJECT", prog, 1);
	status = run_v6trace(NULL, strcmp(backend, "tracepoint") ? verbose : NULL, out, sizeof(out),
			     err, sizeof(err));
	unsetenv("V6TRACE_TEST_REJECT");
	fprintf(stderr, "compat: %s (%s) refused: status %d, %s", prog, backend, status, err);
	if (!strcmp(backend, "tracepoint")) {
		snprintf(want, sizeof(want), "v6trace: cannot load the BPF programs (program %s, the "
			 "tracepoint backend's, for bind", prog);
		assert_int_equal(count_lines(err), 1);
		assert_true(!strncmp(err, want, strlen(want)));
		assert_non_null(strstr(err, "): Invalid argument (run with -v for libbpf's log)\n"));
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
		return;
	}
	snprintf(want, sizeof(want), "v6trace: warning: the %s backend failed to load (program %s, "
		 "for bind", backend, prog);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "auto tries the next backend for bind"));
	planned(strstr(err, want), "bind", again, next);
	assert_string_not_equal(again, backend);
	assert_int_equal(status, 0);
}

int run_compat_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forced_backends),
		cmocka_unit_test(test_tracepoint_syscall_hooks),
		cmocka_unit_test(test_auto_plan),
		cmocka_unit_test(test_load_failure_blamed),
	};

	return cmocka_run_group_tests_name("compat", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "libbpf_log.h"

static int verbosity;
static char failed_prog[64];

/*
 * libbpf names the program in each warning about it, "prog 'NAME': ..." (a failed CO-RE
 * relocation, the verifier's rejection); the first one after a reset is the one that failed.
 */
static void note_failed_prog(const char *msg)
{
	const char *p = strstr(msg, "prog '");
	size_t len;

	if (failed_prog[0] || !p)
		return;
	p += strlen("prog '");
	len = strcspn(p, "'");
	if (len && len < sizeof(failed_prog) && p[len] == '\'') {
		memcpy(failed_prog, p, len);
		failed_prog[len] = '\0';
	}
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];
	va_list copy;

	if (level == LIBBPF_WARN) {
		va_copy(copy, ap);
		vsnprintf(msg, sizeof(msg), fmt, copy);
		va_end(copy);
		note_failed_prog(msg);
	}
	if (!verbosity || (level == LIBBPF_DEBUG && verbosity < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void v6t_libbpf_log_init(int v)
{
	verbosity = v;
	libbpf_set_print(libbpf_print);
}

void v6t_libbpf_log_reset(void)
{
	failed_prog[0] = '\0';
}

const char *v6t_libbpf_failed_prog(void)
{
	return failed_prog;
}

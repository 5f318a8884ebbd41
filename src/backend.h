/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach strategy, all in one place: which kernel functions and BPF programs serve each
 * logical hook in each backend, probing what this kernel can attach, and choosing per hook.
 */
#ifndef V6T_BACKEND_H
#define V6T_BACKEND_H

#include <stdint.h>
#include <stdio.h>
#include "names.h"
#include "v6trace.h"

struct v6t_plan {
	/* V6T_BACKEND_* chosen per hook; V6T_BACKEND_AUTO (0): not attached, nobody asked */
	uint8_t backend[V6T_HOOK_COUNT];
	int probe_err[V6T_HOOK_COUNT][V6T_BACKEND_COUNT];	/* 0 or -errno per probed backend */
	/* tracepoint hooks: 0 when served by syscalls:sys_exit_* tracepoints, else why not */
	int tp_err[V6T_HOOK_COUNT];
};

const char *v6t_hook_name(int hook);

/* The BPF program names (NULL-terminated) that serve hook in backend; NULL if it cannot. */
const char *const *v6t_hook_programs(int hook, int backend);

/* The programs that serve hook under plan (raw sys_exit if its syscall tracepoints are missing). */
const char *const *v6t_plan_programs(const struct v6t_plan *plan, int hook);

/* For a syscalls:sys_exit_* program: 0 and the tracepoint's name in *event, else -ENOENT. */
int v6t_program_tracepoint(const char *prog_name, const char **event);

/* 0 if backend can attach hook on this kernel, else -errno (the reason it cannot). */
int v6t_probe(int backend, int hook);

/*
 * Chooses a backend per hook: the forced one, or in auto the first of fentry, kprobe,
 * tracepoint that probes well and is not in excluded[hook] (a bitmask of 1 << backend that
 * failed to load or attach earlier). Hooks not in wanted (1 << V6T_HOOK_*) are left unattached.
 * Returns 0, or -errno after printing why to err.
 */
int v6t_plan_choose(struct v6t_plan *plan, int forced, unsigned int wanted, const unsigned int *excluded,
		    FILE *err);

/* The hooks (bit 1 << V6T_HOOK_*) that make the event kinds in event_mask; 0: every kind. */
unsigned int v6t_hooks_for_events(uint32_t event_mask);

/* One line per hook on err: what was chosen and why the better ones were not. */
void v6t_plan_print(const struct v6t_plan *plan, FILE *err);

#endif

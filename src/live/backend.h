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
	/* V6T_FEAT_* a probed backend lacks for the hook (then probe_err is -EOPNOTSUPP) */
	uint8_t missing[V6T_HOOK_COUNT][V6T_BACKEND_COUNT];
	/* tracepoint hooks: 0 when served by syscalls:sys_exit_* tracepoints, else why not */
	int tp_err[V6T_HOOK_COUNT];
	uint8_t tp_missing[V6T_HOOK_COUNT];	/* V6T_FEAT_* those programs lack, if that is why */
	unsigned int unavailable;	/* optional hooks wanted that no backend serves here */
};

const char *v6t_hook_name(int hook);

struct bpf_program;
struct v6trace_bpf;

/* A program the plan uses, found in the skeleton. */
struct v6t_plan_prog {
	struct bpf_program *prog;
	const char *tp_event;	/* a syscalls:<tp_event> program, attached by tracepoint id */
	int hook;		/* the first hook it serves (some serve several) */
};

#define V6T_PLAN_PROGS_MAX 16

/*
 * Every program plan uses, once each, from skel into out (V6T_PLAN_PROGS_MAX entries): the
 * syscalls:sys_exit_* ones, or the raw sys_exit program where their tracepoints are missing.
 * Returns how many, or -E2BIG.
 */
int v6t_plan_programs(const struct v6t_plan *plan, const struct v6trace_bpf *skel,
		      struct v6t_plan_prog *out);

/* The hooks (bit 1 << V6T_HOOK_*) prog serves under plan, and the backend serving them. */
unsigned int v6t_plan_hooks_of(const struct v6t_plan *plan, const struct v6trace_bpf *skel,
			       const struct bpf_program *prog, int *backend);

/*
 * Chooses a backend per hook: the forced one, or in auto the first of fentry, kprobe,
 * tracepoint that probes well and is not in excluded[hook] (a bitmask of 1 << backend that
 * failed to load or attach earlier). Hooks not in wanted (1 << V6T_HOOK_*) are left unattached.
 * A hook in optional that none can serve is left off and noted in plan->unavailable.
 * Returns 0, or -errno after printing why to err.
 */
int v6t_plan_choose(struct v6t_plan *plan, int forced, unsigned int wanted, unsigned int optional,
		    const unsigned int *excluded, FILE *err);

/* The hooks (bit 1 << V6T_HOOK_*) that make the event kinds in event_mask; 0: every kind. */
unsigned int v6t_hooks_for_events(uint32_t event_mask);

/* Of those, the ones tracing can go on without (no --event asked for their kind). */
unsigned int v6t_hooks_optional(uint32_t event_mask);

/* One line per hook on err: what was chosen and why the better ones were not. */
void v6t_plan_print(const struct v6t_plan *plan, FILE *err);

#endif

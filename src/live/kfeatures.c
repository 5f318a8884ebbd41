// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "kfeatures.h"

struct feature {
	const char *what;
	const char *since;	/* the first Linux version that has it (mainline) */
	int version;		/* the same, major * 100 + minor, to find the newest one missing */
};

#ifdef __aarch64__
#define KFUNC_TRAMPOLINE_SINCE "6.4 on arm64", 604
#else
#define KFUNC_TRAMPOLINE_SINCE "5.5", 505
#endif

/* The versions are mainline's; the README's table and the VM matrix check them. */
static const struct feature features[V6T_FEAT_COUNT] = {
	[V6T_FEAT_FUNC_ARGS] = { "bpf_get_func_ret", "5.17", 517 },
	[V6T_FEAT_STRUCT_ARGS] = { "fexit on a function with a struct argument", "6.1", 601 },
	[V6T_FEAT_TASK_BTF] = { "bpf_get_current_task_btf", "5.11", 511 },
	[V6T_FEAT_SOCK_FROM_FILE] = { "bpf_sock_from_file", "5.11", 511 },
	[V6T_FEAT_SK_STORAGE_TRACING] = { "bpf_sk_storage_get in tracing programs", "5.11", 511 },
	[V6T_FEAT_ATOMICS] = { "BPF atomic instructions", "5.12", 512 },
	[V6T_FEAT_TASK_PT_REGS] = { "bpf_task_pt_regs", "5.15", 515 },
	/* x86_64 has had them since 5.5; arm64 attaches only to BPF programs before 6.4 */
	[V6T_FEAT_KFUNC_TRAMPOLINE] = { "fentry on kernel functions", KFUNC_TRAMPOLINE_SINCE },
	[V6T_FEAT_DROP_REASON] = { "skb:kfree_skb's drop reason", "5.17", 517 },
};

const char *v6t_feature_describe(int f)
{
	static char buf[128];

	if (f <= V6T_FEAT_NONE || f >= V6T_FEAT_COUNT)
		return "nothing";
	snprintf(buf, sizeof(buf), "%s (Linux %s)", features[f].what, features[f].since);
	return buf;
}

int v6t_log_unknown_helper(const char *log)
{
	/* "unknown func" since 5.0 (before: "invalid func"); a known helper fails otherwise */
	return strstr(log, "unknown func ") || strstr(log, "invalid func ");
}

static struct btf *kernel_btf;
static int kernel_btf_tried;

const struct btf *v6t_kernel_btf(void)
{
	/* libbpf 1.x returns NULL (errno set) when there is none: tried once, not per probe */
	if (!kernel_btf_tried) {
		kernel_btf_tried = 1;
		kernel_btf = btf__load_vmlinux_btf();
	}
	return kernel_btf;
}

void v6t_kernel_btf_release(void)
{
	btf__free(kernel_btf);
	kernel_btf = NULL;
	kernel_btf_tried = 0;
}

/* Loads insns as a BPF_TRACE_RAW_TP program on sock:inet_sock_set_state: 1 loaded, else 0. */
static int load_tp_btf(const struct bpf_insn *insns, size_t n, char *log, size_t log_size)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP,
		    .log_buf = log, .log_size = log_size, .log_level = log ? 1 : 0);
	static int id = -1;
	int fd;

	if (id < 0) {
		const struct btf *btf = v6t_kernel_btf();

		if (!btf)
			return 0;
		id = btf__find_by_name_kind(btf, "btf_trace_inet_sock_set_state", BTF_KIND_TYPEDEF);
		if (id < 0)
			return 0;
	}
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "v6t_probe", "GPL", insns, n, &opts);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/*
 * A helper only tracing programs get (libbpf_probe_bpf_helper does not probe that type): a
 * program calling it, loaded where ours are. Its arguments are left unset, so a kernel that
 * knows the helper rejects the program for them, and one that does not, for the helper.
 */
static int tracing_helper_present(int helper)
{
	const struct bpf_insn call[] = {
		{ .code = 0x85, .imm = helper },		/* call helper */
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },	/* r0 = 0 */
		{ .code = 0x95 },				/* exit */
	};
	char log[4096] = "";

	if (load_tp_btf(call, sizeof(call) / sizeof(call[0]), log, sizeof(log)))
		return 1;
	return log[0] && !v6t_log_unknown_helper(log);
}

/* The compare-and-exchange the tracepoint backend's connect uses, on a stack slot. */
static int atomics_present(void)
{
	const struct bpf_insn cmpxchg[] = {
		{ .code = 0x7a, .dst_reg = 10, .off = -8, .imm = 0 },	/* *(u64 *)(r10 - 8) = 0 */
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },		/* r0 = 0 */
		{ .code = 0xb7, .dst_reg = 1, .imm = 1 },		/* r1 = 1 */
		/* r0 = cmpxchg((u64 *)(r10 - 8), r0, r1): BPF_STX | BPF_DW | BPF_ATOMIC, BPF_CMPXCHG */
		{ .code = 0xdb, .dst_reg = 10, .src_reg = 1, .off = -8, .imm = 0xf1 },
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },		/* r0 = 0 */
		{ .code = 0x95 },					/* exit */
	};

	return load_tp_btf(cmpxchg, sizeof(cmpxchg) / sizeof(cmpxchg[0]), NULL, 0);
}

/* Non-zero if BTF's enum name has a value named value. */
static int enum_has(const struct btf *btf, const char *name, const char *value)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);
	const struct btf_enum *v = t ? btf_enum(t) : NULL;

	for (int i = 0; t && i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(btf, v[i].name_off), value))
			return 1;
	return 0;
}

/* The kernel's BTF: kfree_skb's tracepoint passes a reason, and the reason NO_SOCKET exists. */
static int drop_reason_present(void)
{
	const struct btf *btf = v6t_kernel_btf();
	const struct btf_type *t;
	int id, found = 0;

	if (!btf)
		return 0;
	/* typedef void (*btf_trace_kfree_skb)(void *, struct sk_buff *, void *, reason, ...) */
	id = btf__find_by_name_kind(btf, "btf_trace_kfree_skb", BTF_KIND_TYPEDEF);
	t = id < 0 ? NULL : btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (t && btf_is_ptr(t))
		t = btf__type_by_id(btf, t->type);
	if (t && btf_is_func_proto(t) && btf_vlen(t) >= 4)
		found = enum_has(btf, "skb_drop_reason", "SKB_DROP_REASON_NO_SOCKET");
	return found;
}

static int probe(int f)
{
	switch (f) {
	case V6T_FEAT_TASK_BTF:
		return libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_get_current_task_btf,
					       NULL) == 1;
	case V6T_FEAT_TASK_PT_REGS:
		return libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_task_pt_regs, NULL) == 1;
	case V6T_FEAT_SOCK_FROM_FILE:
		return tracing_helper_present(BPF_FUNC_sock_from_file);
	case V6T_FEAT_SK_STORAGE_TRACING:
		return tracing_helper_present(BPF_FUNC_sk_storage_get);
	case V6T_FEAT_ATOMICS:
		return atomics_present();
	case V6T_FEAT_DROP_REASON:
		return drop_reason_present();
	default:
		/* FUNC_ARGS, STRUCT_ARGS: the fentry probe finds them at each function (backend.c) */
		return 1;
	}
}

int v6t_feature_present(int f)
{
	static signed char known[V6T_FEAT_COUNT];	/* 0 not probed, 1 present, -1 missing */

	if (f <= V6T_FEAT_NONE || f >= V6T_FEAT_COUNT)
		return 1;
	if (!known[f])
		known[f] = probe(f) ? 1 : -1;
	return known[f] > 0;
}

int v6t_features_missing(unsigned int mask)
{
	int newest = V6T_FEAT_NONE;

	for (int f = V6T_FEAT_NONE + 1; f < V6T_FEAT_COUNT; f++)
		if ((mask & V6T_FEAT(f)) && !v6t_feature_present(f) &&
		    (newest == V6T_FEAT_NONE || features[f].version > features[newest].version))
			newest = f;
	return newest;
}

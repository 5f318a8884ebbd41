/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the backends' BPF programs need beyond BTF and a hook to attach to: helpers and
 * instructions that came in later kernels. Each is probed on this kernel (a real load, once),
 * so a backend is chosen only where its programs will load, and a refusal can name what is
 * missing and the version that brought it.
 */
#ifndef V6T_KFEATURES_H
#define V6T_KFEATURES_H

enum v6t_feature {
	V6T_FEAT_NONE,
	V6T_FEAT_FUNC_ARGS,		/* bpf_get_func_arg/ret in fexit programs */
	V6T_FEAT_STRUCT_ARGS,		/* fexit on a function taking a struct by value */
	V6T_FEAT_TASK_BTF,		/* bpf_get_current_task_btf */
	V6T_FEAT_SOCK_FROM_FILE,	/* bpf_sock_from_file */
	V6T_FEAT_SK_STORAGE_TRACING,	/* bpf_sk_storage_get in tracing programs */
	V6T_FEAT_ATOMICS,		/* BPF_ATOMIC instructions (cmpxchg) */
	V6T_FEAT_TASK_PT_REGS,		/* bpf_task_pt_regs */
	V6T_FEAT_KFUNC_TRAMPOLINE,	/* fentry/fexit on a kernel function (ftrace direct calls) */
	V6T_FEAT_DROP_REASON,		/* skb:kfree_skb's reason, with SKB_DROP_REASON_NO_SOCKET */
	V6T_FEAT_COUNT
};

#define V6T_FEAT(f) (1U << (f))

/* "bpf_get_current_task_btf (Linux 5.11)": what feature f is and the first kernel with it. */
const char *v6t_feature_describe(int f);

/* Non-zero if this kernel has feature f (probed on first use). */
int v6t_feature_present(int f);

/*
 * Of the features in mask (V6T_FEAT() bits), the missing one that came in the newest kernel,
 * so a refusal names the version that would do; V6T_FEAT_NONE if none is missing.
 */
int v6t_features_missing(unsigned int mask);

struct btf;

/*
 * The kernel's BTF, for the probes: parsed once (some MiB), NULL if there is none. Released
 * before the BPF object loads, which parses its own: the two are never held at once.
 */
const struct btf *v6t_kernel_btf(void);
void v6t_kernel_btf_release(void);

/* Non-zero if a failed BPF load's log says the helper called is unknown to this kernel. */
int v6t_log_unknown_helper(const char *log);

#endif

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "kfeatures.h"
#include "skel.h"
#include "tracefs.h"

#define KERNEL_ENOTSUPP 524	/* the kernel's own ENOTSUPP, which userspace's errno.h lacks */

/*
 * A BPF program by its place in the skeleton, as libbpf-tools names programs by
 * skel->progs.x: renaming a BPF function without renaming it here fails to compile.
 */
struct prog_ref {
	size_t off;		/* of its struct bpf_program * in struct v6trace_bpf */
	const char *name;	/* the same name, for -v; NULL ends a list */
	const char *tp_event;	/* syscalls:<tp_event>, for a syscall tracepoint program */
};

#define PROG(p) { offsetof(struct v6trace_bpf, progs.p), #p, NULL }
#define SYSCALL_TP(p, event) { offsetof(struct v6trace_bpf, progs.p), #p, event }
#define PROGS(...) ((const struct prog_ref[]){ __VA_ARGS__, { 0, NULL, NULL } })

struct hook_desc {
	const char *name;
	const char *kfuncs[3];	/* what fentry and kprobe attach to */
	const char *kprobe_kfuncs[3];	/* what kprobe attaches to, where it differs */
	const struct prog_ref *progs[V6T_BACKEND_COUNT];
	/*
	 * What those programs need beyond their hook (V6T_FEAT() bits), probed before choosing.
	 * The fentry probe needs no entry: it loads a program that calls what ours call.
	 */
	unsigned int needs[V6T_BACKEND_COUNT];
	/*
	 * The tracepoint backend prefers one syscalls:sys_exit_NAME tracepoint per syscall (its
	 * SYSCALL_TP programs, which need tp_needs): only those syscalls run a program. Without
	 * tracefs or those helpers it falls back to raw_progs, one program on every syscall's exit.
	 */
	const struct prog_ref *raw_progs;
	unsigned int tp_needs;
	/* listen: served by these instead when the tracepoint backend loads them for another hook */
	const struct prog_ref *state_progs;
	/*
	 * Its event kind is an extra the tool works without: on a kernel that cannot serve it the
	 * hook is off (-v says why), unless --event asked for that kind.
	 */
	bool optional;
};

#define SYSCALL_TP_NEEDS (V6T_FEAT(V6T_FEAT_TASK_BTF) | V6T_FEAT(V6T_FEAT_TASK_PT_REGS))
/*
 * The TCP state program (tracepoint accept and connect) claims connect slots with cmpxchg,
 * an instruction older kernels reject wherever it is, even in code the loader's constants
 * switch off; accept also keeps its listener in socket storage, and the iterator finds the
 * sockets of older listeners with bpf_sock_from_file.
 */
#define STATE_NEEDS V6T_FEAT(V6T_FEAT_ATOMICS)
#define ACCEPT_NEEDS (STATE_NEEDS | V6T_FEAT(V6T_FEAT_SK_STORAGE_TRACING) | \
		      V6T_FEAT(V6T_FEAT_SOCK_FROM_FILE))

static const struct hook_desc hooks[V6T_HOOK_COUNT] = {
	[V6T_HOOK_BIND] = {
		.name = "bind",
		.kfuncs = { "inet_bind", "inet6_bind" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS(PROG(v6t_fexit_inet_bind), PROG(v6t_fexit_inet6_bind)),
			[V6T_BACKEND_KPROBE] = PROGS(PROG(v6t_kp_inet_bind), PROG(v6t_krp_inet_bind),
						     PROG(v6t_kp_inet6_bind), PROG(v6t_krp_inet6_bind)),
			[V6T_BACKEND_TRACEPOINT] = PROGS(SYSCALL_TP(v6t_tp_exit_bind, "sys_exit_bind")),
		},
		.raw_progs = PROGS(PROG(v6t_tp_sys_exit)),
		.tp_needs = SYSCALL_TP_NEEDS,
	},
	[V6T_HOOK_V6ONLY] = {
		.name = "v6only",
		.kfuncs = { "ipv6_setsockopt" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS(PROG(v6t_fexit_ipv6_sockopt)),
			[V6T_BACKEND_KPROBE] = PROGS(PROG(v6t_kp_ipv6_sockopt), PROG(v6t_krp_ipv6_sockopt)),
			[V6T_BACKEND_TRACEPOINT] = PROGS(SYSCALL_TP(v6t_tp_exit_setsockopt,
								    "sys_exit_setsockopt")),
		},
		.raw_progs = PROGS(PROG(v6t_tp_sys_exit)),
		.tp_needs = SYSCALL_TP_NEEDS,
	},
	[V6T_HOOK_ACCEPT] = {
		.name = "accept",
		.kfuncs = { "inet_csk_accept" },
		/* no kretprobe, whose instances run out with many threads blocked in accept() */
		.kprobe_kfuncs = { "inet_csk_accept", "security_sock_graft" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS(PROG(v6t_fexit_csk_accept)),
			[V6T_BACKEND_KPROBE] = PROGS(PROG(v6t_kp_csk_accept), PROG(v6t_kp_sock_graft)),
			/* SYN_RECV -> ESTABLISHED; the iterators find who owns older listeners */
			[V6T_BACKEND_TRACEPOINT] = PROGS(PROG(v6t_tp_sock_state), PROG(v6t_iter_holders),
							 PROG(v6t_iter_listeners)),
		},
		.needs = { [V6T_BACKEND_TRACEPOINT] = ACCEPT_NEEDS },
	},
	[V6T_HOOK_CONNECT] = {
		.name = "connect",
		.kfuncs = { "inet_stream_connect" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS(PROG(v6t_fexit_connect)),
			[V6T_BACKEND_KPROBE] = PROGS(PROG(v6t_kp_connect), PROG(v6t_krp_connect)),
			/* SYN_SENT -> ESTABLISHED or CLOSE, the caller recorded at -> SYN_SENT */
			[V6T_BACKEND_TRACEPOINT] = PROGS(PROG(v6t_tp_sock_state)),
		},
		.needs = { [V6T_BACKEND_TRACEPOINT] = STATE_NEEDS },
	},
	[V6T_HOOK_UDP_RECV] = {
		.name = "udp-recv",
		.kfuncs = { "udpv6_recvmsg" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS(PROG(v6t_fexit_udp6_recv)),
			[V6T_BACKEND_KPROBE] = PROGS(PROG(v6t_kp_udp6_recv), PROG(v6t_krp_udp6_recv)),
			[V6T_BACKEND_TRACEPOINT] = PROGS(SYSCALL_TP(v6t_tp_exit_recvfrom, "sys_exit_recvfrom"),
							 SYSCALL_TP(v6t_tp_exit_recvmsg, "sys_exit_recvmsg"),
							 SYSCALL_TP(v6t_tp_exit_recvmmsg, "sys_exit_recvmmsg")),
		},
		.raw_progs = PROGS(PROG(v6t_tp_sys_exit)),
		.tp_needs = SYSCALL_TP_NEEDS,
	},
	/*
	 * sock:inet_sock_set_state serves listen in every backend: nothing better exists. Its
	 * listen-only program needs nothing newer than tp_btf; the full one, once loaded for
	 * accept or connect, reports listens too (one program on the tracepoint, not two).
	 */
	[V6T_HOOK_LISTEN] = {
		.name = "listen",
		.progs = { [V6T_BACKEND_TRACEPOINT] = PROGS(PROG(v6t_tp_listen)) },
		.state_progs = PROGS(PROG(v6t_tp_sock_state)),
	},
	/* skb:kfree_skb with SKB_DROP_REASON_NO_SOCKET, in every backend: see refused.bpf.c */
	[V6T_HOOK_REFUSED] = {
		.name = "refused",
		.progs = { [V6T_BACKEND_TRACEPOINT] = PROGS(PROG(v6t_tp_refused)) },
		.needs = { [V6T_BACKEND_TRACEPOINT] = V6T_FEAT(V6T_FEAT_DROP_REASON) |
						      V6T_FEAT(V6T_FEAT_ATOMICS) },
		.optional = true,
	},
};

const char *v6t_hook_name(int hook)
{
	return hook >= 0 && hook < V6T_HOOK_COUNT ? hooks[hook].name : "unknown";
}

/* The programs that serve hook in backend; NULL if it cannot. */
static const struct prog_ref *hook_programs(int hook, int backend)
{
	if (hook < 0 || hook >= V6T_HOOK_COUNT || backend <= 0 || backend >= V6T_BACKEND_COUNT)
		return NULL;
	return hooks[hook].progs[backend];
}

/* Non-zero if func takes a struct or union by value (sockptr_t, say). */
static int has_struct_arg(const struct btf *btf, int func_id)
{
	const struct btf_type *proto = btf__type_by_id(btf, btf__type_by_id(btf, func_id)->type);
	const struct btf_param *params = btf_params(proto);

	for (int i = 0; i < btf_vlen(proto); i++) {
		const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, params[i].type));

		if (t && (btf_is_struct(t) || btf_is_union(t)))
			return 1;
	}
	return 0;
}

/*
 * An fexit program at func doing what ours do, reading an argument and the result, so a
 * kernel without those helpers (before 5.17) or without trampolines for struct arguments
 * (before 6.1) fails here rather than at the real load. 0, or -errno with *missing set when
 * a feature is what lacks.
 */
static int load_fexit_probe(const struct btf *btf, int id, uint8_t *missing)
{
	const struct bpf_insn insns[] = {
		{ .code = 0xbf, .dst_reg = 6, .src_reg = 1 },		/* r6 = ctx */
		{ .code = 0x7a, .dst_reg = 10, .off = -8 },		/* *(u64 *)(r10 - 8) = 0 */
		{ .code = 0xbf, .dst_reg = 2, .src_reg = 10 },		/* r2 = r10 */
		{ .code = 0x07, .dst_reg = 2, .imm = -8 },		/* r2 += -8 */
		{ .code = 0x85, .imm = BPF_FUNC_get_func_ret },		/* bpf_get_func_ret(ctx, r2) */
		{ .code = 0xbf, .dst_reg = 1, .src_reg = 6 },		/* r1 = ctx */
		{ .code = 0xb7, .dst_reg = 2, .imm = 0 },		/* r2 = 0 */
		{ .code = 0xbf, .dst_reg = 3, .src_reg = 10 },		/* r3 = r10 */
		{ .code = 0x07, .dst_reg = 3, .imm = -8 },		/* r3 += -8 */
		{ .code = 0x85, .imm = BPF_FUNC_get_func_arg },		/* bpf_get_func_arg(ctx, 0, r3) */
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },		/* r0 = 0 */
		{ .code = 0x95 },					/* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FEXIT);
	char log[4096] = "";
	int fd, err;

	opts.attach_btf_id = id;
	opts.log_buf = log;
	opts.log_size = sizeof(log);
	opts.log_level = 1;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "v6t_probe", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	if (fd >= 0)
		return fd;
	err = -errno;
	if (v6t_log_unknown_helper(log))
		*missing = V6T_FEAT_FUNC_ARGS;
	else if (err == -EINVAL && has_struct_arg(btf, id))	/* EPERM: fexit is locked down */
		*missing = V6T_FEAT_STRUCT_ARGS;
	return *missing ? -EOPNOTSUPP : err;
}

/*
 * A real attach, not only a BTF lookup: on some kernels fexit programs load but cannot
 * attach (function tracing locked down), and that is what decides.
 */
static int probe_fentry(const char *func, uint8_t *missing)
{
	const struct btf *btf = v6t_kernel_btf();
	int id, prog_fd, link_fd;

	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	if (id < 0)
		return -ENOENT;
	prog_fd = load_fexit_probe(btf, id, missing);
	if (prog_fd < 0)
		return prog_fd;
	link_fd = bpf_raw_tracepoint_open(NULL, prog_fd);
	if (link_fd < 0) {
		int err = -errno;

		close(prog_fd);
		/* the kernel's ENOTSUPP: no ftrace direct calls for a trampoline (arm64 < 6.4) */
		if (err == -KERNEL_ENOTSUPP) {
			*missing = V6T_FEAT_KFUNC_TRAMPOLINE;
			return -EOPNOTSUPP;
		}
		return err;
	}
	close(link_fd);
	close(prog_fd);
	return 0;
}

static int kprobe_pmu_type(void)
{
	static int type = -2;
	char buf[32] = "";
	int fd;

	if (type != -2)
		return type;
	type = -1;
	fd = open("/sys/bus/event_source/devices/kprobe/type", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return type;
	if (read(fd, buf, sizeof(buf) - 1) > 0)
		type = atoi(buf);
	close(fd);
	return type;
}

/* Registers (and at once removes) a kprobe on func through the kprobe PMU. */
static int probe_kprobe(const char *func)
{
	struct perf_event_attr attr = {};
	int type = kprobe_pmu_type();
	int fd;

	if (type < 0)
		return -EOPNOTSUPP;	/* CONFIG_KPROBES off: there is no kprobe PMU */
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config1 = (uint64_t)(uintptr_t)func;
	fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * 0 if the syscalls:sys_exit_* programs can serve hook: their helpers are here and each
 * tracepoint has an id; else -errno, and *missing the feature if that is why.
 */
static int probe_syscall_tracepoints(int hook, uint8_t *missing)
{
	*missing = v6t_features_missing(hooks[hook].tp_needs);
	if (*missing)
		return -EOPNOTSUPP;
	for (const struct prog_ref *p = hooks[hook].progs[V6T_BACKEND_TRACEPOINT]; p->name; p++) {
		int id = p->tp_event ? v6t_tracepoint_id("syscalls", p->tp_event) : 0;

		if (id < 0)
			return id;
	}
	return 0;
}

/*
 * The programs that serve hook under plan: raw sys_exit if its syscall tracepoints cannot be
 * used, and for listen the TCP state program if the tracepoint backend loads it anyway.
 */
static const struct prog_ref *plan_programs(const struct v6t_plan *plan, int hook)
{
	if (plan->backend[hook] != V6T_BACKEND_TRACEPOINT)
		return hook_programs(hook, plan->backend[hook]);
	if (plan->tp_err[hook])
		return hooks[hook].raw_progs;
	if (hooks[hook].state_progs && (plan->backend[V6T_HOOK_ACCEPT] == V6T_BACKEND_TRACEPOINT ||
					plan->backend[V6T_HOOK_CONNECT] == V6T_BACKEND_TRACEPOINT))
		return hooks[hook].state_progs;
	return hook_programs(hook, V6T_BACKEND_TRACEPOINT);
}

static struct bpf_program *skel_program(const struct v6trace_bpf *skel, const struct prog_ref *p)
{
	return *(struct bpf_program *const *)((const char *)skel + p->off);
}

unsigned int v6t_plan_hooks_of(const struct v6t_plan *plan, const struct v6trace_bpf *skel,
			       const struct bpf_program *prog, int *backend)
{
	unsigned int mask = 0;

	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++)
		for (const struct prog_ref *p = plan_programs(plan, hook); p && p->name; p++)
			if (skel_program(skel, p) == prog) {
				mask |= 1U << hook;
				*backend = plan->backend[hook];
			}
	return mask;
}

int v6t_plan_programs(const struct v6t_plan *plan, const struct v6trace_bpf *skel,
		      struct v6t_plan_prog *out)
{
	int n = 0;

	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		for (const struct prog_ref *p = plan_programs(plan, hook); p && p->name; p++) {
			struct bpf_program *prog = skel_program(skel, p);
			int seen = 0;

			/* sock:inet_sock_set_state and the raw sys_exit serve several hooks */
			for (int i = 0; i < n && !seen; i++)
				seen = out[i].prog == prog;
			if (seen)
				continue;
			if (n == V6T_PLAN_PROGS_MAX)
				return -E2BIG;
			out[n++] = (struct v6t_plan_prog){ .prog = prog, .tp_event = p->tp_event, .hook = hook };
		}
	}
	return n;
}

/*
 * 0 if backend can attach hook on this kernel and its programs will load, else -errno (the
 * reason it cannot), with *missing the feature when that is the reason.
 */
static int probe(int backend, int hook, uint8_t *missing)
{
	const struct hook_desc *h = &hooks[hook];
	const char *const *kfuncs = h->kfuncs;
	int err = 0;

	*missing = V6T_FEAT_NONE;
	if (!hook_programs(hook, backend))
		return -EOPNOTSUPP;
	/* tp_btf needs the tracepoint's BTF type; present in every BTF kernel since 5.5 */
	if (backend == V6T_BACKEND_TRACEPOINT && !v6t_kernel_btf())
		return -ENOENT;
	/* the fentry probe calls its helpers itself, at each function */
	*missing = v6t_features_missing(h->needs[backend]);
	if (*missing)
		return -EOPNOTSUPP;
	if (backend == V6T_BACKEND_TRACEPOINT)
		return 0;
	if (backend == V6T_BACKEND_KPROBE && h->kprobe_kfuncs[0])
		kfuncs = h->kprobe_kfuncs;
	for (int i = 0; !err && kfuncs[i]; i++)
		err = backend == V6T_BACKEND_FENTRY ? probe_fentry(kfuncs[i], missing)
						    : probe_kprobe(kfuncs[i]);
	return err;
}

unsigned int v6t_hooks_for_events(uint32_t event_mask)
{
	static const int hook_of[V6T_EV_MAX + 1] = {
		[V6T_EV_BIND] = V6T_HOOK_BIND,
		[V6T_EV_V6ONLY] = V6T_HOOK_V6ONLY,
		[V6T_EV_LISTEN] = V6T_HOOK_LISTEN,
		[V6T_EV_ACCEPT] = V6T_HOOK_ACCEPT,
		[V6T_EV_SOCKET] = -1,	/* the start-up snapshot, not a hook */
		[V6T_EV_CONNECT] = V6T_HOOK_CONNECT,
		[V6T_EV_UDP_MAPPED] = V6T_HOOK_UDP_RECV,
		[V6T_EV_REFUSED] = V6T_HOOK_REFUSED,
	};
	unsigned int mask = 0;

	if (!event_mask)
		return (1U << V6T_HOOK_COUNT) - 1;
	for (int kind = 1; kind <= V6T_EV_MAX; kind++)
		if ((event_mask & (1U << kind)) && hook_of[kind] >= 0)
			mask |= 1U << hook_of[kind];
	/* which ports are served: listen and close keep TCP's, bind UDP's */
	if (mask & (1U << V6T_HOOK_REFUSED))
		mask |= 1U << V6T_HOOK_LISTEN | 1U << V6T_HOOK_BIND;
	return mask;
}

unsigned int v6t_hooks_optional(uint32_t event_mask)
{
	unsigned int mask = 0;

	if (event_mask)
		return 0;
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++)
		if (hooks[hook].optional)
			mask |= 1U << hook;
	return mask;
}

/* No backend can serve hook (b is the forced one, or the last tried): one line why. */
static int refuse(const struct v6t_plan *plan, int hook, int b, FILE *err)
{
	int e = plan->probe_err[hook][b];
	struct utsname u;

	if (plan->missing[hook][b]) {
		fprintf(err, "v6trace: the %s backend cannot hook %s on this kernel (%s): it needs %s\n",
			v6t_backend_name(b), hooks[hook].name, uname(&u) ? "?" : u.release,
			v6t_feature_describe(plan->missing[hook][b]));
		return -EOPNOTSUPP;
	}
	fprintf(err, "v6trace: the %s backend cannot hook %s%s%s on this kernel: %s\n",
		v6t_backend_name(b), hooks[hook].name, hooks[hook].kfuncs[0] ? " at " : "",
		hooks[hook].kfuncs[0] ? hooks[hook].kfuncs[0] : "", strerror(-e));
	return e ? e : -EOPNOTSUPP;
}

/*
 * The backend whose probe says why hook cannot be served: the forced one, unless the hook has
 * programs for the tracepoint backend alone (refused), which was tried whatever was forced.
 */
static int tried_last(int hook, int forced)
{
	return forced != V6T_BACKEND_AUTO && hook_programs(hook, forced) ? forced
									 : V6T_BACKEND_TRACEPOINT;
}

/* The first backend in auto's order (or the forced one) that probes well for hook; 0 if none. */
static int choose_for_hook(struct v6t_plan *plan, int hook, int forced, unsigned int excluded)
{
	static const int order[] = { V6T_BACKEND_FENTRY, V6T_BACKEND_KPROBE, V6T_BACKEND_TRACEPOINT };
	int only_one = !hook_programs(hook, V6T_BACKEND_FENTRY) &&
		       !hook_programs(hook, V6T_BACKEND_KPROBE);

	for (unsigned int i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int b = order[i];

		plan->missing[hook][b] = V6T_FEAT_NONE;
		if (!hook_programs(hook, b))
			continue;
		if (forced != V6T_BACKEND_AUTO && b != forced && !only_one)
			continue;
		if (excluded & (1U << b)) {
			plan->probe_err[hook][b] = -ENOEXEC;
			continue;
		}
		plan->probe_err[hook][b] = probe(b, hook, &plan->missing[hook][b]);
		if (!plan->probe_err[hook][b])
			return b;
	}
	return 0;
}

int v6t_plan_choose(struct v6t_plan *plan, int forced, unsigned int wanted, unsigned int optional,
		    const unsigned int *excluded, FILE *err)
{
	plan->unavailable = 0;
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		plan->backend[hook] = V6T_BACKEND_AUTO;
		plan->tp_err[hook] = 0;
		plan->tp_missing[hook] = V6T_FEAT_NONE;
	}
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		int chosen;

		/* a hook nobody asked for costs nothing: with no syscall hook, no syscall slows down */
		if (!(wanted & (1U << hook)))
			continue;
		chosen = choose_for_hook(plan, hook, forced, excluded[hook]);
		if (!chosen && (optional & (1U << hook))) {
			plan->unavailable |= 1U << hook;
			continue;
		}
		if (!chosen)
			return refuse(plan, hook, tried_last(hook, forced), err);
		plan->backend[hook] = chosen;
		if (chosen == V6T_BACKEND_TRACEPOINT && hooks[hook].raw_progs)
			plan->tp_err[hook] = probe_syscall_tracepoints(hook, &plan->tp_missing[hook]);
	}
	return 0;
}

/* An optional hook no backend serves here: off, and why, as refuse() would say it. */
static void print_unavailable(const struct v6t_plan *plan, int hook, FILE *err)
{
	int b = V6T_BACKEND_TRACEPOINT, e = plan->probe_err[hook][b];

	fprintf(err, "v6trace: hook %-8s -> off        (%s events are unavailable: ", hooks[hook].name,
		hooks[hook].name);
	if (plan->missing[hook][b])
		fprintf(err, "needs %s)\n", v6t_feature_describe(plan->missing[hook][b]));
	else
		fprintf(err, "%s)\n", e == -ENOEXEC ? "failed to load or attach" : strerror(-e));
}

void v6t_plan_print(const struct v6t_plan *plan, FILE *err)
{
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		int chosen = plan->backend[hook];
		const struct prog_ref *progs = plan_programs(plan, hook);

		if (plan->unavailable & (1U << hook)) {
			print_unavailable(plan, hook, err);
			continue;
		}
		if (chosen == V6T_BACKEND_AUTO) {
			fprintf(err, "v6trace: hook %-8s -> off        (no event kind traced needs it)\n",
				hooks[hook].name);
			continue;
		}
		fprintf(err, "v6trace: hook %-8s -> %-10s (", hooks[hook].name, v6t_backend_name(chosen));
		for (const struct prog_ref *p = progs; p && p->name; p++)
			fprintf(err, "%s%s", p != progs ? " " : "", p->name);
		fputc(')', err);
		for (int b = V6T_BACKEND_FENTRY; b < chosen; b++) {
			if (plan->missing[hook][b])
				fprintf(err, "; %s: needs %s", v6t_backend_name(b),
					v6t_feature_describe(plan->missing[hook][b]));
			else if (plan->probe_err[hook][b])
				fprintf(err, "; %s: %s", v6t_backend_name(b),
					plan->probe_err[hook][b] == -ENOEXEC ? "failed to load or attach"
									     : strerror(-plan->probe_err[hook][b]));
		}
		if (chosen == V6T_BACKEND_TRACEPOINT && plan->tp_missing[hook])
			fprintf(err, "; on every syscall's exit: the syscall tracepoints' programs need %s",
				v6t_feature_describe(plan->tp_missing[hook]));
		else if (chosen == V6T_BACKEND_TRACEPOINT && plan->tp_err[hook])
			fprintf(err, "; on every syscall's exit: no syscalls:sys_exit_* ids (%s: %s)",
				v6t_tracefs_where(), strerror(-plan->tp_err[hook]));
		fputc('\n', err);
	}
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "skel.h"
#include "tracefs.h"

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
	 * The tracepoint backend prefers one syscalls:sys_exit_NAME tracepoint per syscall (its
	 * SYSCALL_TP programs): only those syscalls run a program. Without tracefs it falls back
	 * to raw_progs, one program on every syscall's exit.
	 */
	const struct prog_ref *raw_progs;
};

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
	},
	[V6T_HOOK_ACCEPT] = {
		.name = "accept",
		.kfuncs = { "inet_csk_accept" },
		/* no kretprobe, whose instances run out with many threads blocked in accept() */
		.kprobe_kfuncs = { "inet_csk_accept", "security_sock_graft" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS(PROG(v6t_fexit_csk_accept)),
			[V6T_BACKEND_KPROBE] = PROGS(PROG(v6t_kp_csk_accept), PROG(v6t_kp_sock_graft)),
			/* SYN_RECV -> ESTABLISHED; the iterator finds who owns older listeners */
			[V6T_BACKEND_TRACEPOINT] = PROGS(PROG(v6t_tp_sock_state), PROG(v6t_iter_listeners)),
		},
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
	},
	/* sock:inet_sock_set_state serves listen in every backend: nothing better exists */
	[V6T_HOOK_LISTEN] = {
		.name = "listen",
		.progs = { [V6T_BACKEND_TRACEPOINT] = PROGS(PROG(v6t_tp_sock_state)) },
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

static struct btf *vmlinux_btf(void)
{
	static struct btf *btf;
	static int tried;

	/* libbpf 1.x returns NULL (errno set) when there is none: tried once, not per probe */
	if (!tried) {
		tried = 1;
		btf = btf__load_vmlinux_btf();
	}
	return btf;
}

/*
 * A real attach, not only a BTF lookup: on some kernels fexit programs load but cannot
 * attach (function tracing locked down), and that is what decides.
 */
static int probe_fentry(const char *func)
{
	const struct bpf_insn ret0[] = {
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },	/* r0 = 0 */
		{ .code = 0x95 },				/* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FEXIT);
	struct btf *btf = vmlinux_btf();
	int id, prog_fd, link_fd;

	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	if (id < 0)
		return -ENOENT;
	opts.attach_btf_id = id;
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "v6t_probe", "GPL", ret0, 2, &opts);
	if (prog_fd < 0)
		return -errno;
	link_fd = bpf_raw_tracepoint_open(NULL, prog_fd);
	if (link_fd < 0) {
		int err = -errno;

		close(prog_fd);
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

/* 0 if every syscalls:sys_exit_* tracepoint hook wants has an id here, else -errno. */
static int probe_syscall_tracepoints(int hook)
{
	for (const struct prog_ref *p = hooks[hook].progs[V6T_BACKEND_TRACEPOINT]; p->name; p++) {
		int id = p->tp_event ? v6t_tracepoint_id("syscalls", p->tp_event) : 0;

		if (id < 0)
			return id;
	}
	return 0;
}

/* The programs that serve hook under plan (raw sys_exit if its syscall tracepoints are missing). */
static const struct prog_ref *plan_programs(const struct v6t_plan *plan, int hook)
{
	if (plan->backend[hook] == V6T_BACKEND_TRACEPOINT && plan->tp_err[hook])
		return hooks[hook].raw_progs;
	return hook_programs(hook, plan->backend[hook]);
}

static struct bpf_program *skel_program(const struct v6trace_bpf *skel, const struct prog_ref *p)
{
	return *(struct bpf_program *const *)((const char *)skel + p->off);
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

/* 0 if backend can attach hook on this kernel, else -errno (the reason it cannot). */
static int probe(int backend, int hook)
{
	const struct hook_desc *h = &hooks[hook];
	const char *const *kfuncs = h->kfuncs;
	int err = 0;

	if (!hook_programs(hook, backend))
		return -EOPNOTSUPP;
	if (backend == V6T_BACKEND_TRACEPOINT) {
		/* tp_btf needs the tracepoint's BTF type; present in every BTF kernel since 5.5 */
		if (!vmlinux_btf())
			return -ENOENT;
		return 0;
	}
	if (backend == V6T_BACKEND_KPROBE && h->kprobe_kfuncs[0])
		kfuncs = h->kprobe_kfuncs;
	for (int i = 0; !err && kfuncs[i]; i++)
		err = backend == V6T_BACKEND_FENTRY ? probe_fentry(kfuncs[i]) : probe_kprobe(kfuncs[i]);
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
	};
	unsigned int mask = 0;

	if (!event_mask)
		return (1U << V6T_HOOK_COUNT) - 1;
	for (int kind = 1; kind <= V6T_EV_MAX; kind++)
		if ((event_mask & (1U << kind)) && hook_of[kind] >= 0)
			mask |= 1U << hook_of[kind];
	return mask;
}

int v6t_plan_choose(struct v6t_plan *plan, int forced, unsigned int wanted, const unsigned int *excluded,
		    FILE *err)
{
	static const int order[] = { V6T_BACKEND_FENTRY, V6T_BACKEND_KPROBE, V6T_BACKEND_TRACEPOINT };

	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		int chosen = 0;

		plan->backend[hook] = V6T_BACKEND_AUTO;
		plan->tp_err[hook] = 0;
		/* a hook nobody asked for costs nothing: with no syscall hook, no syscall slows down */
		if (!(wanted & (1U << hook)))
			continue;

		for (unsigned int i = 0; i < sizeof(order) / sizeof(order[0]) && !chosen; i++) {
			int b = order[i];
			int only_one = !hook_programs(hook, V6T_BACKEND_FENTRY) &&
				       !hook_programs(hook, V6T_BACKEND_KPROBE);

			if (!hook_programs(hook, b))
				continue;
			if (forced != V6T_BACKEND_AUTO && b != forced && !only_one)
				continue;
			if (excluded[hook] & (1U << b)) {
				plan->probe_err[hook][b] = -ENOEXEC;
				continue;
			}
			/* the last resort is probed only to report; its own load says more */
			plan->probe_err[hook][b] = probe(b, hook);
			if (!plan->probe_err[hook][b])
				chosen = b;
		}
		if (!chosen) {
			int b = forced != V6T_BACKEND_AUTO ? forced : V6T_BACKEND_TRACEPOINT;

			fprintf(err, "v6trace: the %s backend cannot hook %s%s%s on this kernel: %s\n",
				v6t_backend_name(b), hooks[hook].name,
				hooks[hook].kfuncs[0] ? " at " : "",
				hooks[hook].kfuncs[0] ? hooks[hook].kfuncs[0] : "",
				strerror(-plan->probe_err[hook][b]));
			return plan->probe_err[hook][b] ? plan->probe_err[hook][b] : -EOPNOTSUPP;
		}
		plan->backend[hook] = chosen;
		plan->tp_err[hook] = 0;
		if (chosen == V6T_BACKEND_TRACEPOINT && hooks[hook].raw_progs)
			plan->tp_err[hook] = probe_syscall_tracepoints(hook);
	}
	return 0;
}

void v6t_plan_print(const struct v6t_plan *plan, FILE *err)
{
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		int chosen = plan->backend[hook];
		const struct prog_ref *progs = plan_programs(plan, hook);

		if (chosen == V6T_BACKEND_AUTO) {
			fprintf(err, "v6trace: hook %-8s -> off        (no event kind traced needs it)\n",
				hooks[hook].name);
			continue;
		}
		fprintf(err, "v6trace: hook %-8s -> %-10s (", hooks[hook].name, v6t_backend_name(chosen));
		for (const struct prog_ref *p = progs; p && p->name; p++)
			fprintf(err, "%s%s", p != progs ? " " : "", p->name);
		fputc(')', err);
		for (int b = V6T_BACKEND_FENTRY; b < chosen; b++)
			if (plan->probe_err[hook][b])
				fprintf(err, "; %s: %s", v6t_backend_name(b),
					plan->probe_err[hook][b] == -ENOEXEC ? "failed to load or attach"
									     : strerror(-plan->probe_err[hook][b]));
		if (chosen == V6T_BACKEND_TRACEPOINT && plan->tp_err[hook])
			fprintf(err, "; on every syscall's exit: no syscalls:sys_exit_* ids (%s: %s)",
				v6t_tracefs_where(), strerror(-plan->tp_err[hook]));
		fputc('\n', err);
	}
}

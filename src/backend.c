// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "tracefs.h"

struct hook_desc {
	const char *name;
	const char *kfuncs[3];	/* what fentry and kprobe attach to */
	const char *const *progs[V6T_BACKEND_COUNT];
	/*
	 * The tracepoint backend prefers one syscalls:sys_exit_NAME tracepoint per syscall (these
	 * events, in the same order as its programs): only those syscalls run a program. Without
	 * tracefs it falls back to raw_progs, one program on every syscall's exit.
	 */
	const char *tp_events[4];
	const char *const *raw_progs;
};

#define PROGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Program names are the BPF function names in bpf/. */
static const struct hook_desc hooks[V6T_HOOK_COUNT] = {
	[V6T_HOOK_BIND] = {
		.name = "bind",
		.kfuncs = { "inet_bind", "inet6_bind" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS("v6t_fexit_inet_bind", "v6t_fexit_inet6_bind"),
			[V6T_BACKEND_KPROBE] = PROGS("v6t_kp_inet_bind", "v6t_krp_inet_bind",
						     "v6t_kp_inet6_bind", "v6t_krp_inet6_bind"),
			[V6T_BACKEND_TRACEPOINT] = PROGS("v6t_tp_exit_bind"),
		},
		.tp_events = { "sys_exit_bind" },
		.raw_progs = PROGS("v6t_tp_sys_exit"),
	},
	[V6T_HOOK_V6ONLY] = {
		.name = "v6only",
		.kfuncs = { "ipv6_setsockopt" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS("v6t_fexit_ipv6_sockopt"),
			[V6T_BACKEND_KPROBE] = PROGS("v6t_kp_ipv6_sockopt", "v6t_krp_ipv6_sockopt"),
			[V6T_BACKEND_TRACEPOINT] = PROGS("v6t_tp_exit_setsockopt"),
		},
		.tp_events = { "sys_exit_setsockopt" },
		.raw_progs = PROGS("v6t_tp_sys_exit"),
	},
	[V6T_HOOK_ACCEPT] = {
		.name = "accept",
		.kfuncs = { "inet_csk_accept" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS("v6t_fexit_csk_accept"),
			[V6T_BACKEND_KPROBE] = PROGS("v6t_kp_csk_accept", "v6t_krp_csk_accept"),
			/* SYN_RECV -> ESTABLISHED; the iterator finds who owns older listeners */
			[V6T_BACKEND_TRACEPOINT] = PROGS("v6t_tp_sock_state", "v6t_iter_listeners"),
		},
	},
	[V6T_HOOK_CONNECT] = {
		.name = "connect",
		.kfuncs = { "inet_stream_connect" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS("v6t_fexit_connect"),
			[V6T_BACKEND_KPROBE] = PROGS("v6t_kp_connect", "v6t_krp_connect"),
			/* SYN_SENT -> ESTABLISHED or CLOSE, the caller recorded at -> SYN_SENT */
			[V6T_BACKEND_TRACEPOINT] = PROGS("v6t_tp_sock_state"),
		},
	},
	[V6T_HOOK_UDP_RECV] = {
		.name = "udp-recv",
		.kfuncs = { "udpv6_recvmsg" },
		.progs = {
			[V6T_BACKEND_FENTRY] = PROGS("v6t_fexit_udp6_recv"),
			[V6T_BACKEND_KPROBE] = PROGS("v6t_kp_udp6_recv", "v6t_krp_udp6_recv"),
			[V6T_BACKEND_TRACEPOINT] = PROGS("v6t_tp_exit_recvfrom", "v6t_tp_exit_recvmsg",
							 "v6t_tp_exit_recvmmsg"),
		},
		.tp_events = { "sys_exit_recvfrom", "sys_exit_recvmsg", "sys_exit_recvmmsg" },
		.raw_progs = PROGS("v6t_tp_sys_exit"),
	},
	/* sock:inet_sock_set_state serves listen in every backend: nothing better exists */
	[V6T_HOOK_LISTEN] = {
		.name = "listen",
		.progs = { [V6T_BACKEND_TRACEPOINT] = PROGS("v6t_tp_sock_state") },
	},
};

const char *v6t_hook_name(int hook)
{
	return hook >= 0 && hook < V6T_HOOK_COUNT ? hooks[hook].name : "unknown";
}

const char *const *v6t_hook_programs(int hook, int backend)
{
	if (hook < 0 || hook >= V6T_HOOK_COUNT || backend <= 0 || backend >= V6T_BACKEND_COUNT)
		return NULL;
	return hooks[hook].progs[backend];
}

static struct btf *vmlinux_btf(void)
{
	static struct btf *btf;
	static int tried;

	if (!tried) {
		tried = 1;
		btf = btf__load_vmlinux_btf();
		if (!btf)
			btf = NULL;
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
	const struct hook_desc *h = &hooks[hook];

	for (int i = 0; h->tp_events[i]; i++) {
		int id = v6t_tracepoint_id("syscalls", h->tp_events[i]);

		if (id < 0)
			return id;
	}
	return 0;
}

const char *const *v6t_plan_programs(const struct v6t_plan *plan, int hook)
{
	if (plan->backend[hook] == V6T_BACKEND_TRACEPOINT && plan->tp_err[hook])
		return hooks[hook].raw_progs;
	return v6t_hook_programs(hook, plan->backend[hook]);
}

int v6t_program_tracepoint(const char *prog_name, const char **event)
{
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		const char *const *progs = hooks[hook].progs[V6T_BACKEND_TRACEPOINT];

		for (int i = 0; hooks[hook].tp_events[0] && progs[i]; i++)
			if (!strcmp(progs[i], prog_name)) {
				*event = hooks[hook].tp_events[i];
				return 0;
			}
	}
	return -ENOENT;
}

int v6t_probe(int backend, int hook)
{
	const struct hook_desc *h = &hooks[hook];
	int err = 0;

	if (!v6t_hook_programs(hook, backend))
		return -EOPNOTSUPP;
	if (backend == V6T_BACKEND_TRACEPOINT) {
		/* tp_btf needs the tracepoint's BTF type; present in every BTF kernel since 5.5 */
		if (!vmlinux_btf())
			return -ENOENT;
		return 0;
	}
	for (int i = 0; !err && h->kfuncs[i]; i++)
		err = backend == V6T_BACKEND_FENTRY ? probe_fentry(h->kfuncs[i])
						    : probe_kprobe(h->kfuncs[i]);
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
			int only_one = !v6t_hook_programs(hook, V6T_BACKEND_FENTRY) &&
				       !v6t_hook_programs(hook, V6T_BACKEND_KPROBE);

			if (!v6t_hook_programs(hook, b))
				continue;
			if (forced != V6T_BACKEND_AUTO && b != forced && !only_one)
				continue;
			if (excluded[hook] & (1U << b)) {
				plan->probe_err[hook][b] = -ENOEXEC;
				continue;
			}
			/* the last resort is probed only to report; its own load says more */
			plan->probe_err[hook][b] = v6t_probe(b, hook);
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
		if (chosen == V6T_BACKEND_TRACEPOINT && hooks[hook].tp_events[0])
			plan->tp_err[hook] = probe_syscall_tracepoints(hook);
	}
	return 0;
}

void v6t_plan_print(const struct v6t_plan *plan, FILE *err)
{
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		int chosen = plan->backend[hook];
		const char *const *progs = v6t_plan_programs(plan, hook);

		if (chosen == V6T_BACKEND_AUTO) {
			fprintf(err, "v6trace: hook %-8s -> off        (no event kind traced needs it)\n",
				hooks[hook].name);
			continue;
		}
		fprintf(err, "v6trace: hook %-8s -> %-10s (", hooks[hook].name, v6t_backend_name(chosen));
		for (int i = 0; progs && progs[i]; i++)
			fprintf(err, "%s%s", i ? " " : "", progs[i]);
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

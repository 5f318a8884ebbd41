// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tracepoint backend, for kernels where neither trampolines nor kprobes attach: bind,
 * setsockopt and the UDP receive calls at their syscall exits (accept and connect are TCP
 * state changes, in sockstate.bpf.c). The syscall's arguments are still in the saved user
 * registers, so the exit alone suffices (no sys_enter twin). Sockets are found from the fd
 * through the task's file table.
 *
 * Preferred: one syscalls:sys_exit_NAME tracepoint per syscall we need, so no other syscall
 * runs a program (every syscall still takes the tracing slow path, but that alone is cheap).
 * Fallback, when no tracefs gives the tracepoint ids: one BTF-typed raw tracepoint on every
 * syscall's exit, with an early exit on the syscall number.
 *
 * Only native syscalls are seen: not io_uring operations, not in-kernel sockets, not 32-bit
 * (compat) processes, and for UDP only recvfrom/recvmsg/recvmmsg that ask for the source.
 * Syscall numbers and the compat test are the architecture's (arch.bpf.h); the arguments are
 * read with libbpf's syscall-convention accessors, which also know that arm64 keeps the first
 * in orig_x0 because x0 holds the return value by now.
 */
#include "v6trace.bpf.h"

/* fd -> struct file -> struct socket, or NULL when the fd is not (or no longer) a socket. */
static __always_inline struct socket *fd_to_socket(struct task_struct *task, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	unsigned int max_fds = BPF_CORE_READ(fdt, max_fds);
	struct file *file = NULL;

	if (fd < 0 || fd >= max_fds)
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (!file)
		return NULL;
	/* another thread may have closed and reused the fd since the syscall ran */
	if ((BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT_BITS) != S_IFSOCK_BITS)
		return NULL;
	return BPF_CORE_READ(file, private_data);
}

/* Errors raised before the socket layer runs: nothing to report about a socket. */
static __always_inline int fd_error(long ret)
{
	return ret == -9 /* EBADF */ || ret == -88 /* ENOTSOCK */ || ret == -14 /* EFAULT */;
}

static __always_inline void tp_bind(struct task_struct *task, struct pt_regs *regs, long ret)
{
	struct socket *sock;

	if (fd_error(ret))
		return;
	sock = fd_to_socket(task, PT_REGS_PARM1_CORE_SYSCALL(regs));
	if (sock)
		v6t_on_bind(sock, (const void *)PT_REGS_PARM2_CORE_SYSCALL(regs), 1, ret,
			    V6T_BACKEND_TRACEPOINT);
}

static __always_inline void tp_setsockopt(struct task_struct *task, struct pt_regs *regs, long ret)
{
	struct socket *sock;

	if (PT_REGS_PARM2_CORE_SYSCALL(regs) != SOL_IPV6_LEVEL ||
	    PT_REGS_PARM3_CORE_SYSCALL(regs) != IPV6_V6ONLY_OPT || fd_error(ret))
		return;
	sock = fd_to_socket(task, PT_REGS_PARM1_CORE_SYSCALL(regs));
	if (sock)
		v6t_on_v6only(BPF_CORE_READ(sock, sk), (const void *)PT_REGS_PARM4_CORE_SYSCALL(regs), 1,
			      PT_REGS_PARM5_CORE_SYSCALL(regs), ret, V6T_BACKEND_TRACEPOINT);
}

/* The source address is in the caller's buffer: recvfrom's 5th argument, or msg_name. */
static __always_inline void tp_recv(struct task_struct *task, struct pt_regs *regs, long nr, long ret)
{
	struct socket *sock;
	const void *src = NULL;

	if (ret < 0)
		return;
	sock = fd_to_socket(task, PT_REGS_PARM1_CORE_SYSCALL(regs));
	if (!sock || BPF_CORE_READ(sock, type) != 2 /* SOCK_DGRAM */)
		return;
	if (nr == V6T_NR_recvfrom)
		src = (const void *)PT_REGS_PARM5_CORE_SYSCALL(regs);
	else	/* recvmsg's msghdr, or recvmmsg's first mmsghdr: msg_name comes first in both */
		bpf_probe_read_user(&src, sizeof(src), (const void *)PT_REGS_PARM2_CORE_SYSCALL(regs));
	v6t_on_udp_recv(BPF_CORE_READ(sock, sk), src, 1, V6T_BACKEND_TRACEPOINT);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(v6t_tp_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task;
	long nr = v6t_syscall_nr(regs);

	/* the early exit every unrelated syscall of every task takes: keep it first and cheap */
	if (nr != V6T_NR_bind && nr != V6T_NR_setsockopt && nr != V6T_NR_recvfrom &&
	    nr != V6T_NR_recvmsg && nr != V6T_NR_recvmmsg)
		return 0;
	/* not bpf_get_current_task_btf (5.11): this fallback serves kernels before it, read by CO-RE */
	task = (struct task_struct *)bpf_get_current_task();
	if (v6t_compat_syscall(task, regs))
		return 0;
	if (nr == V6T_NR_bind) {
		if (cfg_raw_hooks & (1 << V6T_HOOK_BIND))
			tp_bind(task, regs, ret);
	} else if (nr == V6T_NR_setsockopt) {
		if (cfg_raw_hooks & (1 << V6T_HOOK_V6ONLY))
			tp_setsockopt(task, regs, ret);
	} else if (cfg_raw_hooks & (1 << V6T_HOOK_UDP_RECV)) {
		tp_recv(task, regs, nr, ret);
	}
	return 0;
}

/*
 * syscalls:sys_exit_NAME: the record holds only the syscall number and return value; the
 * arguments are read from the registers saved at entry. These tracepoints do not fire for
 * compat syscalls (x86 and arm64 define ARCH_TRACE_IGNORE_COMPAT_SYSCALLS), so no compat
 * check is needed.
 */
static __always_inline struct pt_regs *user_regs(struct task_struct *task)
{
	return (struct pt_regs *)bpf_task_pt_regs(task);
}

SEC("tracepoint/syscalls/sys_exit_bind")
int v6t_tp_exit_bind(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	tp_bind(task, user_regs(task), ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_setsockopt")
int v6t_tp_exit_setsockopt(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	tp_setsockopt(task, user_regs(task), ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int v6t_tp_exit_recvfrom(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	tp_recv(task, user_regs(task), V6T_NR_recvfrom, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int v6t_tp_exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	tp_recv(task, user_regs(task), V6T_NR_recvmsg, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int v6t_tp_exit_recvmmsg(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	tp_recv(task, user_regs(task), V6T_NR_recvmmsg, ctx->ret);
	return 0;
}

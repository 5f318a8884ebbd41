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
 * Only x86-64 syscalls are seen: not io_uring operations, not in-kernel sockets, not 32-bit
 * (compat) processes, and for UDP only recvfrom/recvmsg/recvmmsg that ask for the source.
 */
#include "v6trace.bpf.h"

#define NR_recvfrom 45
#define NR_recvmsg 47
#define NR_recvmmsg 299
#define NR_bind 49
#define NR_setsockopt 54
#define TS_COMPAT_FLAG 0x0002	/* arch/x86/include/asm/thread_info.h: a 32-bit syscall is active */

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
	sock = fd_to_socket(task, regs->di);
	if (sock)
		v6t_on_bind(sock, (const void *)regs->si, 1, ret, V6T_BACKEND_TRACEPOINT);
}

static __always_inline void tp_setsockopt(struct task_struct *task, struct pt_regs *regs, long ret)
{
	struct socket *sock;

	if (regs->si != SOL_IPV6_LEVEL || regs->dx != IPV6_V6ONLY_OPT || fd_error(ret))
		return;
	sock = fd_to_socket(task, regs->di);
	if (sock)
		v6t_on_v6only(BPF_CORE_READ(sock, sk), (const void *)regs->r10, 1, regs->r8, ret,
			      V6T_BACKEND_TRACEPOINT);
}

/* The source address is in the caller's buffer: recvfrom's 5th argument, or msg_name. */
static __always_inline void tp_recv(struct task_struct *task, struct pt_regs *regs, long nr, long ret)
{
	struct socket *sock;
	const void *src = NULL;

	if (ret < 0)
		return;
	sock = fd_to_socket(task, regs->di);
	if (!sock || BPF_CORE_READ(sock, type) != 2 /* SOCK_DGRAM */)
		return;
	if (nr == NR_recvfrom)
		src = (const void *)regs->r8;
	else	/* recvmsg's msghdr, or recvmmsg's first mmsghdr: msg_name comes first in both */
		bpf_probe_read_user(&src, sizeof(src), (const void *)regs->si);
	v6t_on_udp_recv(BPF_CORE_READ(sock, sk), src, 1, V6T_BACKEND_TRACEPOINT);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(v6t_tp_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task;
	long nr = regs->orig_ax;

	/* the early exit every unrelated syscall of every task takes: keep it first and cheap */
	if (nr != NR_bind && nr != NR_setsockopt && nr != NR_recvfrom && nr != NR_recvmsg &&
	    nr != NR_recvmmsg)
		return 0;
	task = bpf_get_current_task_btf();
	/* compat syscall numbers overlap the native ones (32-bit 43 is times()) */
	if (task->thread_info.status & TS_COMPAT_FLAG)
		return 0;
	if (nr == NR_bind) {
		if (cfg_raw_hooks & (1 << V6T_HOOK_BIND))
			tp_bind(task, regs, ret);
	} else if (nr == NR_setsockopt) {
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
 * compat syscalls (x86's trace_get_syscall_nr() hides them), so no compat check is needed.
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

	tp_recv(task, user_regs(task), NR_recvfrom, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int v6t_tp_exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	tp_recv(task, user_regs(task), NR_recvmsg, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int v6t_tp_exit_recvmmsg(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	tp_recv(task, user_regs(task), NR_recvmmsg, ctx->ret);
	return 0;
}

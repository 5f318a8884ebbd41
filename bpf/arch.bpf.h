/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What differs between the architectures the BPF object is built for (the Makefile's ARCH,
 * from uname -m): syscall numbers, how a syscall's number and a 32-bit (compat) caller are
 * found, and the one argument register libbpf 1.1 does not name. Registers are named here
 * and nowhere else in bpf/; the backends read arguments through libbpf's PT_REGS_PARMn*.
 *
 * vmlinux/vmlinux.h comes from an x86_64 kernel. CO-RE relocates its generic types (struct
 * sock, task_struct ...) on any architecture, but it holds x86's register layout only, and
 * libbpf's arm64 accessors read struct user_pt_regs (uapi, a fixed layout) and the kernel's
 * pt_regs.orig_x0; so the arm64 build declares those here, the kernel-internal fields as
 * CO-RE flavours (pt_regs___*) that relocate against the running kernel's struct pt_regs.
 */
#ifndef V6TRACE_ARCH_BPF_H
#define V6TRACE_ARCH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#if defined(bpf_target_x86)

/* arch/x86/entry/syscalls/syscall_64.tbl */
#define V6T_NR_bind 49
#define V6T_NR_setsockopt 54
#define V6T_NR_recvfrom 45
#define V6T_NR_recvmsg 47
#define V6T_NR_recvmmsg 299

#define V6T_TS_COMPAT 0x0002	/* arch/x86/include/asm/thread_info.h: a 32-bit syscall is active */

/* the syscall number of a task's saved user registers, as the raw sys_exit tracepoint has them */
static __always_inline long v6t_syscall_nr(const struct pt_regs *regs)
{
	return regs->orig_ax;
}

/* compat syscall numbers overlap the native ones (32-bit 43 is times()) */
static __always_inline int v6t_compat_syscall(const struct task_struct *task, const struct pt_regs *regs)
{
	return BPF_CORE_READ(task, thread_info.status) & V6T_TS_COMPAT;
}

#ifndef PT_REGS_PARM6
#define PT_REGS_PARM6(x) (__PT_REGS_CAST(x)->r9)
#endif

#elif defined(bpf_target_arm64)

/* include/uapi/asm-generic/unistd.h */
#define V6T_NR_bind 200
#define V6T_NR_setsockopt 208
#define V6T_NR_recvfrom 207
#define V6T_NR_recvmsg 212
#define V6T_NR_recvmmsg 243

/* arch/arm64/include/uapi/asm/ptrace.h; the head of the kernel's struct pt_regs */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};

#define V6T_PSR_MODE32_BIT 0x10	/* pstate of a task running AArch32 (compat) code */

struct pt_regs___v6t_arm64 {
	__s32 syscallno;
} __attribute__((preserve_access_index));

static __always_inline long v6t_syscall_nr(const struct pt_regs *regs)
{
	return ((const struct pt_regs___v6t_arm64 *)regs)->syscallno;
}

/*
 * The saved pstate says whether the caller ran AArch32 code: an architectural bit, where the
 * kernel's TIF_32BIT flag has changed its number across versions.
 */
static __always_inline int v6t_compat_syscall(const struct task_struct *task, const struct pt_regs *regs)
{
	return ((const struct user_pt_regs *)regs)->pstate & V6T_PSR_MODE32_BIT;
}

#ifndef PT_REGS_PARM6
#define PT_REGS_PARM6(x) (__PT_REGS_CAST(x)->regs[5])
#endif

#else
#error "bpf/arch.bpf.h: v6trace's BPF programs know the x86 and arm64 syscall ABIs only (ARCH=x86 or arm64)"
#endif

#endif /* V6TRACE_ARCH_BPF_H */

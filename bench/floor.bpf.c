// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The benchmark's floor: programs that do nothing, on exactly the hooks v6trace's tracepoint
 * backend attaches. Whatever this costs the accept storm, no tracer on these hooks can avoid;
 * what v6trace costs beyond it is its own work.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define EMPTY(sec, name)			\
	SEC(sec) int name(void *ctx)		\
	{					\
		return 0;			\
	}

EMPTY("tracepoint/syscalls/sys_exit_bind", floor_bind)
EMPTY("tracepoint/syscalls/sys_exit_setsockopt", floor_setsockopt)
EMPTY("tracepoint/syscalls/sys_exit_recvfrom", floor_recvfrom)
EMPTY("tracepoint/syscalls/sys_exit_recvmsg", floor_recvmsg)
EMPTY("tracepoint/syscalls/sys_exit_recvmmsg", floor_recvmmsg)
EMPTY("tp_btf/inet_sock_set_state", floor_sock_state)

char LICENSE[] SEC("license") = "GPL";

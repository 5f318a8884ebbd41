// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The benchmark's floor: programs that do nothing, on exactly the hooks v6trace's tracepoint
 * backend attaches. Whatever this costs the accept storm, no tracer on these hooks can avoid;
 * what v6trace costs beyond it is its own work.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "v6trace.h"

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

/*
 * The floor of a tracer that shows every connection: floor_sock_state, plus one record of
 * v6trace's size per accepted connection and per finished connect, sent to a ring that wakes
 * nobody (floor.c drains it on a timer). No fields are read and nothing is looked up: what
 * sending two records per connection to user space costs, before any work on them.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} floor_ring SEC(".maps");

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(floor_records, struct sock *sk, int oldstate, int newstate)
{
	struct v6t_sock_event e = {};

	/* SYN_RECV -> ESTABLISHED: accepted; out of SYN_SENT: a connect finished */
	if (oldstate == 3 && newstate == 1)
		e.kind = V6T_EV_ACCEPT;
	else if (oldstate == 2)
		e.kind = V6T_EV_CONNECT;
	else
		return 0;
	e.hdr.size = sizeof(e);
	bpf_ringbuf_output(&floor_ring, &e, sizeof(e), BPF_RB_NO_WAKEUP);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

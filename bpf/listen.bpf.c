// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * listen, in every backend: the sock:inet_sock_set_state tracepoint (4.16+) fires in the
 * listen() caller's context when a TCP socket enters LISTEN, which is what netstat lists.
 */
#include "v6trace.bpf.h"

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(v6t_tp_sock_state, const struct sock *sk, int oldstate, int newstate)
{
	struct v6t_sock_event e = {};

	if (newstate != TCP_LISTEN_STATE || v6t_task_filtered_out())
		return 0;
	if (v6t_read_sock(&e, sk))
		return 0;
	v6t_read_local(sk, e.family, e.local_addr, &e.local_port);
	e.sock_ino = v6t_sock_ino(sk);
	v6t_read_setter(&e, e.sock_ino);
	v6t_emit(&e, V6T_EV_LISTEN, V6T_BACKEND_TRACEPOINT);
	return 0;
}

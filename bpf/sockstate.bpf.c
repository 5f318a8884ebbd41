// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sock:inet_sock_set_state (4.16+), BTF-typed, so the socket is read with plain loads rather
 * than a helper call per field. v6t_tp_sock_state serves the first two, v6t_tp_listen only
 * listen, for older kernels (the plan loads one of them):
 *   listen, in every backend: a TCP socket enters LISTEN in the listen() caller's context,
 *     which is what netstat lists;
 *   accept and connect, in the tracepoint backend: a passive child going SYN_RECV ->
 *     ESTABLISHED is an accepted connection, an active socket leaving SYN_SENT is a finished
 *     connect. No syscall hook is needed for them, which is what makes the tracepoint backend
 *     cheap under a connection storm. Both happen in softirq, where the current task is
 *     whoever the packet interrupted: the task is the one recorded at listen() (or found
 *     holding the listener when tracing began) and at connect().
 */
#include "v6trace.bpf.h"

#define TCP_ESTABLISHED_STATE 1
#define TCP_SYN_SENT_STATE 2
#define TCP_SYN_RECV_STATE 3
#define ECONNABORTED_ERR 103

/* Family, namespace and V6ONLY of a TCP socket in the traced namespace; non-zero otherwise. */
static __always_inline int read_tcp_sock(struct v6t_sock_event *e, struct sock *sk)
{
	return v6t_read_traced_sock(V6T_BTF, e, sk) || e->proto != V6T_IPPROTO_TCP;
}

/* The listener record for sk: who holds it, its inode and address, who set its V6ONLY. */
static __always_inline void fill_listener(struct v6t_listener *l, struct sock *sk, __u16 family,
					  __u64 ino, const struct v6t_setter *setter)
{
	__u16 port;

	l->sock_ino = ino;
	v6t_read_local(V6T_BTF, sk, family, l->addr, &port);
	if (setter) {
		l->setter = *setter;
		l->has_setter = 1;
	}
}

/* A socket entered LISTEN: remember who owns it, on the socket, for its children. */
static __always_inline void remember_listener(struct sock *sk, const struct v6t_sock_event *e,
					      const struct v6t_setter *setter)
{
	struct v6t_listener l = {}, *stored;

	v6t_who_current(&l.who);
	fill_listener(&l, sk, e->family, e->sock_ino, setter);
	/* no child can be cloned yet: the socket is hashed for lookups only after this */
	stored = bpf_sk_storage_get(&listener_of, sk, &l, BPF_SK_STORAGE_GET_F_CREATE);
	if (stored)
		*stored = l;	/* left by an earlier listen() of this socket */
}

/* A socket entered LISTEN: report it, and with_state, remember it for its accepts. */
static __always_inline void on_listen(struct sock *sk, int with_state)
{
	struct v6t_sock_event e = {};
	const struct v6t_setter *setter = NULL;

	if (read_tcp_sock(&e, sk))
		return;
	v6t_read_local(V6T_BTF, sk, e.family, e.local_addr, &e.local_port);
	e.sock_ino = v6t_sock_ino(V6T_BTF, sk);
	e.sockopts = v6t_sock_opts(V6T_BTF, sk);
	v6t_read_bound_dev(sk, &e);
	if (e.family == V6T_AF_INET6)
		setter = v6t_find_setter(e.sock_ino);
	if (with_state && (cfg_state_hooks & (1 << V6T_HOOK_ACCEPT)))
		remember_listener(sk, &e, setter);
	if (v6t_task_filtered_out())
		return;
	v6t_put_setter(&e, setter);
	v6t_emit(&e, V6T_EV_LISTEN, V6T_BACKEND_TRACEPOINT);
}

/*
 * A passive child finished its handshake: the connection is in the accept queue. Its listener
 * is the copy of listener_of the kernel cloned into it; none means a listener older than the
 * trace that the iterator did not find (no process held it, or it was made between the two
 * searches): the accept says so rather than guess.
 */
static __always_inline void on_accepted(struct sock *sk)
{
	struct v6t_sock_event e = {};
	struct v6t_listener *stored, l;
	const struct v6t_setter *setter = NULL;

	if (read_tcp_sock(&e, sk))
		return;
	v6t_read_local(V6T_BTF, sk, e.family, e.local_addr, &e.local_port);
	v6t_read_peer(V6T_BTF, &e, sk);
	stored = bpf_sk_storage_get(&listener_of, sk, NULL, 0);
	if (!stored) {
		e.flags |= V6T_F_LISTENER_UNKNOWN;
		__builtin_memset(&l, 0, sizeof(l));
	} else {
		l = *stored;
		/* the child needs it no more: do not keep it for the life of the connection */
		bpf_sk_storage_delete(&listener_of, sk);
		__builtin_memcpy(e.listen_addr, l.addr, 16);
		e.listen_port = e.local_port;
		e.sock_ino = l.sock_ino;
		e.flags |= V6T_F_HAS_LISTENER;
		if (l.has_setter)
			setter = &l.setter;
	}
	if (v6t_who_filtered_out(&l.who))
		return;
	v6t_put_setter(&e, setter);
	v6t_emit_who(&e, V6T_EV_ACCEPT, V6T_BACKEND_TRACEPOINT, &l.who);
}

/* ino's slot in connect_slots; NULL for a socket with no inode (no file: in-kernel) */
static __always_inline struct v6t_connect_slot *connect_slot(__u64 ino)
{
	__u32 i = ino & (V6T_CONNECT_SLOTS - 1);

	return ino ? bpf_map_lookup_elem(&connect_slots, &i) : NULL;
}

/* connect() moved the socket to SYN_SENT, in the caller's context: remember who. */
static __always_inline void on_connect_start(struct sock *sk)
{
	struct v6t_connect_slot *slot;
	struct v6t_who w;
	__u64 key = (__u64)sk, ino;

	if (cfg_netns && v6t_net_ino(V6T_BTF, v6t_sock_net(V6T_BTF, sk)) != cfg_netns)
		return;
	if (v6t_task_filtered_out())
		return;
	ino = v6t_sock_ino(V6T_BTF, sk);
	slot = connect_slot(ino);
	/* the SYN goes out after this returns, so SYN_SENT cannot end before who is written */
	if (slot && __sync_val_compare_and_swap(&slot->ino, 0, ino) == 0) {
		v6t_who_current(&slot->who);
		return;
	}
	v6t_who_current(&w);
	/* full: V6T_CONNECTING_MAX connects at once; this one will not be reported */
	if (bpf_map_update_elem(&connecting, &key, &w, BPF_ANY))
		v6t_count_lost();
}

/* SYN_SENT ended: established, or closed (refused, timed out, aborted). */
static __always_inline void on_connect_done(struct sock *sk, int newstate)
{
	struct v6t_sock_event e = {};
	struct v6t_connect_slot *slot;
	struct v6t_who *w;
	__u64 key = (__u64)sk, ino;

	/* the socket still has its file: a close in SYN_SENT changes state before sock_orphan() */
	ino = v6t_sock_ino(V6T_BTF, sk);
	slot = connect_slot(ino);
	if (slot && slot->ino == ino) {
		w = &slot->who;
	} else {
		slot = NULL;
		w = bpf_map_lookup_elem(&connecting, &key);
		if (!w)
			return;	/* began before tracing, or filtered out at connect() */
	}
	if (!read_tcp_sock(&e, sk)) {
		v6t_read_local(V6T_BTF, sk, e.family, e.local_addr, &e.local_port);
		v6t_read_peer(V6T_BTF, &e, sk);
		if (newstate != TCP_ESTABLISHED_STATE) {
			/* tcp_reset() and tcp_write_err() set sk_err before tcp_done() */
			e.err = -sk->sk_err;
			if (!e.err)
				e.err = -ECONNABORTED_ERR;
		}
		e.sock_ino = ino;
		v6t_read_setter(&e, e.sock_ino);
		v6t_emit_who(&e, V6T_EV_CONNECT, V6T_BACKEND_TRACEPOINT, w);
	}
	if (slot)
		slot->ino = 0;
	else
		bpf_map_delete_elem(&connecting, &key);
}

/* refused: a TCP listener came (to LISTEN) or went (from it) */
static __always_inline void count_listener(struct sock *sk, int delta)
{
	if (cfg_refused && v6t_sock_proto(V6T_BTF, sk) == V6T_IPPROTO_TCP)
		v6t_served(V6T_BTF, sk, V6T_IPPROTO_TCP, delta);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(v6t_tp_sock_state, struct sock *sk, int oldstate, int newstate)
{
	if (newstate == TCP_LISTEN_STATE) {
		count_listener(sk, 1);
		on_listen(sk, 1);
	} else if (oldstate == TCP_LISTEN_STATE) {
		count_listener(sk, -1);
	} else if (oldstate == TCP_SYN_RECV_STATE && newstate == TCP_ESTABLISHED_STATE) {
		if (cfg_state_hooks & (1 << V6T_HOOK_ACCEPT))
			on_accepted(sk);
	} else if (cfg_state_hooks & (1 << V6T_HOOK_CONNECT)) {
		if (newstate == TCP_SYN_SENT_STATE)
			on_connect_start(sk);
		else if (oldstate == TCP_SYN_SENT_STATE)
			on_connect_done(sk, newstate);
	}
	return 0;
}

/*
 * Listens alone, for the backends whose accept and connect are hooked elsewhere: nothing
 * newer than tp_btf (5.5), where v6t_tp_sock_state needs socket storage in tracing programs
 * (5.11) and cmpxchg (5.12), which a kernel rejects even in code that never runs.
 */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(v6t_tp_listen, struct sock *sk, int oldstate, int newstate)
{
	if (newstate == TCP_LISTEN_STATE) {
		count_listener(sk, 1);
		on_listen(sk, 0);
	} else if (oldstate == TCP_LISTEN_STATE) {
		count_listener(sk, -1);
	}
	return 0;
}

/*
 * Run at start-up (tracepoint backend), first of two: who holds each listening TCP socket, in
 * every namespace, so connections to listeners older than the tracer are attributed too. The
 * first holder found is kept. The socket is only read here: reached from a file, the kernel
 * (6.18 on) does not trust it enough to hand it to bpf_sk_storage_get.
 */
SEC("iter/task_file")
int v6t_iter_holders(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct v6t_who who = {};
	struct socket *sock;
	struct sock *sk;
	__u64 ino;

	if (!task || !file)
		return 0;
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk;
	if (!sk || sk->__sk_common.skc_state != TCP_LISTEN_STATE ||
	    v6t_sock_proto(V6T_BTF, sk) != V6T_IPPROTO_TCP)
		return 0;
	who.pid = task->tgid;
	who.tid = task->pid;
	who.uid = task->cred->uid.val;
	who.known = 1;
	who.cgroup_id = task->cgroups->dfl_cgrp->kn->id;
	__builtin_memcpy(who.comm, task->comm, V6T_COMM_LEN);
	ino = v6t_socket_ino(V6T_BTF, sock);
	bpf_map_update_elem(&listener_holders, &ino, &who, BPF_NOEXIST);
	return 0;
}

/*
 * Second: each listener of the namespace this runs in (user space enters each in turn)
 * that has a holder and no record yet gets one, as listen() would have made it; a listener
 * already remembered (at listen(), or by an earlier run) is left alone. The kernel hands
 * over the listeners first and then every other TCP socket, each locked in turn: at the
 * first of those the program ends the walk (returning 1, which read() sees as EAGAIN), so
 * a busy server's connections are neither visited nor locked.
 */
SEC("iter/tcp")
int v6t_iter_listeners(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	const struct v6t_setter *setter = NULL;
	struct v6t_listener l = {};
	const struct v6t_who *who;
	struct tcp_sock *tp;
	struct sock *sk;
	__u64 ino;

	if (!skc)
		return 0;
	if (skc->skc_state != TCP_LISTEN_STATE)
		return 1;
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp)
		return 0;
	sk = (struct sock *)tp;
	if (bpf_sk_storage_get(&listener_of, sk, NULL, 0))
		return 0;
	ino = v6t_sock_ino(V6T_BTF, sk);
	who = bpf_map_lookup_elem(&listener_holders, &ino);
	if (!who)
		return 0;
	l.who = *who;
	if (skc->skc_family == V6T_AF_INET6)
		setter = v6t_find_setter(ino);
	fill_listener(&l, sk, skc->skc_family, ino, setter);
	/* created whole: a child cloned meanwhile copies all of it or nothing */
	bpf_sk_storage_get(&listener_of, sk, &l, BPF_SK_STORAGE_GET_F_CREATE);
	return 0;
}

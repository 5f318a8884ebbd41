/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every v6trace BPF program shares beyond the maps (maps.bpf.h) and the socket readers
 * (sock.bpf.h): task filters, filling in and emitting an event, and the handlers each backend
 * calls once it has found the kernel objects.
 */
#ifndef V6TRACE_BPF_H
#define V6TRACE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "v6trace.h"
#include "maps.bpf.h"
#include "sock.bpf.h"
#include "arch.bpf.h"

#define TCP_LISTEN_STATE 10	/* TCP_LISTEN in include/net/tcp_states.h */
#define IPV6_V6ONLY_OPT 26	/* IPV6_V6ONLY in include/uapi/linux/in6.h */
#define SOL_IPV6_LEVEL 41
#define S_IFMT_BITS 00170000
#define S_IFSOCK_BITS 0140000

static __always_inline void v6t_who_current(struct v6t_who *w)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	w->pid = pid_tgid >> 32;
	w->tid = (__u32)pid_tgid;
	w->uid = (__u32)bpf_get_current_uid_gid();
	w->known = 1;
	w->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(w->comm, sizeof(w->comm));
}

/* Any of -c, -p, -u, --cgroup: the loader's constants, so the verifier prunes what is off. */
static __always_inline int v6t_task_filters(void)
{
	return cfg_cgroup || cfg_filter_pids || cfg_filter_uids || cfg_filter_owners || cfg_comm[0];
}

/* The task filters, applied to a recorded task; an unknown one matches no task filter. */
static __always_inline int v6t_who_filtered_out(const struct v6t_who *w)
{
	if (!v6t_task_filters())
		return 0;
	if (!w->known)
		return 1;
	if (cfg_cgroup && w->cgroup_id != cfg_cgroup)
		return 1;
	if (cfg_filter_pids && !bpf_map_lookup_elem(&filter_pids, &w->pid))
		return 1;
	if (cfg_filter_uids && !bpf_map_lookup_elem(&filter_uids, &w->uid))
		return 1;
	if (cfg_filter_owners) {
		__u8 *keep = bpf_map_lookup_elem(&owner_verdicts, &w->cgroup_id);

		if (keep && !*keep)
			return 1;
	}
	if (cfg_comm[0]) {
		for (int i = 0; i < V6T_COMM_LEN; i++) {
			if (w->comm[i] != cfg_comm[i])
				return 1;
			if (!w->comm[i])
				break;
		}
	}
	return 0;
}

/* The task filters, applied to the current task. */
static __always_inline int v6t_task_filtered_out(void)
{
	struct v6t_who w;

	if (!v6t_task_filters())
		return 0;
	v6t_who_current(&w);
	return v6t_who_filtered_out(&w);
}

/* v6t_read_sock, and non-zero too for a socket outside the traced network namespace. */
static __always_inline int v6t_read_traced_sock(int how, struct v6t_sock_event *e, const struct sock *sk)
{
	if (v6t_read_sock(how, e, sk))
		return -1;
	return cfg_netns && e->netns_ino != cfg_netns ? -1 : 0;
}

/* Who set IPV6_V6ONLY on the socket with inode ino, if this tracer saw it; else NULL. */
static __always_inline const struct v6t_setter *v6t_find_setter(__u64 ino)
{
	/* most machines never set IPV6_V6ONLY while we watch: skip the lookup until one does */
	if (!ino || !v6t_setters_used)
		return NULL;
	return bpf_map_lookup_elem(&v6only_setters, &ino);
}

/* The setter fields of an AF_INET6 event: s, found by v6t_find_setter, or NULL. */
static __always_inline void v6t_put_setter(struct v6t_sock_event *e, const struct v6t_setter *s)
{
	if (e->family != V6T_AF_INET6)
		return;
	/* so a V6ONLY that differs from the sysctl is not said to predate the trace */
	if (!cfg_setters_traced)
		e->flags |= V6T_F_SETTER_UNTRACED;
	/* V6ONLY is no longer what it set: bind() to one IPv6 address set it since */
	if (!s || s->value != e->v6only)
		return;
	e->flags |= V6T_F_SETTER_KNOWN;
	e->setter_pid = s->pid;
	__builtin_memcpy(e->setter_comm, s->comm, V6T_COMM_LEN);
}

static __always_inline void v6t_read_setter(struct v6t_sock_event *e, __u64 ino)
{
	if (e->family == V6T_AF_INET6)
		v6t_put_setter(e, v6t_find_setter(ino));
}

/*
 * --peer, --local: the rule of include/v6trace.h, which user space applies too (filter.c).
 * Without them the loader leaves cfg_filter_* 0 and the verifier drops this code, so an
 * unfiltered run does not pay for the lookups.
 */
static __always_inline int v6t_addr_filtered_out(const struct v6t_sock_event *e)
{
	struct v6t_lpm_key k = { .prefixlen = 128 };

	if (cfg_filter_peers &&
	    (!v6t_event_peer_key(e, k.addr) || !bpf_map_lookup_elem(&filter_peers, &k)))
		return 1;
	if (!cfg_filter_locals)
		return 0;
	v6t_event_local_key(e, k.addr);
	return !bpf_map_lookup_elem(&filter_locals, &k);
}

/* Applies the filters that need the whole event and stamps it; non-zero if it is filtered out. */
static __always_inline int v6t_finish(struct v6t_sock_event *e, __u8 kind, __u8 backend)
{
	e->kind = kind;
	e->backend = backend;
	if (cfg_events && !(cfg_events & (1U << kind)))
		return -1;
	if (cfg_filter_ports && !bpf_map_lookup_elem(&filter_ports, &e->local_port))
		return -1;
	if (cfg_mapped_only && !v6t_event_is_dualstack(e))
		return -1;
	if (v6t_addr_filtered_out(e))
		return -1;
	e->hdr.type = V6T_REC_SOCK_EVENT;
	e->hdr.size = sizeof(*e);
	e->ts_boot_ns = bpf_ktime_get_boot_ns();
	return 0;
}

/* An event that could not be sent, reported to the reader as lost. */
static __always_inline void v6t_count_lost(void)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&lost_events, &zero);

	if (lost)
		(*lost)++;
}

/*
 * -s -q shows only per-listener counts, so after a listener's first accept, which is sent (the
 * summary takes the listener's owner and V6ONLY from it), its accepts are counted here rather
 * than sent one record each: no ring traffic and no reader work per connection. Non-zero if e
 * was counted. A full map leaves accepts to the ring.
 */
static __always_inline int v6t_counted(const struct v6t_sock_event *e)
{
	struct v6t_accept_counts *c, zero = {};
	struct v6t_count_key k = {};

	if (!cfg_count_accepts || e->kind != V6T_EV_ACCEPT || !(e->flags & V6T_F_HAS_LISTENER))
		return 0;
	k.netns_ino = e->netns_ino;
	k.sock_ino = e->sock_ino;
	__builtin_memcpy(k.addr, e->listen_addr, 16);
	k.port = e->listen_port;
	k.family = e->family;
	c = bpf_map_lookup_elem(&accept_counts, &k);
	if (!c) {
		bpf_map_update_elem(&accept_counts, &k, &zero, BPF_NOEXIST);
		return 0;
	}
	/* per CPU: plain increments, summed by user space at the end */
	v6t_accept_counts_add(c, e);
	return 1;
}

static __always_inline void v6t_send(struct v6t_sock_event *e)
{
	__u64 wake = 0;
	__u32 zero = 0;

	/*
	 * A wake-up per event costs the reader a syscall per event: at high rates that, not the
	 * tracing, is what slows the traced machine. So wake it only once a batch has built up;
	 * user space also polls with a timeout, which bounds how long an event waits. The batch
	 * is counted per CPU: bpf_ringbuf_query() would read the ring's positions, a cache line
	 * the reader and every other CPU keep writing.
	 */
	if (cfg_wakeup_events) {
		__u64 *n = bpf_map_lookup_elem(&since_wakeup, &zero);

		wake = BPF_RB_NO_WAKEUP;
		if (n && ++*n >= cfg_wakeup_events) {
			*n = 0;
			wake = BPF_RB_FORCE_WAKEUP;
		}
	}
	/* building on the stack and copying lets filtered events skip the ring buffer entirely */
	if (bpf_ringbuf_output(&events, e, sizeof(*e), wake))
		v6t_count_lost();
}

/*
 * Apply the filters that need the whole event and send it as about w, a recorded task (pid 0
 * when nobody was recorded), or with w NULL the current task.
 */
static __always_inline void v6t_emit_who(struct v6t_sock_event *e, __u8 kind, __u8 backend,
					 const struct v6t_who *w)
{
	struct v6t_who current;

	if (v6t_finish(e, kind, backend) || v6t_counted(e))
		return;
	if (!w) {
		v6t_who_current(&current);
		w = &current;
	}
	if (w->known) {
		e->pid = w->pid;
		e->tid = w->tid;
		e->uid = w->uid;
		e->cgroup_id = w->cgroup_id;
		__builtin_memcpy(e->comm, w->comm, V6T_COMM_LEN);
	}
	v6t_send(e);
}

/* The same about the current task. */
static __always_inline void v6t_emit(struct v6t_sock_event *e, __u8 kind, __u8 backend)
{
	v6t_emit_who(e, kind, backend, NULL);
}

/*
 * refused: sk's port is now served by one more (delta 1) or one fewer (-1) socket of proto.
 * TCP counts its listeners; UDP marks a bind and never takes it back (nothing tells us of a
 * UDP close), which user space corrects when it finds nobody on the port (v6t_port_key).
 */
static __always_inline void v6t_served(int how, const struct sock *sk, __u8 proto, int delta)
{
	struct v6t_port_key k = {};
	__s32 one = 1, *n;

	if (!cfg_refused)
		return;
	k.netns_ino = v6t_net_ino(how, v6t_sock_net(how, sk));
	k.port = v6t_sock_port(how, sk);
	k.proto = proto;
	n = bpf_map_lookup_elem(&served_ports, &k);
	/* two first listeners at once: the one whose insert loses adds itself below */
	if (!n && delta > 0 && !bpf_map_update_elem(&served_ports, &k, &one, BPF_NOEXIST))
		return;
	if (!n)
		n = bpf_map_lookup_elem(&served_ports, &k);
	if (n && proto == V6T_IPPROTO_TCP)
		__sync_fetch_and_add(n, delta);
}

/*
 * The handlers below are what each backend calls once it has the kernel objects in hand; a
 * backend's only job is to find them.
 */

/*
 * The address and port of a sockaddr passed to bind() or connect(), laid out for a socket of
 * family: a kernel copy (fentry, kprobe) or the caller's buffer (tracepoint). Non-zero when
 * it cannot be read or is of another family (AF_UNSPEC, a mismatched sockaddr).
 */
static __always_inline int v6t_read_sockaddr(__u16 family, const void *uaddr, int uaddr_is_user, __u8 *addr,
					     __u16 *port)
{
	struct sockaddr_in6 sa = {};
	long rc;

	if (uaddr_is_user) {
		rc = bpf_probe_read_user(&sa, sizeof(sa), uaddr);
		if (rc)	/* a short sockaddr_in at the end of a mapping */
			rc = bpf_probe_read_user(&sa, sizeof(struct sockaddr_in), uaddr);
	} else {
		rc = bpf_probe_read_kernel(&sa, sizeof(sa), uaddr);
	}
	if (rc || sa.sin6_family != family)
		return -1;
	if (family == V6T_AF_INET6) {
		__builtin_memcpy(addr, &sa.sin6_addr, 16);
		*port = bpf_ntohs(sa.sin6_port);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&sa;

		__builtin_memcpy(addr, &sin->sin_addr, 4);
		*port = bpf_ntohs(sin->sin_port);
	}
	return 0;
}

/*
 * An event about sock, a struct socket the current task called bind() or connect() on: its
 * struct sock, or NULL when the task or the socket is filtered out.
 */
static __always_inline const struct sock *v6t_begin_socket_event(struct v6t_sock_event *e,
								 const struct socket *sock)
{
	const struct sock *sk;

	if (v6t_task_filtered_out())
		return NULL;
	sk = V6T_LOAD(V6T_PROBED, sock, sk);
	if (v6t_read_traced_sock(V6T_PROBED, e, sk))
		return NULL;
	e->sock_ino = v6t_socket_ino(V6T_PROBED, sock);
	return sk;
}

/* uaddr is the sockaddr passed to bind(): a kernel copy (fentry, kprobe) or the user's buffer. */
static __always_inline void v6t_on_bind(const struct socket *sock, const void *uaddr, int uaddr_is_user,
					int ret, __u8 backend)
{
	struct v6t_sock_event e = {};
	const struct sock *sk;

	/* whoever bound it: the port is served, whatever the task filters keep */
	if (cfg_refused && ret == 0) {
		sk = V6T_LOAD(V6T_PROBED, sock, sk);
		if (sk && v6t_sock_proto(V6T_PROBED, sk) == V6T_IPPROTO_UDP)
			v6t_served(V6T_PROBED, sk, V6T_IPPROTO_UDP, 1);
	}
	sk = v6t_begin_socket_event(&e, sock);
	if (!sk)
		return;
	/* AF_INET sockets accept AF_UNSPEC as INADDR_ANY: the zeroed address stands for it */
	v6t_read_sockaddr(e.family, uaddr, uaddr_is_user, e.local_addr, &e.local_port);
	/* port 0 asks for an ephemeral port: report the one the kernel picked */
	if (ret == 0)
		e.local_port = v6t_sock_port(V6T_PROBED, sk);
	e.err = ret;
	e.sockopts = v6t_sock_opts(V6T_PROBED, sk);
	v6t_read_bound_dev(sk, &e);
	v6t_read_setter(&e, e.sock_ino);
	v6t_emit(&e, V6T_EV_BIND, backend);
}

/* optval is the setsockopt buffer; optlen its length; the socket is AF_INET6. */
static __always_inline void v6t_on_v6only(const struct sock *sk, const void *optval, int optval_is_user,
					  __u32 optlen, int ret, __u8 backend)
{
	struct v6t_sock_event e = {};
	int val = 0;
	long rc = -1;

	if (v6t_task_filtered_out())
		return;
	if (v6t_read_traced_sock(V6T_PROBED, &e, sk) || e.family != V6T_AF_INET6)
		return;
	if (optlen >= sizeof(int)) {
		if (optval_is_user)
			rc = bpf_probe_read_user(&val, sizeof(val), optval);
		else
			rc = bpf_probe_read_kernel(&val, sizeof(val), optval);
	}
	e.requested = rc ? V6T_REQUESTED_UNKNOWN : !!val;
	e.err = ret;
	v6t_read_local(V6T_PROBED, sk, e.family, e.local_addr, &e.local_port);
	e.sock_ino = v6t_sock_ino(V6T_PROBED, sk);
	if (ret == 0 && e.sock_ino) {
		struct v6t_setter s = {};

		s.pid = bpf_get_current_pid_tgid() >> 32;
		s.value = e.v6only;
		bpf_get_current_comm(s.comm, sizeof(s.comm));
		bpf_map_update_elem(&v6only_setters, &e.sock_ino, &s, BPF_ANY);
		v6t_setters_used = 1;
	}
	v6t_read_setter(&e, e.sock_ino);
	v6t_emit(&e, V6T_EV_V6ONLY, backend);
}

/* lsk is the listener, sk the accepted socket; V6ONLY and its source are the listener's. */
static __always_inline void v6t_on_accept(const struct sock *lsk, const struct sock *sk, __u8 backend)
{
	struct v6t_sock_event e = {};

	if (v6t_task_filtered_out())
		return;
	if (v6t_read_traced_sock(V6T_PROBED, &e, sk))
		return;
	if (e.family == V6T_AF_INET6)
		e.v6only = v6t_sock_v6only(V6T_PROBED, lsk);
	v6t_read_local(V6T_PROBED, sk, e.family, e.local_addr, &e.local_port);
	v6t_read_peer(V6T_PROBED, &e, sk);
	v6t_read_local(V6T_PROBED, lsk, e.family, e.listen_addr, &e.listen_port);
	e.flags |= V6T_F_HAS_LISTENER;
	/* the accepted socket has no file yet under fentry/kprobe: key the source on the listener */
	e.sock_ino = v6t_sock_ino(V6T_PROBED, lsk);
	v6t_read_setter(&e, e.sock_ino);
	v6t_emit(&e, V6T_EV_ACCEPT, backend);
}

/* A TCP connect(): uaddr is the destination asked for (kernel copy, or the user's buffer). */
static __always_inline void v6t_on_connect(const struct socket *sock, const void *uaddr, int uaddr_is_user,
					   int ret, __u8 backend)
{
	struct v6t_sock_event e = {};
	const struct sock *sk = v6t_begin_socket_event(&e, sock);

	if (!sk || e.proto != V6T_IPPROTO_TCP)
		return;
	/* AF_UNSPEC disconnects and the like are not connections */
	if (v6t_read_sockaddr(e.family, uaddr, uaddr_is_user, e.peer_addr, &e.peer_port))
		return;
	e.flags |= V6T_F_HAS_PEER;
	/* the source address and port are chosen before the SYN leaves, so they are known here */
	v6t_read_local(V6T_PROBED, sk, e.family, e.local_addr, &e.local_port);
	e.err = ret;
	v6t_read_setter(&e, e.sock_ino);
	v6t_emit(&e, V6T_EV_CONNECT, backend);
}

/*
 * A datagram received on a udp6 socket from src (a sockaddr_in6 the kernel filled in). Only
 * the first v4-mapped source per socket is reported: a busy dual-stack DNS server would
 * otherwise flood the ring with one event per query.
 */
static __always_inline void v6t_on_udp_recv(const struct sock *sk, const void *src, int src_is_user,
					    __u8 backend)
{
	struct v6t_sock_event e = {};
	struct sockaddr_in6 sa = {};
	__u8 one = 1;
	__u64 key;
	long rc;

	if (!src)
		return;
	/* the inode, not the address: a freed struct sock is soon reused by another socket */
	key = v6t_sock_ino(V6T_PROBED, sk);
	if (!key)
		key = (__u64)sk;
	if (bpf_map_lookup_elem(&udp_mapped_seen, &key))
		return;
	if (v6t_task_filtered_out())
		return;
	if (v6t_read_traced_sock(V6T_PROBED, &e, sk) || e.family != V6T_AF_INET6 ||
	    e.proto != V6T_IPPROTO_UDP)
		return;
	if (src_is_user)
		rc = bpf_probe_read_user(&sa, sizeof(sa), src);
	else
		rc = bpf_probe_read_kernel(&sa, sizeof(sa), src);
	if (rc || sa.sin6_family != V6T_AF_INET6)
		return;
	__builtin_memcpy(e.peer_addr, &sa.sin6_addr, 16);
	if (!v6t_addr_is_v4mapped(e.peer_addr))
		return;
	e.peer_port = bpf_ntohs(sa.sin6_port);
	e.flags |= V6T_F_HAS_PEER;
	bpf_map_update_elem(&udp_mapped_seen, &key, &one, BPF_ANY);
	v6t_read_local(V6T_PROBED, sk, e.family, e.local_addr, &e.local_port);
	e.sock_ino = key;
	v6t_read_setter(&e, e.sock_ino);
	v6t_emit(&e, V6T_EV_UDP_MAPPED, backend);
}

#endif /* V6TRACE_BPF_H */

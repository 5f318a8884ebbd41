/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reading a struct sock (and its struct socket) into an event: the one place each field's
 * path is written.
 *
 * Two ways of reaching kernel memory are needed. V6T_BTF: plain loads through a pointer whose
 * BTF type the verifier knows (tp_btf arguments, iterator context), each load checked by the
 * verifier and none a helper call; the tracepoint backend reads every connection's socket
 * this way, so this is what keeps its cost per connection low. V6T_PROBED: CO-RE probe reads,
 * for pointers the verifier cannot type (fentry arguments taken with bpf_get_func_arg, kprobe
 * registers), where a plain load would be rejected. Each reader takes the way as a constant
 * argument; once the reader is inlined only that branch is left, so both ways share one path.
 */
#ifndef V6TRACE_SOCK_BPF_H
#define V6TRACE_SOCK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "v6trace.h"

#define V6T_PROBED 0
#define V6T_BTF 1

/* p->path: a plain load, or a CO-RE probe read (0 when p cannot be read) */
#define V6T_LOAD(how, p, path) ((how) == V6T_BTF ? (p)->path : BPF_CORE_READ(p, path))
/* a bitfield p->path, whose layout CO-RE relocates */
#define V6T_LOAD_BITS(how, p, path) \
	((how) == V6T_BTF ? BPF_CORE_READ_BITFIELD(p, path) : BPF_CORE_READ_BITFIELD_PROBED(p, path))

/*
 * size bytes of a field at src into dst (vmlinux.h's types are CO-RE relocated wherever they
 * are used); explicit sizes, as BPF_CORE_READ_INTO would copy sizeof(*dst), one byte
 */
static __always_inline void v6t_copy(int how, void *dst, const void *src, __u32 size)
{
	if (how == V6T_BTF)
		__builtin_memcpy(dst, src, size);
	else
		bpf_core_read(dst, size, src);
}

static __always_inline struct net *v6t_sock_net(int how, const struct sock *sk)
{
	return V6T_LOAD(how, sk, __sk_common.skc_net.net);
}

static __always_inline __u32 v6t_net_ino(int how, const struct net *net)
{
	return V6T_LOAD(how, net, ns.inum);
}

static __always_inline __u16 v6t_sock_proto(int how, const struct sock *sk)
{
	/* sk_protocol was a bitfield before 5.6; the bitfield read handles both layouts */
	return V6T_LOAD_BITS(how, sk, sk_protocol);
}

/* Effective IPV6_V6ONLY of an AF_INET6 socket. */
static __always_inline __u8 v6t_sock_v6only(int how, const struct sock *sk)
{
	return V6T_LOAD_BITS(how, sk, __sk_common.skc_ipv6only);
}

/* The bound port, in host order: once bind() succeeded, the one the kernel picked for port 0. */
static __always_inline __u16 v6t_sock_port(int how, const struct sock *sk)
{
	return V6T_LOAD(how, sk, __sk_common.skc_num);
}

/*
 * Family, protocol, namespace and V6ONLY of a socket; non-zero for a socket that is not TCP or
 * UDP over IPv4 or IPv6.
 */
static __always_inline int v6t_read_sock(int how, struct v6t_sock_event *e, const struct sock *sk)
{
	const struct net *net;

	if (!sk)
		return -1;
	e->family = V6T_LOAD(how, sk, __sk_common.skc_family);
	if (e->family != V6T_AF_INET && e->family != V6T_AF_INET6)
		return -1;
	e->proto = v6t_sock_proto(how, sk);
	if (e->proto != V6T_IPPROTO_TCP && e->proto != V6T_IPPROTO_UDP)
		return -1;
	net = v6t_sock_net(how, sk);
	e->netns_ino = v6t_net_ino(how, net);
	/* an int in 5.10, a u8 in 6.1: read at whatever size this kernel has */
	e->sysctl_v6only = V6T_LOAD_BITS(how, net, ipv6.sysctl.bindv6only);
	if (e->family == V6T_AF_INET6)
		e->v6only = v6t_sock_v6only(how, sk);
	return 0;
}

/* struct inet_sock before 6.6, which moved these bits into inet_flags */
struct inet_sock___pre66 {
	__u8 freebind:1;
	__u8 transparent:1;
} __attribute__((preserve_access_index));

/* inet_flags bits (6.6 on): an anonymous enum, which CO-RE cannot relocate by name */
#define V6T_INET_FLAGS_FREEBIND 11
#define V6T_INET_FLAGS_TRANSPARENT 15

/*
 * IP_FREEBIND or IP_TRANSPARENT: bind() may take an address the namespace does not have.
 * Probed even where the socket is BTF-typed: the verifier lets a struct sock be read only
 * as far as struct sock goes, and these live in struct inet_sock, which extends it.
 */
static __always_inline int v6t_sock_freebind(const struct sock *sk)
{
	const struct inet_sock___pre66 *old = (const void *)sk;
	unsigned long flags;

	if (bpf_core_field_exists(struct inet_sock___pre66, freebind))
		return V6T_LOAD_BITS(V6T_PROBED, old, freebind) ||
		       V6T_LOAD_BITS(V6T_PROBED, old, transparent);
	flags = V6T_LOAD(V6T_PROBED, (const struct inet_sock *)sk, inet_flags);
	return !!(flags & (1UL << V6T_INET_FLAGS_FREEBIND | 1UL << V6T_INET_FLAGS_TRANSPARENT));
}

/* What decides whether another bind of the port collides: V6T_SO_* */
static __always_inline __u8 v6t_sock_opts(int how, const struct sock *sk)
{
	__u8 opts = V6T_SO_KNOWN;

	if (V6T_LOAD_BITS(how, sk, __sk_common.skc_reuse))
		opts |= V6T_SO_REUSEADDR;
	if (V6T_LOAD_BITS(how, sk, __sk_common.skc_reuseport))
		opts |= V6T_SO_REUSEPORT;
	if (v6t_sock_freebind(sk))
		opts |= V6T_SO_FREEBIND;
	return opts;
}

/* net->dev_index_head's chains, by ifindex (NETDEV_HASHBITS 8, unchanged since 2.6) */
#define V6T_NETDEV_HASH 256
/* a chain holds the devices whose ifindex agree in their low 8 bits: few in any namespace */
#define V6T_DEV_CHAIN_MAX 8

/*
 * SO_BINDTODEVICE: the ifindex, and the device's name as dev_get_by_index() would find it
 * (the caller runs under RCU, as tracing programs do). Probed: net_device is no part of the
 * socket the verifier knows.
 */
static __always_inline void v6t_read_bound_dev(const struct sock *sk, struct v6t_sock_event *e)
{
	int ifindex = BPF_CORE_READ(sk, __sk_common.skc_bound_dev_if);
	const struct hlist_head *heads;
	const struct hlist_node *n;

	if (ifindex <= 0)
		return;
	e->bound_dev_if = ifindex;
	heads = BPF_CORE_READ(v6t_sock_net(V6T_PROBED, sk), dev_index_head);
	n = BPF_CORE_READ(heads + (ifindex & (V6T_NETDEV_HASH - 1)), first);
	for (int i = 0; i < V6T_DEV_CHAIN_MAX && n; i++) {
		const struct net_device *dev =
			(const void *)n - bpf_core_field_offset(struct net_device, index_hlist);

		if (BPF_CORE_READ(dev, ifindex) == ifindex) {
			bpf_core_read(e->bound_dev, sizeof(e->bound_dev), &dev->name);
			return;
		}
		n = BPF_CORE_READ(n, next);
	}
}

/* The socket's own bound address (laid out by family) and port. */
static __always_inline void v6t_read_local(int how, const struct sock *sk, __u16 family, __u8 *addr,
					   __u16 *port)
{
	if (family == V6T_AF_INET6)
		v6t_copy(how, addr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
	else
		v6t_copy(how, addr, &sk->__sk_common.skc_rcv_saddr, 4);
	*port = v6t_sock_port(how, sk);
}

/* On AF_INET6 sockets skc_daddr is not the peer: the peer lives in skc_v6_daddr. */
static __always_inline void v6t_read_peer(int how, struct v6t_sock_event *e, const struct sock *sk)
{
	if (e->family == V6T_AF_INET6)
		v6t_copy(how, e->peer_addr, &sk->__sk_common.skc_v6_daddr, 16);
	else
		v6t_copy(how, e->peer_addr, &sk->__sk_common.skc_daddr, 4);
	e->peer_port = bpf_ntohs(V6T_LOAD(how, sk, __sk_common.skc_dport));
	e->flags |= V6T_F_HAS_PEER;
}

/* The inode number of a socket's file (ss -e "ino"); 0 for a socket with no file. */
static __always_inline __u64 v6t_socket_ino(int how, const struct socket *sock)
{
	const struct file *file = V6T_LOAD(how, sock, file);
	const struct inode *inode = V6T_LOAD(how, file, f_inode);

	return V6T_LOAD(how, inode, i_ino);
}

static __always_inline __u64 v6t_sock_ino(int how, const struct sock *sk)
{
	return v6t_socket_ino(how, V6T_LOAD(how, sk, sk_socket));
}

#endif /* V6TRACE_SOCK_BPF_H */

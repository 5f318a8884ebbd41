// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * refused: a TCP SYN or UDP datagram that no socket took, for a port that is served in its
 * namespace (so some listener exists, only not for this family or address). tcp_v4_rcv,
 * tcp_v6_rcv and the UDP receive paths free such a packet with SKB_DROP_REASON_NO_SOCKET
 * (skb:kfree_skb has carried a reason since 5.17), after the RST or the ICMP port
 * unreachable went out. This runs in softirq, where the current task is whoever the packet
 * interrupted: everything comes from the packet and its device.
 *
 * Every freed packet of the machine runs this, so the drop reason is tested first, then the
 * served-ports map, before anything is read from the packet beyond its ports.
 */
#include "v6trace.bpf.h"

#define TCP_FLAGS_OFF 13	/* the flags byte in struct tcphdr */
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_ACK 0x10
#define ECONNREFUSED_ERR 111

/* The IP header at nh: family, protocol and addresses into e; non-zero if not IPv4 or IPv6. */
static __always_inline int read_ip(struct v6t_sock_event *e, const unsigned char *nh)
{
	struct ipv6hdr ip6;
	struct iphdr ip;
	__u8 version;

	if (bpf_probe_read_kernel(&version, 1, nh))
		return -1;
	version >>= 4;
	if (version == 4) {
		if (bpf_probe_read_kernel(&ip, sizeof(ip), nh))
			return -1;
		e->family = V6T_AF_INET;
		e->proto = ip.protocol;
		__builtin_memcpy(e->local_addr, &ip.daddr, 4);
		__builtin_memcpy(e->peer_addr, &ip.saddr, 4);
		return 0;
	}
	if (version != 6 || bpf_probe_read_kernel(&ip6, sizeof(ip6), nh))
		return -1;
	/* extension headers before TCP or UDP are rare for a SYN: not followed */
	e->family = V6T_AF_INET6;
	e->proto = ip6.nexthdr;
	__builtin_memcpy(e->local_addr, &ip6.daddr, 16);
	__builtin_memcpy(e->peer_addr, &ip6.saddr, 16);
	return 0;
}

/* Ports (and for TCP, that it opens a connection) of the header at th; non-zero if not. */
static __always_inline int read_ports(struct v6t_sock_event *e, const unsigned char *th)
{
	__be16 ports[2];
	__u8 flags;

	if (e->proto != V6T_IPPROTO_TCP && e->proto != V6T_IPPROTO_UDP)
		return -1;
	if (bpf_probe_read_kernel(ports, sizeof(ports), th))
		return -1;
	e->peer_port = bpf_ntohs(ports[0]);
	e->local_port = bpf_ntohs(ports[1]);
	if (e->proto == V6T_IPPROTO_UDP)
		return 0;
	/* a late segment of a closed connection is no refused client: only a bare SYN is */
	if (bpf_probe_read_kernel(&flags, 1, th + TCP_FLAGS_OFF))
		return -1;
	return (flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) != TCP_FLAG_SYN;
}

/* Non-zero unless some socket of the namespace serves the packet's port and protocol. */
static __always_inline int not_served(const struct v6t_sock_event *e)
{
	struct v6t_port_key k = {};
	__s32 *n;

	k.netns_ino = e->netns_ino;
	k.port = e->local_port;
	k.proto = e->proto;
	n = bpf_map_lookup_elem(&served_ports, &k);
	return !n || *n <= 0;
}

/* A new window, opened by e, which is sent. */
static __always_inline void open_window(const struct v6t_refused_key *k, const struct v6t_sock_event *e)
{
	struct v6t_refused_window w = {};

	w.start_ns = e->ts_boot_ns;
	w.last = *e;
	bpf_map_update_elem(&refused_windows, k, &w, BPF_NOEXIST);
}

/*
 * One event per window and key: non-zero if e falls in an open window and is only counted.
 * Otherwise it takes the count of those before it, and opens the next window.
 */
static __always_inline int in_window(struct v6t_sock_event *e)
{
	struct v6t_refused_key k = {};
	struct v6t_refused_window *w;
	__u64 start, n;

	k.netns_ino = e->netns_ino;
	k.port = e->local_port;
	k.proto = e->proto;
	k.family = e->family;
	w = bpf_map_lookup_elem(&refused_windows, &k);
	if (!w) {
		open_window(&k, e);
		return 0;
	}
	start = w->start_ns;
	/* two CPUs past the window at once: one opens the next, the other is counted */
	if (e->ts_boot_ns - start < V6T_REFUSED_WINDOW_NS ||
	    __sync_val_compare_and_swap(&w->start_ns, start, e->ts_boot_ns) != start) {
		__sync_fetch_and_add(&w->suppressed, 1);
		return 1;
	}
	n = __sync_lock_test_and_set(&w->suppressed, 0);
	e->suppressed = n > 0xffffffffULL ? 0xffffffffU : n;
	__builtin_memcpy(&w->last, e, sizeof(*e));
	return 0;
}

static __always_inline void on_no_socket(struct sk_buff *skb)
{
	struct v6t_sock_event e = {};
	unsigned char *head = skb->head;
	struct net_device *dev = skb->dev;
	struct net *net;

	/* a refused packet has no task: -p, -c, -u and --cgroup select none (README) */
	if (v6t_task_filters())
		return;
	if (!dev || read_ip(&e, head + skb->network_header) ||
	    read_ports(&e, head + skb->transport_header))
		return;
	net = dev->nd_net.net;
	e.netns_ino = net->ns.inum;
	if (cfg_netns && e.netns_ino != cfg_netns)
		return;
	if (not_served(&e))
		return;
	e.flags |= V6T_F_HAS_PEER;
	/* what the client sees: a RST, or an ICMP port unreachable */
	e.err = -ECONNREFUSED_ERR;
	/* the namespace's sysctl: "IPv4 clients are refused since we set bindv6only=1" */
	e.sysctl_v6only = V6T_LOAD_BITS(V6T_BTF, net, ipv6.sysctl.bindv6only);
	if (v6t_finish(&e, V6T_EV_REFUSED, V6T_BACKEND_TRACEPOINT) || in_window(&e))
		return;
	v6t_send(&e);
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(v6t_tp_refused, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	if (reason == bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_NO_SOCKET))
		on_no_socket(skb);
	return 0;
}

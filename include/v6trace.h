/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one ABI shared by the BPF programs, the user-space loader and recording files.
 *
 * Fixed-width types only, largest first, explicit padding: the BPF side and user space
 * must agree byte for byte, and recordings written by one build are read by another.
 * Any change to a struct here is a format change: bump V6T_ABI_VERSION.
 */
#ifndef V6TRACE_ABI_H
#define V6TRACE_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define V6T_ABI_VERSION 1
#define V6T_COMM_LEN 16

/*
 * Record types: every record starts with struct v6t_rec_hdr and consumers switch on it. The
 * same records are what recordings hold (src/core/recfile.h, docs/format.md).
 */
#define V6T_REC_SOCK_EVENT 1	/* struct v6t_sock_event, from the kernel */
#define V6T_REC_LOST 2		/* struct v6t_lost, made in user space */
#define V6T_REC_NETNS 3		/* struct v6t_netns_rec, in recordings only */
#define V6T_REC_PORT_SOCKS 4	/* struct v6t_port_socks_rec, made in user space */
#define V6T_REC_OWNER 5		/* struct v6t_owner_rec, in recordings only */

/* Event kinds, in v6t_sock_event.kind. */
#define V6T_EV_BIND 1
#define V6T_EV_V6ONLY 2
#define V6T_EV_LISTEN 3
#define V6T_EV_ACCEPT 4
#define V6T_EV_SOCKET 5		/* already listening/bound when tracing began (sock_diag) */
#define V6T_EV_CONNECT 6
#define V6T_EV_UDP_MAPPED 7	/* first datagram from a v4-mapped source on a udp6 socket */
/*
 * A TCP SYN or UDP datagram for a port served in its namespace, but not for the packet's
 * family or address: family, addresses and netns are the packet's, local_* its destination;
 * there is no task (it arrives in softirq).
 */
#define V6T_EV_REFUSED 8
#define V6T_EV_MAX 8

/* Which backend produced an event, in v6t_sock_event.backend and in probe results. */
#define V6T_BACKEND_AUTO 0
#define V6T_BACKEND_FENTRY 1
#define V6T_BACKEND_KPROBE 2
#define V6T_BACKEND_TRACEPOINT 3

/* Logical hooks; each is served by exactly one backend at a time. */
#define V6T_HOOK_BIND 0
#define V6T_HOOK_V6ONLY 1
#define V6T_HOOK_ACCEPT 2
#define V6T_HOOK_LISTEN 3
#define V6T_HOOK_CONNECT 4
#define V6T_HOOK_UDP_RECV 5
#define V6T_HOOK_REFUSED 6
#define V6T_HOOK_COUNT 7

/*
 * Connects the tracepoint backend follows in SYN_SENT at once: those in distinct slots of the
 * connect-slot array (a socket's slot is its inode number modulo V6T_CONNECT_SLOTS, a power
 * of two) and the rest in an overflow hash, up to V6T_CONNECTING_MAX in all; more are lost.
 */
#define V6T_CONNECTING_MAX 16384
#define V6T_CONNECT_SLOTS 4096

/* v6t_sock_event.flags */
#define V6T_F_SETTER_KNOWN 0x01	/* this tracer saw setsockopt(IPV6_V6ONLY) on the socket */
#define V6T_F_HAS_PEER 0x02	/* peer_addr/peer_port are valid */
#define V6T_F_HAS_LISTENER 0x04	/* listen_addr/listen_port are valid (accept) */
#define V6T_F_SETTER_UNTRACED 0x08	/* setsockopt(IPV6_V6ONLY) was not traced (--event) */
#define V6T_F_LISTENER_UNKNOWN 0x10	/* accept: its listener was not found (docs/format.md) */
/*
 * refused, made at exit from the last event sent: it stands for the packets refused since,
 * the last of them itself and the others in suppressed (so every refused event counts
 * 1 + suppressed packets); their peers are not known (V6T_F_HAS_PEER is clear)
 */
#define V6T_F_TALLY 0x20

/*
 * v6t_sock_event.sockopts: the options that decide whether two binds of one port collide, read
 * from the socket at bind (after the call, failed or not) and listen. Without V6T_SO_KNOWN
 * (other events, recordings made before them) none was read.
 */
#define V6T_SO_KNOWN 0x01
#define V6T_SO_REUSEADDR 0x02	/* SO_REUSEADDR */
#define V6T_SO_REUSEPORT 0x04	/* SO_REUSEPORT */
#define V6T_SO_FREEBIND 0x08	/* IP_FREEBIND or IP_TRANSPARENT (or their IPV6_ twins) */

/* v6t_sock_event.requested when the value passed to setsockopt could not be read */
#define V6T_REQUESTED_UNKNOWN 0xff

#define V6T_AF_INET 2
#define V6T_AF_INET6 10
#define V6T_IPPROTO_TCP 6
#define V6T_IPPROTO_UDP 17

struct v6t_rec_hdr {
	__u16 type;		/* V6T_REC_* */
	__u16 size;		/* whole record, header included */
	__u32 reserved;		/* zero */
};

/*
 * One socket event. Addresses are in network byte order, laid out by the socket's family:
 * AF_INET uses the first 4 bytes (the rest are zero), AF_INET6 all 16. Ports are in host order.
 */
struct v6t_sock_event {
	struct v6t_rec_hdr hdr;
	__u64 ts_boot_ns;		/* bpf_ktime_get_boot_ns() */
	__u64 netns_ino;		/* inode of the socket's network namespace */
	__u64 cgroup_id;		/* cgroup v2 id of the task */
	__u64 sock_ino;			/* socket inode (ss -e "ino"), 0 when not known */
	__u8 local_addr[16];
	__u8 peer_addr[16];
	union {
		__u8 listen_addr[16];	/* accept: the listener's bound address */
		/* bind, listen with bound_dev_if: the interface's name, NUL-padded ("" if not found) */
		char bound_dev[16];
	};
	char comm[V6T_COMM_LEN];
	char setter_comm[V6T_COMM_LEN];	/* who set IPV6_V6ONLY, if V6T_F_SETTER_KNOWN */
	__u32 pid;			/* tgid */
	__u32 tid;
	__u32 uid;
	__s32 err;			/* 0 or a negative errno */
	union {
		__u32 setter_pid;
		/* refused: packets of the same (netns, port, family, proto) not reported since the last */
		__u32 suppressed;
	};
	__u16 local_port;
	__u16 peer_port;
	__u16 listen_port;
	__u16 family;			/* V6T_AF_INET or V6T_AF_INET6 (the socket's) */
	__u8 kind;			/* V6T_EV_* */
	__u8 proto;			/* V6T_IPPROTO_TCP or V6T_IPPROTO_UDP */
	__u8 v6only;			/* effective IPV6_V6ONLY (accept: the listener's) */
	__u8 sysctl_v6only;		/* net.ipv6.bindv6only of the socket's netns */
	__u8 requested;			/* v6only event: value asked for, or V6T_REQUESTED_UNKNOWN */
	__u8 flags;			/* V6T_F_* */
	__u8 backend;			/* V6T_BACKEND_* */
	__u8 sockopts;			/* V6T_SO_*: bind and listen */
	__u32 bound_dev_if;		/* bind, listen: SO_BINDTODEVICE's ifindex, 0 if none */
};

/*
 * -s -q: accepts counted in the kernel, per listener, after the first (which is sent as a
 * record so the summary learns the listener's owner and V6ONLY). The key is what the summary
 * keys its listeners by; the value is per CPU. Up to V6T_COUNTED_MAX listeners; the accepts
 * of any beyond are sent as records.
 */
#define V6T_COUNTED_MAX 4096

struct v6t_count_key {
	__u64 netns_ino;
	__u64 sock_ino;			/* the listener's inode: the accept's sock_ino */
	__u8 addr[16];			/* the listener's address: the accept's listen_addr */
	__u16 port;			/* the accept's listen_port */
	__u16 family;			/* V6T_AF_*: the listener's, as the accept's */
	__u32 pad;
};

struct v6t_accept_counts {
	__u64 ipv4_mapped;		/* v4-mapped peers on an AF_INET6 listener */
	__u64 ipv4;			/* peers of an AF_INET listener */
	__u64 ipv6;
};

/*
 * refused: the ports served in each namespace, which the kernel consults before it reports a
 * refused packet (a packet for a port nobody serves is a scan, not news). TCP: the number of
 * listeners, kept by listen and close and seeded at start-up; UDP: 1 once a socket was bound
 * there. Either may be stale (a UDP socket closed, a listener counted twice at start-up):
 * user space finds no listener for the event then, drops it, and clears the entry.
 */
#define V6T_SERVED_MAX 16384

struct v6t_port_key {
	__u64 netns_ino;
	__u16 port;
	__u8 proto;			/* V6T_IPPROTO_* */
	__u8 pad[5];
};

/*
 * refused: at most one event per (namespace, port, protocol, family) each window; the packets
 * refused in between are counted and that count goes with the next event, or, at exit, with a
 * copy of the last event sent (user space reads them all then, so none is lost).
 */
#define V6T_REFUSED_WINDOW_NS 1000000000ULL
#define V6T_REFUSED_WINDOWS_MAX 4096

struct v6t_refused_key {
	__u64 netns_ino;
	__u16 port;
	__u8 proto;
	__u8 pad;
	__u16 family;			/* the packet's */
	__u16 pad2;
};

struct v6t_refused_window {
	__u64 start_ns;			/* when the last event was sent (boot clock) */
	__u64 suppressed;		/* refused since, not sent (64 bits: BPF's atomics) */
	struct v6t_sock_event last;	/* the last event sent */
};

/* --container, --pod, --unit: cgroups whose verdict the kernel keeps (maps.bpf.h) */
#define V6T_OWNER_VERDICTS_MAX 4096

/* Events lost because the ring buffer was full (user space emits these). */
struct v6t_lost {
	struct v6t_rec_hdr hdr;
	__u64 ts_boot_ns;
	__u64 count;
};

/* A network namespace and its net.ipv6.bindv6only (also the recording header's tag 5). */
struct v6t_netns_info {
	__u64 netns_ino;
	__u8 bindv6only;
	__u8 pad[7];
};

/* Written before the first event from each namespace a recording holds. */
struct v6t_netns_rec {
	struct v6t_rec_hdr hdr;
	struct v6t_netns_info info;
};

/*
 * The sockets that hold a port, looked up in user space (sock_diag) after a failed bind
 * (EADDRINUSE: what holds it) or a refused packet (what listens there). The record goes
 * immediately before the event it belongs to, which has the same ts_boot_ns.
 */
#define V6T_PORT_SOCKS_MAX 16

/* v6t_port_socks_rec.flags */
#define V6T_PS_MORE 0x01	/* more sockets held the port than the record has room for */
#define V6T_PS_SKIPPED 0x02	/* not looked up: too many lookups this second */
#define V6T_PS_FAILED 0x04	/* the lookup failed or ran out of time: the list may be short */

struct v6t_port_sock {
	__u64 sock_ino;
	__u64 cgroup_id;		/* of the owner, 0 if not known */
	__u8 addr[16];			/* as in v6t_sock_event, by family */
	char comm[V6T_COMM_LEN];	/* the owner's, "" if not known */
	__u32 pid;			/* the owner's tgid, 0 if not known */
	__u32 uid;			/* the socket's (sock_diag's idiag_uid) */
	__u16 port;
	__u16 family;			/* V6T_AF_* */
	__u8 proto;			/* V6T_IPPROTO_* */
	__u8 v6only;
	__u8 v6only_source;		/* enum v6t_v6only_source (src/core/classify.h) */
	__u8 sockopts;			/* V6T_SO_*; without V6T_SO_KNOWN none was seen */
	__u8 state;			/* the kernel's TCP state (10 LISTEN), 7 for UDP */
	__u8 pad[7];
};

struct v6t_port_socks_rec {
	struct v6t_rec_hdr hdr;
	__u64 ts_boot_ns;		/* of the event it belongs to */
	__u16 count;			/* entries in socks, at most V6T_PORT_SOCKS_MAX */
	__u8 flags;			/* V6T_PS_* */
	__u8 pad[5];
	struct v6t_port_sock socks[];
};

/* The one size a record of count entries has: anything else is corrupt. */
static inline unsigned int v6t_port_socks_size(unsigned int count)
{
	return sizeof(struct v6t_port_socks_rec) + count * sizeof(struct v6t_port_sock);
}

static inline int v6t_port_socks_valid(const struct v6t_port_socks_rec *r, unsigned long size)
{
	return size >= sizeof(*r) && r->count <= V6T_PORT_SOCKS_MAX &&
	       r->hdr.size == v6t_port_socks_size(r->count) && r->hdr.size <= size;
}

/*
 * Who owns a cgroup (src/core/container.h), as a recording keeps it: cgroup ids are inode
 * numbers, which name nothing, or another cgroup, on another machine, after a reboot or once
 * the container is gone, so a replay names owners from these records alone. Written before
 * the first record of each file that names the cgroup (an event's cgroup_id, a port socket's).
 * Strings are NUL-terminated and NUL-padded; "" where not known.
 */
#define V6T_CONTAINER_ID_LEN 64	/* hex, as every runtime here makes them */
#define V6T_POD_UID_LEN 36	/* 8-4-4-4-12 */
#define V6T_UNIT_LEN 128
#define V6T_NAME_LEN 254	/* a Kubernetes name is a DNS subdomain: 253 bytes */

struct v6t_owner_rec {
	struct v6t_rec_hdr hdr;
	__u64 cgroup_id;
	__u8 runtime;			/* enum v6t_runtime (src/core/container.h), 0: none */
	char id[V6T_CONTAINER_ID_LEN + 1];
	char pod_uid[V6T_POD_UID_LEN + 1];
	char unit[V6T_UNIT_LEN];	/* the systemd unit */
	char name[V6T_NAME_LEN];	/* the container's */
	char pod[V6T_NAME_LEN];
	char pod_namespace[V6T_NAME_LEN];
	char cgroup[V6T_NAME_LEN];	/* the last element of its path, "/" for the root */
	__u8 pad;
};

/*
 * Address classification shared by the BPF programs (kernel-side filters) and user space
 * (decoding, replay filters), so both sides decide "mapped" the same way.
 */
static inline int v6t_addr_is_v4mapped(const __u8 *a)
{
	/* ::ffff:0:0/96, RFC 4291 section 2.5.5.2 */
	for (int i = 0; i < 10; i++)
		if (a[i])
			return 0;
	return a[10] == 0xff && a[11] == 0xff;
}

static inline int v6t_addr_is_any6(const __u8 *a)
{
	for (int i = 0; i < 16; i++)
		if (a[i])
			return 0;
	return 1;
}

/* A v4-mapped address means "IPv4" only on an AF_INET6 socket: never decide from the prefix alone. */
static inline int v6t_peer_is_mapped(const struct v6t_sock_event *e)
{
	return e->family == V6T_AF_INET6 && (e->flags & V6T_F_HAS_PEER) &&
	       v6t_addr_is_v4mapped(e->peer_addr);
}

/*
 * --peer and --local: one key space for both families. An address is tested as an IPv6 key,
 * an AF_INET one as ::ffff:a.b.c.d, and an IPv4 prefix a.b.c.d/n is stored as
 * ::ffff:a.b.c.d/(96+n): so one lookup finds an IPv4 client whether it came to an AF_INET
 * socket or, v4-mapped, to a dual-stack AF_INET6 one, which is what a tool about
 * dual-stack sockets must not miss. ::/0 then holds every address, ::ffff:0:0/96 every IPv4
 * one (as 0.0.0.0/0 does), and any other IPv6 prefix no IPv4 address.
 */
#define V6T_MAX_PREFIXES 64	/* per direction: the filter_peers and filter_locals tries */

/* A key of the filter_peers and filter_locals LPM tries; prefixlen 128 for a lookup. */
struct v6t_lpm_key {
	__u32 prefixlen;
	__u8 addr[16];
};

/* addr, laid out for family (V6T_AF_*), as the 16 bytes of an IPv6 filter key. */
static inline void v6t_addr_key(__u16 family, const __u8 *addr, __u8 *key)
{
	if (family == V6T_AF_INET6) {
		for (int i = 0; i < 16; i++)
			key[i] = addr[i];
		return;
	}
	for (int i = 0; i < 10; i++)
		key[i] = 0;
	key[10] = key[11] = 0xff;
	for (int i = 0; i < 4; i++)
		key[12 + i] = addr[i];
}

/*
 * The event's peer as a filter key: 0 when it has none (bind, v6only, listen, a listening
 * socket not connected), which then matches no --peer. A refused event's peer is its
 * packet's source.
 */
static inline int v6t_event_peer_key(const struct v6t_sock_event *e, __u8 *key)
{
	if (!(e->flags & V6T_F_HAS_PEER))
		return 0;
	v6t_addr_key(e->family, e->peer_addr, key);
	return 1;
}

/*
 * The event's local address as a filter key; every event has one: a bind's is the address
 * asked for (a wildcard is matched as itself), an accept's the address the client reached,
 * a connect's its source, a refused packet's its destination.
 */
static inline void v6t_event_local_key(const struct v6t_sock_event *e, __u8 *key)
{
	v6t_addr_key(e->family, e->local_addr, key);
}

/* What a peer is: the summary's classes of accepts, the same in BPF and user space. */
#define V6T_PEER_IPV4 0		/* the peer of an AF_INET socket */
#define V6T_PEER_MAPPED 1	/* IPv4 as ::ffff:a.b.c.d on an AF_INET6 socket */
#define V6T_PEER_IPV6 2

static inline int v6t_peer_class(const struct v6t_sock_event *e)
{
	if (v6t_peer_is_mapped(e))
		return V6T_PEER_MAPPED;
	return e->family == V6T_AF_INET6 ? V6T_PEER_IPV6 : V6T_PEER_IPV4;
}

/* One accept into a listener's counts. */
static inline void v6t_accept_counts_add(struct v6t_accept_counts *c, const struct v6t_sock_event *e)
{
	switch (v6t_peer_class(e)) {
	case V6T_PEER_MAPPED:
		c->ipv4_mapped++;
		break;
	case V6T_PEER_IPV4:
		c->ipv4++;
		break;
	default:
		c->ipv6++;
	}
}

static inline void v6t_accept_counts_merge(struct v6t_accept_counts *dst,
					   const struct v6t_accept_counts *src)
{
	dst->ipv4_mapped += src->ipv4_mapped;
	dst->ipv4 += src->ipv4;
	dst->ipv6 += src->ipv6;
}

static inline __u64 v6t_accept_counts_total(const struct v6t_accept_counts *c)
{
	return c->ipv4_mapped + c->ipv4 + c->ipv6;
}

/*
 * Is this event about dual-stack behaviour (what --mapped-only keeps)? A v4-mapped peer (accept,
 * connect, UDP source), an
 * AF_INET6 socket bound to a v4-mapped address, an AF_INET6 wildcard socket without V6ONLY
 * (it takes IPv4 too), every IPV6_V6ONLY change, and every refused packet (its family was
 * not served).
 */
static inline int v6t_event_is_dualstack(const struct v6t_sock_event *e)
{
	if (e->kind == V6T_EV_V6ONLY || e->kind == V6T_EV_REFUSED)
		return 1;
	if (e->family != V6T_AF_INET6)
		return 0;
	if (e->kind == V6T_EV_ACCEPT || e->kind == V6T_EV_CONNECT || e->kind == V6T_EV_UDP_MAPPED)
		return v6t_peer_is_mapped(e);
	if (v6t_addr_is_v4mapped(e->local_addr))
		return 1;
	return !e->v6only && v6t_addr_is_any6(e->local_addr);
}

#ifndef __VMLINUX_H__
_Static_assert(sizeof(struct v6t_rec_hdr) == 8, "v6t_rec_hdr size is ABI");
_Static_assert(sizeof(struct v6t_sock_event) == 160, "v6t_sock_event size is ABI");
_Static_assert(sizeof(struct v6t_lost) == 24, "v6t_lost size is ABI");
_Static_assert(sizeof(struct v6t_port_key) == 16, "v6t_port_key size is ABI");
_Static_assert(sizeof(struct v6t_refused_key) == 16, "v6t_refused_key size is ABI");
_Static_assert(sizeof(struct v6t_netns_rec) == 24, "netns record size is format");
_Static_assert(sizeof(struct v6t_port_sock) == 72, "port socket size is format");
_Static_assert(sizeof(struct v6t_port_socks_rec) == 24, "port sockets record size is format");
_Static_assert(__builtin_offsetof(struct v6t_port_sock, pid) == 48, "format offset");
_Static_assert(__builtin_offsetof(struct v6t_port_sock, port) == 56, "format offset");
_Static_assert(__builtin_offsetof(struct v6t_port_socks_rec, count) == 16, "format offset");
_Static_assert(sizeof(struct v6t_owner_rec) == 1264, "owner record size is format");
_Static_assert(__builtin_offsetof(struct v6t_owner_rec, id) == 17, "format offset");
_Static_assert(__builtin_offsetof(struct v6t_owner_rec, name) == 247, "format offset");
_Static_assert(__builtin_offsetof(struct v6t_owner_rec, cgroup) == 1009, "format offset");
_Static_assert(sizeof(struct v6t_lpm_key) == 20, "LPM trie key: prefixlen, then the address");
_Static_assert(sizeof(struct v6t_sock_event) % 8 == 0, "records keep 8-byte alignment");
/* docs/format.md lists these offsets: recordings depend on them */
_Static_assert(__builtin_offsetof(struct v6t_sock_event, local_addr) == 40, "ABI offset");
_Static_assert(__builtin_offsetof(struct v6t_sock_event, comm) == 88, "ABI offset");
_Static_assert(__builtin_offsetof(struct v6t_sock_event, pid) == 120, "ABI offset");
_Static_assert(__builtin_offsetof(struct v6t_sock_event, local_port) == 140, "ABI offset");
_Static_assert(__builtin_offsetof(struct v6t_sock_event, kind) == 148, "ABI offset");
_Static_assert(__builtin_offsetof(struct v6t_sock_event, sockopts) == 155, "ABI offset");
_Static_assert(__builtin_offsetof(struct v6t_sock_event, bound_dev_if) == 156, "ABI offset");
_Static_assert(__builtin_offsetof(struct v6t_sock_event, bound_dev) == 72, "ABI offset");
#endif

#endif /* V6TRACE_ABI_H */

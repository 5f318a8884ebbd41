/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The maps and configuration every v6trace BPF program shares, with the records they hold.
 * maps.bpf.c defines them; every other object sees them extern.
 */
#ifndef V6TRACE_MAPS_BPF_H
#define V6TRACE_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "v6trace.h"

/* Who last set IPV6_V6ONLY on a socket, keyed by the socket's inode number. */
struct v6t_setter {
	__u32 pid;
	__u8 value;
	__u8 pad[3];
	char comm[V6T_COMM_LEN];
};

/*
 * Who an event is about. Usually the current task; but a handshake completes in softirq,
 * where the current task is whoever the packet interrupted, so accept and connect events
 * of the tracepoint backend carry the task recorded at listen() or connect() instead.
 */
struct v6t_who {
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 known;	/* 0: nobody was recorded (a listener older than the tracer, say) */
	__u64 cgroup_id;
	char comm[V6T_COMM_LEN];
};

/* A TCP listener and who owns it, as its accepted children find it (see listener_of). */
struct v6t_listener {
	struct v6t_who who;	/* who called listen(), or holds the socket */
	__u64 sock_ino;
	__u8 addr[16];		/* its bound address */
	/*
	 * Who set its IPV6_V6ONLY, as found at listen(): a bound socket's V6ONLY cannot change
	 * (EINVAL), so its accepts need not look it up again.
	 */
	struct v6t_setter setter;
	__u32 has_setter;
	__u32 pad;
};

/*
 * maps.bpf.c defines V6T_DEFINE_MAPS and so defines these; every other object sees them extern and
 * the BPF static linker (bpftool gen object) resolves them to one map each.
 */
#ifdef V6T_DEFINE_MAPS
#define V6T_MAP
#else
#define V6T_MAP extern
#endif

V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
} events SEC(".maps");

V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_events SEC(".maps");

/* Events this CPU sent since it last woke the reader (see v6t_emit). */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} since_wakeup SEC(".maps");

V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u8);
} filter_pids SEC(".maps");

V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);
	__type(value, __u8);
} filter_ports SEC(".maps");

V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u8);
} filter_uids SEC(".maps");

/*
 * --container, --pod, --unit: user space's answer per cgroup id (1 keep, 0 drop), written
 * for every cgroup at start and for each new one when its first event reaches user space
 * (which decides that one itself): a cgroup not in here yet is let through.
 */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, V6T_OWNER_VERDICTS_MAX);
	__type(key, __u64);
	__type(value, __u8);
} owner_verdicts SEC(".maps");

/*
 * --peer and --local: prefixes in the IPv6 key space of v6t_addr_key, an IPv4 one as
 * ::ffff:a.b.c.d/(96+n), so one lookup serves AF_INET and v4-mapped addresses alike.
 */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, V6T_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* the kernel requires it of an LPM trie */
	__type(key, struct v6t_lpm_key);
	__type(value, __u8);
} filter_peers SEC(".maps");

V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, V6T_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct v6t_lpm_key);
	__type(value, __u8);
} filter_locals SEC(".maps");

/* LRU: closed sockets are never told to us, so old entries must age out on their own. */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct v6t_setter);
} v6only_setters SEC(".maps");

/*
 * The listener, kept on the listening socket itself (tracepoint backend): written at listen(),
 * or by the iterator for listeners older than the trace. The kernel copies it into each child
 * the listener clones (BPF_F_CLONE: sk_clone_lock calls bpf_sk_storage_clone), so an accepted
 * socket names the very socket that accepted it, whoever else listens on that port (another
 * address, an SO_REUSEPORT twin); and it goes with the socket when that closes.
 */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_CLONE);
	__type(key, int);
	__type(value, struct v6t_listener);
} listener_of SEC(".maps");

/*
 * Who holds each TCP listener, by socket inode, while the start-up seed runs (tracepoint
 * backend): v6t_iter_holders fills it from the tasks' files, v6t_iter_listeners reads it in
 * each namespace's TCP iterator, which alone hands over a socket the kernel lets us give
 * listener_of (see there); user space empties it after.
 */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct v6t_who);
} listener_holders SEC(".maps");

/*
 * Who started each connect still in SYN_SENT (tracepoint backend), in one of two places.
 * Usually a slot of connect_slots, the socket's inode number modulo V6T_CONNECT_SLOTS: socket
 * inodes are numbered in sequence, so sockets connecting at the same time take distinct
 * slots, and a slot is claimed and freed with no lock and no hashing (a hash update, lookup
 * and delete cost 280 ns more per connect under a storm). Otherwise (the slot is held by a
 * socket V6T_CONNECT_SLOTS inodes older, or the socket has no file: an in-kernel socket) the
 * connecting hash, keyed by the struct sock. Every socket leaves SYN_SENT (established, or
 * closed on failure) and its entry goes then, so nothing ages out. A full hash drops the
 * connect and counts it as lost.
 */
struct v6t_connect_slot {
	__u64 ino;		/* the connecting socket's inode; 0: free */
	struct v6t_who who;
};

V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, V6T_CONNECT_SLOTS);
	__type(key, __u32);
	__type(value, struct v6t_connect_slot);
} connect_slots SEC(".maps");

/* A plain hash, not LRU: an LRU update cost 300 ns more per connect under a storm. */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, V6T_CONNECTING_MAX - V6T_CONNECT_SLOTS);
	__type(key, __u64);
	__type(value, struct v6t_who);
} connecting SEC(".maps");

/* -s -q: accepts per listener after its first (see v6t_counted). */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, V6T_COUNTED_MAX);
	__type(key, struct v6t_count_key);
	__type(value, struct v6t_accept_counts);
} accept_counts SEC(".maps");

/* udp6 sockets already reported for a v4-mapped source, keyed by socket inode. */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} udp_mapped_seen SEC(".maps");

/* refused: the ports served in each namespace (see struct v6t_port_key) */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, V6T_SERVED_MAX);
	__type(key, struct v6t_port_key);
	__type(value, __s32);
} served_ports SEC(".maps");

/* refused: each (namespace, port, protocol, family)'s window (see struct v6t_refused_window) */
V6T_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, V6T_REFUSED_WINDOWS_MAX);
	__type(key, struct v6t_refused_key);
	__type(value, struct v6t_refused_window);
} refused_windows SEC(".maps");

/* Set by the loader through skel->rodata before load; the verifier prunes what is off. */
extern const volatile __u32 cfg_filter_pids;
extern const volatile __u32 cfg_filter_ports;
extern const volatile __u32 cfg_filter_uids;
extern const volatile __u32 cfg_filter_owners;	/* --container, --pod, --unit: owner_verdicts */
extern const volatile __u32 cfg_filter_peers;
extern const volatile __u32 cfg_filter_locals;
extern const volatile __u32 cfg_mapped_only;
extern const volatile __u64 cfg_netns;
extern const volatile char cfg_comm[V6T_COMM_LEN];
extern const volatile __u32 cfg_raw_hooks;	/* bit V6T_HOOK_x: served by the raw sys_exit program */
extern const volatile __u32 cfg_state_hooks;	/* bit V6T_HOOK_x: served by sock:inet_sock_set_state */
extern const volatile __u64 cfg_cgroup;	/* cgroup v2 id (its directory's inode), 0 = any */
/* set once a setsockopt(IPV6_V6ONLY) has been recorded in v6only_setters */
extern __u32 v6t_setters_used;
extern const volatile __u64 cfg_wakeup_events;	/* per CPU: wake the reader every this many events */
extern const volatile __u32 cfg_events;	/* bit V6T_EV_x: kinds to send (--event); 0 = all */
extern const volatile __u32 cfg_setters_traced;	/* the setsockopt(IPV6_V6ONLY) hook is attached */
extern const volatile __u32 cfg_count_accepts;	/* -s -q: count accepts in accept_counts */
extern const volatile __u32 cfg_refused;	/* the refused hook is on: keep served_ports */

#endif /* V6TRACE_MAPS_BPF_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record decoded once into what every stage reads: names, its classification, and (for the
 * display) formatted addresses and the explanatory note. Filters, the summary, text and JSON
 * all take this view; only the recording takes the raw record. The other rows the outputs
 * show (a lost record, the summary's rows) are views too, of what they have.
 */
#ifndef V6T_DECODE_H
#define V6T_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include "addr.h"
#include "cgroup.h"
#include "classify.h"
#include "hints.h"
#include "names.h"
#include "v6trace.h"

#define V6T_NOTE_LEN 256

/* What a view has (v6t_view.has): a field whose value it lacks shows as absent (fields.h). */
#define V6T_HAS_OWNER 0x0001		/* the process is known (pid not 0) */
#define V6T_HAS_COMM 0x0002		/* a process name, not "" */
#define V6T_HAS_PEER 0x0004
#define V6T_HAS_LISTENER 0x0008		/* an accept's listener is known */
#define V6T_HAS_SETTER 0x0010		/* who set IPV6_V6ONLY, seen by this tracer */
#define V6T_HAS_REQUESTED 0x0020	/* the value a v6only event asked for, readable */
#define V6T_HAS_MAPPED 0x0040		/* a v4-mapped peer */
#define V6T_HAS_ERROR 0x0080		/* the call failed */
#define V6T_HAS_V6ONLY 0x0100		/* an AF_INET6 socket, which has a V6ONLY */
#define V6T_HAS_CONTAINER 0x0200	/* --wide: the task's cgroup is known by name */
#define V6T_HAS_WIDE 0x0400		/* --wide: the container is shown */
#define V6T_HAS_SOCKOPTS 0x0800	/* bind, listen: the socket options were read */
#define V6T_HAS_BOUND_DEV 0x1000	/* bind, listen: bound to a device (SO_BINDTODEVICE) */
#define V6T_HAS_SUPPRESSED 0x2000	/* refused: how many like it were not reported */
#define V6T_HAS_HINT 0x4000		/* a TCP listener (-l, -s) with a hint to show */
#define V6T_HAS_HOLDERS 0x8000		/* a bind's EADDRINUSE, with the port's sockets looked up */
#define V6T_HAS_LISTENERS 0x10000	/* a refused packet, with the port's listeners looked up */

struct v6t_view {
	const struct v6t_sock_event *e;
	uint64_t wall_ns;
	struct v6t_class cls;
	const char *event;		/* "bind", "v6only", "listen", "accept", ... */
	const char *proto;		/* "tcp", "udp" */
	const char *family;		/* "inet", "inet6" */
	const char *netstat_kind;	/* "tcp", "tcp6", "udp", "udp6": what netstat/ss call it */
	const char *v6only_source;	/* v6t_source_name(cls.source) */
	const char *error;		/* errno name, or NULL unless cls.failed */
	const char *backend;
	bool v6only;
	bool mapped;			/* AF_INET6 socket with a ::ffff:0:0/96 peer */
	bool has_peer;
	bool has_listener;		/* accept: its listener is known (else none is shown) */
	bool setter_known;
	uint32_t has;			/* V6T_HAS_* */
	uint8_t comm_len, setter_comm_len;
	char comm[V6T_COMM_LEN + 1];
	char setter_comm[V6T_COMM_LEN + 1];
	/* SO_BINDTODEVICE's interface: its name, or "ifindex N" if the record has none */
	char bound_dev[24];
	uint8_t bound_dev_len;
	struct v6t_hint hint;		/* a TCP listener's: how to get the other behaviour */
	/* the sockets that held the port (V6T_HAS_HOLDERS, _LISTENERS), or NULL */
	const struct v6t_port_socks_rec *socks;

	/* the rest is filled by v6t_explain(), for the display only */
	/* no process name went into the note: plain ASCII, shown as it is (else made safe) */
	bool note_plain;
	/* lengths of the strings below, so output copies them without strlen */
	uint8_t local_addr_len, peer_addr_len, ipv4_len, listener_addr_len;
	uint16_t note_len;
	char local_addr[INET6_ADDRSTRLEN];
	char peer_addr[INET6_ADDRSTRLEN];
	char ipv4[INET_ADDRSTRLEN];	/* the mapped peer's IPv4 address, when mapped */
	char listener_addr[INET6_ADDRSTRLEN];
	const struct v6t_cgroup_owner *container;	/* --wide: the cgroup's owner, or NULL */
	/* --wide: the owners of socks' entries, in its order (NULL: not known) */
	const struct v6t_cgroup_owner *sock_owners[V6T_PORT_SOCKS_MAX];
	char note[V6T_NOTE_LEN];

	/* rows that are not events: a lost record, a summary row or its footers */
	const struct v6t_accept_counts *accepts;	/* a summary row's */
	uint64_t count, total;		/* lost: since the last report and in all; footers: count */
	bool replayed;			/* lost: a gap in a recording, not in this run's ring */
};

/* What the filters and the summary need: names and classification, no text formatting. */
void v6t_decode(const struct v6t_sock_event *e, int64_t boot_to_wall_ns, struct v6t_view *v);
/*
 * The port's sockets looked up for the event (the record before it), if it is an event that
 * shows them: a bind that failed with EADDRINUSE, or a refused packet.
 */
void v6t_view_attach_socks(struct v6t_view *v, const struct v6t_port_socks_rec *r);
/* What the display needs on top: the addresses as text, the note, and with wide the container. */
void v6t_explain(struct v6t_view *v, bool wide);
/* A TCP listener's hint, from its class, V6ONLY source and comm as the view has them now. */
void v6t_view_hint(struct v6t_view *v);
/* A lost record's row: count lost now, total in all; replayed: a gap in a recording. */
void v6t_view_lost(struct v6t_view *v, uint64_t wall_ns, uint64_t count, uint64_t total,
		   bool replayed);

#endif

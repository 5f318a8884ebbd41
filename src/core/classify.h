/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a socket and its peer are, decided once per record: which families the socket takes,
 * what its peer is, where its V6ONLY came from, whether the record is about dual-stack
 * behaviour (-m) and what deserves the eye. Notes, the summary's verdicts, colours and
 * filters all read this answer; none of them decides it again.
 */
#ifndef V6T_CLASSIFY_H
#define V6T_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>
#include "v6trace.h"

/* What a socket takes, from its family, the address it is bound to and its V6ONLY. */
enum v6t_sock_class {
	V6T_SOCK_IPV4,		/* AF_INET: IPv4 only (netstat's tcp, udp) */
	V6T_SOCK_V4MAPPED,	/* AF_INET6 on ::ffff:a.b.c.d: IPv4 only, listed as tcp6 */
	V6T_SOCK_V6ONLY,	/* AF_INET6 with IPV6_V6ONLY: IPv6 only */
	V6T_SOCK_DUALSTACK,	/* AF_INET6 on :: without V6ONLY: IPv6, and IPv4 as ::ffff:a.b.c.d */
	V6T_SOCK_IPV6,		/* AF_INET6 on one IPv6 address: IPv6 only */
	V6T_SOCK_CLASSES,
};

/* The peer is V6T_PEER_* (include/v6trace.h: the kernel counts accepts by the same rule). */

/* Where V6ONLY came from (README: the V6ONLY column). */
enum v6t_v6only_source {
	V6T_SRC_NONE,		/* an AF_INET socket: no V6ONLY */
	V6T_SRC_SETSOCKOPT,
	V6T_SRC_BIND_ADDRESS,	/* the kernel set it at bind() to one IPv6 address */
	V6T_SRC_SYSCTL,
	V6T_SRC_DEFAULT,
	V6T_SRC_UNKNOWN,	/* a summary row whose describing record was lost */
	V6T_SRC_COUNT,
};

/* What the text display points out (in colour). */
enum v6t_emphasis {
	V6T_EMPH_NONE,
	V6T_EMPH_FAILED,	/* the call failed */
	V6T_EMPH_MAPPED,	/* an IPv4 peer behind a tcp6/udp6 socket */
	V6T_EMPH_DUALSTACK,	/* an AF_INET6 socket that takes IPv4 too, or a V6ONLY of 0 */
};

struct v6t_class {
	uint8_t sock;		/* enum v6t_sock_class: the socket, by its local address */
	uint8_t listener;	/* the same for an accept's listener (by its address), else sock */
	uint8_t peer;		/* V6T_PEER_*: mapped only with a v4-mapped peer, else by family */
	uint8_t source;		/* enum v6t_v6only_source */
	uint8_t emphasis;	/* enum v6t_emphasis */
	bool failed;		/* the call failed (a connect still under way has not) */
	bool dualstack;		/* about dual-stack behaviour: what --mapped-only keeps */
};

void v6t_classify(const struct v6t_sock_event *e, struct v6t_class *c);

/* Why one of the listeners of a refused packet's port did not take it. */
enum v6t_miss {
	V6T_MISS_V6ONLY,	/* an IPv4 packet; an IPv6-only [::] listener */
	V6T_MISS_IPV6,		/* an IPv4 packet; a listener on one IPv6 address */
	V6T_MISS_IPV4,		/* an IPv6 packet; an AF_INET listener */
	V6T_MISS_V4MAPPED,	/* an IPv6 packet; a listener on a v4-mapped address */
	V6T_MISS_ADDRESS,	/* its family, but another address */
	V6T_MISSES,
};

enum v6t_miss v6t_refused_miss(const struct v6t_sock_event *e, const struct v6t_port_sock *s);

/* Which of a port's sockets an event is explained by, looked up after it arrives. */
enum v6t_port_list {
	V6T_LIST_NONE,
	V6T_LIST_HOLDERS,	/* a bind's EADDRINUSE: every socket bound to the port */
	V6T_LIST_LISTENERS,	/* a refused packet: the port's listeners (UDP: bound sockets) */
};

enum v6t_port_list v6t_port_list_of(const struct v6t_sock_event *e);
/*
 * Whether e is worth showing with the list r looked up for it: not a refused UDP datagram
 * whose port nobody serves after all (the kernel's map of served UDP ports is never taken
 * back: nothing tells it of a UDP close), unless the lookup was skipped or failed and cannot
 * tell, or the event is a tally at exit.
 */
bool v6t_port_list_keeps(const struct v6t_sock_event *e, const struct v6t_port_socks_rec *r);

/* A socket of a port's list: where its V6ONLY came from (enum v6t_v6only_source). */
uint8_t v6t_port_sock_source(const struct v6t_port_sock *s, uint8_t sysctl_v6only, bool setter_known);

/* Why a bind collides with a socket that holds its port: the rule the kernel applied. */
enum v6t_conflict {
	V6T_CONFLICT_NONE,		/* other addresses: this one is not what collides */
	V6T_CONFLICT_NEEDS_IPV4,	/* a dual-stack [::] needs the IPv4 port an IPv4 socket has */
	V6T_CONFLICT_HOLDER_DUALSTACK,	/* an IPv4 bind against a dual-stack [::] holder */
	V6T_CONFLICT_LISTENING,		/* SO_REUSEADDR does not share a listening port */
	V6T_CONFLICT_REUSE,		/* one address: SO_REUSEPORT is needed on both */
	V6T_CONFLICT_OTHER_UID,		/* SO_REUSEPORT on both, but of other users */
	V6T_CONFLICT_SAME,		/* one address, the options not known */
	V6T_CONFLICTS,
};

enum v6t_conflict v6t_bind_conflict(const struct v6t_sock_event *e, const struct v6t_port_sock *h);
/* The holder that explains a failed bind best (the first that collides), or -1 if none. */
int v6t_pick_holder(const struct v6t_sock_event *e, const struct v6t_port_socks_rec *r,
		    enum v6t_conflict *why);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turns a raw v6t_sock_event into what is shown: names, formatted addresses, the V6ONLY source
 * and the explanatory note. Text and JSON output both print a view, so they cannot disagree.
 */
#ifndef V6T_DECODE_H
#define V6T_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include "addr.h"
#include "names.h"
#include "v6trace.h"

#define V6T_NOTE_LEN 256

struct v6t_view {
	const struct v6t_sock_event *e;
	uint64_t wall_ns;
	const char *event;		/* "bind", "v6only", "listen", "accept" */
	const char *proto;		/* "tcp", "udp" */
	const char *family;		/* "inet", "inet6" */
	const char *netstat_kind;	/* "tcp", "tcp6", "udp", "udp6": what netstat/ss call it */
	/* "setsockopt", "bind-address", "sysctl", "default", "n/a" (AF_INET) */
	const char *v6only_source;
	const char *error;		/* errno name, or NULL on success */
	const char *backend;
	bool v6only;
	bool mapped;			/* AF_INET6 socket with a ::ffff:0:0/96 peer */
	bool has_peer;
	bool has_listener;		/* accept: its listener is known (else none is shown) */
	bool setter_known;
	/* no process name went into the note: plain ASCII, shown as it is (else made safe) */
	bool note_plain;
	/* lengths of the strings below, so output copies them without strlen */
	uint8_t comm_len, setter_comm_len;
	uint8_t local_addr_len, peer_addr_len, ipv4_len, listener_addr_len;
	uint16_t note_len;
	char comm[V6T_COMM_LEN + 1];
	char setter_comm[V6T_COMM_LEN + 1];
	char local_addr[INET6_ADDRSTRLEN];
	char peer_addr[INET6_ADDRSTRLEN];
	char ipv4[INET_ADDRSTRLEN];	/* the mapped peer's IPv4 address, when mapped */
	char listener_addr[INET6_ADDRSTRLEN];
	char note[V6T_NOTE_LEN];
};

const char *v6t_v6only_source(const struct v6t_sock_event *e);

void v6t_decode(const struct v6t_sock_event *e, int64_t boot_to_wall_ns, struct v6t_view *v);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record decoded once into what every stage reads: names, its classification, and (for the
 * display) formatted addresses and the explanatory note. Filters, the summary, text and JSON
 * all take this view; only the recording takes the raw record.
 */
#ifndef V6T_DECODE_H
#define V6T_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include "addr.h"
#include "classify.h"
#include "names.h"
#include "v6trace.h"

#define V6T_NOTE_LEN 256

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
	uint8_t comm_len, setter_comm_len;
	char comm[V6T_COMM_LEN + 1];
	char setter_comm[V6T_COMM_LEN + 1];

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
	char note[V6T_NOTE_LEN];
};

/* What the filters and the summary need: names and classification, no text formatting. */
void v6t_decode(const struct v6t_sock_event *e, int64_t boot_to_wall_ns, struct v6t_view *v);
/* What the display needs on top: the addresses as text and the note. */
void v6t_explain(struct v6t_view *v);

#endif

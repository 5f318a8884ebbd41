// SPDX-License-Identifier: GPL-2.0
#include "note.h"

/* What was refused, by the packet's protocol: a client's SYN, or a datagram. */
static const char *const packet_words[2][2] = {
	/* [udp][plural] */
	{ "SYN", "SYNs" },
	{ "datagram", "datagrams" },
};

static void put_packet(struct strbuf *sb, const struct v6t_view *v, bool plural)
{
	sb_puts(sb, v->e->family == V6T_AF_INET6 ? "IPv6 " : "IPv4 ");
	sb_puts(sb, packet_words[v->e->proto == V6T_IPPROTO_UDP][plural]);
}

/*
 * "IPv4 SYN from 10.0.0.5:51234 to 10.0.0.1:8080 refused: ...", or for a tally made at exit
 * "12 more IPv4 SYNs to 10.0.0.1:8080 refused since the last report". The port is served (the
 * kernel checked), so what follows says why not for this packet.
 */
void v6t_note_refused(struct strbuf *sb, struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;

	if (e->flags & V6T_F_TALLY) {
		sb_u64(sb, (uint64_t)e->suppressed + 1);
		sb_lit(sb, " more ");
		put_packet(sb, v, true);
	} else {
		put_packet(sb, v, false);
		if (v->has_peer) {
			sb_lit(sb, " from ");
			v6t_put_endpoint(sb, e->family, v->peer_addr, v->peer_addr_len, e->peer_port);
		}
	}
	sb_lit(sb, " to ");
	v6t_put_endpoint(sb, e->family, v->local_addr, v->local_addr_len, e->local_port);
	if (e->flags & V6T_F_TALLY) {
		sb_lit(sb, " refused since the last report");
		return;
	}
	sb_lit(sb, " refused: no socket on the port takes ");
	sb_puts(sb, e->family == V6T_AF_INET6 ? "IPv6" : "IPv4");
	sb_lit(sb, " to this address");
	if (e->suppressed) {
		sb_lit(sb, " (and ");
		sb_u64(sb, e->suppressed);
		sb_lit(sb, " more since the last report)");
	}
}

// SPDX-License-Identifier: GPL-2.0
#include "names.h"
#include "note.h"

/* Text names the first few listeners of a refused packet's port; JSON has them all. */
#define LISTENERS_NAMED 3

/* Why a listener did not take the packet, after "[::]:80 (nginx[812])" (v6t_refused_miss). */
static const char *const miss_words[V6T_MISSES] = {
	[V6T_MISS_V6ONLY] = " is IPv6-only",
	[V6T_MISS_IPV6] = " is on one IPv6 address",
	[V6T_MISS_IPV4] = " is IPv4 (AF_INET)",
	[V6T_MISS_V4MAPPED] = " takes IPv4 only (a v4-mapped address)",
	[V6T_MISS_ADDRESS] = " is on another address",
};

/* Where an IPv6-only listener's V6ONLY came from: what to change to let IPv4 in. */
static const char *const v6only_words[V6T_SRC_COUNT] = {
	[V6T_SRC_SETSOCKOPT] = " (V6ONLY=1 set by setsockopt)",
	[V6T_SRC_BIND_ADDRESS] = "",
	[V6T_SRC_SYSCTL] = " (V6ONLY=1 from net.ipv6.bindv6only=1)",
};

/* "[::]:80 (nginx[812]) is IPv6-only": with apposition, "..., is" as after "the only listener" */
static void put_listener(struct strbuf *sb, struct v6t_view *v, unsigned int i, bool apposition)
{
	const struct v6t_port_sock *s = &v->socks->socks[i];
	enum v6t_miss why = v6t_refused_miss(v->e, s);

	v6t_put_port_sock(sb, v, i, " (");
	sb_putc(sb, ')');
	if (apposition)
		sb_putc(sb, ',');
	sb_puts(sb, miss_words[why]);
	if (why == V6T_MISS_V6ONLY && s->v6only_source < V6T_SRC_COUNT &&
	    v6only_words[s->v6only_source])
		sb_puts(sb, v6only_words[s->v6only_source]);
}

/*
 * "the only listener, [::]:8080 (nginx[812]), is IPv6-only (...)", or for several "none of
 * its 2 listeners takes it: ..."; false if the lookup found none to name.
 */
static bool put_listeners(struct strbuf *sb, struct v6t_view *v)
{
	const struct v6t_port_socks_rec *r = v->socks;

	if (!(v->has & V6T_HAS_LISTENERS) || !r->count)
		return false;
	if (r->count == 1 && !(r->flags & V6T_PS_MORE)) {
		sb_lit(sb, "the only listener, ");
		put_listener(sb, v, 0, true);
		return true;
	}
	sb_lit(sb, "none of its ");
	sb_u64(sb, r->count);
	if (r->flags & V6T_PS_MORE)
		sb_putc(sb, '+');
	sb_lit(sb, " listeners takes it: ");
	for (unsigned int i = 0; i < r->count && i < LISTENERS_NAMED; i++) {
		if (i)
			sb_lit(sb, "; ");
		put_listener(sb, v, i, false);
	}
	if (r->count > LISTENERS_NAMED)
		sb_lit(sb, "; and more");
	return true;
}

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
	sb_lit(sb, " refused: ");
	if (!put_listeners(sb, v)) {
		sb_lit(sb, "no socket on the port takes ");
		sb_puts(sb, e->family == V6T_AF_INET6 ? "IPv6" : "IPv4");
		sb_lit(sb, " to this address");
	}
	if (e->suppressed) {
		sb_lit(sb, " (and ");
		sb_u64(sb, e->suppressed);
		sb_lit(sb, " more since the last report)");
	}
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "classify.h"

/* Which of the addresses the ladder tells apart: read as words, as this runs for every record. */
enum addr_kind {
	ADDR_ANY,		/* :: */
	ADDR_V4MAPPED,		/* ::ffff:0:0/96 */
	ADDR_ONE,		/* any other: one IPv6 address */
};

static enum addr_kind addr_kind(const uint8_t *a)
{
	static const uint8_t mapped_tail[4] = { 0, 0, 0xff, 0xff };
	uint64_t head;
	uint32_t mid, tail;

	memcpy(&head, a, 8);
	memcpy(&mid, a + 8, 4);
	memcpy(&tail, a + 12, 4);
	if (head)
		return ADDR_ONE;
	if (!memcmp(&mid, mapped_tail, 4))
		return ADDR_V4MAPPED;
	return mid || tail ? ADDR_ONE : ADDR_ANY;
}

/* The one ladder: what a socket of this family, bound so, with this V6ONLY takes. */
static enum v6t_sock_class sock_class(uint16_t family, enum addr_kind kind, bool v6only)
{
	if (family != V6T_AF_INET6)
		return V6T_SOCK_IPV4;
	if (kind == ADDR_V4MAPPED)
		return V6T_SOCK_V4MAPPED;
	if (v6only)
		return V6T_SOCK_V6ONLY;
	return kind == ADDR_ANY ? V6T_SOCK_DUALSTACK : V6T_SOCK_IPV6;
}

/*
 * The kind of address an event shows the socket bound to: its local one, its listener's for
 * an accept, or none (-1) where its address may be another (a connect's source, a UDP socket
 * the snapshot found connected) or the bind failed (the kernel then puts V6ONLY back as it
 * was).
 */
static int bound_kind(const struct v6t_sock_event *e, enum addr_kind local, enum addr_kind listener)
{
	switch (e->kind) {
	case V6T_EV_BIND:
		return e->err ? -1 : (int)local;
	case V6T_EV_LISTEN:
		return local;
	case V6T_EV_SOCKET:
		if (e->proto == V6T_IPPROTO_UDP && (e->flags & V6T_F_HAS_PEER))
			return -1;
		return local;
	case V6T_EV_ACCEPT:
		return e->flags & V6T_F_HAS_LISTENER ? (int)listener : -1;
	}
	return -1;
}

/*
 * Where the socket's V6ONLY came from. A socket inherits net.ipv6.bindv6only when it is created
 * (inet6_create); bind() to one IPv6 address (any but :: and ::ffff:0:0/96) then sets V6ONLY
 * itself (__inet6_bind), and otherwise only setsockopt changes it. So a value that differs from
 * the namespace's sysctl, on a socket not bound so, was set by setsockopt even when this
 * tracer did not see the call. A setter is known only while V6ONLY is still what it set.
 */
static enum v6t_v6only_source v6only_source(const struct v6t_sock_event *e, int bound)
{
	if (e->family != V6T_AF_INET6)
		return V6T_SRC_NONE;
	if (e->flags & V6T_F_SETTER_KNOWN)
		return V6T_SRC_SETSOCKOPT;
	if (e->v6only && bound == ADDR_ONE)
		return V6T_SRC_BIND_ADDRESS;
	if (e->v6only != e->sysctl_v6only)
		return V6T_SRC_SETSOCKOPT;
	return e->v6only ? V6T_SRC_SYSCTL : V6T_SRC_DEFAULT;
}

/*
 * What --mapped-only keeps, from the classes: the kernel's rule (v6t_event_is_dualstack) in
 * words the classifier already has. A v4-mapped peer where there is a peer, a socket that
 * takes IPv4 through AF_INET6 otherwise, every V6ONLY change and every refused packet.
 * test_classify checks
 * that both agree on every combination.
 */
static bool dualstack(const struct v6t_sock_event *e, const struct v6t_class *c)
{
	switch (e->kind) {
	case V6T_EV_V6ONLY:
	case V6T_EV_REFUSED:	/* the port is served, only not for this family or address */
		return true;
	case V6T_EV_ACCEPT:
	case V6T_EV_CONNECT:
	case V6T_EV_UDP_MAPPED:
		return c->peer == V6T_PEER_MAPPED;
	}
	return c->sock == V6T_SOCK_V4MAPPED || c->sock == V6T_SOCK_DUALSTACK;
}

/* The peer, as the kernel counts it (v6t_peer_class): mapped only on an AF_INET6 socket. */
static uint8_t peer_class(const struct v6t_sock_event *e)
{
	if (e->family != V6T_AF_INET6)
		return V6T_PEER_IPV4;
	if ((e->flags & V6T_F_HAS_PEER) && addr_kind(e->peer_addr) == ADDR_V4MAPPED)
		return V6T_PEER_MAPPED;
	return V6T_PEER_IPV6;
}

/*
 * What should catch the eye: a failed call, an IPv4 client behind a tcp6 socket, an
 * AF_INET6 socket that takes IPv4 as well (or a V6ONLY set to 0).
 */
static enum v6t_emphasis emphasis(const struct v6t_sock_event *e, const struct v6t_class *c)
{
	if (c->failed)
		return V6T_EMPH_FAILED;
	if (c->peer == V6T_PEER_MAPPED)
		return V6T_EMPH_MAPPED;
	if (c->dualstack && e->family == V6T_AF_INET6 && !e->v6only)
		return V6T_EMPH_DUALSTACK;
	return V6T_EMPH_NONE;
}

/* By the same ladder as the sockets of events: what the listener takes, against the packet. */
enum v6t_miss v6t_refused_miss(const struct v6t_sock_event *e, const struct v6t_port_sock *s)
{
	enum addr_kind kind = addr_kind(s->addr);
	enum v6t_sock_class c = sock_class(s->family, kind, s->v6only);

	if (e->family == V6T_AF_INET) {
		/* bound to one IPv6 address: that, not the V6ONLY it implies, is why */
		if (s->family == V6T_AF_INET6 && kind == ADDR_ONE)
			return V6T_MISS_IPV6;
		return c == V6T_SOCK_V6ONLY ? V6T_MISS_V6ONLY : V6T_MISS_ADDRESS;
	}
	if (c == V6T_SOCK_IPV4)
		return V6T_MISS_IPV4;
	return c == V6T_SOCK_V4MAPPED ? V6T_MISS_V4MAPPED : V6T_MISS_ADDRESS;
}

void v6t_classify(const struct v6t_sock_event *e, struct v6t_class *c)
{
	enum addr_kind local = addr_kind(e->local_addr), listener = local;

	if (e->kind == V6T_EV_ACCEPT && (e->flags & V6T_F_HAS_LISTENER))
		listener = addr_kind(e->listen_addr);
	c->sock = sock_class(e->family, local, e->v6only);
	c->listener = sock_class(e->family, listener, e->v6only);
	c->peer = peer_class(e);
	c->source = v6only_source(e, bound_kind(e, local, listener));
	/* a non-blocking connect that is under way has not failed */
	c->failed = e->err && !(e->kind == V6T_EV_CONNECT && e->err == -EINPROGRESS);
	c->dualstack = dualstack(e, c);
	c->emphasis = emphasis(e, c);
}

/* Where a listed socket's V6ONLY came from, by the same rule as an event's. */
uint8_t v6t_port_sock_source(const struct v6t_port_sock *s, uint8_t sysctl_v6only, bool setter_known)
{
	struct v6t_sock_event e = {
		.family = s->family,
		.v6only = s->v6only,
		.sysctl_v6only = sysctl_v6only,
		.flags = setter_known ? V6T_F_SETTER_KNOWN : 0,
	};

	return v6only_source(&e, addr_kind(s->addr));
}

/* Which IPv4 and IPv6 addresses a socket takes; an address of 0 is the wildcard. */
struct takes {
	bool v4, v6;
	uint32_t addr4;
	const uint8_t *addr6;
};

static struct takes takes(uint16_t family, const uint8_t *addr, bool v6only)
{
	struct takes t = { .addr6 = addr };
	enum addr_kind kind = addr_kind(addr);

	if (family != V6T_AF_INET6) {
		t.v4 = true;
		memcpy(&t.addr4, addr, 4);
	} else if (kind == ADDR_V4MAPPED) {
		t.v4 = true;
		memcpy(&t.addr4, addr + 12, 4);
	} else {
		t.v6 = true;
		/* the kernel's rule: only a wildcard without V6ONLY takes IPv4 (as 0.0.0.0) */
		t.v4 = kind == ADDR_ANY && !v6only;
	}
	return t;
}

static bool overlap(const struct takes *a, const struct takes *b)
{
	if (a->v4 && b->v4 && (!a->addr4 || !b->addr4 || a->addr4 == b->addr4))
		return true;
	return a->v6 && b->v6 && (v6t_addr_is_any6(a->addr6) || v6t_addr_is_any6(b->addr6) ||
				  !memcmp(a->addr6, b->addr6, 16));
}

#define TCP_LISTEN_STATE 10

/* Two sockets on one address and port: what the kernel's bind conflict check asks of them. */
static enum v6t_conflict same_address(const struct v6t_sock_event *e, const struct v6t_port_sock *h)
{
	uint8_t both = e->sockopts & h->sockopts;

	if (!(both & V6T_SO_KNOWN))
		return h->state == TCP_LISTEN_STATE ? V6T_CONFLICT_LISTENING : V6T_CONFLICT_SAME;
	if (both & V6T_SO_REUSEPORT)
		return e->uid != h->uid ? V6T_CONFLICT_OTHER_UID : V6T_CONFLICT_SAME;
	if (e->proto == V6T_IPPROTO_TCP && h->state == TCP_LISTEN_STATE)
		return V6T_CONFLICT_LISTENING;
	return V6T_CONFLICT_REUSE;
}

enum v6t_conflict v6t_bind_conflict(const struct v6t_sock_event *e, const struct v6t_port_sock *h)
{
	struct takes mine = takes(e->family, e->local_addr, e->v6only);
	struct takes its = takes(h->family, h->addr, h->v6only);

	if (!overlap(&mine, &its))
		return V6T_CONFLICT_NONE;
	/* only IPv4 is shared: the dual-stack one's IPv4 half is what collides */
	if (mine.v4 && mine.v6 && !its.v6)
		return V6T_CONFLICT_NEEDS_IPV4;
	if (its.v4 && its.v6 && !mine.v6)
		return V6T_CONFLICT_HOLDER_DUALSTACK;
	return same_address(e, h);
}

int v6t_pick_holder(const struct v6t_sock_event *e, const struct v6t_port_socks_rec *r,
		    enum v6t_conflict *why)
{
	for (unsigned int i = 0; i < r->count; i++) {
		*why = v6t_bind_conflict(e, &r->socks[i]);
		if (*why != V6T_CONFLICT_NONE)
			return i;
	}
	*why = V6T_CONFLICT_NONE;
	return r->count ? 0 : -1;
}

enum v6t_port_list v6t_port_list_of(const struct v6t_sock_event *e)
{
	if (e->kind == V6T_EV_BIND && e->err == -EADDRINUSE)
		return V6T_LIST_HOLDERS;
	return e->kind == V6T_EV_REFUSED ? V6T_LIST_LISTENERS : V6T_LIST_NONE;
}

bool v6t_port_list_keeps(const struct v6t_sock_event *e, const struct v6t_port_socks_rec *r)
{
	/*
	 * TCP's served ports are counted in the kernel as listeners come and go, so its answer
	 * stands (a listener may be gone by the lookup); UDP's are never taken back (v6t_port_key)
	 * and the lookup decides. A tally stands for packets refused while the port was served.
	 */
	return v6t_port_list_of(e) != V6T_LIST_LISTENERS || e->proto != V6T_IPPROTO_UDP ||
	       r->count || r->flags || (e->flags & V6T_F_TALLY);
}

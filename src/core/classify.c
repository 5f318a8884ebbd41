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

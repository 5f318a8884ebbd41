// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "decode.h"
#include "names.h"
#include "strbuf.h"

/*
 * The address an event shows the socket bound to, or NULL where its address may be another
 * (a connect's source, a UDP socket the snapshot found connected) or the bind failed (the
 * kernel then puts V6ONLY back as it was). An accept's is its listener's.
 */
static const uint8_t *bound_addr(const struct v6t_sock_event *e)
{
	switch (e->kind) {
	case V6T_EV_BIND:
		return e->err ? NULL : e->local_addr;
	case V6T_EV_LISTEN:
		return e->local_addr;
	case V6T_EV_SOCKET:
		if (e->proto == V6T_IPPROTO_UDP && (e->flags & V6T_F_HAS_PEER))
			return NULL;
		return e->local_addr;
	case V6T_EV_ACCEPT:
		return e->flags & V6T_F_HAS_LISTENER ? e->listen_addr : NULL;
	}
	return NULL;
}

/*
 * Where the socket's V6ONLY came from. A socket inherits net.ipv6.bindv6only when it is created
 * (inet6_create); bind() to one IPv6 address (any but :: and ::ffff:0:0/96) then sets V6ONLY
 * itself (__inet6_bind), and otherwise only setsockopt changes it. So a value that differs from
 * the namespace's sysctl, on a socket not bound so, was set by setsockopt even when this
 * tracer did not see the call. A setter is known only while V6ONLY is still what it set.
 */
const char *v6t_v6only_source(const struct v6t_sock_event *e)
{
	const uint8_t *bound = bound_addr(e);

	if (e->family != V6T_AF_INET6)
		return "n/a";
	if (e->flags & V6T_F_SETTER_KNOWN)
		return "setsockopt";
	if (e->v6only && bound && !v6t_addr_is_any6(bound) && !v6t_addr_is_v4mapped(bound))
		return "bind-address";
	if (e->v6only != e->sysctl_v6only)
		return "setsockopt";
	return e->v6only ? "sysctl" : "default";
}

/* returns the length up to the first NUL, as %s would print it */
static uint8_t copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, V6T_COMM_LEN);
	dst[V6T_COMM_LEN] = '\0';
	return strlen(dst);
}

/*
 * Notes are built piece by piece into the view's buffer: they were snprintf calls, which cost
 * more than the rest of an event's output together. The buffer truncates as snprintf did.
 */
static void put_setter(struct strbuf *sb, struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;

	if (e->family != V6T_AF_INET6)
		return;
	if (v->setter_known) {
		sb_lit(sb, "; V6ONLY=");
		sb_u64(sb, e->v6only);
		sb_lit(sb, " set by ");
		sb_putn(sb, v->setter_comm, v->setter_comm_len);
		v->note_plain = false;	/* a name can hold any byte: each output makes it safe */
		sb_putc(sb, '[');
		sb_u64(sb, e->setter_pid);
		sb_putc(sb, ']');
	} else if (!strcmp(v->v6only_source, "bind-address")) {
		sb_lit(sb, "; V6ONLY=1 set by the kernel: bound to one IPv6 address, "
			   "the socket can never take IPv4");
	} else if (!strcmp(v->v6only_source, "sysctl")) {
		sb_lit(sb, "; V6ONLY from net.ipv6.bindv6only=1");
	} else if (!strcmp(v->v6only_source, "setsockopt")) {
		sb_lit(sb, "; V6ONLY=");
		sb_u64(sb, e->v6only);
		/* with --event lacking v6only the call was not traced: it may be recent */
		if (e->flags & V6T_F_SETTER_UNTRACED)
			sb_lit(sb, " set by setsockopt (not traced: add --event v6only)");
		else
			sb_lit(sb, " set by setsockopt before tracing began");
	}
}

static void note_bind(struct v6t_view *v, struct strbuf *sb)
{
	const struct v6t_sock_event *e = v->e;
	enum v6t_addr_class c = v6t_classify_addr(e->family, e->local_addr);

	if (e->err == -EADDRINUSE && e->family == V6T_AF_INET6 && c == V6T_ADDR_UNSPECIFIED && !e->v6only) {
		sb_lit(sb, "failed: EADDRINUSE: a dual-stack [::]:");
		sb_u64(sb, e->local_port);
		sb_lit(sb, " also needs IPv4 port ");
		sb_u64(sb, e->local_port);
		sb_lit(sb, " free; set IPV6_V6ONLY to share it");
	} else if (e->err) {
		sb_lit(sb, "failed: ");
		sb_puts(sb, v->error);
		put_setter(sb, v);
	} else if (e->family == V6T_AF_INET) {
		sb_lit(sb, "IPv4 socket");
	} else if (c == V6T_ADDR_V4MAPPED) {
		char v4[INET_ADDRSTRLEN];
		size_t n = v6t_addr_str(v4, AF_INET, e->local_addr + 12);

		sb_lit(sb, "v4-mapped address: this tcp6/udp6 socket serves IPv4 ");
		sb_putn(sb, v4, n);
		sb_lit(sb, " only");
		/* this note used to borrow the ipv4 field and leave it empty: keep the output */
		v->ipv4[0] = '\0';
		v->ipv4_len = 0;
	} else if (e->v6only) {
		sb_lit(sb, "IPv6 only");
		put_setter(sb, v);
	} else if (c == V6T_ADDR_UNSPECIFIED) {
		sb_lit(sb, "dual-stack: IPv4 peers will appear as ::ffff:a.b.c.d");
		put_setter(sb, v);
	} else {
		sb_lit(sb, "IPv6 address: IPv6 peers only");
		put_setter(sb, v);
	}
}

static void note_v6only(struct v6t_view *v, struct strbuf *sb)
{
	const struct v6t_sock_event *e = v->e;

	sb_lit(sb, "setsockopt(IPV6_V6ONLY, ");
	if (e->requested == V6T_REQUESTED_UNKNOWN)
		sb_putc(sb, '?');
	else
		sb_u64(sb, e->requested);
	if (e->err == -EINVAL && e->local_port) {
		sb_lit(sb, ") failed: EINVAL: already bound to ");
		v6t_put_endpoint(sb, e->family, v->local_addr, v->local_addr_len, e->local_port);
		sb_lit(sb, ", set it before bind(); stays ");
		if (e->v6only)
			sb_lit(sb, "IPv6 only");
		else
			sb_lit(sb, "dual-stack");
	} else if (e->err) {
		sb_lit(sb, ") failed: ");
		sb_puts(sb, v->error);
	} else if (e->v6only) {
		sb_lit(sb, "): IPv6 only");
	} else {
		sb_lit(sb, "): dual-stack, accepts IPv4 as ::ffff:a.b.c.d");
	}
}

static void note_listen(struct v6t_view *v, struct strbuf *sb)
{
	const struct v6t_sock_event *e = v->e;
	enum v6t_addr_class c = v6t_classify_addr(e->family, e->local_addr);

	if (e->family == V6T_AF_INET) {
		sb_lit(sb, "IPv4 listener");
	} else if (c == V6T_ADDR_V4MAPPED) {
		sb_lit(sb, "IPv4-only listener on a v4-mapped address (listed as tcp6)");
	} else if (e->v6only) {
		sb_lit(sb, "IPv6-only listener");
		put_setter(sb, v);
	} else if (c == V6T_ADDR_UNSPECIFIED) {
		sb_lit(sb, "dual-stack listener: netstat shows only tcp6, IPv4 clients arrive as ::ffff:a.b.c.d");
		put_setter(sb, v);
	} else {
		sb_lit(sb, "IPv6 listener");
		put_setter(sb, v);
	}
}

/* A socket found by the start-up snapshot: what netstat/ss would list, explained. */
static void note_socket(struct v6t_view *v, struct strbuf *sb)
{
	const struct v6t_sock_event *e = v->e;
	enum v6t_addr_class c = v6t_classify_addr(e->family, e->local_addr);

	if (e->proto == V6T_IPPROTO_TCP)
		note_listen(v, sb);
	else if (e->family == V6T_AF_INET)
		sb_lit(sb, "bound IPv4 socket");
	else if (c == V6T_ADDR_V4MAPPED)
		sb_lit(sb, "IPv4-only udp6 socket on a v4-mapped address");
	else if (e->v6only)
		sb_lit(sb, "IPv6-only udp6 socket");
	else if (c == V6T_ADDR_UNSPECIFIED)
		sb_lit(sb, "dual-stack udp6 socket: IPv4 datagrams arrive from ::ffff:a.b.c.d");
	else
		sb_lit(sb, "udp6 socket on one IPv6 address");
}

/* "::ffff:10.0.0.20 = IPv4 10.0.0.20" */
static void put_mapped_peer(struct strbuf *sb, const struct v6t_view *v)
{
	sb_putn(sb, v->peer_addr, v->peer_addr_len);
	sb_lit(sb, " = IPv4 ");
	sb_putn(sb, v->ipv4, v->ipv4_len);
}

static void note_connect(struct v6t_view *v, struct strbuf *sb)
{
	const struct v6t_sock_event *e = v->e;

	if (v->error) {
		sb_lit(sb, "connect failed: ");
		sb_puts(sb, v->error);
		if (v->mapped)
			sb_lit(sb, " (an IPv4 destination from a tcp6 socket)");
		return;
	}
	if (v->mapped) {
		put_mapped_peer(sb, v);
		sb_lit(sb, " from a tcp6 socket: netstat lists this IPv4 connection as tcp6");
	} else if (e->family == V6T_AF_INET6) {
		sb_lit(sb, "IPv6 connection");
	} else {
		sb_lit(sb, "IPv4 connection");
	}
	if (e->err == -EINPROGRESS)
		sb_lit(sb, " (non-blocking, in progress)");
}

static void note_udp_mapped(struct v6t_view *v, struct strbuf *sb)
{
	sb_lit(sb, "first IPv4 datagram on this udp6 socket: ");
	put_mapped_peer(sb, v);
	sb_lit(sb, " (later ones are not reported)");
}

static void note_accept(struct v6t_view *v, struct strbuf *sb)
{
	const struct v6t_sock_event *e = v->e;

	if (v->mapped)
		put_mapped_peer(sb, v);
	else if (e->family == V6T_AF_INET6)
		sb_lit(sb, "IPv6 peer");
	else
		sb_lit(sb, "IPv4 peer");
	/* not the accepted socket's own address: a wildcard listener has another */
	if (!v->has_listener) {
		sb_lit(sb, " on port ");
		sb_u64(sb, e->local_port);
		sb_lit(sb, ": listener not known");
		return;
	}
	if (!v->mapped)
		sb_lit(sb, " via ");
	else if (v6t_addr_is_v4mapped(e->listen_addr))
		sb_lit(sb, " via v4-mapped ");
	else
		sb_lit(sb, " via dual-stack ");
	v6t_put_endpoint(sb, e->family, v->listener_addr, v->listener_addr_len, e->listen_port);
}

void v6t_decode(const struct v6t_sock_event *e, int64_t boot_to_wall_ns, struct v6t_view *v)
{
	bool inet6 = e->family == V6T_AF_INET6;
	struct strbuf note = STRBUF_ON(v->note);

	memset(v, 0, offsetof(struct v6t_view, note) + 1);
	v->e = e;
	v->wall_ns = e->ts_boot_ns + boot_to_wall_ns;
	v->event = v6t_event_name(e->kind);
	v->proto = e->proto == V6T_IPPROTO_UDP ? "udp" : "tcp";
	v->family = inet6 ? "inet6" : "inet";
	if (e->proto == V6T_IPPROTO_UDP)
		v->netstat_kind = inet6 ? "udp6" : "udp";
	else
		v->netstat_kind = inet6 ? "tcp6" : "tcp";
	v->v6only = inet6 && e->v6only;
	v->v6only_source = v6t_v6only_source(e);
	/* a recording is untrusted input: only -4095..-1 are errnos (and -INT_MIN overflows) */
	/* a non-blocking connect that is under way has not failed */
	if (!e->err || (e->kind == V6T_EV_CONNECT && e->err == -EINPROGRESS))
		v->error = NULL;
	else if (e->err < 0 && e->err > -4096)
		v->error = v6t_errno_name(-e->err);
	else
		v->error = "E?";
	v->backend = e->kind == V6T_EV_SOCKET ? "sock_diag" : v6t_backend_name(e->backend);
	v->has_peer = e->flags & V6T_F_HAS_PEER;
	v->has_listener = e->flags & V6T_F_HAS_LISTENER;
	v->setter_known = e->flags & V6T_F_SETTER_KNOWN;
	v->note_plain = true;
	v->mapped = v6t_peer_is_mapped(e);
	v->comm_len = copy_comm(v->comm, e->comm);
	v->setter_comm_len = copy_comm(v->setter_comm, e->setter_comm);
	/* each address is formatted once; an endpoint is built from that text where shown */
	v->local_addr_len = v6t_addr_str(v->local_addr, e->family, e->local_addr);
	if (v->has_peer)
		v->peer_addr_len = v6t_addr_str(v->peer_addr, e->family, e->peer_addr);
	if (v->has_listener)
		v->listener_addr_len = v6t_addr_str(v->listener_addr, e->family, e->listen_addr);
	if (v->mapped)
		v->ipv4_len = v6t_addr_str(v->ipv4, AF_INET, e->peer_addr + 12);

	switch (e->kind) {
	case V6T_EV_BIND:
		note_bind(v, &note);
		break;
	case V6T_EV_V6ONLY:
		note_v6only(v, &note);
		break;
	case V6T_EV_LISTEN:
		note_listen(v, &note);
		break;
	case V6T_EV_ACCEPT:
		note_accept(v, &note);
		break;
	case V6T_EV_SOCKET:
		note_socket(v, &note);
		break;
	case V6T_EV_CONNECT:
		note_connect(v, &note);
		break;
	case V6T_EV_UDP_MAPPED:
		note_udp_mapped(v, &note);
		break;
	}
	v->note_len = note.len;
}

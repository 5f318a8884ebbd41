// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "backend.h"
#include "decode.h"

static const char *const event_names[V6T_EV_MAX + 1] = {
	[V6T_EV_BIND] = "bind",
	[V6T_EV_V6ONLY] = "v6only",
	[V6T_EV_LISTEN] = "listen",
	[V6T_EV_ACCEPT] = "accept",
	[V6T_EV_SOCKET] = "listening",
	[V6T_EV_CONNECT] = "connect",
	[V6T_EV_UDP_MAPPED] = "udp-mapped",
};

const char *v6t_event_name(unsigned int kind)
{
	return kind <= V6T_EV_MAX && event_names[kind] ? event_names[kind] : "unknown";
}

unsigned int v6t_event_kind(const char *name)
{
	for (unsigned int k = 1; k <= V6T_EV_MAX; k++)
		if (!strcmp(name, event_names[k]))
			return k;
	return 0;
}

const char *v6t_errno_name(int err)
{
	/* glibc 2.32+: "EADDRINUSE" rather than the locale-dependent strerror text */
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

/*
 * Where the socket's V6ONLY came from. A socket inherits net.ipv6.bindv6only when it is created
 * (inet6_create); only setsockopt changes it later. So a value that differs from the namespace's
 * sysctl was set by setsockopt even when this tracer did not see the call.
 */
const char *v6t_v6only_source(const struct v6t_sock_event *e)
{
	if (e->family != V6T_AF_INET6)
		return "n/a";
	if ((e->flags & V6T_F_SETTER_KNOWN) || e->v6only != e->sysctl_v6only)
		return "setsockopt";
	return e->v6only ? "sysctl" : "default";
}

static void copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, V6T_COMM_LEN);
	dst[V6T_COMM_LEN] = '\0';
}

static void setter_phrase(const struct v6t_view *v, char *out, size_t size)
{
	const struct v6t_sock_event *e = v->e;

	out[0] = '\0';
	if (e->family != V6T_AF_INET6)
		return;
	if (v->setter_known)
		snprintf(out, size, "; V6ONLY=%d set by %s[%u]", e->v6only, v->setter_comm, e->setter_pid);
	else if (!strcmp(v->v6only_source, "sysctl"))
		snprintf(out, size, "; V6ONLY from net.ipv6.bindv6only=1");
	else if (!strcmp(v->v6only_source, "setsockopt"))
		snprintf(out, size, "; V6ONLY=%d set by setsockopt before tracing began", e->v6only);
}

static void note_bind(struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	enum v6t_addr_class c = v6t_classify_addr(e->family, e->local_addr);
	char setter[96];

	setter_phrase(v, setter, sizeof(setter));
	if (e->err == -EADDRINUSE && e->family == V6T_AF_INET6 && c == V6T_ADDR_UNSPECIFIED && !e->v6only) {
		snprintf(v->note, sizeof(v->note),
			 "failed: EADDRINUSE: a dual-stack [::]:%u also needs IPv4 port %u free; set IPV6_V6ONLY to share it",
			 e->local_port, e->local_port);
	} else if (e->err) {
		snprintf(v->note, sizeof(v->note), "failed: %s%s", v->error, setter);
	} else if (e->family == V6T_AF_INET) {
		snprintf(v->note, sizeof(v->note), "IPv4 socket");
	} else if (c == V6T_ADDR_V4MAPPED) {
		v6t_fmt_embedded_v4(v->ipv4, sizeof(v->ipv4), e->local_addr);
		snprintf(v->note, sizeof(v->note), "v4-mapped address: this tcp6/udp6 socket serves IPv4 %s only",
			 v->ipv4);
		v->ipv4[0] = '\0';
	} else if (e->v6only) {
		snprintf(v->note, sizeof(v->note), "IPv6 only%s", setter);
	} else if (c == V6T_ADDR_UNSPECIFIED) {
		snprintf(v->note, sizeof(v->note), "dual-stack: IPv4 peers will appear as ::ffff:a.b.c.d%s",
			 setter);
	} else {
		snprintf(v->note, sizeof(v->note), "IPv6 address: IPv6 peers only%s", setter);
	}
}

static void note_v6only(struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	char asked[8];

	if (e->requested == V6T_REQUESTED_UNKNOWN)
		snprintf(asked, sizeof(asked), "?");
	else
		snprintf(asked, sizeof(asked), "%u", e->requested);
	if (e->err == -EINVAL && e->local_port)
		snprintf(v->note, sizeof(v->note),
			 "setsockopt(IPV6_V6ONLY, %s) failed: EINVAL: already bound to %s, set it before bind(); stays %s",
			 asked, v->local, e->v6only ? "IPv6 only" : "dual-stack");
	else if (e->err)
		snprintf(v->note, sizeof(v->note), "setsockopt(IPV6_V6ONLY, %s) failed: %s", asked, v->error);
	else
		snprintf(v->note, sizeof(v->note), "setsockopt(IPV6_V6ONLY, %s): %s", asked,
			 e->v6only ? "IPv6 only" : "dual-stack, accepts IPv4 as ::ffff:a.b.c.d");
}

static void note_listen(struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	enum v6t_addr_class c = v6t_classify_addr(e->family, e->local_addr);
	char setter[96];

	setter_phrase(v, setter, sizeof(setter));
	if (e->family == V6T_AF_INET)
		snprintf(v->note, sizeof(v->note), "IPv4 listener");
	else if (c == V6T_ADDR_V4MAPPED)
		snprintf(v->note, sizeof(v->note), "IPv4-only listener on a v4-mapped address (listed as tcp6)");
	else if (e->v6only)
		snprintf(v->note, sizeof(v->note), "IPv6-only listener%s", setter);
	else if (c == V6T_ADDR_UNSPECIFIED)
		snprintf(v->note, sizeof(v->note),
			 "dual-stack listener: netstat shows only tcp6, IPv4 clients arrive as ::ffff:a.b.c.d%s",
			 setter);
	else
		snprintf(v->note, sizeof(v->note), "IPv6 listener%s", setter);
}

/* A socket found by the start-up snapshot: what netstat/ss would list, explained. */
static void note_socket(struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	enum v6t_addr_class c = v6t_classify_addr(e->family, e->local_addr);

	if (e->proto == V6T_IPPROTO_TCP) {
		note_listen(v);
		return;
	}
	if (e->family == V6T_AF_INET)
		snprintf(v->note, sizeof(v->note), "bound IPv4 socket");
	else if (c == V6T_ADDR_V4MAPPED)
		snprintf(v->note, sizeof(v->note), "IPv4-only udp6 socket on a v4-mapped address");
	else if (e->v6only)
		snprintf(v->note, sizeof(v->note), "IPv6-only udp6 socket");
	else if (c == V6T_ADDR_UNSPECIFIED)
		snprintf(v->note, sizeof(v->note),
			 "dual-stack udp6 socket: IPv4 datagrams arrive from ::ffff:a.b.c.d");
	else
		snprintf(v->note, sizeof(v->note), "udp6 socket on one IPv6 address");
}

static void note_connect(struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	const char *progress = e->err == -EINPROGRESS ? " (non-blocking, in progress)" : "";

	if (v->error)
		snprintf(v->note, sizeof(v->note), "connect failed: %s%s", v->error,
			 v->mapped ? " (an IPv4 destination from a tcp6 socket)" : "");
	else if (v->mapped)
		snprintf(v->note, sizeof(v->note),
			 "%s = IPv4 %s from a tcp6 socket: netstat lists this IPv4 connection as tcp6%s",
			 v->peer_addr, v->ipv4, progress);
	else
		snprintf(v->note, sizeof(v->note), "%s connection%s",
			 e->family == V6T_AF_INET6 ? "IPv6" : "IPv4", progress);
}

static void note_udp_mapped(struct v6t_view *v)
{
	snprintf(v->note, sizeof(v->note),
		 "first IPv4 datagram on this udp6 socket: %s = IPv4 %s (later ones are not reported)",
		 v->peer_addr, v->ipv4);
}

static void note_accept(struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;

	if (v->mapped)
		snprintf(v->note, sizeof(v->note), "%s = IPv4 %s via %s %s", v->peer_addr, v->ipv4,
			 v6t_addr_is_v4mapped(e->listen_addr) ? "v4-mapped" : "dual-stack", v->listener);
	else if (e->family == V6T_AF_INET6)
		snprintf(v->note, sizeof(v->note), "IPv6 peer via %s", v->listener);
	else
		snprintf(v->note, sizeof(v->note), "IPv4 peer via %s", v->listener);
}

void v6t_decode(const struct v6t_sock_event *e, int64_t boot_to_wall_ns, struct v6t_view *v)
{
	bool inet6 = e->family == V6T_AF_INET6;

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
	v->mapped = v6t_peer_is_mapped(e);
	copy_comm(v->comm, e->comm);
	copy_comm(v->setter_comm, e->setter_comm);
	v6t_fmt_addr(v->local_addr, sizeof(v->local_addr), e->family, e->local_addr);
	v6t_fmt_endpoint(v->local, sizeof(v->local), e->family, e->local_addr, e->local_port);
	if (v->has_peer) {
		v6t_fmt_addr(v->peer_addr, sizeof(v->peer_addr), e->family, e->peer_addr);
		v6t_fmt_endpoint(v->peer, sizeof(v->peer), e->family, e->peer_addr, e->peer_port);
	}
	if (v->has_listener) {
		v6t_fmt_addr(v->listener_addr, sizeof(v->listener_addr), e->family, e->listen_addr);
		v6t_fmt_endpoint(v->listener, sizeof(v->listener), e->family, e->listen_addr,
				 e->listen_port);
	}
	if (v->mapped)
		v6t_fmt_embedded_v4(v->ipv4, sizeof(v->ipv4), e->peer_addr);

	switch (e->kind) {
	case V6T_EV_BIND:
		note_bind(v);
		break;
	case V6T_EV_V6ONLY:
		note_v6only(v);
		break;
	case V6T_EV_LISTEN:
		note_listen(v);
		break;
	case V6T_EV_ACCEPT:
		note_accept(v);
		break;
	case V6T_EV_SOCKET:
		note_socket(v);
		break;
	case V6T_EV_CONNECT:
		note_connect(v);
		break;
	case V6T_EV_UDP_MAPPED:
		note_udp_mapped(v);
		break;
	default:
		v->note[0] = '\0';
	}
}

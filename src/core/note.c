// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "note.h"

/* What a socket of each class is, in each place a socket is explained. */
struct wording {
	const char *text;
	uint8_t len;
	bool setter;		/* followed by where its V6ONLY came from */
};

#define WORDS(lit, ...) { "" lit, sizeof(lit) - 1, __VA_ARGS__ }

static const struct wording bind_words[V6T_SOCK_CLASSES] = {
	[V6T_SOCK_IPV4] = WORDS("IPv4 socket"),
	/* V6T_SOCK_V4MAPPED names its IPv4 address: note_bind */
	[V6T_SOCK_V6ONLY] = WORDS("IPv6 only", true),
	[V6T_SOCK_DUALSTACK] = WORDS("dual-stack: IPv4 peers will appear as ::ffff:a.b.c.d", true),
	[V6T_SOCK_IPV6] = WORDS("IPv6 address: IPv6 peers only", true),
};

static const struct wording listen_words[V6T_SOCK_CLASSES] = {
	[V6T_SOCK_IPV4] = WORDS("IPv4 listener"),
	[V6T_SOCK_V4MAPPED] = WORDS("IPv4-only listener on a v4-mapped address (listed as tcp6)"),
	[V6T_SOCK_V6ONLY] = WORDS("IPv6-only listener", true),
	[V6T_SOCK_DUALSTACK] = WORDS("dual-stack listener: netstat shows only tcp6, IPv4 clients arrive "
				 "as ::ffff:a.b.c.d", true),
	[V6T_SOCK_IPV6] = WORDS("IPv6 listener", true),
};

/* a bound UDP socket found by the start-up snapshot */
static const struct wording udp_words[V6T_SOCK_CLASSES] = {
	[V6T_SOCK_IPV4] = WORDS("bound IPv4 socket"),
	[V6T_SOCK_V4MAPPED] = WORDS("IPv4-only udp6 socket on a v4-mapped address"),
	[V6T_SOCK_V6ONLY] = WORDS("IPv6-only udp6 socket"),
	[V6T_SOCK_DUALSTACK] = WORDS("dual-stack udp6 socket: IPv4 datagrams arrive from ::ffff:a.b.c.d"),
	[V6T_SOCK_IPV6] = WORDS("udp6 socket on one IPv6 address"),
};

static const char *const verdicts[V6T_SOCK_CLASSES] = {
	[V6T_SOCK_IPV4] = "IPv4 only: an AF_INET socket, netstat lists it as tcp",
	[V6T_SOCK_V4MAPPED] = "IPv4 only, through a v4-mapped address: netstat lists it as tcp6",
	[V6T_SOCK_V6ONLY] = "IPv6 only (V6ONLY): IPv4 clients need a separate AF_INET socket",
	[V6T_SOCK_DUALSTACK] = "dual-stack: IPv4 clients arrive as ::ffff:a.b.c.d, so netstat lists "
			       "it only as tcp6",
	[V6T_SOCK_IPV6] = "IPv6 only: bound to one IPv6 address",
};

/* What a peer is, in an accept's and in a connect's note (a mapped one: put_mapped_peer). */
static const char *const accept_peer[] = {
	[V6T_PEER_IPV4] = "IPv4 peer",
	[V6T_PEER_IPV6] = "IPv6 peer",
};

static const char *const connect_peer[] = {
	[V6T_PEER_IPV4] = "IPv4 connection",
	[V6T_PEER_IPV6] = "IPv6 connection",
};

const char *v6t_verdict(unsigned int sock_class)
{
	return sock_class < V6T_SOCK_CLASSES ? verdicts[sock_class] : "?";
}

/*
 * Notes are built piece by piece into the view's buffer: they were snprintf calls, which cost
 * more than the rest of an event's output together. The buffer truncates as snprintf did.
 */
static void put_setter(struct strbuf *sb, struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;

	switch (v->cls.source) {
	case V6T_SRC_SETSOCKOPT:
		sb_lit(sb, "; V6ONLY=");
		sb_u64(sb, e->v6only);
		if (v->setter_known) {
			sb_lit(sb, " set by ");
			sb_putn(sb, v->setter_comm, v->setter_comm_len);
			v->note_plain = false;	/* a name can hold any byte: each output makes it safe */
			sb_putc(sb, '[');
			sb_u64(sb, e->setter_pid);
			sb_putc(sb, ']');
		} else if (e->flags & V6T_F_SETTER_UNTRACED) {
			/* with --event lacking v6only the call was not traced: it may be recent */
			sb_lit(sb, " set by setsockopt (not traced: add --event v6only)");
		} else {
			sb_lit(sb, " set by setsockopt before tracing began");
		}
		break;
	case V6T_SRC_BIND_ADDRESS:
		sb_lit(sb, "; V6ONLY=1 set by the kernel: bound to one IPv6 address, "
			   "the socket can never take IPv4");
		break;
	case V6T_SRC_SYSCTL:
		sb_lit(sb, "; V6ONLY from net.ipv6.bindv6only=1");
		break;
	}
}

static void put_wording(struct strbuf *sb, struct v6t_view *v, const struct wording *w)
{
	sb_putn(sb, w->text, w->len);
	if (w->setter)
		put_setter(sb, v);
}

/* How to get past each rule a bind can collide on, after "ADDR is held by OWNER" */
static const char *const conflict_words[V6T_CONFLICTS] = {
	[V6T_CONFLICT_NEEDS_IPV4] = "; a dual-stack [::] socket also needs the IPv4 port: set "
				    "IPV6_V6ONLY=1 on this socket to share it, as sshd does",
	[V6T_CONFLICT_HOLDER_DUALSTACK] = "; it is dual-stack and holds the IPv4 port too: set "
					  "IPV6_V6ONLY=1 on it, or bind only [::]",
	[V6T_CONFLICT_LISTENING] = "; it listens, and SO_REUSEADDR does not let a second socket "
				   "bind a listening port (SO_REUSEPORT on both, one user, does)",
	[V6T_CONFLICT_REUSE] = "; sharing one address needs SO_REUSEPORT on both sockets",
	[V6T_CONFLICT_OTHER_UID] = "; SO_REUSEPORT shares a port only between sockets of one user",
};

/* Of an owner's label, the note shows this much: the reason after it must fit too. */
#define NOTE_LABEL_MAX 48

/* "socat[812]", with --wide "socat[812] [docker:web]"; "a process not found" if not known */
static void put_owner(struct strbuf *sb, struct v6t_view *v, unsigned int i)
{
	const struct v6t_port_sock *h = &v->socks->socks[i];
	const struct v6t_cgroup_owner *o = v->sock_owners[i];
	size_t n;

	if (!h->pid) {
		sb_lit(sb, "a process not found");
		/* out of time or the namespace gone: the owner may exist, so say it is unknown */
		if (v->socks->flags & V6T_PS_FAILED)
			sb_lit(sb, " (the lookup was cut short)");
		return;
	}
	sb_putn(sb, h->comm, strnlen(h->comm, V6T_COMM_LEN));
	v->note_plain = false;	/* a name can hold any byte: each output makes it safe */
	sb_putc(sb, '[');
	sb_u64(sb, h->pid);
	sb_putc(sb, ']');
	if (!(v->has & V6T_HAS_WIDE) || !o)
		return;
	n = strlen(o->label);
	sb_lit(sb, " [");
	sb_putn(sb, o->label, n > NOTE_LABEL_MAX ? NOTE_LABEL_MAX : n);
	sb_puts(sb, n > NOTE_LABEL_MAX ? "...]" : "]");
}

void v6t_put_port_sock(struct strbuf *sb, struct v6t_view *v, unsigned int i, const char *between)
{
	const struct v6t_port_sock *s = &v->socks->socks[i];
	char addr[INET6_ADDRSTRLEN];

	v6t_put_endpoint(sb, s->family, addr, v6t_addr_str(addr, s->family, s->addr), s->port);
	sb_puts(sb, between);
	put_owner(sb, v, i);
}

/*
 * What holds the port and which rule collides: the holder that explains it best, named; the
 * others are in JSON (holders). Without a holder, what was said before the lookup existed.
 */
static bool put_holder(struct strbuf *sb, struct v6t_view *v)
{
	const struct v6t_port_socks_rec *r = v->socks;
	enum v6t_conflict why;
	int i;

	if (r->flags & V6T_PS_SKIPPED) {
		sb_lit(sb, " (holders not looked up: too many failed binds this second)");
		return false;
	}
	i = v6t_pick_holder(v->e, r, &why);
	if (i < 0)
		return false;
	sb_lit(sb, ": ");
	v6t_put_port_sock(sb, v, i, " is held by ");
	if (conflict_words[why])
		sb_puts(sb, conflict_words[why]);
	if (r->count > 1 || (r->flags & V6T_PS_MORE)) {
		sb_lit(sb, " (and ");
		sb_u64(sb, r->count - 1);
		if (r->flags & V6T_PS_MORE)
			sb_putc(sb, '+');
		sb_lit(sb, " more)");
	}
	return true;
}

/* Why a bind failed, for the failures people meet, and how to get past them. */
static void note_bind_failed(struct v6t_view *v, struct strbuf *sb)
{
	const struct v6t_sock_event *e = v->e;

	sb_lit(sb, "failed: ");
	sb_puts(sb, v->error);
	if ((v->has & V6T_HAS_HOLDERS) && put_holder(sb, v))
		return;
	if (e->err == -EADDRINUSE && v->cls.sock == V6T_SOCK_DUALSTACK) {
		sb_lit(sb, ": a dual-stack [::]:");
		sb_u64(sb, e->local_port);
		sb_lit(sb, " also needs IPv4 port ");
		sb_u64(sb, e->local_port);
		sb_lit(sb, " free; set IPV6_V6ONLY to share it");
	} else if (e->err == -EACCES && e->local_port && e->local_port < 1024) {
		sb_lit(sb, ": port ");
		sb_u64(sb, e->local_port);
		sb_lit(sb, " is below net.ipv4.ip_unprivileged_port_start (1024 unless set): "
			   "binding it needs CAP_NET_BIND_SERVICE");
	} else if (e->err == -EADDRNOTAVAIL && !(e->sockopts & V6T_SO_FREEBIND)) {
		sb_lit(sb, ": ");
		sb_putn(sb, v->local_addr, v->local_addr_len);
		sb_lit(sb, " is no address of this namespace; IP_FREEBIND (or the "
			   "ip_nonlocal_bind sysctl) binds it before it exists");
	} else if (e->err == -EINVAL) {
		sb_lit(sb, ": the socket is bound already (bind works once), or the address "
			   "is not of its family");
	} else {
		put_setter(sb, v);
	}
}

static void note_bind(struct v6t_view *v, struct strbuf *sb)
{
	const struct v6t_sock_event *e = v->e;
	char v4[INET_ADDRSTRLEN];

	if (e->err) {
		note_bind_failed(v, sb);
	} else if (v->cls.sock == V6T_SOCK_V4MAPPED) {
		sb_lit(sb, "v4-mapped address: this tcp6/udp6 socket serves IPv4 ");
		sb_putn(sb, v4, v6t_addr_str(v4, AF_INET, e->local_addr + 12));
		sb_lit(sb, " only");
	} else {
		put_wording(sb, v, &bind_words[v->cls.sock]);
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

/* A socket found by the start-up snapshot: what netstat/ss would list, explained. */
static void note_socket(struct v6t_view *v, struct strbuf *sb)
{
	const struct wording *words = v->e->proto == V6T_IPPROTO_TCP ? listen_words : udp_words;

	put_wording(sb, v, &words[v->cls.sock]);
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
	} else {
		sb_puts(sb, connect_peer[v->cls.peer]);
	}
	if (v->e->err == -EINPROGRESS)
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
	else
		sb_puts(sb, accept_peer[v->cls.peer]);
	/* not the accepted socket's own address: a wildcard listener has another */
	if (!v->has_listener) {
		sb_lit(sb, " on port ");
		sb_u64(sb, e->local_port);
		sb_lit(sb, ": listener not known");
		return;
	}
	if (!v->mapped)
		sb_lit(sb, " via ");
	else if (v->cls.listener == V6T_SOCK_V4MAPPED)
		sb_lit(sb, " via v4-mapped ");
	else
		sb_lit(sb, " via dual-stack ");
	v6t_put_endpoint(sb, e->family, v->listener_addr, v->listener_addr_len, e->listen_port);
}

/*
 * The options that explain what the rest of a bind or listen note cannot: a port shared by a
 * group of sockets, an address the namespace may not have, a port taken on one interface
 * only. (SO_REUSEADDR, which most servers set, is in JSON only.)
 */
static void put_sockopts(struct strbuf *sb, struct v6t_view *v)
{
	uint8_t o = v->e->sockopts;
	const char *sep = "; with ";

	if (!(v->has & V6T_HAS_SOCKOPTS))
		return;
	if (o & V6T_SO_REUSEPORT) {
		sb_puts(sb, sep);
		sb_lit(sb, "SO_REUSEPORT");
		sep = ", ";
	}
	if (o & V6T_SO_FREEBIND) {
		sb_puts(sb, sep);
		sb_lit(sb, "IP_FREEBIND");
		sep = ", ";
	}
	if (v->has & V6T_HAS_BOUND_DEV) {
		sb_puts(sb, sep);
		sb_lit(sb, "SO_BINDTODEVICE ");
		sb_putn(sb, v->bound_dev, v->bound_dev_len);
		v->note_plain = false;	/* a name can hold any byte: each output makes it safe */
	}
}

void v6t_note(struct strbuf *sb, struct v6t_view *v)
{
	switch (v->e->kind) {
	case V6T_EV_BIND:
		note_bind(v, sb);
		put_sockopts(sb, v);
		break;
	case V6T_EV_V6ONLY:
		note_v6only(v, sb);
		break;
	case V6T_EV_LISTEN:
		put_wording(sb, v, &listen_words[v->cls.sock]);
		put_sockopts(sb, v);
		break;
	case V6T_EV_ACCEPT:
		note_accept(v, sb);
		break;
	case V6T_EV_SOCKET:
		note_socket(v, sb);
		break;
	case V6T_EV_CONNECT:
		note_connect(v, sb);
		break;
	case V6T_EV_UDP_MAPPED:
		note_udp_mapped(v, sb);
		break;
	case V6T_EV_REFUSED:
		v6t_note_refused(sb, v);
		break;
	}
}

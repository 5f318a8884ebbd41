// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <sys/socket.h>
#include "cgroup.h"
#include "decode.h"
#include "note.h"
#include "strbuf.h"

/* returns the length up to the first NUL, as %s would print it */
static uint8_t copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, V6T_COMM_LEN);
	dst[V6T_COMM_LEN] = '\0';
	return strlen(dst);
}

/* An interface name is whatever its creator chose (any byte but '/', ':' and spaces). */
static void decode_bound_dev(const struct v6t_sock_event *e, struct v6t_view *v)
{
	struct strbuf sb = STRBUF_ON(v->bound_dev);

	v->has |= V6T_HAS_BOUND_DEV;
	v->bound_dev_len = copy_comm(v->bound_dev, e->bound_dev);
	if (v->bound_dev_len)
		return;
	sb_lit(&sb, "ifindex ");
	sb_u64(&sb, e->bound_dev_if);
	v->bound_dev_len = sb.len;
}

void v6t_decode(const struct v6t_sock_event *e, int64_t boot_to_wall_ns, struct v6t_view *v)
{
	bool inet6 = e->family == V6T_AF_INET6;

	v->e = e;
	v->wall_ns = e->ts_boot_ns + boot_to_wall_ns;
	v6t_classify(e, &v->cls);
	v->event = v6t_event_name(e->kind);
	v->proto = e->proto == V6T_IPPROTO_UDP ? "udp" : "tcp";
	v->family = inet6 ? "inet6" : "inet";
	if (e->proto == V6T_IPPROTO_UDP)
		v->netstat_kind = inet6 ? "udp6" : "udp";
	else
		v->netstat_kind = inet6 ? "tcp6" : "tcp";
	v->v6only = inet6 && e->v6only;
	v->v6only_source = v6t_source_name(v->cls.source);
	/* a recording is untrusted input: only -4095..-1 are errnos (and -INT_MIN overflows) */
	if (!v->cls.failed)
		v->error = NULL;
	else if (e->err < 0 && e->err > -4096)
		v->error = v6t_errno_name(-e->err);
	else
		v->error = "E?";
	v->backend = e->kind == V6T_EV_SOCKET ? "sock_diag" : v6t_backend_name(e->backend);
	v->has_peer = e->flags & V6T_F_HAS_PEER;
	v->has_listener = e->flags & V6T_F_HAS_LISTENER;
	v->setter_known = e->flags & V6T_F_SETTER_KNOWN;
	v->mapped = v->cls.peer == V6T_PEER_MAPPED;
	v->comm_len = copy_comm(v->comm, e->comm);
	v->setter_comm_len = copy_comm(v->setter_comm, e->setter_comm);
	v->has = (e->pid ? V6T_HAS_OWNER : 0) | (v->comm_len ? V6T_HAS_COMM : 0) |
		 (v->has_peer ? V6T_HAS_PEER : 0) | (v->has_listener ? V6T_HAS_LISTENER : 0) |
		 (v->setter_known ? V6T_HAS_SETTER : 0) | (v->mapped ? V6T_HAS_MAPPED : 0) |
		 (v->error ? V6T_HAS_ERROR : 0);
	/* a refused packet's family is the packet's: no socket, no V6ONLY */
	if (e->kind == V6T_EV_REFUSED)
		v->has |= V6T_HAS_SUPPRESSED;
	else if (inet6)
		v->has |= V6T_HAS_V6ONLY;
	if (e->kind == V6T_EV_V6ONLY && e->requested != V6T_REQUESTED_UNKNOWN)
		v->has |= V6T_HAS_REQUESTED;
	v->bound_dev_len = 0;
	v->socks = NULL;
	/* only bind and listen read them; elsewhere (a crafted recording) the bytes mean nothing */
	if ((e->kind == V6T_EV_BIND || e->kind == V6T_EV_LISTEN) && (e->sockopts & V6T_SO_KNOWN)) {
		v->has |= V6T_HAS_SOCKOPTS;
		if (e->bound_dev_if)
			decode_bound_dev(e, v);
	}
	/* listeners found at start-up and by -l; the summary's rows pick theirs (summary.c) */
	if (e->kind == V6T_EV_SOCKET && e->proto == V6T_IPPROTO_TCP)
		v6t_view_hint(v);
}

void v6t_view_hint(struct v6t_view *v)
{
	v6t_hint_pick(&v->hint, v->comm, v->cls.sock, v->cls.source);
	if (v->hint.how)
		v->has |= V6T_HAS_HINT;
	else
		v->has &= ~V6T_HAS_HINT;
}

void v6t_view_attach_socks(struct v6t_view *v, const struct v6t_port_socks_rec *r)
{
	static const uint32_t has[] = {
		[V6T_LIST_HOLDERS] = V6T_HAS_HOLDERS,
		[V6T_LIST_LISTENERS] = V6T_HAS_LISTENERS,
	};
	enum v6t_port_list list = v6t_port_list_of(v->e);

	if (list == V6T_LIST_NONE)
		return;
	v->has |= has[list];
	v->socks = r;
}

/* --wide: each owner decided once, for the note and the outputs alike */
static void find_owners(struct v6t_view *v)
{
	const struct v6t_port_socks_rec *r = v->socks;

	v->container = v6t_cgroup_owner(v->e->cgroup_id, v->e->pid);
	v->has |= V6T_HAS_WIDE | (v->container ? V6T_HAS_CONTAINER : 0);
	for (unsigned int i = 0; r && i < r->count; i++)
		v->sock_owners[i] = r->socks[i].cgroup_id ?
			v6t_cgroup_owner(r->socks[i].cgroup_id, r->socks[i].pid) : NULL;
}

void v6t_explain(struct v6t_view *v, bool wide)
{
	const struct v6t_sock_event *e = v->e;
	struct strbuf note = STRBUF_ON(v->note);

	v->note_plain = true;
	/* each address is formatted once; an endpoint is built from that text where shown */
	v->local_addr_len = v6t_addr_str(v->local_addr, e->family, e->local_addr);
	v->peer_addr_len = 0;
	v->listener_addr_len = 0;
	v->ipv4_len = 0;
	if (v->has_peer)
		v->peer_addr_len = v6t_addr_str(v->peer_addr, e->family, e->peer_addr);
	if (v->has_listener)
		v->listener_addr_len = v6t_addr_str(v->listener_addr, e->family, e->listen_addr);
	if (v->mapped)
		v->ipv4_len = v6t_addr_str(v->ipv4, AF_INET, e->peer_addr + 12);
	if (wide)
		find_owners(v);
	v6t_note(&note, v);
	v->note_len = note.len;
}

void v6t_view_lost(struct v6t_view *v, uint64_t wall_ns, uint64_t count, uint64_t total,
		   bool replayed)
{
	v->e = NULL;
	v->wall_ns = wall_ns;
	v->event = "lost";
	v->has = 0;
	v->count = count;
	v->total = total;
	v->replayed = replayed;
}

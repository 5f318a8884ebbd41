// SPDX-License-Identifier: GPL-2.0
/* JSON Lines: one object per event; the key names are a stable interface (see README). */
#include "clock.h"
#include "output.h"

/* Keys are this file's own literals: nothing to escape, so no escaping pass per event. */
static void key(struct strbuf *sb, const char *k)
{
	sb_puts(sb, ",\"");
	sb_puts(sb, k);
	sb_puts(sb, "\":");
}

static void kv_str(struct strbuf *sb, const char *k, const char *v)
{
	key(sb, k);
	if (v)
		sb_json_str(sb, v);
	else
		sb_puts(sb, "null");
}

static void kv_u64(struct strbuf *sb, const char *k, uint64_t v)
{
	key(sb, k);
	sb_u64(sb, v);
}

static void kv_bool(struct strbuf *sb, const char *k, int v)
{
	key(sb, k);
	sb_puts(sb, v ? "true" : "false");
}

static void kv_null(struct strbuf *sb, const char *k)
{
	key(sb, k);
	sb_puts(sb, "null");
}

void v6t_json_event(struct strbuf *sb, const struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;

	sb_puts(sb, "{\"time\":\"");
	v6t_fmt_rfc3339_utc(sb, v->wall_ns);
	sb_putc(sb, '"');
	kv_str(sb, "event", v->event);
	kv_u64(sb, "pid", e->pid);
	kv_u64(sb, "tid", e->tid);
	kv_u64(sb, "uid", e->uid);
	kv_str(sb, "comm", v->comm);
	kv_u64(sb, "netns", e->netns_ino);
	kv_u64(sb, "cgroup", e->cgroup_id);
	kv_u64(sb, "inode", e->sock_ino);
	kv_str(sb, "proto", v->proto);
	kv_str(sb, "family", v->family);
	kv_str(sb, "local_addr", v->local_addr);
	kv_u64(sb, "local_port", e->local_port);
	if (v->has_peer) {
		kv_str(sb, "peer_addr", v->peer_addr);
		kv_u64(sb, "peer_port", e->peer_port);
	} else {
		kv_null(sb, "peer_addr");
		kv_null(sb, "peer_port");
	}
	kv_bool(sb, "v6only", v->v6only);
	kv_str(sb, "v6only_source", v->v6only_source);
	if (v->setter_known) {
		key(sb, "v6only_set_by");
		sb_puts(sb, "{\"pid\":");
		sb_u64(sb, e->setter_pid);
		kv_str(sb, "comm", v->setter_comm);
		sb_putc(sb, '}');
	} else {
		kv_null(sb, "v6only_set_by");
	}
	kv_u64(sb, "bindv6only", e->sysctl_v6only);
	if (e->kind == V6T_EV_V6ONLY) {
		key(sb, "requested");
		if (e->requested == V6T_REQUESTED_UNKNOWN)
			sb_puts(sb, "null");
		else
			sb_puts(sb, e->requested ? "true" : "false");
	}
	kv_bool(sb, "mapped", v->mapped);
	kv_str(sb, "ipv4", v->mapped ? v->ipv4 : NULL);
	if (v->has_listener) {
		kv_str(sb, "listener_addr", v->listener_addr);
		kv_u64(sb, "listener_port", e->listen_port);
	}
	kv_str(sb, "error", v->error);
	kv_str(sb, "note", v->note);
	kv_str(sb, "backend", v->backend);
	sb_puts(sb, "}\n");
}

void v6t_json_lost(struct strbuf *sb, uint64_t wall_ns, uint64_t count, uint64_t total)
{
	sb_puts(sb, "{\"time\":\"");
	v6t_fmt_rfc3339_utc(sb, wall_ns);
	sb_putc(sb, '"');
	kv_str(sb, "event", "lost");
	kv_u64(sb, "count", count);
	kv_u64(sb, "total", total);
	sb_puts(sb, "}\n");
}

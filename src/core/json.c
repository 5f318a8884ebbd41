// SPDX-License-Identifier: GPL-2.0
/* JSON Lines: one object per event; the key names are a stable interface (see README). */
#include <string.h>
#include "clock.h"
#include "output.h"

/*
 * Keys are this file's own literals: nothing to escape, and ",\"key\":" is pasted into one
 * literal at compile time, so a key costs one copy of known length.
 */
#define KEY(sb, k) sb_lit(sb, ",\"" k "\":")

/* Strings that are plain by construction (names from our tables, formatted addresses). */
static void plain_or_null(struct strbuf *sb, const char *s, size_t n)
{
	if (s)
		sb_json_plain(sb, s, n);
	else
		sb_lit(sb, "null");
}

static inline void put_name(struct strbuf *sb, const char *s)
{
	sb_json_plain(sb, s, strlen(s));
}

static inline void put_bool(struct strbuf *sb, int v)
{
	if (v)
		sb_lit(sb, "true");
	else
		sb_lit(sb, "false");
}

void v6t_json_event(struct strbuf *sb, const struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;

	sb_lit(sb, "{\"time\":\"");
	v6t_fmt_rfc3339_utc(sb, v->wall_ns);
	sb_putc(sb, '"');
	KEY(sb, "event");
	put_name(sb, v->event);
	KEY(sb, "pid");
	sb_u64(sb, e->pid);
	KEY(sb, "tid");
	sb_u64(sb, e->tid);
	KEY(sb, "uid");
	sb_u64(sb, e->uid);
	KEY(sb, "comm");
	sb_json_strn(sb, v->comm, v->comm_len);
	KEY(sb, "netns");
	sb_u64(sb, e->netns_ino);
	KEY(sb, "cgroup");
	sb_u64(sb, e->cgroup_id);
	KEY(sb, "inode");
	sb_u64(sb, e->sock_ino);
	KEY(sb, "proto");
	put_name(sb, v->proto);
	KEY(sb, "family");
	put_name(sb, v->family);
	KEY(sb, "local_addr");
	sb_json_plain(sb, v->local_addr, v->local_addr_len);
	KEY(sb, "local_port");
	sb_u64(sb, e->local_port);
	if (v->has_peer) {
		KEY(sb, "peer_addr");
		sb_json_plain(sb, v->peer_addr, v->peer_addr_len);
		KEY(sb, "peer_port");
		sb_u64(sb, e->peer_port);
	} else {
		KEY(sb, "peer_addr");
		sb_lit(sb, "null");
		KEY(sb, "peer_port");
		sb_lit(sb, "null");
	}
	KEY(sb, "v6only");
	put_bool(sb, v->v6only);
	KEY(sb, "v6only_source");
	put_name(sb, v->v6only_source);
	KEY(sb, "v6only_set_by");
	if (v->setter_known) {
		sb_lit(sb, "{\"pid\":");
		sb_u64(sb, e->setter_pid);
		KEY(sb, "comm");
		sb_json_strn(sb, v->setter_comm, v->setter_comm_len);
		sb_putc(sb, '}');
	} else {
		sb_lit(sb, "null");
	}
	KEY(sb, "bindv6only");
	sb_u64(sb, e->sysctl_v6only);
	if (e->kind == V6T_EV_V6ONLY) {
		KEY(sb, "requested");
		if (e->requested == V6T_REQUESTED_UNKNOWN)
			sb_lit(sb, "null");
		else
			put_bool(sb, e->requested);
	}
	KEY(sb, "mapped");
	put_bool(sb, v->mapped);
	KEY(sb, "ipv4");
	plain_or_null(sb, v->mapped ? v->ipv4 : NULL, v->ipv4_len);
	if (v->has_listener) {
		KEY(sb, "listener_addr");
		sb_json_plain(sb, v->listener_addr, v->listener_addr_len);
		KEY(sb, "listener_port");
		sb_u64(sb, e->listen_port);
	} else if (e->kind == V6T_EV_ACCEPT) {
		KEY(sb, "listener_addr");
		sb_lit(sb, "null");
		KEY(sb, "listener_port");
		sb_lit(sb, "null");
	}
	KEY(sb, "error");
	/* errno names are plain, but they come from libc: escape them anyway (failures only) */
	if (v->error)
		sb_json_str(sb, v->error);
	else
		sb_lit(sb, "null");
	KEY(sb, "note");
	if (v->note_plain)
		sb_json_plain(sb, v->note, v->note_len);
	else
		sb_json_strn(sb, v->note, v->note_len);
	KEY(sb, "backend");
	put_name(sb, v->backend);
	sb_lit(sb, "}\n");
}

void v6t_json_lost(struct strbuf *sb, uint64_t wall_ns, uint64_t count, uint64_t total)
{
	sb_lit(sb, "{\"time\":\"");
	v6t_fmt_rfc3339_utc(sb, wall_ns);
	sb_putc(sb, '"');
	KEY(sb, "event");
	sb_lit(sb, "\"lost\"");
	KEY(sb, "count");
	sb_u64(sb, count);
	KEY(sb, "total");
	sb_u64(sb, total);
	sb_lit(sb, "}\n");
}

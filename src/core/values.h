/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each kind of value (fields.h), written as JSON or as text, side by side: one call serves
 * both formats, so a value cannot mean one thing in one and another in the other. What a
 * process or a recording chose (names, the note with a setter's name, a cgroup's name) is
 * escaped for JSON and made printable for text; names from our tables and formatted
 * addresses are plain by construction. Inline: json.c and text.c each get it compiled for
 * their own format, as the renderers' hot path.
 */
#ifndef V6T_VALUES_H
#define V6T_VALUES_H

#include <string.h>
#include "clock.h"
#include "fields.h"
#include "note.h"

/* The record's integer at s (V6T_VAL_NUMBER). */
static inline uint64_t v6t_show_event_number(const struct v6t_view *v, const struct v6t_show *s)
{
	const unsigned char *p = (const unsigned char *)v->e + s->offset;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (s->size) {
	case 1:
		return *p;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	}
	memcpy(&u64, p, 8);
	return u64;
}

/* V6T_VAL_VIEW_NUMBER, V6T_VAL_NAME: the view's */
static inline uint64_t v6t_show_view_number(const struct v6t_view *v, const struct v6t_show *s)
{
	uint64_t u64;

	memcpy(&u64, (const char *)v + s->offset, 8);
	return u64;
}

static inline const char *v6t_show_name(const struct v6t_view *v, const struct v6t_show *s)
{
	const char *name;

	memcpy(&name, (const char *)v + s->offset, sizeof(name));
	return name;
}

/* V6T_VAL_NUMBER, _VIEW_NUMBER, _ACCEPTS: numbers, written alike in both formats */
static inline uint64_t v6t_show_number(const struct v6t_view *v, const struct v6t_show *s)
{
	const struct v6t_accept_counts *n = v->accepts;

	if (s->value == V6T_VAL_NUMBER)
		return v6t_show_event_number(v, s);
	if (s->value == V6T_VAL_VIEW_NUMBER)
		return v6t_show_view_number(v, s);
	return s->offset == V6T_PEER_MAPPED ? n->ipv4_mapped :
	       s->offset == V6T_PEER_IPV4 ? n->ipv4 : n->ipv6;
}

/* The address text of V6T_VAL_LOCAL, _PEER, _LISTENER or _IPV4, and its length. */
static inline const char *v6t_show_address(const struct v6t_view *v, const struct v6t_show *s,
					   size_t *len)
{
	switch (s->value) {
	case V6T_VAL_LOCAL:
		*len = v->local_addr_len;
		return v->local_addr;
	case V6T_VAL_PEER:
		*len = v->peer_addr_len;
		return v->peer_addr;
	case V6T_VAL_LISTENER:
		*len = v->listener_addr_len;
		return v->listener_addr;
	}
	*len = v->ipv4_len;
	return v->ipv4;
}

static inline void put_string(struct strbuf *sb, const char *s, size_t n, bool plain, unsigned int flags)
{
	if (!(flags & V6T_OUT_JSON))
		sb_putn(sb, s, n);
	else if (plain)
		sb_json_plain(sb, s, n);
	else
		sb_json_strn(sb, s, n);
}

/* bytes someone chose: escaped for JSON, made printable for a terminal */
static inline void put_chosen(struct strbuf *sb, const char *s, size_t n, unsigned int flags)
{
	if (flags & V6T_OUT_JSON)
		sb_json_strn(sb, s, n);
	else
		sb_put_printable(sb, s, n);
}

static inline void put_bool(struct strbuf *sb, bool v)
{
	if (v)
		sb_lit(sb, "true");
	else
		sb_lit(sb, "false");
}

/* RFC 3339 in UTC for JSON, the local time of day for text */
static inline void put_time(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	if (!(flags & V6T_OUT_JSON)) {
		v6t_fmt_local_time(sb, v->wall_ns);
		return;
	}
	sb_putc(sb, '"');
	v6t_fmt_rfc3339_utc(sb, v->wall_ns);
	sb_putc(sb, '"');
}

/* the note; in text, coloured as the classifier says */
static inline void put_note(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	/* what the classifier points out, in colour; colour codes do not count as columns */
	static const char *const emphasis_color[] = {
		[V6T_EMPH_FAILED] = "\033[1;31m",	/* red */
		[V6T_EMPH_MAPPED] = "\033[1;33m",	/* yellow */
		[V6T_EMPH_DUALSTACK] = "\033[36m",	/* cyan */
	};
	const char *hi = flags & V6T_OUT_COLOR ? emphasis_color[v->cls.emphasis] : NULL;

	if (hi)
		sb_puts(sb, hi);
	if (v->note_plain)
		put_string(sb, v->note, v->note_len, true, flags);
	else
		put_chosen(sb, v->note, v->note_len, flags);
	if (hi)
		sb_lit(sb, "\033[0m");
}

/* V6ONLY: a bool in JSON (its source is a key of its own); "yes:sysctl" in text */
static inline void put_v6only(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	if (flags & V6T_OUT_JSON) {
		put_bool(sb, v->v6only);
		return;
	}
	if (v->v6only)
		sb_lit(sb, "yes:");
	else
		sb_lit(sb, "no:");
	sb_puts(sb, v->v6only_source);
}

/* an address; in text with its port, "[addr]:port" */
static inline void put_address(struct strbuf *sb, const struct v6t_view *v, const struct v6t_show *s,
			unsigned int flags)
{
	size_t len;
	const char *text = v6t_show_address(v, s, &len);

	if (flags & V6T_OUT_JSON)
		sb_json_plain(sb, text, len);
	else
		v6t_put_endpoint(sb, v->e->family, text, len,
				 s->value == V6T_VAL_PEER ? v->e->peer_port : v->e->local_port);
}

/* the setter, in JSON only (text names it in the note) */
static inline void put_setter(struct strbuf *sb, const struct v6t_view *v)
{
	sb_lit(sb, "{\"pid\":");
	sb_u64(sb, v->e->setter_pid);
	sb_lit(sb, ",\"comm\":");
	sb_json_strn(sb, v->setter_comm, v->setter_comm_len);
	sb_putc(sb, '}');
}

static inline void put_sockopt(struct strbuf *sb, uint8_t sockopts, uint8_t bit)
{
	if (sockopts & V6T_SO_KNOWN)
		put_bool(sb, sockopts & bit);
	else
		sb_lit(sb, "null");
}

static inline void put_owner_json(struct strbuf *sb, const struct v6t_cgroup_owner *o);

/* Socket i of the port's list, with the keys an event has for the same things. */
static inline void put_port_sock(struct strbuf *sb, const struct v6t_view *v, unsigned int i)
{
	const struct v6t_port_sock *s = &v->socks->socks[i];
	char addr[INET6_ADDRSTRLEN];
	bool inet6 = s->family == V6T_AF_INET6;

	sb_lit(sb, "{\"pid\":");
	sb_u64(sb, s->pid);
	sb_lit(sb, ",\"comm\":");
	sb_json_strn(sb, s->comm, strnlen(s->comm, V6T_COMM_LEN));
	sb_lit(sb, ",\"local_addr\":");
	sb_json_plain(sb, addr, v6t_addr_str(addr, s->family, s->addr));
	sb_lit(sb, ",\"local_port\":");
	sb_u64(sb, s->port);
	sb_lit(sb, ",\"family\":");
	if (inet6)
		sb_lit(sb, "\"inet6\",\"v6only\":");
	else
		sb_lit(sb, "\"inet\",\"v6only\":");
	put_bool(sb, inet6 && s->v6only);
	sb_lit(sb, ",\"v6only_source\":");
	sb_json_str(sb, v6t_source_name(s->v6only_source));
	sb_lit(sb, ",\"reuseaddr\":");
	put_sockopt(sb, s->sockopts, V6T_SO_REUSEADDR);
	sb_lit(sb, ",\"reuseport\":");
	put_sockopt(sb, s->sockopts, V6T_SO_REUSEPORT);
	if (v->has & V6T_HAS_WIDE) {
		sb_lit(sb, ",\"container\":");
		put_owner_json(sb, v->sock_owners[i]);
	}
	sb_putc(sb, '}');
}

/* the sockets looked up on the event's port, in JSON only (text names one in the note) */
static inline void put_port_socks(struct strbuf *sb, const struct v6t_view *v)
{
	const struct v6t_port_socks_rec *r = v->socks;

	sb_putc(sb, '[');
	for (unsigned int i = 0; r && i < r->count; i++) {
		if (i)
			sb_putc(sb, ',');
		put_port_sock(sb, v, i);
	}
	sb_putc(sb, ']');
}

/*
 * Whether the list is all there was: "skipped" (not looked up: the rate limit), "cut_short"
 * (out of time or the namespace gone: sockets or owners may be missing), "truncated" (more
 * sockets than the record holds), else "complete". The first that applies.
 */
static inline const char *v6t_lookup_name(uint8_t flags)
{
	if (flags & V6T_PS_SKIPPED)
		return "skipped";
	if (flags & V6T_PS_FAILED)
		return "cut_short";
	if (flags & V6T_PS_MORE)
		return "truncated";
	return "complete";
}

/* a summary row's process, "name[pid]" in text; JSON has pid and comm apart */
static inline void put_process(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	put_chosen(sb, v->comm, v->comm_len, flags);
	sb_putc(sb, '[');
	sb_u64(sb, v->e->pid);
	sb_putc(sb, ']');
}

/* ,"key":"value", or null for "" (names from the node's state: escaped as any name is) */
static inline void put_json_member(struct strbuf *sb, const char *key, const char *value)
{
	sb_puts(sb, key);
	if (value && *value)
		sb_json_str(sb, value);
	else
		sb_lit(sb, "null");
}

/* The owner as an object, each key null where it does not apply; null if not known. */
static inline void put_owner_json(struct strbuf *sb, const struct v6t_cgroup_owner *o)
{
	const struct v6t_container *c;

	if (!o) {
		sb_lit(sb, "null");
		return;
	}
	c = &o->c;
	put_json_member(sb, "{\"runtime\":", v6t_runtime_name(c->runtime));
	put_json_member(sb, ",\"id\":", c->id);
	put_json_member(sb, ",\"name\":", c->name);
	put_json_member(sb, ",\"pod\":", c->pod);
	put_json_member(sb, ",\"namespace\":", c->pod_namespace);
	put_json_member(sb, ",\"pod_uid\":", c->pod_uid);
	put_json_member(sb, ",\"unit\":", c->unit);
	put_json_member(sb, ",\"cgroup\":", o->cgroup);
	sb_putc(sb, '}');
}

/* JSON: the owner's object; text: its label. */
static inline void put_container(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	const struct v6t_cgroup_owner *o = v->container;

	if (!(flags & V6T_OUT_JSON)) {
		sb_putc(sb, '[');
		sb_put_printable(sb, o->label, strlen(o->label));
		sb_lit(sb, "] ");
		return;
	}
	put_owner_json(sb, o);
}

/* a lost record in text: JSON has count and total apart */
static inline void put_lost(struct strbuf *sb, const struct v6t_view *v)
{
	sb_lit(sb, "lost ");
	sb_u64(sb, v->count);
	/* -r takes no --buffer-size: a replay can only say where the recording has a gap */
	if (v->replayed)
		sb_lit(sb, " events (the recorder's ring buffer was full: the recording misses "
			   "them), ");
	else
		sb_lit(sb, " events (ring buffer full; try a larger --buffer-size), ");
	sb_u64(sb, v->total);
	sb_lit(sb, " in total");
}

/* the summary's footers in text: JSON has the count alone */
static inline void put_footer(struct strbuf *sb, const struct v6t_view *v, const struct v6t_show *s)
{
	sb_lit(sb, "(and accepts ");
	if (s->value == V6T_VAL_OVERFLOW)
		sb_lit(sb, "of more listeners than the summary keeps");
	else
		sb_lit(sb, "on listeners not known, held by no process at start");
	sb_lit(sb, ": ");
	sb_u64(sb, v->count);
	sb_putc(sb, ')');
}

/*
 * A listener's hint: the program's way, then the sysctl's where it applies. In text a line
 * of its own under the row, indented; the table's texts are plain (hints.h).
 */
static inline void put_hint(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	if (flags & V6T_OUT_JSON)
		sb_putc(sb, '"');
	else
		sb_lit(sb, "\n    hint: ");
	sb_puts(sb, v->hint.how);
	if (v->hint.sysctl) {
		sb_lit(sb, "; ");
		sb_puts(sb, v->hint.sysctl);
	}
	if (flags & V6T_OUT_JSON)
		sb_putc(sb, '"');
}

/* Always inlined: each format's renderer gets a copy without the other format's branches. */
static inline __attribute__((always_inline)) void
v6t_put_value(struct strbuf *sb, const struct v6t_view *v, const struct v6t_show *s,
	      unsigned int flags)
{
	const char *name;

	switch (s->value) {
	case V6T_VAL_NUMBER:
	case V6T_VAL_VIEW_NUMBER:
	case V6T_VAL_ACCEPTS:
		sb_u64(sb, v6t_show_number(v, s));
		break;
	case V6T_VAL_NAME:
	case V6T_VAL_VERDICT:
		name = s->value == V6T_VAL_NAME ? v6t_show_name(v, s) : v6t_verdict(v->cls.sock);
		put_string(sb, name, strlen(name), true, flags);
		break;
	case V6T_VAL_TIME:
		put_time(sb, v, flags);
		break;
	case V6T_VAL_COMM:
		put_chosen(sb, v->comm, v->comm_len, flags);
		break;
	case V6T_VAL_PROCESS:
		put_process(sb, v, flags);
		break;
	case V6T_VAL_CONTAINER:
		put_container(sb, v, flags);
		break;
	case V6T_VAL_LOCAL:
	case V6T_VAL_PEER:
	case V6T_VAL_LISTENER:
	case V6T_VAL_IPV4:
		put_address(sb, v, s, flags);
		break;
	case V6T_VAL_TRUE:
	case V6T_VAL_REQUESTED:
		put_bool(sb, s->value == V6T_VAL_TRUE || v->e->requested);
		break;
	case V6T_VAL_SOCKOPT:
		put_bool(sb, v->e->sockopts & s->offset);
		break;
	case V6T_VAL_BOUND_DEV:
		put_chosen(sb, v->bound_dev, v->bound_dev_len, flags);
		break;
	case V6T_VAL_PORT_SOCKS:
		put_port_socks(sb, v);
		break;
	case V6T_VAL_LOOKUP:
		name = v6t_lookup_name(v->socks ? v->socks->flags : 0);
		put_string(sb, name, strlen(name), true, flags);
		break;
	case V6T_VAL_V6ONLY:
		put_v6only(sb, v, flags);
		break;
	case V6T_VAL_SETTER:
		put_setter(sb, v);
		break;
	case V6T_VAL_ERROR:
		/* errno names are plain, but they come from libc: escaped anyway (failures only) */
		put_chosen(sb, v->error, strlen(v->error), flags);
		break;
	case V6T_VAL_NOTE:
		put_note(sb, v, flags);
		break;
	case V6T_VAL_HINT:
		put_hint(sb, v, flags);
		break;
	case V6T_VAL_LOST:
		put_lost(sb, v);
		break;
	case V6T_VAL_OVERFLOW:
	case V6T_VAL_UNKNOWN:
		put_footer(sb, v, s);
		break;
	}
}

#endif

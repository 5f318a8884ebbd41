// SPDX-License-Identifier: GPL-2.0
/* JSON Lines: one object per row; the key names are a stable interface (see README). */
#include "clock.h"
#include "note.h"
#include "output.h"

/*
 * A key is copied whole, padding and all, with one fixed-size copy (the padding's zeros end
 * the string): cheaper than a copy of its length, and an event has two dozen keys.
 */
static inline void put_key(struct strbuf *sb, const struct v6t_json_key *k)
{
	if (__builtin_expect(sb->cap - sb->len > sizeof(k->lit), 1)) {
		memcpy(sb->buf + sb->len, k->lit, sizeof(k->lit));
		sb->len += k->len;
	} else {
		sb_putn(sb, k->lit, k->len);
	}
}

/* Names from our tables and formatted addresses are plain by construction. */
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

static void put_setter(struct strbuf *sb, const struct v6t_view *v)
{
	sb_lit(sb, "{\"pid\":");
	sb_u64(sb, v->e->setter_pid);
	sb_lit(sb, ",\"comm\":");
	sb_json_strn(sb, v->setter_comm, v->setter_comm_len);
	sb_putc(sb, '}');
}

static inline uint64_t accepts(const struct v6t_view *v, unsigned int peer)
{
	const struct v6t_accept_counts *n = v->accepts;

	return peer == V6T_PEER_MAPPED ? n->ipv4_mapped : peer == V6T_PEER_IPV4 ? n->ipv4 : n->ipv6;
}

/*
 * A value as JSON. What a process or a recording chose (names, the note with a setter's
 * name, a cgroup's name, an errno name from libc) is escaped.
 */
static void put_value(struct strbuf *sb, const struct v6t_view *v, const struct v6t_show *s)
{
	switch (s->value) {
	case V6T_VAL_NUMBER:
		sb_u64(sb, v6t_show_number(v, s));
		break;
	case V6T_VAL_VIEW_NUMBER:
		sb_u64(sb, v6t_show_view_number(v, s));
		break;
	case V6T_VAL_NAME:
		put_name(sb, v6t_show_name(v, s));
		break;
	case V6T_VAL_TIME:
		sb_putc(sb, '"');
		v6t_fmt_rfc3339_utc(sb, v->wall_ns);
		sb_putc(sb, '"');
		break;
	case V6T_VAL_COMM:
		sb_json_strn(sb, v->comm, v->comm_len);
		break;
	case V6T_VAL_CONTAINER:
		sb_json_str(sb, v->container);
		break;
	case V6T_VAL_LOCAL:
		sb_json_plain(sb, v->local_addr, v->local_addr_len);
		break;
	case V6T_VAL_PEER:
		sb_json_plain(sb, v->peer_addr, v->peer_addr_len);
		break;
	case V6T_VAL_LISTENER:
		sb_json_plain(sb, v->listener_addr, v->listener_addr_len);
		break;
	case V6T_VAL_IPV4:
		sb_json_plain(sb, v->ipv4, v->ipv4_len);
		break;
	case V6T_VAL_TRUE:
		put_bool(sb, 1);
		break;
	case V6T_VAL_V6ONLY:
		put_bool(sb, v->v6only);
		break;
	case V6T_VAL_SETTER:
		put_setter(sb, v);
		break;
	case V6T_VAL_REQUESTED:
		put_bool(sb, v->e->requested);
		break;
	case V6T_VAL_ERROR:
		sb_json_str(sb, v->error);
		break;
	case V6T_VAL_NOTE:
		if (v->note_plain)
			sb_json_plain(sb, v->note, v->note_len);
		else
			sb_json_strn(sb, v->note, v->note_len);
		break;
	case V6T_VAL_ACCEPTS:
		sb_u64(sb, accepts(v, s->offset));
		break;
	case V6T_VAL_VERDICT:
		put_name(sb, v6t_verdict(v->cls.sock));
		break;
	default:
		sb_lit(sb, "null");	/* a value text alone shows: no table asks for it */
	}
}

void v6t_json_row(struct strbuf *sb, enum v6t_row row, const struct v6t_view *v)
{
	const struct v6t_layout *l = v6t_layout(row);
	const uint16_t lacks = ~v->has;
	bool wide = v->has & V6T_HAS_WIDE;
	const struct v6t_json_slot *s = l->json[wide], *end = s + l->n_json[wide];
	size_t start = sb->len;

	for (; s < end; s++) {
		put_key(sb, &s->key);
		if (s->needs & lacks)
			sb_putn(sb, s->key.absent, s->absent_len);
		else
			put_value(sb, v, &s->key.show);
	}
	/* every key starts with its comma: the first one's becomes the brace */
	if (sb->len > start)
		sb->buf[start] = '{';
	sb_lit(sb, "}\n");
}

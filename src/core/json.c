// SPDX-License-Identifier: GPL-2.0
/* JSON Lines: one object per row; the key names are a stable interface (see README). */
#include "output.h"
#include "values.h"

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

/* Names from our tables are plain by construction. */
static inline void put_name(struct strbuf *sb, const char *s)
{
	sb_json_plain(sb, s, strlen(s));
}

void v6t_json_row(struct strbuf *sb, enum v6t_row row, const struct v6t_view *v)
{
	const struct v6t_layout *l = v6t_layout(row);
	const uint32_t lacks = ~v->has;
	bool wide = v->has & V6T_HAS_WIDE;
	const struct v6t_json_slot *s = l->json[wide], *end = s + l->n_json[wide];
	size_t start = sb->len;

	for (; s < end; s++) {
		bool absent = s->needs & lacks;

		if (absent && s->omitted)
			continue;
		put_key(sb, &s->key);
		/* most keys are numbers and names of the record */
		if (absent)
			sb_putn(sb, s->key.absent, s->absent_len);
		else if (s->key.show.value == V6T_VAL_NUMBER)
			sb_u64(sb, v6t_show_event_number(v, &s->key.show));
		else if (s->key.show.value == V6T_VAL_NAME)
			put_name(sb, v6t_show_name(v, &s->key.show));
		else
			v6t_put_value(sb, v, &s->key.show, V6T_OUT_JSON);
	}
	/* every key starts with its comma: the first one's becomes the brace */
	if (sb->len > start)
		sb->buf[start] = '{';
	sb_lit(sb, "}\n");
}

// SPDX-License-Identifier: GPL-2.0
/* JSON Lines: one object per row; the key names are a stable interface (see README). */
#include "output.h"

/*
 * A key is copied whole, padding and all, with one fixed-size copy (the padding's zeros end
 * the string): cheaper than a copy of its length, and an event has two dozen keys.
 */
static inline void put_key(struct strbuf *sb, const struct v6t_json_key *k)
{
	if (sb->cap - sb->len > sizeof(k->lit)) {
		memcpy(sb->buf + sb->len, k->lit, sizeof(k->lit));
		sb->len += k->len;
	} else {
		sb_putn(sb, k->lit, k->len);
	}
}

void v6t_json_row(struct strbuf *sb, enum v6t_row row, const struct v6t_view *v)
{
	const struct v6t_layout *l = v6t_layout(row);
	size_t start = sb->len;

	for (const struct v6t_json_slot *s = l->json; s < l->json + l->n_json; s++) {
		if (s->shown & ~v->has)
			continue;
		put_key(sb, &s->key);
		if (s->needs & ~v->has)
			sb_putn(sb, s->key.absent, s->absent_len);
		else
			s->json(sb, v, s->index);
	}
	/* every key starts with its comma: the first one's becomes the brace */
	if (sb->len > start)
		sb->buf[start] = '{';
	sb_lit(sb, "}\n");
}

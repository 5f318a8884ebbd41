// SPDX-License-Identifier: GPL-2.0
/* The human-readable stream: fixed columns, like bcc's tools and ss. */
#include "output.h"
#include "values.h"

/* The titles of the columns, each where its column starts. */
void v6t_text_header(struct strbuf *sb, enum v6t_row row)
{
	const struct v6t_layout *l = v6t_layout(row);
	size_t start = sb->len;

	for (unsigned int i = 0; i < l->n_text[0]; i++) {
		const struct v6t_text_slot *t = &l->text[0][i];

		if (!t->field->title)
			continue;
		if (t->starts)
			sb_pad_to(sb, start + t->field->col);
		sb_puts(sb, t->field->title);
	}
	sb_putc(sb, '\n');
}

/*
 * A column starts at its place; a value wider than its column pushes the rest right by one
 * space. A field that continues a column (--wide's container) follows what is there.
 */
void v6t_text_row(struct strbuf *sb, enum v6t_row row, const struct v6t_view *v,
		  unsigned int flags)
{
	size_t start = sb->len;
	bool wide = v->has & V6T_HAS_WIDE;
	const struct v6t_layout *l = v6t_layout(row);

	for (unsigned int i = 0; i < l->n_text[wide]; i++) {
		const struct v6t_text_slot *t = &l->text[wide][i];
		const struct v6t_field *f = t->field;

		if (t->starts)
			sb_pad_to(sb, start + f->col);
		if (f->needs & ~v->has)
			sb_putn(sb, f->text_absent, t->absent_len);
		else
			v6t_put_value(sb, v, &f->text, flags & ~V6T_OUT_JSON);
	}
	sb_putc(sb, '\n');
}

void v6t_lost_warning(struct strbuf *sb, const struct v6t_view *v)
{
	static const struct v6t_show lost = { V6T_VAL_LOST };

	sb_lit(sb, "v6trace: ");
	v6t_put_value(sb, v, &lost, 0);
	sb_putc(sb, '\n');
}

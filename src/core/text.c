// SPDX-License-Identifier: GPL-2.0
/* The human-readable stream: fixed columns, like bcc's tools and ss. */
#include "output.h"
#include "values.h"

/* Shown in this row? (--wide's container is shown with it, in both formats.) */
static bool shown(const struct v6t_field *f, const struct v6t_view *v)
{
	return !(f->shown & ~v->has);
}

/*
 * A column starts at its place; a value wider than its column pushes the rest right by one
 * space. A field that continues a column (a title of NULL) follows what is there.
 */
static void next_column(struct strbuf *sb, size_t line_start, const struct v6t_field *f,
			const struct v6t_field *prev)
{
	if (prev && f->col != prev->col)
		sb_pad_to(sb, line_start + f->col);
}

void v6t_text_header(struct strbuf *sb, enum v6t_row row)
{
	const struct v6t_layout *l = v6t_layout(row);
	const struct v6t_field *prev = NULL;
	size_t s = sb->len;

	for (unsigned int i = 0; i < l->n_text; i++) {
		if (!l->text[i]->title)
			continue;
		next_column(sb, s, l->text[i], prev);
		sb_puts(sb, l->text[i]->title);
		prev = l->text[i];
	}
	sb_putc(sb, '\n');
}

void v6t_text_row(struct strbuf *sb, enum v6t_row row, const struct v6t_view *v,
		  unsigned int flags)
{
	const struct v6t_layout *l = v6t_layout(row);
	const struct v6t_field *prev = NULL;
	size_t s = sb->len;

	for (unsigned int i = 0; i < l->n_text; i++) {
		const struct v6t_field *f = l->text[i];

		if (!shown(f, v))
			continue;
		next_column(sb, s, f, prev);
		if (f->needs & ~v->has)
			sb_puts(sb, f->text_absent);
		else
			v6t_put_value(sb, v, &f->text, flags & ~V6T_OUT_JSON);
		prev = f;
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

// SPDX-License-Identifier: GPL-2.0
/* The human-readable stream: fixed columns, like bcc's tools and ss. */
#include "clock.h"
#include "note.h"
#include "output.h"

/* What the classifier points out, in colour. Colour codes do not count as columns. */
static const char *const emphasis_color[] = {
	[V6T_EMPH_FAILED] = "\033[1;31m",	/* red */
	[V6T_EMPH_MAPPED] = "\033[1;33m",	/* yellow */
	[V6T_EMPH_DUALSTACK] = "\033[36m",	/* cyan */
};

static void put_note(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	const char *hi = flags & V6T_OUT_COLOR ? emphasis_color[v->cls.emphasis] : NULL;

	if (hi)
		sb_puts(sb, hi);
	/* a process name in it can hold any byte: made printable */
	if (v->note_plain)
		sb_putn(sb, v->note, v->note_len);
	else
		sb_put_printable(sb, v->note, v->note_len);
	if (hi)
		sb_lit(sb, "\033[0m");
}

/* V6ONLY and where it came from: "yes:sysctl" */
static void put_v6only(struct strbuf *sb, const struct v6t_view *v)
{
	if (v->v6only)
		sb_lit(sb, "yes:");
	else
		sb_lit(sb, "no:");
	sb_puts(sb, v->v6only_source);
}

static void put_lost(struct strbuf *sb, const struct v6t_view *v)
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

static void put_footer(struct strbuf *sb, const char *what, uint64_t n)
{
	sb_lit(sb, "(and accepts ");
	sb_puts(sb, what);
	sb_lit(sb, ": ");
	sb_u64(sb, n);
	sb_putc(sb, ')');
}

/* A value as text. What a process or a recording chose (names, the note) is made printable. */
static void put_value(struct strbuf *sb, const struct v6t_view *v, const struct v6t_show *s,
		      unsigned int flags)
{
	const struct v6t_sock_event *e = v->e;

	switch (s->value) {
	case V6T_VAL_NUMBER:
		sb_u64(sb, v6t_show_number(v, s));
		break;
	case V6T_VAL_NAME:
		sb_puts(sb, v6t_show_name(v, s));
		break;
	case V6T_VAL_TIME:
		v6t_fmt_local_time(sb, v->wall_ns);
		break;
	case V6T_VAL_COMM:
		sb_put_printable(sb, v->comm, v->comm_len);
		break;
	case V6T_VAL_PROCESS:
		sb_put_printable(sb, v->comm, v->comm_len);
		sb_putc(sb, '[');
		sb_u64(sb, e->pid);
		sb_putc(sb, ']');
		break;
	case V6T_VAL_CONTAINER:
		sb_putc(sb, '[');
		sb_put_printable(sb, v->container, strlen(v->container));
		sb_lit(sb, "] ");
		break;
	case V6T_VAL_LOCAL:
		v6t_put_endpoint(sb, e->family, v->local_addr, v->local_addr_len, e->local_port);
		break;
	case V6T_VAL_PEER:
		v6t_put_endpoint(sb, e->family, v->peer_addr, v->peer_addr_len, e->peer_port);
		break;
	case V6T_VAL_V6ONLY:
		put_v6only(sb, v);
		break;
	case V6T_VAL_NOTE:
		put_note(sb, v, flags);
		break;
	case V6T_VAL_LOST:
		put_lost(sb, v);
		break;
	case V6T_VAL_ACCEPTS:
		sb_u64(sb, s->offset == V6T_PEER_MAPPED ? v->accepts->ipv4_mapped :
			   s->offset == V6T_PEER_IPV4 ? v->accepts->ipv4 : v->accepts->ipv6);
		break;
	case V6T_VAL_VERDICT:
		sb_puts(sb, v6t_verdict(v->cls.sock));
		break;
	case V6T_VAL_OVERFLOW:
		put_footer(sb, "of more listeners than the summary keeps", v->count);
		break;
	case V6T_VAL_UNKNOWN:
		put_footer(sb, "on listeners not known, held by no process at start", v->count);
		break;
	}
}

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
			put_value(sb, v, &f->text, flags);
		prev = f;
	}
	sb_putc(sb, '\n');
}

void v6t_lost_warning(struct strbuf *sb, const struct v6t_view *v)
{
	sb_lit(sb, "v6trace: ");
	put_lost(sb, v);
	sb_putc(sb, '\n');
}

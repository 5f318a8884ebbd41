// SPDX-License-Identifier: GPL-2.0
/* The human-readable stream: fixed columns, like bcc's tools and ss. */
#include "cgroup.h"
#include "clock.h"
#include "output.h"

enum { COL_TIME, COL_PID, COL_COMM, COL_EVENT, COL_KIND, COL_LOCAL, COL_PEER, COL_V6ONLY, COL_NOTE, NCOLS };

/* Where each column starts; a value wider than its column pushes the rest right by one space. */
static const struct {
	unsigned int start;
	const char *title;
} columns[NCOLS] = {
	[COL_TIME] = { 0, "TIME" },
	[COL_PID] = { 16, "PID" },
	[COL_COMM] = { 24, "COMM" },
	[COL_EVENT] = { 41, "EVENT" },
	[COL_KIND] = { 52, "PROTO" },
	[COL_LOCAL] = { 58, "LOCAL" },
	[COL_PEER] = { 84, "PEER" },
	[COL_V6ONLY] = { 110, "V6ONLY" },
	[COL_NOTE] = { 125, "NOTE" },
};

static void next_column(struct strbuf *sb, size_t line_start, int col)
{
	if (col > 0)
		sb_pad_to(sb, line_start + columns[col].start);
}

void v6t_text_header(struct strbuf *sb)
{
	size_t s = sb->len;

	for (int col = 0; col < NCOLS; col++) {
		next_column(sb, s, col);
		sb_puts(sb, columns[col].title);
	}
	sb_putc(sb, '\n');
}

/* What the classifier points out, in colour. Colour codes do not count as columns. */
static const char *const emphasis_color[] = {
	[V6T_EMPH_FAILED] = "\033[1;31m",	/* red */
	[V6T_EMPH_MAPPED] = "\033[1;33m",	/* yellow */
	[V6T_EMPH_DUALSTACK] = "\033[36m",	/* cyan */
};

void v6t_text_event(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	const char *hi = flags & V6T_TEXT_COLOR ? emphasis_color[v->cls.emphasis] : NULL;
	size_t s = sb->len;

	for (int col = 0; col < NCOLS; col++) {
		next_column(sb, s, col);
		switch (col) {
		case COL_TIME:
			v6t_fmt_local_time(sb, v->wall_ns);
			break;
		case COL_PID:
			/* 0: a snapshot socket whose owner could not be found */
			if (v->e->pid)
				sb_u64(sb, v->e->pid);
			else
				sb_putc(sb, '-');
			break;
		case COL_COMM:
			if (v->comm_len)
				sb_put_printable(sb, v->comm, v->comm_len);
			else
				sb_putc(sb, '-');
			break;
		case COL_EVENT:
			sb_puts(sb, v->event);
			break;
		case COL_KIND:
			sb_puts(sb, v->netstat_kind);
			break;
		case COL_LOCAL:
			v6t_put_endpoint(sb, v->e->family, v->local_addr, v->local_addr_len,
					 v->e->local_port);
			break;
		case COL_PEER:
			if (v->has_peer)
				v6t_put_endpoint(sb, v->e->family, v->peer_addr, v->peer_addr_len,
						 v->e->peer_port);
			else
				sb_putc(sb, '-');
			break;
		case COL_V6ONLY:
			if (v->e->family != V6T_AF_INET6) {
				sb_putc(sb, '-');
				break;
			}
			if (v->v6only)
				sb_lit(sb, "yes:");
			else
				sb_lit(sb, "no:");
			sb_puts(sb, v->v6only_source);
			break;
		case COL_NOTE:
			if (flags & V6T_TEXT_WIDE) {
				const char *cg = v6t_cgroup_name(v->e->cgroup_id);

				sb_putc(sb, '[');
				if (cg)
					sb_put_printable(sb, cg, strlen(cg));
				else
					sb_putc(sb, '?');
				sb_lit(sb, "] ");
			}
			if (hi)
				sb_puts(sb, hi);
			if (v->note_plain)
				sb_putn(sb, v->note, v->note_len);
			else
				sb_put_printable(sb, v->note, v->note_len);
			if (hi)
				sb_lit(sb, "\033[0m");
			break;
		}
	}
	sb_putc(sb, '\n');
}

void v6t_text_lost(struct strbuf *sb, uint64_t count, uint64_t total, bool replayed)
{
	sb_lit(sb, "v6trace: lost ");
	sb_u64(sb, count);
	/* -r takes no --buffer-size: a replay can only say where the recording has a gap */
	if (replayed)
		sb_lit(sb, " events (the recorder's ring buffer was full: the recording misses "
			   "them), ");
	else
		sb_lit(sb, " events (ring buffer full; try a larger --buffer-size), ");
	sb_u64(sb, total);
	sb_lit(sb, " in total\n");
}

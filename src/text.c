// SPDX-License-Identifier: GPL-2.0
/* The human-readable stream: fixed columns, like bcc's tools and ss. */
#include "clock.h"
#include "output.h"

/* Column start offsets; a value wider than its column pushes the rest right by one space. */
enum {
	COL_PID = 16,
	COL_COMM = 24,
	COL_EVENT = 41,
	COL_KIND = 48,
	COL_LOCAL = 54,
	COL_PEER = 80,
	COL_V6ONLY = 106,
	COL_NOTE = 121,
};

void v6t_text_header(struct strbuf *sb)
{
	size_t s = sb->len;

	sb_puts(sb, "TIME");
	sb_pad_to(sb, s + COL_PID);
	sb_puts(sb, "PID");
	sb_pad_to(sb, s + COL_COMM);
	sb_puts(sb, "COMM");
	sb_pad_to(sb, s + COL_EVENT);
	sb_puts(sb, "EVENT");
	sb_pad_to(sb, s + COL_KIND);
	sb_puts(sb, "PROTO");
	sb_pad_to(sb, s + COL_LOCAL);
	sb_puts(sb, "LOCAL");
	sb_pad_to(sb, s + COL_PEER);
	sb_puts(sb, "PEER");
	sb_pad_to(sb, s + COL_V6ONLY);
	sb_puts(sb, "V6ONLY");
	sb_pad_to(sb, s + COL_NOTE);
	sb_puts(sb, "NOTE\n");
}

void v6t_text_event(struct strbuf *sb, const struct v6t_view *v)
{
	size_t s = sb->len;

	v6t_fmt_local_time(sb, v->wall_ns);
	sb_pad_to(sb, s + COL_PID);
	sb_u64(sb, v->e->pid);
	sb_pad_to(sb, s + COL_COMM);
	sb_puts(sb, v->comm);
	sb_pad_to(sb, s + COL_EVENT);
	sb_puts(sb, v->event);
	sb_pad_to(sb, s + COL_KIND);
	sb_puts(sb, v->netstat_kind);
	sb_pad_to(sb, s + COL_LOCAL);
	sb_puts(sb, v->local);
	sb_pad_to(sb, s + COL_PEER);
	sb_puts(sb, v->has_peer ? v->peer : "-");
	sb_pad_to(sb, s + COL_V6ONLY);
	if (v->e->family == V6T_AF_INET6) {
		sb_puts(sb, v->v6only ? "yes:" : "no:");
		sb_puts(sb, v->v6only_source);
	} else {
		sb_putc(sb, '-');
	}
	sb_pad_to(sb, s + COL_NOTE);
	sb_puts(sb, v->note);
	sb_putc(sb, '\n');
}

void v6t_text_lost(struct strbuf *sb, uint64_t count, uint64_t total)
{
	sb_puts(sb, "v6trace: lost ");
	sb_u64(sb, count);
	sb_puts(sb, " events (ring buffer full; try a larger --buffer-size), ");
	sb_u64(sb, total);
	sb_puts(sb, " in total\n");
}

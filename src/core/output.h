/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rendering of decoded events: one text line or one JSON object per event. Both take the same
 * struct v6t_view, and neither allocates or depends on the locale.
 */
#ifndef V6T_OUTPUT_H
#define V6T_OUTPUT_H

#include <stdint.h>
#include "decode.h"
#include "strbuf.h"

#define V6T_LINE_MAX 1024

void v6t_text_header(struct strbuf *sb);
#define V6T_TEXT_COLOR 0x1	/* wrap what matters (IPv4-mapped peers, failures) in ANSI SGR */
#define V6T_TEXT_WIDE 0x2	/* prefix the note with the task's container (cgroup) */

void v6t_text_event(struct strbuf *sb, const struct v6t_view *v, unsigned int flags);
void v6t_json_event(struct strbuf *sb, const struct v6t_view *v);
/* count events lost since the previous report; total since start; replayed: from a recording */
void v6t_text_lost(struct strbuf *sb, uint64_t count, uint64_t total, bool replayed);
void v6t_json_lost(struct strbuf *sb, uint64_t wall_ns, uint64_t count, uint64_t total);

#endif

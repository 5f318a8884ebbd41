/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rows as text or JSON, drawn from the field tables (fields.h): one line per row, built in
 * place, with no allocation and nothing that depends on the locale.
 */
#ifndef V6T_OUTPUT_H
#define V6T_OUTPUT_H

#include "decode.h"
#include "fields.h"
#include "strbuf.h"

#define V6T_LINE_MAX 2048	/* an event with a note and a hint, all escaped */
/*
 * More room for an event with a list of its port's sockets: each object's keys and numbers
 * take under 200 bytes, its name up to 96 (every byte escaped as \u00XX).
 */
#define V6T_PORT_SOCK_JSON_MAX 320
#define V6T_PORT_SOCKS_LINE_MAX (V6T_PORT_SOCKS_MAX * V6T_PORT_SOCK_JSON_MAX)

/* The titles of the row's text columns. */
void v6t_text_header(struct strbuf *sb, enum v6t_row row);
/* One row of text, columns padded to where they start; flags: V6T_OUT_*. */
void v6t_text_row(struct strbuf *sb, enum v6t_row row, const struct v6t_view *v,
		  unsigned int flags);
/* One JSON object on a line. */
void v6t_json_row(struct strbuf *sb, enum v6t_row row, const struct v6t_view *v);
/* A lost record as a line for stderr, when no display shows its row. */
void v6t_lost_warning(struct strbuf *sb, const struct v6t_view *v);

#endif

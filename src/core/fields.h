/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The field tables: for each kind of row v6trace prints (an event, a lost record, a summary
 * row and its footers), the fields in JSON order, each with its JSON key(s), its text column
 * (if text shows it), its formatters, and what it shows when the row lacks its value. Text
 * and JSON are both drawn from these tables, so a field is in both formats or in neither;
 * JSON also carries fields text leaves out (ids, the note's parts), never the reverse.
 */
#ifndef V6T_FIELDS_H
#define V6T_FIELDS_H

#include <stdint.h>
#include "decode.h"
#include "strbuf.h"

#define V6T_OUT_COLOR 0x1	/* text: colour what the classifier points out (ANSI SGR) */

enum v6t_row {
	V6T_ROW_EVENT,
	V6T_ROW_LOST,
	V6T_ROW_SUMMARY,
	V6T_ROW_OVERFLOW,	/* after the summary: accepts of listeners beyond its table */
	V6T_ROW_UNKNOWN,	/* after the summary: accepts whose listener was not known */
	V6T_ROWS,
};

/* A JSON key as written, ,"key": zero-padded so that a fixed-size copy writes it. */
struct v6t_json_key {
	char lit[32];
	uint8_t len;
	const char *absent;	/* its value when the field is absent */
};

struct v6t_field {
	const char *name;
	struct v6t_json_key keys[2];	/* keys[1].len 0: one key (none: text only) */
	void (*json)(struct strbuf *sb, const struct v6t_view *v, unsigned int key);
	/* text: the column's title (NULL: the field continues the column before it) */
	const char *title;
	uint16_t col;			/* where the column starts */
	void (*text)(struct strbuf *sb, const struct v6t_view *v, unsigned int flags);
	const char *text_absent;
	uint16_t needs;			/* V6T_HAS_* a value needs; lacking one, it is absent */
	uint16_t shown;			/* V6T_HAS_* without which the row omits it (--wide) */
};

/* One key of a JSON row, as the renderer walks them: the table's fields, flattened. */
struct v6t_json_slot {
	struct v6t_json_key key;
	void (*json)(struct strbuf *sb, const struct v6t_view *v, unsigned int key);
	uint8_t index;			/* which of its field's keys */
	uint8_t absent_len;
	uint16_t needs, shown;		/* its field's */
};

#define V6T_ROW_FIELDS_MAX 24

struct v6t_layout {
	const struct v6t_field *fields;	/* in JSON order */
	unsigned int n;
	/* derived from fields once: the fields text shows, in column order; the JSON keys */
	const struct v6t_field *text[V6T_ROW_FIELDS_MAX];
	unsigned int n_text;
	struct v6t_json_slot json[2 * V6T_ROW_FIELDS_MAX];
	unsigned int n_json;
};

const struct v6t_layout *v6t_layout(enum v6t_row row);
/* A lost record as a line for stderr, when no display shows its row. */
void v6t_lost_warning(struct strbuf *sb, const struct v6t_view *v);

#endif

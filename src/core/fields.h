/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The field tables: for each kind of row v6trace prints (an event, a lost record, a summary
 * row and its footers), the fields in JSON order, each with its JSON key(s), its text column
 * (if text shows it), the kind of value it shows, and what it shows when the row lacks it. Text
 * and JSON are both drawn from these tables, so a field is in both formats or in neither;
 * JSON also carries fields text leaves out (ids, the note's parts), never the reverse.
 */
#ifndef V6T_FIELDS_H
#define V6T_FIELDS_H

#include <stdint.h>
#include "decode.h"
#include "strbuf.h"

#define V6T_OUT_COLOR 0x1	/* text: colour what the classifier points out (ANSI SGR) */
#define V6T_OUT_JSON 0x2	/* a value as JSON rather than text */

enum v6t_row {
	V6T_ROW_EVENT,
	V6T_ROW_LOST,
	V6T_ROW_SUMMARY,
	V6T_ROW_OVERFLOW,	/* after the summary: accepts of listeners beyond its table */
	V6T_ROW_UNKNOWN,	/* after the summary: accepts whose listener was not known */
	V6T_ROWS,
};

/*
 * What a value is, so that json.c and text.c each know how to write it: a number of the
 * record, a name of its view (plain by construction), or one of the others below.
 */
enum v6t_value {
	V6T_VAL_NUMBER,		/* an integer of struct v6t_sock_event: offset, size */
	V6T_VAL_VIEW_NUMBER,	/* a uint64_t of struct v6t_view: offset */
	V6T_VAL_NAME,		/* a const char * of struct v6t_view: offset */
	V6T_VAL_TIME,
	V6T_VAL_COMM,
	V6T_VAL_PROCESS,	/* text: "name[pid]" */
	V6T_VAL_CONTAINER,
	V6T_VAL_LOCAL,		/* JSON: the address; text: "[addr]:port" */
	V6T_VAL_PEER,
	V6T_VAL_LISTENER,
	V6T_VAL_IPV4,		/* a mapped peer's IPv4 address */
	V6T_VAL_TRUE,
	V6T_VAL_V6ONLY,		/* JSON: a bool; text: "yes:source" */
	V6T_VAL_SETTER,
	V6T_VAL_REQUESTED,
	V6T_VAL_SOCKOPT,	/* a bool: whether bit offset of the record's sockopts is set */
	V6T_VAL_BOUND_DEV,
	V6T_VAL_PORT_SOCKS,	/* JSON: the sockets looked up on the event's port, an array */
	V6T_VAL_LOOKUP,		/* JSON: how complete that array is (v6t_lookup_name) */
	V6T_VAL_ERROR,
	V6T_VAL_NOTE,
	V6T_VAL_LOST,		/* text: "lost N events (...), T in total" */
	V6T_VAL_ACCEPTS,	/* a summary row's accepts of peers of class offset (V6T_PEER_*) */
	V6T_VAL_VERDICT,
	V6T_VAL_HINT,		/* text: a line of its own under the row */
	V6T_VAL_OVERFLOW,	/* text: the summary's footers */
	V6T_VAL_UNKNOWN,
};

/* How a field shows a value: which, and where in the record or view it is. */
struct v6t_show {
	uint8_t value;		/* enum v6t_value */
	uint8_t size;
	uint16_t offset;
};

/* A JSON key as written, ,"key": zero-padded so that a fixed-size copy writes it. */
struct v6t_json_key {
	char lit[32];
	uint8_t len;
	struct v6t_show show;
	const char *absent;	/* its value when the field is absent */
};

struct v6t_field {
	const char *name;
	struct v6t_json_key keys[2];	/* keys[1].len 0: one key (none: text only) */
	/* text: the column's title (NULL: the field continues the column before it) */
	const char *title;
	uint16_t col;			/* where the column starts */
	struct v6t_show text;		/* with a title or col: how the column shows it */
	bool in_text;
	const char *text_absent;
	uint32_t needs;			/* V6T_HAS_* a value needs; lacking one, it is absent */
	uint32_t shown;			/* V6T_HAS_WIDE: the row omits it without --wide */
	bool omitted;			/* lacking its value, its keys are left out (no absent) */
};

/* One key of a JSON row, as the renderer walks them: the table's fields, flattened. */
struct v6t_json_slot {
	struct v6t_json_key key;
	uint8_t absent_len;
	bool omitted;			/* its field's */
	uint32_t needs;			/* its field's */
};

/* One text column, as the renderer walks them: in column order, each knowing where it starts. */
struct v6t_text_slot {
	const struct v6t_field *field;
	bool starts;			/* a column of its own: padded to where it starts */
	uint8_t absent_len;
};

#define V6T_ROW_FIELDS_MAX 28

struct v6t_layout {
	const struct v6t_field *fields;	/* in JSON order */
	unsigned int n;
	/*
	 * Derived from fields once: the fields text shows, in column order, and the JSON keys,
	 * each without and with the fields shown only with --wide.
	 */
	struct v6t_text_slot text[2][V6T_ROW_FIELDS_MAX];
	unsigned int n_text[2];
	struct v6t_json_slot json[2][2 * V6T_ROW_FIELDS_MAX];
	unsigned int n_json[2];
};

const struct v6t_layout *v6t_layout(enum v6t_row row);

#endif

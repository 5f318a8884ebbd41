/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one path every record takes, live or replayed: filtered, recorded (-w), decoded,
 * displayed as text or JSON, counted in the summary. Live tracing and replay differ only in
 * where records come from, so their output cannot differ.
 */
#ifndef V6T_PRINTER_H
#define V6T_PRINTER_H

#include <stdbool.h>
#include <stdint.h>
#include "config.h"
#include "sink.h"
#include "summary.h"
#include "writer.h"

struct v6t_printer {
	const struct v6t_config *cfg;
	struct v6t_sink out;		/* events and summary */
	struct v6t_writer *writer;	/* -w, or NULL */
	struct v6t_summary *summary;	/* -s, or NULL */
	bool display;			/* print events (not -q, and stdout is not the recording) */
	bool color;			/* ANSI colours in the text display */
	int64_t boot_to_wall;		/* of the records coming in (replay: of their run) */
	int64_t writer_clock;		/* -w: the recording's, in its header */
	uint64_t printed;
	uint64_t lost_total;
	int done;			/* -n reached, or the output is gone */
};

/* Output goes to stdout, or to stderr when stdout carries the recording (-w -). */
int v6t_printer_init(struct v6t_printer *p, const struct v6t_config *cfg, int64_t boot_to_wall);
/* Starts the recording (-w) with this header information. 0 or -errno (reported). */
int v6t_printer_open_writer(struct v6t_printer *p, const struct v6t_file_info *info);
/* The text header line, when events are displayed as text. */
void v6t_printer_header(struct v6t_printer *p);
/*
 * Hands one record through; returns non-zero once nothing more is wanted (p->done). Once
 * done, only lost-event records still go through.
 */
int v6t_printer_record(struct v6t_printer *p, const struct v6t_rec_hdr *rec, size_t size);
/* Flushes the display and the recording; non-zero on a write error other than EPIPE. */
int v6t_printer_flush(struct v6t_printer *p);
/* The summary (if -s), a final flush, and the recording closed. Returns the first error. */
int v6t_printer_finish(struct v6t_printer *p);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one path every record takes, live or replayed: filtered, recorded (-w), decoded,
 * displayed as text or JSON, counted in the summary. Live tracing, the start-up snapshot and
 * replay differ only in where records come from, so their output cannot differ. Sources
 * push records and lost counts in; what the pipeline holds is its own.
 */
#ifndef V6T_PIPELINE_H
#define V6T_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "recfile.h"

struct v6t_pipeline;

#define V6T_DISPLAY_DEFAULT (-1)	/* stdout, or stderr when stdout carries the recording */

/*
 * A pipeline for records on the clock boot_to_wall (replay: their recording's). The display
 * goes to display_fd, or by the rule of V6T_DISPLAY_DEFAULT. 0 or -ENOMEM.
 */
int v6t_pipeline_new(struct v6t_pipeline **out, const struct v6t_config *cfg, int64_t boot_to_wall,
		     int display_fd);
struct v6t_owners;
/*
 * From now on every socket event that comes through, filtered out or not, tells owners who
 * holds its socket (live: a port's sockets are looked up there).
 */
void v6t_pipeline_track_owners(struct v6t_pipeline *p, struct v6t_owners *owners);
/* Starts the recording (-w) with this header information. 0 or -errno (reported). */
int v6t_pipeline_record_to(struct v6t_pipeline *p, const struct v6t_file_info *info);
/* The text header line, when events are displayed as text. */
void v6t_pipeline_header(struct v6t_pipeline *p);
/* The clock of the records from now on (following a recording into a new run). */
void v6t_pipeline_set_clock(struct v6t_pipeline *p, int64_t boot_to_wall);
/*
 * Hands one record through; returns true once nothing more is wanted (-n reached, or the
 * output is gone). From then on only lost-event records still go through.
 */
bool v6t_pipeline_push(struct v6t_pipeline *p, const struct v6t_rec_hdr *rec, size_t size);
/* count events lost at ts_boot_ns, as a lost record pushed in; returns as push does. */
bool v6t_pipeline_lost(struct v6t_pipeline *p, uint64_t ts_boot_ns, uint64_t count);
/* Accepts the kernel counted for a listener instead of sending them (-s -q). */
void v6t_pipeline_add_counts(struct v6t_pipeline *p, const struct v6t_count_key *k,
			     const struct v6t_accept_counts *c);
/* --metrics: the file written now, whole. 0 (also without --metrics) or -errno (reported). */
int v6t_pipeline_write_metrics(struct v6t_pipeline *p);
bool v6t_pipeline_done(const struct v6t_pipeline *p);
/* Flushes the display and the recording; non-zero on a write error other than EPIPE. */
int v6t_pipeline_flush(struct v6t_pipeline *p);
/*
 * The summary (if -s), the metrics file (if --metrics), a final flush, the recording closed,
 * and p freed. Returns the first error. NULL is fine.
 */
int v6t_pipeline_close(struct v6t_pipeline *p);

#endif

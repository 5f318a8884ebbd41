/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --metrics: what a fleet scrapes, in the Prometheus text exposition format, for
 * node_exporter's textfile collector. Accepts and V6ONLY per listener come from the summary's
 * listener table (one table, whether -s prints it or not); connects by the peer's class and
 * refused packets are counted here, from the decoded views; lost events are the pipeline's.
 * The file is replaced whole each time (outfile.h, V6T_OUTFILE_WHOLE): the collector never
 * reads half of one.
 */
#ifndef V6T_METRICS_H
#define V6T_METRICS_H

#include <stdint.h>
#include "decode.h"
#include "sink.h"
#include "summary.h"

struct v6t_metrics;

/*
 * What the metrics are made of: the summary's kinds, connects and refused packets. Live -q
 * with --metrics (no -w) traces only these.
 */
#define V6T_METRICS_EVENTS (V6T_SUMMARY_EVENTS | (1U << V6T_EV_CONNECT) | (1U << V6T_EV_REFUSED))

/* Counters for the file at path (kept, not copied). NULL when out of memory. */
struct v6t_metrics *v6t_metrics_new(const char *path);
void v6t_metrics_free(struct v6t_metrics *m);
/* One decoded event: connects and refused packets are counted, the rest ignored. */
void v6t_metrics_add(struct v6t_metrics *m, const struct v6t_view *v);
/* The exposition: s's listeners, this table's counters, lost events in all. */
void v6t_metrics_print(const struct v6t_metrics *m, const struct v6t_summary *s, uint64_t lost,
		       struct v6t_sink *out);
/* The exposition into the file, replacing it whole. 0 or -errno (reported on stderr). */
int v6t_metrics_write(struct v6t_metrics *m, const struct v6t_summary *s, uint64_t lost);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests: a raw record through the stages that take its decoded view. */
#ifndef V6T_TEST_VIEW_H
#define V6T_TEST_VIEW_H

#include "decode.h"
#include "filter.h"
#include "summary.h"

/* The record decoded as the pipeline decodes it, for the display. */
static inline void view_of(const struct v6t_sock_event *e, int64_t boot_to_wall, struct v6t_view *v)
{
	v6t_decode(e, boot_to_wall, v);
	v6t_explain(v, false);
}

/* Does e, stamped wall_ns, pass cfg's filters? */
static inline bool filter_at(const struct v6t_config *cfg, const struct v6t_sock_event *e,
			     uint64_t wall_ns)
{
	struct v6t_view v;

	v6t_decode(e, wall_ns - e->ts_boot_ns, &v);
	return v6t_filter_match(cfg, &v);
}

static inline const char *source_of(const struct v6t_sock_event *e)
{
	struct v6t_class c;

	v6t_classify(e, &c);
	return v6t_source_name(c.source);
}

static inline void summary_add(struct v6t_summary *s, const struct v6t_sock_event *e)
{
	struct v6t_view v;

	v6t_decode(e, 0, &v);
	v6t_summary_add(s, &v);
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The live tracer: BPF skeleton set up per the plan, ring buffer consumer, lost-event count. */
#ifndef V6T_TRACER_H
#define V6T_TRACER_H

#include <stdint.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "options.h"

struct v6t_tracer;

/* Called for every record in the ring buffer; return non-zero to stop consuming. */
typedef int (*v6t_record_fn)(void *ctx, const void *rec, size_t size);

/* Probes, chooses, loads and attaches. Returns 0 or -errno after one line on stderr. */
int v6t_tracer_start(struct v6t_tracer **out, const struct v6t_config *cfg, v6t_record_fn fn,
		     void *ctx);
/* Waits up to timeout_ms for records and hands them to fn; returns the number or -errno. */
int v6t_tracer_poll(struct v6t_tracer *t, int timeout_ms);
/* Hands over whatever is in the ring now, without waiting. */
int v6t_tracer_drain(struct v6t_tracer *t);
/* Events the kernel side could not queue since start (ring buffer full). */
uint64_t v6t_tracer_lost(struct v6t_tracer *t);
const struct v6t_plan *v6t_tracer_plan(const struct v6t_tracer *t);
void v6t_tracer_destroy(struct v6t_tracer *t);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The live tracer: BPF skeleton set up per the plan, ring buffer consumer, lost-event count. */
#ifndef V6T_TRACER_H
#define V6T_TRACER_H

#include <stdbool.h>
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
/* How the ring was read since start, for -v: records taken, and why the reader woke up. */
struct v6t_reads {
	uint64_t records;
	uint64_t wakeups;	/* the kernel woke it: a CPU queued a full batch */
	uint64_t timeouts;	/* the poll timed out, and what was queued below a batch was taken */
	uint64_t batch;		/* records per CPU between wake-ups */
	uint64_t counted;	/* -s -q: accepts counted in the kernel, not sent (once read) */
};

void v6t_tracer_reads(const struct v6t_tracer *t, struct v6t_reads *r);
/*
 * -s -q: hands over the accepts the kernel counted per listener instead of sending them
 * (v6t_summary_only), summed over CPUs; call once, after the last drain. 0 or -errno.
 */
typedef void (*v6t_counts_fn)(void *ctx, const struct v6t_count_key *k,
			      const struct v6t_accept_counts *c);
int v6t_tracer_accept_counts(struct v6t_tracer *t, v6t_counts_fn fn, void *ctx);
/*
 * refused: hands fn, as records, the packets each window counted and sent no event for yet
 * (V6T_F_TALLY events, boot time now); call once, after the last drain. 0 or -errno.
 */
int v6t_tracer_refused_tally(struct v6t_tracer *t, v6t_record_fn fn, void *ctx);
/*
 * --container, --pod, --unit: user space's answer for a cgroup the kernel had none for, so
 * its later events are kept or dropped in the kernel.
 */
void v6t_tracer_owner_verdict(struct v6t_tracer *t, uint64_t cgroup_id, bool keep);
/* refused: port of proto in netns proved not served: forget it, and its windows' counts. */
void v6t_tracer_forget_served(struct v6t_tracer *t, uint64_t netns, uint16_t port, uint8_t proto);
/* Events the kernel side could not queue since start (ring buffer full). */
uint64_t v6t_tracer_lost(struct v6t_tracer *t);
const struct v6t_plan *v6t_tracer_plan(const struct v6t_tracer *t);
void v6t_tracer_destroy(struct v6t_tracer *t);

#endif

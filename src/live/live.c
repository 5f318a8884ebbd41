// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "libbpf_log.h"
#include "live.h"
#include "output.h"
#include "owner_filter.h"
#include "preflight.h"
#include "pipeline.h"
#include "portsocks.h"
#include "snapshot.h"
#include "stop.h"
#include "tracer.h"
#include "writer.h"

#define POLL_MS 100
#define NS_PER_S 1000000000ULL

/* Where the ring's records go: the pipeline, some after a lookup of their port's sockets. */
struct live {
	struct v6t_pipeline *p;
	struct v6t_owners *owners;
	struct v6t_portsocks *ps;
	struct v6t_tracer *t;	/* once started */
	const struct v6t_config *cfg;
};

/*
 * --container, --pod, --unit: a cgroup the kernel let through had no answer there yet (made
 * since the start): decide it, and tell the kernel, which drops the rest of its events itself.
 */
static void owner_verdict(struct live *l, const struct v6t_sock_event *e)
{
	if (!l->cfg->n_owners || !l->t || !e->cgroup_id)
		return;
	v6t_tracer_owner_verdict(l->t, e->cgroup_id, v6t_owner_filter(l->cfg, e->cgroup_id, e->pid));
}

static int on_record(void *ctx, const void *rec, size_t size)
{
	const struct v6t_sock_event *e = rec;
	struct live *l = ctx;
	bool dropped;
	int stop;

	if (e->hdr.type != V6T_REC_SOCK_EVENT || size < sizeof(*e))
		return v6t_pipeline_push(l->p, rec, size);
	owner_verdict(l, e);
	stop = v6t_portsocks_push(l->ps, l->p, e, &dropped);
	/* nobody serves that port after all: the kernel stops reporting it until one does */
	if (dropped && l->t)
		v6t_tracer_forget_served(l->t, e->netns_ino, e->local_port, e->proto);
	return stop;
}

/* Who holds what, learnt from the events, for the lookups. 0 or -ENOMEM. */
static int live_init(struct live *l, struct v6t_pipeline *p)
{
	int err = v6t_owners_new(&l->owners);

	l->p = p;
	if (!err)
		err = v6t_portsocks_new(&l->ps, l->owners);
	if (!err)
		v6t_pipeline_track_owners(p, l->owners);
	return err;
}

static void live_fini(struct live *l)
{
	v6t_portsocks_free(l->ps);
	v6t_owners_free(l->owners);
}

/*
 * Lost events go into the stream where they happened, after what was queued before them.
 * *reported: the tracer's count already pushed.
 */
static void report_lost(struct v6t_pipeline *p, struct v6t_tracer *t, uint64_t *reported)
{
	uint64_t total = v6t_tracer_lost(t);

	if (total <= *reported)
		return;
	if (!v6t_pipeline_done(p))
		v6t_tracer_drain(t);
	v6t_pipeline_lost(p, v6t_clock_ns(CLOCK_BOOTTIME), total - *reported);
	*reported = total;
}

/* perf record's "Woken up N times": how well the reader's wake-ups were batched */
static void print_reads(const struct v6t_tracer *t, const struct v6t_config *cfg)
{
	struct v6t_reads r;

	v6t_tracer_reads(t, &r);
	fprintf(stderr, "v6trace: read %llu records: %llu wake-ups (one per %llu records on a CPU), "
		"%llu poll timeouts\n", (unsigned long long)r.records, (unsigned long long)r.wakeups,
		(unsigned long long)r.batch, (unsigned long long)r.timeouts);
	if (v6t_summary_only(cfg))
		fprintf(stderr, "v6trace: counted %llu accepts in the kernel (a listener's first is "
			"a record)\n", (unsigned long long)r.counted);
}

static void add_counts(void *p, const struct v6t_count_key *k, const struct v6t_accept_counts *c)
{
	v6t_pipeline_add_counts(p, k, c);
}

/* "bind=fentry,v6only=fentry,..." for the recording's header */
static void describe_backends(const struct v6t_plan *plan, char *out, size_t size)
{
	size_t off = 0;

	out[0] = '\0';
	for (int hook = 0; hook < V6T_HOOK_COUNT && off < size; hook++)
		off += snprintf(out + off, size - off, "%s%s=%s", hook ? "," : "", v6t_hook_name(hook),
				plan->backend[hook] == V6T_BACKEND_AUTO ? "off"
									: v6t_backend_name(plan->backend[hook]));
}

static void signal_ready(int fd)
{
	static const char msg[] = "ready\n";

	if (fd < 0)
		return;
	if (write(fd, msg, sizeof(msg) - 1) < 0)
		fprintf(stderr, "v6trace: warning: cannot write to --ready-fd %d: %s\n", fd, strerror(errno));
	close(fd);
}

int v6t_run_listeners(const struct v6t_config *cfg)
{
	struct v6t_pipeline *p;
	int err, ferr;

	err = v6t_pipeline_new(&p, cfg, v6t_boot_to_wall_offset(), V6T_DISPLAY_DEFAULT);
	if (err)
		return err;
	v6t_pipeline_header(p);
	err = v6t_snapshot(p, cfg);
	ferr = v6t_pipeline_close(p);
	return err ? err : ferr;
}

/* -w: its header says where and how the recording was made */
static int start_recording(struct v6t_pipeline *p, const struct v6t_tracer *t, int64_t boot_to_wall)
{
	struct v6t_file_info info;

	v6t_file_info_local(&info, boot_to_wall);
	describe_backends(v6t_tracer_plan(t), info.backends, sizeof(info.backends));
	return v6t_pipeline_record_to(p, &info);
}

/*
 * The sockets that exist already, after attaching, so nothing falls between the snapshot and
 * the first live event. It adds to tracing: without it (no inet_diag, say) tracing still
 * works. With --event but not listening, none of it would be shown or recorded.
 */
static void snapshot_existing(struct v6t_pipeline *p, const struct v6t_config *cfg)
{
	if (cfg->no_snapshot || (cfg->event_mask && !(cfg->event_mask & (1U << V6T_EV_SOCKET))))
		return;
	if (v6t_snapshot(p, cfg))
		fprintf(stderr,
			"v6trace: warning: existing sockets are not all listed; tracing goes on\n");
}

/*
 * --metrics: the file again once the interval has passed, on the monotonic clock (a wall
 * clock set back would stop it). A failed write is one line on stderr, and the next interval
 * tries again: the collector reads the last good file meanwhile.
 */
static void metrics_tick(struct v6t_pipeline *p, const struct v6t_config *cfg, uint64_t *due)
{
	uint64_t now = v6t_clock_ns(CLOCK_MONOTONIC);

	if (!cfg->metrics_path || now < *due)
		return;
	v6t_pipeline_write_metrics(p);
	*due = now + cfg->metrics_interval_s * NS_PER_S;
}

/* Records into the pipeline until a stop or -n, then what the kernel still holds. */
static int trace(struct live *l, struct v6t_tracer *t, const struct v6t_config *cfg,
		 volatile int *stop)
{
	struct v6t_pipeline *p = l->p;
	uint64_t lost = 0, metrics_due = v6t_clock_ns(CLOCK_MONOTONIC) +
					   cfg->metrics_interval_s * NS_PER_S;
	int err;

	while (!*stop && !v6t_pipeline_done(p)) {
		err = v6t_tracer_poll(t, POLL_MS);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "v6trace: reading the ring buffer failed: %s\n",
				strerror(-err));
			return err;
		}
		report_lost(p, t, &lost);
		err = v6t_pipeline_flush(p);
		if (err)
			return err;
		metrics_tick(p, cfg, &metrics_due);
	}
	/* everything the kernel queued before we stopped is still worth printing */
	if (!v6t_pipeline_done(p))
		v6t_tracer_drain(t);
	report_lost(p, t, &lost);
	/* refused packets still only counted in their window */
	if (!v6t_pipeline_done(p))
		v6t_tracer_refused_tally(t, on_record, l);
	err = 0;
	/* -s -q: the accepts the kernel counted rather than sent */
	if (v6t_summary_only(cfg)) {
		err = v6t_tracer_accept_counts(t, add_counts, p);
		if (err)
			fprintf(stderr, "v6trace: reading the accept counts failed: %s\n",
				strerror(-err));
	}
	if (cfg->verbose)
		print_reads(t, cfg);
	return err;
}

int v6t_run_live(const struct v6t_config *cfg, volatile int *stop)
{
	struct v6t_pipeline *p = NULL;
	struct v6t_tracer *t = NULL;
	struct live l = { 0 };
	int64_t boot_to_wall = v6t_boot_to_wall_offset();
	int err, ferr;

	v6t_libbpf_log_init(cfg->verbose);
	err = v6t_preflight();
	if (err)
		return err;
	err = v6t_pipeline_new(&p, cfg, boot_to_wall, V6T_DISPLAY_DEFAULT);
	if (err)
		return err;
	l.cfg = cfg;
	err = live_init(&l, p);
	if (!err)
		err = v6t_tracer_start(&t, cfg, on_record, &l);
	if (err)
		goto out;
	l.t = t;
	if (cfg->verbose)
		v6t_plan_print(v6t_tracer_plan(t), stderr);
	if (cfg->write_path) {
		err = start_recording(p, t, boot_to_wall);
		if (err)
			goto out;
	}
	v6t_pipeline_header(p);
	snapshot_existing(p, cfg);
	v6t_pipeline_flush(p);
	/* the listeners there are, with no accept counted yet; a file refused ends it here */
	err = v6t_pipeline_write_metrics(p);
	if (err)
		goto out;
	signal_ready(cfg->ready_fd);
	/* -d: a stop like a signal's, so it also ends a write blocked on a full pipe */
	err = v6t_stop_after(cfg->duration_s);
	if (!err)
		err = trace(&l, t, cfg, stop);
out:
	v6t_tracer_destroy(t);
	ferr = v6t_pipeline_close(p);
	live_fini(&l);
	return err ? err : ferr;
}

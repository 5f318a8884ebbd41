// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "clock.h"
#include "libbpf_log.h"
#include "kfeatures.h"
#include "seed.h"
#include "served.h"
#include "skel.h"
#include "cgroup.h"
#include "owner_filter.h"
#include "tracefs.h"
#include "tracer.h"

#define MAX_ATTEMPTS 6

struct v6t_tracer {
	struct v6trace_bpf *skel;
	struct ring_buffer *rb;
	int epfd;		/* the ring, edge-triggered: see watch_ring */
	struct v6t_reads reads;
	struct bpf_link *links[V6T_PLAN_PROGS_MAX];
	int n_links;
	int seed_warned;
	struct v6t_plan plan;
	v6t_record_fn fn;
	void *ctx;
	int ncpus;
	uint64_t *lost_per_cpu;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct v6t_tracer *t = ctx;

	t->reads.records++;
	return t->fn(t->ctx, data, size);
}

static void teardown(struct v6t_tracer *t)
{
	ring_buffer__free(t->rb);
	t->rb = NULL;
	if (t->epfd >= 0)
		close(t->epfd);
	t->epfd = -1;
	for (int i = 0; i < t->n_links; i++)
		bpf_link__destroy(t->links[i]);
	t->n_links = 0;
	v6trace_bpf__destroy(t->skel);
	t->skel = NULL;
}

/* The rodata the programs read: filters, batching, which hooks the tracepoint programs serve. */
static void configure_rodata(struct v6trace_bpf *skel, const struct v6t_config *cfg,
			     const struct v6t_plan *plan)
{
	int ncpus;

	skel->rodata->cfg_filter_pids = cfg->n_pids > 0;
	skel->rodata->cfg_filter_ports = cfg->n_ports > 0;
	skel->rodata->cfg_filter_owners = cfg->n_owners > 0;
	skel->rodata->cfg_filter_uids = cfg->n_uids > 0;
	skel->rodata->cfg_filter_peers = cfg->n_peers > 0;
	skel->rodata->cfg_filter_locals = cfg->n_locals > 0;
	skel->rodata->cfg_mapped_only = cfg->mapped_only;
	skel->rodata->cfg_netns = cfg->netns;
	skel->rodata->cfg_cgroup = cfg->cgroup;
	/* an eighth of the ring over all CPUs: big batches, and far from full when the reader wakes */
	ncpus = libbpf_num_possible_cpus();
	skel->rodata->cfg_wakeup_events = cfg->buffer_kib * 1024ULL / 8 /
					  sizeof(struct v6t_sock_event) / (ncpus > 0 ? ncpus : 1);
	if (!skel->rodata->cfg_wakeup_events)
		skel->rodata->cfg_wakeup_events = 1;
	memcpy((char *)skel->rodata->cfg_comm, cfg->comm, V6T_COMM_LEN);
	/* a program serves several kinds (listen and accept, say): send only those asked for */
	skel->rodata->cfg_events = cfg->event_mask;
	skel->rodata->cfg_setters_traced = plan->backend[V6T_HOOK_V6ONLY] != V6T_BACKEND_AUTO;
	skel->rodata->cfg_count_accepts = v6t_summary_only(cfg);
	skel->rodata->cfg_refused = plan->backend[V6T_HOOK_REFUSED] != V6T_BACKEND_AUTO;
	skel->rodata->cfg_raw_hooks = 0;
	skel->rodata->cfg_state_hooks = 0;
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++) {
		if (plan->backend[hook] != V6T_BACKEND_TRACEPOINT)
			continue;
		/* served by the raw syscall-exit program: no syscall tracepoints for them */
		if (plan->tp_err[hook])
			skel->rodata->cfg_raw_hooks |= 1U << hook;
		/* served by TCP state changes */
		if (hook == V6T_HOOK_ACCEPT || hook == V6T_HOOK_CONNECT)
			skel->rodata->cfg_state_hooks |= 1U << hook;
	}
}

/*
 * $V6TRACE_TEST_REJECT names a program the kernel must refuse to load (a prog_flags bit no
 * kernel defines: EINVAL in bpf_prog_load), so the tests can watch a real load failure be
 * blamed and recovered from on any kernel; nothing else depends on it.
 */
static int reject_for_test(struct v6trace_bpf *skel)
{
	const char *name = getenv("V6TRACE_TEST_REJECT");
	struct bpf_program *prog;

	if (!name || !*name)
		return 0;
	prog = bpf_object__find_program_by_name(skel->obj, name);
	return prog ? bpf_program__set_flags(prog, bpf_program__flags(prog) | 1U << 31) : 0;
}

/* Sets up the opened skeleton for the plan; 0 or -errno. */
static int configure(struct v6trace_bpf *skel, const struct v6t_config *cfg, const struct v6t_plan *plan)
{
	struct v6t_plan_prog progs[V6T_PLAN_PROGS_MAX];
	struct bpf_program *prog;
	int n = v6t_plan_programs(plan, skel, progs);

	if (n < 0)
		return n;
	configure_rodata(skel, cfg, plan);
	/* only what the plan uses is loaded: the other backends' programs may not verify here */
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, false);
	for (int i = 0; i < n; i++)
		bpf_program__set_autoload(progs[i].prog, true);
	if (reject_for_test(skel))
		return -EINVAL;
	return bpf_map__set_max_entries(skel->maps.events, cfg->buffer_kib * 1024);
}

/* n keys of size bytes each, from keys, into a set-like map (value 1) */
static int fill_set(struct bpf_map *map, const void *keys, size_t size, unsigned int n)
{
	uint8_t one = 1;

	for (unsigned int i = 0; i < n; i++)
		if (bpf_map__update_elem(map, (const char *)keys + i * size, size, &one, sizeof(one),
					 BPF_ANY))
			return -errno;
	return 0;
}

/* --peer, --local: the prefixes, already in the tries' key space (cidr.h) */
static int fill_prefixes(struct bpf_map *trie, const struct v6t_cidr *list, unsigned int n)
{
	struct v6t_lpm_key keys[V6T_MAX_PREFIXES];

	for (unsigned int i = 0; i < n; i++) {
		keys[i].prefixlen = list[i].plen;
		memcpy(keys[i].addr, list[i].addr, sizeof(keys[i].addr));
	}
	return fill_set(trie, keys, sizeof(keys[0]), n);
}

struct verdicts {
	const struct v6t_config *cfg;
	int fd;
};

static void put_verdict(void *ctx, uint64_t id, const struct v6t_cgroup_owner *o)
{
	const struct verdicts *v = ctx;
	uint8_t keep = v6t_owner_matches(v->cfg, &o->c);

	bpf_map_update_elem(v->fd, &id, &keep, BPF_ANY);
}

/* --container, --pod, --unit: the kernel's answer for every cgroup there is at start */
static void fill_owner_verdicts(struct v6trace_bpf *skel, const struct v6t_config *cfg)
{
	struct verdicts v = { cfg, bpf_map__fd(skel->maps.owner_verdicts) };

	if (cfg->n_owners)
		v6t_cgroup_each(put_verdict, &v);
}

static int fill_filter_maps(struct v6trace_bpf *skel, const struct v6t_config *cfg)
{
	int err;

	fill_owner_verdicts(skel, cfg);
	err = fill_set(skel->maps.filter_pids, cfg->pids, sizeof(cfg->pids[0]), cfg->n_pids);
	if (!err)
		err = fill_set(skel->maps.filter_ports, cfg->ports, sizeof(cfg->ports[0]), cfg->n_ports);
	if (!err)
		err = fill_set(skel->maps.filter_uids, cfg->uids, sizeof(cfg->uids[0]), cfg->n_uids);
	if (!err)
		err = fill_prefixes(skel->maps.filter_peers, cfg->peers, cfg->n_peers);
	if (!err)
		err = fill_prefixes(skel->maps.filter_locals, cfg->locals, cfg->n_locals);
	return err;
}

/* The best backend the plan uses; a failed load libbpf named no program for is blamed on it. */
static int best_backend_used(const struct v6t_plan *plan)
{
	int best = V6T_BACKEND_TRACEPOINT;

	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++)
		if (plan->backend[hook] != V6T_BACKEND_AUTO && plan->backend[hook] < best)
			best = plan->backend[hook];
	return best;
}

/*
 * Whom a failed load is blamed on: the program libbpf named, if it did, and the backend and
 * hooks (bit 1 << V6T_HOOK_*) it serves; else the best backend and every hook it serves.
 */
static unsigned int blame_load(const struct v6t_tracer *t, const char **prog, int *backend)
{
	struct bpf_program *p = NULL;
	unsigned int hooks = 0;

	*prog = v6t_libbpf_failed_prog();
	if (**prog)
		p = bpf_object__find_program_by_name(t->skel->obj, *prog);
	if (p)
		hooks = v6t_plan_hooks_of(&t->plan, t->skel, p, backend);
	if (hooks)
		return hooks;
	*prog = "";
	*backend = best_backend_used(&t->plan);
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++)
		if (t->plan.backend[hook] == *backend)
			hooks |= 1U << hook;
	return hooks;
}

/* "bind, v6only": the names of the hooks in mask. */
static const char *hook_list(unsigned int mask, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++)
		if (mask & (1U << hook))
			len += snprintf(buf + len, len < size ? size - len : 0, "%s%s", len ? ", " : "",
					v6t_hook_name(hook));
	return buf;
}

/*
 * A syscalls:sys_exit_* program, attached by tracepoint id through a perf event: libbpf's own
 * attach looks for tracefs only where it is usually mounted.
 */
static struct bpf_link *attach_syscall_tp(struct bpf_program *prog, const char *event)
{
	struct perf_event_attr attr = {};
	struct bpf_link *link;
	int id, fd;

	id = v6t_tracepoint_id("syscalls", event);
	if (id < 0) {
		errno = -id;
		return NULL;
	}
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = id;
	/* one event serves every CPU: the program hangs off the tracepoint, not the event */
	fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return NULL;
	link = bpf_program__attach_perf_event(prog, fd);
	if (!link) {
		int err = errno;

		close(fd);
		errno = err;
	}
	return link;	/* destroying the link closes fd */
}

/*
 * Seeds the listeners older than the trace (see seed.h) before the programs are attached, so
 * no accept can be reported before its listener is known; and again after, for listeners made
 * in between, whose listen() nothing saw. Attribution is all it adds, so a failure only warns.
 */
static void seed_listeners(struct v6t_tracer *t, uint64_t netns)
{
	if (v6t_seed_listeners(t->skel, netns) && !t->seed_warned) {
		t->seed_warned = 1;
		fprintf(stderr, "v6trace: warning: cannot list existing listeners; connections to them "
			"are shown with the listener not known\n");
	}
}

/*
 * refused: the ports served by sockets older than the trace, once attached, so none made in
 * between is missed (one counted twice only costs a lookup, see v6t_port_key). Without it the
 * packets for those ports go unreported: a warning.
 */
static void seed_served(struct v6t_tracer *t, uint64_t netns)
{
	int err;

	if (t->plan.backend[V6T_HOOK_REFUSED] == V6T_BACKEND_AUTO)
		return;
	err = v6t_served_seed(bpf_map__fd(t->skel->maps.served_ports), netns);
	if (err)
		fprintf(stderr, "v6trace: warning: cannot list the ports served before tracing (%s); "
			"packets refused on them may go unreported\n", strerror(-err));
}

/* Attaches every program of the plan; on failure reports which hook failed. */
static int attach_all(struct v6t_tracer *t, int *failed_hook)
{
	struct v6t_plan_prog progs[V6T_PLAN_PROGS_MAX];
	int n = v6t_plan_programs(&t->plan, t->skel, progs);

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		struct bpf_link *link;

		/* an iterator is run, not attached: see seed_listeners */
		if (bpf_program__expected_attach_type(progs[i].prog) == BPF_TRACE_ITER)
			continue;
		if (progs[i].tp_event)
			link = attach_syscall_tp(progs[i].prog, progs[i].tp_event);
		else
			link = bpf_program__attach(progs[i].prog);
		if (!link) {
			*failed_hook = progs[i].hook;
			return -errno;
		}
		t->links[t->n_links++] = link;
	}
	return 0;
}

/*
 * The ring's epoll readiness is "holds data", so a level-triggered wait (libbpf's
 * ring_buffer__poll) returns at once whenever a record has arrived since the last read: under
 * a connection storm the reader hardly slept, and took 2,235 turns of epoll_wait, a read of
 * the lost counter and a write() for 60,000 events. Edge-triggered, the wait ends only on
 * the kernel's wake-up, which v6t_send forces once a CPU has queued cfg_wakeup_events
 * records, or at the timeout: 148 turns for the same storm, and no more delay when quiet
 * (records below a batch never woke the reader either way; the timeout collects them).
 */
static int watch_ring(struct v6t_tracer *t)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0)
		return -errno;
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, bpf_map__fd(t->skel->maps.events), &ev))
		return -errno;
	return 0;
}

/* Try again: auto had another backend to fall back on (see try_plan). */
#define RETRY 1

/* The hooks tracing goes on without: with --event none, with the kinds -q implies as without. */
static unsigned int hooks_optional(const struct v6t_config *cfg)
{
	return v6t_hooks_optional(cfg->event_mask_implied ? 0 : cfg->event_mask);
}

/* Non-zero if hooks are all ones tracing goes on without (see v6t_hooks_optional). */
static int optional_only(unsigned int hooks, const struct v6t_config *cfg)
{
	return hooks && !(hooks & ~hooks_optional(cfg));
}

/*
 * The load failed: say which program and backend, and under auto exclude that backend for the
 * hooks the program serves; the next try plans those hooks on the next backend.
 */
static int load_failed(struct v6t_tracer *t, const struct v6t_config *cfg, unsigned int *excluded,
		       int err)
{
	char names[64], what[128] = "";
	const char *prog;
	int b;
	unsigned int hooks = blame_load(t, &prog, &b);

	hook_list(hooks, names, sizeof(names));
	if (*prog)
		snprintf(what, sizeof(what), "program %s, ", prog);
	/* an optional hook's program goes off instead (the next plan finds no backend for it) */
	if (!optional_only(hooks, cfg) &&
	    (b == V6T_BACKEND_TRACEPOINT || cfg->backend != V6T_BACKEND_AUTO)) {
		fprintf(stderr, "v6trace: cannot load the BPF programs (%sthe %s backend's, for %s): %s%s\n",
			what, v6t_backend_name(b), names, strerror(-err),
			cfg->verbose ? "" : " (run with -v for libbpf's log)");
		return err;
	}
	fprintf(stderr, "v6trace: warning: the %s backend failed to load (%sfor %s): %s; "
		"auto tries the next backend for %s\n", v6t_backend_name(b), what, names, strerror(-err),
		names);
	for (int hook = 0; hook < V6T_HOOK_COUNT; hook++)
		if (hooks & (1U << hook))
			excluded[hook] |= 1U << b;
	teardown(t);
	return RETRY;
}

/* An attach failed: under auto, that hook's backend is excluded for it. */
static int attach_failed(struct v6t_tracer *t, const struct v6t_config *cfg, unsigned int *excluded,
			 int failed_hook, int err)
{
	int b = failed_hook >= 0 ? t->plan.backend[failed_hook] : V6T_BACKEND_TRACEPOINT;

	if (!(failed_hook >= 0 && optional_only(1U << failed_hook, cfg)) &&
	    (b == V6T_BACKEND_TRACEPOINT || cfg->backend != V6T_BACKEND_AUTO)) {
		fprintf(stderr, "v6trace: cannot attach the %s hook (%s backend): %s\n",
			v6t_hook_name(failed_hook), v6t_backend_name(b), strerror(-err));
		return err;
	}
	fprintf(stderr, "v6trace: warning: the %s backend failed to attach %s, falling back\n",
		v6t_backend_name(b), v6t_hook_name(failed_hook));
	excluded[failed_hook] |= 1U << b;
	teardown(t);
	return RETRY;
}

/*
 * One try: choose a plan, then open, load and attach it. 0 once attached; RETRY when a
 * backend failed under auto and is now in excluded; else -errno after one line on stderr.
 */
static int try_plan(struct v6t_tracer *t, const struct v6t_config *cfg, unsigned int *excluded)
{
	int failed_hook = -1, err;

	err = v6t_plan_choose(&t->plan, cfg->backend, v6t_hooks_for_events(cfg->event_mask),
			      hooks_optional(cfg), excluded, stderr);
	if (err)
		return err;
	v6t_kernel_btf_release();
	t->skel = v6trace_bpf__open();
	if (!t->skel) {
		err = -errno;
		fprintf(stderr, "v6trace: cannot open the BPF object: %s\n", strerror(-err));
		return err;
	}
	err = configure(t->skel, cfg, &t->plan);
	if (err) {
		fprintf(stderr, "v6trace: cannot set up the BPF object: %s\n", strerror(-err));
		return err;
	}
	v6t_libbpf_log_reset();
	err = v6trace_bpf__load(t->skel);
	if (err)
		return load_failed(t, cfg, excluded, err);
	err = fill_filter_maps(t->skel, cfg);
	if (err) {
		fprintf(stderr, "v6trace: cannot set up the filters: %s\n", strerror(-err));
		return err;
	}
	seed_listeners(t, cfg->netns);
	err = attach_all(t, &failed_hook);
	if (err)
		return attach_failed(t, cfg, excluded, failed_hook, err);
	return 0;
}

/* Once attached: the ring buffer, its wake-ups and the per-CPU lost counts. 0 or -errno. */
static int start_reading(struct v6t_tracer *t)
{
	int err;

	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_sample, t, NULL);
	if (!t->rb) {
		err = -errno;
		fprintf(stderr, "v6trace: cannot set up the ring buffer: %s\n", strerror(-err));
		return err;
	}
	err = watch_ring(t);
	if (err) {
		fprintf(stderr, "v6trace: cannot wait on the ring buffer: %s\n", strerror(-err));
		return err;
	}
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus <= 0) {
		err = t->ncpus ? t->ncpus : -EINVAL;
		fprintf(stderr, "v6trace: cannot count CPUs: %s\n", strerror(-err));
		return err;
	}
	t->lost_per_cpu = calloc(t->ncpus, sizeof(uint64_t));
	return t->lost_per_cpu ? 0 : -ENOMEM;
}

int v6t_tracer_start(struct v6t_tracer **out, const struct v6t_config *cfg, v6t_record_fn fn, void *ctx)
{
	unsigned int excluded[V6T_HOOK_COUNT] = {};
	struct v6t_tracer *t;
	int err = RETRY;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->epfd = -1;
	t->fn = fn;
	t->ctx = ctx;
	for (int attempt = 0; attempt < MAX_ATTEMPTS && err == RETRY; attempt++)
		err = try_plan(t, cfg, excluded);
	if (err == RETRY) {
		err = -ENOEXEC;
		fprintf(stderr, "v6trace: no backend could be attached\n");
	}
	if (err)
		goto fail;
	/* again, for listeners made between the first run and the attach */
	seed_listeners(t, cfg->netns);
	seed_served(t, cfg->netns);
	err = start_reading(t);
	if (err)
		goto fail;
	*out = t;
	return 0;
fail:
	v6t_tracer_destroy(t);
	return err;
}

int v6t_tracer_poll(struct v6t_tracer *t, int timeout_ms)
{
	struct epoll_event ev;
	int n = epoll_wait(t->epfd, &ev, 1, timeout_ms);

	if (n < 0)
		return -errno;
	if (n)
		t->reads.wakeups++;
	else
		t->reads.timeouts++;
	/* woken or timed out: either way take everything queued, below the wake-up batch too */
	return ring_buffer__consume(t->rb);
}

void v6t_tracer_reads(const struct v6t_tracer *t, struct v6t_reads *r)
{
	*r = t->reads;
	r->batch = t->skel ? t->skel->rodata->cfg_wakeup_events : 0;
}

int v6t_tracer_drain(struct v6t_tracer *t)
{
	return ring_buffer__consume(t->rb);
}

uint64_t v6t_tracer_lost(struct v6t_tracer *t)
{
	uint32_t zero = 0;
	uint64_t sum = 0;

	if (bpf_map__lookup_elem(t->skel->maps.lost_events, &zero, sizeof(zero), t->lost_per_cpu,
				 t->ncpus * sizeof(uint64_t), 0))
		return 0;
	for (int i = 0; i < t->ncpus; i++)
		sum += t->lost_per_cpu[i];
	return sum;
}

int v6t_tracer_accept_counts(struct v6t_tracer *t, v6t_counts_fn fn, void *ctx)
{
	struct bpf_map *map = t->skel->maps.accept_counts;
	struct v6t_accept_counts *per_cpu, sum;
	struct v6t_count_key key, next;
	void *prev = NULL;
	int err = 0;

	per_cpu = calloc(t->ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	while (!bpf_map__get_next_key(map, prev, &next, sizeof(next))) {
		key = next;
		prev = &key;
		if (bpf_map__lookup_elem(map, &key, sizeof(key), per_cpu, t->ncpus * sizeof(*per_cpu), 0)) {
			err = -errno;
			break;
		}
		memset(&sum, 0, sizeof(sum));
		for (int i = 0; i < t->ncpus; i++)
			v6t_accept_counts_merge(&sum, &per_cpu[i]);
		t->reads.counted += v6t_accept_counts_total(&sum);
		fn(ctx, &key, &sum);
	}
	free(per_cpu);
	return err;
}

/* The window's last event, standing for the packets refused since (V6T_F_TALLY). */
static void make_tally(struct v6t_sock_event *e, const struct v6t_refused_window *w, uint64_t now)
{
	*e = w->last;
	e->ts_boot_ns = now;
	e->suppressed = w->suppressed - 1 > UINT32_MAX ? UINT32_MAX : w->suppressed - 1;
	e->flags = (e->flags & ~V6T_F_HAS_PEER) | V6T_F_TALLY;
	memset(e->peer_addr, 0, sizeof(e->peer_addr));
	e->peer_port = 0;
}

int v6t_tracer_refused_tally(struct v6t_tracer *t, v6t_record_fn fn, void *ctx)
{
	struct bpf_map *map = t->skel->maps.refused_windows;
	uint64_t now = v6t_clock_ns(CLOCK_BOOTTIME);
	struct v6t_refused_key key, next;
	struct v6t_refused_window w;
	struct v6t_sock_event e;
	void *prev = NULL;

	if (t->plan.backend[V6T_HOOK_REFUSED] == V6T_BACKEND_AUTO)
		return 0;
	while (!bpf_map__get_next_key(map, prev, &next, sizeof(next))) {
		key = next;
		prev = &key;
		if (bpf_map__lookup_elem(map, &key, sizeof(key), &w, sizeof(w), 0))
			return -errno;
		if (!w.suppressed || w.last.kind != V6T_EV_REFUSED)
			continue;
		make_tally(&e, &w, now);
		if (fn(ctx, &e, sizeof(e)))
			break;
	}
	return 0;
}

void v6t_tracer_owner_verdict(struct v6t_tracer *t, uint64_t cgroup_id, bool keep)
{
	uint8_t v = keep;

	bpf_map__update_elem(t->skel->maps.owner_verdicts, &cgroup_id, sizeof(cgroup_id), &v,
			     sizeof(v), BPF_ANY);
}

void v6t_tracer_forget_served(struct v6t_tracer *t, uint64_t netns, uint16_t port, uint8_t proto)
{
	static const uint16_t families[] = { V6T_AF_INET, V6T_AF_INET6 };
	struct v6t_refused_key k = { .netns_ino = netns, .port = port, .proto = proto };

	if (t->plan.backend[V6T_HOOK_REFUSED] == V6T_BACKEND_AUTO)
		return;
	v6t_served_forget(bpf_map__fd(t->skel->maps.served_ports), netns, port, proto);
	/* and its windows: once served again, its first refused packet is news at once */
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		k.family = families[i];
		bpf_map__delete_elem(t->skel->maps.refused_windows, &k, sizeof(k), 0);
	}
}

const struct v6t_plan *v6t_tracer_plan(const struct v6t_tracer *t)
{
	return &t->plan;
}

void v6t_tracer_destroy(struct v6t_tracer *t)
{
	if (!t)
		return;
	teardown(t);
	v6t_tracefs_close();
	free(t->lost_per_cpu);
	free(t);
}

// SPDX-License-Identifier: GPL-2.0
/* v6trace: wires options, preflight checks, the tracer and the output together. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "decode.h"
#include "options.h"
#include "output.h"
#include "preflight.h"
#include "sink.h"
#include "tracer.h"

#define POLL_MS 100

static volatile sig_atomic_t stop_requested;

struct run {
	const struct v6t_config *cfg;
	struct v6t_sink out;
	int64_t boot_to_wall;
	uint64_t printed;
	uint64_t lost_reported;
	int done;	/* count reached or output closed */
};

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	/* a closed reader shows up as EPIPE from write(2), handled where it happens */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int verbosity;

/* -v shows libbpf's warnings, -vv its whole (very long) debug log */
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && verbosity < 2)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void emit_line(struct run *r, struct strbuf *sb)
{
	if (v6t_sink_write(&r->out, sb->buf, sb->len))
		r->done = 1;
}

static int on_record(void *ctx, const void *rec, size_t size)
{
	const struct v6t_rec_hdr *hdr = rec;
	struct run *r = ctx;
	struct v6t_view view;
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);

	if (r->done)
		return 1;
	if (size < sizeof(*hdr) || hdr->size > size)
		return 0;
	switch (hdr->type) {
	case V6T_REC_SOCK_EVENT:
		if (hdr->size < sizeof(struct v6t_sock_event))
			return 0;
		v6t_decode(rec, r->boot_to_wall, &view);
		if (r->cfg->json)
			v6t_json_event(&sb, &view);
		else
			v6t_text_event(&sb, &view);
		emit_line(r, &sb);
		if (r->cfg->count && ++r->printed >= r->cfg->count)
			r->done = 1;
		break;
	default:
		/* a record type this build does not know: skip it, the size says how far */
		break;
	}
	return r->done;
}

static uint64_t now_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Lost events are reported where they happen in the stream, never silently. */
static void report_lost(struct run *r, struct v6t_tracer *t)
{
	uint64_t total = v6t_tracer_lost(t);
	char line[256];
	struct strbuf sb = STRBUF_ON(line);

	if (total <= r->lost_reported)
		return;
	/* what is still queued was produced before these losses: print it first */
	if (!r->done)
		v6t_tracer_drain(t);
	if (r->cfg->json) {
		v6t_json_lost(&sb, now_wall_ns(), total - r->lost_reported, total);
		emit_line(r, &sb);
	} else {
		v6t_text_lost(&sb, total - r->lost_reported, total);
		fputs(sb.buf, stderr);
	}
	r->lost_reported = total;
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

static int trace(const struct v6t_config *cfg)
{
	static struct run r;	/* static: the 64 KiB output buffer does not belong on the stack */
	struct v6t_tracer *t = NULL;
	struct timespec start, now;
	int err;

	r.cfg = cfg;
	v6t_sink_init(&r.out, STDOUT_FILENO);
	err = install_signals();
	if (err)
		return err;
	verbosity = cfg->verbose;
	libbpf_set_print(cfg->verbose ? libbpf_log : libbpf_quiet);
	err = v6t_preflight();
	if (err)
		return err;
	err = v6t_tracer_start(&t, cfg, on_record, &r);
	if (err)
		return err;
	if (cfg->verbose)
		v6t_plan_print(v6t_tracer_plan(t), stderr);
	r.boot_to_wall = v6t_boot_to_wall_offset();
	if (!cfg->json) {
		char line[256];
		struct strbuf sb = STRBUF_ON(line);

		v6t_text_header(&sb);
		emit_line(&r, &sb);
	}
	v6t_sink_flush(&r.out);
	signal_ready(cfg->ready_fd);
	clock_gettime(CLOCK_MONOTONIC, &start);

	while (!stop_requested && !r.done) {
		err = v6t_tracer_poll(t, POLL_MS);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "v6trace: reading the ring buffer failed: %s\n", strerror(-err));
			goto out;
		}
		err = 0;
		report_lost(&r, t);
		v6t_sink_flush(&r.out);
		if (cfg->duration_s) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if ((now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec) >=
			    (int64_t)cfg->duration_s * 1000000000LL)
				break;
		}
	}
	/* everything the kernel queued before we stopped is still worth printing */
	if (!r.done)
		v6t_tracer_drain(t);
	report_lost(&r, t);
	v6t_sink_flush(&r.out);
out:
	v6t_tracer_destroy(t);
	if (r.out.err && r.out.err != -EPIPE) {
		fprintf(stderr, "v6trace: writing the output failed: %s\n", strerror(-r.out.err));
		return r.out.err;
	}
	return err;
}

int main(int argc, char **argv)
{
	struct v6t_config cfg;

	switch (v6t_parse_options(argc, argv, &cfg, stdout, stderr)) {
	case V6T_OPT_DONE:
		return 0;
	case V6T_OPT_BAD:
		return 2;
	case V6T_OPT_RUN:
		break;
	}
	return trace(&cfg) ? 1 : 0;
}

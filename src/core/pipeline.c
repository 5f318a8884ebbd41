// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cgroup.h"
#include "decode.h"
#include "filter.h"
#include "metrics.h"
#include "output.h"
#include "owners.h"
#include "pipeline.h"
#include "sink.h"
#include "summary.h"
#include "writer.h"

struct v6t_pipeline {
	const struct v6t_config *cfg;
	struct v6t_writer *writer;	/* -w, or NULL */
	struct v6t_summary *summary;	/* -s or --metrics, or NULL */
	struct v6t_metrics *metrics;	/* --metrics, or NULL */
	bool metrics_written;		/* once at least */
	bool display;			/* print events (not -q, and stdout is not the recording) */
	bool color;			/* ANSI colours in the text display */
	bool done;			/* -n reached, or the output is gone */
	int64_t boot_to_wall;		/* of the records coming in (replay: of their run) */
	int64_t writer_clock;		/* -w: the recording's, in its header */
	uint64_t printed;
	uint64_t lost_total;
	struct v6t_sink out;		/* events and summary */
	struct v6t_owners *owners;	/* live: told of every socket, or NULL */
	/* the port's sockets, waiting for the event they belong to (the next record) */
	bool socks_pending;
	union {
		struct v6t_port_socks_rec rec;
		unsigned char bytes[sizeof(struct v6t_port_socks_rec) +
				    V6T_PORT_SOCKS_MAX * sizeof(struct v6t_port_sock)];
	} socks;
};

int v6t_pipeline_new(struct v6t_pipeline **out, const struct v6t_config *cfg, int64_t boot_to_wall,
		     int display_fd)
{
	bool recording_on_stdout = cfg->write_path && !strcmp(cfg->write_path, "-");
	/* the output buffer is large: on the heap, once */
	struct v6t_pipeline *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->cfg = cfg;
	p->boot_to_wall = boot_to_wall;
	p->display = !cfg->quiet && !recording_on_stdout;
	if (display_fd == V6T_DISPLAY_DEFAULT)
		display_fd = recording_on_stdout ? STDERR_FILENO : STDOUT_FILENO;
	v6t_sink_init(&p->out, display_fd);
	/* https://no-color.org: a set, non-empty NO_COLOR turns automatic colour off */
	if (cfg->color == V6T_COLOR_ALWAYS)
		p->color = !cfg->json;
	else if (cfg->color == V6T_COLOR_AUTO)
		p->color = !cfg->json && isatty(p->out.fd) && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	/* the metrics' listeners are the summary's: one table, printed or not */
	if (cfg->summary || cfg->metrics_path) {
		p->summary = v6t_summary_new(cfg->wide);
		if (!p->summary)
			goto nomem;
	}
	if (cfg->metrics_path) {
		p->metrics = v6t_metrics_new(cfg->metrics_path);
		if (!p->metrics)
			goto nomem;
	}
	*out = p;
	return 0;
nomem:
	v6t_summary_free(p->summary);
	free(p);
	return -ENOMEM;
}

int v6t_pipeline_record_to(struct v6t_pipeline *p, const struct v6t_file_info *info)
{
	struct v6t_writer_opts wo = {
		.path = p->cfg->write_path,
		.rotate_bytes = p->cfg->rotate_bytes,
		.keep_files = p->cfg->rotate_keep,
		.file_mode = p->cfg->file_mode,
		.input = p->cfg->read_id,
	};

	p->writer_clock = info->boot_to_wall_ns;
	return v6t_writer_open(&p->writer, &wo, info);
}

void v6t_pipeline_header(struct v6t_pipeline *p)
{
	char line[256];
	struct strbuf sb = STRBUF_ON(line);

	if (!p->display || p->cfg->json)
		return;
	v6t_text_header(&sb, V6T_ROW_EVENT);
	v6t_sink_write(&p->out, sb.buf, sb.len);
}

/*
 * The display failed. A reader gone (EPIPE) ends the session, as for any filter; a display cut
 * for blocking past a stop (ECANCELED) only ends the display: the recording gets every event.
 */
static void display_failed(struct v6t_pipeline *p)
{
	if (p->out.err == -ECANCELED)
		p->display = false;
	else
		p->done = true;
}

static void emit(struct v6t_pipeline *p, const struct strbuf *sb)
{
	if (v6t_sink_write(&p->out, sb->buf, sb->len))
		display_failed(p);
}

static void record(struct v6t_pipeline *p, const void *rec, size_t size)
{
	if (p->writer && v6t_writer_add(p->writer, rec, size))
		p->done = true;
}

_Static_assert(offsetof(struct v6t_lost, ts_boot_ns) == offsetof(struct v6t_sock_event, ts_boot_ns) &&
	       offsetof(struct v6t_port_socks_rec, ts_boot_ns) ==
	       offsetof(struct v6t_sock_event, ts_boot_ns),
	       "on_writer_clock shifts all three the same way");

/* A record as the recording's clock has it: rec itself, or copy. */
union timed_copy {
	struct v6t_sock_event e;
	struct v6t_lost l;
	unsigned char socks[sizeof(((struct v6t_pipeline *)0)->socks)];
};

/*
 * A recording has one clock, its header's. Following a chain into a new run (a restarted
 * recorder, maybe after a reboot) brings records on another: they are written on the
 * recording's, so that replaying it shows the times the display showed.
 */
static const void *on_writer_clock(struct v6t_pipeline *p, const void *rec, size_t size,
				   union timed_copy *copy)
{
	int64_t shift = p->boot_to_wall - p->writer_clock;

	if (!shift || size > sizeof(*copy))
		return rec;
	memcpy(copy, rec, size);
	/* an event before the recording's boot cannot be written on its clock: at its start */
	if (shift < 0 && copy->l.ts_boot_ns < (uint64_t)-shift)
		copy->l.ts_boot_ns = 0;
	else
		copy->l.ts_boot_ns += shift;
	return copy;
}

static void record_timed(struct v6t_pipeline *p, const void *rec, size_t size)
{
	union timed_copy copy;

	if (p->writer)
		record(p, on_writer_clock(p, rec, size, &copy), size);
}

/* An event, its port's sockets (or NULL) and the owners they name, in one file. */
static void record_event(struct v6t_pipeline *p, const struct v6t_port_socks_rec *socks,
			 const struct v6t_sock_event *e)
{
	union timed_copy ec, sc;

	/* the recording says which namespaces it saw, and their bindv6only */
	if (v6t_writer_add_netns(p->writer, e->netns_ino, e->sysctl_v6only))
		p->done = true;
	if (socks)
		socks = on_writer_clock(p, socks, socks->hdr.size, &sc);
	e = on_writer_clock(p, e, sizeof(*e), &ec);
	if (v6t_writer_add_event(p->writer, socks, e))
		p->done = true;
}

/* The line is built where it will be written, in the output buffer: no copy per event. */
static void display(struct v6t_pipeline *p, struct v6t_view *v)
{
	struct strbuf sb;
	size_t max = V6T_LINE_MAX + (v->socks ? V6T_PORT_SOCKS_LINE_MAX : 0);

	if (v6t_sink_begin(&p->out, &sb, max)) {
		display_failed(p);
		return;
	}
	v6t_explain(v, p->cfg->wide);
	if (p->cfg->json)
		v6t_json_row(&sb, V6T_ROW_EVENT, v);
	else
		v6t_text_row(&sb, V6T_ROW_EVENT, v, p->color ? V6T_OUT_COLOR : 0);
	v6t_sink_commit(&p->out, &sb);
}

/* The sockets looked up for e, if they came just before it; taken once either way. */
static const struct v6t_port_socks_rec *take_socks(struct v6t_pipeline *p,
						   const struct v6t_sock_event *e)
{
	bool mine = p->socks_pending && p->socks.rec.ts_boot_ns == e->ts_boot_ns;

	p->socks_pending = false;
	return mine ? &p->socks.rec : NULL;
}

/* Decoded once: filters, summary and display read the view; the recording takes the record. */
static void on_sock_event(struct v6t_pipeline *p, const struct v6t_sock_event *e)
{
	const struct v6t_port_socks_rec *socks = take_socks(p, e);
	struct v6t_view v;

	v6t_owners_note(p->owners, e);
	v6t_decode(e, p->boot_to_wall, &v);
	if (socks)
		v6t_view_attach_socks(&v, socks);
	/*
	 * Live events passed the same filters in the kernel, but the start-up snapshot's did not:
	 * a recording holds what the filters select, as the display does, whatever the source.
	 */
	if (!v6t_filter_match(p->cfg, &v))
		return;
	if (p->writer)
		record_event(p, v.socks, e);
	if (p->summary)
		v6t_summary_add(p->summary, &v);
	if (p->metrics)
		v6t_metrics_add(p->metrics, &v);
	if (p->display)
		display(p, &v);
	if (p->cfg->count && ++p->printed >= p->cfg->count)
		p->done = true;
}

/*
 * Lost events stay in the stream where they happened, a row in text or JSON; when no events
 * are displayed, they are a warning on stderr.
 */
static void on_lost(struct v6t_pipeline *p, const struct v6t_lost *l)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);
	struct v6t_view v;

	/* only a crafted file holds a gap of no events, or counts whose total passes 2^64 - 1 */
	if (!l->count)
		return;
	record_timed(p, l, sizeof(*l));
	if (l->count > UINT64_MAX - p->lost_total)
		p->lost_total = UINT64_MAX;
	else
		p->lost_total += l->count;
	v6t_view_lost(&v, l->ts_boot_ns + p->boot_to_wall, l->count, p->lost_total,
		      p->cfg->read_path != NULL);
	if (!p->display) {
		v6t_lost_warning(&sb, &v);
		fputs(sb.buf, stderr);
	} else if (p->cfg->json) {
		v6t_json_row(&sb, V6T_ROW_LOST, &v);
		emit(p, &sb);
	} else {
		v6t_text_row(&sb, V6T_ROW_LOST, &v, 0);
		emit(p, &sb);
	}
}

static void keep_socks(struct v6t_pipeline *p, const struct v6t_port_socks_rec *r, size_t size)
{
	if (!v6t_port_socks_valid(r, size))
		return;
	memcpy(&p->socks, r, r->hdr.size);
	p->socks_pending = true;
}

void v6t_pipeline_track_owners(struct v6t_pipeline *p, struct v6t_owners *owners)
{
	p->owners = owners;
}

void v6t_pipeline_set_clock(struct v6t_pipeline *p, int64_t boot_to_wall)
{
	p->boot_to_wall = boot_to_wall;
}

bool v6t_pipeline_push(struct v6t_pipeline *p, const struct v6t_rec_hdr *rec, size_t size)
{
	struct v6t_netns_rec n;

	if (size < sizeof(*rec) || rec->size > size)
		return p->done;
	/* a gap is reported even once -n is reached: a recording must not miss its gaps */
	if (p->done && rec->type != V6T_REC_LOST)
		return p->done;
	/* a list of sockets belongs to the record right after it, or to none */
	if (rec->type != V6T_REC_SOCK_EVENT)
		p->socks_pending = false;
	switch (rec->type) {
	case V6T_REC_PORT_SOCKS:
		keep_socks(p, (const struct v6t_port_socks_rec *)rec, size);
		break;
	case V6T_REC_SOCK_EVENT:
		if (rec->size >= sizeof(struct v6t_sock_event))
			on_sock_event(p, (const struct v6t_sock_event *)rec);
		break;
	case V6T_REC_LOST:
		if (rec->size >= sizeof(struct v6t_lost))
			on_lost(p, (const struct v6t_lost *)rec);
		break;
	case V6T_REC_OWNER:
		/* consulted by v6t_cgroup_owner() when replaying a recording that keeps owners */
		if (rec->size == sizeof(struct v6t_owner_rec))
			v6t_cgroup_recorded((const struct v6t_owner_rec *)rec);
		break;
	case V6T_REC_NETNS:
		if (rec->size < sizeof(n) || !p->writer)
			break;
		memcpy(&n, rec, sizeof(n));
		/* a namespace -N leaves out is not in the recording either */
		if ((!p->cfg->netns || n.info.netns_ino == p->cfg->netns) &&
		    v6t_writer_add_netns(p->writer, n.info.netns_ino, n.info.bindv6only))
			p->done = true;
		break;
	default:
		/* a record type from a newer version: its size says how far to skip */
		break;
	}
	return p->done;
}

bool v6t_pipeline_lost(struct v6t_pipeline *p, uint64_t ts_boot_ns, uint64_t count)
{
	struct v6t_lost l = {
		.hdr = { .type = V6T_REC_LOST, .size = sizeof(l) },
		.ts_boot_ns = ts_boot_ns,
		.count = count,
	};

	return v6t_pipeline_push(p, &l.hdr, sizeof(l));
}

void v6t_pipeline_add_counts(struct v6t_pipeline *p, const struct v6t_count_key *k,
			     const struct v6t_accept_counts *c)
{
	if (p->summary)
		v6t_summary_add_counts(p->summary, k, c);
}

int v6t_pipeline_write_metrics(struct v6t_pipeline *p)
{
	int err;

	if (!p->metrics)
		return 0;
	err = v6t_metrics_write(p->metrics, p->summary, p->lost_total);
	/* a file refused the first time (a link, another's) is refused for good: said once */
	if (err && !p->metrics_written) {
		v6t_metrics_free(p->metrics);
		p->metrics = NULL;
	}
	p->metrics_written = p->metrics_written || !err;
	return err;
}

bool v6t_pipeline_done(const struct v6t_pipeline *p)
{
	return p->done;
}

int v6t_pipeline_flush(struct v6t_pipeline *p)
{
	int err = 0;

	if (p->writer)
		err = v6t_writer_flush(p->writer);
	v6t_sink_flush(&p->out);
	if (p->out.err && p->out.err != -EPIPE && p->out.err != -ECANCELED) {
		fprintf(stderr, "v6trace: writing the output failed: %s\n", strerror(-p->out.err));
		return p->out.err;
	}
	if (p->out.err)
		display_failed(p);
	return err;
}

int v6t_pipeline_close(struct v6t_pipeline *p)
{
	int err, werr, merr;

	if (!p)
		return 0;
	if (p->summary && p->cfg->summary)
		v6t_summary_print(p->summary, &p->out, p->cfg->json);
	/* the last word: everything counted, the end of a replay or of live tracing */
	merr = v6t_pipeline_write_metrics(p);
	v6t_metrics_free(p->metrics);
	v6t_summary_free(p->summary);
	err = v6t_pipeline_flush(p);
	werr = v6t_writer_close(p->writer);
	free(p);
	return err ? err : werr ? werr : merr;
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "metrics.h"
#include "outfile.h"
#include "output.h"

#define PEER_CLASSES 3
/* node_exporter reads the file as a user of its own; nothing in it is secret from ss(8) */
#define METRICS_MODE 0644

/* V6T_PEER_* as label values, in the order the file lists them */
static const struct {
	int peer;
	const char *name;
} peer_classes[PEER_CLASSES] = {
	{ V6T_PEER_MAPPED, "ipv4_mapped" },
	{ V6T_PEER_IPV4, "ipv4" },
	{ V6T_PEER_IPV6, "ipv6" },
};

/* Refused packets of one (netns, port, proto, family), as the kernel rate-limits them. */
struct refused_count {
	uint64_t netns;
	uint64_t packets;
	const char *proto_name, *family_name;	/* the view's */
	uint16_t port;
	uint16_t family;
	uint8_t proto;
};

struct v6t_metrics {
	const char *path;
	uint64_t connects[PEER_CLASSES];	/* by V6T_PEER_* */
	struct refused_count *refused;
	unsigned int n_refused, cap_refused;
	uint64_t refused_untracked;		/* out of memory for another key */
	struct v6t_sink out;			/* the file's buffer: large, so here, once */
};

struct v6t_metrics *v6t_metrics_new(const char *path)
{
	struct v6t_metrics *m = calloc(1, sizeof(*m));

	if (m)
		m->path = path;
	return m;
}

void v6t_metrics_free(struct v6t_metrics *m)
{
	if (!m)
		return;
	free(m->refused);
	free(m);
}

/* Refused events are at most one a second per key: a scan of the keys costs nothing. */
static struct refused_count *refused_slot(struct v6t_metrics *m, const struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	struct refused_count *r;

	for (unsigned int i = 0; i < m->n_refused; i++) {
		r = &m->refused[i];
		if (r->netns == e->netns_ino && r->port == e->local_port && r->proto == e->proto &&
		    r->family == e->family)
			return r;
	}
	if (m->n_refused == m->cap_refused) {
		r = v6t_grow(m->refused, &m->cap_refused, sizeof(*r), 16);
		if (!r)
			return NULL;
		m->refused = r;
	}
	r = &m->refused[m->n_refused++];
	*r = (struct refused_count){ .netns = e->netns_ino, .port = e->local_port,
				     .proto = e->proto, .family = e->family,
				     .proto_name = v->proto, .family_name = v->family };
	return r;
}

void v6t_metrics_add(struct v6t_metrics *m, const struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	struct refused_count *r;

	if (e->kind == V6T_EV_CONNECT && !v->cls.failed && v->cls.peer < PEER_CLASSES) {
		m->connects[v->cls.peer]++;
	} else if (e->kind == V6T_EV_REFUSED) {
		/* each refused event stands for itself and the packets it suppressed */
		r = refused_slot(m, v);
		if (r)
			r->packets += 1 + (uint64_t)e->suppressed;
		else
			m->refused_untracked += 1 + (uint64_t)e->suppressed;
	}
}

struct print_ctx {
	struct v6t_sink *out;
	const char *peer;		/* NULL: the V6ONLY gauge */
	int class;			/* V6T_PEER_*, with peer */
};

static void put_line(struct v6t_sink *out, struct strbuf *sb)
{
	sb_putc(sb, '\n');
	v6t_sink_write(out, sb->buf, sb->len);
}

static void put_family(struct v6t_sink *out, const char *name, const char *type,
		       const char *help)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);

	sb_lit(&sb, "# HELP ");
	sb_puts(&sb, name);
	sb_putc(&sb, ' ');
	sb_puts(&sb, help);
	sb_lit(&sb, "\n# TYPE ");
	sb_puts(&sb, name);
	sb_putc(&sb, ' ');
	sb_puts(&sb, type);
	put_line(out, &sb);
}

/* "} value": the sample's end, and the line out */
static void end_sample(struct v6t_sink *out, struct strbuf *sb, uint64_t value)
{
	sb_lit(sb, "} ");
	sb_u64(sb, value);
	put_line(out, sb);
}

/* name="value", the first of a set without the comma */
static void put_label(struct strbuf *sb, const char *name, const char *value, size_t len)
{
	if (sb->buf[sb->len - 1] != '{')
		sb_putc(sb, ',');
	sb_puts(sb, name);
	sb_putc(sb, '=');
	sb_prom_label(sb, value, len);
}

static void put_number_label(struct strbuf *sb, const char *name, uint64_t n)
{
	char digits[24];
	struct strbuf d = STRBUF_ON(digits);

	sb_u64(&d, n);
	put_label(sb, name, d.buf, d.len);
}

/* The labels that name a listener: its socket, its address and its owner. */
static void put_listener_labels(struct strbuf *sb, const struct v6t_view *v)
{
	put_number_label(sb, "netns", v->e->netns_ino);
	put_number_label(sb, "inode", v->e->sock_ino);
	put_label(sb, "address", v->local_addr, v->local_addr_len);
	put_number_label(sb, "port", v->e->local_port);
	put_label(sb, "proto", v->proto, strlen(v->proto));
	put_label(sb, "family", v->family, strlen(v->family));
	put_label(sb, "comm", v->comm, v->comm_len);
	put_number_label(sb, "pid", v->e->pid);
}

static uint64_t accepts_of(const struct v6t_accept_counts *n, int peer)
{
	return peer == V6T_PEER_MAPPED ? n->ipv4_mapped : peer == V6T_PEER_IPV4 ? n->ipv4 : n->ipv6;
}

static void put_listener(void *ctx, const struct v6t_view *v)
{
	struct print_ctx *pc = ctx;
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);

	sb_puts(&sb, pc->peer ? "v6trace_accepts_total{" : "v6trace_listener_v6only{");
	put_listener_labels(&sb, v);
	if (pc->peer)
		put_label(&sb, "peer_class", pc->peer, strlen(pc->peer));
	else
		put_label(&sb, "source", v->v6only_source, strlen(v->v6only_source));
	end_sample(pc->out, &sb, pc->peer ? accepts_of(v->accepts, pc->class) : v->v6only);
}

static void print_listeners(const struct v6t_summary *s, struct v6t_sink *out)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);
	struct print_ctx pc = { .out = out };

	put_family(out, "v6trace_accepts_total", "counter",
		   "Connections a TCP listener accepted, by the peer's class: ipv4_mapped (IPv4 "
		   "as ::ffff:a.b.c.d on an AF_INET6 socket), ipv4 (an AF_INET socket), ipv6.");
	for (int i = 0; i < PEER_CLASSES; i++) {
		pc.peer = peer_classes[i].name;
		pc.class = peer_classes[i].peer;
		v6t_summary_each(s, put_listener, &pc);
	}
	put_family(out, "v6trace_accepts_unattributed_total", "counter",
		   "Accepts whose listener is not known (an in-kernel listener, or one never "
		   "seen), so that no listener above counts them.");
	sb_lit(&sb, "v6trace_accepts_unattributed_total ");
	sb_u64(&sb, v6t_summary_rowless(s));
	put_line(out, &sb);
	put_family(out, "v6trace_listener_v6only", "gauge",
		   "1 if the TCP listener is IPv6 only (IPV6_V6ONLY), 0 if an AF_INET6 one takes "
		   "IPv4 too or it is AF_INET; source: setsockopt, bind-address, sysctl, default, "
		   "n/a (AF_INET) or unknown.");
	pc.peer = NULL;
	v6t_summary_each(s, put_listener, &pc);
}

static void print_connects(const struct v6t_metrics *m, struct v6t_sink *out)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb;

	put_family(out, "v6trace_connects_total", "counter",
		   "TCP connects that did not fail, by the peer's class (ipv4_mapped: an AF_INET6 "
		   "socket connecting to ::ffff:a.b.c.d, which netstat lists as tcp6).");
	for (int i = 0; i < PEER_CLASSES; i++) {
		sb = (struct strbuf)STRBUF_ON(line);
		sb_lit(&sb, "v6trace_connects_total{");
		put_label(&sb, "peer_class", peer_classes[i].name, strlen(peer_classes[i].name));
		end_sample(out, &sb, m->connects[peer_classes[i].peer]);
	}
}

static void print_refused(const struct v6t_metrics *m, struct v6t_sink *out)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb;

	put_family(out, "v6trace_refused_total", "counter",
		   "TCP SYNs and UDP datagrams to a served port that no socket took for their "
		   "family or address (family: the packet's); port 0: not counted by port.");
	for (unsigned int i = 0; i < m->n_refused; i++) {
		const struct refused_count *r = &m->refused[i];

		sb = (struct strbuf)STRBUF_ON(line);
		sb_lit(&sb, "v6trace_refused_total{");
		put_number_label(&sb, "netns", r->netns);
		put_number_label(&sb, "port", r->port);
		put_label(&sb, "proto", r->proto_name, strlen(r->proto_name));
		put_label(&sb, "family", r->family_name, strlen(r->family_name));
		end_sample(out, &sb, r->packets);
	}
	if (m->refused_untracked) {
		sb = (struct strbuf)STRBUF_ON(line);
		sb_lit(&sb, "v6trace_refused_total{netns=\"0\",port=\"0\",proto=\"\",family=\"\"} ");
		sb_u64(&sb, m->refused_untracked);
		put_line(out, &sb);
	}
}

void v6t_metrics_print(const struct v6t_metrics *m, const struct v6t_summary *s, uint64_t lost,
		       struct v6t_sink *out)
{
	char line[64];
	struct strbuf sb = STRBUF_ON(line);

	print_listeners(s, out);
	print_connects(m, out);
	print_refused(m, out);
	put_family(out, "v6trace_lost_events_total", "counter",
		   "Events lost because the ring buffer was full (or gaps in a replayed recording).");
	sb_lit(&sb, "v6trace_lost_events_total ");
	sb_u64(&sb, lost);
	put_line(out, &sb);
}

int v6t_metrics_write(struct v6t_metrics *m, const struct v6t_summary *s, uint64_t lost)
{
	/* a new file too goes through a temporary one: the collector must never read half */
	const struct v6t_outfile_opts o = { .mode = METRICS_MODE, .regular_only = true,
					      .whole = true };
	struct v6t_outfile f;
	int fd = v6t_outfile_open(&f, m->path, &o);

	if (fd < 0)
		return fd;
	v6t_sink_init(&m->out, fd);
	v6t_metrics_print(m, s, lost, &m->out);
	if (v6t_sink_flush(&m->out)) {
		fprintf(stderr, "v6trace: writing %s failed: %s\n", f.tmp, strerror(-m->out.err));
		v6t_outfile_discard(&f, fd);
		return m->out.err;
	}
	return v6t_outfile_commit(&f, fd);
}

// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "note.h"
#include "output.h"
#include "summary.h"

#define MAX_LISTENERS 4096
#define SLOTS (2 * MAX_LISTENERS)	/* open addressing, at most half full */

/*
 * A listener is its socket: its inode (0 for an in-kernel socket, which has none) as well as
 * its address, so listeners sharing an address and port (an SO_REUSEPORT group, sockets bound
 * to different devices) keep a row and an owner each.
 */
struct listener {
	uint64_t netns;
	uint64_t ino;
	uint8_t addr[16];
	uint16_t port;
	uint16_t family;
	uint32_t pid;
	uint64_t cgroup;		/* the owner's, for --wide */
	char comm[V6T_COMM_LEN + 1];
	bool described;			/* by a record (else by kernel counts alone) */
	uint8_t v6only;
	uint8_t source;			/* enum v6t_v6only_source */
	struct v6t_accept_counts n;	/* accepts, by the peer's kind */
};

struct v6t_summary {
	struct listener list[MAX_LISTENERS];	/* in the order first seen */
	unsigned int n;
	uint64_t untracked;			/* events of listeners beyond MAX_LISTENERS */
	uint64_t unknown;			/* accepts whose listener was not known */
	bool wide;				/* --wide: rows name the owner's container */
	int32_t slot[SLOTS];			/* index + 1 into list, 0 = empty */
};

struct v6t_summary *v6t_summary_new(bool wide)
{
	struct v6t_summary *s = calloc(1, sizeof(struct v6t_summary));

	if (s)
		s->wide = wide;
	return s;
}

void v6t_summary_free(struct v6t_summary *s)
{
	free(s);
}

static uint32_t hash_key(uint64_t netns, uint64_t ino, const uint8_t *addr, uint16_t port,
			 uint16_t family)
{
	uint64_t h = 1469598103934665603ULL ^ netns ^ (ino * 1099511628211ULL) ^
		     ((uint64_t)port << 32) ^ family;

	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 1099511628211ULL;
	return (uint32_t)(h ^ (h >> 29));
}

static struct listener *lookup(struct v6t_summary *s, uint64_t netns, uint64_t ino, uint16_t family,
			       const uint8_t *addr, uint16_t port)
{
	uint32_t i = hash_key(netns, ino, addr, port, family) % SLOTS;
	struct listener *l;

	for (;; i = (i + 1) % SLOTS) {
		if (!s->slot[i])
			break;
		l = &s->list[s->slot[i] - 1];
		if (l->netns == netns && l->ino == ino && l->port == port && l->family == family &&
		    !memcmp(l->addr, addr, 16))
			return l;
	}
	if (s->n == MAX_LISTENERS)
		return NULL;
	l = &s->list[s->n];
	memset(l, 0, sizeof(*l));
	l->netns = netns;
	l->ino = ino;
	memcpy(l->addr, addr, 16);
	l->port = port;
	l->family = family;
	s->slot[i] = ++s->n;
	return l;
}

/* The listener's owner and V6ONLY, from its listen event or, failing that, an accept. */
static void describe(struct listener *l, const struct v6t_view *v, int authoritative)
{
	if (l->described && !authoritative)
		return;
	l->described = true;
	l->pid = v->e->pid;
	l->cgroup = v->e->cgroup_id;
	memcpy(l->comm, v->comm, sizeof(l->comm));
	l->v6only = v->v6only;
	l->source = v->cls.source;
}

void v6t_summary_add(struct v6t_summary *s, const struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	struct listener *l;

	if (e->proto != V6T_IPPROTO_TCP)
		return;
	if (e->kind == V6T_EV_LISTEN || e->kind == V6T_EV_SOCKET) {
		l = lookup(s, e->netns_ino, e->sock_ino, e->family, e->local_addr, e->local_port);
		if (l)
			describe(l, v, 1);
	} else if (e->kind == V6T_EV_ACCEPT && !(e->flags & V6T_F_HAS_LISTENER)) {
		/* a row made from the connection's own address would be a listener that is not */
		s->unknown++;
	} else if (e->kind == V6T_EV_ACCEPT) {
		/* sock_ino is the listener's */
		l = lookup(s, e->netns_ino, e->sock_ino, e->family, e->listen_addr, e->listen_port);
		if (!l) {
			s->untracked++;
			return;
		}
		describe(l, v, 0);
		v6t_accept_counts_add(&l->n, e);
	}
}

void v6t_summary_add_counts(struct v6t_summary *s, const struct v6t_count_key *k,
			    const struct v6t_accept_counts *c)
{
	struct listener *l = lookup(s, k->netns_ino, k->sock_ino, k->family, k->addr, k->port);

	if (!l) {
		s->untracked += v6t_accept_counts_total(c);
		return;
	}
	/* its first accept, the record that describes it, was lost (ring full): counts only */
	if (!l->described) {
		l->described = true;
		l->source = V6T_SRC_UNKNOWN;
		strcpy(l->comm, "?");
	}
	v6t_accept_counts_merge(&l->n, c);
}

/* A row as the outputs show it: a view of a listening socket, described as it was seen. */
static void row_view(const struct listener *l, bool wide, struct v6t_sock_event *e,
		     struct v6t_view *v)
{
	memset(e, 0, sizeof(*e));
	e->kind = V6T_EV_LISTEN;
	e->proto = V6T_IPPROTO_TCP;
	e->family = l->family;
	memcpy(e->local_addr, l->addr, sizeof(e->local_addr));
	e->local_port = l->port;
	e->netns_ino = l->netns;
	e->sock_ino = l->ino;
	e->pid = l->pid;
	e->cgroup_id = l->cgroup;
	memcpy(e->comm, l->comm, sizeof(e->comm));
	e->v6only = l->v6only;
	v6t_decode(e, 0, v);
	v6t_explain(v, wide && l->cgroup);
	v->event = "summary";
	/* where its V6ONLY came from was decided by the record that described it */
	v->cls.source = l->source;
	v->v6only_source = v6t_source_name(l->source);
	v6t_view_hint(v);
	v->accepts = &l->n;
}

void v6t_summary_each(const struct v6t_summary *s,
		      void (*fn)(void *ctx, const struct v6t_view *row), void *ctx)
{
	struct v6t_sock_event e;
	struct v6t_view v;

	for (unsigned int i = 0; i < s->n; i++) {
		row_view(&s->list[i], s->wide, &e, &v);
		fn(ctx, &v);
	}
}

uint64_t v6t_summary_rowless(const struct v6t_summary *s)
{
	return s->untracked + s->unknown;
}

static void print_row(struct v6t_sink *out, enum v6t_row row, const struct v6t_view *v, int json)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);

	if (json)
		v6t_json_row(&sb, row, v);
	else
		v6t_text_row(&sb, row, v, 0);
	v6t_sink_write(out, sb.buf, sb.len);
}

/* Accepts that have no row, n of them: a row of their own after the table. */
static void print_rowless(struct v6t_sink *out, int json, enum v6t_row row, const char *event,
			  uint64_t n)
{
	struct v6t_view v = { .event = event, .count = n };

	if (n)
		print_row(out, row, &v, json);
}

struct print_ctx {
	struct v6t_sink *out;
	int json;
};

static void print_summary_row(void *ctx, const struct v6t_view *v)
{
	struct print_ctx *pc = ctx;

	print_row(pc->out, V6T_ROW_SUMMARY, v, pc->json);
}

void v6t_summary_print(const struct v6t_summary *s, struct v6t_sink *out, int json)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);
	struct print_ctx pc = { out, json };

	if (!json) {
		v6t_sink_write(out, "\nSUMMARY: TCP listeners\n", 24);
		v6t_text_header(&sb, V6T_ROW_SUMMARY);
		v6t_sink_write(out, sb.buf, sb.len);
	}
	v6t_summary_each(s, print_summary_row, &pc);
	if (!json && !s->n)
		v6t_sink_write(out, "(no TCP listener was seen listening or accepting)\n", 51);
	print_rowless(out, json, V6T_ROW_OVERFLOW, "summary_overflow", s->untracked);
	print_rowless(out, json, V6T_ROW_UNKNOWN, "summary_unknown", s->unknown);
}

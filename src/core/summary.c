// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "addr.h"
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
	int32_t slot[SLOTS];			/* index + 1 into list, 0 = empty */
};

struct v6t_summary *v6t_summary_new(void)
{
	return calloc(1, sizeof(struct v6t_summary));
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

static const char *verdict(const struct listener *l)
{
	return v6t_verdict(v6t_classify_sock(l->family, l->addr, l->v6only));
}

static void print_text(const struct v6t_summary *s, struct v6t_sink *out)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);

	v6t_sink_write(out, "\nSUMMARY: TCP listeners\n", 24);
	sb_puts(&sb, "LISTENER");
	sb_pad_to(&sb, 26);
	sb_puts(&sb, "NETNS");
	sb_pad_to(&sb, 38);
	sb_puts(&sb, "PROCESS");
	sb_pad_to(&sb, 62);
	sb_puts(&sb, "V6ONLY");
	sb_pad_to(&sb, 77);
	sb_puts(&sb, "IPV4");
	sb_pad_to(&sb, 85);
	sb_puts(&sb, "IPV6");
	sb_pad_to(&sb, 93);
	sb_puts(&sb, "VERDICT\n");
	v6t_sink_write(out, sb.buf, sb.len);
	for (unsigned int i = 0; i < s->n; i++) {
		const struct listener *l = &s->list[i];
		char ep[V6T_ENDPOINT_LEN];

		sb_reset(&sb);
		v6t_fmt_endpoint(ep, sizeof(ep), l->family, l->addr, l->port);
		sb_puts(&sb, ep);
		sb_pad_to(&sb, 26);
		sb_u64(&sb, l->netns);
		sb_pad_to(&sb, 38);
		sb_put_printable(&sb, l->comm, strlen(l->comm));
		sb_putc(&sb, '[');
		sb_u64(&sb, l->pid);
		sb_putc(&sb, ']');
		sb_pad_to(&sb, 62);
		if (l->family == V6T_AF_INET6) {
			sb_puts(&sb, l->v6only ? "yes:" : "no:");
			sb_puts(&sb, v6t_source_name(l->source));
		} else {
			sb_putc(&sb, '-');
		}
		sb_pad_to(&sb, 77);
		sb_u64(&sb, l->n.ipv4_mapped + l->n.ipv4);
		sb_pad_to(&sb, 85);
		sb_u64(&sb, l->n.ipv6);
		sb_pad_to(&sb, 93);
		sb_puts(&sb, verdict(l));
		sb_putc(&sb, '\n');
		v6t_sink_write(out, sb.buf, sb.len);
	}
	if (!s->n)
		v6t_sink_write(out, "(no TCP listener was seen listening or accepting)\n", 51);
}

static void print_json(const struct v6t_summary *s, struct v6t_sink *out)
{
	char line[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(line);

	for (unsigned int i = 0; i < s->n; i++) {
		const struct listener *l = &s->list[i];
		char a[INET6_ADDRSTRLEN];

		sb_reset(&sb);
		v6t_fmt_addr(a, sizeof(a), l->family, l->addr);
		sb_puts(&sb, "{\"event\":\"summary\",\"proto\":\"tcp\",\"family\":");
		sb_json_str(&sb, l->family == V6T_AF_INET6 ? "inet6" : "inet");
		sb_puts(&sb, ",\"local_addr\":");
		sb_json_str(&sb, a);
		sb_puts(&sb, ",\"local_port\":");
		sb_u64(&sb, l->port);
		sb_puts(&sb, ",\"netns\":");
		sb_u64(&sb, l->netns);
		/* the row's identity: two sockets of one process in an SO_REUSEPORT group differ here */
		sb_puts(&sb, ",\"inode\":");
		sb_u64(&sb, l->ino);
		sb_puts(&sb, ",\"pid\":");
		sb_u64(&sb, l->pid);
		sb_puts(&sb, ",\"comm\":");
		sb_json_str(&sb, l->comm);
		sb_puts(&sb, ",\"v6only\":");
		sb_puts(&sb, l->v6only ? "true" : "false");
		sb_puts(&sb, ",\"v6only_source\":");
		sb_json_str(&sb, v6t_source_name(l->source));
		sb_puts(&sb, ",\"accepts_ipv4_mapped\":");
		sb_u64(&sb, l->n.ipv4_mapped);
		sb_puts(&sb, ",\"accepts_ipv4\":");
		sb_u64(&sb, l->n.ipv4);
		sb_puts(&sb, ",\"accepts_ipv6\":");
		sb_u64(&sb, l->n.ipv6);
		sb_puts(&sb, ",\"verdict\":");
		sb_json_str(&sb, verdict(l));
		sb_puts(&sb, "}\n");
		v6t_sink_write(out, sb.buf, sb.len);
	}
}

/* Accepts that have no row, n of them: a JSON object of its own, or a line in parentheses. */
static void print_rowless(struct v6t_sink *out, int json, const char *json_key, const char *text,
			  uint64_t n)
{
	char line[160];
	struct strbuf sb = STRBUF_ON(line);

	if (!n)
		return;
	sb_puts(&sb, json ? json_key : text);
	sb_u64(&sb, n);
	sb_puts(&sb, json ? "}\n" : ")\n");
	v6t_sink_write(out, sb.buf, sb.len);
}

void v6t_summary_print(const struct v6t_summary *s, struct v6t_sink *out, int json)
{
	if (json)
		print_json(s, out);
	else
		print_text(s, out);
	print_rowless(out, json, "{\"event\":\"summary_overflow\",\"untracked_accepts\":",
		      "(and accepts of more listeners than the summary keeps: ", s->untracked);
	print_rowless(out, json, "{\"event\":\"summary_unknown\",\"unknown_listener_accepts\":",
		      "(and accepts on listeners not known, held by no process at start: ",
		      s->unknown);
}

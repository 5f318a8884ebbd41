/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-listener summary (-s): each TCP listener seen listening or accepting, who owns it,
 * its V6ONLY, how many IPv4 (mapped or plain) and native IPv6 clients it accepted, and a
 * verdict that answers "why does netstat show it as tcp6".
 */
#ifndef V6T_SUMMARY_H
#define V6T_SUMMARY_H

#include "decode.h"
#include "sink.h"
#include "v6trace.h"

struct v6t_summary;

/*
 * The event kinds the summary is made of: listeners (listen, and listening from the start-up
 * snapshot), their accepts, and setsockopt(IPV6_V6ONLY), without which a V6ONLY set to the
 * sysctl's own value would read as "default" (and a sysctl change would not undo it).
 * -s -q traces only these: no connect, bind or UDP hook to pay for.
 */
#define V6T_SUMMARY_EVENTS ((1U << V6T_EV_LISTEN) | (1U << V6T_EV_SOCKET) | \
			    (1U << V6T_EV_ACCEPT) | (1U << V6T_EV_V6ONLY))

/* wide: rows name their owner's container (--wide) as events do. */
struct v6t_summary *v6t_summary_new(bool wide);
void v6t_summary_add(struct v6t_summary *s, const struct v6t_view *v);
/* Accepts the kernel counted for a listener instead of sending them (-s -q). */
void v6t_summary_add_counts(struct v6t_summary *s, const struct v6t_count_key *k,
			    const struct v6t_accept_counts *c);
/* Each listener's row as the outputs show it (a view), in the order first seen. */
void v6t_summary_each(const struct v6t_summary *s,
		      void (*fn)(void *ctx, const struct v6t_view *row), void *ctx);
/* Accepts that make no row: their listener was not known, or past the table's size. */
uint64_t v6t_summary_rowless(const struct v6t_summary *s);
void v6t_summary_print(const struct v6t_summary *s, struct v6t_sink *out, int json);
void v6t_summary_free(struct v6t_summary *s);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-listener summary (-s): each TCP listener seen listening or accepting, who owns it,
 * its V6ONLY, how many IPv4 (mapped or plain) and native IPv6 clients it accepted, and a
 * verdict that answers "why does netstat show it as tcp6".
 */
#ifndef V6T_SUMMARY_H
#define V6T_SUMMARY_H

#include "sink.h"
#include "v6trace.h"

struct v6t_summary;

struct v6t_summary *v6t_summary_new(void);
void v6t_summary_add(struct v6t_summary *s, const struct v6t_sock_event *e);
void v6t_summary_print(const struct v6t_summary *s, struct v6t_sink *out, int json);
void v6t_summary_free(struct v6t_summary *s);

#endif

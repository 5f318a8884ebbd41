/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sockets this run saw bound or listening, by (network namespace, socket inode): who
 * holds each, and the options sock_diag does not report (SO_REUSEADDR, SO_REUSEPORT, who set
 * V6ONLY). A port's sockets, looked up later, take their owner from here. Bounded: a newer
 * socket takes the place of an older one that hashes alike.
 */
#ifndef V6T_OWNERS_H
#define V6T_OWNERS_H

#include <stdbool.h>
#include <stdint.h>
#include "v6trace.h"

struct v6t_owners;

struct v6t_owner {
	uint64_t cgroup_id;
	uint32_t pid;
	uint32_t uid;
	char comm[V6T_COMM_LEN];
	uint8_t sockopts;	/* V6T_SO_*: without V6T_SO_KNOWN none was read */
	bool setter_known;	/* this run saw setsockopt(IPV6_V6ONLY) on it */
};

/* 0 or -ENOMEM. */
int v6t_owners_new(struct v6t_owners **out);
/* Notes the socket of a successful bind, a listen or a listening socket found at start. */
void v6t_owners_note(struct v6t_owners *o, const struct v6t_sock_event *e);
/* The socket's owner as last seen: true if it was. */
bool v6t_owners_find(const struct v6t_owners *o, uint64_t netns_ino, uint64_t sock_ino,
		     struct v6t_owner *out);
/* NULL is fine. */
void v6t_owners_free(struct v6t_owners *o);

#endif

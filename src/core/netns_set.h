/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network namespaces a recording has described, each once, in the order first seen, with
 * no fixed limit: a host can have thousands, and a namespace missing here would be recorded
 * again with every event of it.
 */
#ifndef V6T_NETNS_SET_H
#define V6T_NETNS_SET_H

#include <stdbool.h>
#include <stdint.h>
#include "recfile.h"

struct v6t_netns_set {
	struct v6t_netns_info *items;	/* in the order first added */
	unsigned int n, cap;
	uint32_t *slots;		/* 1 + an index into items, 0: empty; at most half full */
	unsigned int n_slots;		/* a power of two */
};

bool v6t_netns_set_has(const struct v6t_netns_set *s, uint64_t netns_ino);
/* Adds a namespace that is not there yet. 0 or -ENOMEM. */
int v6t_netns_set_add(struct v6t_netns_set *s, const struct v6t_netns_info *info);
/* Frees what the set holds; an all-zero set is an empty one. */
void v6t_netns_set_free(struct v6t_netns_set *s);

#endif

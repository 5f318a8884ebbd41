/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running something in every network namespace on the machine, or in one: the start-up
 * snapshot lists each namespace's sockets with sock_diag, the listener seed runs the TCP
 * iterator (which walks the namespace of whoever opens it) in each.
 */
#ifndef V6T_NETNS_WALK_H
#define V6T_NETNS_WALK_H

#include <stdbool.h>
#include <stdint.h>

struct v6t_netns_walk {
	unsigned int visited;	/* namespaces fn ran in, or that could not be entered */
	unsigned int hidden;	/* processes of other users whose namespace we may not open */
};

/*
 * Calls fn(arg) in our namespace and then in each other one (of a process, or named in
 * /run/netns) not visited yet; want != 0: only in that one. A namespace that cannot be
 * entered is named on stderr unless quiet, and the others are still visited. Returns to our
 * namespace; the first error, fn's or setns's.
 */
int v6t_netns_walk(uint64_t want, int (*fn)(void *arg), void *arg, bool quiet,
		   struct v6t_netns_walk *w);

#endif

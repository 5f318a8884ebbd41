/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sock_diag socket of another network namespace, known only by its inode (as events name
 * it), made without moving v6trace: a short-lived thread enters the namespace and opens the
 * socket there, which stays in it. Where the namespace was found is kept for the next time.
 */
#ifndef V6T_DIAG_NETNS_H
#define V6T_DIAG_NETNS_H

#include <stdint.h>
#include "diag.h"

/* Where a namespace was last found: zeroed to start. */
struct v6t_netns_place {
	uint64_t netns_ino;
	char path[64];
};

/*
 * A sock_diag socket of namespace netns_ino, found (until deadline, CLOCK_MONOTONIC) where it
 * was last, as pid's (0: none), in /run/netns, or as any process's. 0, -ENOENT if not found
 * in time, or -errno.
 */
int v6t_diag_open_netns(struct v6t_diag **d, uint64_t netns_ino, uint32_t pid,
			struct v6t_netns_place *last, int64_t deadline);

#endif

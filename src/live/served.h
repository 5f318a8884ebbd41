/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refused: the served-ports map (struct v6t_port_key) from user space. The kernel keeps it as
 * sockets listen, close and bind; these add the sockets older than the trace, and take out an
 * entry that proved stale.
 */
#ifndef V6T_SERVED_H
#define V6T_SERVED_H

#include <stdint.h>

/*
 * Counts every TCP listener and marks every bound UDP port, found by sock_diag in each network
 * namespace (netns != 0: only that one), into the map map_fd. 0, or the first -errno.
 */
int v6t_served_seed(int map_fd, uint64_t netns);

/* Nobody serves port of proto in netns after all (see v6t_port_key): forget it. */
void v6t_served_forget(int map_fd, uint64_t netns, uint16_t port, uint8_t proto);

#endif

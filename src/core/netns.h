/* SPDX-License-Identifier: GPL-2.0 */
/* The network namespace this process is in, and its net.ipv6.bindv6only. */
#ifndef V6T_NETNS_H
#define V6T_NETNS_H

#include <stdint.h>
#include "recfile.h"

/* Its inode (/proc/self/ns/net), 0 if unknown. */
uint64_t v6t_netns_self(void);
/*
 * Its inode and bindv6only, each 0 if unknown. /proc/sys/net shows the namespace of whoever
 * opens it, so after a setns this reads the namespace entered. 0, or -errno when either
 * could not be read.
 */
int v6t_netns_here(struct v6t_netns_info *info);

#endif

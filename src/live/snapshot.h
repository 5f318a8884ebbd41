/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What is already listening or bound when tracing begins (tcpaccept and friends miss servers
 * already blocked in accept): TCP listeners and bound UDP sockets from NETLINK_SOCK_DIAG, with
 * V6ONLY (INET_DIAG_SKV6ONLY), owner and the namespace's bindv6only, as "listening" events.
 */
#ifndef V6T_SNAPSHOT_H
#define V6T_SNAPSHOT_H

#include "pipeline.h"

/*
 * Pushes one V6T_EV_SOCKET record per socket into the pipeline: of our namespace, every
 * namespace (--all-netns), or the one -N names.
 */
int v6t_snapshot(struct v6t_pipeline *p, const struct v6t_config *cfg);

#endif

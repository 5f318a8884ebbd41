/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sockets that hold a port, looked up when an event that needs them arrives: in the
 * event's network namespace, with NETLINK_SOCK_DIAG as -l lists them, their owners from what
 * this run saw (owners.h), else from /proc. The event waits for it in the ring's callback, so
 * the time it takes is bounded, and so is how often it runs.
 */
#ifndef V6T_PORTSOCKS_H
#define V6T_PORTSOCKS_H

#include <stdbool.h>
#include "owners.h"
#include "pipeline.h"

struct v6t_portsocks;

/* Looks owners up in owners first (which stays the caller's). 0 or -ENOMEM. */
int v6t_portsocks_new(struct v6t_portsocks **out, const struct v6t_owners *owners);
void v6t_portsocks_free(struct v6t_portsocks *ps);

/*
 * Fills r (room for V6T_PORT_SOCKS_MAX sockets) with the sockets on e's port and protocol in
 * e's namespace: only listeners (TCP LISTEN, UDP bound) with listeners_only, else every
 * socket bound to it but e's own. Flags say when the list was skipped or may be short.
 */
void v6t_portsocks_lookup(struct v6t_portsocks *ps, const struct v6t_sock_event *e,
			  bool listeners_only, struct v6t_port_socks_rec *r);

/*
 * Pushes e into p, after the list of its port's sockets if it is an event explained by one
 * (v6t_port_list_of): a failed bind's holders, a refused packet's listeners. A refused
 * packet whose port nobody serves after all is dropped, and *dropped set (the kernel's map
 * of served ports was stale there). Returns as v6t_pipeline_push does.
 */
bool v6t_portsocks_push(struct v6t_portsocks *ps, struct v6t_pipeline *p,
			const struct v6t_sock_event *e, bool *dropped);

#endif

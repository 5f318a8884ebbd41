// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include "diag.h"
#include "grow.h"
#include "netns.h"
#include "netns_walk.h"
#include "served.h"
#include "v6trace.h"

/* What one namespace's dumps found: a port and protocol per socket serving one. */
struct seeding {
	int map_fd;
	struct v6t_port_key *found;
	unsigned int n, cap;
};

static int serve(void *arg, uint8_t proto, const struct v6t_diag_sock *s)
{
	struct seeding *sd = arg;
	struct v6t_port_key k = { .port = ntohs(s->msg->id.idiag_sport), .proto = proto };

	if (sd->n == sd->cap) {
		struct v6t_port_key *p = v6t_grow(sd->found, &sd->cap, sizeof(*p), 256);

		if (!p)
			return -ENOMEM;
		sd->found = p;
	}
	sd->found[sd->n++] = k;
	return 0;
}

static int by_port(const void *a, const void *b)
{
	const struct v6t_port_key *x = a, *y = b;

	return x->proto != y->proto ? x->proto - y->proto : x->port - y->port;
}

/*
 * Into the map, per port: TCP the number of listeners, UDP 1. The kernel counts from attach
 * on, so a listener made since is in both counts: the larger of the two is kept, never their
 * sum. A full map leaves that port's refused packets unreported, as the kernel's insert would.
 */
static void apply(struct seeding *sd, uint64_t netns_ino)
{
	qsort(sd->found, sd->n, sizeof(*sd->found), by_port);
	for (unsigned int i = 0, run; i < sd->n; i += run) {
		struct v6t_port_key k = sd->found[i];
		int32_t n = 0, found;

		for (run = 1; i + run < sd->n && !by_port(&sd->found[i + run], &k); run++)
			;
		found = k.proto == V6T_IPPROTO_TCP ? (int32_t)run : 1;
		k.netns_ino = netns_ino;
		if (bpf_map_lookup_elem(sd->map_fd, &k, &n) || n < found)
			bpf_map_update_elem(sd->map_fd, &k, &found, BPF_ANY);
	}
	sd->n = 0;
}

static int seed_here(void *arg)
{
	struct seeding *sd = arg;
	struct v6t_netns_info here;
	int err = v6t_netns_here(&here);

	if (err)
		return err;
	err = v6t_diag_each_listener(serve, sd);
	apply(sd, here.netns_ino);
	return err;
}

int v6t_served_seed(int map_fd, uint64_t netns)
{
	struct seeding sd = { .map_fd = map_fd };
	struct v6t_netns_walk w;
	int err;

	/* quiet: the snapshot names a namespace it cannot enter */
	err = v6t_netns_walk(netns, seed_here, &sd, true, &w);
	free(sd.found);
	return err;
}

void v6t_served_forget(int map_fd, uint64_t netns, uint16_t port, uint8_t proto)
{
	struct v6t_port_key k = { .netns_ino = netns, .port = port, .proto = proto };

	bpf_map_delete_elem(map_fd, &k);
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <bpf/bpf.h>
#include "diag.h"
#include "netns.h"
#include "netns_walk.h"
#include "served.h"
#include "v6trace.h"

struct seeding {
	int map_fd;
	uint64_t netns_ino;	/* of the namespace being dumped */
	uint8_t proto;
};

/* One more listener (TCP), or a bound port (UDP): the kernel's rule, from user space. */
static int serve(void *arg, const struct v6t_diag_sock *s)
{
	const struct seeding *sd = arg;
	struct v6t_port_key k = {
		.netns_ino = sd->netns_ino,
		.port = ntohs(s->msg->id.idiag_sport),
		.proto = sd->proto,
	};
	int32_t n = 0;

	if (!k.port)
		return 0;	/* an unbound UDP socket */
	if (bpf_map_lookup_elem(sd->map_fd, &k, &n))
		n = 0;
	n = sd->proto == V6T_IPPROTO_TCP ? n + 1 : 1;
	/* a full map: that port's refused packets go unreported, as the kernel's own would */
	bpf_map_update_elem(sd->map_fd, &k, &n, BPF_ANY);
	return 0;
}

static int seed_here(void *arg)
{
	static const uint8_t families[] = { AF_INET6, AF_INET };
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct seeding *sd = arg;
	struct v6t_netns_info here;
	struct v6t_diag *d;
	int err = v6t_netns_here(&here);

	if (!err)
		err = v6t_diag_open(&d);
	if (err)
		return err;
	sd->netns_ino = here.netns_ino;
	for (unsigned int fi = 0; fi < 2 && !err; fi++) {
		for (unsigned int pi = 0; pi < 2 && !err; pi++) {
			struct inet_diag_req_v2 req = {
				.sdiag_family = families[fi],
				.sdiag_protocol = protos[pi],
				.idiag_states = protos[pi] == IPPROTO_TCP ? 1U << TCP_LISTEN : ~0U,
			};

			sd->proto = protos[pi];
			err = v6t_diag_dump(d, &req, serve, sd);
		}
	}
	v6t_diag_close(d);
	return err;
}

int v6t_served_seed(int map_fd, uint64_t netns)
{
	struct seeding sd = { .map_fd = map_fd };
	struct v6t_netns_walk w;

	/* quiet: the snapshot names a namespace it cannot enter */
	return v6t_netns_walk(netns, seed_here, &sd, true, &w);
}

void v6t_served_forget(int map_fd, uint64_t netns, uint16_t port, uint8_t proto)
{
	struct v6t_port_key k = { .netns_ino = netns, .port = port, .proto = proto };

	bpf_map_delete_elem(map_fd, &k);
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "netns_walk.h"
#include "seed.h"

/*
 * Runs an iterator to its end in the current namespace (a TCP iterator walks the opener's).
 * EAGAIN is an end too: v6t_iter_listeners stops the walk there once past the listeners.
 */
static int run_iter(void *arg)
{
	struct bpf_link *link = arg;
	char buf[64];
	ssize_t n;
	int fd = bpf_iter_create(bpf_link__fd(link)), err;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	err = n < 0 && errno != EAGAIN ? -errno : 0;
	close(fd);
	return err;
}

/* Empties listener_holders: an inode number is reused once its socket is gone. */
static void forget_holders(const struct bpf_map *map)
{
	int fd = bpf_map__fd(map);
	uint64_t key;

	while (!bpf_map_get_next_key(fd, NULL, &key))
		if (bpf_map_delete_elem(fd, &key))
			break;
}

static int run_each(struct bpf_program *prog, uint64_t netns, bool in_each)
{
	struct bpf_link *link = bpf_program__attach_iter(prog, NULL);
	struct v6t_netns_walk w;
	int err;

	if (!link)
		return -errno;
	/* quiet: the snapshot names a namespace it cannot enter, with -a or -N */
	err = in_each ? v6t_netns_walk(netns, run_iter, link, true, &w) : run_iter(link);
	bpf_link__destroy(link);
	return err;
}

int v6t_seed_listeners(struct v6trace_bpf *skel, uint64_t netns)
{
	int err;

	if (!bpf_program__autoload(skel->progs.v6t_iter_listeners))
		return 0;
	forget_holders(skel->maps.listener_holders);
	err = run_each(skel->progs.v6t_iter_holders, netns, false);
	if (!err)
		err = run_each(skel->progs.v6t_iter_listeners, netns, true);
	forget_holders(skel->maps.listener_holders);
	return err;
}

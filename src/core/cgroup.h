/* SPDX-License-Identifier: GPL-2.0 */
/* cgroup v2 ids (what BPF reports) to names people recognise: a container's scope or slice. */
#ifndef V6T_CGROUP_H
#define V6T_CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* Where cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems). */
int v6t_cgroup2_mount(char *out, size_t size);
/*
 * The last element of the cgroup's path ("docker-3f2a....scope", "/" for the root), or NULL
 * if no cgroup has this id (any more). Cached; a miss rescans the tree at most once a second.
 */
const char *v6t_cgroup_name(uint64_t id);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* cgroup v2 ids (what BPF reports) to names people recognise: a pod, a container, a service. */
#ifndef V6T_CGROUP_H
#define V6T_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "container.h"

/* Where cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems). */
int v6t_cgroup2_mount(char *out, size_t size);

/*
 * A live task's cgroup v2 id: the inode of the directory that /proc/PID/cgroup names under
 * root, where cgroup2 is mounted. 0 if the task is gone, or root is NULL (no cgroup2).
 */
uint64_t v6t_cgroup_of_task(const char *root, uint32_t pid);

/* A cgroup as --wide shows it. */
struct v6t_cgroup_owner {
	struct v6t_container c;		/* runtime V6T_RT_NONE: no owner recognised */
	char cgroup[V6T_NAME_LEN];	/* the last element of its path, "/" for the root */
	/* text: "pod shop/web", "docker:web", "nginx.service", else the cgroup */
	char label[2 * V6T_NAME_LEN + 16];
};

/*
 * The owner of the cgroup with this id, recognised from its path and named from the node's
 * state (container.h), or NULL if no cgroup had this id while v6trace looked. pid, a task
 * the event was about (0: none), finds a new cgroup at once while it lives; otherwise a miss
 * rescans the tree, at most once a second. A deleted cgroup stays known until its room is
 * needed; what this returns stays valid for the next 64 calls at least (one event's).
 */
const struct v6t_cgroup_owner *v6t_cgroup_owner(uint64_t id, uint32_t pid);

/* Every cgroup there is now (a fresh walk), with its owner: at most the cache's size. */
void v6t_cgroup_each(void (*fn)(void *ctx, uint64_t id, const struct v6t_cgroup_owner *o),
		     void *ctx);

/* The label of o (what text shows), from its other fields. */
void v6t_cgroup_label(struct v6t_cgroup_owner *o);

/* An owner as recordings keep it, for the cgroup with this id (cgroup_rec.c, as below). */
void v6t_cgroup_owner_rec(struct v6t_owner_rec *r, uint64_t id, const struct v6t_cgroup_owner *o);

/*
 * Replaying a recording that keeps owners (format 1.3 on): from now on v6t_cgroup_owner()
 * answers from its owner records alone, never from this machine's cgroups, where the same
 * id names nothing or another cgroup. Off (older recordings, live tracing): from this
 * machine's, as before.
 */
void v6t_cgroup_recorded_only(bool on);

/*
 * An owner record of the recording being replayed: the last one for an id stands (a new run
 * of a chain may reuse it). 0 or -ENOMEM. Its strings need not be NUL-terminated.
 */
int v6t_cgroup_recorded(const struct v6t_owner_rec *r);
/* Forgets every owner record given (a fuzzer's next input is another recording). */
void v6t_cgroup_recorded_forget(void);
/* Whether v6t_cgroup_recorded_only() is on, and the recorded owner of id (NULL: none). */
bool v6t_cgroup_replaying(void);
const struct v6t_cgroup_owner *v6t_cgroup_recorded_owner(uint64_t id);

#endif

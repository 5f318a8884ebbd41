/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --container, --pod, --unit: whether a task's owner (cgroup.h) is one asked for. The one
 * rule: the pipeline's filter applies it to every event, and the live tracer hands its
 * answer per cgroup to the kernel, which then drops that cgroup's events itself.
 */
#ifndef V6T_OWNER_FILTER_H
#define V6T_OWNER_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include "config.h"
#include "container.h"

/* Whether c is one of cfg's owners (true if cfg names none). */
bool v6t_owner_matches(const struct v6t_config *cfg, const struct v6t_container *c);

/* The same for the cgroup with this id (pid: its task, 0 if none); false if it is unknown. */
bool v6t_owner_filter(const struct v6t_config *cfg, uint64_t cgroup_id, uint32_t pid);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event filters in user space: for replayed recordings (where no kernel filtered) and for
 * what only user space knows (--event, --since, --until). Same meaning as the kernel's.
 */
#ifndef V6T_FILTER_H
#define V6T_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include "config.h"

bool v6t_filter_match(const struct v6t_config *cfg, const struct v6t_sock_event *e, uint64_t wall_ns);

#endif

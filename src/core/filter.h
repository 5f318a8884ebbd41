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
#include "decode.h"

/* Does the decoded record pass the filters of cfg? */
bool v6t_filter_match(const struct v6t_config *cfg, const struct v6t_view *v);

#endif

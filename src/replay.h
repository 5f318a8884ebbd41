/* SPDX-License-Identifier: GPL-2.0 */
/* Replay (-r): a recording through the same pipeline as live events; no root, no BPF. */
#ifndef V6T_REPLAY_H
#define V6T_REPLAY_H

#include "options.h"

/* 0 (also after a truncated tail, with a warning), or -errno after one line on stderr. */
int v6t_run_replay(const struct v6t_config *cfg, volatile int *stop);

#endif

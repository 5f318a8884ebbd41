/* SPDX-License-Identifier: GPL-2.0 */
/* Live tracing: load, attach, and push records into the pipeline until told to stop. */
#ifndef V6T_LIVE_H
#define V6T_LIVE_H

#include "options.h"

/* 0 or -errno; messages are already on stderr. */
int v6t_run_live(const struct v6t_config *cfg, volatile int *stop);
/* -l: the sockets that exist now (no BPF, no root needed for our own namespace), then exit. */
int v6t_run_listeners(const struct v6t_config *cfg);

#endif

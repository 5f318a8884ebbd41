/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The listener seed (tracepoint backend): who holds each TCP listener that is older than the
 * trace, recorded on the socket as listen() would have, so connections to it name its owner.
 */
#ifndef V6T_SEED_H
#define V6T_SEED_H

#include <stdint.h>
#include "skel.h"

/*
 * Runs the two iterators, if the plan loaded them: the holders once, the listeners in every
 * network namespace (netns != 0: only that one). 0, or -errno if nothing could be seeded.
 */
int v6t_seed_listeners(struct v6trace_bpf *skel, uint64_t netns);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The generated BPF skeleton (struct v6trace_bpf), for the attach strategy and the tracer. */
#ifndef V6T_SKEL_H
#define V6T_SKEL_H

/* the generated skeleton casts away const on its embedded ELF bytes */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "v6trace.skel.h"
#pragma GCC diagnostic pop

#endif

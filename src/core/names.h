/* SPDX-License-Identifier: GPL-2.0 */
/* The names of numbers (event kinds, backends, V6ONLY sources), as options and outputs use them. */
#ifndef V6T_NAMES_H
#define V6T_NAMES_H

#define V6T_BACKEND_COUNT 4	/* including AUTO at 0 */

/* "bind", "listening", ...; "unknown" for a kind with no name */
const char *v6t_event_name(unsigned int kind);
/* inverse of v6t_event_name; 0 when unknown */
unsigned int v6t_event_kind(const char *name);
/* where V6ONLY came from: "setsockopt", ... (enum v6t_v6only_source); "n/a" for none */
const char *v6t_source_name(unsigned int source);
/* "auto", "fentry", "kprobe", "tracepoint"; "unknown" out of range */
const char *v6t_backend_name(int backend);
int v6t_backend_by_name(const char *name);	/* -1 if unknown */
/* "EADDRINUSE" for err > 0, "E?" for one libc has no name for */
const char *v6t_errno_name(int err);

#endif

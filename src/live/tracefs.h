/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding a tracepoint's id, which attaching a BPF program to syscalls:sys_exit_* needs: it
 * lives only in tracefs, and tracefs is often not mounted.
 */
#ifndef V6T_TRACEFS_H
#define V6T_TRACEFS_H

/*
 * The id of tracepoint category:name (e.g. "syscalls", "sys_exit_bind"), or -errno. Looks in
 * $V6TRACE_TRACEFS if set ("" turns syscall tracepoints off), else in a mounted tracefs, else
 * in a private, detached tracefs mount of our own that no mount table ever shows.
 */
int v6t_tracepoint_id(const char *category, const char *name);

/* Where ids come from, for -v: a path, "a private tracefs mount", or why there is none. */
const char *v6t_tracefs_where(void);

/* Closes what v6t_tracepoint_id opened. */
void v6t_tracefs_close(void);

#endif

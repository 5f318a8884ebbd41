/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpf's messages: shown with -v (-vv adds its debug log), and read for the one thing
 * v6trace says itself when a load fails: which program it was.
 */
#ifndef V6T_LIBBPF_LOG_H
#define V6T_LIBBPF_LOG_H

/* Routes libbpf's messages through here; verbosity is -v's count. */
void v6t_libbpf_log_init(int verbosity);

/* Forgets the program of an earlier failure: call before each load. */
void v6t_libbpf_log_reset(void);

/* The first program libbpf warned about since the reset ("" if none). */
const char *v6t_libbpf_failed_prog(void);

#endif

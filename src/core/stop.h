/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stopping in bounded time. SIGINT, SIGTERM, SIGHUP and the -d deadline request a stop; from
 * then on a repeating timer interrupts whatever system call v6trace is blocked in, until it
 * exits, so no blocking read or write can outlast the stop, not even one that began just
 * after the signal arrived. Reads and writes go through the helpers here, which decide what an
 * interrupted call means: a read ends at once, a write gets a short grace and is then cut.
 */
#ifndef V6T_STOP_H
#define V6T_STOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* how long output may stay blocked after a stop before it is cut */
#define V6T_STOP_GRACE_S 2

/* Non-zero once a stop is requested. */
extern volatile sig_atomic_t v6t_stop_requested;

/* Installs the handlers and creates the timer. 0 or -errno. */
int v6t_stop_install(void);
/* Requests a stop in seconds from now (-d; 0: never). 0, or -errno after one line on stderr. */
int v6t_stop_after(unsigned int seconds);

/*
 * Writes all of buf, through interrupted and short writes. -errno on an error, -ECANCELED when
 * the output still blocks V6T_STOP_GRACE_S after a stop: a reader that takes nothing more.
 */
int v6t_stop_write_all(int fd, const void *buf, size_t len);
/* read(2), retried when interrupted unless a stop was requested: then -EINTR. */
ssize_t v6t_stop_read(int fd, void *buf, size_t len);
/* strerror(-err), and what -ECANCELED from v6t_stop_write_all means. */
const char *v6t_stop_strerror(int err);

#endif

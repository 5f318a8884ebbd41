/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buffered output to a file descriptor, for the display and for recordings alike. Events
 * arrive in batches; a batch is written with one write(2) and flushed before waiting again,
 * so a pipe reader sees events live without the cost of a syscall per line. Write errors are
 * kept, not lost: for the display EPIPE ends the program quietly, and so does a display cut
 * for blocking past a stop (-ECANCELED, see stop.h); the writer reports its own.
 */
#ifndef V6T_SINK_H
#define V6T_SINK_H

#include <stddef.h>
#include "strbuf.h"

#define V6T_SINK_SIZE 65536

struct v6t_sink {
	int fd;
	int err;	/* first write error, as -errno; once set, output stops */
	size_t len;
	char buf[V6T_SINK_SIZE];
};

void v6t_sink_init(struct v6t_sink *s, int fd);
int v6t_sink_write(struct v6t_sink *s, const char *data, size_t len);
int v6t_sink_flush(struct v6t_sink *s);
/*
 * A line built in place: sb gets the buffer's free tail, max bytes with the NUL (flushed
 * first when less is left), and commit appends what was written. Saves copying every line.
 */
int v6t_sink_begin(struct v6t_sink *s, struct strbuf *sb, size_t max);
void v6t_sink_commit(struct v6t_sink *s, const struct strbuf *sb);

#endif

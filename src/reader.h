/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads recordings, trusting nothing in them: every length is checked against what was read,
 * and every problem is one message naming the file and the byte offset.
 */
#ifndef V6T_READER_H
#define V6T_READER_H

#include <stddef.h>
#include <stdint.h>
#include "recfile.h"

struct v6t_reader;

enum v6t_read_result {
	V6T_READ_RECORD = 1,	/* *rec holds one whole record */
	V6T_READ_END = 0,	/* clean end of file */
	V6T_READ_TRUNCATED = -1,	/* the last record is incomplete: warn, not an error */
	V6T_READ_ERROR = -2,	/* corrupt or unreadable: error message is set */
};

/* Opens path ("-": stdin) and reads its header. 0, or -errno with v6t_reader_error() set. */
int v6t_reader_open(struct v6t_reader **out, const char *path);
/* The same over an already open fd (not closed by the reader); name is for messages. */
int v6t_reader_open_fd(struct v6t_reader **out, int fd, const char *name);
const struct v6t_file_info *v6t_reader_info(const struct v6t_reader *r);
/*
 * The next record. With follow set, the end of the file is not the end: it waits (for the
 * writer to add more) until *stop becomes non-zero, and returns V6T_READ_END then.
 */
enum v6t_read_result v6t_reader_next(struct v6t_reader *r, const struct v6t_rec_hdr **rec, int follow,
				     volatile int *stop);
/* "FILE: ... at offset N" for the last V6T_READ_ERROR/TRUNCATED, or for a failed open. */
const char *v6t_reader_error(const struct v6t_reader *r);
/* A failed v6t_reader_open leaves its message here (no reader to ask). */
const char *v6t_reader_open_error(void);
void v6t_reader_close(struct v6t_reader *r);

#endif

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
	V6T_READ_IDLE = 2,	/* following: all there is was read; call again to wait for more */
	V6T_READ_RECORD = 1,	/* *rec holds one whole record */
	V6T_READ_END = 0,	/* clean end of file, or a stop was requested */
	V6T_READ_TRUNCATED = -1,	/* the last record is incomplete: warn, not an error */
	V6T_READ_ERROR = -2,	/* corrupt or unreadable: error message is set */
};

/*
 * Reads the header of the recording open on fd (the caller closes fd after the reader); name is
 * for messages. 0, or -errno with v6t_reader_open_error() set: -ENODATA when the header is
 * incomplete (an empty file, say), which a writer may still complete.
 */
int v6t_reader_open_fd(struct v6t_reader **out, int fd, const char *name);
const struct v6t_file_info *v6t_reader_info(const struct v6t_reader *r);
/*
 * The next record. The end of what the file holds now is V6T_READ_END (or TRUNCATED in the
 * middle of a record); called again later, it reads what was added since.
 */
enum v6t_read_result v6t_reader_next(struct v6t_reader *r, const struct v6t_rec_hdr **rec);
/* "FILE: ... at offset N" for the last V6T_READ_ERROR/TRUNCATED, or for a failed open. */
const char *v6t_reader_error(const struct v6t_reader *r);
/* A failed v6t_reader_open_fd leaves its message here (no reader to ask). */
const char *v6t_reader_open_error(void);
/*
 * 1 if the (regular) file no longer holds what was read: shorter than that, or another
 * header at its start. Truncated in place, and maybe written again.
 */
int v6t_reader_rewritten(const struct v6t_reader *r);
/*
 * From now on every read checks that the file was not rewritten meanwhile: bytes of
 * another recording at the old offset are not taken for records; the read ends in
 * V6T_READ_ERROR, and v6t_reader_rewritten() says why.
 */
void v6t_reader_check_rewrites(struct v6t_reader *r);
/* Reads the file again from its header; returns as v6t_reader_open_fd does. */
int v6t_reader_restart(struct v6t_reader *r);
void v6t_reader_close(struct v6t_reader *r);

#endif

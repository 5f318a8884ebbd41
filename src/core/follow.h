/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a replay's records come from: one recording read to its end, or, with follow, a
 * recording followed as tail -F follows a log. Following goes on at the end of the file (the
 * writer may add more), on through its rotation chain (FILE.1, FILE.2, ... of the same run
 * only), and copes with what happens to files being followed: a file truncated in place is
 * read again from its header, the name taken over by a new recording is followed there, and
 * files that rotation (-W) removed before they were read are reported as a gap.
 */
#ifndef V6T_FOLLOW_H
#define V6T_FOLLOW_H

#include <stdbool.h>
#include "reader.h"

struct v6t_follow;

/*
 * Opens path ("-": standard input). Following, it waits for a header still being written,
 * and a path that rotation removed starts at the oldest file left of the newest run. 0, or
 * -errno with v6t_follow_open_error() set (-EINTR: stopped while waiting).
 */
int v6t_follow_open(struct v6t_follow **out, const char *path, bool follow);
const char *v6t_follow_open_error(void);
/*
 * The next record. Following, V6T_READ_IDLE says all there is was read (show it now): the
 * next call waits for more, until a stop is requested (then V6T_READ_END).
 */
enum v6t_read_result v6t_follow_next(struct v6t_follow *f, const struct v6t_rec_hdr **rec);
/* The header of the file being read: it changes when following moves to a new run. */
const struct v6t_file_info *v6t_follow_info(const struct v6t_follow *f);
/* The message of the last V6T_READ_ERROR or V6T_READ_TRUNCATED. */
const char *v6t_follow_error(const struct v6t_follow *f);
void v6t_follow_close(struct v6t_follow *f);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one rule for every file v6trace writes (recordings and their rotated parts). v6trace
 * runs as root, often in directories other users can write to, so at the name it is given:
 *   - a symbolic link is never followed, and a file another user owns is never written;
 *   - a new name is created exclusively, with the mode asked for (0600 unless told), and
 *     written under its final name, so a reader can follow it as it grows;
 *   - an existing regular file of ours is never truncated or written into: the new contents go
 *     to a temporary file .NAME.XXXXXX in the same directory, renamed over NAME once complete;
 *     until then NAME keeps its old contents, and after a crash the temporary file remains;
 *   - an existing FIFO or character device of ours (or root's, such as /dev/null) is written
 *     as it is, opened without blocking: a FIFO with no reader is an error, not a hang;
 *   - anything else (a directory, a socket, a block device) is refused.
 * A file written whole each time (opts.whole: --metrics, which a collector reads at any
 * moment) is never written under its final name, new or not: always a temporary file renamed
 * over the name, in a directory that must not let others move what is in it (a link of
 * another user's, or writable by others without the sticky bit, is refused). It is not
 * fsynced: the next interval rewrites it, and a sync could stall the tracing loop.
 * Each refusal is one line on stderr naming the file and the reason.
 */
#ifndef V6T_OUTFILE_H
#define V6T_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define V6T_OUTFILE_MODE 0600	/* a recording says who ran what: only its owner reads it */

/* A file as the kernel knows it, whatever its name: the same (dev, ino) is the same file. */
struct v6t_file_id {
	uint64_t dev;
	uint64_t ino;
};

struct v6t_outfile_opts {
	mode_t mode;			/* of files created, exactly: no umask applies */
	bool regular_only;		/* rotation: a FIFO or device is refused too */
	bool whole;			/* always through a temporary file (see above) */
	struct v6t_file_id keep;	/* never replace this (the recording read); 0: none */
};

struct v6t_outfile {
	char path[PATH_MAX];		/* the name asked for */
	char tmp[PATH_MAX];		/* "" or the temporary file to replace path at commit */
	struct v6t_file_id id;		/* the file written (the temporary one if any) */
	bool regular;			/* a regular file: synced at commit, can be rotated */
	bool whole;			/* opts.whole: not synced */
};

/* Opens path for writing by the rule above. Returns the fd, or -errno after one line on stderr. */
int v6t_outfile_open(struct v6t_outfile *f, const char *path, const struct v6t_outfile_opts *o);
/*
 * The file is complete: fsync (regular files), close, and put a temporary file in place of the
 * old one. Returns 0 or -errno after one line on stderr.
 */
int v6t_outfile_commit(struct v6t_outfile *f, int fd);
/* Writing failed: close, leave an old file as it was, and say where the new contents are. */
void v6t_outfile_abandon(struct v6t_outfile *f, int fd);
/* Writing failed, and what was written is worth nothing: close, and remove a temporary file. */
void v6t_outfile_discard(struct v6t_outfile *f, int fd);
/*
 * Removes path only if it is still the file id names (one this run wrote, for -W); anything
 * else there now is left alone with a warning.
 */
void v6t_outfile_remove(const char *path, const struct v6t_file_id *id);

#endif

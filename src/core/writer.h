/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writes recordings: buffered (no fsync per event), flushed after each batch, at rotation and
 * at exit, so a killed writer leaves every record up to the last flush intact. A write error
 * (ENOSPC, EIO) is kept and reported; nothing already written is ever rewritten.
 */
#ifndef V6T_WRITER_H
#define V6T_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include "outfile.h"
#include "recfile.h"

struct v6t_writer;

struct v6t_writer_opts {
	const char *path;		/* "-" for stdout */
	uint64_t rotate_bytes;		/* 0: never; else start FILE.1, FILE.2, ... past this size */
	unsigned int keep_files;	/* 0: keep all; else delete the oldest beyond this many */
	unsigned int file_mode;		/* of the files created (V6T_OUTFILE_MODE) */
	struct v6t_file_id input;	/* the recording being read, never replaced; 0: none */
};

/*
 * Creates the first file (by the rule of outfile.h) and writes its header. Returns 0 or -errno
 * after one line on stderr.
 */
int v6t_writer_open(struct v6t_writer **out, const struct v6t_writer_opts *opts,
		    const struct v6t_file_info *info);
/* Appends one record (its header's size says how long). 0 or the first write error. */
int v6t_writer_add(struct v6t_writer *w, const void *rec, size_t size);
/*
 * Appends a socket event and what goes with it, all in one file: first the owner of each
 * cgroup it names (its task's, and its port's sockets' owners'), as v6t_cgroup_owner() says,
 * once per file; then its port's sockets (socks, NULL if none); then the event. 0 or the
 * first write error.
 */
int v6t_writer_add_event(struct v6t_writer *w, const struct v6t_port_socks_rec *socks,
			 const struct v6t_sock_event *e);
/*
 * Records a namespace's bindv6only once per file: a rotated file repeats the namespaces seen
 * so far right after its header, so each file stands on its own.
 */
int v6t_writer_add_netns(struct v6t_writer *w, uint64_t netns_ino, uint8_t bindv6only);
/* Writes what is buffered (not fsync). 0 or the first write error, reported once on stderr. */
int v6t_writer_flush(struct v6t_writer *w);
/*
 * Flushes, fsyncs a regular file, closes, and only then puts it in place of an older file of
 * its name; returns the first error seen. NULL is fine.
 */
int v6t_writer_close(struct v6t_writer *w);

/* Fills info with this host's facts: name, kernel, version, own namespace, clock offset. */
void v6t_file_info_local(struct v6t_file_info *info, int64_t boot_to_wall_ns);

#endif

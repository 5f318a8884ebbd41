/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recording's chain of files (-C): FILE is file 0, FILE.n file n, all of one run, which a
 * random id in each header names (the run tag). The writer marks its files; --follow finds
 * the next one, and never takes a file of another run for it.
 */
#ifndef V6T_CHAIN_H
#define V6T_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include "recfile.h"

/* Marks info as file index of its run; file 0 starts a new run, with a new random id. */
void v6t_chain_mark(struct v6t_file_info *info, unsigned int index);
/* FILE.index (FILE itself for 0) into out. 0, or -ENAMETOOLONG. */
int v6t_chain_name(char *out, size_t size, const char *base, unsigned int index);
/* FILE, when path names file index of a chain ("t.v6t.3" for 3, anything for 0); else -EINVAL. */
int v6t_chain_base(char *out, size_t size, const char *path, unsigned int index);
/* Both are files of one run. */
bool v6t_chain_same_run(const struct v6t_file_info *a, const struct v6t_file_info *b);
/* The directory path is in ("." for a bare name). */
void v6t_chain_dir(char *out, size_t size, const char *path);
/* Calls found for every FILE.n, n >= 1 written as the writer writes it, in base's directory. */
int v6t_chain_scan(const char *base, void (*found)(void *ctx, unsigned int index, const char *path),
		   void *ctx);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests that write files: a directory of their own, made before a group, removed after. */
#ifndef V6T_TEST_TMPDIR_H
#define V6T_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

static char dir[] = "/tmp/v6t-unit-XXXXXX";

static int make_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

#endif

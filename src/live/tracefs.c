// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include "tracefs.h"

static int root_fd = -1;	/* the tracefs root we read ids from */
static int root_err;		/* why there is none, once looked for */
static char where[64];

static int open_dir(const char *path)
{
	return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/*
 * A tracefs of our own: fsopen/fsmount (5.2+) give a mount that is attached nowhere, so the
 * traced system's mount tables do not change, and it goes away with the last fd on it.
 */
static int private_mount(void)
{
	int fs, mnt;

	fs = fsopen("tracefs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
		int err = -errno;

		close(fs);
		return err;
	}
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		mnt = -errno;
	close(fs);
	return mnt;
}

static int find_root(void)
{
	static const char *const mounted[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	const char *env = getenv("V6TRACE_TRACEFS");
	int fd;

	if (env) {
		if (!*env) {
			snprintf(where, sizeof(where), "turned off by V6TRACE_TRACEFS");
			return -ENOENT;
		}
		fd = open_dir(env);
		snprintf(where, sizeof(where), "%.63s", env);
		return fd < 0 ? -errno : fd;
	}
	for (unsigned int i = 0; i < sizeof(mounted) / sizeof(mounted[0]); i++) {
		/* the directory exists unmounted too: its events/ says it is really tracefs */
		fd = open_dir(mounted[i]);
		if (fd < 0)
			continue;
		if (!faccessat(fd, "events", F_OK, 0)) {
			snprintf(where, sizeof(where), "%s", mounted[i]);
			return fd;
		}
		close(fd);
	}
	fd = private_mount();
	snprintf(where, sizeof(where), "%s", fd >= 0 ? "a private tracefs mount" : "no tracefs");
	return fd;
}

int v6t_tracepoint_id(const char *category, const char *name)
{
	char path[256], buf[32];
	ssize_t n;
	int fd;

	if (root_fd < 0 && !root_err) {
		root_fd = find_root();
		if (root_fd < 0) {
			root_err = root_fd;
			root_fd = -1;
		}
	}
	if (root_fd < 0)
		return root_err;
	snprintf(path, sizeof(path), "events/%s/%s/id", category, name);
	fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	buf[n] = '\0';
	return atoi(buf) > 0 ? atoi(buf) : -EINVAL;
}

const char *v6t_tracefs_where(void)
{
	return where[0] ? where : "not looked for";
}

void v6t_tracefs_close(void)
{
	if (root_fd >= 0)
		close(root_fd);
	root_fd = -1;
	root_err = 0;
}

// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "diag_netns.h"

/* The namespace file at path if it is the one wanted: its fd (and its place kept), else -1. */
static int open_if(struct v6t_netns_place *last, const char *path, uint64_t want)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_ino != want) {
		close(fd);
		return -1;
	}
	last->netns_ino = want;
	snprintf(last->path, sizeof(last->path), "%s", path);
	return fd;
}

/* Some process's, or a name in /run/netns, until the deadline. */
static int scan_for(struct v6t_netns_place *last, const char *dir, const char *fmt, uint64_t want,
		    int64_t deadline)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[64];
	int fd = -1;

	while (d && fd < 0 && (de = readdir(d)) && v6t_clock_ns(CLOCK_MONOTONIC) < deadline) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), fmt, de->d_name);
		fd = open_if(last, path, want);
	}
	if (d)
		closedir(d);
	return fd;
}

/* An fd of the namespace: where it was found last, pid's, or by a scan. */
static int open_netns(uint64_t want, uint32_t pid, struct v6t_netns_place *last, int64_t deadline)
{
	char path[64];
	int fd = -1;

	if (last->netns_ino == want)
		fd = open_if(last, last->path, want);
	if (fd < 0 && pid) {
		snprintf(path, sizeof(path), "/proc/%u/ns/net", pid);
		fd = open_if(last, path, want);
	}
	if (fd < 0)
		fd = scan_for(last, "/run/netns", "/run/netns/%.40s", want, deadline);
	if (fd < 0)
		fd = scan_for(last, "/proc", "/proc/%.16s/ns/net", want, deadline);
	return fd;
}

struct diag_in {
	int netns_fd;
	struct v6t_diag *d;
	int err;
};

/* setns changes the calling thread's namespace only: ours stays where it is */
static void *open_diag_thread(void *arg)
{
	struct diag_in *in = arg;

	in->err = setns(in->netns_fd, CLONE_NEWNET) ? -errno : v6t_diag_open(&in->d);
	return NULL;
}

int v6t_diag_open_netns(struct v6t_diag **d, uint64_t netns_ino, uint32_t pid,
			struct v6t_netns_place *last, int64_t deadline)
{
	struct diag_in in = { .d = NULL };
	pthread_t t;
	int err;

	in.netns_fd = open_netns(netns_ino, pid, last, deadline);
	if (in.netns_fd < 0)
		return -ENOENT;
	err = -pthread_create(&t, NULL, open_diag_thread, &in);
	if (!err)
		err = -pthread_join(t, NULL);
	close(in.netns_fd);
	*d = in.d;
	return err ? err : in.err;
}

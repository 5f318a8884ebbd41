// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "procfs.h"

/*
 * The name and a '\n' the kernel adds: a name may hold '\n' itself (prctl takes any byte but
 * NUL), so only the last one goes; stopping at the first would show another name.
 */
void v6t_proc_comm(int pid, char *comm, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, comm, size - 1);
	close(fd);
	if (n <= 0)
		return;
	if (comm[n - 1] == '\n')
		n--;
	comm[n] = '\0';
}

/* A socket's fd reads "socket:[INODE]". */
uint64_t v6t_proc_fd_socket(int dirfd, const char *name)
{
	char link[64];
	ssize_t len = readlinkat(dirfd, name, link, sizeof(link) - 1);
	unsigned long long ino;

	if (len <= 0)
		return 0;
	link[len] = '\0';
	return sscanf(link, "socket:[%llu]", &ino) == 1 ? ino : 0;
}

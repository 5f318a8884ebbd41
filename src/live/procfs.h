/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What /proc tells about a process and its sockets, as ss -p reads it: the start-up snapshot
 * and the port lookup find sockets' owners this way.
 */
#ifndef V6T_PROCFS_H
#define V6T_PROCFS_H

#include <stddef.h>
#include <stdint.h>

/* The process's name into comm (NUL-terminated); comm is left as it was if pid is gone. */
void v6t_proc_comm(int pid, char *comm, size_t size);
/* The socket inode fd name of the fd directory dirfd is open to, or 0 if it is no socket. */
uint64_t v6t_proc_fd_socket(int dirfd, const char *name);

#endif

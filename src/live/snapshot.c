// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cgroup.h"
#include "clock.h"
#include "diag.h"
#include "grow.h"
#include "netns.h"
#include "netns_walk.h"
#include "procfs.h"
#include "snapshot.h"

/* Sockets and namespaces are as many as the machine has: the tables grow, no fixed limit. */
struct found {
	struct v6t_sock_event *ev;
	unsigned int n;
	unsigned int cap;
	struct v6t_netns_info netns;	/* where the dump runs now */
	uint64_t now_boot_ns;
};

static int on_listener(void *data, uint8_t proto, const struct v6t_diag_sock *s)
{
	const struct inet_diag_msg *m = s->msg;
	struct found *f = data;
	struct v6t_sock_event *e;

	if (f->n == f->cap) {
		e = v6t_grow(f->ev, &f->cap, sizeof(*f->ev), 64);
		if (!e)
			return -ENOMEM;
		f->ev = e;
	}
	e = &f->ev[f->n++];
	memset(e, 0, sizeof(*e));
	e->hdr.type = V6T_REC_SOCK_EVENT;
	e->hdr.size = sizeof(*e);
	e->kind = V6T_EV_SOCKET;
	e->ts_boot_ns = f->now_boot_ns;
	e->family = m->idiag_family;
	e->proto = proto;
	e->local_port = ntohs(m->id.idiag_sport);
	memcpy(e->local_addr, m->id.idiag_src, m->idiag_family == AF_INET6 ? 16 : 4);
	/* a connected UDP socket: its address may be connect()'s choice rather than bound */
	if (m->id.idiag_dport) {
		memcpy(e->peer_addr, m->id.idiag_dst, m->idiag_family == AF_INET6 ? 16 : 4);
		e->peer_port = ntohs(m->id.idiag_dport);
		e->flags |= V6T_F_HAS_PEER;
	}
	e->uid = m->idiag_uid;
	e->sock_ino = m->idiag_inode;
	e->netns_ino = f->netns.netns_ino;
	e->sysctl_v6only = f->netns.bindv6only;
	/* the kernel sends INET_DIAG_SKV6ONLY only for LISTEN and CLOSE sockets: all we ask for */
	e->v6only = v6t_diag_attr_u8(s->attr[INET_DIAG_SKV6ONLY], 0);
	return 0;
}

static int snapshot_here(struct found *f)
{
	/* /proc/self/ns/net and /proc/sys/net: the namespace entered */
	v6t_netns_here(&f->netns);
	f->now_boot_ns = v6t_clock_ns(CLOCK_BOOTTIME);
	return v6t_diag_each_listener(on_listener, f);
}

/* A process that holds sockets: its name and cgroup, read once, at its first socket. */
struct owner {
	int pid;
	bool known;
	const char *cgroup_root;	/* where cgroup2 is mounted; NULL: nowhere */
	char comm[V6T_COMM_LEN + 1];
	uint64_t cgroup_id;
};

static void claim(struct v6t_sock_event *e, struct owner *o)
{
	if (!o->known) {
		v6t_proc_comm(o->pid, o->comm, sizeof(o->comm));
		o->cgroup_id = v6t_cgroup_of_task(o->cgroup_root, o->pid);
		o->known = true;
	}
	e->pid = e->tid = o->pid;
	memcpy(e->comm, o->comm, V6T_COMM_LEN);
	e->cgroup_id = o->cgroup_id;
}

/*
 * The sockets found, by inode: buckets chained through the sockets' indices (plus one, so
 * that 0 ends a chain). Each fd is looked up here, not compared with every socket: the search
 * costs the fds plus the sockets, not their product.
 */
struct by_inode {
	unsigned int *head;
	unsigned int *next;
	unsigned int bits;
};

static unsigned int bucket(const struct by_inode *h, uint64_t ino)
{
	/* inode numbers are handed out in sequence: multiply, so they spread over the buckets */
	return (ino * 0x9e3779b97f4a7c15ULL) >> (64 - h->bits);
}

static int index_by_inode(struct by_inode *h, const struct found *f)
{
	h->bits = 1;
	while (h->bits < 31 && (1U << h->bits) < f->n)
		h->bits++;
	h->head = calloc(1U << h->bits, sizeof(*h->head));
	h->next = calloc(f->n, sizeof(*h->next));
	if (!h->head || !h->next)
		return -ENOMEM;
	for (unsigned int i = 0; i < f->n; i++) {
		unsigned int b = bucket(h, f->ev[i].sock_ino);

		h->next[i] = h->head[b];
		h->head[b] = i + 1;
	}
	return 0;
}

/* The sockets among this process's fds that have no owner yet are its. */
static void claim_sockets_of(int pid, const char *cgroup_root, const struct by_inode *h,
			     struct found *f)
{
	struct owner o = { .pid = pid, .cgroup_root = cgroup_root };
	char path[32];
	struct dirent *de;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	fds = opendir(path);
	if (!fds)
		return;
	while ((de = readdir(fds))) {
		uint64_t ino = v6t_proc_fd_socket(dirfd(fds), de->d_name);

		if (!ino)
			continue;
		for (unsigned int i = h->head[bucket(h, ino)]; i; i = h->next[i - 1])
			if (f->ev[i - 1].sock_ino == ino && !f->ev[i - 1].pid)
				claim(&f->ev[i - 1], &o);
	}
	closedir(fds);
}

/*
 * Owners, as ss -p finds them: a socket's fd in /proc/PID/fd reads "socket:[INODE]". One scan
 * of /proc for all sockets at once; a socket two processes share is the first one's. Without
 * privileges other users' fds stay unknown (pid 0).
 */
static int find_owners(struct found *f)
{
	struct by_inode h = {};
	char root[1024];
	const char *cgroup_root;
	struct dirent *pd;
	DIR *proc;
	int err;

	if (!f->n)
		return 0;
	err = index_by_inode(&h, f);
	if (err) {
		fprintf(stderr, "v6trace: finding the sockets' owners: %s\n", strerror(-err));
		goto out;
	}
	proc = opendir("/proc");
	if (!proc)
		goto out;
	cgroup_root = v6t_cgroup2_mount(root, sizeof(root)) ? NULL : root;
	while ((pd = readdir(proc))) {
		int pid = atoi(pd->d_name);

		if (pid > 0)
			claim_sockets_of(pid, cgroup_root, &h, f);
	}
	closedir(proc);
out:
	free(h.head);
	free(h.next);
	return err;
}

static int dump_here(void *arg)
{
	int err = snapshot_here(arg);

	if (err)
		fprintf(stderr, "v6trace: listing sockets (sock_diag) failed: %s\n",
			strerror(-err));
	return err;
}

/*
 * Every namespace, or the one wanted (-N, 0: any). One that cannot be entered is named and
 * the others are still dumped; the first error is returned.
 */
static int dump_all(struct found *f, uint64_t own, uint64_t want)
{
	struct v6t_netns_walk w;
	int err = v6t_netns_walk(want, dump_here, f, false, &w);

	if (want && !w.visited && want != own) {
		fprintf(stderr, "v6trace: no process or /run/netns entry is in network namespace "
			"%llu: its sockets are not listed\n", (unsigned long long)want);
		err = err ? err : -ENOENT;
	}
	/* they matter if they may hold what was not found */
	if (w.hidden && (!want || !w.visited)) {
		fprintf(stderr, "v6trace: cannot see the network namespaces of %u processes of "
			"other users: their sockets are not listed\n", w.hidden);
		err = err ? err : -EACCES;
	}
	return err;
}

int v6t_snapshot(struct v6t_pipeline *p, const struct v6t_config *cfg)
{
	uint64_t own = v6t_netns_self();
	struct found f = {};
	int err, owners_err;

	/* -N another namespace: its sockets, found where --all-netns finds them */
	if (!cfg->all_netns && (!cfg->netns || cfg->netns == own))
		err = dump_here(&f);
	else
		err = dump_all(&f, own, cfg->netns);
	/* what was found is listed, even when some namespace could not be, or its owners */
	owners_err = find_owners(&f);
	err = err ? err : owners_err;
	for (unsigned int i = 0; i < f.n; i++)
		if (v6t_pipeline_push(p, &f.ev[i].hdr, sizeof(f.ev[i])))
			break;
	free(f.ev);
	return err;
}

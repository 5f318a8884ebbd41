// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "classify.h"
#include "clock.h"
#include "diag.h"
#include "netns.h"
#include "portsocks.h"
#include "procfs.h"

/* A user looping failing binds must not keep v6trace busy: lookups past these are skipped. */
#define LOOKUPS_PER_S 20
#define LOOKUP_BUDGET_NS (50 * 1000000LL)	/* finding the namespace and the owners */
#define OWNER_SCAN_BUDGET_NS (20 * 1000000LL)	/* of it, scanning /proc for owners */
/* Linux 6.9's TCP_BOUND_INACTIVE: bound, not listening; older kernels ignore the bit */
#define TCP_BOUND_INACTIVE 13

struct v6t_portsocks {
	const struct v6t_owners *owners;
	uint64_t own_netns;
	int64_t window_start;		/* CLOCK_MONOTONIC of the rate limit's second */
	unsigned int in_window;
	uint64_t netns_ino;		/* the namespace last entered, and a path to it */
	char netns_path[64];
};

int v6t_portsocks_new(struct v6t_portsocks **out, const struct v6t_owners *owners)
{
	struct v6t_portsocks *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return -ENOMEM;
	ps->owners = owners;
	ps->own_netns = v6t_netns_self();
	*out = ps;
	return 0;
}

void v6t_portsocks_free(struct v6t_portsocks *ps)
{
	free(ps);
}

static bool rate_ok(struct v6t_portsocks *ps)
{
	int64_t now = v6t_clock_ns(CLOCK_MONOTONIC);

	if (now - ps->window_start >= 1000000000LL) {
		ps->window_start = now;
		ps->in_window = 0;
	}
	return ps->in_window++ < LOOKUPS_PER_S;
}

/* The namespace file at path if it is the one wanted: its fd, else -1 (cached when it is). */
static int open_if(struct v6t_portsocks *ps, const char *path, uint64_t want)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_ino != want) {
		close(fd);
		return -1;
	}
	ps->netns_ino = want;
	snprintf(ps->netns_path, sizeof(ps->netns_path), "%s", path);
	return fd;
}

/* Some process's, or a name in /run/netns, until the deadline. */
static int scan_for(struct v6t_portsocks *ps, const char *dir, const char *fmt, uint64_t want,
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
		fd = open_if(ps, path, want);
	}
	if (d)
		closedir(d);
	return fd;
}

/* An fd of network namespace e is in: where we found it last, its task's, or by a scan. */
static int open_netns(struct v6t_portsocks *ps, const struct v6t_sock_event *e, int64_t deadline)
{
	char path[64];
	int fd = -1;

	if (ps->netns_ino == e->netns_ino)
		fd = open_if(ps, ps->netns_path, e->netns_ino);
	if (fd < 0 && e->pid) {
		snprintf(path, sizeof(path), "/proc/%u/ns/net", e->pid);
		fd = open_if(ps, path, e->netns_ino);
	}
	if (fd < 0)
		fd = scan_for(ps, "/run/netns", "/run/netns/%.40s", e->netns_ino, deadline);
	if (fd < 0)
		fd = scan_for(ps, "/proc", "/proc/%.16s/ns/net", e->netns_ino, deadline);
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

/* A sock_diag socket of e's namespace: a socket stays in the namespace it was made in. */
static int open_diag_in(struct v6t_portsocks *ps, const struct v6t_sock_event *e,
			struct v6t_diag **d, int64_t deadline)
{
	struct diag_in in = { .err = -ENOENT };
	pthread_t t;
	int err;

	if (e->netns_ino == ps->own_netns)
		return v6t_diag_open(d);
	in.netns_fd = open_netns(ps, e, deadline);
	if (in.netns_fd < 0)
		return -ENOENT;
	err = -pthread_create(&t, NULL, open_diag_thread, &in);
	if (!err)
		err = -pthread_join(t, NULL);
	close(in.netns_fd);
	*d = in.d;
	return err ? err : in.err;
}

struct collect {
	struct v6t_port_socks_rec *r;
	int64_t deadline;		/* CLOCK_MONOTONIC: a namespace of very many sockets */
	uint64_t exclude_ino;
	uint16_t port;
	uint8_t proto;
};

static int on_port_sock(void *data, const struct v6t_diag_sock *s)
{
	const struct inet_diag_msg *m = s->msg;
	struct collect *c = data;
	struct v6t_port_sock *p;

	if (v6t_clock_ns(CLOCK_MONOTONIC) >= c->deadline)
		return -ETIME;
	if (ntohs(m->id.idiag_sport) != c->port || m->idiag_inode == c->exclude_ino)
		return 0;
	if (c->r->count == V6T_PORT_SOCKS_MAX) {
		c->r->flags |= V6T_PS_MORE;
		return 0;
	}
	p = &c->r->socks[c->r->count++];
	memset(p, 0, sizeof(*p));
	p->sock_ino = m->idiag_inode;
	memcpy(p->addr, m->id.idiag_src, m->idiag_family == AF_INET6 ? 16 : 4);
	p->uid = m->idiag_uid;
	p->port = c->port;
	p->family = m->idiag_family;
	p->proto = c->proto;
	p->v6only = v6t_diag_attr_u8(s->attr[INET_DIAG_SKV6ONLY], 0);
	p->state = m->idiag_state;
	return 0;
}

static int dump_port(struct v6t_diag *d, const struct v6t_sock_event *e, bool listeners_only,
		     struct v6t_port_socks_rec *r, int64_t deadline)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	struct collect c = { .r = r, .deadline = deadline, .port = e->local_port,
			     .proto = e->proto };
	struct inet_diag_req_v2 req = { .sdiag_protocol = e->proto, .idiag_states = ~0U };
	int err = 0;

	if (e->proto == IPPROTO_TCP)
		req.idiag_states = listeners_only ? 1U << TCP_LISTEN :
				   1U << TCP_LISTEN | 1U << TCP_BOUND_INACTIVE;
	/* a failed bind's socket holds nothing, but a refused packet has no socket of its own */
	if (!listeners_only)
		c.exclude_ino = e->sock_ino;
	for (unsigned int i = 0; i < 2 && !err; i++) {
		req.sdiag_family = families[i];
		err = v6t_diag_dump(d, &req, on_port_sock, &c);
	}
	return err;
}

/*
 * The sockets of the list whose owner is not known yet among pid's fds are pid's. A process
 * may have a million fds: the walk stops at the deadline too.
 */
static unsigned int claim_in(int pid, struct v6t_port_socks_rec *r, unsigned int unknown,
			     int64_t deadline)
{
	char path[32];
	struct dirent *de;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	fds = opendir(path);
	char comm[V6T_COMM_LEN + 1] = "";

	while (fds && unknown && v6t_clock_ns(CLOCK_MONOTONIC) < deadline && (de = readdir(fds))) {
		uint64_t ino = v6t_proc_fd_socket(dirfd(fds), de->d_name);

		for (unsigned int i = 0; ino && i < r->count; i++) {
			struct v6t_port_sock *s = &r->socks[i];

			if (s->pid || s->sock_ino != ino)
				continue;
			if (!comm[0])
				v6t_proc_comm(pid, comm, sizeof(comm));
			s->pid = pid;
			memcpy(s->comm, comm, V6T_COMM_LEN);
			unknown--;
		}
	}
	if (fds)
		closedir(fds);
	return unknown;
}

/*
 * Owners this run did not see, as ss -p finds them, until the budget runs out (a machine of
 * many processes): a socket not found stays pid 0, its options unknown.
 */
static void scan_owners(struct v6t_port_socks_rec *r, unsigned int unknown, int64_t deadline)
{
	DIR *proc = opendir("/proc");
	struct dirent *pd;

	while (proc && unknown && (pd = readdir(proc))) {
		int pid = atoi(pd->d_name);

		if (v6t_clock_ns(CLOCK_MONOTONIC) >= deadline) {
			r->flags |= V6T_PS_FAILED;
			break;
		}
		if (pid > 0)
			unknown = claim_in(pid, r, unknown, deadline);
	}
	if (proc)
		closedir(proc);
}

static void find_owners(struct v6t_portsocks *ps, const struct v6t_sock_event *e,
			struct v6t_port_socks_rec *r, int64_t deadline)
{
	int64_t scan_end = v6t_clock_ns(CLOCK_MONOTONIC) + OWNER_SCAN_BUDGET_NS;
	unsigned int unknown = 0;

	for (unsigned int i = 0; i < r->count; i++) {
		struct v6t_port_sock *s = &r->socks[i];
		struct v6t_owner o = { 0 };

		if (v6t_owners_find(ps->owners, e->netns_ino, s->sock_ino, &o)) {
			s->pid = o.pid;
			s->cgroup_id = o.cgroup_id;
			memcpy(s->comm, o.comm, V6T_COMM_LEN);
			s->sockopts = o.sockopts;
		} else {
			unknown++;
		}
		s->v6only_source = v6t_port_sock_source(s, e->sysctl_v6only, o.setter_known);
	}
	if (unknown)
		scan_owners(r, unknown, scan_end < deadline ? scan_end : deadline);
}

void v6t_portsocks_lookup(struct v6t_portsocks *ps, const struct v6t_sock_event *e,
			  bool listeners_only, struct v6t_port_socks_rec *r)
{
	int64_t deadline = v6t_clock_ns(CLOCK_MONOTONIC) + LOOKUP_BUDGET_NS;
	struct v6t_diag *d = NULL;

	memset(r, 0, sizeof(*r));
	r->hdr.type = V6T_REC_PORT_SOCKS;
	r->ts_boot_ns = e->ts_boot_ns;
	if (!rate_ok(ps)) {
		r->flags = V6T_PS_SKIPPED;
	} else if (open_diag_in(ps, e, &d, deadline) ||
		   dump_port(d, e, listeners_only, r, deadline)) {
		/* the namespace is gone, or the dump failed: what was found is listed */
		r->flags |= V6T_PS_FAILED;
	}
	v6t_diag_close(d);
	find_owners(ps, e, r, deadline);
	r->hdr.size = v6t_port_socks_size(r->count);
}

bool v6t_portsocks_push(struct v6t_portsocks *ps, struct v6t_pipeline *p,
			const struct v6t_sock_event *e)
{
	union {
		struct v6t_port_socks_rec r;
		unsigned char bytes[sizeof(struct v6t_port_socks_rec) +
				    V6T_PORT_SOCKS_MAX * sizeof(struct v6t_port_sock)];
	} u;
	enum v6t_port_list list = v6t_port_list_of(e);

	if (list == V6T_LIST_NONE || v6t_pipeline_done(p))
		return v6t_pipeline_push(p, &e->hdr, sizeof(*e));
	v6t_portsocks_lookup(ps, e, list == V6T_LIST_LISTENERS, &u.r);
	if (!v6t_port_list_keeps(e, &u.r))
		return v6t_pipeline_done(p);
	v6t_pipeline_push(p, &u.r.hdr, u.r.hdr.size);
	return v6t_pipeline_push(p, &e->hdr, sizeof(*e));
}

// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cgroup.h"
#include "classify.h"
#include "clock.h"
#include "diag_netns.h"
#include "netns.h"
#include "portsocks.h"
#include "procfs.h"

/* A user looping failing binds must not keep v6trace busy: lookups past these are skipped. */
#define LOOKUPS_PER_S 20
#define LOOKUP_WALL_NS (250 * 1000000LL)	/* a hard cap on the whole lookup, whatever the load */
/*
 * Scanning /proc for owners, in this thread's CPU time: a loaded machine that keeps us
 * waiting does not cut it short. With the rate limit, at most 2/5 of a CPU a second.
 */
#define OWNER_SCAN_CPU_NS (20 * 1000000LL)
/* Linux 6.9's TCP_BOUND_INACTIVE: bound, not listening; older kernels ignore the bit */
#define TCP_BOUND_INACTIVE 13

struct v6t_portsocks {
	const struct v6t_owners *owners;
	uint64_t own_netns;
	int64_t window_start;		/* CLOCK_MONOTONIC of the rate limit's second */
	unsigned int in_window;
	struct v6t_netns_place last;	/* the namespace last entered */
	char cgroup_root[256];		/* where cgroup2 is mounted, "" if it is not */
};

int v6t_portsocks_new(struct v6t_portsocks **out, const struct v6t_owners *owners)
{
	struct v6t_portsocks *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return -ENOMEM;
	ps->owners = owners;
	ps->own_netns = v6t_netns_self();
	if (v6t_cgroup2_mount(ps->cgroup_root, sizeof(ps->cgroup_root)))
		ps->cgroup_root[0] = '\0';
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

/* A sock_diag socket of e's namespace: a socket stays in the namespace it was made in. */
static int open_diag_in(struct v6t_portsocks *ps, const struct v6t_sock_event *e,
			struct v6t_diag **d, int64_t deadline)
{
	if (e->netns_ino == ps->own_netns)
		return v6t_diag_open(d);
	return v6t_diag_open_netns(d, e->netns_ino, e->pid, &ps->last, deadline);
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

struct budget {
	int64_t wall_end;	/* CLOCK_MONOTONIC */
	int64_t cpu_end;	/* CLOCK_THREAD_CPUTIME_ID */
};

static bool budget_left(const struct budget *b)
{
	return v6t_clock_ns(CLOCK_MONOTONIC) < b->wall_end &&
	       v6t_clock_ns(CLOCK_THREAD_CPUTIME_ID) < b->cpu_end;
}

/*
 * The sockets of the list whose owner is not known yet among pid's fds are pid's. A process
 * may have a million fds: the walk stops when the budget does too.
 */
static unsigned int claim_in(const struct v6t_portsocks *ps, int pid,
			     struct v6t_port_socks_rec *r, unsigned int unknown, const struct budget *b)
{
	char path[32];
	struct dirent *de;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	fds = opendir(path);
	char comm[V6T_COMM_LEN + 1] = "";
	uint64_t cgroup_id = 0;

	while (fds && unknown && budget_left(b) && (de = readdir(fds))) {
		uint64_t ino = v6t_proc_fd_socket(dirfd(fds), de->d_name);

		for (unsigned int i = 0; ino && i < r->count; i++) {
			struct v6t_port_sock *s = &r->socks[i];

			if (s->pid || s->sock_ino != ino)
				continue;
			if (!comm[0]) {
				v6t_proc_comm(pid, comm, sizeof(comm));
				cgroup_id = v6t_cgroup_of_task(ps->cgroup_root[0] ? ps->cgroup_root :
							       NULL, pid);
			}
			s->pid = pid;
			s->cgroup_id = cgroup_id;
			memcpy(s->comm, comm, V6T_COMM_LEN);
			unknown--;
		}
	}
	if (fds)
		closedir(fds);
	return unknown;
}

static bool in_netns(const char *pid, uint64_t netns_ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%.16s/ns/net", pid);
	return !stat(path, &st) && st.st_ino == netns_ino;
}

/*
 * Owners this run did not see, as ss -p finds them, until the budget runs out (a machine of
 * many processes): a socket not found stays pid 0, its options unknown. The processes of
 * the socket's namespace first, which hold its sockets but for a passed fd: on a machine of
 * many containers, the few of one.
 */
static void scan_owners(const struct v6t_portsocks *ps, struct v6t_port_socks_rec *r,
			unsigned int unknown, uint64_t netns_ino, const struct budget *b)
{
	for (int pass = 0; pass < 2 && unknown; pass++) {
		DIR *proc = opendir("/proc");
		struct dirent *pd;

		while (proc && unknown && (pd = readdir(proc))) {
			int pid = atoi(pd->d_name);

			if (!budget_left(b)) {
				r->flags |= V6T_PS_FAILED;
				break;
			}
			if (pid > 0 && in_netns(pd->d_name, netns_ino) == !pass)
				unknown = claim_in(ps, pid, r, unknown, b);
		}
		if (proc)
			closedir(proc);
	}
}

static void find_owners(struct v6t_portsocks *ps, const struct v6t_sock_event *e,
			struct v6t_port_socks_rec *r, int64_t deadline)
{
	struct budget b = {
		.wall_end = deadline,
		.cpu_end = v6t_clock_ns(CLOCK_THREAD_CPUTIME_ID) + OWNER_SCAN_CPU_NS,
	};
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
		scan_owners(ps, r, unknown, e->netns_ino, &b);
}

void v6t_portsocks_lookup(struct v6t_portsocks *ps, const struct v6t_sock_event *e,
			  bool listeners_only, struct v6t_port_socks_rec *r)
{
	int64_t deadline = v6t_clock_ns(CLOCK_MONOTONIC) + LOOKUP_WALL_NS;
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
			const struct v6t_sock_event *e, bool *dropped)
{
	union {
		struct v6t_port_socks_rec r;
		unsigned char bytes[sizeof(struct v6t_port_socks_rec) +
				    V6T_PORT_SOCKS_MAX * sizeof(struct v6t_port_sock)];
	} u;
	enum v6t_port_list list = v6t_port_list_of(e);

	*dropped = false;
	if (list == V6T_LIST_NONE || v6t_pipeline_done(p))
		return v6t_pipeline_push(p, &e->hdr, sizeof(*e));
	v6t_portsocks_lookup(ps, e, list == V6T_LIST_LISTENERS, &u.r);
	if (!v6t_port_list_keeps(e, &u.r)) {
		*dropped = true;
		return v6t_pipeline_done(p);
	}
	v6t_pipeline_push(p, &u.r.hdr, u.r.hdr.size);
	return v6t_pipeline_push(p, &e->hdr, sizeof(*e));
}

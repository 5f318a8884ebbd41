// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cgroup.h"
#include "clock.h"
#include "diag.h"
#include "netns.h"
#include "snapshot.h"

/* Sockets and namespaces are as many as the machine has: the tables grow, no fixed limit. */
struct found {
	struct v6t_sock_event *ev;
	unsigned int n;
	unsigned int cap;
	struct v6t_netns_info netns;	/* where the dump runs now */
	uint64_t now_boot_ns;
};

/* The array with room for twice as many (64 at first), or NULL with array and *cap as they were. */
static void *grow(void *array, unsigned int *cap, size_t size)
{
	unsigned int n = *cap ? *cap * 2 : 64;
	void *p = n > *cap ? reallocarray(array, n, size) : NULL;

	if (p)
		*cap = n;
	return p;
}

static int on_diag_sock(void *data, const struct v6t_diag_sock *s)
{
	const struct inet_diag_msg *m = s->msg;
	struct found *f = data;
	struct v6t_sock_event *e;

	/* an unbound UDP socket (port 0) is not "listening" on anything */
	if (!m->id.idiag_sport)
		return 0;
	if (f->n == f->cap) {
		e = grow(f->ev, &f->cap, sizeof(*f->ev));
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

/* One sock_diag dump: family x protocol, TCP listeners or every UDP socket. */
static int dump(struct v6t_diag *d, uint8_t family, uint8_t proto, struct found *f)
{
	struct inet_diag_req_v2 req = {
		.sdiag_family = family,
		.sdiag_protocol = proto,
		.idiag_states = proto == IPPROTO_TCP ? 1U << TCP_LISTEN : ~0U,
	};
	unsigned int first = f->n;
	int err = v6t_diag_dump(d, &req, on_diag_sock, f);

	/* those found before an error are listed too */
	for (unsigned int i = first; i < f->n; i++)
		f->ev[i].proto = proto;
	return err;
}

static int snapshot_here(struct found *f)
{
	static const uint8_t families[] = { AF_INET6, AF_INET };
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct v6t_diag *d;
	int err = v6t_diag_open(&d);

	if (err)
		return err;
	/* /proc/self/ns/net and /proc/sys/net: the namespace entered */
	v6t_netns_here(&f->netns);
	f->now_boot_ns = v6t_clock_ns(CLOCK_BOOTTIME);
	for (unsigned int fi = 0; fi < 2 && !err; fi++)
		for (unsigned int pi = 0; pi < 2 && !err; pi++)
			err = dump(d, families[fi], protos[pi], f);
	v6t_diag_close(d);
	return err;
}

/* A process's cgroup v2 id: the inode of its directory named in /proc/PID/cgroup ("0::PATH"). */
static uint64_t cgroup_of(int pid)
{
	static char root[1024];
	static int have_root = -1;
	char path[64], line[2048], dir[3072];
	uint64_t id = 0;
	struct stat st;
	FILE *f;

	if (have_root < 0)
		have_root = v6t_cgroup2_mount(root, sizeof(root)) == 0;
	if (!have_root)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(dir, sizeof(dir), "%s%s", root, line + 3);
		if (!stat(dir, &st))
			id = st.st_ino;
		break;
	}
	fclose(f);
	return id;
}

/*
 * The name and a '\n' the kernel adds: a name may hold '\n' itself (prctl takes any byte but
 * NUL), so only the last one goes; stopping at the first would show another name.
 */
static void read_comm(int pid, char *comm, size_t size)
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

/* A process that holds sockets: its name and cgroup, read once, at its first socket. */
struct owner {
	int pid;
	bool known;
	char comm[V6T_COMM_LEN + 1];
	uint64_t cgroup_id;
};

static void claim(struct v6t_sock_event *e, struct owner *o)
{
	if (!o->known) {
		read_comm(o->pid, o->comm, sizeof(o->comm));
		o->cgroup_id = cgroup_of(o->pid);
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
static void claim_sockets_of(int pid, const struct by_inode *h, struct found *f)
{
	struct owner o = { .pid = pid };
	char path[32], link[64];
	struct dirent *de;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	fds = opendir(path);
	if (!fds)
		return;
	while ((de = readdir(fds))) {
		ssize_t len = readlinkat(dirfd(fds), de->d_name, link, sizeof(link) - 1);
		unsigned long long ino;

		if (len <= 0)
			continue;
		link[len] = '\0';
		if (sscanf(link, "socket:[%llu]", &ino) != 1)
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
	while ((pd = readdir(proc))) {
		int pid = atoi(pd->d_name);

		if (pid > 0)
			claim_sockets_of(pid, &h, f);
	}
	closedir(proc);
out:
	free(h.head);
	free(h.next);
	return err;
}

struct netns_entry {
	uint64_t ino;
	char path[64];
};

struct netns_list {
	struct netns_entry *e;
	unsigned int n, cap;
	unsigned int hidden;	/* processes whose namespace we may not see (other users') */
};

/*
 * May we not look at this process's namespace because it is another user's? (A process gone
 * since the listing is no loss. One of ours may still be out of reach, such as a container
 * manager's init with more capabilities than we have: it is in a namespace we know.)
 */
static bool other_users(const char *pid)
{
	char path[32];
	struct stat st;

	if (errno != EACCES && errno != EPERM)
		return false;
	snprintf(path, sizeof(path), "/proc/%.16s", pid);
	return !stat(path, &st) && st.st_uid != geteuid();
}

static void add_netns(struct netns_list *l, const char *path, const char *pid)
{
	struct stat st;

	if (stat(path, &st)) {
		l->hidden += pid && other_users(pid);
		return;
	}
	if (l->n == l->cap) {
		struct netns_entry *e = grow(l->e, &l->cap, sizeof(*l->e));

		if (!e) {
			l->hidden++;	/* out of memory: not seen either */
			return;
		}
		l->e = e;
	}
	l->e[l->n].ino = st.st_ino;
	snprintf(l->e[l->n++].path, sizeof(l->e->path), "%s", path);
}

static int by_ino(const void *a, const void *b)
{
	const struct netns_entry *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* Distinct network namespaces: of every process, and the named ones (ip netns add). */
static void list_netns(struct netns_list *l)
{
	static const char *const dirs[] = { "/proc", "/run/netns" };
	unsigned int n = 0;

	for (unsigned int d = 0; d < 2; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *de;
		char path[64];

		while (dir && (de = readdir(dir))) {
			if (de->d_name[0] == '.' || (d == 0 && atoi(de->d_name) <= 0))
				continue;
			if (d == 0)
				snprintf(path, sizeof(path), "/proc/%.16s/ns/net", de->d_name);
			else
				snprintf(path, sizeof(path), "/run/netns/%.40s", de->d_name);
			add_netns(l, path, d == 0 ? de->d_name : NULL);
		}
		if (dir)
			closedir(dir);
	}
	/* each namespace once: most processes share a few */
	qsort(l->e, l->n, sizeof(*l->e), by_ino);
	for (unsigned int i = 0; i < l->n; i++)
		if (!n || l->e[i].ino != l->e[n - 1].ino)
			l->e[n++] = l->e[i];
	l->n = n;
}

/*
 * Enter the namespace at @path unless it is one already dumped (its inode in @done) or not
 * the one wanted (-N, 0: any): 1 if entered, 0 if skipped, -errno if setns failed.
 */
static int enter_unseen(const char *path, uint64_t want, uint64_t *done, unsigned int *n_done)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	struct stat st;
	unsigned int j;

	/* a process may have gone since the listing: not an error */
	if (fd < 0)
		return 0;
	/*
	 * Or its pid may now name another process (pids wrap), or it may have moved: the
	 * namespace opened is not always the one listed. Dump each one once, else its
	 * sockets are reported twice.
	 */
	if (fstat(fd, &st) || (want && st.st_ino != want)) {
		close(fd);
		return 0;
	}
	for (j = 0; j < *n_done && done[j] != st.st_ino; j++)
		;
	if (j < *n_done) {
		close(fd);
		return 0;
	}
	done[(*n_done)++] = st.st_ino;
	err = setns(fd, CLONE_NEWNET) ? -errno : 1;
	close(fd);
	if (err < 0) {
		char shown[64];	/* a name in /run/netns is whatever its creator chose */

		fprintf(stderr, "v6trace: cannot enter network namespace %s: %s\n",
			sb_printable(shown, sizeof(shown), path), strerror(-err));
	}
	return err;
}

static int dump_here(struct found *f)
{
	int err = snapshot_here(f);

	if (err)
		fprintf(stderr, "v6trace: listing sockets (sock_diag) failed: %s\n",
			strerror(-err));
	return err;
}

/*
 * Every namespace, or the one wanted (-N, 0: any): ours first, where we are
 * (/proc/self/ns/net, as listed, follows us into the others), then each listed one not
 * dumped yet. One that cannot be entered is named and the others are still dumped; the
 * first error is returned.
 */
static int dump_all(struct found *f, uint64_t own, uint64_t want)
{
	struct netns_list l = {};
	unsigned int n_done = 0;
	uint64_t *done;
	int err = 0, r;

	list_netns(&l);
	done = calloc(l.n + 1, sizeof(*done));
	if (!done) {
		free(l.e);
		return -ENOMEM;
	}
	done[n_done++] = own;
	if (!want || want == own)
		err = dump_here(f);
	for (unsigned int i = 0; i < l.n; i++) {
		if (want && l.e[i].ino != want)
			continue;
		r = enter_unseen(l.e[i].path, want, done, &n_done);
		if (r > 0)
			r = dump_here(f);
		if (r < 0 && !err)
			err = r;
	}
	if (want && n_done == 1 && want != own) {
		fprintf(stderr, "v6trace: no process or /run/netns entry is in network namespace "
			"%llu: its sockets are not listed\n", (unsigned long long)want);
		err = err ? err : -ENOENT;
	}
	/* they matter if they may hold what was not found */
	if (l.hidden && (!want || n_done == 1)) {
		fprintf(stderr, "v6trace: cannot see the network namespaces of %u processes of "
			"other users: their sockets are not listed\n", l.hidden);
		err = err ? err : -EACCES;
	}
	free(l.e);
	free(done);
	return err;
}

int v6t_snapshot(struct v6t_pipeline *p, const struct v6t_config *cfg)
{
	uint64_t own = v6t_netns_self();
	struct found f = {};
	int err, self, owners_err;

	/* -N another namespace: its sockets, found where --all-netns finds them */
	if (!cfg->all_netns && (!cfg->netns || cfg->netns == own)) {
		err = dump_here(&f);
	} else {
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0) {
			err = -errno;
			fprintf(stderr, "v6trace: cannot open our network namespace: %s\n",
				strerror(-err));
			return err;
		}
		err = dump_all(&f, own, cfg->netns);
		/* back, if a setns took us elsewhere (without privileges none did, nor can this) */
		if (v6t_netns_self() != own && setns(self, CLONE_NEWNET)) {
			err = -errno;
			fprintf(stderr, "v6trace: cannot return to our network namespace: %s\n",
				strerror(-err));
		}
		close(self);
	}
	/* what was found is listed, even when some namespace could not be, or its owners */
	owners_err = find_owners(&f);
	err = err ? err : owners_err;
	for (unsigned int i = 0; i < f.n; i++)
		if (v6t_pipeline_push(p, &f.ev[i].hdr, sizeof(f.ev[i])))
			break;
	free(f.ev);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "grow.h"
#include "netns.h"
#include "netns_walk.h"
#include "strbuf.h"

struct netns_entry {
	uint64_t ino;
	char path[64];
};

/* Namespaces are as many as the machine has: the list grows, no fixed limit. */
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
		struct netns_entry *e = v6t_grow(l->e, &l->cap, sizeof(*e), 64);

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
 * Enter the namespace at @path unless it is one already visited (its inode in @done) or not
 * the one wanted (0: any): 1 if entered, 0 if skipped, -errno if setns failed.
 */
static int enter_unseen(const char *path, uint64_t want, uint64_t *done, unsigned int *n_done,
			bool quiet)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	struct stat st;
	unsigned int j;

	/* a process may have gone since the listing: not an error */
	if (fd < 0)
		return 0;
	/*
	 * Or its pid may now name another process (pids wrap), or it may have moved: the
	 * namespace opened is not always the one listed. Visit each one once, else its
	 * sockets are seen twice.
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
	if (err < 0 && !quiet) {
		char shown[64];	/* a name in /run/netns is whatever its creator chose */

		fprintf(stderr, "v6trace: cannot enter network namespace %s: %s\n",
			sb_printable(shown, sizeof(shown), path), strerror(-err));
	}
	return err;
}

/* Ours first, where we are (/proc/self/ns/net, as listed, follows us), then each listed one. */
static int visit_all(uint64_t own, uint64_t want, int (*fn)(void *), void *arg, bool quiet,
		     struct v6t_netns_walk *w)
{
	struct netns_list l = {};
	unsigned int n_done = 0;
	uint64_t *done;
	int err = 0, r;

	list_netns(&l);
	w->hidden = l.hidden;
	done = calloc(l.n + 1, sizeof(*done));
	if (!done) {
		free(l.e);
		return -ENOMEM;
	}
	done[n_done++] = own;
	if (!want || want == own) {
		err = fn(arg);
		w->visited++;
	}
	for (unsigned int i = 0; i < l.n; i++) {
		if (want && l.e[i].ino != want)
			continue;
		r = enter_unseen(l.e[i].path, want, done, &n_done, quiet);
		w->visited += r != 0;
		if (r > 0)
			r = fn(arg);
		if (r < 0 && !err)
			err = r;
	}
	free(l.e);
	free(done);
	return err;
}

int v6t_netns_walk(uint64_t want, int (*fn)(void *arg), void *arg, bool quiet,
		   struct v6t_netns_walk *w)
{
	uint64_t own = v6t_netns_self();
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), err;

	*w = (struct v6t_netns_walk){ 0 };
	if (self < 0) {
		err = -errno;
		if (!quiet)
			fprintf(stderr, "v6trace: cannot open our network namespace: %s\n",
				strerror(-err));
		return err;
	}
	err = visit_all(own, want, fn, arg, quiet, w);
	/* back, if a setns took us elsewhere (without privileges none did, nor can this) */
	if (v6t_netns_self() != own && setns(self, CLONE_NEWNET)) {
		err = -errno;
		fprintf(stderr, "v6trace: cannot return to our network namespace: %s\n",
			strerror(-err));
	}
	close(self);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include "chain.h"
#include "follow.h"
#include "stop.h"

/* with no inotify event, look again after this long (NFS sends none; a watch may fail) */
#define RECHECK_MS 1000
#define RECHECK_UNWATCHED_MS 200

struct file {
	struct v6t_reader *r;
	int fd;
	char path[PATH_MAX];	/* "" for standard input */
};

struct v6t_follow {
	bool follow;
	bool regular;		/* cur is a regular file: it may grow, rotate, be replaced */
	bool restart;		/* cur was truncated in place: read again once its header is back */
	bool wait;		/* V6T_READ_IDLE was returned: wait before reading again */
	bool watched;		/* inotify watches the directory: no need to look often */
	struct file cur;
	struct file next;	/* checked and ready: taken once cur is drained */
	char note[3 * PATH_MAX + 128];	/* said on stderr when next is taken */
	char name[PATH_MAX];	/* the name followed: the chain's FILE, or the path given */
	char base[PATH_MAX];	/* cur's chain's FILE; "" when cur is in none */
	dev_t judged_dev;	/* the file last found at name that is no replacement */
	ino_t judged_ino;
	int inotify_fd;
	int file_wd;
};

/* What the follower may move to on its own: a file of one of these owners (see open_candidate). */
struct owners {
	uid_t uid, also;
};

static char open_error[PATH_MAX + 320];

static const char *shown(const struct file *fl)
{
	return fl->path[0] ? fl->path : "standard input";
}

static void close_file(struct file *fl)
{
	v6t_reader_close(fl->r);
	if (fl->fd >= 0 && fl->path[0])
		close(fl->fd);
	fl->r = NULL;
	fl->fd = -1;
}

static int read_header(struct file *fl, int fd, const char *path)
{
	int err;

	fl->fd = fd;
	snprintf(fl->path, sizeof(fl->path), "%s", path);
	err = v6t_reader_open_fd(&fl->r, fd, shown(fl));
	if (err) {
		snprintf(open_error, sizeof(open_error), "%s", v6t_reader_open_error());
		close_file(fl);
		return err;
	}
	v6t_reader_check_rewrites(fl->r);
	return 0;
}

/* The file the user named ("-": standard input). 0, or -errno with open_error set. */
static int open_named(struct file *fl, const char *path)
{
	int fd;

	if (!strcmp(path, "-"))
		return read_header(fl, STDIN_FILENO, "");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(open_error, sizeof(open_error), "%s: cannot open: %s", path,
			 strerror(errno));
		return -errno;
	}
	return read_header(fl, fd, path);
}

/*
 * A file the follower moves to on its own must be a regular file, not a link, and belong to
 * the owner of the recording it follows: in a shared directory nobody else's file may pass
 * for the next part of ours. O_NONBLOCK: a FIFO planted under such a name cannot hang open().
 */
static int open_candidate(struct file *fl, const char *path, struct owners who)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (st.st_uid != who.uid && st.st_uid != who.also)) {
		close(fd);
		return -EPERM;
	}
	return read_header(fl, fd, path);
}

/* fl is file number index of the run of info (any run: info NULL) */
static bool is_file_of(const struct file *fl, const struct v6t_file_info *info, unsigned int index)
{
	const struct v6t_file_info *got = v6t_reader_info(fl->r);

	return got->has_run && got->run.index == index && (!info || v6t_chain_same_run(got, info));
}

/* The oldest (or newest) file of a chain from min_index on, of run (NULL: any). */
struct pick {
	const struct v6t_file_info *run;
	unsigned int min_index;
	bool newest;
	struct owners who;
	struct file best;
	unsigned int best_index;
	bool found;
};

static void consider(void *ctx, unsigned int index, const char *path)
{
	struct pick *p = ctx;
	struct file fl;

	if (index < p->min_index ||
	    (p->found && (p->newest ? index < p->best_index : index > p->best_index)))
		return;
	if (open_candidate(&fl, path, p->who))
		return;
	if (!is_file_of(&fl, p->run, index)) {
		close_file(&fl);
		return;
	}
	if (p->found)
		close_file(&p->best);
	p->best = fl;
	p->best_index = index;
	p->found = true;
}

/*
 * The path to follow was removed by rotation (-W): start at the oldest file left of the
 * newest run found at path.N, a run of the directory's owner or ours.
 */
static int open_oldest_left(struct v6t_follow *f, const char *path)
{
	struct pick newest = { .min_index = 1, .newest = true }, oldest = { .min_index = 1 };
	char dir[PATH_MAX];
	struct stat st;

	v6t_chain_dir(dir, sizeof(dir), path);
	if (stat(dir, &st))
		return -ENOENT;
	newest.who = oldest.who = (struct owners){ st.st_uid, geteuid() };
	v6t_chain_scan(path, consider, &newest);
	if (!newest.found)
		return -ENOENT;
	oldest.run = v6t_reader_info(newest.best.r);
	v6t_chain_scan(path, consider, &oldest);
	close_file(&newest.best);
	if (!oldest.found)
		return -ENOENT;
	f->cur = oldest.best;
	fprintf(stderr,
		"v6trace: %s: removed by rotation (-W); starting at %s, the oldest file left of "
		"its recording\n",
		path, f->cur.path);
	return 0;
}

static int open_first(struct v6t_follow *f, const char *path)
{
	int err = open_named(&f->cur, path);

	if (err != -ENOENT || !f->follow)
		return err;
	if (!open_oldest_left(f, path))
		return 0;
	snprintf(open_error, sizeof(open_error), "%s: cannot open: %s", path, strerror(ENOENT));
	return -ENOENT;
}

static void watch_dir(struct v6t_follow *f, const char *path)
{
	char dir[PATH_MAX];

	v6t_chain_dir(dir, sizeof(dir), path);
	f->watched = f->inotify_fd >= 0 && inotify_add_watch(f->inotify_fd, dir,
							     IN_CREATE | IN_MOVED_TO | IN_MODIFY |
								 IN_ATTRIB | IN_DELETE) >= 0;
}

/* cur, wherever it went (renamed, removed), wakes us when it grows or changes */
static void watch_file(struct v6t_follow *f)
{
	char proc[64];

	if (f->inotify_fd < 0)
		return;
	if (f->file_wd >= 0)
		inotify_rm_watch(f->inotify_fd, f->file_wd);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->cur.fd);
	f->file_wd = inotify_add_watch(f->inotify_fd, proc, IN_MODIFY | IN_ATTRIB);
}

/* Sleeps until something watched changes, or a while. 1 once a stop is requested. */
static int wait_change(struct v6t_follow *f)
{
	struct pollfd pfd = { .fd = f->inotify_fd, .events = POLLIN };
	char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	if (!v6t_stop_requested &&
	    poll(&pfd, 1, f->watched ? RECHECK_MS : RECHECK_UNWATCHED_MS) > 0)
		while (read(f->inotify_fd, events, sizeof(events)) > 0)
			;
	return v6t_stop_requested;
}

/* cur is new (opened, switched to, read again): its chain, and what stands at the name. */
static void adopt(struct v6t_follow *f)
{
	const struct v6t_file_info *info = v6t_reader_info(f->cur.r);
	struct stat st, at_name;

	f->regular = !fstat(f->cur.fd, &st) && S_ISREG(st.st_mode);
	f->base[0] = '\0';
	if (!f->follow || !f->cur.path[0])
		return;
	if (info->has_run && v6t_chain_base(f->base, sizeof(f->base), f->cur.path, info->run.index))
		f->base[0] = '\0';
	if (!f->name[0])
		snprintf(f->name, sizeof(f->name), "%s", f->base[0] ? f->base : f->cur.path);
	if (!stat(f->name, &at_name) && at_name.st_dev == st.st_dev &&
	    at_name.st_ino == st.st_ino) {
		f->judged_dev = st.st_dev;
		f->judged_ino = st.st_ino;
	}
	watch_file(f);
}

int v6t_follow_open(struct v6t_follow **out, const char *path, bool follow)
{
	struct v6t_follow *f = calloc(1, sizeof(*f));
	bool named = strcmp(path, "-");
	int err;

	if (!f)
		return -ENOMEM;
	f->follow = follow;
	f->cur.fd = f->next.fd = f->file_wd = f->inotify_fd = -1;
	if (follow && named) {
		f->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		watch_dir(f, path);
	}
	/* following, a header still being written is waited for (not on a pipe: it cannot rewind)
	 */
	while ((err = open_first(f, path)) == -ENODATA && follow && named)
		if (wait_change(f)) {
			err = -EINTR;
			break;
		}
	if (err) {
		v6t_follow_close(f);
		return err;
	}
	adopt(f);
	*out = f;
	return 0;
}

const char *v6t_follow_open_error(void)
{
	return open_error;
}

/* cur was truncated in place (or written over): read it again, once its header is complete */
static int read_again(struct v6t_follow *f)
{
	int err;

	if (!f->restart) {
		fprintf(stderr, "v6trace: %s: file truncated; reading it again from its header\n",
			shown(&f->cur));
		f->restart = true;
	}
	err = v6t_reader_restart(f->cur.r);
	if (err == -ENODATA || err == -EINTR)
		return 0;
	if (err)
		return -1;
	f->restart = false;
	adopt(f);
	return 1;
}

/*
 * The next file of cur's run; or, when cur was removed and the next too, the oldest file of
 * the run left: rotation (-W) removed the files between before they could be read.
 */
static bool find_next(struct v6t_follow *f, struct owners who, bool removed)
{
	const struct v6t_file_info *info = v6t_reader_info(f->cur.r);
	unsigned int want = info->run.index + 1;
	struct pick p = { .run = info, .min_index = want + 1, .who = who };
	char path[PATH_MAX], last[PATH_MAX];

	if (v6t_chain_name(path, sizeof(path), f->base, want))
		return false;
	if (!open_candidate(&f->next, path, who)) {
		if (is_file_of(&f->next, info, want))
			return true;
		close_file(&f->next);
	}
	if (!removed)
		return false;
	v6t_chain_scan(f->base, consider, &p);
	if (!p.found)
		return false;
	f->next = p.best;
	v6t_chain_name(last, sizeof(last), f->base, p.best_index - 1);
	if (p.best_index == want + 1)
		snprintf(f->note, sizeof(f->note),
			 "%s was removed (-W) before it could be read; going on "
			 "with %s",
			 path, f->next.path);
	else
		snprintf(f->note, sizeof(f->note),
			 "%s to %s were removed (-W) before they could be read; "
			 "going on with %s",
			 path, last, f->next.path);
	return true;
}

/* A recording that took the followed name over: a new run (the service restarted, say). */
static bool find_replacement(struct v6t_follow *f, struct owners who)
{
	struct stat st;
	int err;

	if (stat(f->name, &st) || (st.st_dev == f->judged_dev && st.st_ino == f->judged_ino))
		return false;
	err = open_candidate(&f->next, f->name, who);
	if (err == -ENODATA || err == -ENOENT)
		return false;	/* its header is on its way; or it went */
	if (!err)
		fstat(f->next.fd, &st);
	f->judged_dev = st.st_dev;
	f->judged_ino = st.st_ino;
	if (err)
		return false;
	if (v6t_chain_same_run(v6t_reader_info(f->next.r), v6t_reader_info(f->cur.r))) {
		close_file(&f->next);	/* the first file of our own run */
		return false;
	}
	snprintf(f->note, sizeof(f->note), "%s: replaced by another recording; following that one",
		 f->name);
	return true;
}

/* At the end of cur: 1 when there is more to read, 0 when not yet, -1 on an error. */
static int look_around(struct v6t_follow *f)
{
	struct owners who;
	struct stat st;

	if (f->restart || v6t_reader_rewritten(f->cur.r))
		return read_again(f);
	if (f->next.r || !f->cur.path[0] || fstat(f->cur.fd, &st))
		return 0;
	who = (struct owners){ st.st_uid, st.st_uid };
	if (f->base[0] && find_next(f, who, !st.st_nlink))
		return 1;
	return find_replacement(f, who);
}

static void take_next(struct v6t_follow *f, enum v6t_read_result res)
{
	if (res == V6T_READ_TRUNCATED)
		fprintf(stderr, "v6trace: warning: %s; going on with the next file\n",
			v6t_reader_error(f->cur.r));
	if (f->note[0])
		fprintf(stderr, "v6trace: %s\n", f->note);
	f->note[0] = '\0';
	close_file(&f->cur);
	f->cur = f->next;
	f->next.r = NULL;
	f->next.fd = -1;
	adopt(f);
}

enum v6t_read_result v6t_follow_next(struct v6t_follow *f, const struct v6t_rec_hdr **rec)
{
	enum v6t_read_result res;

	for (;;) {
		if (f->wait) {
			f->wait = false;
			if (wait_change(f))
				return V6T_READ_END;
		}
		if (!f->restart) {
			res = v6t_reader_next(f->cur.r, rec);
			/* a pipe's end is the end: nothing can follow it */
			if (res == V6T_READ_RECORD || !f->follow || !f->regular ||
			    v6t_stop_requested)
				return res;
			/* garbage where a record should be: the file may have been written over */
			if (res == V6T_READ_ERROR && !v6t_reader_rewritten(f->cur.r))
				return res;
			if (f->next.r && res != V6T_READ_ERROR) {
				take_next(f, res);
				continue;
			}
		}
		switch (look_around(f)) {
		case 1:
			continue;
		case -1:
			return V6T_READ_ERROR;
		}
		f->wait = true;
		return V6T_READ_IDLE;
	}
}

const struct v6t_file_info *v6t_follow_info(const struct v6t_follow *f)
{
	return v6t_reader_info(f->cur.r);
}

const char *v6t_follow_error(const struct v6t_follow *f)
{
	return v6t_reader_error(f->cur.r);
}

void v6t_follow_close(struct v6t_follow *f)
{
	if (!f)
		return;
	close_file(&f->cur);
	close_file(&f->next);
	if (f->inotify_fd >= 0)
		close(f->inotify_fd);
	free(f);
}

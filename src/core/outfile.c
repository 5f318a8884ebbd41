// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outfile.h"

#define OPEN_TRIES 3	/* a name removed between open and lstat is tried afresh */

static int refuse(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "v6trace: refusing to write %s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EPERM;
}

static int cannot(const char *what, const char *path, int err)
{
	fprintf(stderr, "v6trace: cannot %s %s: %s\n", what, path, strerror(-err));
	return err;
}

static bool is_file(const struct v6t_file_id *id, const struct stat *st)
{
	return id->dev == st->st_dev && id->ino == st->st_ino;
}

static void note_file(struct v6t_file_id *id, const struct stat *st)
{
	id->dev = st->st_dev;
	id->ino = st->st_ino;
}

/* The length of path's directory part, its last slash included (0: the current directory). */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) + 1 : 0;
}

static const char *kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	return "not a regular file";
}

/* A file we just created: its mode exactly as asked (whatever the umask), its identity noted. */
static int created(struct v6t_outfile *f, int fd, const char *name, mode_t mode)
{
	struct stat st;

	if (fchmod(fd, mode) || fstat(fd, &st)) {
		int err = -errno;

		close(fd);
		unlink(name);
		return cannot("set the mode of", name, err);
	}
	note_file(&f->id, &st);
	f->regular = true;
	return fd;
}

/* created with at most the owner's bits until fchmod gives the mode asked for */
#define CREATE_FLAGS (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)
#define CREATE_MODE(mode) ((mode) & 0600)

/* .NAME.XXXXXX next to NAME: on the same file system, so rename() can replace NAME at once */
static int create_temp(struct v6t_outfile *f, mode_t mode)
{
	size_t dlen = dir_len(f->path);
	int fd;

	if (snprintf(f->tmp, sizeof(f->tmp), "%.*s.%s.XXXXXX", (int)dlen, f->path,
		     f->path + dlen) >= (int)sizeof(f->tmp))
		return cannot("create a temporary file next to", f->path, -ENAMETOOLONG);
	fd = mkostemp(f->tmp, O_CLOEXEC);	/* O_CREAT | O_EXCL, mode 0600 */
	if (fd < 0) {
		int err = -errno;

		f->tmp[0] = '\0';
		return cannot("create a temporary file next to", f->path, err);
	}
	fd = created(f, fd, f->tmp, mode);
	if (fd < 0)
		f->tmp[0] = '\0';
	return fd;
}

/* A FIFO or character device, written as it is; st is what lstat found at the name. */
static int open_special(struct v6t_outfile *f, const struct stat *st)
{
	/* O_NONBLOCK: a FIFO with no reader fails with ENXIO instead of waiting for one */
	int fd = open(f->path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat now;
	int flags;

	if (fd < 0) {
		if (errno == ENXIO && S_ISFIFO(st->st_mode))
			return refuse(f->path, "a FIFO with no reader (start the reader first)");
		return cannot("open", f->path, -errno);
	}
	/* the name may have changed hands since lstat */
	if (fstat(fd, &now) || now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
		close(fd);
		return refuse(f->path, "it changed while being opened");
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)) {
		int err = -errno;

		close(fd);
		return cannot("open", f->path, err);
	}
	note_file(&f->id, &now);
	f->regular = false;
	return fd;
}

static int open_existing(struct v6t_outfile *f, const struct stat *st,
			 const struct v6t_outfile_opts *o)
{
	if (S_ISLNK(st->st_mode))
		return refuse(f->path, "it is a symbolic link, which v6trace never follows "
				       "(name the file itself)");
	/* root's character devices (/dev/null) serve everyone */
	if (st->st_uid != geteuid() && !(S_ISCHR(st->st_mode) && st->st_uid == 0))
		return refuse(f->path, "it belongs to another user (uid %u)",
			      (unsigned int)st->st_uid);
	if (S_ISREG(st->st_mode)) {
		if (is_file(&o->keep, st))
			return refuse(f->path, "it is the recording being read");
		return create_temp(f, o->mode);
	}
	if (!S_ISFIFO(st->st_mode) && !S_ISCHR(st->st_mode))
		return refuse(f->path, "it is %s", kind(st->st_mode));
	if (o->regular_only)
		return refuse(f->path, "it is %s, and -C rotates only regular files",
			      kind(st->st_mode));
	return open_special(f, st);
}

/*
 * The directory of a file replaced again and again: whoever can move what is in it could put
 * a link of theirs where the next rename lands, or swap the temporary file. A link at its
 * name must be root's or ours (fs.protected_symlinks' rule for sticky directories, applied
 * everywhere), and others may write it only if it is sticky, as /tmp is.
 */
static int check_dir(const char *path)
{
	size_t dlen = dir_len(path);
	char dir[PATH_MAX];
	struct stat st;

	/* "d/" would follow a link at d: the name without its trailing slashes */
	while (dlen > 1 && path[dlen - 1] == '/')
		dlen--;
	snprintf(dir, sizeof(dir), "%.*s", (int)(dlen ? dlen : 1), dlen ? path : ".");
	if (lstat(dir, &st))
		return cannot("examine", dir, -errno);
	if (S_ISLNK(st.st_mode) && st.st_uid && st.st_uid != geteuid())
		return refuse(path, "its directory %s is a symbolic link of another user (uid %u)",
			      dir, (unsigned int)st.st_uid);
	if (stat(dir, &st))
		return cannot("examine", dir, -errno);
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		return refuse(path, "its directory %s is writable by others and not sticky", dir);
	return 0;
}

/* Written whole: through a temporary file even when the name is new. */
static int open_whole(struct v6t_outfile *f, const struct v6t_outfile_opts *o)
{
	struct stat st;
	int err = check_dir(f->path);

	if (err)
		return err;
	f->whole = true;
	if (!lstat(f->path, &st))
		return open_existing(f, &st, o);
	if (errno != ENOENT)
		return cannot("examine", f->path, -errno);
	/* a link planted at the name from now on is replaced by rename(2), never followed */
	return create_temp(f, o->mode);
}

int v6t_outfile_open(struct v6t_outfile *f, const char *path, const struct v6t_outfile_opts *o)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	if (snprintf(f->path, sizeof(f->path), "%s", path) >= (int)sizeof(f->path))
		return cannot("create", path, -ENAMETOOLONG);
	if (o->whole)
		return open_whole(f, o);
	for (int i = 0; i < OPEN_TRIES; i++) {
		int fd = open(f->path, CREATE_FLAGS, CREATE_MODE(o->mode));

		if (fd >= 0)
			return created(f, fd, f->path, o->mode);
		if (errno != EEXIST)
			return cannot("create", f->path, -errno);
		if (!lstat(f->path, &st))
			return open_existing(f, &st, o);
		if (errno != ENOENT)
			return cannot("examine", f->path, -errno);
	}
	return refuse(f->path, "it keeps appearing and disappearing");
}

/* A rename survives a crash of the host only once its directory is synced too. */
static void sync_dir(const char *path)
{
	char dir[PATH_MAX];
	size_t dlen = dir_len(path);
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", (int)(dlen ? dlen : 1), dlen ? path : ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int v6t_outfile_commit(struct v6t_outfile *f, int fd)
{
	int err = 0;

	/* once per file, not per event: what was recorded survives a crash of the host */
	if (f->regular && !f->whole && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err) {
		fprintf(stderr, "v6trace: writing %s failed: %s\n", f->path, strerror(-err));
		v6t_outfile_abandon(f, -1);
		return err;
	}
	if (!f->tmp[0])
		return 0;
	if (rename(f->tmp, f->path)) {
		err = -errno;
		fprintf(stderr, "v6trace: cannot replace %s: %s\n", f->path, strerror(-err));
		v6t_outfile_abandon(f, -1);
		return err;
	}
	f->tmp[0] = '\0';
	if (!f->whole)
		sync_dir(f->path);
	return 0;
}

void v6t_outfile_abandon(struct v6t_outfile *f, int fd)
{
	if (fd >= 0)
		close(fd);
	if (f->tmp[0])
		fprintf(stderr, "v6trace: %s is left as it was; what was written is in %s\n",
			f->path, f->tmp);
	f->tmp[0] = '\0';
}

void v6t_outfile_discard(struct v6t_outfile *f, int fd)
{
	if (fd >= 0)
		close(fd);
	if (f->tmp[0])
		unlink(f->tmp);
	f->tmp[0] = '\0';
}

void v6t_outfile_remove(const char *path, const struct v6t_file_id *id)
{
	struct stat st;
	int err = 0;

	if (lstat(path, &st)) {
		err = errno;
	} else if (!is_file(id, &st)) {
		fprintf(stderr, "v6trace: warning: not removing %s: not the file this run wrote\n",
			path);
		return;
	} else if (unlink(path)) {
		err = errno;
	}
	/* gone already: nothing to say */
	if (err && err != ENOENT)
		fprintf(stderr, "v6trace: warning: cannot remove %s: %s\n", path, strerror(err));
}

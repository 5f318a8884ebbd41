// SPDX-License-Identifier: GPL-2.0
/*
 * The files v6trace writes, against a hostile second user (nobody) in a sticky world-writable
 * directory, and against a careless operator: planted links, other users' files and FIFOs,
 * the modes of what it creates, an existing recording being replaced, a replay that would
 * overwrite its own input, closed standard descriptors, devices, -W, and namespaces beyond any
 * fixed table. Most drive v6trace -r (no BPF): what they test is the writer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"
#include "recfile.h"

#define NOBODY 65534
#define OLD_REC "tests/golden/dualstack.v6t"	/* a recording, to be kept or replaced */
#define NEW_REC "tests/golden/sysctl.v6t"	/* a different one, to replay into it */
#define HANG_MS 10000	/* a bound for "does not hang", not a timing assertion */
#define PRECIOUS "precious root data\n"

static char out[1 << 20], err[1 << 16];

/* The shared directory (mode 1777, like /tmp) and a private one for root's own files. */
struct dirs {
	char shared[64];
	char priv[64];
	void (*sigpipe)(int);	/* as it was before the test */
};

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int dirs_setup(void **state)
{
	struct dirs *d = calloc(1, sizeof(*d));

	if (!d)
		return -1;
	*state = d;
	/* a v6trace that exits early must fail the test, not kill it as it writes to its stdin */
	d->sigpipe = signal(SIGPIPE, SIG_IGN);
	snprintf(d->shared, sizeof(d->shared), "/tmp/v6t-files-XXXXXX");
	snprintf(d->priv, sizeof(d->priv), "/tmp/v6t-priv-XXXXXX");
	if (!mkdtemp(d->shared) || !mkdtemp(d->priv) || chmod(d->shared, 01777))
		return -1;
	return 0;
}

/* also after a failed assertion */
static int dirs_teardown(void **state)
{
	struct dirs *d = *state;

	nftw(d->shared, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(d->priv, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	signal(SIGPIPE, d->sigpipe);
	free(d);
	return 0;
}

static void join(char *buf, size_t size, const char *dir, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

/* The whole content of a file (NUL-terminated, its length in *len); NULL if unreadable. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t got;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((got = read(fd, buf + n, cap - n)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = slurp(from, &len);

	assert_non_null(data);
	write_file(to, data, len, 0644);
	free(data);
}

static void assert_content(const char *path, const char *expected, size_t len)
{
	size_t got_len;
	char *got = slurp(path, &got_len);

	assert_non_null(got);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, expected, len);
	free(got);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* As nobody, with no groups and umask 0: what a hostile local user could do. */
typedef int (*user_action)(const char *a, const char *b);

static void as_nobody(user_action act, const char *a, const char *b)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(99);
		umask(0);
		_exit(act(a, b) ? 1 : 0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static int plant_symlink(const char *target, const char *link)
{
	return symlink(target, link);
}

static int plant_file(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);

	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		return -1;
	return close(fd);
}

static int plant_fifo(const char *path, const char *unused)
{
	(void)unused;
	return mkfifo(path, 0666);
}

/*
 * Starts v6trace with these args, stdin from in_fd (/dev/null when -1), stdout and stderr to
 * temporary files, unless closed.
 */
#define CLOSE_STDIN 1
#define CLOSE_STDOUT 2
#define CLOSE_STDERR 4

struct run {
	pid_t pid;
	char out_path[64], err_path[64];
};

static void spawn(struct run *r, const char *const *args, int in_fd, unsigned int closed)
{
	const char *argv[32] = { tracer_binary() };
	int n = 1, out_fd, err_fd;

	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(r->out_path, sizeof(r->out_path), "/tmp/v6t-fout-XXXXXX");
	snprintf(r->err_path, sizeof(r->err_path), "/tmp/v6t-ferr-XXXXXX");
	out_fd = mkostemp(r->out_path, O_CLOEXEC);
	err_fd = mkostemp(r->err_path, O_CLOEXEC);
	assert_true(out_fd >= 0 && err_fd >= 0);
	r->pid = fork();
	assert_true(r->pid >= 0);
	if (r->pid == 0) {
		if (in_fd < 0)
			in_fd = open("/dev/null", O_RDONLY);
		if (closed & CLOSE_STDIN)
			close(STDIN_FILENO);
		else
			dup2(in_fd, STDIN_FILENO);
		if (closed & CLOSE_STDOUT)
			close(STDOUT_FILENO);
		else
			dup2(out_fd, STDOUT_FILENO);
		if (closed & CLOSE_STDERR)
			close(STDERR_FILENO);
		else
			dup2(err_fd, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out_fd);
	close(err_fd);
}

/* Waits at most timeout_ms (then kills it: -1), fills out and err; the wait status. */
static int finish(struct run *r, int timeout_ms)
{
	int pidfd = syscall(SYS_pidfd_open, r->pid, 0);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int status, exited = pidfd >= 0 && poll(&pfd, 1, timeout_ms) == 1;
	char *text;

	if (pidfd >= 0)
		close(pidfd);
	if (!exited) {
		fprintf(stderr, "files: v6trace did not exit within %d ms\n", timeout_ms);
		kill(r->pid, SIGKILL);
	}
	waitpid(r->pid, &status, 0);
	text = slurp(r->out_path, NULL);
	snprintf(out, sizeof(out), "%s", text ? text : "");
	free(text);
	text = slurp(r->err_path, NULL);
	snprintf(err, sizeof(err), "%s", text ? text : "");
	free(text);
	unlink(r->out_path);
	unlink(r->err_path);
	return exited ? status : -1;
}

static int run_in(const char *const *args, int in_fd, unsigned int closed)
{
	struct run r;

	spawn(&r, args, in_fd, closed);
	return finish(&r, HANG_MS * 3);
}

#define RUN(...) run_in((const char *const[]){ __VA_ARGS__, NULL }, -1, 0)

static void assert_exit(int status, int code)
{
	assert_true(status != -1 && WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), code);
}

/* Refused: the exit status, and one line on stderr that says why. */
static void assert_refused(int status, int code, const char *why)
{
	assert_exit(status, code);
	if (!strstr(err, why))
		fprintf(stderr, "files: expected \"%s\" in: %s", why, err);
	assert_non_null(strstr(err, why));
	assert_int_equal(count_lines(err), 1);
}

/* The JSON replay of a recording (exit status 0 required); a copy the caller frees. */
static char *replay_json(const char *path)
{
	assert_exit(RUN("-r", path, "-j"), 0);
	return strdup(out);
}

/*
 * A recording of n bind events spread over n_netns namespaces (inodes base, base+1, ...),
 * made from scratch behind the header of a committed recording: enough for rotation, or for
 * more namespaces than any fixed table would hold.
 */
#define NETNS_BASE 4026600000ULL

static size_t make_recording(char **data, unsigned int n, unsigned int n_netns)
{
	const struct v6t_file_header *h;
	size_t hlen, len;
	char *hdr = slurp(OLD_REC, &len);
	char *buf;

	assert_non_null(hdr);
	h = (const struct v6t_file_header *)hdr;
	hlen = h->header_size;
	assert_true(hlen >= sizeof(*h) && hlen <= len);
	buf = malloc(hlen + (size_t)n * sizeof(struct v6t_sock_event));
	assert_non_null(buf);
	memcpy(buf, hdr, hlen);
	for (unsigned int i = 0; i < n; i++) {
		struct v6t_sock_event e = {
			.hdr = { .type = V6T_REC_SOCK_EVENT, .size = sizeof(e) },
			.ts_boot_ns = 1000000000ULL + i,
			.netns_ino = NETNS_BASE + i % n_netns,
			.pid = 4242,
			.tid = 4242,
			.local_port = 1024 + i % 60000,
			.family = V6T_AF_INET6,
			.kind = V6T_EV_BIND,
			.proto = V6T_IPPROTO_UDP,
			.sysctl_v6only = i % n_netns % 2,
		};

		memcpy(e.comm, "gen", 4);
		memcpy(buf + hlen + (size_t)i * sizeof(e), &e, sizeof(e));
	}
	free(hdr);
	*data = buf;
	return hlen + (size_t)n * sizeof(struct v6t_sock_event);
}

static void make_recording_file(const char *path, unsigned int n, unsigned int n_netns)
{
	char *data;
	size_t len = make_recording(&data, n, n_netns);

	write_file(path, data, len, 0600);
	free(data);
}

/* Waits (bounded) for an inotify event that names a file, such as a file created in a directory. */
static void wait_named_event(int ino)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pfd = { .fd = ino, .events = POLLIN };

	for (;;) {
		ssize_t n;

		assert_int_equal(poll(&pfd, 1, HANG_MS), 1);
		n = read(ino, buf, sizeof(buf));
		assert_true(n > 0);
		for (char *p = buf; p < buf + n; p += sizeof(struct inotify_event) +
						       ((struct inotify_event *)p)->len)
			if (((struct inotify_event *)p)->len)
				return;
	}
}

/* 8000 events of 160 bytes: more than one file of -C 1 */
#define BIG_EVENTS 8000

/* (1) a link nobody planted at FILE is never followed: its target keeps its content */
static void test_symlink_refused(void **state)
{
	struct dirs *d = *state;
	char victim[128], file[128];
	struct stat st;

	join(victim, sizeof(victim), d->priv, "victim");
	join(file, sizeof(file), d->shared, "trace.v6t");
	write_file(victim, PRECIOUS, strlen(PRECIOUS), 0600);
	as_nobody(plant_symlink, victim, file);

	assert_refused(RUN("-r", OLD_REC, "-w", file), 1, "symbolic link");
	assert_content(victim, PRECIOUS, strlen(PRECIOUS));
	assert_int_equal(lstat(file, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

/* (1) the same at FILE.1, met at rotation: refused there, the target untouched */
static void test_rotated_symlink_refused(void **state)
{
	struct dirs *d = *state;
	char victim[128], file[128], file1[160], big[128];

	join(victim, sizeof(victim), d->priv, "victim");
	join(big, sizeof(big), d->priv, "big.v6t");
	join(file, sizeof(file), d->shared, "trace.v6t");
	snprintf(file1, sizeof(file1), "%s.1", file);
	write_file(victim, PRECIOUS, strlen(PRECIOUS), 0600);
	make_recording_file(big, BIG_EVENTS, 1);
	as_nobody(plant_symlink, victim, file1);

	assert_refused(RUN("-r", big, "-w", file, "-C", "1"), 1, "symbolic link");
	assert_non_null(strstr(err, file1));
	assert_content(victim, PRECIOUS, strlen(PRECIOUS));
}

/* (1) a file nobody made, mode 0666: not written into, not truncated, still nobody's */
static void test_other_users_file_refused(void **state)
{
	const char *content = "nobody's own file\n";
	struct dirs *d = *state;
	char file[128];
	struct stat st;

	join(file, sizeof(file), d->shared, "trace.v6t");
	as_nobody(plant_file, file, content);

	assert_refused(RUN("-r", OLD_REC, "-w", file), 1, "belongs to another user");
	assert_content(file, content, strlen(content));
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_uid, NOBODY);
	assert_int_equal(st.st_mode & 07777, 0666);
}

/* (1) a FIFO nobody planted: v6trace neither hangs in open nor writes into it */
static void test_fifo_refused(void **state)
{
	struct dirs *d = *state;
	char file[128];

	join(file, sizeof(file), d->shared, "trace.v6t");
	as_nobody(plant_fifo, file, NULL);
	assert_refused(RUN("-r", OLD_REC, "-w", file), 1, "belongs to another user");
}

/* Our own FIFO: with no reader one clear error at once; with a reader it carries the recording. */
static void test_own_fifo(void **state)
{
	struct dirs *d = *state;
	char fifo[128], copy[128];
	char *expected, *data;
	size_t len;
	int rd;

	join(fifo, sizeof(fifo), d->priv, "fifo");
	join(copy, sizeof(copy), d->priv, "copy.v6t");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_refused(RUN("-r", OLD_REC, "-w", fifo), 1, "no reader");

	/* the recording (3400 bytes) fits in the pipe: read it once v6trace is done */
	rd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(rd >= 0);
	assert_exit(RUN("-r", OLD_REC, "-w", fifo), 0);
	data = malloc(1 << 16);
	assert_non_null(data);
	len = read(rd, data, 1 << 16);
	close(rd);
	write_file(copy, data, len, 0600);
	free(data);
	expected = replay_json(OLD_REC);
	data = replay_json(copy);
	assert_string_equal(data, expected);
	free(data);
	free(expected);
}

static void assert_mode(const char *path, mode_t mode)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_mode & 07777, mode);
}

/* (1) what v6trace creates is root's and 0600, rotated files too, unless --file-mode says */
static void test_created_modes(void **state)
{
	struct dirs *d = *state;
	char file[128], file1[160], other[128], big[128];
	mode_t old_umask;

	join(file, sizeof(file), d->shared, "trace.v6t");
	snprintf(file1, sizeof(file1), "%s.1", file);
	join(other, sizeof(other), d->shared, "shared.v6t");
	join(big, sizeof(big), d->priv, "big.v6t");
	make_recording_file(big, BIG_EVENTS, 1);

	assert_exit(RUN("-r", big, "-w", file, "-C", "1"), 0);
	assert_mode(file, 0600);
	assert_mode(file1, 0600);
	/* asked for, the mode is exactly that: the umask does not take bits away */
	old_umask = umask(077);
	assert_exit(RUN("-r", OLD_REC, "-w", other, "--file-mode", "0640"), 0);
	umask(old_umask);
	assert_mode(other, 0640);
}

/*
 * (4) an existing recording of ours is replaced only once the new one is complete: killed
 * mid-run, v6trace leaves the old one intact (and its temporary file, named .NAME.XXXXXX);
 * after a clean end it holds the new recording, with the new file's mode.
 */
static void test_replace_when_complete(void **state)
{
	struct dirs *d = *state;
	char file[128], *old, *news, *expected, *got;
	size_t old_len, new_len;
	int in[2], ino, leftovers = 0;
	struct dirent *de;
	struct run r;
	DIR *dir;

	join(file, sizeof(file), d->priv, "trace.v6t");
	copy_file(OLD_REC, file);
	old = slurp(file, &old_len);
	news = slurp(NEW_REC, &new_len);
	assert_non_null(old);
	assert_non_null(news);

	ino = inotify_init1(IN_CLOEXEC);
	assert_true(ino >= 0);
	assert_true(inotify_add_watch(ino, d->priv, IN_CREATE | IN_OPEN) >= 0);
	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	spawn(&r, (const char *const[]){ "-r", "-", "-w", file, "-q", NULL }, in[0], 0);
	close(in[0]);
	/* the header and a few records: enough for the writer to start, not to finish */
	assert_int_equal(write(in[1], news, new_len / 2), (ssize_t)(new_len / 2));
	wait_named_event(ino);	/* the writer opened its file */
	kill(r.pid, SIGKILL);
	finish(&r, HANG_MS);
	close(in[1]);
	close(ino);
	assert_content(file, old, old_len);
	dir = opendir(d->priv);
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, ".trace.v6t.", 11) || strlen(de->d_name) != 17)
			continue;
		leftovers++;
		assert_int_equal(unlinkat(dirfd(dir), de->d_name, 0), 0);
	}
	closedir(dir);
	assert_int_equal(leftovers, 1);

	assert_exit(RUN("-r", NEW_REC, "-w", file), 0);
	expected = replay_json(NEW_REC);
	got = replay_json(file);
	assert_string_equal(got, expected);
	assert_mode(file, 0600);
	free(expected);
	free(got);
	free(old);
	free(news);
}

/* (4) -r X with -w naming the same file another way: exit 2, X unchanged */
static void test_same_file_refused(void **state)
{
	struct dirs *d = *state;
	char file[128], dot[160], hard[128], sub[128], updown[160], *old;
	size_t old_len;
	int in;

	join(file, sizeof(file), d->priv, "x.v6t");
	snprintf(dot, sizeof(dot), "%s/./x.v6t", d->priv);
	join(hard, sizeof(hard), d->priv, "hardlink.v6t");
	join(sub, sizeof(sub), d->priv, "d");
	snprintf(updown, sizeof(updown), "%s/d/../x.v6t", d->priv);
	copy_file(OLD_REC, file);
	assert_int_equal(link(file, hard), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	old = slurp(file, &old_len);
	assert_non_null(old);

	assert_refused(RUN("-r", file, "-w", dot), 2, "-r and -w name the same file");
	assert_refused(RUN("-r", file, "-w", hard), 2, "-r and -w name the same file");
	assert_refused(RUN("-r", file, "-w", updown), 2, "-r and -w name the same file");
	in = open(file, O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	assert_refused(run_in((const char *const[]){ "-r", "-", "-w", file, NULL }, in, 0), 2,
		       "-r and -w name the same file");
	close(in);
	assert_content(file, old, old_len);
	free(old);
}

/* (4) and a rotated file that is the input: refused when rotation reaches it, input intact */
static void test_rotation_spares_input(void **state)
{
	struct dirs *d = *state;
	char file[128], input[160], *old;
	size_t old_len;

	join(file, sizeof(file), d->priv, "t.v6t");
	snprintf(input, sizeof(input), "%s.1", file);
	make_recording_file(input, BIG_EVENTS, 1);
	old = slurp(input, &old_len);
	assert_non_null(old);
	assert_refused(RUN("-r", input, "-w", file, "-C", "1"), 1, "is the recording being read");
	assert_content(input, old, old_len);
	free(old);
}

/* (5) with stdout (or all three standard fds) closed the recording still holds every event */
static void test_closed_std_fds(void **state)
{
	struct dirs *d = *state;
	char file[128], file2[128], *expected, *got;
	int in;

	join(file, sizeof(file), d->priv, "out.v6t");
	join(file2, sizeof(file2), d->priv, "out2.v6t");
	in = open(OLD_REC, O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	assert_exit(run_in((const char *const[]){ "-r", "-", "-w", file, NULL }, in, CLOSE_STDOUT),
		    0);
	close(in);
	assert_exit(run_in((const char *const[]){ "-r", OLD_REC, "-w", file2, "-j", NULL }, -1,
			   CLOSE_STDIN | CLOSE_STDOUT | CLOSE_STDERR),
		    0);
	expected = replay_json(OLD_REC);
	got = replay_json(file);
	assert_string_equal(got, expected);
	free(got);
	got = replay_json(file2);
	assert_string_equal(got, expected);
	free(got);
	free(expected);
}

/* (14c) -w /dev/null works; with -C it is refused at once, and no /dev/null.1 appears */
static void test_dev_null(void **state)
{
	struct dirs *d = *state;
	char big[128], fifo[128];
	struct stat st;
	int status, made;

	join(big, sizeof(big), d->priv, "big.v6t");
	join(fifo, sizeof(fifo), d->priv, "fifo");
	make_recording_file(big, BIG_EVENTS, 1);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_exit(RUN("-r", big, "-w", "/dev/null"), 0);
	assert_string_equal(err, "");
	status = RUN("-r", big, "-w", "/dev/null", "-C", "1");
	made = lstat("/dev/null.1", &st) == 0 && S_ISREG(st.st_mode);
	if (made)
		unlink("/dev/null.1");	/* left by a v6trace without the check */
	assert_false(made);
	assert_refused(status, 2, "not a regular file");
	assert_refused(RUN("-r", big, "-w", fifo, "-C", "1"), 2, "not a regular file");
}

/*
 * -W removes only what this run wrote: a file put at FILE after v6trace finished it (here,
 * the operator moved the first part away and something else took its name) is left alone.
 */
static void test_rotate_count_removes_own_only(void **state)
{
	const char *mine = "not a recording of this run\n";
	struct dirs *d = *state;
	char file[128], file1[160], kept[160], *data;
	size_t len, first = 1200000;
	int in[2], ino;
	struct stat st;
	struct run r;

	join(file, sizeof(file), d->priv, "t.v6t");
	snprintf(file1, sizeof(file1), "%s.1", file);
	snprintf(kept, sizeof(kept), "%s.kept", file);
	len = make_recording(&data, 16000, 1);	/* 2.56 MB: three files of -C 1 */
	ino = inotify_init1(IN_CLOEXEC);
	assert_true(ino >= 0);
	assert_true(inotify_add_watch(ino, d->priv, IN_CREATE) >= 0);
	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	spawn(&r, (const char *const[]){ "-r", "-", "-w", file, "-C", "1", "-W", "2", NULL }, in[0],
	      0);
	close(in[0]);
	assert_int_equal(write(in[1], data, first), (ssize_t)first);
	/* FILE.1 created: FILE is complete and closed */
	while (lstat(file1, &st))
		wait_named_event(ino);
	close(ino);
	assert_int_equal(rename(file, kept), 0);
	write_file(file, mine, strlen(mine), 0600);
	assert_int_equal(write(in[1], data + first, len - first), (ssize_t)(len - first));
	close(in[1]);
	assert_exit(finish(&r, HANG_MS * 3), 0);
	assert_content(file, mine, strlen(mine));
	assert_non_null(strstr(err, "not removing"));
	assert_int_equal(count_lines(err), 1);
	free(data);
}

/*
 * Walks a recording's records: every namespace record appears once, and before any event of
 * its namespace. Returns how many namespace records there were.
 */
static unsigned int check_netns_records(const char *path, unsigned int n_netns)
{
	size_t len, off;
	char *data = slurp(path, &len);
	unsigned char *seen = calloc(n_netns, 1);
	unsigned int records = 0;

	assert_non_null(data);
	assert_non_null(seen);
	off = ((const struct v6t_file_header *)data)->header_size;
	while (off + sizeof(struct v6t_rec_hdr) <= len) {
		const struct v6t_rec_hdr *h = (const void *)(data + off);
		struct v6t_netns_rec n;
		struct v6t_sock_event e;

		assert_true(h->size >= sizeof(*h) && off + h->size <= len);
		if (h->type == V6T_REC_NETNS) {
			memcpy(&n, h, sizeof(n));
			assert_true(n.info.netns_ino - NETNS_BASE < n_netns);
			assert_int_equal(seen[n.info.netns_ino - NETNS_BASE]++, 0);
			records++;
		} else if (h->type == V6T_REC_SOCK_EVENT) {
			memcpy(&e, h, sizeof(e));
			assert_true(seen[e.netns_ino - NETNS_BASE]);
		}
		off += h->size;
	}
	assert_int_equal(off, len);
	free(seen);
	free(data);
	return records;
}

/* (14h) 1100 namespaces: one record each, in one file and in every rotated file */
static void test_many_netns(void **state)
{
	struct dirs *d = *state;
	char input[128], file[128], rot[128], part[160];
	unsigned int n_netns = 1100;

	join(input, sizeof(input), d->priv, "in.v6t");
	join(file, sizeof(file), d->priv, "out.v6t");
	join(rot, sizeof(rot), d->priv, "rot.v6t");
	make_recording_file(input, BIG_EVENTS, n_netns);
	assert_exit(RUN("-r", input, "-w", file), 0);
	assert_int_equal(check_netns_records(file, n_netns), n_netns);
	/* the rotated file starts with the namespaces of the first, then adds its own */
	assert_exit(RUN("-r", input, "-w", rot, "-C", "1"), 0);
	check_netns_records(rot, n_netns);
	snprintf(part, sizeof(part), "%s.1", rot);
	assert_int_equal(check_netns_records(part, n_netns), n_netns);
}

#define FILES_TEST(f) cmocka_unit_test_setup_teardown(f, dirs_setup, dirs_teardown)

int run_file_tests(void)
{
	const struct CMUnitTest tests[] = {
		FILES_TEST(test_symlink_refused),
		FILES_TEST(test_rotated_symlink_refused),
		FILES_TEST(test_other_users_file_refused),
		FILES_TEST(test_fifo_refused),
		FILES_TEST(test_own_fifo),
		FILES_TEST(test_created_modes),
		FILES_TEST(test_replace_when_complete),
		FILES_TEST(test_same_file_refused),
		FILES_TEST(test_rotation_spares_input),
		FILES_TEST(test_closed_std_fds),
		FILES_TEST(test_dev_null),
		FILES_TEST(test_rotate_count_removes_own_only),
		FILES_TEST(test_many_netns),
	};

	return cmocka_run_group_tests_name("files", tests, NULL, NULL);
}

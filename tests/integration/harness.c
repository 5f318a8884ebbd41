// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

/*
 * How long v6trace may take to start before a test fails: generous, as under qemu TCG with a
 * connection storm (test_startup_storm) two guests sharing two cores slow everything down.
 */
#define READY_TIMEOUT_MS 90000
#define EXIT_TIMEOUT_MS 30000

uint64_t netns_current(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return 0;
	return st.st_ino;
}

uint64_t netns_enter_new(void)
{
	struct ifreq ifr = {};
	int fd;

	if (unshare(CLONE_NEWNET)) {
		fprintf(stderr, "harness: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 0;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			fprintf(stderr, "harness: lo up: %s\n", strerror(errno));
	}
	close(fd);
	return netns_current();
}

int netns_write_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -errno : 0;
}

const char *tracer_binary(void)
{
	const char *bin = getenv("V6TRACE_BIN");

	return bin && *bin ? bin : ".output/v6trace";
}

const char *tracer_backend(void)
{
	const char *b = getenv("V6TRACE_BACKEND");

	return b && *b ? b : "auto";
}

static int make_temp(char *path, size_t size, const char *what)
{
	int fd;

	snprintf(path, size, "/tmp/v6t-%s-XXXXXX", what);
	fd = mkstemp(path);
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

char *slurp_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, len + 1);
	if (buf && len > 0 && fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf && size)
		*size = len;
	return buf;
}

/* "" for a file that is missing or unreadable */
static char *read_file(const char *path)
{
	char *text = slurp_file(path, NULL);

	return text ? text : strdup("");
}

/* stdout_fd < 0: stdout goes to a temporary file, read at the end */
static int start(struct tracer *t, const char *const *args, bool text, int stdout_fd)
{
	const char *argv[64];
	int ready[2], err_fd, n = 0;
	struct pollfd pfd;
	char buf[16] = "";
	ssize_t got;

	tracer_cleanup(t);
	memset(t, 0, sizeof(*t));
	t->pid = -1;
	t->out_fd = make_temp(t->out_path, sizeof(t->out_path), "out");
	err_fd = make_temp(t->err_path, sizeof(t->err_path), "err");
	if (t->out_fd < 0 || err_fd < 0 || pipe2(ready, O_CLOEXEC))
		return -1;

	t->text = text;
	argv[n++] = tracer_binary();
	if (!text)
		argv[n++] = "-j";
	argv[n++] = "--ready-fd";
	argv[n++] = "3";
	argv[n++] = "-B";
	argv[n++] = tracer_backend();
	for (int i = 0; args && args[i] && n < 62; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		dup2(stdout_fd >= 0 ? stdout_fd : t->out_fd, STDOUT_FILENO);
		dup2(err_fd, STDERR_FILENO);
		dup2(ready[1], 3);	/* dup2 clears FD_CLOEXEC on the copy */
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(err_fd);
	close(ready[1]);
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	/* the readiness signal: v6trace writes "ready" once every program is attached */
	if (poll(&pfd, 1, READY_TIMEOUT_MS) != 1 || (got = read(ready[0], buf, sizeof(buf) - 1)) <= 0 ||
	    strncmp(buf, "ready", 5)) {
		char *err = read_file(t->err_path);

		fprintf(stderr, "harness: v6trace did not become ready; its stderr:\n%s\n", err);
		free(err);
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return 0;
}

int tracer_start(struct tracer *t, const char *const *args)
{
	return start(t, args, false, -1);
}

int tracer_start_text(struct tracer *t, const char *const *args)
{
	return start(t, args, true, -1);
}

int tracer_start_stdout(struct tracer *t, const char *const *args, int stdout_fd)
{
	return start(t, args, true, stdout_fd);
}

static int parse_output(struct tracer *t)
{
	char *text = read_file(t->out_path), *line, *save = NULL;
	int bad = 0;

	t->stderr_text = read_file(t->err_path);
	t->stdout_text = strdup(text);
	if (t->text) {
		free(text);
		return 0;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *obj = json_tokener_parse(line);

		if (!obj || !json_object_is_type(obj, json_type_object)) {
			fprintf(stderr, "harness: not a JSON object: %s\n", line);
			bad = 1;
			json_object_put(obj);
			continue;
		}
		if (t->n_events == MAX_EVENTS) {
			fprintf(stderr, "harness: more than %d events\n", MAX_EVENTS);
			bad = 1;
			json_object_put(obj);
			continue;
		}
		t->events[t->n_events++] = obj;
	}
	free(text);
	return bad ? -1 : 0;
}

/* A pidfd becomes readable when the process exits: a bounded wait with no polling loop. */
int wait_exit(pid_t pid, int timeout_ms, int *status)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int ready = pidfd >= 0 ? poll(&pfd, 1, timeout_ms) : -1;

	if (pidfd >= 0)
		close(pidfd);
	if (ready != 1) {
		fprintf(stderr, "harness: process %d did not exit within %d ms\n", (int)pid, timeout_ms);
		kill(pid, SIGKILL);
	}
	waitpid(pid, status, 0);
	return ready == 1 ? 0 : -1;
}

static int wait_bounded(struct tracer *t, int timeout_ms)
{
	int err = wait_exit(t->pid, timeout_ms, &t->status);

	t->pid = -1;
	return err;
}

pid_t spawn_fds(const char *const *argv, int in_fd, int out_fd, int err_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		if ((in_fd >= 0 && dup2(in_fd, STDIN_FILENO) < 0) ||
		    (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0) ||
		    (err_fd >= 0 && dup2(err_fd, STDERR_FILENO) < 0))
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static int finish(struct tracer *t, int timeout_ms)
{
	if (wait_bounded(t, timeout_ms))
		return -1;
	if (parse_output(t))
		return -1;
	if (!WIFEXITED(t->status) || WEXITSTATUS(t->status)) {
		fprintf(stderr, "harness: v6trace ended with status 0x%x; stderr:\n%s\n", t->status,
			t->stderr_text);
		return -1;
	}
	return 0;
}

int tracer_stop(struct tracer *t)
{
	if (t->pid <= 0)
		return -1;
	kill(t->pid, SIGINT);
	return finish(t, EXIT_TIMEOUT_MS);
}

int tracer_wait(struct tracer *t, int timeout_s)
{
	if (t->pid <= 0)
		return -1;
	return finish(t, timeout_s * 1000);
}

void tracer_cleanup(struct tracer *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
		t->pid = -1;
	}
	for (int i = 0; i < t->n_events; i++)
		json_object_put(t->events[i]);
	t->n_events = 0;
	if (t->out_fd >= 0)
		close(t->out_fd);
	t->out_fd = -1;
	if (t->out_path[0])
		unlink(t->out_path);
	if (t->err_path[0])
		unlink(t->err_path);
	t->out_path[0] = t->err_path[0] = '\0';
	free(t->stderr_text);
	free(t->stdout_text);
	t->stderr_text = t->stdout_text = NULL;
}

int str_count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* Occurrences of needle in what path gained since *off; reads on from there (big outputs). */
static int count_new(int fd, const char *needle, off_t *off)
{
	size_t keep = strlen(needle) - 1;
	static char buf[(1 << 20) + 256];
	size_t len = 0;
	ssize_t n;
	int count = 0;

	/* the last bytes of what was read before: a needle may straddle the two reads */
	if (*off >= (off_t)keep && pread(fd, buf, keep, *off - keep) == (ssize_t)keep)
		len = keep;
	while ((n = pread(fd, buf + len, sizeof(buf) - 1 - len, *off)) > 0) {
		len += n;
		*off += n;
		buf[len] = '\0';
		count += str_count(buf, needle);
		n = len < keep ? len : keep;
		memmove(buf, buf + len - n, n);
		len = n;
	}
	return count;
}

int wait_file_output(const char *path, const char *needle, int count, int timeout_ms)
{
	int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct pollfd pfd = { .fd = in, .events = POLLIN };
	char events[4096];
	off_t off = 0;
	int seen = 0;

	if (in < 0 || fd < 0 || inotify_add_watch(in, path, IN_MODIFY) < 0)
		goto out;
	/* check after the watch is set, so a write between the two is not missed */
	for (;;) {
		seen += count_new(fd, needle, &off);
		if (seen >= count || poll(&pfd, 1, timeout_ms) != 1)
			break;
		while (read(in, events, sizeof(events)) > 0)
			;
	}
out:
	if (in >= 0)
		close(in);
	if (fd >= 0)
		close(fd);
	if (seen < count)
		fprintf(stderr, "harness: %s held %d of \"%s\", not %d\n", path, seen, needle, count);
	return seen >= count ? 0 : -1;
}

/* Does the file at path hold needle now? */
static bool file_holds(const char *path, const char *needle)
{
	char *text = slurp_file(path, NULL);
	bool found = text && strstr(text, needle);

	free(text);
	return found;
}

int wait_file_replaced(const char *path, const char *needle, int timeout_ms)
{
	int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	struct pollfd pfd = { .fd = in, .events = POLLIN };
	char dir[PATH_MAX], events[4096];
	bool found = false;

	snprintf(dir, sizeof(dir), "%s", path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	if (in < 0 || inotify_add_watch(in, dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
		goto out;
	/* check after the watch is set, so a rename between the two is not missed */
	while (!(found = file_holds(path, needle)) && poll(&pfd, 1, timeout_ms) == 1)
		while (read(in, events, sizeof(events)) > 0)
			;
out:
	if (in >= 0)
		close(in);
	if (!found)
		fprintf(stderr, "harness: %s did not come to hold \"%s\"\n", path, needle);
	return found ? 0 : -1;
}

int tracer_wait_output(struct tracer *t, const char *needle, int timeout_ms)
{
	return wait_file_output(t->out_path, needle, 1, timeout_ms);
}

const char *tracer_stdout(const struct tracer *t)
{
	return t->stdout_text ? t->stdout_text : "";
}

int run_capture(const char *const *argv, char *out, size_t out_size, char *err, size_t err_size)
{
	return run_capture_stdin(argv, NULL, out, out_size, err, err_size);
}

int run_capture_stdin(const char *const *argv, const char *stdin_path, char *out, size_t out_size,
		      char *err, size_t err_size)
{
	char out_path[64], err_path[64];
	int out_fd = make_temp(out_path, sizeof(out_path), "rout");
	int err_fd = make_temp(err_path, sizeof(err_path), "rerr");
	int status = -1;
	pid_t pid;
	char *text;

	pid = fork();
	if (pid == 0) {
		if (stdin_path) {
			int in = open(stdin_path, O_RDONLY);

			if (in < 0 || dup2(in, STDIN_FILENO) < 0)
				_exit(126);
		}
		dup2(out_fd, STDOUT_FILENO);
		dup2(err_fd, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(out_fd);
	close(err_fd);
	text = read_file(out_path);
	snprintf(out, out_size, "%s", text);
	free(text);
	text = read_file(err_path);
	snprintf(err, err_size, "%s", text);
	free(text);
	unlink(out_path);
	unlink(err_path);
	return status;
}

static json_object *get(json_object *e, const char *key)
{
	json_object *v = NULL;

	if (!e || !json_object_object_get_ex(e, key, &v))
		return NULL;
	return v;
}

const char *ev_str(json_object *e, const char *key)
{
	json_object *v = get(e, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int64_t ev_int(json_object *e, const char *key)
{
	json_object *v = get(e, key);

	return v && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

int ev_bool(json_object *e, const char *key)
{
	json_object *v = get(e, key);

	return v && json_object_is_type(v, json_type_boolean) ? json_object_get_boolean(v) : -1;
}

bool ev_is_null(json_object *e, const char *key)
{
	json_object *v = NULL;

	return e && json_object_object_get_ex(e, key, &v) && v == NULL;
}

/* e is an event of this kind with this local port (port 0: any) */
static bool ev_matches(json_object *e, const char *event, int local_port)
{
	const char *name = ev_str(e, "event");

	return name && !strcmp(name, event) &&
	       (!local_port || ev_int(e, "local_port") == local_port);
}

json_object *ev_find(struct tracer *t, const char *event, int local_port, int nth)
{
	for (int i = 0; i < t->n_events; i++)
		if (ev_matches(t->events[i], event, local_port) && nth-- == 0)
			return t->events[i];
	return NULL;
}

int ev_count(struct tracer *t, const char *event, int local_port)
{
	int n = 0;

	for (int i = 0; i < t->n_events; i++)
		n += ev_matches(t->events[i], event, local_port);
	return n;
}

static socklen_t make_addr(int family, const char *addr, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		return sizeof(*s4);
	}
}

int sock_bind_opts(int family, int type, const char *addr, uint16_t port,
		   const struct sockopt *opts)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(family, addr, port, &ss);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);
	int err;

	if (fd < 0)
		return -errno;
	for (; opts && opts->name; opts++)
		if (setsockopt(fd, opts->level, opts->name, &opts->value, sizeof(opts->value)))
			goto fail;
	if (bind(fd, (struct sockaddr *)&ss, len))
		goto fail;
	return fd;
fail:
	err = -errno;
	close(fd);
	return err;
}

int sock_bind(int family, int type, const char *addr, uint16_t port, int v6only)
{
	const struct sockopt opts[] = { { IPPROTO_IPV6, IPV6_V6ONLY, v6only }, { 0 } };

	return sock_bind_opts(family, type, addr, port, v6only >= 0 ? opts : NULL);
}

int tcp_listen(int family, const char *addr, uint16_t port, int v6only)
{
	int fd = sock_bind(family, SOCK_STREAM, addr, port, v6only);

	if (fd >= 0 && listen(fd, 64)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int tcp_connect(int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(family, addr, port, &ss);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int accept_one(int lfd)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };

	/* usually queued before connect() returns, but the ACK may still wait in a softirq */
	if (poll(&pfd, 1, 5000) != 1)
		return -ETIMEDOUT;
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Integration test helpers: network namespaces, the real v6trace started with a readiness
 * pipe and stopped with SIGINT, its JSON Lines parsed, and small socket helpers in the
 * style of the kernel's BPF selftests (start_server, connect_to).
 */
#ifndef V6T_HARNESS_H
#define V6T_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#define MAX_EVENTS 32768	/* more fails the parse: no test may miss events unknowingly */

struct tracer {
	pid_t pid;
	int out_fd;			/* read end of v6trace's stdout, or its file */
	char out_path[64];
	char err_path[64];
	int status;			/* waitpid status after stop */
	bool text;			/* started without -j: stdout kept as text, not parsed */
	char *stdout_text;
	char *stderr_text;
	json_object *events[MAX_EVENTS];
	int n_events;
};

/* Enters a new network namespace with lo up; returns its inode (0 on failure). */
uint64_t netns_enter_new(void);
/* Current network namespace's inode. */
uint64_t netns_current(void);
int netns_write_sysctl(const char *path, const char *value);

/* The v6trace binary under test ($V6TRACE_BIN) and backend ($V6TRACE_BACKEND, default auto). */
const char *tracer_binary(void);
const char *tracer_backend(void);

/*
 * Starts v6trace -j --ready-fd with the extra NULL-terminated args and waits (bounded) for
 * its ready line. Returns 0, or -1 with the reason printed.
 */
int tracer_start(struct tracer *t, const char *const *args);
/* The same in text mode: stdout ends up in t->stdout_text. */
int tracer_start_text(struct tracer *t, const char *const *args);
/* The same with stdout on stdout_fd (a pipe, say); t's stdout text stays empty. */
int tracer_start_stdout(struct tracer *t, const char *const *args, int stdout_fd);
/* SIGINT, wait, parse stdout as JSON Lines. Returns 0 if it exited 0 and every line parsed. */
int tracer_stop(struct tracer *t);
/* Waits (bounded) for it to exit on its own, then parses like tracer_stop. */
int tracer_wait(struct tracer *t, int timeout_s);
void tracer_cleanup(struct tracer *t);
/* Waits (inotify, bounded) until the tracer's stdout file contains needle; 0 if it did. */
int tracer_wait_output(struct tracer *t, const char *needle, int timeout_ms);
/* The same for any file, until needle occurs count times (timeout: between two changes). */
int wait_file_output(const char *path, const char *needle, int count, int timeout_ms);
/*
 * Waits (inotify on its directory, bounded) until the file at path, which is replaced by
 * rename(2) rather than written in place, holds needle; 0 if it did.
 */
int wait_file_replaced(const char *path, const char *needle, int timeout_ms);
/* Raw stdout of a stopped tracer (JSON mode keeps it too). */
const char *tracer_stdout(const struct tracer *t);

/* Starts argv with stdin, stdout and stderr on these fds (-1: inherited); returns its pid. */
pid_t spawn_fds(const char *const *argv, int in_fd, int out_fd, int err_fd);
/* Waits for pid to exit, at most timeout_ms (then kills it); 0 if it exited in time. */
int wait_exit(pid_t pid, int timeout_ms, int *status);
/* How many times needle occurs in text. */
int str_count(const char *text, const char *needle);
/* The whole file, NUL-terminated (malloc'd; its length in *size if size), or NULL. */
char *slurp_file(const char *path, size_t *size);
/* Runs argv to completion with stdout/stderr captured; returns the wait status. */
int run_capture(const char *const *argv, char *out, size_t out_size, char *err, size_t err_size);
/* The same with standard input read from stdin_path. */
int run_capture_stdin(const char *const *argv, const char *stdin_path, char *out, size_t out_size,
		      char *err, size_t err_size);

/* JSON event access. */
const char *ev_str(json_object *e, const char *key);	/* NULL if missing or null */
int64_t ev_int(json_object *e, const char *key);	/* -1 if missing or null */
int ev_bool(json_object *e, const char *key);		/* -1 if missing or not a bool */
bool ev_is_null(json_object *e, const char *key);
/* The n-th (0-based) event of this kind with this local port (port 0: any). */
json_object *ev_find(struct tracer *t, const char *event, int local_port, int nth);
int ev_count(struct tracer *t, const char *event, int local_port);

/* Sockets. v6only < 0 leaves IPV6_V6ONLY alone. Return fd or -errno. */
int tcp_listen(int family, const char *addr, uint16_t port, int v6only);
int sock_bind(int family, int type, const char *addr, uint16_t port, int v6only);
/* A socket option set before bind(): level, name, an int value; a list ends with name 0. */
struct sockopt {
	int level, name, value;
};
int sock_bind_opts(int family, int type, const char *addr, uint16_t port,
		   const struct sockopt *opts);
int tcp_connect(int family, const char *addr, uint16_t port);
int accept_one(int lfd);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Stopping while blocked: SIGTERM, SIGINT or SIGHUP reach v6trace while it writes to a pipe
 * nobody reads, or reads a pipe that never delivers. It must end within a bounded time, with
 * the recording to a file complete and synced; only the display, or a recording on a pipe
 * that stays full, may be cut.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

/* how long v6trace may take to end: a hang detector, far above what it needs */
#define HANG_MS 20000
#define PIPE_BYTES 4096	/* the smallest pipe: a few display lines fill it */

static char out[1 << 20], err[1 << 16];

/*
 * Waits until pid sleeps in system call nr on fd. Nothing notifies a task going to sleep, so
 * this reads its /proc state until it says so (a condition, checked every millisecond).
 */
static int wait_blocked_in(pid_t pid, long nr, int fd)
{
	char path[64], want[32], state[256];
	struct timespec ms = { .tv_nsec = 1000000 };

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	snprintf(want, sizeof(want), "%ld 0x%x ", nr, fd);
	for (int waited = 0; waited < HANG_MS; waited++) {
		int f = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = f >= 0 ? read(f, state, sizeof(state) - 1) : -1;

		if (f >= 0)
			close(f);
		if (n > 0) {
			state[n] = '\0';
			if (!strncmp(state, want, strlen(want)))
				return 0;
		}
		nanosleep(&ms, NULL);
	}
	fprintf(stderr, "signals: process %d never blocked in syscall %ld on fd %d\n", (int)pid, nr, fd);
	return -1;
}

static void make_binds(int first_port, int n)
{
	for (int i = 0; i < n; i++) {
		int fd = sock_bind(AF_INET6, SOCK_DGRAM, "::1", first_port + i, -1);

		assert_true(fd >= 0);
		close(fd);
	}
}

static int replay(const char *path)
{
	const char *argv[] = { tracer_binary(), "-r", path, "-j", NULL };

	return run_capture(argv, out, sizeof(out), err, sizeof(err));
}

/* A pipe of PIPE_BYTES whose read end the test keeps open and never reads. */
static void small_pipe(int p[2])
{
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES), PIPE_BYTES);
}

/*
 * v6trace -j -w FILE with its display on a pipe nobody reads: 20 binds fill the pipe and
 * block it in write(1); 30 more wait in the ring buffer. The signal (or -d: sig 0) must end
 * it, and FILE must hold all 50, cleanly (no cut record).
 */
static void display_blocked(struct tracer *t, int sig, const char *extra)
{
	uint64_t ns = netns_enter_new();
	char dir[] = "/tmp/v6t-sig-XXXXXX", path[64], ns_arg[32];
	int p[2];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec.v6t", dir);
	snprintf(ns_arg, sizeof(ns_arg), "%llu", (unsigned long long)ns);
	small_pipe(p);
	assert_int_equal(tracer_start_stdout(t, (const char *[]){ "-j", "-N", ns_arg, "-w", path, extra,
								 NULL }, p[1]), 0);
	close(p[1]);
	make_binds(21000, 20);
	assert_int_equal(wait_blocked_in(t->pid, SYS_write, STDOUT_FILENO), 0);
	make_binds(21020, 30);
	if (sig)
		kill(t->pid, sig);
	assert_int_equal(tracer_wait(t, HANG_MS / 1000), 0);
	assert_string_equal(t->stderr_text, "");

	assert_int_equal(replay(path), 0);
	assert_string_equal(err, "");
	assert_int_equal(str_count(out, "\"event\":\"bind\""), 50);
	assert_non_null(strstr(out, "\"local_port\":21049"));
	close(p[0]);
	unlink(path);
	rmdir(dir);
}

static void test_sigterm_display_blocked(void **state)
{
	display_blocked(*state, SIGTERM, NULL);
}

/* -d is a stop like a signal's: it ends v6trace blocked on its display as well. */
static void test_duration_display_blocked(void **state)
{
	display_blocked(*state, 0, "-d3");
}

static void test_sighup_summary_display_blocked(void **state)
{
	display_blocked(*state, SIGHUP, "-s");
}

/* SIGHUP ends a session as SIGTERM does: the summary printed, the recording complete. */
static void test_sighup_summary(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[] = "/tmp/v6t-sig-XXXXXX", path[64];
	json_object *s;
	int fds[3];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec.v6t", dir);
	start_traced(t, ns, (const char *[]){ "-s", "-w", path, NULL });
	fds[0] = tcp_listen(AF_INET6, "::", 8400, -1);
	fds[1] = tcp_connect(AF_INET, "127.0.0.1", 8400);
	fds[2] = accept_one(fds[0]);
	for (int i = 0; i < 3; i++)
		assert_true(fds[i] >= 0);
	/* the accept shown live: it is in v6trace's hands before the signal */
	assert_int_equal(tracer_wait_output(t, "\"event\":\"accept\"", HANG_MS), 0);
	kill(t->pid, SIGHUP);
	assert_int_equal(tracer_wait(t, HANG_MS / 1000), 0);
	s = ev_find(t, "summary", 8400, 0);
	assert_non_null(s);
	assert_int_equal(ev_int(s, "accepts_ipv4_mapped"), 1);
	assert_int_equal(replay(path), 0);
	assert_int_equal(str_count(out, "\"event\":\"accept\""), 1);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	unlink(path);
	rmdir(dir);
}

/*
 * -w - with a reader that stopped reading: after the signal the recording gets a short grace,
 * then is cut with one line on stderr and a non-zero exit (the recording is incomplete).
 */
static void test_sigterm_recording_pipe_full(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char ns_arg[32];
	int p[2];

	snprintf(ns_arg, sizeof(ns_arg), "%llu", (unsigned long long)ns);
	small_pipe(p);
	assert_int_equal(tracer_start_stdout(t, (const char *[]){ "-N", ns_arg, "-w", "-", NULL }, p[1]), 0);
	close(p[1]);
	make_binds(21100, 40);	/* 160 bytes each: more than the pipe holds */
	assert_int_equal(wait_blocked_in(t->pid, SYS_write, STDOUT_FILENO), 0);
	kill(t->pid, SIGTERM);
	assert_int_equal(tracer_wait(t, HANG_MS / 1000), -1);	/* exited, not 0 */
	assert_true(WIFEXITED(t->status));
	assert_int_equal(WEXITSTATUS(t->status), 1);
	assert_string_equal(t->stderr_text, "v6trace: writing standard output failed: cut 2 s after the "
					    "stop, its reader taking no more\n");
	close(p[0]);
}

/* A replay of a pipe that never delivers (-r -) ends on SIGTERM, at once and with status 0. */
static void test_sigterm_replay_stalled_pipe(void **state)
{
	const char *argv[] = { tracer_binary(), "-r", "-", "-s", NULL };
	char err_path[] = "/tmp/v6t-sig-err-XXXXXX";
	int p[2], err_fd = mkstemp(err_path), status;
	pid_t pid;

	(void)state;
	assert_true(err_fd >= 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid = spawn_fds(argv, p[0], err_fd, err_fd);
	assert_true(pid > 0);
	close(p[0]);
	assert_int_equal(wait_blocked_in(pid, SYS_read, STDIN_FILENO), 0);
	kill(pid, SIGTERM);
	assert_int_equal(wait_exit(pid, HANG_MS, &status), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(lseek(err_fd, 0, SEEK_END), 0);	/* nothing said */
	close(p[1]);
	close(err_fd);
	unlink(err_path);
}

int run_signal_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sigterm_display_blocked, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_duration_display_blocked, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_sighup_summary_display_blocked, itest_setup,
						itest_teardown),
		cmocka_unit_test_setup_teardown(test_sighup_summary, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_recording_pipe_full, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_replay_stalled_pipe, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("signals", tests, NULL, NULL);
}

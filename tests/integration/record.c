// SPDX-License-Identifier: GPL-2.0
/*
 * Recording while tracing for real: the replay equals what was shown live, a killed or
 * starved writer leaves a replayable prefix, --follow tails a file being written, and rotation
 * keeps its promises.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

#define OUT (8 << 20)	/* a 1 MB recording replays to about 3.5 MB of JSON */

static char out[OUT], err[OUT];

static void temp_dir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/v6t-rec-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

static int replay(const char *path, const char *const *args)
{
	const char *argv[16] = { tracer_binary(), "-r", path };
	int n = 3;

	for (int i = 0; args && args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return run_capture(argv, out, sizeof(out), err, sizeof(err));
}

static int count_lines(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The core scenarios in one namespace: a bit of everything v6trace reports. */
static void drive_scenarios(void)
{
	int fds[16], n = 0, one = 1;

	fds[n++] = tcp_listen(AF_INET6, "::", 8300, -1);
	fds[n++] = tcp_connect(AF_INET, "127.0.0.1", 8300);
	fds[n++] = accept_one(fds[0]);
	fds[n++] = tcp_connect(AF_INET6, "::1", 8300);
	fds[n++] = accept_one(fds[0]);
	fds[n++] = tcp_listen(AF_INET6, "::", 8301, 1);
	fds[n++] = tcp_listen(AF_INET, "0.0.0.0", 8301, -1);
	fds[n++] = sock_bind(AF_INET6, SOCK_STREAM, "::", 8302, -1);
	setsockopt(fds[n - 1], IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));	/* EINVAL */
	fds[n++] = sock_bind(AF_INET6, SOCK_STREAM, "::ffff:127.0.0.1", 8303, -1);
	fds[n++] = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8304, -1);
	assert_int_equal(sock_bind(AF_INET6, SOCK_STREAM, "::", 8300, -1), -EADDRINUSE);
	for (int i = 0; i < n; i++) {
		assert_true(fds[i] >= 0);
		close(fds[i]);
	}
}

/* Record the core scenarios with -w; the replay equals the live JSON, event for event. */
static void test_replay_equals_live(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128];

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/core.v6t", dir);
	start_traced(t, ns, (const char *[]){ "-w", path, "-s", NULL });
	drive_scenarios();
	stop_traced(t);
	assert_true(t->n_events >= 12);
	/* the live summary, at the end of the stream: the dual-stack listener and its clients */
	assert_non_null(strstr(tracer_stdout(t), "{\"event\":\"summary\",\"proto\":\"tcp\",\"family\":\"inet6\","
						 "\"local_addr\":\"::\",\"local_port\":8300"));
	assert_non_null(strstr(tracer_stdout(t), "\"accepts_ipv4_mapped\":1,\"accepts_ipv4\":0,\"accepts_ipv6\":1"));

	assert_int_equal(replay(path, (const char *[]){ "-j", "-s", NULL }), 0);
	assert_string_equal(out, tracer_stdout(t));
	assert_string_equal(err, "");
	/* and the text form replays the same as the text of the JSON's events */
	assert_int_equal(replay(path, (const char *[]){ "-s", NULL }), 0);
	assert_non_null(strstr(out, "::ffff:127.0.0.1 = IPv4 127.0.0.1 via dual-stack [::]:8300"));
	assert_non_null(strstr(out, "[::]:8301                 "));
	unlink(path);
	rmdir(dir);
}

/*
 * --event decides what is traced, so what is recorded: a recording made with --event accept
 * holds the accepts of the core scenarios and nothing else, not even the start-up snapshot
 * (a listener older than the trace would be in it otherwise).
 */
static void test_record_event_kinds(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128];
	int old;

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/accepts.v6t", dir);
	old = tcp_listen(AF_INET6, "::", 8305, -1);
	assert_true(old >= 0);
	start_traced(t, ns, (const char *[]){ "-w", path, "--event", "accept", NULL });
	drive_scenarios();
	stop_traced(t);
	assert_int_equal(ev_count(t, "accept", 8300), 2);
	assert_int_equal(t->n_events, 2);

	assert_int_equal(replay(path, (const char *[]){ "-j", NULL }), 0);
	assert_string_equal(out, tracer_stdout(t));
	assert_int_equal(count_lines(out, "\"event\":\"accept\""), 2);
	assert_int_equal(count_lines(out, "\"event\":"), 2);
	/* and without --event the same recording would begin with the older listener */
	assert_int_equal(replay(path, (const char *[]){ "-j", "-P", "8305", NULL }), 0);
	assert_string_equal(out, "");
	close(old);
	unlink(path);
	rmdir(dir);
}

/* -w - puts the recording on stdout (and nothing else): v6trace -w - | v6trace -r - */
static void test_record_to_stdout(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char ns_arg[32];
	int fd;

	snprintf(ns_arg, sizeof(ns_arg), "%llu", (unsigned long long)ns);
	assert_int_equal(tracer_start_text(t, (const char *[]){ "-N", ns_arg, "-w", "-", NULL }), 0);
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8310, -1);
	assert_true(fd >= 0);
	stop_traced(t);
	assert_int_equal(replay(t->out_path, (const char *[]){ "-j", NULL }), 0);
	assert_int_equal(count_lines(out, "\"event\":\"bind\""), 1);
	assert_non_null(strstr(out, "\"local_port\":8310"));
	close(fd);
}

/* kill -9 of the writer mid-stream: everything flushed before it replays, in order. */
static void test_kill9_prefix_replays(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128], needle[64];
	int status, replayed = 0;
	const char *p;

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/killed.v6t", dir);
	start_traced(t, ns, (const char *[]){ "-w", path, NULL });
	for (int i = 0; i < 100; i++)
		close(sock_bind(AF_INET6, SOCK_DGRAM, "::1", 20000 + i, -1));
	/* the live display is flushed with the recording: once it shows the 100th, so does the file */
	assert_int_equal(tracer_wait_output(t, "\"local_port\":20099", 30000), 0);
	for (int i = 100; i < 300; i++)
		close(sock_bind(AF_INET6, SOCK_DGRAM, "::1", 20000 + i, -1));
	kill(t->pid, SIGKILL);
	waitpid(t->pid, &status, 0);
	t->pid = -1;

	status = replay(path, (const char *[]){ "-j", NULL });
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* a prefix: ports 20000, 20001, ... with no gap, at least the 100 known flushed */
	for (p = out; (p = strstr(p, "\"local_port\":")); p++) {
		assert_int_equal(atoi(p + strlen("\"local_port\":")), 20000 + replayed);
		replayed++;
	}
	assert_true(replayed >= 100 && replayed <= 300);
	snprintf(needle, sizeof(needle), "truncated record");
	/* a cut record, if any, is one warning line */
	if (strstr(err, needle))
		assert_string_equal(strchr(err, '\n'), "\n");
	else
		assert_string_equal(err, "");
	unlink(path);
	rmdir(dir);
}

/* A full disk: one clear error, non-zero exit, and what was written still replays. */
static void test_disk_full(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128];
	int made = 0, status;

	temp_dir(dir, sizeof(dir));
	/* a private mount namespace keeps the tiny tmpfs out of everyone else's view */
	assert_int_equal(unshare(CLONE_NEWNS), 0);
	assert_int_equal(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	assert_int_equal(mount("v6t-full", dir, "tmpfs", 0, "size=16k"), 0);
	snprintf(path, sizeof(path), "%s/full.v6t", dir);
	start_traced(t, ns, (const char *[]){ "-w", path, "-q", NULL });
	/* 16 KiB holds about 100 events; make events until the writer gives up */
	for (int round = 0; round < 100; round++) {
		struct pollfd pfd;
		int pidfd = syscall(SYS_pidfd_open, t->pid, 0);

		for (int i = 0; i < 50; i++, made++)
			close(sock_bind(AF_INET6, SOCK_DGRAM, "::1", 0, -1));
		pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		/* the tracer exits by itself once a write fails: wait for that, briefly, per round */
		status = poll(&pfd, 1, 200);
		close(pidfd);
		if (status == 1)
			break;
	}
	assert_int_equal(tracer_wait(t, 30), -1);	/* it exited with a non-zero status */
	assert_true(WIFEXITED(t->status));
	assert_int_equal(WEXITSTATUS(t->status), 1);
	assert_non_null(strstr(t->stderr_text, "writing "));
	assert_non_null(strstr(t->stderr_text, "No space left on device"));
	assert_int_equal(count_lines(t->stderr_text, "\n"), 1);

	status = replay(path, (const char *[]){ "-j", NULL });
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(count_lines(out, "\"event\":\"bind\"") > 10);
	assert_true(count_lines(out, "\"event\":\"bind\"") < made);
	umount(dir);
	rmdir(dir);
}

/* --follow tails a recording another v6trace is writing, and stops cleanly on SIGINT. */
static void test_follow(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128], buf[65536];
	const char *argv[] = { tracer_binary(), "-r", path, "--follow", "-j", NULL };
	int pipefd[2], status, got = 0, fds[3];
	size_t len = 0;
	pid_t pid;

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/follow.v6t", dir);
	start_traced(t, ns, (const char *[]){ "-w", path, "-q", NULL });
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	for (int i = 0; i < 3; i++)
		fds[i] = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8320 + i, -1);
	/* the follower prints each event as the writer flushes it */
	while (got < 3) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		ssize_t n;

		assert_int_equal(poll(&pfd, 1, 30000), 1);
		n = read(pipefd[0], buf + len, sizeof(buf) - 1 - len);
		assert_true(n > 0);
		len += n;
		buf[len] = '\0';
		got = count_lines(buf, "\"event\":\"bind\"");
	}
	assert_non_null(strstr(buf, "\"local_port\":8322"));
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	stop_traced(t);
	close(pipefd[0]);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	unlink(path);
	rmdir(dir);
}

/* -C 1 -W 2: files of at most 1 MB, numbered, the oldest removed; each stands on its own. */
static void test_rotation(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char dir[64], path[128], p1[160], p2[160];
	struct stat st;
	int n1, n2;

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/rot.v6t", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	snprintf(p2, sizeof(p2), "%s.2", path);
	start_traced(t, ns, (const char *[]){ "-w", path, "-q", "-C", "1", "-W", "2", NULL });
	for (int i = 0; i < 14000; i++)
		close(sock_bind(AF_INET6, SOCK_DGRAM, "::1", 0, -1));
	stop_traced(t);

	assert_int_equal(stat(path, &st), -1);	/* the oldest of three, removed by -W 2 */
	assert_int_equal(stat(p1, &st), 0);
	assert_true(st.st_size <= 1000000 && st.st_size > 990000);
	assert_int_equal(stat(p2, &st), 0);
	assert_int_equal(replay(p1, (const char *[]){ "-j", NULL }), 0);
	assert_string_equal(err, "");
	n1 = count_lines(out, "\"event\":\"bind\"");
	assert_int_equal(replay(p2, (const char *[]){ "-j", NULL }), 0);
	assert_string_equal(err, "");
	n2 = count_lines(out, "\"event\":\"bind\"");
	assert_true(n1 > 6000);
	/* three files held all 14000: the first as many as the second, the third the rest */
	assert_int_equal(n1 + n1 + n2, 14000);
	assert_int_equal(count_lines(out, "\"event\":\"lost\""), 0);
	unlink(p1);
	unlink(p2);
	rmdir(dir);
}

int run_record_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replay_equals_live, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_record_event_kinds, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_record_to_stdout, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_kill9_prefix_replays, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_disk_full, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_follow, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_rotation, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}

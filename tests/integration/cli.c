// SPDX-License-Identifier: GPL-2.0
/*
 * The program's behaviour as a command: privileges, bad options, stopping by count, duration
 * and signal, a reader that goes away, lost events, and the text stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"
#include "v6trace.h"

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* (10) without privileges: one clear line, exit status 1, nothing on stdout */
static void test_unprivileged(void **state)
{
	char out[4096], err[4096];
	const char *argv[] = { tracer_binary(), "-j", NULL };
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	if (pid == 0) {
		/* nobody: setresuid from root to non-root clears the effective capabilities */
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(99);
		status = run_capture(argv, out, sizeof(out), err, sizeof(err));
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
			_exit(10);
		if (out[0])
			_exit(11);
		if (count_lines(err) != 1 || !strstr(err, "permission denied") || !strstr(err, "CAP_BPF"))
			_exit(12);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void expect_bad_option(const char *const *args, const char *needle)
{
	const char *argv[16] = { tracer_binary() };
	char out[4096], err[4096];
	int n = 1, status;

	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	status = run_capture(argv, out, sizeof(out), err, sizeof(err));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_string_equal(out, "");
	assert_int_equal(count_lines(err), 1);
	assert_non_null(strstr(err, needle));
}

static void test_bad_options(void **state)
{
	(void)state;
	expect_bad_option((const char *[]){ "-P", "0", NULL }, "invalid port '0'");
	expect_bad_option((const char *[]){ "-P", "65536", NULL }, "invalid port '65536'");
	expect_bad_option((const char *[]){ "--port=80x", NULL }, "invalid port '80x'");
	expect_bad_option((const char *[]){ "-p", "-5", NULL }, "invalid pid '-5'");
	expect_bad_option((const char *[]){ "-B", "ebpf", NULL }, "invalid backend 'ebpf'");
	expect_bad_option((const char *[]){ "-c", "a-name-that-is-too-long", NULL }, "invalid comm");
	expect_bad_option((const char *[]){ "-d", "0", NULL }, "invalid duration '0'");
	expect_bad_option((const char *[]){ "-n", "", NULL }, "invalid count ''");
	expect_bad_option((const char *[]){ "-N", "abc", NULL }, "invalid netns 'abc'");
	expect_bad_option((const char *[]){ "--buffer-size", "3000", NULL }, "invalid buffer size");
	expect_bad_option((const char *[]){ "--frobnicate", NULL }, "unknown option '--frobnicate'");
	expect_bad_option((const char *[]){ "-x", NULL }, "unknown option '-x'");
	expect_bad_option((const char *[]){ "-p", NULL }, "needs a value");
	expect_bad_option((const char *[]){ "stray", NULL }, "unexpected argument 'stray'");
}

static void test_help_and_version(void **state)
{
	const char *help[] = { tracer_binary(), "--help", NULL };
	const char *version[] = { tracer_binary(), "-V", NULL };
	char out[8192], err[1024];

	(void)state;
	assert_int_equal(run_capture(help, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, "--mapped-only"));
	assert_non_null(strstr(out, "Examples:"));
	assert_string_equal(err, "");
	assert_int_equal(run_capture(version, out, sizeof(out), err, sizeof(err)), 0);
	assert_true(!strncmp(out, "v6trace ", 8));
}

/* -n N: exits 0 by itself after exactly N events */
static void test_count_stops(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fds[4];

	start_traced(t, ns, (const char *[]){ "-n", "2", NULL });
	for (int i = 0; i < 4; i++)
		fds[i] = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8120 + i, -1);
	assert_int_equal(tracer_wait(t, 30), 0);
	assert_int_equal(t->n_events, 2);
	assert_int_equal(ev_int(t->events[0], "local_port"), 8120);
	assert_int_equal(ev_int(t->events[1], "local_port"), 8121);
	for (int i = 0; i < 4; i++)
		close(fds[i]);
}

/* -d SECS: exits 0 by itself; the events before the end are all there */
static void test_duration_stops(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fd;

	start_traced(t, ns, (const char *[]){ "-d", "1", NULL });
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8124, -1);
	assert_true(fd >= 0);
	assert_int_equal(tracer_wait(t, 30), 0);
	assert_int_equal(ev_count(t, "bind", 8124), 1);
	close(fd);
}

/* SIGTERM stops cleanly like SIGINT, with everything queued printed */
static void test_sigterm(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fd;

	start_traced(t, ns, NULL);
	fd = sock_bind(AF_INET, SOCK_DGRAM, "127.0.0.1", 8125, -1);
	assert_true(fd >= 0);
	kill(t->pid, SIGTERM);
	assert_int_equal(tracer_wait(t, 30), 0);
	assert_int_equal(ev_count(t, "bind", 8125), 1);
	assert_string_equal(t->stderr_text, "");
	close(fd);
}

/*
 * The ring buffer overflows while the tracer is stopped (SIGSTOP): what did not fit is
 * counted, reported as a final {"event":"lost"} record, and delivered + lost = made.
 */
static void test_lost_events_reported(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	enum { MADE = 200 };
	int delivered, fds[MADE];
	json_object *lost;

	char rec[] = "/tmp/v6t-lost-XXXXXX";
	char out[1 << 16], err[1024];
	const char *replay[] = { tracer_binary(), "-r", rec, "-j", NULL };
	int fd = mkstemp(rec);

	assert_true(fd >= 0);
	close(fd);
	start_traced(t, ns, (const char *[]){ "--buffer-size", "4", "-w", rec, NULL });
	assert_int_equal(kill(t->pid, SIGSTOP), 0);
	for (int i = 0; i < MADE; i++) {
		fds[i] = sock_bind(AF_INET6, SOCK_DGRAM, "::1", 9000 + i, -1);
		assert_true(fds[i] >= 0);
	}
	assert_int_equal(kill(t->pid, SIGCONT), 0);
	stop_traced(t);

	delivered = ev_count(t, "bind", 0);
	lost = ev_find(t, "lost", 0, 0);
	assert_non_null(lost);
	assert_true(delivered > 0 && delivered < MADE);
	assert_int_equal(ev_int(lost, "total"), MADE - delivered);
	assert_int_equal(ev_int(lost, "count"), MADE - delivered);
	assert_str(ev_str(t->events[t->n_events - 1], "event"), "lost");
	/* the recording holds the gap at the same place: its replay is the live output */
	assert_int_equal(run_capture(replay, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, tracer_stdout(t));
	unlink(rec);
	for (int i = 0; i < MADE; i++)
		close(fds[i]);
}

/*
 * -n N when events were lost: the lost record reaches the display and the recording, but
 * no event beyond the N-th does (the ring holds about 24 events of the burst when the
 * reader wakes, so more than N are waiting).
 */
static void test_count_with_lost_events(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	enum { MADE = 200 };
	char dir[] = "/tmp/v6t-count-lost-XXXXXX", rec[64];
	char out[1 << 16], err[1024];
	const char *replay[] = { tracer_binary(), "-r", rec, "-j", NULL };
	json_object *lost;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(rec, sizeof(rec), "%s/t.v6t", dir);
	start_traced(t, ns, (const char *[]){ "--buffer-size", "4", "-n", "10", "-w", rec, NULL });
	assert_int_equal(kill(t->pid, SIGSTOP), 0);
	for (int i = 0; i < MADE; i++) {
		fd = sock_bind(AF_INET6, SOCK_DGRAM, "::1", 9000 + i, -1);
		assert_true(fd >= 0);
		close(fd);
	}
	assert_int_equal(kill(t->pid, SIGCONT), 0);
	assert_int_equal(tracer_wait(t, 30), 0);

	assert_int_equal(ev_count(t, "bind", 0), 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(ev_int(ev_find(t, "bind", 0, i), "local_port"), 9000 + i);
	lost = ev_find(t, "lost", 0, 0);
	assert_non_null(lost);
	assert_true(ev_int(lost, "count") > 0 && ev_int(lost, "count") < MADE - 10);
	assert_int_equal(t->n_events, 11);
	assert_int_equal(run_capture(replay, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, tracer_stdout(t));
	unlink(rec);
	rmdir(dir);
}

/*
 * Which of n sockets connecting in this order the tracepoint backend follows, by the rule in
 * bpf/maps.bpf.h: the slot its inode picks if free, else the overflow hash while it has
 * room, else lost. Sets followed[i]; returns how many are lost.
 */
static int predict_followed(const uint64_t *ino, int n, bool *followed)
{
	bool taken[V6T_CONNECT_SLOTS] = { 0 };
	int in_hash = 0, lost = 0;

	for (int i = 0; i < n; i++) {
		uint64_t slot = ino[i] & (V6T_CONNECT_SLOTS - 1);

		followed[i] = true;
		if (!taken[slot])
			taken[slot] = true;
		else if (in_hash < V6T_CONNECTING_MAX - V6T_CONNECT_SLOTS)
			in_hash++;
		else
			followed[i] = false, lost++;
	}
	return lost;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * More connects in SYN_SENT at once than the tracepoint backend can follow: the ones it
 * could not record are counted as lost, not dropped in silence, and exactly the ones the
 * slot-then-hash rule predicts from the sockets' inodes are reported. The SYNs go to a
 * loopback listener whose accept queue is full, which drops them, so every client stays in
 * SYN_SENT until it is closed. fentry and kprobe report each connect() as it returns
 * instead. In the cli group, so the VM runs it once (raw_tp), not under every backend: 16k
 * connects under TCG take minutes.
 */
static void test_connect_table_full(void **state)
{
	enum { EXTRA = 50, N = V6T_CONNECTING_MAX + EXTRA };
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(8130) };
	struct rlimit rl = { N + 64, N + 64 };
	static int fds[N];
	static uint64_t ino[N], expect[N];
	static bool followed[N];
	int lfd, first, n_expect = 0, reported = 0, expect_lost = 0;
	bool tracepoint = !strcmp(expected_backend(), "tracepoint");
	struct pollfd pfd;
	struct stat st;
	json_object *lost, *e;

	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	/*
	 * The SYNs are retried until the sockets are closed: at the default 6 retries the first
	 * connects time out after about two minutes, freeing their places for the last, which
	 * is how long making them all takes under arm64 TCG.
	 */
	assert_int_equal(netns_write_sysctl("/proc/sys/net/ipv4/tcp_syn_retries", "127"), 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 0), 0);	/* one queued connection fills it */
	start_traced(t, ns, (const char *[]){ "--event", "connect", "--buffer-size", "16384", NULL });
	first = tcp_connect(AF_INET, "127.0.0.1", 8130);
	assert_true(first >= 0);
	/*
	 * connect() returns once the client has the SYN-ACK; the ACK that queues the child may
	 * still wait in a softirq. Until it is queued the backlog is not full, and a SYN sent
	 * meanwhile from the other CPU would be answered and that connect established.
	 */
	pfd = (struct pollfd){ .fd = lfd, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	for (int i = 0; i < N; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		assert_true(fds[i] >= 0);
		assert_int_equal(fstat(fds[i], &st), 0);
		ino[i] = st.st_ino;
		assert_int_equal(connect(fds[i], (struct sockaddr *)&sa, sizeof(sa)), -1);
		assert_int_equal(errno, EINPROGRESS);
	}
	for (int i = 0; i < N; i++)
		close(fds[i]);
	stop_traced(t);

	/* lost records come as the losses happen: the last one has the total */
	lost = NULL;
	for (int i = 0; ev_find(t, "lost", 0, i); i++)
		lost = ev_find(t, "lost", 0, i);
	e = ev_find(t, "connect", 0, 0);
	assert_true(ev_is_null(e, "error"));
	if (!tracepoint) {
		assert_int_equal(ev_count(t, "connect", 0), 1 + N);
		assert_null(lost);
		goto out;
	}
	/* the first, established; the followed ones, aborted in SYN_SENT; the rest lost */
	expect_lost = predict_followed(ino, N, followed);
	assert_true(expect_lost >= EXTRA);	/* V6T_CONNECTING_MAX at most */
	assert_non_null(lost);
	assert_int_equal(ev_int(lost, "total"), expect_lost);
	for (int i = 0; i < N; i++)
		if (followed[i])
			expect[n_expect++] = ino[i];
	qsort(expect, n_expect, sizeof(expect[0]), cmp_u64);
	assert_int_equal(fstat(first, &st), 0);
	for (int i = 0; i < t->n_events; i++) {
		uint64_t inode;

		e = t->events[i];
		inode = ev_int(e, "inode");
		if (!ev_str(e, "event") || strcmp(ev_str(e, "event"), "connect") || inode == st.st_ino)
			continue;
		assert_str(ev_str(e, "error"), "ECONNABORTED");
		assert_non_null(bsearch(&inode, expect, n_expect, sizeof(expect[0]), cmp_u64));
		reported++;
	}
	assert_int_equal(reported, n_expect);
	assert_int_equal(reported + expect_lost, N);
out:
	close(first);
	close(lfd);
}

/* A reader that goes away (v6trace | head -1) ends v6trace quietly with status 0. */
static void test_closed_stdout(void **state)
{
	const char *argv[] = { tracer_binary(), "-j", "-B", tracer_backend(), "--ready-fd", "3",
			       "-N", NULL, NULL };
	uint64_t ns = netns_enter_new();
	char ns_arg[32], buf[4096];
	int out[2], ready[2], err_fd, status, fds[64], pidfd;
	struct pollfd pfd;
	char err_path[] = "/tmp/v6t-epipe-XXXXXX";
	pid_t pid;

	(void)state;
	snprintf(ns_arg, sizeof(ns_arg), "%llu", (unsigned long long)ns);
	argv[7] = ns_arg;
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	err_fd = mkstemp(err_path);
	assert_true(err_fd >= 0);
	pid = fork();
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err_fd, STDERR_FILENO);
		dup2(ready[1], 3);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(ready[1]);
	pfd = (struct pollfd){ .fd = ready[0], .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 30000), 1);
	fds[0] = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8126, -1);
	pfd = (struct pollfd){ .fd = out[0], .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 30000), 1);
	assert_true(read(out[0], buf, sizeof(buf)) > 0);
	close(out[0]);	/* the reader is gone; the next write gets EPIPE */
	for (int i = 1; i < 64; i++)
		fds[i] = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8126 + i, -1);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	if (poll(&pfd, 1, 30000) != 1)
		kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(lseek(err_fd, 0, SEEK_END), 0);	/* quietly: nothing on stderr */
	close(err_fd);
	unlink(err_path);
	close(pidfd);
	close(ready[0]);
	for (int i = 0; i < 64; i++)
		close(fds[i]);
}

/* -v names the backend of every hook on stderr */
static void test_verbose_names_backends(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char expect[64];
	int fd;

	start_traced(t, ns, (const char *[]){ "-v", NULL });
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8200, -1);
	assert_true(fd >= 0);
	stop_traced(t);
	snprintf(expect, sizeof(expect), "hook bind     -> %s", expected_backend());
	assert_non_null(strstr(t->stderr_text, expect));
	snprintf(expect, sizeof(expect), "hook accept   -> %s", expected_backend());
	assert_non_null(strstr(t->stderr_text, expect));
	assert_non_null(strstr(t->stderr_text, "hook listen   -> tracepoint"));
	if (!strcmp(expected_backend(), "tracepoint")) {
		const char *tracefs = getenv("V6TRACE_TRACEFS");

		/* syscall tracepoints, or (V6TRACE_TRACEFS="") the raw exit of every syscall */
		if (tracefs && !*tracefs)
			assert_non_null(strstr(t->stderr_text, "(v6t_tp_sys_exit); "));
		else
			assert_non_null(strstr(t->stderr_text, "hook bind     -> tracepoint (v6t_tp_exit_bind)"));
	}
	assert_int_equal(ev_count(t, "bind", 8200), 1);
	close(fd);
}

/* CPUs libbpf sizes per-CPU maps for: /sys/devices/system/cpu/possible, "0-1" or "0,2-3" */
static int possible_cpus(void)
{
	char buf[256], *p = buf;
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY), n = 0, len;

	assert_true(fd >= 0);
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(len > 0);
	buf[len] = '\0';
	while (*p && *p != '\n') {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		n += b - a + 1;
		p = *end == ',' ? end + 1 : end;
	}
	return n;
}

/*
 * The reader sleeps until a CPU has queued a batch (an eighth of the ring, over all CPUs):
 * a burst of records wakes it a handful of times, not once per few records as a
 * level-triggered wait on the ring would (it returns whenever anything is queued). -v's
 * last line says how it was woken, as perf record's "Woken up N times" does.
 */
static void test_reader_woken_in_batches(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	enum { MADE = 3000 };
	unsigned long long records, wakeups, batch, timeouts;
	unsigned long long expect_batch = 1024 * 1024 / 8 / sizeof(struct v6t_sock_event) /
					  possible_cpus();
	const char *line;

	start_traced(t, ns, (const char *[]){ "-v", NULL });
	for (int i = 0; i < MADE; i++) {
		int fd = sock_bind(AF_INET6, SOCK_DGRAM, "::1", 20000 + i, -1);

		assert_true(fd >= 0);
		close(fd);
	}
	stop_traced(t);
	assert_int_equal(ev_count(t, "bind", 0), MADE);
	line = strstr(t->stderr_text, "v6trace: read ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "v6trace: read %llu records: %llu wake-ups (one per %llu "
				"records on a CPU), %llu poll timeouts", &records, &wakeups, &batch,
				&timeouts), 4);
	assert_int_equal(records, MADE);
	assert_int_equal(batch, expect_batch);
	assert_true(MADE / batch >= 2);	/* so the bursts below must wake it */
	/* the kernel's wake-ups did wake it, at most once per CPU's batch */
	assert_true(wakeups >= 1);
	assert_true(wakeups <= records / batch + 1);
}

/* The text stream: a header, then one line per event with the explanation for people. */
static void test_text_stream(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char ns_arg[32];
	const char *args[] = { "-N", ns_arg, NULL };
	const char *line;
	int lfd, cfd, afd;

	snprintf(ns_arg, sizeof(ns_arg), "%llu", (unsigned long long)ns);
	assert_int_equal(tracer_start_text(t, args), 0);
	lfd = tcp_listen(AF_INET6, "::", 8201, -1);
	cfd = tcp_connect(AF_INET, "127.0.0.1", 8201);
	afd = accept_one(lfd);
	assert_true(lfd >= 0 && cfd >= 0 && afd >= 0);
	stop_traced(t);

	assert_true(!strncmp(t->stdout_text, "TIME ", 5));
	/* header, bind, listen, the client's connect (AF_INET: plain IPv4), accept */
	assert_int_equal(count_lines(t->stdout_text), 5);
	assert_non_null(strstr(t->stdout_text, " connect    tcp   127.0.0.1:"));
	line = strstr(t->stdout_text, " accept     ");
	assert_non_null(line);
	assert_non_null(strstr(line, "tcp6  [::ffff:127.0.0.1]:8201"));
	assert_non_null(strstr(line, "no:default"));
	assert_non_null(strstr(line, "::ffff:127.0.0.1 = IPv4 127.0.0.1 via dual-stack [::]:8201\n"));
	line = strstr(t->stdout_text, " listen     ");
	assert_non_null(line);
	assert_non_null(strstr(line, "dual-stack listener: netstat shows only tcp6"));
	close(afd);
	close(cfd);
	close(lfd);
}

int run_cli_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unprivileged),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test_setup_teardown(test_count_stops, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_duration_stops, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_sigterm, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_lost_events_reported, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_count_with_lost_events, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_connect_table_full, itest_setup, itest_teardown),
		cmocka_unit_test(test_closed_stdout),
		cmocka_unit_test_setup_teardown(test_verbose_names_backends, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_reader_woken_in_batches, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_text_stream, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Every filter, applied in the kernel: matching events arrive, the others do not. Each test
 * makes events that must pass and events that must not, so a filter that does nothing fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

/* A child that binds TCP [::]:port after it reads a byte from go; returns its pid. */
static pid_t spawn_binder(uint16_t port, const char *comm, int *go_fd)
{
	int go[2];
	pid_t pid;

	if (pipe(go))
		return -1;
	pid = fork();
	if (pid == 0) {
		char c;
		int fd;

		close(go[1]);
		if (comm)
			prctl(PR_SET_NAME, comm);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		fd = sock_bind(AF_INET6, SOCK_STREAM, "::", port, -1);
		_exit(fd >= 0 ? 0 : 1);
	}
	close(go[0]);
	*go_fd = go[1];
	return pid;
}

static void run_binder(pid_t pid, int go_fd)
{
	int status;

	assert_int_equal(write(go_fd, "g", 1), 1);
	close(go_fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_filter_pid(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char pid_arg[16];
	int go, fd;
	pid_t child = spawn_binder(8100, NULL, &go);

	assert_true(child > 0);
	snprintf(pid_arg, sizeof(pid_arg), "%d", child);
	start_traced(t, ns, (const char *[]){ "-p", pid_arg, NULL });
	run_binder(child, go);
	fd = sock_bind(AF_INET6, SOCK_STREAM, "::", 8101, -1);	/* our pid: filtered out */
	assert_true(fd >= 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 8100), 1);
	assert_int_equal(ev_int(ev_find(t, "bind", 8100, 0), "pid"), child);
	assert_int_equal(ev_count(t, "bind", 8101), 0);
	assert_int_equal(t->n_events, 1);
	close(fd);
}

static void test_filter_comm(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int go, fd;
	pid_t child = spawn_binder(8102, "v6t-comm-test", &go);

	assert_true(child > 0);
	start_traced(t, ns, (const char *[]){ "-c", "v6t-comm-test", NULL });
	run_binder(child, go);
	fd = sock_bind(AF_INET6, SOCK_STREAM, "::", 8103, -1);
	assert_true(fd >= 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 8102), 1);
	assert_str(ev_str(ev_find(t, "bind", 8102, 0), "comm"), "v6t-comm-test");
	assert_int_equal(t->n_events, 1);
	close(fd);
}

static void test_filter_port(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int a, b, c;

	start_traced(t, ns, (const char *[]){ "-P", "8104", "-P", "8106", NULL });
	a = tcp_listen(AF_INET6, "::", 8104, -1);
	b = tcp_listen(AF_INET6, "::", 8105, -1);
	c = sock_bind(AF_INET, SOCK_DGRAM, "127.0.0.1", 8106, -1);
	assert_true(a >= 0 && b >= 0 && c >= 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 8104), 1);
	assert_int_equal(ev_count(t, "listen", 8104), 1);
	assert_int_equal(ev_count(t, "bind", 8106), 1);
	assert_int_equal(ev_count(t, "bind", 8105), 0);
	assert_int_equal(ev_count(t, "listen", 8105), 0);
	assert_int_equal(t->n_events, 3);
	close(a);
	close(b);
	close(c);
}

/* -m keeps the dual-stack story and drops plain IPv4 and IPv6-only sockets */
static void test_filter_mapped_only(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int dual, v4, v6, c1, c2, c3, a1, a2, a3;

	start_traced(t, ns, (const char *[]){ "-m", NULL });
	dual = tcp_listen(AF_INET6, "::", 8107, -1);
	v4 = tcp_listen(AF_INET, "127.0.0.1", 8108, -1);
	v6 = tcp_listen(AF_INET6, "::", 8109, 1);
	assert_true(dual >= 0 && v4 >= 0 && v6 >= 0);
	c1 = tcp_connect(AF_INET, "127.0.0.1", 8107);	/* mapped: kept */
	c2 = tcp_connect(AF_INET, "127.0.0.1", 8108);	/* plain IPv4: dropped */
	c3 = tcp_connect(AF_INET6, "::1", 8109);	/* native IPv6: dropped */
	assert_true(c1 >= 0 && c2 >= 0 && c3 >= 0);
	a1 = accept_one(dual);
	a2 = accept_one(v4);
	a3 = accept_one(v6);
	assert_true(a1 >= 0 && a2 >= 0 && a3 >= 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 8107), 1);
	assert_int_equal(ev_count(t, "listen", 8107), 1);
	assert_int_equal(ev_count(t, "accept", 8107), 1);
	assert_int_equal(ev_bool(ev_find(t, "accept", 8107, 0), "mapped"), 1);
	assert_int_equal(ev_count(t, "bind", 8108) + ev_count(t, "accept", 8108), 0);
	assert_int_equal(ev_count(t, "bind", 8109) + ev_count(t, "accept", 8109), 0);
	/* the V6ONLY change itself is part of the dual-stack story */
	assert_int_equal(ev_count(t, "v6only", 0), 1);
	assert_int_equal(t->n_events, 4);
	close(a1), close(a2), close(a3), close(c1), close(c2), close(c3);
	close(dual), close(v4), close(v6);
}

/* -N passes only its namespace: a bind in a sibling namespace is not reported */
static void test_filter_netns(void **state)
{
	struct tracer *t = *state;
	uint64_t ns_a = netns_enter_new();
	int ns_a_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	uint64_t ns_b;
	int fa, fb;

	assert_true(ns_a && ns_a_fd >= 0);
	start_traced(t, ns_a, NULL);
	ns_b = netns_enter_new();
	assert_true(ns_b && ns_b != ns_a);
	fb = sock_bind(AF_INET6, SOCK_STREAM, "::", 8110, -1);
	assert_int_equal(setns(ns_a_fd, CLONE_NEWNET), 0);
	fa = sock_bind(AF_INET6, SOCK_STREAM, "::", 8110, -1);
	assert_true(fa >= 0 && fb >= 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 8110), 1);
	assert_int_equal(ev_int(ev_find(t, "bind", 8110, 0), "netns"), ns_a);
	assert_int_equal(t->n_events, 1);
	close(fa);
	close(fb);
	close(ns_a_fd);
}

/*
 * --event chooses the hooks: the kinds not asked for are never traced (no syscall hook at all
 * for these three), and a V6ONLY set meanwhile is not said to predate the trace.
 */
static void test_filter_event(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int old, dual, v6, u, c1, c2, a1, a2;
	json_object *e;

	/* older than the trace: the snapshot would list it, were listening asked for */
	old = tcp_listen(AF_INET6, "::", 8114, -1);
	assert_true(old >= 0);
	start_traced(t, ns, (const char *[]){ "--event", "accept,connect", "--event", "listen", "-v", NULL });
	dual = tcp_listen(AF_INET6, "::", 8111, -1);
	v6 = tcp_listen(AF_INET6, "::", 8112, 1);
	u = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8113, -1);
	c1 = tcp_connect(AF_INET, "127.0.0.1", 8111);
	c2 = tcp_connect(AF_INET6, "::1", 8112);
	assert_true(dual >= 0 && v6 >= 0 && u >= 0 && c1 >= 0 && c2 >= 0);
	a1 = accept_one(dual);
	a2 = accept_one(v6);
	assert_true(a1 >= 0 && a2 >= 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 0) + ev_count(t, "v6only", 0), 0);
	assert_int_equal(ev_count(t, "listening", 0), 0);
	assert_int_equal(ev_count(t, "listen", 8111), 1);
	e = ev_find(t, "listen", 8112, 0);
	assert_non_null(e);
	assert_int_equal(ev_bool(e, "v6only"), 1);
	assert_str(ev_str(e, "v6only_source"), "setsockopt");
	assert_true(ev_is_null(e, "v6only_set_by"));
	assert_non_null(strstr(ev_str(e, "note"), "set by setsockopt (not traced: add --event v6only)"));
	e = ev_find(t, "accept", 8111, 0);
	assert_non_null(e);
	assert_int_equal(ev_bool(e, "mapped"), 1);
	assert_int_equal(ev_int(e, "pid"), getpid());
	assert_int_equal(ev_count(t, "accept", 8112), 1);
	assert_int_equal(ev_count(t, "connect", 0), 2);
	assert_int_equal(t->n_events, 6);
	assert_non_null(strstr(t->stderr_text, "hook bind     -> off "));
	assert_non_null(strstr(t->stderr_text, "hook v6only   -> off "));
	assert_non_null(strstr(t->stderr_text, "hook udp-recv -> off "));
	assert_null(strstr(t->stderr_text, "hook accept   -> off "));
	assert_null(strstr(t->stderr_text, "hook connect  -> off "));
	close(a1), close(a2), close(c1), close(c2), close(u), close(dual), close(v6), close(old);
}

int run_filter_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filter_pid, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_comm, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_port, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_mapped_only, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_netns, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_event, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("filters", tests, NULL, NULL);
}

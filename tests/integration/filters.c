// SPDX-License-Identifier: GPL-2.0
/*
 * Every filter, applied in the kernel: matching events arrive, the others do not. Each test
 * makes events that must pass and events that must not, so a filter that does nothing fails.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
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

/* A TCP connection from src (port 0: the kernel's pick) to dst:port; the fd, or -errno. */
static int connect_from(int family, const char *src, const char *dst, uint16_t port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = sock_bind(family, SOCK_STREAM, src, 0, -1);
	int ok;

	if (fd < 0)
		return fd;
	if (family == AF_INET6)
		ok = inet_pton(AF_INET6, dst, &sin6.sin6_addr) == 1 &&
		     !connect(fd, (struct sockaddr *)&sin6, sizeof(sin6));
	else
		ok = inet_pton(AF_INET, dst, &sin.sin_addr) == 1 &&
		     !connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	if (!ok) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Every socket a test made was made (each is an fd, not -errno). */
static void assert_all_open(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		assert_true(fds[i] >= 0);
}

static void close_all(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* The accepts of this local port whose peer is peer, in the order they came. */
static int accepts_from(struct tracer *t, int port, const char *peer)
{
	int n = 0;

	for (int i = 0; i < ev_count(t, "accept", port); i++)
		n += !strcmp(ev_str(ev_find(t, "accept", port, i), "peer_addr"), peer);
	return n;
}

/*
 * The point of the CIDR filters: an IPv4 CIDR catches its clients on an AF_INET listener
 * and, v4-mapped, on a dual-stack [::] one; clients from other addresses, IPv6 ones and
 * events without a peer stay in the kernel (-v's record count says so).
 */
static void test_filter_peer_ipv4_catches_mapped(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fds[10], n = 0;

	start_traced(t, ns, (const char *[]){ "--peer", "127.0.0.2/32", "-v", NULL });
	fds[n++] = tcp_listen(AF_INET6, "::", 8120, -1);
	fds[n++] = tcp_listen(AF_INET, "127.0.0.1", 8121, -1);
	fds[n++] = connect_from(AF_INET, "127.0.0.2", "127.0.0.1", 8120);	/* mapped: kept */
	fds[n++] = accept_one(fds[0]);
	fds[n++] = connect_from(AF_INET, "127.0.0.2", "127.0.0.1", 8121);	/* AF_INET: kept */
	fds[n++] = accept_one(fds[1]);
	fds[n++] = connect_from(AF_INET, "127.0.0.1", "127.0.0.1", 8120);	/* dropped */
	fds[n++] = accept_one(fds[0]);
	fds[n++] = tcp_connect(AF_INET6, "::1", 8120);			/* dropped */
	fds[n++] = accept_one(fds[0]);
	assert_all_open(fds, n);
	stop_traced(t);

	assert_int_equal(accepts_from(t, 8120, "::ffff:127.0.0.2"), 1);
	assert_int_equal(ev_bool(ev_find(t, "accept", 8120, 0), "mapped"), 1);
	assert_int_equal(accepts_from(t, 8121, "127.0.0.2"), 1);
	assert_only_in_ring(t, 2);
	close_all(fds, n);
}

/* An IPv6 CIDR is about IPv6 addresses: ::1/128 does not catch ::ffff:127.0.0.1. */
static void test_filter_peer_ipv6_misses_mapped(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fds[5], n = 0;

	start_traced(t, ns, (const char *[]){ "--peer", "::1/128", "-v", NULL });
	fds[n++] = tcp_listen(AF_INET6, "::", 8122, -1);
	fds[n++] = tcp_connect(AF_INET, "127.0.0.1", 8122);
	fds[n++] = accept_one(fds[0]);
	fds[n++] = tcp_connect(AF_INET6, "::1", 8122);
	fds[n++] = accept_one(fds[0]);
	assert_all_open(fds, n);
	stop_traced(t);

	/* the IPv6 client's accept, and its connect, whose peer is the server ::1 */
	assert_int_equal(accepts_from(t, 8122, "::1"), 1);
	assert_int_equal(ev_count(t, "accept", 8122), 1);
	assert_int_equal(ev_count(t, "connect", 0), 1);
	assert_str(ev_str(ev_find(t, "connect", 0, 0), "peer_addr"), "::1");
	assert_only_in_ring(t, 2);
	close_all(fds, n);
}

/* -m and --peer both apply: dual-stack events with a peer in the CIDR. */
static void test_filter_mapped_and_peer(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fds[8], n = 0;

	start_traced(t, ns, (const char *[]){ "-m", "--peer", "127.0.0.0/8", "-v", NULL });
	fds[n++] = tcp_listen(AF_INET6, "::", 8123, -1);	/* dual-stack, but no peer */
	fds[n++] = tcp_listen(AF_INET, "127.0.0.1", 8124, -1);
	fds[n++] = connect_from(AF_INET, "127.0.0.2", "127.0.0.1", 8123);	/* kept */
	fds[n++] = accept_one(fds[0]);
	fds[n++] = connect_from(AF_INET, "127.0.0.2", "127.0.0.1", 8124);	/* not dual-stack */
	fds[n++] = accept_one(fds[1]);
	fds[n++] = tcp_connect(AF_INET6, "::1", 8123);		/* not in 127.0.0.0/8 */
	fds[n++] = accept_one(fds[0]);
	assert_all_open(fds, n);
	stop_traced(t);

	assert_int_equal(accepts_from(t, 8123, "::ffff:127.0.0.2"), 1);
	assert_only_in_ring(t, 1);
	close_all(fds, n);
}

/* --local: the accepted socket's address (what the client dialled), a bind's address. */
static void test_filter_local(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fds[6], n = 0;
	json_object *e;

	start_traced(t, ns, (const char *[]){ "--local", "127.0.0.2", "-v", NULL });
	fds[n++] = tcp_listen(AF_INET6, "::", 8125, -1);
	fds[n++] = connect_from(AF_INET, "127.0.0.1", "127.0.0.2", 8125);	/* accept kept */
	fds[n++] = accept_one(fds[0]);
	fds[n++] = connect_from(AF_INET, "127.0.0.1", "127.0.0.1", 8125);	/* dropped */
	fds[n++] = accept_one(fds[0]);
	fds[n++] = sock_bind(AF_INET, SOCK_DGRAM, "127.0.0.2", 8126, -1);	/* kept */
	assert_all_open(fds, n);
	stop_traced(t);

	e = ev_find(t, "accept", 8125, 0);
	assert_non_null(e);
	assert_str(ev_str(e, "local_addr"), "::ffff:127.0.0.2");
	assert_int_equal(ev_count(t, "bind", 8126), 1);
	assert_only_in_ring(t, 2);
	close_all(fds, n);
}

/* A child that, as uid, listens on [::]:port, says so on ready, and accepts one client. */
static pid_t spawn_uid_server(uid_t uid, uint16_t port, int *ready_fd)
{
	int ready[2];
	pid_t pid;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		int lfd, cfd;

		close(ready[0]);
		if (setresuid(uid, uid, uid))
			_exit(2);
		lfd = tcp_listen(AF_INET6, "::", port, -1);
		if (lfd < 0 || write(ready[1], "r", 1) != 1)
			_exit(3);
		cfd = accept_one(lfd);
		_exit(cfd >= 0 ? 0 : 1);
	}
	close(ready[1]);
	*ready_fd = ready[0];
	return pid;
}

/*
 * -u with two uids. The accept is the listener owner's, whoever the handshake interrupted
 * (the tracepoint backend sees it in the connecting root's softirq); our own connects and
 * a third uid's bind are not kept.
 */
static void test_filter_uid(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int ready, status, c = -1;
	char r;
	pid_t server, other;

	start_traced(t, ns, (const char *[]){ "-u", "1001", "--uid", "1002", "-v", NULL });
	server = spawn_uid_server(1001, 8127, &ready);
	assert_true(server > 0);
	assert_int_equal(read(ready, &r, 1), 1);
	close(ready);
	c = tcp_connect(AF_INET, "127.0.0.1", 8127);
	assert_true(c >= 0);
	assert_int_equal(waitpid(server, &status, 0), server);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	other = spawn_uid_server(1003, 8128, &ready);	/* its bind and listen: dropped */
	assert_true(other > 0);
	assert_int_equal(read(ready, &r, 1), 1);
	close(ready);
	kill(other, SIGKILL);
	waitpid(other, &status, 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 8127), 1);
	assert_int_equal(ev_count(t, "listen", 8127), 1);
	assert_int_equal(ev_count(t, "accept", 8127), 1);
	assert_int_equal(ev_int(ev_find(t, "accept", 8127, 0), "uid"), 1001);
	assert_int_equal(ev_int(ev_find(t, "accept", 8127, 0), "pid"), server);
	assert_int_equal(ev_count(t, "connect", 0), 0);
	assert_int_equal(ev_count(t, "bind", 8128), 0);
	/* in the kernel too: the accept as its owner's, not the softirq's */
	assert_only_in_ring(t, 3);
	close(c);
}

/*
 * A refused packet's peer is its source: --peer keeps the client from 127.0.0.2 and drops
 * the one before it in the kernel, so that one is not even counted in the report's window.
 */
static void test_filter_refused_peer(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int lfd;
	json_object *e;

	if (!kernel_has_drop_reason())
		skip();
	start_traced(t, ns, (const char *[]){ "--peer", "127.0.0.2", "-v", NULL });
	lfd = tcp_listen(AF_INET6, "::", 8131, 1);	/* IPv6 only: IPv4 clients are refused */
	assert_true(lfd >= 0);
	assert_true(connect_from(AF_INET, "127.0.0.1", "127.0.0.1", 8131) < 0);
	assert_true(connect_from(AF_INET, "127.0.0.2", "127.0.0.1", 8131) < 0);
	stop_traced(t);

	e = ev_find(t, "refused", 8131, 0);
	assert_non_null(e);
	assert_str(ev_str(e, "peer_addr"), "127.0.0.2");
	assert_int_equal(ev_int(e, "suppressed"), 0);
	assert_only_in_ring(t, 1);
	close(lfd);
}

/* A refused packet has no task: -u, even -u 0, keeps none of them, in the kernel. */
static void test_filter_uid_no_refused(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int lfd;

	if (!kernel_has_drop_reason())
		skip();
	start_traced(t, ns, (const char *[]){ "-u", "0", "--event", "listen,refused", "-v", NULL });
	lfd = tcp_listen(AF_INET6, "::", 8132, 1);
	assert_true(lfd >= 0);
	assert_true(tcp_connect(AF_INET, "127.0.0.1", 8132) < 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "listen", 8132), 1);
	assert_int_equal(ev_count(t, "refused", 0), 0);
	assert_only_in_ring(t, 1);
	close(lfd);
}

/* Each event as what identifies it across runs (not its time): kind, addresses, ports. */
static void event_key(json_object *e, char *key, size_t size)
{
	snprintf(key, size, "%s %s %lld %s %lld", ev_str(e, "event"), ev_str(e, "local_addr"),
		 (long long)ev_int(e, "local_port"), ev_str(e, "peer_addr") ?: "-",
		 (long long)ev_int(e, "peer_port"));
}

/* How many of the JSON Lines in text are the event whose key is key. */
static int count_key(const char *text, const char *key)
{
	char k[256];
	int n = 0;

	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		char *copy = strndup(line, len);
		json_object *e = json_tokener_parse(copy);

		if (e) {
			event_key(e, k, sizeof(k));
			n += !strcmp(k, key);
			json_object_put(e);
		}
		free(copy);
		line += len + (line[len] == '\n');
	}
	return n;
}

/* A recording made without filters, replayed with --peer, shows what live --peer showed. */
static void test_filter_peer_replay(void **state)
{
	static char out[1 << 16], err[4096];
	/* as itest_setup leaves it: tracer_start closes an out_fd it finds, and 0 is stdin */
	struct tracer *t = *state, rec = { .pid = -1, .out_fd = -1 };
	char dir[] = "/tmp/v6t-filter-XXXXXX", path[64], key[256], nsarg[32];
	uint64_t ns = netns_enter_new();
	int fds[7], n = 0, rc, recorded;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.v6t", dir);
	snprintf(nsarg, sizeof(nsarg), "%llu", (unsigned long long)ns);
	start_traced(t, ns, (const char *[]){ "--peer", "127.0.0.2", "--peer", "::1", NULL });
	assert_int_equal(tracer_start(&rec, (const char *[]){ "-N", nsarg, "-w", path, NULL }), 0);
	fds[n++] = tcp_listen(AF_INET6, "::", 8129, -1);
	fds[n++] = connect_from(AF_INET, "127.0.0.2", "127.0.0.1", 8129);
	fds[n++] = accept_one(fds[0]);
	fds[n++] = connect_from(AF_INET, "127.0.0.1", "127.0.0.1", 8129);
	fds[n++] = accept_one(fds[0]);
	fds[n++] = tcp_connect(AF_INET6, "::1", 8129);
	fds[n++] = accept_one(fds[0]);
	rc = tracer_stop(&rec);
	recorded = rec.n_events;
	tracer_cleanup(&rec);
	assert_int_equal(rc, 0);
	stop_traced(t);
	assert_all_open(fds, n);

	assert_int_equal(run_capture((const char *[]){ tracer_binary(), "-r", path, "-j", "--peer",
						      "127.0.0.2", "--peer", "::1", NULL },
				     out, sizeof(out), err, sizeof(err)), 0);
	/* the mapped accept, the IPv6 one and its connect; the recording has every event */
	assert_int_equal(t->n_events, 3);
	assert_true(recorded > t->n_events);
	assert_int_equal(str_count(out, "\n"), t->n_events);
	for (int i = 0; i < t->n_events; i++) {
		event_key(t->events[i], key, sizeof(key));
		if (count_key(out, key) != 1)
			fail_msg("live event \"%s\" is not once in the replay:\n%s", key, out);
	}
	close_all(fds, n);
	unlink(path);
	rmdir(dir);
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
		cmocka_unit_test_setup_teardown(test_filter_peer_ipv4_catches_mapped, itest_setup,
						itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_peer_ipv6_misses_mapped, itest_setup,
						itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_mapped_and_peer, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_local, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_uid, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_peer_replay, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_refused_peer, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_filter_uid_no_refused, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("filters", tests, NULL, NULL);
}

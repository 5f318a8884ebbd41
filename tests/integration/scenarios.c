// SPDX-License-Identifier: GPL-2.0
/*
 * The dual-stack scenarios from the core issue, each in its own network namespace, each
 * asserting the values v6trace reported against what the sockets really did; the summary
 * alone (-s -q), whose accepts are counted in the kernel by every backend's accept hook; and
 * more threads blocked in accept() than a kretprobe has instances for.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

/* What every event of this test's process must carry. */
static void assert_common(json_object *e, uint64_t netns)
{
	assert_non_null(e);
	assert_int_equal(ev_int(e, "pid"), getpid());
	assert_int_equal(ev_int(e, "tid"), getpid());
	assert_int_equal(ev_int(e, "uid"), getuid());
	assert_int_equal(ev_int(e, "netns"), netns);
	assert_non_null(ev_str(e, "comm"));
	assert_non_null(ev_str(e, "time"));
	assert_int_equal(strlen(ev_str(e, "time")), strlen("2026-11-24T10:00:01.123456789Z"));
	/* listen has one hook in every backend: sock:inet_sock_set_state */
	if (!strcmp(ev_str(e, "event"), "listen"))
		assert_str(ev_str(e, "backend"), "tracepoint");
	else
		assert_str(ev_str(e, "backend"), expected_backend());
}

/* The pid in an event's v6only_set_by; -1 if it has none. */
static int64_t set_by_pid(json_object *e)
{
	json_object *by = NULL;

	assert_non_null(e);
	if (!json_object_object_get_ex(e, "v6only_set_by", &by) || !by)
		return -1;
	return ev_int(by, "pid");
}

/* (1) a dual-stack listener on [::] accepts 127.0.0.1: mapped=true, v6only=false */
static void test_dualstack_accepts_ipv4(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int lfd, cfd, afd;
	json_object *e;

	assert_true(ns != 0);
	start_traced(t, ns, NULL);
	lfd = tcp_listen(AF_INET6, "::", 8080, -1);
	assert_true(lfd >= 0);
	cfd = tcp_connect(AF_INET, "127.0.0.1", 8080);
	assert_true(cfd >= 0);
	afd = accept_one(lfd);
	assert_true(afd >= 0);
	stop_traced(t);

	e = ev_find(t, "bind", 8080, 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "proto"), "tcp");
	assert_str(ev_str(e, "family"), "inet6");
	assert_str(ev_str(e, "local_addr"), "::");
	assert_int_equal(ev_bool(e, "v6only"), 0);
	assert_str(ev_str(e, "v6only_source"), "default");
	assert_true(ev_is_null(e, "error"));
	assert_int_equal(ev_int(e, "bindv6only"), 0);

	e = ev_find(t, "listen", 8080, 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "family"), "inet6");
	assert_int_equal(ev_bool(e, "v6only"), 0);
	assert_non_null(strstr(ev_str(e, "note"), "dual-stack"));

	assert_int_equal(ev_count(t, "accept", 8080), 1);
	e = ev_find(t, "accept", 8080, 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "family"), "inet6");
	assert_str(ev_str(e, "peer_addr"), "::ffff:127.0.0.1");
	assert_str(ev_str(e, "local_addr"), "::ffff:127.0.0.1");
	assert_int_equal(ev_bool(e, "mapped"), 1);
	assert_str(ev_str(e, "ipv4"), "127.0.0.1");
	assert_int_equal(ev_bool(e, "v6only"), 0);
	assert_str(ev_str(e, "listener_addr"), "::");
	assert_int_equal(ev_int(e, "listener_port"), 8080);
	{
		struct sockaddr_in local;
		socklen_t len = sizeof(local);

		/* the peer port reported is the client's real source port */
		assert_int_equal(getsockname(cfd, (struct sockaddr *)&local, &len), 0);
		assert_int_equal(ev_int(e, "peer_port"), ntohs(local.sin_port));
	}
	assert_str(ev_str(e, "note"), "::ffff:127.0.0.1 = IPv4 127.0.0.1 via dual-stack [::]:8080");
	close(afd);
	close(cfd);
	close(lfd);
}

/* (2) V6ONLY=1 before bind: the IPv4 client is refused, ::1 is accepted unmapped */
static void test_v6only_refuses_ipv4(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int lfd, cfd, afd;
	json_object *e;

	start_traced(t, ns, NULL);
	lfd = tcp_listen(AF_INET6, "::", 8081, 1);
	assert_true(lfd >= 0);
	assert_int_equal(tcp_connect(AF_INET, "127.0.0.1", 8081), -ECONNREFUSED);
	cfd = tcp_connect(AF_INET6, "::1", 8081);
	assert_true(cfd >= 0);
	afd = accept_one(lfd);
	assert_true(afd >= 0);
	stop_traced(t);

	e = ev_find(t, "v6only", 0, 0);
	assert_common(e, ns);
	assert_int_equal(ev_bool(e, "requested"), 1);
	assert_int_equal(ev_bool(e, "v6only"), 1);
	assert_true(ev_is_null(e, "error"));
	assert_str(ev_str(e, "v6only_source"), "setsockopt");

	e = ev_find(t, "bind", 8081, 0);
	assert_common(e, ns);
	assert_int_equal(ev_bool(e, "v6only"), 1);
	assert_str(ev_str(e, "v6only_source"), "setsockopt");
	assert_int_equal(set_by_pid(e), getpid());

	assert_int_equal(ev_count(t, "accept", 8081), 1);
	e = ev_find(t, "accept", 8081, 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "peer_addr"), "::1");
	assert_int_equal(ev_bool(e, "mapped"), 0);
	assert_true(ev_is_null(e, "ipv4"));
	assert_int_equal(ev_bool(e, "v6only"), 1);
	assert_str(ev_str(e, "v6only_source"), "setsockopt");
	/* the listener's setter, for its listen and for each of its accepts */
	assert_int_equal(set_by_pid(e), getpid());
	assert_int_equal(set_by_pid(ev_find(t, "listen", 8081, 0)), getpid());
	close(afd);
	close(cfd);
	close(lfd);
}

/* (3) sshd style: 0.0.0.0:P plus [::]:P with V6ONLY; IPv4 lands on the AF_INET socket */
static void test_sshd_style_pair(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int l4, l6, c4, c6, a4, a6;
	json_object *e;

	start_traced(t, ns, NULL);
	l4 = tcp_listen(AF_INET, "0.0.0.0", 8082, -1);
	l6 = tcp_listen(AF_INET6, "::", 8082, 1);
	assert_true(l4 >= 0 && l6 >= 0);
	c4 = tcp_connect(AF_INET, "127.0.0.1", 8082);
	c6 = tcp_connect(AF_INET6, "::1", 8082);
	assert_true(c4 >= 0 && c6 >= 0);
	a4 = accept_one(l4);
	a6 = accept_one(l6);
	assert_true(a4 >= 0 && a6 >= 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 8082), 2);
	assert_int_equal(ev_count(t, "listen", 8082), 2);
	e = ev_find(t, "listen", 8082, 0);
	assert_str(ev_str(e, "family"), "inet");
	assert_str(ev_str(e, "local_addr"), "0.0.0.0");
	assert_str(ev_str(e, "v6only_source"), "n/a");
	e = ev_find(t, "listen", 8082, 1);
	assert_str(ev_str(e, "family"), "inet6");
	assert_int_equal(ev_bool(e, "v6only"), 1);

	assert_int_equal(ev_count(t, "accept", 8082), 2);
	e = ev_find(t, "accept", 8082, 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "family"), "inet");
	assert_str(ev_str(e, "peer_addr"), "127.0.0.1");
	assert_str(ev_str(e, "listener_addr"), "0.0.0.0");
	assert_int_equal(ev_bool(e, "mapped"), 0);
	e = ev_find(t, "accept", 8082, 1);
	assert_str(ev_str(e, "family"), "inet6");
	assert_str(ev_str(e, "peer_addr"), "::1");
	assert_int_equal(ev_bool(e, "mapped"), 0);
	assert_int_equal(ev_bool(e, "v6only"), 1);
	close(a4);
	close(a6);
	close(c4);
	close(c6);
	close(l4);
	close(l6);
}

/* (4) net.ipv6.bindv6only=1 in the namespace, no setsockopt: v6only from the sysctl */
static void test_sysctl_bindv6only(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int lfd;
	json_object *e;

	assert_int_equal(netns_write_sysctl("/proc/sys/net/ipv6/bindv6only", "1"), 0);
	start_traced(t, ns, NULL);
	lfd = tcp_listen(AF_INET6, "::", 8083, -1);
	assert_true(lfd >= 0);
	assert_int_equal(tcp_connect(AF_INET, "127.0.0.1", 8083), -ECONNREFUSED);
	stop_traced(t);

	assert_int_equal(ev_count(t, "v6only", 0), 0);
	e = ev_find(t, "bind", 8083, 0);
	assert_common(e, ns);
	assert_int_equal(ev_bool(e, "v6only"), 1);
	assert_str(ev_str(e, "v6only_source"), "sysctl");
	assert_int_equal(ev_int(e, "bindv6only"), 1);
	assert_true(ev_is_null(e, "v6only_set_by"));
	e = ev_find(t, "listen", 8083, 0);
	assert_str(ev_str(e, "v6only_source"), "sysctl");
	assert_int_equal(ev_count(t, "accept", 8083), 0);
	close(lfd);
}

/* (5) setsockopt(IPV6_V6ONLY) after bind fails with EINVAL and is reported so */
static void test_v6only_after_bind_einval(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fd, one = 1;
	json_object *e;

	start_traced(t, ns, NULL);
	fd = sock_bind(AF_INET6, SOCK_STREAM, "::", 8084, -1);
	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)), -1);
	assert_int_equal(errno, EINVAL);
	stop_traced(t);

	e = ev_find(t, "v6only", 0, 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "error"), "EINVAL");
	assert_int_equal(ev_bool(e, "requested"), 1);
	assert_int_equal(ev_bool(e, "v6only"), 0);
	assert_int_equal(ev_int(e, "local_port"), 8084);
	assert_non_null(strstr(ev_str(e, "note"), "before bind"));
	close(fd);
}

/* (6) an AF_INET6 socket bound to ::ffff:127.0.0.1 serves IPv4 only */
static void test_bind_v4mapped(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int lfd, cfd, afd;
	json_object *e;

	start_traced(t, ns, NULL);
	lfd = tcp_listen(AF_INET6, "::ffff:127.0.0.1", 8085, -1);
	assert_true(lfd >= 0);
	assert_int_equal(tcp_connect(AF_INET6, "::1", 8085), -ECONNREFUSED);
	cfd = tcp_connect(AF_INET, "127.0.0.1", 8085);
	assert_true(cfd >= 0);
	afd = accept_one(lfd);
	assert_true(afd >= 0);
	stop_traced(t);

	e = ev_find(t, "bind", 8085, 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "family"), "inet6");
	assert_str(ev_str(e, "local_addr"), "::ffff:127.0.0.1");
	assert_non_null(strstr(ev_str(e, "note"), "serves IPv4 127.0.0.1 only"));
	e = ev_find(t, "accept", 8085, 0);
	assert_int_equal(ev_bool(e, "mapped"), 1);
	assert_str(ev_str(e, "ipv4"), "127.0.0.1");
	assert_str(ev_str(e, "listener_addr"), "::ffff:127.0.0.1");
	close(afd);
	close(cfd);
	close(lfd);
}

/* (7) a dual-stack bind failing with EADDRINUSE because IPv4 holds the port */
static void test_bind_eaddrinuse(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int l4;
	json_object *e;

	start_traced(t, ns, NULL);
	l4 = tcp_listen(AF_INET, "0.0.0.0", 8086, -1);
	assert_true(l4 >= 0);
	assert_int_equal(sock_bind(AF_INET6, SOCK_STREAM, "::", 8086, -1), -EADDRINUSE);
	stop_traced(t);

	assert_int_equal(ev_count(t, "bind", 8086), 2);
	e = ev_find(t, "bind", 8086, 1);
	assert_common(e, ns);
	assert_str(ev_str(e, "family"), "inet6");
	assert_str(ev_str(e, "error"), "EADDRINUSE");
	assert_non_null(strstr(ev_str(e, "note"), "set IPV6_V6ONLY"));
	e = ev_find(t, "bind", 8086, 0);
	assert_true(ev_is_null(e, "error"));
	close(l4);
}

/* (8) UDP6 bind on [::]: dual-stack udp6 */
static void test_udp6_bind(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fd;
	json_object *e;

	start_traced(t, ns, NULL);
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8087, -1);
	assert_true(fd >= 0);
	stop_traced(t);

	e = ev_find(t, "bind", 8087, 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "proto"), "udp");
	assert_str(ev_str(e, "family"), "inet6");
	assert_int_equal(ev_bool(e, "v6only"), 0);
	assert_str(ev_str(e, "v6only_source"), "default");
	assert_int_equal(ev_count(t, "listen", 8087), 0);
	close(fd);
}

#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND 78	/* linux/in6.h; glibc's netinet/in.h lacks it */
#endif

static void assert_sockopts(json_object *e, int reuseaddr, int reuseport, int freebind)
{
	assert_non_null(e);
	assert_int_equal(ev_bool(e, "reuseaddr"), reuseaddr);
	assert_int_equal(ev_bool(e, "reuseport"), reuseport);
	assert_int_equal(ev_bool(e, "freebind"), freebind);
}

/* A UDP socket bound to device dev (SO_BINDTODEVICE) and then to addr:port. */
static int bind_to_device(const char *dev, const char *addr, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(inet_pton(AF_INET, addr, &sa.sin_addr), 1);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev)), 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/*
 * The options that decide whether two binds collide, read from the socket by every backend,
 * set and not set: at bind (also a failed one) and at listen.
 */
static void test_bind_options(void **state)
{
	const struct sockopt all6[] = { { SOL_SOCKET, SO_REUSEADDR, 1 },
					{ SOL_SOCKET, SO_REUSEPORT, 1 },
					{ IPPROTO_IPV6, IPV6_FREEBIND, 1 }, { 0 } };
	const struct sockopt transparent[] = { { IPPROTO_IP, IP_TRANSPARENT, 1 }, { 0 } };
	const struct sockopt reuse[] = { { SOL_SOCKET, SO_REUSEADDR, 1 }, { 0 } };
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int a, b, c, d;
	json_object *e;

	start_traced(t, ns, NULL);
	a = sock_bind_opts(AF_INET6, SOCK_STREAM, "::", 8450, all6);
	assert_true(a >= 0);
	assert_int_equal(listen(a, 8), 0);
	b = sock_bind_opts(AF_INET, SOCK_DGRAM, "127.0.0.1", 8451, NULL);
	assert_true(b >= 0);
	/* an address the namespace does not have: IP_TRANSPARENT lets bind() take it */
	c = sock_bind_opts(AF_INET, SOCK_STREAM, "192.0.2.1", 8452, transparent);
	assert_true(c >= 0);
	assert_int_equal(sock_bind_opts(AF_INET, SOCK_STREAM, "192.0.2.1", 8453, reuse),
			 -EADDRNOTAVAIL);
	d = bind_to_device("lo", "127.0.0.1", 8454);
	stop_traced(t);

	assert_sockopts(ev_find(t, "bind", 8450, 0), 1, 1, 1);
	e = ev_find(t, "listen", 8450, 0);
	assert_sockopts(e, 1, 1, 1);
	assert_non_null(strstr(ev_str(e, "note"), "; with SO_REUSEPORT, IP_FREEBIND"));
	e = ev_find(t, "bind", 8451, 0);
	assert_sockopts(e, 0, 0, 0);
	assert_true(ev_is_null(e, "bound_dev"));
	assert_null(strstr(ev_str(e, "note"), "; with"));
	assert_sockopts(ev_find(t, "bind", 8452, 0), 0, 0, 1);
	e = ev_find(t, "bind", 8453, 0);
	assert_str(ev_str(e, "error"), "EADDRNOTAVAIL");
	assert_sockopts(e, 1, 0, 0);
	assert_str(ev_str(e, "note"), "failed: EADDRNOTAVAIL: 192.0.2.1 is no address of this "
				      "namespace; IP_FREEBIND (or the ip_nonlocal_bind sysctl) binds "
				      "it before it exists");
	e = ev_find(t, "bind", 8454, 0);
	assert_sockopts(e, 0, 0, 0);
	assert_str(ev_str(e, "bound_dev"), "lo");
	assert_non_null(strstr(ev_str(e, "note"), "; with SO_BINDTODEVICE lo"));
	close(a), close(b), close(c), close(d);
}

/* A child that is nobody, without capabilities, binds port 80: its errno as exit status. */
static int bind_privileged_as_nobody(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(200);
		fd = sock_bind(AF_INET, SOCK_STREAM, "0.0.0.0", 80, -1);
		_exit(fd >= 0 ? 0 : -fd);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The failed binds people meet, from real calls: each note says why and the way past it. */
static void test_bind_failures_explained(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(8456) };
	json_object *e;
	int fd;

	start_traced(t, ns, NULL);
	assert_int_equal(bind_privileged_as_nobody(), EACCES);
	fd = sock_bind(AF_INET, SOCK_STREAM, "127.0.0.1", 8455, -1);
	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), -1);	/* a second bind */
	assert_int_equal(errno, EINVAL);
	stop_traced(t);

	e = ev_find(t, "bind", 80, 0);
	assert_non_null(e);
	assert_int_equal(ev_int(e, "uid"), 65534);
	assert_str(ev_str(e, "error"), "EACCES");
	assert_str(ev_str(e, "note"), "failed: EACCES: port 80 is below "
				      "net.ipv4.ip_unprivileged_port_start (1024 unless set): binding it "
				      "needs CAP_NET_BIND_SERVICE");
	e = ev_find(t, "bind", 8456, 0);
	assert_non_null(e);
	assert_str(ev_str(e, "error"), "EINVAL");
	assert_str(ev_str(e, "note"), "failed: EINVAL: the socket is bound already (bind works "
				      "once), or the address is not of its family");
	close(fd);
}

/* bind to port 0 reports the ephemeral port the kernel picked, as getsockname() does */
static void test_bind_port_zero(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	struct sockaddr_in6 sa;
	socklen_t len = sizeof(sa);
	int fd;
	json_object *e;

	start_traced(t, ns, NULL);
	fd = sock_bind(AF_INET6, SOCK_STREAM, "::1", 0, -1);
	assert_true(fd >= 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	stop_traced(t);

	e = ev_find(t, "bind", ntohs(sa.sin6_port), 0);
	assert_common(e, ns);
	assert_str(ev_str(e, "local_addr"), "::1");
	close(fd);
}

/*
 * -s -q shows nothing but the summary, so it traces nothing else: no connect, bind or UDP
 * hook is attached. setsockopt(IPV6_V6ONLY) is still traced: a V6ONLY of 0 set explicitly
 * (here, with the sysctl at 0) reads "setsockopt", where without that hook it would read
 * "default". And the kernel counts a listener's accepts after the first instead of sending
 * them: the ring carries three records (the setsockopt, the listen, the first accept) for
 * seven accepts, and the summary still counts all seven.
 */
static void test_summary_only_hooks(void **state)
{
	enum { V4 = 4, V6 = 3 };
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	unsigned long long records, counted;
	int lfd, ufd, fds[2 * (V4 + V6)], n = 0;
	const char *line;
	char expect[64];
	json_object *s;

	start_traced(t, ns, (const char *[]){ "-s", "-q", "-v", NULL });
	lfd = tcp_listen(AF_INET6, "::", 8210, 0);
	assert_true(lfd >= 0);
	for (int i = 0; i < V4 + V6; i++) {
		if (i < V4)
			fds[n++] = tcp_connect(AF_INET, "127.0.0.1", 8210);
		else
			fds[n++] = tcp_connect(AF_INET6, "::1", 8210);
		fds[n++] = accept_one(lfd);
	}
	ufd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8211, -1);
	assert_true(ufd >= 0);
	for (int i = 0; i < n; i++)
		assert_true(fds[i] >= 0);
	stop_traced(t);

	for (const char *const *off = (const char *const[]){ "bind    ", "connect ", "udp-recv", NULL };
	     *off; off++) {
		snprintf(expect, sizeof(expect), "hook %s -> off ", *off);
		assert_non_null(strstr(t->stderr_text, expect));
	}
	snprintf(expect, sizeof(expect), "hook v6only   -> %s", expected_backend());
	assert_non_null(strstr(t->stderr_text, expect));
	snprintf(expect, sizeof(expect), "hook accept   -> %s", expected_backend());
	assert_non_null(strstr(t->stderr_text, expect));
	/* one line in all: the listener's summary */
	assert_int_equal(t->n_events, 1);
	s = ev_find(t, "summary", 8210, 0);
	assert_non_null(s);
	assert_string_equal(ev_str(s, "local_addr"), "::");
	assert_int_equal(ev_int(s, "pid"), getpid());
	assert_int_equal(ev_bool(s, "v6only"), 0);
	assert_string_equal(ev_str(s, "v6only_source"), "setsockopt");
	assert_int_equal(ev_int(s, "accepts_ipv4_mapped"), V4);
	assert_int_equal(ev_int(s, "accepts_ipv4"), 0);
	assert_int_equal(ev_int(s, "accepts_ipv6"), V6);
	line = strstr(t->stderr_text, "v6trace: read ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "v6trace: read %llu records:", &records), 1);
	assert_int_equal(records, 3);
	line = strstr(t->stderr_text, "v6trace: counted ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "v6trace: counted %llu accepts in the kernel", &counted), 1);
	assert_int_equal(counted, V4 + V6 - 1);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	close(ufd);
	close(lfd);
}

/*
 * A server with more threads blocked in accept() than the kernel keeps kretprobe instances
 * for (2 per CPU, at least 10): every accept is reported, whichever thread takes it.
 */
#define ACCEPTORS 64

struct acceptor {
	pthread_t thread;
	int lfd;
	int tid_pipe;	/* the thread writes its tid here before it blocks */
	int fd;		/* what accept() returned */
};

static void *block_in_accept(void *arg)
{
	struct acceptor *a = arg;
	pid_t tid = syscall(SYS_gettid);

	if (write(a->tid_pipe, &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	a->fd = accept4(a->lfd, NULL, NULL, SOCK_CLOEXEC);
	return NULL;
}

/* Waits (bounded) until thread tid of this process sleeps in accept() or accept4(). */
static int wait_blocked_in_accept(pid_t tid)
{
	char path[64], buf[64];
	long nr;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	for (int tries = 0; tries < 10000; tries++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n <= 0)
			return -1;
		buf[n] = '\0';
		/* "running" while it runs; the syscall number once it sleeps in one */
		if (sscanf(buf, "%ld ", &nr) == 1 && (nr == SYS_accept || nr == SYS_accept4))
			return 0;
		usleep(1000);
	}
	return -1;
}

static void test_many_blocked_acceptors(void **state)
{
	static struct acceptor acc[ACCEPTORS];
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int lfd, pipefd[2], cfd[ACCEPTORS], seen = 0;
	uint16_t peer_port[ACCEPTORS];
	pthread_attr_t attr;

	assert_true(ns != 0);
	start_traced(t, ns, NULL);
	lfd = tcp_listen(AF_INET, "127.0.0.1", 8220, -1);
	assert_true(lfd >= 0);
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	assert_int_equal(pthread_attr_init(&attr), 0);
	/* small stacks, but no smaller than the architecture allows (arm64: 128 KiB, for 64K pages) */
	assert_int_equal(pthread_attr_setstacksize(&attr, 64 * 1024 > PTHREAD_STACK_MIN ?
							   64 * 1024 : PTHREAD_STACK_MIN), 0);
	for (int i = 0; i < ACCEPTORS; i++) {
		acc[i] = (struct acceptor){ .lfd = lfd, .tid_pipe = pipefd[1], .fd = -1 };
		assert_int_equal(pthread_create(&acc[i].thread, &attr, block_in_accept, &acc[i]), 0);
	}
	for (int i = 0; i < ACCEPTORS; i++) {
		pid_t tid;

		assert_int_equal(read(pipefd[0], &tid, sizeof(tid)), sizeof(tid));
		assert_int_equal(wait_blocked_in_accept(tid), 0);
	}
	/* every thread now waits inside accept(): each connection wakes one of them */
	for (int i = 0; i < ACCEPTORS; i++) {
		struct sockaddr_in local;
		socklen_t len = sizeof(local);

		cfd[i] = tcp_connect(AF_INET, "127.0.0.1", 8220);
		assert_true(cfd[i] >= 0);
		assert_int_equal(getsockname(cfd[i], (struct sockaddr *)&local, &len), 0);
		peer_port[i] = ntohs(local.sin_port);
	}
	for (int i = 0; i < ACCEPTORS; i++) {
		assert_int_equal(pthread_join(acc[i].thread, NULL), 0);
		assert_true(acc[i].fd >= 0);
	}
	stop_traced(t);

	/* each connection reported once, by the client's real source port */
	for (int i = 0; i < ACCEPTORS; i++) {
		json_object *e;

		for (int n = 0; (e = ev_find(t, "accept", 8220, n)); n++)
			if (ev_int(e, "peer_port") == peer_port[i]) {
				assert_str(ev_str(e, "backend"), expected_backend());
				seen++;
				break;
			}
	}
	if (seen != ACCEPTORS)
		fprintf(stderr, "scenarios: %d of %d accepts reported (%d accept events)\n", seen,
			ACCEPTORS, ev_count(t, "accept", 8220));
	assert_int_equal(seen, ACCEPTORS);
	assert_int_equal(ev_count(t, "accept", 8220), ACCEPTORS);
	for (int i = 0; i < ACCEPTORS; i++) {
		close(acc[i].fd);
		close(cfd[i]);
	}
	pthread_attr_destroy(&attr);
	close(pipefd[0]);
	close(pipefd[1]);
	close(lfd);
}

int run_scenario_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dualstack_accepts_ipv4, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_v6only_refuses_ipv4, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_sshd_style_pair, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_sysctl_bindv6only, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_v6only_after_bind_einval, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_bind_v4mapped, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_bind_eaddrinuse, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_udp6_bind, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_bind_options, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_bind_failures_explained, itest_setup,
						itest_teardown),
		cmocka_unit_test_setup_teardown(test_bind_port_zero, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_summary_only_hooks, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_many_blocked_acceptors, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("scenarios", tests, NULL, NULL);
}

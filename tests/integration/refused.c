// SPDX-License-Identifier: GPL-2.0
/*
 * refused: packets for a served port that no socket takes, seen in the kernel as freed with
 * SKB_DROP_REASON_NO_SOCKET (Linux 5.17 on). Each test drives real clients in its own
 * namespace; a connect() that returns ECONNREFUSED on loopback has had its SYN freed by then
 * (the RST is made before the SYN is freed, and read after), so no test waits for time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "itest.h"

#define FLOOD 10000

/* The kernel's version says whether refused can work here: an oracle v6trace does not share. */
bool kernel_has_drop_reason(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > 5 || (major == 5 && minor >= 17);
}

/*
 * Before 5.17 the kind does not exist: the test is reported skipped (test_refused_hook_listed
 * checks what v6trace says there instead). cmocka's skip() works in a test's body only.
 */
#define NEED_DROP_REASON()			\
	do {					\
		if (!kernel_has_drop_reason())	\
			skip();			\
	} while (0)

/* Fills sa for family's addr and port; returns its length. */
static socklen_t make_sockaddr(struct sockaddr_storage *ss, int family, const char *addr, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		inet_pton(AF_INET, addr, &sin->sin_addr);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	inet_pton(AF_INET6, addr, &sin6->sin6_addr);
	return sizeof(*sin6);
}

/*
 * A client of type from addr (an ephemeral port, returned in *src_port) to addr:port. TCP:
 * connect()'s -errno; UDP: the datagram is sent on a connected socket and the ICMP error read
 * back, so its -errno (-ECONNREFUSED) proves the datagram was refused before this returns.
 */
static int client(int family, int type, const char *addr, uint16_t port, uint16_t *src_port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct timeval tv = { .tv_sec = 10 };
	int fd = socket(family, type | SOCK_CLOEXEC, 0), rc;
	char b;

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, make_sockaddr(&ss, family, addr, 0)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*src_port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					    : ((struct sockaddr_in6 *)&ss)->sin6_port);
	rc = connect(fd, (struct sockaddr *)&ss, make_sockaddr(&ss, family, addr, port)) ? -errno : 0;
	if (!rc && type == SOCK_DGRAM) {
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
		assert_int_equal(send(fd, "x", 1, 0), 1);
		rc = recv(fd, &b, 1, 0) < 0 ? -errno : 0;
	}
	close(fd);
	return rc;
}

/* The one refused event for port, checked for what every refused event has. */
static json_object *refused_event(struct tracer *t, uint64_t ns, uint16_t port)
{
	json_object *e;

	assert_int_equal(ev_count(t, "refused", port), 1);
	e = ev_find(t, "refused", port, 0);
	assert_non_null(e);
	assert_int_equal(ev_int(e, "netns"), (int64_t)ns);
	assert_str(ev_str(e, "error"), "ECONNREFUSED");
	assert_int_equal(ev_int(e, "pid"), 0);
	assert_int_equal(ev_int(e, "suppressed"), 0);
	assert_str(ev_str(e, "backend"), "tracepoint");
	return e;
}

/* The refused event's one listener: its address, V6ONLY and owner (this test process). */
static void assert_listener(json_object *e, const char *family, const char *addr, int v6only)
{
	json_object *list = NULL, *l;

	assert_true(json_object_object_get_ex(e, "listeners", &list));
	assert_int_equal(json_object_array_length(list), 1);
	assert_str(ev_str(e, "listeners_lookup"), "complete");
	l = json_object_array_get_idx(list, 0);
	assert_str(ev_str(l, "family"), family);
	assert_str(ev_str(l, "local_addr"), addr);
	assert_int_equal(ev_bool(l, "v6only"), v6only);
	assert_int_equal(ev_int(l, "pid"), getpid());
}

/*
 * An IPv4 client of an IPv6-only [::] listener is refused, and said to be; a SYN to a port
 * nobody serves is not news (no event); a refused event is not one of the other kinds.
 */
static void test_refused_ipv4_to_v6only(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	uint16_t src, src_unserved;
	json_object *e;
	int lfd;

	NEED_DROP_REASON();

	start_traced(t, ns, NULL);
	lfd = tcp_listen(AF_INET6, "::", 8601, 1);
	assert_true(lfd >= 0);
	assert_int_equal(client(AF_INET, SOCK_STREAM, "127.0.0.1", 8601, &src), -ECONNREFUSED);
	assert_int_equal(client(AF_INET, SOCK_STREAM, "127.0.0.1", 8602, &src_unserved), -ECONNREFUSED);
	stop_traced(t);

	e = refused_event(t, ns, 8601);
	assert_str(ev_str(e, "proto"), "tcp");
	assert_str(ev_str(e, "family"), "inet");
	assert_str(ev_str(e, "local_addr"), "127.0.0.1");
	assert_str(ev_str(e, "peer_addr"), "127.0.0.1");
	assert_int_equal(ev_int(e, "peer_port"), src);
	assert_int_equal(ev_bool(e, "v6only"), 0);
	assert_listener(e, "inet6", "::", 1);
	assert_true(strstr(ev_str(e, "note"), "IPv4 SYN from 127.0.0.1:") != NULL);
	assert_true(strstr(ev_str(e, "note"), " to 127.0.0.1:8601 refused: the only listener, "
				 "[::]:8601 (itest[") != NULL);
	assert_true(strstr(ev_str(e, "note"), "]), is IPv6-only (V6ONLY=1 set by setsockopt)"));
	assert_int_equal(ev_count(t, "refused", 8602), 0);
	assert_int_equal(ev_count(t, "refused", 0), 1);
	close(lfd);
}

/*
 * A listener older than the trace (known from the start-up seed only) on 127.0.0.1: an IPv6
 * client is refused. After it closes, the port is served no more: no event.
 */
static void test_refused_ipv6_to_older_ipv4(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	uint16_t src, src_after;
	json_object *e;
	int lfd;

	NEED_DROP_REASON();
	lfd = tcp_listen(AF_INET, "127.0.0.1", 8603, -1);

	assert_true(lfd >= 0);
	start_traced(t, ns, NULL);
	assert_int_equal(client(AF_INET6, SOCK_STREAM, "::1", 8603, &src), -ECONNREFUSED);
	/* its listeners are looked up as it arrives: close the listener only after */
	assert_int_equal(tracer_wait_output(t, "\"event\":\"refused\"", 30000), 0);
	close(lfd);
	assert_int_equal(client(AF_INET6, SOCK_STREAM, "::1", 8603, &src_after), -ECONNREFUSED);
	stop_traced(t);

	e = refused_event(t, ns, 8603);
	assert_str(ev_str(e, "family"), "inet6");
	assert_str(ev_str(e, "local_addr"), "::1");
	assert_str(ev_str(e, "peer_addr"), "::1");
	assert_int_equal(ev_int(e, "peer_port"), src);
	assert_true(strstr(ev_str(e, "note"), "IPv6 SYN from [::1]:") != NULL);
	assert_listener(e, "inet", "127.0.0.1", 0);
	assert_true(strstr(ev_str(e, "note"), "]), is IPv4 (AF_INET)") != NULL);
}

/* UDP: an IPv4 datagram to a port only an IPv6-only udp6 socket has; ICMP port unreachable. */
static void test_refused_udp(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	uint16_t src;
	json_object *e;
	int fd;

	NEED_DROP_REASON();

	start_traced(t, ns, NULL);
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8604, 1);
	assert_true(fd >= 0);
	assert_int_equal(client(AF_INET, SOCK_DGRAM, "127.0.0.1", 8604, &src), -ECONNREFUSED);
	stop_traced(t);

	e = refused_event(t, ns, 8604);
	assert_str(ev_str(e, "proto"), "udp");
	assert_str(ev_str(e, "family"), "inet");
	assert_int_equal(ev_int(e, "peer_port"), src);
	assert_listener(e, "inet6", "::", 1);
	assert_true(strstr(ev_str(e, "note"), "IPv4 datagram from 127.0.0.1:") != NULL);
	close(fd);
}

/*
 * Nothing tells the kernel of a UDP close, so its map still has the port: the lookup finds
 * nobody on it, the datagram is no news (no event), and the kernel is told to forget it.
 */
static void test_refused_udp_closed(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	uint16_t src;
	int fd, other, sentinel;

	NEED_DROP_REASON();
	start_traced(t, ns, NULL);
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8609, 1);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(client(AF_INET, SOCK_DGRAM, "127.0.0.1", 8609, &src), -ECONNREFUSED);
	/* events are read in order: once a later one is out, the datagram's was looked at */
	sentinel = sock_bind(AF_INET, SOCK_STREAM, "127.0.0.1", 8610, -1);
	assert_true(sentinel >= 0);
	assert_int_equal(tracer_wait_output(t, "\"local_port\":8610,", 30000), 0);
	/* the port served again: its datagrams are news again */
	other = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8609, 1);
	assert_true(other >= 0);
	assert_int_equal(client(AF_INET, SOCK_DGRAM, "127.0.0.1", 8609, &src), -ECONNREFUSED);
	stop_traced(t);

	assert_int_equal(ev_int(refused_event(t, ns, 8609), "peer_port"), src);
	close(other);
	close(sentinel);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A flood of refused SYNs costs a handful of events: the first, one for each second the
 * flood lasts (however long that is on this machine: a guest under emulation takes 20 s),
 * and the tally at exit; the rest are counted in the next event's suppressed. None is lost,
 * and every packet is accounted for: each event stands for 1 + suppressed of them.
 */
static void test_refused_flood(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int64_t packets = 0;
	double began, lasted;
	uint16_t src;
	int lfd, n;

	NEED_DROP_REASON();

	start_traced(t, ns, NULL);
	lfd = tcp_listen(AF_INET6, "::", 8605, 1);
	assert_true(lfd >= 0);
	began = now_s();
	for (int i = 0; i < FLOOD; i++)
		assert_int_equal(client(AF_INET, SOCK_STREAM, "127.0.0.1", 8605, &src), -ECONNREFUSED);
	lasted = now_s() - began;
	stop_traced(t);

	n = ev_count(t, "refused", 8605);
	assert_in_range(n, 2, (int)lasted + 3);
	for (int i = 0; i < n; i++)
		packets += 1 + ev_int(ev_find(t, "refused", 8605, i), "suppressed");
	assert_int_equal(packets, FLOOD);
	assert_int_equal(ev_count(t, "lost", 0), 0);
	/*
	 * Each live event names its peer. The tally made at exit does not, and it exists only
	 * if packets were left over: when the flood's last packet opened a new second, that
	 * packet was reported itself and nothing was left to tally.
	 */
	for (int i = 0; i < n - 1; i++)
		assert_false(ev_is_null(ev_find(t, "refused", 8605, i), "peer_addr"));
	close(lfd);
}

/* --event refused alone attaches what keeps the served ports: listen and bind, unreported. */
static void test_refused_only(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	const char *const args[] = { "--event", "refused", NULL };
	uint16_t src;
	int fd;

	NEED_DROP_REASON();

	start_traced(t, ns, args);
	fd = sock_bind(AF_INET, SOCK_DGRAM, "127.0.0.1", 8606, -1);
	assert_true(fd >= 0);
	assert_int_equal(client(AF_INET6, SOCK_DGRAM, "::1", 8606, &src), -ECONNREFUSED);
	stop_traced(t);

	assert_int_equal(t->n_events, 1);
	assert_str(ev_str(refused_event(t, ns, 8606), "family"), "inet6");
	close(fd);
}

/* -P selects by the packet's destination port, in the kernel; -m keeps every refused packet. */
static void test_refused_filters(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	const char *const args[] = { "-P", "8607", "-m", NULL };
	uint16_t src;
	int a, b;

	NEED_DROP_REASON();

	start_traced(t, ns, args);
	a = tcp_listen(AF_INET6, "::", 8607, 1);
	b = tcp_listen(AF_INET6, "::", 8608, 1);
	assert_true(a >= 0 && b >= 0);
	assert_int_equal(client(AF_INET, SOCK_STREAM, "127.0.0.1", 8608, &src), -ECONNREFUSED);
	assert_int_equal(client(AF_INET, SOCK_STREAM, "127.0.0.1", 8607, &src), -ECONNREFUSED);
	stop_traced(t);

	assert_int_equal(ev_int(refused_event(t, ns, 8607), "peer_port"), src);
	assert_int_equal(ev_count(t, "refused", 0), 1);
	close(a);
	close(b);
}

#define NEEDS "skb:kfree_skb's drop reason (Linux 5.17)"

/*
 * -v names the refused hook, on or off; a kernel without the drop reason says why it is off,
 * and refuses --event refused with that reason (everything else runs as before).
 */
static void test_refused_hook_listed(void **state)
{
	const char *argv[] = { tracer_binary(), "-v", "-d", "1", NULL };
	/* under the backend this run forces (kprobe, say): the hook is the tracepoint's still */
	const char *only[] = { tracer_binary(), "-B", tracer_backend(), "--event", "refused", "-d",
			       "1", NULL };
	static const char on[] = "hook refused  -> tracepoint (v6t_tp_refused)\n";
	static const char off[] = "hook refused  -> off        (refused events are unavailable: "
				  "needs " NEEDS ")\n";
	char out[4096], err[8192];
	const char *line;
	int status;

	(void)state;
	assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err)), 0);
	line = strstr(err, "hook refused  -> ");
	assert_non_null(line);
	if (kernel_has_drop_reason())
		assert_true(!strncmp(line, on, sizeof(on) - 1));
	else
		assert_true(!strncmp(line, off, sizeof(off) - 1));
	status = run_capture(only, out, sizeof(out), err, sizeof(err));
	if (kernel_has_drop_reason()) {
		assert_int_equal(status, 0);
		return;
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	if (!strstr(err, "the tracepoint backend cannot hook refused on this kernel") ||
	    !strstr(err, "it needs " NEEDS "\n"))
		fail_msg("not the refusal wanted: %s", err);
}

int run_refused_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refused_ipv4_to_v6only, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_refused_ipv6_to_older_ipv4, itest_setup,
						itest_teardown),
		cmocka_unit_test_setup_teardown(test_refused_udp, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_refused_udp_closed, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_refused_flood, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_refused_only, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_refused_filters, itest_setup, itest_teardown),
		cmocka_unit_test(test_refused_hook_listed),
	};

	return cmocka_run_group_tests_name("refused", tests, NULL, NULL);
}

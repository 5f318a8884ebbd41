// SPDX-License-Identifier: GPL-2.0
/*
 * A bind that fails with EADDRINUSE names what holds the port: real holders (socat, this
 * process, a process older than the trace) in a namespace of each test's own, the lists
 * compared with who really holds the port, live and replayed from a recording.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

#define WAIT_MS 10000

static char out[1 << 20], err[1 << 16];

static json_object *failed_bind(struct tracer *t, int port)
{
	for (int i = 0; ev_find(t, "bind", port, i); i++)
		if (ev_str(ev_find(t, "bind", port, i), "error"))
			return ev_find(t, "bind", port, i);
	fail_msg("no failed bind on port %d", port);
	return NULL;
}

/* The only holder of the failed bind on port. */
static json_object *only_holder(struct tracer *t, int port)
{
	json_object *e = failed_bind(t, port), *h;

	assert_str(ev_str(e, "error"), "EADDRINUSE");
	assert_true(json_object_object_get_ex(e, "holders", &h));
	assert_int_equal(json_object_array_length(h), 1);
	assert_str(ev_str(e, "holders_lookup"), "complete");
	return json_object_array_get_idx(h, 0);
}

/*
 * In a namespace of its own, traced with args: this process holds 0.0.0.0:port (listening
 * if listens), and a dual-stack [::] bind of it fails. The holder's fd.
 */
static int collide(struct tracer *t, const char *const *args, int type, bool listens,
		   uint16_t port)
{
	uint64_t ns = netns_enter_new();
	int fd;

	start_traced(t, ns, args);
	fd = sock_bind(AF_INET, type, "0.0.0.0", port, -1);
	assert_true(fd >= 0);
	if (listens)
		assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(sock_bind(AF_INET6, type, "::", port, 0), -EADDRINUSE);
	assert_int_equal(tracer_wait_output(t, "\"holders\"", WAIT_MS), 0);
	stop_traced(t);
	return fd;
}

/* The case: a dual-stack [::] bind against socat's TCP4-LISTEN, which this run saw. */
static void test_socat_named(void **state)
{
	const char *argv[] = { "/usr/bin/socat", "TCP4-LISTEN:8460,reuseaddr,fork", "-", NULL };
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int devnull = open("/dev/null", O_RDWR), status;
	char note[128];
	json_object *h;
	pid_t socat;

	start_traced(t, ns, NULL);
	socat = spawn_fds(argv, devnull, devnull, devnull);
	assert_true(socat > 0);
	assert_int_equal(tracer_wait_output(t, "\"event\":\"listen\"", WAIT_MS), 0);
	assert_int_equal(sock_bind(AF_INET6, SOCK_STREAM, "::", 8460, 0), -EADDRINUSE);
	assert_int_equal(tracer_wait_output(t, "\"holders\"", WAIT_MS), 0);
	kill(socat, SIGTERM);
	wait_exit(socat, WAIT_MS, &status);
	stop_traced(t);

	h = only_holder(t, 8460);
	assert_int_equal(ev_int(h, "pid"), socat);
	assert_str(ev_str(h, "comm"), "socat");
	assert_str(ev_str(h, "local_addr"), "0.0.0.0");
	assert_int_equal(ev_int(h, "local_port"), 8460);
	assert_str(ev_str(h, "family"), "inet");
	assert_int_equal(ev_bool(h, "v6only"), 0);
	assert_int_equal(ev_bool(h, "reuseaddr"), 1);
	assert_int_equal(ev_bool(h, "reuseport"), 0);
	snprintf(note, sizeof(note), "failed: EADDRINUSE: 0.0.0.0:8460 is held by socat[%d]; a "
		 "dual-stack [::] socket also needs the IPv4 port", socat);
	assert_non_null(strstr(ev_str(failed_bind(t, 8460), "note"), note));
	/* socat's own bind did not fail: it has no holders key */
	for (int i = 0; ev_find(t, "bind", 8460, i); i++)
		if (ev_int(ev_find(t, "bind", 8460, i), "pid") == socat)
			assert_false(json_object_object_get_ex(ev_find(t, "bind", 8460, i),
							       "holders", NULL));
	close(devnull);
}

/* A holder with SO_REUSEPORT, seen binding by this run; a bind without it cannot share. */
static void test_reuseport_seen(void **state)
{
	const struct sockopt reuseport[] = { { SOL_SOCKET, SO_REUSEPORT, 1 }, { 0 } };
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fd;
	json_object *h;

	start_traced(t, ns, NULL);
	fd = sock_bind_opts(AF_INET, SOCK_STREAM, "127.0.0.1", 8461, reuseport);
	assert_true(fd >= 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(sock_bind(AF_INET, SOCK_STREAM, "127.0.0.1", 8461, -1), -EADDRINUSE);
	assert_int_equal(tracer_wait_output(t, "\"holders\"", WAIT_MS), 0);
	stop_traced(t);

	h = only_holder(t, 8461);
	assert_int_equal(ev_int(h, "pid"), getpid());
	assert_str(ev_str(h, "local_addr"), "127.0.0.1");
	assert_int_equal(ev_bool(h, "reuseport"), 1);
	assert_int_equal(ev_bool(h, "reuseaddr"), 0);
	assert_non_null(strstr(ev_str(failed_bind(t, 8461), "note"),
			       "; it listens, and SO_REUSEADDR does not let a second socket bind a "
			       "listening port"));
	close(fd);
}

/*
 * A process that held the port before v6trace started, and no snapshot: its owner is found
 * through /proc, its options are unknown.
 */
static void test_older_holder(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int ready[2], go[2];
	pid_t child;
	char c;
	json_object *h;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	child = fork();
	if (child == 0) {
		int fd = tcp_listen(AF_INET, "0.0.0.0", 8462, -1);

		close(go[1]);
		prctl(PR_SET_NAME, "oldholder");
		if (write(ready[1], fd >= 0 ? "y" : "n", 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	start_traced(t, ns, (const char *[]){ "--no-snapshot", NULL });
	assert_int_equal(sock_bind(AF_INET6, SOCK_STREAM, "::", 8462, 0), -EADDRINUSE);
	assert_int_equal(tracer_wait_output(t, "\"holders\"", WAIT_MS), 0);
	stop_traced(t);
	close(go[1]);
	waitpid(child, NULL, 0);
	close(ready[0]), close(ready[1]);

	h = only_holder(t, 8462);
	assert_int_equal(ev_int(h, "pid"), child);
	assert_str(ev_str(h, "comm"), "oldholder");
	assert_true(ev_is_null(h, "reuseaddr"));
	assert_true(ev_is_null(h, "reuseport"));
}

/* UDP: a dual-stack [::] socket against a bound IPv4 one. */
static void test_udp(void **state)
{
	int fd = collide(*state, NULL, SOCK_DGRAM, false, 8463);
	struct tracer *t = *state;
	json_object *h;

	h = only_holder(t, 8463);
	assert_int_equal(ev_int(h, "pid"), getpid());
	assert_str(ev_str(h, "family"), "inet");
	assert_str(ev_str(failed_bind(t, 8463), "proto"), "udp");
	assert_non_null(strstr(ev_str(failed_bind(t, 8463), "note"),
			       "; a dual-stack [::] socket also needs the IPv4 port"));
	close(fd);
}

/* Linux 6.9 lists bound TCP sockets that do not listen (TCP_BOUND_INACTIVE), older ones not */
static bool lists_bound_sockets(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(sscanf(u.release, "%d.%d", &major, &minor), 2);
	return major * 100 + minor >= 609;
}

/* A socket bound and not listening holds its port too. */
static void test_bound_not_listening(void **state)
{
	int fd = collide(*state, NULL, SOCK_STREAM, false, 8465);
	struct tracer *t = *state;
	json_object *h;

	if (!lists_bound_sockets()) {
		assert_true(json_object_object_get_ex(failed_bind(t, 8465), "holders", &h));
		assert_int_equal(json_object_array_length(h), 0);
		close(fd);
		return;
	}
	h = only_holder(t, 8465);
	assert_int_equal(ev_int(h, "pid"), getpid());
	assert_str(ev_str(h, "local_addr"), "0.0.0.0");
	close(fd);
}

/* A loop of failing binds gets 20 lookups a second; the rest say they were skipped. */
static void test_rate_limited(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int fd, listed = 0, skipped = 0;

	start_traced(t, ns, NULL);
	fd = tcp_listen(AF_INET, "0.0.0.0", 8466, -1);
	assert_true(fd >= 0);
	for (int i = 0; i < 25; i++)
		assert_int_equal(sock_bind(AF_INET6, SOCK_STREAM, "::", 8466, 0), -EADDRINUSE);
	assert_int_equal(wait_file_output(t->out_path, "\"holders\"", 25, WAIT_MS), 0);
	stop_traced(t);

	for (int i = 0; ev_find(t, "bind", 8466, i); i++) {
		json_object *e = ev_find(t, "bind", 8466, i), *h;

		if (!ev_str(e, "error"))
			continue;
		assert_true(json_object_object_get_ex(e, "holders", &h));
		if (json_object_array_length(h)) {
			listed++;
		} else {
			assert_non_null(strstr(ev_str(e, "note"), "(holders not looked up: too "
								  "many failed binds this second)"));
			skipped++;
		}
	}
	assert_int_equal(listed, 20);
	assert_int_equal(skipped, 5);
	close(fd);
}

/*
 * A child in a namespace of its own: it holds 0.0.0.0:port, says its namespace, and at "g"
 * fails a dual-stack [::] bind of the port; then it exits, or with held waits for a second
 * "g" first (held until the parent saw the lookup). Its exit status 0: all went so.
 */
struct collider {
	pid_t pid;
	uint64_t ns;
	int go[2];
};

static void collider_start(struct collider *k, uint16_t port, bool held)
{
	int ready[2];
	char c;

	assert_int_equal(pipe(k->go), 0);
	assert_int_equal(pipe(ready), 0);
	k->pid = fork();
	if (k->pid == 0) {
		uint64_t ns = netns_enter_new();
		int fd = tcp_listen(AF_INET, "0.0.0.0", port, -1);

		if (fd < 0 || write(ready[1], &ns, sizeof(ns)) != sizeof(ns) ||
		    read(k->go[0], &c, 1) != 1)
			_exit(1);
		fd = sock_bind(AF_INET6, SOCK_STREAM, "::", port, 0);
		_exit(fd == -EADDRINUSE && (!held || read(k->go[0], &c, 1) == 1) ? 0 : 1);
	}
	assert_int_equal(read(ready[0], &k->ns, sizeof(k->ns)), sizeof(k->ns));
	close(ready[0]), close(ready[1]);
}

static void collider_go(struct collider *k)
{
	assert_int_equal(write(k->go[1], "g", 1), 1);
}

static void collider_end(struct collider *k)
{
	int status;

	assert_int_equal(waitpid(k->pid, &status, 0), k->pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(k->go[0]), close(k->go[1]);
}

/*
 * The namespace is gone when v6trace looks (held with SIGSTOP while the only process in it
 * fails its bind and exits): the list is empty, and JSON says the lookup was cut short
 * rather than that nothing held the port.
 */
static void test_namespace_gone(void **state)
{
	struct tracer *t = *state;
	struct collider k;
	json_object *e, *h;

	collider_start(&k, 8477, false);
	start_traced(t, k.ns, (const char *[]){ "--no-snapshot", NULL });
	assert_int_equal(kill(t->pid, SIGSTOP), 0);
	collider_go(&k);
	collider_end(&k);
	assert_int_equal(kill(t->pid, SIGCONT), 0);
	assert_int_equal(tracer_wait_output(t, "\"holders\"", WAIT_MS), 0);
	stop_traced(t);

	e = failed_bind(t, 8477);
	assert_int_equal(ev_int(e, "pid"), k.pid);
	assert_true(json_object_object_get_ex(e, "holders", &h));
	assert_int_equal(json_object_array_length(h), 0);
	assert_str(ev_str(e, "holders_lookup"), "cut_short");
}

/*
 * The failed bind in another namespace than v6trace's: the lookup enters the event's
 * namespace (from a thread of its own) and finds the holder there, through /proc.
 */
static void test_other_namespace(void **state)
{
	struct tracer *t = *state;
	struct collider k;
	json_object *h;

	netns_enter_new();
	collider_start(&k, 8467, true);
	assert_int_not_equal(k.ns, netns_current());
	assert_int_equal(tracer_start(t, (const char *[]){ "--no-snapshot", "-P", "8467", NULL }), 0);
	collider_go(&k);
	assert_int_equal(tracer_wait_output(t, "\"holders\"", WAIT_MS), 0);
	collider_go(&k);
	collider_end(&k);
	stop_traced(t);

	assert_int_equal(ev_int(failed_bind(t, 8467), "netns"), k.ns);
	h = only_holder(t, 8467);
	assert_int_equal(ev_int(h, "pid"), k.pid);
	assert_str(ev_str(h, "local_addr"), "0.0.0.0");
}

/* A recording keeps the list with its event: the replay shows what the live run showed. */
static void test_recorded_and_replayed(void **state)
{
	char path[] = "/tmp/v6t-holders-XXXXXX";
	struct tracer *t = *state;
	int fd = mkstemp(path), holder;
	const char *live;
	json_object *replayed;
	char *line;

	assert_true(fd >= 0);
	close(fd);
	holder = collide(t, (const char *[]){ "-w", path, NULL }, SOCK_STREAM, true, 8464);
	assert_int_equal(ev_int(only_holder(t, 8464), "pid"), getpid());
	live = json_object_to_json_string(failed_bind(t, 8464));

	assert_int_equal(run_capture((const char *[]){ tracer_binary(), "-r", path, "-j", "-P",
						       "8464", "--event", "bind", NULL },
				     out, sizeof(out), err, sizeof(err)), 0);
	line = strstr(out, "\"error\":\"EADDRINUSE\"");
	assert_non_null(line);
	while (line > out && line[-1] != '\n')
		line--;
	line[strcspn(line, "\n")] = '\0';
	replayed = json_tokener_parse(line);
	assert_non_null(replayed);
	assert_string_equal(json_object_to_json_string(replayed), live);
	json_object_put(replayed);
	unlink(path);
	close(holder);
}

int run_holders_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socat_named, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_reuseport_seen, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_older_holder, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_udp, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_bound_not_listening, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_rate_limited, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_other_namespace, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_namespace_gone, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_recorded_and_replayed, itest_setup,
						itest_teardown),
	};

	return cmocka_run_group_tests_name("holders", tests, NULL, NULL);
}

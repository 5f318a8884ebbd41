// SPDX-License-Identifier: GPL-2.0
/*
 * --wide names a socket's owner as its runtime does: real processes moved into real cgroup v2
 * directories named as kubelet, containerd, CRI-O, Docker, Podman and systemd name theirs,
 * with the state those runtimes keep on disk laid out under $V6TRACE_TEST_ROOT, each binding
 * a port that v6trace -j --wide reports with its container object.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cgroup.h"
#include "itest.h"

#define ID "3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define UID "1f2e3d4c-5b6a-4789-8abc-def012345678"
#define UID_ "1f2e3d4c_5b6a_4789_8abc_def012345678"
#define PORT 8700

/* Each owner: the cgroup path under the test's directory, and what v6trace must make of it. */
static const struct owner {
	const char *cgroup;
	const char *runtime, *id, *name, *pod, *ns, *unit, *label;
} owners[] = {
	{ "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/"
	  "cri-containerd-" ID ".scope", "kubernetes", ID, "nginx", "web-7d9f", "shop", NULL,
	  "pod shop/web-7d9f" },
	{ "kubepods/besteffort/pod" UID "/" ID, "kubernetes", ID, "nginx", "web-7d9f", "shop", NULL,
	  "pod shop/web-7d9f" },
	{ "system.slice/nerdctl-" ID ".scope", "containerd", ID, "nginx", NULL, NULL, NULL,
	  "containerd:nginx" },
	{ "machine.slice/crio-" ID ".scope", "cri-o", ID, NULL, NULL, NULL, NULL,
	  "cri-o:3f2a9c0d4e5b" },
	{ "system.slice/docker-" ID ".scope", "docker", ID, "shop-web", NULL, NULL, NULL,
	  "docker:shop-web" },
	{ "docker/" ID, "docker", ID, "shop-web", NULL, NULL, NULL, "docker:shop-web" },
	{ "machine.slice/libpod-" ID ".scope", "podman", ID, NULL, NULL, NULL, NULL,
	  "podman:3f2a9c0d4e5b" },
	{ "system.slice/v6t-owner-test.service", "systemd", NULL, NULL, NULL, NULL,
	  "v6t-owner-test.service", "v6t-owner-test.service" },
	{ "user.slice/user-1000.slice/session-99.scope", "systemd", NULL, NULL, NULL, NULL,
	  "session-99.scope", "session-99.scope" },
};

#define N_OWNERS (sizeof(owners) / sizeof(owners[0]))

static char base[512], state[64];

static void run(const char *cmd)
{
	if (system(cmd))
		fail_msg("failed: %s", cmd);
}

static void put_file(const char *rel, const char *text)
{
	char path[1024], cmd[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", state, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	run(cmd);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* What kubelet, containerd and Docker leave on disk for the owners above. */
static void lay_out_state(void)
{
	char cmd[256];

	strcpy(state, "/tmp/v6t-owners-XXXXXX");
	assert_non_null(mkdtemp(state));
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/var/log/pods/shop_web-7d9f_" UID "/nginx'", state);
	run(cmd);
	put_file("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
		 "{\"ociVersion\":\"1.1.0\",\"annotations\":{\"io.kubernetes.cri.container-type\":"
		 "\"container\",\"io.kubernetes.cri.container-name\":\"nginx\"}}");
	put_file("var/lib/docker/containers/" ID "/config.v2.json",
		 "{\"ID\":\"" ID "\",\"MountPoints\":{\"/data\":{\"Name\":\"vol\"}},"
		 "\"Name\":\"/shop-web\"}");
}

/* The child's sockets, made in its owner's cgroup: 0, or -1 if one failed. */
typedef int (*serve_fn)(unsigned int i);

static int listen_ipv4(unsigned int i)
{
	return tcp_listen(AF_INET, "127.0.0.1", PORT + i, -1) < 0 ? -1 : 0;
}

/* A child in owner i's cgroup, made here: 0 in the child, once it is in; its pid in the parent. */
static pid_t fork_in_cgroup(unsigned int i)
{
	char path[1200], dir[1024];
	pid_t pid;
	int fd;

	snprintf(dir, sizeof(dir), "%s/%s", base, owners[i].cgroup);
	snprintf(path, sizeof(path), "mkdir -p '%s'", dir);
	run(path);
	pid = fork();
	assert_true(pid >= 0);
	if (pid)
		return pid;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(1);
	return 0;
}

/* A child in owner i's cgroup makes its sockets, then waits for hold's write end to close. */
static pid_t start_in(unsigned int i, const int hold[2], serve_fn serve)
{
	int ready[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(ready), 0);
	pid = fork_in_cgroup(i);
	if (pid == 0) {
		close(hold[1]);
		if (serve(i))
			_exit(1);
		if (write(ready[1], "y", 1) != 1 || read(hold[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

/* The test's cgroup directory named, the state laid out; args[1] (after -N) becomes ns. */
static void prepare(uint64_t ns, const char **args)
{
	static char nsarg[32];
	char root[256];

	assert_int_equal(v6t_cgroup2_mount(root, sizeof(root)), 0);
	snprintf(base, sizeof(base), "%s/v6t-owners-%d", root, getpid());
	snprintf(nsarg, sizeof(nsarg), "%llu", (unsigned long long)ns);
	args[1] = nsarg;
	lay_out_state();
}

/* v6trace started (JSON, or text) with the state where the tests put it. */
static void start(struct tracer *t, const char *const *args, bool text)
{
	assert_int_equal(setenv("V6TRACE_TEST_ROOT", state, 1), 0);
	assert_int_equal(text ? tracer_start_text(t, args) : tracer_start(t, args), 0);
	unsetenv("V6TRACE_TEST_ROOT");
}

/* The n children told to end (hold's write end closed), and ended well. */
static void reap(const pid_t *pids, unsigned int n, int hold[2])
{
	int status;

	close(hold[1]);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	close(hold[0]);
}

/* The test's cgroups gone, deepest first, and its state. */
static void remove_all(void)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "find '%s' -depth -type d -exec rmdir {} +; rm -rf '%s'", base,
		 state);
	run(cmd);
}

static void finish(struct tracer *t, const pid_t *pids, unsigned int n, int hold[2])
{
	stop_traced(t);
	reap(pids, n, hold);
	remove_all();
}

/*
 * Every owner's child binds its port while v6trace (with the state laid out) traces, and
 * records to record if not NULL.
 */
static void bind_in_each(struct tracer *t, uint64_t ns, bool text, const char *record)
{
	const char *args[] = { "-N", NULL, "--wide", "-s", "--event", "bind,listen",
			       record ? "-w" : NULL, record, NULL };
	pid_t pids[N_OWNERS];
	int hold[2];

	prepare(ns, args);
	start(t, args, text);
	assert_int_equal(pipe2(hold, O_CLOEXEC), 0);
	for (unsigned int i = 0; i < N_OWNERS; i++)
		pids[i] = start_in(i, hold, listen_ipv4);
	finish(t, pids, N_OWNERS, hold);
}

/* The event's container key, checked against the owner's row. */
static void assert_owner(json_object *e, const struct owner *o)
{
	json_object *c = NULL;

	assert_true(json_object_object_get_ex(e, "container", &c));
	assert_str(ev_str(c, "runtime"), o->runtime);
#define KEY_IS(key, want) \
	do { if (want) assert_str(ev_str(c, key), want); else assert_true(ev_is_null(c, key)); } while (0)
	KEY_IS("id", o->id);
	KEY_IS("name", o->name);
	KEY_IS("pod", o->pod);
	KEY_IS("namespace", o->ns);
	KEY_IS("pod_uid", o->pod ? UID : NULL);
	KEY_IS("unit", o->unit);
#undef KEY_IS
}

static void test_owners_named(void **state_)
{
	struct tracer *t = *state_;

	bind_in_each(t, netns_enter_new(), false, NULL);
	for (unsigned int i = 0; i < N_OWNERS; i++) {
		json_object *e = ev_find(t, "bind", PORT + i, 0);

		assert_non_null(e);
		assert_owner(e, &owners[i]);
		/* the summary's row of its listener names it the same way */
		e = ev_find(t, "summary", PORT + i, 0);
		assert_non_null(e);
		assert_owner(e, &owners[i]);
	}
}

/* The same in text: --wide's short form, before the note, and before the summary's verdict. */
static void test_owner_labels(void **state_)
{
	struct tracer *t = *state_;
	char needle[600];

	bind_in_each(t, netns_enter_new(), true, NULL);
	for (unsigned int i = 0; i < N_OWNERS; i++) {
		int same = 0;

		for (unsigned int j = 0; j < N_OWNERS; j++)
			same += !strcmp(owners[j].label, owners[i].label);
		snprintf(needle, sizeof(needle), "[%s] ", owners[i].label);
		/* a bind, a listen, and the summary's row, for each owner of that name */
		if (str_count(tracer_stdout(t), needle) != 3 * same)
			fail_msg("not %d \"%s\" in:\n%s", 3 * same, needle, tracer_stdout(t));
	}
}

/* The events of a JSON replay of path with args, as a tracer that saw them holds them. */
static struct tracer *replay_events(const char *path, const char *const *args)
{
	static char out[1 << 20], err[4096];
	const char *argv[16] = { tracer_binary(), "-r", path, "-j" };
	struct tracer *r = calloc(1, sizeof(*r));
	char *line, *save = NULL;
	int n = 4;

	assert_non_null(r);
	r->pid = r->out_fd = -1;
	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	if (run_capture(argv, out, sizeof(out), err, sizeof(err)))
		fail_msg("replay failed: %s", err);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		assert_true(r->n_events < MAX_EVENTS);
		r->events[r->n_events] = json_tokener_parse(line);
		assert_non_null(r->events[r->n_events++]);
	}
	return r;
}

static void replay_free(struct tracer *r)
{
	tracer_cleanup(r);
	free(r);
}

/* Each owner's bind, replayed from path with --wide, names it. */
static void assert_owners_replayed(const char *path)
{
	struct tracer *r = replay_events(path, (const char *[]){ "--wide", NULL });

	for (unsigned int i = 0; i < N_OWNERS; i++) {
		json_object *e = ev_find(r, "bind", PORT + i, 0);

		assert_non_null(e);
		assert_owner(e, &owners[i]);
	}
	replay_free(r);
}

/*
 * A recording names owners as they were: replayed once the cgroups and the runtimes' state
 * are gone (an incident looked at later, as a rule), --wide shows each, and --container
 * keeps the events of that container's processes alone, from the recording's owners.
 */
static void test_owners_recorded(void **state_)
{
	char path[] = "/tmp/v6t-owners-rec-XXXXXX";
	struct tracer *t = *state_, *r;
	int fd = mkstemp(path);
	char copy[64];

	assert_true(fd >= 0);
	close(fd);
	bind_in_each(t, netns_enter_new(), false, path);
	assert_owners_replayed(path);
	/* a replay recorded again (-r -w) carries them on */
	snprintf(copy, sizeof(copy), "%s.copy", path);
	replay_free(replay_events(path, (const char *[]){ "-q", "-w", copy, NULL }));
	assert_owners_replayed(copy);
	unlink(copy);
	/* the two Docker containers named shop-web: their binds and listens */
	r = replay_events(path, (const char *[]){ "--container", "shop-web", NULL });
	assert_int_equal(r->n_events, 4);
	for (unsigned int i = 0; i < N_OWNERS; i++) {
		int docker = !strcmp(owners[i].runtime, "docker");

		assert_int_equal(ev_count(r, "bind", PORT + i), docker);
		assert_int_equal(ev_count(r, "listen", PORT + i), docker);
	}
	replay_free(r);
	r = replay_events(path, (const char *[]){ "--container", "shop-api", NULL });
	assert_int_equal(r->n_events, 0);
	replay_free(r);
	unlink(path);
}

/*
 * A child already in owner i's cgroup before v6trace starts: once go's write end closes it
 * binds two ports, then waits for hold's.
 */
static pid_t start_waiting(unsigned int i, const int go[2], const int hold[2])
{
	pid_t pid = fork_in_cgroup(i);
	char c;

	if (pid == 0) {
		close(go[1]);
		close(hold[1]);
		if (read(go[0], &c, 1) < 0 ||
		    sock_bind(AF_INET, SOCK_STREAM, "127.0.0.1", PORT + i, -1) < 0 ||
		    sock_bind(AF_INET, SOCK_STREAM, "127.0.0.1", PORT + 100 + i, -1) < 0)
			_exit(1);
		read(hold[0], &c, 1);
		_exit(0);
	}
	return pid;
}

/*
 * --pod and --unit in the kernel: every cgroup there at start has its answer there, so only
 * the pod's two containers' and the session's binds cross the ring (-v's count), 6 of 18.
 */
static void test_owner_filter_in_kernel(void **state_)
{
	struct tracer *t = *state_;
	const char *args[] = { "-N", NULL, "-v", "--event", "bind", "--pod", "shop/web-7d9f",
			       "--unit", "session-99.scope", NULL };
	pid_t pids[N_OWNERS];
	int go[2], hold[2];

	prepare(netns_enter_new(), args);
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(hold, O_CLOEXEC), 0);
	for (unsigned int i = 0; i < N_OWNERS; i++)
		pids[i] = start_waiting(i, go, hold);
	start(t, args, false);
	close(go[1]);
	/* the last child's second bind is among those kept: once it is out, all were read */
	assert_int_equal(tracer_wait_output(t, "\"local_port\":8808,", 30000), 0);
	finish(t, pids, N_OWNERS, hold);
	close(go[0]);

	assert_only_in_ring(t, 6);
	for (unsigned int i = 0; i < N_OWNERS; i++) {
		int kept = i == 0 || i == 1 || i == N_OWNERS - 1;

		assert_int_equal(ev_count(t, "bind", PORT + i), kept);
		assert_int_equal(ev_count(t, "bind", PORT + 100 + i), kept);
	}
}

/* owners[]'s Docker container under the systemd driver, named shop-web by its config */
#define DOCKER 4

/* An IPv6-only [::] listener: it refuses IPv4 clients, and a second [::] bind collides. */
static int listen_v6only(unsigned int i)
{
	return tcp_listen(AF_INET6, "::", PORT + i, 1) < 0 ? -1 : 0;
}

/* The port's socket in the event's list (listeners, holders) names its owner as events do. */
static void assert_sock_owned(json_object *e, const char *list_key, pid_t pid)
{
	json_object *list = NULL, *s;
	char named[64];

	assert_true(json_object_object_get_ex(e, list_key, &list));
	assert_int_equal(json_object_array_length(list), 1);
	s = json_object_array_get_idx(list, 0);
	assert_int_equal(ev_int(s, "pid"), pid);
	assert_owner(s, &owners[DOCKER]);
	/* the note names it too: its process, then its owner */
	snprintf(named, sizeof(named), "[%d] [docker:shop-web]", (int)pid);
	if (!strstr(ev_str(e, "note"), named))
		fail_msg("no owner in the note: %s", ev_str(e, "note"));
}

/*
 * A container's listener, while v6trace traces: a second [::] bind collides with it, and it
 * refuses an IPv4 client. Older: made before v6trace started (without the snapshot, which
 * would name it: found among the processes' sockets). Returns its pid.
 */
static pid_t collide_and_refuse(struct tracer *t, bool older)
{
	/* kernels before 5.17 have no refused events: only the holder there */
	const char *args[] = { "-N", NULL, "--wide", "--event",
			       kernel_has_drop_reason() ? "bind,refused" : "bind",
			       older ? "--no-snapshot" : NULL, NULL };
	int hold[2];
	pid_t pid;

	prepare(netns_enter_new(), args);
	assert_int_equal(pipe2(hold, O_CLOEXEC), 0);
	if (older)
		pid = start_in(DOCKER, hold, listen_v6only);
	start(t, args, false);
	if (!older)
		pid = start_in(DOCKER, hold, listen_v6only);
	assert_int_equal(sock_bind(AF_INET6, SOCK_STREAM, "::", PORT + DOCKER, 1), -EADDRINUSE);
	assert_int_equal(tcp_connect(AF_INET, "127.0.0.1", PORT + DOCKER), -ECONNREFUSED);
	finish(t, &pid, 1, hold);
	return pid;
}

/*
 * The holder of the port a bind wanted is named with its owner: older, made before the trace
 * (its owner found as ss -p finds it); else seen bound, so its own bind is the first event.
 */
static void assert_holder_owned(struct tracer *t, bool older)
{
	pid_t pid = collide_and_refuse(t, older);
	json_object *e = ev_find(t, "bind", PORT + DOCKER, older ? 0 : 1);

	assert_non_null(e);
	assert_str(ev_str(e, "error"), "EADDRINUSE");
	assert_sock_owned(e, "holders", pid);
}

static void test_holder_owned(void **state_)
{
	assert_holder_owned(*state_, false);
}

static void test_older_holder_owned(void **state_)
{
	assert_holder_owned(*state_, true);
}

/* The listener that refused an IPv4 client is named with its owner. */
static void test_refusing_listener_owned(void **state_)
{
	struct tracer *t = *state_;
	pid_t pid;
	json_object *e;

	if (!kernel_has_drop_reason())
		skip();
	pid = collide_and_refuse(t, false);
	e = ev_find(t, "refused", PORT + DOCKER, 0);
	assert_non_null(e);
	assert_sock_owned(e, "listeners", pid);
}

/* Owner i's child, started and (once t printed waited_for, if given) ended, its cgroup removed. */
static void come_and_go(struct tracer *t, unsigned int i, const char *waited_for)
{
	char dir[1024];
	int hold[2];
	pid_t pid;

	assert_int_equal(pipe2(hold, O_CLOEXEC), 0);
	pid = start_in(i, hold, listen_ipv4);
	if (waited_for)
		assert_int_equal(tracer_wait_output(t, waited_for, 30000), 0);
	reap(&pid, 1, hold);
	snprintf(dir, sizeof(dir), "%s/%s", base, owners[i].cgroup);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * A container's cgroup, gone before v6trace exits, is still named in the summary, though a
 * later event made v6trace read the cgroup tree again: a task that ended, in another cgroup
 * that went too, before v6trace (stopped meanwhile) looked at its event.
 */
static void test_deleted_owner_kept(void **state_)
{
	struct tracer *t = *state_;
	const char *args[] = { "-N", NULL, "--wide", "-s", "--event", "listen", NULL };
	char port[64];

	prepare(netns_enter_new(), args);
	start(t, args, false);
	snprintf(port, sizeof(port), "\"local_port\":%d,", PORT + DOCKER);
	come_and_go(t, DOCKER, port);
	assert_int_equal(kill(t->pid, SIGSTOP), 0);
	come_and_go(t, N_OWNERS - 2, NULL);
	assert_int_equal(kill(t->pid, SIGCONT), 0);
	snprintf(port, sizeof(port), "\"local_port\":%d,", PORT + (int)N_OWNERS - 2);
	assert_int_equal(tracer_wait_output(t, port, 30000), 0);
	stop_traced(t);
	remove_all();

	assert_owner(ev_find(t, "summary", PORT + DOCKER, 0), &owners[DOCKER]);
	assert_true(ev_is_null(ev_find(t, "listen", PORT + N_OWNERS - 2, 0), "container"));
}

int run_owner_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_owners_named, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_owner_labels, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_owners_recorded, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_owner_filter_in_kernel, itest_setup,
						itest_teardown),
		cmocka_unit_test_setup_teardown(test_holder_owned, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_deleted_owner_kept, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_refusing_listener_owned, itest_setup,
						itest_teardown),
	};

	return cmocka_run_group_tests_name("owners", tests, NULL, NULL);
}

/*
 * Owners found among the processes' sockets, as ss -p finds them: user space alone, the same
 * under every backend, and its time budget is one an emulated guest runs out of. So on the
 * host only, as the holders group is.
 */
int run_owner_scan_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_older_holder_owned, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("owner-scan", tests, NULL, NULL);
}

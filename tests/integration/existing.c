// SPDX-License-Identifier: GPL-2.0
/*
 * The gaps other tracers leave: sockets that existed before tracing began, outbound IPv4
 * connections from tcp6 sockets, IPv4 datagrams on udp6 sockets, and containers.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cgroup.h"
#include "itest.h"

static char out[1 << 20], err[1 << 16];

/* A listener made before v6trace starts is in the start-up snapshot, with its V6ONLY. */
static void test_snapshot_at_start(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int dual = tcp_listen(AF_INET6, "::", 8400, -1);
	int v6 = tcp_listen(AF_INET6, "::", 8401, 1);
	int udp = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8402, -1);
	int v4 = tcp_listen(AF_INET, "127.0.0.1", 8403, -1);
	json_object *e;
	char comm[32] = "";
	FILE *f = fopen("/proc/self/comm", "r");

	assert_true(dual >= 0 && v6 >= 0 && udp >= 0 && v4 >= 0);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	start_traced(t, ns, NULL);
	stop_traced(t);

	assert_int_equal(ev_count(t, "listening", 0), 4);
	e = ev_find(t, "listening", 8400, 0);
	assert_non_null(e);
	assert_str(ev_str(e, "family"), "inet6");
	assert_int_equal(ev_bool(e, "v6only"), 0);
	assert_str(ev_str(e, "v6only_source"), "default");
	assert_int_equal(ev_int(e, "pid"), getpid());
	assert_str(ev_str(e, "comm"), comm);
	assert_int_equal(ev_int(e, "netns"), ns);
	assert_str(ev_str(e, "backend"), "sock_diag");
	assert_true(ev_int(e, "inode") > 0);
	e = ev_find(t, "listening", 8401, 0);
	assert_int_equal(ev_bool(e, "v6only"), 1);
	/* the sysctl is 0 here, so only setsockopt can have set it */
	assert_str(ev_str(e, "v6only_source"), "setsockopt");
	e = ev_find(t, "listening", 8402, 0);
	assert_str(ev_str(e, "proto"), "udp");
	assert_non_null(strstr(ev_str(e, "note"), "dual-stack udp6"));
	e = ev_find(t, "listening", 8403, 0);
	assert_str(ev_str(e, "family"), "inet");
	assert_str(ev_str(e, "local_addr"), "127.0.0.1");
	close(dual), close(v6), close(udp), close(v4);
}

/* A snapshot socket's cgroup is its owner's, the same id the kernel-side events carry. */
static void test_snapshot_cgroup(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int64_t cgroup;
	int fd;

	start_traced(t, ns, (const char *[]){ "--no-snapshot", NULL });
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8404, -1);
	assert_true(fd >= 0);
	stop_traced(t);
	cgroup = ev_int(ev_find(t, "bind", 8404, 0), "cgroup");
	assert_true(cgroup > 0);
	start_traced(t, ns, NULL);
	stop_traced(t);
	assert_int_equal(ev_int(ev_find(t, "listening", 8404, 0), "cgroup"), cgroup);
	close(fd);
}

/*
 * A cgroup v2 directory of our own (a test's k-th, named after it so that one a failed test
 * left behind is not another's), for a child to be moved into; returns its id.
 */
static uint64_t make_cgroup(char *dir, size_t size, const char *test, int k)
{
	char root[1024];
	struct stat st;

	assert_int_equal(v6t_cgroup2_mount(root, sizeof(root)), 0);
	snprintf(dir, size, "%s/v6trace-%s-%d-%d", root, test, getpid(), k);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(stat(dir, &st), 0);
	return st.st_ino;
}

static void move_to_cgroup(const char *dir, pid_t pid)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;
	char pidbuf[32];

	assert_true(dfd >= 0);
	fd = openat(dfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	close(dfd);
	assert_true(fd >= 0);
	snprintf(pidbuf, sizeof(pidbuf), "%d", pid);
	assert_int_equal(write(fd, pidbuf, strlen(pidbuf)), (ssize_t)strlen(pidbuf));
	close(fd);
}

/*
 * Many sockets, made in turn so that their inode numbers interleave, then shared out among
 * three processes, each with its own name and cgroup: socket i is held by owner i % 3, and
 * one more by owners 0 and 2 both. Every socket must name its holder, its holder's name and
 * its holder's cgroup; the shared one, one of its holders, once.
 */
static void test_snapshot_owners_interleaved(void **state)
{
	enum { OWNERS = 3, N = 600, BASE = 10000, SHARED = BASE + N };
	static int fds[N + 1];
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new(), cgroup[OWNERS];
	char dir[OWNERS][1200], name[OWNERS][16], c;
	int go[2], ready[2];
	pid_t owner[OWNERS];

	for (int i = 0; i <= N; i++) {
		uint16_t port = BASE + i;

		/* every kind the snapshot dumps: TCP and UDP, IPv6 (dual-stack or not) and IPv4 */
		if (i % 4 == 0)
			fds[i] = tcp_listen(AF_INET6, "::", port, i % 8 == 0);
		else if (i % 4 == 1)
			fds[i] = sock_bind(AF_INET6, SOCK_DGRAM, "::", port, -1);
		else if (i % 4 == 2)
			fds[i] = tcp_listen(AF_INET, "127.0.0.1", port, -1);
		else
			fds[i] = sock_bind(AF_INET, SOCK_DGRAM, "127.0.0.1", port, -1);
		assert_true(fds[i] >= 0);
	}
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	for (int k = 0; k < OWNERS; k++) {
		snprintf(name[k], sizeof(name[k]), "v6t-owner-%d", k);
		cgroup[k] = make_cgroup(dir[k], sizeof(dir[k]), "owners", k);
		owner[k] = fork();
		assert_true(owner[k] >= 0);
		if (owner[k] == 0) {
			/* so that it ends with the test process, even after a failed assertion */
			close(go[1]);
			for (int i = 0; i < N; i++)
				if (i % OWNERS != k)
					close(fds[i]);
			if (k == 1)
				close(fds[N]);
			prctl(PR_SET_NAME, name[k]);
			if (write(ready[1], "y", 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
		move_to_cgroup(dir[k], owner[k]);
		assert_int_equal(read(ready[0], &c, 1), 1);
	}
	for (int i = 0; i <= N; i++)
		close(fds[i]);

	start_traced(t, ns, NULL);
	stop_traced(t);
	assert_int_equal(write(go[1], "ggg", OWNERS), OWNERS);
	for (int k = 0; k < OWNERS; k++) {
		assert_int_equal(waitpid(owner[k], NULL, 0), owner[k]);
		assert_int_equal(rmdir(dir[k]), 0);
	}
	close(go[0]), close(go[1]), close(ready[0]), close(ready[1]);

	assert_int_equal(t->n_events, N + 1);
	for (int i = 0; i < N; i++) {
		json_object *e = ev_find(t, "listening", BASE + i, 0);
		int k = i % OWNERS;

		assert_non_null(e);
		assert_int_equal(ev_count(t, "listening", BASE + i), 1);
		assert_int_equal(ev_int(e, "pid"), owner[k]);
		assert_str(ev_str(e, "comm"), name[k]);
		assert_int_equal(ev_int(e, "cgroup"), cgroup[k]);
	}
	{
		json_object *e = ev_find(t, "listening", SHARED, 0);
		int k;

		assert_non_null(e);
		k = ev_int(e, "pid") == owner[0] ? 0 : 2;
		assert_int_equal(ev_count(t, "listening", SHARED), 1);
		assert_int_equal(ev_int(e, "pid"), owner[k]);
		assert_str(ev_str(e, "comm"), name[k]);
		assert_int_equal(ev_int(e, "cgroup"), cgroup[k]);
	}
}

/* A child that holds a V6ONLY listener on [::]:port in our namespace until released. */
struct holder {
	pid_t pid;
	int go[2], ready[2];
};

static void holder_start(struct holder *h, uint16_t port)
{
	char c;

	assert_int_equal(pipe(h->go), 0);
	assert_int_equal(pipe(h->ready), 0);
	h->pid = fork();
	if (h->pid == 0) {
		int fd = tcp_listen(AF_INET6, "::", port, 1);

		/* so that it ends with the test process, even after a failed assertion */
		close(h->go[1]);

		if (write(h->ready[1], fd >= 0 ? "y" : "n", 1) != 1 || read(h->go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(read(h->ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
}

static void holder_stop(struct holder *h)
{
	assert_int_equal(write(h->go[1], "g", 1), 1);
	waitpid(h->pid, NULL, 0);
	close(h->go[0]), close(h->go[1]), close(h->ready[0]), close(h->ready[1]);
}

/* --all-netns finds a listener in another namespace and labels it with that namespace. */
static void test_listeners_all_netns(void **state)
{
	const char *argv[] = { tracer_binary(), "-l", "--all-netns", "-j", "-P", "8410", NULL };
	struct holder holder;
	uint64_t ns_a, ns_b;
	int status;

	(void)state;
	ns_a = netns_enter_new();
	/* keeps namespace A alive, with its listener, while we look from B */
	holder_start(&holder, 8410);
	ns_b = netns_enter_new();
	assert_true(ns_b != ns_a);

	status = run_capture(argv, out, sizeof(out), err, sizeof(err));
	holder_stop(&holder);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(err, "");
	{
		json_object *e = json_tokener_parse(out);

		assert_non_null(e);
		assert_str(ev_str(e, "event"), "listening");
		assert_int_equal(ev_int(e, "netns"), ns_a);
		assert_int_equal(ev_int(e, "pid"), holder.pid);
		assert_int_equal(ev_bool(e, "v6only"), 1);
		json_object_put(e);
	}
	/* exactly one such socket on the whole machine */
	assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));
}

/*
 * A /run/netns of our own (a tmpfs in a private mount namespace): the namespaces named here
 * are seen by the v6trace we start and by nothing else on the machine.
 */
static void private_run_netns(void)
{
	assert_int_equal(unshare(CLONE_NEWNS), 0);
	assert_int_equal(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	assert_true(mkdir("/run/netns", 0755) == 0 || errno == EEXIST);
	assert_int_equal(mount("v6t-netns", "/run/netns", "tmpfs", 0, "mode=0755"), 0);
}

/*
 * A new network namespace named /run/netns/name, as ip netns add makes one, with a TCP
 * listener on port (0: none); we stay in ours. Returns the listener, or -1.
 */
static int add_named_netns(const char *name, uint16_t port)
{
	int orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd = -1;
	char path[128];

	assert_true(orig >= 0);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	assert_int_equal(mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL), 0);
	fd = port ? tcp_listen(AF_INET6, "::", port, -1) : -1;
	assert_int_equal(setns(orig, CLONE_NEWNET), 0);
	close(orig);
	assert_true(!port || fd >= 0);
	return fd;
}

/* Runs argv as nobody (setresuid from root drops every capability) into out and err. */
static int run_as_nobody(const char *const *argv)
{
	char out_path[] = "/tmp/v6t-nobody-out-XXXXXX", err_path[] = "/tmp/v6t-nobody-err-XXXXXX";
	int ofd = mkstemp(out_path), efd = mkstemp(err_path), status = -1;
	ssize_t n;
	pid_t pid;

	assert_true(ofd >= 0 && efd >= 0);
	pid = fork();
	if (pid == 0) {
		if (dup2(ofd, STDOUT_FILENO) < 0 || dup2(efd, STDERR_FILENO) < 0 || setgroups(0, NULL) ||
		    setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	n = pread(ofd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	n = pread(efd, err, sizeof(err) - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	unlink(out_path), unlink(err_path);
	close(ofd), close(efd);
	return status;
}

/*
 * -l --all-netns by a user who cannot enter every namespace (nobody, and one made by root as
 * ip netns add does): that namespace is named on stderr, the others are listed, and the exit
 * status says the list is incomplete.
 */
static void test_listeners_all_netns_unenterable(void **state)
{
	const char *argv[] = { tracer_binary(), "-l", "--all-netns", "-j", "-P", "8470", NULL };
	uint64_t ns;
	int lfd, status;
	json_object *e;

	(void)state;
	private_run_netns();
	ns = netns_enter_new();
	add_named_netns("v6t-root-only", 0);
	lfd = tcp_listen(AF_INET6, "::", 8470, -1);
	assert_true(lfd >= 0);

	status = run_as_nobody(argv);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_non_null(strstr(err, "v6trace: cannot enter network namespace /run/netns/v6t-root-only: "
				    "Operation not permitted\n"));
	/* it never left its own namespace, so it has no way back to find */
	assert_null(strstr(err, "cannot return"));
	/* our own namespace, which nobody shares, is listed all the same: one line */
	e = json_tokener_parse(out);
	assert_non_null(e);
	assert_str(ev_str(e, "event"), "listening");
	assert_int_equal(ev_int(e, "netns"), ns);
	assert_int_equal(ev_int(e, "local_port"), 8470);
	/* its holder is root, whose fds nobody cannot read: the owner is unknown, not guessed */
	assert_int_equal(ev_int(e, "pid"), 0);
	assert_str(ev_str(e, "comm"), "");
	assert_int_equal(ev_int(e, "cgroup"), 0);
	json_object_put(e);
	assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));
	close(lfd);
	assert_int_equal(umount2("/run/netns", MNT_DETACH), 0);
}

/* More namespaces than the snapshot's tables once held (1,024): every one listed, once. */
static void test_listeners_many_netns(void **state)
{
	enum { N = 1100 };
	const char *argv[] = { tracer_binary(), "-l", "--all-netns", "-j", "-P", "8471", NULL };
	static int fds[N];
	static int64_t seen[N];
	struct rlimit old, more;
	char name[32], *line, *save = NULL;
	int n = 0;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	/* a listener per namespace; the hard limit is only raised, so the old one comes back */
	more.rlim_cur = old.rlim_cur > N + 256 ? old.rlim_cur : N + 256;
	more.rlim_max = old.rlim_max > more.rlim_cur ? old.rlim_max : more.rlim_cur;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &more), 0);
	private_run_netns();
	netns_enter_new();
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "v6t-many-%d", i);
		fds[i] = add_named_netns(name, 8471);
	}
	assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(err, "");
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *e = json_tokener_parse(line);

		assert_non_null(e);
		assert_true(n < N);
		seen[n] = ev_int(e, "netns");
		for (int j = 0; j < n; j++)
			assert_true(seen[j] != seen[n]);
		n++;
		json_object_put(e);
	}
	assert_int_equal(n, N);
	for (int i = 0; i < N; i++)
		close(fds[i]);
	assert_int_equal(umount2("/run/netns", MNT_DETACH), 0);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
}

/*
 * --all-netns run by a process alone in its namespace, after one with a lower pid: that
 * namespace is listed as /proc/<ours>/ns/net, which names another one once we have
 * entered it. Both must be dumped, once each (pids wrap in CI, so this happened there).
 */
static void test_listeners_all_netns_alone(void **state)
{
	char nsarg[64];
	const char *argv[] = { "/usr/bin/nsenter", nsarg, tracer_binary(), "-l", "--all-netns",
			       "-j", "-P", "8412", NULL };
	int status, orig, ns_b_fd, lfd;
	struct holder holder;
	uint64_t ns_a, ns_b;

	(void)state;
	orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(orig >= 0);
	ns_a = netns_enter_new();
	holder_start(&holder, 8412);
	/* namespace B: our listener, then we leave, so only the tracer runs in B */
	ns_b = netns_enter_new();
	ns_b_fd = open("/proc/self/ns/net", O_RDONLY);
	assert_true(ns_b_fd >= 0);
	lfd = tcp_listen(AF_INET6, "::", 8412, 1);
	assert_true(lfd >= 0);
	assert_int_equal(setns(orig, CLONE_NEWNET), 0);
	/* util-linux's, or busybox's in the VM: both take -nFILE */
	if (access(argv[0], X_OK))
		argv[0] = "/bin/nsenter";
	snprintf(nsarg, sizeof(nsarg), "-n/proc/self/fd/%d", ns_b_fd);

	status = run_capture(argv, out, sizeof(out), err, sizeof(err));
	holder_stop(&holder);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(err, "");
	{
		char *nl = strchr(out, '\n');
		json_object *a, *b;

		/* exactly two lines: each namespace dumped once */
		assert_non_null(nl);
		assert_non_null(strchr(nl + 1, '\n'));
		assert_int_equal(strchr(nl + 1, '\n') - out + 1, (long)strlen(out));
		*nl = '\0';
		a = json_tokener_parse(out);
		b = json_tokener_parse(nl + 1);
		assert_non_null(a);
		assert_non_null(b);
		/* one line per namespace, in either order */
		if ((uint64_t)ev_int(a, "netns") == ns_b) {
			json_object *t = a;

			a = b, b = t;
		}
		assert_int_equal(ev_int(a, "netns"), ns_a);
		assert_int_equal(ev_int(a, "pid"), holder.pid);
		assert_int_equal(ev_int(b, "netns"), ns_b);
		assert_int_equal(ev_int(b, "pid"), getpid());
		json_object_put(a);
		json_object_put(b);
	}
	close(lfd), close(ns_b_fd), close(orig);
}

/*
 * Starts a tracer recording to a new file in dir with these filters, stops it, and replays
 * the recording to out.
 */
static void record_snapshot(struct tracer *t, uint64_t ns, const char *dir, const char *const *filters)
{
	static int made;
	char path[64];
	const char *args[16] = { "-w", path };
	const char *replay[] = { tracer_binary(), "-r", path, "-j", NULL };
	int n = 2;

	snprintf(path, sizeof(path), "%s/%d.v6t", dir, made++);
	for (int i = 0; filters[i]; i++)
		args[n++] = filters[i];
	args[n] = NULL;
	start_traced(t, ns, args);
	stop_traced(t);
	assert_int_equal(run_capture(replay, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(err, "");
	/* the recording holds what the filters select: what was shown live, no more */
	assert_string_equal(out, tracer_stdout(t));
	unlink(path);
}

/*
 * The start-up snapshot never went through the kernel's filters: its sockets must go through
 * the same filters as the display before they are recorded. Our namespace A has our listener
 * (8460) and a child's (8461); namespace B, another child's (8462).
 */
static void test_recorded_snapshot_filtered(void **state)
{
	struct tracer *t = *state;
	uint64_t ns_a = netns_enter_new(), ns_b;
	int ns_a_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int own = tcp_listen(AF_INET6, "::", 8460, -1);
	char dir[] = "/tmp/v6t-snap-XXXXXX", pid_arg[16], later[32], earlier[32];
	struct holder in_a, in_b;

	assert_true(ns_a_fd >= 0 && own >= 0);
	assert_non_null(mkdtemp(dir));
	holder_start(&in_a, 8461);
	ns_b = netns_enter_new();
	holder_start(&in_b, 8462);
	assert_int_equal(setns(ns_a_fd, CLONE_NEWNET), 0);
	snprintf(pid_arg, sizeof(pid_arg), "%d", in_a.pid);
	snprintf(later, sizeof(later), "@%lld", (long long)time(NULL) + 3600);
	snprintf(earlier, sizeof(earlier), "@%lld", (long long)time(NULL) - 3600);

	/* without filters, both of A's listeners: the test can see what the filters remove */
	record_snapshot(t, ns_a, dir, (const char *[]){ NULL });
	assert_int_equal(ev_count(t, "listening", 8460) + ev_count(t, "listening", 8461), 2);
	/* another namespace's recording has none of A's sockets, but that namespace's own */
	record_snapshot(t, ns_b, dir, (const char *[]){ NULL });
	assert_int_equal(ev_count(t, "listening", 8460) + ev_count(t, "listening", 8461), 0);
	assert_int_equal(ev_int(ev_find(t, "listening", 8462, 0), "netns"), ns_b);
	assert_int_equal(t->n_events, 1);
	record_snapshot(t, ns_a, dir, (const char *[]){ "-P", "8461", NULL });
	assert_int_equal(ev_count(t, "listening", 8461), 1);
	assert_int_equal(t->n_events, 1);
	record_snapshot(t, ns_a, dir, (const char *[]){ "-p", pid_arg, NULL });
	assert_int_equal(ev_count(t, "listening", 8461), 1);
	assert_int_equal(t->n_events, 1);
	record_snapshot(t, ns_a, dir, (const char *[]){ "--since", later, NULL });
	assert_int_equal(t->n_events, 0);
	record_snapshot(t, ns_a, dir, (const char *[]){ "--until", earlier, NULL });
	assert_int_equal(t->n_events, 0);
	record_snapshot(t, ns_a, dir, (const char *[]){ "--event", "bind", NULL });
	assert_int_equal(t->n_events, 0);
	holder_stop(&in_a);
	holder_stop(&in_b);
	rmdir(dir);
	close(own), close(ns_a_fd);
}

/*
 * A connection to a listener that existed before tracing began names the process that owns
 * it: with fentry and kprobe that is who accepts; with tracepoint, who holds the listener,
 * found at start-up (the handshake completes in softirq, where no process is at hand).
 */
static void test_accept_on_older_listener(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	int go[2], ready[2], status, cfd;
	json_object *e;
	pid_t holder;
	char c;

	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	holder = fork();
	if (holder == 0) {
		int fd = tcp_listen(AF_INET6, "::", 8430, -1);

		if (write(ready[1], fd >= 0 ? "y" : "n", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(accept_one(fd) >= 0 ? 0 : 1);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	start_traced(t, ns, (const char *[]){ "--no-snapshot", NULL });
	cfd = tcp_connect(AF_INET, "127.0.0.1", 8430);
	assert_true(cfd >= 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(waitpid(holder, &status, 0), holder);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stop_traced(t);

	assert_int_equal(ev_count(t, "accept", 8430), 1);
	e = ev_find(t, "accept", 8430, 0);
	assert_int_equal(ev_int(e, "pid"), holder);
	assert_int_equal(ev_int(e, "uid"), getuid());
	assert_int_equal(ev_int(e, "netns"), ns);
	assert_str(ev_str(e, "peer_addr"), "::ffff:127.0.0.1");
	assert_int_equal(ev_bool(e, "mapped"), 1);
	assert_int_equal(ev_bool(e, "v6only"), 0);
	assert_str(ev_str(e, "listener_addr"), "::");
	assert_str(ev_str(e, "backend"), expected_backend());
	close(cfd);
	close(go[0]), close(go[1]), close(ready[0]), close(ready[1]);
}

/*
 * The same with v6trace tracing every namespace from another one: the seed must find the
 * listener in the namespace that holds it, not only in its own.
 */
static void test_accept_on_older_listener_elsewhere(void **state)
{
	struct tracer *t = *state;
	int go[2], ready[2], status;
	uint64_t holder_ns;
	json_object *e;
	pid_t holder;
	char c;

	netns_enter_new();
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	holder = fork();
	if (holder == 0) {
		uint64_t ns = netns_enter_new();
		int fd = tcp_listen(AF_INET6, "::", 8431, -1), cfd;

		if (fd < 0 || write(ready[1], &ns, sizeof(ns)) != sizeof(ns) ||
		    read(go[0], &c, 1) != 1)
			_exit(1);
		cfd = tcp_connect(AF_INET, "127.0.0.1", 8431);
		_exit(cfd >= 0 && accept_one(fd) >= 0 ? 0 : 1);
	}
	assert_int_equal(read(ready[0], &holder_ns, sizeof(holder_ns)), sizeof(holder_ns));
	assert_int_not_equal(holder_ns, netns_current());
	assert_int_equal(tracer_start(t, (const char *[]){ "--no-snapshot", NULL }), 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(waitpid(holder, &status, 0), holder);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stop_traced(t);

	e = ev_find(t, "accept", 8431, 0);
	assert_non_null(e);
	assert_int_equal(ev_int(e, "netns"), holder_ns);
	assert_int_equal(ev_int(e, "pid"), holder);
	assert_str(ev_str(e, "peer_addr"), "::ffff:127.0.0.1");
	assert_str(ev_str(e, "listener_addr"), "::");
	close(go[0]), close(go[1]), close(ready[0]), close(ready[1]);
}

/* An AF_INET6 socket connecting to ::ffff:127.0.0.1: a mapped connect (Java's tcp6 case). */
static void test_connect_mapped(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	struct sockaddr_in6 local;
	socklen_t len = sizeof(local);
	int lfd, cfd, afd, cfd6;
	json_object *e;

	lfd = tcp_listen(AF_INET, "127.0.0.1", 8420, -1);
	assert_true(lfd >= 0);
	start_traced(t, ns, (const char *[]){ "--no-snapshot", NULL });
	cfd = tcp_connect(AF_INET6, "::ffff:127.0.0.1", 8420);
	assert_true(cfd >= 0);
	afd = accept_one(lfd);
	assert_int_equal(tcp_connect(AF_INET6, "::1", 8499), -ECONNREFUSED);
	cfd6 = -1;
	stop_traced(t);

	assert_int_equal(getsockname(cfd, (struct sockaddr *)&local, &len), 0);
	assert_int_equal(ev_count(t, "connect", 0), 2);
	e = ev_find(t, "connect", 0, 0);
	assert_str(ev_str(e, "family"), "inet6");
	assert_str(ev_str(e, "peer_addr"), "::ffff:127.0.0.1");
	assert_int_equal(ev_int(e, "peer_port"), 8420);
	assert_int_equal(ev_int(e, "local_port"), ntohs(local.sin6_port));
	assert_str(ev_str(e, "local_addr"), "::ffff:127.0.0.1");
	assert_int_equal(ev_bool(e, "mapped"), 1);
	assert_str(ev_str(e, "ipv4"), "127.0.0.1");
	assert_true(ev_is_null(e, "error"));
	assert_int_equal(ev_int(e, "pid"), getpid());
	assert_non_null(strstr(ev_str(e, "note"), "netstat lists this IPv4 connection as tcp6"));
	e = ev_find(t, "connect", 0, 1);
	assert_str(ev_str(e, "peer_addr"), "::1");
	assert_str(ev_str(e, "error"), "ECONNREFUSED");
	assert_int_equal(ev_bool(e, "mapped"), 0);
	/* the accept on the AF_INET listener is plain IPv4 */
	assert_int_equal(ev_bool(ev_find(t, "accept", 8420, 0), "mapped"), 0);
	close(afd), close(cfd), close(lfd);
	(void)cfd6;
}

/* A udp6 socket receiving from 127.0.0.1: one udp-mapped event, not one per datagram. */
static void test_udp_mapped_once(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	struct sockaddr_in6 from;
	socklen_t len;
	char buf[16];
	int u6, u4, n6;
	json_object *e;

	u6 = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8430, -1);
	u4 = socket(AF_INET, SOCK_DGRAM, 0);
	n6 = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_true(u6 >= 0 && u4 >= 0 && n6 >= 0);
	start_traced(t, ns, (const char *[]){ "--no-snapshot", NULL });
	{
		struct sockaddr_in to4 = { .sin_family = AF_INET, .sin_port = htons(8430),
					   .sin_addr = { htonl(INADDR_LOOPBACK) } };
		struct sockaddr_in6 to6 = { .sin6_family = AF_INET6, .sin6_port = htons(8430),
					    .sin6_addr = IN6ADDR_LOOPBACK_INIT };

		/* a native IPv6 datagram first: not reported, and it does not use up the one report */
		assert_int_equal(sendto(n6, "6", 1, 0, (struct sockaddr *)&to6, sizeof(to6)), 1);
		len = sizeof(from);
		assert_int_equal(recvfrom(u6, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), 1);
		for (int i = 0; i < 5; i++) {
			assert_int_equal(sendto(u4, "4", 1, 0, (struct sockaddr *)&to4, sizeof(to4)), 1);
			len = sizeof(from);
			assert_int_equal(recvfrom(u6, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), 1);
		}
	}
	stop_traced(t);

	assert_int_equal(ev_count(t, "udp-mapped", 0), 1);
	e = ev_find(t, "udp-mapped", 8430, 0);
	assert_non_null(e);
	assert_str(ev_str(e, "peer_addr"), "::ffff:127.0.0.1");
	assert_int_equal(ev_int(e, "peer_port"), ntohs(from.sin6_port));
	assert_str(ev_str(e, "ipv4"), "127.0.0.1");
	assert_int_equal(ev_bool(e, "mapped"), 1);
	assert_int_equal(ev_int(e, "pid"), getpid());
	close(u6), close(u4), close(n6);
}

/* -N takes a namespace file as well as an inode: /proc/PID/ns/net */
static void test_netns_by_path(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", getpid());
	assert_int_equal(tracer_start(t, (const char *[]){ "-N", path, "--no-snapshot", NULL }), 0);
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8440, -1);
	stop_traced(t);
	assert_int_equal(ev_count(t, "bind", 8440), 1);
	assert_int_equal(ev_int(ev_find(t, "bind", 8440, 0), "netns"), ns);
	close(fd);
}

/* --cgroup passes only tasks in that cgroup v2 directory, filtered in the kernel. */
static void test_cgroup_filter(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new(), cgroup;
	char dir[1200];
	int go[2], fd, status;
	pid_t child;
	char c;

	cgroup = make_cgroup(dir, sizeof(dir), "filter", 0);
	assert_int_equal(pipe(go), 0);
	child = fork();
	if (child == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(sock_bind(AF_INET6, SOCK_DGRAM, "::", 8451, -1) >= 0 ? 0 : 1);
	}
	move_to_cgroup(dir, child);

	start_traced(t, ns, (const char *[]){ "--cgroup", dir, "--no-snapshot", NULL });
	fd = sock_bind(AF_INET6, SOCK_DGRAM, "::", 8450, -1);	/* not in the cgroup */
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stop_traced(t);
	rmdir(dir);

	assert_int_equal(ev_count(t, "bind", 8450), 0);
	assert_int_equal(ev_count(t, "bind", 8451), 1);
	assert_int_equal(ev_int(ev_find(t, "bind", 8451, 0), "cgroup"), cgroup);
	assert_int_equal(t->n_events, 1);
	close(fd), close(go[0]), close(go[1]);
}

int run_existing_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_snapshot_at_start, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_cgroup, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_owners_interleaved, itest_setup,
						itest_teardown),
		cmocka_unit_test_setup_teardown(test_recorded_snapshot_filtered, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_accept_on_older_listener, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_accept_on_older_listener_elsewhere, itest_setup,
						itest_teardown),
		cmocka_unit_test_setup_teardown(test_connect_mapped, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_udp_mapped_once, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_netns_by_path, itest_setup, itest_teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_filter, itest_setup, itest_teardown),
	};

	return cmocka_run_group_tests_name("existing", tests, NULL, NULL);
}

/*
 * -l loads no BPF program: the same under every backend, so the VM runs this group once per
 * guest, not once per backend.
 */
int run_listing_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listeners_all_netns),
		cmocka_unit_test(test_listeners_all_netns_alone),
		cmocka_unit_test(test_listeners_all_netns_unenterable),
		cmocka_unit_test(test_listeners_many_netns),
	};

	return cmocka_run_group_tests_name("listing", tests, NULL, NULL);
}

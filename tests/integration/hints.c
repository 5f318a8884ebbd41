// SPDX-License-Identifier: GPL-2.0
/*
 * The hints (src/core/hints.c), each tried on the real program Debian ships: the program
 * runs in the foreground in the test's own network namespace, with its configuration, pid
 * file and log in a temporary directory; v6trace -l says what its listeners are and which
 * hint it gives; the test applies the hint and v6trace -l must see the other behaviour.
 * Readiness is v6trace -l itself finding the listeners, polled on the program's pidfd so an
 * early exit ends the wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

#define PORT 8099
#define PORT_STR "8099"
#define READY_MS 60000		/* java compiles its source first */
#define MAX_SEEN 8

/* One listener on PORT as v6trace -l -j showed it. */
struct seen {
	char family[8];
	char addr[48];
	int v6only;
	char source[16];
	char hint[1024];
};

struct listeners {
	struct seen l[MAX_SEEN];
	int n;
};

/* The program under test and its temporary directory. */
struct prog {
	pid_t pid;
	uint64_t ns;
	char dir[64];
	char path[128];		/* scratch: a file in dir */
	void *tracer;		/* a test that traces too: its struct tracer (itest_setup) */
};

static const char *in_dir(struct prog *p, const char *name)
{
	snprintf(p->path, sizeof(p->path), "%s/%s", p->dir, name);
	return p->path;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* v6trace -l -j in this namespace: the TCP listeners on PORT. */
static void list_listeners(struct prog *p, struct listeners *out)
{
	static char text[1 << 16], err[4096];
	char ns[24], *line, *save = NULL;
	const char *argv[] = { tracer_binary(), "-l", "-j", "-N", ns, NULL };

	snprintf(ns, sizeof(ns), "%llu", (unsigned long long)p->ns);
	out->n = 0;
	if (run_capture(argv, text, sizeof(text), err, sizeof(err)))
		fail_msg("v6trace -l failed: %s", err);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *e = json_tokener_parse(line);
		struct seen *s = &out->l[out->n];

		assert_non_null(e);
		if (ev_int(e, "local_port") == PORT && !strcmp(ev_str(e, "proto"), "tcp") &&
		    out->n < MAX_SEEN) {
			copy_str(s->family, sizeof(s->family), ev_str(e, "family"));
			copy_str(s->addr, sizeof(s->addr), ev_str(e, "local_addr"));
			copy_str(s->source, sizeof(s->source), ev_str(e, "v6only_source"));
			copy_str(s->hint, sizeof(s->hint), ev_str(e, "hint"));
			s->v6only = ev_bool(e, "v6only");
			out->n++;
		}
		json_object_put(e);
	}
}

/* Until v6trace -l lists n listeners on PORT (bounded; ends early if the program exits). */
static void await_listeners(struct prog *p, int n, struct listeners *out)
{
	int pidfd = syscall(SYS_pidfd_open, p->pid, 0);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	assert_true(pidfd >= 0);
	for (int waited = 0;; waited += 50) {
		list_listeners(p, out);
		if (out->n >= n)
			break;
		if (poll(&pfd, 1, 50) != 0 || waited > READY_MS) {
			close(pidfd);
			fail_msg("%d of %d listeners on port %d; the program's log is in %s", out->n,
				 n, PORT, p->dir);
		}
	}
	close(pidfd);
	assert_int_equal(out->n, n);
}

/* Starts argv (absolute path) with stdin from /dev/null and its output in dir/log. */
static void prog_start(struct prog *p, const char *const *argv)
{
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int log = open(in_dir(p, "log"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (access(argv[0], X_OK))
		fail_msg("%s is missing: make deps installs it (HINT_TEST_PKGS)", argv[0]);
	assert_true(in >= 0 && log >= 0);
	p->pid = spawn_fds(argv, in, log, log);
	close(in);
	close(log);
	assert_true(p->pid > 0);
}

static void prog_stop(struct prog *p)
{
	int status;

	if (p->pid <= 0)
		return;
	kill(p->pid, SIGTERM);
	wait_exit(p->pid, 10000, &status);
	p->pid = -1;
}

/* Runs argv until it shows n listeners on PORT, then stops it. */
static void run_until_listening(struct prog *p, const char *const *argv, int n,
				struct listeners *out)
{
	prog_start(p, argv);
	await_listeners(p, n, out);
	prog_stop(p);
}

static int hints_setup(void **state)
{
	struct prog *p = calloc(1, sizeof(*p));

	if (!p)
		return -1;
	p->pid = -1;
	strcpy(p->dir, "/tmp/v6t-hints-XXXXXX");
	if (!mkdtemp(p->dir))
		return -1;
	*state = p;
	return 0;
}

static int hints_teardown(void **state)
{
	struct prog *p = *state;
	char cmd[96];

	prog_stop(p);
	if (p->tracer)
		itest_teardown(&p->tracer);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p->dir);
	if (system(cmd))
		fprintf(stderr, "hints: could not remove %s\n", p->dir);
	free(p);
	return 0;
}

static void enter_netns(struct prog *p)
{
	p->ns = netns_enter_new();
	assert_true(p->ns != 0);
}

/* The one listener is of this family and V6ONLY, and its hint names what it should. */
static void assert_one(const struct listeners *l, const char *family, int v6only, const char *hint)
{
	assert_int_equal(l->n, 1);
	assert_str(l->l[0].family, family);
	if (!strcmp(family, "inet6"))
		assert_int_equal(l->l[0].v6only, v6only);
	if (!strstr(l->l[0].hint, hint))
		fail_msg("hint \"%s\" lacks \"%s\"", l->l[0].hint, hint);
}

/* the listener of this family among several */
static const struct seen *of_family(const struct listeners *l, const char *family)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->l[i].family, family))
			return &l->l[i];
	fail_msg("no %s listener on port %d", family, PORT);
	return NULL;
}

static void nginx_config(struct prog *p, const char *listen)
{
	char conf[1024];

	snprintf(conf, sizeof(conf),
		 "daemon off; master_process off; pid %s/nginx.pid; error_log %s/error.log;\n"
		 "events {}\nhttp { access_log off; client_body_temp_path %s;\n"
		 "proxy_temp_path %s; fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;\n"
		 "server { %s } }\n", p->dir, p->dir, p->dir, p->dir, p->dir, p->dir, p->dir, listen);
	write_file(in_dir(p, "nginx.conf"), conf);
}

/* Debian's nginx: [::] is IPv6 only by default; the hint's ipv6only=off and listen PORT; */
static void test_nginx(void **state)
{
	struct prog *p = *state;
	char conf[128];
	const char *argv[] = { "/usr/sbin/nginx", "-p", p->dir, "-c", conf, NULL };
	struct listeners l;

	enter_netns(p);
	snprintf(conf, sizeof(conf), "%s/nginx.conf", p->dir);
	nginx_config(p, "listen [::]:" PORT_STR ";");
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet6", 1, "if this is nginx: add listen PORT; for IPv4");
	assert_str(l.l[0].source, "setsockopt");

	nginx_config(p, "listen [::]:" PORT_STR " ipv6only=off;");
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet6", 0, "listen [::]:PORT; is IPv6 only");

	nginx_config(p, "listen [::]:" PORT_STR "; listen " PORT_STR ";");
	run_until_listening(p, argv, 2, &l);
	assert_int_equal(of_family(&l, "inet6")->v6only, 1);
	assert_str(of_family(&l, "inet")->addr, "0.0.0.0");
}

/*
 * refused, with the real server: Debian's nginx makes [::] IPv6 only, so an IPv4 client is
 * refused, and v6trace says so (and which listener it missed).
 */
static void test_nginx_refused(void **state)
{
	struct prog *p = *state;
	char conf[128];
	const char *argv[] = { "/usr/sbin/nginx", "-p", p->dir, "-c", conf, NULL };
	struct listeners l;
	struct tracer *t;
	json_object *e;

	enter_netns(p);
	assert_int_equal(itest_setup(&p->tracer), 0);
	t = p->tracer;
	start_traced(t, p->ns, NULL);
	snprintf(conf, sizeof(conf), "%s/nginx.conf", p->dir);
	nginx_config(p, "listen [::]:" PORT_STR ";");
	prog_start(p, argv);
	await_listeners(p, 1, &l);
	assert_int_equal(tcp_connect(AF_INET, "127.0.0.1", PORT), -ECONNREFUSED);
	/* its listeners are looked up as it arrives: nginx must still be there */
	assert_int_equal(tracer_wait_output(t, "\"event\":\"refused\"", 30000), 0);
	prog_stop(p);
	stop_traced(t);

	assert_int_equal(ev_count(t, "refused", PORT), 1);
	e = ev_find(t, "refused", PORT, 0);
	assert_str(ev_str(e, "family"), "inet");
	assert_str(ev_str(e, "local_addr"), "127.0.0.1");
	assert_str(ev_str(e, "error"), "ECONNREFUSED");
	assert_int_equal(ev_int(e, "netns"), (int64_t)p->ns);
	/* nginx set V6ONLY itself: the note names it, and where V6ONLY came from */
	if (!strstr(ev_str(e, "note"), "refused: the only listener, [::]:" PORT_STR " (nginx[") ||
	    !strstr(ev_str(e, "note"), "]), is IPv6-only (V6ONLY=1 set by setsockopt)"))
		fail_msg("note: %s", ev_str(e, "note"));
}

static void apache_config(struct prog *p, const char *listen)
{
	char conf[1024];

	snprintf(conf, sizeof(conf),
		 "ServerRoot %s\n"
		 "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n"
		 "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\n"
		 "PidFile %s/httpd.pid\nErrorLog %s/error.log\nDefaultRuntimeDir %s\n"
		 "Mutex file:%s\nUser www-data\nGroup www-data\nServerName localhost\n"
		 "DocumentRoot %s\n%s\n", p->dir, p->dir, p->dir, p->dir, p->dir, p->dir, listen);
	write_file(in_dir(p, "httpd.conf"), conf);
}

/* Debian's apache2: [::] is dual-stack and takes in 0.0.0.0; 0.0.0.0 alone is IPv4 only */
static void test_apache(void **state)
{
	struct prog *p = *state;
	char conf[128];
	const char *argv[] = { "/usr/sbin/apache2", "-f", conf, "-DFOREGROUND", NULL };
	struct listeners l;

	enter_netns(p);
	snprintf(conf, sizeof(conf), "%s/httpd.conf", p->dir);
	apache_config(p, "Listen [::]:" PORT_STR);
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet6", 0, "if this is Apache httpd: Debian's build maps IPv4");

	/* what the hint says of Listen 0.0.0.0:PORT beside [::]:PORT */
	apache_config(p, "Listen 0.0.0.0:" PORT_STR "\nListen [::]:" PORT_STR);
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet6", 0, "folds Listen 0.0.0.0:PORT into it");

	apache_config(p, "Listen 0.0.0.0:" PORT_STR);
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet", 0, "if this is Apache httpd: Listen PORT (or [::]:PORT)");
}

static void sshd_config(struct prog *p, const char *extra)
{
	char conf[512];

	snprintf(conf, sizeof(conf), "HostKey %s/key\nPidFile %s/sshd.pid\nPort %d\n%s\n", p->dir,
		 p->dir, PORT, extra);
	write_file(in_dir(p, "sshd_config"), conf);
}

/* OpenSSH: 0.0.0.0 and an IPv6-only [::] by default; AddressFamily picks one of them */
static void test_sshd(void **state)
{
	struct prog *p = *state;
	char conf[128], key[128], out[512], err[512];
	const char *keygen[] = { "/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key,
				 NULL };
	const char *argv[] = { "/usr/sbin/sshd", "-D", "-e", "-f", conf, NULL };
	struct listeners l;

	enter_netns(p);
	snprintf(conf, sizeof(conf), "%s/sshd_config", p->dir);
	snprintf(key, sizeof(key), "%s/key", p->dir);
	assert_int_equal(run_capture(keygen, out, sizeof(out), err, sizeof(err)), 0);
	/* sshd will not start without its privilege separation directory (the package's) */
	mkdir("/run/sshd", 0755);

	sshd_config(p, "");
	run_until_listening(p, argv, 2, &l);
	assert_int_equal(of_family(&l, "inet6")->v6only, 1);
	assert_non_null(strstr(of_family(&l, "inet6")->hint, "if this is sshd: it always sets"));
	assert_non_null(strstr(of_family(&l, "inet")->hint, "AddressFamily inet keeps it IPv4"));

	sshd_config(p, "AddressFamily inet");
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet", 0, "AddressFamily any (the default)");

	sshd_config(p, "AddressFamily inet6");
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet6", 1, "if this is sshd");
}

/* One run of a program: the one listener it must show, and what its hint must say. */
struct step {
	const char *const *argv;
	const char *family;
	int v6only;
	const char *hint;
};

#define STEPS(p, ...) run_steps(p, (const struct step[]){ __VA_ARGS__, { NULL } })

/* Runs each step's program in this test's namespace, one after the other, and checks it. */
static void run_steps(struct prog *p, const struct step *steps)
{
	struct listeners l;

	enter_netns(p);
	for (const struct step *s = steps; s->argv; s++) {
		run_until_listening(p, s->argv, 1, &l);
		assert_one(&l, s->family, s->v6only, s->hint);
	}
}

#define JAVA_SERVER "public class Server { public static void main(String[] a) throws Exception {\n" \
		    "  new java.net.ServerSocket(Integer.parseInt(a[0])); Thread.sleep(600000); } }\n"

/* OpenJDK: a ServerSocket is dual-stack; -Djava.net.preferIPv4Stack=true makes it AF_INET */
static void test_java(void **state)
{
	struct prog *p = *state;
	char src[128];
	const char *plain[] = { "/usr/bin/java", src, PORT_STR, NULL };
	const char *ipv4[] = { "/usr/bin/java", "-Djava.net.preferIPv4Stack=true", src, PORT_STR,
			       NULL };

	snprintf(src, sizeof(src), "%s/Server.java", p->dir);
	write_file(src, JAVA_SERVER);
	STEPS(p, { plain, "inet6", 0, "if this is Java: it clears IPV6_V6ONLY itself" },
		 { ipv4, "inet", 0, "if this is Java: without -Djava.net.preferIPv4Stack=true" });
}

#define PY_V6ONLY "import socket, time\ns = socket.socket(socket.AF_INET6)\n" \
		  "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)\n" \
		  "s.bind(('::', " PORT_STR "))\ns.listen()\ntime.sleep(600)\n"

/* Python: http.server --bind :: is dual-stack; 0.0.0.0, or IPV6_V6ONLY 1, as the hint says */
static void test_python(void **state)
{
	const char *dual[] = { "/usr/bin/python3", "-m", "http.server", "--bind", "::", PORT_STR,
			       NULL };
	const char *ipv4[] = { "/usr/bin/python3", "-m", "http.server", "--bind", "0.0.0.0",
			       PORT_STR, NULL };
	const char *v6only[] = { "/usr/bin/python3", "-c", PY_V6ONLY, NULL };

	STEPS(*state, { dual, "inet6", 0, "if this is Python: bind 0.0.0.0 with AF_INET" },
		      { ipv4, "inet", 0, "if this is Python: bind :: with AF_INET6" },
		      { v6only, "inet6", 1, "if this is Python: socket.create_server" });
}

#define NODE_LISTEN(args) "require('net').createServer().listen(" args ")"

/* Node.js: listen(port) is dual-stack; ipv6Only: true and host 0.0.0.0 as the hint says */
static void test_node(void **state)
{
	const char *dual[] = { "/usr/bin/node", "-e", NODE_LISTEN(PORT_STR), NULL };
	const char *v6only[] = { "/usr/bin/node", "-e",
		NODE_LISTEN("{port: " PORT_STR ", host: '::', ipv6Only: true}"), NULL };
	const char *ipv4[] = { "/usr/bin/node", "-e", NODE_LISTEN(PORT_STR ", '0.0.0.0'"), NULL };

	STEPS(*state,
	      { dual, "inet6", 0, "if this is Node.js: listen({port, host: '::', ipv6Only: true})" },
	      { v6only, "inet6", 1, "if this is Node.js: listen without ipv6Only" },
	      { ipv4, "inet", 0, "if this is Node.js: listen with host '::'" });
}

/* socat: TCP6-LISTEN follows the sysctl (below); ipv6only=1 and TCP4-LISTEN as the hint says */
static void test_socat(void **state)
{
	const char *dual[] = { "/usr/bin/socat", "TCP6-LISTEN:" PORT_STR, "STDIO", NULL };
	const char *v6only[] = { "/usr/bin/socat", "TCP6-LISTEN:" PORT_STR ",ipv6only=1", "STDIO",
				 NULL };
	const char *ipv4[] = { "/usr/bin/socat", "TCP4-LISTEN:" PORT_STR, "STDIO", NULL };

	/* the sysctl's part only where the socket took V6ONLY from it */
	STEPS(*state,
	      { dual, "inet6", 0, "TCP4-LISTEN:PORT for IPv4 only; namespace-wide: net.ipv6" },
	      { v6only, "inet6", 1, "if this is socat: TCP6-LISTEN:PORT,ipv6only=0 takes IPv4 too" },
	      { ipv4, "inet", 0, "if this is socat: TCP6-LISTEN:PORT" });
}

/* The namespace's sysctl: a [::] listener that leaves V6ONLY alone follows it either way. */
static void test_sysctl(void **state)
{
	struct prog *p = *state;
	const char *argv[] = { "/usr/bin/socat", "TCP6-LISTEN:" PORT_STR, "STDIO", NULL };
	const char *sysctl = "/proc/sys/net/ipv6/bindv6only";
	struct listeners l;

	enter_netns(p);
	assert_int_equal(netns_write_sysctl(sysctl, "1"), 0);
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet6", 1, "namespace-wide: its V6ONLY comes from net.ipv6.bindv6only=1");
	assert_str(l.l[0].source, "sysctl");

	assert_int_equal(netns_write_sysctl(sysctl, "0"), 0);
	run_until_listening(p, argv, 1, &l);
	assert_one(&l, "inet6", 0, "net.ipv6.bindv6only=1 makes new [::] sockets IPv6 only");
	assert_str(l.l[0].source, "default");
}

/* systemd-analyze verify: "" if the unit parsed, else what it said (stderr). */
static void verify_socket_unit(struct prog *p, const char *bind_ipv6_only, char *err, size_t size)
{
	char unit[256], out[4096], path[128];
	const char *argv[] = { "/usr/bin/systemd-analyze", "verify", path, NULL };

	snprintf(unit, sizeof(unit), "[Socket]\nListenStream=[::]:%d\nBindIPv6Only=%s\n", PORT,
		 bind_ipv6_only);
	write_file(in_dir(p, "v6t-hint.service"), "[Service]\nExecStart=/bin/true\n");
	snprintf(path, sizeof(path), "%s", in_dir(p, "v6t-hint.socket"));
	write_file(path, unit);
	run_capture(argv, out, sizeof(out), err, size);
}

/*
 * systemd is not pid 1 here, so no socket unit can start: the test checks that systemd
 * takes the syntax the hints name, and that a listener pid 1 would hold (comm "systemd")
 * gets them.
 */
static void test_systemd_socket_unit(void **state)
{
	struct prog *p = *state;
	char err[4096];
	struct listeners l;

	verify_socket_unit(p, "bogus", err, sizeof(err));
	assert_non_null(strstr(err, "Failed to parse"));
	verify_socket_unit(p, "ipv6-only", err, sizeof(err));
	assert_null(strstr(err, "BindIPv6Only"));
	assert_null(strstr(err, "Failed to parse"));
	verify_socket_unit(p, "both", err, sizeof(err));
	assert_null(strstr(err, "Failed to parse"));

	enter_netns(p);
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (p->pid == 0) {
		prctl(PR_SET_NAME, "systemd");
		if (tcp_listen(AF_INET6, "::", PORT, -1) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	await_listeners(p, 1, &l);
	prog_stop(p);
	assert_one(&l, "inet6", 0, "if this is a systemd socket unit: BindIPv6Only=ipv6-only");
}

int run_hint_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nginx, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_nginx_refused, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_apache, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_sshd, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_java, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_python, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_node, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_socat, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_sysctl, hints_setup, hints_teardown),
		cmocka_unit_test_setup_teardown(test_systemd_socket_unit, hints_setup,
						hints_teardown),
	};

	return cmocka_run_group_tests_name("hints", tests, NULL, NULL);
}

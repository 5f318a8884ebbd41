// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's load generator (bench/run.sh drives it; see BENCHMARKS.md).
 *
 * It moves into a network namespace of its own, prints {"netns":INODE,...} on stdout and waits
 * for a go byte (stdin, or --go-fd), so that the runner can start a tracer filtered to exactly
 * this namespace (v6trace -N INODE) and wait until it is attached before any load starts. Then:
 *
 *   storm    a dual-stack listener on [::]:PORT (IPV6_V6ONLY off), one acceptor thread that
 *            accepts and closes, and K client threads connecting alternately over IPv4
 *            (127.0.0.x, so every IPv4 accept is v4-mapped, ::ffff:127.0.0.x) and over ::1,
 *            each connection closed with an RST, for N connections in all
 *   getppid  N getppid() syscalls in a tight loop: the tax a syscall hook puts on unrelated work
 *   pipe     N 1-byte round trips between two threads pinned to one CPU, over two pipes (4
 *            syscalls and 2 context switches each): the same tax where the scheduler is involved
 *
 * and prints one JSON line of results. Every wait is bounded by --timeout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define LISTEN_BACKLOG 4096	/* net.core.somaxconn of a new namespace (5.4+) */

enum mode { MODE_STORM, MODE_GETPPID, MODE_PIPE };

struct options {
	enum mode mode;
	unsigned long count;
	unsigned int clients;
	unsigned int port;
	unsigned int window;
	unsigned int v4_sources;
	int go_fd;
	unsigned int timeout_s;
};

static struct options opt = {
	.mode = MODE_STORM,
	.count = 20000,
	.clients = 4,
	.port = 9000,
	.window = 256,
	.v4_sources = 1,
	.go_fd = STDIN_FILENO,
	.timeout_s = 120,
};

/* The storm's shared state: counters only, no lock on the per-connection path. */
static atomic_ulong claimed;	/* connections a client has started */
static atomic_ulong made;	/* connect() succeeded */
static atomic_ulong failed;	/* connect() failed: never to be accepted */
static atomic_ulong accepted;
static atomic_uint room_waiters;
static atomic_int accept_errno;
static pthread_mutex_t room_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t room_cond = PTHREAD_COND_INITIALIZER;
static struct timespec deadline;	/* CLOCK_REALTIME, as pthread_cond_timedwait wants it */
static double last_accept;
static int listen_fd = -1;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s[0] || s[0] == '-')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("reading the flags of lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("bringing lo up");
	close(fd);
}

/* The go signal: one byte, EOF or the timeout is an abort (the runner gave up on the tracer). */
static void wait_for_go(void)
{
	struct pollfd pfd = { .fd = opt.go_fd, .events = POLLIN };
	char c;
	int n;

	n = poll(&pfd, 1, (int)opt.timeout_s * 1000);
	if (n == 0) {
		fprintf(stderr, "loadgen: no go signal within %u s\n", opt.timeout_s);
		exit(1);
	}
	if (n < 0 || read(opt.go_fd, &c, 1) != 1) {
		fprintf(stderr, "loadgen: the go signal's fd closed: not started\n");
		exit(1);
	}
}

/*
 * ListenOverflows of this namespace (/proc/net follows the reader's namespace): non-zero means
 * connections completed on the client side were dropped before accept().
 */
static long listen_overflows(void)
{
	char names[4096], values[4096], *np, *vp, *n_save, *v_save;
	FILE *f = fopen("/proc/net/netstat", "re");
	long found = -1;

	if (!f)
		return -1;
	while (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		if (strncmp(names, "TcpExt:", 7))
			continue;
		np = strtok_r(names, " \n", &n_save);
		vp = strtok_r(values, " \n", &v_save);
		while (np && vp) {
			if (!strcmp(np, "ListenOverflows"))
				found = strtol(vp, NULL, 10);
			np = strtok_r(NULL, " \n", &n_save);
			vp = strtok_r(NULL, " \n", &v_save);
		}
	}
	fclose(f);
	return found;
}

static void wake_room_waiters(void)
{
	/* seq_cst pairs with the waiter's increment-then-check: one of the two sees the other */
	if (!atomic_load(&room_waiters))
		return;
	pthread_mutex_lock(&room_lock);
	pthread_cond_broadcast(&room_cond);
	pthread_mutex_unlock(&room_lock);
}

static int storm_finished(void)
{
	return atomic_load(&accepted) + atomic_load(&failed) >= opt.count;
}

static void *acceptor(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "storm-accept");
	while (!storm_finished()) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			/* the peer's RST can beat us to it; EINVAL is main's shutdown() */
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EINVAL)
				atomic_store(&accept_errno, errno);
			break;
		}
		close(fd);
		last_accept = now();
		atomic_fetch_add(&accepted, 1);
		wake_room_waiters();
	}
	/* main may be waiting for the last accept: an error must not leave it to the timeout */
	wake_room_waiters();
	return NULL;
}

/*
 * Flow control: at most --window connections may be connected but not yet accepted. Without
 * it, clients that outrun the acceptor (as a tracer slows it) overflow the accept queue; the
 * kernel then drops completed handshakes the client already counts as connected, and the
 * figure would be of drops, not of accepts.
 */
static int wait_for_room(void)
{
	int ok = 1;

	if (atomic_load(&claimed) - atomic_load(&accepted) - atomic_load(&failed) < opt.window)
		return 1;
	pthread_mutex_lock(&room_lock);
	atomic_fetch_add(&room_waiters, 1);
	while (atomic_load(&claimed) - atomic_load(&accepted) - atomic_load(&failed) >= opt.window) {
		if (pthread_cond_timedwait(&room_cond, &room_lock, &deadline) == ETIMEDOUT) {
			ok = 0;
			break;
		}
	}
	atomic_fetch_sub(&room_waiters, 1);
	pthread_mutex_unlock(&room_lock);
	return ok;
}

static void *client(void *arg)
{
	unsigned long id = (unsigned long)arg;
	/* SO_LINGER {1, 0}: close() sends an RST and leaves no TIME_WAIT to exhaust the ports */
	struct linger rst = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr_in6 dst6 = { .sin6_family = AF_INET6, .sin6_port = htons(opt.port),
				     .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in dst4 = { .sin_family = AF_INET, .sin_port = htons(opt.port),
				    .sin_addr = { htonl(INADDR_LOOPBACK) } };
	struct sockaddr_in src4 = { .sin_family = AF_INET };
	char name[16];
	int one = 1;

	snprintf(name, sizeof(name), "storm-client%lu", id);
	pthread_setname_np(pthread_self(), name);
	for (unsigned long i = 0;; i++) {
		unsigned long n = atomic_fetch_add(&claimed, 1);
		/* alternate per thread, offset by the thread id: half IPv4, half IPv6 overall */
		int v4 = (i + id) % 2 == 0;
		int fd, rc;

		if (n >= opt.count) {
			atomic_fetch_sub(&claimed, 1);
			break;
		}
		if (!wait_for_room()) {
			atomic_fetch_add(&failed, 1);
			break;
		}
		fd = socket(v4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			die("socket");
		if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst)))
			die("SO_LINGER");
		if (v4 && opt.v4_sources > 1) {
			/*
			 * Several sources only on request: each costs a bind() that a tracer also
			 * reports, and with RST closes one source never runs out of ports.
			 * IP_BIND_ADDRESS_NO_PORT leaves the port to connect(), as one would.
			 */
			src4.sin_addr.s_addr = htonl(INADDR_LOOPBACK + n % opt.v4_sources);
			if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)) ||
			    bind(fd, (struct sockaddr *)&src4, sizeof(src4)))
				die("binding a 127.0.0.x source");
		}
		if (v4)
			rc = connect(fd, (struct sockaddr *)&dst4, sizeof(dst4));
		else
			rc = connect(fd, (struct sockaddr *)&dst6, sizeof(dst6));
		atomic_fetch_add(rc ? &failed : &made, 1);
		close(fd);
	}
	/* a client that gave up must not leave the acceptor or main waiting for its share */
	wake_room_waiters();
	return NULL;
}

static int storm(void)
{
	struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_port = htons(opt.port) };
	pthread_t acc, cl[MAX_CLIENTS];
	double t0;
	int off = 0, err;
	long overflows_before, overflows;

	listen_fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		die("listener socket");
	/* explicit, not inherited from net.ipv6.bindv6only: the listener must be dual-stack */
	if (setsockopt(listen_fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	    bind(listen_fd, (struct sockaddr *)&any, sizeof(any)) || listen(listen_fd, LISTEN_BACKLOG))
		die("dual-stack listener on [::]");
	overflows_before = listen_overflows();
	t0 = now();
	last_accept = t0;
	if (pthread_create(&acc, NULL, acceptor, NULL))
		die("acceptor thread");
	for (unsigned long i = 0; i < opt.clients; i++)
		if (pthread_create(&cl[i], NULL, client, (void *)i))
			die("client thread");
	for (unsigned long i = 0; i < opt.clients; i++)
		pthread_join(cl[i], NULL);
	/* the acceptor ends itself after the last accept; bounded, in case some never comes */
	pthread_mutex_lock(&room_lock);
	atomic_fetch_add(&room_waiters, 1);
	while (!storm_finished() && !atomic_load(&accept_errno))
		if (pthread_cond_timedwait(&room_cond, &room_lock, &deadline) == ETIMEDOUT)
			break;
	atomic_fetch_sub(&room_waiters, 1);
	pthread_mutex_unlock(&room_lock);
	/* wakes an acceptor blocked in accept() (EINVAL) when it still waits for something */
	shutdown(listen_fd, SHUT_RDWR);
	pthread_join(acc, NULL);
	overflows = listen_overflows();
	err = atomic_load(&accept_errno);
	if (err)
		fprintf(stderr, "loadgen: accept: %s\n", strerror(err));
	printf("{\"mode\":\"storm\",\"clients\":%u,\"connections\":%lu,\"made\":%lu,\"failed\":%lu,"
	       "\"accepted\":%lu,\"seconds\":%.6f,\"per_second\":%.1f,\"listen_overflows\":%ld}\n",
	       opt.clients, opt.count, atomic_load(&made), atomic_load(&failed),
	       atomic_load(&accepted), last_accept - t0, atomic_load(&accepted) / (last_accept - t0),
	       overflows_before < 0 || overflows < 0 ? -1 : overflows - overflows_before);
	return err || atomic_load(&accepted) != atomic_load(&made) ? 1 : 0;
}

static int getppid_loop(void)
{
	double t0 = now(), t;

	/* syscall(), not getppid(): no libc may ever answer this one from a cache */
	for (unsigned long i = 0; i < opt.count; i++)
		syscall(SYS_getppid);
	t = now() - t0;
	printf("{\"mode\":\"getppid\",\"syscalls\":%lu,\"seconds\":%.6f,\"per_second\":%.1f,"
	       "\"ns_per_syscall\":%.1f}\n", opt.count, t, opt.count / t, t * 1e9 / opt.count);
	return 0;
}

static int ping_fds[2], pong_fds[2];

static void *ponger(void *arg)
{
	char c;

	(void)arg;
	pthread_setname_np(pthread_self(), "pipe-pong");
	for (unsigned long i = 0; i < opt.count; i++)
		if (read(ping_fds[0], &c, 1) != 1 || write(pong_fds[1], &c, 1) != 1)
			die("pong");
	return NULL;
}

static int pipe_loop(void)
{
	cpu_set_t one_cpu;
	pthread_t t;
	double t0, el;
	char c = 'x';
	int cpu;

	if (pipe2(ping_fds, O_CLOEXEC) || pipe2(pong_fds, O_CLOEXEC))
		die("pipe");
	/*
	 * Both threads on one CPU: each round trip is then 4 syscalls and 2 context switches. Across
	 * two CPUs of a VM it is mostly the time to wake an idle vCPU, which anything else running
	 * (a tracer polling its ring buffer, say) shortens: traced runs came out faster than untraced.
	 */
	cpu = sched_getcpu();
	CPU_ZERO(&one_cpu);
	CPU_SET(cpu < 0 ? 0 : cpu, &one_cpu);
	if (sched_setaffinity(0, sizeof(one_cpu), &one_cpu))
		die("pinning to one CPU");
	if (pthread_create(&t, NULL, ponger, NULL))
		die("pong thread");
	t0 = now();
	for (unsigned long i = 0; i < opt.count; i++)
		if (write(ping_fds[1], &c, 1) != 1 || read(pong_fds[0], &c, 1) != 1)
			die("ping");
	el = now() - t0;
	pthread_join(t, NULL);
	printf("{\"mode\":\"pipe\",\"round_trips\":%lu,\"seconds\":%.6f,\"per_second\":%.1f,"
	       "\"us_per_round_trip\":%.3f}\n", opt.count, el, opt.count / el, el * 1e6 / opt.count);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: loadgen [-m storm|getppid|pipe] [-n N] [-k CLIENTS] [-p PORT] [-W WINDOW]\n"
		"               [-s V4_SOURCES] [-g GO_FD] [-t TIMEOUT_S]\n"
		"In a new network namespace: print {\"netns\":INODE,...}, wait for one byte on GO_FD\n"
		"(stdin by default), run the load, print one JSON line of results. Needs root.\n"
		"  -m, --mode MODE        storm (default), getppid or pipe\n"
		"  -n, --count N          connections, syscalls or round trips (default 20000)\n"
		"  -k, --clients K        storm client threads, 1 to %d (default 4)\n"
		"  -p, --port PORT        storm listener port (default 9000)\n"
		"  -W, --window W         storm: most connections made but not yet accepted (default 256)\n"
		"  -s, --v4-sources S     storm: bind IPv4 clients to 127.0.0.1..S (default 1: no bind)\n"
		"  -g, --go-fd FD         read the go byte from FD instead of stdin\n"
		"  -t, --timeout SECS     bound on waiting for go and on the run (default 120)\n",
		MAX_CLIENTS);
}

static int parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'n' },
		{ "clients", required_argument, NULL, 'k' },
		{ "port", required_argument, NULL, 'p' },
		{ "window", required_argument, NULL, 'W' },
		{ "v4-sources", required_argument, NULL, 's' },
		{ "go-fd", required_argument, NULL, 'g' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, "m:n:k:p:W:s:g:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "storm"))
				opt.mode = MODE_STORM;
			else if (!strcmp(optarg, "getppid"))
				opt.mode = MODE_GETPPID;
			else if (!strcmp(optarg, "pipe"))
				opt.mode = MODE_PIPE;
			else
				goto bad;
			break;
		case 'n':
			if (parse_ulong(optarg, 1, 1000000000, &v))
				goto bad;
			opt.count = v;
			break;
		case 'k':
			if (parse_ulong(optarg, 1, MAX_CLIENTS, &v))
				goto bad;
			opt.clients = v;
			break;
		case 'p':
			if (parse_ulong(optarg, 1, 65535, &v))
				goto bad;
			opt.port = v;
			break;
		case 'W':
			/* above the backlog the accept queue could overflow again */
			if (parse_ulong(optarg, 1, LISTEN_BACKLOG, &v))
				goto bad;
			opt.window = v;
			break;
		case 's':
			if (parse_ulong(optarg, 1, 254, &v))
				goto bad;
			opt.v4_sources = v;
			break;
		case 'g':
			if (parse_ulong(optarg, 0, INT_MAX, &v))
				goto bad;
			opt.go_fd = v;
			break;
		case 't':
			if (parse_ulong(optarg, 1, 3600, &v))
				goto bad;
			opt.timeout_s = v;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind == argc)
		return 0;
	optarg = argv[optind];
bad:
	fprintf(stderr, "loadgen: bad argument '%s'\n", optarg);
	usage(stderr);
	return -1;
}

int main(int argc, char **argv)
{
	struct stat st;
	int rc;

	if (parse_options(argc, argv))
		return 2;
	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET) (root needed)");
	lo_up();
	if (stat("/proc/self/ns/net", &st))
		die("stat /proc/self/ns/net");
	printf("{\"netns\":%lu,\"pid\":%d}\n", (unsigned long)st.st_ino, (int)getpid());
	/* the runner reads this line before it starts the tracer: it must not sit in a buffer */
	fflush(stdout);
	wait_for_go();
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += opt.timeout_s;
	switch (opt.mode) {
	case MODE_STORM:
		rc = storm();
		break;
	case MODE_GETPPID:
		rc = getppid_loop();
		break;
	default:
		rc = pipe_loop();
		break;
	}
	if (fflush(stdout))
		return 1;
	return rc;
}

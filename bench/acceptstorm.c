// SPDX-License-Identifier: GPL-2.0
/*
 * Load for the benchmark, in a network namespace of its own:
 *   storm   a dual-stack listener on [::] and K client threads connecting from 127.0.0.1
 *           (v4-mapped accepts) and ::1 alternately, each connection accepted and closed
 *   refused an IPv6-only listener on [::] and K client threads connecting to it from 127.0.0.1,
 *           each refused (a RST): the flood v6trace's refused hook rate-limits
 *   getppid a tight loop of one cheap syscall: the tax tracing puts on unrelated work
 *   pipe    a 1-byte ping-pong between two threads over two pipes
 *   hold    N sockets held by one child process from the start, for the tracer's start-up
 *           snapshot: TCP listeners and bound UDP sockets, IPv6 (half of the IPv6 TCP
 *           listeners V6ONLY) and IPv4
 * It prints {"netns":INODE,"holder":PID} (PID 0 but in hold) and waits for a line on stdin, so
 * a tracer can be started on that namespace first; then it runs and prints one JSON line of
 * results.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 64

static unsigned long total = 20000;
static unsigned int clients = 4;
static unsigned short port = 9999;
static atomic_ulong accepted, failed_connects;
static atomic_int clients_done;
/*
 * Connections in flight: a client takes a slot before connecting, the acceptor frees it. An
 * open loop overflows the accept queue as soon as the acceptor falls behind, and the dropped
 * SYNs then wait out one-second retransmit timers: the figure would measure that, not us.
 */
static sem_t in_flight;
static double last_accept;
static int listen_fd;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "acceptstorm: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("lo up");
	close(fd);
}

/*
 * Accepts until the clients are done and the queue stays empty. Not "until N": when the accept
 * queue overflows (a slow acceptor), a client's connect can succeed while the server drops its
 * half-open socket, which is then never accepted. What was accepted is the figure.
 */
static void *acceptor(void *arg)
{
	struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };

	(void)arg;
	for (;;) {
		int fd, ready = poll(&pfd, 1, 100);

		if (ready == 0 && atomic_load(&clients_done))
			break;
		if (ready <= 0)
			continue;
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
				continue;
			die("accept");
		}
		close(fd);
		atomic_fetch_add(&accepted, 1);
		last_accept = now();
		sem_post(&in_flight);
	}
	return NULL;
}

/* Each client closes with an RST (SO_LINGER 0): no TIME_WAIT to run out of ports. */
static void *client(void *arg)
{
	unsigned long id = (unsigned long)arg, n = total / clients + (id < total % clients);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr = { htonl(INADDR_LOOPBACK) } };

	for (unsigned long i = 0; i < n; i++) {
		int v4 = (i + id) % 2 == 0;
		int fd = socket(v4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			die("socket");
		while (sem_wait(&in_flight) && errno == EINTR)
			;
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		if (connect(fd, v4 ? (struct sockaddr *)&a4 : (struct sockaddr *)&a6,
			    v4 ? sizeof(a4) : sizeof(a6))) {
			atomic_fetch_add(&failed_connects, 1);
			sem_post(&in_flight);
		}
		close(fd);
	}
	return NULL;
}

static void storm(void)
{
	struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	pthread_t acc, cl[MAX_CLIENTS];
	int zero = 0;
	double t0, t1;

	listen_fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (listen_fd < 0 || setsockopt(listen_fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
	    bind(listen_fd, (struct sockaddr *)&any, sizeof(any)) || listen(listen_fd, 4096))
		die("listener");
	sem_init(&in_flight, 0, 2 * clients);
	t0 = now();
	pthread_create(&acc, NULL, acceptor, NULL);
	for (unsigned long i = 0; i < clients; i++)
		pthread_create(&cl[i], NULL, client, (void *)i);
	for (unsigned long i = 0; i < clients; i++)
		pthread_join(cl[i], NULL);
	atomic_store(&clients_done, 1);
	pthread_join(acc, NULL);
	t1 = last_accept;
	printf("{\"mode\":\"storm\",\"connections\":%lu,\"accepted\":%lu,\"failed\":%lu,\"seconds\":%.6f,"
	       "\"per_second\":%.1f}\n", total, atomic_load(&accepted), atomic_load(&failed_connects),
	       t1 - t0, atomic_load(&accepted) / (t1 - t0));
}

static atomic_ulong refused;

static void *refused_client(void *arg)
{
	unsigned long id = (unsigned long)arg, n = total / clients + (id < total % clients);
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr = { htonl(INADDR_LOOPBACK) } };

	for (unsigned long i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			die("socket");
		if (connect(fd, (struct sockaddr *)&a4, sizeof(a4)) && errno == ECONNREFUSED)
			atomic_fetch_add(&refused, 1);
		close(fd);
	}
	return NULL;
}

static void refused_flood(void)
{
	struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	pthread_t cl[MAX_CLIENTS];
	int one = 1;
	double t0, t1;

	listen_fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 || setsockopt(listen_fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    bind(listen_fd, (struct sockaddr *)&any, sizeof(any)) || listen(listen_fd, 4096))
		die("listener");
	t0 = now();
	for (unsigned long i = 0; i < clients; i++)
		pthread_create(&cl[i], NULL, refused_client, (void *)i);
	for (unsigned long i = 0; i < clients; i++)
		pthread_join(cl[i], NULL);
	t1 = now();
	printf("{\"mode\":\"refused\",\"connections\":%lu,\"refused\":%lu,\"seconds\":%.6f,"
	       "\"per_second\":%.1f}\n", total, atomic_load(&refused), t1 - t0,
	       atomic_load(&refused) / (t1 - t0));
}

static void getppid_loop(void)
{
	double t0 = now(), t1;

	for (unsigned long i = 0; i < total; i++)
		syscall(SYS_getppid);
	t1 = now();
	printf("{\"mode\":\"getppid\",\"syscalls\":%lu,\"seconds\":%.6f,\"per_second\":%.1f}\n", total,
	       t1 - t0, total / (t1 - t0));
}

static int ping[2], pong[2];

static void *ponger(void *arg)
{
	char c;

	(void)arg;
	for (unsigned long i = 0; i < total; i++)
		if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
			die("pong");
	return NULL;
}

static void pipe_loop(void)
{
	pthread_t t;
	double t0, t1;
	char c = 'x';

	if (pipe(ping) || pipe(pong))
		die("pipe");
	pthread_create(&t, NULL, ponger, NULL);
	t0 = now();
	for (unsigned long i = 0; i < total; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			die("ping");
	t1 = now();
	pthread_join(t, NULL);
	printf("{\"mode\":\"pipe\",\"round_trips\":%lu,\"seconds\":%.6f,\"per_second\":%.1f}\n", total,
	       t1 - t0, total / (t1 - t0));
}

/*
 * The holder: a quarter of N sockets of each kind, each kind on its own ports (a dual-stack
 * [::] takes IPv4's too). N may be all the fds the hard limit allows, so it closes its
 * standard streams first and reports by its exit status (an errno) or SIGUSR1 to its parent
 * once every socket is open; then it holds them until killed.
 */
static void hold(pid_t parent)
{
	struct rlimit nofile;
	int one = 1;

	/* it ends with its parent, however that ends (a bench stopped midway, say) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(ESRCH);
	if (getrlimit(RLIMIT_NOFILE, &nofile))
		_exit(errno);
	nofile.rlim_cur = nofile.rlim_max;
	if (total > nofile.rlim_max || setrlimit(RLIMIT_NOFILE, &nofile))
		_exit(EMFILE);
	close(0), close(1), close(2);
	for (unsigned long i = 0; i < total; i++) {
		unsigned int kind = i % 4, tcp = kind % 2 == 0, v6 = kind < 2;
		unsigned short p = 10000 + kind * 10000 + i / 4;
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(p) };
		struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(p),
					  .sin_addr = { htonl(INADDR_LOOPBACK) } };
		int fd = socket(v6 ? AF_INET6 : AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);

		if (fd < 0 || (v6 && tcp && i % 8 == 0 &&
			       setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
		    bind(fd, v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4,
			 v6 ? sizeof(a6) : sizeof(a4)) || (tcp && listen(fd, 16)))
			_exit(errno);
	}
	kill(getppid(), SIGUSR1);
	for (;;)
		pause();
}

static void hold_stop(pid_t holder)
{
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	printf("{\"mode\":\"hold\",\"sockets\":%lu}\n", total);
}

/* Starts the holder in our namespace and waits until it holds its sockets; its pid. */
static pid_t hold_start(void)
{
	pid_t parent = getpid(), pid;
	sigset_t wait_for;
	int sig, status;

	if (total > 40000) {
		errno = ERANGE;
		die("hold: at most 40000 sockets (a kind's 10000 ports each)");
	}
	sigemptyset(&wait_for);
	sigaddset(&wait_for, SIGUSR1);
	sigaddset(&wait_for, SIGCHLD);
	sigprocmask(SIG_BLOCK, &wait_for, NULL);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		hold(parent);
	if (sigwait(&wait_for, &sig))
		die("sigwait");
	if (sig == SIGCHLD) {
		waitpid(pid, &status, 0);
		errno = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
		die("hold: the holder could not open its sockets");
	}
	return pid;
}

int main(int argc, char **argv)
{
	const char *mode = "storm";
	char line[16];
	struct stat st;
	pid_t holder = 0;
	int opt;

	while ((opt = getopt(argc, argv, "m:n:k:p:")) != -1) {
		switch (opt) {
		case 'm':
			mode = optarg;
			break;
		case 'n':
			total = strtoul(optarg, NULL, 10);
			break;
		case 'k':
			clients = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			port = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: acceptstorm [-m storm|refused|getppid|pipe|hold] [-n N] [-k CLIENTS] [-p PORT]\n");
			return 2;
		}
	}
	if (!total || !clients || clients > MAX_CLIENTS)
		return 2;
	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	lo_up();
	if (!strcmp(mode, "hold"))
		holder = hold_start();
	if (stat("/proc/self/ns/net", &st))
		die("netns");
	printf("{\"netns\":%lu,\"holder\":%d}\n", (unsigned long)st.st_ino, (int)holder);
	fflush(stdout);
	/* the go signal: the tracer is attached */
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	if (!strcmp(mode, "storm"))
		storm();
	else if (!strcmp(mode, "refused"))
		refused_flood();
	else if (!strcmp(mode, "getppid"))
		getppid_loop();
	else if (!strcmp(mode, "pipe"))
		pipe_loop();
	else if (!strcmp(mode, "hold"))
		hold_stop(holder);
	else
		return 2;
	return 0;
}

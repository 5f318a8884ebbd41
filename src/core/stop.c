// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "stop.h"

/* once stopping, how often a blocked system call is interrupted */
#define TICK_NS 100000000L
#define TEXT(x) #x
#define NUMBER_TEXT(x) TEXT(x)
#define GRACE_TEXT NUMBER_TEXT(V6T_STOP_GRACE_S)

volatile sig_atomic_t v6t_stop_requested;
static timer_t timer;
static int have_timer;
static struct timespec stop_time;	/* CLOCK_MONOTONIC when the stop was requested */

/*
 * A signal that arrives just before a blocking write(2) begins only sets the flag: the write
 * then blocks anyway. So the stop also starts a repeating timer whose SIGALRM, like the stop
 * signals installed without SA_RESTART, interrupts any blocked call until v6trace exits, and
 * each retry loop sees the flag. (ppoll(2) with a signal mask would close the race only for
 * calls polled first, and a pipe with some room still blocks a larger write for the rest.)
 * The -d deadline is the same timer's first expiry.
 */
static void on_signal(int sig)
{
	const struct itimerspec every = {
		.it_interval = { .tv_nsec = TICK_NS },
		.it_value = { .tv_nsec = TICK_NS },
	};
	int saved = errno;

	(void)sig;
	if (!v6t_stop_requested) {
		clock_gettime(CLOCK_MONOTONIC, &stop_time);
		v6t_stop_requested = 1;
		if (have_timer)
			timer_settime(timer, 0, &every, NULL);
	}
	errno = saved;
}

int v6t_stop_install(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGALRM };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	struct sigaction sa = { .sa_handler = on_signal }, old;

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaddset(&sa.sa_mask, signals[i]);
	if (timer_create(CLOCK_MONOTONIC, &ev, &timer))
		return -errno;
	have_timer = 1;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		/* started under nohup: a hangup is to be ignored, so it stays ignored */
		if (signals[i] == SIGHUP && !sigaction(SIGHUP, NULL, &old) &&
		    old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(signals[i], &sa, NULL))
			return -errno;
	}
	return 0;
}

int v6t_stop_after(unsigned int seconds)
{
	const struct itimerspec once = { .it_value = { .tv_sec = seconds } };

	if (!seconds || !timer_settime(timer, 0, &once, NULL))
		return 0;
	fprintf(stderr, "v6trace: cannot start the -d timer: %s\n", strerror(errno));
	return -errno;
}

static int grace_over(void)
{
	struct timespec now;

	if (!v6t_stop_requested)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - stop_time.tv_sec > V6T_STOP_GRACE_S ||
	       (now.tv_sec - stop_time.tv_sec == V6T_STOP_GRACE_S &&
		now.tv_nsec >= stop_time.tv_nsec);
}

int v6t_stop_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno != EINTR)
				return -errno;
			if (grace_over())
				return -ECANCELED;
			continue;
		}
		p += n;
		len -= n;
	}
	return 0;
}

ssize_t v6t_stop_read(int fd, void *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);

		if (n >= 0)
			return n;
		if (errno != EINTR)
			return -errno;
		if (v6t_stop_requested)
			return -EINTR;
	}
}

const char *v6t_stop_strerror(int err)
{
	if (err == -ECANCELED)
		return "cut " GRACE_TEXT " s after the stop, its reader taking no more";
	return strerror(-err);
}

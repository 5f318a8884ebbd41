// SPDX-License-Identifier: GPL-2.0
/* v6trace: parses the options and runs live tracing or a replay. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "live.h"
#include "options.h"
#include "replay.h"
#include "stop.h"

static int install_signals(void)
{
	int err = v6t_stop_install();

	/* a closed reader shows up as EPIPE from write(2), handled where it happens */
	signal(SIGPIPE, SIG_IGN);
	return err;
}

/*
 * A closed descriptor 0, 1 or 2 would be the next one open() returns: the recording would get
 * fd 1, and the display would write into it. Each closed one gets /dev/null first.
 */
static int open_standard_fds(void)
{
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor: fd itself, as those below it are open */
		if (open("/dev/null", O_RDWR) != fd)
			return -errno;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct v6t_config cfg;
	int err;

	err = open_standard_fds();
	if (err) {
		fprintf(stderr, "v6trace: cannot open /dev/null: %s\n", strerror(-err));
		return 1;
	}
	switch (v6t_parse_options(argc, argv, &cfg, stdout, stderr)) {
	case V6T_OPT_DONE:
		return 0;
	case V6T_OPT_BAD:
		return 2;
	case V6T_OPT_RUN:
		break;
	}
	err = install_signals();
	if (err) {
		fprintf(stderr, "v6trace: cannot install signal handlers: %s\n", strerror(-err));
		return 1;
	}
	if (cfg.listeners_only)
		err = v6t_run_listeners(&cfg);
	else if (cfg.read_path)
		err = v6t_run_replay(&cfg, (volatile int *)&v6t_stop_requested);
	else
		err = v6t_run_live(&cfg, (volatile int *)&v6t_stop_requested);
	return err ? 1 : 0;
}

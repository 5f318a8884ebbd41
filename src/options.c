// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"
#include "options.h"
#include "version.h"

enum {
	OPT_READY_FD = 0x100,
	OPT_BUFFER_SIZE,
};

static const struct option long_options[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "port", required_argument, NULL, 'P' },
	{ "mapped-only", no_argument, NULL, 'm' },
	{ "netns", required_argument, NULL, 'N' },
	{ "json", no_argument, NULL, 'j' },
	{ "duration", required_argument, NULL, 'd' },
	{ "count", required_argument, NULL, 'n' },
	{ "backend", required_argument, NULL, 'B' },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	/* for tests and scripts: write "ready\n" to this fd once every hook is attached */
	{ "ready-fd", required_argument, NULL, OPT_READY_FD },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"Usage: v6trace [OPTION]...\n"
	"Trace bind, IPV6_V6ONLY, listen and accept live, and explain dual-stack sockets:\n"
	"why netstat shows tcp6 for a service IPv4 clients reach (they arrive on an AF_INET6\n"
	"socket as IPv4-mapped addresses, ::ffff:a.b.c.d, unless IPV6_V6ONLY is set).\n"
	"\n"
	"Filters (applied in the kernel):\n"
	"  -p, --pid PID          only this process (repeatable, up to 64)\n"
	"  -c, --comm NAME        only processes with this command name (up to 15 bytes)\n"
	"  -P, --port PORT        only sockets with this local port (repeatable, up to 64)\n"
	"  -m, --mapped-only      only dual-stack events: v4-mapped peers and addresses,\n"
	"                         AF_INET6 wildcard sockets without V6ONLY, V6ONLY changes\n"
	"  -N, --netns INODE      only this network namespace (see: stat -L -c %i /proc/PID/ns/net)\n"
	"\n"
	"Output and duration:\n"
	"  -j, --json             JSON Lines, one object per event (schema in README)\n"
	"  -d, --duration SECS    stop after SECS seconds\n"
	"  -n, --count N          stop after N events\n"
	"\n"
	"Tracing:\n"
	"  -B, --backend NAME     auto (default), fentry, kprobe or tracepoint\n"
	"      --buffer-size KIB  ring buffer size in KiB, a power of two (default 1024)\n"
	"  -v, --verbose          say which backend serves each hook; show libbpf's log\n"
	"  -V, --version          print the version and exit\n"
	"  -h, --help             print this help and exit\n"
	"\n"
	"Examples:\n"
	"  v6trace                      trace everything, live\n"
	"  v6trace -m                   only what involves dual-stack sockets\n"
	"  v6trace -P 80 -P 443 -j      web ports, as JSON Lines\n"
	"  v6trace -c sshd -d 60        what sshd binds for a minute\n"
	"  v6trace -j | jq 'select(.mapped)'   IPv4 clients of AF_INET6 listeners\n"
	"\n"
	"Exit status: 0 on success (also when stdout is closed early), 1 on a runtime error,\n"
	"2 on a bad option.\n";

static int bad(FILE *err, const char *what, const char *value, const char *why)
{
	fprintf(err, "v6trace: invalid %s '%s': %s (see --help)\n", what, value, why);
	return -EINVAL;
}

/* A whole decimal number in [min, max]; no sign, no trailing text. */
static int parse_ulong(const char *s, unsigned long long min, unsigned long long max,
		       unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_one(int opt, const char *arg, struct v6t_config *cfg, FILE *err)
{
	unsigned long long v;

	switch (opt) {
	case 'p':
		if (parse_ulong(arg, 1, INT_MAX, &v))
			return bad(err, "pid", arg, "expected a process id, 1 to 2147483647");
		if (cfg->n_pids == V6T_MAX_PIDS)
			return bad(err, "pid", arg, "at most 64 --pid options");
		cfg->pids[cfg->n_pids++] = v;
		return 0;
	case 'c':
		if (!arg[0] || strlen(arg) >= V6T_COMM_LEN)
			return bad(err, "comm", arg, "expected 1 to 15 bytes, as in /proc/PID/comm");
		strncpy(cfg->comm, arg, V6T_COMM_LEN - 1);
		return 0;
	case 'P':
		if (parse_ulong(arg, 1, 65535, &v))
			return bad(err, "port", arg, "expected a port number, 1 to 65535");
		if (cfg->n_ports == V6T_MAX_PORTS)
			return bad(err, "port", arg, "at most 64 --port options");
		cfg->ports[cfg->n_ports++] = v;
		return 0;
	case 'm':
		cfg->mapped_only = true;
		return 0;
	case 'N':
		if (parse_ulong(arg, 1, UINT32_MAX, &v))
			return bad(err, "netns", arg, "expected a namespace inode number");
		cfg->netns = v;
		return 0;
	case 'j':
		cfg->json = true;
		return 0;
	case 'd':
		if (parse_ulong(arg, 1, 31536000, &v))
			return bad(err, "duration", arg, "expected whole seconds, 1 to 31536000");
		cfg->duration_s = v;
		return 0;
	case 'n':
		if (parse_ulong(arg, 1, UINT64_MAX, &v))
			return bad(err, "count", arg, "expected a positive number of events");
		cfg->count = v;
		return 0;
	case 'B':
		cfg->backend = v6t_backend_by_name(arg);
		if (cfg->backend < 0)
			return bad(err, "backend", arg, "expected auto, fentry, kprobe or tracepoint");
		return 0;
	case OPT_BUFFER_SIZE:
		if (parse_ulong(arg, 4, 1U << 20, &v) || (v & (v - 1)))
			return bad(err, "buffer size", arg, "expected KiB, a power of two from 4 to 1048576");
		cfg->buffer_kib = v;
		return 0;
	case OPT_READY_FD:
		if (parse_ulong(arg, 0, INT_MAX, &v))
			return bad(err, "ready fd", arg, "expected a file descriptor number");
		cfg->ready_fd = v;
		return 0;
	case 'v':
		cfg->verbose++;
		return 0;
	}
	return -EINVAL;
}

enum v6t_opt_result v6t_parse_options(int argc, char **argv, struct v6t_config *cfg, FILE *out,
				      FILE *err)
{
	int opt;

	memset(cfg, 0, sizeof(*cfg));
	cfg->backend = V6T_BACKEND_AUTO;
	cfg->ready_fd = -1;
	cfg->buffer_kib = V6T_DEFAULT_BUFFER_KIB;

	optind = 0;	/* glibc: start afresh, so the parser can run more than once (tests) */
	opterr = 0;	/* our own messages, one line each */
	while ((opt = getopt_long(argc, argv, ":p:c:P:mN:jd:n:B:vVh", long_options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage_text, out);
			return V6T_OPT_DONE;
		case 'V':
			fprintf(out, "v6trace %s (ABI %d)\n", V6T_VERSION, V6T_ABI_VERSION);
			return V6T_OPT_DONE;
		case ':':
			fprintf(err, "v6trace: option '%s' needs a value (see --help)\n", argv[optind - 1]);
			return V6T_OPT_BAD;
		case '?':
			if (optopt)
				fprintf(err, "v6trace: unknown option '-%c' (see --help)\n", optopt);
			else
				fprintf(err, "v6trace: unknown option '%s' (see --help)\n", argv[optind - 1]);
			return V6T_OPT_BAD;
		default:
			if (parse_one(opt, optarg, cfg, err))
				return V6T_OPT_BAD;
		}
	}
	if (optind < argc) {
		fprintf(err, "v6trace: unexpected argument '%s' (see --help)\n", argv[optind]);
		return V6T_OPT_BAD;
	}
	return V6T_OPT_RUN;
}

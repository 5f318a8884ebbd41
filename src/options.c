// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "names.h"
#include "options.h"
#include "metrics.h"
#include "summary.h"
#include "version.h"

enum {
	OPT_READY_FD = 0x100,
	OPT_BUFFER_SIZE,
	OPT_FOLLOW,
	OPT_EVENT,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_COLOR,
	OPT_NO_SNAPSHOT,
	OPT_ALL_NETNS,
	OPT_WIDE,
	OPT_CGROUP,
	OPT_CONTAINER,
	OPT_POD,
	OPT_UNIT,
	OPT_FILE_MODE,
	OPT_METRICS,
	OPT_METRICS_INTERVAL,
	OPT_PEER,
	OPT_LOCAL,
};

static const struct option long_options[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "uid", required_argument, NULL, 'u' },
	{ "port", required_argument, NULL, 'P' },
	{ "peer", required_argument, NULL, OPT_PEER },
	{ "local", required_argument, NULL, OPT_LOCAL },
	{ "mapped-only", no_argument, NULL, 'm' },
	{ "netns", required_argument, NULL, 'N' },
	{ "json", no_argument, NULL, 'j' },
	{ "duration", required_argument, NULL, 'd' },
	{ "count", required_argument, NULL, 'n' },
	{ "backend", required_argument, NULL, 'B' },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
	{ "write", required_argument, NULL, 'w' },
	{ "read", required_argument, NULL, 'r' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "summary", no_argument, NULL, 's' },
	{ "rotate-size", required_argument, NULL, 'C' },
	{ "rotate-count", required_argument, NULL, 'W' },
	{ "file-mode", required_argument, NULL, OPT_FILE_MODE },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "listeners", no_argument, NULL, 'l' },
	{ "no-snapshot", no_argument, NULL, OPT_NO_SNAPSHOT },
	{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
	{ "wide", no_argument, NULL, OPT_WIDE },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "container", required_argument, NULL, OPT_CONTAINER },
	{ "pod", required_argument, NULL, OPT_POD },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "metrics-interval", required_argument, NULL, OPT_METRICS_INTERVAL },
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
	"  -u, --uid UID          only processes of this user id (repeatable, up to 64)\n"
	"  -P, --port PORT        only sockets with this local port (repeatable, up to 64)\n"
	"      --peer CIDR        only events whose peer is in CIDR (ADDR or ADDR/LEN; repeatable,\n"
	"                         up to 64): an IPv4 CIDR also matches IPv4 clients of dual-stack\n"
	"                         sockets, ::ffff:a.b.c.d; events without a peer do not match\n"
	"      --local CIDR       the same for the local address (refused: the packet's destination)\n"
	"  -m, --mapped-only      only dual-stack events: v4-mapped peers and addresses,\n"
	"                         AF_INET6 wildcard sockets without V6ONLY, V6ONLY changes\n"
	"  -N, --netns NS         only this network namespace: an inode number, /proc/PID/ns/net\n"
	"                         or /run/netns/NAME\n"
	"      --cgroup PATH      only tasks in this cgroup v2 directory (e.g. a container's)\n"
	"      --container NAME   only tasks of this container: its name, or a prefix of its id\n"
	"      --pod NS/NAME      only tasks of this Kubernetes pod (or its UID)\n"
	"      --unit NAME        only tasks of this systemd unit (nginx or nginx.service);\n"
	"                         these three repeat (up to 16 in all), any of them matching\n"
	"      --event KIND       only events of this kind (repeatable, or a list: accept,connect):\n"
	"                         bind, v6only, listen, accept, listening, connect, udp-mapped,\n"
	"                         refused;\n"
	"                         the hooks of other kinds are not attached at all\n"
	"      --since TIME       only events at or after TIME (RFC 3339, or @UNIX_SECONDS)\n"
	"      --until TIME       only events at or before TIME\n"
	"\n"
	"Sockets that exist already (NETLINK_SOCK_DIAG):\n"
	"  -l, --listeners        list TCP listeners and bound UDP sockets with V6ONLY, and exit\n"
	"      --all-netns        with -l or at start: every network namespace, not just ours\n"
	"      --no-snapshot      do not list existing sockets when tracing starts\n"
	"\n"
	"Recording and replay:\n"
	"  -w, --write FILE       record every event to FILE (\"-\": standard output)\n"
	"  -C, --rotate-size MB   with -w: start FILE.1, FILE.2, ... when a file exceeds MB megabytes\n"
	"  -W, --rotate-count N   with -C: keep at most N files, removing the oldest\n"
	"      --file-mode MODE   with -w: permissions of the files created, in octal (default 0600)\n"
	"  -r, --read FILE        replay a recording (\"-\": standard input); no root needed\n"
	"      --follow           with -r: keep reading as the file grows and rotates, like tail -F\n"
	"  -q, --quiet            do not print events (with -w, -s or --metrics); live -s -q\n"
	"                         traces only what the summary is made of: listen, accept, v6only\n"
	"  -s, --summary          at the end, a per-listener table with a verdict\n"
	"\n"
	"Metrics (Prometheus text format, for node_exporter's textfile collector):\n"
	"      --metrics FILE     write per-listener accepts by peer class, V6ONLY, connects,\n"
	"                         refused packets and lost events to FILE, replaced whole\n"
	"      --metrics-interval SECS  rewrite it every SECS seconds (default 15), and at exit\n"
	"\n"
	"Output and duration:\n"
	"  -j, --json             JSON Lines, one object per event (schema in README)\n"
	"      --wide             show each event's owner: pod, container, systemd unit, or cgroup\n"
	"      --color WHEN       colour the text: auto (on a terminal, unless NO_COLOR is set),\n"
	"                         always or never\n"
	"  -d, --duration SECS    stop after SECS seconds\n"
	"  -n, --count N          stop after N events\n"
	"\n"
	"Tracing:\n"
	"  -B, --backend NAME     auto (default), fentry, kprobe or tracepoint\n"
	"      --buffer-size KIB  ring buffer size in KiB, a power of two (default 1024)\n"
	"  -v, --verbose          say which backend serves each hook and, at exit, how often the\n"
	"                         ring buffer woke the reader; show libbpf's log\n"
	"  -V, --version          print the version and exit\n"
	"  -h, --help             print this help and exit\n"
	"\n"
	"Examples:\n"
	"  v6trace                      trace everything, live\n"
	"  v6trace -m                   only what involves dual-stack sockets\n"
	"  v6trace -P 80 -P 443 -j      web ports, as JSON Lines\n"
	"  v6trace -c sshd -d 60        what sshd binds for a minute\n"
	"  v6trace -j | jq 'select(.mapped)'   IPv4 clients of AF_INET6 listeners\n"
	"  v6trace -w incident.v6t -C 100 -W 10   record in rotated files\n"
	"  v6trace -r incident.v6t -s -m   review a recording later, anywhere\n"
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

/*
 * The inode of a network namespace file (/proc/PID/ns/net, /run/netns/NAME): on nsfs, and
 * of type net. Opened as a path first, so a FIFO or a device is never opened for reading.
 */
static int netns_file_ino(const char *path, unsigned long long *ino)
{
	int fd = open(path, O_PATH | O_CLOEXEC), nfd = -1, err = -EINVAL;
	char self[64];
	struct statfs sfs;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sfs) || sfs.f_type != NSFS_MAGIC)
		goto out;
	/* the same file, not the path again: it may have been replaced meanwhile */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	nfd = open(self, O_RDONLY | O_CLOEXEC);
	if (nfd < 0 || ioctl(nfd, NS_GET_NSTYPE) != CLONE_NEWNET || fstat(nfd, &st))
		goto out;
	*ino = st.st_ino;
	err = 0;
out:
	if (nfd >= 0)
		close(nfd);
	close(fd);
	return err;
}

static int parse_netns(const char *arg, struct v6t_config *cfg, FILE *err)
{
	unsigned long long v;
	int rc;

	if (cfg->netns)
		return bad(err, "netns", arg, "-N is given more than once");
	rc = isdigit((unsigned char)arg[0]) ? parse_ulong(arg, 1, UINT32_MAX, &v)
					    : netns_file_ino(arg, &v);
	if (rc)
		return bad(err, "netns", arg,
			   rc == -EINVAL || rc == -ERANGE
				   ? "expected an inode number or a network namespace file"
				   : strerror(-rc));
	cfg->netns = v;
	return 0;
}

/* --container, --pod, --unit: names as the runtimes give them, checked for shape only */
static int parse_owner(int opt, const char *arg, struct v6t_config *cfg, FILE *err)
{
	static const char *const names[] = { "container", "pod", "unit" };
	int by = opt == OPT_CONTAINER ? V6T_OWNER_CONTAINER :
		 opt == OPT_POD ? V6T_OWNER_POD : V6T_OWNER_UNIT;
	struct v6t_owner_filter *f = &cfg->owners[cfg->n_owners];

	if (!*arg || strlen(arg) >= sizeof(f->value) || strpbrk(arg, " \t\n"))
		return bad(err, names[by], arg, "expected a name, without spaces");
	if (by == V6T_OWNER_POD && strchr(arg, '/') && (arg[0] == '/' || strchr(arg, '/')[1] == '\0'))
		return bad(err, names[by], arg, "expected NAMESPACE/NAME or the pod's UID");
	if (cfg->n_owners == V6T_MAX_OWNERS)
		return bad(err, names[by], arg, "at most 16 --container, --pod and --unit in all");
	f->by = by;
	snprintf(f->value, sizeof(f->value), "%s", arg);
	cfg->n_owners++;
	return 0;
}

static int parse_cgroup(const char *arg, struct v6t_config *cfg, FILE *err)
{
	struct statfs sfs;
	struct stat st;

	if (cfg->cgroup)
		return bad(err, "cgroup", arg, "--cgroup is given more than once");
	/* a cgroup v2 id is its directory's inode number in the cgroup2 filesystem */
	if (stat(arg, &st) || !S_ISDIR(st.st_mode) || statfs(arg, &sfs) ||
	    sfs.f_type != CGROUP2_SUPER_MAGIC)
		return bad(err, "cgroup", arg,
			   "expected a cgroup v2 directory, e.g. under /sys/fs/cgroup");
	cfg->cgroup = st.st_ino;
	return 0;
}

static int parse_file_mode(const char *arg, struct v6t_config *cfg, FILE *err)
{
	/* permission bits only: no set-id or sticky bit on a recording */
	if (!arg[0] || strlen(arg) > 4 || strspn(arg, "01234567") != strlen(arg) ||
	    strtoul(arg, NULL, 8) > 0777)
		return bad(err, "file mode", arg,
			   "expected octal permissions, 0000 to 0777, such as 0640");
	cfg->file_mode = strtoul(arg, NULL, 8);
	return 0;
}

/* a comma-separated list, as in --event accept,connect */
static int parse_events(const char *arg, struct v6t_config *cfg, FILE *err)
{
	for (const char *p = arg;; p++) {
		char kind[16];
		size_t n = strcspn(p, ",");
		unsigned int k;

		if (n >= sizeof(kind))
			n = sizeof(kind) - 1;	/* too long for any kind: rejected below */
		memcpy(kind, p, n);
		kind[n] = '\0';
		k = v6t_event_kind(kind);
		if (!k)
			return bad(err, "event", arg,
				   "expected bind, v6only, listen, accept, listening, connect, "
				   "udp-mapped or refused");
		cfg->event_mask |= 1U << k;
		p += strcspn(p, ",");
		if (!*p)
			return 0;
	}
}

static int parse_color(const char *arg, struct v6t_config *cfg, FILE *err)
{
	if (!strcmp(arg, "auto"))
		cfg->color = V6T_COLOR_AUTO;
	else if (!strcmp(arg, "never"))
		cfg->color = V6T_COLOR_NEVER;
	else if (!strcmp(arg, "always"))
		cfg->color = V6T_COLOR_ALWAYS;
	else
		return bad(err, "color", arg, "expected auto, always or never");
	return 0;
}

/* --since, --until */
static int parse_bound(int opt, const char *arg, struct v6t_config *cfg, FILE *err)
{
	const char *what = opt == OPT_SINCE ? "since time" : "until time";
	int rc = v6t_parse_time(arg, opt == OPT_SINCE ? &cfg->since_ns : &cfg->until_ns);

	if (rc == -ERANGE)
		return bad(err, what, arg,
			   "after 2554-07-21T23:34:33Z, the last time v6trace can represent");
	if (rc)
		return bad(err, what, arg,
			   "expected RFC 3339 like 2026-11-24T10:00:00Z, or @UNIX_SECONDS");
	cfg->until_set |= opt == OPT_UNTIL;
	return 0;
}

/* -w, -r: a file named once, or "-" */
static int parse_path(const char *arg, const char **path, const char *opt, FILE *err)
{
	char again[32];

	snprintf(again, sizeof(again), "%s is given more than once", opt);
	if (*path)
		return bad(err, "file", arg, again);
	if (!arg[0])
		return bad(err, "file", arg, "expected a file name or -");
	*path = arg;
	return 0;
}

/* --peer, --local */
static int parse_prefix(int opt, const char *arg, struct v6t_config *cfg, FILE *err)
{
	bool peer = opt == OPT_PEER;
	struct v6t_cidr *c = peer ? &cfg->peers[cfg->n_peers] : &cfg->locals[cfg->n_locals];
	unsigned int *n = peer ? &cfg->n_peers : &cfg->n_locals;
	const char *what = peer ? "peer" : "local";
	char net[64], why[128];
	int rc;

	if (*n == V6T_MAX_PREFIXES)
		return bad(err, what, arg, peer ? "at most 64 --peer options" : "at most 64 --local options");
	rc = v6t_cidr_parse(arg, c);
	if (rc == -EDOM) {
		/* 10.1.2.3/8: a typo in the address or in the length; guessing either is wrong */
		v6t_cidr_str(c, net, sizeof(net));
		snprintf(why, sizeof(why), "bits are set past the prefix length (the network is %s)", net);
		return bad(err, what, arg, why);
	}
	if (rc)
		return bad(err, what, arg,
			   "expected an IPv4 or IPv6 address, alone or with /LENGTH (0-32, 0-128)");
	(*n)++;
	return 0;
}

/* One option: a flat switch, each case a check or two and the value stored. */
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
		if (cfg->comm[0])
			return bad(err, "comm", arg, "-c is given more than once");
		if (!arg[0] || strlen(arg) >= V6T_COMM_LEN)
			return bad(err, "comm", arg, "expected 1 to 15 bytes, as in /proc/PID/comm");
		strncpy(cfg->comm, arg, V6T_COMM_LEN - 1);
		return 0;
	case 'u':
		if (parse_ulong(arg, 0, UINT32_MAX - 1, &v))
			return bad(err, "uid", arg, "expected a user id, 0 to 4294967294");
		if (cfg->n_uids == V6T_MAX_UIDS)
			return bad(err, "uid", arg, "at most 64 --uid options");
		cfg->uids[cfg->n_uids++] = v;
		return 0;
	case OPT_PEER:
	case OPT_LOCAL:
		return parse_prefix(opt, arg, cfg, err);
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
		return parse_netns(arg, cfg, err);
	case OPT_CGROUP:
		return parse_cgroup(arg, cfg, err);
	case OPT_CONTAINER:
	case OPT_POD:
	case OPT_UNIT:
		return parse_owner(opt, arg, cfg, err);
	case 'l':
		cfg->listeners_only = true;
		return 0;
	case OPT_NO_SNAPSHOT:
		cfg->no_snapshot = true;
		return 0;
	case OPT_ALL_NETNS:
		cfg->all_netns = true;
		return 0;
	case OPT_WIDE:
		cfg->wide = true;
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
	case 'w':
		return parse_path(arg, &cfg->write_path, "-w", err);
	case 'r':
		return parse_path(arg, &cfg->read_path, "-r", err);
	case 'q':
		cfg->quiet = true;
		return 0;
	case OPT_FOLLOW:
		cfg->follow = true;
		return 0;
	case 's':
		cfg->summary = true;
		return 0;
	case 'C':
		if (parse_ulong(arg, 1, 1000000, &v))
			return bad(err, "rotate size", arg, "expected megabytes, 1 to 1000000");
		cfg->rotate_bytes = v * 1000000ULL;
		return 0;
	case 'W':
		if (parse_ulong(arg, 1, 100000, &v))
			return bad(err, "rotate count", arg, "expected a number of files, 1 to 100000");
		cfg->rotate_keep = v;
		return 0;
	case OPT_FILE_MODE:
		return parse_file_mode(arg, cfg, err);
	case OPT_METRICS:
		return parse_path(arg, &cfg->metrics_path, "--metrics", err);
	case OPT_METRICS_INTERVAL:
		if (parse_ulong(arg, 1, 86400, &v))
			return bad(err, "metrics interval", arg, "expected whole seconds, 1 to 86400");
		cfg->metrics_interval_s = v;
		return 0;
	case OPT_EVENT:
		return parse_events(arg, cfg, err);
	case OPT_COLOR:
		return parse_color(arg, cfg, err);
	case OPT_SINCE:
	case OPT_UNTIL:
		return parse_bound(opt, arg, cfg, err);
	}
	return -EINVAL;
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

/* ".123456789" -> ns; at most 9 digits are kept, more are ignored; a '.' needs a digit */
static int fraction_ns(const char **p, uint64_t *ns)
{
	uint64_t scale = 100000000;

	*ns = 0;
	if (**p != '.')
		return 0;
	if (!isdigit((unsigned char)(*p)[1]))
		return -EINVAL;
	for ((*p)++; isdigit((unsigned char)**p); (*p)++) {
		*ns += (**p - '0') * scale;
		scale /= 10;
	}
	return 0;
}

/* Wall-clock ns in a uint64_t end at 2554-07-21T23:34:33.709551615Z: refuse, never wrap. */
static int to_ns(uint64_t secs, uint64_t frac, uint64_t *wall_ns)
{
	if (secs > (UINT64_MAX - frac) / 1000000000ULL)
		return -ERANGE;
	*wall_ns = secs * 1000000000ULL + frac;
	return 0;
}

static int days_in_month(int year, int mon)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 2 && leap ? 29 : days[mon - 1];
}

/* "@SECONDS[.frac]" */
static int parse_unix_time(const char *p, uint64_t *wall_ns)
{
	unsigned long long v;
	uint64_t frac;
	char *end;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	v = strtoull(p, &end, 10);
	p = end;
	if (fraction_ns(&p, &frac) || *p)
		return -EINVAL;
	if (errno)
		return -ERANGE;
	return to_ns(v, frac, wall_ns);
}

int v6t_parse_time(const char *s, uint64_t *wall_ns)
{
	struct tm tm = {};
	int year, mon, day, hh, mm, ss, oh = 0, om = 0;
	int64_t secs;
	uint64_t frac;
	const char *p = s;

	if (*p == '@')
		return parse_unix_time(p + 1, wall_ns);
	if (digits(&p, 4, &year) || *p++ != '-' || digits(&p, 2, &mon) || *p++ != '-' ||
	    digits(&p, 2, &day) || (*p != 'T' && *p != 't' && *p != ' ') || !*p++ ||
	    digits(&p, 2, &hh) || *p++ != ':' || digits(&p, 2, &mm) || *p++ != ':' || digits(&p, 2, &ss))
		return -EINVAL;
	if (fraction_ns(&p, &frac))
		return -EINVAL;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;

		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
			return -EINVAL;
		oh *= sign;
		om *= sign;
	} else {
		return -EINVAL;
	}
	if (*p || year < 1970 || mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) ||
	    hh > 23 || mm > 59 || ss > 60)
		return -EINVAL;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	secs = timegm(&tm) - (oh * 3600 + om * 60);
	if (secs < 0)
		return -EINVAL;
	return to_ns(secs, frac, wall_ns);
}

/* A regular file, with "-" for standard input (fd) or output: its identity, or 0s. */
static struct v6t_file_id regular_file(const char *path, int std_fd)
{
	struct v6t_file_id id = { 0, 0 };
	struct stat st;

	if (!(strcmp(path, "-") ? stat(path, &st) : fstat(std_fd, &st)) && S_ISREG(st.st_mode)) {
		id.dev = st.st_dev;
		id.ino = st.st_ino;
	}
	return id;
}

/* -w would write over -r's file, however each is named: ./X, d/../X, a link, or stdin. */
static bool writes_over_input(const struct v6t_config *cfg)
{
	struct v6t_file_id out;

	if (!cfg->read_id.ino || !cfg->write_path)
		return false;
	out = regular_file(cfg->write_path, STDOUT_FILENO);
	return out.dev == cfg->read_id.dev && out.ino == cfg->read_id.ino;
}

/* --metrics would replace -r's or -w's file, however each is named. */
static bool metrics_over_recording(const struct v6t_config *cfg)
{
	struct v6t_file_id m, w;

	if (!cfg->metrics_path || !strcmp(cfg->metrics_path, "-"))
		return false;
	m = regular_file(cfg->metrics_path, -1);
	if (cfg->write_path && !strcmp(cfg->write_path, cfg->metrics_path))
		return true;
	if (!m.ino)
		return false;
	w = cfg->write_path ? regular_file(cfg->write_path, STDOUT_FILENO) : (struct v6t_file_id){ 0 };
	return (m.dev == cfg->read_id.dev && m.ino == cfg->read_id.ino) ||
	       (m.dev == w.dev && m.ino == w.ino);
}

/* -C: an existing -w file that is not a regular one (/dev/null, a FIFO) cannot be rotated. */
static bool rotates_special_file(const struct v6t_config *cfg)
{
	struct stat st;

	return cfg->rotate_bytes && !lstat(cfg->write_path, &st) && !S_ISREG(st.st_mode);
}

/* Options that only make sense together, checked once all are known. */
static int check_combinations(const struct v6t_config *cfg, FILE *err)
{
	/* --event without listening: no socket of the snapshot would pass */
	bool no_listening = cfg->event_mask && !(cfg->event_mask & (1U << V6T_EV_SOCKET));
	const char *why = NULL;

	if (cfg->follow && !cfg->read_path)
		why = "--follow needs -r FILE";
	else if (cfg->rotate_bytes && (!cfg->write_path || !strcmp(cfg->write_path, "-")))
		why = "-C needs -w FILE (a file, not standard output)";
	else if (rotates_special_file(cfg))
		why = "-C rotates regular files: the -w file exists and is not a regular file";
	else if (cfg->rotate_keep && !cfg->rotate_bytes)
		why = "-W needs -C";
	else if (cfg->file_mode != V6T_OUTFILE_MODE &&
		 (!cfg->write_path || !strcmp(cfg->write_path, "-")))
		why = "--file-mode needs -w FILE (a file, not standard output)";
	else if (cfg->quiet && !cfg->write_path && !cfg->summary && !cfg->metrics_path)
		why = "-q needs -w, -s or --metrics, or there would be nothing to see";
	else if (cfg->metrics_interval_s && !cfg->metrics_path)
		why = "--metrics-interval needs --metrics FILE";
	else if (cfg->metrics_path && (!strcmp(cfg->metrics_path, "-") || cfg->listeners_only))
		why = "--metrics needs a file (not -), and traces or replays: not with -l";
	else if (metrics_over_recording(cfg))
		why = "--metrics and -r or -w name the same file";
	else if (cfg->read_path && cfg->backend != V6T_BACKEND_AUTO)
		why = "-B applies to live tracing, not to -r";
	else if (cfg->read_path && cfg->buffer_kib != V6T_DEFAULT_BUFFER_KIB)
		why = "--buffer-size applies to live tracing, not to -r";
	else if (writes_over_input(cfg))
		why = "-r and -w name the same file";
	else if (cfg->listeners_only && (cfg->read_path || cfg->write_path || cfg->follow))
		why = "-l lists the sockets there are now: not with -r, -w or --follow";
	else if (cfg->read_path && cfg->all_netns)
		why = "--all-netns applies to live tracing and -l, not to -r";
	else if (cfg->read_path && cfg->no_snapshot)
		why = "--no-snapshot applies to live tracing, not to -r";
	else if (cfg->until_set && cfg->since_ns > cfg->until_ns)
		why = "--since is after --until: no event can match";
	else if (cfg->no_snapshot && (cfg->event_mask & (1U << V6T_EV_SOCKET)))
		why = "--event listening needs the start-up snapshot: not with --no-snapshot";
	else if (cfg->no_snapshot && cfg->all_netns)
		why = "--all-netns applies to the start-up snapshot: not with --no-snapshot";
	else if (cfg->listeners_only && (cfg->no_snapshot || no_listening))
		why = "-l lists listening sockets: not with --no-snapshot, nor --event without "
		      "listening";
	if (!why)
		return 0;
	fprintf(err, "v6trace: %s (see --help)\n", why);
	return -EINVAL;
}

/*
 * Live -q without -w shows nothing but the summary or the metrics: hooks for anything else
 * would be pure cost. The kinds are implied, not asked for: one the kernel lacks (refused,
 * before 5.17) is left out, as it is without --event.
 */
static void imply_events(struct v6t_config *cfg)
{
	if (cfg->event_mask || !cfg->quiet || cfg->write_path || cfg->read_path)
		return;
	if (cfg->metrics_path)
		cfg->event_mask = V6T_METRICS_EVENTS;
	else if (cfg->summary)
		cfg->event_mask = V6T_SUMMARY_EVENTS;
	cfg->event_mask_implied = cfg->event_mask != 0;
}

/* Long options whose names start with name[0..len): how many, and the first; an exact one wins. */
static int match_long(const char *name, size_t len, const struct option **first)
{
	int n = 0;

	for (const struct option *o = long_options; o->name; o++) {
		if (strncmp(o->name, name, len))
			continue;
		if (!o->name[len]) {
			*first = o;
			return 1;
		}
		if (!n++)
			*first = o;
	}
	return n;
}

static void unknown_option(const char *word, FILE *err)
{
	fprintf(err, "v6trace: unknown option '%s' (see --help)\n", word);
}

/*
 * getopt_long's '?' (with opterr 0 it says nothing): an unknown short option, or a long one
 * that is unknown, ambiguous, or given a value it does not take. word is where it stopped.
 */
static void report_bad_option(const char *word, FILE *err)
{
	const char *name = word + 2, *sep = " ";
	size_t len = strcspn(name, "=");
	const struct option *o = NULL;
	int n = strncmp(word, "--", 2) ? 0 : match_long(name, len, &o);

	if (n > 1) {
		fprintf(err, "v6trace: option '--%.*s' is ambiguous:", (int)len, name);
		for (o = long_options; o->name; o++) {
			if (strncmp(o->name, name, len))
				continue;
			fprintf(err, "%s--%s", sep, o->name);
			sep = ", ";
		}
		fputs(" (see --help)\n", err);
	} else if (n == 1 && name[len] && o->has_arg == no_argument && o->val == optopt) {
		fprintf(err, "v6trace: option '--%s' takes no value (see --help)\n", o->name);
	} else if (optopt) {
		fprintf(err, "v6trace: unknown option '-%c' (see --help)\n", optopt);
	} else {
		unknown_option(word, err);
	}
}

/*
 * The word a long option with a value was given as: before its value, or holding it after
 * '='. --ready-fd, for tests and scripts and not in --help, answers to this word only when
 * it is the whole name, so that no abbreviation (--ready) reaches it by accident.
 */
static const char *long_option_word(char **argv)
{
	return optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
}

static bool spelled_in_full(const char *word, const char *name)
{
	size_t len = strlen(name);

	return !strncmp(word, "--", 2) && !strncmp(word + 2, name, len) &&
	       (!word[2 + len] || word[2 + len] == '=');
}

enum v6t_opt_result v6t_parse_options(int argc, char **argv, struct v6t_config *cfg, FILE *out,
				      FILE *err)
{
	int opt;

	memset(cfg, 0, sizeof(*cfg));
	cfg->backend = V6T_BACKEND_AUTO;
	cfg->ready_fd = -1;
	cfg->buffer_kib = V6T_DEFAULT_BUFFER_KIB;
	cfg->file_mode = V6T_OUTFILE_MODE;

	optind = 0;	/* glibc: start afresh, so the parser can run more than once (tests) */
	opterr = 0;	/* our own messages, one line each */
	while ((opt = getopt_long(argc, argv, ":p:c:u:P:mN:jd:n:B:vVhw:r:qsC:W:l", long_options, NULL)) != -1) {
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
			report_bad_option(argv[optind - 1], err);
			return V6T_OPT_BAD;
		case OPT_READY_FD:
			if (!spelled_in_full(long_option_word(argv), "ready-fd")) {
				unknown_option(long_option_word(argv), err);
				return V6T_OPT_BAD;
			}
			/* fall through */
		default:
			if (parse_one(opt, optarg, cfg, err))
				return V6T_OPT_BAD;
		}
	}
	if (optind < argc) {
		fprintf(err, "v6trace: unexpected argument '%s' (see --help)\n", argv[optind]);
		return V6T_OPT_BAD;
	}
	if (cfg->read_path)
		cfg->read_id = regular_file(cfg->read_path, STDIN_FILENO);
	if (check_combinations(cfg, err))
		return V6T_OPT_BAD;
	imply_events(cfg);
	if (cfg->metrics_path && !cfg->metrics_interval_s)
		cfg->metrics_interval_s = V6T_METRICS_INTERVAL_DEFAULT;
	return V6T_OPT_RUN;
}

// SPDX-License-Identifier: GPL-2.0
/* Option parsing into the typed configuration, good values and bad. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "cgroup.h"
#include "filter.h"
#include "metrics.h"
#include "options.h"
#include "view.h"

static char err_text[4096];

/* Parses a NULL-terminated argument list (argv[0] added); err output lands in err_text. */
static enum v6t_opt_result parse(struct v6t_config *cfg, const char *const *args)
{
	char *argv[2 * V6T_MAX_PORTS + 8] = { "v6trace" };
	int argc = 1;
	FILE *out = fopen("/dev/null", "w");
	FILE *err = fmemopen(err_text, sizeof(err_text), "w");
	enum v6t_opt_result r;

	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	r = v6t_parse_options(argc, argv, cfg, out, err);
	fclose(out);
	fclose(err);
	return r;
}

#define PARSE(cfg, ...) parse((cfg), (const char *const[]){ __VA_ARGS__, NULL })

static void test_defaults(void **state)
{
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, (const char *const[]){ NULL }), V6T_OPT_RUN);
	assert_int_equal(cfg.backend, V6T_BACKEND_AUTO);
	assert_int_equal(cfg.n_pids, 0);
	assert_int_equal(cfg.n_ports, 0);
	assert_int_equal(cfg.ready_fd, -1);
	assert_int_equal(cfg.buffer_kib, V6T_DEFAULT_BUFFER_KIB);
	assert_false(cfg.json);
	assert_string_equal(cfg.comm, "");
}

static void test_all_options(void **state)
{
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(PARSE(&cfg, "-p", "12", "--pid=34", "-c", "nginx", "-P", "80", "--port", "443",
			       "-m", "-N", "4026531840", "-j", "-d", "60", "-n", "1000", "-B", "kprobe",
			       "--buffer-size", "256", "-vv", "--ready-fd", "7"),
			 V6T_OPT_RUN);
	assert_int_equal(cfg.n_pids, 2);
	assert_int_equal(cfg.pids[0], 12);
	assert_int_equal(cfg.pids[1], 34);
	assert_string_equal(cfg.comm, "nginx");
	assert_int_equal(cfg.n_ports, 2);
	assert_int_equal(cfg.ports[0], 80);
	assert_int_equal(cfg.ports[1], 443);
	assert_true(cfg.mapped_only);
	assert_int_equal(cfg.netns, 4026531840ULL);
	assert_true(cfg.json);
	assert_int_equal(cfg.duration_s, 60);
	assert_int_equal(cfg.count, 1000);
	assert_int_equal(cfg.backend, V6T_BACKEND_KPROBE);
	assert_int_equal(cfg.buffer_kib, 256);
	assert_int_equal(cfg.verbose, 2);
	assert_int_equal(cfg.ready_fd, 7);
}

static void test_backend_names(void **state)
{
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(PARSE(&cfg, "-B", "fentry"), V6T_OPT_RUN);
	assert_int_equal(cfg.backend, V6T_BACKEND_FENTRY);
	assert_int_equal(PARSE(&cfg, "--backend=tracepoint"), V6T_OPT_RUN);
	assert_int_equal(cfg.backend, V6T_BACKEND_TRACEPOINT);
	assert_int_equal(PARSE(&cfg, "-B", "auto"), V6T_OPT_RUN);
	assert_int_equal(cfg.backend, V6T_BACKEND_AUTO);
}

static void expect_bad(const char *const *args, const char *message)
{
	struct v6t_config cfg;

	if (parse(&cfg, args) != V6T_OPT_BAD)
		fail_msg("accepted; expected \"%s\"", message);
	if (!strstr(err_text, message))
		fail_msg("\"%s\" is not in: %s", message, err_text);
	/* exactly one line */
	assert_non_null(strchr(err_text, '\n'));
	assert_string_equal(strchr(err_text, '\n'), "\n");
}

#define BAD(message, ...) expect_bad((const char *const[]){ __VA_ARGS__, NULL }, (message))

static void test_bad_values(void **state)
{
	(void)state;
	BAD("invalid port '0'", "-P", "0");
	BAD("invalid port '65536'", "-P", "65536");
	BAD("invalid port ' 80'", "-P", " 80");
	BAD("invalid port '+80'", "-P", "+80");
	BAD("invalid port '8o'", "-P", "8o");
	BAD("invalid pid '0'", "-p", "0");
	BAD("invalid pid '2147483648'", "-p", "2147483648");
	BAD("invalid pid '99999999999999999999999'", "-p", "99999999999999999999999");
	BAD("invalid comm ''", "-c", "");
	BAD("invalid comm '0123456789abcdef'", "-c", "0123456789abcdef");
	BAD("invalid netns '-1'", "-N", "-1");
	BAD("invalid netns '4294967296'", "-N", "4294967296");
	BAD("invalid duration '0'", "-d", "0");
	BAD("invalid duration '1.5'", "-d", "1.5");
	BAD("invalid count '0'", "-n", "0");
	BAD("invalid backend 'bpf'", "-B", "bpf");
	BAD("invalid buffer size '6'", "--buffer-size", "6");
	BAD("invalid buffer size '2'", "--buffer-size", "2");
	BAD("needs a value", "--port");
	BAD("unknown option '--nope'", "--nope");
	BAD("unexpected argument 'extra'", "-j", "extra");
}

static void test_limits(void **state)
{
	const char *args[2 * V6T_MAX_PORTS + 3];
	struct v6t_config cfg;
	int n = 0;

	(void)state;
	for (int i = 0; i < V6T_MAX_PORTS; i++) {
		args[n++] = "-P";
		args[n++] = "80";
	}
	args[n] = NULL;
	assert_int_equal(parse(&cfg, args), V6T_OPT_RUN);
	assert_int_equal(cfg.n_ports, V6T_MAX_PORTS);
	args[n++] = "-P";
	args[n++] = "81";
	args[n] = NULL;
	assert_int_equal(parse(&cfg, args), V6T_OPT_BAD);
	assert_non_null(strstr(err_text, "at most 64"));
}

static void test_address_and_uid_filters(void **state)
{
	struct v6t_config cfg;
	char net[64];

	(void)state;
	assert_int_equal(PARSE(&cfg, "--peer", "10.0.0.0/8", "--peer=2001:db8::/32", "--peer", "::1",
			       "--local", "127.0.0.1", "-u", "0", "--uid", "4294967294"),
			 V6T_OPT_RUN);
	assert_int_equal(cfg.n_peers, 3);
	assert_int_equal(cfg.peers[0].plen, 96 + 8);	/* IPv4: in the IPv6 key space */
	v6t_cidr_str(&cfg.peers[0], net, sizeof(net));
	assert_string_equal(net, "10.0.0.0/8");
	assert_int_equal(cfg.peers[1].plen, 32);
	assert_int_equal(cfg.peers[2].plen, 128);
	assert_int_equal(cfg.n_locals, 1);
	assert_int_equal(cfg.locals[0].plen, 128);
	v6t_cidr_str(&cfg.locals[0], net, sizeof(net));
	assert_string_equal(net, "127.0.0.1/32");
	assert_int_equal(cfg.n_uids, 2);
	assert_int_equal(cfg.uids[0], 0);
	assert_int_equal(cfg.uids[1], 4294967294U);
	assert_int_equal(PARSE(&cfg, "--peer", "0.0.0.0/0", "--local", "::/0"), V6T_OPT_RUN);
	assert_int_equal(cfg.peers[0].plen, 96);
	assert_int_equal(cfg.locals[0].plen, 0);
}

static void test_bad_address_and_uid_filters(void **state)
{
	(void)state;
	BAD("invalid peer '10.1.2.3/8': bits are set past the prefix length (the network is "
	    "10.0.0.0/8)", "--peer", "10.1.2.3/8");
	BAD("(the network is 2001:db8::/32)", "--local", "2001:db8::1/32");
	BAD("invalid peer '10.0.0.0/33': expected an IPv4 or IPv6 address", "--peer", "10.0.0.0/33");
	BAD("invalid peer '::/129'", "--peer", "::/129");
	BAD("invalid peer '10.0.0.0/'", "--peer", "10.0.0.0/");
	BAD("invalid peer '10.0.0.0/+8'", "--peer", "10.0.0.0/+8");
	BAD("invalid peer '10.0.0.0/8 '", "--peer", "10.0.0.0/8 ");
	BAD("invalid peer '10.0.0'", "--peer", "10.0.0");
	BAD("invalid peer 'fe80::1%eth0'", "--peer", "fe80::1%eth0");
	BAD("invalid peer 'localhost'", "--peer", "localhost");
	BAD("invalid local ''", "--local", "");
	BAD("invalid uid '-1'", "-u", "-1");
	BAD("invalid uid '4294967295'", "-u", "4294967295");
	BAD("invalid uid 'root'", "--uid", "root");
}

/* --container, --pod, --unit: kept as given, checked for shape; any number up to 16 */
static void test_owner_options(void **state)
{
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(PARSE(&cfg, "--pod", "shop/web-0", "--container", "3f2a9c", "--unit",
			       "nginx"), V6T_OPT_RUN);
	assert_int_equal(cfg.n_owners, 3);
	assert_int_equal(cfg.owners[0].by, V6T_OWNER_POD);
	assert_string_equal(cfg.owners[0].value, "shop/web-0");
	assert_int_equal(cfg.owners[1].by, V6T_OWNER_CONTAINER);
	assert_int_equal(cfg.owners[2].by, V6T_OWNER_UNIT);
	BAD("invalid pod '/web'", "--pod", "/web");
	BAD("invalid pod 'shop/'", "--pod", "shop/");
	BAD("invalid container ''", "--container", "");
	BAD("invalid unit 'a b'", "--unit", "a b");
}

static void test_address_and_uid_limits(void **state)
{
	const char *args[2 * V6T_MAX_PORTS + 3];
	const char *opts[] = { "--peer", "--local", "-u" };
	struct v6t_config cfg;

	(void)state;
	for (size_t o = 0; o < sizeof(opts) / sizeof(opts[0]); o++) {
		int n = 0;

		for (int i = 0; i < 64; i++) {
			args[n++] = opts[o];
			args[n++] = o < 2 ? "192.0.2.1" : "1";
		}
		args[n] = NULL;
		assert_int_equal(parse(&cfg, args), V6T_OPT_RUN);
		args[n++] = opts[o];
		args[n++] = o < 2 ? "192.0.2.2" : "2";
		args[n] = NULL;
		assert_int_equal(parse(&cfg, args), V6T_OPT_BAD);
		assert_non_null(strstr(err_text, "at most 64"));
	}
}

static void test_event_lists(void **state)
{
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(PARSE(&cfg, "--event", "accept"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, 1U << V6T_EV_ACCEPT);
	assert_int_equal(PARSE(&cfg, "--event", "accept,connect", "--event=udp-mapped"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask,
			 (1U << V6T_EV_ACCEPT) | (1U << V6T_EV_CONNECT) | (1U << V6T_EV_UDP_MAPPED));
	assert_int_equal(PARSE(&cfg, "--event", "bind,v6only,listen,listening"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, (1U << V6T_EV_BIND) | (1U << V6T_EV_V6ONLY) |
					 (1U << V6T_EV_LISTEN) | (1U << V6T_EV_SOCKET));
	BAD("invalid event 'accept,'", "--event", "accept,");
	BAD("invalid event ',accept'", "--event", ",accept");
	BAD("invalid event 'accept,,connect'", "--event", "accept,,connect");
	BAD("invalid event 'accepts'", "--event", "accepts");
	BAD("invalid event 'connectconnectconnect'", "--event", "connectconnectconnect");
	BAD("invalid event 'accept,connec'", "--event", "accept,connec");
}

/* Live -s -q traces only what the summary is made of; anything else asked for wins. */
static void test_summary_only_events(void **state)
{
	const uint32_t summary = (1U << V6T_EV_LISTEN) | (1U << V6T_EV_SOCKET) |
				 (1U << V6T_EV_ACCEPT) | (1U << V6T_EV_V6ONLY);
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(PARSE(&cfg, "-s", "-q"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, summary);
	assert_int_equal(PARSE(&cfg, "-qs", "-j"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, summary);
	/* an explicit --event is the user's choice, even one the summary cannot use */
	assert_int_equal(PARSE(&cfg, "-s", "-q", "--event", "connect"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, 1U << V6T_EV_CONNECT);
	/* events shown, recorded or replayed: every kind, as without -s */
	assert_int_equal(PARSE(&cfg, "-s"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, 0);
	assert_int_equal(PARSE(&cfg, "-s", "-q", "-w", "/tmp/x.v6t"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, 0);
	assert_int_equal(PARSE(&cfg, "-s", "-q", "-r", "/tmp/x.v6t"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, 0);
	assert_int_equal(PARSE(&cfg, "-q", "-w", "/tmp/x.v6t"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, 0);
}

/*
 * --metrics: a file, rewritten every --metrics-interval seconds (15 unless told); with -q and
 * no -w only its kinds are traced, implied (a kind the kernel lacks is left out), and the
 * kernel does not count accepts on its own, since the file needs them while tracing.
 */
static void test_metrics_options(void **state)
{
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(PARSE(&cfg, "--metrics", "/tmp/v.prom"), V6T_OPT_RUN);
	assert_string_equal(cfg.metrics_path, "/tmp/v.prom");
	assert_int_equal(cfg.metrics_interval_s, 15);
	assert_int_equal(cfg.event_mask, 0);
	assert_int_equal(PARSE(&cfg, "-q", "--metrics", "/tmp/v.prom", "--metrics-interval", "1"),
			 V6T_OPT_RUN);
	assert_int_equal(cfg.metrics_interval_s, 1);
	assert_int_equal(cfg.event_mask, V6T_METRICS_EVENTS);
	assert_true(cfg.event_mask_implied);
	assert_int_equal(PARSE(&cfg, "-s", "-q", "--metrics", "/tmp/v.prom"), V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, V6T_METRICS_EVENTS);
	assert_false(v6t_summary_only(&cfg));
	assert_int_equal(PARSE(&cfg, "-s", "-q"), V6T_OPT_RUN);
	assert_true(v6t_summary_only(&cfg));
	assert_false(cfg.event_mask_implied && cfg.event_mask == V6T_METRICS_EVENTS);
	assert_int_equal(PARSE(&cfg, "-q", "--metrics", "/tmp/v.prom", "-w", "/tmp/x.v6t"),
			 V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, 0);
	assert_int_equal(PARSE(&cfg, "-q", "--metrics", "/tmp/v.prom", "--event", "accept"),
			 V6T_OPT_RUN);
	assert_false(cfg.event_mask_implied);
	assert_int_equal(PARSE(&cfg, "-r", "/tmp/x.v6t", "-q", "--metrics", "/tmp/v.prom"),
			 V6T_OPT_RUN);
	assert_int_equal(cfg.event_mask, 0);
	assert_int_equal(PARSE(&cfg, "--metrics-interval", "5"), V6T_OPT_BAD);
	assert_int_equal(PARSE(&cfg, "--metrics", "/tmp/v.prom", "--metrics-interval", "0"),
			 V6T_OPT_BAD);
	assert_int_equal(PARSE(&cfg, "--metrics", "/tmp/v.prom", "--metrics-interval", "1x"),
			 V6T_OPT_BAD);
	assert_int_equal(PARSE(&cfg, "--metrics", "-"), V6T_OPT_BAD);
	assert_int_equal(PARSE(&cfg, "-l", "--metrics", "/tmp/v.prom"), V6T_OPT_BAD);
	assert_int_equal(PARSE(&cfg, "--metrics", "a", "--metrics", "b"), V6T_OPT_BAD);
	/* the recording read or written is never replaced by metrics */
	assert_int_equal(PARSE(&cfg, "-w", "/tmp/v.prom", "--metrics", "/tmp/v.prom"), V6T_OPT_BAD);
}

/* --file-mode: octal permission bits, default 0600, only for a file that -w creates */
static void test_file_mode(void **state)
{
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(PARSE(&cfg, "-w", "/tmp/x.v6t"), V6T_OPT_RUN);
	assert_int_equal(cfg.file_mode, 0600);
	assert_int_equal(PARSE(&cfg, "-w", "/tmp/x.v6t", "--file-mode", "0640"), V6T_OPT_RUN);
	assert_int_equal(cfg.file_mode, 0640);
	assert_int_equal(PARSE(&cfg, "-w", "/tmp/x.v6t", "--file-mode=644"), V6T_OPT_RUN);
	assert_int_equal(cfg.file_mode, 0644);
	assert_int_equal(PARSE(&cfg, "-w", "/tmp/x.v6t", "--file-mode", "0"), V6T_OPT_RUN);
	assert_int_equal(cfg.file_mode, 0);
	BAD("invalid file mode '0o640'", "-w", "/tmp/x.v6t", "--file-mode", "0o640");
	BAD("invalid file mode '0800'", "-w", "/tmp/x.v6t", "--file-mode", "0800");
	BAD("invalid file mode '1777'", "-w", "/tmp/x.v6t", "--file-mode", "1777");
	BAD("invalid file mode '00640'", "-w", "/tmp/x.v6t", "--file-mode", "00640");
	BAD("invalid file mode '-640'", "-w", "/tmp/x.v6t", "--file-mode", "-640");
	BAD("invalid file mode ''", "-w", "/tmp/x.v6t", "--file-mode", "");
	BAD("invalid file mode 'rw-r-----'", "-w", "/tmp/x.v6t", "--file-mode", "rw-r-----");
	BAD("--file-mode needs -w FILE", "--file-mode", "0640");
	BAD("--file-mode needs -w FILE", "-w", "-", "--file-mode", "0640");
}

/* -r and -w are one file by (device, inode), not by name: ./X, d/../X, a hard link, stdin */
static void test_same_file(void **state)
{
	char dir[] = "/tmp/v6t-opt-XXXXXX";
	char file[64], dot[64], hard[64], sub[64], updown[64], new[64];
	struct v6t_config cfg;
	int fd, saved_stdin;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/x.v6t", dir);
	snprintf(dot, sizeof(dot), "%s/./x.v6t", dir);
	snprintf(hard, sizeof(hard), "%s/link.v6t", dir);
	snprintf(sub, sizeof(sub), "%s/d", dir);
	snprintf(updown, sizeof(updown), "%s/d/../x.v6t", dir);
	snprintf(new, sizeof(new), "%s/new.v6t", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(link(file, hard), 0);
	assert_int_equal(mkdir(sub, 0700), 0);

	BAD("-r and -w name the same file", "-r", file, "-w", file);
	BAD("-r and -w name the same file", "-r", file, "-w", dot);
	BAD("-r and -w name the same file", "-r", file, "-w", hard);
	BAD("-r and -w name the same file", "-r", file, "-w", updown);
	BAD("--metrics and -r or -w name the same file", "-r", file, "--metrics", hard);
	BAD("--metrics and -r or -w name the same file", "-w", dot, "--metrics", file);
	/* -r - reading X */
	saved_stdin = dup(STDIN_FILENO);
	fd = open(file, O_RDONLY);
	assert_true(fd >= 0 && saved_stdin >= 0);
	dup2(fd, STDIN_FILENO);
	close(fd);
	assert_int_equal(PARSE(&cfg, "-r", "-", "-w", dot), V6T_OPT_BAD);
	dup2(saved_stdin, STDIN_FILENO);
	close(saved_stdin);
	assert_non_null(strstr(err_text, "-r and -w name the same file"));
	/* a different file, or one that does not exist yet, is fine */
	assert_int_equal(PARSE(&cfg, "-r", file, "-w", sub), V6T_OPT_RUN);
	assert_int_equal(PARSE(&cfg, "-r", file, "-w", new), V6T_OPT_RUN);

	unlink(hard);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
}

/* -C rotates regular files: an existing device or FIFO at -w is refused at once */
static void test_rotate_needs_regular_file(void **state)
{
	struct v6t_config cfg;

	(void)state;
	BAD("-C rotates regular files", "-w", "/dev/null", "-C", "1");
	assert_int_equal(PARSE(&cfg, "-w", "/dev/null"), V6T_OPT_RUN);
	assert_int_equal(PARSE(&cfg, "-w", "/tmp/v6t-does-not-exist.v6t", "-C", "1"), V6T_OPT_RUN);
}

static uint64_t parsed_time(const char *text)
{
	uint64_t ns = 0;

	if (v6t_parse_time(text, &ns))
		fail_msg("'%s' is refused", text);
	return ns;
}

/* Times as ns since the epoch in a uint64_t: up to 2554-07-21T23:34:33.709551615Z, no further. */
static void test_time_range(void **state)
{
	uint64_t ns;

	(void)state;
	assert_int_equal(parsed_time("@0"), 0);
	assert_int_equal(parsed_time("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parsed_time("2026-11-24T10:00:00.5+01:00"), 1795510800500000000ULL);
	assert_int_equal(parsed_time("@1795510800.5"), 1795510800500000000ULL);
	assert_int_equal(parsed_time("2554-07-21T23:34:33.709551615Z"), UINT64_MAX);
	assert_int_equal(parsed_time("@18446744073.709551615"), UINT64_MAX);
	assert_int_equal(parsed_time("2024-02-29T00:00:00Z"), 1709164800000000000ULL);
	/* one nanosecond later would wrap to 1970 */
	assert_int_equal(v6t_parse_time("2554-07-21T23:34:33.709551616Z", &ns), -ERANGE);
	assert_int_equal(v6t_parse_time("2600-01-01T00:00:00Z", &ns), -ERANGE);
	assert_int_equal(v6t_parse_time("9999-12-31T23:59:59Z", &ns), -ERANGE);
	assert_int_equal(v6t_parse_time("@18446744073.709551616", &ns), -ERANGE);
	assert_int_equal(v6t_parse_time("@18446744074", &ns), -ERANGE);
	assert_int_equal(v6t_parse_time("@99999999999999999999999", &ns), -ERANGE);
	/* dates that do not exist are not moved to the next month */
	assert_int_equal(v6t_parse_time("2023-02-29T00:00:00Z", &ns), -EINVAL);
	assert_int_equal(v6t_parse_time("2026-04-31T00:00:00Z", &ns), -EINVAL);
	assert_int_equal(v6t_parse_time("@1.", &ns), -EINVAL);
	assert_int_equal(v6t_parse_time("1969-12-31T23:59:59Z", &ns), -EINVAL);
	assert_int_equal(v6t_parse_time("1970-01-01T00:00:00+01:00", &ns), -EINVAL);
}

static void test_time_bounds(void **state)
{
	struct v6t_sock_event e = { .kind = V6T_EV_BIND };
	struct v6t_config cfg;

	(void)state;
	/* @0 is 1970-01-01T00:00:00Z, not "no limit": nothing after it passes */
	assert_int_equal(PARSE(&cfg, "-r", "x.v6t", "--until", "@0"), V6T_OPT_RUN);
	assert_true(filter_at(&cfg, &e, 0));
	assert_false(filter_at(&cfg, &e, 1));
	assert_int_equal(PARSE(&cfg, "-r", "x.v6t", "--since", "@0"), V6T_OPT_RUN);
	assert_true(filter_at(&cfg, &e, 0));
	assert_true(filter_at(&cfg, &e, UINT64_MAX));
	assert_int_equal(PARSE(&cfg, "--since", "@5", "--until", "@5"), V6T_OPT_RUN);
	assert_true(filter_at(&cfg, &e, 5000000000ULL));
	assert_false(filter_at(&cfg, &e, 5000000001ULL));
	BAD("invalid until time '2600-01-01T00:00:00Z': after 2554-07-21T23:34:33Z", "--until",
	    "2600-01-01T00:00:00Z");
	BAD("invalid since time '@20000000000'", "--since", "@20000000000");
	BAD("invalid until time '2023-02-29T10:00:00Z': expected RFC 3339", "--until",
	    "2023-02-29T10:00:00Z");
	/* an empty range, however it is written */
	BAD("--since is after --until", "--since", "@100", "--until", "@0");
	BAD("invalid since time '2600-01-01T00:00:00Z'", "--since", "2600-01-01T00:00:00Z", "--until",
	    "2026-01-01T00:00:00Z");
	BAD("--since is after --until", "--since", "2026-01-01T00:00:00.000000001Z", "--until",
	    "2026-01-01T00:00:00Z");
}

/* getopt's '?' said "unknown" for every long option it did not take, whatever the reason */
static void test_bad_long_options(void **state)
{
	struct v6t_config cfg;

	(void)state;
	BAD("option '--re' is ambiguous: --read, --ready-fd", "--re", "x");
	BAD("option '--rea' is ambiguous: --read, --ready-fd", "--rea=x");
	BAD("option '--ro' is ambiguous: --rotate-size, --rotate-count", "--ro=5");
	BAD("option '--json' takes no value", "--json=yes");
	BAD("option '--follow' takes no value", "--follow=1", "-r", "x");
	BAD("unknown option '-x'", "-jx");
	/* the hidden --ready-fd answers to its whole name only */
	BAD("unknown option '--ready'", "--ready", "3");
	BAD("unknown option '--ready-f=3'", "--ready-f=3");
	assert_int_equal(PARSE(&cfg, "--ready-fd=5"), V6T_OPT_RUN);
	assert_int_equal(cfg.ready_fd, 5);
	assert_int_equal(PARSE(&cfg, "--ready-fd", "6"), V6T_OPT_RUN);
	assert_int_equal(cfg.ready_fd, 6);
	/* documented options keep their unambiguous abbreviations */
	assert_int_equal(PARSE(&cfg, "--read", "x.v6t", "--foll", "--summ"), V6T_OPT_RUN);
	assert_string_equal(cfg.read_path, "x.v6t");
	assert_true(cfg.follow && cfg.summary);
}

/* One recording, one name, one namespace, one cgroup: a second one is not "the last wins". */
static void test_given_twice(void **state)
{
	char cgroup[1024];

	(void)state;
	assert_int_equal(v6t_cgroup2_mount(cgroup, sizeof(cgroup)), 0);
	BAD("invalid file 'b.v6t': -w is given more than once", "-w", "a.v6t", "-w", "b.v6t");
	BAD("invalid file 'b.v6t': -r is given more than once", "-r", "a.v6t", "--read=b.v6t");
	BAD("invalid comm 'b': -c is given more than once", "-c", "a", "-c", "b");
	BAD("invalid netns '2': -N is given more than once", "-N", "1", "-N", "2");
	BAD("--cgroup is given more than once", "--cgroup", cgroup, "--cgroup", cgroup);
}

/* -N names a network namespace: an nsfs file of type net, or an inode number. */
static void test_netns_file(void **state)
{
	struct v6t_config cfg;
	struct stat st;

	(void)state;
	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	assert_int_equal(PARSE(&cfg, "-N", "/proc/self/ns/net"), V6T_OPT_RUN);
	assert_int_equal(cfg.netns, st.st_ino);
	BAD("invalid netns '/etc': expected an inode number or a network namespace file", "-N", "/etc");
	BAD("invalid netns '/dev/null'", "-N", "/dev/null");
	BAD("invalid netns '/proc/self/ns/mnt'", "-N", "/proc/self/ns/mnt");
	BAD("invalid netns '/nonexistent'", "-N", "/nonexistent");
}

/* Combinations that would trace or list nothing, silently. */
static void test_nothing_to_show(void **state)
{
	struct v6t_config cfg;

	(void)state;
	BAD("--event listening needs the start-up snapshot", "--event", "listening", "--no-snapshot");
	BAD("--event listening needs the start-up snapshot", "--event", "accept,listening",
	    "--no-snapshot");
	BAD("--all-netns applies to the start-up snapshot", "--all-netns", "--no-snapshot");
	BAD("-l lists listening sockets", "-l", "--event", "accept");
	BAD("-l lists listening sockets", "-l", "--no-snapshot");
	assert_int_equal(PARSE(&cfg, "--event", "accept", "--no-snapshot"), V6T_OPT_RUN);
	assert_int_equal(PARSE(&cfg, "-l", "--event", "listening,accept"), V6T_OPT_RUN);
	assert_int_equal(PARSE(&cfg, "-r", "x.v6t", "--event", "listening"), V6T_OPT_RUN);
}

static void test_help_and_version_stop(void **state)
{
	struct v6t_config cfg;

	(void)state;
	assert_int_equal(PARSE(&cfg, "--help"), V6T_OPT_DONE);
	assert_int_equal(PARSE(&cfg, "-V"), V6T_OPT_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_backend_names),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_address_and_uid_filters),
		cmocka_unit_test(test_bad_address_and_uid_filters),
		cmocka_unit_test(test_address_and_uid_limits),
		cmocka_unit_test(test_owner_options),
		cmocka_unit_test(test_event_lists),
		cmocka_unit_test(test_summary_only_events),
		cmocka_unit_test(test_metrics_options),
		cmocka_unit_test(test_file_mode),
		cmocka_unit_test(test_same_file),
		cmocka_unit_test(test_rotate_needs_regular_file),
		cmocka_unit_test(test_time_range),
		cmocka_unit_test(test_time_bounds),
		cmocka_unit_test(test_bad_long_options),
		cmocka_unit_test(test_given_twice),
		cmocka_unit_test(test_netns_file),
		cmocka_unit_test(test_nothing_to_show),
		cmocka_unit_test(test_help_and_version_stop),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}

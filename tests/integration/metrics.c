// SPDX-License-Identifier: GPL-2.0
/*
 * --metrics for real: a dual-stack [::] listener takes IPv4 and IPv6 clients while v6trace
 * traces; the file it rewrites every interval is scraped through Debian's node_exporter
 * (textfile collector, started here on a loopback port of the test's own namespace) and
 * parsed by python3-prometheus-client's parser, and the numbers are the connections made.
 * An IPv4 client of the IPv6-only listener's port is refused, once. Also -s -q and -w with
 * it, a replay giving the same file, and planted links refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

#define NODE_EXPORTER "/usr/bin/prometheus-node-exporter"
#define PYTHON "/usr/bin/python3"	/* Debian's, which has prometheus_client */
#define EXPORTER_PORT 9100
#define PORT 8400
#define HOSTILE_PORT 8401
#define N_IPV4 3	/* N_IPV4 - 1 from AF_INET sockets, one from AF_INET6 to ::ffff:127.0.0.1 */
#define N_IPV6 2
/* a process names itself: a quote, a backslash, a newline and a byte that is not UTF-8 */
#define HOSTILE_COMM "a\"b\\c\n\xff"

/*
 * The samples of a file (a path) or of a scrape (a URL) as python3-prometheus-client's
 * parser reads them, one line each: name, port, peer_class or source, ascii(comm), value.
 * The parser raises on any line it cannot read, and the exit status says so.
 */
static const char parse_script[] =
	"import sys, urllib.request\n"
	"from prometheus_client.parser import text_string_to_metric_families\n"
	"src = sys.argv[1]\n"
	"if src.startswith('http://'):\n"
	"    text = urllib.request.urlopen(src, timeout=10).read().decode('utf-8')\n"
	"else:\n"
	"    text = open(src, encoding='utf-8').read()\n"
	"for fam in text_string_to_metric_families(text):\n"
	"    for s in fam.samples:\n"
	"        l = s.labels\n"
	"        print(s.name, l.get('port', '-'), l.get('peer_class', l.get('source', '-')),\n"
	"              ascii(l.get('comm', '-')), int(s.value))\n";

static char dir[64], prom[128];
static pid_t exporter = -1;
static char out[1 << 20], err[1 << 16];

static int metrics_setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/v6t-metrics-XXXXXX");
	if (!mkdtemp(dir) || chmod(dir, 0755))
		return -1;
	snprintf(prom, sizeof(prom), "%s/v6trace.prom", dir);
	return itest_setup(state);
}

static int metrics_teardown(void **state)
{
	char cmd[128];
	int status;

	if (exporter > 0) {
		kill(exporter, SIGTERM);
		wait_exit(exporter, 5000, &status);
		exporter = -1;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "metrics: cannot remove %s\n", dir);
	return itest_teardown(state);
}

/* The samples of src (a file or a URL), parsed; fails the test if the parser refused them. */
static const char *parsed(const char *src)
{
	const char *argv[] = { PYTHON, "-c", parse_script, src, NULL };
	int status = run_capture(argv, out, sizeof(out), err, sizeof(err));

	if (status)
		fprintf(stderr, "metrics: the parser refused %s: %s\n", src, err);
	assert_int_equal(status, 0);
	return out;
}

static void expect_sample(const char *samples, const char *line)
{
	if (!strstr(samples, line))
		fprintf(stderr, "metrics: no \"%s\" in:\n%s\n", line, samples);
	assert_non_null(strstr(samples, line));
}

/* What the connections below must give, in the parser's lines, whoever scraped them. */
static void expect_counts(const char *samples)
{
	char line[128];

	snprintf(line, sizeof(line), "v6trace_accepts_total %d ipv4_mapped 'itest' %d\n", PORT, N_IPV4);
	expect_sample(samples, line);
	snprintf(line, sizeof(line), "v6trace_accepts_total %d ipv6 'itest' %d\n", PORT, N_IPV6);
	expect_sample(samples, line);
	snprintf(line, sizeof(line), "v6trace_accepts_total %d ipv4 'itest' 0\n", PORT);
	expect_sample(samples, line);
	snprintf(line, sizeof(line), "v6trace_listener_v6only %d setsockopt 'itest' 0\n", PORT);
	expect_sample(samples, line);
	snprintf(line, sizeof(line), "v6trace_listener_v6only %d setsockopt %s 1\n", HOSTILE_PORT,
		 "'a\"b\\\\c\\n\\ufffd'");
	expect_sample(samples, line);
	snprintf(line, sizeof(line), "v6trace_connects_total - ipv4 '-' %d\n", N_IPV4 - 1);
	expect_sample(samples, line);
	expect_sample(samples, "v6trace_connects_total - ipv4_mapped '-' 1\n");
	snprintf(line, sizeof(line), "v6trace_connects_total - ipv6 '-' %d\n", N_IPV6);
	expect_sample(samples, line);
	snprintf(line, sizeof(line), "v6trace_refused_total %d - '-' 1\n", HOSTILE_PORT);
	expect_sample(samples, line);
	expect_sample(samples, "v6trace_lost_events_total - - '-' 0\n");
}

/* A dual-stack [::]:PORT and an IPv6-only listener owned by a hostile name; then clients. */
static void drive_clients(void)
{
	int lfd, hostile, fds[2 * (N_IPV4 + N_IPV6)], n = 0;

	assert_int_equal(prctl(PR_SET_NAME, HOSTILE_COMM), 0);
	hostile = tcp_listen(AF_INET6, "::", HOSTILE_PORT, 1);
	assert_int_equal(prctl(PR_SET_NAME, "itest"), 0);
	lfd = tcp_listen(AF_INET6, "::", PORT, 0);
	assert_true(hostile >= 0 && lfd >= 0);
	for (int i = 0; i < N_IPV4 - 1; i++)
		fds[n++] = tcp_connect(AF_INET, "127.0.0.1", PORT);
	fds[n++] = tcp_connect(AF_INET6, "::ffff:127.0.0.1", PORT);
	for (int i = 0; i < N_IPV6; i++)
		fds[n++] = tcp_connect(AF_INET6, "::1", PORT);
	for (int i = 0; i < N_IPV4 + N_IPV6; i++)
		fds[n++] = accept_one(lfd);
	for (int i = 0; i < n; i++) {
		assert_true(fds[i] >= 0);
		close(fds[i]);
	}
	/* the IPv6-only listener's port refuses an IPv4 client: one refused SYN */
	assert_int_equal(tcp_connect(AF_INET, "127.0.0.1", HOSTILE_PORT), -ECONNREFUSED);
	close(lfd);
	close(hostile);
}

/* node_exporter on 127.0.0.1:EXPORTER_PORT of this namespace, ready once it takes a connect. */
static void start_exporter(void)
{
	char listen[64], textdir[128], log[160];
	const char *argv[] = { NODE_EXPORTER, listen, "--collector.disable-defaults",
			       "--collector.textfile", textdir, NULL };
	int fd, log_fd;

	snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%d", EXPORTER_PORT);
	snprintf(textdir, sizeof(textdir), "--collector.textfile.directory=%s", dir);
	snprintf(log, sizeof(log), "%s.exporter.log", dir);
	log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(log_fd >= 0);
	exporter = spawn_fds(argv, -1, log_fd, log_fd);
	close(log_fd);
	assert_true(exporter > 0);
	for (int i = 0; i < 500; i++) {
		fd = tcp_connect(AF_INET, "127.0.0.1", EXPORTER_PORT);
		if (fd >= 0) {
			close(fd);
			return;
		}
		poll(NULL, 0, 20);	/* polling the port: it listens within a second or so */
	}
	fail_msg("node_exporter did not listen on 127.0.0.1:%d (log: %s)", EXPORTER_PORT, log);
}

/*
 * Live -q --metrics with a 1 s interval: the interval's rewrite brings the counts (the first
 * file was written before any client came), and node_exporter serves them as they are.
 */
static void test_node_exporter_scrape(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	const char *const args[] = { "-q", "--metrics", prom, "--metrics-interval", "1", NULL };
	char needle[64], url[64];
	const char *samples;

	assert_true(ns != 0);
	start_traced(t, ns, args);
	assert_true(access(prom, F_OK) == 0);
	drive_clients();
	snprintf(needle, sizeof(needle), "peer_class=\"ipv6\"} %d\n", N_IPV6);
	assert_int_equal(wait_file_replaced(prom, needle, 5000), 0);
	stop_traced(t);
	expect_counts(parsed(prom));
	start_exporter();
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", EXPORTER_PORT);
	samples = parsed(url);
	expect_sample(samples, "node_textfile_scrape_error - - '-' 0\n");
	expect_counts(samples);
}

static void replay_to(const char *recording, const char *metrics, const char *extra)
{
	const char *argv[] = { tracer_binary(), "-r", recording, "-q", "--metrics", metrics, extra,
			       NULL };

	assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err)), 0);
}

/* -w beside --metrics, and -r of that recording: the same file, byte for byte. */
static void test_replay_same_numbers(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	char rec[128], replayed[128];
	const char *const args[] = { "-q", "-w", rec, "--metrics", prom, NULL };
	char *live, *again;

	snprintf(rec, sizeof(rec), "%s/trace.v6t", dir);
	snprintf(replayed, sizeof(replayed), "%s/replayed.prom", dir);
	assert_true(ns != 0);
	start_traced(t, ns, args);
	drive_clients();
	stop_traced(t);
	expect_counts(parsed(prom));
	replay_to(rec, replayed, "-sj");
	assert_non_null(strstr(out, "\"accepts_ipv4_mapped\":3,\"accepts_ipv4\":0,\"accepts_ipv6\":2"));
	live = slurp_file(prom, NULL);
	again = slurp_file(replayed, NULL);
	assert_non_null(live);
	assert_non_null(again);
	assert_string_equal(again, live);
	free(live);
	free(again);
}

/* -s -q with --metrics: accepts sent one by one, so the file and the summary agree. */
static void test_summary_quiet(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	const char *const args[] = { "-s", "-q", "--metrics", prom, NULL };
	json_object *row;

	assert_true(ns != 0);
	start_traced(t, ns, args);
	drive_clients();
	stop_traced(t);
	expect_counts(parsed(prom));
	row = ev_find(t, "summary", PORT, 0);
	assert_non_null(row);
	assert_int_equal(ev_int(row, "accepts_ipv4_mapped"), N_IPV4);
	assert_int_equal(ev_int(row, "accepts_ipv6"), N_IPV6);
}

/*
 * A link planted at the name, before the start or between two writes, is never followed:
 * refused at the start (exit status 1), and between writes each write is refused.
 */
static void test_planted_link(void **state)
{
	struct tracer *t = *state;
	uint64_t ns = netns_enter_new();
	const char *const args[] = { "-q", "--metrics", prom, "--metrics-interval", "1", NULL };
	char target[128], link_tmp[128];
	const char *argv[] = { tracer_binary(), "-q", "--metrics", prom, "-d", "10", NULL };
	struct stat st;

	assert_true(ns != 0);
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(link_tmp, sizeof(link_tmp), "%s/link", dir);
	assert_int_equal(symlink(target, prom), 0);
	assert_int_equal(WEXITSTATUS(run_capture(argv, out, sizeof(out), err, sizeof(err))), 1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(lstat(target, &st), -1);
	assert_int_equal(unlink(prom), 0);

	start_traced(t, ns, args);
	assert_int_equal(symlink(target, link_tmp), 0);
	assert_int_equal(rename(link_tmp, prom), 0);
	assert_int_equal(wait_file_output(t->err_path, "symbolic link", 1, 5000), 0);
	/* the last write, at exit, is refused too: exit status 1 */
	assert_int_not_equal(tracer_stop(t), 0);
	assert_true(WIFEXITED(t->status));
	assert_int_equal(WEXITSTATUS(t->status), 1);
	assert_int_equal(lstat(target, &st), -1);
	assert_int_equal(lstat(prom, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

int run_metrics_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_node_exporter_scrape, metrics_setup,
						metrics_teardown),
		cmocka_unit_test_setup_teardown(test_replay_same_numbers, metrics_setup,
						metrics_teardown),
		cmocka_unit_test_setup_teardown(test_summary_quiet, metrics_setup, metrics_teardown),
		cmocka_unit_test_setup_teardown(test_planted_link, metrics_setup, metrics_teardown),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}

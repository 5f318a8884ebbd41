/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a run was asked to do, as options.c parses it: read by the pipeline (filters, output,
 * recording) and by the live tracer. Plain data: the core needs no option parser.
 */
#ifndef V6T_CONFIG_H
#define V6T_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "cidr.h"
#include "outfile.h"
#include "v6trace.h"

#define V6T_MAX_PIDS 64		/* matches the filter_pids map */
#define V6T_MAX_PORTS 64	/* matches the filter_ports map */
#define V6T_MAX_UIDS 64		/* matches the filter_uids map */
#define V6T_DEFAULT_BUFFER_KIB 1024
#define V6T_MAX_OWNERS 16	/* --container, --pod and --unit together */

/* --container, --pod, --unit: an owner as container.h recognises it */
enum v6t_owner_by {
	V6T_OWNER_CONTAINER,	/* a container's name, or a prefix of its id */
	V6T_OWNER_POD,		/* NAMESPACE/NAME, or the pod's UID */
	V6T_OWNER_UNIT,		/* a systemd unit, ".service" optional */
};

struct v6t_owner_filter {
	uint8_t by;		/* enum v6t_owner_by */
	char value[512];
};

struct v6t_config {
	uint32_t pids[V6T_MAX_PIDS];
	unsigned int n_pids;
	uint16_t ports[V6T_MAX_PORTS];
	unsigned int n_ports;
	char comm[V6T_COMM_LEN];	/* "" = any */
	uint32_t uids[V6T_MAX_UIDS];	/* -u */
	unsigned int n_uids;
	struct v6t_cidr peers[V6T_MAX_PREFIXES];	/* --peer */
	unsigned int n_peers;
	struct v6t_cidr locals[V6T_MAX_PREFIXES];	/* --local */
	unsigned int n_locals;
	uint64_t netns;			/* 0 = any */
	bool mapped_only;
	bool json;
	unsigned int duration_s;	/* 0 = until interrupted */
	uint64_t count;			/* 0 = unlimited */
	int backend;			/* V6T_BACKEND_* */
	int verbose;
	int ready_fd;			/* -1 = none */
	uint32_t buffer_kib;		/* ring buffer size */
	const char *write_path;		/* -w: record to this file ("-": stdout) */
	const char *read_path;		/* -r: replay this recording ("-": stdin) */
	bool quiet;			/* -q: no event display */
	bool follow;			/* --follow: keep reading a growing recording */
	bool summary;			/* -s: per-listener summary at the end */
	uint64_t rotate_bytes;		/* -C: start a new file past this size (0: never) */
	unsigned int rotate_keep;	/* -W: keep at most this many files (0: all) */
	unsigned int file_mode;		/* --file-mode: of the files -w creates */
	struct v6t_file_id read_id;	/* -r's file when it is a regular one, else 0 */
	uint32_t event_mask;		/* --event: bit per V6T_EV_* kind (0: all) */
	bool event_mask_implied;	/* event_mask is what -q needs, not what --event asked */
	/* --since/--until: wall-clock bounds; since 0 is the epoch, which bounds nothing */
	uint64_t since_ns, until_ns;
	bool until_set;			/* --until was given: until_ns 0 is the epoch */
	int color;			/* V6T_COLOR_*: --color */
	bool listeners_only;		/* -l: print the snapshot of existing sockets and exit */
	bool no_snapshot;		/* --no-snapshot: live tracing without the start-up snapshot */
	bool all_netns;			/* --all-netns: snapshot every network namespace */
	bool wide;			/* --wide: show the container (cgroup) of each event */
	uint64_t cgroup;		/* --cgroup: cgroup v2 id, 0 = any */
	struct v6t_owner_filter owners[V6T_MAX_OWNERS];	/* any of them matches */
	unsigned int n_owners;
	const char *metrics_path;	/* --metrics: the Prometheus text file, or NULL */
	unsigned int metrics_interval_s; /* --metrics-interval: rewritten this often */
};

#define V6T_METRICS_INTERVAL_DEFAULT 15	/* node_exporter's own default scrape interval */

#define V6T_COLOR_AUTO 0	/* on a terminal, unless NO_COLOR is set */
#define V6T_COLOR_NEVER 1
#define V6T_COLOR_ALWAYS 2

/* Live tracing whose only output is the summary: no display, no recording, no replay. */
static inline bool v6t_summary_alone(const struct v6t_config *cfg)
{
	return cfg->summary && cfg->quiet && !cfg->write_path && !cfg->read_path;
}

/*
 * The summary alone, and nothing needs each accept on its own: no -n to count events towards,
 * no --since/--until to check each one against, no --metrics to write the counts to while
 * tracing (the kernel's are merged only at exit). The kernel may then count a listener's
 * accepts instead of sending them (v6t_counted).
 */
static inline bool v6t_summary_only(const struct v6t_config *cfg)
{
	return v6t_summary_alone(cfg) && !cfg->count && !cfg->since_ns && !cfg->until_set &&
	       !cfg->metrics_path;
}

#endif

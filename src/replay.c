// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "cgroup.h"
#include "follow.h"
#include "output.h"
#include "pipeline.h"
#include "replay.h"
#include "stop.h"

/* a header field as a terminal may show it: a recording may come from anyone */
static const char *shown(char *buf, size_t size, const char *field)
{
	return field[0] ? sb_printable(buf, size, field) : "?";
}

static void print_origin(const struct v6t_file_info *info)
{
	char host[sizeof(info->hostname)], kernel[sizeof(info->kernel)];
	char version[sizeof(info->version)], hooks[sizeof(info->backends)];

	fprintf(stderr, "v6trace: recorded on %s (kernel %s) by v6trace %s, format %u.%u; hooks: %s\n",
		shown(host, sizeof(host), info->hostname),
		shown(kernel, sizeof(kernel), info->kernel),
		shown(version, sizeof(version), info->version), info->major, info->minor,
		shown(hooks, sizeof(hooks), info->backends));
	if (info->has_netns)
		fprintf(stderr, "v6trace: recorder's network namespace %llu had net.ipv6.bindv6only=%u\n",
			(unsigned long long)info->netns.netns_ino, info->netns.bindv6only);
}

/* A record past --until: following, once one was read, nothing more can match. */
static bool after_until(const struct v6t_config *cfg, const struct v6t_rec_hdr *rec,
			int64_t boot_to_wall)
{
	uint64_t ts_boot;

	if (!cfg->until_ns || (rec->type != V6T_REC_SOCK_EVENT && rec->type != V6T_REC_LOST))
		return false;
	memcpy(&ts_boot, (const char *)rec + offsetof(struct v6t_lost, ts_boot_ns),
	       sizeof(ts_boot));
	return ts_boot + boot_to_wall > cfg->until_ns;
}

_Static_assert(offsetof(struct v6t_lost, ts_boot_ns) == offsetof(struct v6t_sock_event, ts_boot_ns),
	       "after_until reads both the same way");

/* Every record through the pipeline; returns why it stopped. */
static enum v6t_read_result replay_records(struct v6t_pipeline *p, struct v6t_follow *src,
					   const struct v6t_config *cfg, volatile int *stop)
{
	enum v6t_read_result res = V6T_READ_END;
	const struct v6t_file_info *info;
	const struct v6t_rec_hdr *rec;
	bool past_until = false;
	int64_t boot_to_wall;

	while (!*stop && !v6t_pipeline_done(p)) {
		res = v6t_follow_next(src, &rec);
		if (res == V6T_READ_IDLE) {
			/* following, and caught up with the writer: show what came */
			if (v6t_pipeline_flush(p) || past_until)
				break;
			continue;
		}
		if (res != V6T_READ_RECORD)
			break;
		/* following may move on to a new run, with a clock of its own */
		info = v6t_follow_info(src);
		boot_to_wall = info->boot_to_wall_ns;
		v6t_pipeline_set_clock(p, boot_to_wall);
		/* ids are another machine's, or another boot's: owners as recorded, if they are */
		v6t_cgroup_recorded_only(info->minor >= V6T_FILE_MINOR_OWNERS);
		past_until = past_until || after_until(cfg, rec, boot_to_wall);
		v6t_pipeline_push(p, rec, rec->size);
	}
	return res;
}

int v6t_run_replay(const struct v6t_config *cfg, volatile int *stop)
{
	struct v6t_pipeline *p = NULL;
	struct v6t_follow *src = NULL;
	enum v6t_read_result res;
	int err, ferr;

	/* -d: the same stop as a signal's, whether reading a file, a pipe or following */
	err = v6t_stop_after(cfg->duration_s);
	if (err)
		return err;
	err = v6t_follow_open(&src, cfg->read_path, cfg->follow);
	if (err == -EINTR && *stop)
		return 0;	/* stopped before there was anything to show */
	if (err) {
		fprintf(stderr, "v6trace: %s\n", v6t_follow_open_error());
		return err;
	}
	if (cfg->verbose)
		print_origin(v6t_follow_info(src));
	/* replayed times are the recording machine's wall-clock times */
	err = v6t_pipeline_new(&p, cfg, v6t_follow_info(src)->boot_to_wall_ns, V6T_DISPLAY_DEFAULT);
	if (err)
		goto out;
	if (cfg->write_path) {
		err = v6t_pipeline_record_to(p, v6t_follow_info(src));
		if (err)
			goto out;
	}
	v6t_pipeline_header(p);
	res = replay_records(p, src, cfg, stop);
	if (!v6t_pipeline_done(p) && res == V6T_READ_TRUNCATED)
		fprintf(stderr, "v6trace: warning: %s; everything before it was replayed\n",
			v6t_follow_error(src));
	if (!v6t_pipeline_done(p) && res == V6T_READ_ERROR) {
		fprintf(stderr, "v6trace: %s\n", v6t_follow_error(src));
		err = -EINVAL;
	}
out:
	ferr = v6t_pipeline_close(p);
	v6t_follow_close(src);
	return err ? err : ferr;
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "output.h"
#include "printer.h"
#include "reader.h"
#include "replay.h"

static void print_origin(const struct v6t_file_info *info)
{
	fprintf(stderr, "v6trace: recorded on %s (kernel %s) by v6trace %s, format %u.%u; hooks: %s\n",
		info->hostname[0] ? info->hostname : "?", info->kernel[0] ? info->kernel : "?",
		info->version[0] ? info->version : "?", info->major, info->minor,
		info->backends[0] ? info->backends : "?");
	if (info->has_netns)
		fprintf(stderr, "v6trace: recorder's network namespace %llu had net.ipv6.bindv6only=%u\n",
			(unsigned long long)info->netns.netns_ino, info->netns.bindv6only);
}

int v6t_run_replay(const struct v6t_config *cfg, volatile int *stop)
{
	static struct v6t_printer p;
	struct v6t_reader *r = NULL;
	const struct v6t_rec_hdr *rec;
	enum v6t_read_result res;
	int err, ferr;

	err = v6t_reader_open(&r, cfg->read_path);
	if (err) {
		fprintf(stderr, "v6trace: %s\n", v6t_reader_open_error());
		return err;
	}
	if (cfg->verbose)
		print_origin(v6t_reader_info(r));
	/* replayed times are the recording machine's wall-clock times */
	err = v6t_printer_init(&p, cfg, v6t_reader_info(r)->boot_to_wall_ns);
	if (err)
		goto out;
	if (cfg->write_path) {
		err = v6t_printer_open_writer(&p, v6t_reader_info(r));
		if (err)
			goto out;
	}
	v6t_printer_header(&p);
	while (!p.done && (res = v6t_reader_next(r, &rec, cfg->follow, stop)) == V6T_READ_RECORD) {
		v6t_printer_record(&p, rec, rec->size);
		/* following a live file: show each batch as it arrives */
		if (cfg->follow && v6t_printer_flush(&p))
			break;
	}
	if (!p.done && res == V6T_READ_TRUNCATED)
		fprintf(stderr, "v6trace: warning: %s; everything before it was replayed\n", v6t_reader_error(r));
	if (!p.done && res == V6T_READ_ERROR) {
		fprintf(stderr, "v6trace: %s\n", v6t_reader_error(r));
		err = -EINVAL;
	}
out:
	ferr = v6t_printer_finish(&p);
	v6t_reader_close(r);
	return err ? err : ferr;
}

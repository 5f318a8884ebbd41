// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the recording reader: any bytes as a recording, read to the end and
 * every record sent through the same path as a replay (filter, decode, text and JSON, summary),
 * once per configuration below, so the fuzzer reaches the filters and the summary too. The
 * same bytes also go to the other parser of what others write: the container recogniser, as
 * a cgroup path and as a runtime's JSON state file (src/core/container.c).
 * Built with -fsanitize=fuzzer,address,undefined; `make fuzz` runs it for a bounded time and
 * `make check` replays the corpus and any saved crash through it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "cgroup.h"
#include "container.h"
#include "options.h"
#include "pipeline.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Replay options as a user gives them (after -r -), parsed by the real option parser. Owners
 * (--wide, --container, ...) come from the input's owner records alone, as a replay of a
 * recording that keeps them has them: never from the cgroups of the machine the fuzzer runs
 * on, which would not be deterministic.
 */
static const char *const configs[][10] = {
	{ "-s" },
	{ "-j", "-s" },
	{ "--event", "accept", "-j" },
	{ "--event", "listening,connect,udp-mapped", "--color=always" },
	{ "-m", "-s", "-q" },
	{ "-m", "-j", "-s", "-q" },
	{ "-P", "8080", "-P", "22", "-c", "python3", "-p", "4242" },
	{ "--since", "@1700000000", "--until", "2030-01-01T00:00:00.5+01:00", "-j", "-s" },
	{ "--until", "@0", "-s" },
	{ "-n", "3", "-N", "4026531840" },
	{ "--wide", "-j", "-s", "--container", "shop-web", "--pod", "shop/web" },
	{ "--wide", "--unit", "nginx", "--pod", "1f2e3d4c-5b6a-4789-8abc-def012345678" },
};

#define N_CONFIGS (sizeof(configs) / sizeof(configs[0]))

static struct v6t_config cfgs[N_CONFIGS];

static void parse_configs(void)
{
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		abort();
	for (size_t i = 0; i < N_CONFIGS; i++) {
		char *argv[16] = { "v6trace", "-r", "-" };
		int argc = 3;

		for (size_t j = 0; j < 10 && configs[i][j]; j++)
			argv[argc++] = (char *)configs[i][j];
		if (v6t_parse_options(argc, argv, &cfgs[i], null, null) != V6T_OPT_RUN)
			abort();
	}
	fclose(null);
	/* times are shown in local time: the same on every machine */
	setenv("TZ", "UTC", 1);
	/* the text display reports lost events on stderr: not interleaved with libFuzzer's log */
	stderr = fopen("/dev/null", "w");
}

static void replay(int in, int out, const struct v6t_config *cfg)
{
	struct v6t_pipeline *p;
	const struct v6t_rec_hdr *rec;
	struct v6t_reader *r;

	if (lseek(in, 0, SEEK_SET) || v6t_reader_open_fd(&r, in, "fuzz"))
		return;
	v6t_cgroup_recorded_forget();
	v6t_cgroup_recorded_only(true);
	if (v6t_pipeline_new(&p, cfg, v6t_reader_info(r)->boot_to_wall_ns, out))
		abort();
	while (!v6t_pipeline_done(p) && v6t_reader_next(r, &rec) == V6T_READ_RECORD)
		v6t_pipeline_push(p, rec, rec->size);
	v6t_pipeline_close(p);
	if (ftruncate(out, 0))
		abort();
	v6t_reader_close(r);
}

static void container_parsers(const uint8_t *data, size_t size)
{
	char *path = malloc(size + 1), out[64];
	struct v6t_container c;

	if (!path)
		abort();
	memcpy(path, data, size);
	path[size] = '\0';
	v6t_container_parse(path, &c);
	v6t_json_string((const char *)data, size, "Name", 1, out, sizeof(out));
	v6t_json_string((const char *)data, size, "io.kubernetes.cri.container-name", 0, out,
			sizeof(out));
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int devnull = -1;
	int fd;

	if (devnull < 0) {
		parse_configs();
		devnull = memfd_create("v6t-fuzz-out", MFD_CLOEXEC);
	}
	fd = memfd_create("v6t-fuzz-in", MFD_CLOEXEC);
	if (fd < 0 || devnull < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	for (size_t i = 0; i < N_CONFIGS; i++)
		replay(fd, devnull, &cfgs[i]);
	close(fd);
	container_parsers(data, size);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include "chain.h"
#include "clock.h"

static void new_run_id(__u8 id[16])
{
	__u64 mix[2];

	if (getrandom(id, 16, GRND_NONBLOCK) == 16)
		return;
	/* early boot, no entropy yet: unique is all a run id needs to be */
	mix[0] = v6t_clock_ns(CLOCK_REALTIME);
	mix[1] = v6t_clock_ns(CLOCK_BOOTTIME) ^ ((__u64)getpid() << 40);
	memcpy(id, mix, 16);
}

void v6t_chain_mark(struct v6t_file_info *info, unsigned int index)
{
	if (!index)
		new_run_id(info->run.id);
	info->run.index = index;
	info->has_run = 1;
}

int v6t_chain_name(char *out, size_t size, const char *base, unsigned int index)
{
	int n = index ? snprintf(out, size, "%s.%u", base, index) : snprintf(out, size, "%s", base);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* The n of ".n" as the writer writes it: digits, no leading zero, not 0. 0 if it is not one. */
static unsigned int parse_index(const char *s)
{
	char *end;
	unsigned long v;

	if (*s < '1' || *s > '9')
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	return *end || errno || v > UINT_MAX ? 0 : v;
}

int v6t_chain_base(char *out, size_t size, const char *path, unsigned int index)
{
	const char *dot = strrchr(path, '.');
	size_t len = strlen(path);

	if (index) {
		if (!dot || parse_index(dot + 1) != index)
			return -EINVAL;
		len = dot - path;
	}
	if (len >= size)
		return -EINVAL;
	memcpy(out, path, len);
	out[len] = '\0';
	return 0;
}

bool v6t_chain_same_run(const struct v6t_file_info *a, const struct v6t_file_info *b)
{
	return a->has_run && b->has_run && !memcmp(a->run.id, b->run.id, sizeof(a->run.id));
}

void v6t_chain_dir(char *out, size_t size, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, size, ".");
	else if (slash == path)
		snprintf(out, size, "/");
	else
		snprintf(out, size, "%.*s", (int)(slash - path), path);
}

int v6t_chain_scan(const char *base, void (*found)(void *ctx, unsigned int index, const char *path),
		   void *ctx)
{
	const char *slash = strrchr(base, '/');
	const char *name = slash ? slash + 1 : base;
	size_t name_len = strlen(name);
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *d;
	DIR *dh;

	v6t_chain_dir(dir, sizeof(dir), base);
	dh = opendir(dir);
	if (!dh)
		return -errno;
	while ((d = readdir(dh))) {
		unsigned int index;

		if (strncmp(d->d_name, name, name_len) || d->d_name[name_len] != '.')
			continue;
		index = parse_index(d->d_name + name_len + 1);
		if (index && !v6t_chain_name(path, sizeof(path), base, index))
			found(ctx, index, path);
	}
	closedir(dh);
	return 0;
}

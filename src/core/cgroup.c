// SPDX-License-Identifier: GPL-2.0
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cgroup.h"

#define CACHE_SIZE 512	/* containers on one host: far fewer; a full cache just rescans */
#define NAME_LEN 64

struct entry {
	uint64_t id;
	char name[NAME_LEN];
};

static struct entry cache[CACHE_SIZE];
static unsigned int cached;
static time_t last_scan;

int v6t_cgroup2_mount(char *out, size_t size)
{
	char line[4096], mnt[1024], type[64];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = -1;

	if (!f)
		return -1;
	/* "36 25 0:31 / /sys/fs/cgroup rw,... shared:9 - cgroup2 cgroup2 rw" */
	while (found && fgets(line, sizeof(line), f)) {
		const char *dash = strstr(line, " - ");

		if (dash && sscanf(dash, " - %63s", type) == 1 && !strcmp(type, "cgroup2") &&
		    sscanf(line, "%*s %*s %*s %*s %1023s", mnt) == 1) {
			snprintf(out, size, "%s", mnt);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static int remember(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *base = path + ftw->base;

	if (type != FTW_D || cached == CACHE_SIZE)
		return 0;
	cache[cached].id = st->st_ino;
	snprintf(cache[cached].name, NAME_LEN, "%s", ftw->level ? base : "/");
	cached++;
	return 0;
}

static void rescan(void)
{
	char root[1024];

	cached = 0;
	if (v6t_cgroup2_mount(root, sizeof(root)) == 0)
		nftw(root, remember, 16, FTW_PHYS | FTW_MOUNT);
}

const char *v6t_cgroup_name(uint64_t id)
{
	time_t now = time(NULL);

	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < cached; i++)
			if (cache[i].id == id)
				return cache[i].name;
		/* a new container since the last look: rescan, but not for every event */
		if (pass || now == last_scan)
			break;
		last_scan = now;
		rescan();
	}
	return NULL;
}

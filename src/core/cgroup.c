// SPDX-License-Identifier: GPL-2.0
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cgroup.h"

#define CACHE_SIZE 512	/* containers on one host: far fewer; a full cache just rescans */

struct entry {
	uint64_t id;
	char *path;			/* from the hierarchy's root, as /proc/PID/cgroup gives it */
	struct v6t_cgroup_owner *owner;	/* made on first use */
};

static struct entry cache[CACHE_SIZE];
static unsigned int cached;
static size_t root_len;
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
	(void)ftw;
	if (type != FTW_D || cached == CACHE_SIZE)
		return 0;
	cache[cached].path = strdup(path[root_len] ? path + root_len : "/");
	if (!cache[cached].path)
		return 0;
	cache[cached].id = st->st_ino;
	cache[cached].owner = NULL;
	cached++;
	return 0;
}

static void forget_all(void)
{
	for (unsigned int i = 0; i < cached; i++) {
		free(cache[i].path);
		free(cache[i].owner);
	}
	cached = 0;
}

static void rescan(void)
{
	char root[1024];

	forget_all();
	if (v6t_cgroup2_mount(root, sizeof(root)) == 0) {
		root_len = strlen(root);
		nftw(root, remember, 16, FTW_PHYS | FTW_MOUNT);
	}
}

/* What text shows: the owner as people name it, or failing that the cgroup's own name. */
static void label(struct v6t_cgroup_owner *o)
{
	const struct v6t_container *c = &o->c;
	const char *rt = v6t_runtime_name(c->runtime);

	if (c->runtime == V6T_RT_KUBERNETES && c->pod[0])
		snprintf(o->label, sizeof(o->label), "pod %s/%s", c->pod_namespace, c->pod);
	else if (c->runtime == V6T_RT_KUBERNETES)
		snprintf(o->label, sizeof(o->label), "pod %s", c->pod_uid);
	else if (c->runtime == V6T_RT_SYSTEMD)
		snprintf(o->label, sizeof(o->label), "%s", c->unit);
	else if (rt)	/* a runtime's container: its name, or the id's first 12 as docker ps */
		snprintf(o->label, sizeof(o->label), "%s:%.*s", rt, c->name[0] ? V6T_NAME_LEN : 12,
			 c->name[0] ? c->name : c->id);
	else
		snprintf(o->label, sizeof(o->label), "%s", o->cgroup);
}

static struct v6t_cgroup_owner *owner_of(struct entry *e)
{
	struct v6t_state_roots roots;
	const char *last = strrchr(e->path, '/');

	if (e->owner)
		return e->owner;
	e->owner = calloc(1, sizeof(*e->owner));
	if (!e->owner)
		return NULL;
	snprintf(e->owner->cgroup, sizeof(e->owner->cgroup), "%s",
		 last && last[1] ? last + 1 : "/");
	if (v6t_container_parse(e->path, &e->owner->c)) {
		v6t_state_roots_default(&roots);
		v6t_container_resolve(&e->owner->c, &roots);
	}
	label(e->owner);
	return e->owner;
}

const struct v6t_cgroup_owner *v6t_cgroup_owner(uint64_t id)
{
	time_t now = time(NULL);

	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < cached; i++)
			if (cache[i].id == id)
				return owner_of(&cache[i]);
		/* a new container since the last look: rescan, but not for every event */
		if (pass || now == last_scan)
			break;
		last_scan = now;
		rescan();
	}
	return NULL;
}

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

/* A cgroup into the cache: its path from the hierarchy's root. NULL if it is full. */
static struct entry *add(uint64_t id, const char *path)
{
	struct entry *e = &cache[cached];

	if (cached == CACHE_SIZE)
		return NULL;
	e->path = strdup(*path ? path : "/");
	if (!e->path)
		return NULL;
	e->id = id;
	e->owner = NULL;
	cached++;
	return e;
}

static int remember(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D)
		add(st->st_ino, path + root_len);
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

static int find_root(char *root, size_t size)
{
	int err = v6t_cgroup2_mount(root, size);

	if (!err)
		root_len = strlen(root);
	return err;
}

static void rescan(void)
{
	char root[1024];

	forget_all();
	if (!find_root(root, sizeof(root)))
		nftw(root, remember, 16, FTW_PHYS | FTW_MOUNT);
}

/* A task's cgroup v2 path from the hierarchy's root, from /proc/PID/cgroup ("0::/PATH"). */
static int task_path(uint32_t pid, char *out, size_t size)
{
	char file[64], line[4096];
	int err = -1;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%u/cgroup", pid);
	f = pid ? fopen(file, "re") : NULL;
	if (!f)
		return -1;
	while (err && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::/", 4))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(out, size, "%s", line + 3);
		err = 0;
	}
	fclose(f);
	return err;
}

/* The id of a live task's cgroup (the inode of its directory), and its path: 0 if none. */
static uint64_t task_cgroup(const char *root, uint32_t pid, char *path, size_t size)
{
	char dir[5200];
	struct stat st;

	if (!root || task_path(pid, path, size))
		return 0;
	snprintf(dir, sizeof(dir), "%s%s", root, path);
	return stat(dir, &st) ? 0 : st.st_ino;
}

uint64_t v6t_cgroup_of_task(const char *root, uint32_t pid)
{
	char path[4096];

	return task_cgroup(root, pid, path, sizeof(path));
}

/*
 * The cgroup of a live task, if it is the one with this id (the task may have moved since,
 * or its pid be another's now): no walk of the whole tree for a cgroup made a moment ago, as
 * a new container's is.
 */
static struct entry *by_task(uint64_t id, uint32_t pid)
{
	char root[1024], path[4096];
	uint64_t found;

	if (!pid || find_root(root, sizeof(root)))
		return NULL;
	found = task_cgroup(root, pid, path, sizeof(path));
	if (!found || found != id)
		return NULL;
	if (cached == CACHE_SIZE)
		forget_all();
	return add(id, strcmp(path, "/") ? path : "");
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

void v6t_cgroup_each(void (*fn)(void *ctx, uint64_t id, const struct v6t_cgroup_owner *o),
		     void *ctx)
{
	struct v6t_cgroup_owner *o;

	last_scan = time(NULL);
	rescan();
	for (unsigned int i = 0; i < cached; i++) {
		o = owner_of(&cache[i]);
		if (o)
			fn(ctx, cache[i].id, o);
	}
}

const struct v6t_cgroup_owner *v6t_cgroup_owner(uint64_t id, uint32_t pid)
{
	time_t now = time(NULL);
	struct entry *e;

	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < cached; i++)
			if (cache[i].id == id)
				return owner_of(&cache[i]);
		e = pass ? NULL : by_task(id, pid);
		if (e)
			return owner_of(e);
		/* a new container since the last look: rescan, but not for every event */
		if (pass || now == last_scan)
			break;
		last_scan = now;
		rescan();
	}
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cgroup.h"
#include "hash.h"

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

/* The owners a replayed recording holds, by cgroup id (id 0: an empty slot), at most half full. */
struct recorded {
	uint64_t id;
	struct v6t_cgroup_owner *owner;
};

static struct recorded *recorded;
static unsigned int n_recorded, recorded_slots;
static bool recorded_only;

_Static_assert(V6T_RT_COUNT == 7, "recordings keep runtimes by number: add new ones at the end");

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

/*
 * The cgroup of a live task, from /proc/PID/cgroup ("0::/PATH"), if it is the one with this id
 * (the task may have moved since, or its pid be another's now): no walk of the whole tree
 * for a cgroup made a moment ago, as a new container's is.
 */
static struct entry *by_task(uint64_t id, uint32_t pid)
{
	char file[64], line[4096], root[1024], dir[5200];
	struct stat st;
	size_t n;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%u/cgroup", pid);
	f = pid ? fopen(file, "re") : NULL;
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f) && strncmp(line, "0::", 3))
		;
	fclose(f);
	n = strcspn(line, "\n");
	line[n] = '\0';
	if (strncmp(line, "0::/", 4) || find_root(root, sizeof(root)))
		return NULL;
	snprintf(dir, sizeof(dir), "%s%s", root, line + 3);
	if (stat(dir, &st) || (uint64_t)st.st_ino != id)
		return NULL;
	if (cached == CACHE_SIZE)
		forget_all();
	return add(id, strcmp(line + 3, "/") ? line + 3 : "");
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

/* The slot of id in the recorded owners, or the empty one where it would go. */
static struct recorded *recorded_slot(struct recorded *table, unsigned int slots, uint64_t id)
{
	unsigned int i = v6t_hash_slot(id, slots);

	while (table[i].id && table[i].id != id)
		i = (i + 1) & (slots - 1);
	return &table[i];
}

static const struct v6t_cgroup_owner *recorded_owner(uint64_t id)
{
	struct recorded *r = recorded_slots ? recorded_slot(recorded, recorded_slots, id) : NULL;

	return r && r->id ? r->owner : NULL;
}

static int grow_recorded(void)
{
	unsigned int slots = recorded_slots ? 2 * recorded_slots : 64;
	struct recorded *table = calloc(slots, sizeof(*table));

	if (!table)
		return -ENOMEM;
	for (unsigned int i = 0; i < recorded_slots; i++)
		if (recorded[i].id)
			*recorded_slot(table, slots, recorded[i].id) = recorded[i];
	free(recorded);
	recorded = table;
	recorded_slots = slots;
	return 0;
}

const struct v6t_cgroup_owner *v6t_cgroup_owner(uint64_t id, uint32_t pid)
{
	time_t now = time(NULL);
	struct entry *e;

	if (recorded_only)
		return recorded_owner(id);
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

void v6t_cgroup_recorded_only(bool on)
{
	recorded_only = on;
}

void v6t_cgroup_recorded_forget(void)
{
	for (unsigned int i = 0; i < recorded_slots; i++)
		free(recorded[i].owner);
	free(recorded);
	recorded = NULL;
	n_recorded = recorded_slots = 0;
}

/* A recorded string, cut at its field's end whether or not the recording ended it there. */
#define COPY_FIELD(dst, src) snprintf(dst, sizeof(dst), "%.*s", (int)sizeof(src), src)

static void owner_from_rec(struct v6t_cgroup_owner *o, const struct v6t_owner_rec *r)
{
	memset(o, 0, sizeof(*o));
	o->c.runtime = r->runtime;
	COPY_FIELD(o->c.id, r->id);
	COPY_FIELD(o->c.pod_uid, r->pod_uid);
	COPY_FIELD(o->c.unit, r->unit);
	COPY_FIELD(o->c.name, r->name);
	COPY_FIELD(o->c.pod, r->pod);
	COPY_FIELD(o->c.pod_namespace, r->pod_namespace);
	COPY_FIELD(o->cgroup, r->cgroup);
	label(o);
}

void v6t_cgroup_owner_rec(struct v6t_owner_rec *r, uint64_t id, const struct v6t_cgroup_owner *o)
{
	memset(r, 0, sizeof(*r));
	r->hdr.type = V6T_REC_OWNER;
	r->hdr.size = sizeof(*r);
	r->cgroup_id = id;
	r->runtime = o->c.runtime;
	COPY_FIELD(r->id, o->c.id);
	COPY_FIELD(r->pod_uid, o->c.pod_uid);
	COPY_FIELD(r->unit, o->c.unit);
	COPY_FIELD(r->name, o->c.name);
	COPY_FIELD(r->pod, o->c.pod);
	COPY_FIELD(r->pod_namespace, o->c.pod_namespace);
	COPY_FIELD(r->cgroup, o->cgroup);
}

int v6t_cgroup_recorded(const struct v6t_owner_rec *r)
{
	struct recorded *slot;

	if (!r->cgroup_id)
		return 0;
	if (2 * (n_recorded + 1) > recorded_slots && grow_recorded())
		return -ENOMEM;
	slot = recorded_slot(recorded, recorded_slots, r->cgroup_id);
	if (!slot->id) {
		slot->owner = malloc(sizeof(*slot->owner));
		if (!slot->owner)
			return -ENOMEM;
		slot->id = r->cgroup_id;
		n_recorded++;
	}
	owner_from_rec(slot->owner, r);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cgroup.h"
#include "hash.h"

/*
 * Cgroups known at once: a node's pods and services, many times over. A cgroup stays known
 * after it is deleted (its events and listeners outlive it), until the room is needed.
 */
#define INDEX_BITS 13
#define INDEX_SIZE (1U << INDEX_BITS)
#define CACHE_SIZE (INDEX_SIZE / 2)	/* the index, open addressing, at most half full */
/* an owner handed out by one of the last this many look-ups is never freed: one event's */
#define IN_USE 64
#define MAX_DEPTH 64		/* directories open at once in a walk */

struct entry {
	uint64_t id;
	char *path;			/* from the hierarchy's root, as /proc/PID/cgroup gives it */
	struct v6t_cgroup_owner *owner;	/* made on first use */
	uint64_t used;			/* the look-up that last returned it; 0: none */
	bool seen;			/* found by the last walk of the tree: it exists */
};

static struct entry cache[CACHE_SIZE];
static uint32_t index_of[INDEX_SIZE];	/* 1 + the entry's place in cache; 0: empty */
static unsigned int cached;
static uint64_t lookups;
static size_t root_len;
static time_t last_scan;

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

/* id's place in the index: where it is, or the empty slot where it would go */
static uint32_t *slot_of(uint64_t id)
{
	unsigned int i = v6t_hash_slot(id, INDEX_SIZE);

	while (index_of[i] && cache[index_of[i] - 1].id != id)
		i = (i + 1) & (INDEX_SIZE - 1);
	return &index_of[i];
}

static struct entry *find(uint64_t id)
{
	uint32_t at = *slot_of(id);

	return at ? &cache[at - 1] : NULL;
}

/*
 * Which entries go first when the cache is full: the lowest rank there is. What no event
 * needed (only a walk found it) an event will find again; a deleted cgroup's owner is what
 * only the cache still knows.
 */
enum rank { GONE_UNUSED, UNUSED, GONE, IDLE, RECENT };

static enum rank rank(const struct entry *e)
{
	if (!e->used)
		return e->seen ? UNUSED : GONE_UNUSED;
	if (e->used + IN_USE > lookups)
		return RECENT;		/* its owner may be in a view now: never freed */
	return e->seen ? IDLE : GONE;
}

/* Frees the entries of the lowest rank there is, if not RECENT; false if none could go. */
static bool make_room(void)
{
	enum rank lowest = RECENT;
	unsigned int kept = 0;

	for (unsigned int i = 0; i < cached; i++)
		lowest = rank(&cache[i]) < lowest ? rank(&cache[i]) : lowest;
	if (lowest == RECENT)
		return false;
	for (unsigned int i = 0; i < cached; i++) {
		if (rank(&cache[i]) == lowest) {
			free(cache[i].path);
			free(cache[i].owner);
		} else {
			cache[kept++] = cache[i];
		}
	}
	cached = kept;
	memset(index_of, 0, sizeof(index_of));
	for (unsigned int i = 0; i < cached; i++)
		*slot_of(cache[i].id) = i + 1;
	return true;
}

/* A cgroup that exists, into the cache: its path from the hierarchy's root. NULL: no room. */
static struct entry *add(uint64_t id, const char *path)
{
	struct entry *e = find(id);

	if (e) {
		e->seen = true;
		return e;
	}
	if (cached == CACHE_SIZE && !make_room())
		return NULL;
	e = &cache[cached];
	e->path = strdup(*path ? path : "/");
	if (!e->path)
		return NULL;
	e->id = id;
	e->owner = NULL;
	e->used = 0;
	e->seen = true;
	*slot_of(id) = ++cached;
	return e;
}

/*
 * Every directory under path (len bytes, in a buffer of V6T_CGROUP_PATH_LEN) on device dev,
 * into the cache. Not nftw(): one directory that goes while walked, or whose path outgrows
 * the buffer (anyone's delegated subtree can nest that deep), must not end the walk.
 */
static void walk(char *path, size_t len, dev_t dev, unsigned int depth)
{
	DIR *d = depth < MAX_DEPTH ? opendir(path) : NULL;
	struct dirent *de;
	struct stat st;
	int n;

	while (d && (de = readdir(d))) {
		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n = snprintf(path + len, V6T_CGROUP_PATH_LEN - len, "/%s", de->d_name);
		if (n < (int)(V6T_CGROUP_PATH_LEN - len) && !lstat(path, &st) && S_ISDIR(st.st_mode) &&
		    st.st_dev == dev) {
			add(st.st_ino, path + root_len);
			walk(path, len + n, dev, depth + 1);
		}
		path[len] = '\0';
	}
	if (d)
		closedir(d);
}

/* The hierarchy walked: the cgroup2 mount, or for the unit tests only, $V6TRACE_TEST_CGROUP2. */
static int find_root(char *root, size_t size)
{
	const char *test = getenv("V6TRACE_TEST_CGROUP2");
	int err = test ? snprintf(root, size, "%s", test) >= (int)size : v6t_cgroup2_mount(root, size);

	if (!err)
		root_len = strlen(root);
	return err;
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
	return add(id, strcmp(path, "/") ? path : "");
}

/* What text shows: the owner as people name it, or failing that the cgroup's own name. */
void v6t_cgroup_label(struct v6t_cgroup_owner *o)
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

/* From the node's state, what names the owner, and its label. */
static void name_owner(struct v6t_cgroup_owner *o)
{
	struct v6t_state_roots roots;

	v6t_state_roots_default(&roots);
	v6t_container_resolve(&o->c, &roots);
	v6t_cgroup_label(o);
}

/* A name the node's state may yet give (a pod's log directory is made after its cgroup). */
static bool unnamed(const struct v6t_container *c)
{
	switch (c->runtime) {
	case V6T_RT_KUBERNETES:
		return !c->pod[0] || (c->id[0] && !c->name[0]);
	case V6T_RT_CONTAINERD:
	case V6T_RT_DOCKER:
		return !c->name[0];
	default:
		return false;	/* CRI-O's and Podman's are not named from the node's state */
	}
}

static struct v6t_cgroup_owner *owner_of(struct entry *e)
{
	const char *last = strrchr(e->path, '/');

	if (e->owner)
		return e->owner;
	e->owner = calloc(1, sizeof(*e->owner));
	if (!e->owner)
		return NULL;
	snprintf(e->owner->cgroup, sizeof(e->owner->cgroup), "%s",
		 last && last[1] ? last + 1 : "/");
	if (v6t_container_parse(e->path, &e->owner->c))
		name_owner(e->owner);
	else
		v6t_cgroup_label(e->owner);
	return e->owner;
}

/* What exists now, added; what is gone stays, no longer seen. */
static void rescan(void)
{
	char path[V6T_CGROUP_PATH_LEN];
	struct stat st;

	for (unsigned int i = 0; i < cached; i++)
		cache[i].seen = false;
	if (find_root(path, sizeof(path)) || lstat(path, &st))
		return;
	add(st.st_ino, "");
	walk(path, strlen(path), st.st_dev, 0);
	/* in place: an owner handed out stays where it is */
	for (unsigned int i = 0; i < cached; i++)
		if (cache[i].seen && cache[i].owner && unnamed(&cache[i].owner->c))
			name_owner(cache[i].owner);
}

void v6t_cgroup_each(void (*fn)(void *ctx, uint64_t id, const struct v6t_cgroup_owner *o),
		     void *ctx)
{
	struct v6t_cgroup_owner *o;

	last_scan = time(NULL);
	rescan();
	for (unsigned int i = 0; i < cached; i++) {
		o = cache[i].seen ? owner_of(&cache[i]) : NULL;
		if (o)
			fn(ctx, cache[i].id, o);
	}
}

static const struct v6t_cgroup_owner *use(struct entry *e)
{
	e->used = lookups;
	return owner_of(e);
}

const struct v6t_cgroup_owner *v6t_cgroup_owner(uint64_t id, uint32_t pid)
{
	time_t now = time(NULL);
	struct entry *e;

	if (v6t_cgroup_replaying())
		return v6t_cgroup_recorded_owner(id);
	e = find(id);
	lookups++;
	if (e)
		return use(e);
	e = by_task(id, pid);
	if (e)
		return use(e);
	/* a new container since the last look: rescan, but not for every event */
	if (now == last_scan)
		return NULL;
	last_scan = now;
	rescan();
	e = find(id);
	return e ? use(e) : NULL;
}

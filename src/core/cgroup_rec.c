// SPDX-License-Identifier: GPL-2.0
/* The owners a recording keeps (record type 5): made for the writer, kept for a replay. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgroup.h"
#include "hash.h"

/* The owners a replayed recording holds, by cgroup id (id 0: an empty slot), at most half full. */
struct recorded {
	uint64_t id;
	struct v6t_cgroup_owner *owner;
};

static struct recorded *recorded;
static unsigned int n_recorded, recorded_slots;
static bool recorded_only;

/* The slot of id in the recorded owners, or the empty one where it would go. */
static struct recorded *recorded_slot(struct recorded *table, unsigned int slots, uint64_t id)
{
	unsigned int i = v6t_hash_slot(id, slots);

	while (table[i].id && table[i].id != id)
		i = (i + 1) & (slots - 1);
	return &table[i];
}

const struct v6t_cgroup_owner *v6t_cgroup_recorded_owner(uint64_t id)
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

bool v6t_cgroup_replaying(void)
{
	return recorded_only;
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
	v6t_cgroup_label(o);
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

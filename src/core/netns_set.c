// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "grow.h"
#include "hash.h"
#include "netns_set.h"

#define MIN_SLOTS 64

/* The slot that holds ino, or the empty one where it would go. */
static uint32_t *find(const struct v6t_netns_set *s, uint64_t ino)
{
	unsigned int i = v6t_hash_slot(ino, s->n_slots);

	while (s->slots[i] && s->items[s->slots[i] - 1].netns_ino != ino)
		i = (i + 1) & (s->n_slots - 1);
	return &s->slots[i];
}

bool v6t_netns_set_has(const struct v6t_netns_set *s, uint64_t netns_ino)
{
	return s->n_slots && *find(s, netns_ino);
}

static int grow_slots(struct v6t_netns_set *s)
{
	struct v6t_netns_set bigger = *s;

	bigger.n_slots = s->n_slots ? s->n_slots * 2 : MIN_SLOTS;
	bigger.slots = calloc(bigger.n_slots, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (unsigned int i = 0; i < s->n; i++)
		*find(&bigger, s->items[i].netns_ino) = i + 1;
	free(s->slots);
	*s = bigger;
	return 0;
}

int v6t_netns_set_add(struct v6t_netns_set *s, const struct v6t_netns_info *info)
{
	if (s->n == s->cap) {
		struct v6t_netns_info *items = v6t_grow(s->items, &s->cap, sizeof(*items),
							MIN_SLOTS / 2);

		if (!items)
			return -ENOMEM;
		s->items = items;
	}
	if (2 * (s->n + 1) > s->n_slots && grow_slots(s))
		return -ENOMEM;
	s->items[s->n] = *info;
	*find(s, info->netns_ino) = ++s->n;
	return 0;
}

void v6t_netns_set_free(struct v6t_netns_set *s)
{
	free(s->items);
	free(s->slots);
	*s = (struct v6t_netns_set){ 0 };
}

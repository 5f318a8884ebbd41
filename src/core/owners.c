// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "owners.h"

/* Sockets remembered at once: a server's, many times over; 64 bytes each. */
#define OWNERS_BITS 12

struct slot {
	uint64_t netns_ino;
	uint64_t sock_ino;	/* 0: empty */
	struct v6t_owner owner;
};

struct v6t_owners {
	struct slot slots[1U << OWNERS_BITS];
};

int v6t_owners_new(struct v6t_owners **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void v6t_owners_free(struct v6t_owners *o)
{
	free(o);
}

static unsigned int slot_of(uint64_t netns_ino, uint64_t sock_ino)
{
	/* inode numbers are handed out in sequence: multiply, so they spread over the slots */
	return ((sock_ino ^ netns_ino * 31) * 0x9e3779b97f4a7c15ULL) >> (64 - OWNERS_BITS);
}

void v6t_owners_note(struct v6t_owners *o, const struct v6t_sock_event *e)
{
	struct slot *s;
	uint8_t known = 0;

	/* a failed bind leaves the socket unbound: it holds nothing */
	if (!o || !e->sock_ino || (e->kind == V6T_EV_BIND && e->err))
		return;
	if (e->kind != V6T_EV_BIND && e->kind != V6T_EV_LISTEN && e->kind != V6T_EV_SOCKET)
		return;
	s = &o->slots[slot_of(e->netns_ino, e->sock_ino)];
	/* the snapshot reads no options: what a bind of this socket read stays */
	if (s->sock_ino == e->sock_ino && s->netns_ino == e->netns_ino)
		known = s->owner.sockopts;
	s->netns_ino = e->netns_ino;
	s->sock_ino = e->sock_ino;
	s->owner.cgroup_id = e->cgroup_id;
	s->owner.pid = e->pid;
	s->owner.uid = e->uid;
	memcpy(s->owner.comm, e->comm, V6T_COMM_LEN);
	s->owner.sockopts = e->sockopts & V6T_SO_KNOWN ? e->sockopts : known;
	s->owner.setter_known = e->flags & V6T_F_SETTER_KNOWN;
}

bool v6t_owners_find(const struct v6t_owners *o, uint64_t netns_ino, uint64_t sock_ino,
		     struct v6t_owner *out)
{
	const struct slot *s = &o->slots[slot_of(netns_ino, sock_ino)];

	if (!sock_ino || s->sock_ino != sock_ino || s->netns_ino != netns_ino || !s->owner.pid)
		return false;
	*out = s->owner;
	return true;
}

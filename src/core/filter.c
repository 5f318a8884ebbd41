// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "filter.h"
#include "owner_filter.h"

static bool u32_listed(const uint32_t *list, unsigned int n, uint32_t v)
{
	for (unsigned int i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

static bool addr_listed(const struct v6t_cidr *list, unsigned int n, const uint8_t *key)
{
	for (unsigned int i = 0; i < n; i++)
		if (v6t_cidr_contains(&list[i], key))
			return true;
	return false;
}

/*
 * Whose uid -u tests: the task's. A refused packet has none, nor has an event whose task is
 * unknown (pid 0: the kernel's filter drops those too); a listening socket whose owner was
 * not found still has the uid sock_diag gives.
 */
static bool uid_known(const struct v6t_sock_event *e)
{
	return e->kind != V6T_EV_REFUSED && (e->pid || e->kind == V6T_EV_SOCKET);
}

/* -p, -c, -u, --cgroup */
static bool task_match(const struct v6t_config *cfg, const struct v6t_sock_event *e)
{
	if (cfg->cgroup && e->cgroup_id != cfg->cgroup)
		return false;
	if (cfg->n_owners && !v6t_owner_filter(cfg, e->cgroup_id, e->pid))
		return false;
	if (cfg->comm[0] && strncmp(cfg->comm, e->comm, V6T_COMM_LEN))
		return false;
	if (cfg->n_pids && !u32_listed(cfg->pids, cfg->n_pids, e->pid))
		return false;
	return !cfg->n_uids || (uid_known(e) && u32_listed(cfg->uids, cfg->n_uids, e->uid));
}

/* --peer, --local: the kernel's rule (bpf/v6trace.bpf.h, v6t_addr_filtered_out) */
static bool address_match(const struct v6t_config *cfg, const struct v6t_sock_event *e)
{
	uint8_t key[16];

	/*
	 * A refused tally made at exit has no peer: it stands for packets from several, which
	 * the kernel counted only once --peer had let them through.
	 */
	if (cfg->n_peers && !(e->flags & V6T_F_TALLY) &&
	    !(v6t_event_peer_key(e, key) && addr_listed(cfg->peers, cfg->n_peers, key)))
		return false;
	if (!cfg->n_locals)
		return true;
	v6t_event_local_key(e, key);
	return addr_listed(cfg->locals, cfg->n_locals, key);
}

bool v6t_filter_match(const struct v6t_config *cfg, const struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	bool port_hit = false;

	/* a recording may hold any kind: only those with a name have a bit to test */
	if (cfg->event_mask && (e->kind > V6T_EV_MAX || !(cfg->event_mask & (1U << e->kind))))
		return false;
	if (cfg->since_ns && v->wall_ns < cfg->since_ns)
		return false;
	if (cfg->until_set && v->wall_ns > cfg->until_ns)
		return false;
	if (cfg->netns && e->netns_ino != cfg->netns)
		return false;
	if (cfg->mapped_only && !v->cls.dualstack)
		return false;
	if (!task_match(cfg, e) || !address_match(cfg, e))
		return false;
	for (unsigned int i = 0; i < cfg->n_ports && !port_hit; i++)
		port_hit = cfg->ports[i] == e->local_port;
	return !cfg->n_ports || port_hit;
}

// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "filter.h"

bool v6t_filter_match(const struct v6t_config *cfg, const struct v6t_view *v)
{
	const struct v6t_sock_event *e = v->e;
	bool hit;

	/* a recording may hold any kind: only those with a name have a bit to test */
	if (cfg->event_mask && (e->kind > V6T_EV_MAX || !(cfg->event_mask & (1U << e->kind))))
		return false;
	if (cfg->since_ns && v->wall_ns < cfg->since_ns)
		return false;
	if (cfg->until_set && v->wall_ns > cfg->until_ns)
		return false;
	if (cfg->netns && e->netns_ino != cfg->netns)
		return false;
	if (cfg->cgroup && e->cgroup_id != cfg->cgroup)
		return false;
	if (cfg->comm[0] && strncmp(cfg->comm, e->comm, V6T_COMM_LEN))
		return false;
	if (cfg->mapped_only && !v->cls.dualstack)
		return false;
	if (cfg->n_pids) {
		hit = false;
		for (unsigned int i = 0; i < cfg->n_pids && !hit; i++)
			hit = cfg->pids[i] == e->pid;
		if (!hit)
			return false;
	}
	if (cfg->n_ports) {
		hit = false;
		for (unsigned int i = 0; i < cfg->n_ports && !hit; i++)
			hit = cfg->ports[i] == e->local_port;
		if (!hit)
			return false;
	}
	return true;
}

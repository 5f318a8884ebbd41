// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "cgroup.h"
#include "owner_filter.h"

static bool is_container(const char *v, const struct v6t_container *c)
{
	size_t n = strlen(v);

	/* an id prefix as docker ps shows it: a runtime's container or a pod's */
	return (c->name[0] && !strcmp(v, c->name)) || (c->id[0] && !strncmp(v, c->id, n));
}

static bool is_pod(const char *v, const struct v6t_container *c)
{
	const char *slash = strchr(v, '/');

	if (c->runtime != V6T_RT_KUBERNETES)
		return false;
	if (!slash)
		return !strcmp(v, c->pod_uid);
	return c->pod[0] && !strncmp(v, c->pod_namespace, slash - v) &&
	       !c->pod_namespace[slash - v] && !strcmp(slash + 1, c->pod);
}

static bool is_unit(const char *v, const struct v6t_container *c)
{
	size_t n = strlen(v);

	if (!c->unit[0])
		return false;
	return !strcmp(v, c->unit) ||
	       (!strncmp(v, c->unit, n) && !strcmp(c->unit + n, ".service"));
}

bool v6t_owner_matches(const struct v6t_config *cfg, const struct v6t_container *c)
{
	for (unsigned int i = 0; i < cfg->n_owners; i++) {
		const struct v6t_owner_filter *f = &cfg->owners[i];

		if ((f->by == V6T_OWNER_CONTAINER && is_container(f->value, c)) ||
		    (f->by == V6T_OWNER_POD && is_pod(f->value, c)) ||
		    (f->by == V6T_OWNER_UNIT && is_unit(f->value, c)))
			return true;
	}
	return !cfg->n_owners;
}

bool v6t_owner_filter(const struct v6t_config *cfg, uint64_t cgroup_id, uint32_t pid)
{
	const struct v6t_cgroup_owner *o;

	if (!cfg->n_owners)
		return true;
	o = cgroup_id ? v6t_cgroup_owner(cgroup_id, pid) : NULL;
	return o && v6t_owner_matches(cfg, &o->c);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who owns a task, the way people name it: a Kubernetes pod and its container, a containerd,
 * CRI-O, Docker or Podman container, a systemd service or session. Recognised from the cgroup
 * v2 path alone (each runtime names its cgroups in its own way), then named from the state
 * the node keeps on its own disk (never over the network): kubelet's pod log directories,
 * containerd's task bundles, Docker's container configs.
 */
#ifndef V6T_CONTAINER_H
#define V6T_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include "v6trace.h"

#define V6T_CGROUP_PATH_LEN 4096	/* a cgroup whose path is longer is not recognised */

/* Recordings keep these numbers (docs/format.md, type 5): add new ones at the end. */
enum v6t_runtime {
	V6T_RT_NONE,
	V6T_RT_KUBERNETES,	/* a pod's cgroup; id is its container's, if the path goes that deep */
	V6T_RT_CONTAINERD,
	V6T_RT_CRIO,
	V6T_RT_DOCKER,
	V6T_RT_PODMAN,
	V6T_RT_SYSTEMD,		/* a service or a session, no container */
	V6T_RT_COUNT,
};

/* V6T_CONTAINER_ID_LEN, V6T_NAME_LEN, ...: recordings keep owners (struct v6t_owner_rec) */

struct v6t_container {
	unsigned char runtime;		/* enum v6t_runtime */
	char id[V6T_CONTAINER_ID_LEN + 1];	/* "" where none */
	char pod_uid[V6T_POD_UID_LEN + 1];
	char unit[V6T_UNIT_LEN];	/* the systemd unit: nginx.service, session-3.scope */
	/* from the node's state, "" where not found */
	char name[V6T_NAME_LEN];	/* the container's */
	char pod[V6T_NAME_LEN];
	char pod_namespace[V6T_NAME_LEN];
};

/* "kubernetes", "containerd", ...; NULL for V6T_RT_NONE. */
const char *v6t_runtime_name(unsigned int runtime);

/*
 * Recognises a cgroup v2 path (as /proc/PID/cgroup gives it, from the hierarchy's root).
 * Returns true and fills c's runtime, id, pod_uid and unit if some owner is recognised.
 */
bool v6t_container_parse(const char *path, struct v6t_container *c);

/*
 * Where the node keeps what names them. Defaults are the runtimes' own; $V6TRACE_TEST_ROOT
 * (for the tests only) is put in front of each.
 */
struct v6t_state_roots {
	char pod_logs[256];		/* /var/log/pods: <namespace>_<name>_<uid>/ */
	/* containerd's task bundles: its own, and k3s's and RKE2's (state in /run/k3s/containerd) */
	char containerd_tasks[2][256];	/* /run/containerd/io.containerd.runtime.v2.task */
	char docker[256];		/* /var/lib/docker: /var/lib/docker/containers/<id>/ */
};

void v6t_state_roots_default(struct v6t_state_roots *r);

/* Fills c's name, pod and pod_namespace where the node's state has them. */
void v6t_container_resolve(struct v6t_container *c, const struct v6t_state_roots *r);

/*
 * The string value of the first key at depth (1: the top object, 0: any) in the JSON text of
 * len bytes, unescaped into out (NUL-terminated, cut at size - 1). 0, or -1 if not found or
 * the text is malformed before it. Exposed for the tests and the fuzzer.
 */
int v6t_json_string(const char *text, size_t len, const char *key, int depth, char *out,
		    size_t size);

#endif

// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "container.h"

#define TASKS "io.containerd.runtime.v2.task"	/* containerd's task bundles, in its state */
#define STATE_FILE_MAX (1 << 20)	/* a bundle's config.json is some KiB; more is not one */

static const char *const runtime_names[V6T_RT_COUNT] = {
	[V6T_RT_KUBERNETES] = "kubernetes",
	[V6T_RT_CONTAINERD] = "containerd",
	[V6T_RT_CRIO] = "cri-o",
	[V6T_RT_DOCKER] = "docker",
	[V6T_RT_PODMAN] = "podman",
	[V6T_RT_SYSTEMD] = "systemd",
};

/* A container's scope under the systemd cgroup driver: prefix, then its id, then ".scope". */
static const struct {
	const char *prefix;
	unsigned char runtime;
} scopes[] = {
	{ "cri-containerd-", V6T_RT_CONTAINERD },
	{ "nerdctl-", V6T_RT_CONTAINERD },	/* containerd's own CLI */
	{ "crio-", V6T_RT_CRIO },		/* not crio-conmon-ID: "conmon-" is no id */
	{ "docker-", V6T_RT_DOCKER },
	{ "libpod-", V6T_RT_PODMAN },		/* nor libpod-conmon-ID */
};

const char *v6t_runtime_name(unsigned int runtime)
{
	return runtime < V6T_RT_COUNT ? runtime_names[runtime] : NULL;
}

/* A container id: 64 lowercase hex digits (a shortened one, 12 or more, is taken too). */
static bool is_id(const char *s, size_t n)
{
	if (n < 12 || n > V6T_CONTAINER_ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

/*
 * A pod UID as the path holds it: 36 characters, '-' or (in a slice name) '_' between groups;
 * or a static pod's, the 32 hex digits of its manifest's md5.
 */
static bool take_pod_uid(const char *s, size_t n, char *uid)
{
	if (n == 32 && is_id(s, n)) {
		memcpy(uid, s, n);
		uid[n] = '\0';
		return true;
	}
	if (n != V6T_POD_UID_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i] == '_' ? '-' : s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? ch != '-' : !isxdigit((unsigned char)ch))
			return false;
		uid[i] = tolower((unsigned char)ch);
	}
	uid[n] = '\0';
	return true;
}

/* "cri-containerd-ID.scope" and its kin: the runtime, and the id into c. */
static bool take_scope(const char *comp, size_t n, struct v6t_container *c)
{
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t p = strlen(scopes[i].prefix), idn = n - p - strlen(".scope");

		if (n > p + 6 && !strncmp(comp, scopes[i].prefix, p) && ends_with(comp, n, ".scope") &&
		    is_id(comp + p, idn)) {
			memcpy(c->id, comp + p, idn);
			c->id[idn] = '\0';
			c->runtime = scopes[i].runtime;
			return true;
		}
	}
	return false;
}

/*
 * kubepods[-burstable|-besteffort]-pod<UID>.slice (systemd driver); under another cgroupRoot
 * each slice's name starts with it: kubelet-kubepods-...
 */
static bool take_pod_slice(const char *comp, size_t n, struct v6t_container *c)
{
	const char *kube = strstr(comp, "kubepods"), *pod = kube ? strstr(kube, "-pod") : NULL;

	if (!pod || (kube != comp && kube[-1] != '-') || !ends_with(comp, n, ".slice"))
		return false;
	pod += 4;
	return take_pod_uid(pod, comp + n - strlen(".slice") - pod, c->pod_uid);
}

/*
 * A systemd unit that is not a container's scope: a service, or a login session's scope. Not
 * a user's manager (user@1000.service): it holds all the user runs, and names none of it.
 */
static bool take_unit(const char *comp, size_t n, struct v6t_container *c)
{
	if (!strncmp(comp, "user@", 5) ||
	    (!ends_with(comp, n, ".service") &&
	     !(ends_with(comp, n, ".scope") && !strncmp(comp, "session-", 8))))
		return false;
	snprintf(c->unit, sizeof(c->unit), "%.*s", (int)n, comp);
	return true;
}

/*
 * One path element, knowing the one before: a cgroupfs driver's pod<UID> follows kubepods or
 * its QoS class, its container id the pod; Docker's follows /docker.
 */
static void take_element(const char *comp, const char *prev, struct v6t_container *c)
{
	size_t n = strlen(comp);

	if (take_scope(comp, n, c) || take_pod_slice(comp, n, c) || take_unit(comp, n, c))
		return;
	if (!strncmp(comp, "pod", 3) && (!strcmp(prev, "kubepods") || !strcmp(prev, "burstable") ||
					 !strcmp(prev, "besteffort"))) {
		take_pod_uid(comp + 3, n - 3, c->pod_uid);
	} else if (c->pod_uid[0] && !strncmp(prev, "pod", 3) && is_id(comp, n)) {
		memcpy(c->id, comp, n + 1);
	} else if (c->pod_uid[0] && !strncmp(prev, "pod", 3) && !strncmp(comp, "crio-", 5) &&
		   is_id(comp + 5, n - 5)) {
		memcpy(c->id, comp + 5, n - 4);	/* CRI-O's cgroupfs manager: crio-<id> */
	} else if (!strncmp(comp, "libpod-payload-", 15) && is_id(comp + 15, n - 15)) {
		memcpy(c->id, comp + 15, n - 14);	/* Podman in a unit of its own */
		c->runtime = V6T_RT_PODMAN;
	} else if (!strcmp(prev, "docker") && is_id(comp, n)) {
		memcpy(c->id, comp, n + 1);
		c->runtime = V6T_RT_DOCKER;
	}
}

bool v6t_container_parse(const char *path, struct v6t_container *c)
{
	char copy[V6T_CGROUP_PATH_LEN], *save = NULL, *comp;
	const char *prev = "";

	memset(c, 0, sizeof(*c));
	snprintf(copy, sizeof(copy), "%s", path);
	for (comp = strtok_r(copy, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		take_element(comp, prev, c);
		prev = comp;
	}
	if (c->pod_uid[0])
		c->runtime = V6T_RT_KUBERNETES;
	else if (!c->id[0] && c->unit[0])
		c->runtime = V6T_RT_SYSTEMD;
	else if (!c->id[0])
		c->runtime = V6T_RT_NONE;
	return c->runtime != V6T_RT_NONE;
}

void v6t_state_roots_default(struct v6t_state_roots *r)
{
	const char *test = getenv("V6TRACE_TEST_ROOT");

	if (!test)
		test = "";
	snprintf(r->pod_logs, sizeof(r->pod_logs), "%s/var/log/pods", test);
	snprintf(r->containerd_tasks[0], sizeof(r->containerd_tasks[0]), "%s/run/containerd/" TASKS,
		 test);
	snprintf(r->containerd_tasks[1], sizeof(r->containerd_tasks[1]),
		 "%s/run/k3s/containerd/" TASKS, test);
	snprintf(r->docker, sizeof(r->docker), "%s/var/lib/docker", test);
}

/* kubelet's /var/log/pods/<namespace>_<name>_<uid>: neither name can hold '_'. */
static void resolve_pod(struct v6t_container *c, const struct v6t_state_roots *r)
{
	DIR *d = opendir(r->pod_logs);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *a = de->d_name, *b = strchr(a, '_'), *u = b ? strchr(b + 1, '_') : NULL;

		if (!u || strcmp(u + 1, c->pod_uid) || b == a || u == b + 1)
			continue;
		snprintf(c->pod_namespace, sizeof(c->pod_namespace), "%.*s", (int)(b - a), a);
		snprintf(c->pod, sizeof(c->pod), "%.*s", (int)(u - b - 1), b + 1);
		break;
	}
	closedir(d);
}

/* The file's first key at depth, as v6t_json_string; -1 if it cannot be read. */
static int file_json_string(const char *path, const char *key, int depth, char *out, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK), rc = -1;
	char *buf = fd < 0 ? NULL : malloc(STATE_FILE_MAX);
	ssize_t n = buf ? read(fd, buf, STATE_FILE_MAX) : -1;

	if (n > 0)
		rc = v6t_json_string(buf, n, key, depth, out, size);
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The bundle's config.json, <root>/<containerd namespace>/<id>/, under either root: 0 if found. */
static int find_bundle(const struct v6t_state_roots *r, const char *id, char *path, size_t size)
{
	for (size_t i = 0; i < sizeof(r->containerd_tasks) / sizeof(r->containerd_tasks[0]); i++) {
		DIR *d = opendir(r->containerd_tasks[i]);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			snprintf(path, size, "%s/%s/%s/config.json", r->containerd_tasks[i],
				 de->d_name, id);
			if (de->d_name[0] != '.' && !access(path, F_OK)) {
				closedir(d);
				return 0;
			}
		}
		if (d)
			closedir(d);
	}
	return -1;
}

/* The bundle's annotation key into out: true if found ("" if not). */
static bool annotation(const char *path, const char *key, char *out, size_t size)
{
	if (!file_json_string(path, key, 0, out, size))
		return true;
	out[0] = '\0';
	return false;
}

/*
 * containerd's task bundle, its annotations: the container's name; and the pod's where
 * kubelet's log directories do not name it (not mounted where v6trace runs).
 */
static void resolve_containerd(struct v6t_container *c, const struct v6t_state_roots *r)
{
	char path[PATH_MAX];

	if (find_bundle(r, c->id, path, sizeof(path)))
		return;
	if (!annotation(path, "io.kubernetes.cri.container-name", c->name, sizeof(c->name)))
		annotation(path, "nerdctl/name", c->name, sizeof(c->name));
	if (c->pod_uid[0] && !c->pod[0] &&
	    (!annotation(path, "io.kubernetes.cri.sandbox-name", c->pod, sizeof(c->pod)) ||
	     !annotation(path, "io.kubernetes.cri.sandbox-namespace", c->pod_namespace,
			 sizeof(c->pod_namespace))))
		c->pod[0] = '\0';
}

/* Docker's <root>/containers/<id>/config.v2.json: "Name":"/web", at its top level. */
static void resolve_docker(struct v6t_container *c, const struct v6t_state_roots *r)
{
	char path[PATH_MAX], name[V6T_NAME_LEN];

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", r->docker, c->id);
	if (!file_json_string(path, "Name", 1, name, sizeof(name)))
		snprintf(c->name, sizeof(c->name), "%s", name[0] == '/' ? name + 1 : name);
}

void v6t_container_resolve(struct v6t_container *c, const struct v6t_state_roots *r)
{
	if (c->pod_uid[0])
		resolve_pod(c, r);
	/* a pod's containers run under containerd: CRI-O's and Docker's are named elsewhere */
	if (c->id[0] && (c->runtime == V6T_RT_KUBERNETES || c->runtime == V6T_RT_CONTAINERD))
		resolve_containerd(c, r);
	else if (c->id[0] && c->runtime == V6T_RT_DOCKER)
		resolve_docker(c, r);
}

struct scan {
	const char *p, *end;
};

static void skip_space(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/*
 * A string whose opening quote was read: unescaped into out (if any). \uXXXX becomes '?':
 * these are names for display, which escape what they show anyway. 0, or -1 if unterminated.
 */
static int scan_string(struct scan *s, char *out, size_t size)
{
	size_t n = 0;

	while (s->p < s->end) {
		char ch = *s->p++;

		if (ch == '"') {
			if (out)
				out[n] = '\0';
			return 0;
		}
		if (ch == '\\') {
			if (s->p >= s->end)
				return -1;
			ch = *s->p++;
			if (ch == 'u') {
				if (s->end - s->p < 4)
					return -1;
				s->p += 4;
				ch = '?';
			} else if (ch == 'n' || ch == 't' || ch == 'r' || ch == 'b' || ch == 'f') {
				ch = ' ';
			}
		}
		if (out && n + 1 < size)
			out[n++] = ch;
	}
	return -1;
}

int v6t_json_string(const char *text, size_t len, const char *key, int depth, char *out,
		    size_t size)
{
	struct scan s = { text, text + len };
	char k[128];
	int d = 0;

	while (s.p < s.end) {
		char ch = *s.p++;

		if (ch == '{' || ch == '[') {
			d++;
		} else if (ch == '}' || ch == ']') {
			d--;
		} else if (ch == '"') {
			if (scan_string(&s, k, sizeof(k)))
				return -1;
			skip_space(&s);
			if (s.p >= s.end || *s.p != ':')
				continue;	/* a value, not a key */
			s.p++;
			skip_space(&s);
			if (!strcmp(k, key) && (!depth || d == depth) && s.p < s.end && *s.p == '"') {
				s.p++;
				return scan_string(&s, out, size);
			}
		}
	}
	return -1;
}

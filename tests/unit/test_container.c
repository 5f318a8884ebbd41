// SPDX-License-Identifier: GPL-2.0
/*
 * Owners from cgroup paths, as each runtime lays them out (kubelet's systemd and cgroupfs
 * drivers, containerd's CRI plugin, CRI-O, Docker, Podman, systemd), and their names from
 * the node's state files laid out under a test root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "container.h"
#include "owner_filter.h"

#define ID "3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define UID_DASH "1f2e3d4c-5b6a-4789-8abc-def012345678"
#define UID_UNDER "1f2e3d4c_5b6a_4789_8abc_def012345678"
/* a static pod's: the md5 of its manifest, 32 hex digits (kubelet's config/common.go) */
#define ID_K3S "0b2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define UID_STATIC "8d1c3a6b9e0f4a2b7c5d6e1f0a9b8c7d"

static const struct {
	const char *path;
	unsigned char runtime;
	const char *id, *pod_uid, *unit;
} cases[] = {
	/* kubelet, systemd driver: QoS slices, the pod's slice, the runtime's scope */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_UNDER
	  ".slice/cri-containerd-" ID ".scope", V6T_RT_KUBERNETES, ID, UID_DASH, "" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_UNDER
	  ".slice/crio-" ID ".scope", V6T_RT_KUBERNETES, ID, UID_DASH, "" },
	{ "/kubepods.slice/kubepods-pod" UID_UNDER ".slice", V6T_RT_KUBERNETES, "", UID_DASH, "" },
	/* kubelet, cgroupfs driver */
	{ "/kubepods/burstable/pod" UID_DASH "/" ID, V6T_RT_KUBERNETES, ID, UID_DASH, "" },
	{ "/kubepods/pod" UID_DASH "/" ID, V6T_RT_KUBERNETES, ID, UID_DASH, "" },
	/* static pods (etcd, kube-apiserver), both drivers */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_STATIC
	  ".slice/cri-containerd-" ID ".scope", V6T_RT_KUBERNETES, ID, UID_STATIC, "" },
	{ "/kubepods/burstable/pod" UID_STATIC "/" ID, V6T_RT_KUBERNETES, ID, UID_STATIC, "" },
	/* kubelet under another cgroupRoot (kind's /kubelet), systemd driver, seen from the host */
	{ "/system.slice/docker-" ID ".scope/kubelet.slice/kubelet-kubepods.slice/"
	  "kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod" UID_UNDER
	  ".slice/cri-containerd-" ID ".scope", V6T_RT_KUBERNETES, ID, UID_DASH, "" },
	/* CRI-O's cgroupfs manager: no scope */
	{ "/kubepods/burstable/pod" UID_DASH "/crio-" ID, V6T_RT_KUBERNETES, ID, UID_DASH, "" },
	/* runtimes on their own */
	{ "/system.slice/cri-containerd-" ID ".scope", V6T_RT_CONTAINERD, ID, "", "" },
	/* nerdctl, containerd's own CLI */
	{ "/system.slice/nerdctl-" ID ".scope", V6T_RT_CONTAINERD, ID, "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/nerdctl-" ID ".scope",
	  V6T_RT_CONTAINERD, ID, "", "" },
	/* Podman under a unit of its own (quadlet: --cgroups=split) */
	{ "/system.slice/web.service/libpod-payload-" ID, V6T_RT_PODMAN, ID, "", "web.service" },
	{ "/machine.slice/crio-" ID ".scope", V6T_RT_CRIO, ID, "", "" },
	{ "/system.slice/docker-" ID ".scope", V6T_RT_DOCKER, ID, "", "" },
	{ "/docker/" ID, V6T_RT_DOCKER, ID, "", "" },
	{ "/machine.slice/libpod-" ID ".scope", V6T_RT_PODMAN, ID, "", "" },
	/* rootless: a user's manager holds all the user runs, it names none of it */
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope",
	  V6T_RT_PODMAN, ID, "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/web.service",
	  V6T_RT_SYSTEMD, "", "", "web.service" },
	/* systemd */
	{ "/system.slice/nginx.service", V6T_RT_SYSTEMD, "", "", "nginx.service" },
	{ "/user.slice/user-1000.slice/session-3.scope", V6T_RT_SYSTEMD, "", "", "session-3.scope" },
	/* nothing to name */
	{ "/", V6T_RT_NONE, "", "", "" },
	{ "/init.scope", V6T_RT_NONE, "", "", "" },
	/* the monitors beside a container are not it */
	{ "/machine.slice/crio-conmon-" ID ".scope", V6T_RT_NONE, "", "", "" },
	/* not ids: upper case, too short, a pod UID of the wrong shape */
	{ "/system.slice/docker-3F2A9C0D4E5B.scope", V6T_RT_NONE, "", "", "" },
	{ "/docker/abc", V6T_RT_NONE, "", "", "" },
	{ "/kubepods/podnot-a-uid/" ID, V6T_RT_NONE, "", "", "" },
};

static void test_paths(void **state)
{
	struct v6t_container c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool found = v6t_container_parse(cases[i].path, &c);

		if (c.runtime != cases[i].runtime || strcmp(c.id, cases[i].id) ||
		    strcmp(c.pod_uid, cases[i].pod_uid) || strcmp(c.unit, cases[i].unit))
			fail_msg("%s: runtime %u id \"%s\" pod \"%s\" unit \"%s\"", cases[i].path,
				 c.runtime, c.id, c.pod_uid, c.unit);
		assert_int_equal(found, cases[i].runtime != V6T_RT_NONE);
	}
}

/* A path longer than any buffer, and one of nothing but slashes: no crash, no owner. */
static void test_hostile_paths(void **state)
{
	static char path[10000];
	struct v6t_container c;

	(void)state;
	memset(path, '/', sizeof(path) - 1);
	assert_false(v6t_container_parse(path, &c));
	for (size_t i = 0; i + 1 < sizeof(path); i++)
		path[i] = i % 80 ? 'a' : '/';
	assert_false(v6t_container_parse(path, &c));
}

static void test_json(void **state)
{
	static const char doc[] =
		"{\"MountPoints\":{\"/data\":{\"Name\":\"vol\"}},\"Env\":[\"X=\\\"Name\\\":\\\"evil\\\"\"],"
		" \"Name\" : \"/web\", \"annotations\":{\"io.kubernetes.cri.container-name\":\"app\\u00e9\\\"\"}}";
	char out[64];

	(void)state;
	assert_int_equal(v6t_json_string(doc, strlen(doc), "Name", 1, out, sizeof(out)), 0);
	assert_string_equal(out, "/web");
	assert_int_equal(v6t_json_string(doc, strlen(doc), "Name", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "vol");
	assert_int_equal(v6t_json_string(doc, strlen(doc), "io.kubernetes.cri.container-name", 0, out,
					 sizeof(out)), 0);
	assert_string_equal(out, "app?\"");
	/* cut short, and a value cut at the buffer */
	assert_int_equal(v6t_json_string(doc, 30, "Name", 1, out, sizeof(out)), -1);
	assert_int_equal(v6t_json_string(doc, strlen(doc), "Name", 1, out, 3), 0);
	assert_string_equal(out, "/w");
	assert_int_equal(v6t_json_string("{\"Name\":\"x", 10, "Name", 1, out, sizeof(out)), -1);
	assert_int_equal(v6t_json_string("{\"Name\":1}", 10, "Name", 1, out, sizeof(out)), -1);
}

static void put(const char *root, const char *rel, const char *text)
{
	char path[1024], cmd[1100];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	if (!text) {
		assert_int_equal(mkdir(path, 0755), 0);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Names from kubelet's pod logs, containerd's bundle annotations and Docker's config. */
static void test_resolve(void **state)
{
	char root[] = "/tmp/v6t-container-XXXXXX", cmd[64];
	struct v6t_state_roots r;
	struct v6t_container c;

	(void)state;
	assert_non_null(mkdtemp(root));
	put(root, "var/log/pods/shop_web-7d9f-x2k_" UID_DASH, NULL);
	put(root, "var/log/pods/other_db-0_00000000-0000-0000-0000-000000000000", NULL);
	put(root, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
	    "{\"annotations\":{\"io.kubernetes.cri.container-name\":\"nginx\"}}");
	put(root, "var/lib/docker/containers/" ID "/config.v2.json",
	    "{\"MountPoints\":{\"/d\":{\"Name\":\"vol\"}},\"Name\":\"/web\"}");
	setenv("V6TRACE_TEST_ROOT", root, 1);
	v6t_state_roots_default(&r);
	unsetenv("V6TRACE_TEST_ROOT");

	v6t_container_parse(cases[0].path, &c);
	v6t_container_resolve(&c, &r);
	assert_string_equal(c.pod_namespace, "shop");
	assert_string_equal(c.pod, "web-7d9f-x2k");
	assert_string_equal(c.name, "nginx");

	v6t_container_parse("/system.slice/docker-" ID ".scope", &c);
	v6t_container_resolve(&c, &r);
	assert_string_equal(c.name, "web");

	/* k3s's and RKE2's containerd keeps its bundles elsewhere; no pod log directory (the
	 * agent runs without it mounted): the pod from the bundle's sandbox annotations */
	put(root, "run/k3s/containerd/io.containerd.runtime.v2.task/k8s.io/" ID_K3S "/config.json",
	    "{\"annotations\":{\"io.kubernetes.cri.container-name\":\"coredns\","
	    "\"io.kubernetes.cri.sandbox-name\":\"coredns-6799fbcd5-x\","
	    "\"io.kubernetes.cri.sandbox-namespace\":\"kube-system\"}}");
	v6t_container_parse("/kubepods/burstable/pod" UID_STATIC "/" ID_K3S, &c);
	v6t_container_resolve(&c, &r);
	assert_string_equal(c.name, "coredns");
	assert_string_equal(c.pod, "coredns-6799fbcd5-x");
	assert_string_equal(c.pod_namespace, "kube-system");

	/* nothing on disk for it: the id is what there is */
	v6t_container_parse("/machine.slice/crio-" ID ".scope", &c);
	v6t_container_resolve(&c, &r);
	assert_string_equal(c.name, "");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* --container, --pod, --unit against recognised owners: any one matching keeps it. */
static void test_owner_filters(void **state)
{
	struct v6t_config cfg = { 0 };
	struct v6t_container pod, docker, unit;

	(void)state;
	v6t_container_parse(cases[0].path, &pod);
	snprintf(pod.pod, sizeof(pod.pod), "web-7d9f");
	snprintf(pod.pod_namespace, sizeof(pod.pod_namespace), "shop");
	snprintf(pod.name, sizeof(pod.name), "nginx");
	v6t_container_parse("/system.slice/docker-" ID ".scope", &docker);
	v6t_container_parse("/system.slice/nginx.service", &unit);
	assert_true(v6t_owner_matches(&cfg, &unit));	/* none asked: all kept */

	cfg.n_owners = 1;
	cfg.owners[0].by = V6T_OWNER_POD;
	strcpy(cfg.owners[0].value, "shop/web-7d9f");
	assert_true(v6t_owner_matches(&cfg, &pod));
	assert_false(v6t_owner_matches(&cfg, &docker));
	strcpy(cfg.owners[0].value, "shop/web");	/* a prefix of the name is another pod */
	assert_false(v6t_owner_matches(&cfg, &pod));
	strcpy(cfg.owners[0].value, "sho/web-7d9f");
	assert_false(v6t_owner_matches(&cfg, &pod));
	strcpy(cfg.owners[0].value, UID_DASH);
	assert_true(v6t_owner_matches(&cfg, &pod));

	cfg.owners[0].by = V6T_OWNER_CONTAINER;
	strcpy(cfg.owners[0].value, "3f2a9c0d");	/* an id's prefix, as docker ps shows it */
	assert_true(v6t_owner_matches(&cfg, &docker));
	strcpy(cfg.owners[0].value, "nginx");
	assert_true(v6t_owner_matches(&cfg, &pod));
	assert_false(v6t_owner_matches(&cfg, &docker));

	cfg.owners[0].by = V6T_OWNER_UNIT;
	assert_true(v6t_owner_matches(&cfg, &unit));	/* ".service" optional */
	strcpy(cfg.owners[0].value, "nginx.service");
	assert_true(v6t_owner_matches(&cfg, &unit));
	strcpy(cfg.owners[0].value, "ngin");
	assert_false(v6t_owner_matches(&cfg, &unit));

	cfg.n_owners = 2;	/* any of them */
	cfg.owners[1].by = V6T_OWNER_POD;
	strcpy(cfg.owners[1].value, "shop/web-7d9f");
	assert_true(v6t_owner_matches(&cfg, &pod));
	assert_false(v6t_owner_matches(&cfg, &docker));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_hostile_paths),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_owner_filters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

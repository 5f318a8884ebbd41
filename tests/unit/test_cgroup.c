// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup cache over a tree of plain directories standing in for the cgroup2 mount
 * ($V6TRACE_TEST_CGROUP2): a deleted cgroup keeps its owner, a name the node's state gives
 * later is taken at the next walk, and many cgroups made by someone else push out neither.
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
#include "cgroup.h"
#include "tmpdir.h"

#define ID_GONE "3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define ID_LATE "aa2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define FLOOD 6000	/* more than the cache holds */

static char path[512];

static const char *at(const char *rel)
{
	snprintf(path, sizeof(path), "%s/cg/%s", dir, rel);
	return path;
}

static void make(const char *rel)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", at(rel));
	assert_int_equal(system(cmd), 0);
}

static uint64_t id_of(const char *rel)
{
	struct stat st;

	assert_int_equal(stat(at(rel), &st), 0);
	return st.st_ino;
}

static void count(void *ctx, uint64_t id, const struct v6t_cgroup_owner *o)
{
	(void)id;
	(void)o;
	++*(unsigned int *)ctx;
}

/* Someone else's many cgroups, then a walk of the tree: how many it kept. */
static unsigned int flood_and_walk(void)
{
	unsigned int n = 0;

	make("user.slice/flood");
	for (int i = 0; i < FLOOD; i++) {
		snprintf(path, sizeof(path), "%s/cg/user.slice/flood/c%d", dir, i);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	v6t_cgroup_each(count, &n);
	return n;
}

static void test_cache(void **state)
{
	const struct v6t_cgroup_owner *gone, *late, *o;
	char file[600];
	uint64_t gone_id, late_id;
	unsigned int n;
	FILE *f;

	(void)state;
	make("system.slice/docker-" ID_GONE ".scope");
	make("system.slice/docker-" ID_LATE ".scope");
	assert_int_equal(setenv("V6TRACE_TEST_CGROUP2", at(""), 1), 0);
	assert_int_equal(setenv("V6TRACE_TEST_ROOT", dir, 1), 0);
	gone_id = id_of("system.slice/docker-" ID_GONE ".scope");
	late_id = id_of("system.slice/docker-" ID_LATE ".scope");
	gone = v6t_cgroup_owner(gone_id, 0);
	late = v6t_cgroup_owner(late_id, 0);
	assert_non_null(gone);
	assert_non_null(late);
	assert_string_equal(late->label, "docker:aa2a9c0d4e5b");
	/* these owners were handed out long ago, by look-ups since */
	for (uint64_t i = 1; i <= 100; i++)
		assert_null(v6t_cgroup_owner(~i, 0));

	assert_int_equal(rmdir(at("system.slice/docker-" ID_GONE ".scope")), 0);
	/* Docker's config, written after the container's first event was looked at */
	snprintf(file, sizeof(file), "mkdir -p %s/var/lib/docker/containers/" ID_LATE, dir);
	assert_int_equal(system(file), 0);
	snprintf(file, sizeof(file), "%s/var/lib/docker/containers/" ID_LATE "/config.v2.json", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("{\"Name\":\"/late\"}", f);
	assert_int_equal(fclose(f), 0);

	/* the walk keeps what room the needed ones leave, never more than the cache holds */
	n = flood_and_walk();
	assert_true(n > 0 && n <= 4096);
	o = v6t_cgroup_owner(gone_id, 0);
	assert_ptr_equal(o, gone);
	assert_string_equal(o->label, "docker:3f2a9c0d4e5b");
	o = v6t_cgroup_owner(late_id, 0);
	assert_ptr_equal(o, late);
	assert_string_equal(o->label, "docker:late");
	assert_string_equal(o->c.name, "late");
}

/*
 * A nest of directories whose path outgrows PATH_MAX (someone's delegated subtree can hold
 * one) ends no walk: every sibling is still found, in whatever order the walk meets them.
 */
static void test_deep_nest(void **state)
{
	char name[200], rel[64];
	unsigned int n = 0;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	make("deep/nest");
	snprintf(path, sizeof(path), "%s/cg/deep/nest", dir);
	assert_int_equal(chdir(path), 0);
	for (int i = 0; i < 30; i++)	/* 30 * 200 bytes: past PATH_MAX */
		assert_true(!mkdir(name, 0755) && !chdir(name));
	assert_int_equal(chdir("/"), 0);
	for (int i = 0; i < 50; i++) {
		snprintf(rel, sizeof(rel), "deep/sibling-%d", i);
		make(rel);
	}
	assert_int_equal(setenv("V6TRACE_TEST_CGROUP2", at("deep"), 1), 0);
	v6t_cgroup_each(count, &n);
	for (int i = 0; i < 50; i++) {
		snprintf(rel, sizeof(rel), "deep/sibling-%d", i);
		if (!v6t_cgroup_owner(id_of(rel), 0))
			fail_msg("%s not found by the walk (%u found)", rel, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_deep_nest),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}

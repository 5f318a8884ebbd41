// SPDX-License-Identifier: GPL-2.0
/* The recording writer, read back byte for byte: namespace records and rotation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "tmpdir.h"
#include "writer.h"

#define NS_BASE 4026530000ULL


static struct v6t_writer *open_writer(const char *name, uint64_t rotate_bytes)
{
	static char path[128];
	struct v6t_writer_opts o = {
		.path = path,
		.rotate_bytes = rotate_bytes,
		.file_mode = 0600,
	};
	struct v6t_file_info info;
	struct v6t_writer *w;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	v6t_file_info_local(&info, 0);
	assert_int_equal(v6t_writer_open(&w, &o, &info), 0);
	return w;
}

static void add_event(struct v6t_writer *w, uint64_t ns)
{
	struct v6t_sock_event e = {
		.hdr = { .type = V6T_REC_SOCK_EVENT, .size = sizeof(e) },
		.netns_ino = ns,
		.kind = V6T_EV_BIND,
	};

	assert_int_equal(v6t_writer_add_netns(w, ns, 0), 0);
	assert_int_equal(v6t_writer_add(w, &e, sizeof(e)), 0);
}

struct contents {
	unsigned int netns[8192];	/* namespace records of NS_BASE + i */
	unsigned int events;
	size_t header_size;
	size_t size;
};

/* Reads a file's records; every event's namespace must have been described before it. */
static void read_back(const char *name, struct contents *c)
{
	char path[128];
	FILE *f;
	unsigned char *data;
	size_t off;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	assert_non_null(f);
	data = malloc(1 << 22);
	assert_non_null(data);
	c->size = fread(data, 1, 1 << 22, f);
	fclose(f);
	c->header_size = ((const struct v6t_file_header *)data)->header_size;
	for (off = c->header_size; off + sizeof(struct v6t_rec_hdr) <= c->size;) {
		const struct v6t_rec_hdr *h = (const void *)(data + off);
		struct v6t_netns_rec n;
		struct v6t_sock_event e;

		assert_true(h->size >= sizeof(*h) && off + h->size <= c->size);
		if (h->type == V6T_REC_NETNS) {
			memcpy(&n, h, sizeof(n));
			assert_true(n.info.netns_ino - NS_BASE < 8192);
			c->netns[n.info.netns_ino - NS_BASE]++;
		} else {
			memcpy(&e, h, sizeof(e));
			assert_true(c->netns[e.netns_ino - NS_BASE]);
			c->events++;
		}
		off += h->size;
	}
	assert_int_equal(off, c->size);
	free(data);
}

/* More namespaces than the old fixed table (1024): each is described once, however many. */
static void test_many_namespaces(void **state)
{
	static struct contents c;
	struct v6t_writer *w = open_writer("many.v6t", 0);

	(void)state;
	for (int round = 0; round < 3; round++)
		for (unsigned int i = 0; i < 5000; i++)
			add_event(w, NS_BASE + i);
	assert_int_equal(v6t_writer_close(w), 0);
	read_back("many.v6t", &c);
	assert_int_equal(c.events, 15000);
	for (unsigned int i = 0; i < 5000; i++)
		assert_int_equal(c.netns[i], 1);
}

/*
 * A namespace first seen just as the file is full: its record starts the next file, after the
 * namespaces seen before it, once (not also among them).
 */
static void test_namespace_at_rotation(void **state)
{
	static struct contents c;
	struct v6t_writer *w = open_writer("probe.v6t", 0);
	const size_t ns = sizeof(struct v6t_netns_rec), ev = sizeof(struct v6t_sock_event);
	size_t header;

	(void)state;
	assert_int_equal(v6t_writer_close(w), 0);
	read_back("probe.v6t", &c);
	header = c.size;
	/* room for one namespace and two events, not for another namespace record */
	w = open_writer("rot.v6t", header + ns + 2 * ev + ns - 1);
	add_event(w, NS_BASE);
	add_event(w, NS_BASE);
	add_event(w, NS_BASE + 1);
	assert_int_equal(v6t_writer_close(w), 0);

	read_back("rot.v6t", &c);
	assert_int_equal(c.size, header + ns + 2 * ev);
	assert_int_equal(c.events, 2);
	read_back("rot.v6t.1", &c);
	assert_int_equal(c.size, header + 2 * ns + ev);
	assert_int_equal(c.events, 1);
	assert_int_equal(c.netns[0], 1);
	assert_int_equal(c.netns[1], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_namespaces),
		cmocka_unit_test(test_namespace_at_rotation),
	};

	return cmocka_run_group_tests_name("writer", tests, make_dir, remove_dir);
}

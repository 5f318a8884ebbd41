// SPDX-License-Identifier: GPL-2.0
/*
 * The recording writer, read back byte for byte: namespace records, owner records and
 * rotation; malformed owner records refused by the reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "cgroup.h"
#include "reader.h"
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

/*
 * Owners: the writer records what v6t_cgroup_owner() answers, here from owner records given
 * to it (use_known_owners), as a replay recorded again (-r -w) does.
 */
#define WEB 7001ULL		/* a docker container's cgroup */
#define SVC 7002ULL		/* a systemd service's */
#define GONE 7003ULL		/* no owner known: described by nothing */

static const struct v6t_owner_rec *known(uint64_t id)
{
	static struct v6t_owner_rec web, svc;

	memset(&web, 0, sizeof(web));
	web.cgroup_id = WEB;
	web.runtime = V6T_RT_DOCKER;
	strcpy(web.id, "3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7");
	strcpy(web.name, "shop-web");
	snprintf(web.cgroup, sizeof(web.cgroup), "docker-%s.scope", web.id);
	memset(&svc, 0, sizeof(svc));
	svc.cgroup_id = SVC;
	svc.runtime = V6T_RT_SYSTEMD;
	strcpy(svc.unit, "nginx.service");
	strcpy(svc.cgroup, "nginx.service");
	return id == WEB ? &web : &svc;
}

/* What v6t_cgroup_owner() answers, for the writer to record: these two alone. */
static int use_known_owners(void **state)
{
	(void)state;
	v6t_cgroup_recorded_only(true);
	return v6t_cgroup_recorded(known(WEB)) || v6t_cgroup_recorded(known(SVC));
}

static void add_owned_event(struct v6t_writer *w, uint64_t cgroup,
			    const struct v6t_port_socks_rec *socks)
{
	struct v6t_sock_event e = {
		.hdr = { .type = V6T_REC_SOCK_EVENT, .size = sizeof(e) },
		.cgroup_id = cgroup,
		.kind = V6T_EV_BIND,
	};

	assert_int_equal(v6t_writer_add_event(w, socks, &e), 0);
}

struct owned {
	struct v6t_owner_rec owners[8];
	unsigned int n_owners, events, socks;
	uint64_t first_event_cgroup;
	size_t size;
};

static void take_owned(struct owned *c, const struct v6t_rec_hdr *h)
{
	const struct v6t_sock_event *e = (const void *)h;
	bool described = false;

	if (h->type == V6T_REC_OWNER) {
		assert_true(c->n_owners < 8);
		memcpy(&c->owners[c->n_owners++], h, sizeof(c->owners[0]));
		return;
	}
	c->socks += h->type == V6T_REC_PORT_SOCKS;
	if (h->type != V6T_REC_SOCK_EVENT)
		return;
	/* an owner described before its event, in its file */
	for (unsigned int i = 0; i < c->n_owners; i++)
		described = described || c->owners[i].cgroup_id == e->cgroup_id;
	assert_true(described || e->cgroup_id == GONE || !e->cgroup_id);
	if (!c->events++)
		c->first_event_cgroup = e->cgroup_id;
}

/* A file's records through the reader. */
static void read_owned(const char *name, struct owned *c)
{
	const struct v6t_rec_hdr *h;
	struct v6t_reader *r;
	char path[128];
	int fd;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(v6t_reader_open_fd(&r, fd, path), 0);
	assert_int_equal(v6t_reader_info(r)->minor, V6T_FILE_MINOR);
	while (v6t_reader_next(r, &h) == V6T_READ_RECORD)
		take_owned(c, h);
	c->size = lseek(fd, 0, SEEK_END);
	v6t_reader_close(r);
	close(fd);
}

/* Each cgroup once, with every field as it was; a port's sockets' owners too. */
static void test_owners_round_trip(void **state)
{
	static struct {
		struct v6t_port_socks_rec rec;
		struct v6t_port_sock socks[2];
	} ps = { .rec = { .hdr = { .type = V6T_REC_PORT_SOCKS, .size = sizeof(ps) },
			  .count = 2 },
		 .socks = { { .cgroup_id = SVC, .pid = 1 }, { .cgroup_id = GONE, .pid = 2 } } };
	struct v6t_writer *w = open_writer("owners.v6t", 0);
	struct owned c;

	(void)state;
	add_owned_event(w, WEB, NULL);
	add_owned_event(w, WEB, NULL);
	add_owned_event(w, GONE, NULL);
	add_owned_event(w, 0, NULL);
	add_owned_event(w, WEB, &ps.rec);
	assert_int_equal(v6t_writer_close(w), 0);

	read_owned("owners.v6t", &c);
	assert_int_equal(c.events, 5);
	assert_int_equal(c.socks, 1);
	assert_int_equal(c.n_owners, 2);
	assert_int_equal(c.owners[0].hdr.type, V6T_REC_OWNER);
	assert_int_equal(c.owners[0].hdr.size, sizeof(struct v6t_owner_rec));
	assert_memory_equal(&c.owners[0].cgroup_id, &known(WEB)->cgroup_id,
			    sizeof(c.owners[0]) - sizeof(c.owners[0].hdr));
	assert_memory_equal(&c.owners[1].cgroup_id, &known(SVC)->cgroup_id,
			    sizeof(c.owners[1]) - sizeof(c.owners[1].hdr));
}

/* And what a replay makes of them: the label from the recorded fields. */
static void test_recorded_label(void **state)
{
	(void)state;
	assert_string_equal(v6t_cgroup_owner(WEB, 0)->label, "docker:shop-web");
	assert_string_equal(v6t_cgroup_owner(SVC, 0)->label, "nginx.service");
	assert_null(v6t_cgroup_owner(GONE, 0));
}

/*
 * -C: a new file describes its owners again; an owner record and its event share a file, even
 * when the owner alone would still have fitted in the old one.
 */
static void test_owner_at_rotation(void **state)
{
	const size_t own = sizeof(struct v6t_owner_rec), ev = sizeof(struct v6t_sock_event);
	struct v6t_writer *w = open_writer("oprobe.v6t", 0);
	struct owned c;
	size_t header;

	(void)state;
	assert_int_equal(v6t_writer_close(w), 0);
	read_owned("oprobe.v6t", &c);
	header = c.size;
	w = open_writer("orot.v6t", header + own + 2 * ev + own);
	add_owned_event(w, WEB, NULL);
	add_owned_event(w, WEB, NULL);
	add_owned_event(w, SVC, NULL);
	add_owned_event(w, WEB, NULL);
	assert_int_equal(v6t_writer_close(w), 0);

	read_owned("orot.v6t", &c);
	assert_int_equal(c.size, header + own + 2 * ev);
	assert_int_equal(c.n_owners, 1);
	assert_int_equal(c.events, 2);
	read_owned("orot.v6t.1", &c);
	assert_int_equal(c.size, header + 2 * own + 2 * ev);
	assert_int_equal(c.first_event_cgroup, SVC);
	assert_int_equal(c.n_owners, 2);
	assert_int_equal(c.owners[0].cgroup_id, SVC);
	assert_int_equal(c.owners[1].cgroup_id, WEB);
	assert_int_equal(c.events, 2);
}

/* A file holding one owner record, raw, then its first record's result from the reader. */
static enum v6t_read_result read_raw_owner(const char *name, const void *rec, size_t size,
					   char *error, size_t error_size)
{
	struct v6t_writer *w = open_writer(name, 0);
	const struct v6t_rec_hdr *h;
	enum v6t_read_result res;
	struct v6t_reader *r;
	char path[128];
	int fd;

	assert_int_equal(v6t_writer_add(w, rec, size), 0);
	assert_int_equal(v6t_writer_close(w), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_int_equal(v6t_reader_open_fd(&r, fd, name), 0);
	res = v6t_reader_next(r, &h);
	snprintf(error, error_size, "%s", v6t_reader_error(r));
	v6t_reader_close(r);
	close(fd);
	return res;
}

/* A string that runs to its field's end, or a record of another size: one line, no crash. */
static void test_malformed_owner(void **state)
{
	struct {
		struct v6t_owner_rec o;
		unsigned char more[8];
	} big;
	char error[512];

	(void)state;
	big.o = *known(WEB);
	big.o.hdr.type = V6T_REC_OWNER;
	big.o.hdr.size = sizeof(big.o);
	memset(big.o.pod, 'x', sizeof(big.o.pod));
	assert_int_equal(read_raw_owner("open.v6t", &big.o, sizeof(big.o), error, sizeof(error)),
			 V6T_READ_ERROR);
	assert_non_null(strstr(error, "corrupt record: owner with a string that does not end"));
	assert_null(strchr(error, '\n'));

	big.o = *known(WEB);
	big.o.hdr.type = V6T_REC_OWNER;
	big.o.hdr.size = sizeof(big);
	assert_int_equal(read_raw_owner("long.v6t", &big, sizeof(big), error, sizeof(error)),
			 V6T_READ_ERROR);
	assert_non_null(strstr(error, "corrupt record: owner of 1272 bytes, not 1264"));

	big.o.hdr.size = sizeof(big.o) - 8;
	assert_int_equal(read_raw_owner("short.v6t", &big, sizeof(big.o) - 8, error, sizeof(error)),
			 V6T_READ_ERROR);
	assert_non_null(strstr(error, "corrupt record: type 5 with impossible length 1256"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_namespaces),
		cmocka_unit_test(test_namespace_at_rotation),
		cmocka_unit_test_setup(test_owners_round_trip, use_known_owners),
		cmocka_unit_test_setup(test_recorded_label, use_known_owners),
		cmocka_unit_test_setup(test_owner_at_rotation, use_known_owners),
		cmocka_unit_test_setup(test_malformed_owner, use_known_owners),
	};

	return cmocka_run_group_tests_name("writer", tests, make_dir, remove_dir);
}

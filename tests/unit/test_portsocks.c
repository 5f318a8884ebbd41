// SPDX-License-Identifier: GPL-2.0
/*
 * The sockets that hold a port, as a record before the event they explain: checked when read
 * from a recording, paired with their event by the pipeline (and dropped when unpaired),
 * rendered in JSON and named in the note by the rule the classifier picks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "classify.h"
#include "owners.h"
#include "pipeline.h"
#include "reader.h"

#define TS 5000000000ULL
#define OUT_MAX 65536

/* A recording or a display, in a file of its own. */
static char path[] = "/tmp/v6t-portsocks-XXXXXX";
static char out[OUT_MAX];

union socks_rec {
	struct v6t_port_socks_rec r;
	unsigned char bytes[4096];
};

static struct v6t_sock_event failed_bind(uint16_t family, const char *addr, int err)
{
	struct v6t_sock_event e = {
		.hdr = { .type = V6T_REC_SOCK_EVENT, .size = sizeof(e) },
		.ts_boot_ns = TS,
		.kind = V6T_EV_BIND,
		.family = family,
		.proto = V6T_IPPROTO_TCP,
		.pid = 900,
		.local_port = 80,
		.err = err,
	};

	strcpy(e.comm, "server");
	assert_int_equal(inet_pton(family == V6T_AF_INET6 ? AF_INET6 : AF_INET, addr, e.local_addr), 1);
	return e;
}

static void add_sock(union socks_rec *u, uint16_t family, const char *addr, const char *comm,
		     uint32_t pid, uint8_t sockopts)
{
	struct v6t_port_sock *s = &u->r.socks[u->r.count++];

	memset(s, 0, sizeof(*s));
	s->family = family;
	s->port = 80;
	s->proto = V6T_IPPROTO_TCP;
	s->state = 10;	/* LISTEN */
	s->pid = pid;
	s->sockopts = sockopts;
	memcpy(s->comm, comm, strnlen(comm, V6T_COMM_LEN));
	assert_int_equal(inet_pton(family == V6T_AF_INET6 ? AF_INET6 : AF_INET, addr, s->addr), 1);
	u->r.hdr.size = v6t_port_socks_size(u->r.count);
}

static union socks_rec *socks_at(uint64_t ts)
{
	static union socks_rec u;

	memset(&u, 0, sizeof(u));
	u.r.hdr.type = V6T_REC_PORT_SOCKS;
	u.r.hdr.size = v6t_port_socks_size(0);
	u.r.ts_boot_ns = ts;
	return &u;
}

/* Runs records through a JSON pipeline; its display, or with record its recording, is out. */
static void run_as(const struct v6t_rec_hdr *const *recs, bool record, bool json)
{
	struct v6t_config cfg = { .json = json, .quiet = record, .write_path = record ? path : NULL };
	struct v6t_pipeline *p;
	int fd = open(path, O_RDWR | O_TRUNC);
	ssize_t n;

	assert_true(fd >= 0);
	assert_int_equal(v6t_pipeline_new(&p, &cfg, 0, fd), 0);
	if (record) {
		struct v6t_file_info info = { .major = 1 };

		assert_int_equal(v6t_pipeline_record_to(p, &info), 0);
	}
	for (; *recs; recs++)
		v6t_pipeline_push(p, *recs, (*recs)->size);
	assert_int_equal(v6t_pipeline_close(p), 0);
	n = pread(fd, out, sizeof(out) - 1, 0);
	assert_true(n >= 0);
	out[n] = '\0';
	close(fd);
}

static void run(const struct v6t_rec_hdr *const *recs, bool record)
{
	run_as(recs, record, true);
}

/* The note of e after a list of one socket h, as JSON shows it (escaped). */
static const char *note_with(const struct v6t_sock_event *e, union socks_rec *u)
{
	static char note[1024];
	json_object *o, *n;

	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e->hdr, NULL }, false);
	o = json_tokener_parse(out);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "note", &n));
	snprintf(note, sizeof(note), "%s", json_object_get_string(n));
	json_object_put(o);
	return note;
}

static json_object *holders_of(const char *line)
{
	json_object *o = json_tokener_parse(line), *h = NULL;

	assert_non_null(o);
	if (!json_object_object_get_ex(o, "holders", &h)) {
		json_object_put(o);
		return NULL;
	}
	json_object_get(h);
	json_object_put(o);
	return h;
}

/* The list goes with the event right after it that has its time, and with no other. */
static void test_pairing(void **state)
{
	struct v6t_sock_event e = failed_bind(V6T_AF_INET6, "::", -EADDRINUSE), ok = e;
	union socks_rec *u = socks_at(TS);
	json_object *h;

	(void)state;
	add_sock(u, V6T_AF_INET, "0.0.0.0", "socat", 812, 0);
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, false);
	h = holders_of(out);
	assert_non_null(h);
	assert_int_equal(json_object_array_length(h), 1);
	assert_string_equal(json_object_to_json_string_ext(json_object_array_get_idx(h, 0),
							   JSON_C_TO_STRING_PLAIN |
								   JSON_C_TO_STRING_NOSLASHESCAPE),
			    "{\"pid\":812,\"comm\":\"socat\",\"local_addr\":\"0.0.0.0\",\"local_port\":80,"
			    "\"family\":\"inet\",\"v6only\":false,\"v6only_source\":\"n/a\","
			    "\"reuseaddr\":null,\"reuseport\":null}");
	json_object_put(h);

	/* unmatched: another event's time */
	u->r.ts_boot_ns = TS - 1;
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, false);
	assert_null(holders_of(out));

	/* interleaved: an event between the list and its bind takes it away, shows none */
	u->r.ts_boot_ns = TS;
	ok.err = 0;
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &ok.hdr, &e.hdr, NULL }, false);
	assert_null(holders_of(out));
	assert_null(holders_of(strchr(out, '\n') + 1));

	/* found none: an empty list, not an absent one */
	u = socks_at(TS);
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, false);
	assert_non_null(strstr(out, ",\"holders\":[],"));
	/* a bind that did not fail has no holders, even with a list of its time */
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &ok.hdr, NULL }, false);
	assert_null(strstr(out, "holders"));
}

/* Where the first record of type in the recording at path starts (walked by sizes). */
static size_t offset_of(uint16_t type)
{
	struct v6t_file_header h;
	struct v6t_rec_hdr rh;
	int fd = open(path, O_RDONLY);
	size_t at;

	assert_int_equal(pread(fd, &h, sizeof(h), 0), sizeof(h));
	for (at = h.header_size; pread(fd, &rh, sizeof(rh), at) == sizeof(rh); at += rh.size)
		if (rh.type == type)
			break;
	close(fd);
	return at;
}

/* The recording cut at offset at, followed by a list claiming count entries in size bytes. */
static void craft(size_t at, uint16_t count, uint16_t size)
{
	union socks_rec *u = socks_at(TS);
	int fd = open(path, O_RDWR);

	u->r.hdr.size = size;
	u->r.count = count;
	assert_int_equal(ftruncate(fd, at), 0);
	assert_int_equal(pwrite(fd, u, size, at), size);
	close(fd);
}

static enum v6t_read_result read_to(uint16_t type, const struct v6t_rec_hdr **rec,
				    struct v6t_reader **r, int *fd)
{
	enum v6t_read_result res;

	*fd = open(path, O_RDONLY);
	assert_int_equal(v6t_reader_open_fd(r, *fd, "rec"), 0);
	while ((res = v6t_reader_next(*r, rec)) == V6T_READ_RECORD && (*rec)->type != type)
		;
	return res;
}

/* Written before its event, read back the same; a list of a wrong length is corruption. */
static void test_recorded_and_checked(void **state)
{
	static const struct {
		uint16_t count, size;
		const char *message;
	} bad[] = {
		{ 2, 24 + 72, "corrupt record: port sockets of 96 bytes with 2 entries (16 at most)" },
		{ 17, 24 + 17 * 72, "corrupt record: port sockets of 1248 bytes with 17 entries" },
		{ 1, 24 + 72 + 8, "corrupt record: port sockets of 104 bytes with 1 entries" },
		{ 0, 16, "corrupt record: type 4 with impossible length 16" },
	};
	struct v6t_sock_event e = failed_bind(V6T_AF_INET, "0.0.0.0", -EADDRINUSE);
	union socks_rec *u = socks_at(TS);
	const struct v6t_rec_hdr *rec;
	struct v6t_reader *r;
	size_t at;
	int fd;

	(void)state;
	add_sock(u, V6T_AF_INET6, "::", "nginx", 812, V6T_SO_KNOWN | V6T_SO_REUSEADDR);
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, true);
	assert_int_equal(read_to(V6T_REC_PORT_SOCKS, &rec, &r, &fd), V6T_READ_RECORD);
	assert_memory_equal(rec, &u->r, u->r.hdr.size);
	assert_int_equal(v6t_reader_next(r, &rec), V6T_READ_RECORD);
	assert_memory_equal(rec, &e, sizeof(e));
	v6t_reader_close(r);
	close(fd);

	at = offset_of(V6T_REC_PORT_SOCKS);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		craft(at, bad[i].count, bad[i].size);
		assert_int_equal(read_to(V6T_REC_PORT_SOCKS, &rec, &r, &fd), V6T_READ_ERROR);
		if (!strstr(v6t_reader_error(r), bad[i].message))
			fail_msg("%s", v6t_reader_error(r));
		v6t_reader_close(r);
		close(fd);
	}
	/* cut short: the rest is missing, as for any record */
	craft(at, 1, 24 + 72);
	assert_int_equal(truncate(path, at + 50), 0);
	assert_int_equal(read_to(V6T_REC_PORT_SOCKS, &rec, &r, &fd), V6T_READ_TRUNCATED);
	v6t_reader_close(r);
	close(fd);
}

/* The note names the holder that explains the failure, and the rule it collides on. */
static void test_rules_named(void **state)
{
	struct v6t_sock_event dual = failed_bind(V6T_AF_INET6, "::", -EADDRINUSE);
	struct v6t_sock_event v4 = failed_bind(V6T_AF_INET, "0.0.0.0", -EADDRINUSE);
	union socks_rec *u;

	(void)state;
	u = socks_at(TS);
	add_sock(u, V6T_AF_INET, "0.0.0.0", "socat", 812, 0);
	assert_string_equal(note_with(&dual, u),
			    "failed: EADDRINUSE: 0.0.0.0:80 is held by socat[812]; a dual-stack [::] "
			    "socket also needs the IPv4 port: set IPV6_V6ONLY=1 on this socket to "
			    "share it, as sshd does");
	/* with V6ONLY it takes no IPv4: that holder is no conflict, only named */
	dual.v6only = 1;
	add_sock(u, V6T_AF_INET, "127.0.0.1", "nginx", 813, 0);
	assert_string_equal(note_with(&dual, u), "failed: EADDRINUSE: 0.0.0.0:80 is held by socat[812] "
						 "(and 1 more)");

	u = socks_at(TS);
	add_sock(u, V6T_AF_INET6, "::", "nginx", 812, V6T_SO_KNOWN);
	assert_string_equal(note_with(&v4, u),
			    "failed: EADDRINUSE: [::]:80 is held by nginx[812]; it is dual-stack and "
			    "holds the IPv4 port too: set IPV6_V6ONLY=1 on it, or bind only [::]");

	u = socks_at(TS);
	add_sock(u, V6T_AF_INET, "0.0.0.0", "httpd", 0, 0);
	assert_string_equal(note_with(&v4, u), "failed: EADDRINUSE: 0.0.0.0:80 is held by a process "
					       "not found; it listens, and SO_REUSEADDR does not let "
					       "a second socket bind a listening port (SO_REUSEPORT on "
					       "both, one user, does)");
	/* a lookup cut short (out of time, or the namespace gone) may have missed the owner */
	u->r.flags = V6T_PS_FAILED;
	assert_non_null(strstr(note_with(&v4, u), "is held by a process not found (the lookup "
						  "was cut short); it listens"));
	u->r.flags = 0;
	v4.sockopts = V6T_SO_KNOWN | V6T_SO_REUSEPORT;
	u->r.socks[0].sockopts = V6T_SO_KNOWN | V6T_SO_REUSEPORT;
	u->r.socks[0].uid = 1000;
	assert_non_null(strstr(note_with(&v4, u), "; SO_REUSEPORT shares a port only between "
						  "sockets of one user"));
	v4.proto = V6T_IPPROTO_UDP;
	u->r.socks[0].state = 7;
	u->r.socks[0].sockopts = V6T_SO_KNOWN;
	assert_non_null(strstr(note_with(&v4, u), "; sharing one address needs SO_REUSEPORT on both "
						  "sockets"));

	u = socks_at(TS);
	u->r.flags = V6T_PS_SKIPPED;
	v4.sockopts = 0;
	assert_string_equal(note_with(&v4, u), "failed: EADDRINUSE (holders not looked up: too many "
					       "failed binds this second)");
}

/* JSON says whether a list is all there was, for consumers that cannot read the note. */
static void test_lookup_complete(void **state)
{
	static const struct {
		uint8_t flags;
		const char *lookup;
	} cases[] = {
		{ 0, "complete" },
		{ V6T_PS_MORE, "truncated" },
		{ V6T_PS_FAILED, "cut_short" },
		{ V6T_PS_FAILED | V6T_PS_MORE, "cut_short" },
		{ V6T_PS_SKIPPED, "skipped" },
	};
	struct v6t_sock_event e = failed_bind(V6T_AF_INET6, "::", -EADDRINUSE);
	json_object *o, *l;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		union socks_rec *u = socks_at(TS);

		if (!(cases[i].flags & V6T_PS_SKIPPED))
			add_sock(u, V6T_AF_INET, "0.0.0.0", "socat", 0, 0);
		u->r.flags = cases[i].flags;
		run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, false);
		o = json_tokener_parse(out);
		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "holders_lookup", &l));
		assert_string_equal(json_object_get_string(l), cases[i].lookup);
		json_object_put(o);
	}
}

/* A holder's name is whoever ran it chose: valid JSON, and no control bytes on a terminal. */
static void test_hostile_holder(void **state)
{
	struct v6t_sock_event e = failed_bind(V6T_AF_INET6, "::", -EADDRINUSE);
	union socks_rec *u = socks_at(TS);
	json_object *h;

	(void)state;
	add_sock(u, V6T_AF_INET, "0.0.0.0", "a\"b\\\n\033[2J\xff\x7fxxxxx", 7, 0);
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, false);
	h = holders_of(out);
	assert_non_null(h);
	json_object_put(h);
	assert_non_null(strstr(out, "\"comm\":\"a\\\"b\\\\\\n\\u001b[2J\\ufffd\\u007fxxxxx\""));
	assert_non_null(strstr(out, "is held by a\\\"b\\\\\\n\\u001b[2J\\ufffd\\u007fxxxxx[7]"));
	run_as((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, false, false);
	assert_non_null(strstr(out, "is held by a\"b\\??[2J??xxxxx[7];"));
	for (const char *c = out; *c; c++)
		assert_true(*c == '\n' || (unsigned char)*c >= 0x20);
}

/* A full list of the longest names still makes one whole JSON line. */
static void test_full_list_fits(void **state)
{
	struct v6t_sock_event e = failed_bind(V6T_AF_INET6, "::", -EADDRINUSE);
	union socks_rec *u = socks_at(TS);
	char comm[V6T_COMM_LEN];
	json_object *h;

	(void)state;
	memset(comm, 1, sizeof(comm));	/* each byte \u0001: six for one */
	memcpy(e.comm, comm, sizeof(comm));
	for (int i = 0; i < V6T_PORT_SOCKS_MAX; i++) {
		add_sock(u, V6T_AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff1", "", 4000000000U,
			 V6T_SO_KNOWN);
		memcpy(u->r.socks[i].comm, comm, sizeof(comm));
	}
	u->r.flags = V6T_PS_MORE;
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, false);
	h = holders_of(out);
	assert_non_null(h);
	assert_int_equal(json_object_array_length(h), V6T_PORT_SOCKS_MAX);
	json_object_put(h);
}

/* A refused packet's listeners: under their own key, named in the note. */
static void test_refused_listeners(void **state)
{
	struct v6t_sock_event e = failed_bind(V6T_AF_INET, "127.0.0.1", 0);
	union socks_rec *u = socks_at(TS);

	(void)state;
	e.kind = V6T_EV_REFUSED;
	e.pid = 0;
	memset(e.comm, 0, sizeof(e.comm));
	add_sock(u, V6T_AF_INET6, "::1", "nginx", 812, 0);
	u->r.socks[0].v6only = 1;
	u->r.socks[0].v6only_source = V6T_SRC_BIND_ADDRESS;
	run((const struct v6t_rec_hdr *[]){ &u->r.hdr, &e.hdr, NULL }, false);
	assert_null(strstr(out, "holders"));
	assert_non_null(strstr(out, ",\"listeners\":[{\"pid\":812,\"comm\":\"nginx\",\"local_addr\":"
				    "\"::1\",\"local_port\":80,\"family\":\"inet6\",\"v6only\":true,"
				    "\"v6only_source\":\"bind-address\",\"reuseaddr\":null,"
				    "\"reuseport\":null}],\"listeners_lookup\":\"complete\","));
	assert_non_null(strstr(out, "\"note\":\"IPv4 SYN to 127.0.0.1:80 refused: the only "
				    "listener, [::1]:80 (nginx[812]), is on one IPv6 address\""));
	assert_true(v6t_port_list_keeps(&e, &u->r));
	/*
	 * TCP: the kernel counts listeners as they come and go, so a listener gone by the time
	 * of the lookup does not make the packet no news; UDP's map is only ever added to, and
	 * a port nobody serves after all is no news
	 */
	u = socks_at(TS);
	assert_true(v6t_port_list_keeps(&e, &u->r));
	e.proto = V6T_IPPROTO_UDP;
	assert_false(v6t_port_list_keeps(&e, &u->r));
	u->r.flags = V6T_PS_SKIPPED;	/* unless nobody looked */
	assert_true(v6t_port_list_keeps(&e, &u->r));
	u->r.flags = 0;
	e.flags |= V6T_F_TALLY;	/* nor the packets a tally stands for, counted while served */
	assert_true(v6t_port_list_keeps(&e, &u->r));
	e.flags &= ~V6T_F_TALLY;
	e.proto = V6T_IPPROTO_TCP;
	/* a failed bind is shown with or without holders */
	assert_true(v6t_port_list_keeps(&(struct v6t_sock_event){ .kind = V6T_EV_BIND,
								   .err = -EADDRINUSE }, &socks_at(TS)->r));
	/* without its list (an older recording): no key, and the note says what it can */
	run((const struct v6t_rec_hdr *[]){ &e.hdr, NULL }, false);
	assert_null(strstr(out, "listeners"));
}

/* Who holds a socket, as this run saw it: a later listing keeps what a bind read. */
static void test_owners_table(void **state)
{
	struct v6t_sock_event e = failed_bind(V6T_AF_INET, "0.0.0.0", 0);
	struct v6t_owners *o;
	struct v6t_owner w;

	(void)state;
	assert_int_equal(v6t_owners_new(&o), 0);
	e.netns_ino = 4026531840ULL;
	e.sock_ino = 5555;
	e.uid = 1000;
	e.sockopts = V6T_SO_KNOWN | V6T_SO_REUSEPORT;
	v6t_owners_note(o, &e);
	e.kind = V6T_EV_SOCKET;
	e.sockopts = 0;
	v6t_owners_note(o, &e);
	assert_true(v6t_owners_find(o, e.netns_ino, 5555, &w));
	assert_int_equal(w.pid, 900);
	assert_int_equal(w.uid, 1000);
	assert_string_equal(w.comm, "server");
	assert_int_equal(w.sockopts, V6T_SO_KNOWN | V6T_SO_REUSEPORT);
	assert_false(v6t_owners_find(o, e.netns_ino + 1, 5555, &w));
	/* a failed bind holds nothing */
	e.kind = V6T_EV_BIND;
	e.err = -EADDRINUSE;
	e.sock_ino = 5556;
	v6t_owners_note(o, &e);
	assert_false(v6t_owners_find(o, e.netns_ino, 5556, &w));
	v6t_owners_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owners_table),
		cmocka_unit_test(test_refused_listeners),
		cmocka_unit_test(test_full_list_fits),
		cmocka_unit_test(test_rules_named),
		cmocka_unit_test(test_lookup_complete),
		cmocka_unit_test(test_hostile_holder),
		cmocka_unit_test(test_pairing),
		cmocka_unit_test(test_recorded_and_checked),
	};
	int fd = mkstemp(path), rc;

	if (fd < 0)
		return 1;
	close(fd);
	rc = cmocka_run_group_tests_name("portsocks", tests, NULL, NULL);
	unlink(path);
	return rc;
}

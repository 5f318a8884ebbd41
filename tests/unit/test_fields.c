// SPDX-License-Identifier: GPL-2.0
/*
 * The field tables, walked: every field of every row renders in JSON and, where it has a
 * column, in text, and shows its documented absent value in each format when the row lacks
 * it. What README documents comes from these tables.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "output.h"

#define ALL_HAS 0xffffffffu

/* a pod's container, as --wide names it */
static const struct v6t_cgroup_owner box = {
	.c = { .runtime = V6T_RT_KUBERNETES, .id = "3f2a9c0d4e5b", .name = "web", .pod = "web-0",
	       .pod_namespace = "shop", .pod_uid = "1f2e3d4c-5b6a-4789-8abc-def012345678" },
	.cgroup = "cri-containerd-3f2a9c0d4e5b.scope",
	.label = "pod shop/web-0",
};

static const struct v6t_accept_counts counts = { .ipv4_mapped = 3, .ipv4 = 2, .ipv6 = 1 };

/* A row of each kind with every value there is (short ones, so no column overflows). */
static void full_view(enum v6t_row row, struct v6t_sock_event *e, struct v6t_view *v)
{
	memset(e, 0, sizeof(*e));
	e->kind = row == V6T_ROW_EVENT ? V6T_EV_ACCEPT : V6T_EV_LISTEN;
	e->family = V6T_AF_INET6;
	e->proto = V6T_IPPROTO_TCP;
	e->pid = 42;
	e->setter_pid = 43;
	e->local_port = e->peer_port = e->listen_port = 80;
	e->flags = V6T_F_HAS_PEER | V6T_F_HAS_LISTENER | V6T_F_SETTER_KNOWN;
	strcpy(e->comm, "httpd");
	strcpy(e->setter_comm, "init");
	assert_int_equal(inet_pton(AF_INET6, "::ffff:10.0.0.1", e->local_addr), 1);
	assert_int_equal(inet_pton(AF_INET6, "::ffff:10.0.0.2", e->peer_addr), 1);
	v6t_decode(e, 0, v);
	v6t_explain(v, false);
	v->error = "EINVAL";
	strcpy(v->bound_dev, "eth0");
	v->bound_dev_len = 4;
	v->container = &box;
	v->hint.how = "how";
	v->hint.sysctl = "sysctl";
	v->accepts = &counts;
	v->count = 5;
	v->total = 7;
	v->has = ALL_HAS;
	if (row == V6T_ROW_LOST)
		v->event = "lost";
	else if (row == V6T_ROW_SUMMARY)
		v->event = "summary";
	else if (row != V6T_ROW_EVENT)
		v->event = "summary_footer";
}

static json_object *json_of(enum v6t_row row, const struct v6t_view *v)
{
	char buf[V6T_LINE_MAX];
	struct strbuf sb = STRBUF_ON(buf);
	json_object *o;

	v6t_json_row(&sb, row, v);
	assert_true(sb.len > 2 && buf[sb.len - 1] == '\n');
	o = json_tokener_parse(buf);
	if (!o || !json_object_is_type(o, json_type_object))
		fail_msg("not a JSON object: %s", buf);
	return o;
}

static void text_of(enum v6t_row row, const struct v6t_view *v, char *buf, size_t size)
{
	struct strbuf sb = { .buf = buf, .cap = size };

	sb_reset(&sb);
	v6t_text_row(&sb, row, v, 0);
	assert_true(sb.len > 0 && buf[sb.len - 1] == '\n');
}

/* Each key is ,"name": with room for the fixed-size copy's terminating zero. */
static void test_keys_well_formed(void **state)
{
	(void)state;
	for (unsigned int r = 0; r < V6T_ROWS; r++) {
		const struct v6t_layout *l = v6t_layout(r);

		for (unsigned int i = 0; i < l->n; i++) {
			const struct v6t_field *f = &l->fields[i];

			for (unsigned int k = 0; k < 2 && f->keys[k].len; k++) {
				const struct v6t_json_key *key = &f->keys[k];

				assert_true(key->len < sizeof(key->lit));
				assert_int_equal(key->lit[key->len], '\0');
				assert_memory_equal(key->lit, ",\"", 2);
				assert_memory_equal(key->lit + key->len - 2, "\":", 2);
			}
			/* a field left out when absent has no absent value to show */
			if (f->needs && f->keys[0].len)
				assert_true(!f->keys[0].absent == f->omitted);
			if (f->needs && f->in_text)
				assert_non_null(f->text_absent);
		}
	}
}

/* Text shows nothing JSON does not have: every text column is a field with a key. */
static void test_text_is_in_json(void **state)
{
	(void)state;
	for (unsigned int r = 0; r < V6T_ROWS; r++) {
		const struct v6t_layout *l = v6t_layout(r);

		for (unsigned int i = 0; i < l->n; i++)
			if (l->fields[i].in_text && !l->fields[i].keys[0].len)
				fail_msg("row %u: field %s is shown in text only", r,
					 l->fields[i].name);
	}
}

/* A full row has every key of its table, once, and nothing else. */
static void test_full_rows(void **state)
{
	struct v6t_sock_event e;
	struct v6t_view v;

	(void)state;
	for (unsigned int r = 0; r < V6T_ROWS; r++) {
		const struct v6t_layout *l = v6t_layout(r);
		json_object *o;
		int keys = 0;

		full_view(r, &e, &v);
		o = json_of(r, &v);
		for (unsigned int i = 0; i < l->n; i++) {
			for (unsigned int k = 0; k < 2 && l->fields[i].keys[k].len; k++) {
				char name[32];

				snprintf(name, sizeof(name), "%.*s", l->fields[i].keys[k].len - 4,
					 l->fields[i].keys[k].lit + 2);
				if (!json_object_object_get_ex(o, name, NULL))
					fail_msg("row %u: no key %s", r, name);
				keys++;
			}
		}
		assert_int_equal(json_object_object_length(o), keys);
		json_object_put(o);
	}
}

/* Where a field's text starts in a row whose columns all fit. */
static const char *column_text(const char *line, const struct v6t_field *f)
{
	assert_true(strlen(line) > f->col);
	return line + f->col;
}

/* The value a field's key shows, as JSON text. */
static const char *json_value(json_object *o, const struct v6t_json_key *key)
{
	char name[32];
	json_object *val = NULL;

	snprintf(name, sizeof(name), "%.*s", key->len - 4, key->lit + 2);
	assert_true(json_object_object_get_ex(o, name, &val));
	return json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

static bool has_key(json_object *o, const struct v6t_json_key *key)
{
	char name[32];

	snprintf(name, sizeof(name), "%.*s", key->len - 4, key->lit + 2);
	return json_object_object_get_ex(o, name, NULL);
}

/* What README documents a field without its value shows: JSON per key, then text. */
static const struct documented {
	unsigned int row;
	const char *field;
	const char *json[2];
	const char *text;	/* NULL: no text column */
} documented[] = {
	{ V6T_ROW_EVENT, "pid", { "0" }, "-" },
	{ V6T_ROW_EVENT, "comm", { "\"\"" }, "-" },
	{ V6T_ROW_EVENT, "container", { "null" }, "[?] " },
	{ V6T_ROW_EVENT, "peer", { "null", "null" }, "-" },
	{ V6T_ROW_EVENT, "v6only", { "false", "\"n/a\"" }, "-" },
	{ V6T_ROW_EVENT, "v6only_set_by", { "null" } },
	{ V6T_ROW_EVENT, "requested", { "null" } },
	{ V6T_ROW_EVENT, "reuse", { "null", "null" } },
	{ V6T_ROW_EVENT, "freebind", { "null" } },
	{ V6T_ROW_EVENT, "bound_dev", { "null" } },
	{ V6T_ROW_EVENT, "mapped", { "false", "null" } },
	{ V6T_ROW_EVENT, "listener", { "null", "null" } },
	{ V6T_ROW_EVENT, "error", { "null" } },
	{ V6T_ROW_EVENT, "suppressed", { "null" } },
	{ V6T_ROW_EVENT, "hint", { "null" }, "" },
	{ V6T_ROW_SUMMARY, "hint", { "null" }, "" },
	{ V6T_ROW_SUMMARY, "container", { "null" }, "[?] " },
	/* NULL: the key is left out */
	{ V6T_ROW_EVENT, "holders", { NULL } },
	{ V6T_ROW_EVENT, "listeners", { NULL } },
	{ V6T_ROW_SUMMARY, "v6only", { "false", "\"n/a\"" }, "-" },
};

static const struct documented *documented_for(unsigned int row, const char *field)
{
	for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
		if (documented[i].row == row && !strcmp(documented[i].field, field))
			return &documented[i];
	fail_msg("row %u: field %s may be absent, and README does not say how it shows", row,
		 field);
	return NULL;
}

/* Lacking its value, each field shows its documented absent value in both formats. */
static void test_absent_values(void **state)
{
	struct v6t_sock_event e;
	struct v6t_view v;
	char line[V6T_LINE_MAX];

	(void)state;
	for (unsigned int r = 0; r < V6T_ROWS; r++) {
		const struct v6t_layout *l = v6t_layout(r);

		for (unsigned int i = 0; i < l->n; i++) {
			const struct v6t_field *f = &l->fields[i];
			const struct documented *d;
			json_object *o;

			if (!f->needs)
				continue;
			d = documented_for(r, f->name);
			full_view(r, &e, &v);
			v.has &= ~f->needs;
			o = json_of(r, &v);
			for (unsigned int k = 0; k < 2 && f->keys[k].len; k++) {
				if (d->json[k])
					assert_string_equal(json_value(o, &f->keys[k]), d->json[k]);
				else
					assert_false(has_key(o, &f->keys[k]));
			}
			json_object_put(o);
			if (!f->in_text) {
				assert_null(d->text);
				continue;
			}
			assert_non_null(d->text);
			text_of(r, &v, line, sizeof(line));
			if (strncmp(column_text(line, f), d->text, strlen(d->text)))
				fail_msg("row %u field %s: text shows \"%s\"", r, f->name,
					 column_text(line, f));
		}
	}
}

/* A field shown only with an option (--wide's container) is in neither format without it. */
static void test_shown_with_option_only(void **state)
{
	struct v6t_sock_event e;
	struct v6t_view v;
	char line[V6T_LINE_MAX];
	json_object *o, *c;

	(void)state;
	full_view(V6T_ROW_EVENT, &e, &v);
	text_of(V6T_ROW_EVENT, &v, line, sizeof(line));
	assert_non_null(strstr(line, " [pod shop/web-0] "));
	o = json_of(V6T_ROW_EVENT, &v);
	assert_true(json_object_object_get_ex(o, "container", &c));
	assert_string_equal(json_object_get_string(json_object_object_get(c, "runtime")),
			    "kubernetes");
	assert_string_equal(json_object_get_string(json_object_object_get(c, "namespace")), "shop");
	assert_string_equal(json_object_get_string(json_object_object_get(c, "pod")), "web-0");
	assert_string_equal(json_object_get_string(json_object_object_get(c, "name")), "web");
	assert_true(json_object_is_type(json_object_object_get(c, "unit"), json_type_null));
	json_object_put(o);
	v.has &= ~V6T_HAS_WIDE;
	text_of(V6T_ROW_EVENT, &v, line, sizeof(line));
	assert_null(strstr(line, "[pod shop/web-0]"));
	o = json_of(V6T_ROW_EVENT, &v);
	assert_false(json_object_object_get_ex(o, "container", NULL));
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_well_formed),
		cmocka_unit_test(test_text_is_in_json),
		cmocka_unit_test(test_full_rows),
		cmocka_unit_test(test_absent_values),
		cmocka_unit_test(test_shown_with_option_only),
	};

	return cmocka_run_group_tests_name("fields", tests, NULL, NULL);
}

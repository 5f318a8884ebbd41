// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>
#include "fields.h"

/* ,"key": how its value shows, and what an absent field shows instead */
#define KEY(k, how, absent_value) { ",\"" k "\":", sizeof(",\"" k "\":") - 1, how, absent_value }
/* the values: one of the record's integers, one of the view's names or numbers, or another */
#define NUM(member) \
	{ V6T_VAL_NUMBER, sizeof(((struct v6t_sock_event *)0)->member), \
	  offsetof(struct v6t_sock_event, member) }
#define NAME(member) { V6T_VAL_NAME, 0, offsetof(struct v6t_view, member) }
#define VIEW_NUM(member) { V6T_VAL_VIEW_NUMBER, 0, offsetof(struct v6t_view, member) }
#define VAL(what) { V6T_VAL_##what }
#define ACCEPTS(peer) { V6T_VAL_ACCEPTS, 0, peer }
#define SOCKOPT(bit) { V6T_VAL_SOCKOPT, 0, bit }
/* the text column: its title, where it starts, how its value shows */
#define TEXT(title_, col_, how) .title = title_, .col = col_, .text = how, .in_text = true
/* how to get the other behaviour (hints.h), continuing the column at col: null when none */
#define HINT_FIELD(col_) \
	{ "hint", { KEY("hint", VAL(HINT), "null") }, TEXT(NULL, col_, VAL(HINT)), .text_absent = "", \
	  .needs = V6T_HAS_HINT }

static const struct v6t_field event_fields[] = {
	{ "time", { KEY("time", VAL(TIME), NULL) }, TEXT("TIME", 0, VAL(TIME)) },
	{ "event", { KEY("event", NAME(event), NULL) }, TEXT("EVENT", 41, NAME(event)) },
	{ "pid", { KEY("pid", NUM(pid), "0") }, TEXT("PID", 16, NUM(pid)), .text_absent = "-",
	  .needs = V6T_HAS_OWNER },
	{ "tid", { KEY("tid", NUM(tid), NULL) } },
	{ "uid", { KEY("uid", NUM(uid), NULL) } },
	{ "comm", { KEY("comm", VAL(COMM), "\"\"") }, TEXT("COMM", 24, VAL(COMM)),
	  .text_absent = "-", .needs = V6T_HAS_COMM },
	{ "netns", { KEY("netns", NUM(netns_ino), NULL) } },
	{ "cgroup", { KEY("cgroup", NUM(cgroup_id), NULL) } },
	/* --wide: in text before the note, in its column */
	{ "container", { KEY("container", VAL(CONTAINER), "null") },
	  TEXT(NULL, 125, VAL(CONTAINER)), .text_absent = "[?] ", .needs = V6T_HAS_CONTAINER,
	  .shown = V6T_HAS_WIDE },
	{ "inode", { KEY("inode", NUM(sock_ino), NULL) } },
	/* text names the two as netstat does: "tcp6" */
	{ "socket", { KEY("proto", NAME(proto), NULL), KEY("family", NAME(family), NULL) },
	  TEXT("PROTO", 52, NAME(netstat_kind)) },
	{ "local", { KEY("local_addr", VAL(LOCAL), NULL), KEY("local_port", NUM(local_port), NULL) },
	  TEXT("LOCAL", 58, VAL(LOCAL)) },
	{ "peer", { KEY("peer_addr", VAL(PEER), "null"), KEY("peer_port", NUM(peer_port), "null") },
	  TEXT("PEER", 84, VAL(PEER)), .text_absent = "-", .needs = V6T_HAS_PEER },
	{ "v6only", { KEY("v6only", VAL(V6ONLY), "false"),
		      KEY("v6only_source", NAME(v6only_source), "\"n/a\"") },
	  TEXT("V6ONLY", 110, VAL(V6ONLY)), .text_absent = "-", .needs = V6T_HAS_V6ONLY },
	/* in text, these are in the note */
	{ "v6only_set_by", { KEY("v6only_set_by", VAL(SETTER), "null") }, .needs = V6T_HAS_SETTER },
	{ "bindv6only", { KEY("bindv6only", NUM(sysctl_v6only), NULL) } },
	{ "requested", { KEY("requested", VAL(REQUESTED), "null") }, .needs = V6T_HAS_REQUESTED },
	/* what decides whether another bind of the port collides (bind, listen) */
	{ "reuse", { KEY("reuseaddr", SOCKOPT(V6T_SO_REUSEADDR), "null"),
		     KEY("reuseport", SOCKOPT(V6T_SO_REUSEPORT), "null") },
	  .needs = V6T_HAS_SOCKOPTS },
	{ "freebind", { KEY("freebind", SOCKOPT(V6T_SO_FREEBIND), "null") },
	  .needs = V6T_HAS_SOCKOPTS },
	{ "bound_dev", { KEY("bound_dev", VAL(BOUND_DEV), "null") }, .needs = V6T_HAS_BOUND_DEV },
	{ "mapped", { KEY("mapped", VAL(TRUE), "false"), KEY("ipv4", VAL(IPV4), "null") },
	  .needs = V6T_HAS_MAPPED },
	{ "listener", { KEY("listener_addr", VAL(LISTENER), "null"),
			KEY("listener_port", NUM(listen_port), "null") },
	  .needs = V6T_HAS_LISTENER },
	{ "error", { KEY("error", VAL(ERROR), "null") }, .needs = V6T_HAS_ERROR },
	/* refused: in text, in the note */
	{ "suppressed", { KEY("suppressed", NUM(suppressed), "null") }, .needs = V6T_HAS_SUPPRESSED },
	/* only on the events they explain: in text, the note names the one that matters */
	{ "holders", { KEY("holders", VAL(PORT_SOCKS), NULL), KEY("holders_lookup", VAL(LOOKUP), NULL) },
	  .needs = V6T_HAS_HOLDERS, .omitted = true },
	{ "listeners", { KEY("listeners", VAL(PORT_SOCKS), NULL),
			 KEY("listeners_lookup", VAL(LOOKUP), NULL) },
	  .needs = V6T_HAS_LISTENERS, .omitted = true },
	{ "note", { KEY("note", VAL(NOTE), NULL) }, TEXT("NOTE", 125, VAL(NOTE)) },
	/* a listener's (listening rows: -l and the start-up snapshot), under the row in text */
	HINT_FIELD(125),
	{ "backend", { KEY("backend", NAME(backend), NULL) } },
};

/* a gap in the stream, where it is: in text a row with the event columns' places */
static const struct v6t_field lost_fields[] = {
	{ "time", { KEY("time", VAL(TIME), NULL) }, TEXT("TIME", 0, VAL(TIME)) },
	{ "event", { KEY("event", NAME(event), NULL) }, TEXT("EVENT", 41, NAME(event)) },
	{ "lost", { KEY("count", VIEW_NUM(count), NULL), KEY("total", VIEW_NUM(total), NULL) },
	  TEXT("NOTE", 125, VAL(LOST)) },
};

static const struct v6t_field summary_fields[] = {
	{ "event", { KEY("event", NAME(event), NULL) } },
	{ "socket", { KEY("proto", NAME(proto), NULL), KEY("family", NAME(family), NULL) } },
	{ "local", { KEY("local_addr", VAL(LOCAL), NULL), KEY("local_port", NUM(local_port), NULL) },
	  TEXT("LISTENER", 0, VAL(LOCAL)) },
	{ "netns", { KEY("netns", NUM(netns_ino), NULL) }, TEXT("NETNS", 26, NUM(netns_ino)) },
	/* the row's identity: two sockets of one process in an SO_REUSEPORT group differ here */
	{ "inode", { KEY("inode", NUM(sock_ino), NULL) } },
	{ "process", { KEY("pid", NUM(pid), NULL), KEY("comm", VAL(COMM), NULL) },
	  TEXT("PROCESS", 38, VAL(PROCESS)) },
	{ "v6only", { KEY("v6only", VAL(V6ONLY), "false"),
		      KEY("v6only_source", NAME(v6only_source), "\"n/a\"") },
	  TEXT("V6ONLY", 62, VAL(V6ONLY)), .text_absent = "-", .needs = V6T_HAS_V6ONLY },
	/* IPv4 clients of an AF_INET6 listener (::ffff:a.b.c.d), and of an AF_INET one */
	{ "accepts_ipv4_mapped", { KEY("accepts_ipv4_mapped", ACCEPTS(V6T_PEER_MAPPED), NULL) },
	  TEXT("MAPPED", 77, ACCEPTS(V6T_PEER_MAPPED)) },
	{ "accepts_ipv4", { KEY("accepts_ipv4", ACCEPTS(V6T_PEER_IPV4), NULL) },
	  TEXT("IPV4", 85, ACCEPTS(V6T_PEER_IPV4)) },
	{ "accepts_ipv6", { KEY("accepts_ipv6", ACCEPTS(V6T_PEER_IPV6), NULL) },
	  TEXT("IPV6", 93, ACCEPTS(V6T_PEER_IPV6)) },
	/* --wide: in text before the verdict, in its column, as events have it before the note */
	{ "container", { KEY("container", VAL(CONTAINER), "null") },
	  TEXT(NULL, 101, VAL(CONTAINER)), .text_absent = "[?] ", .needs = V6T_HAS_CONTAINER,
	  .shown = V6T_HAS_WIDE },
	{ "verdict", { KEY("verdict", VAL(VERDICT), NULL) }, TEXT("VERDICT", 101, VAL(VERDICT)) },
	HINT_FIELD(101),
};

/* the summary's footers: accepts that have no row, as a line in parentheses in text */
static const struct v6t_field overflow_fields[] = {
	{ "event", { KEY("event", NAME(event), NULL) } },
	{ "count", { KEY("untracked_accepts", VIEW_NUM(count), NULL) }, TEXT(NULL, 0, VAL(OVERFLOW)) },
};

static const struct v6t_field unknown_fields[] = {
	{ "event", { KEY("event", NAME(event), NULL) } },
	{ "count", { KEY("unknown_listener_accepts", VIEW_NUM(count), NULL) },
	  TEXT(NULL, 0, VAL(UNKNOWN)) },
};

#define LAYOUT(fields_) { .fields = fields_, .n = sizeof(fields_) / sizeof(fields_[0]) }

static struct v6t_layout layouts[V6T_ROWS] = {
	[V6T_ROW_EVENT] = LAYOUT(event_fields),
	[V6T_ROW_LOST] = LAYOUT(lost_fields),
	[V6T_ROW_SUMMARY] = LAYOUT(summary_fields),
	[V6T_ROW_OVERFLOW] = LAYOUT(overflow_fields),
	[V6T_ROW_UNKNOWN] = LAYOUT(unknown_fields),
};

/*
 * The text columns in their order, from the table's own column numbers, with or without the
 * fields only --wide shows: a field starts a column unless it continues the one before.
 */
static void order_text(struct v6t_layout *l, bool wide)
{
	struct v6t_text_slot *t = l->text[wide];
	unsigned int *n = &l->n_text[wide];

	*n = 0;
	for (unsigned int i = 0; i < l->n; i++) {
		const struct v6t_field *f = &l->fields[i];
		unsigned int j = *n;

		if (!f->in_text || (f->shown && !wide))
			continue;
		(*n)++;
		/* insertion sort, stable: a field that continues a column stays after its head */
		for (; j && t[j - 1].field->col > f->col; j--)
			t[j] = t[j - 1];
		t[j].field = f;
		t[j].absent_len = f->text_absent ? strlen(f->text_absent) : 0;
	}
	for (unsigned int i = 0; i < *n; i++)
		t[i].starts = i && t[i].field->col != t[i - 1].field->col;
}

/* The JSON keys in their order, with or without the fields only --wide shows. */
static void list_keys(struct v6t_layout *l, bool wide)
{
	unsigned int *n = &l->n_json[wide];

	*n = 0;
	for (unsigned int i = 0; i < l->n; i++) {
		const struct v6t_field *f = &l->fields[i];

		if (f->shown && !wide)
			continue;
		for (unsigned int k = 0; k < 2 && f->keys[k].len; k++) {
			struct v6t_json_slot *s = &l->json[wide][(*n)++];

			s->key = f->keys[k];
			s->absent_len = f->keys[k].absent ? strlen(f->keys[k].absent) : 0;
			s->needs = f->needs;
			s->omitted = f->omitted;
		}
	}
}

const struct v6t_layout *v6t_layout(enum v6t_row row)
{
	struct v6t_layout *l = &layouts[row];

	if (!l->n_json[0]) {
		order_text(l, false);
		order_text(l, true);
		list_keys(l, false);
		list_keys(l, true);
	}
	return l;
}

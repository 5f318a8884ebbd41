// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "clock.h"
#include "fields.h"
#include "note.h"

/*
 * The formatters. A JSON one writes the value of its field's key number k; a text one writes
 * its column. Names from our tables and formatted addresses are plain by construction; what
 * a process or a recording chose (names, the note with a setter's name) is escaped or made
 * printable.
 */

static void put_name(struct strbuf *sb, const char *s)
{
	sb_json_plain(sb, s, strlen(s));
}

static void put_bool(struct strbuf *sb, int v)
{
	if (v)
		sb_lit(sb, "true");
	else
		sb_lit(sb, "false");
}

static void json_time(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_putc(sb, '"');
	v6t_fmt_rfc3339_utc(sb, v->wall_ns);
	sb_putc(sb, '"');
}

static void text_time(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	v6t_fmt_local_time(sb, v->wall_ns);
}

static void json_event(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	put_name(sb, v->event);
}

static void text_event(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_puts(sb, v->event);
}

static void json_pid(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, v->e->pid);
}

static void text_pid(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_u64(sb, v->e->pid);
}

static void json_tid(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, v->e->tid);
}

static void json_uid(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, v->e->uid);
}

static void json_comm(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_json_strn(sb, v->comm, v->comm_len);
}

static void text_comm(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_put_printable(sb, v->comm, v->comm_len);
}

static void json_netns(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, v->e->netns_ino);
}

static void text_netns(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_u64(sb, v->e->netns_ino);
}

static void json_cgroup(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, v->e->cgroup_id);
}

static void json_container(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_json_str(sb, v->container);
}

/* before the note, in its column: "[name] " */
static void text_container(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_putc(sb, '[');
	sb_put_printable(sb, v->container, strlen(v->container));
	sb_lit(sb, "] ");
}

static void json_inode(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, v->e->sock_ino);
}

/* proto and family; text calls them as netstat does, "tcp6" */
static void json_socket(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	put_name(sb, k ? v->family : v->proto);
}

static void text_socket(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_puts(sb, v->netstat_kind);
}

static void json_local(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	if (k)
		sb_u64(sb, v->e->local_port);
	else
		sb_json_plain(sb, v->local_addr, v->local_addr_len);
}

static void text_local(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	v6t_put_endpoint(sb, v->e->family, v->local_addr, v->local_addr_len, v->e->local_port);
}

static void json_peer(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	if (k)
		sb_u64(sb, v->e->peer_port);
	else
		sb_json_plain(sb, v->peer_addr, v->peer_addr_len);
}

static void text_peer(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	v6t_put_endpoint(sb, v->e->family, v->peer_addr, v->peer_addr_len, v->e->peer_port);
}

/* V6ONLY and where it came from; text: "yes:sysctl" */
static void json_v6only(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	if (k)
		put_name(sb, v->v6only_source);
	else
		put_bool(sb, v->v6only);
}

static void text_v6only(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	if (v->v6only)
		sb_lit(sb, "yes:");
	else
		sb_lit(sb, "no:");
	sb_puts(sb, v->v6only_source);
}

static void json_setter(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_lit(sb, "{\"pid\":");
	sb_u64(sb, v->e->setter_pid);
	sb_lit(sb, ",\"comm\":");
	sb_json_strn(sb, v->setter_comm, v->setter_comm_len);
	sb_putc(sb, '}');
}

static void json_bindv6only(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, v->e->sysctl_v6only);
}

static void json_requested(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	put_bool(sb, v->e->requested);
}

/* a v4-mapped peer, and its IPv4 address */
static void json_mapped(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	if (k)
		sb_json_plain(sb, v->ipv4, v->ipv4_len);
	else
		put_bool(sb, 1);
}

static void json_listener(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	if (k)
		sb_u64(sb, v->e->listen_port);
	else
		sb_json_plain(sb, v->listener_addr, v->listener_addr_len);
}

static void json_error(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	/* errno names are plain, but they come from libc: escape them anyway (failures only) */
	sb_json_str(sb, v->error);
}

static void json_note(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	if (v->note_plain)
		sb_json_plain(sb, v->note, v->note_len);
	else
		sb_json_strn(sb, v->note, v->note_len);
}

/* What the classifier points out, in colour. Colour codes do not count as columns. */
static const char *const emphasis_color[] = {
	[V6T_EMPH_FAILED] = "\033[1;31m",	/* red */
	[V6T_EMPH_MAPPED] = "\033[1;33m",	/* yellow */
	[V6T_EMPH_DUALSTACK] = "\033[36m",	/* cyan */
};

static void text_note(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	const char *hi = flags & V6T_OUT_COLOR ? emphasis_color[v->cls.emphasis] : NULL;

	if (hi)
		sb_puts(sb, hi);
	if (v->note_plain)
		sb_putn(sb, v->note, v->note_len);
	else
		sb_put_printable(sb, v->note, v->note_len);
	if (hi)
		sb_lit(sb, "\033[0m");
}

static void json_backend(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	put_name(sb, v->backend);
}

/* a lost record: lost since the last report, and in all */
static void json_lost(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	sb_u64(sb, k ? v->total : v->count);
}

static void text_lost(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_lit(sb, "lost ");
	sb_u64(sb, v->count);
	/* -r takes no --buffer-size: a replay can only say where the recording has a gap */
	if (v->replayed)
		sb_lit(sb, " events (the recorder's ring buffer was full: the recording misses "
			   "them), ");
	else
		sb_lit(sb, " events (ring buffer full; try a larger --buffer-size), ");
	sb_u64(sb, v->total);
	sb_lit(sb, " in total");
}

void v6t_lost_warning(struct strbuf *sb, const struct v6t_view *v)
{
	sb_lit(sb, "v6trace: ");
	text_lost(sb, v, 0);
	sb_putc(sb, '\n');
}

/* a summary row: its process as "name[pid]" */
static void text_process(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_put_printable(sb, v->comm, v->comm_len);
	sb_putc(sb, '[');
	sb_u64(sb, v->e->pid);
	sb_putc(sb, ']');
}

static void json_process(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	if (k)
		json_comm(sb, v, 0);
	else
		json_pid(sb, v, 0);
}

/* a summary row's accepts, by the peer's class */
static uint64_t accepts(const struct v6t_view *v, unsigned int peer)
{
	const struct v6t_accept_counts *n = v->accepts;

	return peer == V6T_PEER_MAPPED ? n->ipv4_mapped : peer == V6T_PEER_IPV4 ? n->ipv4 : n->ipv6;
}

static void json_accepts_mapped(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, accepts(v, V6T_PEER_MAPPED));
}

static void text_accepts_mapped(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_u64(sb, accepts(v, V6T_PEER_MAPPED));
}

static void json_accepts_ipv4(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, accepts(v, V6T_PEER_IPV4));
}

static void text_accepts_ipv4(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_u64(sb, accepts(v, V6T_PEER_IPV4));
}

static void json_accepts_ipv6(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, accepts(v, V6T_PEER_IPV6));
}

static void text_accepts_ipv6(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_u64(sb, accepts(v, V6T_PEER_IPV6));
}

static void json_verdict(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	put_name(sb, v6t_verdict(v->cls.sock));
}

static void text_verdict(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_puts(sb, v6t_verdict(v->cls.sock));
}

static void json_count(struct strbuf *sb, const struct v6t_view *v, unsigned int k)
{
	(void)k;
	sb_u64(sb, v->count);
}

static void text_overflow(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_lit(sb, "(and accepts of more listeners than the summary keeps: ");
	sb_u64(sb, v->count);
	sb_putc(sb, ')');
}

static void text_unknown(struct strbuf *sb, const struct v6t_view *v, unsigned int flags)
{
	(void)flags;
	sb_lit(sb, "(and accepts on listeners not known, held by no process at start: ");
	sb_u64(sb, v->count);
	sb_putc(sb, ')');
}

/* ,"key": with the value an absent field shows */
#define KEY(k, absent_value) { ",\"" k "\":", sizeof(",\"" k "\":") - 1, absent_value }
#define TEXT(title_, col_, fn) .title = title_, .col = col_, .text = fn

static const struct v6t_field event_fields[] = {
	{ "time", { KEY("time", NULL) }, json_time, TEXT("TIME", 0, text_time) },
	{ "event", { KEY("event", NULL) }, json_event, TEXT("EVENT", 41, text_event) },
	{ "pid", { KEY("pid", "0") }, json_pid, TEXT("PID", 16, text_pid), .text_absent = "-",
	  .needs = V6T_HAS_OWNER },
	{ "tid", { KEY("tid", NULL) }, json_tid },
	{ "uid", { KEY("uid", NULL) }, json_uid },
	{ "comm", { KEY("comm", "\"\"") }, json_comm, TEXT("COMM", 24, text_comm),
	  .text_absent = "-", .needs = V6T_HAS_COMM },
	{ "netns", { KEY("netns", NULL) }, json_netns },
	{ "cgroup", { KEY("cgroup", NULL) }, json_cgroup },
	{ "container", { KEY("container", "null") }, json_container, TEXT(NULL, 125, text_container),
	  .text_absent = "[?] ", .needs = V6T_HAS_CONTAINER, .shown = V6T_HAS_WIDE },
	{ "inode", { KEY("inode", NULL) }, json_inode },
	{ "socket", { KEY("proto", NULL), KEY("family", NULL) }, json_socket,
	  TEXT("PROTO", 52, text_socket) },
	{ "local", { KEY("local_addr", NULL), KEY("local_port", NULL) }, json_local,
	  TEXT("LOCAL", 58, text_local) },
	{ "peer", { KEY("peer_addr", "null"), KEY("peer_port", "null") }, json_peer,
	  TEXT("PEER", 84, text_peer), .text_absent = "-", .needs = V6T_HAS_PEER },
	{ "v6only", { KEY("v6only", "false"), KEY("v6only_source", "\"n/a\"") }, json_v6only,
	  TEXT("V6ONLY", 110, text_v6only), .text_absent = "-", .needs = V6T_HAS_V6ONLY },
	{ "v6only_set_by", { KEY("v6only_set_by", "null") }, json_setter, .needs = V6T_HAS_SETTER },
	{ "bindv6only", { KEY("bindv6only", NULL) }, json_bindv6only },
	{ "requested", { KEY("requested", "null") }, json_requested, .needs = V6T_HAS_REQUESTED },
	{ "mapped", { KEY("mapped", "false"), KEY("ipv4", "null") }, json_mapped,
	  .needs = V6T_HAS_MAPPED },
	{ "listener", { KEY("listener_addr", "null"), KEY("listener_port", "null") }, json_listener,
	  .needs = V6T_HAS_LISTENER },
	{ "error", { KEY("error", "null") }, json_error, .needs = V6T_HAS_ERROR },
	{ "note", { KEY("note", NULL) }, json_note, TEXT("NOTE", 125, text_note) },
	{ "backend", { KEY("backend", NULL) }, json_backend },
};

/* a gap in the stream, where it is: in text a row with the event columns' places */
static const struct v6t_field lost_fields[] = {
	{ "time", { KEY("time", NULL) }, json_time, TEXT("TIME", 0, text_time) },
	{ "event", { KEY("event", NULL) }, json_event, TEXT("EVENT", 41, text_event) },
	{ "lost", { KEY("count", NULL), KEY("total", NULL) }, json_lost,
	  TEXT("NOTE", 125, text_lost) },
};

static const struct v6t_field summary_fields[] = {
	{ "event", { KEY("event", NULL) }, json_event },
	{ "socket", { KEY("proto", NULL), KEY("family", NULL) }, json_socket },
	{ "local", { KEY("local_addr", NULL), KEY("local_port", NULL) }, json_local,
	  TEXT("LISTENER", 0, text_local) },
	{ "netns", { KEY("netns", NULL) }, json_netns, TEXT("NETNS", 26, text_netns) },
	/* the row's identity: two sockets of one process in an SO_REUSEPORT group differ here */
	{ "inode", { KEY("inode", NULL) }, json_inode },
	{ "process", { KEY("pid", NULL), KEY("comm", NULL) }, json_process,
	  TEXT("PROCESS", 38, text_process) },
	{ "v6only", { KEY("v6only", "false"), KEY("v6only_source", "\"n/a\"") }, json_v6only,
	  TEXT("V6ONLY", 62, text_v6only), .text_absent = "-", .needs = V6T_HAS_V6ONLY },
	/* IPv4 clients of an AF_INET6 listener (::ffff:a.b.c.d), and of an AF_INET one */
	{ "accepts_ipv4_mapped", { KEY("accepts_ipv4_mapped", NULL) }, json_accepts_mapped,
	  TEXT("MAPPED", 77, text_accepts_mapped) },
	{ "accepts_ipv4", { KEY("accepts_ipv4", NULL) }, json_accepts_ipv4,
	  TEXT("IPV4", 85, text_accepts_ipv4) },
	{ "accepts_ipv6", { KEY("accepts_ipv6", NULL) }, json_accepts_ipv6,
	  TEXT("IPV6", 93, text_accepts_ipv6) },
	{ "verdict", { KEY("verdict", NULL) }, json_verdict, TEXT("VERDICT", 101, text_verdict) },
};

static const struct v6t_field overflow_fields[] = {
	{ "event", { KEY("event", NULL) }, json_event },
	{ "count", { KEY("untracked_accepts", NULL) }, json_count, TEXT(NULL, 0, text_overflow) },
};

static const struct v6t_field unknown_fields[] = {
	{ "event", { KEY("event", NULL) }, json_event },
	{ "count", { KEY("unknown_listener_accepts", NULL) }, json_count,
	  TEXT(NULL, 0, text_unknown) },
};

#define LAYOUT(fields_) { .fields = fields_, .n = sizeof(fields_) / sizeof(fields_[0]) }

static struct v6t_layout layouts[V6T_ROWS] = {
	[V6T_ROW_EVENT] = LAYOUT(event_fields),
	[V6T_ROW_LOST] = LAYOUT(lost_fields),
	[V6T_ROW_SUMMARY] = LAYOUT(summary_fields),
	[V6T_ROW_OVERFLOW] = LAYOUT(overflow_fields),
	[V6T_ROW_UNKNOWN] = LAYOUT(unknown_fields),
};

/* The text columns in their order, from the table's own column numbers: sorted once. */
static void order_text(struct v6t_layout *l)
{
	l->n_text = 0;
	for (unsigned int i = 0; i < l->n; i++) {
		unsigned int j = l->n_text;

		if (!l->fields[i].text)
			continue;
		l->n_text++;
		/* insertion sort, stable: a field that continues a column stays after its head */
		for (; j && l->text[j - 1]->col > l->fields[i].col; j--)
			l->text[j] = l->text[j - 1];
		l->text[j] = &l->fields[i];
	}
}

/* The JSON keys in their order, each with what its field needs to be shown and present. */
static void list_keys(struct v6t_layout *l)
{
	l->n_json = 0;
	for (unsigned int i = 0; i < l->n; i++) {
		const struct v6t_field *f = &l->fields[i];

		for (unsigned int k = 0; k < 2 && f->keys[k].len; k++) {
			struct v6t_json_slot *s = &l->json[l->n_json++];

			s->key = f->keys[k];
			s->json = f->json;
			s->index = k;
			s->absent_len = f->keys[k].absent ? strlen(f->keys[k].absent) : 0;
			s->needs = f->needs;
			s->shown = f->shown;
		}
	}
}

const struct v6t_layout *v6t_layout(enum v6t_row row)
{
	struct v6t_layout *l = &layouts[row];

	if (!l->n_json) {
		order_text(l);
		list_keys(l);
	}
	return l;
}

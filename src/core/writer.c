// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "cgroup.h"
#include "hash.h"
#include "netns.h"
#include "netns_set.h"
#include "sink.h"
#include "chain.h"
#include "clock.h"
#include "stop.h"
#include "version.h"
#include "writer.h"

/*
 * Cgroups whose owner the current file describes. Past OWNERS_FULL of them an owner is
 * described again with each record that names it: more bytes, but never an event whose
 * owner the file does not say.
 */
#define OWNER_SLOTS 4096
#define OWNERS_FULL (OWNER_SLOTS / 2)
/* an event's cgroup and its port's sockets' */
#define OWNERS_PER_EVENT (1 + V6T_PORT_SOCKS_MAX)

struct v6t_writer {
	struct v6t_writer_opts opts;
	struct v6t_file_info info;
	char path[PATH_MAX];
	int err;
	int reported;
	unsigned int file_index;	/* 0: FILE, n: FILE.n */
	uint64_t file_bytes;		/* written to the current file, buffered included */
	size_t header_len;
	struct v6t_outfile out;		/* the current file, unless on standard output */
	struct v6t_file_id *written;	/* -W: this run's file i, at i % keep_files */
	struct v6t_netns_set netns;	/* every namespace recorded so far */
	struct v6t_sink buf;		/* the current file's descriptor (-1: none) and buffer */
	uint64_t owners[OWNER_SLOTS];	/* cgroup ids described in this file, 0: empty */
	unsigned int n_owners;
	struct v6t_owner_rec due[OWNERS_PER_EVENT];	/* owners the next event needs written */
};

static int buffer_record(struct v6t_writer *w, const void *rec, size_t size);

static void put_tag(unsigned char *hdr, size_t *off, uint16_t tag, const void *val, size_t len)
{
	struct v6t_file_tag t = { .tag = tag, .len = len };

	if (*off + sizeof(t) + len + 3 > V6T_FILE_HEADER_MAX)
		return;
	memcpy(hdr + *off, &t, sizeof(t));
	memcpy(hdr + *off + sizeof(t), val, len);
	*off += sizeof(t) + ((len + 3) & ~3UL);
}

static size_t build_header(const struct v6t_file_info *info, unsigned char *hdr)
{
	struct v6t_file_header h = {
		.major = V6T_FILE_MAJOR,
		.minor = V6T_FILE_MINOR,
		.byte_order = V6T_FILE_BOM,
		.abi_version = V6T_ABI_VERSION,
		.sock_event_size = sizeof(struct v6t_sock_event),
		.lost_size = sizeof(struct v6t_lost),
		.boot_to_wall_ns = info->boot_to_wall_ns,
		.start_wall_ns = info->start_wall_ns,
	};
	size_t off = sizeof(h);

	memset(hdr, 0, V6T_FILE_HEADER_MAX);
	memcpy(h.magic, V6T_FILE_MAGIC, V6T_FILE_MAGIC_LEN);
	put_tag(hdr, &off, V6T_TAG_HOSTNAME, info->hostname, strlen(info->hostname));
	put_tag(hdr, &off, V6T_TAG_KERNEL, info->kernel, strlen(info->kernel));
	put_tag(hdr, &off, V6T_TAG_BACKENDS, info->backends, strlen(info->backends));
	put_tag(hdr, &off, V6T_TAG_VERSION, info->version, strlen(info->version));
	if (info->has_netns)
		put_tag(hdr, &off, V6T_TAG_NETNS, &info->netns, sizeof(info->netns));
	if (info->has_run)
		put_tag(hdr, &off, V6T_TAG_RUN, &info->run, sizeof(info->run));
	h.header_size = off;
	memcpy(hdr, &h, sizeof(h));
	return off;
}

static void fail(struct v6t_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	if (!w->reported) {
		w->reported = 1;
		fprintf(stderr, "v6trace: writing %s failed: %s\n", w->path, v6t_stop_strerror(err));
	}
}

static int name_file(struct v6t_writer *w, char *out, size_t size, unsigned int index)
{
	return v6t_chain_name(out, size, w->opts.path, index);
}

/* A failure the outfile rule has already reported. */
static int failed_reported(struct v6t_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	w->reported = 1;
	return w->err;
}

static int open_output(struct v6t_writer *w)
{
	struct v6t_outfile_opts o = {
		.mode = w->opts.file_mode,
		.regular_only = w->opts.rotate_bytes != 0,
		.keep = w->opts.input,
	};
	int fd = v6t_outfile_open(&w->out, w->path, &o);

	if (fd < 0)
		return failed_reported(w, fd);
	v6t_sink_init(&w->buf, fd);
	return 0;
}

/* -W: the file keep_files before this one goes, if it is still the one this run wrote. */
static void forget_oldest(struct v6t_writer *w, unsigned int index)
{
	struct v6t_file_id *slot = &w->written[index % w->opts.keep_files];

	if (index >= w->opts.keep_files) {
		char old[PATH_MAX];

		/* a name that did not fit was never written */
		if (!name_file(w, old, sizeof(old), index - w->opts.keep_files))
			v6t_outfile_remove(old, slot);
	}
	*slot = w->out.id;
}

/* Opens file number index and writes its header; each rotated file stands on its own. */
static int open_file(struct v6t_writer *w, unsigned int index)
{
	static unsigned char hdr[V6T_FILE_HEADER_MAX];
	size_t hlen;

	v6t_chain_mark(&w->info, index);
	hlen = build_header(&w->info, hdr);

	w->file_index = index;
	if (!strcmp(w->opts.path, "-")) {
		snprintf(w->path, sizeof(w->path), "standard output");
		v6t_sink_init(&w->buf, STDOUT_FILENO);
	} else {
		/* a cut name would be another file's */
		if (name_file(w, w->path, sizeof(w->path), index)) {
			fprintf(stderr, "v6trace: cannot name part %u of %s: name too long\n", index,
				w->opts.path);
			return failed_reported(w, -ENAMETOOLONG);
		}
		if (open_output(w))
			return w->err;
	}
	w->file_bytes = 0;
	memset(w->owners, 0, sizeof(w->owners));
	w->n_owners = 0;
	buffer_record(w, hdr, hlen);
	for (unsigned int i = 0; i < w->netns.n; i++) {
		struct v6t_netns_rec n = {
			.hdr = { .type = V6T_REC_NETNS, .size = sizeof(n) },
			.info = w->netns.items[i],
		};

		buffer_record(w, &n, sizeof(n));
	}
	w->header_len = w->file_bytes;
	if (w->written)
		forget_oldest(w, index);
	return v6t_writer_flush(w);
}

/* Flushes and closes the current file; it replaces an older one of its name only if whole. */
static int close_file(struct v6t_writer *w)
{
	int err = v6t_writer_flush(w);

	if (w->buf.fd > STDERR_FILENO) {
		if (err)
			v6t_outfile_abandon(&w->out, w->buf.fd);
		else if ((err = v6t_outfile_commit(&w->out, w->buf.fd)))
			failed_reported(w, err);
	}
	w->buf.fd = -1;
	return w->err;
}

static void writer_free(struct v6t_writer *w)
{
	v6t_netns_set_free(&w->netns);
	free(w->written);
	free(w);
}

void v6t_file_info_local(struct v6t_file_info *info, int64_t boot_to_wall_ns)
{
	struct utsname u;

	memset(info, 0, sizeof(*info));
	info->major = V6T_FILE_MAJOR;
	info->minor = V6T_FILE_MINOR;
	info->boot_to_wall_ns = boot_to_wall_ns;
	info->start_wall_ns = v6t_clock_ns(CLOCK_REALTIME);
	if (!uname(&u)) {
		snprintf(info->hostname, sizeof(info->hostname), "%s", u.nodename);
		snprintf(info->kernel, sizeof(info->kernel), "%s", u.release);
	}
	snprintf(info->version, sizeof(info->version), "%s", V6T_VERSION);
	info->has_netns = !v6t_netns_here(&info->netns);
}

int v6t_writer_open(struct v6t_writer **out, const struct v6t_writer_opts *opts,
		    const struct v6t_file_info *info)
{
	struct v6t_writer *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	w->opts = *opts;
	w->info = *info;
	w->buf.fd = -1;
	if (opts->keep_files) {
		w->written = calloc(opts->keep_files, sizeof(*w->written));
		if (!w->written) {
			writer_free(w);
			return -ENOMEM;
		}
	}
	err = open_file(w, 0);
	if (err) {
		close_file(w);
		writer_free(w);
		return err;
	}
	*out = w;
	return 0;
}

int v6t_writer_flush(struct v6t_writer *w)
{
	int err;

	if (w->err)
		return w->err;
	err = v6t_sink_flush(&w->buf);
	if (err)
		fail(w, err);
	return w->err;
}

static int buffer_record(struct v6t_writer *w, const void *rec, size_t size)
{
	int err = v6t_sink_write(&w->buf, rec, size);

	if (err) {
		fail(w, err);
		return w->err;
	}
	w->file_bytes += size;
	return 0;
}

int v6t_writer_add_netns(struct v6t_writer *w, uint64_t netns_ino, uint8_t bindv6only)
{
	struct v6t_netns_rec n = {
		.hdr = { .type = V6T_REC_NETNS, .size = sizeof(n) },
		.info = { .netns_ino = netns_ino, .bindv6only = bindv6only },
	};

	int err;

	if (v6t_netns_set_has(&w->netns, netns_ino))
		return w->err;
	/* added once recorded: a rotation this causes must not repeat it in the new file */
	if (v6t_writer_add(w, &n, sizeof(n)))
		return w->err;
	err = v6t_netns_set_add(&w->netns, &n.info);
	if (err)
		fail(w, err);
	return w->err;
}

/* Starts the next file if size more bytes would take this one past the limit. */
static int make_room(struct v6t_writer *w, size_t size)
{
	if (w->err)
		return w->err;
	/* a file holds at least one record, whatever the limit, so rotation always makes progress */
	if (w->opts.rotate_bytes && w->out.regular && w->file_bytes + size > w->opts.rotate_bytes &&
	    w->file_bytes > w->header_len) {
		if (close_file(w) || open_file(w, w->file_index + 1))
			return w->err;
	}
	return 0;
}

int v6t_writer_add(struct v6t_writer *w, const void *rec, size_t size)
{
	return make_room(w, size) ? w->err : buffer_record(w, rec, size);
}

/* The slot of a cgroup id in this file's owners, or the empty one where it would go. */
static uint64_t *owner_slot(struct v6t_writer *w, uint64_t id)
{
	unsigned int i = v6t_hash_slot(id, OWNER_SLOTS);

	while (w->owners[i] && w->owners[i] != id)
		i = (i + 1) & (OWNER_SLOTS - 1);
	return &w->owners[i];
}

/* Queues the owner of cgroup id (pid: its task, if known) unless described or queued already. */
static unsigned int owner_due(struct v6t_writer *w, unsigned int n, uint64_t id, uint32_t pid)
{
	const struct v6t_cgroup_owner *o;

	if (!id || *owner_slot(w, id))
		return n;
	for (unsigned int i = 0; i < n; i++)
		if (w->due[i].cgroup_id == id)
			return n;
	/* the cgroup is gone, or was never seen: nothing to say */
	o = v6t_cgroup_owner(id, pid);
	if (!o)
		return n;
	v6t_cgroup_owner_rec(&w->due[n], id, o);
	return n + 1;
}

/* The owners an event and its port's sockets need that this file has not described. */
static unsigned int owners_due(struct v6t_writer *w, const struct v6t_port_socks_rec *socks,
			       const struct v6t_sock_event *e)
{
	unsigned int n = owner_due(w, 0, e->cgroup_id, e->pid);

	for (unsigned int i = 0; socks && i < socks->count && i < V6T_PORT_SOCKS_MAX; i++)
		n = owner_due(w, n, socks->socks[i].cgroup_id, socks->socks[i].pid);
	return n;
}

static void write_owners(struct v6t_writer *w, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (buffer_record(w, &w->due[i], sizeof(w->due[i])))
			return;
		if (w->n_owners < OWNERS_FULL) {
			*owner_slot(w, w->due[i].cgroup_id) = w->due[i].cgroup_id;
			w->n_owners++;
		}
	}
}

int v6t_writer_add_event(struct v6t_writer *w, const struct v6t_port_socks_rec *socks,
			 const struct v6t_sock_event *e)
{
	size_t size = sizeof(*e) + (socks ? socks->hdr.size : 0);
	unsigned int file = w->file_index;
	unsigned int n = owners_due(w, socks, e);

	if (make_room(w, size + n * sizeof(w->due[0])))
		return w->err;
	/* a new file describes no owner yet */
	if (w->file_index != file)
		n = owners_due(w, socks, e);
	write_owners(w, n);
	if (socks && buffer_record(w, socks, socks->hdr.size))
		return w->err;
	return buffer_record(w, e, sizeof(*e));
}

int v6t_writer_close(struct v6t_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = close_file(w);
	writer_free(w);
	return err;
}

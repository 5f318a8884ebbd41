// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "reader.h"
#include "stop.h"

#define READ_CHUNK 65536
/* where a header field is, for messages that name the offset of what is wrong */
#define AT(field) offsetof(struct v6t_file_header, field)

struct v6t_reader {
	int fd;			/* not the reader's: its caller closes it */
	int check_rewrites;	/* v6t_reader_check_rewrites() */
	char name[PATH_MAX];
	struct v6t_file_info info;
	unsigned int sock_event_size, lost_size;	/* as the header declares them */
	uint64_t offset;	/* file offset of buf[pos] */
	size_t pos, len;
	char error[PATH_MAX + 320];
	/* the header as read, to tell whether the file was rewritten since (v6t_reader_rewritten) */
	unsigned char header[V6T_FILE_HEADER_MAX];
	size_t header_len;
	/* one record is at most V6T_REC_MAX, so a buffer this size always holds a whole one */
	unsigned char buf[READ_CHUNK + V6T_REC_MAX];
	/* aligned copy handed to the caller */
	union {
		struct v6t_rec_hdr hdr;
		unsigned char bytes[V6T_REC_MAX];
	} rec;
};

static char open_error[PATH_MAX + 320];

static void set_error(struct v6t_reader *r, uint64_t offset, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->error, sizeof(r->error), "%s: offset %llu: %s", r->name, (unsigned long long)offset,
		 what);
}

/* Reads more into the buffer; returns bytes added, 0 at end of file, -errno on error. */
static ssize_t fill(struct v6t_reader *r)
{
	ssize_t n;

	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->offset += r->pos;
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len == sizeof(r->buf))
		return 0;
	n = v6t_stop_read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len);
	if (n < 0)
		return n;
	r->len += n;
	/* checked after the read: what it returned came from the file that was read before */
	if (n && r->check_rewrites && r->header_len && v6t_reader_rewritten(r)) {
		r->len -= n;
		return -ESTALE;
	}
	return n;
}

/* Makes at least want bytes available at pos; 0 if it could, 1 at EOF first, -errno. */
static int need(struct v6t_reader *r, size_t want)
{
	while (r->len - r->pos < want) {
		ssize_t n = fill(r);

		if (n < 0)
			return n;
		if (n == 0)
			return 1;
	}
	return 0;
}

static void copy_string(char *dst, size_t size, const unsigned char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	/* as recorded: printing makes a field safe (sb_printable), a new recording copies it */
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int parse_tags(struct v6t_reader *r, const unsigned char *p, size_t len)
{
	size_t off = sizeof(struct v6t_file_header);

	while (off + sizeof(struct v6t_file_tag) <= len) {
		struct v6t_file_tag tag;
		const unsigned char *val;

		memcpy(&tag, p + off, sizeof(tag));
		val = p + off + sizeof(tag);
		if (tag.len > len - off - sizeof(tag)) {
			set_error(r, off, "corrupt header: field %u of length %u runs past the header",
				  tag.tag, tag.len);
			return -EINVAL;
		}
		switch (tag.tag) {
		case V6T_TAG_HOSTNAME:
			copy_string(r->info.hostname, sizeof(r->info.hostname), val, tag.len);
			break;
		case V6T_TAG_KERNEL:
			copy_string(r->info.kernel, sizeof(r->info.kernel), val, tag.len);
			break;
		case V6T_TAG_BACKENDS:
			copy_string(r->info.backends, sizeof(r->info.backends), val, tag.len);
			break;
		case V6T_TAG_VERSION:
			copy_string(r->info.version, sizeof(r->info.version), val, tag.len);
			break;
		case V6T_TAG_NETNS:
			if (tag.len >= sizeof(r->info.netns)) {
				memcpy(&r->info.netns, val, sizeof(r->info.netns));
				r->info.has_netns = 1;
			}
			break;
		case V6T_TAG_RUN:
			if (tag.len >= sizeof(r->info.run)) {
				memcpy(&r->info.run, val, sizeof(r->info.run));
				r->info.has_run = 1;
			}
			break;
		default:
			break;	/* a field from a newer minor version */
		}
		off += sizeof(tag) + ((tag.len + 3UL) & ~3UL);
	}
	return 0;
}

/* A declared record size this build can read: at least its own struct, at most a record. */
static int check_record_size(struct v6t_reader *r, uint64_t offset, const char *what, unsigned int size,
			     size_t min)
{
	if (size >= min && size <= V6T_REC_MAX)
		return 0;
	set_error(r, offset, "corrupt header: %s of %u bytes (%zu to %u)", what, size, min, V6T_REC_MAX);
	return -EINVAL;
}

/* The event records' layout, as the header declares it, against what this build reads. */
static int check_layout(struct v6t_reader *r, const struct v6t_file_header *h)
{
	if (!h->abi_version) {
		set_error(r, AT(abi_version), "corrupt header: event ABI 0");
		return -EINVAL;
	}
	if (h->abi_version > V6T_ABI_VERSION) {
		set_error(r, AT(abi_version), "event records of ABI %u, newer than this v6trace "
			  "reads (%u); use a newer v6trace", h->abi_version, V6T_ABI_VERSION);
		return -EINVAL;
	}
	if (check_record_size(r, AT(sock_event_size), "socket events", h->sock_event_size,
			      sizeof(struct v6t_sock_event)) ||
	    check_record_size(r, AT(lost_size), "lost records", h->lost_size, sizeof(struct v6t_lost)))
		return -EINVAL;
	r->sock_event_size = h->sock_event_size;
	r->lost_size = h->lost_size;
	return 0;
}

static int read_header(struct v6t_reader *r)
{
	struct v6t_file_header h;
	int rc = need(r, sizeof(h));

	if (rc < 0) {
		set_error(r, 0, "cannot read: %s", strerror(-rc));
		return rc;
	}
	/* -ENODATA: the header is incomplete, and may still be on its way (--follow) */
	if (r->len == 0) {
		set_error(r, 0, "empty file, not a v6trace recording");
		return -ENODATA;
	}
	if (memcmp(r->buf, V6T_FILE_MAGIC, r->len < V6T_FILE_MAGIC_LEN ? r->len : V6T_FILE_MAGIC_LEN)) {
		set_error(r, 0, "not a v6trace recording (no V6TRACE magic)");
		return -EINVAL;
	}
	if (rc) {
		set_error(r, r->len, "truncated header (%zu of %zu bytes)", r->len, sizeof(h));
		return -ENODATA;
	}
	memcpy(&h, r->buf, sizeof(h));
	if (h.byte_order != V6T_FILE_BOM) {
		set_error(r, AT(byte_order),
			  "recorded on a machine of the other byte order, which is not supported");
		return -EINVAL;
	}
	if (h.major != V6T_FILE_MAJOR) {
		set_error(r, AT(major), "format version %u.%u is %s than this v6trace reads (%u.x)%s",
			  h.major, h.minor, h.major > V6T_FILE_MAJOR ? "newer" : "other",
			  V6T_FILE_MAJOR, h.major > V6T_FILE_MAJOR ? "; use a newer v6trace" : "");
		return -EINVAL;
	}
	if (h.header_size < sizeof(h) || h.header_size > V6T_FILE_HEADER_MAX) {
		set_error(r, AT(header_size), "corrupt header: impossible header size %u",
			  h.header_size);
		return -EINVAL;
	}
	rc = check_layout(r, &h);
	if (rc)
		return rc;
	rc = need(r, h.header_size);
	if (rc < 0) {
		set_error(r, r->len, "cannot read: %s", strerror(-rc));
		return rc;
	}
	if (rc) {
		set_error(r, r->len, "truncated header (%zu of %u bytes)", r->len, h.header_size);
		return -ENODATA;
	}
	memcpy(r->header, r->buf, h.header_size);
	r->header_len = h.header_size;
	r->info.major = h.major;
	r->info.minor = h.minor;
	r->info.boot_to_wall_ns = h.boot_to_wall_ns;
	r->info.start_wall_ns = h.start_wall_ns;
	rc = parse_tags(r, r->buf, h.header_size);
	if (rc)
		return rc;
	r->pos = h.header_size;
	return 0;
}

static int reader_init(struct v6t_reader **out, struct v6t_reader *r)
{
	int err = read_header(r);

	if (err) {
		snprintf(open_error, sizeof(open_error), "%s", r->error);
		v6t_reader_close(r);
		return err;
	}
	*out = r;
	return 0;
}

int v6t_reader_open_fd(struct v6t_reader **out, int fd, const char *name)
{
	struct v6t_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->fd = fd;
	snprintf(r->name, sizeof(r->name), "%s", name);
	return reader_init(out, r);
}

const struct v6t_file_info *v6t_reader_info(const struct v6t_reader *r)
{
	return &r->info;
}

/*
 * Whether a record can start here with this header: not a second file's magic, and a size the
 * file's header declares for its type (the smallest a reader needs for the netns record and
 * for types it does not know). 0, or -EINVAL with the error set.
 */
static int check_record(struct v6t_reader *r, uint64_t at, const struct v6t_rec_hdr *h)
{
	unsigned int declared = 0;
	size_t min = sizeof(*h);

	/* the magic is as long as a record header: `cat a.v6t b.v6t` lands exactly here */
	if (!memcmp(r->buf + r->pos, V6T_FILE_MAGIC, V6T_FILE_MAGIC_LEN)) {
		set_error(r, at, "a second recording header: files concatenated? read them one at a time");
		return -EINVAL;
	}
	if (h->type == V6T_REC_SOCK_EVENT)
		declared = r->sock_event_size;
	else if (h->type == V6T_REC_LOST)
		declared = r->lost_size;
	else if (h->type == V6T_REC_NETNS)
		min = sizeof(struct v6t_netns_rec);
	else if (h->type == V6T_REC_PORT_SOCKS)
		min = sizeof(struct v6t_port_socks_rec);
	else if (h->type == V6T_REC_OWNER)
		min = sizeof(struct v6t_owner_rec);
	if (declared && h->size != declared) {
		set_error(r, at, "corrupt record: type %u of %u bytes, the header says %u", h->type, h->size,
			  declared);
		return -EINVAL;
	}
	if (h->size < min || h->size > V6T_REC_MAX) {
		set_error(r, at, "corrupt record: type %u with impossible length %u", h->type, h->size);
		return -EINVAL;
	}
	return 0;
}

/* Each string of an owner record ends in its field. */
static bool owner_strings_ended(const struct v6t_owner_rec *o)
{
#define ENDED(f) (memchr(o->f, '\0', sizeof(o->f)) != NULL)
	return ENDED(id) && ENDED(pod_uid) && ENDED(unit) && ENDED(name) && ENDED(pod) &&
	       ENDED(pod_namespace) && ENDED(cgroup);
#undef ENDED
}

static int check_owner(struct v6t_reader *r, uint64_t at, const struct v6t_rec_hdr *h)
{
	if (h->size != sizeof(struct v6t_owner_rec)) {
		set_error(r, at, "corrupt record: owner of %u bytes, not %zu", h->size,
			  sizeof(struct v6t_owner_rec));
		return -EINVAL;
	}
	if (!owner_strings_ended((const void *)h)) {
		set_error(r, at,
			  "corrupt record: owner with a string that does not end in its field");
		return -EINVAL;
	}
	return 0;
}

/* A record whose length depends on what it holds: the two must agree exactly. */
static int check_body(struct v6t_reader *r, uint64_t at, const struct v6t_rec_hdr *h)
{
	const struct v6t_port_socks_rec *ps = (const void *)h;

	if (h->type == V6T_REC_OWNER)
		return check_owner(r, at, h);
	if (h->type != V6T_REC_PORT_SOCKS || v6t_port_socks_valid(ps, h->size))
		return 0;
	set_error(r, at, "corrupt record: port sockets of %u bytes with %u entries (%u at most)",
		  h->size, ps->count, V6T_PORT_SOCKS_MAX);
	return -EINVAL;
}

enum v6t_read_result v6t_reader_next(struct v6t_reader *r, const struct v6t_rec_hdr **rec)
{
	struct v6t_rec_hdr hdr;
	int rc;

	for (;;) {
		uint64_t at = r->offset + r->pos;
		size_t have;

		rc = need(r, sizeof(hdr));
		if (rc == 0) {
			memcpy(&hdr, r->buf + r->pos, sizeof(hdr));
			if (check_record(r, at, &hdr))
				return V6T_READ_ERROR;
			rc = need(r, hdr.size);
		}
		if (rc == -EINTR)
			return V6T_READ_END;	/* stopped: what was read is all there is */
		if (rc == -ESTALE) {
			set_error(r, at, "the file was written over while being read");
			return V6T_READ_ERROR;
		}
		if (rc < 0) {
			set_error(r, at, "read error: %s", strerror(-rc));
			return V6T_READ_ERROR;
		}
		if (rc == 0) {
			memcpy(r->rec.bytes, r->buf + r->pos, hdr.size);
			if (check_body(r, at, &r->rec.hdr))
				return V6T_READ_ERROR;
			r->pos += hdr.size;
			*rec = &r->rec.hdr;
			return V6T_READ_RECORD;
		}
		/* the end of what there is: clean, or in the middle of a record */
		have = r->len - r->pos;
		if (!have)
			return V6T_READ_END;
		if (have < sizeof(hdr))
			set_error(r, at, "truncated record (%zu of %zu header bytes); the rest is missing",
				  have, sizeof(hdr));
		else
			set_error(r, at, "truncated record (%zu of %u bytes); the rest is missing", have,
				  hdr.size);
		return V6T_READ_TRUNCATED;
	}
}

int v6t_reader_rewritten(const struct v6t_reader *r)
{
	unsigned char now[V6T_FILE_HEADER_MAX];
	struct stat st;

	if (fstat(r->fd, &st) || !S_ISREG(st.st_mode))
		return 0;
	if ((uint64_t)st.st_size < r->offset + r->len)
		return 1;
	return pread(r->fd, now, r->header_len, 0) != (ssize_t)r->header_len ||
	       memcmp(now, r->header, r->header_len);
}

void v6t_reader_check_rewrites(struct v6t_reader *r)
{
	r->check_rewrites = 1;
}

int v6t_reader_restart(struct v6t_reader *r)
{
	if (lseek(r->fd, 0, SEEK_SET) < 0) {
		set_error(r, 0, "cannot read it again: %s", strerror(errno));
		return -errno;
	}
	r->offset = 0;
	r->pos = r->len = r->header_len = 0;
	memset(&r->info, 0, sizeof(r->info));
	return read_header(r);
}

const char *v6t_reader_error(const struct v6t_reader *r)
{
	return r->error;
}

const char *v6t_reader_open_error(void)
{
	return open_error;
}

void v6t_reader_close(struct v6t_reader *r)
{
	if (!r)
		return;
	free(r);
}

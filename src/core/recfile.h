/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording file format (docs/format.md): a self-describing header, then length-prefixed
 * typed records, each starting with struct v6t_rec_hdr: the record types of
 * include/v6trace.h, the socket events the kernel's struct v6t_sock_event byte for byte.
 */
#ifndef V6T_RECFILE_H
#define V6T_RECFILE_H

#include <stdint.h>
#include "v6trace.h"

#define V6T_FILE_MAGIC "V6TRACE\n"	/* the newline catches text-mode mangling */
#define V6T_FILE_MAGIC_LEN 8
#define V6T_FILE_MAJOR 1		/* a reader refuses a newer major */
#define V6T_FILE_MINOR 3		/* a newer minor only adds record types, fields and tags */
#define V6T_FILE_MINOR_OWNERS 3	/* from 1.3 on, owners are recorded (V6T_REC_OWNER) */
#define V6T_FILE_BOM 0x0102		/* byte-order mark, written in the recorder's order */
#define V6T_FILE_HEADER_MAX 4096
#define V6T_REC_MAX 4096		/* no record is longer: a larger length means corruption */

struct v6t_file_header {
	char magic[V6T_FILE_MAGIC_LEN];
	__u16 major;
	__u16 minor;
	__u16 byte_order;		/* V6T_FILE_BOM */
	__u16 header_size;		/* this struct plus its tagged fields: where records start */
	__u32 abi_version;		/* V6T_ABI_VERSION of the records */
	__u16 sock_event_size;		/* sizeof(struct v6t_sock_event) */
	__u16 lost_size;		/* sizeof(struct v6t_lost) */
	__s64 boot_to_wall_ns;		/* CLOCK_REALTIME - CLOCK_BOOTTIME when recording began */
	__u64 start_wall_ns;		/* when recording began (CLOCK_REALTIME) */
	/* then tagged fields: struct v6t_file_tag, value, padding to 4 bytes */
};

struct v6t_file_tag {
	__u16 tag;			/* V6T_TAG_* */
	__u16 len;			/* value length, without padding */
};

#define V6T_TAG_HOSTNAME 1		/* string: the recording host's name */
#define V6T_TAG_KERNEL 2		/* string: its kernel release */
#define V6T_TAG_BACKENDS 3		/* string: "bind=fentry,v6only=fentry,..." */
#define V6T_TAG_VERSION 4		/* string: the v6trace version that recorded */
#define V6T_TAG_NETNS 5			/* struct v6t_netns_info: the recorder's own namespace */
#define V6T_TAG_RUN 6			/* struct v6t_run_info (format 1.1): the run, and this file's place */

/*
 * A recording run (one -w) and the place of this file in its chain (-C): FILE is file 0, FILE.n
 * file n. Whoever follows the chain takes only files of its own run, in order.
 */
struct v6t_run_info {
	__u8 id[16];			/* random, the same in every file of the run */
	__u32 index;
	__u32 pad;
};

_Static_assert(sizeof(struct v6t_file_header) == 40, "file header size is format");
_Static_assert(sizeof(struct v6t_run_info) == 24, "run tag size is format");

/* What a header says, decoded. Strings are NUL-terminated. */
struct v6t_file_info {
	unsigned int major, minor;
	int64_t boot_to_wall_ns;
	uint64_t start_wall_ns;
	char hostname[256];
	char kernel[256];
	char backends[256];
	char version[64];
	struct v6t_netns_info netns;
	int has_netns;
	struct v6t_run_info run;
	int has_run;			/* format 1.0 files have no run tag */
};

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Event times: the kernel stamps CLOCK_BOOTTIME; people read wall-clock time. */
#ifndef V6T_CLOCK_H
#define V6T_CLOCK_H

#include <stdint.h>
#include <time.h>
#include "strbuf.h"

/* The clock's time now in ns: every conversion of a timespec is this one. */
int64_t v6t_clock_ns(clockid_t clk);
/* CLOCK_REALTIME - CLOCK_BOOTTIME now, in ns: add it to a boot-time stamp to get wall time. */
int64_t v6t_boot_to_wall_offset(void);
/* 2026-11-24T10:00:01.123456789Z */
void v6t_fmt_rfc3339_utc(struct strbuf *sb, uint64_t wall_ns);
/* 10:00:01.123456 in the local time zone */
void v6t_fmt_local_time(struct strbuf *sb, uint64_t wall_ns);

#endif

// SPDX-License-Identifier: GPL-2.0
#include <time.h>
#include "clock.h"

#define NSEC_PER_SEC 1000000000ULL

static int64_t ts_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * (int64_t)NSEC_PER_SEC + ts.tv_nsec;
}

int64_t v6t_boot_to_wall_offset(void)
{
	return ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_BOOTTIME);
}

/* Events come in bursts within one second: convert a second once, not once per event. */
struct tm_cache {
	time_t sec;
	int valid;
	struct tm tm;
};

static const struct tm *cached_tm(struct tm_cache *c, time_t sec, int utc)
{
	if (!c->valid || c->sec != sec) {
		if (utc)
			gmtime_r(&sec, &c->tm);
		else
			localtime_r(&sec, &c->tm);
		c->sec = sec;
		c->valid = 1;
	}
	return &c->tm;
}

static void put_hms(struct strbuf *sb, const struct tm *tm)
{
	sb_u64_pad0(sb, tm->tm_hour, 2);
	sb_putc(sb, ':');
	sb_u64_pad0(sb, tm->tm_min, 2);
	sb_putc(sb, ':');
	sb_u64_pad0(sb, tm->tm_sec, 2);
}

void v6t_fmt_rfc3339_utc(struct strbuf *sb, uint64_t wall_ns)
{
	static struct tm_cache cache;
	const struct tm *tm = cached_tm(&cache, wall_ns / NSEC_PER_SEC, 1);

	sb_u64_pad0(sb, tm->tm_year + 1900, 4);
	sb_putc(sb, '-');
	sb_u64_pad0(sb, tm->tm_mon + 1, 2);
	sb_putc(sb, '-');
	sb_u64_pad0(sb, tm->tm_mday, 2);
	sb_putc(sb, 'T');
	put_hms(sb, tm);
	sb_putc(sb, '.');
	sb_u64_pad0(sb, wall_ns % NSEC_PER_SEC, 9);
	sb_putc(sb, 'Z');
}

void v6t_fmt_local_time(struct strbuf *sb, uint64_t wall_ns)
{
	static struct tm_cache cache;

	put_hms(sb, cached_tm(&cache, wall_ns / NSEC_PER_SEC, 0));
	sb_putc(sb, '.');
	sb_u64_pad0(sb, (wall_ns % NSEC_PER_SEC) / 1000, 6);
}

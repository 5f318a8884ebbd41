// SPDX-License-Identifier: GPL-2.0
#include <time.h>
#include "clock.h"

#define NSEC_PER_SEC 1000000000ULL

int64_t v6t_clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * (int64_t)NSEC_PER_SEC + ts.tv_nsec;
}

int64_t v6t_boot_to_wall_offset(void)
{
	return v6t_clock_ns(CLOCK_REALTIME) - v6t_clock_ns(CLOCK_BOOTTIME);
}

/*
 * Events come in bursts within one second: convert and format a second once, not once per
 * event (gmtime/localtime and the date digits were most of a line's time cost).
 */
struct sec_cache {
	uint64_t sec;
	int valid;
	size_t len;
	char text[48];	/* "2026-11-24T10:00:01." or "10:00:01." */
};

static void put_hms(struct strbuf *sb, const struct tm *tm)
{
	sb_u64_pad0(sb, tm->tm_hour, 2);
	sb_putc(sb, ':');
	sb_u64_pad0(sb, tm->tm_min, 2);
	sb_putc(sb, ':');
	sb_u64_pad0(sb, tm->tm_sec, 2);
}

static void format_second(struct sec_cache *c, uint64_t sec, int utc)
{
	struct strbuf sb = STRBUF_ON(c->text);
	time_t t = sec;
	struct tm tm;

	if (utc) {
		gmtime_r(&t, &tm);
		sb_u64_pad0(&sb, tm.tm_year + 1900, 4);
		sb_putc(&sb, '-');
		sb_u64_pad0(&sb, tm.tm_mon + 1, 2);
		sb_putc(&sb, '-');
		sb_u64_pad0(&sb, tm.tm_mday, 2);
		sb_putc(&sb, 'T');
	} else {
		localtime_r(&t, &tm);
	}
	put_hms(&sb, &tm);
	sb_putc(&sb, '.');
	c->sec = sec;
	c->len = sb.len;
	c->valid = 1;
}

static void put_second(struct strbuf *sb, struct sec_cache *c, uint64_t sec, int utc)
{
	if (!c->valid || c->sec != sec)
		format_second(c, sec, utc);
	sb_putn(sb, c->text, c->len);
}

/* exactly width digits of v < 10^width */
static void put_fraction(struct strbuf *sb, uint32_t v, int width)
{
	char digits[9];

	for (int i = width - 1; i >= 0; i--) {
		digits[i] = '0' + v % 10;
		v /= 10;
	}
	sb_putn(sb, digits, width);
}

void v6t_fmt_rfc3339_utc(struct strbuf *sb, uint64_t wall_ns)
{
	static struct sec_cache cache;

	put_second(sb, &cache, wall_ns / NSEC_PER_SEC, 1);
	put_fraction(sb, wall_ns % NSEC_PER_SEC, 9);
	sb_putc(sb, 'Z');
}

void v6t_fmt_local_time(struct strbuf *sb, uint64_t wall_ns)
{
	static struct sec_cache cache;

	put_second(sb, &cache, wall_ns / NSEC_PER_SEC, 0);
	put_fraction(sb, (wall_ns % NSEC_PER_SEC) / 1000, 6);
}

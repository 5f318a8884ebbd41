// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <string.h>
#include "strbuf.h"

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
}

void sb_putn_slow(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + 1 >= sb->cap)
		return;
	if (n > sb->cap - 1 - sb->len)
		n = sb->cap - 1 - sb->len;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* two digits per division: half the divides of a digit-at-a-time loop */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static const uint64_t powers_of_10[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
	10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL,
};

/* decimal digits of v: from its bit length (log10(2) ~ 1233/4096), then one compare */
static int u64_digits(uint64_t v)
{
	int d = ((64 - __builtin_clzll(v | 1)) * 1233) >> 12;

	/* 0 has a bit length of 1 here and no power of ten below it: still one digit */
	return d + (v >= powers_of_10[d]) + !v;
}

/* The digits of v, zero-padded to w (at least its digit count), ending just before end. */
static inline void put_digits(char *end, uint64_t v, int w)
{
	char *p = end;
	uint32_t x;

	while (v > UINT32_MAX) {
		unsigned int r = v % 100;

		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	/* most numbers (ports, pids, inodes) fit 32 bits, whose divisions are cheaper */
	x = v;
	while (x >= 100) {
		unsigned int r = x % 100;

		x /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (x >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * x, 2);
	} else {
		*--p = '0' + x;
	}
	while (p > end - w)
		*--p = '0';
}

/* no room for the number and the NUL: built aside, for the truncating copy */
static __attribute__((noinline)) void u64_truncated(struct strbuf *sb, uint64_t v, int w)
{
	char tmp[24];

	if (w > (int)sizeof(tmp))
		w = sizeof(tmp);
	put_digits(tmp + w, v, w);
	sb_putn_slow(sb, tmp, w);
}

/*
 * The digits are written in place, back to front, once their count is known: an event has a
 * dozen numbers, and a scratch buffer and a memcpy call for each showed in JSON's profile.
 */
void sb_u64_pad0(struct strbuf *sb, uint64_t v, int width)
{
	int n = u64_digits(v);
	int w = n > width ? n : width;

	if ((size_t)w >= sb->cap - sb->len) {
		u64_truncated(sb, v, w);
		return;
	}
	put_digits(sb->buf + sb->len + w, v, w);
	sb->len += w;
	sb->buf[sb->len] = '\0';
}

void sb_u64(struct strbuf *sb, uint64_t v)
{
	sb_u64_pad0(sb, v, 1);
}

void sb_i64(struct strbuf *sb, int64_t v)
{
	if (v < 0) {
		sb_putc(sb, '-');
		sb_u64(sb, -(uint64_t)v);
	} else {
		sb_u64(sb, v);
	}
}

void sb_pad_to(struct strbuf *sb, size_t col)
{
	size_t n;

	if (sb->len >= col) {
		sb_putc(sb, ' ');
		return;
	}
	if (sb->len + 1 >= sb->cap)
		return;
	n = col - sb->len;
	if (n > sb->cap - 1 - sb->len)
		n = sb->cap - 1 - sb->len;
	memset(sb->buf + sb->len, ' ', n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/*
 * Bytes a JSON string can carry as they are: printable ASCII but '"' and '\\'. A table, as
 * nearly every byte of an event is plain and is looked at once.
 */
static const unsigned char json_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,	/* 0x70 */
	/* 0x80-0xff: 0 */
};

static void json_escape(struct strbuf *sb, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '"':
		sb_lit(sb, "\\\"");
		break;
	case '\\':
		sb_lit(sb, "\\\\");
		break;
	case '\n':
		sb_lit(sb, "\\n");
		break;
	case '\t':
		sb_lit(sb, "\\t");
		break;
	default: {
		/* comm is attacker-chosen: escape every control byte and non-ASCII byte */
		char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

		sb_putn(sb, esc, sizeof(esc));
	}
	}
}

void sb_json_strn(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	sb_putc(sb, '"');
	while (p < end) {
		const unsigned char *run = p;

		/* copy plain runs whole */
		while (p < end && json_plain[*p])
			p++;
		if (p > run)
			sb_putn(sb, (const char *)run, p - run);
		if (p == end)
			break;
		json_escape(sb, *p++);
	}
	sb_putc(sb, '"');
}

void sb_json_str(struct strbuf *sb, const char *s)
{
	sb_json_strn(sb, s, strlen(s));
}

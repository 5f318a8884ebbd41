// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "strbuf.h"
#include "utf8.h"

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
 * nearly every byte of an event is plain and is looked at once. Bytes above 0x7f are read as
 * UTF-8 (json_not_plain).
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

static const char hex_digits[] = "0123456789abcdef";

/* a code point of the BMP as \uXXXX */
static void json_u_escape(struct strbuf *sb, uint32_t cp)
{
	char esc[6] = { '\\', 'u', hex_digits[cp >> 12 & 15], hex_digits[cp >> 8 & 15],
			hex_digits[cp >> 4 & 15], hex_digits[cp & 15] };

	sb_putn(sb, esc, sizeof(esc));
}

/* A character JSON must escape at p (n bytes left); returns the bytes it took. */
static size_t json_escape(struct strbuf *sb, const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp = v6t_utf8_decode(p, n, &len);

	switch (cp) {
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
	case V6T_UTF8_INVALID:
		sb_lit(sb, "\\ufffd");
		break;
	default:
		json_u_escape(sb, cp);
	}
	return len;
}

/* The character at p shows as it is (valid UTF-8, no control); *len: the bytes it takes. */
static inline bool shown_as_is(const unsigned char *p, const unsigned char *end, size_t *len)
{
	uint32_t cp = v6t_utf8_decode(p, end - p, len);

	return cp != V6T_UTF8_INVALID && !v6t_utf8_is_control(cp);
}

/*
 * What is not plain ASCII at p: a run of UTF-8 characters JSON carries as they are, or one
 * character to escape. Returns where it stopped. Apart, so that the loop over plain bytes
 * stays as short as it was for ASCII names.
 */
static __attribute__((noinline)) const unsigned char *
json_not_plain(struct strbuf *sb, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *run = p;
	size_t len;

	while (p < end && *p >= 0x80 && shown_as_is(p, end, &len))
		p += len;
	if (p == run)
		return p + json_escape(sb, p, end - p);
	sb_putn(sb, (const char *)run, p - run);
	return p;
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
		p = json_not_plain(sb, p, end);
	}
	sb_putc(sb, '"');
}

void sb_json_str(struct strbuf *sb, const char *s)
{
	sb_json_strn(sb, s, strlen(s));
}

/* n bytes of valid UTF-8; false if the buffer cut them, which it does between characters */
static bool put_whole_chars(struct strbuf *sb, const unsigned char *s, size_t n)
{
	size_t room = sb->cap - sb->len;

	if (n < room) {
		sb_putn(sb, (const char *)s, n);
		return true;
	}
	if (!room)
		return false;
	for (n = room - 1; n && (s[n] & 0xc0) == 0x80; n--)
		;
	sb_putn(sb, (const char *)s, n);
	return false;
}

void sb_put_printable_rest(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;

	/* what shows as it is is copied in runs */
	while (p < end) {
		size_t len;

		if ((unsigned char)(*p - 0x20) < 0x7f - 0x20) {
			p++;
			continue;
		}
		if (shown_as_is(p, end, &len)) {
			p += len;
			continue;
		}
		if (!put_whole_chars(sb, run, p - run))
			return;
		sb_putc(sb, '?');
		p += len;
		run = p;
	}
	put_whole_chars(sb, run, p - run);
}

const char *sb_printable(char *buf, size_t size, const char *s)
{
	struct strbuf sb = { .buf = buf, .cap = size };

	sb_reset(&sb);
	sb_put_printable(&sb, s, strlen(s));
	return buf;
}

/*
 * A label value of the Prometheus text format (escapes: \\, \" and \n). The format is UTF-8,
 * and one bad label makes node_exporter's textfile collector drop the whole file, so each
 * invalid sequence becomes U+FFFD, as in JSON; other controls too, as a label has no use
 * for them and the file is read with cat.
 */
void sb_prom_label(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	sb_putc(sb, '"');
	while (p < end) {
		size_t len;
		uint32_t cp = v6t_utf8_decode(p, end - p, &len);

		if (cp == '\\')
			sb_lit(sb, "\\\\");
		else if (cp == '"')
			sb_lit(sb, "\\\"");
		else if (cp == '\n')
			sb_lit(sb, "\\n");
		else if (cp == V6T_UTF8_INVALID || v6t_utf8_is_control(cp))
			sb_lit(sb, "\xef\xbf\xbd");
		else
			sb_putn(sb, (const char *)p, len);
		p += len;
	}
	sb_putc(sb, '"');
}

// SPDX-License-Identifier: GPL-2.0
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

void sb_u64_pad0(struct strbuf *sb, uint64_t v, int width)
{
	char tmp[24];
	int i = sizeof(tmp);

	while (v >= 100) {
		unsigned int r = v % 100;

		v /= 100;
		i -= 2;
		memcpy(tmp + i, digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		i -= 2;
		memcpy(tmp + i, digit_pairs + 2 * v, 2);
	} else {
		tmp[--i] = '0' + v;
	}
	while ((int)sizeof(tmp) - i < width && i > 0)
		tmp[--i] = '0';
	sb_putn(sb, tmp + i, sizeof(tmp) - i);
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

// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "strbuf.h"

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
}

void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + 1 >= sb->cap)
		return;
	if (n > sb->cap - 1 - sb->len)
		n = sb->cap - 1 - sb->len;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_putn(sb, &c, 1);
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

void sb_u64_pad0(struct strbuf *sb, uint64_t v, int width)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
		width--;
	} while (v || width > 0);
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
	if (sb->len >= col) {
		sb_putc(sb, ' ');
		return;
	}
	while (sb->len < col && sb->len + 1 < sb->cap)
		sb_putc(sb, ' ');
}

/* Bytes a JSON string can carry as they are: printable ASCII but '"' and '\\'. */
static int json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void sb_json_str(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	sb_putc(sb, '"');
	while (*p) {
		const unsigned char *run = p;

		/* copy plain runs whole: nearly every byte of an event is plain */
		while (json_plain(*p))
			p++;
		if (p > run)
			sb_putn(sb, (const char *)run, p - run);
		if (!*p)
			break;
		switch (*p) {
		case '"':
			sb_puts(sb, "\\\"");
			break;
		case '\\':
			sb_puts(sb, "\\\\");
			break;
		case '\n':
			sb_puts(sb, "\\n");
			break;
		case '\t':
			sb_puts(sb, "\\t");
			break;
		default: {
			/* comm is attacker-chosen: escape every control byte and non-ASCII byte */
			char esc[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };

			sb_putn(sb, esc, sizeof(esc));
		}
		}
		p++;
	}
	sb_putc(sb, '"');
}

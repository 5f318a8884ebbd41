/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed buffer that output lines are built in: no allocation, no locale, truncation instead
 * of overflow. Lines are short and bounded, so a full buffer means a bug, not data to keep.
 * The hot helpers are inline: most calls copy a literal whose length the compiler knows.
 */
#ifndef V6T_STRBUF_H
#define V6T_STRBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;	/* including the terminating NUL */
};

#define STRBUF_ON(array) { .buf = (array), .len = 0, .cap = sizeof(array) }

void sb_reset(struct strbuf *sb);

/* the truncating copy, for when the buffer is (nearly) full */
void sb_putn_slow(struct strbuf *sb, const char *s, size_t n);

static inline void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	size_t len = sb->len;

	/* one compare on the way that is always taken: n bytes and the NUL fit */
	if (n >= sb->cap - len) {
		sb_putn_slow(sb, s, n);
		return;
	}
	memcpy(sb->buf + len, s, n);
	sb->len = len + n;
	sb->buf[len + n] = '\0';
}

static inline void sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 1 >= sb->cap)
		return;
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

/* a string literal, its length known at compile time */
#define sb_lit(sb, lit) sb_putn((sb), "" lit, sizeof(lit) - 1)

static inline void sb_puts(struct strbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

/* sb_put_printable from the first byte that is not printable ASCII */
void sb_put_printable_rest(struct strbuf *sb, const char *s, size_t n);

/*
 * s for a terminal: valid UTF-8 as it is, but each control character (v6t_utf8_is_control)
 * and each invalid sequence becomes '?', as ps(1) shows them, so a name cannot move the
 * cursor, recolour or reorder the screen. Never longer than s, never cut inside a character.
 * JSON escapes instead (sb_json_strn).
 */
static inline void sb_put_printable(struct strbuf *sb, const char *s, size_t n)
{
	size_t ascii = 0;

	/* most names are printable ASCII: copied whole, the rest from its first other byte */
	while (ascii < n && (unsigned char)(s[ascii] - 0x20) < 0x7f - 0x20)
		ascii++;
	sb_putn(sb, s, ascii);
	if (ascii < n)
		sb_put_printable_rest(sb, s + ascii, n - ascii);
}

/* The same into buf as a string, for messages built with printf; returns buf. */
const char *sb_printable(char *buf, size_t size, const char *s);

/* v in decimal, zero-padded to at least width digits */
void sb_u64_pad0(struct strbuf *sb, uint64_t v, int width);

static inline void sb_u64(struct strbuf *sb, uint64_t v)
{
	sb_u64_pad0(sb, v, 1);
}
/* pad with spaces up to column col (no-op when already past it, then one space is added) */
void sb_pad_to(struct strbuf *sb, size_t col);
/*
 * A JSON string, quotes included. Valid UTF-8 is kept; '"', '\\' and the characters
 * v6t_utf8_is_control names are escaped (\n, \t, \uXXXX), so those bytes come back. Each
 * invalid sequence becomes the escape \ufffd (U+FFFD): escaping a byte as a lone surrogate
 * would keep it, but strict parsers reject such a line, and a name must not hide its event.
 */
void sb_json_str(struct strbuf *sb, const char *s);
/* the same for n bytes of s (which holds no NUL) */
void sb_json_strn(struct strbuf *sb, const char *s, size_t n);
/*
 * A Prometheus text-format label value, quotes included: '\\', '"' and newline escaped, each
 * invalid UTF-8 sequence and other control character replaced by U+FFFD.
 */
void sb_prom_label(struct strbuf *sb, const char *s, size_t n);
/* "s" in quotes, for strings that are plain by construction (names, addresses) */
static inline void sb_json_plain(struct strbuf *sb, const char *s, size_t n)
{
	char *p = sb->buf + sb->len;

	/* one check for the quotes, the string and the NUL: every event has a dozen */
	if (n + 2 >= sb->cap - sb->len) {
		sb_putc(sb, '"');
		sb_putn(sb, s, n);
		sb_putc(sb, '"');
		return;
	}
	p[0] = '"';
	memcpy(p + 1, s, n);
	p[n + 1] = '"';
	p[n + 2] = '\0';
	sb->len += n + 2;
}

#endif

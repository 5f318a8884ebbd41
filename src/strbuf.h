/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed buffer that output lines are built in: no allocation, no locale, truncation instead
 * of overflow. Lines are short and bounded, so a full buffer means a bug, not data to keep.
 */
#ifndef V6T_STRBUF_H
#define V6T_STRBUF_H

#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;	/* including the terminating NUL */
};

#define STRBUF_ON(array) { .buf = (array), .len = 0, .cap = sizeof(array) }

void sb_reset(struct strbuf *sb);
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_u64(struct strbuf *sb, uint64_t v);
void sb_i64(struct strbuf *sb, int64_t v);
/* v in decimal, zero-padded to at least width digits */
void sb_u64_pad0(struct strbuf *sb, uint64_t v, int width);
/* pad with spaces up to column col (no-op when already past it, then one space is added) */
void sb_pad_to(struct strbuf *sb, size_t col);
/* a JSON string literal, quotes included, escaping what RFC 8259 requires */
void sb_json_str(struct strbuf *sb, const char *s);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process names, cgroup directories and a recording's header are bytes anyone may choose.
 * Whether they are UTF-8, and which of their characters must not reach a terminal or a JSON
 * reader as they are, is decided here, once, for every output. Inline: every non-ASCII byte
 * of every name shown comes through here.
 */
#ifndef V6T_UTF8_H
#define V6T_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define V6T_UTF8_INVALID UINT32_MAX

/*
 * The character at s (n >= 1 bytes) and, in *len, the bytes it takes. For invalid UTF-8
 * (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut short) it
 * returns V6T_UTF8_INVALID and *len is the maximal subpart, as Unicode 3.9 counts it for
 * U+FFFD substitution: one replacement per subpart, as Python and WHATWG decoders give.
 */
static inline uint32_t v6t_utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t more;
	uint32_t cp;

	*len = 1;
	if (c < 0x80)
		return c;
	/* 80..bf continue a character, c0 and c1 could only start overlong ones, f5.. > U+10FFFF */
	if (c < 0xc2 || c > 0xf4)
		return V6T_UTF8_INVALID;
	if (c < 0xe0) {
		more = 1;
		cp = c & 0x1f;
	} else if (c < 0xf0) {
		more = 2;
		cp = c & 0x0f;
		/* the second byte's range rules out overlong forms and the surrogates d800..dfff */
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else {
		more = 3;
		cp = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	}
	for (size_t i = 1; i <= more; i++) {
		if (i == n || s[i] < lo || s[i] > hi) {
			*len = i;
			return V6T_UTF8_INVALID;
		}
		cp = cp << 6 | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*len = more + 1;
	return cp;
}

/*
 * A character that acts on a terminal instead of showing: C0, DEL, C1 (CSI is U+009B), and
 * the Unicode controls that reorder, break or hide the rest of a line. U+061C, U+200E/F,
 * U+202A..E and U+2066..9 reorder what follows (a name could make the rest of a line read
 * backwards, as in "Trojan Source"); U+2028/9 break a line in some terminals and in
 * JavaScript; U+206A..F (deprecated shaping and mirroring controls) and U+FFF9..B
 * (interlinear annotation, which hides text) have no use in a name. Zero-width joiners,
 * variation selectors and tag characters stay: emoji and scripts need them, and they move
 * nothing.
 */
static inline bool v6t_utf8_is_control(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return true;
	if (cp < 0x061c)
		return false;
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x206f) || (cp >= 0xfff9 && cp <= 0xfffb);
}

#endif

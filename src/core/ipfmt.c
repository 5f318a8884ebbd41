// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "ipfmt.h"

static const uint8_t mapped_prefix[12] = { [10] = 0xff, [11] = 0xff };

static char *put_dec8(char *p, unsigned int v)
{
	if (v >= 100) {
		*p++ = '0' + v / 100;
		v %= 100;
		*p++ = '0' + v / 10;
	} else if (v >= 10) {
		*p++ = '0' + v / 10;
	}
	*p++ = '0' + v % 10;
	return p;
}

/* "%x": lower case, no leading zeros */
static char *put_hex16(char *p, unsigned int w)
{
	static const char hex[] = "0123456789abcdef";
	int shift = w >= 0x1000 ? 12 : w >= 0x100 ? 8 : w >= 0x10 ? 4 : 0;

	for (; shift >= 0; shift -= 4)
		*p++ = hex[(w >> shift) & 15];
	return p;
}

static char *put_ip4(char *p, const uint8_t *a)
{
	p = put_dec8(p, a[0]);
	*p++ = '.';
	p = put_dec8(p, a[1]);
	*p++ = '.';
	p = put_dec8(p, a[2]);
	*p++ = '.';
	return put_dec8(p, a[3]);
}

size_t v6t_ipfmt4(char *out, const uint8_t *addr)
{
	char *end = put_ip4(out, addr);

	*end = '\0';
	return end - out;
}

/*
 * RFC 5952 as glibc does it: the first longest run of two or more zero groups becomes "::"
 * (a later run of the same length stays), and ::a.b.c.d (a run of exactly six) and
 * ::ffff:a.b.c.d keep a dotted IPv4 tail.
 */
size_t v6t_ipfmt6(char *out, const uint8_t *addr)
{
	unsigned int w[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0;
	char *p = out;

	/* ::ffff:a.b.c.d, an IPv4 peer on a dual-stack socket: the shape this tool sees most */
	if (!memcmp(addr, mapped_prefix, sizeof(mapped_prefix))) {
		memcpy(p, "::ffff:", 7);
		p = put_ip4(p + 7, addr + 12);
		*p = '\0';
		return p - out;
	}
	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned int)addr[2 * i] << 8 | addr[2 * i + 1];
		if (w[i]) {
			cur = -1;
			continue;
		}
		if (cur < 0) {
			cur = i;
			cur_len = 0;
		}
		if (++cur_len > best_len) {
			best = cur;
			best_len = cur_len;
		}
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
			p = put_ip4(p, addr + 12);
			break;
		}
		p = put_hex16(p, w[i]);
	}
	if (best >= 0 && best + best_len == 8)
		*p++ = ':';
	*p = '\0';
	return p - out;
}

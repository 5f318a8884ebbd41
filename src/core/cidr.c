// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cidr.h"
#include "v6trace.h"

#define V4_IN_KEY 96	/* an IPv4 prefix's length is this plus its own */

/* Keeps the first plen bits of addr; non-zero if any bit after them was set. */
static int clear_host_bits(uint8_t *addr, unsigned int plen)
{
	int was_set = 0;

	for (unsigned int i = 0; i < 16; i++) {
		unsigned int keep = plen >= 8 * (i + 1) ? 8 : plen > 8 * i ? plen - 8 * i : 0;
		uint8_t mask = keep ? (uint8_t)(0xff00 >> keep) : 0;

		was_set |= addr[i] & ~mask;
		addr[i] &= mask;
	}
	return was_set;
}

/* "/LEN": 1 to 3 digits, at most max; -1 if not */
static int parse_len(const char *s, int max)
{
	size_t n = strlen(s);
	int v = 0;

	if (n < 1 || n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

int v6t_cidr_parse(const char *s, struct v6t_cidr *c)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint8_t a4[4];
	int len, max;

	if (n >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, a4) == 1) {
		v6t_addr_key(V6T_AF_INET, a4, c->addr);
		max = 32;
	} else if (inet_pton(AF_INET6, host, c->addr) == 1) {
		max = 128;
	} else {
		return -EINVAL;
	}
	len = slash ? parse_len(slash + 1, max) : max;
	if (len < 0)
		return -EINVAL;
	c->plen = len + (max == 32 ? V4_IN_KEY : 0);
	return clear_host_bits(c->addr, c->plen) ? -EDOM : 0;
}

bool v6t_cidr_contains(const struct v6t_cidr *c, const uint8_t *key)
{
	unsigned int full = c->plen / 8, rest = c->plen % 8;

	if (memcmp(c->addr, key, full))
		return false;
	return !rest || !((c->addr[full] ^ key[full]) & (0xff00 >> rest));
}

void v6t_cidr_str(const struct v6t_cidr *c, char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	bool v4 = c->plen >= V4_IN_KEY && v6t_addr_is_v4mapped(c->addr);

	inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? c->addr + 12 : c->addr, a, sizeof(a));
	snprintf(out, size, "%s/%u", a, v4 ? c->plen - V4_IN_KEY : c->plen);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --peer and --local prefixes, in the one key space of include/v6trace.h (v6t_addr_key): an
 * IPv4 prefix a.b.c.d/n is held as ::ffff:a.b.c.d/(96+n). The same prefixes go into the
 * kernel's LPM tries and into the user-space filter, so both test the same thing.
 */
#ifndef V6T_CIDR_H
#define V6T_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct v6t_cidr {
	uint8_t addr[16];	/* the network address, host bits clear */
	uint8_t plen;		/* 0..128, in the IPv6 key space */
};

/*
 * "ADDR" (one host) or "ADDR/LEN", IPv4 or IPv6, no scope, no spaces. 0, -EINVAL if it is
 * none of these, or -EDOM if bits are set past the prefix length (*c then holds the
 * network address, for the message): a typo in the address or the length is refused rather
 * than guessed at.
 */
int v6t_cidr_parse(const char *s, struct v6t_cidr *c);

/* Does the prefix hold key (an address as v6t_addr_key lays it out)? */
bool v6t_cidr_contains(const struct v6t_cidr *c, const uint8_t *key);

/* The prefix as the user would write it ("10.0.0.0/8", "2001:db8::/32"), into out. */
void v6t_cidr_str(const struct v6t_cidr *c, char *out, size_t size);

#endif

// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "ipfmt.h"
#include "v6trace.h"

enum v6t_addr_class v6t_classify_addr(uint16_t family, const uint8_t *a)
{
	static const uint8_t loop6[16] = { [15] = 1 };

	if (family == AF_INET) {
		if (!a[0] && !a[1] && !a[2] && !a[3])
			return V6T_ADDR_UNSPECIFIED;
		return a[0] == 127 ? V6T_ADDR_LOOPBACK : V6T_ADDR_OTHER;
	}
	if (v6t_addr_is_any6(a))
		return V6T_ADDR_UNSPECIFIED;
	if (!memcmp(a, loop6, 16))
		return V6T_ADDR_LOOPBACK;
	if (v6t_addr_is_v4mapped(a))
		return V6T_ADDR_V4MAPPED;
	/* ::/96 with a non-zero tail, excluding :: and ::1 handled above */
	for (int i = 0; i < 12; i++)
		if (a[i])
			return V6T_ADDR_OTHER;
	return V6T_ADDR_V4COMPAT;
}

const char *v6t_addr_class_name(enum v6t_addr_class c)
{
	switch (c) {
	case V6T_ADDR_UNSPECIFIED:
		return "unspecified";
	case V6T_ADDR_LOOPBACK:
		return "loopback";
	case V6T_ADDR_V4MAPPED:
		return "v4-mapped";
	case V6T_ADDR_V4COMPAT:
		return "v4-compatible";
	default:
		return "other";
	}
}

size_t v6t_addr_str(char *out, uint16_t family, const uint8_t *addr)
{
	return family == AF_INET6 ? v6t_ipfmt6(out, addr) : v6t_ipfmt4(out, addr);
}

void v6t_put_endpoint(struct strbuf *sb, uint16_t family, const char *addr, size_t len,
		      uint16_t port)
{
	if (family == AF_INET6) {
		sb_putc(sb, '[');
		sb_putn(sb, addr, len);
		sb_putc(sb, ']');
	} else {
		sb_putn(sb, addr, len);
	}
	sb_putc(sb, ':');
	sb_u64(sb, port);
}

/* The sized forms keep inet_ntop's and snprintf's contracts: "?" when out is too small. */
void v6t_fmt_addr(char *out, size_t size, uint16_t family, const uint8_t *addr)
{
	char a[INET6_ADDRSTRLEN];
	size_t len = v6t_addr_str(a, family, addr);

	if (len < size)
		memcpy(out, a, len + 1);
	else if (size)
		snprintf(out, size, "?");
}

void v6t_fmt_endpoint(char *out, size_t size, uint16_t family, const uint8_t *addr, uint16_t port)
{
	char a[INET6_ADDRSTRLEN], ep[V6T_ENDPOINT_LEN];
	struct strbuf sb = STRBUF_ON(ep);
	size_t len = v6t_addr_str(a, family, addr);

	v6t_put_endpoint(&sb, family, a, len, port);
	snprintf(out, size, "%s", ep);
}

void v6t_fmt_embedded_v4(char *out, size_t size, const uint8_t *addr)
{
	v6t_fmt_addr(out, size, AF_INET, addr + 12);
}

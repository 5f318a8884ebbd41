// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "addr.h"
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

void v6t_fmt_addr(char *out, size_t size, uint16_t family, const uint8_t *addr)
{
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, out, size))
		snprintf(out, size, "?");
}

void v6t_fmt_endpoint(char *out, size_t size, uint16_t family, const uint8_t *addr, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];

	v6t_fmt_addr(a, sizeof(a), family, addr);
	if (family == AF_INET6)
		snprintf(out, size, "[%s]:%u", a, port);
	else
		snprintf(out, size, "%s:%u", a, port);
}

void v6t_fmt_embedded_v4(char *out, size_t size, const uint8_t *addr)
{
	v6t_fmt_addr(out, size, AF_INET, addr + 12);
}

// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "ipfmt.h"

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

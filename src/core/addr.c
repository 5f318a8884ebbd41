// SPDX-License-Identifier: GPL-2.0
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

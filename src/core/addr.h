/* SPDX-License-Identifier: GPL-2.0 */
/* Socket addresses as v6trace shows them. */
#ifndef V6T_ADDR_H
#define V6T_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "strbuf.h"

/*
 * The bare address into out (INET6_ADDRSTRLEN bytes), NUL-terminated; returns its length. A
 * family other than AF_INET6 prints the first 4 bytes as IPv4.
 */
size_t v6t_addr_str(char *out, uint16_t family, const uint8_t *addr);
/*
 * "[addr]:port" (AF_INET6) or "addr:port" from an address already formatted (len bytes), so
 * an event formats each address once, written where it is shown (JSON has separate address
 * and port fields and needs none).
 */
void v6t_put_endpoint(struct strbuf *sb, uint16_t family, const char *addr, size_t len,
		      uint16_t port);

#endif

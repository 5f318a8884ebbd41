/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 and IPv6 addresses in text without inet_ntop's sprintf per group. The output is byte
 * for byte what glibc's inet_ntop prints: tests/unit/test_ipfmt.c holds it to that.
 */
#ifndef V6T_IPFMT_H
#define V6T_IPFMT_H

#include <stddef.h>
#include <stdint.h>

/* Both write a NUL-terminated address into out (INET6_ADDRSTRLEN bytes) and return its length. */
size_t v6t_ipfmt4(char *out, const uint8_t *addr);
size_t v6t_ipfmt6(char *out, const uint8_t *addr);

#endif

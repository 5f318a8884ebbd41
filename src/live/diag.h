/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NETLINK_SOCK_DIAG without a library: one socket, one dump request at a time, and its reply
 * read message by message, every length checked against what the kernel really sent.
 */
#ifndef V6T_DIAG_H
#define V6T_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>

struct v6t_diag;

/* One socket of a dump: its message, and its attributes by type (NULL: not sent). */
struct v6t_diag_sock {
	const struct inet_diag_msg *msg;
	const struct nlattr *attr[INET_DIAG_MAX + 1];
};

/* Called for each socket of a dump: 0 goes on, -errno ends the dump with that error. */
typedef int (*v6t_diag_fn)(void *ctx, const struct v6t_diag_sock *s);

/* A sock_diag socket bound to a port of its own, or -errno. */
int v6t_diag_open(struct v6t_diag **out);

/*
 * Sends req as a dump request and hands every socket of the reply to fn, until the kernel
 * says it is done. 0, or -errno: the kernel's error, -EPROTO for a malformed reply, -EINTR
 * when the kernel marks the dump inconsistent (NLM_F_DUMP_INTR), or fn's error.
 */
int v6t_diag_dump(struct v6t_diag *d, const struct inet_diag_req_v2 *req, v6t_diag_fn fn,
		  void *ctx);

/* Called for each socket v6t_diag_each_listener finds: proto is IPPROTO_TCP or IPPROTO_UDP. */
typedef int (*v6t_diag_listener_fn)(void *ctx, uint8_t proto, const struct v6t_diag_sock *s);

/*
 * Every TCP listener and every bound UDP socket of the current network namespace, IPv6 then
 * IPv4, TCP then UDP, to fn, over a sock_diag socket of its own. 0, or the first -errno (the
 * dumps stop there; the sockets handed over before it stay handed over).
 */
int v6t_diag_each_listener(v6t_diag_listener_fn fn, void *ctx);

/* An attribute's one-byte value (INET_DIAG_SKV6ONLY), or dflt if it is absent or empty. */
uint8_t v6t_diag_attr_u8(const struct nlattr *a, uint8_t dflt);

/* Closes the socket; NULL is fine. */
void v6t_diag_close(struct v6t_diag *d);

/*
 * For the tests: one datagram of a reply to request seq on port portid, as v6t_diag_dump
 * reads it: 1 when it ends the dump, 0 when more is to come, or -errno.
 */
int v6t_diag_parse(const void *buf, size_t len, uint32_t portid, uint32_t seq, v6t_diag_fn fn,
		   void *ctx);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * The sock_diag reply reader on crafted datagrams: every length the kernel sends is checked
 * before it is used, control messages end the dump as netlink says, and a reply that is not
 * the answer to our request is refused rather than read.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sock_diag.h>
#include "diag.h"

#define PORTID 4242
#define SEQ 7

/* a reply being written: 4-aligned, as the kernel's are */
struct reply {
	_Alignas(struct nlmsghdr) unsigned char buf[4096];
	size_t len;
	struct nlmsghdr *last;
};

static struct nlmsghdr *put_msg(struct reply *r, uint16_t type, const void *data, size_t size)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(r->buf + r->len);

	memset(h, 0, NLMSG_SPACE(size));
	h->nlmsg_len = NLMSG_LENGTH(size);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_MULTI;
	h->nlmsg_seq = SEQ;
	h->nlmsg_pid = PORTID;
	memcpy(r->buf + r->len + NLMSG_HDRLEN, data, size);
	r->len += NLMSG_SPACE(size);
	r->last = h;
	return h;
}

/* a socket on port, with attributes appended by put_attr */
static void put_sock(struct reply *r, uint16_t port)
{
	struct inet_diag_msg m = { .idiag_family = 10 };

	m.id.idiag_sport = port;
	put_msg(r, SOCK_DIAG_BY_FAMILY, &m, sizeof(m));
}

static void put_attr(struct reply *r, uint16_t type, const void *data, uint16_t size)
{
	struct nlattr *a = (struct nlattr *)(r->buf + r->len);

	a->nla_len = NLA_HDRLEN + size;
	a->nla_type = type;
	memcpy(r->buf + r->len + NLA_HDRLEN, data, size);
	r->len += NLA_ALIGN(a->nla_len);
	r->last->nlmsg_len = r->buf + r->len - (unsigned char *)r->last;
}

static void put_done(struct reply *r)
{
	int zero = 0;

	put_msg(r, NLMSG_DONE, &zero, sizeof(zero));
}

struct seen {
	int n;
	uint16_t port[8];
	int v6only[8];
	int fail_at;	/* the callback's error at this socket (1-based), 0: none */
};

static int on_sock(void *ctx, const struct v6t_diag_sock *s)
{
	struct seen *seen = ctx;

	if (seen->n == 8)
		return -E2BIG;
	seen->port[seen->n] = s->msg->id.idiag_sport;
	seen->v6only[seen->n] = v6t_diag_attr_u8(s->attr[INET_DIAG_SKV6ONLY], 9);
	seen->n++;
	return seen->n == seen->fail_at ? -ENOMEM : 0;
}

static int parse(const struct reply *r, struct seen *seen)
{
	return v6t_diag_parse(r->buf, r->len, PORTID, SEQ, on_sock, seen);
}

static void test_sockets_then_done(void **state)
{
	struct reply r = {};
	struct seen seen = {};
	uint8_t one = 1, zero = 0;

	(void)state;
	put_sock(&r, 80);
	put_attr(&r, INET_DIAG_SKV6ONLY, &one, 1);
	put_sock(&r, 81);
	put_attr(&r, INET_DIAG_SKV6ONLY, &zero, 1);
	put_sock(&r, 82);
	put_done(&r);
	assert_int_equal(parse(&r, &seen), 1);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.port[0], 80);
	assert_int_equal(seen.v6only[0], 1);
	assert_int_equal(seen.port[1], 81);
	assert_int_equal(seen.v6only[1], 0);
	assert_int_equal(seen.port[2], 82);
	assert_int_equal(seen.v6only[2], 9);	/* not sent: the default */
}

/* a multi-part dump goes on in the next datagram until NLMSG_DONE */
static void test_more_to_come(void **state)
{
	struct reply r = {};
	struct seen seen = {};

	(void)state;
	put_sock(&r, 80);
	assert_int_equal(parse(&r, &seen), 0);
	assert_int_equal(seen.n, 1);
}

/* what follows NLMSG_DONE in the datagram is not read */
static void test_done_ends(void **state)
{
	struct reply r = {};
	struct seen seen = {};

	(void)state;
	put_done(&r);
	put_sock(&r, 80);
	assert_int_equal(parse(&r, &seen), 1);
	assert_int_equal(seen.n, 0);
}

/* a message longer than the datagram, or shorter than its own header */
static void test_bad_message_length(void **state)
{
	struct reply r = {};
	struct seen seen = {};
	uint8_t one = 1;

	(void)state;
	put_sock(&r, 80);
	put_sock(&r, 81);
	put_attr(&r, INET_DIAG_SKV6ONLY, &one, 1);
	r.len -= 8;	/* the attribute is past the datagram's end, not in the message */
	assert_int_equal(parse(&r, &seen), -EPROTO);
	assert_int_equal(seen.n, 1);
	r.last->nlmsg_len = 8;
	seen.n = 0;
	assert_int_equal(parse(&r, &seen), -EPROTO);
	/* a message of no length would be read again and again */
	r = (struct reply){};
	put_msg(&r, NLMSG_NOOP, &one, 0);
	r.last->nlmsg_len = 0;
	assert_int_equal(parse(&r, &seen), -EPROTO);
}

/* a datagram cut inside a header: the bytes left are no message */
static void test_cut_header(void **state)
{
	struct reply r = {};
	struct seen seen = {};

	(void)state;
	put_sock(&r, 80);
	r.len += 8;
	assert_int_equal(parse(&r, &seen), 0);
	assert_int_equal(seen.n, 1);
}

static void test_short_socket_message(void **state)
{
	struct reply r = {};
	struct seen seen = {};
	char half[sizeof(struct inet_diag_msg) / 2] = {};

	(void)state;
	put_msg(&r, SOCK_DIAG_BY_FAMILY, half, sizeof(half));
	assert_int_equal(parse(&r, &seen), -EPROTO);
	assert_int_equal(seen.n, 0);
}

/* an attribute that runs past its message, or is shorter than its own header */
static void test_bad_attribute_length(void **state)
{
	struct reply r = {};
	struct seen seen = {};
	uint8_t one = 1;
	struct nlattr *a;

	(void)state;
	put_sock(&r, 80);
	a = (struct nlattr *)(r.buf + r.len);
	put_attr(&r, INET_DIAG_SKV6ONLY, &one, 1);
	a->nla_len = 9;
	assert_int_equal(parse(&r, &seen), -EPROTO);
	a->nla_len = 2;
	assert_int_equal(parse(&r, &seen), -EPROTO);
	assert_int_equal(seen.n, 0);
	a->nla_len = 5;
	assert_int_equal(parse(&r, &seen), 0);
	assert_int_equal(seen.v6only[0], 1);
}

/* an empty INET_DIAG_SKV6ONLY is not read past; a type beyond our headers is ignored */
static void test_odd_attributes(void **state)
{
	struct reply r = {};
	struct seen seen = {};
	uint8_t one = 1;

	(void)state;
	put_sock(&r, 80);
	put_attr(&r, INET_DIAG_SKV6ONLY, &one, 0);
	put_attr(&r, INET_DIAG_MAX + 1, &one, 1);
	put_attr(&r, 0xffff, &one, 1);
	assert_int_equal(parse(&r, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.v6only[0], 9);
}

static void test_kernel_error(void **state)
{
	struct nlmsgerr e = { .error = -EPERM };
	struct reply r = {};
	struct seen seen = {};

	(void)state;
	put_msg(&r, NLMSG_ERROR, &e, sizeof(e));
	assert_int_equal(parse(&r, &seen), -EPERM);
	r = (struct reply){};
	e.error = 0;
	put_msg(&r, NLMSG_ERROR, &e, sizeof(e));
	assert_int_equal(parse(&r, &seen), 1);
	r = (struct reply){};
	e.error = EPERM;
	put_msg(&r, NLMSG_ERROR, &e, sizeof(e));
	assert_int_equal(parse(&r, &seen), -EPROTO);
	r = (struct reply){};
	put_msg(&r, NLMSG_ERROR, &e, sizeof(int));
	assert_int_equal(parse(&r, &seen), -EPROTO);
}

static void test_dump_interrupted(void **state)
{
	struct reply r = {};
	struct seen seen = {};

	(void)state;
	put_sock(&r, 80);
	r.last->nlmsg_flags |= NLM_F_DUMP_INTR;
	assert_int_equal(parse(&r, &seen), -EINTR);
	assert_int_equal(seen.n, 0);
}

/* not the answer to our request: another request's number, or another port's */
static void test_foreign_reply(void **state)
{
	struct reply r = {};
	struct seen seen = {};

	(void)state;
	put_sock(&r, 80);
	r.last->nlmsg_seq = SEQ + 1;
	assert_int_equal(parse(&r, &seen), -EPROTO);
	r.last->nlmsg_seq = SEQ;
	r.last->nlmsg_pid = PORTID + 1;
	assert_int_equal(parse(&r, &seen), -EPROTO);
	assert_int_equal(seen.n, 0);
}

static void test_callback_error_stops(void **state)
{
	struct reply r = {};
	struct seen seen = { .fail_at = 1 };

	(void)state;
	put_sock(&r, 80);
	put_sock(&r, 81);
	put_done(&r);
	assert_int_equal(parse(&r, &seen), -ENOMEM);
	assert_int_equal(seen.n, 1);
}

struct wanted {
	uint16_t port;	/* network order */
	int found;
};

static int find_port(void *ctx, const struct v6t_diag_sock *s)
{
	struct wanted *w = ctx;

	w->found += s->msg->id.idiag_sport == w->port;
	return 0;
}

/* a real dump of our own namespace finds a listener of ours, twice on one socket */
static void test_live_dump(void **state)
{
	struct inet_diag_req_v2 req = { .sdiag_family = AF_INET6, .sdiag_protocol = IPPROTO_TCP,
					.idiag_states = 1U << 10 /* TCP_LISTEN */ };
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof(a);
	struct wanted w = {};
	struct v6t_diag *d;
	int fd;

	(void)state;
	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	w.port = a.sin6_port;
	assert_int_equal(v6t_diag_open(&d), 0);
	assert_int_equal(v6t_diag_dump(d, &req, find_port, &w), 0);
	assert_int_equal(w.found, 1);
	assert_int_equal(v6t_diag_dump(d, &req, find_port, &w), 0);
	assert_int_equal(w.found, 2);
	v6t_diag_close(d);
	v6t_diag_close(NULL);
	close(fd);
}

/* What v6t_diag_each_listener handed over for one port: by protocol and family. */
struct listener_seen {
	uint16_t port;	/* network order */
	int tcp6, udp4, other;
};

static int count_listener(void *ctx, uint8_t proto, const struct v6t_diag_sock *s)
{
	struct listener_seen *w = ctx;

	if (s->msg->id.idiag_sport != w->port)
		return 0;
	if (proto == IPPROTO_TCP && s->msg->idiag_family == AF_INET6)
		w->tcp6++;
	else if (proto == IPPROTO_UDP && s->msg->idiag_family == AF_INET)
		w->udp4++;
	else
		w->other++;
	return 0;
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	return a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port
				       : ((struct sockaddr_in *)&a)->sin_port;
}

/*
 * Our namespace's listeners: a TCP listener once, with TCP, though a connection to it shares
 * its port; a bound UDP socket with UDP, on the same port number; the client's port never.
 */
static void test_each_listener(void **state)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct listener_seen tcp = {}, client = {};
	int lfd, cfd, afd, ufd;

	(void)state;
	lfd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a6, sizeof(a6)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	tcp.port = a6.sin6_port = bound_port(lfd);
	cfd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(cfd, (struct sockaddr *)&a6, sizeof(a6)), 0);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);
	client.port = bound_port(cfd);
	/* the UDP port's number is the listener's: only the protocol tells them apart */
	a4.sin_port = tcp.port;
	ufd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(ufd, (struct sockaddr *)&a4, sizeof(a4)), 0);

	assert_int_equal(v6t_diag_each_listener(count_listener, &tcp), 0);
	assert_int_equal(v6t_diag_each_listener(count_listener, &client), 0);
	assert_int_equal(tcp.tcp6, 1);
	assert_int_equal(tcp.udp4, 1);
	assert_int_equal(tcp.other, 0);
	assert_int_equal(client.tcp6 + client.udp4 + client.other, 0);
	close(ufd);
	close(afd);
	close(cfd);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sockets_then_done),
		cmocka_unit_test(test_more_to_come),
		cmocka_unit_test(test_done_ends),
		cmocka_unit_test(test_bad_message_length),
		cmocka_unit_test(test_cut_header),
		cmocka_unit_test(test_short_socket_message),
		cmocka_unit_test(test_bad_attribute_length),
		cmocka_unit_test(test_odd_attributes),
		cmocka_unit_test(test_kernel_error),
		cmocka_unit_test(test_dump_interrupted),
		cmocka_unit_test(test_foreign_reply),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_live_dump),
		cmocka_unit_test(test_each_listener),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

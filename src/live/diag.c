// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>
#include "diag.h"

/*
 * The kernel sizes a dump's datagrams to the reader's buffer, but never beyond 32 KiB
 * (netlink_recvmsg's max_recvmsg_len): a buffer this size is never truncated, and one
 * larger would not be filled.
 */
#define DIAG_BUF_SIZE 32768

struct v6t_diag {
	int fd;
	uint32_t portid;	/* ours, which the kernel's replies carry */
	uint32_t seq;		/* of the last request */
	_Alignas(struct nlmsghdr) unsigned char buf[DIAG_BUF_SIZE];
};

int v6t_diag_open(struct v6t_diag **out)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(addr);
	struct v6t_diag *d = malloc(sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	d->seq = 0;
	d->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (d->fd < 0)
		goto fail;
	/* port 0: the kernel picks a free one, which getsockname tells */
	if (bind(d->fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(d->fd, (struct sockaddr *)&addr, &len))
		goto fail;
	if (len != sizeof(addr) || addr.nl_family != AF_NETLINK) {
		errno = EPROTO;
		goto fail;
	}
	d->portid = addr.nl_pid;
	*out = d;
	return 0;
fail:
	err = -errno;
	v6t_diag_close(d);
	return err;
}

void v6t_diag_close(struct v6t_diag *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

uint8_t v6t_diag_attr_u8(const struct nlattr *a, uint8_t dflt)
{
	if (!a || a->nla_len < NLA_HDRLEN + 1)
		return dflt;
	return *((const uint8_t *)a + NLA_HDRLEN);
}

/* A socket's message and its attributes, each inside the message: 0, or -EPROTO. */
static int parse_sock(const struct nlmsghdr *h, struct v6t_diag_sock *s)
{
	const unsigned char *p = (const unsigned char *)h + NLMSG_SPACE(sizeof(*s->msg));
	size_t left;

	if (h->nlmsg_len < NLMSG_SPACE(sizeof(*s->msg)))
		return -EPROTO;
	memset(s, 0, sizeof(*s));
	s->msg = (const void *)((const unsigned char *)h + NLMSG_HDRLEN);
	left = h->nlmsg_len - NLMSG_SPACE(sizeof(*s->msg));
	while (left >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t step = NLA_ALIGN(a->nla_len);
		unsigned int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > left)
			return -EPROTO;
		/* a type newer than our headers is not one we read */
		if (type <= INET_DIAG_MAX)
			s->attr[type] = a;
		if (step >= left)
			break;
		p += step;
		left -= step;
	}
	return 0;
}

/* One message of the reply: 1 if it ends the dump, 0 if more follow, or -errno. */
static int parse_msg(const struct nlmsghdr *h, v6t_diag_fn fn, void *ctx)
{
	const struct nlmsgerr *e = (const void *)((const unsigned char *)h + NLMSG_HDRLEN);
	struct v6t_diag_sock s;
	int err;

	/* a socket changed while the kernel dumped: the listing may hold it twice, or miss it */
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		return -EINTR;
	switch (h->nlmsg_type) {
	case NLMSG_DONE:
		/*
		 * Its payload may carry an error, e.g. -ENOENT when the kernel has no udp_diag:
		 * a kind of socket it cannot list is listed as none, as before, not a failure.
		 */
		return 1;
	case NLMSG_ERROR:
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EPROTO;
		/* error 0 is an acknowledgement; a positive error is not the kernel's */
		return e->error <= 0 ? (e->error ? e->error : 1) : -EPROTO;
	case SOCK_DIAG_BY_FAMILY:
		err = parse_sock(h, &s);
		return err ? err : fn(ctx, &s);
	default:
		/* NLMSG_NOOP, NLMSG_OVERRUN: nothing for us */
		return 0;
	}
}

int v6t_diag_parse(const void *buf, size_t len, uint32_t portid, uint32_t seq, v6t_diag_fn fn,
		   void *ctx)
{
	const unsigned char *p = buf;
	int r = 0;

	while (len >= NLMSG_HDRLEN && !r) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;
		size_t step = NLMSG_ALIGN(h->nlmsg_len);

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len)
			return -EPROTO;
		/* the kernel answers on our port and echoes our request's number */
		if ((h->nlmsg_pid && h->nlmsg_pid != portid) || h->nlmsg_seq != seq)
			return -EPROTO;
		r = parse_msg(h, fn, ctx);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return r;
}

/* One datagram from the kernel into d->buf: its length, or -errno. */
static ssize_t recv_datagram(struct v6t_diag *d)
{
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = d->buf, .iov_len = sizeof(d->buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	for (;;) {
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		n = recvmsg(d->fd, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		/* ENOBUFS among them: replies were lost, so the listing would be incomplete */
		if (n < 0)
			return -errno;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		/* another process may write to our port: only the kernel's (port 0) count */
		if (mh.msg_namelen != sizeof(from) || from.nl_pid)
			continue;
		/* a datagram of zero bytes: the reply cannot go on */
		return n ? n : -EPROTO;
	}
}

int v6t_diag_dump(struct v6t_diag *d, const struct inet_diag_req_v2 *req, v6t_diag_fn fn,
		  void *ctx)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 req;
	} msg = {
		.h = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(*req)),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = ++d->seq,
		},
		.req = *req,
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;
	int r;

	_Static_assert(sizeof(msg) == NLMSG_LENGTH(sizeof(*req)), "a request is one message");
	n = sendto(d->fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel, sizeof(kernel));
	if (n < 0)
		return -errno;
	if ((size_t)n != sizeof(msg))
		return -EPROTO;
	do {
		n = recv_datagram(d);
		if (n < 0)
			return n;
		r = v6t_diag_parse(d->buf, n, d->portid, d->seq, fn, ctx);
	} while (!r);
	return r < 0 ? r : 0;
}

/* One v6t_diag_each_listener dump under way: whose, and which protocol it asked for. */
struct listener_dump {
	v6t_diag_listener_fn fn;
	void *ctx;
	uint8_t proto;
};

static int pass_listener(void *ctx, const struct v6t_diag_sock *s)
{
	const struct listener_dump *ld = ctx;

	/* an unbound UDP socket (port 0) is not "listening" on anything */
	if (!s->msg->id.idiag_sport)
		return 0;
	return ld->fn(ld->ctx, ld->proto, s);
}

int v6t_diag_each_listener(v6t_diag_listener_fn fn, void *ctx)
{
	static const uint8_t families[] = { AF_INET6, AF_INET };
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct listener_dump ld = { .fn = fn, .ctx = ctx };
	struct v6t_diag *d = NULL;
	int err = v6t_diag_open(&d);

	for (unsigned int fi = 0; fi < 2 && !err; fi++) {
		for (unsigned int pi = 0; pi < 2 && !err; pi++) {
			/* the reply says nothing of the protocol: it is the request's */
			struct inet_diag_req_v2 req = {
				.sdiag_family = families[fi],
				.sdiag_protocol = protos[pi],
				.idiag_states = protos[pi] == IPPROTO_TCP ? 1U << TCP_LISTEN : ~0U,
			};

			ld.proto = protos[pi];
			err = v6t_diag_dump(d, &req, pass_listener, &ld);
		}
	}
	v6t_diag_close(d);
	return err;
}

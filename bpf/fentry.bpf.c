// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fentry backend: fexit programs on the kernel functions themselves (BPF trampolines, 5.5+;
 * bpf_get_func_arg/ret need 5.17). Arguments are read by position with bpf_get_func_arg, not
 * through a typed prototype, because several of these signatures changed across versions.
 */
#include "v6trace.bpf.h"

static __always_inline void fexit_bind(__u64 *ctx)
{
	__u64 sock = 0, uaddr = 0, ret = 0;

	bpf_get_func_arg(ctx, 0, &sock);
	bpf_get_func_arg(ctx, 1, &uaddr);
	bpf_get_func_ret(ctx, &ret);
	v6t_on_bind((const struct socket *)sock, (const void *)uaddr, 0, (int)ret, V6T_BACKEND_FENTRY);
}

SEC("fexit/inet_bind")
int v6t_fexit_inet_bind(__u64 *ctx)
{
	fexit_bind(ctx);
	return 0;
}

SEC("fexit/inet6_bind")
int v6t_fexit_inet6_bind(__u64 *ctx)
{
	fexit_bind(ctx);
	return 0;
}

/*
 * ipv6_setsockopt(sk, level, optname, sockptr_t optval, optlen) since 5.9: the entry for TCP,
 * UDP and raw AF_INET6 sockets (do_ipv6_setsockopt, static with one caller, may be inlined).
 * The 16-byte sockptr_t takes two argument slots (pointer, is_kernel), so optlen is slot 5.
 */
SEC("fexit/ipv6_setsockopt")
int v6t_fexit_ipv6_sockopt(__u64 *ctx)
{
	__u64 sk = 0, level = 0, optname = 0, optval = 0, is_kernel = 0, optlen = 0, ret = 0;

	bpf_get_func_arg(ctx, 1, &level);
	bpf_get_func_arg(ctx, 2, &optname);
	if ((int)level != SOL_IPV6_LEVEL || (int)optname != IPV6_V6ONLY_OPT)
		return 0;
	bpf_get_func_arg(ctx, 0, &sk);
	bpf_get_func_arg(ctx, 3, &optval);
	bpf_get_func_arg(ctx, 4, &is_kernel);
	bpf_get_func_arg(ctx, 5, &optlen);
	bpf_get_func_ret(ctx, &ret);
	v6t_on_v6only((const struct sock *)sk, (const void *)optval, !(__u8)is_kernel, (__u32)optlen,
		      (int)ret, V6T_BACKEND_FENTRY);
	return 0;
}

/* inet_csk_accept(sk, flags, err, kern) before 6.10, (sk, arg) since: only sk and the return are used. */
SEC("fexit/inet_csk_accept")
int v6t_fexit_csk_accept(__u64 *ctx)
{
	__u64 lsk = 0, sk = 0;

	bpf_get_func_ret(ctx, &sk);
	if (!sk)
		return 0;
	bpf_get_func_arg(ctx, 0, &lsk);
	v6t_on_accept((const struct sock *)lsk, (const struct sock *)sk, V6T_BACKEND_FENTRY);
	return 0;
}

/* inet_stream_connect(sock, uaddr, addr_len, flags): every TCP connect, syscall or io_uring. */
SEC("fexit/inet_stream_connect")
int v6t_fexit_connect(__u64 *ctx)
{
	__u64 sock = 0, uaddr = 0, ret = 0;

	bpf_get_func_arg(ctx, 0, &sock);
	bpf_get_func_arg(ctx, 1, &uaddr);
	bpf_get_func_ret(ctx, &ret);
	v6t_on_connect((const struct socket *)sock, (const void *)uaddr, 0, (int)ret, V6T_BACKEND_FENTRY);
	return 0;
}

/*
 * udpv6_recvmsg(sk, msg, len, [noblock,] flags, addr_len) (noblock went in 5.19): sk and msg
 * keep their places. msg->msg_name is the kernel's copy of the source, filled in by now.
 */
SEC("fexit/udpv6_recvmsg")
int v6t_fexit_udp6_recv(__u64 *ctx)
{
	__u64 sk = 0, msg = 0, ret = 0;

	bpf_get_func_ret(ctx, &ret);
	if ((long)ret < 0)
		return 0;
	bpf_get_func_arg(ctx, 0, &sk);
	bpf_get_func_arg(ctx, 1, &msg);
	v6t_on_udp_recv((const struct sock *)sk, BPF_CORE_READ((struct msghdr *)msg, msg_name), 0,
			V6T_BACKEND_FENTRY);
	return 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kprobe backend, for kernels without BPF trampolines: the entry probe keeps the arguments
 * per thread, the return probe reads the result and reports (accepts: see accepting).
 */
#include "v6trace.bpf.h"

struct call_args {
	__u64 arg[4];
	__u32 hook;	/* V6T_HOOK_*: guards against a stale entry from another hook */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct call_args);
} kprobe_args SEC(".maps");

static __always_inline void stash(__u32 hook, __u64 a0, __u64 a1, __u64 a2, __u64 a3)
{
	__u64 tid = bpf_get_current_pid_tgid();
	struct call_args args = { .arg = { a0, a1, a2, a3 }, .hook = hook };

	if (v6t_task_filtered_out())
		return;
	bpf_map_update_elem(&kprobe_args, &tid, &args, BPF_ANY);
}

/* Takes the entry's arguments out of the map into *out; non-zero when there are none. */
static __always_inline int unstash(__u32 hook, struct call_args *out)
{
	__u64 tid = bpf_get_current_pid_tgid();
	struct call_args *args = bpf_map_lookup_elem(&kprobe_args, &tid);

	if (!args)
		return -1;
	*out = *args;
	bpf_map_delete_elem(&kprobe_args, &tid);
	return out->hook == hook ? 0 : -1;
}

SEC("kprobe/inet_bind")
int BPF_KPROBE(v6t_kp_inet_bind, void *sock, void *uaddr)
{
	stash(V6T_HOOK_BIND, (__u64)sock, (__u64)uaddr, 0, 0);
	return 0;
}

SEC("kprobe/inet6_bind")
int BPF_KPROBE(v6t_kp_inet6_bind, void *sock, void *uaddr)
{
	stash(V6T_HOOK_BIND, (__u64)sock, (__u64)uaddr, 0, 0);
	return 0;
}

static __always_inline void bind_return(int ret)
{
	struct call_args a;

	if (unstash(V6T_HOOK_BIND, &a))
		return;
	v6t_on_bind((const struct socket *)a.arg[0], (const void *)a.arg[1], 0, ret, V6T_BACKEND_KPROBE);
}

SEC("kretprobe/inet_bind")
int BPF_KRETPROBE(v6t_krp_inet_bind, int ret)
{
	bind_return(ret);
	return 0;
}

SEC("kretprobe/inet6_bind")
int BPF_KRETPROBE(v6t_krp_inet6_bind, int ret)
{
	bind_return(ret);
	return 0;
}

/*
 * ipv6_setsockopt(sk, level, optname, sockptr_t optval, optlen): the 16-byte sockptr_t takes
 * two argument registers (pointer, is_kernel) on x86-64 and arm64 alike, so optlen is the
 * sixth.
 */
SEC("kprobe/ipv6_setsockopt")
int BPF_KPROBE(v6t_kp_ipv6_sockopt, void *sk, int level, int optname, void *optval, __u64 is_kernel)
{
	if (level != SOL_IPV6_LEVEL || optname != IPV6_V6ONLY_OPT)
		return 0;
	stash(V6T_HOOK_V6ONLY, (__u64)sk, (__u64)optval, is_kernel, PT_REGS_PARM6(ctx));
	return 0;
}

SEC("kretprobe/ipv6_setsockopt")
int BPF_KRETPROBE(v6t_krp_ipv6_sockopt, int ret)
{
	struct call_args a;

	if (unstash(V6T_HOOK_V6ONLY, &a))
		return 0;
	v6t_on_v6only((const struct sock *)a.arg[0], (const void *)a.arg[1], !(__u8)a.arg[2],
		      (__u32)a.arg[3], ret, V6T_BACKEND_KPROBE);
	return 0;
}

/*
 * Accepts take no return probe. A kretprobe holds one of a fixed number of instances (by
 * default 2 per CPU, at least 10) from a call's entry to its return, and a thread blocked in
 * accept() holds its instance all the while: with more threads blocked on a listener than
 * instances, the other threads' accepts went unseen. So the entry records the listener per
 * thread, and the accepted socket is taken where inet_accept() grafts it onto its new struct
 * socket, in the same thread just after inet_csk_accept() returned: sock_graft() is inline,
 * but it calls security_sock_graft(), a function in every kernel built with
 * CONFIG_SECURITY_NETWORK (without it the kprobe backend cannot serve accept, and auto moves
 * on). An accept that fails (EAGAIN) leaves its entry until the thread's next accept: the
 * map is LRU, so the entries of threads long gone make room.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);	/* pid_tgid */
	__type(value, __u64);	/* the listening struct sock */
} accepting SEC(".maps");

SEC("kprobe/inet_csk_accept")
int BPF_KPROBE(v6t_kp_csk_accept, void *lsk)
{
	__u64 tid = bpf_get_current_pid_tgid(), listener = (__u64)lsk;

	if (v6t_task_filtered_out())
		return 0;
	bpf_map_update_elem(&accepting, &tid, &listener, BPF_ANY);
	return 0;
}

/* sock_graft() of any socket family: only an inet accept in this thread left a listener. */
SEC("kprobe/security_sock_graft")
int BPF_KPROBE(v6t_kp_sock_graft, void *sk)
{
	__u64 tid = bpf_get_current_pid_tgid();
	__u64 *listener = bpf_map_lookup_elem(&accepting, &tid);
	const struct sock *lsk;

	if (!listener)
		return 0;
	lsk = (const struct sock *)*listener;
	bpf_map_delete_elem(&accepting, &tid);
	v6t_on_accept(lsk, (const struct sock *)sk, V6T_BACKEND_KPROBE);
	return 0;
}

SEC("kprobe/inet_stream_connect")
int BPF_KPROBE(v6t_kp_connect, void *sock, void *uaddr)
{
	stash(V6T_HOOK_CONNECT, (__u64)sock, (__u64)uaddr, 0, 0);
	return 0;
}

SEC("kretprobe/inet_stream_connect")
int BPF_KRETPROBE(v6t_krp_connect, int ret)
{
	struct call_args a;

	if (unstash(V6T_HOOK_CONNECT, &a))
		return 0;
	v6t_on_connect((const struct socket *)a.arg[0], (const void *)a.arg[1], 0, ret, V6T_BACKEND_KPROBE);
	return 0;
}

SEC("kprobe/udpv6_recvmsg")
int BPF_KPROBE(v6t_kp_udp6_recv, void *sk, void *msg)
{
	stash(V6T_HOOK_UDP_RECV, (__u64)sk, (__u64)msg, 0, 0);
	return 0;
}

SEC("kretprobe/udpv6_recvmsg")
int BPF_KRETPROBE(v6t_krp_udp6_recv, int ret)
{
	struct call_args a;
	struct msghdr *msg;

	if (unstash(V6T_HOOK_UDP_RECV, &a) || ret < 0)
		return 0;
	/* through a plain variable: BPF_CORE_READ on a.arg[1] would relocate our own call_args */
	msg = (struct msghdr *)a.arg[1];
	v6t_on_udp_recv((const struct sock *)a.arg[0], BPF_CORE_READ(msg, msg_name), 0, V6T_BACKEND_KPROBE);
	return 0;
}

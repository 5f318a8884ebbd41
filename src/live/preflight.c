// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "preflight.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1U << (cap % 32));
}

/*
 * The capabilities v6trace uses, and for what (deploy/v6trace-daemonset.yaml grants these,
 * and tests/packaging/kubernetes.sh checks it names no other):
 *   CAP_BPF, CAP_PERFMON  load the programs and maps, attach them (required: checked here)
 *   CAP_SYS_ADMIN         instead of both before 5.8; setns(2) into other network namespaces
 *                         (--all-netns, the seeds, another namespace's port lookups)
 *   CAP_SYS_PTRACE        /proc/PID/fd and /proc/PID/ns/net of other users' processes: who
 *                         owns a socket that existed before tracing, or holds a port
 *   CAP_SYS_RESOURCE      before 5.11, libbpf raises RLIMIT_MEMLOCK for the maps
 * Without the last three v6trace still runs: those owners show as unknown, and other
 * namespaces' sockets are not listed (with a warning).
 */

/*
 * Checked up front because the kernel's own answer, EPERM from bpf(2) deep inside libbpf,
 * says nothing about what to do. CAP_SYS_ADMIN covers both on kernels before 5.8.
 */
static int check_privileges(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if (has_cap(data, CAP_SYS_ADMIN) || (has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON)))
		return 0;
	return -EPERM;
}

int v6t_preflight(void)
{
	if (check_privileges()) {
		fprintf(stderr, "v6trace: permission denied: loading BPF programs needs root "
				"(CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN); try: sudo v6trace\n");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "v6trace: this kernel has no BTF (/sys/kernel/btf/vmlinux): v6trace needs "
				"a kernel built with CONFIG_DEBUG_INFO_BTF=y\n");
		return -ENOENT;
	}
	/* every backend sends through the BPF ring buffer (and stamps with boot time): 5.8 */
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		struct utsname u;

		fprintf(stderr, "v6trace: this kernel (%s) has no BPF ring buffer: v6trace needs Linux 5.8 "
				"or later\n", uname(&u) ? "?" : u.release);
		return -EOPNOTSUPP;
	}
	return 0;
}

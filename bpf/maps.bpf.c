// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one definition of the maps and configuration that every v6trace program shares. */
#define V6T_DEFINE_MAPS
#include "maps.bpf.h"

const volatile __u32 cfg_filter_pids = 0;
const volatile __u32 cfg_filter_ports = 0;
const volatile __u32 cfg_filter_uids = 0;
const volatile __u32 cfg_filter_owners = 0;
const volatile __u32 cfg_filter_peers = 0;
const volatile __u32 cfg_filter_locals = 0;
const volatile __u32 cfg_mapped_only = 0;
const volatile __u64 cfg_netns = 0;
const volatile char cfg_comm[V6T_COMM_LEN] = {};
const volatile __u32 cfg_raw_hooks = 0;
const volatile __u32 cfg_state_hooks = 0;
const volatile __u64 cfg_cgroup = 0;
const volatile __u64 cfg_wakeup_events = 0;
const volatile __u32 cfg_events = 0;
const volatile __u32 cfg_setters_traced = 0;
const volatile __u32 cfg_count_accepts = 0;
const volatile __u32 cfg_refused = 0;

__u32 v6t_setters_used = 0;

char LICENSE[] SEC("license") = "GPL";

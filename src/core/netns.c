// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "netns.h"

uint64_t v6t_netns_self(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : st.st_ino;
}

int v6t_netns_here(struct v6t_netns_info *info)
{
	FILE *f;
	int v = 0, err = 0;

	memset(info, 0, sizeof(*info));
	info->netns_ino = v6t_netns_self();
	if (!info->netns_ino)
		err = -errno;
	f = fopen("/proc/sys/net/ipv6/bindv6only", "re");
	if (!f || fscanf(f, "%d", &v) != 1) {
		err = err ? err : -EIO;
		v = 0;
	}
	if (f)
		fclose(f);
	info->bindv6only = v;
	return err;
}

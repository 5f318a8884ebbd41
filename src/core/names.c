// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "classify.h"
#include "names.h"
#include "v6trace.h"

static const char *const event_names[V6T_EV_MAX + 1] = {
	[V6T_EV_BIND] = "bind",
	[V6T_EV_V6ONLY] = "v6only",
	[V6T_EV_LISTEN] = "listen",
	[V6T_EV_ACCEPT] = "accept",
	[V6T_EV_SOCKET] = "listening",
	[V6T_EV_CONNECT] = "connect",
	[V6T_EV_UDP_MAPPED] = "udp-mapped",
	[V6T_EV_REFUSED] = "refused",
};

static const char *const source_names[V6T_SRC_COUNT] = {
	[V6T_SRC_NONE] = "n/a",
	[V6T_SRC_SETSOCKOPT] = "setsockopt",
	[V6T_SRC_BIND_ADDRESS] = "bind-address",
	[V6T_SRC_SYSCTL] = "sysctl",
	[V6T_SRC_DEFAULT] = "default",
	[V6T_SRC_UNKNOWN] = "unknown",
};

static const char *const backend_names[V6T_BACKEND_COUNT] = {
	[V6T_BACKEND_AUTO] = "auto",
	[V6T_BACKEND_FENTRY] = "fentry",
	[V6T_BACKEND_KPROBE] = "kprobe",
	[V6T_BACKEND_TRACEPOINT] = "tracepoint",
};

const char *v6t_event_name(unsigned int kind)
{
	return kind <= V6T_EV_MAX && event_names[kind] ? event_names[kind] : "unknown";
}

unsigned int v6t_event_kind(const char *name)
{
	for (unsigned int k = 1; k <= V6T_EV_MAX; k++)
		if (!strcmp(name, event_names[k]))
			return k;
	return 0;
}

const char *v6t_source_name(unsigned int source)
{
	return source < V6T_SRC_COUNT ? source_names[source] : "unknown";
}

const char *v6t_backend_name(int backend)
{
	if (backend < 0 || backend >= V6T_BACKEND_COUNT)
		return "unknown";
	return backend_names[backend];
}

int v6t_backend_by_name(const char *name)
{
	for (int b = 0; b < V6T_BACKEND_COUNT; b++)
		if (!strcmp(name, backend_names[b]))
			return b;
	return -1;
}

const char *v6t_errno_name(int err)
{
	/* glibc 2.32+: "EADDRINUSE" rather than the locale-dependent strerror text */
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

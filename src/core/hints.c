// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "hints.h"

/*
 * What each program needs told to serve the other way, as its Debian 12 build behaves (the
 * integration group "hints" runs each and checks the verdict changes). A class a program
 * has no own way for falls back to the generic row's text. Go cannot be told by its comm
 * (a Go server is named after itself), so its ways are in the generic row.
 */
#define COMMS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct v6t_hint_row rows[] = {
	{ "nginx", COMMS("nginx"), {
	  [V6T_SOCK_DUALSTACK] = "if this is nginx: ipv6only=off is on this listen; "
				 "listen [::]:PORT; is IPv6 only (its default), and listen PORT; "
				 "adds IPv4 on a socket of its own",
	  [V6T_SOCK_V6ONLY] = "if this is nginx: add listen PORT; for IPv4 on a socket of its own, "
			      "or take IPv4 here with listen [::]:PORT ipv6only=off;",
	  [V6T_SOCK_IPV4] = "if this is nginx: add listen [::]:PORT; for IPv6 (IPv6 only, "
			    "nginx's default for [::])",
	} },
	{ "Apache httpd", COMMS("apache2", "httpd"), {
	  [V6T_SOCK_DUALSTACK] = "if this is Apache httpd: Debian's build maps IPv4 into a [::] "
				 "listener whatever the sysctl, and folds Listen 0.0.0.0:PORT into "
				 "it; for IPv4 only keep Listen 0.0.0.0:PORT alone, for IPv6 only "
				 "listen on the IPv6 addresses themselves (Listen [2001:db8::1]:PORT)",
	  [V6T_SOCK_IPV4] = "if this is Apache httpd: Listen PORT (or [::]:PORT) takes IPv6 and, "
			    "on Debian's build, IPv4 on one dual-stack socket",
	} },
	{ "OpenSSH sshd", COMMS("sshd"), {
	  [V6T_SOCK_V6ONLY] = "if this is sshd: it always sets IPV6_V6ONLY and serves IPv4 on a "
			      "0.0.0.0 socket of its own: AddressFamily any (the default) with no "
			      "ListenAddress, or ListenAddress 0.0.0.0 beside ListenAddress ::",
	  [V6T_SOCK_IPV4] = "if this is sshd: AddressFamily any (the default), or ListenAddress :: "
			    "beside ListenAddress 0.0.0.0, adds an IPv6-only socket; AddressFamily "
			    "inet keeps it IPv4 only",
	} },
	{ "Java", COMMS("java"), {
	  [V6T_SOCK_DUALSTACK] = "if this is Java: it clears IPV6_V6ONLY itself and has no option "
				 "to set it; -Djava.net.preferIPv4Stack=true makes its sockets IPv4 "
				 "only (AF_INET); java.net.preferIPv6Addresses only orders name "
				 "lookups",
	  [V6T_SOCK_IPV4] = "if this is Java: without -Djava.net.preferIPv4Stack=true a server "
			    "socket on the wildcard is a dual-stack [::] one",
	} },
	{ "Python", COMMS("python3", "python", "python3.11"), {
	  [V6T_SOCK_DUALSTACK] = "if this is Python: bind 0.0.0.0 with AF_INET for IPv4 only, or "
				 "setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1) before bind() for IPv6 "
				 "only (http.server --bind :: clears it itself)",
	  [V6T_SOCK_V6ONLY] = "if this is Python: socket.create_server(addr, family=AF_INET6, "
			      "dualstack_ipv6=True), or IPV6_V6ONLY 0 before bind(), takes IPv4 too",
	  [V6T_SOCK_IPV4] = "if this is Python: bind :: with AF_INET6 (python3 -m http.server "
			    "--bind ::, socket.create_server with dualstack_ipv6=True) for IPv6 "
			    "and IPv4",
	} },
	{ "Node.js", COMMS("node", "nodejs"), {
	  [V6T_SOCK_DUALSTACK] = "if this is Node.js: listen({port, host: '::', ipv6Only: true}) "
				 "for IPv6 only, host '0.0.0.0' for IPv4 only (libuv clears "
				 "IPV6_V6ONLY unless told, whatever the sysctl)",
	  [V6T_SOCK_V6ONLY] = "if this is Node.js: listen without ipv6Only (host '::' or none) "
			      "takes IPv4 too",
	  [V6T_SOCK_IPV4] = "if this is Node.js: listen with host '::' or no host, not "
			    "'0.0.0.0', for IPv6 and IPv4",
	} },
	{ "socat", COMMS("socat"), {
	  [V6T_SOCK_DUALSTACK] = "if this is socat: TCP6-LISTEN:PORT,ipv6only=1 for IPv6 only, "
				 "TCP4-LISTEN:PORT for IPv4 only",
	  [V6T_SOCK_V6ONLY] = "if this is socat: TCP6-LISTEN:PORT,ipv6only=0 takes IPv4 too",
	  [V6T_SOCK_IPV4] = "if this is socat: TCP6-LISTEN:PORT (TCP-LISTEN is IPv4) takes IPv6 "
			    "and, unless ipv6only=1, IPv4",
	} },
	/* a socket unit's listener is held by pid 1 until its service takes it */
	{ "systemd socket unit", COMMS("systemd"), {
	  [V6T_SOCK_DUALSTACK] = "if this is a systemd socket unit: BindIPv6Only=ipv6-only in its "
				 "[Socket] section for IPv6 only, ListenStream=0.0.0.0:PORT for "
				 "IPv4 only",
	  [V6T_SOCK_V6ONLY] = "if this is a systemd socket unit: BindIPv6Only=both in its [Socket] "
			      "section takes IPv4 too",
	  [V6T_SOCK_IPV4] = "if this is a systemd socket unit: ListenStream=PORT or "
			    "ListenStream=[::]:PORT, with BindIPv6Only=both, takes IPv6 and IPv4",
	} },
	/* any other program, Go's among them: the socket calls, and Go's network names */
	{ "any other program (and Go)", NULL, {
	  [V6T_SOCK_DUALSTACK] = "set IPV6_V6ONLY to 1 before bind() for IPv6 only and listen on "
				 "0.0.0.0 separately for IPv4 (Go: net.Listen with tcp6 and tcp4 "
				 "rather than tcp)",
	  [V6T_SOCK_V6ONLY] = "set IPV6_V6ONLY to 0 before bind() to take IPv4 too, or add an "
			      "AF_INET listener on 0.0.0.0 (Go: tcp on :PORT is dual-stack)",
	  [V6T_SOCK_IPV4] = "bind an AF_INET6 socket on :: for IPv6, dual-stack unless it sets "
			    "IPV6_V6ONLY (Go: tcp or tcp6 rather than tcp4)",
	  [V6T_SOCK_V4MAPPED] = "bind 0.0.0.0 (or :: for IPv6 too): a v4-mapped address takes one "
				"IPv4 address only",
	  [V6T_SOCK_IPV6] = "bound to one IPv6 address it never takes IPv4: bind :: for "
			    "dual-stack, or add an IPv4 listener beside it",
	} },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))
#define GENERIC (&rows[N_ROWS - 1])

/*
 * The sysctl sets the V6ONLY of sockets made after it changes, in its namespace, and a
 * program that sets IPV6_V6ONLY (or clears it: Apache, Node.js, Java, http.server) overrides
 * it; so it is worth saying only for a socket that took its V6ONLY from it.
 */
const char *v6t_hint_sysctl(unsigned int sock_class, unsigned int source)
{
	if (sock_class == V6T_SOCK_DUALSTACK && source == V6T_SRC_DEFAULT)
		return "namespace-wide: net.ipv6.bindv6only=1 makes new [::] sockets IPv6 only, "
		       "unless their program clears IPV6_V6ONLY itself";
	if (sock_class == V6T_SOCK_V6ONLY && source == V6T_SRC_SYSCTL)
		return "namespace-wide: its V6ONLY comes from net.ipv6.bindv6only=1; set it to 0 "
		       "and restart the program for dual-stack";
	return NULL;
}

static const struct v6t_hint_row *row_of(const char *comm)
{
	for (const struct v6t_hint_row *r = rows; r < GENERIC; r++)
		for (const char *const *c = r->comms; *c; c++)
			if (!strcmp(comm, *c))
				return r;
	return GENERIC;
}

void v6t_hint_pick(struct v6t_hint *h, const char *comm, unsigned int sock_class,
		   unsigned int source)
{
	const struct v6t_hint_row *r = row_of(comm);

	h->how = NULL;
	h->sysctl = NULL;
	if (sock_class >= V6T_SOCK_CLASSES)
		return;
	h->how = r->how[sock_class] ? r->how[sock_class] : GENERIC->how[sock_class];
	h->sysctl = v6t_hint_sysctl(sock_class, source);
}

const struct v6t_hint_row *v6t_hint_rows(unsigned int *n)
{
	*n = N_ROWS;
	return rows;
}

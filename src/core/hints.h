/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How to get the other behaviour from the program that owns a listener: one table of hints
 * (hints.c), a row per program people run, a column per class of listener the classifier
 * decided, and the namespace-wide sysctl where it would change the socket. The program is
 * known by its comm only, which any process may choose: the hints say "if this is nginx" and
 * never print the comm. They are plain by construction (printable ASCII, no quote or
 * backslash), so text and JSON show them as they are.
 */
#ifndef V6T_HINTS_H
#define V6T_HINTS_H

#include <stdint.h>
#include "classify.h"

struct v6t_hint {
	const char *how;	/* the program's way (or the generic one); NULL: nothing to say */
	const char *sysctl;	/* net.ipv6.bindv6only, where it would change this socket; or NULL */
};

/* The hint for a TCP listener of class sock_class, V6ONLY from source, owned by comm. */
void v6t_hint_pick(struct v6t_hint *h, const char *comm, unsigned int sock_class,
		   unsigned int source);

/* The table as README lists it: row i's programs (NULL: the generic row) and texts. */
struct v6t_hint_row {
	const char *program;			/* as README names it */
	const char *const *comms;		/* NULL-terminated; NULL: any other program */
	const char *how[V6T_SOCK_CLASSES];	/* NULL: the generic row's */
};

const struct v6t_hint_row *v6t_hint_rows(unsigned int *n);
const char *v6t_hint_sysctl(unsigned int sock_class, unsigned int source);

#endif

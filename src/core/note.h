/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The explanations: a record's one-line note and a listener's verdict, worded from the
 * classification (classify.h), never decided here.
 */
#ifndef V6T_NOTE_H
#define V6T_NOTE_H

#include "classify.h"
#include "decode.h"
#include "strbuf.h"

/* The note of v (addresses formatted); clears v->note_plain when a process name goes in. */
void v6t_note(struct strbuf *sb, struct v6t_view *v);
/* "0.0.0.0:80 (held by) socat[812]": socket i of the port's list, and whose. */
void v6t_put_port_sock(struct strbuf *sb, struct v6t_view *v, unsigned int i, const char *between);

/* A refused event's note (note_refused.c). */
void v6t_note_refused(struct strbuf *sb, struct v6t_view *v);

/* Why netstat shows a listener of this class as it does, for the summary. */
const char *v6t_verdict(unsigned int sock_class);

#endif

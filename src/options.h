/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options, parsed once into a typed configuration. */
#ifndef V6T_OPTIONS_H
#define V6T_OPTIONS_H

#include <stdint.h>
#include <stdio.h>
#include "config.h"

enum v6t_opt_result {
	V6T_OPT_RUN = 0,	/* go on and trace */
	V6T_OPT_DONE = 1,	/* --help or --version was printed: exit 0 */
	V6T_OPT_BAD = 2,	/* a message was printed to err: exit 2 */
};

/* RFC 3339 ("2026-11-24T10:00:00.5Z", "...+01:00") or "@SECONDS[.frac]" to wall-clock ns. */
int v6t_parse_time(const char *s, uint64_t *wall_ns);

enum v6t_opt_result v6t_parse_options(int argc, char **argv, struct v6t_config *cfg, FILE *out,
				      FILE *err);

#endif

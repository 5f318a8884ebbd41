/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options, parsed once into a typed configuration. */
#ifndef V6T_OPTIONS_H
#define V6T_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "v6trace.h"

#define V6T_MAX_PIDS 64		/* matches the filter_pids map */
#define V6T_MAX_PORTS 64	/* matches the filter_ports map */
#define V6T_DEFAULT_BUFFER_KIB 1024

struct v6t_config {
	uint32_t pids[V6T_MAX_PIDS];
	unsigned int n_pids;
	uint16_t ports[V6T_MAX_PORTS];
	unsigned int n_ports;
	char comm[V6T_COMM_LEN];	/* "" = any */
	uint64_t netns;			/* 0 = any */
	bool mapped_only;
	bool json;
	unsigned int duration_s;	/* 0 = until interrupted */
	uint64_t count;			/* 0 = unlimited */
	int backend;			/* V6T_BACKEND_* */
	int verbose;
	int ready_fd;			/* -1 = none */
	uint32_t buffer_kib;		/* ring buffer size */
};

enum v6t_opt_result {
	V6T_OPT_RUN = 0,	/* go on and trace */
	V6T_OPT_DONE = 1,	/* --help or --version was printed: exit 0 */
	V6T_OPT_BAD = 2,	/* a message was printed to err: exit 2 */
};

enum v6t_opt_result v6t_parse_options(int argc, char **argv, struct v6t_config *cfg, FILE *out,
				      FILE *err);

#endif

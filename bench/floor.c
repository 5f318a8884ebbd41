// SPDX-License-Identifier: GPL-2.0
/*
 * Loads bench/floor.bpf.o (empty programs on v6trace's tracepoint hooks), attaches the programs
 * named after it, prints "ready" and holds them until stdin closes. With floor_records among
 * them it drains that program's ring every few milliseconds and, at the end, prints
 * "records N accepts M". Needs tracefs mounted (bench/run.py does).
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "v6trace.h"

#define DRAIN_MS 5	/* 1 MiB holds 6,500 records: 5 ms of a storm is a tenth of that */

static unsigned long long records, accepts;

static int count_record(void *ctx, void *data, size_t size)
{
	const struct v6t_sock_event *e = data;

	(void)ctx;
	records++;
	accepts += size == sizeof(*e) && e->kind == V6T_EV_ACCEPT;
	return 0;
}

int main(int argc, char **argv)
{
	struct ring_buffer *rb = NULL;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct pollfd in = { .fd = 0, .events = POLLIN };
	char c;

	if (argc < 3) {
		fprintf(stderr, "usage: floor FLOOR.bpf.o PROGRAM...\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		perror("floor: open");
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		int wanted = 0;

		for (int i = 2; i < argc; i++)
			wanted |= !strcmp(argv[i], bpf_program__name(prog));
		bpf_program__set_autoload(prog, wanted);
	}
	if (bpf_object__load(obj)) {
		perror("floor: load");
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__autoload(prog) && !bpf_program__attach(prog)) {
			fprintf(stderr, "floor: cannot attach %s\n", bpf_program__name(prog));
			return 1;
		}
	}
	prog = bpf_object__find_program_by_name(obj, "floor_records");
	if (bpf_program__autoload(prog)) {
		rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "floor_ring"), count_record,
				      NULL, NULL);
		if (!rb) {
			perror("floor: ring buffer");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int n = poll(&in, 1, rb ? DRAIN_MS : -1);

		if (n < 0 || (n > 0 && read(0, &c, 1) <= 0))
			break;
		if (rb)
			ring_buffer__consume(rb);
	}
	if (rb) {
		ring_buffer__consume(rb);
		printf("records %llu accepts %llu\n", records, accepts);
		ring_buffer__free(rb);
	}
	bpf_object__close(obj);
	return 0;
}

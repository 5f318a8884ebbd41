// SPDX-License-Identifier: GPL-2.0
/*
 * Loads bench/floor.bpf.o (empty programs on v6trace's tracepoint hooks), attaches them all (or
 * only the programs named after it), prints "ready" and holds them until stdin closes. Needs
 * tracefs mounted (bench/run.py does).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	char c;

	if (argc < 2) {
		fprintf(stderr, "usage: floor FLOOR.bpf.o [PROGRAM]...\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		perror("floor: open");
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		int wanted = argc == 2;

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
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	bpf_object__close(obj);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the recording reader: any bytes as a recording, read to the end and
 * every record sent through the same path as a replay (filter, decode, text and JSON, summary).
 * Built with -fsanitize=fuzzer,address,undefined; `make fuzz` runs it for a bounded time and
 * `make check` replays the corpus and any saved crash through it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "printer.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct v6t_printer p;
	static int devnull = -1;
	struct v6t_config cfg = { .summary = true, .ready_fd = -1 };
	const struct v6t_rec_hdr *rec;
	struct v6t_reader *r;
	int stop = 0, fd;

	if (devnull < 0)
		devnull = memfd_create("v6t-fuzz-out", MFD_CLOEXEC);
	fd = memfd_create("v6t-fuzz-in", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET))
		abort();
	/* alternate text and JSON so both renderers see every shape of input */
	cfg.json = size & 1;
	if (v6t_reader_open_fd(&r, fd, "fuzz") == 0) {
		if (v6t_printer_init(&p, &cfg, v6t_reader_info(r)->boot_to_wall_ns))
			abort();
		p.out.fd = devnull;
		while (v6t_reader_next(r, &rec, 0, &stop) == V6T_READ_RECORD)
			v6t_printer_record(&p, rec, rec->size);
		v6t_printer_finish(&p);
		ftruncate(devnull, 0);
		v6t_reader_close(r);
	}
	close(fd);
	return 0;
}

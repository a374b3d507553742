/* libFuzzer target: container image tarballs. The image reader takes a
 * path, so each input is written to an anonymous in-memory file and read
 * back through /proc/self/fd. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_input_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_input_opts opts;
	struct tg_inventory inv;
	struct tg_err err;
	char path[64];
	int fd = memfd_create("fuzz-image", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		tg_input_opts_init(&opts);
		opts.max_image_bytes = 1 << 20;
		tg_inventory_init(&inv);
		if (tg_input_parse_image(path, &opts, &inv, &err) == 0)
			fz_check_inventory(&inv);
		else
			fz_check(err.msg[0] != '\0');
		tg_inventory_release(&inv);
	}
	close(fd);
	return 0;
}

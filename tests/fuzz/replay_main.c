/* Replay driver for fuzz targets outside libFuzzer: runs
 * LLVMFuzzerTestOneInput on every file under the given directories (or on
 * the given files), so kept corpora and past crashes are regression tests. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path, unsigned *count)
{
	struct tg_buf b;
	struct tg_err err;
	int rc;

	tg_buf_init(&b, 64 << 20);
	rc = tg_read_file(path, 64 << 20, &b, &err);
	if (rc) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		tg_buf_release(&b);
		return 1;
	}
	/* Copy into an exact-size heap block so ASan sees overreads. */
	{
		uint8_t *exact = malloc(b.len ? b.len : 1);
		if (!exact) {
			tg_buf_release(&b);
			return 1;
		}
		memcpy(exact, b.data, b.len);
		LLVMFuzzerTestOneInput(exact, b.len);
		free(exact);
	}
	tg_buf_release(&b);
	(*count)++;
	return 0;
}

static int run_path(const char *path, unsigned *count)
{
	struct stat st;
	struct dirent **names = NULL;
	int n, i, rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "%s: no such corpus\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path, count);
	n = scandir(path, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			char *child = tg_path_join(path, names[i]->d_name);
			if (child)
				rc |= run_path(child, count);
			free(child);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int i, rc = 0;

	for (i = 1; i < argc; i++)
		rc |= run_path(argv[i], &count);
	if (count == 0) {
		fprintf(stderr, "no inputs replayed\n");
		return 1;
	}
	printf("%u passed, 0 failed\n", count);
	return rc;
}

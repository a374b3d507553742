/* Shared body of the input-parser fuzz targets: parse the bytes with one
 * format and check what callers rely on. Seeds (seed-*) are the files of
 * tests/data/inputs; crash-* files are kept regressions. */
#ifndef FUZZ_INPUT_COMMON_H
#define FUZZ_INPUT_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/inputs.h"
#include "tollgate/str.h"

static inline void fz_check(int ok)
{
	if (!ok)
		abort();
}

static inline void fz_check_inventory(const struct tg_inventory *inv)
{
	size_t i, j;

	for (i = 0; i < inv->n_pkgs; i++) {
		const struct tg_package *p = &inv->pkgs[i];

		fz_check(p->name && *p->name && p->norm_name && p->origin_path);
		fz_check((p->version == NULL) == ((p->flags & TG_PKG_UNPINNED) != 0));
		fz_check(tg_utf8_valid(p->name, strlen(p->name), NULL));
		for (j = 0; j < p->n_hashes; j++) {
			const char *c;
			for (c = p->hashes[j].hex; *c; c++)
				fz_check((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'));
			fz_check(*p->hashes[j].alg);
		}
		for (j = 0; j < p->n_deps; j++)
			fz_check(p->deps[j] != NULL);
	}
}

static inline int fz_parse(const char *format, const uint8_t *data, size_t size,
		    const char *origin)
{
	struct tg_input_opts opts;
	struct tg_inventory inv;
	struct tg_err err;
	int rc;

	tg_input_opts_init(&opts);
	/* No includes: a fuzzed "-r /dev/stdin" must not read the terminal. */
	opts.max_include_depth = 0;
	opts.include_skipped = size > 0 && (data[0] & 1);
	tg_inventory_init(&inv);
	rc = tg_input_parse_bytes(format, (const char *)data, size, origin, &opts,
				  &inv, &err);
	if (rc)
		fz_check(err.code != TG_OK && err.msg[0] != '\0');
	else
		fz_check_inventory(&inv);
	tg_inventory_release(&inv);
	return 0;
}

#endif

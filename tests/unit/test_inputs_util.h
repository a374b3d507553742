/* Helpers for the input parser unit tests. */
#ifndef TEST_INPUTS_UTIL_H
#define TEST_INPUTS_UTIL_H

#include <string.h>

#include "tollgate/inputs.h"
#include "tollgate/package.h"

/* The n-th package named `name` (norm or as written), or NULL. */
static inline const struct tg_package *find_pkg_n(const struct tg_inventory *inv,
						  const char *name, int nth)
{
	size_t i;

	for (i = 0; i < inv->n_pkgs; i++) {
		const struct tg_package *p = &inv->pkgs[i];
		if ((strcmp(p->name, name) == 0 ||
		     (p->norm_name && strcmp(p->norm_name, name) == 0)) && nth-- == 0)
			return p;
	}
	return NULL;
}

static inline const struct tg_package *find_pkg(const struct tg_inventory *inv,
						const char *name)
{
	return find_pkg_n(inv, name, 0);
}

static inline bool has_hash(const struct tg_package *p, const char *alg,
			    const char *hex)
{
	size_t i;

	for (i = 0; i < p->n_hashes; i++)
		if (strcmp(p->hashes[i].alg, alg) == 0 && strcmp(p->hashes[i].hex, hex) == 0)
			return true;
	return false;
}

static inline bool has_dep(const struct tg_package *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_deps; i++)
		if (strcmp(p->deps[i], name) == 0)
			return true;
	return false;
}

/* Parse a test data file with default options (or *opts). */
static inline int parse_path(const char *path, const char *format,
			     const struct tg_input_opts *opts,
			     struct tg_inventory *inv, struct tg_err *err)
{
	tg_inventory_init(inv);
	return tg_input_parse_file(path, format, opts, inv, err);
}

static inline int parse_text(const char *format, const char *text,
			     const struct tg_input_opts *opts,
			     struct tg_inventory *inv, struct tg_err *err)
{
	tg_inventory_init(inv);
	return tg_input_parse_bytes(format, text, strlen(text), "mem.txt", opts,
				    inv, err);
}

#endif

/* Packages and inventories: what every input parser yields.
 *
 * Ownership: a tg_inventory owns its packages and every string in them;
 * tg_inventory_release() frees all of it. tg_inventory_add() copies the
 * strings of the template it is given, so callers keep ownership of their
 * own buffers.
 */
#ifndef TOLLGATE_PACKAGE_H
#define TOLLGATE_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"

enum tg_ecosystem {
	TG_ECO_UNKNOWN = 0,
	TG_ECO_PYPI,
	TG_ECO_NPM,
	TG_ECO_WINGET,
	TG_ECO_CHOCOLATEY
};

/* OSV ecosystem spelling: "PyPI", "npm", "winget", "Chocolatey". */
const char *tg_ecosystem_name(enum tg_ecosystem eco);
/* purl type: "pypi", "npm", "winget", "nuget". */
const char *tg_ecosystem_purl_type(enum tg_ecosystem eco);
/* Accepts OSV spelling or purl type, case-insensitively. */
bool tg_ecosystem_parse(const char *s, enum tg_ecosystem *out);

enum tg_pkg_flag {
	TG_PKG_DIRECT = 1 << 0,   /* named by the user, not pulled in */
	TG_PKG_DEV = 1 << 1,      /* development-only dependency */
	TG_PKG_EDITABLE = 1 << 2, /* -e / editable install */
	TG_PKG_URL = 1 << 3,      /* `name @ url` or a direct archive URL */
	TG_PKG_VCS = 1 << 4,      /* git+https:// and friends */
	TG_PKG_UNPINNED = 1 << 5, /* no exact version known */
	TG_PKG_OPTIONAL = 1 << 6, /* optional / extra-only dependency */
	TG_PKG_SKIPPED_MARKER = 1 << 7 /* markers false for the target env */
};

struct tg_hash_pin {
	char *alg; /* "sha256", "sha512", "md5", ... (lowercase) */
	char *hex; /* lowercase hex digest */
};

struct tg_package {
	enum tg_ecosystem eco;
	char *name;        /* as written in the input */
	char *norm_name;   /* PEP 503 normalised for PyPI; as-is for npm */
	char *version;     /* exact version, NULL when unpinned */
	char *specifier;   /* the constraint when unpinned (">=1,<2"), or NULL */
	char *url;         /* direct URL / VCS reference, or NULL */
	char *source;      /* index, registry or winget/choco source, or NULL */
	char *origin_path; /* input file (or directory) it came from */
	unsigned long origin_line; /* 1-based line in origin_path, 0 if none */
	char *location;    /* install location (environments), or NULL */
	char *license;     /* declared licence text or SPDX expression */
	struct tg_hash_pin *hashes;
	size_t n_hashes;
	char **deps;       /* names of direct dependencies (lockfiles) */
	size_t n_deps;
	unsigned flags;    /* enum tg_pkg_flag */
};

struct tg_inventory {
	char *origin;  /* the input path as given */
	char *format;  /* parser name: "requirements", "uv.lock", ... */
	struct tg_package *pkgs;
	size_t n_pkgs;
	size_t cap_pkgs;
	char **index_urls;    /* --index-url / --extra-index-url / sources */
	size_t n_index_urls;
	char **trusted_hosts;
	size_t n_trusted_hosts;
};

/* Hard cap on packages per inventory: a hostile input cannot make us
 * allocate without end. */
#define TG_INVENTORY_MAX_PKGS 1000000

void tg_inventory_init(struct tg_inventory *inv);
void tg_inventory_release(struct tg_inventory *inv);
/* Deep-copy *tmpl (strings, hashes, deps) into a new slot; returns the new
 * package (owned by inv) or NULL with err set. */
struct tg_package *tg_inventory_add(struct tg_inventory *inv,
				    const struct tg_package *tmpl,
				    struct tg_err *err);
int tg_inventory_add_index_url(struct tg_inventory *inv, const char *url,
			       struct tg_err *err);
int tg_inventory_add_trusted_host(struct tg_inventory *inv, const char *host,
				  struct tg_err *err);
/* Add a hash / dependency name to a package owned by an inventory. */
int tg_package_add_hash(struct tg_package *p, const char *alg, const char *hex,
			struct tg_err *err);
int tg_package_add_dep(struct tg_package *p, const char *name,
		       struct tg_err *err);
void tg_package_release(struct tg_package *p);

#endif

/* Hash pinning: does a lockfile pin every package to exact artifacts?
 *
 * For an inventory parsed from a requirements file or lockfile (see
 * inputs.h), report packages without any hash, packages pinned only by
 * weak hashes (md5, sha1), and packages without an exact version. With a
 * directory of downloaded artifacts, also hash each file and report files
 * whose SHA-256 is not among the hashes pinned for their package, files of
 * packages the lockfile does not list, and pinned packages with no file.
 *
 * Ownership: a tg_pin_report owns its issues and their strings;
 * tg_pin_report_release() frees them.
 */
#ifndef TOLLGATE_VERIFY_HASHES_H
#define TOLLGATE_VERIFY_HASHES_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/package.h"

enum tg_pin_kind {
	TG_PIN_NO_HASH,      /* no hash at all */
	TG_PIN_WEAK_ONLY,    /* only md5/sha1 */
	TG_PIN_UNPINNED,     /* no exact version */
	TG_PIN_MISMATCH,     /* artifact SHA-256 not among the package's hashes */
	TG_PIN_MISSING_FILE, /* pinned package, no artifact in the directory */
	TG_PIN_UNLISTED_FILE /* artifact of a package the lockfile does not list */
};

const char *tg_pin_kind_name(enum tg_pin_kind k);

struct tg_pin_issue {
	enum tg_pin_kind kind;
	char *package;     /* as written in the lockfile, or from the file name */
	char *version;     /* or NULL */
	char *origin_path; /* lockfile */
	unsigned long origin_line;
	char *file;        /* artifact file name, or NULL */
	char *detail;      /* one line */
};

struct tg_pin_report {
	struct tg_pin_issue *issues;
	size_t n_issues;
	size_t cap_issues;
	size_t n_packages;  /* packages checked */
	size_t n_strong;    /* with at least one sha256/sha384/sha512 */
	size_t n_files;     /* artifacts hashed */
	size_t n_files_ok;  /* artifacts whose hash is pinned */
};

void tg_pin_report_init(struct tg_pin_report *r);
void tg_pin_report_release(struct tg_pin_report *r);

/* Check inv; artifacts_dir may be NULL (no file checks). Files are the
 * regular files directly in artifacts_dir named like distributions
 * (*.whl, *.tar.gz, *.zip); others are ignored. */
int tg_verify_hashes(const struct tg_inventory *inv, const char *artifacts_dir,
		     struct tg_pin_report *out, struct tg_err *err);

struct tg_report;
/* One TG_FIND_INTEGRITY finding per issue (id "TG-PIN-<kind>"), for the
 * shared report writers: hash-mismatch and unlisted-file high, weak or
 * missing hashes medium, the rest low. */
int tg_pin_report_to_findings(const struct tg_pin_report *r, struct tg_report *rep,
			      struct tg_err *err);

/* Split a distribution file name into PEP 503 normalised project name and
 * lower-cased version; false when it is not a wheel or sdist name. */
bool tg_dist_filename_split(const char *filename, char *name, size_t name_sz,
			    char *version, size_t version_sz);

#endif

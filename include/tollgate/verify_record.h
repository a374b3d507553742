/* Installed-file integrity: RECORD files of installed distributions.
 *
 * A wheel install writes <name>-<version>.dist-info/RECORD, a CSV file
 * (PEP 376, PEP 627, the binary distribution format spec) with one row per
 * installed file: path (relative to the site directory, possibly with ".."
 * for scripts), "sha256=<urlsafe base64, no padding>" and size. This module
 * parses RECORD and checks a site directory against the RECORDs in it.
 *
 * Ownership: tg_record and tg_installed_report own every string and array
 * in them; the *_release functions free all of it.
 */
#ifndef TOLLGATE_VERIFY_RECORD_H
#define TOLLGATE_VERIFY_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"

#define TG_RECORD_MAX_BYTES ((size_t)16 << 20) /* one RECORD file */
#define TG_RECORD_MAX_ROWS 500000
#define TG_RECORD_MAX_PATH 4096
#define TG_RECORD_MAX_DIGEST 64

struct tg_record_row {
	char *path;           /* as written (after CSV unquoting) */
	char alg[16];         /* "sha256", ... ; "" when the hash field is empty */
	unsigned char digest[TG_RECORD_MAX_DIGEST];
	size_t digest_len;
	long long size;       /* -1 when the size field is empty */
	unsigned long line;   /* 1-based line of the row in RECORD */
};

struct tg_record {
	struct tg_record_row *rows;
	size_t n_rows;
	size_t cap_rows;
};

void tg_record_init(struct tg_record *r);
void tg_record_release(struct tg_record *r);

/* Parse RECORD bytes. origin names the file in errors (file:line). Rows
 * with an unknown hash algorithm, a digest of the wrong length, a bad size
 * or a malformed CSV field are errors: a RECORD that cannot be read exactly
 * is not evidence of anything. */
int tg_record_parse(const char *data, size_t len, const char *origin,
		    struct tg_record *out, struct tg_err *err);

/* What can be wrong with one installed file or distribution. */
enum tg_installed_problem_kind {
	TG_INST_MODIFIED,   /* content hash differs from RECORD */
	TG_INST_SIZE,       /* size differs from RECORD (hash may match nothing) */
	TG_INST_MISSING,    /* listed in RECORD, absent on disk */
	TG_INST_UNRECORDED, /* present under the distribution's directories,
			       absent from every RECORD in the site */
	TG_INST_NO_HASH,    /* listed without a hash though it should have one */
	TG_INST_OUTSIDE,    /* path resolves outside the environment: not read */
	TG_INST_UNREADABLE, /* exists but could not be read */
	TG_INST_NO_RECORD,  /* the distribution has no RECORD at all */
	TG_INST_BAD_RECORD  /* RECORD could not be parsed */
};

const char *tg_installed_problem_name(enum tg_installed_problem_kind k);

struct tg_installed_problem {
	enum tg_installed_problem_kind kind;
	char *path;   /* relative to the site directory (as in RECORD) */
	char *detail; /* one line: what differed, or NULL */
};

struct tg_installed_dist {
	char *name;        /* from the .dist-info directory name */
	char *version;
	char *dist_info;   /* directory name, e.g. "pip-24.0.dist-info" */
	char *site_dir;    /* the site directory it lives in */
	bool has_record;
	size_t n_files;    /* RECORD rows */
	size_t n_verified; /* rows whose hash and size matched */
	size_t n_pyc_ignored; /* unrecorded .pyc in __pycache__, not problems */
	unsigned long long bytes; /* bytes hashed */
	struct tg_installed_problem *problems;
	size_t n_problems;
	size_t cap_problems;
};

struct tg_installed_report {
	struct tg_installed_dist *dists;
	size_t n_dists;
	size_t cap_dists;
	/* Unrecorded *.pth files at the top of a site directory that no RECORD
	 * lists: code that runs at every interpreter start. */
	struct tg_installed_problem *site_problems;
	size_t n_site_problems;
	size_t cap_site_problems;
	size_t n_files;           /* files hashed in total */
	unsigned long long bytes; /* bytes hashed in total */
};

struct tg_installed_opts {
	/* Directory that RECORD paths may not escape (".." for scripts go up to
	 * <prefix>/bin). NULL: derived from each site directory: the prefix
	 * when it ends in lib/pythonX.Y/site-packages, else the directory
	 * itself. */
	const char *root;
	unsigned threads; /* hashing threads; 0 = 2 */
};

void tg_installed_report_init(struct tg_installed_report *r);
void tg_installed_report_release(struct tg_installed_report *r);

/* Check every *.dist-info (and flag every *.egg-info as without RECORD) in
 * each of the n site directories. Problems found are results, not errors:
 * the function fails only when a site directory cannot be listed or memory
 * runs out. */
int tg_verify_installed(const char *const *site_dirs, size_t n,
			const struct tg_installed_opts *opts,
			struct tg_installed_report *out, struct tg_err *err);

/* Total number of problems (per distribution and site level). */
size_t tg_installed_problem_count(const struct tg_installed_report *r);

struct tg_report;
/* Add one TG_FIND_INTEGRITY finding per problem to rep (id
 * "TG-RECORD-<kind>", evidence_file the path), for the shared report
 * writers. Modified, missing and unrecorded files are high severity,
 * the rest medium. */
int tg_installed_to_findings(const struct tg_installed_report *r, struct tg_report *rep,
			     struct tg_err *err);

#endif

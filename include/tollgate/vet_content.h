/* vet: artifact content risk.
 *
 * Looks inside a package before it is installed: a wheel, an sdist
 * (.tar.gz, .zip), an npm .tgz, a Chocolatey .nupkg, an unpacked
 * directory or the distributions installed in a site-packages directory.
 * Nothing is extracted to disk and nothing from the package is run:
 * archives are read in memory with libarchive, under the caps of struct
 * tg_vet_limits, and every member that holds text is matched against the
 * YARA rules shipped in rules/ (compiled once, see tg_vet_rules_load) plus
 * structural checks written in C (install hooks, .pth files, npm install
 * scripts, native binaries in pure packages, RECORD and metadata
 * mismatches). Each reason names the member, the line and an excerpt.
 *
 * Rule ids, levels and the caps are documented in docs/vet.md.
 *
 * Ownership: tg_vet_rules_* handles are freed with tg_vet_rules_free();
 * results are caller-initialised structs released with
 * tg_vet_result_release(). A compiled rule set is read-only once loaded
 * and may be shared by scans on several threads.
 */
#ifndef TOLLGATE_VET_CONTENT_H
#define TOLLGATE_VET_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/vet.h"

/* Caps applied to every artifact (see tg_vet_limits_init for defaults).
 * Hitting one is a finding (rule "archive-limit", block), not an error:
 * an archive built to exhaust a scanner is itself the evidence. */
struct tg_vet_limits {
	size_t max_archive_bytes;      /* archive file read into memory */
	size_t max_entries;            /* members (or files in a directory) */
	unsigned long long max_total;  /* uncompressed bytes, all members */
	unsigned long long max_entry;  /* uncompressed bytes, one member */
	unsigned max_ratio;            /* uncompressed : compressed bytes */
	unsigned long long ratio_floor;/* ratio checked only past this many
					* uncompressed bytes */
	size_t max_scan;               /* text bytes of one member scanned */
	size_t max_path;               /* bytes in one member path */
	unsigned max_depth;            /* directory nesting in a walk */
};

/* max_archive_bytes 512 MiB, max_entries 100,000, max_total 2 GiB,
 * max_entry 512 MiB, max_ratio 200, ratio_floor 4 MiB, max_scan 32 MiB,
 * max_path 4,096, max_depth 64. */
void tg_vet_limits_init(struct tg_vet_limits *l);

enum tg_vet_artifact {
	TG_VET_ART_AUTO = 0, /* guess from the file name, then the content */
	TG_VET_ART_WHEEL,
	TG_VET_ART_SDIST,
	TG_VET_ART_NPM,
	TG_VET_ART_NUPKG,
	TG_VET_ART_DIR,      /* an unpacked package directory */
	TG_VET_ART_INSTALLED /* one distribution in a site-packages dir */
};

/* "wheel", "sdist", "npm", "nupkg", "directory", "installed", "auto". */
const char *tg_vet_artifact_name(enum tg_vet_artifact a);
bool tg_vet_artifact_parse(const char *s, enum tg_vet_artifact *out);
/* From a file name alone: *.whl, *.tar.gz / *.zip / *.tar.bz2 (sdist),
 * *.tgz (npm), *.nupkg; TG_VET_ART_AUTO when none fits. */
enum tg_vet_artifact tg_vet_artifact_guess(const char *filename);

/* ---- rules ------------------------------------------------------------ */

struct tg_vet_rules;

/* Where the shipped rules are, first match wins:
 *   1. explicit_dir (the CLI's --rules DIR), used as is;
 *   2. $TOLLGATE_RULES_DIR;
 *   3. the source tree's rules/ when exe_dir is a CMake build directory
 *      (it holds CMakeCache.txt): a freshly built binary uses the rules
 *      next to the sources it was built from;
 *   4. <exe_dir>/../share/tollgate/rules (a relocated install);
 *   5. <install prefix>/share/tollgate/rules (as configured at build time).
 * exe_dir may be NULL. Returns a heap string (free()) naming a directory
 * that exists, or NULL with TG_EIO and the list of places tried. */
char *tg_vet_rules_find(const char *explicit_dir, const char *exe_dir,
			struct tg_err *err);

/* Compile every *.yar file in dir (sorted by name). Each rule must carry
 * meta `id` (the reason's rule id), `severity` ("info", "warn" or
 * "block") and `summary`; optional `install_severity` (level when the
 * member runs at install time) and `check` (a C post-filter, see
 * docs/vet.md). A syntax error names file:line; a missing meta is
 * TG_EINVAL naming the rule. */
int tg_vet_rules_load(const char *dir, struct tg_vet_rules **out,
		      struct tg_err *err);
/* Same from one source text (tests, fuzzing); origin names it in errors. */
int tg_vet_rules_load_string(const char *source, const char *origin,
			     struct tg_vet_rules **out, struct tg_err *err);
void tg_vet_rules_free(struct tg_vet_rules *rules);
size_t tg_vet_rules_count(const struct tg_vet_rules *rules);

/* ---- scanning --------------------------------------------------------- */

/* Scan an artifact held in memory. filename (base name is enough) guides
 * the artifact guess and the sdist name check; kind AUTO guesses. rules
 * may be NULL (structural checks only). The result's subject is filename,
 * name/version come from the metadata found. A malformed or truncated
 * archive is TG_EPARSE naming filename; caps hit are reasons. */
int tg_vet_scan_memory(const struct tg_vet_rules *rules,
		       const struct tg_vet_limits *lim, enum tg_vet_artifact kind,
		       const void *data, size_t len, const char *filename,
		       struct tg_vet_result *out, struct tg_err *err);

/* Scan a file (an archive) or a directory (unpacked package). */
int tg_vet_scan_path(const struct tg_vet_rules *rules,
		     const struct tg_vet_limits *lim, enum tg_vet_artifact kind,
		     const char *path, struct tg_vet_result *out,
		     struct tg_err *err);

/* True when dir looks like a site-packages directory: it holds at least
 * one *.dist-info directory with a RECORD. */
bool tg_vet_is_site_dir(const char *dir);

/* Scan every distribution installed in site_dir (each *.dist-info with a
 * RECORD; the files it lists are the distribution, paths leaving the site
 * directory are skipped). *out receives n results (free each with
 * tg_vet_result_release(), then free(*out)). */
int tg_vet_scan_site(const struct tg_vet_rules *rules,
		     const struct tg_vet_limits *lim, const char *site_dir,
		     struct tg_vet_result **out, size_t *n, struct tg_err *err);

#endif

/* tollgate.toml: the project policy file, and the audit gate built on it.
 *
 * The file is found like .gitignore: starting at the directory of the
 * first input and walking up to the repository root (a directory holding
 * .git) or the file-system root; --config PATH names one explicitly.
 *
 * What this module reads (every other table belongs to the command that
 * owns it: tg_config_table() hands it over, parsed and located):
 *
 *   [audit]
 *   fail-on = "high"          # none|any|low|medium|high|critical|kev
 *   prefer-id = "cve"         # cve|ghsa|pysec|osv
 *
 *   [[ignore]]
 *   id = "CVE-2023-1234"      # any alias of the advisory works
 *   reason = "not reachable: we never call the affected API"  # required
 *   expires = 2026-12-31      # optional; after this date it stops applying
 *   package = "django"        # optional: only for this package
 *   version = "3.2.1"         # optional: only for this version
 *
 * Errors: a file that is not TOML 1.0, an [[ignore]] without a reason, an
 * unknown key in [audit] or [[ignore]], a value of the wrong type: TG_EPARSE
 * or TG_EINVAL located at file:line:col (the CLI exits 3).
 *
 * Ownership: struct tg_config owns everything in it, including the parsed
 * document; tg_config_release() frees it all.
 */
#ifndef TOLLGATE_CONFIG_H
#define TOLLGATE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/finding.h"
#include "tollgate/match.h"
#include "tollgate/toml.h"

#define TG_CONFIG_NAME "tollgate.toml"
#define TG_CONFIG_MAX_BYTES ((size_t)4 << 20)
#define TG_CONFIG_MAX_IGNORES 10000

/* --fail-on thresholds (the default first). */
enum tg_fail_on {
	TG_FAIL_ANY = 0,  /* default: any vulnerability not ignored */
	TG_FAIL_NONE,     /* report only */
	TG_FAIL_LOW,
	TG_FAIL_MEDIUM,
	TG_FAIL_HIGH,
	TG_FAIL_CRITICAL,
	TG_FAIL_KEV       /* only known-exploited (and malware) */
};

bool tg_fail_on_parse(const char *s, enum tg_fail_on *out);
const char *tg_fail_on_name(enum tg_fail_on f);

struct tg_ignore_rule {
	char *id;
	char *reason;
	char *package;      /* as written, or NULL */
	char *version;      /* or NULL */
	char expires[11];   /* "YYYY-MM-DD", or "" for none */
	unsigned long line; /* of the [[ignore]] header */
};

struct tg_config {
	char *path;                 /* file read, or NULL when none */
	struct tg_toml *doc;        /* NULL when no file */
	struct tg_ignore_rule *ignores;
	size_t n_ignores;
	bool has_fail_on;
	enum tg_fail_on fail_on;
	bool has_prefer_id;
	enum tg_prefer_id prefer_id;
};

void tg_config_init(struct tg_config *cfg);
void tg_config_release(struct tg_config *cfg);

/* Walk up from start (a file or a directory) looking for tollgate.toml.
 * *out is a heap path, or NULL when there is none (not an error). */
int tg_config_find(const char *start, char **out, struct tg_err *err);

/* Read and validate a config file / bytes. origin names it in errors. */
int tg_config_load(const char *path, struct tg_config *cfg,
		   struct tg_err *err);
int tg_config_parse(const char *data, size_t len, const char *origin,
		    struct tg_config *cfg, struct tg_err *err);

/* The parsed document (NULL when no file was loaded), and a top-level
 * table by name (NULL when absent or not a table), for the commands that
 * keep their own settings in tollgate.toml ([vet], [verify], [proxy]). */
const struct tg_toml *tg_config_doc(const struct tg_config *cfg);
const struct tg_toml_value *tg_config_table(const struct tg_config *cfg,
					    const char *name);

/* ---- the gate ---- */

/* Apply the ignore rules to the report's vulnerability findings: a rule
 * matches a finding when its id equals the finding's id, one of its
 * aliases or one of its advisory records (ASCII case-insensitively), and
 * its package / version (when given) equal the finding's (names
 * normalised, versions compared by the ecosystem's scheme). A rule past
 * its expiry date (today is "YYYY-MM-DD") does not apply and is reported:
 * in report->ignore_notes with expired set, and as a report warning.
 * Every rule is listed in ignore_notes with the number of findings it
 * suppressed. */
int tg_policy_apply_ignores(const struct tg_config *cfg,
			    struct tg_report *report, const char *today,
			    struct tg_err *err);

/* Does a finding count against the threshold? Ignored findings and
 * "not checked" notes never do; malware always does (except with none);
 * a finding of unknown severity counts as medium (docs/priority.md). */
bool tg_policy_finding_fails(const struct tg_finding *f, enum tg_fail_on t);

/* Set report->fail_on, policy_failed and n_failing. */
int tg_policy_evaluate(struct tg_report *report, enum tg_fail_on t,
		       struct tg_err *err);

/* Today's date in UTC as "YYYY-MM-DD" (TOLLGATE_TODAY overrides it, for
 * tests and reproducible runs). */
void tg_policy_today(char out[11]);

#endif

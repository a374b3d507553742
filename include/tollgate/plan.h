/* The patch plan: audit findings turned into an ordered list of upgrades.
 *
 * One step per package with findings: the minimal version that fixes
 * them (the largest of the fix versions the matcher found for them,
 * checked against every advisory of the package), the command that
 * performs the upgrade for the package's ecosystem and input, the finding
 * ids it fixes and those it leaves open (no fix published, KEV entries
 * without versions). Steps are ordered: known-exploited first (known
 * ransomware use first, then the earliest KEV due date), then EPSS, then
 * severity, then the priority score. docs/plan.md has the formats.
 *
 * Ownership: struct tg_plan owns its steps and every string in them;
 * tg_plan_release() frees it all.
 */
#ifndef TOLLGATE_PLAN_H
#define TOLLGATE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/finding.h"
#include "tollgate/match.h"

struct tg_plan_item {
	char *id;        /* finding id (CVE, GHSA, rule id) */
	enum tg_severity severity;
	bool kev;
	char *summary;   /* one line */
};

struct tg_plan_step {
	enum tg_ecosystem eco;
	char *package;     /* as written */
	char *version;     /* installed / pinned, or NULL */
	char *target;      /* version to move to, or NULL when none is known */
	char *input;       /* input format that listed it ("uv.lock", ...) */
	char *origin;      /* file:line where it is declared */
	char **commands;   /* what to run, in order (may be empty) */
	size_t n_commands;
	char *note;        /* a caveat for the commands, or NULL */
	bool remove;       /* malware: uninstall, do not upgrade */
	struct tg_plan_item *fixes;   /* fixed by moving to target */
	size_t n_fixes;
	struct tg_plan_item *open;    /* still open after this step */
	size_t n_open;
	/* What ordered it (over all of the package's findings). */
	bool kev;
	bool ransomware;
	char kev_due[16];  /* earliest KEV due date, or "" */
	double epss;       /* highest, -1 unknown */
	enum tg_severity severity; /* highest */
	double priority;   /* highest */
};

struct tg_plan {
	struct tg_plan_step *steps;
	size_t n;
	size_t n_findings;   /* findings the plan covers */
	size_t n_fixed;      /* of them, fixed by some step */
	char *generated_at;  /* RFC 3339 or NULL */
	char *tool_version;
};

void tg_plan_init(struct tg_plan *p);
void tg_plan_release(struct tg_plan *p);

/* Build the plan from a finished report (matched, Windows checks run,
 * ignores applied: ignored findings and "not checked" notes are left
 * out). src, when not NULL, is asked for each package's advisories to
 * check that the target version is itself not affected; an advisory that
 * still affects it is listed among the step's open items. */
int tg_plan_build(const struct tg_report *r, const struct tg_vuln_source *src,
		  struct tg_plan *out, struct tg_err *err);

/* The command(s) that move a package to version target (NULL: the newest)
 * for its ecosystem and the input format it came from ("uv.lock" gives
 * uv commands, "poetry.lock" poetry's, ...). Exposed for tests. */
int tg_plan_commands(enum tg_ecosystem eco, const char *name, const char *target,
		     const char *input, bool direct, struct tg_plan_step *step,
		     struct tg_err *err);

struct tg_plan_opts {
	bool color;
	int verbose;
};

/* Writers: table (terminal), markdown, json (docs/plan.md). */
int tg_plan_write_table(const struct tg_plan *p, const struct tg_plan_opts *o,
			struct tg_buf *out, struct tg_err *err);
int tg_plan_write_markdown(const struct tg_plan *p, const struct tg_plan_opts *o,
			   struct tg_buf *out, struct tg_err *err);
int tg_plan_write_json(const struct tg_plan *p, const struct tg_plan_opts *o,
		       struct tg_buf *out, struct tg_err *err);

#endif

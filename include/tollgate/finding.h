/* Findings and the report: what every check yields and every output
 * writer reads.
 *
 * Ownership: a tg_report owns its findings, inventories and feed list, and
 * every string in them; tg_report_release() frees all of it.
 * tg_report_add_finding() deep-copies the template.
 */
#ifndef TOLLGATE_FINDING_H
#define TOLLGATE_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/package.h"

enum tg_finding_kind {
	TG_FIND_VULNERABILITY, /* a known advisory affects this version */
	TG_FIND_MALICIOUS,     /* OSV MAL- advisory: known malware */
	TG_FIND_NAME_RISK,     /* typo/combo/slop-squat, unknown, new */
	TG_FIND_CONTENT_RISK,  /* suspicious code or files in an artifact */
	TG_FIND_INTEGRITY,     /* hash / RECORD mismatch, missing hash */
	TG_FIND_PROVENANCE,    /* signature / attestation problem */
	TG_FIND_POLICY,        /* deny-list, source pinning, cooldown */
	TG_FIND_UNPINNED,      /* no exact version: could not be checked */
	TG_FIND_UNKNOWN_VERSION /* version does not parse: advisories could
				 * not be evaluated (see advisories[]) */
};

enum tg_severity {
	TG_SEV_UNKNOWN = 0,
	TG_SEV_NONE,
	TG_SEV_LOW,
	TG_SEV_MEDIUM,
	TG_SEV_HIGH,
	TG_SEV_CRITICAL
};

const char *tg_finding_kind_name(enum tg_finding_kind k);
const char *tg_severity_name(enum tg_severity s); /* "low", "critical" ... */
bool tg_severity_parse(const char *s, enum tg_severity *out);

struct tg_finding {
	enum tg_finding_kind kind;
	/* The package concerned (copied; not a pointer into an inventory). */
	enum tg_ecosystem eco;
	char *package;       /* name as written */
	char *version;       /* NULL when unpinned */
	char *origin_path;   /* where the package was declared */
	unsigned long origin_line;
	/* What was found. */
	char *id;            /* preferred advisory id, or rule id for checks */
	char **aliases;      /* every other id of the merged advisories */
	size_t n_aliases;
	char *summary;       /* one line */
	char *details;       /* longer explanation, or NULL */
	enum tg_severity severity;
	double cvss;         /* base score 0..10, or -1 when unknown */
	char *cvss_vector;   /* or NULL */
	bool kev;            /* in CISA KEV (any alias) */
	bool kev_ransomware; /* KEV knownRansomwareCampaignUse == Known */
	char *kev_due;       /* KEV dueDate YYYY-MM-DD, or NULL */
	double epss;         /* probability 0..1, or -1 when unknown */
	double epss_percentile;
	char *fixed_version; /* smallest safe upgrade, or NULL if none */
	/* Evidence for content/integrity findings. */
	char *evidence_file;
	unsigned long evidence_line;
	char *excerpt;
	double priority;     /* higher = fix first; see docs/priority.md */
	/* Policy. */
	bool ignored;        /* matched an [[ignore]] in tollgate.toml */
	char *ignore_reason;
	/* Added for audit; zero-initialised by callers that predate them. */
	char **advisories;   /* database record ids merged into this finding
			      * (for UNKNOWN_VERSION: those not evaluated) */
	size_t n_advisories;
	bool has_pkg_ref;    /* inv_index/pkg_index name the package in the
			      * report's inventories */
	size_t inv_index;
	size_t pkg_index;
	char *ignore_expires; /* YYYY-MM-DD of the ignore that applied */
	/* When set (tg_report_add_finding sets it), one allocation of
	 * strings_len bytes that holds package, version, origin_path, id,
	 * summary, details, cvss_vector, kev_due, fixed_version,
	 * evidence_file, excerpt, and the aliases and advisories lists the
	 * finding was stored with: those are not freed one by one.
	 * ignore_reason and ignore_expires stay separate (policy fills them
	 * in later), as do ids added afterwards. */
	char *strings;
	size_t strings_len;
};

struct tg_feed_info {
	char *name;     /* "osv-PyPI", "kev", "epss", "names-pypi" ... */
	char *version;  /* feed's own version or etag */
	char *fetched;  /* RFC 3339 time of import */
	long long records;
};

/* One [[ignore]] rule as the report shows it. */
struct tg_ignore_note {
	char *id;
	char *reason;
	char *expires;  /* YYYY-MM-DD, or NULL for no expiry */
	char *package;  /* or NULL */
	char *version;  /* or NULL */
	char *origin;   /* config file */
	unsigned long line;
	size_t matched; /* findings it suppressed */
	bool expired;   /* past its date: no longer applied */
};

struct tg_report {
	struct tg_inventory *inventories;
	size_t n_inventories;
	struct tg_finding *findings;
	size_t n_findings;
	size_t cap_findings;
	struct tg_feed_info *feeds;
	size_t n_feeds;
	char *tool_version;
	char *generated_at; /* RFC 3339, or NULL for reproducible output */
	/* Added for audit. */
	struct tg_ignore_note *ignore_notes;
	size_t n_ignore_notes;
	char **warnings;    /* shown by every writer */
	size_t n_warnings;
	char *config_path;  /* tollgate.toml used, or NULL */
	char *fail_on;      /* the --fail-on threshold's name, or NULL */
	bool policy_failed; /* findings at or above fail_on */
	size_t n_failing;
};

void tg_report_init(struct tg_report *r);
void tg_report_release(struct tg_report *r);
/* Deep-copies *tmpl; returns the stored finding or NULL with err set. */
struct tg_finding *tg_report_add_finding(struct tg_report *r,
					 const struct tg_finding *tmpl,
					 struct tg_err *err);
/* Moves *inv into the report (inv is left empty). */
int tg_report_take_inventory(struct tg_report *r, struct tg_inventory *inv,
			     struct tg_err *err);
int tg_report_add_feed(struct tg_report *r, const struct tg_feed_info *f,
		       struct tg_err *err);
int tg_finding_add_alias(struct tg_finding *f, const char *alias,
			 struct tg_err *err);
int tg_finding_add_advisory(struct tg_finding *f, const char *id,
			    struct tg_err *err);
/* Copies every string of *note. */
int tg_report_add_ignore_note(struct tg_report *r,
			      const struct tg_ignore_note *note,
			      struct tg_err *err);
int tg_report_add_warning(struct tg_report *r, struct tg_err *err,
			  const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Order findings for display: vulnerabilities by priority (highest
 * first), then package, version and id; not-checked notes last. Stable
 * and deterministic for equal inputs. */
void tg_report_sort_findings(struct tg_report *r);
/* Total packages over all inventories. */
size_t tg_report_packages_scanned(const struct tg_report *r);
/* The package a finding refers to, or NULL. */
const struct tg_package *tg_finding_package(const struct tg_report *r,
					    const struct tg_finding *f);
void tg_finding_release(struct tg_finding *f);

#endif

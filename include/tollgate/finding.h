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
	TG_FIND_UNPINNED       /* no exact version: could not be checked */
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
};

struct tg_feed_info {
	char *name;     /* "osv-PyPI", "kev", "epss", "names-pypi" ... */
	char *version;  /* feed's own version or etag */
	char *fetched;  /* RFC 3339 time of import */
	long long records;
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
void tg_finding_release(struct tg_finding *f);

#endif

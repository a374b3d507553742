/* Advisory matching with OSV semantics, alias merging, fix versions and
 * priority.
 *
 * The model follows the OSV schema: an advisory has affected entries for
 * a package, each with ranges (typed ECOSYSTEM / SEMVER / GIT, holding
 * introduced / fixed / last_affected / limit events) and an explicit
 * versions list. A version is affected when it is in the list or inside a
 * range, evaluated with the OSV algorithm: events sorted by version (an
 * introduced "0" first, introduced before any other event at the same
 * version), then walked; limits bound the range from above.
 *
 * Versions are compared by the package's ecosystem: PEP 440 for PyPI
 * ECOSYSTEM ranges, SemVer 2.0 precedence for npm and for every SEMVER
 * range. A versions-list entry matches by string after normalisation
 * (PEP 440 canonical text for PyPI, exact text otherwise). When the
 * package's version, or an event version a range needs, does not parse,
 * the advisory is "unknown" for that version, never silently unmatched.
 *
 * Ownership: every struct here owns its strings and arrays; release with
 * the matching *_release(). tg_advisory_list owns its advisories.
 */
#ifndef TOLLGATE_MATCH_H
#define TOLLGATE_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/finding.h"
#include "tollgate/package.h"

/* ---- the OSV advisory model ---- */

enum tg_osv_event_kind {
	TG_OSV_INTRODUCED,
	TG_OSV_FIXED,
	TG_OSV_LAST_AFFECTED,
	TG_OSV_LIMIT
};

enum tg_osv_range_type {
	TG_OSV_RANGE_ECOSYSTEM,
	TG_OSV_RANGE_SEMVER,
	TG_OSV_RANGE_GIT,   /* commit ranges: never evaluated here */
	TG_OSV_RANGE_OTHER
};

struct tg_adv_event {
	enum tg_osv_event_kind kind;
	char *version;
};

struct tg_adv_range {
	enum tg_osv_range_type type;
	struct tg_adv_event *events;
	size_t n_events;
};

/* One affected[] entry for the package being matched. */
struct tg_adv_affected {
	struct tg_adv_range *ranges;
	size_t n_ranges;
	char **versions;
	size_t n_versions;
	char *cvss_v3;     /* affected[].severity CVSS_V3 vector, or NULL */
	char *cvss_v4;     /* affected[].severity CVSS_V4 vector, or NULL */
	bool pooled;       /* versions and event versions are not owned: they
			    * live in the list's string pool or its source's
			    * storage (the *_pooled and *_ref builders) */
	bool one_block;    /* ranges and every range's events are one
			    * allocation, made whole by
			    * tg_adv_affected_set_ranges: complete, nothing
			    * may be added to them */
};

struct tg_advisory {
	char *id;          /* OSV id: PYSEC-..., GHSA-..., MAL-... */
	char **aliases;
	size_t n_aliases;
	char *group;       /* alias-group key from the database, or NULL */
	char *summary;     /* or NULL */
	char *details;     /* or NULL */
	char *published;   /* RFC 3339, or NULL */
	char *modified;
	bool withdrawn;
	char *cvss_v3;     /* top-level severity vectors, or NULL */
	char *cvss_v4;
	char *db_severity; /* database_specific.severity (GHSA: LOW ...
			    * CRITICAL, MODERATE), or NULL */
	/* Only the entries that name the package being matched. */
	struct tg_adv_affected *affected;
	size_t n_affected;
	bool details_loaded; /* tg_vuln_source.details() has filled it */
	/* For the source's own use: where it can find the details (the
	 * database points at its package record). Borrowed. */
	void *src_ref;
	size_t src_index;
	/* The strings above (id through db_severity, and each alias) belong
	 * to the list's source, which keeps them until the list is released:
	 * tg_advisory_release then frees only the arrays. Set by sources
	 * that hand out their own storage (the database's package records). */
	bool borrowed;
};

struct tg_advisory_list {
	struct tg_advisory *items;
	size_t n;
	size_t cap;
	/* String pool for the bulk of version strings (one allocation per
	 * 64 KiB instead of one per string); freed with the list. */
	char **pool;
	size_t n_pool;
	size_t pool_left;
	char *pool_next;
	/* Optional prebuilt index of the versions lists (the database has
	 * one): the advisories then come without their versions lists and
	 * the matcher asks listed() which advisories (indices into items,
	 * withdrawn ones left out) list a version, given in canonical form
	 * under the built-in schemes. The array returned stays valid until
	 * the next call. listed_release(listed_ctx) runs with the list's
	 * release. */
	const size_t *(*listed)(void *ctx, const char *canon, size_t *n);
	void *listed_ctx;
	void (*listed_release)(void *ctx);
	/* The latest release, when advisories() already knew it (owned;
	 * NULL with latest_known = true means unknown): the matcher then
	 * does not call latest_version(). */
	char *latest;
	bool latest_known;
	/* Every advisory's group already is the transitive closure of
	 * aliasing over the whole source (the database computes it at
	 * update): two advisories alias each other exactly when their
	 * groups are equal, so the matcher groups by that key alone, and
	 * aliases that details() brings change nothing. */
	bool groups_closed;
};

/* Caps on one advisory and one package's advisory set (a hostile
 * database cannot make matching allocate without end). */
#define TG_ADVISORY_MAX_PER_PACKAGE 100000
#define TG_ADVISORY_MAX_ITEMS 100000 /* aliases, events, versions each */

void tg_advisory_list_init(struct tg_advisory_list *l);
void tg_advisory_list_release(struct tg_advisory_list *l);
/* A new zeroed advisory at the end of l (owned by l), or NULL + err. */
struct tg_advisory *tg_advisory_list_push(struct tg_advisory_list *l,
					  struct tg_err *err);
void tg_advisory_release(struct tg_advisory *a);

/* Builders: each copies its string arguments. */
int tg_advisory_add_alias(struct tg_advisory *a, const char *alias,
			  struct tg_err *err);
struct tg_adv_affected *tg_advisory_add_affected(struct tg_advisory *a,
						 struct tg_err *err);
struct tg_adv_range *tg_adv_affected_add_range(struct tg_adv_affected *af,
					       enum tg_osv_range_type type,
					       struct tg_err *err);
int tg_adv_range_add_event(struct tg_adv_range *r, enum tg_osv_event_kind kind,
			   const char *version, struct tg_err *err);
int tg_adv_affected_add_version(struct tg_adv_affected *af,
				const char *version, struct tg_err *err);
/* The same with the strings copied into l's pool; they set af->pooled.
 * An affected entry is built either entirely pooled or not at all. */
/* For sources that keep their strings alive as long as the list (see
 * tg_advisory.borrowed): store the pointer, copy nothing. */
int tg_advisory_add_alias_ref(struct tg_advisory *a, const char *alias,
			      struct tg_err *err);
int tg_adv_range_add_event_ref(struct tg_adv_affected *af, struct tg_adv_range *r,
			       enum tg_osv_event_kind kind, const char *version,
			       struct tg_err *err);
/* Give af (which has no ranges yet) n_ranges ranges holding n_events[i]
 * events each, zeroed, in one allocation (af->one_block); the caller
 * fills types and events in place. For sources that know the shape up
 * front. */
int tg_adv_affected_set_ranges(struct tg_adv_affected *af, size_t n_ranges,
			       const size_t *n_events, struct tg_err *err);
/* A copy of s in the list's string pool (freed with the list). */
char *tg_advisory_list_strdup(struct tg_advisory_list *l, const char *s,
			      struct tg_err *err);
int tg_adv_range_add_event_pooled(struct tg_advisory_list *l,
				  struct tg_adv_affected *af,
				  struct tg_adv_range *r,
				  enum tg_osv_event_kind kind,
				  const char *version, struct tg_err *err);
int tg_adv_affected_add_version_pooled(struct tg_advisory_list *l,
				       struct tg_adv_affected *af,
				       const char *version, struct tg_err *err);

/* Fill *out from one OSV JSON record (a jansson json_t *, passed as void
 * so that this header does not need jansson), keeping only the affected
 * entries whose package is (eco, name) with names compared normalised
 * (PEP 503 for PyPI, exactly for npm). *relevant is false when no entry
 * names the package. origin names the record in errors. */
int tg_advisory_from_osv_json(const void *osv_json, enum tg_ecosystem eco,
			      const char *name, struct tg_advisory *out,
			      bool *relevant, const char *origin,
			      struct tg_err *err);

/* "PyPI" name normalisation as used for matching: PEP 503 for PyPI,
 * unchanged for other ecosystems. Heap string or NULL on ENOMEM. */
char *tg_match_norm_name(enum tg_ecosystem eco, const char *name);

/* ---- version schemes ---- */

/* How one ecosystem spells and orders versions. parse() returns an
 * opaque handle, or NULL when s is not a version of this scheme (*oom is
 * set when the reason was memory). */
struct tg_vscheme {
	const char *name; /* "PEP 440", "SemVer" */
	void *(*parse)(const char *s, bool *oom);
	int (*cmp)(const void *a, const void *b);
	void (*release)(void *v);
	/* Canonical text for versions-list matching (heap; NULL on ENOMEM). */
	char *(*canonical)(const void *v);
	bool (*is_prerelease)(const void *v);
	/* Optional fast path: true only when s is already in canonical form
	 * (then canonical(parse(s)) == s and no parse is needed). */
	bool (*is_canonical)(const char *s);
};

/* The scheme for a range type in an ecosystem, or NULL when ranges of
 * that type cannot be evaluated there (GIT; unsupported ecosystems). */
const struct tg_vscheme *tg_vscheme_for(enum tg_ecosystem eco,
					enum tg_osv_range_type type);
/* The scheme for versions-list matching and fix candidates of eco. */
const struct tg_vscheme *tg_vscheme_primary(enum tg_ecosystem eco);

/* ---- evaluating one advisory ---- */

enum tg_affect {
	TG_AFFECT_NO = 0,
	TG_AFFECT_YES,
	TG_AFFECT_UNKNOWN /* a version needed for the answer did not parse */
};

/* Does adv affect version? Withdrawn advisories never do. scheme_for may
 * be NULL (the built-in tg_vscheme_for). */
int tg_advisory_affects(const struct tg_advisory *adv, enum tg_ecosystem eco,
			const char *version,
			const struct tg_vscheme *(*scheme_for)(enum tg_ecosystem,
							       enum tg_osv_range_type),
			enum tg_affect *out, struct tg_err *err);

/* ---- matching an inventory ---- */

enum tg_prefer_id {
	TG_PREFER_CVE = 0, /* default */
	TG_PREFER_GHSA,
	TG_PREFER_PYSEC,
	TG_PREFER_OSV      /* the database record's own id */
};

bool tg_prefer_id_parse(const char *s, enum tg_prefer_id *out);
const char *tg_prefer_id_name(enum tg_prefer_id p);

struct tg_kev_info {
	bool ransomware;  /* knownRansomwareCampaignUse == "Known" */
	char due[16];     /* dueDate YYYY-MM-DD, or "" */
};

/* Where advisories and enrichment come from (the database in the CLI, an
 * in-memory fixture in tests). Every callback returns 0 or a TG_E* code.
 * kev / epss / latest_version may be NULL (no such data). */
struct tg_vuln_source {
	void *ctx;
	/* Every advisory with an affected entry for (eco, norm_name),
	 * appended to out (withdrawn ones may be included; they are
	 * skipped). */
	int (*advisories)(void *ctx, enum tg_ecosystem eco,
			  const char *norm_name, struct tg_advisory_list *out,
			  struct tg_err *err);
	/* Optional: fill the descriptive fields (summary, details, aliases,
	 * severity vectors, db_severity) of an advisory that advisories()
	 * returned with only id, group, withdrawn and affected entries.
	 * Called only for advisories that affect the version, so a source
	 * can keep the hot path to one query per package. */
	int (*details)(void *ctx, struct tg_advisory *adv, struct tg_err *err);
	/* Latest released version known for the package; *out is a heap
	 * string or NULL when unknown. */
	int (*latest_version)(void *ctx, enum tg_ecosystem eco,
			      const char *norm_name, char **out,
			      struct tg_err *err);
	int (*kev)(void *ctx, const char *cve, struct tg_kev_info *out,
		   bool *found, struct tg_err *err);
	int (*epss)(void *ctx, const char *cve, double *probability,
		    double *percentile, bool *found, struct tg_err *err);
};

struct tg_match_opts {
	enum tg_prefer_id prefer;
	/* Version schemes by ecosystem and range type; NULL = built in.
	 * Tests inject their own. */
	const struct tg_vscheme *(*scheme_for)(enum tg_ecosystem eco,
					       enum tg_osv_range_type type);
	/* Leave the fix suggestion on a pre-release only when the installed
	 * version is one (default false: pre-releases are not suggested to
	 * users of final releases). */
	bool allow_prerelease_fix;
	/* Leave tg_finding.details NULL, for reports that do not print it
	 * (the table, markdown): kilobytes of text per finding not copied. */
	bool skip_details;
};

/* Match one package (pkg is report->inventories[inv].pkgs[idx]) and
 * append its findings to report: one TG_FIND_VULNERABILITY (or
 * TG_FIND_MALICIOUS for MAL- records) per group of aliased advisories
 * affecting the version; one TG_FIND_UNPINNED when the package has no
 * exact version; one TG_FIND_UNKNOWN_VERSION when some advisories could
 * not be evaluated. */
int tg_match_package(const struct tg_vuln_source *src,
		     const struct tg_match_opts *opts, struct tg_report *report,
		     size_t inv, size_t idx, struct tg_err *err);

/* tg_match_package() for every package of every inventory in report,
 * then tg_report_sort_findings(). */
int tg_match_report(const struct tg_vuln_source *src,
		    const struct tg_match_opts *opts, struct tg_report *report,
		    struct tg_err *err);

/* ---- the database as a source ---- */

struct tg_db;

/* A source answering from an open database (db.h): advisories from the
 * affected table (one query per package), details only for advisories
 * that match, latest versions from the registry name list, KEV and EPSS
 * by CVE. The handle stays owned by the caller and must outlive *out;
 * like the handle, the source is for one thread. */
void tg_match_db_source(struct tg_db *db, struct tg_vuln_source *out);
/* Every advisory that names (eco, name) in the database, each with its
 * affected entries for that package (withdrawn ones marked), in id
 * order. with_versions copies the explicit versions lists too, for
 * evaluating one advisory on its own (tg_advisory_affects); without them
 * the list carries the database's prebuilt index, which the matcher
 * (tg_match_*) uses instead. */
int tg_match_db_load(struct tg_db *db, enum tg_ecosystem eco, const char *name,
		     bool with_versions, struct tg_advisory_list *out,
		     struct tg_err *err);

/* Run fn(ctx) while one read snapshot of db is held, so that every query
 * fn makes sees the same database (an update swapping the file in midway
 * cannot mix two versions) and SQLite takes its lock once, not once per
 * query. Returns fn's result. */
int tg_match_db_snapshot(struct tg_db *db, int (*fn)(void *ctx), void *ctx,
			 struct tg_err *err);

/* Feed versions of the database for the report ("osv-pypi", "kev"...). */
int tg_match_db_feeds(struct tg_db *db, struct tg_report *report,
		      struct tg_err *err);

/* ---- priority (docs/priority.md) ---- */

/* Severity for a finding from its CVSS score, else the database's
 * qualitative severity, else unknown. */
enum tg_severity tg_priority_severity(double cvss, const char *db_severity);
/* The documented risk score: KEV (ransomware use above plain KEV) first,
 * then EPSS probability, then CVSS base score or the severity's stand-in. */
double tg_priority_score(const struct tg_finding *f);

#endif

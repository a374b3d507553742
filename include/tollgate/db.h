/* The local advisory database: read-only query API.
 *
 * Every offline answer (audit's matcher, vet's name checks, the proxy's
 * policy hook) comes from one SQLite file that `tollgate db update` builds
 * (see db_update.h and docs/database.md). This header is what other modules
 * use: no caller writes SQL.
 *
 * Handles. tg_db_open() returns a handle that owns one SQLite connection
 * and a cache of prepared statements. A handle is NOT thread-safe: use one
 * per thread (opening is cheap). tg_db_close() frees everything.
 *
 * Names. Lookups take an ecosystem and a package name and normalise the
 * name themselves: PEP 503 for PyPI ("Django_REST.framework" finds
 * "django-rest-framework"), exactly as published for npm ("jQuery" and
 * "jquery" are different packages). Passing an already-normalised name is
 * fine.
 *
 * Memory. Two patterns:
 *   - iterators (tg_db_each_*) call a callback with `const` views whose
 *     pointers are valid only during that call; copy what you keep;
 *   - getters fill a caller-owned struct that owns its strings; release it
 *     with the matching *_release() (safe on a zeroed or released struct).
 *
 * Errors. Functions return 0 or a TG_E* code and fill err. A database that
 * is missing, corrupt or from another schema version gives TG_EDB with a
 * message telling the user what to run. "Not found" is not an error: the
 * getters report it through a bool *found.
 */
#ifndef TOLLGATE_DB_H
#define TOLLGATE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/err.h"
#include "tollgate/package.h"

/* Schema version stored in PRAGMA user_version. A file with another value
 * is refused with "database is from an older/newer tollgate". */
#define TG_DB_SCHEMA_VERSION 2

struct tg_db;

/* ---- opening ---------------------------------------------------------- */

enum tg_db_open_flags {
	TG_DB_READONLY = 0,     /* the normal mode for every reader */
	TG_DB_READWRITE = 1 << 0 /* internal use by the updater and tests */
};

/* The database path to use: `explicit_path` when non-NULL and non-empty
 * (the CLI's --db), else $TOLLGATE_DB, else
 * ${XDG_CACHE_HOME:-$HOME/.cache}/tollgate/tollgate.db.
 * Returns a heap string (free()) or NULL with err set (no HOME). */
char *tg_db_resolve_path(const char *explicit_path, struct tg_err *err);

/* Open the database at path (resolved as above when path is NULL).
 * Errors (all TG_EDB, the message names the path and the command to run):
 *   missing file  "no database at PATH: run 'tollgate db update'"
 *   not SQLite / corrupt / not a tollgate database
 *   older schema  "database PATH is from an older tollgate (schema N): run
 *                  'tollgate db update'"
 *   newer schema  "... from a newer tollgate ..."
 * On success *out owns the connection; close it with tg_db_close(). */
int tg_db_open(const char *path, unsigned flags, struct tg_db **out,
	       struct tg_err *err);
void tg_db_close(struct tg_db *db);

/* The path the handle was opened with (owned by the handle). */
const char *tg_db_path(const struct tg_db *db);

/* ---- feeds ------------------------------------------------------------ */

/* Feed names as stored in the metadata table and used in messages:
 *   "osv-pypi", "osv-npm"        OSV advisories per ecosystem
 *   "kev"                        CISA Known Exploited Vulnerabilities
 *   "epss"                       FIRST EPSS scores
 *   "names-pypi", "names-npm"    registry name lists
 * tg_db_require_feed() also accepts the groups "osv", "names" (every
 * member must be present) and "osv-PyPI"/"names-PyPI" spellings. */
struct tg_db_feed {
	char *name;          /* "osv-pypi", ... */
	char *source;        /* URL or file path it was imported from */
	char *version;       /* KEV catalogVersion, EPSS model_version, or
			      * the HTTP ETag / Last-Modified / file mtime */
	char *etag;          /* HTTP ETag or NULL */
	char *last_modified; /* HTTP Last-Modified or NULL */
	char *fetched;       /* RFC 3339 UTC time of the import */
	int64_t fetched_epoch; /* same, seconds since 1970 */
	int64_t checked_epoch; /* last time the source confirmed it current
				* (an HTTP 304 updates this, not fetched) */
	char *feed_date;     /* the feed's own date (KEV dateReleased, EPSS
			      * score_date), or NULL */
	int64_t records;     /* rows imported */
	int64_t skipped;     /* records reported and skipped */
};

struct tg_db_feed_list {
	struct tg_db_feed *items;
	size_t n;
};

/* Every feed present in the database, sorted by name. Release with
 * tg_db_feed_list_release(). */
int tg_db_feeds(struct tg_db *db, struct tg_db_feed_list *out,
		struct tg_err *err);
void tg_db_feed_list_release(struct tg_db_feed_list *l);

/* Row counts for `db status` and reports. */
struct tg_db_stats {
	int64_t advisories;       /* all OSV advisories */
	int64_t advisories_pypi;  /* imported from the osv-pypi feed */
	int64_t advisories_npm;
	int64_t withdrawn;
	int64_t malicious;
	int64_t affected;         /* affected[] entries stored */
	int64_t alias_groups;
	int64_t kev;
	int64_t epss;
	int64_t names_pypi;
	int64_t names_npm;
	int64_t built_epoch;      /* when the file was built */
	int64_t file_bytes;
};

int tg_db_stats(struct tg_db *db, struct tg_db_stats *out, struct tg_err *err);

/* 0 when the feed (or every member of a group) has been imported.
 * Otherwise TG_EDB with a message naming the command that fills it:
 *   "no KEV data in PATH: run 'tollgate db update --only kev'".
 * Unknown feed names give TG_EUSAGE. */
int tg_db_require_feed(struct tg_db *db, const char *feed,
		       struct tg_err *err);

/* ---- advisories and affected packages -------------------------------- */

enum tg_db_range_type {
	TG_RANGE_ECOSYSTEM = 0, /* versions compared with the ecosystem's rules */
	TG_RANGE_SEMVER,        /* SemVer 2.0 precedence */
	TG_RANGE_GIT            /* commit hashes of `repo` */
};

enum tg_db_event_kind {
	TG_EVENT_INTRODUCED = 0,
	TG_EVENT_FIXED,
	TG_EVENT_LAST_AFFECTED,
	TG_EVENT_LIMIT
};

const char *tg_db_range_type_name(enum tg_db_range_type t); /* "SEMVER" */
const char *tg_db_event_kind_name(enum tg_db_event_kind k); /* "fixed" */

struct tg_db_event {
	enum tg_db_event_kind kind;
	const char *version; /* "0" for introduced-at-the-start */
};

/* Events are exactly in the order of the advisory file (OSV does not sort
 * them, and "introduced X" followed by "last_affected X" at the same
 * version must stay in that order). */
struct tg_db_range {
	enum tg_db_range_type type;
	const char *repo; /* GIT ranges only, else NULL */
	const struct tg_db_event *events;
	size_t n_events;
};

/* One affected[] entry of one advisory for the package looked up. */
struct tg_db_affected {
	const char *advisory_id;  /* "PYSEC-2021-1", "GHSA-...", "MAL-..." */
	int64_t group;            /* alias group number (see tg_db_alias_group) */
	bool withdrawn;           /* advisory has "withdrawn": skip it when matching */
	bool malicious;           /* MAL- id: the package itself is malware */
	const char *modified;     /* RFC 3339 */
	enum tg_ecosystem eco;
	const char *name;         /* package name as written in the advisory */
	const char *norm_name;    /* normalised (see "Names" above) */
	unsigned entry_index;     /* position of this entry in affected[] */
	const struct tg_db_range *ranges;
	size_t n_ranges;
	const char *const *versions; /* explicit affected versions, file order */
	size_t n_versions;
	/* affected[].database_specific / ecosystem_specific as compact JSON
	 * text, or NULL when absent. */
	const char *database_specific;
	const char *ecosystem_specific;
};

/* Return 0 to continue; any other value stops the iteration and is returned
 * by tg_db_each_affected (so use a value that is not a TG_E* code you also
 * expect, or keep your own flag in ctx). */
typedef int (*tg_db_affected_fn)(const struct tg_db_affected *a, void *ctx);

/* Call fn once per affected[] entry that names (eco, name), advisories in id
 * order, then entries in file order. An advisory lists a package more than
 * once when it has several affected[] entries for it: each comes separately
 * (a version is affected when ANY entry matches). Withdrawn advisories are
 * included with withdrawn = true. The hot path: statements are prepared
 * once per handle. */
int tg_db_each_affected(struct tg_db *db, enum tg_ecosystem eco,
			const char *name, tg_db_affected_fn fn, void *ctx,
			struct tg_err *err);

/* The same entries as one decoded record, for readers that look at them
 * more than once (the matcher): one lookup, entries in the same order,
 * plus an index of the versions lists. */
struct tg_db_pkg;

/* *out is NULL when no advisory names (eco, name). Free with
 * tg_db_pkg_free. */
int tg_db_pkg_get(struct tg_db *db, enum tg_ecosystem eco, const char *name,
		  struct tg_db_pkg **out, struct tg_err *err);
size_t tg_db_pkg_count(const struct tg_db_pkg *p);
/* The package's latest release from the name list (when the database
 * has one), or NULL. Valid until tg_db_pkg_free. */
const char *tg_db_pkg_latest(const struct tg_db_pkg *p);
/* Entry i (< count). Its strings, ranges and events stay valid until
 * tg_db_pkg_free; versions are filled only when with_versions (they then
 * stay valid until the next call for this record). */
int tg_db_pkg_entry(struct tg_db_pkg *p, size_t i, bool with_versions,
		    struct tg_db_affected *out, struct tg_err *err);
/* How many entries list canonical version key in their versions lists
 * (PEP 440 normal form for PyPI, as published for npm); *at receives an
 * opaque cursor for tg_db_pkg_listing_at. */
size_t tg_db_pkg_listing(const struct tg_db_pkg *p, const char *key,
			 const void **at);
/* The descriptive fields of entry i's advisory, stored in the record so
 * that a report needs no further query. Strings point into the record;
 * the arrays stay valid until the next call for this record. severity
 * holds n_severity (type, score) pairs, 2 strings each. */
struct tg_db_pkg_brief {
	const char *summary, *details, *published, *db_severity;
	const char *const *aliases;
	size_t n_aliases;
	const char *const *severity;
	size_t n_severity;
};
int tg_db_pkg_brief(struct tg_db_pkg *p, size_t i, struct tg_db_pkg_brief *out,
		    struct tg_err *err);
/* The k-th entry index of a listing (ascending). */
size_t tg_db_pkg_listing_at(const void *at, size_t k);
void tg_db_pkg_free(struct tg_db_pkg *p);

struct tg_db_severity {
	char *type;  /* "CVSS_V3", "CVSS_V4", "CVSS_V2", "Ubuntu", ... */
	char *score; /* the vector or score string as published */
};

struct tg_db_reference {
	char *type; /* "ADVISORY", "FIX", "WEB", ... */
	char *url;
};

struct tg_db_advisory {
	char *id;
	int64_t group;
	char *summary;     /* NULL when absent (many PYSEC entries) */
	char *details;     /* NULL when absent */
	char *published;   /* RFC 3339 or NULL */
	char *modified;    /* RFC 3339 */
	char *withdrawn;   /* RFC 3339 when withdrawn, else NULL */
	bool malicious;    /* MAL- id */
	char *feed;        /* "osv-pypi" / "osv-npm" */
	char **aliases;    /* this advisory's own aliases[], file order */
	size_t n_aliases;
	char **related;    /* related[] */
	size_t n_related;
	struct tg_db_severity *severity; /* severity[], file order */
	size_t n_severity;
	struct tg_db_reference *references;
	size_t n_references;
	/* database_specific.severity as written (GHSA: "LOW", "MODERATE",
	 * "HIGH", "CRITICAL"), or NULL. */
	char *db_severity;
	/* Whole top-level database_specific object as compact JSON, or NULL. */
	char *database_specific;
};

/* Fetch one advisory by id (exact, case-sensitive). *found = false and out
 * zeroed when there is none. Release with tg_db_advisory_release(). */
int tg_db_advisory_get(struct tg_db *db, const char *id,
		       struct tg_db_advisory *out, bool *found,
		       struct tg_err *err);
/* The same without the lists a caller does not need (related[] and
 * references[] stay empty unless asked for): a report needs neither for
 * every finding. */
#define TG_DB_ADV_RELATED 1u
#define TG_DB_ADV_REFS 2u
int tg_db_advisory_get_parts(struct tg_db *db, const char *id, unsigned parts,
			     struct tg_db_advisory *out, bool *found,
			     struct tg_err *err);
void tg_db_advisory_release(struct tg_db_advisory *a);

/* ---- aliases ---------------------------------------------------------- */

/* Alias groups are the transitive closure of "id lists X in aliases[]"
 * over every advisory of every ecosystem, computed at import time:
 * PYSEC-x ↔ GHSA-y ↔ CVE-z all get one group number, and any member finds
 * it. Group numbers are stable within one database file only. */
struct tg_db_alias_member {
	char *id;
	bool is_advisory; /* an advisory with this id is in the database */
};

struct tg_db_alias_group {
	int64_t group;    /* -1 when the id is unknown */
	struct tg_db_alias_member *members; /* sorted by id; includes the id */
	size_t n;
};

/* Look up the group of any id (advisory id or alias such as a CVE).
 * An unknown id gives *found = false and an empty group. */
int tg_db_alias_group(struct tg_db *db, const char *id,
		      struct tg_db_alias_group *out, bool *found,
		      struct tg_err *err);
void tg_db_alias_group_release(struct tg_db_alias_group *g);

/* ---- KEV and EPSS ----------------------------------------------------- */

struct tg_db_kev {
	char *cve;
	char *vendor_project;
	char *product;
	char *vulnerability_name;
	char *date_added;        /* YYYY-MM-DD */
	char *due_date;          /* YYYY-MM-DD */
	char *ransomware;        /* knownRansomwareCampaignUse: "Known"/"Unknown" */
	char *short_description;
	char *required_action;
	char *notes;             /* or NULL */
};

/* KEV entry for a CVE id (exact, e.g. "CVE-2021-44228"). */
int tg_db_kev_get(struct tg_db *db, const char *cve, struct tg_db_kev *out,
		  bool *found, struct tg_err *err);
void tg_db_kev_release(struct tg_db_kev *k);

struct tg_db_epss {
	double epss;        /* probability 0..1 */
	double percentile;  /* 0..1 */
	char model_version[32]; /* "v2025.03.14" */
	char score_date[40];    /* as in the file: "2025-03-14T00:00:00+0000" */
};

/* EPSS score for a CVE id. No heap memory: nothing to release. */
int tg_db_epss_get(struct tg_db *db, const char *cve, struct tg_db_epss *out,
		   bool *found, struct tg_err *err);

/* ---- registry names --------------------------------------------------- */

/* One registry name. rank and downloads are -1 when unknown (PyPI lists a
 * popularity rank for the most downloaded projects only, rank 1 = most
 * downloaded; npm lists monthly downloads). */
struct tg_db_name_view {
	enum tg_ecosystem eco;
	const char *name;            /* as published */
	const char *norm_name;
	const char *latest_version;  /* or NULL */
	const char *last_release;    /* "YYYY-MM" or NULL */
	int64_t rank;
	int64_t downloads;
};

struct tg_db_name {
	enum tg_ecosystem eco;
	char *name;
	char *norm_name;
	char *latest_version;
	char *last_release;
	int64_t rank;
	int64_t downloads;
};

/* Look up one name (normalised as described at the top). */
int tg_db_name_get(struct tg_db *db, enum tg_ecosystem eco, const char *name,
		   struct tg_db_name *out, bool *found, struct tg_err *err);
void tg_db_name_release(struct tg_db_name *n);

typedef int (*tg_db_name_fn)(const struct tg_db_name_view *n, void *ctx);

/* Stream every name of an ecosystem in normalised-name order (~886k for
 * PyPI in about a second). A non-zero return from fn stops and is returned. */
int tg_db_each_name(struct tg_db *db, enum tg_ecosystem eco, tg_db_name_fn fn,
		    void *ctx, struct tg_err *err);

/* Number of names for an ecosystem (0 when the list was not imported). */
int tg_db_name_count(struct tg_db *db, enum tg_ecosystem eco, int64_t *out,
		     struct tg_err *err);

#endif

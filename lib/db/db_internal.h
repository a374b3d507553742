/* Internals shared by the database reader, the importers and the updater.
 * Not a public header: other modules use include/tollgate/db.h. */
#ifndef TOLLGATE_DB_INTERNAL_H
#define TOLLGATE_DB_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "tollgate/db.h"
#include "tollgate/err.h"

/* PRAGMA application_id: "TGDB". Tells a tollgate database apart from any
 * other SQLite file at the same path. */
#define TG_DB_APPLICATION_ID 0x54474442

/* Statements cached in a reading handle, prepared on first use. */
enum tg_db_stmt {
	STMT_AFFECTED_BY_NAME,
	STMT_RANGES_OF,
	STMT_EVENTS_OF,
	STMT_ADVISORY,
	STMT_ADV_ALIASES,
	STMT_ADV_RELATED,
	STMT_ADV_SEVERITY,
	STMT_ADV_REFS,
	STMT_GROUP_OF,
	STMT_GROUP_MEMBERS,
	STMT_KEV,
	STMT_EPSS,
	STMT_EPSS_META,
	STMT_NAME,
	STMT_NAMES_ALL,
	STMT_NAME_COUNT,
	STMT_FEEDS,
	STMT_FEED_ONE,
	STMT_PKG_RECORD,
	STMT__COUNT
};

/* Scratch space reused by tg_db_each_affected so the hot path does not
 * allocate per call. */
struct tg_db_scratch {
	struct tg_db_range *ranges;
	size_t cap_ranges;
	struct tg_db_event *events;
	size_t cap_events;
	const char **versions;
	size_t cap_versions;
};

/* The ids of a small table (KEV: about 1,500 CVEs), read once so that the
 * many lookups of CVEs that are not in it (most of them) cost a binary
 * search instead of a query. Larger tables (EPSS: every CVE) are asked
 * directly. */
struct tg_db_idset {
	int state; /* 0 not read yet, 1 ids[] holds the table, 2 too large */
	char **ids; /* sorted (strcmp, the table's key order) */
	size_t n;
	/* Open-addressing hash of ids: index + 1, 0 = empty; cap a power of
	 * two above 2n. A lookup is then one hash and usually one strcmp. */
	uint32_t *slots;
	size_t cap;
};

struct tg_db {
	sqlite3 *sql;
	char *path;
	sqlite3_stmt *stmts[STMT__COUNT];
	struct tg_db_scratch scratch;
	struct tg_db_idset kev_ids, epss_ids;
	/* Package records are read through one incremental-BLOB handle,
	 * moved from row to row (straight into the caller's buffer, without
	 * SQLite assembling the overflow pages into a copy first). While it
	 * is open the handle keeps its read transaction: a reader sees one
	 * snapshot until tg_db_close (db update replaces the file rather
	 * than writing into it; the proxy reopens when the file changes). */
	sqlite3_blob *pkg_blob;
};

void tg_db_idset_release(struct tg_db_idset *s);

/* The whole schema, run once on a fresh file (see docs/database.md). */
extern const char tg_db_schema_sql[];
/* Indexes created after the bulk insert (faster than maintaining them). */
extern const char tg_db_index_sql[];

/* Fill err from the connection's last error: TG_EDB normally, TG_EIO for
 * disk full / I/O errors, with `what` as context. Returns the code. */
int tg_db_sql_error(sqlite3 *sql, const char *path, const char *what,
		    struct tg_err *err);

/* Run SQL with no result rows. */
int tg_db_exec(sqlite3 *sql, const char *path, const char *q,
	       struct tg_err *err);

/* Check user_version and application_id of an open connection; TG_EDB with
 * the user-facing message when they do not match. */
int tg_db_check_schema(sqlite3 *sql, const char *path, struct tg_err *err);

/* tg_db_each_affected from the affected/ranges/events tables (the
 * updater builds the per-package records with it). */
int tg_db_each_affected_tables(struct tg_db *db, enum tg_ecosystem eco,
			       const char *name, tg_db_affected_fn fn, void *ctx,
			       struct tg_err *err);

/* Fill pkg_index from the affected tables (after alias groups: records
 * carry the group numbers). */
int tg_db_build_pkg_index(sqlite3 *sql, const char *path, struct tg_err *err);

/* Normalise a package name for storage and lookup (PEP 503 for PyPI, as
 * published otherwise). Heap string or NULL on ENOMEM. */
char *tg_db_norm_name(enum tg_ecosystem eco, const char *name);

/* "PyPI" / "npm" column value for an ecosystem, NULL for others. */
const char *tg_db_eco_column(enum tg_ecosystem eco);

/* Range type / event kind from their OSV spelling. */
bool tg_db_range_type_parse(const char *s, enum tg_db_range_type *out);
bool tg_db_event_kind_parse(const char *s, enum tg_db_event_kind *out);

/* RFC 3339 UTC text for a Unix time into out (>= 21 bytes). */
void tg_db_format_time(int64_t t, char *out, size_t outsz);

#endif

/* Feed parsers used by the database importers, exposed for tests and fuzz
 * targets: one OSV advisory JSON -> record, EPSS CSV lines, registry name
 * list (TSV) lines, KEV catalog entries.
 *
 * They never touch the database and never print. Every count and length
 * read from the input is capped (the TG_OSV_MAX_* and TG_FEED_* limits);
 * going over a cap is TG_ELIMIT with a message naming the field.
 */
#ifndef TOLLGATE_DB_FEEDS_H
#define TOLLGATE_DB_FEEDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/db.h"
#include "tollgate/err.h"
#include "tollgate/package.h"

/* ---- OSV ------------------------------------------------------------- */

/* Caps for one advisory (documented in docs/database.md). An advisory over
 * a cap is reported and skipped; the rest of the feed is imported. */
#define TG_OSV_MAX_JSON_BYTES ((size_t)16 << 20) /* one zip entry, unpacked */
#define TG_OSV_MAX_ITEMS 200000 /* affected + ranges + events + versions +
				 * aliases + related + severity + references */
#define TG_OSV_MAX_ID_LEN 256   /* ids and aliases */

struct tg_osv_event {
	enum tg_db_event_kind kind;
	const char *version;
};

struct tg_osv_range {
	enum tg_db_range_type type;
	const char *repo; /* or NULL */
	struct tg_osv_event *events;
	size_t n_events;
};

/* An affected[] entry for a supported ecosystem (PyPI, npm). Entries of
 * other ecosystems ("Debian:12", "Go", ...) are counted in
 * n_affected_other and not kept. */
struct tg_osv_affected {
	unsigned index;        /* position in affected[] */
	enum tg_ecosystem eco;
	const char *name;      /* as written */
	char *norm_name;       /* owned */
	const char *purl;      /* or NULL */
	struct tg_osv_range *ranges;
	size_t n_ranges;
	const char **versions;
	size_t n_versions;
	char *database_specific;  /* compact JSON text, owned, or NULL */
	char *ecosystem_specific; /* same */
};

struct tg_osv_pair {
	const char *a; /* severity type / reference type (may be NULL) */
	const char *b; /* severity score / reference URL */
};

/* One parsed advisory. const char * fields point into `root` (the parsed
 * JSON, owned by the record); tg_osv_record_release() frees everything. */
struct tg_osv_record {
	json_t *root;
	const char *id;
	const char *modified;
	const char *published;
	const char *withdrawn;
	const char *summary;
	const char *details;
	bool malicious;           /* id starts with "MAL-" */
	const char **aliases;
	size_t n_aliases;
	const char **related;
	size_t n_related;
	struct tg_osv_pair *severity;   /* type, score */
	size_t n_severity;
	struct tg_osv_pair *references; /* type, url */
	size_t n_references;
	const char *db_severity;  /* database_specific.severity when a string */
	char *database_specific;  /* compact JSON text, owned, or NULL */
	struct tg_osv_affected *affected;
	size_t n_affected;
	size_t n_affected_other;
};

/* Parse one OSV JSON document. origin names the input in errors (the zip
 * entry name). Unknown fields are ignored; a known field with the wrong
 * type, a missing id or modified, an unknown range type or event, or a
 * cap exceeded is an error (TG_EPARSE / TG_EINVAL / TG_ELIMIT) and *out is
 * left released. */
int tg_osv_parse(const char *data, size_t len, const char *origin,
		 struct tg_osv_record *out, struct tg_err *err);
void tg_osv_record_release(struct tg_osv_record *r);

/* ---- EPSS ------------------------------------------------------------ */

/* Reads the EPSS CSV line by line:
 *   #model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000
 *   cve,epss,percentile
 *   CVE-1999-0001,0.0046,0.7385
 * The first line is optional (older files lack it); the header is not. */
#define TG_FEED_MAX_LINE 65536

struct tg_epss_reader {
	unsigned long line;    /* lines consumed */
	bool have_header;
	char model_version[32];
	char score_date[40];
	int col_cve, col_epss, col_pct, n_cols;
};

struct tg_epss_row {
	const char *cve; /* points into the line; NUL-terminated copy below */
	double epss;
	double percentile;
	char cve_buf[32];
};

void tg_epss_reader_init(struct tg_epss_reader *r);
/* Feed one line (without the newline; a trailing '\r' is ignored).
 * Returns 0 and sets *have_row when the line was a data row. Errors name
 * origin:line. */
int tg_epss_read_line(struct tg_epss_reader *r, const char *line, size_t len,
		      const char *origin, struct tg_epss_row *row,
		      bool *have_row, struct tg_err *err);

/* ---- registry name lists --------------------------------------------- */

/* PyPI  (pypi/projects.tsv.gz): name, latest_version, latest_release_month,
 *                               popularity_rank (blank for most)
 * npm   (npm/packages.tsv.gz):  name, latest_version, downloads_a_month
 * Both start with a header line naming those columns. */
struct tg_names_reader {
	enum tg_ecosystem eco;
	unsigned long line;
	bool have_header;
};

struct tg_names_row {
	const char *name;           /* into the caller's line copy */
	const char *latest_version; /* or NULL when blank */
	const char *last_release;   /* or NULL */
	int64_t rank;               /* -1 when blank */
	int64_t downloads;          /* -1 when blank */
};

void tg_names_reader_init(struct tg_names_reader *r, enum tg_ecosystem eco);
/* `line` is modified in place (tabs become NULs); row fields point into it. */
int tg_names_read_line(struct tg_names_reader *r, char *line, size_t len,
		       const char *origin, struct tg_names_row *row,
		       bool *have_row, struct tg_err *err);

/* One line of the PyPI simple index HTML (PEP 503), the default upstream
 * for PyPI names: `<a href="/simple/NAME/">NAME</a>`. Sets *name (into
 * line, modified in place) or leaves it NULL for other lines. */
void tg_simple_index_line(char *line, size_t len, const char **name);

#endif

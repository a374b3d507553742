/* Read-side queries of include/tollgate/db.h. Statements are prepared on
 * first use and kept in the handle: the matcher calls these per package. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"
#include "db/pkg_record.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

static const char *const stmt_sql[STMT__COUNT] = {
	[STMT_AFFECTED_BY_NAME] =
		"SELECT f.aff, a.id, IFNULL(g.grp, -1), a.withdrawn IS NOT NULL,"
		" a.malicious, a.modified, f.name, f.norm_name, f.seq,"
		" f.database_specific, f.ecosystem_specific, f.versions"
		" FROM affected f JOIN advisories a ON a.adv = f.adv"
		" LEFT JOIN alias_groups g ON g.id = a.id"
		" WHERE f.ecosystem = ?1 AND f.norm_name = ?2"
		" ORDER BY a.id, f.seq",
	[STMT_RANGES_OF] =
		"SELECT seq, type, repo FROM ranges WHERE aff = ?1 ORDER BY seq",
	[STMT_EVENTS_OF] =
		"SELECT range_seq, kind, version FROM events WHERE aff = ?1"
		" ORDER BY range_seq, seq",
	[STMT_ADVISORY] =
		"SELECT a.adv, a.id, IFNULL(g.grp, -1), a.summary, a.details,"
		" a.published, a.modified, a.withdrawn, a.malicious, a.feed,"
		" a.db_severity, a.database_specific"
		" FROM advisories a LEFT JOIN alias_groups g ON g.id = a.id"
		" WHERE a.id = ?1",
	[STMT_ADV_ALIASES] = "SELECT alias FROM aliases WHERE adv = ?1 ORDER BY seq",
	[STMT_ADV_RELATED] = "SELECT id FROM related WHERE adv = ?1 ORDER BY seq",
	[STMT_ADV_SEVERITY] =
		"SELECT type, score FROM severities WHERE adv = ?1 ORDER BY seq",
	[STMT_ADV_REFS] = "SELECT type, url FROM refs WHERE adv = ?1 ORDER BY seq",
	[STMT_GROUP_OF] = "SELECT grp FROM alias_groups WHERE id = ?1",
	[STMT_GROUP_MEMBERS] =
		"SELECT id, is_advisory FROM alias_groups WHERE grp = ?1 ORDER BY id",
	[STMT_KEV] =
		"SELECT cve, vendor_project, product, vulnerability_name, date_added,"
		" due_date, ransomware, short_description, required_action, notes"
		" FROM kev WHERE cve = ?1",
	[STMT_EPSS] = "SELECT epss, percentile FROM epss WHERE cve = ?1",
	[STMT_EPSS_META] = "SELECT version, feed_date FROM feeds WHERE name = 'epss'",
	[STMT_NAME] =
		"SELECT IFNULL(name, norm_name), norm_name, latest_version, last_release,"
		" rank, downloads FROM names WHERE ecosystem = ?1 AND norm_name = ?2",
	[STMT_NAMES_ALL] =
		"SELECT IFNULL(name, norm_name), norm_name, latest_version, last_release,"
		" rank, downloads FROM names WHERE ecosystem = ?1 ORDER BY norm_name",
	[STMT_NAME_COUNT] = "SELECT count(*) FROM names WHERE ecosystem = ?1",
	[STMT_FEEDS] =
		"SELECT name, source, version, etag, last_modified, fetched, feed_date,"
		" records, skipped, checked FROM feeds ORDER BY name",
	[STMT_FEED_ONE] = "SELECT records FROM feeds WHERE name = ?1",
	[STMT_PKG_RECORD] =
		"SELECT rowid FROM pkg_index WHERE ecosystem = ?1 AND norm_name = ?2",
};

/* Reset and clear bindings so a statement left mid-iteration (a callback
 * stopped early, an error) never holds a read transaction open. */
static sqlite3_stmt *get_stmt(struct tg_db *db, enum tg_db_stmt id,
			      struct tg_err *err)
{
	sqlite3_stmt *st = db->stmts[id];

	if (!st) {
		if (sqlite3_prepare_v3(db->sql, stmt_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			tg_db_sql_error(db->sql, db->path, "preparing a query", err);
			return NULL;
		}
		db->stmts[id] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Heap copy of a column, NULL for SQL NULL; *oom set on allocation failure. */
static char *col_dup(sqlite3_stmt *st, int i, bool *oom)
{
	const char *s = col_text(st, i);
	char *d;

	if (!s)
		return NULL;
	d = tg_strdup(s);
	if (!d)
		*oom = true;
	return d;
}

static int step_error(struct tg_db *db, sqlite3_stmt *st, struct tg_err *err)
{
	int rc = tg_db_sql_error(db->sql, db->path, "reading the database", err);
	sqlite3_reset(st);
	return rc;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem,
		struct tg_err *err)
{
	size_t ncap = *cap ? *cap : 16, bytes;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		if (!tg_size_mul(ncap, 2, &ncap))
			return tg_err_set(err, TG_ELIMIT, "too many rows");
	if (!tg_size_mul(ncap, elem, &bytes))
		return tg_err_set(err, TG_ELIMIT, "too many rows");
	np = realloc(*p, bytes);
	if (!np)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	*p = np;
	*cap = ncap;
	return 0;
}

/* ---- affected -------------------------------------------------------- */

/* Load ranges, events and versions of one affected row into the scratch
 * arrays. Strings point into a per-call string arena because SQLite's
 * column pointers die on the next step. */
struct arena {
	char *buf;
	size_t len, cap;
};

static int arena_add(struct arena *a, const char *s, size_t *off,
		     struct tg_err *err)
{
	size_t n = strlen(s) + 1, need;

	if (!tg_size_add(a->len, n, &need))
		return tg_err_set(err, TG_ELIMIT, "row too large");
	if (need > a->cap) {
		size_t ncap = a->cap ? a->cap : 4096;
		char *nb;
		while (ncap < need)
			if (!tg_size_mul(ncap, 2, &ncap))
				return tg_err_set(err, TG_ELIMIT, "row too large");
		nb = realloc(a->buf, ncap);
		if (!nb)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		a->buf = nb;
		a->cap = ncap;
	}
	memcpy(a->buf + a->len, s, n);
	*off = a->len;
	a->len = need;
	return 0;
}

struct loaded {
	size_t n_ranges, n_events, n_versions;
	/* Offsets into the arena, resolved to pointers once it stops moving. */
	size_t *range_repo_off;   /* (size_t)-1 = NULL */
	size_t *range_first_event;
	size_t *event_off;
	size_t *version_off;
	size_t cap_rr, cap_rf, cap_ev, cap_vo;
};

static int load_affected_children(struct tg_db *db, sqlite3_int64 aff,
				  const char *versions, struct arena *ar,
				  struct loaded *ld, struct tg_err *err)
{
	struct tg_db_scratch *sc = &db->scratch;
	sqlite3_stmt *st;
	int rc, s;

	ld->n_ranges = ld->n_events = ld->n_versions = 0;

	st = get_stmt(db, STMT_RANGES_OF, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, aff);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		size_t i = ld->n_ranges;
		const char *type = col_text(st, 1), *repo = col_text(st, 2);
		enum tg_db_range_type t = TG_RANGE_ECOSYSTEM;

		if ((rc = grow((void **)&sc->ranges, &sc->cap_ranges, i + 1,
			       sizeof(*sc->ranges), err)) ||
		    (rc = grow((void **)&ld->range_repo_off, &ld->cap_rr, i + 1,
			       sizeof(size_t), err)) ||
		    (rc = grow((void **)&ld->range_first_event, &ld->cap_rf, i + 2,
			       sizeof(size_t), err))) {
			sqlite3_reset(st);
			return rc;
		}
		if (type)
			tg_db_range_type_parse(type, &t);
		memset(&sc->ranges[i], 0, sizeof(sc->ranges[i]));
		sc->ranges[i].type = t;
		ld->range_repo_off[i] = (size_t)-1;
		if (repo && (rc = arena_add(ar, repo, &ld->range_repo_off[i], err))) {
			sqlite3_reset(st);
			return rc;
		}
		ld->n_ranges++;
	}
	if (s != SQLITE_DONE)
		return step_error(db, st, err);
	sqlite3_reset(st);

	if (ld->n_ranges) {
		size_t cur_range = 0;

		st = get_stmt(db, STMT_EVENTS_OF, err);
		if (!st)
			return err->code;
		sqlite3_bind_int64(st, 1, aff);
		ld->range_first_event[0] = 0;
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			sqlite3_int64 rseq = sqlite3_column_int64(st, 0);
			const char *kind = col_text(st, 1), *ver = col_text(st, 2);
			size_t i = ld->n_events;
			enum tg_db_event_kind k = TG_EVENT_INTRODUCED;

			/* range_seq is the 0-based position of the range. */
			while (cur_range < ld->n_ranges &&
			       (sqlite3_int64)cur_range < rseq) {
				cur_range++;
				ld->range_first_event[cur_range] = i;
			}
			if ((rc = grow((void **)&sc->events, &sc->cap_events, i + 1,
				       sizeof(*sc->events), err)) ||
			    (rc = grow((void **)&ld->event_off, &ld->cap_ev, i + 1,
				       sizeof(size_t), err))) {
				sqlite3_reset(st);
				return rc;
			}
			if (kind)
				tg_db_event_kind_parse(kind, &k);
			sc->events[i].kind = k;
			if ((rc = arena_add(ar, ver ? ver : "", &ld->event_off[i], err))) {
				sqlite3_reset(st);
				return rc;
			}
			ld->n_events++;
		}
		if (s != SQLITE_DONE)
			return step_error(db, st, err);
		sqlite3_reset(st);
		while (cur_range < ld->n_ranges) {
			cur_range++;
			ld->range_first_event[cur_range] = ld->n_events;
		}
	}

	/* Versions: one newline-joined text, split in a copy. */
	if (versions && *versions) {
		size_t off, start, i, len = strlen(versions);

		if ((rc = arena_add(ar, versions, &off, err)))
			return rc;
		start = off;
		for (i = 0; i <= len; i++) {
			char *p = ar->buf + off + i;
			size_t k = ld->n_versions;

			if (i < len && *p != '\n')
				continue;
			if ((rc = grow((void **)&sc->versions, &sc->cap_versions, k + 1,
				       sizeof(*sc->versions), err)) ||
			    (rc = grow((void **)&ld->version_off, &ld->cap_vo, k + 1,
				       sizeof(size_t), err)))
				return rc;
			*p = '\0';
			ld->version_off[k] = start;
			ld->n_versions++;
			start = off + i + 1;
		}
	}

	/* The arena no longer moves: turn offsets into pointers. */
	{
		size_t i;
		for (i = 0; i < ld->n_events; i++)
			sc->events[i].version = ar->buf + ld->event_off[i];
		for (i = 0; i < ld->n_ranges; i++) {
			sc->ranges[i].repo = ld->range_repo_off[i] == (size_t)-1
				? NULL : ar->buf + ld->range_repo_off[i];
			sc->ranges[i].events = sc->events + ld->range_first_event[i];
			sc->ranges[i].n_events = ld->range_first_event[i + 1] -
						 ld->range_first_event[i];
		}
		for (i = 0; i < ld->n_versions; i++)
			sc->versions[i] = ar->buf + ld->version_off[i];
	}
	return 0;
}

/* The outer query's rows are copied before the children are loaded, so
 * that the callback may itself query the handle (e.g. tg_db_advisory_get)
 * without disturbing this iteration. */
struct aff_row {
	sqlite3_int64 aff;
	int64_t group;
	bool withdrawn, malicious;
	unsigned seq;
	size_t id, modified, name, norm, dbs, ecs, vers; /* arena offsets, -1 = NULL */
};

/* Statement `id` with ?1 = the ecosystem's column value and ?2 = name
 * normalised, ready to step. *norm holds the bound name until the caller
 * is done stepping (free it then). NULL with *rc = 0 when the ecosystem
 * stores nothing, NULL with *rc set on error. */
static sqlite3_stmt *bind_name(struct tg_db *db, enum tg_db_stmt id,
			       enum tg_ecosystem eco, const char *name, char **norm,
			       int *rc, struct tg_err *err)
{
	const char *ecocol = tg_db_eco_column(eco);
	sqlite3_stmt *st;

	*norm = NULL;
	*rc = 0;
	if (!ecocol)
		return NULL;
	if (!(*norm = tg_db_norm_name(eco, name))) {
		*rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		return NULL;
	}
	if (!(st = get_stmt(db, id, err))) {
		free(*norm);
		*norm = NULL;
		*rc = err->code;
		return NULL;
	}
	sqlite3_bind_text(st, 1, ecocol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, *norm, -1, SQLITE_STATIC);
	return st;
}

int tg_db_each_affected_tables(struct tg_db *db, enum tg_ecosystem eco,
			       const char *name, tg_db_affected_fn fn, void *ctx,
			       struct tg_err *err)
{
	char *norm = NULL;
	struct arena rows_ar = { 0 }, child_ar = { 0 };
	struct aff_row *rows = NULL;
	size_t n_rows = 0, cap_rows = 0, i;
	struct loaded ld = { 0 };
	sqlite3_stmt *st;
	int rc = 0, s;

	/* No statement and no error: nothing is stored for the ecosystem. */
	if (!(st = bind_name(db, STMT_AFFECTED_BY_NAME, eco, name, &norm, &rc, err)))
		return rc;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		struct aff_row *r;
		size_t *offs[] = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
		int cols[] = { 1, 5, 6, 7, 9, 10, 11 };
		size_t k;

		if ((rc = grow((void **)&rows, &cap_rows, n_rows + 1, sizeof(*rows), err))) {
			sqlite3_reset(st);
			goto out;
		}
		r = &rows[n_rows];
		r->aff = sqlite3_column_int64(st, 0);
		r->group = sqlite3_column_int64(st, 2);
		r->withdrawn = sqlite3_column_int(st, 3) != 0;
		r->malicious = sqlite3_column_int(st, 4) != 0;
		r->seq = (unsigned)sqlite3_column_int(st, 8);
		offs[0] = &r->id; offs[1] = &r->modified; offs[2] = &r->name;
		offs[3] = &r->norm; offs[4] = &r->dbs; offs[5] = &r->ecs;
		offs[6] = &r->vers;
		for (k = 0; k < 7; k++) {
			const char *v = col_text(st, cols[k]);
			*offs[k] = (size_t)-1;
			if (v && (rc = arena_add(&rows_ar, v, offs[k], err))) {
				sqlite3_reset(st);
				goto out;
			}
		}
		n_rows++;
	}
	if (s != SQLITE_DONE) {
		rc = step_error(db, st, err);
		goto out;
	}
	sqlite3_reset(st);

#define AR(off) ((off) == (size_t)-1 ? NULL : rows_ar.buf + (off))
	for (i = 0; i < n_rows; i++) {
		struct aff_row *r = &rows[i];
		struct tg_db_affected a;

		child_ar.len = 0;
		rc = load_affected_children(db, r->aff, AR(r->vers), &child_ar, &ld, err);
		if (rc)
			goto out;
		memset(&a, 0, sizeof(a));
		a.advisory_id = AR(r->id);
		a.group = r->group;
		a.withdrawn = r->withdrawn;
		a.malicious = r->malicious;
		a.modified = AR(r->modified);
		a.eco = eco;
		a.name = AR(r->name);
		a.norm_name = AR(r->norm);
		a.entry_index = r->seq;
		a.ranges = db->scratch.ranges;
		a.n_ranges = ld.n_ranges;
		a.versions = db->scratch.versions;
		a.n_versions = ld.n_versions;
		a.database_specific = AR(r->dbs);
		a.ecosystem_specific = AR(r->ecs);
#undef AR
		rc = fn(&a, ctx);
		if (rc)
			goto out;
	}
out:
	free(norm);
	free(rows);
	free(rows_ar.buf);
	free(child_ar.buf);
	free(ld.range_repo_off);
	free(ld.range_first_event);
	free(ld.event_off);
	free(ld.version_off);
	return rc;
}

/* ---- per-package records ------------------------------------------ */

/* The record of pkg_index row rowid, into a new buffer (*out, *len). */
static int read_record(struct tg_db *db, sqlite3_int64 rowid, const char *origin,
		       void **out, size_t *len, struct tg_err *err)
{
	int s, n;
	void *buf;

	if (db->pkg_blob)
		s = sqlite3_blob_reopen(db->pkg_blob, rowid);
	else
		s = sqlite3_blob_open(db->sql, "main", "pkg_index", "record", rowid, 0,
				      &db->pkg_blob);
	if (s != SQLITE_OK) {
		/* A failed reopen leaves the handle unusable: start over next time. */
		sqlite3_blob_close(db->pkg_blob);
		db->pkg_blob = NULL;
		return tg_err_set(err, s == SQLITE_NOMEM ? TG_ENOMEM : TG_EDB,
				  "%s: cannot read the package record: %s (run 'tollgate db "
				  "update')", origin, sqlite3_errstr(s));
	}
	n = sqlite3_blob_bytes(db->pkg_blob);
	if (n < 0 || (size_t)n > TG_PKG_RECORD_MAX_BYTES)
		return tg_err_set(err, TG_ELIMIT, "%s: package record of %d bytes (limit %zu)",
				  origin, n, (size_t)TG_PKG_RECORD_MAX_BYTES);
	if (!(buf = malloc(n ? (size_t)n : 1)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (n && (s = sqlite3_blob_read(db->pkg_blob, buf, n, 0)) != SQLITE_OK) {
		free(buf);
		return tg_err_set(err, TG_EDB, "%s: cannot read the package record: %s",
				  origin, sqlite3_errstr(s));
	}
	*out = buf;
	*len = (size_t)n;
	return 0;
}

int tg_db_pkg_get(struct tg_db *db, enum tg_ecosystem eco, const char *name,
		  struct tg_db_pkg **out, struct tg_err *err)
{
	sqlite3_stmt *st;
	char *norm;
	int rc, s;

	*out = NULL;
	if (!(st = bind_name(db, STMT_PKG_RECORD, eco, name, &norm, &rc, err)))
		return rc;
	s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
		char origin[512];
		void *buf = NULL;
		size_t len = 0;

		sqlite3_reset(st);
		/* "PATH (ECO NAME)" for messages; by hand, once per package. */
		{
			const char *parts[] = { db->path, " (", tg_db_eco_column(eco), " ",
						norm, ")" };
			size_t k = 0, i;

			origin[0] = '\0';
			for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && k < sizeof(origin); i++)
				k += tg_strlcpy(origin + k, parts[i], sizeof(origin) - k);
		}
		if (!(rc = read_record(db, rowid, origin, &buf, &len, err)))
			rc = tg_pkg_record_decode_owned(buf, len, eco, origin, out, err);
	} else if (s != SQLITE_DONE) {
		rc = step_error(db, st, err);
	}
	sqlite3_reset(st);
	free(norm);
	return rc;
}

int tg_db_each_affected(struct tg_db *db, enum tg_ecosystem eco,
			const char *name, tg_db_affected_fn fn, void *ctx,
			struct tg_err *err)
{
	struct tg_db_pkg *p = NULL;
	size_t i;
	int rc;

	if ((rc = tg_db_pkg_get(db, eco, name, &p, err)))
		return rc;
	for (i = 0; i < tg_db_pkg_count(p) && !rc; i++) {
		struct tg_db_affected a;

		if (!(rc = tg_db_pkg_entry(p, i, true, &a, err)))
			rc = fn(&a, ctx);
	}
	tg_db_pkg_free(p);
	return rc;
}

/* ---- advisories ------------------------------------------------------ */

void tg_db_advisory_release(struct tg_db_advisory *a)
{
	size_t i;

	if (!a)
		return;
	free(a->id);
	free(a->summary);
	free(a->details);
	free(a->published);
	free(a->modified);
	free(a->withdrawn);
	free(a->feed);
	for (i = 0; i < a->n_aliases; i++)
		free(a->aliases[i]);
	free(a->aliases);
	for (i = 0; i < a->n_related; i++)
		free(a->related[i]);
	free(a->related);
	for (i = 0; i < a->n_severity; i++) {
		free(a->severity[i].type);
		free(a->severity[i].score);
	}
	free(a->severity);
	for (i = 0; i < a->n_references; i++) {
		free(a->references[i].type);
		free(a->references[i].url);
	}
	free(a->references);
	free(a->db_severity);
	free(a->database_specific);
	memset(a, 0, sizeof(*a));
}

static int load_strv(struct tg_db *db, enum tg_db_stmt id, sqlite3_int64 adv,
		     char ***out, size_t *n, struct tg_err *err)
{
	sqlite3_stmt *st = get_stmt(db, id, err);
	size_t cap = 0;
	int s, rc;
	bool oom = false;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, adv);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = grow((void **)out, &cap, *n + 1, sizeof(char *), err))) {
			sqlite3_reset(st);
			return rc;
		}
		(*out)[*n] = col_dup(st, 0, &oom);
		if (oom) {
			sqlite3_reset(st);
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
		(*n)++;
	}
	if (s != SQLITE_DONE)
		return step_error(db, st, err);
	sqlite3_reset(st);
	return 0;
}

/* Pairs of text columns (severity type/score, reference type/url). */
static int load_pairs(struct tg_db *db, enum tg_db_stmt id, sqlite3_int64 adv,
		      void **out, size_t *n, struct tg_err *err)
{
	sqlite3_stmt *st = get_stmt(db, id, err);
	char **arr = NULL; /* 2 per row */
	size_t cap = 0;
	int s, rc;
	bool oom = false;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, adv);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = grow((void **)&arr, &cap, 2 * (*n + 1), sizeof(char *), err))) {
			sqlite3_reset(st);
			*out = arr;
			return rc;
		}
		arr[2 * *n] = col_dup(st, 0, &oom);
		arr[2 * *n + 1] = col_dup(st, 1, &oom);
		(*n)++;
		if (oom) {
			sqlite3_reset(st);
			*out = arr;
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
	}
	*out = arr;
	if (s != SQLITE_DONE)
		return step_error(db, st, err);
	sqlite3_reset(st);
	return 0;
}

int tg_db_advisory_get(struct tg_db *db, const char *id,
		       struct tg_db_advisory *out, bool *found,
		       struct tg_err *err)
{
	return tg_db_advisory_get_parts(db, id, TG_DB_ADV_RELATED | TG_DB_ADV_REFS,
					out, found, err);
}

int tg_db_advisory_get_parts(struct tg_db *db, const char *id, unsigned parts,
			     struct tg_db_advisory *out, bool *found,
			     struct tg_err *err)
{
	sqlite3_stmt *st;
	sqlite3_int64 adv;
	bool oom = false;
	int s, rc = 0;
	void *pairs;

	memset(out, 0, sizeof(*out));
	*found = false;
	st = get_stmt(db, STMT_ADVISORY, err);
	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (s != SQLITE_ROW)
		return step_error(db, st, err);
	adv = sqlite3_column_int64(st, 0);
	out->id = col_dup(st, 1, &oom);
	out->group = sqlite3_column_int64(st, 2);
	out->summary = col_dup(st, 3, &oom);
	out->details = col_dup(st, 4, &oom);
	out->published = col_dup(st, 5, &oom);
	out->modified = col_dup(st, 6, &oom);
	out->withdrawn = col_dup(st, 7, &oom);
	out->malicious = sqlite3_column_int(st, 8) != 0;
	out->feed = col_dup(st, 9, &oom);
	out->db_severity = col_dup(st, 10, &oom);
	out->database_specific = col_dup(st, 11, &oom);
	sqlite3_reset(st);
	if (oom) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = load_strv(db, STMT_ADV_ALIASES, adv, &out->aliases, &out->n_aliases, err)) ||
	    ((parts & TG_DB_ADV_RELATED) &&
	     (rc = load_strv(db, STMT_ADV_RELATED, adv, &out->related, &out->n_related, err))))
		goto out;
	/* struct tg_db_severity and tg_db_reference are two char * each:
	 * the pair loader fills them directly. */
	pairs = NULL;
	rc = load_pairs(db, STMT_ADV_SEVERITY, adv, &pairs, &out->n_severity, err);
	out->severity = pairs;
	if (rc)
		goto out;
	if (parts & TG_DB_ADV_REFS) {
		pairs = NULL;
		rc = load_pairs(db, STMT_ADV_REFS, adv, &pairs, &out->n_references, err);
		out->references = pairs;
		if (rc)
			goto out;
	}
	*found = true;
out:
	if (rc)
		tg_db_advisory_release(out);
	return rc;
}

_Static_assert(sizeof(struct tg_db_severity) == 2 * sizeof(char *),
	       "severity is a pair of strings");
_Static_assert(sizeof(struct tg_db_reference) == 2 * sizeof(char *),
	       "reference is a pair of strings");

/* ---- alias groups ---------------------------------------------------- */

void tg_db_alias_group_release(struct tg_db_alias_group *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->n; i++)
		free(g->members[i].id);
	free(g->members);
	memset(g, 0, sizeof(*g));
	g->group = -1;
}

int tg_db_alias_group(struct tg_db *db, const char *id,
		      struct tg_db_alias_group *out, bool *found,
		      struct tg_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int s, rc = 0;
	bool oom = false;

	memset(out, 0, sizeof(*out));
	out->group = -1;
	*found = false;
	st = get_stmt(db, STMT_GROUP_OF, err);
	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (s != SQLITE_ROW)
		return step_error(db, st, err);
	out->group = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	st = get_stmt(db, STMT_GROUP_MEMBERS, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, out->group);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = grow((void **)&out->members, &cap, out->n + 1,
			       sizeof(*out->members), err)))
			break;
		out->members[out->n].id = col_dup(st, 0, &oom);
		out->members[out->n].is_advisory = sqlite3_column_int(st, 1) != 0;
		out->n++;
		if (oom) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			break;
		}
	}
	if (!rc && s != SQLITE_DONE)
		rc = tg_db_sql_error(db->sql, db->path, "reading the database", err);
	sqlite3_reset(st);
	if (rc) {
		tg_db_alias_group_release(out);
		return rc;
	}
	*found = true;
	return 0;
}

/* ---- KEV, EPSS ------------------------------------------------------- */

void tg_db_kev_release(struct tg_db_kev *k)
{
	if (!k)
		return;
	free(k->cve);
	free(k->vendor_project);
	free(k->product);
	free(k->vulnerability_name);
	free(k->date_added);
	free(k->due_date);
	free(k->ransomware);
	free(k->short_description);
	free(k->required_action);
	free(k->notes);
	memset(k, 0, sizeof(*k));
}

#define IDSET_MAX 100000

void tg_db_idset_release(struct tg_db_idset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(set->ids[i]);
	free(set->ids);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

static uint32_t id_hash(const char *s)
{
	return tg_str_hash(s, TG_STR_HASH_SEED);
}

static bool idset_index(struct tg_db_idset *set)
{
	size_t i, j;

	for (set->cap = 16; set->cap < 2 * set->n + 1; set->cap *= 2)
		;
	if (!(set->slots = calloc(set->cap, sizeof(*set->slots))))
		return false;
	for (i = 0; i < set->n; i++) {
		for (j = id_hash(set->ids[i]) & (set->cap - 1); set->slots[j];
		     j = (j + 1) & (set->cap - 1))
			;
		set->slots[j] = (uint32_t)i + 1;
	}
	return true;
}

static bool idset_has(const struct tg_db_idset *set, const char *id)
{
	size_t j;

	for (j = id_hash(id) & (set->cap - 1); set->slots[j]; j = (j + 1) & (set->cap - 1))
		if (strcmp(set->ids[set->slots[j] - 1], id) == 0)
			return true;
	return false;
}

static int idset_load(struct tg_db *db, struct tg_db_idset *set,
		      const char *count_sql, const char *ids_sql, struct tg_err *err)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;
	int s, rc = 0;

	if (sqlite3_prepare_v2(db->sql, count_sql, -1, &st, NULL) != SQLITE_OK)
		return tg_db_sql_error(db->sql, db->path, "preparing a query", err);
	if ((s = sqlite3_step(st)) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (s != SQLITE_ROW)
		return tg_db_sql_error(db->sql, db->path, "counting rows", err);
	if (n > IDSET_MAX) {
		set->state = 2;
		return 0;
	}
	set->ids = calloc(n ? (size_t)n : 1, sizeof(*set->ids));
	if (!set->ids)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(db->sql, ids_sql, -1, &st, NULL) != SQLITE_OK)
		return tg_db_sql_error(db->sql, db->path, "preparing a query", err);
	while ((s = sqlite3_step(st)) == SQLITE_ROW && set->n < (size_t)n) {
		const char *id = col_text(st, 0);

		if (!id)
			continue;
		if (!(set->ids[set->n] = tg_strdup(id))) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			break;
		}
		set->n++;
	}
	if (!rc && s != SQLITE_ROW && s != SQLITE_DONE)
		rc = tg_db_sql_error(db->sql, db->path, "reading ids", err);
	sqlite3_finalize(st);
	if (rc) {
		tg_db_idset_release(set);
		return rc;
	}
	if (!idset_index(set)) {
		tg_db_idset_release(set);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	set->state = 1;
	return 0;
}

/* *maybe = false only when id is certainly not in the table. */
static int idset_maybe(struct tg_db *db, struct tg_db_idset *set, const char *table,
		       const char *id, bool *maybe, struct tg_err *err)
{
	*maybe = true;
	if (set->state == 0) {
		char count_sql[96], ids_sql[96];
		int rc;

		snprintf(count_sql, sizeof(count_sql), "SELECT count(*) FROM %s", table);
		snprintf(ids_sql, sizeof(ids_sql), "SELECT cve FROM %s ORDER BY cve", table);
		if ((rc = idset_load(db, set, count_sql, ids_sql, err)))
			return rc;
	}
	if (set->state == 1)
		*maybe = idset_has(set, id);
	return 0;
}

int tg_db_kev_get(struct tg_db *db, const char *cve, struct tg_db_kev *out,
		  bool *found, struct tg_err *err)
{
	sqlite3_stmt *st;
	bool oom = false;
	int s;

	bool maybe;
	int rc;

	memset(out, 0, sizeof(*out));
	*found = false;
	if ((rc = idset_maybe(db, &db->kev_ids, "kev", cve, &maybe, err)) || !maybe)
		return rc;
	st = get_stmt(db, STMT_KEV, err);
	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (s != SQLITE_ROW)
		return step_error(db, st, err);
	out->cve = col_dup(st, 0, &oom);
	out->vendor_project = col_dup(st, 1, &oom);
	out->product = col_dup(st, 2, &oom);
	out->vulnerability_name = col_dup(st, 3, &oom);
	out->date_added = col_dup(st, 4, &oom);
	out->due_date = col_dup(st, 5, &oom);
	out->ransomware = col_dup(st, 6, &oom);
	out->short_description = col_dup(st, 7, &oom);
	out->required_action = col_dup(st, 8, &oom);
	out->notes = col_dup(st, 9, &oom);
	sqlite3_reset(st);
	if (oom) {
		tg_db_kev_release(out);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	*found = true;
	return 0;
}

int tg_db_epss_get(struct tg_db *db, const char *cve, struct tg_db_epss *out,
		   bool *found, struct tg_err *err)
{
	sqlite3_stmt *st;
	int s;

	bool maybe;
	int rc;

	memset(out, 0, sizeof(*out));
	*found = false;
	if ((rc = idset_maybe(db, &db->epss_ids, "epss", cve, &maybe, err)) || !maybe)
		return rc;
	st = get_stmt(db, STMT_EPSS, err);
	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (s != SQLITE_ROW)
		return step_error(db, st, err);
	out->epss = sqlite3_column_double(st, 0);
	out->percentile = sqlite3_column_double(st, 1);
	sqlite3_reset(st);

	st = get_stmt(db, STMT_EPSS_META, err);
	if (!st)
		return err->code;
	s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		const char *v = col_text(st, 0), *d = col_text(st, 1);
		tg_strlcpy(out->model_version, v ? v : "", sizeof(out->model_version));
		tg_strlcpy(out->score_date, d ? d : "", sizeof(out->score_date));
	} else if (s != SQLITE_DONE) {
		return step_error(db, st, err);
	}
	sqlite3_reset(st);
	*found = true;
	return 0;
}

/* ---- names ----------------------------------------------------------- */

void tg_db_name_release(struct tg_db_name *n)
{
	if (!n)
		return;
	free(n->name);
	free(n->norm_name);
	free(n->latest_version);
	free(n->last_release);
	memset(n, 0, sizeof(*n));
	n->rank = n->downloads = -1;
}

static int64_t col_int_or(sqlite3_stmt *st, int i, int64_t dflt)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL
		? dflt : sqlite3_column_int64(st, i);
}

int tg_db_name_get(struct tg_db *db, enum tg_ecosystem eco, const char *name,
		   struct tg_db_name *out, bool *found, struct tg_err *err)
{
	sqlite3_stmt *st;
	char *norm;
	bool oom = false;
	int s, rc;

	memset(out, 0, sizeof(*out));
	out->rank = out->downloads = -1;
	*found = false;
	if (!(st = bind_name(db, STMT_NAME, eco, name, &norm, &rc, err)))
		return rc;
	s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		out->eco = eco;
		out->name = col_dup(st, 0, &oom);
		out->norm_name = col_dup(st, 1, &oom);
		out->latest_version = col_dup(st, 2, &oom);
		out->last_release = col_dup(st, 3, &oom);
		out->rank = col_int_or(st, 4, -1);
		out->downloads = col_int_or(st, 5, -1);
		*found = !oom;
	}
	sqlite3_reset(st);
	free(norm);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return tg_db_sql_error(db->sql, db->path, "reading the database", err);
	if (oom) {
		tg_db_name_release(out);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	return 0;
}

int tg_db_each_name(struct tg_db *db, enum tg_ecosystem eco, tg_db_name_fn fn,
		    void *ctx, struct tg_err *err)
{
	const char *ecocol = tg_db_eco_column(eco);
	struct tg_db_name_view v;
	sqlite3_stmt *st;
	int s, rc = 0;

	if (!ecocol)
		return 0;
	/* A private statement: the callback may use the handle's cached ones. */
	if (sqlite3_prepare_v2(db->sql, stmt_sql[STMT_NAMES_ALL], -1, &st, NULL) != SQLITE_OK)
		return tg_db_sql_error(db->sql, db->path, "preparing a query", err);
	sqlite3_bind_text(st, 1, ecocol, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		v.eco = eco;
		v.name = col_text(st, 0);
		v.norm_name = col_text(st, 1);
		v.latest_version = col_text(st, 2);
		v.last_release = col_text(st, 3);
		v.rank = col_int_or(st, 4, -1);
		v.downloads = col_int_or(st, 5, -1);
		if (!v.name || !v.norm_name)
			continue;
		rc = fn(&v, ctx);
		if (rc)
			break;
	}
	if (!rc && s != SQLITE_DONE)
		rc = tg_db_sql_error(db->sql, db->path, "reading the database", err);
	sqlite3_finalize(st);
	return rc;
}

int tg_db_name_count(struct tg_db *db, enum tg_ecosystem eco, int64_t *out,
		     struct tg_err *err)
{
	const char *ecocol = tg_db_eco_column(eco);
	sqlite3_stmt *st;
	int s;

	*out = 0;
	if (!ecocol)
		return 0;
	st = get_stmt(db, STMT_NAME_COUNT, err);
	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, ecocol, -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s != SQLITE_ROW)
		return step_error(db, st, err);
	*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* ---- feeds ----------------------------------------------------------- */

void tg_db_feed_list_release(struct tg_db_feed_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		struct tg_db_feed *f = &l->items[i];
		free(f->name);
		free(f->source);
		free(f->version);
		free(f->etag);
		free(f->last_modified);
		free(f->fetched);
		free(f->feed_date);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int tg_db_feeds(struct tg_db *db, struct tg_db_feed_list *out,
		struct tg_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	bool oom = false;
	int s, rc = 0;

	memset(out, 0, sizeof(*out));
	st = get_stmt(db, STMT_FEEDS, err);
	if (!st)
		return err->code;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		struct tg_db_feed *f;
		char when[32];

		if ((rc = grow((void **)&out->items, &cap, out->n + 1,
			       sizeof(*out->items), err)))
			break;
		f = &out->items[out->n++];
		memset(f, 0, sizeof(*f));
		f->name = col_dup(st, 0, &oom);
		f->source = col_dup(st, 1, &oom);
		f->version = col_dup(st, 2, &oom);
		f->etag = col_dup(st, 3, &oom);
		f->last_modified = col_dup(st, 4, &oom);
		f->fetched_epoch = sqlite3_column_int64(st, 5);
		tg_db_format_time(f->fetched_epoch, when, sizeof(when));
		f->fetched = tg_strdup(when);
		if (!f->fetched)
			oom = true;
		f->feed_date = col_dup(st, 6, &oom);
		f->records = sqlite3_column_int64(st, 7);
		f->skipped = sqlite3_column_int64(st, 8);
		f->checked_epoch = sqlite3_column_int64(st, 9);
		if (oom) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			break;
		}
	}
	if (!rc && s != SQLITE_DONE)
		rc = tg_db_sql_error(db->sql, db->path, "reading the database", err);
	sqlite3_reset(st);
	if (rc)
		tg_db_feed_list_release(out);
	return rc;
}

int tg_db_stats(struct tg_db *db, struct tg_db_stats *out, struct tg_err *err)
{
	static const char q[] =
		"SELECT (SELECT count(*) FROM advisories),"
		" (SELECT count(*) FROM advisories WHERE feed = 'osv-pypi'),"
		" (SELECT count(*) FROM advisories WHERE feed = 'osv-npm'),"
		" (SELECT count(*) FROM advisories WHERE withdrawn IS NOT NULL),"
		" (SELECT count(*) FROM advisories WHERE malicious),"
		" (SELECT count(*) FROM affected),"
		" (SELECT count(DISTINCT grp) FROM alias_groups),"
		" (SELECT count(*) FROM kev),"
		" (SELECT count(*) FROM epss),"
		" (SELECT count(*) FROM names WHERE ecosystem = 'PyPI'),"
		" (SELECT count(*) FROM names WHERE ecosystem = 'npm'),"
		" (SELECT CAST(value AS INTEGER) FROM info WHERE key = 'built'),"
		" (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())";
	sqlite3_stmt *st = NULL;
	int64_t *f[] = { &out->advisories, &out->advisories_pypi, &out->advisories_npm,
			 &out->withdrawn, &out->malicious, &out->affected,
			 &out->alias_groups, &out->kev, &out->epss, &out->names_pypi,
			 &out->names_npm, &out->built_epoch, &out->file_bytes };
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db->sql, q, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		rc = tg_db_sql_error(db->sql, db->path, "reading the database", err);
	else
		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			*f[i] = sqlite3_column_int64(st, (int)i);
	sqlite3_finalize(st);
	return rc;
}

static const struct {
	const char *name;      /* as accepted by tg_db_require_feed */
	const char *members[3];
	const char *what;      /* for the message */
	const char *only;      /* --only value that fills it */
} feed_groups[] = {
	{ "osv", { "osv-pypi", "osv-npm", NULL }, "OSV advisory", "osv" },
	{ "osv-pypi", { "osv-pypi", NULL, NULL }, "OSV PyPI advisory", "osv" },
	{ "osv-PyPI", { "osv-pypi", NULL, NULL }, "OSV PyPI advisory", "osv" },
	{ "osv-npm", { "osv-npm", NULL, NULL }, "OSV npm advisory", "osv" },
	{ "kev", { "kev", NULL, NULL }, "KEV", "kev" },
	{ "epss", { "epss", NULL, NULL }, "EPSS", "epss" },
	{ "names", { "names-pypi", "names-npm", NULL }, "registry name", "names" },
	{ "names-pypi", { "names-pypi", NULL, NULL }, "PyPI name", "names" },
	{ "names-PyPI", { "names-pypi", NULL, NULL }, "PyPI name", "names" },
	{ "names-npm", { "names-npm", NULL, NULL }, "npm name", "names" },
};

int tg_db_require_feed(struct tg_db *db, const char *feed, struct tg_err *err)
{
	size_t i, m;

	for (i = 0; i < sizeof(feed_groups) / sizeof(feed_groups[0]); i++) {
		if (strcmp(feed, feed_groups[i].name) != 0)
			continue;
		for (m = 0; m < 3 && feed_groups[i].members[m]; m++) {
			sqlite3_stmt *st = get_stmt(db, STMT_FEED_ONE, err);
			int s;

			if (!st)
				return err->code;
			sqlite3_bind_text(st, 1, feed_groups[i].members[m], -1,
					  SQLITE_STATIC);
			s = sqlite3_step(st);
			sqlite3_reset(st);
			if (s == SQLITE_DONE)
				return tg_err_set(err, TG_EDB,
						  "no %s data in %s: run 'tollgate db update --only %s'",
						  feed_groups[i].what, db->path,
						  feed_groups[i].only);
			if (s != SQLITE_ROW)
				return tg_db_sql_error(db->sql, db->path,
						       "reading the database", err);
		}
		return 0;
	}
	return tg_err_set(err, TG_EUSAGE, "unknown feed '%s'", feed);
}

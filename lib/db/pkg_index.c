/* The updater's last import step: one pkg_index record per package name
 * that any advisory names, built from the affected/ranges/events tables
 * through the same reader audit used before the records existed. */
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"
#include "db/pkg_record.h"

struct build {
	struct tg_db *db;
	struct tg_pkg_encoder enc;
	struct tg_db_advisory adv; /* the current entry's advisory */
	bool have_adv;
	const char **strs;
	size_t cap_strs;
	struct tg_err *err;
	int rc;
};

/* The advisory's descriptive fields as a brief (borrowing b->adv). */
static int brief_of(struct build *b, struct tg_db_pkg_brief *br)
{
	const struct tg_db_advisory *a = &b->adv;
	size_t need = a->n_aliases + 2 * a->n_severity + 1, i;

	memset(br, 0, sizeof(*br));
	if (need > b->cap_strs) {
		const char **ns = realloc(b->strs, need * sizeof(*ns));

		if (!ns)
			return tg_err_set(b->err, TG_ENOMEM, "out of memory");
		b->strs = ns;
		b->cap_strs = need;
	}
	for (i = 0; i < a->n_aliases; i++)
		b->strs[i] = a->aliases[i];
	for (i = 0; i < a->n_severity; i++) {
		b->strs[a->n_aliases + 2 * i] = a->severity[i].type ? a->severity[i].type : "";
		b->strs[a->n_aliases + 2 * i + 1] = a->severity[i].score ? a->severity[i].score : "";
	}
	br->summary = a->summary;
	br->details = a->details;
	br->published = a->published;
	br->db_severity = a->db_severity;
	br->aliases = b->strs;
	br->n_aliases = a->n_aliases;
	br->severity = b->strs + a->n_aliases;
	br->n_severity = a->n_severity;
	return 0;
}

static int on_entry(const struct tg_db_affected *a, void *ctx)
{
	struct build *b = ctx;
	struct tg_db_pkg_brief br;
	bool found = false;

	/* Entries of one advisory come together: read it once. */
	if (!b->have_adv || strcmp(b->adv.id, a->advisory_id) != 0) {
		tg_db_advisory_release(&b->adv);
		b->have_adv = false;
		if ((b->rc = tg_db_advisory_get_parts(b->db, a->advisory_id, 0, &b->adv,
						      &found, b->err)))
			return 1;
		b->have_adv = found;
	}
	if (b->have_adv && (b->rc = brief_of(b, &br)))
		return 1;
	b->rc = tg_pkg_encoder_add(&b->enc, a, b->have_adv ? &br : NULL, b->err);
	return b->rc ? 1 : 0;
}

static int one_package(struct tg_db *db, sqlite3_stmt *ins, enum tg_ecosystem eco,
		       const char *ecocol, const char *norm, struct tg_buf *buf,
		       struct tg_err *err)
{
	struct build b = { .db = db, .err = err };
	int rc;

	{
		struct tg_db_name n;
		bool found = false;

		if ((rc = tg_db_name_get(db, eco, norm, &n, &found, err)))
			return rc;
		tg_buf_reset(buf);
		rc = tg_pkg_encoder_begin(&b.enc, eco, found ? n.latest_version : NULL, buf, err);
		if (found)
			tg_db_name_release(&n);
		if (rc)
			goto out;
	}
	rc = tg_db_each_affected_tables(db, eco, norm, on_entry, &b, err);
	if (b.rc)
		rc = b.rc;
	if (rc || (rc = tg_pkg_encoder_finish(&b.enc, err)))
		goto out;
	sqlite3_reset(ins);
	sqlite3_bind_text(ins, 1, ecocol, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, norm, -1, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 3, buf->data, (int)buf->len, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE)
		rc = tg_db_sql_error(db->sql, db->path, "writing a package record", err);
	sqlite3_reset(ins);
out:
	tg_pkg_encoder_release(&b.enc);
	tg_db_advisory_release(&b.adv);
	free(b.strs);
	return rc;
}

int tg_db_build_pkg_index(sqlite3 *sql, const char *path, struct tg_err *err)
{
	/* A reading handle over the writer's connection, for the reader's
	 * statements; it owns nothing but them and its scratch space. */
	struct tg_db db;
	sqlite3_stmt *names = NULL, *ins = NULL;
	struct tg_buf buf;
	size_t i;
	int rc = 0, s;

	memset(&db, 0, sizeof(db));
	db.sql = sql;
	db.path = (char *)path;
	tg_buf_init(&buf, (size_t)256 << 20);
	if (sqlite3_prepare_v2(sql, "SELECT DISTINCT ecosystem, norm_name FROM affected"
			       " ORDER BY ecosystem, norm_name", -1, &names, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sql, "INSERT INTO pkg_index VALUES(?1, ?2, ?3)", -1,
			       &ins, NULL) != SQLITE_OK) {
		rc = tg_db_sql_error(sql, path, "building the package index", err);
		goto out;
	}
	while ((s = sqlite3_step(names)) == SQLITE_ROW) {
		const char *ecocol = (const char *)sqlite3_column_text(names, 0);
		const char *norm = (const char *)sqlite3_column_text(names, 1);
		enum tg_ecosystem eco;

		if (!ecocol || !norm)
			continue;
		if (strcmp(ecocol, tg_db_eco_column(TG_ECO_PYPI)) == 0)
			eco = TG_ECO_PYPI;
		else if (strcmp(ecocol, tg_db_eco_column(TG_ECO_NPM)) == 0)
			eco = TG_ECO_NPM;
		else
			continue; /* matched by no reader */
		if ((rc = one_package(&db, ins, eco, ecocol, norm, &buf, err)))
			goto out;
	}
	if (s != SQLITE_DONE)
		rc = tg_db_sql_error(sql, path, "building the package index", err);
out:
	sqlite3_finalize(names);
	sqlite3_finalize(ins);
	for (i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(db.stmts[i]);
	free(db.scratch.ranges);
	free(db.scratch.events);
	free(db.scratch.versions);
	tg_buf_release(&buf);
	return rc;
}

/* OSV zip -> advisories, affected, ranges, events, versions, aliases.
 *
 * The zip is streamed entry by entry with libarchive (never unpacked to
 * disk, never held whole in memory): peak memory is one advisory. */
#define _POSIX_C_SOURCE 200809L
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db_import.h"
#include "tollgate/buf.h"
#include "tollgate/str.h"
#include "lazy/lazy.h"

static const char *const writer_sql[W__COUNT] = {
	[W_ADVISORY] =
		"INSERT OR IGNORE INTO advisories(id, feed, modified, published,"
		" withdrawn, summary, details, malicious, db_severity,"
		" database_specific) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
	[W_ALIAS] = "INSERT INTO aliases(adv, seq, alias) VALUES(?1,?2,?3)",
	[W_RELATED] = "INSERT INTO related(adv, seq, id) VALUES(?1,?2,?3)",
	[W_SEVERITY] = "INSERT INTO severities(adv, seq, type, score) VALUES(?1,?2,?3,?4)",
	[W_REF] = "INSERT INTO refs(adv, seq, type, url) VALUES(?1,?2,?3,?4)",
	[W_AFFECTED] =
		"INSERT INTO affected(adv, seq, ecosystem, name, norm_name, purl,"
		" database_specific, ecosystem_specific, versions)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	[W_RANGE] = "INSERT INTO ranges(aff, seq, type, repo) VALUES(?1,?2,?3,?4)",
	[W_EVENT] =
		"INSERT INTO events(aff, range_seq, seq, kind, version) VALUES(?1,?2,?3,?4,?5)",
	[W_KEV] =
		"INSERT OR REPLACE INTO kev(cve, vendor_project, product,"
		" vulnerability_name, date_added, due_date, ransomware,"
		" short_description, required_action, notes, cwes)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	[W_EPSS] = "INSERT OR REPLACE INTO epss(cve, epss, percentile) VALUES(?1,?2,?3)",
	[W_NAME] =
		"INSERT OR IGNORE INTO names(ecosystem, norm_name, name, latest_version,"
		" last_release, rank, downloads) VALUES(?1,?2,?3,?4,?5,?6,?7)",
};

int tg_writer_init(struct tg_db_writer *w, sqlite3 *sql, const char *path,
		   const struct tg_db_update_hooks *hooks, struct tg_err *err)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	tg_buf_init(&w->scratch, TG_OSV_MAX_JSON_BYTES);
	w->sql = sql;
	w->path = path;
	w->hooks = hooks;
	for (i = 0; i < W__COUNT; i++) {
		if (sqlite3_prepare_v3(sql, writer_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
				       &w->st[i], NULL) != SQLITE_OK) {
			int rc = tg_db_sql_error(sql, path, "preparing the import", err);
			tg_writer_release(w);
			return rc;
		}
	}
	return 0;
}

void tg_writer_release(struct tg_db_writer *w)
{
	size_t i;

	for (i = 0; i < W__COUNT; i++)
		sqlite3_finalize(w->st[i]);
	tg_buf_release(&w->scratch);
	memset(w, 0, sizeof(*w));
}

void tg_import_notice(const struct tg_db_writer *w, const struct tg_err *e)
{
	if (w->hooks && w->hooks->notice)
		w->hooks->notice(w->hooks->ctx, e);
}

void tg_import_progress(const struct tg_db_writer *w, const char *label,
			uint64_t done, uint64_t total)
{
	if (w->hooks && w->hooks->progress)
		w->hooks->progress(w->hooks->ctx, label, done, total);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Step an INSERT and reset it; SQLITE_DONE is success. */
static int run(struct tg_db_writer *w, sqlite3_stmt *st, struct tg_err *err)
{
	int s = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (s != SQLITE_DONE)
		return tg_db_sql_error(w->sql, w->path, "writing the new database", err);
	return 0;
}

static int insert_strv(struct tg_db_writer *w, enum tg_writer_stmt which,
		       sqlite3_int64 parent, const char *const *v, size_t n,
		       struct tg_err *err)
{
	sqlite3_stmt *st = w->st[which];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, parent);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_text(st, 3, v[i], -1, SQLITE_STATIC);
		if ((rc = run(w, st, err)))
			return rc;
	}
	return 0;
}

static int insert_pairs(struct tg_db_writer *w, enum tg_writer_stmt which,
			sqlite3_int64 adv, const struct tg_osv_pair *p, size_t n,
			struct tg_err *err)
{
	sqlite3_stmt *st = w->st[which];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, adv);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind_opt(st, 3, p[i].a);
		sqlite3_bind_text(st, 4, p[i].b, -1, SQLITE_STATIC);
		if ((rc = run(w, st, err)))
			return rc;
	}
	return 0;
}

static int insert_affected(struct tg_db_writer *w, sqlite3_int64 adv,
			   const struct tg_osv_affected *a, struct tg_err *err)
{
	sqlite3_stmt *st = w->st[W_AFFECTED];
	sqlite3_int64 aff;
	size_t r, e;
	int rc;

	sqlite3_bind_int64(st, 1, adv);
	sqlite3_bind_int64(st, 2, a->index);
	sqlite3_bind_text(st, 3, tg_db_eco_column(a->eco), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->norm_name, -1, SQLITE_STATIC);
	bind_opt(st, 6, a->purl);
	bind_opt(st, 7, a->database_specific);
	bind_opt(st, 8, a->ecosystem_specific);
	if (a->n_versions) {
		tg_buf_reset(&w->scratch);
		for (r = 0; r < a->n_versions; r++) {
			if ((r && (rc = tg_buf_addc(&w->scratch, '\n', err))) ||
			    (rc = tg_buf_adds(&w->scratch, a->versions[r], err))) {
				sqlite3_reset(st);
				sqlite3_clear_bindings(st);
				return rc;
			}
		}
		sqlite3_bind_text(st, 9, w->scratch.data, (int)w->scratch.len, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, 9);
	}
	if ((rc = run(w, st, err)))
		return rc;
	aff = sqlite3_last_insert_rowid(w->sql);

	for (r = 0; r < a->n_ranges; r++) {
		const struct tg_osv_range *rg = &a->ranges[r];

		st = w->st[W_RANGE];
		sqlite3_bind_int64(st, 1, aff);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)r);
		sqlite3_bind_text(st, 3, tg_db_range_type_name(rg->type), -1, SQLITE_STATIC);
		bind_opt(st, 4, rg->repo);
		if ((rc = run(w, st, err)))
			return rc;
		st = w->st[W_EVENT];
		for (e = 0; e < rg->n_events; e++) {
			sqlite3_bind_int64(st, 1, aff);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)r);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)e);
			sqlite3_bind_text(st, 4, tg_db_event_kind_name(rg->events[e].kind),
					  -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, rg->events[e].version, -1, SQLITE_STATIC);
			if ((rc = run(w, st, err)))
				return rc;
		}
	}
	return 0;
}

int tg_import_osv_record(struct tg_db_writer *w, const struct tg_osv_record *r,
			 const char *feed, bool *inserted, struct tg_err *err)
{
	sqlite3_stmt *st = w->st[W_ADVISORY];
	sqlite3_int64 adv;
	size_t i;
	int rc;

	*inserted = false;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, feed, -1, SQLITE_STATIC);
	bind_opt(st, 3, r->modified);
	bind_opt(st, 4, r->published);
	bind_opt(st, 5, r->withdrawn);
	bind_opt(st, 6, r->summary);
	bind_opt(st, 7, r->details);
	sqlite3_bind_int(st, 8, r->malicious ? 1 : 0);
	bind_opt(st, 9, r->db_severity);
	bind_opt(st, 10, r->database_specific);
	if ((rc = run(w, st, err)))
		return rc;
	if (sqlite3_changes(w->sql) == 0)
		return 0; /* already stored from another ecosystem's zip */
	*inserted = true;
	adv = sqlite3_last_insert_rowid(w->sql);
	if ((rc = insert_strv(w, W_ALIAS, adv, r->aliases, r->n_aliases, err)) ||
	    (rc = insert_strv(w, W_RELATED, adv, r->related, r->n_related, err)) ||
	    (rc = insert_pairs(w, W_SEVERITY, adv, r->severity, r->n_severity, err)) ||
	    (rc = insert_pairs(w, W_REF, adv, r->references, r->n_references, err)))
		return rc;
	for (i = 0; i < r->n_affected; i++)
		if ((rc = insert_affected(w, adv, &r->affected[i], err)))
			return rc;
	return 0;
}

/* Read the current entry's data into b, up to the advisory cap. Returns
 * 0, TG_ELIMIT (entry skipped, archive still usable) or TG_EPARSE (the
 * archive itself is damaged). */
static int read_entry(struct archive *a, const char *origin, const char *name,
		      struct tg_buf *b, struct tg_err *err)
{
	char chunk[65536];

	tg_buf_reset(b);
	for (;;) {
		la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));
		struct tg_err e2;

		if (n == 0)
			return 0;
		if (n < 0) {
			if (n == ARCHIVE_WARN)
				continue;
			return tg_err_at(err, TG_EPARSE, origin, 0, 0,
					 "damaged or truncated zip at entry %s: %s", name,
					 archive_error_string(a) ? archive_error_string(a)
								 : "read error");
		}
		if (tg_buf_add(b, chunk, (size_t)n, &e2)) {
			if (e2.code != TG_ELIMIT)
				return tg_err_set(err, e2.code, "%s", e2.msg);
			if (archive_read_data_skip(a) != ARCHIVE_OK)
				return tg_err_at(err, TG_EPARSE, origin, 0, 0,
						 "damaged or truncated zip at entry %s: %s", name,
						 archive_error_string(a) ? archive_error_string(a)
									 : "read error");
			return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
					 "%s: advisory is larger than %zu bytes", name,
					 TG_OSV_MAX_JSON_BYTES);
		}
	}
}

int tg_import_osv_zip(struct tg_db_writer *w, const char *file,
		      const char *origin, const char *feed,
		      struct tg_feed_result *res, struct tg_import_meta *meta,
		      struct tg_err *err)
{
	struct archive *a = NULL;
	struct archive_entry *ent;
	struct tg_buf b;
	struct stat st;
	uint64_t total = 0, entries = 0;
	char label[64];
	int rc = 0, r;

	tg_buf_init(&b, TG_OSV_MAX_JSON_BYTES);
	snprintf(label, sizeof(label), "%s: importing", feed);
	if (stat(file, &st) == 0)
		total = (uint64_t)st.st_size;
	if ((rc = tg_lazy_require(TG_LAZY_ARCHIVE, "reading OSV zip files", err)))
		return rc;
	a = archive_read_new();
	if (!a)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, file, 65536) != ARCHIVE_OK) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0, "cannot read zip: %s",
			       archive_error_string(a) ? archive_error_string(a) : "unknown error");
		goto out;
	}
	tg_import_progress(w, label, 0, total);
	for (;;) {
		const char *name;
		struct tg_osv_record rec;
		struct tg_err e;
		bool inserted;

		r = archive_read_next_header(a, &ent);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = tg_err_at(err, TG_EPARSE, origin, 0, 0,
				       "damaged or truncated zip after %llu entries: %s",
				       (unsigned long long)entries,
				       archive_error_string(a) ? archive_error_string(a) : "read error");
			goto out;
		}
		entries++;
		name = archive_entry_pathname(ent);
		if (!name)
			name = "(unnamed entry)";
		if (archive_entry_filetype(ent) != AE_IFREG ||
		    !tg_str_ends_with(name, ".json"))
			continue;
		if (archive_entry_size_is_set(ent) &&
		    archive_entry_size(ent) > (la_int64_t)TG_OSV_MAX_JSON_BYTES) {
			tg_err_at(&e, TG_ELIMIT, origin, 0, 0,
				  "%s: advisory is %lld bytes, over the limit of %zu: skipped",
				  name, (long long)archive_entry_size(ent), TG_OSV_MAX_JSON_BYTES);
			tg_import_notice(w, &e);
			res->skipped++;
			continue;
		}
		rc = read_entry(a, origin, name, &b, &e);
		if (rc == TG_ELIMIT) {
			tg_err_prefix(&e, "skipped");
			tg_import_notice(w, &e);
			res->skipped++;
			rc = 0;
			continue;
		}
		if (rc) {
			*err = e;
			goto out;
		}
		if (tg_osv_parse(b.data, b.len, name, &rec, &e)) {
			/* Name the zip and the entry: "all.zip: X.json:3:1: ..." */
			char where[TG_ERR_PATH_MAX];
			struct tg_err shown;
			char msg[TG_ERR_MSG_MAX + TG_ERR_PATH_MAX];

			tg_err_format(&e, msg, sizeof(msg));
			snprintf(where, sizeof(where), "%s", origin);
			tg_err_at(&shown, e.code, where, 0, 0, "%s: skipped", msg);
			tg_import_notice(w, &shown);
			res->skipped++;
			continue;
		}
		rc = tg_import_osv_record(w, &rec, feed, &inserted, err);
		if (!rc) {
			res->records++;
			if (rec.withdrawn)
				res->withdrawn++;
			if (rec.malicious)
				res->malicious++;
			if (strcmp(rec.modified, meta->version) > 0)
				tg_strlcpy(meta->version, rec.modified, sizeof(meta->version));
		}
		tg_osv_record_release(&rec);
		if (rc)
			goto out;
		if ((entries & 63) == 0)
			tg_import_progress(w, label, (uint64_t)archive_filter_bytes(a, -1), total);
	}
	tg_import_progress(w, label, total, total);
out:
	archive_read_free(a);
	tg_buf_release(&b);
	return rc;
}

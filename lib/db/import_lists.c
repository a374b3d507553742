/* Line-oriented feeds: EPSS scores (CSV, gzip) and registry name lists
 * (TSV, gzip; or the PyPI simple index HTML). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_import.h"
#include "tollgate/pep503.h"
#include "tollgate/str.h"

/* Malformed rows are reported one by one up to this many per feed, then
 * counted: a damaged file should not flood the terminal. */
#define MAX_ROW_NOTICES 20

static void row_notice(struct tg_db_writer *w, struct tg_feed_result *res,
		       const struct tg_err *e)
{
	res->skipped++;
	if (res->skipped <= MAX_ROW_NOTICES) {
		struct tg_err shown = *e;
		tg_err_prefix(&shown, "skipped");
		tg_import_notice(w, &shown);
	}
}

static void rows_summary(struct tg_db_writer *w, const char *origin,
			 const struct tg_feed_result *res)
{
	if (res->skipped > MAX_ROW_NOTICES) {
		struct tg_err e;
		tg_err_at(&e, TG_EINVAL, origin, 0, 0,
			  "%lld malformed rows skipped in all",
			  (long long)res->skipped);
		tg_import_notice(w, &e);
	}
}

int tg_import_epss(struct tg_db_writer *w, const char *file, const char *origin,
		   struct tg_feed_result *res, struct tg_import_meta *meta,
		   struct tg_err *err)
{
	struct tg_gzlines *g = NULL;
	struct tg_epss_reader rd;
	sqlite3_stmt *st = w->st[W_EPSS];
	int rc;

	tg_epss_reader_init(&rd);
	if ((rc = tg_gzlines_open(file, origin, &g, err)))
		return rc;
	tg_import_progress(w, "epss: importing", 0, tg_gzlines_size(g));
	for (;;) {
		struct tg_epss_row row;
		struct tg_err e;
		char *line;
		size_t len;
		bool eof, have;

		if ((rc = tg_gzlines_next(g, &line, &len, &eof, err)))
			goto out;
		if (eof)
			break;
		if (tg_epss_read_line(&rd, line, len, origin, &row, &have, &e)) {
			if (!rd.have_header || e.code == TG_ELIMIT) {
				*err = e;
				rc = e.code;
				goto out;
			}
			row_notice(w, res, &e);
			continue;
		}
		if (!have)
			continue;
		sqlite3_bind_text(st, 1, row.cve, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 2, row.epss);
		sqlite3_bind_double(st, 3, row.percentile);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			rc = tg_db_sql_error(w->sql, w->path, "writing the new database", err);
			goto out;
		}
		rc = 0;
		res->records++;
		if ((res->records & 0x3fff) == 0)
			tg_import_progress(w, "epss: importing", tg_gzlines_offset(g),
					   tg_gzlines_size(g));
	}
	if (!rd.have_header) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0,
			       "not an EPSS file: no 'cve,epss,percentile' header");
		goto out;
	}
	tg_strlcpy(meta->version, rd.model_version, sizeof(meta->version));
	tg_strlcpy(meta->feed_date, rd.score_date, sizeof(meta->feed_date));
	rows_summary(w, origin, res);
	tg_import_progress(w, "epss: importing", tg_gzlines_size(g), tg_gzlines_size(g));
out:
	tg_gzlines_close(g);
	return rc;
}

static int insert_name(struct tg_db_writer *w, enum tg_ecosystem eco,
		       const struct tg_names_row *row, struct tg_feed_result *res,
		       struct tg_err *err)
{
	sqlite3_stmt *st = w->st[W_NAME];
	char normbuf[520];
	char *heap = NULL;
	const char *norm = row->name;
	size_t n = strlen(row->name);
	int s;

	if (eco == TG_ECO_PYPI) {
		if (n < sizeof(normbuf)) {
			tg_pep503_normalize(row->name, n, normbuf);
			norm = normbuf;
		} else {
			heap = tg_db_norm_name(eco, row->name);
			if (!heap)
				return tg_err_set(err, TG_ENOMEM, "out of memory");
			norm = heap;
		}
	}
	sqlite3_bind_text(st, 1, tg_db_eco_column(eco), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
	/* Most names are already in normal form: store them once. */
	if (strcmp(norm, row->name) != 0)
		sqlite3_bind_text(st, 3, row->name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	if (row->latest_version)
		sqlite3_bind_text(st, 4, row->latest_version, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	if (row->last_release)
		sqlite3_bind_text(st, 5, row->last_release, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 5);
	if (row->rank >= 0)
		sqlite3_bind_int64(st, 6, row->rank);
	else
		sqlite3_bind_null(st, 6);
	if (row->downloads >= 0)
		sqlite3_bind_int64(st, 7, row->downloads);
	else
		sqlite3_bind_null(st, 7);
	s = sqlite3_step(st);
	sqlite3_reset(st);
	free(heap);
	if (s != SQLITE_DONE)
		return tg_db_sql_error(w->sql, w->path, "writing the new database", err);
	/* A second spelling of an already listed name adds nothing. */
	if (sqlite3_changes(w->sql) > 0)
		res->records++;
	return 0;
}

int tg_import_names(struct tg_db_writer *w, const char *file,
		    const char *origin, enum tg_ecosystem eco, bool simple_index,
		    struct tg_feed_result *res, struct tg_import_meta *meta,
		    struct tg_err *err)
{
	struct tg_gzlines *g = NULL;
	struct tg_names_reader rd;
	char label[64];
	uint64_t lines = 0;
	int rc;

	(void)meta;
	snprintf(label, sizeof(label), "names-%s: importing",
		 eco == TG_ECO_PYPI ? "pypi" : "npm");
	tg_names_reader_init(&rd, eco);
	if ((rc = tg_gzlines_open(file, origin, &g, err)))
		return rc;
	tg_import_progress(w, label, 0, tg_gzlines_size(g));
	for (;;) {
		struct tg_names_row row;
		struct tg_err e;
		char *line;
		size_t len;
		bool eof, have = false;

		if ((rc = tg_gzlines_next(g, &line, &len, &eof, err)))
			goto out;
		if (eof)
			break;
		lines++;
		if (simple_index) {
			memset(&row, 0, sizeof(row));
			row.rank = row.downloads = -1;
			tg_simple_index_line(line, len, &row.name);
			have = row.name != NULL;
		} else if (tg_names_read_line(&rd, line, len, origin, &row, &have, &e)) {
			if (!rd.have_header || e.code == TG_ELIMIT) {
				*err = e;
				rc = e.code;
				goto out;
			}
			row_notice(w, res, &e);
			continue;
		}
		if (!have)
			continue;
		if ((rc = insert_name(w, eco, &row, res, err)))
			goto out;
		if ((lines & 0x3fff) == 0)
			tg_import_progress(w, label, tg_gzlines_offset(g), tg_gzlines_size(g));
	}
	if (!simple_index && !rd.have_header) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0, "empty name list");
		goto out;
	}
	rows_summary(w, origin, res);
	tg_import_progress(w, label, tg_gzlines_size(g), tg_gzlines_size(g));
out:
	tg_gzlines_close(g);
	return rc;
}

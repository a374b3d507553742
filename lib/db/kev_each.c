/* tg_db_each_kev: the whole KEV table, streamed (db_kev.h). */
#include "db_internal.h"
#include "tollgate/db_kev.h"

int tg_db_each_kev(struct tg_db *db, tg_db_kev_fn fn, void *ctx,
		   struct tg_err *err)
{
	static const char sql[] =
		"SELECT cve, vendor_project, product, vulnerability_name, date_added,"
		" due_date, ransomware, short_description, required_action"
		" FROM kev ORDER BY cve";
	sqlite3_stmt *st = NULL;
	int s, rc = 0;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return tg_db_sql_error(db->sql, db->path, "reading the KEV catalog", err);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		struct tg_db_kev_view v;

		v.cve = (const char *)sqlite3_column_text(st, 0);
		v.vendor_project = (const char *)sqlite3_column_text(st, 1);
		v.product = (const char *)sqlite3_column_text(st, 2);
		v.vulnerability_name = (const char *)sqlite3_column_text(st, 3);
		v.date_added = (const char *)sqlite3_column_text(st, 4);
		v.due_date = (const char *)sqlite3_column_text(st, 5);
		v.ransomware = (const char *)sqlite3_column_text(st, 6);
		v.short_description = (const char *)sqlite3_column_text(st, 7);
		v.required_action = (const char *)sqlite3_column_text(st, 8);
		if (!v.cve)
			continue;
		if ((rc = fn(&v, ctx)) != 0)
			break;
	}
	if (!rc && s != SQLITE_DONE)
		rc = tg_db_sql_error(db->sql, db->path, "reading the KEV catalog", err);
	sqlite3_finalize(st);
	return rc;
}

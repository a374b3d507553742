/* The KEV catalog as a whole: every entry of the database's kev table, for
 * checks that look entries up by product rather than by CVE (the Windows
 * application mapping, windows.h). Separate from db.h so that its users
 * need nothing else of the database.
 *
 * The view's strings are valid only during the callback (copy what you
 * keep); NULL fields were absent in the catalog. */
#ifndef TOLLGATE_DB_KEV_H
#define TOLLGATE_DB_KEV_H

#include "tollgate/db.h"

struct tg_db_kev_view {
	const char *cve;
	const char *vendor_project;
	const char *product;
	const char *vulnerability_name;
	const char *date_added;   /* YYYY-MM-DD */
	const char *due_date;     /* YYYY-MM-DD */
	const char *ransomware;   /* "Known" / "Unknown" */
	const char *short_description;
	const char *required_action;
};

/* Return 0 to continue; any other value stops and is returned. */
typedef int (*tg_db_kev_fn)(const struct tg_db_kev_view *k, void *ctx);

/* Every KEV entry in CVE order (about 1,400; one query). An absent KEV
 * feed simply yields nothing: check tg_db_require_feed(db, "kev") first
 * when that matters. */
int tg_db_each_kev(struct tg_db *db, tg_db_kev_fn fn, void *ctx,
		   struct tg_err *err);

#endif

/* Importers: feed file -> rows of the database being built. Internal to
 * lib/db (the updater drives them). */
#ifndef TOLLGATE_DB_IMPORT_H
#define TOLLGATE_DB_IMPORT_H

#include <sqlite3.h>

#include "db/db_internal.h"
#include "tollgate/buf.h"
#include "tollgate/db_feeds.h"
#include "tollgate/db_update.h"

enum tg_writer_stmt {
	W_ADVISORY,
	W_ALIAS,
	W_RELATED,
	W_SEVERITY,
	W_REF,
	W_AFFECTED,
	W_RANGE,
	W_EVENT,
	W_KEV,
	W_EPSS,
	W_NAME,
	W__COUNT
};

struct tg_db_writer {
	sqlite3 *sql;
	const char *path;      /* the file being built, for messages */
	sqlite3_stmt *st[W__COUNT];
	const struct tg_db_update_hooks *hooks;
	struct tg_buf scratch; /* joins version lists */
};

/* Metadata an importer learns from the feed itself. */
struct tg_import_meta {
	char version[128];   /* catalogVersion, model_version, newest modified */
	char feed_date[64];  /* dateReleased, score_date */
};

int tg_writer_init(struct tg_db_writer *w, sqlite3 *sql, const char *path,
		   const struct tg_db_update_hooks *hooks, struct tg_err *err);
void tg_writer_release(struct tg_db_writer *w);

/* Report a skipped record through the notice hook. */
void tg_import_notice(const struct tg_db_writer *w, const struct tg_err *e);
void tg_import_progress(const struct tg_db_writer *w, const char *label,
			uint64_t done, uint64_t total);

/* Insert one parsed advisory. *inserted is false when an advisory with the
 * same id is already stored (it appears in several ecosystem zips). */
int tg_import_osv_record(struct tg_db_writer *w, const struct tg_osv_record *r,
			 const char *feed, bool *inserted, struct tg_err *err);

/* The zip at `file` (named `origin` in messages). Malformed advisories are
 * reported and skipped; a damaged archive is an error. */
int tg_import_osv_zip(struct tg_db_writer *w, const char *file,
		      const char *origin, const char *feed,
		      struct tg_feed_result *res, struct tg_import_meta *meta,
		      struct tg_err *err);
int tg_import_kev(struct tg_db_writer *w, const char *file, const char *origin,
		  struct tg_feed_result *res, struct tg_import_meta *meta,
		  struct tg_err *err);
int tg_import_epss(struct tg_db_writer *w, const char *file, const char *origin,
		   struct tg_feed_result *res, struct tg_import_meta *meta,
		   struct tg_err *err);
/* A name list TSV (gzip) for eco; or, with simple_index, the PyPI simple
 * index HTML (uncompressed) which gives names only. */
int tg_import_names(struct tg_db_writer *w, const char *file,
		    const char *origin, enum tg_ecosystem eco, bool simple_index,
		    struct tg_feed_result *res, struct tg_import_meta *meta,
		    struct tg_err *err);

/* Union-find over advisory ids and their aliases -> alias_groups. Returns
 * the number of groups in *groups. */
int tg_build_alias_groups(sqlite3 *sql, const char *path, int64_t *groups,
			  struct tg_err *err);

/* Line reader over a gzip (or plain) file. */
struct tg_gzlines;
int tg_gzlines_open(const char *file, const char *origin,
		    struct tg_gzlines **out, struct tg_err *err);
/* *line is NUL-terminated, without the newline, valid until the next call;
 * *eof set at the end. Lines over TG_FEED_MAX_LINE are an error. */
int tg_gzlines_next(struct tg_gzlines *g, char **line, size_t *len,
		    bool *eof, struct tg_err *err);
uint64_t tg_gzlines_offset(struct tg_gzlines *g); /* compressed bytes read */
uint64_t tg_gzlines_size(struct tg_gzlines *g);   /* compressed file size */
void tg_gzlines_close(struct tg_gzlines *g);

#endif

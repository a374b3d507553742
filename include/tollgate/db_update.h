/* Building the database: `tollgate db update`.
 *
 * tg_db_update() fetches the feeds (from their upstream URLs, a mirror
 * directory, a file:// URL or an https:// mirror with the same layout),
 * imports them into a new SQLite file beside the old one, checks it and
 * renames it over the old one. Readers never see a half-built database; a
 * failed or killed update leaves the previous one as it was. A lock file
 * (PATH.lock, flock) keeps two updates apart. See docs/database.md.
 */
#ifndef TOLLGATE_DB_UPDATE_H
#define TOLLGATE_DB_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/err.h"

/* Feed groups selectable with --only. */
enum tg_feed_group {
	TG_FEEDS_OSV = 1 << 0,   /* osv-pypi, osv-npm */
	TG_FEEDS_KEV = 1 << 1,
	TG_FEEDS_EPSS = 1 << 2,
	TG_FEEDS_NAMES = 1 << 3, /* names-pypi, names-npm */
	TG_FEEDS_ALL = 0xf
};

/* Parse "osv,kev,epss,names" (any subset, comma separated). */
int tg_feed_groups_parse(const char *list, unsigned *out, struct tg_err *err);

/* The individual feeds, in import order. */
enum tg_feed_id {
	TG_FEED_OSV_PYPI,
	TG_FEED_OSV_NPM,
	TG_FEED_KEV,
	TG_FEED_EPSS,
	TG_FEED_NAMES_PYPI,
	TG_FEED_NAMES_NPM,
	TG_FEED__COUNT
};

const char *tg_feed_name(enum tg_feed_id f); /* "osv-pypi", ... */
/* Path of the feed in a mirror ("osv/PyPI/all.zip") and its default
 * upstream URL (NULL when there is none, e.g. npm names). */
const char *tg_feed_mirror_path(enum tg_feed_id f);
const char *tg_feed_upstream_url(enum tg_feed_id f);

enum tg_feed_outcome {
	TG_OUTCOME_NONE = 0,  /* not touched */
	TG_OUTCOME_IMPORTED,  /* downloaded/read and imported */
	TG_OUTCOME_UNCHANGED, /* upstream said 304 Not Modified: tables kept */
	TG_OUTCOME_KEPT,      /* not selected (--only): tables copied over */
	TG_OUTCOME_SKIPPED    /* not available from this source (see note) */
};

struct tg_feed_result {
	enum tg_feed_outcome outcome;
	int64_t records;      /* rows now in the database for this feed */
	int64_t skipped;      /* malformed records reported and skipped */
	int64_t withdrawn;    /* OSV: withdrawn advisories (kept, flagged) */
	int64_t malicious;    /* OSV: MAL- advisories */
	uint64_t bytes;       /* bytes downloaded (0 for files / 304) */
	char version[128];    /* feed version recorded */
	char note[256];       /* why it was skipped / kept, or "" */
};

struct tg_db_update_result {
	struct tg_feed_result feeds[TG_FEED__COUNT];
	char path[1024];       /* the database written */
	int64_t alias_groups;
	double seconds;
};

/* Callbacks (all optional). The library never prints: the CLI turns these
 * into a progress bar or plain lines. */
struct tg_db_update_hooks {
	/* A stage starts (done = 0), advances, or ends (done = total). total 0
	 * means unknown. label is e.g. "osv-pypi: importing". */
	void (*progress)(void *ctx, const char *label, uint64_t done,
			 uint64_t total);
	/* Something the user should see that does not stop the update: a
	 * skipped advisory (err names the zip entry and the reason), a feed
	 * missing from a mirror. */
	void (*notice)(void *ctx, const struct tg_err *what);
	void *ctx;
};

struct tg_db_update_opts {
	const char *db_path;  /* resolved path (tg_db_resolve_path) */
	/* NULL: the upstream feeds. Else a mirror with the data/feeds layout:
	 * a directory, file:///dir, https://host/dir, or http:// to a
	 * loopback address only (127.0.0.0/8, ::1, localhost: for tests). */
	const char *source;
	unsigned groups;      /* TG_FEEDS_*; 0 = all */
	long connect_timeout_s; /* 0 = 30 */
	long timeout_s;       /* whole transfer, 0 = 1800 */
	int retries;          /* transient failures, -1 = default (3) */
	unsigned retry_base_ms; /* first backoff, doubled each time; 0 = 1000 */
	struct tg_db_update_hooks hooks;
};

/* Run one update. Errors: TG_EDB another update holds the lock (the
 * message says so) or the new database failed its checks; TG_ENET
 * download failures; TG_EPARSE/TG_EINVAL a feed that cannot be read (KEV
 * not JSON, truncated zip); TG_EIO disk full or unwritable directory;
 * TG_EUSAGE a bad source. In every error case the previous database is
 * untouched. */
int tg_db_update(const struct tg_db_update_opts *opts,
		 struct tg_db_update_result *res, struct tg_err *err);

#endif

/* `db update`: fetch the feeds, build a new database beside the old one,
 * check it, swap it in atomically.
 *
 * Order of work, each step able to fail without touching the old file:
 *   1. take PATH.lock (flock), remove temp files of killed runs;
 *   2. fetch every selected feed (a mirror file is used in place; a URL is
 *      downloaded to PATH.dl-FEED-PID with If-None-Match/If-Modified-Since);
 *   3. create PATH.tmp-PID, copy the tables of the feeds that are kept
 *      (not selected, 304, or absent from the source) from the old file;
 *   4. import the fetched feeds, rebuild the alias groups, indexes;
 *   5. quick_check + record counts, fsync, rename over PATH, fsync dir.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db_import.h"
#include "tollgate/db_update.h"
#include "tollgate/fs.h"
#include "tollgate/http.h"
#include "tollgate/str.h"
#include "tollgate/version.h"

enum feed_kind { KIND_OSV, KIND_KEV, KIND_EPSS, KIND_NAMES };

static const struct feed_def {
	const char *name;
	const char *mirror_path;
	const char *upstream;
	unsigned group;
	enum feed_kind kind;
	enum tg_ecosystem eco;
	bool optional_in_mirror;
} feeds[TG_FEED__COUNT] = {
	[TG_FEED_OSV_PYPI] = { "osv-pypi", "osv/PyPI/all.zip",
		"https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
		TG_FEEDS_OSV, KIND_OSV, TG_ECO_PYPI, false },
	[TG_FEED_OSV_NPM] = { "osv-npm", "osv/npm/all.zip",
		"https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
		TG_FEEDS_OSV, KIND_OSV, TG_ECO_NPM, false },
	[TG_FEED_KEV] = { "kev", "kev/known_exploited_vulnerabilities.json",
		"https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
		TG_FEEDS_KEV, KIND_KEV, TG_ECO_UNKNOWN, false },
	[TG_FEED_EPSS] = { "epss", "epss/epss_scores-current.csv.gz",
		"https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",
		TG_FEEDS_EPSS, KIND_EPSS, TG_ECO_UNKNOWN, true },
	/* PyPI publishes no file of names with versions; its simple index
	 * (PEP 503 HTML, one anchor per project) gives the names alone. */
	[TG_FEED_NAMES_PYPI] = { "names-pypi", "pypi/projects.tsv.gz",
		"https://pypi.org/simple/",
		TG_FEEDS_NAMES, KIND_NAMES, TG_ECO_PYPI, false },
	/* npm has no list of all package names at all. */
	[TG_FEED_NAMES_NPM] = { "names-npm", "npm/packages.tsv.gz", NULL,
		TG_FEEDS_NAMES, KIND_NAMES, TG_ECO_NPM, false },
};

const char *tg_feed_name(enum tg_feed_id f)
{
	return (unsigned)f < TG_FEED__COUNT ? feeds[f].name : "unknown";
}

const char *tg_feed_mirror_path(enum tg_feed_id f)
{
	return (unsigned)f < TG_FEED__COUNT ? feeds[f].mirror_path : NULL;
}

const char *tg_feed_upstream_url(enum tg_feed_id f)
{
	return (unsigned)f < TG_FEED__COUNT ? feeds[f].upstream : NULL;
}

int tg_feed_groups_parse(const char *list, unsigned *out, struct tg_err *err)
{
	static const struct { const char *name; unsigned bit; } g[] = {
		{ "osv", TG_FEEDS_OSV }, { "kev", TG_FEEDS_KEV },
		{ "epss", TG_FEEDS_EPSS }, { "names", TG_FEEDS_NAMES },
	};
	const char *p = list;

	*out = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p), i;
		bool ok = false;

		for (i = 0; i < 4; i++)
			if (strlen(g[i].name) == n && strncmp(p, g[i].name, n) == 0) {
				*out |= g[i].bit;
				ok = true;
			}
		if (!ok)
			return tg_err_set(err, TG_EUSAGE,
					  "unknown feed '%.*s' (expected osv, kev, epss, names)",
					  (int)(n > 40 ? 40 : n), p);
		p += n;
		if (*p == ',')
			p++;
	}
	if (!*out)
		return tg_err_set(err, TG_EUSAGE, "--only needs at least one feed");
	return 0;
}

/* ---- the update run --------------------------------------------------- */

enum source_kind { SRC_UPSTREAM, SRC_DIR, SRC_URL };

struct plan {
	enum tg_feed_outcome outcome;
	char *file;        /* local file to import (mirror path or download) */
	bool file_is_temp;
	char *source;      /* what to record as the feed's source */
	char *etag, *last_modified;
	int64_t mtime;     /* file's modification time, for the version */
	bool simple_index; /* names-pypi from the PyPI simple index */
};

struct run {
	const struct tg_db_update_opts *o;
	struct tg_db_update_result *res;
	char *path, *dir, *base, *tmp, *lockpath;
	int lock_fd;
	enum source_kind src;
	char *src_root;    /* directory or base URL without trailing '/' */
	struct tg_db *old;
	struct tg_db_feed_list old_feeds;
	sqlite3 *sql;
	struct plan plan[TG_FEED__COUNT];
	int64_t now;
};

static void notice(struct run *r, enum tg_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void notice(struct run *r, enum tg_code code, const char *fmt, ...)
{
	struct tg_err e;
	va_list ap;

	if (!r->o->hooks.notice)
		return;
	tg_err_clear(&e);
	e.code = code;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	r->o->hooks.notice(r->o->hooks.ctx, &e);
}

static void progress(struct run *r, const char *label, uint64_t done,
		     uint64_t total)
{
	if (r->o->hooks.progress)
		r->o->hooks.progress(r->o->hooks.ctx, label, done, total);
}

static const struct tg_db_feed *old_feed(struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->old_feeds.n; i++)
		if (strcmp(r->old_feeds.items[i].name, name) == 0)
			return &r->old_feeds.items[i];
	return NULL;
}

static int take_lock(struct run *r, struct tg_err *err)
{
	r->lock_fd = open(r->lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (r->lock_fd < 0)
		return tg_err_at(err, TG_EDB, r->lockpath, 0, 0,
				 "cannot create the lock file: %s", strerror(errno));
	if (flock(r->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return tg_err_set(err, TG_EDB,
					  "another 'tollgate db update' is running for %s (lock %s is held): wait for it to finish",
					  r->path, r->lockpath);
		return tg_err_at(err, TG_EDB, r->lockpath, 0, 0,
				 "cannot lock: %s", strerror(errno));
	}
	return 0;
}

/* With the lock held no other update is alive: every temp file of ours in
 * the directory was left by a killed run. */
static void remove_stale(struct run *r)
{
	DIR *d = opendir(r->dir);
	struct dirent *de;
	char *p1 = tg_asprintf("%s.tmp-", r->base);
	char *p2 = tg_asprintf("%s.dl-", r->base);

	if (d && p1 && p2) {
		while ((de = readdir(d))) {
			if (tg_str_starts_with(de->d_name, p1) ||
			    tg_str_starts_with(de->d_name, p2)) {
				char *f = tg_path_join(r->dir, de->d_name);
				if (f && unlink(f) == 0)
					notice(r, TG_OK, "removed %s left by an interrupted update", f);
				free(f);
			}
		}
	}
	if (d)
		closedir(d);
	free(p1);
	free(p2);
}

static int classify_source(struct run *r, struct tg_err *err)
{
	const char *s = r->o->source;
	struct stat st;
	size_t n;

	if (!s || !*s) {
		r->src = SRC_UPSTREAM;
		return 0;
	}
	if (tg_ascii_ncasecmp(s, "file://", 7) == 0) {
		s += 7;
		if (tg_ascii_ncasecmp(s, "localhost/", 10) == 0)
			s += 9;
		if (*s != '/')
			return tg_err_set(err, TG_EUSAGE,
					  "--source %s: a file:// URL needs an absolute path (file:///dir)",
					  r->o->source);
	} else if (strstr(s, "://")) {
		if (tg_http_check_url(s, true, err))
			return err->code;
		r->src = SRC_URL;
		r->src_root = tg_strdup(s);
		if (!r->src_root)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		n = strlen(r->src_root);
		while (n > 0 && r->src_root[n - 1] == '/')
			r->src_root[--n] = '\0';
		return 0;
	}
	if (stat(s, &st) < 0 || !S_ISDIR(st.st_mode))
		return tg_err_set(err, TG_EUSAGE,
				  "--source %s: not a directory (expected a mirror laid out like data/feeds/)",
				  r->o->source);
	r->src = SRC_DIR;
	r->src_root = tg_strdup(s);
	if (!r->src_root)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	n = strlen(r->src_root);
	while (n > 1 && r->src_root[n - 1] == '/')
		r->src_root[--n] = '\0';
	return 0;
}

static void download_progress(void *ctx, uint64_t done, uint64_t total)
{
	void **pair = ctx;
	struct run *r = pair[0];
	const char *label = pair[1];

	progress(r, label, done, total);
}

static int fetch_url(struct run *r, enum tg_feed_id f, const char *url,
		     bool optional, struct tg_err *err)
{
	struct plan *p = &r->plan[f];
	struct tg_feed_result *fr = &r->res->feeds[f];
	const struct tg_db_feed *prev = old_feed(r, feeds[f].name);
	struct tg_http_request req = { 0 };
	struct tg_http_response resp;
	char label[64];
	void *pctx[2];
	int fd, rc;

	p->file = tg_asprintf("%s/%s.dl-%s-%ld", r->dir, r->base, feeds[f].name,
			      (long)getpid());
	p->source = tg_strdup(url);
	if (!p->file || !p->source)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	fd = open(p->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return tg_err_at(err, TG_EDB, p->file, 0, 0,
				 "cannot create the download file: %s", strerror(errno));
	p->file_is_temp = true;
	snprintf(label, sizeof(label), "%s: downloading", feeds[f].name);
	pctx[0] = r;
	pctx[1] = label;
	req.url = url;
	/* Conditional only against the same URL we fetched last time. */
	if (prev && prev->source && strcmp(prev->source, url) == 0) {
		req.etag = prev->etag;
		req.last_modified = prev->last_modified;
	}
	if (p->simple_index)
		req.accept = "text/html";
	req.connect_timeout_s = r->o->connect_timeout_s;
	req.timeout_s = r->o->timeout_s;
	req.retries = r->o->retries;
	req.retry_base_ms = r->o->retry_base_ms;
	req.allow_loopback_http = true; /* the URL was checked already */
	req.progress = download_progress;
	req.progress_ctx = pctx;
	progress(r, label, 0, 0);
	rc = tg_http_get_fd(&req, fd, &resp, err);
	if (!rc && fsync(fd) < 0 && errno != EINVAL)
		rc = tg_err_at(err, TG_EDB, p->file, 0, 0, "fsync: %s", strerror(errno));
	close(fd);
	if (rc) {
		if (optional && resp.status == 404) {
			p->outcome = TG_OUTCOME_SKIPPED;
			snprintf(fr->note, sizeof(fr->note), "not in the mirror (%s: HTTP 404)", url);
			tg_http_response_release(&resp);
			return 0;
		}
		tg_http_response_release(&resp);
		if (rc == TG_EIO) /* writing beside the database failed */
			err->code = TG_EDB;
		return rc == TG_EIO ? TG_EDB : rc;
	}
	progress(r, label, resp.bytes, resp.bytes);
	if (resp.not_modified) {
		p->outcome = TG_OUTCOME_UNCHANGED;
		snprintf(fr->note, sizeof(fr->note), "HTTP 304 Not Modified");
	} else {
		p->outcome = TG_OUTCOME_IMPORTED;
		fr->bytes = resp.bytes;
		p->etag = resp.etag;
		p->last_modified = resp.last_modified;
		resp.etag = resp.last_modified = NULL;
	}
	tg_http_response_release(&resp);
	return 0;
}

static int fetch(struct run *r, enum tg_feed_id f, struct tg_err *err)
{
	const struct feed_def *d = &feeds[f];
	struct plan *p = &r->plan[f];
	struct tg_feed_result *fr = &r->res->feeds[f];
	struct stat st;
	char *url;
	int rc;

	switch (r->src) {
	case SRC_DIR:
		p->file = tg_path_join(r->src_root, d->mirror_path);
		if (!p->file)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		if (stat(p->file, &st) < 0 || !S_ISREG(st.st_mode)) {
			if (d->optional_in_mirror && errno == ENOENT) {
				p->outcome = TG_OUTCOME_SKIPPED;
				snprintf(fr->note, sizeof(fr->note),
					 "not in the mirror (%s)", d->mirror_path);
				return 0;
			}
			return tg_err_at(err, TG_EIO, p->file, 0, 0,
					 "the mirror has no %s feed (%s)", d->name,
					 stat(p->file, &st) < 0 ? strerror(errno) : "not a file");
		}
		/* Record where the data came from in a form that stays
		 * meaningful from any working directory. */
		p->source = realpath(p->file, NULL);
		if (!p->source)
			p->source = tg_strdup(p->file);
		if (!p->source)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		p->mtime = (int64_t)st.st_mtime;
		p->outcome = TG_OUTCOME_IMPORTED;
		return 0;
	case SRC_URL:
		url = tg_asprintf("%s/%s", r->src_root, d->mirror_path);
		if (!url)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		rc = fetch_url(r, f, url, d->optional_in_mirror, err);
		free(url);
		return rc;
	case SRC_UPSTREAM:
		if (!d->upstream) {
			p->outcome = TG_OUTCOME_SKIPPED;
			snprintf(fr->note, sizeof(fr->note),
				 "npm publishes no list of all package names: import one with --source DIR (%s)",
				 d->mirror_path);
			return 0;
		}
		p->simple_index = f == TG_FEED_NAMES_PYPI;
		return fetch_url(r, f, d->upstream, false, err);
	}
	return tg_err_set(err, TG_EINTERNAL, "bad source kind");
}

/* ---- building the new file ------------------------------------------ */

static int exec_fmt(struct run *r, struct tg_err *err, const char *fmt, ...)
{
	va_list ap;
	char *q;
	int rc;

	va_start(ap, fmt);
	q = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!q)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	rc = tg_db_exec(r->sql, r->tmp, q, err);
	sqlite3_free(q);
	return rc;
}

/* Copy one feed's rows from the old database. Row ids are preserved, so
 * every kept feed is copied before any new row is inserted. */
static int copy_feed(struct run *r, enum tg_feed_id f, struct tg_err *err)
{
	const char *name = feeds[f].name;
	int rc = 0;

	switch (feeds[f].kind) {
	case KIND_OSV: {
		static const char *const by_adv[] = { "aliases", "related",
						      "severities", "refs", "affected" };
		static const char *const by_aff[] = { "ranges", "events" };
		size_t i;

		rc = exec_fmt(r, err,
			      "INSERT INTO main.advisories SELECT * FROM old.advisories WHERE feed = %Q",
			      name);
		for (i = 0; !rc && i < 5; i++)
			rc = exec_fmt(r, err,
				      "INSERT INTO main.%s SELECT * FROM old.%s WHERE adv IN"
				      " (SELECT adv FROM old.advisories WHERE feed = %Q)",
				      by_adv[i], by_adv[i], name);
		for (i = 0; !rc && i < 2; i++)
			rc = exec_fmt(r, err,
				      "INSERT INTO main.%s SELECT * FROM old.%s WHERE aff IN"
				      " (SELECT aff FROM old.affected WHERE adv IN"
				      " (SELECT adv FROM old.advisories WHERE feed = %Q))",
				      by_aff[i], by_aff[i], name);
		break;
	}
	case KIND_KEV:
		rc = exec_fmt(r, err, "INSERT INTO main.kev SELECT * FROM old.kev");
		break;
	case KIND_EPSS:
		rc = exec_fmt(r, err, "INSERT INTO main.epss SELECT * FROM old.epss");
		break;
	case KIND_NAMES:
		rc = exec_fmt(r, err,
			      "INSERT INTO main.names SELECT * FROM old.names WHERE ecosystem = %Q",
			      tg_db_eco_column(feeds[f].eco));
		break;
	}
	if (!rc)
		rc = exec_fmt(r, err,
			      "INSERT INTO main.feeds SELECT * FROM old.feeds WHERE name = %Q",
			      name);
	if (!rc && r->plan[f].outcome == TG_OUTCOME_UNCHANGED)
		rc = exec_fmt(r, err, "UPDATE main.feeds SET checked = %lld WHERE name = %Q",
			      (long long)r->now, name);
	return rc;
}

static int record_feed(struct run *r, enum tg_feed_id f,
		       const struct tg_import_meta *meta, struct tg_err *err)
{
	struct plan *p = &r->plan[f];
	struct tg_feed_result *fr = &r->res->feeds[f];
	sqlite3_stmt *st = NULL;
	char version[128];
	int s;

	if (meta->version[0])
		tg_strlcpy(version, meta->version, sizeof(version));
	else if (p->last_modified)
		tg_strlcpy(version, p->last_modified, sizeof(version));
	else if (p->etag)
		tg_strlcpy(version, p->etag, sizeof(version));
	else if (p->mtime)
		tg_db_format_time(p->mtime, version, sizeof(version));
	else
		version[0] = '\0';
	tg_strlcpy(fr->version, version, sizeof(fr->version));
	if (sqlite3_prepare_v2(r->sql,
			       "INSERT INTO feeds(name, source, version, etag, last_modified,"
			       " fetched, checked, feed_date, records, skipped)"
			       " VALUES(?1,?2,?3,?4,?5,?6,?6,?7,?8,?9)",
			       -1, &st, NULL) != SQLITE_OK)
		return tg_db_sql_error(r->sql, r->tmp, "writing the new database", err);
	sqlite3_bind_text(st, 1, feeds[f].name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->source ? p->source : "", -1, SQLITE_STATIC);
	if (version[0])
		sqlite3_bind_text(st, 3, version, -1, SQLITE_STATIC);
	if (p->etag)
		sqlite3_bind_text(st, 4, p->etag, -1, SQLITE_STATIC);
	if (p->last_modified)
		sqlite3_bind_text(st, 5, p->last_modified, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, r->now);
	if (meta->feed_date[0])
		sqlite3_bind_text(st, 7, meta->feed_date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, fr->records);
	sqlite3_bind_int64(st, 9, fr->skipped);
	s = sqlite3_step(st);
	sqlite3_finalize(st);
	if (s != SQLITE_DONE)
		return tg_db_sql_error(r->sql, r->tmp, "writing the new database", err);
	return 0;
}

static int import_feed(struct run *r, struct tg_db_writer *w, enum tg_feed_id f,
		       struct tg_err *err)
{
	const struct feed_def *d = &feeds[f];
	struct plan *p = &r->plan[f];
	struct tg_feed_result *fr = &r->res->feeds[f];
	struct tg_import_meta meta;
	/* Messages name the feed file as the user knows it. */
	const char *origin = r->src == SRC_DIR ? p->file : p->source;
	int rc = 0;

	memset(&meta, 0, sizeof(meta));
	switch (d->kind) {
	case KIND_OSV:
		rc = tg_import_osv_zip(w, p->file, origin, d->name, fr, &meta, err);
		break;
	case KIND_KEV:
		rc = tg_import_kev(w, p->file, origin, fr, &meta, err);
		break;
	case KIND_EPSS:
		rc = tg_import_epss(w, p->file, origin, fr, &meta, err);
		break;
	case KIND_NAMES:
		rc = tg_import_names(w, p->file, origin, d->eco, p->simple_index,
				     fr, &meta, err);
		break;
	}
	if (rc)
		return rc;
	/* A feed that yields nothing is broken, not empty: keep the old data. */
	if (fr->records == 0)
		return tg_err_at(err, TG_EINVAL, origin, 0, 0,
				 "the %s feed has no usable records%s: the database was not replaced",
				 d->name, fr->skipped ? " (all were malformed)" : "");
	return record_feed(r, f, &meta, err);
}

static int count_rows(sqlite3 *sql, const char *q, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int s;

	if (sqlite3_prepare_v2(sql, q, -1, &st, NULL) != SQLITE_OK)
		return -1;
	s = sqlite3_step(st);
	*out = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return s == SQLITE_ROW ? 0 : -1;
}

/* What kept feeds now hold, for the summary. */
static void count_kept(struct run *r, enum tg_feed_id f)
{
	struct tg_feed_result *fr = &r->res->feeds[f];
	char *q = sqlite3_mprintf("SELECT records FROM feeds WHERE name = %Q",
				  feeds[f].name);
	char *q2 = sqlite3_mprintf("SELECT version FROM feeds WHERE name = %Q",
				   feeds[f].name);
	sqlite3_stmt *st = NULL;

	if (q)
		count_rows(r->sql, q, &fr->records);
	if (q2 && sqlite3_prepare_v2(r->sql, q2, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		tg_strlcpy(fr->version, (const char *)sqlite3_column_text(st, 0),
			   sizeof(fr->version));
	sqlite3_finalize(st);
	sqlite3_free(q);
	sqlite3_free(q2);
}

static int check_new(struct run *r, struct tg_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *res;
	int rc = 0;

	if (sqlite3_prepare_v2(r->sql, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = tg_db_sql_error(r->sql, r->tmp, "checking the new database", err);
		goto out;
	}
	res = (const char *)sqlite3_column_text(st, 0);
	if (!res || strcmp(res, "ok") != 0)
		rc = tg_err_at(err, TG_EDB, r->tmp, 0, 0,
			       "the new database failed its integrity check (%s): the old one was kept",
			       res ? res : "?");
out:
	sqlite3_finalize(st);
	return rc;
}

static int fsync_path(const char *path, bool dir, struct tg_err *err)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return tg_err_at(err, TG_EDB, path, 0, 0, "cannot open for fsync: %s",
				 strerror(errno));
	if (fsync(fd) < 0 && !(dir && errno == EINVAL))
		rc = tg_err_at(err, TG_EDB, path, 0, 0, "fsync failed: %s",
			       strerror(errno));
	close(fd);
	return rc;
}

static int build(struct run *r, struct tg_err *err)
{
	struct tg_db_writer w;
	bool have_writer = false;
	bool attached = false;
	size_t f;
	int rc;

	unlink(r->tmp);
	if (sqlite3_open_v2(r->tmp, &r->sql,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		return tg_db_sql_error(r->sql, r->tmp, "creating the new database", err);
	sqlite3_extended_result_codes(r->sql, 1);
	/* A private file that is thrown away on failure: no journal, no
	 * syncs until the end. */
	if ((rc = tg_db_exec(r->sql, r->tmp,
			     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			     "PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY;"
			     "PRAGMA cache_size=-8192; PRAGMA foreign_keys=OFF;", err)) ||
	    (rc = tg_db_exec(r->sql, r->tmp, tg_db_schema_sql, err)))
		return rc;
	if ((rc = tg_db_exec(r->sql, r->tmp, "BEGIN", err)))
		return rc;

	/* Kept feeds first (their row ids are copied as they are). */
	if (r->old) {
		char *q = sqlite3_mprintf("ATTACH DATABASE %Q AS old", r->path);
		if (!q)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		rc = tg_db_exec(r->sql, r->tmp, q, err);
		sqlite3_free(q);
		if (rc)
			return rc;
		attached = true;
	}
	for (f = 0; f < TG_FEED__COUNT; f++) {
		struct plan *p = &r->plan[f];
		struct tg_feed_result *fr = &r->res->feeds[f];
		char label[64];

		if (p->outcome == TG_OUTCOME_IMPORTED)
			continue;
		if (!attached || !old_feed(r, feeds[f].name)) {
			if (p->outcome == TG_OUTCOME_UNCHANGED) /* cannot happen */
				p->outcome = TG_OUTCOME_NONE;
			continue;
		}
		snprintf(label, sizeof(label), "%s: keeping", feeds[f].name);
		progress(r, label, 0, 1);
		if ((rc = copy_feed(r, (enum tg_feed_id)f, err)))
			return rc;
		if (p->outcome == TG_OUTCOME_NONE)
			p->outcome = TG_OUTCOME_KEPT;
		else if (p->outcome == TG_OUTCOME_SKIPPED) {
			size_t n = strlen(fr->note);
			snprintf(fr->note + n, sizeof(fr->note) - n,
				 "; keeping the previous data");
		}
		count_kept(r, (enum tg_feed_id)f);
		progress(r, label, 1, 1);
	}

	if ((rc = tg_writer_init(&w, r->sql, r->tmp, &r->o->hooks, err)))
		return rc;
	have_writer = true;
	for (f = 0; f < TG_FEED__COUNT; f++) {
		if (r->plan[f].outcome != TG_OUTCOME_IMPORTED)
			continue;
		if ((rc = import_feed(r, &w, (enum tg_feed_id)f, err)))
			goto out;
		/* Downloads are not needed once imported: free the disk now. */
		if (r->plan[f].file_is_temp) {
			unlink(r->plan[f].file);
			r->plan[f].file_is_temp = false;
		}
	}
	tg_writer_release(&w);
	have_writer = false;

	progress(r, "finishing: alias groups", 0, 1);
	if ((rc = tg_build_alias_groups(r->sql, r->tmp, &r->res->alias_groups, err)))
		goto out;
	progress(r, "finishing: indexes", 0, 1);
	if ((rc = tg_db_exec(r->sql, r->tmp, tg_db_index_sql, err)))
		goto out;
	progress(r, "finishing: package index", 0, 1);
	if ((rc = tg_db_build_pkg_index(r->sql, r->tmp, err)))
		goto out;
	{
		char *q = sqlite3_mprintf(
			"INSERT INTO info VALUES('tollgate_version', %Q);"
			"INSERT INTO info VALUES('built', %lld);"
			"PRAGMA application_id=%d; PRAGMA user_version=%d;",
			TOLLGATE_VERSION, (long long)r->now, TG_DB_APPLICATION_ID,
			TG_DB_SCHEMA_VERSION);
		if (!q) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		rc = tg_db_exec(r->sql, r->tmp, q, err);
		sqlite3_free(q);
		if (rc)
			goto out;
	}
	if ((rc = tg_db_exec(r->sql, r->tmp, "COMMIT", err)))
		goto out;
	if (attached) {
		attached = false;
		if ((rc = tg_db_exec(r->sql, r->tmp, "DETACH DATABASE old", err)))
			goto out;
	}
	progress(r, "finishing: checking", 0, 1);
	if ((rc = check_new(r, err)))
		goto out;
	rc = tg_db_exec(r->sql, r->tmp, "PRAGMA journal_mode=DELETE", err);
out:
	if (have_writer)
		tg_writer_release(&w);
	return rc;
}

/* SQLite reports a failed write as a bare "disk I/O error" (errno is often
 * gone by then): look at the file size limit and the free space ourselves
 * so the user learns which it was. */
static void explain_write_failure(struct run *r, struct tg_err *err)
{
	int code = r->sql ? sqlite3_errcode(r->sql) & 0xff : 0;
	struct rlimit rl;
	struct statvfs vfs;
	struct stat st;
	char why[160] = "";

	if (code != SQLITE_IOERR && code != SQLITE_FULL)
		return;
	if (stat(r->tmp, &st) == 0 && getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY &&
	    (uint64_t)st.st_size + (1u << 20) >= (uint64_t)rl.rlim_cur)
		snprintf(why, sizeof(why), "the file size limit (ulimit -f) of %llu bytes was reached",
			 (unsigned long long)rl.rlim_cur);
	else if (statvfs(r->dir, &vfs) == 0 &&
		 (uint64_t)vfs.f_bavail * vfs.f_frsize < ((uint64_t)64 << 20))
		snprintf(why, sizeof(why), "the disk is full (%llu bytes free)",
			 (unsigned long long)vfs.f_bavail * vfs.f_frsize);
	if (why[0])
		tg_err_at(err, TG_EDB, r->tmp, 0, 0,
			  "writing the new database failed: disk full or file size limit reached: %s",
			  why);
}

static void release_run(struct run *r)
{
	size_t f;

	for (f = 0; f < TG_FEED__COUNT; f++) {
		struct plan *p = &r->plan[f];
		if (p->file_is_temp && p->file)
			unlink(p->file);
		free(p->file);
		free(p->source);
		free(p->etag);
		free(p->last_modified);
	}
	if (r->sql)
		sqlite3_close(r->sql);
	if (r->tmp)
		unlink(r->tmp);
	tg_db_feed_list_release(&r->old_feeds);
	tg_db_close(r->old);
	if (r->lock_fd >= 0)
		close(r->lock_fd); /* releases the flock */
	free(r->path);
	free(r->dir);
	free(r->base);
	free(r->tmp);
	free(r->lockpath);
	free(r->src_root);
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int tg_db_update(const struct tg_db_update_opts *opts,
		 struct tg_db_update_result *res, struct tg_err *err)
{
	struct run r;
	unsigned groups = opts->groups ? opts->groups : TG_FEEDS_ALL;
	double t0 = mono_now();
	struct stat st;
	size_t f;
	int rc;

	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	r.o = opts;
	r.res = res;
	r.lock_fd = -1;
	r.now = (int64_t)time(NULL);
	if (!opts->db_path || !*opts->db_path)
		return tg_err_set(err, TG_EUSAGE, "no database path");
	r.path = tg_strdup(opts->db_path);
	{
		char *c1 = tg_strdup(opts->db_path), *c2 = tg_strdup(opts->db_path);
		if (c1 && c2) {
			r.dir = tg_strdup(dirname(c1));
			r.base = tg_strdup(basename(c2));
		}
		free(c1);
		free(c2);
	}
	if (!r.path || !r.dir || !r.base) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	tg_strlcpy(res->path, r.path, sizeof(res->path));
	if (stat(r.path, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = tg_err_set(err, TG_EUSAGE, "--db %s is a directory", r.path);
		goto out;
	}
	if ((rc = classify_source(&r, err)))
		goto out;
	if ((rc = tg_mkdir_p(r.dir, err)))
		goto out;
	r.tmp = tg_asprintf("%s/%s.tmp-%ld", r.dir, r.base, (long)getpid());
	r.lockpath = tg_asprintf("%s.lock", r.path);
	if (!r.tmp || !r.lockpath) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = take_lock(&r, err)))
		goto out;
	remove_stale(&r);

	if (stat(r.path, &st) == 0) {
		struct tg_err oe;
		if (tg_db_open(r.path, TG_DB_READONLY, &r.old, &oe) ||
		    tg_db_feeds(r.old, &r.old_feeds, &oe)) {
			notice(&r, oe.code, "the existing database cannot be reused (%s): building a new one from scratch",
			       oe.msg);
			tg_db_close(r.old);
			r.old = NULL;
		}
	}

	for (f = 0; f < TG_FEED__COUNT; f++) {
		if (!(feeds[f].group & groups))
			continue;
		if ((rc = fetch(&r, (enum tg_feed_id)f, err)))
			goto out;
	}
	if ((rc = build(&r, err))) {
		explain_write_failure(&r, err);
		goto out;
	}
	sqlite3_close(r.sql);
	r.sql = NULL;
	if ((rc = fsync_path(r.tmp, false, err)))
		goto out;
	if (rename(r.tmp, r.path) < 0) {
		rc = tg_err_at(err, TG_EDB, r.path, 0, 0,
			       "cannot move the new database into place: %s", strerror(errno));
		goto out;
	}
	free(r.tmp);
	r.tmp = NULL;
	if ((rc = fsync_path(r.dir, true, err)))
		goto out;
	for (f = 0; f < TG_FEED__COUNT; f++)
		res->feeds[f].outcome = r.plan[f].outcome;
out:
	release_run(&r);
	res->seconds = mono_now() - t0;
	return rc;
}

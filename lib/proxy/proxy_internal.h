/* Shared internals of the proxy: upstream client, policy evaluation,
 * file cache, metrics and audit log. Not a public API. */
#ifndef TOLLGATE_PROXY_INTERNAL_H
#define TOLLGATE_PROXY_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "tollgate/buf.h"
#include "tollgate/db.h"
#include "tollgate/err.h"
#include "tollgate/proxy.h"
#include "tollgate/proxy_config.h"
#include "tollgate/simple_index.h"

/* ---- upstream client (upstream.c) ---- */

enum up_outcome {
	UP_OK = 0,        /* body (or not_modified) */
	UP_NOT_FOUND,     /* 404 / 410 / no such directory */
	UP_TRANSIENT,     /* worth retrying later: 503 + Retry-After */
	UP_FAILED         /* the upstream answered something unusable: 502 */
};

struct up_page {
	enum up_outcome outcome;
	long status;
	bool not_modified;
	bool is_json;
	struct tg_buf body;
	char *etag, *last_modified;
	char *base_url;       /* what relative links resolve against */
	char msg[256];        /* why, for logs and error bodies */
	double seconds;
};

void up_page_release(struct up_page *r);

/* One process-wide libcurl share (connections, DNS, TLS sessions). */
int up_global_init(struct tg_err *err);
void up_global_cleanup(void);

/* Fetch the project page (norm_name) or the project list (norm_name
 * NULL) of an upstream, conditionally when etag / last_modified given. */
void up_fetch_page(const struct tg_proxy_upstream_cfg *u, const char *norm_name,
		   const char *etag, const char *last_modified,
		   const atomic_bool *stop, struct up_page *out);

/* Stream url into fd, hashing with SHA-256 as it arrives. dir_root, when
 * not NULL, allows file:// URLs inside that directory (and only there);
 * https:// is always allowed, http:// only to loopback. max_bytes caps
 * the download. */
struct up_file {
	enum up_outcome outcome;
	long status;
	uint64_t bytes;
	unsigned char sha256[32];
	char msg[256];
	double seconds;
};
void up_fetch_file(const char *url, const char *dir_root, int fd,
		   uint64_t max_bytes, const atomic_bool *stop,
		   struct up_file *out);

/* mtime of a file:// URL inside dir_root, or -1. */
int64_t up_local_mtime(const char *url, const char *dir_root);

/* ---- time ---- */

/* ISO 8601 / RFC 3339 ("2023-01-02T03:04:05.678Z", offsets allowed) to
 * epoch seconds; false when malformed. */
bool proxy_parse_time(const char *s, int64_t *out);
void proxy_format_time(int64_t t, char *out, size_t outsz);

/* ---- policy (policy.c) ---- */

/* Why a file is not offered. */
struct file_block {
	bool blocked;
	const char *rule;   /* "deny", "allow", "vulnerable", "malicious",
			     * "cooldown", "no-hash", "bad-name" (static) */
	char *id;           /* advisory id, or NULL */
	char *message;      /* one sentence (heap) */
};

struct project_decision {
	int status;         /* 200, 403 (denied), 503 (cannot decide) */
	const char *rule;   /* for 403/503 */
	char *id;           /* advisory id for a project-wide block */
	char *message;
	struct file_block *files; /* one per page file (status 200) */
	size_t n_files;
	size_t n_blocked;
	int64_t next_change; /* epoch when a cooldown ends, or INT64_MAX */
};

void project_decision_release(struct project_decision *d);

/* Decide for every file of page under cfg's policy at time now. db may be
 * NULL (no database): that is a 503 decision, never a pass. file_time[i]
 * is the upload time of file i (epoch) or -1. */
int policy_evaluate(const struct tg_proxy_config *cfg, struct tg_db *db,
		    const char *norm_name, const struct tg_simple_project *page,
		    const int64_t *file_time, int64_t now,
		    struct project_decision *out, struct tg_err *err);

/* ---- metrics (metrics.c) ---- */

enum metric_route { MR_INDEX, MR_PROJECT, MR_FILE, MR_OTHER, MR__N };
enum metric_decision { MD_ALLOW, MD_DENY, MD_HIDE, MD_ERROR, MD__N };

#define METRIC_STATUS_N 16
#define METRIC_LAT_BUCKETS 12

struct proxy_metrics {
	atomic_ullong requests[MR__N][METRIC_STATUS_N];
	atomic_ullong decisions[MD__N];
	atomic_ullong page_hits, page_misses, file_hits, file_misses;
	atomic_ullong hash_mismatches;
	atomic_ullong up_lat_bucket[METRIC_LAT_BUCKETS + 1];
	atomic_ullong up_lat_count;
	atomic_ullong up_lat_sum_us;
	atomic_ullong up_errors;
	atomic_ullong bytes_served;
	atomic_ullong cache_bytes;
	atomic_ullong evictions;
	atomic_uint suspended;
	int64_t started;
};

void metrics_init(struct proxy_metrics *m);
void metrics_request(struct proxy_metrics *m, enum metric_route r, unsigned status);
void metrics_upstream(struct proxy_metrics *m, double seconds, bool ok);
int metrics_render(struct proxy_metrics *m, bool ready, struct tg_buf *out,
		   struct tg_err *err);

/* ---- audit log (audit.c) ---- */

struct audit_log;

struct audit_event {
	const char *client;
	const char *project;
	const char *version;
	const char *file;
	const char *decision;  /* "allow", "deny", "hide", "error" */
	const char *rule;
	const char *id;        /* advisory id */
	const char *upstream;
	const char *sha256;
	const char *message;
	int status;            /* HTTP status, 0 when none */
};

struct audit_log *audit_open(const char *path, const struct tg_proxy_hooks *hooks,
			     struct tg_err *err);
void audit_write(struct audit_log *a, const struct audit_event *ev);
void audit_close(struct audit_log *a);

/* ---- file cache (file_cache.c) ---- */

struct file_cache;

int file_cache_open(const char *dir, uint64_t max_bytes, struct proxy_metrics *m,
		    struct file_cache **out, struct tg_err *err);
void file_cache_close(struct file_cache *c);
/* Path of the cached object for a lowercase hex SHA-256 (heap). */
char *file_cache_path(struct file_cache *c, const char *hex);
/* Open a new temporary file in the cache; *path gets its name (heap). */
int file_cache_tmp(struct file_cache *c, char **path, struct tg_err *err);
/* Move a verified temporary file into place and account for it. */
int file_cache_commit(struct file_cache *c, const char *tmp, const char *hex,
		      uint64_t size, struct tg_err *err);
/* Note a use (for LRU eviction). */
void file_cache_touch(struct file_cache *c, const char *path);
void file_cache_set_max(struct file_cache *c, uint64_t max_bytes);
const char *file_cache_dir(const struct file_cache *c);

#endif

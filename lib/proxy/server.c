/* The proxy server: libmicrohttpd front, page views, worker pool.
 *
 * A "view" is everything needed to answer one project page: the upstream
 * page, the policy decision for each file, and the rendered HTML and JSON
 * as ready-made MHD responses. Views are immutable and reference counted;
 * HTTP threads only look them up and queue a response. When a view is
 * missing or stale (TTL over, policy reloaded, database replaced, a
 * cooldown ended) the connection is suspended and a worker builds a new
 * one; concurrent requests for the same project wait on the same job. */
#define _GNU_SOURCE
#include "proxy_internal.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/fs.h"
#include "tollgate/json.h"
#include "tollgate/pep440.h"
#include "tollgate/pep503.h"
#include "tollgate/proxy_request.h"
#include "tollgate/str.h"
#include "tollgate/vet.h"
#include "tollgate/vet_names.h"
#include "lazy/lazy.h"

#define BUCKETS 4096
#define MAX_VIEW_BYTES ((size_t)64 << 20)  /* rendered pages kept in memory */
#define MAX_SLOTS 20000                      /* projects remembered (incl. 404s) */
#define MAX_HEADERS 64
#define MAX_INDEX_NAMES 2000000

enum fmt_idx { FI_HTML = 0, FI_HTML_V1, FI_JSON, FI__N };

struct snapshot {
	atomic_uint refs;
	uint64_t gen;
	struct tg_proxy_config cfg;
	char *db_path;
	struct audit_log *audit;
};

struct upage {
	atomic_uint refs;
	char *norm;
	char *upstream;        /* name */
	char *dir_root;        /* local upstream's directory, or NULL */
	bool found;
	struct tg_simple_project proj;
	int64_t *ftime;
	char *etag, *last_modified;
	bool is_json;
	char *body;            /* raw upstream bytes (kept for the disk copy) */
	size_t body_len;
	atomic_llong fetched;  /* last time the upstream confirmed it */
	size_t mem;
};

struct view {
	atomic_uint refs;
	struct upage *page;
	uint64_t gen, dbgen;
	int64_t expires;
	int status;            /* 200, 403, 404, 502, 503 */
	bool transient;        /* 503 worth retrying */
	char *rule, *id, *message;
	struct project_decision dec;
	struct MHD_Response *resp[FI__N];
	char etag[48];
	size_t mem;
	bool is_index;
};

struct waiter {
	struct MHD_Connection *conn;
	struct waiter *next;
};

enum job_kind { JOB_PAGE, JOB_FILE, JOB_INDEX };

struct job {
	atomic_uint refs;
	enum job_kind kind;
	char norm[TG_PROXY_NAME_MAX + 1];
	char hex[65];          /* FILE: expected sha256 */
	struct snapshot *snap;
	/* FILE inputs */
	char *url;
	char *dir_root;
	char *upstream;
	char filename[TG_PROXY_FILE_MAX + 16];
	char version[TG_PEP440_MAX_LEN + 1];
	char client[64];
	int64_t declared_size;
	/* results */
	bool done;
	struct view *view;     /* PAGE / INDEX */
	int status;            /* FILE: 200 or error status */
	bool transient;
	char msg[400];
	char *path;            /* FILE: cached object */
	struct waiter *waiters;
	struct job *qnext;     /* work queue */
	struct job *fnext;     /* in-flight file jobs */
};

struct slot {
	char *norm;
	struct view *view;
	struct job *job;
	int64_t used;
	struct slot *next;
};

struct worker {
	struct tg_proxy *p;
	pthread_t th;
	struct tg_db *db;
	char *db_path;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
};

struct tg_proxy {
	struct MHD_Daemon *mhd;
	unsigned port;
	struct tg_proxy_hooks hooks;
	pthread_mutex_t snap_mu;
	struct snapshot *snap;
	uint64_t next_gen;

	pthread_mutex_t mu;    /* slots, jobs, queue */
	pthread_cond_t qcond;
	struct slot *buckets[BUCKETS];
	size_t n_slots;
	size_t view_bytes;
	struct view *index_view;
	struct job *index_job;
	struct job *file_jobs;
	struct job *qhead, *qtail;
	struct worker *workers;
	size_t n_workers;
	atomic_bool stop;

	atomic_ullong dbgen;
	atomic_bool db_present;
	dev_t db_dev;
	ino_t db_ino;
	struct timespec db_mtime;
	int64_t db_checked;

	/* Name-risk index (vet), built on first need from the database's
	 * name list and rebuilt when the database changes. */
	pthread_mutex_t names_mu;
	struct tg_vet_names *names;
	uint64_t names_dbgen;

	struct file_cache *files;
	char *pages_dir;
	struct proxy_metrics metrics;
};

struct req {
	struct snapshot *snap;
	struct job *job;
	struct tg_proxy_target t;
	enum tg_simple_format fmt;
	char client[64];
	enum metric_route mroute;
	unsigned status;
};

static void logf_(struct tg_proxy *p, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void logf_(struct tg_proxy *p, const char *level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!p->hooks.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->hooks.log(p->hooks.ctx, level, msg);
}

static int64_t now_epoch(void)
{
	return (int64_t)time(NULL);
}

/* ---- snapshots ---- */

static struct snapshot *snap_get(struct tg_proxy *p)
{
	struct snapshot *s;

	pthread_mutex_lock(&p->snap_mu);
	s = p->snap;
	atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&p->snap_mu);
	return s;
}

static void snap_put(struct snapshot *s)
{
	if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	tg_proxy_config_release(&s->cfg);
	audit_close(s->audit);
	free(s->db_path);
	free(s);
}

/* ---- pages and views ---- */

static void upage_put(struct upage *u)
{
	if (!u || atomic_fetch_sub(&u->refs, 1) != 1)
		return;
	free(u->norm);
	free(u->upstream);
	free(u->dir_root);
	tg_simple_project_release(&u->proj);
	free(u->ftime);
	free(u->etag);
	free(u->last_modified);
	free(u->body);
	free(u);
}

static void view_put(struct view *v)
{
	int i;

	if (!v || atomic_fetch_sub(&v->refs, 1) != 1)
		return;
	for (i = 0; i < FI__N; i++)
		if (v->resp[i])
			MHD_destroy_response(v->resp[i]);
	upage_put(v->page);
	project_decision_release(&v->dec);
	free(v->rule);
	free(v->id);
	free(v->message);
	free(v);
}

static struct view *view_get(struct view *v)
{
	if (v)
		atomic_fetch_add(&v->refs, 1);
	return v;
}

static unsigned hash_name(const char *s)
{
	return tg_str_hash(s, TG_STR_HASH_SEED) % BUCKETS;
}

/* Caller holds p->mu. */
static struct slot *slot_find(struct tg_proxy *p, const char *norm, bool create)
{
	unsigned h = hash_name(norm);
	struct slot *s;

	for (s = p->buckets[h]; s; s = s->next)
		if (strcmp(s->norm, norm) == 0)
			return s;
	if (!create)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->norm = tg_strdup(norm))) {
		free(s);
		return NULL;
	}
	s->next = p->buckets[h];
	p->buckets[h] = s;
	p->n_slots++;
	return s;
}

static bool view_fresh(struct tg_proxy *p, const struct view *v,
		       const struct snapshot *s, int64_t now)
{
	return v && v->gen == s->gen && v->dbgen == atomic_load(&p->dbgen) &&
	       now < v->expires;
}

static void drop_view(struct tg_proxy *p, struct slot *s)
{
	p->view_bytes -= s->view->mem;
	view_put(s->view);
	s->view = NULL;
}

/* Forget slots that hold nothing, so that requests for endless made-up
 * names cannot grow the table. Caller holds p->mu. */
static int by_used(const void *a, const void *b)
{
	const struct slot *x = *(struct slot *const *)a, *y = *(struct slot *const *)b;

	return x->used < y->used ? -1 : x->used > y->used;
}

static void sweep_slots(struct tg_proxy *p)
{
	size_t i, n = 0;
	struct slot **pp, *s, **all = calloc(p->n_slots ? p->n_slots : 1, sizeof(*all));

	/* Keep the most recently used half when views alone are too many. */
	if (all) {
		for (i = 0; i < BUCKETS; i++)
			for (s = p->buckets[i]; s; s = s->next)
				if (s->view && !s->job && n < p->n_slots)
					all[n++] = s;
		if (n > MAX_SLOTS / 2) {
			qsort(all, n, sizeof(*all), by_used);
			for (i = 0; i < n - MAX_SLOTS / 2; i++)
				drop_view(p, all[i]);
		}
		free(all);
	}
	for (i = 0; i < BUCKETS; i++) {
		for (pp = &p->buckets[i]; *pp;) {
			s = *pp;
			if (!s->view && !s->job) {
				*pp = s->next;
				free(s->norm);
				free(s);
				p->n_slots--;
			} else {
				pp = &s->next;
			}
		}
	}
}

/* Drop least recently used views until under the memory budget. Caller
 * holds p->mu. */
static void trim_views(struct tg_proxy *p)
{
	if (p->n_slots > MAX_SLOTS)
		sweep_slots(p);
	while (p->view_bytes > MAX_VIEW_BYTES) {
		struct slot *oldest = NULL, *s;
		size_t i;

		for (i = 0; i < BUCKETS; i++)
			for (s = p->buckets[i]; s; s = s->next)
				if (s->view && (!oldest || s->used < oldest->used))
					oldest = s;
		if (!oldest)
			break;
		drop_view(p, oldest);
	}
}

/* ---- responses ---- */

static void free_cb(void *cls)
{
	free(cls);
}

static struct MHD_Response *buf_response(struct tg_buf *b, const char *ctype)
{
	size_t len;
	char *data = tg_buf_detach(b, &len);
	struct MHD_Response *r;

	if (!data)
		data = tg_strdup("");
	if (!data)
		return NULL;
	r = MHD_create_response_from_buffer_with_free_callback_cls(len, data, free_cb, data);
	if (!r) {
		free(data);
		return NULL;
	}
	if (ctype)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	return r;
}

static const char *accept_of(struct MHD_Connection *c)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
}

enum body_kind { BODY_TEXT, BODY_HTML, BODY_PROBLEM };

static enum body_kind error_body_kind(const char *accept)
{
	if (!accept)
		return BODY_TEXT;
	if (strstr(accept, "json"))
		return BODY_PROBLEM;
	if (strstr(accept, "text/html"))
		return BODY_HTML;
	return BODY_TEXT;
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden by policy";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 431: return "Request Header Fields Too Large";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

static void html_esc(struct tg_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': tg_buf_adds(b, "&lt;", NULL); break;
		case '>': tg_buf_adds(b, "&gt;", NULL); break;
		case '&': tg_buf_adds(b, "&amp;", NULL); break;
		case '"': tg_buf_adds(b, "&quot;", NULL); break;
		default: tg_buf_addc(b, *s, NULL); break;
		}
	}
}

struct problem {
	int status;
	const char *rule;       /* problem type suffix, or NULL */
	const char *detail;
	const char *project;
	const char *version;
	const char *file;
	const char *id;
	const char *instance;
	int retry_after;        /* seconds, 0 = none */
	const char *allow;      /* Allow header for 405 */
	const char *www_auth;
};

static enum MHD_Result send_problem(struct MHD_Connection *c, struct req *rq,
				    const struct problem *pr)
{
	struct tg_buf b;
	struct MHD_Response *r;
	enum body_kind kind = error_body_kind(accept_of(c));
	const char *ctype = "text/plain; charset=utf-8";
	enum MHD_Result ret;
	const char *title = status_title(pr->status);

	tg_buf_init(&b, 1 << 20);
	if (kind == BODY_PROBLEM) {
		json_t *o = json_object();
		char *s;
		char type[160];

		snprintf(type, sizeof(type), "https://tollgate.dev/problems/%s",
			 pr->rule ? pr->rule : "http-error");
		json_object_set_new(o, "type", json_string(type));
		json_object_set_new(o, "title", json_string(title));
		json_object_set_new(o, "status", json_integer(pr->status));
		if (pr->detail)
			json_object_set_new(o, "detail", json_string(pr->detail));
		if (pr->instance)
			json_object_set_new(o, "instance", json_string(pr->instance));
		if (pr->rule)
			json_object_set_new(o, "rule", json_string(pr->rule));
		if (pr->project)
			json_object_set_new(o, "project", json_string(pr->project));
		if (pr->version)
			json_object_set_new(o, "version", json_string(pr->version));
		if (pr->file)
			json_object_set_new(o, "file", json_string(pr->file));
		if (pr->id)
			json_object_set_new(o, "advisory", json_string(pr->id));
		s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_INDENT(2));
		json_decref(o);
		if (s) {
			tg_buf_adds(&b, s, NULL);
			tg_buf_addc(&b, '\n', NULL);
			free(s);
		}
		ctype = "application/problem+json";
	} else if (kind == BODY_HTML) {
		tg_buf_addf(&b, NULL, "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
			    "<body><h1>%d %s</h1>\n<p>", pr->status, title, pr->status, title);
		html_esc(&b, pr->detail ? pr->detail : title);
		tg_buf_adds(&b, "</p>\n", NULL);
		if (pr->rule) {
			tg_buf_adds(&b, "<p>Rule: <code>", NULL);
			html_esc(&b, pr->rule);
			tg_buf_adds(&b, "</code></p>\n", NULL);
		}
		if (pr->id) {
			tg_buf_adds(&b, "<p>Advisory: <code>", NULL);
			html_esc(&b, pr->id);
			tg_buf_adds(&b, "</code></p>\n", NULL);
		}
		tg_buf_adds(&b, "</body></html>\n", NULL);
		ctype = "text/html; charset=utf-8";
	} else {
		tg_buf_addf(&b, NULL, "%d %s: %s\n", pr->status, title,
			    pr->detail ? pr->detail : title);
		if (pr->rule)
			tg_buf_addf(&b, NULL, "rule: %s\n", pr->rule);
		if (pr->id)
			tg_buf_addf(&b, NULL, "advisory: %s\n", pr->id);
	}
	r = buf_response(&b, ctype);
	tg_buf_release(&b);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (pr->rule)
		MHD_add_response_header(r, "X-Tollgate-Rule", pr->rule);
	if (pr->id)
		MHD_add_response_header(r, "X-Tollgate-Advisory", pr->id);
	if (pr->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", pr->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (pr->allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, pr->allow);
	if (pr->www_auth)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, pr->www_auth);
	ret = MHD_queue_response(c, (unsigned)pr->status, r);
	MHD_destroy_response(r);
	if (rq)
		rq->status = (unsigned)pr->status;
	return ret;
}

static enum MHD_Result send_simple(struct MHD_Connection *c, struct req *rq,
				   int status, const char *detail)
{
	struct problem pr = { .status = status, .detail = detail };

	return send_problem(c, rq, &pr);
}

static enum MHD_Result send_text(struct MHD_Connection *c, struct req *rq,
				 unsigned status, const char *ctype, struct tg_buf *b)
{
	struct MHD_Response *r = buf_response(b, ctype);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	rq->status = status;
	return ret;
}

/* ---- building views (worker threads) ---- */

struct render_ctx {
	const char *norm;
	const struct tg_simple_file *base;    /* the rendered files array */
	const struct file_block *const *blocks; /* parallel to it */
};

static char *file_url(const struct tg_simple_file *f, void *vctx)
{
	struct render_ctx *ctx = vctx;
	const struct file_block *fb = ctx->blocks ? ctx->blocks[f - ctx->base] : NULL;

	/* Relative to /simple/<name>/: a front proxy may mount us anywhere.
	 * A blocked file's link names the rule in its query: pip prints the
	 * URL of a failed download, so the reason reaches the user whatever
	 * the pip version (pip shows yank reasons only after resolving). */
	if (fb && fb->blocked)
		return tg_asprintf("../../files/%s/%s?blocked=%s%s%s", ctx->norm, f->filename,
				   fb->rule, fb->id ? "," : "", fb->id ? fb->id : "");
	return tg_asprintf("../../files/%s/%s", ctx->norm, f->filename);
}

static bool metadata_pin(const struct tg_simple_file *f, const char **hex)
{
	size_t i;

	for (i = 0; i < f->n_metadata_hashes; i++)
		if (strcmp(f->metadata_hashes[i].alg, "sha256") == 0 &&
		    strlen(f->metadata_hashes[i].hex) == 64) {
			*hex = f->metadata_hashes[i].hex;
			return true;
		}
	return false;
}

static const char *file_pin(const struct tg_simple_file *f)
{
	size_t i;

	for (i = 0; i < f->n_hashes; i++)
		if (strcmp(f->hashes[i].alg, "sha256") == 0 && strlen(f->hashes[i].hex) == 64)
			return f->hashes[i].hex;
	return NULL;
}

static bool same_version(const char *a, const char *b)
{
	struct tg_pep440 va, vb;
	bool eq = false;

	if (strcmp(a, b) == 0)
		return true;
	if (tg_pep440_parse_str(a, &va, NULL) == 0) {
		if (tg_pep440_parse_str(b, &vb, NULL) == 0) {
			eq = tg_pep440_cmp(&va, &vb) == 0;
			tg_pep440_release(&vb);
		}
		tg_pep440_release(&va);
	}
	return eq;
}

static int set_common_page_headers(struct MHD_Response *r, const char *etag)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	/* Clients revalidate every time (pip sends max-age=0 anyway);
	 * a 304 costs one round trip. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "max-age=0, must-revalidate");
	return 0;
}

static void make_etag(struct view *v, const struct tg_buf *a, const struct tg_buf *b)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[32];
	char hex[65];

	memset(d, 0, sizeof(d));
	if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, a->data, a->len) == 1 &&
	    EVP_DigestUpdate(md, b->data, b->len) == 1)
		EVP_DigestFinal_ex(md, d, NULL);
	EVP_MD_CTX_free(md);
	tg_hex_encode(d, 16, hex);
	snprintf(v->etag, sizeof(v->etag), "\"%.32s\"", hex);
}

/* Render the page of a 200 view, or the installers' page of a project
 * denied as a whole (status 403): there every file is listed, not yanked
 * and without metadata, so that a resolver picks one and fails on its
 * download, and pip prints that file's link, which names the rule. Clients
 * that do not speak the Simple API get the 403 itself (queue_view). */
static int render_view(struct view *v, const struct snapshot *s,
		       struct tg_err *err)
{
	const struct tg_simple_project *src = &v->page->proj;
	struct tg_simple_project copy;
	struct render_ctx rctx = { v->page->norm, NULL, NULL };
	const struct file_block **blocks = NULL;
	struct tg_buf html, json;
	char **reasons = NULL;
	size_t i, j, n = 0;
	bool yank = s->cfg.policy.hide == TG_PHIDE_YANK;
	bool denied = v->status == 403;
	struct file_block whole = { .blocked = true, .rule = v->rule, .id = v->id,
				    .message = v->message };
	int rc = 0;

	memset(&copy, 0, sizeof(copy));
	tg_buf_init(&html, TG_SIMPLE_MAX_PAGE);
	tg_buf_init(&json, TG_SIMPLE_MAX_PAGE);
	copy.name = src->name ? src->name : v->page->norm;
	copy.files = calloc(src->n_files ? src->n_files : 1, sizeof(*copy.files));
	reasons = calloc(src->n_files ? src->n_files : 1, sizeof(char *));
	blocks = calloc(src->n_files ? src->n_files : 1, sizeof(*blocks));
	copy.versions = calloc(src->n_versions ? src->n_versions : 1, sizeof(char *));
	if (!copy.files || !reasons || !copy.versions || !blocks) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < src->n_files; i++) {
		const struct file_block *fb = denied ? &whole : &v->dec.files[i];
		struct tg_simple_file *f;
		const char *mhex;

		if (denied ? !tg_dist_filename_ok(src->files[i].filename) :
		    fb->blocked && (!yank || strcmp(fb->rule, "bad-name") == 0))
			continue;
		blocks[copy.n_files] = fb;
		f = &copy.files[copy.n_files++];
		*f = src->files[i]; /* shallow: strings stay owned by the page */
		if (f->core_metadata && (fb->blocked || !metadata_pin(f, &mhex)))
			f->core_metadata = false; /* unverifiable or refused: not offered */
		if (denied) {
			f->yanked = false; /* a yanked file is skipped unless pinned */
			f->yanked_reason = NULL;
		} else if (fb->blocked) {
			reasons[n] = tg_asprintf("blocked by tollgate policy (%s%s%s): %s",
						 fb->rule, fb->id ? " " : "",
						 fb->id ? fb->id : "", fb->message);
			if (!reasons[n]) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			f->yanked = true;
			f->yanked_reason = reasons[n++];
		}
	}
	copy.has_versions = src->has_versions;
	/* A version leaves the PEP 700 list when every file of it is blocked;
	 * on a denied project's page, when none of its files is listed. */
	for (i = 0; i < src->n_versions; i++) {
		size_t have = 0, blocked = 0;
		for (j = 0; j < src->n_files; j++) {
			char ver[TG_PEP440_MAX_LEN + 1];
			if (!tg_dist_version(src->files[j].filename, v->page->norm, ver, sizeof(ver), NULL) ||
			    !same_version(ver, src->versions[i]) ||
			    (denied && !tg_dist_filename_ok(src->files[j].filename)))
				continue;
			have++;
			if (!denied && v->dec.files[j].blocked)
				blocked++;
		}
		if (denied ? !have : have && have == blocked)
			continue;
		copy.versions[copy.n_versions++] = src->versions[i];
	}
	copy.api_version = src->api_version;
	rctx.base = copy.files;
	rctx.blocks = blocks;
	if ((rc = tg_simple_render_html(&copy, file_url, &rctx, &html, err)) ||
	    (rc = tg_simple_render_json(&copy, file_url, &rctx, &json, err)))
		goto out;
	make_etag(v, &html, &json);
	v->mem = html.len * 1 + json.len + v->page->mem + 1024;
	{
		size_t hl;
		char *hd = tg_buf_detach(&html, &hl);
		char *hd2 = hd ? tg_strndup(hd, hl) : NULL;
		size_t jl;
		char *jd = tg_buf_detach(&json, &jl);

		if (!hd || !hd2 || !jd) {
			free(hd);
			free(hd2);
			free(jd);
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		v->resp[FI_HTML] = MHD_create_response_from_buffer_with_free_callback_cls(hl, hd, free_cb, hd);
		v->resp[FI_HTML_V1] = MHD_create_response_from_buffer_with_free_callback_cls(hl, hd2, free_cb, hd2);
		v->resp[FI_JSON] = MHD_create_response_from_buffer_with_free_callback_cls(jl, jd, free_cb, jd);
		v->mem += hl;
		if (!v->resp[FI_HTML]) free(hd);
		if (!v->resp[FI_HTML_V1]) free(hd2);
		if (!v->resp[FI_JSON]) free(jd);
	}
	for (i = 0; i < FI__N; i++) {
		static const enum tg_simple_format fm[FI__N] = {
			TG_SIMPLE_HTML, TG_SIMPLE_HTML_V1, TG_SIMPLE_JSON_V1
		};
		if (!v->resp[i]) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		MHD_add_response_header(v->resp[i], MHD_HTTP_HEADER_CONTENT_TYPE,
					tg_simple_content_type(fm[i]));
		set_common_page_headers(v->resp[i], v->etag);
		if (denied && v->rule)
			MHD_add_response_header(v->resp[i], "X-Tollgate-Rule", v->rule);
		if (denied && v->id)
			MHD_add_response_header(v->resp[i], "X-Tollgate-Advisory", v->id);
	}
out:
	for (i = 0; i < n; i++)
		free(reasons[i]);
	free(reasons);
	free(blocks);
	free(copy.files);
	free(copy.versions);
	tg_buf_release(&html);
	tg_buf_release(&json);
	return rc;
}

/* Time of each file for the cooldown: upload-time as given, else (local
 * upstreams only) the file's modification time. */
static int fill_times(struct upage *u, struct tg_err *err)
{
	size_t i;

	u->ftime = calloc(u->proj.n_files ? u->proj.n_files : 1, sizeof(int64_t));
	if (!u->ftime)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < u->proj.n_files; i++) {
		const struct tg_simple_file *f = &u->proj.files[i];
		int64_t t;
		if (f->upload_time && proxy_parse_time(f->upload_time, &t))
			u->ftime[i] = t;
		else
			u->ftime[i] = up_local_mtime(f->url, u->dir_root);
	}
	return 0;
}

static struct upage *upage_new(const char *norm, const struct tg_proxy_upstream_cfg *u)
{
	struct upage *pg = calloc(1, sizeof(*pg));

	if (!pg)
		return NULL;
	atomic_store(&pg->refs, 1);
	pg->norm = tg_strdup(norm);
	pg->upstream = tg_strdup(u->name);
	pg->dir_root = u->dir ? tg_strdup(u->dir) : NULL;
	if (!pg->norm || !pg->upstream || (u->dir && !pg->dir_root)) {
		upage_put(pg);
		return NULL;
	}
	return pg;
}

static int parse_into(struct upage *pg, struct up_page *r, struct tg_err *err)
{
	int rc;

	pg->found = true;
	pg->is_json = r->is_json;
	if (r->is_json)
		rc = tg_simple_parse_json(r->body.data, r->body.len, r->base_url,
					  pg->upstream, &pg->proj, err);
	else
		rc = tg_simple_parse_html(r->body.data, r->body.len, r->base_url,
					  pg->upstream, pg->norm, &pg->proj, err);
	if (rc)
		return rc;
	if ((rc = fill_times(pg, err)))
		return rc;
	pg->etag = r->etag ? tg_strdup(r->etag) : NULL;
	pg->last_modified = r->last_modified ? tg_strdup(r->last_modified) : NULL;
	pg->mem = r->body.len * 3 + sizeof(*pg);
	return 0;
}

/* ---- the disk copy of pages (survives restarts) ---- */

static char *page_disk_path(struct tg_proxy *p, const char *upstream,
			    const char *norm, const char *ext)
{
	return tg_asprintf("%s/%s/%s.%s", p->pages_dir, upstream, norm, ext);
}

static void page_save(struct tg_proxy *p, const struct upage *pg,
		      const char *base_url)
{
	char *body = page_disk_path(p, pg->upstream, pg->norm, "body");
	char *meta = page_disk_path(p, pg->upstream, pg->norm, "meta");
	char *dir = tg_asprintf("%s/%s", p->pages_dir, pg->upstream);
	json_t *m = json_object();
	char *ms = NULL;

	if (!body || !meta || !dir || !m)
		goto out;
	json_object_set_new(m, "etag", pg->etag ? json_string(pg->etag) : json_null());
	json_object_set_new(m, "last-modified", pg->last_modified ?
			    json_string(pg->last_modified) : json_null());
	json_object_set_new(m, "fetched", json_integer(atomic_load(&pg->fetched)));
	json_object_set_new(m, "json", json_boolean(pg->is_json));
	json_object_set_new(m, "base-url", base_url ? json_string(base_url) : json_null());
	ms = json_dumps(m, JSON_COMPACT);
	if (!ms || tg_mkdir_p(dir, NULL))
		goto out;
	/* Body first: a meta file always describes a complete body. */
	if (tg_write_file_atomic(body, pg->body ? pg->body : "", pg->body_len, NULL) == 0)
		tg_write_file_atomic(meta, ms, strlen(ms), NULL);
out:
	json_decref(m);
	free(ms);
	free(body);
	free(meta);
	free(dir);
}

static struct upage *page_load(struct tg_proxy *p, const struct tg_proxy_upstream_cfg *u,
			       const char *norm)
{
	char *bodyp = page_disk_path(p, u->name, norm, "body");
	char *metap = page_disk_path(p, u->name, norm, "meta");
	struct tg_buf mb, bb;
	struct up_page r;
	struct upage *pg = NULL;
	json_t *m = NULL;
	struct tg_err e;

	memset(&r, 0, sizeof(r));
	tg_buf_init(&mb, 1 << 16);
	tg_buf_init(&bb, TG_SIMPLE_MAX_PAGE);
	if (!bodyp || !metap || tg_read_file(metap, 1 << 16, &mb, NULL) ||
	    tg_read_file(bodyp, TG_SIMPLE_MAX_PAGE, &bb, NULL))
		goto out;
	tg_err_clear(&e);
	m = tg_json_load(mb.data, mb.len, metap, &e);
	if (!m || !json_is_integer(json_object_get(m, "fetched")))
		goto out;
	r.body = bb;
	r.is_json = json_is_true(json_object_get(m, "json"));
	r.etag = (char *)tg_json_str(m, "etag");
	r.last_modified = (char *)tg_json_str(m, "last-modified");
	r.base_url = (char *)tg_json_str(m, "base-url");
	pg = upage_new(norm, u);
	if (!pg || parse_into(pg, &r, &e)) {
		upage_put(pg);
		pg = NULL;
		goto out;
	}
	atomic_store(&pg->fetched, json_integer_value(json_object_get(m, "fetched")));
	pg->body = tg_buf_detach(&bb, &pg->body_len);
out:
	json_decref(m);
	tg_buf_release(&mb);
	tg_buf_release(&bb);
	free(bodyp);
	free(metap);
	return pg;
}

/* ---- database per worker ---- */

static struct tg_db *worker_db(struct worker *w, const struct snapshot *s)
{
	struct stat st;
	struct tg_err e;
	const char *path = s->db_path;

	if (!path || stat(path, &st) != 0) {
		if (w->db) {
			tg_db_close(w->db);
			w->db = NULL;
		}
		return NULL;
	}
	if (w->db && w->db_path && strcmp(w->db_path, path) == 0 && w->dev == st.st_dev &&
	    w->ino == st.st_ino && w->mtime.tv_sec == st.st_mtim.tv_sec &&
	    w->mtime.tv_nsec == st.st_mtim.tv_nsec)
		return w->db;
	if (w->db)
		tg_db_close(w->db);
	w->db = NULL;
	free(w->db_path);
	w->db_path = tg_strdup(path);
	tg_err_clear(&e);
	if (!w->db_path || tg_db_open(path, TG_DB_READONLY, &w->db, &e)) {
		logf_(w->p, "error", "database: %s", e.msg);
		w->db = NULL;
		return NULL;
	}
	w->dev = st.st_dev;
	w->ino = st.st_ino;
	w->mtime = st.st_mtim;
	return w->db;
}

/* Notice a replaced or removed database (db update swaps the file). */
static void check_db(struct tg_proxy *p, const struct snapshot *s)
{
	struct stat st;
	bool present = s->db_path && stat(s->db_path, &st) == 0;

	pthread_mutex_lock(&p->mu);
	if (!present) {
		if (atomic_load(&p->db_present))
			atomic_fetch_add(&p->dbgen, 1);
		atomic_store(&p->db_present, false);
	} else if (!atomic_load(&p->db_present) || st.st_dev != p->db_dev ||
		   st.st_ino != p->db_ino || st.st_mtim.tv_sec != p->db_mtime.tv_sec ||
		   st.st_mtim.tv_nsec != p->db_mtime.tv_nsec) {
		p->db_dev = st.st_dev;
		p->db_ino = st.st_ino;
		p->db_mtime = st.st_mtim;
		atomic_store(&p->db_present, true);
		atomic_fetch_add(&p->dbgen, 1);
	}
	p->db_checked = now_epoch();
	pthread_mutex_unlock(&p->mu);
}

/* ---- audit helpers ---- */

static void audit_view(const struct snapshot *s, const struct view *v)
{
	size_t i, j;

	if (!s->audit || v->status != 200)
		return;
	/* One line per blocked version (its files share the reason). */
	for (i = 0; i < v->dec.n_files; i++) {
		const struct file_block *fb = &v->dec.files[i];
		char ver[TG_PEP440_MAX_LEN + 1];
		struct audit_event ev = { 0 };
		bool dup = false;

		if (!fb->blocked)
			continue;
		if (!tg_dist_version(v->page->proj.files[i].filename, v->page->norm, ver,
				     sizeof(ver), NULL))
			ver[0] = 0;
		for (j = 0; j < i && ver[0]; j++) {
			char v2[TG_PEP440_MAX_LEN + 1];
			if (v->dec.files[j].blocked &&
			    tg_dist_version(v->page->proj.files[j].filename, v->page->norm, v2,
					    sizeof(v2), NULL) && strcmp(v2, ver) == 0 &&
			    strcmp(v->dec.files[j].rule, fb->rule) == 0)
				dup = true;
		}
		if (dup)
			continue;
		ev.project = v->page->norm;
		ev.version = ver[0] ? ver : NULL;
		ev.file = ver[0] ? NULL : v->page->proj.files[i].filename;
		ev.decision = "hide";
		ev.rule = fb->rule;
		ev.id = fb->id;
		ev.upstream = v->page->upstream;
		ev.message = fb->message;
		audit_write(s->audit, &ev);
	}
}

/* ---- page job ---- */

static struct view *view_new(struct upage *pg, const struct snapshot *s,
			     struct tg_proxy *p)
{
	struct view *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	atomic_store(&v->refs, 1);
	v->page = pg;
	v->gen = s->gen;
	v->dbgen = atomic_load(&p->dbgen);
	return v;
}

static struct view *error_view(struct tg_proxy *p, const struct snapshot *s,
			       int status, bool transient, const char *rule,
			       const char *msg, int64_t ttl)
{
	struct view *v = view_new(NULL, s, p);

	if (!v)
		return NULL;
	v->status = status;
	v->transient = transient;
	v->rule = rule ? tg_strdup(rule) : NULL;
	v->message = tg_strdup(msg ? msg : "");
	v->expires = now_epoch() + ttl;
	v->mem = 512;
	return v;
}

/* Name risk (vet's rules) for a project the lists did not settle. Returns
 * 0 and sets *blocked / fills msg when a block-level reason fires; an
 * index that cannot be built is an error (fail closed when blocking). */
static int name_risk(struct worker *w, const struct snapshot *s, struct tg_db *db,
		     const char *norm, bool *blocked, char *msg, size_t msgsz,
		     struct tg_err *err)
{
	struct tg_proxy *p = w->p;
	struct tg_vet_result res;
	const struct tg_proxy_policy_cfg *pol = &s->cfg.policy;
	size_t i;
	int rc = 0;

	*blocked = false;
	msg[0] = 0;
	for (i = 0; i < pol->n_allow; i++)
		if (!pol->allow[i].has_spec && tg_proxy_pattern_match(pol->allow[i].pattern, norm))
			return 0; /* explicitly allowed: the list has the last word */
	pthread_mutex_lock(&p->names_mu);
	if (!p->names || p->names_dbgen != atomic_load(&p->dbgen)) {
		struct tg_vet_name_thresholds t;
		tg_vet_names_free(p->names);
		p->names = NULL;
		tg_vet_name_thresholds_init(&t);
		rc = tg_vet_names_from_db(db, TG_ECO_PYPI, &t, &p->names, err);
		p->names_dbgen = atomic_load(&p->dbgen);
	}
	if (!rc) {
		tg_vet_result_init(&res);
		rc = tg_vet_names_check(p->names, norm, now_epoch(), &res, err);
		for (i = 0; !rc && i < res.n_reasons; i++) {
			const struct tg_vet_reason *r = &res.reasons[i];
			if (r->level < TG_VET_WARN)
				continue;
			if (r->level == TG_VET_BLOCK && !*blocked) {
				*blocked = true;
				snprintf(msg, msgsz, "name-risk %s: %s", r->rule, r->message);
			} else if (!*blocked && !msg[0]) {
				snprintf(msg, msgsz, "name-risk %s: %s", r->rule, r->message);
			}
		}
		tg_vet_result_release(&res);
	}
	pthread_mutex_unlock(&p->names_mu);
	return rc;
}

/* The installers' page of a project denied as a whole. Without it (no
 * file to list, out of memory) every client gets the 403, which is still
 * a refusal: an empty page would only make pip say "no matching
 * distribution". */
static void render_denied(struct tg_proxy *p, struct view *v, const struct snapshot *s)
{
	struct tg_err e;
	size_t k, listable = 0;
	int i;

	for (k = 0; k < v->page->proj.n_files; k++)
		if (tg_dist_filename_ok(v->page->proj.files[k].filename))
			listable++;
	tg_err_clear(&e);
	if (!listable || !v->rule || !v->message || render_view(v, s, &e) == 0)
		return;
	logf_(p, "error", "rendering the denied page of %s: %s", v->page->norm, e.msg);
	for (i = 0; i < FI__N; i++) {
		if (v->resp[i])
			MHD_destroy_response(v->resp[i]);
		v->resp[i] = NULL;
	}
}

/* A name the policy denies as a whole is refused even when no upstream
 * has it or the upstream fails: answering 404 or 5xx for it would tell
 * clients to look elsewhere (dependency confusion). NULL when the name is
 * not denied, or that cannot be decided (no database). */
static struct view *denied_without_page(struct worker *w, const struct snapshot *s,
					const char *norm, int64_t ttl)
{
	struct tg_simple_project none;
	struct project_decision d;
	struct view *v = NULL;
	struct tg_err e;

	tg_simple_project_init(&none);
	tg_err_clear(&e);
	if (policy_evaluate(&s->cfg, worker_db(w, s), norm, &none, NULL, now_epoch(), &d, &e) == 0 &&
	    d.status == 403) {
		v = error_view(w->p, s, 403, false, d.rule, d.message, ttl);
		if (v && d.id && !(v->id = tg_strdup(d.id))) {
			view_put(v);
			v = NULL;
		}
	}
	project_decision_release(&d);
	return v;
}

static struct view *build_page_view(struct worker *w, struct job *j)
{
	struct tg_proxy *p = w->p;
	const struct snapshot *s = j->snap;
	const struct tg_proxy_config *cfg = &s->cfg;
	int pinned = tg_proxy_config_pinned(cfg, j->norm);
	struct upage *old = NULL, *pg = NULL;
	struct view *v = NULL;
	struct slot *sl;
	struct tg_db *db;
	struct tg_err e;
	int64_t now = now_epoch();
	size_t i;
	int rc;

	pthread_mutex_lock(&p->mu);
	sl = slot_find(p, j->norm, false);
	if (sl && sl->view && sl->view->page) {
		old = sl->view->page;
		atomic_fetch_add(&old->refs, 1);
	}
	pthread_mutex_unlock(&p->mu);

	/* Which upstream: the one the name is pinned to, else the first
	 * unpinned one that knows it. */
	for (i = 0; i < cfg->n_upstreams && !pg; i++) {
		const struct tg_proxy_upstream_cfg *u = &cfg->upstreams[i];
		struct up_page r;
		bool same;

		if (pinned >= 0 ? (int)i != pinned : u->n_projects > 0)
			continue;
		same = old && strcmp(old->upstream, u->name) == 0;
		if (!same && !old) {
			old = page_load(p, u, j->norm);
			same = old != NULL;
		}
		if (same && now - atomic_load(&old->fetched) < (int64_t)cfg->page_ttl_s) {
			pg = old;
			old = NULL;
			atomic_fetch_add(&p->metrics.page_hits, 1);
			break;
		}
		atomic_fetch_add(&p->metrics.page_misses, 1);
		up_fetch_page(u, j->norm, same ? old->etag : NULL,
			      same ? old->last_modified : NULL, &p->stop, &r);
		metrics_upstream(&p->metrics, r.seconds, r.outcome == UP_OK || r.outcome == UP_NOT_FOUND);
		if (r.outcome == UP_OK && r.not_modified && same) {
			atomic_store(&old->fetched, now);
			pg = old;
			old = NULL;
			page_save(p, pg, r.base_url);
		} else if (r.outcome == UP_OK && !r.not_modified) {
			pg = upage_new(j->norm, u);
			tg_err_clear(&e);
			if (!pg || parse_into(pg, &r, &e)) {
				logf_(p, "error", "upstream %s: page for %s: %s", u->name, j->norm, e.msg);
				upage_put(pg);
				pg = NULL;
				v = error_view(p, s, 502, false, "upstream-error",
					       "the upstream index page could not be parsed", 10);
			} else {
				atomic_store(&pg->fetched, now);
				pg->body = tg_buf_detach(&r.body, &pg->body_len);
				page_save(p, pg, r.base_url);
				pg->mem += 0;
			}
		} else if (r.outcome == UP_NOT_FOUND) {
			if (old && same) {
				upage_put(old);
				old = NULL;
			}
			up_page_release(&r);
			continue; /* an unpinned name may live on the next upstream */
		} else {
			logf_(p, "warning", "upstream %s: %s", u->name, r.msg);
			if (same && now - atomic_load(&old->fetched) <
			    (int64_t)(cfg->page_ttl_s + cfg->stale_if_error_s)) {
				pg = old; /* stale, still filtered by today's policy */
				old = NULL;
			} else {
				/* Never fall through to another upstream on an
				 * error: that is how dependency confusion starts. */
				v = error_view(p, s, r.outcome == UP_TRANSIENT ? 503 : 502,
					       r.outcome == UP_TRANSIENT, "upstream-unavailable",
					       "the upstream index did not answer; try again later", 5);
			}
		}
		up_page_release(&r);
		if (v)
			break;
	}
	upage_put(old);
	if (v || !pg) {
		/* Retry a failing upstream soon: its page is what installers
		 * get for a denied name. */
		struct view *dv = denied_without_page(w, s, j->norm,
						      v ? 5 : (int64_t)cfg->page_ttl_s);
		if (dv) {
			view_put(v);
			return dv;
		}
	}
	if (v)
		return v;
	if (!pg) {
		char msg[300];
		snprintf(msg, sizeof(msg), pinned >= 0 ?
			 "project %s does not exist on %s, the only index it may come from" :
			 "project %s does not exist upstream", j->norm,
			 pinned >= 0 ? cfg->upstreams[pinned].name : "");
		return error_view(p, s, 404, false, pinned >= 0 ? "pinned" : NULL, msg,
				  (int64_t)cfg->page_ttl_s);
	}
	db = worker_db(w, s);
	v = view_new(pg, s, p);
	if (!v) {
		upage_put(pg);
		return NULL;
	}
	v->expires = atomic_load(&pg->fetched) + (int64_t)cfg->page_ttl_s;
	if (v->expires <= now)
		v->expires = now + 5; /* stale copy standing in: retry soon */
	tg_err_clear(&e);
	rc = policy_evaluate(cfg, db, j->norm, &pg->proj, pg->ftime, now, &v->dec, &e);
	if (rc) {
		logf_(p, "error", "policy for %s: %s", j->norm, e.msg);
		v->status = 503;
		v->rule = tg_strdup("policy-error");
		v->message = tg_strdup("the policy could not be evaluated");
		v->expires = now + 5;
		return v;
	}
	v->status = v->dec.status;
	if (v->status == 200 && cfg->policy.name_risk != TG_PNAME_OFF) {
		char msg[700];
		bool blocked = false;
		tg_err_clear(&e);
		if (name_risk(w, s, db, j->norm, &blocked, msg, sizeof(msg), &e)) {
			logf_(p, "error", "name risk for %s: %s", j->norm, e.msg);
			if (cfg->policy.name_risk == TG_PNAME_BLOCK) {
				v->status = 503;
				v->rule = tg_strdup("name-risk-unavailable");
				v->message = tg_strdup("name risk cannot be checked: the database has no "
						       "PyPI name list (run 'tollgate db update --only names')");
				v->expires = now + 5;
				return v;
			}
		} else if (blocked && cfg->policy.name_risk == TG_PNAME_BLOCK) {
			v->status = 403;
			v->rule = tg_strdup("name-risk");
			v->message = tg_strdup(msg);
			v->mem = 1024 + pg->mem;
			render_denied(p, v, s);
			return v;
		} else if (msg[0] && s->audit) {
			struct audit_event ev = {
				.project = j->norm, .decision = "warn", .rule = "name-risk",
				.upstream = pg->upstream, .message = msg,
			};
			audit_write(s->audit, &ev);
		}
	}
	if (v->status != 200) {
		v->rule = v->dec.rule ? tg_strdup(v->dec.rule) : NULL;
		v->id = v->dec.id ? tg_strdup(v->dec.id) : NULL;
		v->message = v->dec.message ? tg_strdup(v->dec.message) : NULL;
		if (v->status == 503)
			v->expires = now + 5;
		v->mem = 1024 + pg->mem;
		if (v->status == 403)
			render_denied(p, v, s);
		return v;
	}
	if (v->dec.next_change < v->expires)
		v->expires = v->dec.next_change;
	if (render_view(v, s, &e)) {
		logf_(p, "error", "rendering %s: %s", j->norm, e.msg);
		v->status = 503;
		v->rule = tg_strdup("internal-error");
		v->message = tg_strdup("the page could not be rendered");
		v->expires = now + 5;
	}
	audit_view(s, v);
	return v;
}

/* ---- the project list ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir_names(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) && !rc) {
		char *full;
		struct stat st;
		char **nn;
		if (de->d_name[0] == '.' || !tg_pep508_name_valid(de->d_name, strlen(de->d_name)))
			continue;
		full = tg_path_join(dir, de->d_name);
		if (!full || stat(full, &st) != 0 || !S_ISDIR(st.st_mode)) {
			free(full);
			continue;
		}
		free(full);
		if (*n >= MAX_INDEX_NAMES || !(nn = realloc(*names, (*n + 1) * sizeof(char *)))) {
			rc = -1;
			break;
		}
		*names = nn;
		if (!((*names)[*n] = tg_strdup(de->d_name))) {
			rc = -1;
			break;
		}
		(*n)++;
	}
	closedir(d);
	return rc;
}

static struct view *build_index_view(struct worker *w, struct job *j)
{
	struct tg_proxy *p = w->p;
	const struct snapshot *s = j->snap;
	const struct tg_proxy_config *cfg = &s->cfg;
	char **all = NULL, **keep = NULL;
	size_t n_all = 0, n_keep = 0, i, k;
	struct view *v = NULL;
	struct tg_buf html, json;
	struct tg_err e;
	bool failed = false;

	for (i = 0; i < cfg->n_upstreams; i++) {
		const struct tg_proxy_upstream_cfg *u = &cfg->upstreams[i];
		struct up_page r;
		char **names = NULL;
		size_t n = 0, m;

		up_fetch_page(u, NULL, NULL, NULL, &p->stop, &r);
		metrics_upstream(&p->metrics, r.seconds, r.outcome == UP_OK);
		tg_err_clear(&e);
		if (r.outcome == UP_OK && r.body.len) {
			if ((r.is_json ? tg_simple_parse_index_json(r.body.data, r.body.len, u->name,
								    &names, &n, &e) :
			     tg_simple_parse_index_html(r.body.data, r.body.len, u->name,
							&names, &n, &e)) != 0)
				failed = true;
		} else if (r.outcome == UP_OK && u->dir) {
			if (list_dir_names(u->dir, &names, &n))
				failed = true;
		} else {
			failed = true;
		}
		up_page_release(&r);
		for (m = 0; m < n; m++) {
			char *norm = tg_pep503_normalize_dup(names[m], strlen(names[m]));
			int pin = norm ? tg_proxy_config_pinned(cfg, norm) : -2;
			bool ok = norm && (pin >= 0 ? pin == (int)i : u->n_projects == 0);
			char **na;

			free(names[m]);
			if (ok && n_all < MAX_INDEX_NAMES &&
			    (na = realloc(all, (n_all + 1) * sizeof(char *)))) {
				all = na;
				all[n_all++] = norm;
			} else {
				free(norm);
			}
		}
		free(names);
	}
	if (failed && n_all == 0) {
		v = error_view(p, s, 503, true, "upstream-unavailable",
			       "the upstream project lists could not be read", 10);
		goto out;
	}
	qsort(all, n_all, sizeof(char *), cmp_str);
	keep = calloc(n_all ? n_all : 1, sizeof(char *));
	if (!keep)
		goto out;
	for (i = 0; i < n_all; i++) {
		bool denied = false;
		if (n_keep && strcmp(keep[n_keep - 1], all[i]) == 0)
			continue;
		for (k = 0; k < cfg->policy.n_deny && !denied; k++)
			denied = !cfg->policy.deny[k].has_spec &&
				 tg_proxy_pattern_match(cfg->policy.deny[k].pattern, all[i]);
		if (!denied)
			keep[n_keep++] = all[i];
	}
	v = view_new(NULL, s, p);
	if (!v)
		goto out;
	v->is_index = true;
	v->status = 200;
	v->expires = now_epoch() + (int64_t)cfg->page_ttl_s;
	tg_buf_init(&html, (size_t)512 << 20);
	tg_buf_init(&json, (size_t)512 << 20);
	if (tg_simple_render_index_html(keep, n_keep, &html, NULL) ||
	    tg_simple_render_index_json(keep, n_keep, &json, NULL)) {
		tg_buf_release(&html);
		tg_buf_release(&json);
		view_put(v);
		v = error_view(p, s, 503, false, "internal-error", "the project list is too large", 10);
		goto out;
	}
	make_etag(v, &html, &json);
	v->mem = html.len * 2 + json.len + 1024;
	{
		struct tg_buf h2;
		tg_buf_init(&h2, (size_t)512 << 20);
		tg_buf_add(&h2, html.data, html.len, NULL);
		v->resp[FI_HTML] = buf_response(&html, tg_simple_content_type(TG_SIMPLE_HTML));
		v->resp[FI_HTML_V1] = buf_response(&h2, tg_simple_content_type(TG_SIMPLE_HTML_V1));
		v->resp[FI_JSON] = buf_response(&json, tg_simple_content_type(TG_SIMPLE_JSON_V1));
		tg_buf_release(&h2);
	}
	tg_buf_release(&html);
	tg_buf_release(&json);
	for (i = 0; i < FI__N; i++) {
		if (!v->resp[i]) {
			view_put(v);
			v = NULL;
			goto out;
		}
		set_common_page_headers(v->resp[i], v->etag);
	}
out:
	for (i = 0; i < n_all; i++)
		free(all[i]);
	free(all);
	free(keep);
	return v;
}

/* ---- file job ---- */

static void run_file_job(struct worker *w, struct job *j)
{
	struct tg_proxy *p = w->p;
	struct up_file r;
	struct tg_err e;
	char *tmp = NULL, hex[65];
	uint64_t max = j->snap->cfg.max_file_bytes;
	int fd;

	tg_err_clear(&e);
	fd = file_cache_tmp(p->files, &tmp, &e);
	if (fd < 0) {
		j->status = 503;
		snprintf(j->msg, sizeof(j->msg), "the cache cannot be written: %.300s", e.msg);
		logf_(p, "error", "%s", j->msg);
		return;
	}
	if (j->declared_size >= 0 && (uint64_t)j->declared_size < max)
		max = (uint64_t)j->declared_size;
	atomic_fetch_add(&p->metrics.file_misses, 1);
	up_fetch_file(j->url, j->dir_root, fd, max, &p->stop, &r);
	metrics_upstream(&p->metrics, r.seconds, r.outcome == UP_OK);
	close(fd);
	if (r.outcome != UP_OK) {
		unlink(tmp);
		free(tmp);
		j->status = r.outcome == UP_TRANSIENT ? 503 : 502;
		j->transient = r.outcome == UP_TRANSIENT;
		snprintf(j->msg, sizeof(j->msg), "fetching %.120s from the upstream failed: %.200s",
			 j->filename, r.msg);
		logf_(p, "warning", "%s", j->msg);
		return;
	}
	tg_hex_encode(r.sha256, 32, hex);
	if (strcmp(hex, j->hex) != 0) {
		struct audit_event ev = { 0 };
		unlink(tmp);
		free(tmp);
		atomic_fetch_add(&p->metrics.hash_mismatches, 1);
		j->status = 502;
		snprintf(j->msg, sizeof(j->msg),
			 "%.100s from upstream %.40s has sha256 %.64s but the index says %.64s: refused",
			 j->filename, j->upstream, hex, j->hex);
		logf_(p, "error", "%s", j->msg);
		ev.client = j->client;
		ev.project = j->norm;
		ev.version = j->version[0] ? j->version : NULL;
		ev.file = j->filename;
		ev.decision = "deny";
		ev.rule = "hash-mismatch";
		ev.upstream = j->upstream;
		ev.sha256 = hex;
		ev.message = j->msg;
		ev.status = 502;
		audit_write(j->snap->audit, &ev);
		return;
	}
	tg_err_clear(&e);
	if (file_cache_commit(p->files, tmp, hex, r.bytes, &e)) {
		unlink(tmp);
		free(tmp);
		j->status = 503;
		snprintf(j->msg, sizeof(j->msg), "the cache cannot be written: %.300s", e.msg);
		logf_(p, "error", "%s", j->msg);
		return;
	}
	free(tmp);
	j->path = file_cache_path(p->files, hex);
	j->status = j->path ? 200 : 503;
}

/* ---- jobs and workers ---- */

static void job_put(struct job *j)
{
	if (!j || atomic_fetch_sub(&j->refs, 1) != 1)
		return;
	snap_put(j->snap);
	view_put(j->view);
	free(j->url);
	free(j->dir_root);
	free(j->upstream);
	free(j->path);
	free(j);
}

static struct job *job_new(enum job_kind kind, struct snapshot *s)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	atomic_store(&j->refs, 1);
	j->kind = kind;
	j->snap = s;
	atomic_fetch_add(&s->refs, 1);
	j->declared_size = -1;
	return j;
}

/* Caller holds p->mu. Suspends conn until the job is done. */
static void job_wait(struct tg_proxy *p, struct job *j, struct MHD_Connection *conn,
		     struct req *rq)
{
	struct waiter *wt = calloc(1, sizeof(*wt));

	/* Without memory for a waiter the request cannot wait: the
	 * caller answers 503 instead (rq->job stays NULL). */
	if (!wt)
		return;
	wt->conn = conn;
	wt->next = j->waiters;
	j->waiters = wt;
	atomic_fetch_add(&j->refs, 1);
	rq->job = j;
	atomic_fetch_add(&p->metrics.suspended, 1);
	MHD_suspend_connection(conn);
}

static void enqueue(struct tg_proxy *p, struct job *j)
{
	atomic_fetch_add(&j->refs, 1); /* the queue's */
	j->qnext = NULL;
	if (p->qtail)
		p->qtail->qnext = j;
	else
		p->qhead = j;
	p->qtail = j;
	pthread_cond_signal(&p->qcond);
}

static void finish_job(struct tg_proxy *p, struct job *j)
{
	struct waiter *wt, *next;
	struct job **pp;

	pthread_mutex_lock(&p->mu);
	j->done = true;
	if (j->kind == JOB_PAGE) {
		struct slot *s = slot_find(p, j->norm, true);
		if (s) {
			if (s->job == j) {
				s->job = NULL;
				job_put(j);
			}
			if (j->view) {
				if (s->view)
					p->view_bytes -= s->view->mem;
				view_put(s->view);
				s->view = view_get(j->view);
				p->view_bytes += s->view->mem;
				s->used = now_epoch();
				trim_views(p);
			}
		}
	} else if (j->kind == JOB_INDEX) {
		if (p->index_job == j) {
			p->index_job = NULL;
			job_put(j);
		}
		if (j->view) {
			view_put(p->index_view);
			p->index_view = view_get(j->view);
		}
	} else {
		for (pp = &p->file_jobs; *pp; pp = &(*pp)->fnext)
			if (*pp == j) {
				*pp = j->fnext;
				job_put(j);
				break;
			}
	}
	wt = j->waiters;
	j->waiters = NULL;
	for (; wt; wt = next) {
		next = wt->next;
		atomic_fetch_sub(&p->metrics.suspended, 1);
		MHD_resume_connection(wt->conn);
		free(wt);
	}
	pthread_mutex_unlock(&p->mu);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct tg_proxy *p = w->p;

	for (;;) {
		struct job *j;
		struct snapshot *s;

		pthread_mutex_lock(&p->mu);
		while (!p->qhead && !atomic_load(&p->stop)) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 2;
			if (pthread_cond_timedwait(&p->qcond, &p->mu, &ts) == ETIMEDOUT &&
			    now_epoch() - p->db_checked >= 2)
				break;
		}
		j = p->qhead;
		if (j) {
			p->qhead = j->qnext;
			if (!p->qhead)
				p->qtail = NULL;
		}
		pthread_mutex_unlock(&p->mu);
		if (!j) {
			if (atomic_load(&p->stop))
				break;
			s = snap_get(p);
			check_db(p, s);
			snap_put(s);
			continue;
		}
		if (!atomic_load(&p->stop)) {
			if (j->kind == JOB_PAGE)
				j->view = build_page_view(w, j);
			else if (j->kind == JOB_INDEX)
				j->view = build_index_view(w, j);
			else
				run_file_job(w, j);
		}
		if ((j->kind != JOB_FILE && !j->view) || atomic_load(&p->stop)) {
			view_put(j->view);
			j->view = error_view(p, j->snap, 503, true, "unavailable",
					     "the proxy is shutting down or out of memory", 1);
			if (j->kind == JOB_FILE) {
				j->status = 503;
				j->transient = true;
			}
		}
		finish_job(p, j);
		job_put(j); /* the queue's reference */
	}
	if (w->db)
		tg_db_close(w->db);
	free(w->db_path);
	return NULL;
}

/* ---- request handling ---- */

static enum MHD_Result queue_view(struct MHD_Connection *c, struct req *rq,
				  struct view *v)
{
	const char *inm;
	int fi = rq->fmt == TG_SIMPLE_JSON_V1 ? FI_JSON :
		 rq->fmt == TG_SIMPLE_HTML_V1 ? FI_HTML_V1 : FI_HTML;

	if (v->status != 200) {
		bool file = rq->t.route == TG_ROUTE_FILE;
		/* A denied project's page with refused links goes to package
		 * installers only: they print a failed download's URL, but
		 * not why an index page failed. */
		bool listed = v->status == 403 && rq->t.route == TG_ROUTE_PROJECT &&
			      v->resp[fi] && tg_simple_accept_names_api(accept_of(c));
		char version[TG_PEP440_MAX_LEN + 1];
		struct problem pr = {
			.status = v->status, .rule = v->rule, .detail = v->message,
			.project = rq->t.project[0] ? rq->t.project : NULL, .id = v->id,
			.file = file ? rq->t.filename : NULL,
			.retry_after = v->transient ? 30 : 0,
		};
		if (file && tg_dist_version(rq->t.filename, rq->t.project, version,
					    sizeof(version), NULL))
			pr.version = version;
		if (v->status == 403 && rq->snap->audit) {
			struct audit_event ev = {
				.client = rq->client, .project = rq->t.project,
				.version = pr.version, .file = pr.file, .decision = "deny",
				.rule = v->rule, .id = v->id, .message = v->message,
				.status = listed ? 200 : 403,
				.upstream = v->page ? v->page->upstream : NULL,
			};
			audit_write(rq->snap->audit, &ev);
		}
		if (!listed)
			return send_problem(c, rq, &pr);
	}
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && strstr(inm, v->etag)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
									 MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret;
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, v->etag);
		MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept");
		if (v->status == 403 && v->rule)
			MHD_add_response_header(r, "X-Tollgate-Rule", v->rule);
		ret = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, r);
		MHD_destroy_response(r);
		rq->status = 304;
		return ret;
	}
	rq->status = 200;
	return MHD_queue_response(c, MHD_HTTP_OK, v->resp[fi]);
}

static enum MHD_Result serve_cached_file(struct tg_proxy *p, struct MHD_Connection *c,
					struct req *rq, const char *path,
					const char *hex, const char *upstream,
					const char *version)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	struct MHD_Response *r;
	enum MHD_Result ret;
	char etag[80];
	const char *inm;

	if (fd < 0)
		return MHD_NO;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return MHD_NO;
	}
	file_cache_touch(p->files, path);
	snprintf(etag, sizeof(etag), "\"sha256-%s\"", hex);
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && strstr(inm, etag)) {
		close(fd);
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		rq->status = 304;
	} else {
		r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
		if (!r)
			close(fd);
		rq->status = 200;
		atomic_fetch_add(&p->metrics.bytes_served, (unsigned long long)st.st_size);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				rq->t.metadata ? "text/plain; charset=utf-8" :
				"application/octet-stream");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				"public, max-age=31536000, immutable");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, rq->status, r);
	MHD_destroy_response(r);
	if (rq->snap->audit && rq->status == 200) {
		struct audit_event ev = {
			.client = rq->client, .project = rq->t.project, .version = version,
			.file = rq->t.filename, .decision = "allow", .upstream = upstream,
			.sha256 = hex, .status = 200,
		};
		char mname[TG_PROXY_FILE_MAX + 16];
		if (rq->t.metadata) {
			snprintf(mname, sizeof(mname), "%s.metadata", rq->t.filename);
			ev.file = mname;
		}
		audit_write(rq->snap->audit, &ev);
	}
	atomic_fetch_add(&p->metrics.decisions[MD_ALLOW], 1);
	return ret;
}

static enum MHD_Result handle_file(struct tg_proxy *p, struct MHD_Connection *c,
				   struct req *rq, struct view *v)
{
	const struct tg_simple_file *f = NULL;
	const struct file_block *fb;
	const char *hex = NULL;
	char version[TG_PEP440_MAX_LEN + 1];
	char *path;
	size_t i;
	struct job *j;

	if (v->status != 200) {
		if (v->status == 403)
			atomic_fetch_add(&p->metrics.decisions[MD_DENY], 1);
		return queue_view(c, rq, v);
	}
	for (i = 0; i < v->page->proj.n_files; i++)
		if (strcmp(v->page->proj.files[i].filename, rq->t.filename) == 0) {
			f = &v->page->proj.files[i];
			break;
		}
	if (!f)
		return send_simple(c, rq, 404, "no such file on the project's index page");
	if (!tg_dist_version(f->filename, rq->t.project, version, sizeof(version), NULL))
		version[0] = 0;
	fb = &v->dec.files[i];
	if (fb->blocked) {
		struct problem pr = {
			.status = 403, .rule = fb->rule, .detail = fb->message,
			.project = rq->t.project, .version = version[0] ? version : NULL,
			.file = rq->t.filename, .id = fb->id,
		};
		if (rq->snap->audit) {
			struct audit_event ev = {
				.client = rq->client, .project = rq->t.project,
				.version = pr.version, .file = rq->t.filename, .decision = "deny",
				.rule = fb->rule, .id = fb->id, .upstream = v->page->upstream,
				.message = fb->message, .status = 403,
			};
			audit_write(rq->snap->audit, &ev);
		}
		atomic_fetch_add(&p->metrics.decisions[MD_DENY], 1);
		return send_problem(c, rq, &pr);
	}
	if (rq->t.metadata) {
		if (!f->core_metadata || !metadata_pin(f, &hex))
			return send_simple(c, rq, 404, "the index offers no verifiable metadata for this file");
	} else {
		hex = file_pin(f);
		if (!hex)
			return send_simple(c, rq, 502, "the upstream index gives no sha256 for this file");
	}
	path = file_cache_path(p->files, hex);
	if (path && access(path, R_OK) == 0) {
		enum MHD_Result ret;
		atomic_fetch_add(&p->metrics.file_hits, 1);
		ret = serve_cached_file(p, c, rq, path, hex, v->page->upstream,
					version[0] ? version : NULL);
		free(path);
		return ret;
	}
	free(path);
	pthread_mutex_lock(&p->mu);
	for (j = p->file_jobs; j; j = j->fnext)
		if (strcmp(j->hex, hex) == 0)
			break;
	if (!j) {
		j = job_new(JOB_FILE, rq->snap);
		if (j) {
			tg_strlcpy(j->norm, rq->t.project, sizeof(j->norm));
			tg_strlcpy(j->hex, hex, sizeof(j->hex));
			snprintf(j->filename, sizeof(j->filename), "%s%s", f->filename,
				 rq->t.metadata ? ".metadata" : "");
			tg_strlcpy(j->version, version, sizeof(j->version));
			tg_strlcpy(j->client, rq->client, sizeof(j->client));
			j->url = rq->t.metadata ? tg_asprintf("%s.metadata", f->url) : tg_strdup(f->url);
			j->dir_root = v->page->dir_root ? tg_strdup(v->page->dir_root) : NULL;
			j->upstream = tg_strdup(v->page->upstream);
			if (!rq->t.metadata)
				j->declared_size = f->size;
			if (!j->url || !j->upstream || (v->page->dir_root && !j->dir_root)) {
				job_put(j);
				j = NULL;
			} else {
				j->fnext = p->file_jobs;
				p->file_jobs = j;
				enqueue(p, j);
			}
		}
	}
	if (j)
		job_wait(p, j, c, rq);
	pthread_mutex_unlock(&p->mu);
	if (!rq->job)
		return send_simple(c, rq, 503, "out of memory");
	return MHD_YES;
}

/* Look up a fresh view or start (or join) the job that builds it. Returns
 * the view with a reference, or NULL after suspending the connection. */
static struct view *project_view(struct tg_proxy *p, struct MHD_Connection *c,
				 struct req *rq, bool *failed)
{
	struct slot *s;
	struct view *v = NULL;
	int64_t now = now_epoch();

	*failed = false;
	pthread_mutex_lock(&p->mu);
	s = slot_find(p, rq->t.project, true);
	if (!s) {
		pthread_mutex_unlock(&p->mu);
		*failed = true;
		return NULL;
	}
	if (view_fresh(p, s->view, rq->snap, now)) {
		s->used = now;
		v = view_get(s->view);
		pthread_mutex_unlock(&p->mu);
		return v;
	}
	if (!s->job) {
		struct job *j = job_new(JOB_PAGE, rq->snap);
		if (j) {
			tg_strlcpy(j->norm, rq->t.project, sizeof(j->norm));
			s->job = j;
			enqueue(p, j);
		}
	}
	if (s->job)
		job_wait(p, s->job, c, rq);
	pthread_mutex_unlock(&p->mu);
	if (!rq->job)
		*failed = true;
	return NULL;
}

static enum MHD_Result handle_index(struct tg_proxy *p, struct MHD_Connection *c,
				    struct req *rq)
{
	struct view *v = NULL;
	enum MHD_Result ret;

	pthread_mutex_lock(&p->mu);
	if (view_fresh(p, p->index_view, rq->snap, now_epoch())) {
		v = view_get(p->index_view);
	} else {
		if (!p->index_job) {
			struct job *j = job_new(JOB_INDEX, rq->snap);
			if (j) {
				p->index_job = j;
				enqueue(p, j);
			}
		}
		if (p->index_job)
			job_wait(p, p->index_job, c, rq);
	}
	pthread_mutex_unlock(&p->mu);
	if (v) {
		ret = queue_view(c, rq, v);
		view_put(v);
		return ret;
	}
	if (!rq->job)
		return send_simple(c, rq, 503, "out of memory");
	return MHD_YES;
}

static bool is_ready(struct tg_proxy *p)
{
	return atomic_load(&p->db_present);
}

static enum MHD_Result handle_new(struct tg_proxy *p, struct MHD_Connection *c,
				  struct req *rq, const char *url, const char *method)
{
	const char *auth;
	struct tg_buf b;
	enum MHD_Result ret;
	bool failed;
	struct view *v;
	int nh = MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL);

	if (nh > MAX_HEADERS)
		return send_simple(c, rq, 431, "too many request header fields");
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		struct problem pr = { .status = 405, .detail = "only GET and HEAD are supported",
				      .allow = "GET, HEAD" };
		return send_problem(c, rq, &pr);
	}
	tg_proxy_route(url, &rq->t);
	switch (rq->t.route) {
	case TG_ROUTE_INDEX: rq->mroute = MR_INDEX; break;
	case TG_ROUTE_PROJECT: rq->mroute = MR_PROJECT; break;
	case TG_ROUTE_FILE: rq->mroute = MR_FILE; break;
	default: rq->mroute = MR_OTHER; break;
	}
	/* Health checks stay open so that orchestrators need no token. */
	if (rq->t.route == TG_ROUTE_HEALTHZ) {
		tg_buf_init(&b, 64);
		tg_buf_adds(&b, "ok\n", NULL);
		ret = send_text(c, rq, 200, "text/plain; charset=utf-8", &b);
		tg_buf_release(&b);
		return ret;
	}
	if (rq->t.route == TG_ROUTE_READYZ) {
		bool ready = is_ready(p);
		tg_buf_init(&b, 256);
		tg_buf_adds(&b, ready ? "ready\n" :
			    "not ready: no advisory database (run 'tollgate db update')\n", NULL);
		ret = send_text(c, rq, ready ? 200 : 503, "text/plain; charset=utf-8", &b);
		tg_buf_release(&b);
		return ret;
	}
	auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (rq->snap->cfg.token && !tg_proxy_auth_ok(auth, rq->snap->cfg.token)) {
		struct problem pr = {
			.status = 401, .rule = "auth",
			.detail = "a token is required: use https://user:TOKEN@host/simple/ or "
				  "'Authorization: Bearer TOKEN'",
			.www_auth = "Basic realm=\"tollgate\", charset=\"UTF-8\"",
		};
		return send_problem(c, rq, &pr);
	}
	switch (rq->t.route) {
	case TG_ROUTE_ROOT:
		tg_buf_init(&b, 1024);
		tg_buf_adds(&b, "<!DOCTYPE html>\n<html><head><title>tollgate</title></head>"
			    "<body><p>tollgate proxy: the index is at <a href=\"simple/\">simple/</a>"
			    "</p></body></html>\n", NULL);
		ret = send_text(c, rq, 200, "text/html; charset=utf-8", &b);
		tg_buf_release(&b);
		return ret;
	case TG_ROUTE_METRICS:
		tg_buf_init(&b, 1 << 20);
		metrics_render(&p->metrics, is_ready(p), &b, NULL);
		ret = send_text(c, rq, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
		tg_buf_release(&b);
		return ret;
	case TG_ROUTE_REDIRECT: {
		struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
									 MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, rq->t.location);
		ret = MHD_queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
		MHD_destroy_response(r);
		rq->status = 301;
		return ret;
	}
	case TG_ROUTE_INDEX:
	case TG_ROUTE_PROJECT:
		rq->fmt = tg_simple_negotiate(accept_of(c));
		if (rq->fmt == TG_SIMPLE_UNACCEPTABLE)
			return send_simple(c, rq, 406, "acceptable types: "
					   "application/vnd.pypi.simple.v1+json, "
					   "application/vnd.pypi.simple.v1+html, text/html");
		if (rq->t.route == TG_ROUTE_INDEX)
			return handle_index(p, c, rq);
		break;
	case TG_ROUTE_FILE:
		break;
	default:
		return send_simple(c, rq, 404, "not found");
	}
	v = project_view(p, c, rq, &failed);
	if (!v)
		return failed ? send_simple(c, rq, 503, "out of memory") : MHD_YES;
	atomic_fetch_add(&p->metrics.page_hits, 0);
	ret = rq->t.route == TG_ROUTE_FILE ? handle_file(p, c, rq, v) : queue_view(c, rq, v);
	view_put(v);
	return ret;
}

static enum MHD_Result handle_resumed(struct tg_proxy *p, struct MHD_Connection *c,
				      struct req *rq)
{
	struct job *j = rq->job;
	enum MHD_Result ret;

	rq->job = NULL;
	if (j->kind == JOB_FILE) {
		if (j->status == 200 && j->path) {
			ret = serve_cached_file(p, c, rq, j->path, j->hex, j->upstream,
						j->version[0] ? j->version : NULL);
			if (ret == MHD_NO)
				ret = send_simple(c, rq, 503, "the cached file disappeared");
		} else {
			struct problem pr = {
				.status = j->status ? j->status : 503, .detail = j->msg,
				.rule = strstr(j->msg, "sha256") ? "hash-mismatch" : "upstream-error",
				.project = j->norm, .file = j->filename,
				.retry_after = j->transient ? 30 : 0,
			};
			atomic_fetch_add(&p->metrics.decisions[MD_ERROR], 1);
			ret = send_problem(c, rq, &pr);
		}
		job_put(j);
		return ret;
	}
	if (!j->view) {
		job_put(j);
		return send_simple(c, rq, 503, "out of memory");
	}
	if (rq->t.route == TG_ROUTE_FILE)
		ret = handle_file(p, c, rq, j->view);
	else
		ret = queue_view(c, rq, j->view);
	job_put(j);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	struct tg_proxy *p = cls;
	struct req *rq = *con_cls;

	(void)version;
	(void)upload_data;
	if (!rq) {
		const union MHD_ConnectionInfo *ci;
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		*con_cls = rq;
		rq->snap = snap_get(p);
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
					  rq->client, sizeof(rq->client));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
					  rq->client, sizeof(rq->client));
		}
		/* Answer on the next call, once any body is drained: a
		 * response queued earlier makes MHD close the connection. */
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0; /* bodies are never used: discard */
		return MHD_YES;
	}
	if (rq->job)
		return handle_resumed(p, c, rq);
	if (rq->status == 0)
		return handle_new(p, c, rq, url, method);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct tg_proxy *p = cls;
	struct req *rq = *con_cls;

	(void)c;
	(void)toe;
	if (!rq)
		return;
	if (rq->status)
		metrics_request(&p->metrics, rq->mroute, rq->status);
	job_put(rq->job);
	snap_put(rq->snap);
	free(rq);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct tg_proxy *p = cls;
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	if (p->hooks.log)
		p->hooks.log(p->hooks.ctx, "warning", msg);
}

/* ---- lifecycle ---- */

static int make_snapshot(struct tg_proxy_config *cfg, const char *db_path,
			 const struct tg_proxy_hooks *hooks, uint64_t gen,
			 struct snapshot **out, struct tg_err *err)
{
	struct snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	atomic_store(&s->refs, 1);
	s->gen = gen;
	s->cfg = *cfg;
	memset(cfg, 0, sizeof(*cfg));
	if (s->cfg.db_path)
		s->db_path = tg_strdup(s->cfg.db_path);
	else
		s->db_path = tg_db_resolve_path(db_path, err);
	if (!s->db_path) {
		snap_put(s);
		return err && err->code ? (int)err->code : tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	if (s->cfg.audit_log) {
		s->audit = audit_open(s->cfg.audit_log, hooks, err);
		if (!s->audit) {
			snap_put(s);
			return err->code;
		}
	}
	*out = s;
	return 0;
}

int tg_proxy_start(struct tg_proxy_config *cfg, const char *db_path,
		   const struct tg_proxy_hooks *hooks, struct tg_proxy **out,
		   struct tg_err *err)
{
	struct tg_proxy *p = calloc(1, sizeof(*p));
	struct sockaddr_storage ss;
	unsigned flags;
	unsigned threads;
	const union MHD_DaemonInfo *di;
	size_t i;
	int rc;

	if (!p)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (hooks)
		p->hooks = *hooks;
	pthread_mutex_init(&p->snap_mu, NULL);
	pthread_mutex_init(&p->mu, NULL);
	pthread_mutex_init(&p->names_mu, NULL);
	pthread_cond_init(&p->qcond, NULL);
	metrics_init(&p->metrics);
	if ((rc = up_global_init(err)))
		goto fail;
	if (!cfg->cache_dir) {
		const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
		cfg->cache_dir = xdg && *xdg ? tg_asprintf("%s/tollgate/proxy", xdg) :
			tg_asprintf("%s/.cache/tollgate/proxy", home ? home : "/tmp");
		if (!cfg->cache_dir) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if ((rc = file_cache_open(cfg->cache_dir, cfg->cache_max_bytes, &p->metrics,
				  &p->files, err)))
		goto fail;
	p->pages_dir = tg_path_join(cfg->cache_dir, "pages");
	if (!p->pages_dir || (rc = tg_mkdir_p(p->pages_dir, err))) {
		rc = rc ? rc : tg_err_set(err, TG_ENOMEM, "out of memory");
		goto fail;
	}
	memset(&ss, 0, sizeof(ss));
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO |
		MHD_USE_ERROR_LOG;
	if (strchr(cfg->listen, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)cfg->port);
		inet_pton(AF_INET6, cfg->listen, &s6->sin6_addr);
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)cfg->port);
		inet_pton(AF_INET, cfg->listen, &s4->sin_addr);
	}
	threads = cfg->threads ? cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	p->n_workers = cfg->workers ? cfg->workers : 4;
	p->next_gen = 1;
	if ((rc = make_snapshot(cfg, db_path, hooks, p->next_gen++, &p->snap, err)))
		goto fail;
	check_db(p, p->snap);
	p->workers = calloc(p->n_workers, sizeof(*p->workers));
	if (!p->workers) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < p->n_workers; i++) {
		p->workers[i].p = p;
		if (pthread_create(&p->workers[i].th, NULL, worker_main, &p->workers[i]) != 0) {
			p->n_workers = i;
			rc = tg_err_set(err, TG_EIO, "cannot start worker threads");
			goto fail;
		}
	}
	if ((rc = tg_lazy_require(TG_LAZY_MHD, "the proxy's HTTP server", err)) ||
	    (rc = tg_lazy_require(TG_LAZY_CRYPTO, "the proxy's hashing", err)))
		goto fail;
	p->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, p,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, p,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				  MHD_OPTION_THREAD_POOL_SIZE, threads,
				  MHD_OPTION_CONNECTION_LIMIT, p->snap->cfg.max_connections,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, p->snap->cfg.max_per_ip,
				  MHD_OPTION_CONNECTION_TIMEOUT, p->snap->cfg.connection_timeout_s,
				  /* Bounds the request line and headers of one request. */
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
				  MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, p,
				  MHD_OPTION_END);
	if (!p->mhd) {
		rc = tg_err_set(err, TG_EIO, "cannot listen on %s port %u (in use, or not allowed)",
				p->snap->cfg.listen, p->snap->cfg.port);
		goto fail;
	}
	di = MHD_get_daemon_info(p->mhd, MHD_DAEMON_INFO_BIND_PORT);
	p->port = di ? di->port : p->snap->cfg.port;
	*out = p;
	return 0;
fail:
	tg_proxy_stop(p);
	return rc;
}

int tg_proxy_reload(struct tg_proxy *p, struct tg_proxy_config *cfg,
		    struct tg_err *err)
{
	struct snapshot *s, *old;
	const struct tg_proxy_config *cur = &p->snap->cfg;
	int rc;

	if (strcmp(cfg->listen, cur->listen) != 0 || cfg->port != cur->port ||
	    cfg->threads != cur->threads || cfg->workers != cur->workers ||
	    cfg->max_connections != cur->max_connections || cfg->max_per_ip != cur->max_per_ip ||
	    cfg->connection_timeout_s != cur->connection_timeout_s)
		logf_(p, "warning", "listen address, port, threads and connection limits "
		      "change only on restart");
	if (!cfg->cache_dir && cur->cache_dir)
		cfg->cache_dir = tg_strdup(cur->cache_dir);
	if (cfg->cache_dir && cur->cache_dir && strcmp(cfg->cache_dir, cur->cache_dir) != 0)
		logf_(p, "warning", "cache-dir changes only on restart");
	rc = make_snapshot(cfg, p->snap->db_path, &p->hooks, 0, &s, err);
	if (rc)
		return rc;
	file_cache_set_max(p->files, s->cfg.cache_max_bytes);
	pthread_mutex_lock(&p->snap_mu);
	s->gen = p->next_gen++;
	old = p->snap;
	p->snap = s;
	pthread_mutex_unlock(&p->snap_mu);
	check_db(p, s);
	snap_put(old);
	return 0;
}

unsigned tg_proxy_port(const struct tg_proxy *p)
{
	return p->port;
}

void tg_proxy_stop(struct tg_proxy *p)
{
	size_t i;
	struct slot *s, *next;

	if (!p)
		return;
	atomic_store(&p->stop, true);
	pthread_mutex_lock(&p->mu);
	pthread_cond_broadcast(&p->qcond);
	pthread_mutex_unlock(&p->mu);
	/* Workers answer what they hold (resuming its connections) and exit. */
	for (i = 0; i < p->n_workers; i++)
		pthread_join(p->workers[i].th, NULL);
	/* Jobs still queued: resume their waiters with an error. */
	for (;;) {
		struct job *j;
		pthread_mutex_lock(&p->mu);
		j = p->qhead;
		if (j) {
			p->qhead = j->qnext;
			if (!p->qhead)
				p->qtail = NULL;
		}
		pthread_mutex_unlock(&p->mu);
		if (!j)
			break;
		j->status = 503;
		j->transient = true;
		if (j->kind != JOB_FILE)
			j->view = error_view(p, j->snap, 503, true, "unavailable", "shutting down", 1);
		finish_job(p, j);
		job_put(j);
	}
	if (p->mhd)
		MHD_stop_daemon(p->mhd);
	for (i = 0; i < BUCKETS; i++)
		for (s = p->buckets[i]; s; s = next) {
			next = s->next;
			view_put(s->view);
			job_put(s->job);
			free(s->norm);
			free(s);
		}
	view_put(p->index_view);
	job_put(p->index_job);
	while (p->file_jobs) {
		struct job *j = p->file_jobs;
		p->file_jobs = j->fnext;
		job_put(j);
	}
	snap_put(p->snap);
	file_cache_close(p->files);
	tg_vet_names_free(p->names);
	pthread_mutex_destroy(&p->names_mu);
	free(p->pages_dir);
	free(p->workers);
	pthread_mutex_destroy(&p->snap_mu);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->qcond);
	free(p);
}

/* The proxy's upstream client: HTTPS indexes through libcurl with a shared
 * connection cache, and local directories laid out as PEP 503 static
 * indexes. */
#define _GNU_SOURCE
#include "proxy_internal.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/fs.h"
#include "tollgate/http.h"
#include "tollgate/pep503.h"
#include "tollgate/str.h"
#include "lazy/lazy.h"

static CURLSH *g_share;
static pthread_mutex_t g_share_locks[CURL_LOCK_DATA_LAST];

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access a, void *u)
{
	(void)h; (void)a; (void)u;
	pthread_mutex_lock(&g_share_locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *u)
{
	(void)h; (void)u;
	pthread_mutex_unlock(&g_share_locks[data]);
}

int up_global_init(struct tg_err *err)
{
	int i, rc;

	if (g_share)
		return 0;
	if ((rc = tg_lazy_require(TG_LAZY_CURL, "the proxy's upstream client", err)))
		return rc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return tg_err_set(err, TG_ENET, "libcurl failed to initialise");
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&g_share_locks[i], NULL);
	g_share = curl_share_init();
	if (!g_share)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	curl_share_setopt(g_share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(g_share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(g_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(g_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	/* Keeps TCP+TLS connections to the upstream open across requests. */
	curl_share_setopt(g_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	return 0;
}

void up_global_cleanup(void)
{
	int i;

	if (!g_share)
		return;
	curl_share_cleanup(g_share);
	g_share = NULL;
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&g_share_locks[i]);
	curl_global_cleanup();
}

void up_page_release(struct up_page *r)
{
	tg_buf_release(&r->body);
	free(r->etag);
	free(r->last_modified);
	free(r->base_url);
	memset(r, 0, sizeof(*r));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- HTTP(S) ---- */

struct http_ctx {
	struct tg_buf *body;
	int fd;
	EVP_MD_CTX *md;
	uint64_t bytes, max;
	bool over;
	bool io_error;
	char *etag, *last_modified, *ctype;
	const atomic_bool *stop;
};

static size_t on_body(char *p, size_t sz, size_t n, void *u)
{
	struct http_ctx *c = u;
	size_t len = sz * n;

	if (c->bytes + len > c->max) {
		c->over = true;
		return 0;
	}
	c->bytes += len;
	if (c->body) {
		if (tg_buf_add(c->body, p, len, NULL)) {
			c->over = true;
			return 0;
		}
		return len;
	}
	if (c->md && EVP_DigestUpdate(c->md, p, len) != 1) {
		c->io_error = true;
		return 0;
	}
	{
		size_t off = 0;
		while (off < len) {
			ssize_t w = write(c->fd, p + off, len - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				c->io_error = true;
				return 0;
			}
			off += (size_t)w;
		}
	}
	return len;
}

static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const char *v, *e;

	if (len <= nl + 1 || tg_ascii_ncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return NULL;
	v = line + nl + 1;
	e = line + len;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
		e--;
	if (e - v > 1000)
		return NULL;
	return tg_strndup(v, (size_t)(e - v));
}

static size_t on_header(char *p, size_t sz, size_t n, void *u)
{
	struct http_ctx *c = u;
	size_t len = sz * n;
	char *v;

	/* A new response (after a redirect) starts over. */
	if (len > 5 && memcmp(p, "HTTP/", 5) == 0) {
		free(c->etag); c->etag = NULL;
		free(c->last_modified); c->last_modified = NULL;
		free(c->ctype); c->ctype = NULL;
	}
	if ((v = header_value(p, len, "etag"))) {
		free(c->etag);
		c->etag = v;
	} else if ((v = header_value(p, len, "last-modified"))) {
		free(c->last_modified);
		c->last_modified = v;
	} else if ((v = header_value(p, len, "content-type"))) {
		free(c->ctype);
		c->ctype = v;
	}
	return len;
}

static int on_progress(void *u, curl_off_t dt, curl_off_t dn, curl_off_t ut,
		       curl_off_t un)
{
	struct http_ctx *c = u;

	(void)dt; (void)dn; (void)ut; (void)un;
	return (c->stop && atomic_load(c->stop)) ? 1 : 0;
}

static CURL *new_handle(const char *url, struct http_ctx *c, bool loopback_ok)
{
	CURL *h = curl_easy_init();

	if (!h)
		return NULL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_SHARE, g_share);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, loopback_ok ? "https,http" : "https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, loopback_ok ? "https,http" : "https");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "tollgate-proxy/" "0.1");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	return h;
}

static enum up_outcome classify(CURLcode cc, long status, bool stopped)
{
	if (stopped)
		return UP_TRANSIENT;
	switch (cc) {
	case CURLE_OK:
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return UP_TRANSIENT;
	default:
		return UP_FAILED;
	}
	if (status == 404 || status == 410)
		return UP_NOT_FOUND;
	if (status == 429 || status >= 500)
		return UP_TRANSIENT;
	if (status == 200 || status == 304)
		return UP_OK;
	return UP_FAILED;
}

static void fetch_page_http(const struct tg_proxy_upstream_cfg *u,
			    const char *norm, const char *etag, const char *lm,
			    const atomic_bool *stop, struct up_page *out)
{
	struct http_ctx c;
	struct curl_slist *hdrs = NULL;
	char *url, *eff = NULL;
	bool slash = tg_str_ends_with(u->url, "/");
	bool loop = tg_http_is_loopback(u->url);
	CURL *h;
	CURLcode cc;
	double t0 = now_s();

	memset(&c, 0, sizeof(c));
	tg_buf_init(&out->body, TG_SIMPLE_MAX_PAGE);
	c.body = &out->body;
	c.fd = -1;
	c.max = TG_SIMPLE_MAX_PAGE;
	c.stop = stop;
	url = norm ? tg_asprintf("%s%s%s/", u->url, slash ? "" : "/", norm) :
		tg_asprintf("%s%s", u->url, slash ? "" : "/");
	if (!url || !(h = new_handle(url, &c, loop))) {
		free(url);
		out->outcome = UP_FAILED;
		tg_strlcpy(out->msg, "out of memory", sizeof(out->msg));
		return;
	}
	hdrs = curl_slist_append(hdrs, "Accept: application/vnd.pypi.simple.v1+json, "
				 "application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1");
	if (etag) {
		char *hv = tg_asprintf("If-None-Match: %s", etag);
		if (hv)
			hdrs = curl_slist_append(hdrs, hv);
		free(hv);
	}
	if (lm) {
		char *hv = tg_asprintf("If-Modified-Since: %s", lm);
		if (hv)
			hdrs = curl_slist_append(hdrs, hv);
		free(hv);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
	out->base_url = tg_strdup(eff ? eff : url);
	out->outcome = classify(cc, out->status, stop && atomic_load(stop));
	if (c.over) {
		out->outcome = UP_FAILED;
		snprintf(out->msg, sizeof(out->msg), "%s: page larger than %zu bytes",
			 url, TG_SIMPLE_MAX_PAGE);
	} else if (cc != CURLE_OK) {
		snprintf(out->msg, sizeof(out->msg), "%s: %s", url, curl_easy_strerror(cc));
	} else if (out->outcome != UP_OK) {
		snprintf(out->msg, sizeof(out->msg), "%s: HTTP %ld", url, out->status);
	}
	out->not_modified = out->outcome == UP_OK && out->status == 304;
	out->is_json = c.ctype && strstr(c.ctype, "json") != NULL;
	if (out->outcome == UP_OK && !out->not_modified && c.ctype &&
	    !strstr(c.ctype, "json") && !strstr(c.ctype, "html")) {
		out->outcome = UP_FAILED;
		snprintf(out->msg, sizeof(out->msg), "%s: unexpected Content-Type %s", url, c.ctype);
	}
	out->etag = c.etag;
	out->last_modified = c.last_modified;
	free(c.ctype);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	free(url);
	out->seconds = now_s() - t0;
}

/* ---- local directories ---- */

static char *file_url_of(const char *path)
{
	/* Percent-encode each byte that is not unreserved or '/'. */
	struct tg_buf b;
	const unsigned char *p;

	tg_buf_init(&b, (size_t)PATH_MAX * 3 + 16);
	if (tg_buf_adds(&b, "file://", NULL))
		goto fail;
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~+!", *p)) {
			if (tg_buf_addc(&b, (char)*p, NULL))
				goto fail;
		} else if (tg_buf_addf(&b, NULL, "%%%02X", *p)) {
			goto fail;
		}
	}
	return tg_buf_detach(&b, NULL);
fail:
	tg_buf_release(&b);
	return NULL;
}

/* The project's directory: <root>/<norm>/, else an entry whose name
 * normalises to norm (static indexes often keep the display name). */
static char *find_project_dir(const char *root, const char *norm)
{
	char *cand = tg_path_join(root, norm), *found = NULL;
	struct stat st;
	DIR *d;
	struct dirent *de;
	size_t seen = 0;

	if (cand && stat(cand, &st) == 0 && S_ISDIR(st.st_mode))
		return cand;
	free(cand);
	d = opendir(root);
	if (!d)
		return NULL;
	while ((de = readdir(d)) && seen++ < 1000000) {
		char tmp[NAME_MAX + 1];
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n > NAME_MAX)
			continue;
		tg_pep503_normalize(de->d_name, n, tmp);
		if (strcmp(tmp, norm) == 0) {
			found = tg_path_join(root, de->d_name);
			break;
		}
	}
	closedir(d);
	return found;
}

static void fetch_page_dir(const struct tg_proxy_upstream_cfg *u,
			   const char *norm, const char *etag,
			   struct up_page *out)
{
	char *pdir = norm ? find_project_dir(u->dir, norm) : tg_strdup(u->dir);
	char *path = NULL, tag[64];
	struct stat st;
	struct tg_err e;
	double t0 = now_s();

	tg_buf_init(&out->body, TG_SIMPLE_MAX_PAGE);
	if (!pdir) {
		out->outcome = UP_NOT_FOUND;
		snprintf(out->msg, sizeof(out->msg), "no directory for %s in %s",
			 norm ? norm : "", u->dir);
		return;
	}
	path = tg_path_join(pdir, "index.json");
	out->is_json = true;
	if (path && stat(path, &st) != 0) {
		free(path);
		path = tg_path_join(pdir, "index.html");
		out->is_json = false;
	}
	if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		out->outcome = norm ? UP_NOT_FOUND : UP_OK;
		snprintf(out->msg, sizeof(out->msg), "no index page in %s", pdir);
		if (!norm)
			out->status = 200; /* a bare directory: listed by the caller */
		goto out;
	}
	snprintf(tag, sizeof(tag), "\"%llx-%llx-%lx\"", (unsigned long long)st.st_mtim.tv_sec,
		 (unsigned long long)st.st_size, (unsigned long)st.st_mtim.tv_nsec);
	out->etag = tg_strdup(tag);
	{
		char *withslash = tg_asprintf("%s/", pdir);
		out->base_url = withslash ? file_url_of(withslash) : NULL;
		free(withslash);
	}
	if (etag && strcmp(etag, tag) == 0) {
		out->outcome = UP_OK;
		out->not_modified = true;
		out->status = 304;
		goto out;
	}
	tg_err_clear(&e);
	if (tg_read_file(path, TG_SIMPLE_MAX_PAGE, &out->body, &e)) {
		out->outcome = UP_FAILED;
		tg_strlcpy(out->msg, e.msg, sizeof(out->msg));
		goto out;
	}
	out->outcome = UP_OK;
	out->status = 200;
out:
	free(path);
	free(pdir);
	out->seconds = now_s() - t0;
}

void up_fetch_page(const struct tg_proxy_upstream_cfg *u, const char *norm_name,
		   const char *etag, const char *last_modified,
		   const atomic_bool *stop, struct up_page *out)
{
	memset(out, 0, sizeof(*out));
	if (u->dir)
		fetch_page_dir(u, norm_name, etag, out);
	else
		fetch_page_http(u, norm_name, etag, last_modified, stop, out);
}

/* Decode a file:// URL to a real path inside root; heap or NULL. */
static char *local_path(const char *url, const char *root)
{
	char *dec, real[PATH_MAX], *out = NULL;
	int n = 0;
	size_t rl = strlen(root);

	if (!tg_str_starts_with(url, "file://"))
		return NULL;
	url += 7;
	if (tg_str_starts_with(url, "localhost/"))
		url += 9;
	if (url[0] != '/' || strchr(url, '?') || strchr(url, '#'))
		return NULL;
	dec = curl_easy_unescape(NULL, url, 0, &n);
	if (!dec)
		return NULL;
	if ((size_t)n == strlen(dec) && realpath(dec, real) &&
	    strncmp(real, root, rl) == 0 && real[rl] == '/')
		out = tg_strdup(real);
	curl_free(dec);
	return out;
}

int64_t up_local_mtime(const char *url, const char *dir_root)
{
	char *p;
	struct stat st;
	int64_t t = -1;

	if (!dir_root)
		return -1;
	p = local_path(url, dir_root);
	if (p && stat(p, &st) == 0)
		t = (int64_t)st.st_mtim.tv_sec;
	free(p);
	return t;
}

static void fetch_file_dir(const char *url, const char *root, int fd,
			   uint64_t max, const atomic_bool *stop,
			   struct up_file *out)
{
	char *path = local_path(url, root);
	struct http_ctx c;
	char buf[65536];
	int in;

	if (!path) {
		out->outcome = UP_FAILED;
		snprintf(out->msg, sizeof(out->msg),
			 "file URL %.200s is outside the upstream directory", url);
		return;
	}
	in = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (in < 0) {
		out->outcome = errno == ENOENT ? UP_NOT_FOUND : UP_FAILED;
		snprintf(out->msg, sizeof(out->msg), "%.200s: %s", url, strerror(errno));
		return;
	}
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.max = max;
	c.md = EVP_MD_CTX_new();
	if (!c.md || EVP_DigestInit_ex(c.md, EVP_sha256(), NULL) != 1) {
		out->outcome = UP_FAILED;
		goto out;
	}
	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			out->outcome = UP_FAILED;
			snprintf(out->msg, sizeof(out->msg), "reading %.200s: %s", url, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		if (stop && atomic_load(stop)) {
			out->outcome = UP_TRANSIENT;
			goto out;
		}
		if (on_body(buf, 1, (size_t)r, &c) != (size_t)r) {
			out->outcome = UP_FAILED;
			snprintf(out->msg, sizeof(out->msg), c.over ?
				 "%.200s is larger than the size limit" : "writing cache: I/O error", url);
			goto out;
		}
	}
	EVP_DigestFinal_ex(c.md, out->sha256, NULL);
	out->bytes = c.bytes;
	out->outcome = UP_OK;
	out->status = 200;
out:
	EVP_MD_CTX_free(c.md);
	close(in);
}

void up_fetch_file(const char *url, const char *dir_root, int fd,
		   uint64_t max_bytes, const atomic_bool *stop,
		   struct up_file *out)
{
	struct http_ctx c;
	CURL *h;
	CURLcode cc;
	double t0 = now_s();
	bool loop;

	memset(out, 0, sizeof(*out));
	if (tg_str_starts_with(url, "file:")) {
		if (!dir_root) {
			out->outcome = UP_FAILED;
			snprintf(out->msg, sizeof(out->msg),
				 "a remote index may not point at local file %.200s", url);
			return;
		}
		fetch_file_dir(url, dir_root, fd, max_bytes, stop, out);
		out->seconds = now_s() - t0;
		return;
	}
	loop = tg_http_is_loopback(url);
	if (!tg_str_starts_with(url, "https://") && !(loop && tg_str_starts_with(url, "http://"))) {
		out->outcome = UP_FAILED;
		snprintf(out->msg, sizeof(out->msg), "refusing to fetch %.200s: not https", url);
		return;
	}
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.max = max_bytes;
	c.stop = stop;
	c.md = EVP_MD_CTX_new();
	if (!c.md || EVP_DigestInit_ex(c.md, EVP_sha256(), NULL) != 1 ||
	    !(h = new_handle(url, &c, loop))) {
		EVP_MD_CTX_free(c.md);
		out->outcome = UP_FAILED;
		tg_strlcpy(out->msg, "out of memory", sizeof(out->msg));
		return;
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	out->outcome = classify(cc, out->status, stop && atomic_load(stop));
	if (out->outcome == UP_OK && out->status != 200)
		out->outcome = UP_FAILED;
	if (c.over) {
		out->outcome = UP_FAILED;
		snprintf(out->msg, sizeof(out->msg), "%.200s is larger than the size limit", url);
	} else if (c.io_error) {
		out->outcome = UP_FAILED;
		snprintf(out->msg, sizeof(out->msg), "writing the cache failed");
	} else if (cc != CURLE_OK) {
		snprintf(out->msg, sizeof(out->msg), "%.200s: %s", url, curl_easy_strerror(cc));
	} else if (out->outcome != UP_OK) {
		snprintf(out->msg, sizeof(out->msg), "%.200s: HTTP %ld", url, out->status);
	}
	if (out->outcome == UP_OK)
		EVP_DigestFinal_ex(c.md, out->sha256, NULL);
	out->bytes = c.bytes;
	EVP_MD_CTX_free(c.md);
	free(c.etag);
	free(c.last_modified);
	free(c.ctype);
	curl_easy_cleanup(h);
	out->seconds = now_s() - t0;
}

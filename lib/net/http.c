/* libcurl GET with retries, conditional headers and caps (see http.h). */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "tollgate/http.h"
#include "tollgate/str.h"
#include "tollgate/version.h"
#include "lazy/lazy.h"

#define MAX_BACKOFF_MS 30000u
#define DEFAULT_MAX_BYTES ((uint64_t)4 << 30)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void tg_http_response_release(struct tg_http_response *r)
{
	if (!r)
		return;
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	memset(r, 0, sizeof(*r));
}

bool tg_http_is_loopback(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	bool ok = false;

	if (!u)
		return false;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (tg_ascii_casecmp(host, "localhost") == 0 ||
		    strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0)
			ok = true;
		else if (strncmp(host, "127.", 4) == 0) {
			/* a dotted quad in 127.0.0.0/8, nothing else */
			const char *p = host + 4;
			int dots = 0;
			ok = true;
			for (; *p; p++) {
				if (*p == '.')
					dots++;
				else if (*p < '0' || *p > '9')
					ok = false;
			}
			if (dots != 2)
				ok = false;
		}
	}
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

int tg_http_check_url(const char *url, bool allow_loopback_http,
		      struct tg_err *err)
{
	if (tg_ascii_ncasecmp(url, "https://", 8) == 0)
		return 0;
	if (tg_ascii_ncasecmp(url, "http://", 7) == 0) {
		if (allow_loopback_http && tg_http_is_loopback(url))
			return 0;
		return tg_err_set(err, TG_EUSAGE,
				  "refusing plain http:// for %s: use https:// (http:// is only allowed to loopback addresses, for tests)",
				  url);
	}
	return tg_err_set(err, TG_EUSAGE,
			  "unsupported URL '%s': only https:// is fetched", url);
}

struct sink {
	int fd;                 /* >= 0: write here */
	struct tg_buf *buf;     /* else here */
	uint64_t written;
	uint64_t max;
	int write_errno;
	bool over_limit;
	struct tg_http_response *resp;
	const struct tg_http_request *req;
	bool buf_err;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;

	if (s->written + n > s->max) {
		s->over_limit = true;
		return 0;
	}
	if (s->fd >= 0) {
		size_t left = n;
		const char *q = p;
		while (left) {
			ssize_t w = write(s->fd, q, left);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				s->write_errno = errno;
				return 0;
			}
			q += w;
			left -= (size_t)w;
		}
	} else {
		struct tg_err e;
		if (tg_buf_add(s->buf, p, n, &e)) {
			s->over_limit = e.code == TG_ELIMIT;
			s->buf_err = true;
			return 0;
		}
	}
	s->written += n;
	return n;
}

/* Keep the value of a response header we care about. */
static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb, klen;
	static const char *const keys[] = { "etag:", "last-modified:", "content-type:" };
	char **slots[3];
	size_t i;

	slots[0] = &s->resp->etag;
	slots[1] = &s->resp->last_modified;
	slots[2] = &s->resp->content_type;
	/* A new status line starts a new response (redirect, 100 Continue):
	 * forget the previous one's headers. */
	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		for (i = 0; i < 3; i++) {
			free(*slots[i]);
			*slots[i] = NULL;
		}
		return n;
	}
	for (i = 0; i < 3; i++) {
		klen = strlen(keys[i]);
		if (n > klen && tg_ascii_ncasecmp(p, keys[i], klen) == 0) {
			const char *v = p + klen, *e = p + n;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			while (e > v && (e[-1] == '\r' || e[-1] == '\n' ||
					 e[-1] == ' ' || e[-1] == '\t'))
				e--;
			if (e - v > 1024)
				break; /* absurd header: ignore it */
			free(*slots[i]);
			*slots[i] = tg_strndup(v, (size_t)(e - v));
			break;
		}
	}
	return n;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct sink *s = ud;

	(void)ultotal;
	(void)ulnow;
	if (s->req->progress)
		s->req->progress(s->req->progress_ctx,
				 dlnow > 0 ? (uint64_t)dlnow : 0,
				 dltotal > 0 ? (uint64_t)dltotal : 0);
	return 0;
}

static bool transient_curl(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int reset_sink(struct sink *s, struct tg_err *err)
{
	s->written = 0;
	s->over_limit = false;
	s->write_errno = 0;
	s->buf_err = false;
	if (s->fd >= 0) {
		if (ftruncate(s->fd, 0) < 0 || lseek(s->fd, 0, SEEK_SET) < 0)
			return tg_err_set(err, TG_EIO, "cannot reset download file: %s",
					  strerror(errno));
	} else {
		tg_buf_reset(s->buf);
	}
	return 0;
}

static int http_get(const struct tg_http_request *req, struct sink *s,
		    struct tg_http_response *resp, struct tg_err *err)
{
	CURL *c = NULL;
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE];
	char *h = NULL;
	int attempts = req->retries < 0 ? 3 : req->retries;
	unsigned backoff = req->retry_base_ms ? req->retry_base_ms : 1000;
	bool allow_http;
	int rc = 0, i;

	memset(resp, 0, sizeof(*resp));
	s->resp = resp;
	s->req = req;
	s->max = req->max_bytes ? req->max_bytes : DEFAULT_MAX_BYTES;
	rc = tg_http_check_url(req->url, req->allow_loopback_http, err);
	if (rc)
		return rc;
	allow_http = req->allow_loopback_http && tg_http_is_loopback(req->url);
	if ((rc = tg_lazy_require(TG_LAZY_CURL, "downloads", err)))
		return rc;
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return tg_err_set(err, TG_ENET, "libcurl initialisation failed");
	c = curl_easy_init();
	if (!c)
		return tg_err_set(err, TG_ENOMEM, "out of memory (curl)");

	if (req->etag) {
		h = tg_asprintf("If-None-Match: %s", req->etag);
		if (!h || !(hdrs = curl_slist_append(hdrs, h)))
			goto oom;
		free(h);
		h = NULL;
	}
	if (req->last_modified) {
		h = tg_asprintf("If-Modified-Since: %s", req->last_modified);
		if (!h)
			goto oom;
		{
			struct curl_slist *t = curl_slist_append(hdrs, h);
			if (!t)
				goto oom;
			hdrs = t;
		}
		free(h);
		h = NULL;
	}
	if (req->accept) {
		struct curl_slist *t;
		h = tg_asprintf("Accept: %s", req->accept);
		if (!h || !(t = curl_slist_append(hdrs, h)))
			goto oom;
		hdrs = t;
		free(h);
		h = NULL;
	}

	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, allow_http ? "http,https" : "https");
	/* Redirects stay on HTTPS (a loopback test server may redirect to
	 * itself over http). */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, allow_http ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, req->connect_timeout_s > 0 ? req->connect_timeout_s : 30L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, req->timeout_s > 0 ? req->timeout_s : 1800L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, req->low_speed_time_s > 0 ? req->low_speed_time_s : 60L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "tollgate/" TOLLGATE_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, s);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

	for (i = 0; i <= attempts; i++) {
		CURLcode cc;
		long status = 0;
		bool retry = false;

		if (i > 0) {
			sleep_ms(backoff);
			backoff = backoff >= MAX_BACKOFF_MS / 2 ? MAX_BACKOFF_MS : backoff * 2;
		}
		if ((rc = reset_sink(s, err)))
			goto out;
		errbuf[0] = '\0';
		resp->attempts = i + 1;
		cc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		resp->status = status;
		if (cc == CURLE_OK) {
			if (status == 304 && (req->etag || req->last_modified)) {
				resp->not_modified = true;
				resp->bytes = 0;
				rc = 0;
				goto out;
			}
			if (status >= 200 && status < 300) {
				resp->bytes = s->written;
				rc = 0;
				goto out;
			}
			rc = tg_err_set(err, TG_ENET, "%s: HTTP %ld", req->url, status);
			retry = status >= 500;
		} else if (s->over_limit || cc == CURLE_FILESIZE_EXCEEDED) {
			rc = tg_err_set(err, TG_ELIMIT,
					"%s: response is larger than the limit of %llu bytes",
					req->url, (unsigned long long)s->max);
			goto out;
		} else if (s->write_errno) {
			rc = tg_err_set(err, TG_EIO, "%s: writing the download failed: %s",
					req->url, strerror(s->write_errno));
			goto out;
		} else if (s->buf_err) {
			rc = tg_err_set(err, TG_ENOMEM, "%s: out of memory", req->url);
			goto out;
		} else if (cc == CURLE_UNSUPPORTED_PROTOCOL) {
			rc = tg_err_set(err, TG_ENET,
					"%s: redirected to a URL that is not https://", req->url);
			goto out;
		} else {
			rc = tg_err_set(err, TG_ENET, "%s: %s", req->url,
					errbuf[0] ? errbuf : curl_easy_strerror(cc));
			retry = transient_curl(cc);
		}
		if (!retry)
			goto out;
	}
	if (rc && attempts > 0)
		tg_err_prefix(err, "after %d attempts", attempts + 1);
	goto out;
oom:
	rc = tg_err_set(err, TG_ENOMEM, "out of memory");
out:
	free(h);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return rc;
}

int tg_http_get_fd(const struct tg_http_request *req, int fd,
		   struct tg_http_response *resp, struct tg_err *err)
{
	struct sink s = { .fd = fd };

	return http_get(req, &s, resp, err);
}

int tg_http_get_buf(const struct tg_http_request *req, struct tg_buf *out,
		    struct tg_http_response *resp, struct tg_err *err)
{
	struct sink s = { .fd = -1, .buf = out };

	return http_get(req, &s, resp, err);
}

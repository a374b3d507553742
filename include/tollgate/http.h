/* HTTP(S) GET with libcurl: timeouts, retries with backoff, conditional
 * requests, a size cap, and HTTPS only (plain http:// to loopback
 * addresses when the caller allows it, for tests).
 *
 * Used by `db update`; general enough for other clients (the proxy's
 * upstream, online checks). Thread-safe: each call uses its own handle.
 *
 * Retries: connection failures, timeouts, resets, partial transfers and
 * HTTP 5xx are retried (`retries` times, sleeping retry_base_ms, then
 * twice that, ... capped at 30 s). Other 4xx answers are final. Before each
 * new attempt the sink is reset (a file is truncated, a buffer emptied).
 */
#ifndef TOLLGATE_HTTP_H
#define TOLLGATE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"

struct tg_http_request {
	const char *url;
	const char *etag;          /* sent as If-None-Match, or NULL */
	const char *last_modified; /* sent as If-Modified-Since, or NULL */
	const char *accept;        /* Accept header, or NULL */
	long connect_timeout_s;    /* 0 = 30 */
	long timeout_s;            /* whole transfer; 0 = 1800 */
	long low_speed_time_s;     /* abort below 1 byte/s for this long; 0 = 60 */
	int retries;               /* extra attempts; < 0 = 3 */
	unsigned retry_base_ms;    /* 0 = 1000 */
	uint64_t max_bytes;        /* 0 = 4 GiB */
	bool allow_loopback_http;  /* permit http:// to 127.0.0.0/8, ::1, localhost */
	/* Called as bytes arrive (total 0 when unknown). Optional. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
};

struct tg_http_response {
	long status;          /* last HTTP status, 0 when none */
	bool not_modified;    /* 304 to a conditional request: nothing written */
	char *etag;           /* response headers (heap) or NULL */
	char *last_modified;
	char *content_type;
	uint64_t bytes;       /* body bytes written by the final attempt */
	int attempts;
};

void tg_http_response_release(struct tg_http_response *r);

/* Check that url may be fetched: https://, or http:// to a loopback host
 * when allow_loopback_http. TG_EUSAGE with a message otherwise. */
int tg_http_check_url(const char *url, bool allow_loopback_http,
		      struct tg_err *err);
/* True for http(s)://127.x.y.z, [::1] and localhost URLs. */
bool tg_http_is_loopback(const char *url);

/* GET into an open file descriptor (truncated before each attempt).
 * Errors: TG_ENET (network, HTTP status >= 400 after retries: the
 * response's status tells which), TG_ELIMIT (over max_bytes), TG_EIO
 * (writing fd), TG_EUSAGE (URL refused). */
int tg_http_get_fd(const struct tg_http_request *req, int fd,
		   struct tg_http_response *resp, struct tg_err *err);

/* GET into a buffer (reset before each attempt; its max also caps). */
int tg_http_get_buf(const struct tg_http_request *req, struct tg_buf *out,
		    struct tg_http_response *resp, struct tg_err *err);

#endif

/* What the proxy reads from its clients: the request path, the
 * Authorization header, and the version inside a distribution file name.
 *
 * Everything here works on caller-owned fixed-size buffers: no heap, no
 * state, safe from any thread, and every length is capped.
 */
#ifndef TOLLGATE_PROXY_REQUEST_H
#define TOLLGATE_PROXY_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#define TG_PROXY_NAME_MAX 200   /* project name bytes */
#define TG_PROXY_FILE_MAX 300   /* distribution file name bytes */
#define TG_PROXY_PATH_MAX 2048  /* request path bytes accepted at all */

enum tg_proxy_route {
	TG_ROUTE_NOT_FOUND = 0,
	TG_ROUTE_ROOT,          /* "/" */
	TG_ROUTE_INDEX,         /* "/simple/" */
	TG_ROUTE_PROJECT,       /* "/simple/<normalised>/" */
	TG_ROUTE_FILE,          /* "/files/<normalised>/<file>" */
	TG_ROUTE_METRICS,
	TG_ROUTE_HEALTHZ,
	TG_ROUTE_READYZ,
	TG_ROUTE_REDIRECT       /* 301 to `location` */
};

struct tg_proxy_target {
	enum tg_proxy_route route;
	char project[TG_PROXY_NAME_MAX + 1];  /* normalised */
	char filename[TG_PROXY_FILE_MAX + 1]; /* without ".metadata" */
	bool metadata;                        /* the PEP 658 .metadata file */
	/* Relative reference for a redirect, so that a front proxy that
	 * mounts tollgate under a prefix keeps working. */
	char location[TG_PROXY_NAME_MAX + 16];
};

/* Route a decoded request path (no query string). Never fails: anything
 * unexpected is TG_ROUTE_NOT_FOUND. */
void tg_proxy_route(const char *path, struct tg_proxy_target *out);

/* Is the Authorization header value acceptable for token? Accepts
 * "Bearer <token>" and "Basic base64(user:<token>)" with any user name
 * (what pip sends for https://user:token@host/simple/). Comparison takes
 * the same time whatever the header. header may be NULL. */
bool tg_proxy_auth_ok(const char *header, const char *token);

/* Distribution file names. */
enum tg_dist_kind { TG_DIST_UNKNOWN = 0, TG_DIST_WHEEL, TG_DIST_SDIST, TG_DIST_EGG };

/* Version part of a wheel, sdist or egg file name of project norm_name.
 * Writes it to out (NUL-terminated); false when the name does not belong
 * to the project or has no version. */
bool tg_dist_version(const char *filename, const char *norm_name,
		     char *out, size_t outsz, enum tg_dist_kind *kind);

/* Is s a safe distribution file name: 1..TG_PROXY_FILE_MAX bytes of
 * [A-Za-z0-9._+!-], not starting with '.'. */
bool tg_dist_filename_ok(const char *s);

#endif

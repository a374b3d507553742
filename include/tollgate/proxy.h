/* `tollgate proxy`: a PEP 503 / PEP 691 index that puts every pip and uv
 * install through one policy gate (see docs/proxy.md).
 *
 * The server runs on libmicrohttpd threads; index pages that are cached
 * and fresh are answered from those threads with pre-rendered bytes.
 * Everything that waits on an upstream or the database runs on a pool of
 * worker threads while the client's connection is suspended.
 *
 * Configuration is an immutable snapshot: tg_proxy_reload() swaps in a
 * new one; requests already running finish with the one they started
 * with (reference counted).
 *
 * The library never prints: operational messages go to hooks->log, and
 * an audit log configured as "-" goes to hooks->audit.
 */
#ifndef TOLLGATE_PROXY_H
#define TOLLGATE_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/proxy_config.h"

struct tg_proxy;

struct tg_proxy_hooks {
	void *ctx;
	/* level: "error", "warning", "info". Called from any thread. */
	void (*log)(void *ctx, const char *level, const char *msg);
	/* One audit line (no trailing newline) when audit-log = "-". */
	void (*audit)(void *ctx, const char *line, size_t len);
};

/* Start serving. The contents of *cfg move into the server (cfg is left
 * released). db_path is the database to use when the config names none
 * (NULL: the default location). Errors: TG_EIO (cannot bind, cannot
 * create the cache directory), TG_EINVAL. */
int tg_proxy_start(struct tg_proxy_config *cfg, const char *db_path,
		   const struct tg_proxy_hooks *hooks, struct tg_proxy **out,
		   struct tg_err *err);

/* Swap in a new configuration (contents of *cfg move in). listen, port,
 * thread counts and connection limits keep their running values; a
 * warning is logged when the new file changes them. */
int tg_proxy_reload(struct tg_proxy *p, struct tg_proxy_config *cfg,
		    struct tg_err *err);

/* The port actually bound (useful with port = 0). */
unsigned tg_proxy_port(const struct tg_proxy *p);

/* Stop accepting, finish or abort upstream work, free everything. */
void tg_proxy_stop(struct tg_proxy *p);

#endif

/* tollgate.toml settings of `tollgate proxy`: the [proxy] table, its
 * [[proxy.upstream]] entries and the [policy] table.
 *
 *   [proxy]
 *   listen = "127.0.0.1"          # address to bind (IPv4 or IPv6 literal)
 *   port = 8080
 *   cache-dir = "cache"           # relative to the config file's directory
 *   cache-max-size = "2GiB"       # files cache bound (integer bytes or K/M/G/T[i]B)
 *   page-ttl = 300                # seconds an index page is used unrevalidated
 *   stale-if-error = 86400        # seconds a stale page may stand in for a
 *                                 # failing upstream (0 = never)
 *   audit-log = "audit.jsonl"     # one JSON line per decision; "-" = stdout
 *   token = "s3cret"              # or token-file = "path": clients must send it
 *   max-connections = 512
 *   max-connections-per-ip = 64   # 0 = no per-address limit
 *   connection-timeout = 30       # seconds of silence before a client is dropped
 *   threads = 2                   # HTTP threads; 0 = one per CPU
 *   workers = 8                   # threads that talk to upstreams
 *   max-file-size = "2GiB"
 *
 *   [[proxy.upstream]]
 *   name = "internal"
 *   url = "https://pypi.internal.example/simple/"   # or a directory path
 *   projects = ["acme-*", "internal-tool"]          # pinned here only
 *
 *   [policy]
 *   deny = ["evil-package", "urllib3<1.26"]
 *   allow = []                    # non-empty: only these may be installed
 *   cooldown-days = 7
 *   block-vulnerable = "high"     # none|any|low|medium|high|critical|kev
 *   block-malicious = true        # cannot be turned off
 *   name-risk = "block"           # off|warn|block
 *   hide = "yank"                 # yank|remove: how blocked versions leave a page
 *   require-hashes = true         # refuse files the upstream gives no hash for
 *
 * Every error names file:line:col (TG_EPARSE / TG_EINVAL, exit 3).
 *
 * Ownership: struct tg_proxy_config owns every string and array in it;
 * tg_proxy_config_release() frees all of it. A loaded config is never
 * modified afterwards, so it can be shared read-only between threads.
 */
#ifndef TOLLGATE_PROXY_CONFIG_H
#define TOLLGATE_PROXY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/err.h"
#include "tollgate/pep440.h"

#define TG_PROXY_MAX_UPSTREAMS 32
#define TG_PROXY_MAX_PATTERNS 10000
#define TG_PROXY_CONFIG_MAX_BYTES ((size_t)4 << 20)

struct tg_proxy_upstream_cfg {
	char *name;
	char *url;        /* as configured */
	char *dir;        /* absolute directory for a local upstream, or NULL */
	char **projects;  /* pinned names/globs (normalised), may be empty */
	size_t n_projects;
	unsigned long line;
};

/* One deny/allow entry: a normalised name or glob ("acme-*"), optionally
 * followed by a PEP 440 specifier set ("urllib3<1.26"). */
struct tg_proxy_rule {
	char *text;       /* as written */
	char *pattern;    /* normalised name or glob */
	bool has_spec;
	struct tg_pep440_specset spec;
	unsigned long line, col;
};

enum tg_proxy_vuln_level {
	TG_PVULN_NONE = 0, /* vulnerabilities do not block */
	TG_PVULN_ANY,      /* any known vulnerability */
	TG_PVULN_LOW,
	TG_PVULN_MEDIUM,
	TG_PVULN_HIGH,
	TG_PVULN_CRITICAL,
	TG_PVULN_KEV       /* only known-exploited ones */
};

enum tg_proxy_name_risk { TG_PNAME_OFF = 0, TG_PNAME_WARN, TG_PNAME_BLOCK };
enum tg_proxy_hide { TG_PHIDE_YANK = 0, TG_PHIDE_REMOVE };

struct tg_proxy_policy_cfg {
	struct tg_proxy_rule *deny;
	size_t n_deny;
	struct tg_proxy_rule *allow;
	size_t n_allow;
	double cooldown_days;      /* 0 = off */
	enum tg_proxy_vuln_level block_vulnerable;
	bool block_malicious;      /* always true; kept for messages */
	enum tg_proxy_name_risk name_risk;
	enum tg_proxy_hide hide;
	bool require_hashes;
};

struct tg_proxy_config {
	char *path;               /* file it was read from, or NULL */
	char listen[64];
	unsigned port;
	char *cache_dir;
	uint64_t cache_max_bytes;
	unsigned page_ttl_s;
	unsigned stale_if_error_s;
	char *audit_log;          /* NULL = none, "-" = stdout */
	char *token;              /* NULL = no client authentication */
	unsigned max_connections;
	unsigned max_per_ip;
	unsigned connection_timeout_s;
	unsigned threads;
	unsigned workers;
	uint64_t max_file_bytes;
	char *db_path;            /* [proxy] db, or NULL for the CLI's choice */
	struct tg_proxy_upstream_cfg *upstreams;
	size_t n_upstreams;
	struct tg_proxy_policy_cfg policy;
	/* Where each setting came from, for messages ("tollgate.toml:12"). */
	unsigned long policy_line;
};

void tg_proxy_config_init(struct tg_proxy_config *cfg);
void tg_proxy_config_release(struct tg_proxy_config *cfg);

/* Read path (NULL = defaults only) into cfg. Unknown keys in [proxy],
 * [[proxy.upstream]] and [policy] are errors; other tables are left to
 * the commands that own them. */
int tg_proxy_config_load(const char *path, struct tg_proxy_config *cfg,
			 struct tg_err *err);
/* Same from bytes; base_dir resolves relative paths ("." when NULL). */
int tg_proxy_config_parse(const char *data, size_t len, const char *origin,
			  const char *base_dir, struct tg_proxy_config *cfg,
			  struct tg_err *err);

/* Parse "2GiB", "512M", "1000" into bytes. */
bool tg_proxy_parse_size(const char *s, uint64_t *out);

const char *tg_proxy_vuln_level_name(enum tg_proxy_vuln_level l);
bool tg_proxy_vuln_level_parse(const char *s, enum tg_proxy_vuln_level *out);

/* Which upstream serves a normalised project name: the one that pins it,
 * else -1 when no upstream pins it (any unpinned upstream may). */
int tg_proxy_config_pinned(const struct tg_proxy_config *cfg,
			   const char *norm_name);

/* Does a rule's name pattern match a normalised name? */
bool tg_proxy_pattern_match(const char *pattern, const char *norm_name);

#endif

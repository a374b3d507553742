/* Loading the proxy's part of tollgate.toml. */
#define _GNU_SOURCE
#include "tollgate/proxy_config.h"

#include <arpa/inet.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/pep503.h"
#include "tollgate/size.h"
#include "tollgate/str.h"
#include "tollgate/toml.h"

void tg_proxy_config_init(struct tg_proxy_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	tg_strlcpy(cfg->listen, "127.0.0.1", sizeof(cfg->listen));
	cfg->port = 8080;
	cfg->cache_max_bytes = (uint64_t)2 << 30;
	cfg->page_ttl_s = 300;
	cfg->stale_if_error_s = 86400;
	cfg->max_connections = 512;
	cfg->max_per_ip = 64;
	cfg->connection_timeout_s = 30;
	cfg->threads = 2;
	cfg->workers = 8;
	cfg->max_file_bytes = (uint64_t)2 << 30;
	cfg->policy.block_vulnerable = TG_PVULN_NONE;
	cfg->policy.block_malicious = true;
	cfg->policy.name_risk = TG_PNAME_OFF;
	cfg->policy.hide = TG_PHIDE_YANK;
	cfg->policy.require_hashes = true;
}

static void free_rules(struct tg_proxy_rule *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].text);
		free(r[i].pattern);
		if (r[i].has_spec)
			tg_pep440_specset_release(&r[i].spec);
	}
	free(r);
}

void tg_proxy_config_release(struct tg_proxy_config *cfg)
{
	size_t i, j;

	free(cfg->path);
	free(cfg->cache_dir);
	free(cfg->audit_log);
	free(cfg->token);
	free(cfg->db_path);
	for (i = 0; i < cfg->n_upstreams; i++) {
		struct tg_proxy_upstream_cfg *u = &cfg->upstreams[i];
		free(u->name);
		free(u->url);
		free(u->dir);
		for (j = 0; j < u->n_projects; j++)
			free(u->projects[j]);
		free(u->projects);
	}
	free(cfg->upstreams);
	free_rules(cfg->policy.deny, cfg->policy.n_deny);
	free_rules(cfg->policy.allow, cfg->policy.n_allow);
	memset(cfg, 0, sizeof(*cfg));
}

bool tg_proxy_parse_size(const char *s, uint64_t *out)
{
	static const struct { const char *suffix; uint64_t mul; } units[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1000 }, { "KB", 1000 }, { "KiB", 1024 },
		{ "M", 1000000 }, { "MB", 1000000 }, { "MiB", (uint64_t)1 << 20 },
		{ "G", 1000000000 }, { "GB", 1000000000 }, { "GiB", (uint64_t)1 << 30 },
		{ "T", 1000000000000ull }, { "TB", 1000000000000ull },
		{ "TiB", (uint64_t)1 << 40 },
	};
	size_t n = 0, i;
	uint64_t v;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n == 0 || !tg_parse_u64(s, n, &v))
		return false;
	while (s[n] == ' ')
		n++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s + n, units[i].suffix) == 0) {
			if (v && units[i].mul > UINT64_MAX / v)
				return false;
			*out = v * units[i].mul;
			return true;
		}
	}
	return false;
}

static const char *const vuln_names[] = {
	"none", "any", "low", "medium", "high", "critical", "kev"
};

const char *tg_proxy_vuln_level_name(enum tg_proxy_vuln_level l)
{
	if ((unsigned)l < sizeof(vuln_names) / sizeof(vuln_names[0]))
		return vuln_names[l];
	return "?";
}

bool tg_proxy_vuln_level_parse(const char *s, enum tg_proxy_vuln_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(vuln_names) / sizeof(vuln_names[0]); i++) {
		if (tg_ascii_casecmp(s, vuln_names[i]) == 0) {
			*out = (enum tg_proxy_vuln_level)i;
			return true;
		}
	}
	return false;
}

bool tg_proxy_pattern_match(const char *pattern, const char *norm_name)
{
	if (!strpbrk(pattern, "*?["))
		return strcmp(pattern, norm_name) == 0;
	return fnmatch(pattern, norm_name, 0) == 0;
}

int tg_proxy_config_pinned(const struct tg_proxy_config *cfg,
			   const char *norm_name)
{
	size_t i, j;

	for (i = 0; i < cfg->n_upstreams; i++)
		for (j = 0; j < cfg->upstreams[i].n_projects; j++)
			if (tg_proxy_pattern_match(cfg->upstreams[i].projects[j], norm_name))
				return (int)i;
	return -1;
}

/* ---- reading values ---- */

struct reader {
	const struct tg_toml *doc;
	const char *base_dir;
	struct tg_err *err;
};

static int want_string(struct reader *r, const struct tg_toml_value *v,
		       const char *key, const char **out)
{
	size_t len;

	if (!tg_toml_string(v, out, &len))
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
				      "%s must be a string", key);
	if (strlen(*out) != len)
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
				      "%s must not contain NUL", key);
	return 0;
}

static int want_uint(struct reader *r, const struct tg_toml_value *v,
		     const char *key, int64_t lo, int64_t hi, unsigned *out)
{
	int64_t i;

	if (!tg_toml_int(v, &i))
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
				      "%s must be an integer", key);
	if (i < lo || i > hi)
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
				      "%s must be between %lld and %lld", key,
				      (long long)lo, (long long)hi);
	*out = (unsigned)i;
	return 0;
}

static int want_size(struct reader *r, const struct tg_toml_value *v,
		     const char *key, uint64_t *out)
{
	const char *s;
	int64_t i;

	if (tg_toml_int(v, &i)) {
		if (i < 0)
			return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
					      "%s must not be negative", key);
		*out = (uint64_t)i;
		return 0;
	}
	if (tg_toml_string(v, &s, NULL) && tg_proxy_parse_size(s, out))
		return 0;
	return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
			      "%s must be a size such as 2GiB or 500MB", key);
}

static int want_bool(struct reader *r, const struct tg_toml_value *v,
		     const char *key, bool *out)
{
	if (!tg_toml_bool(v, out))
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
				      "%s must be true or false", key);
	return 0;
}

/* Relative paths are taken from the config file's directory so that a
 * config means the same whatever the working directory. */
static int want_path(struct reader *r, const struct tg_toml_value *v,
		     const char *key, char **out)
{
	const char *s;
	int rc = want_string(r, v, key, &s);

	if (rc)
		return rc;
	if (!*s)
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
				      "%s must not be empty", key);
	free(*out);
	if (s[0] == '/' || strcmp(s, "-") == 0 || !r->base_dir)
		*out = tg_strdup(s);
	else
		*out = tg_path_join(r->base_dir, s);
	return *out ? 0 : tg_err_set(r->err, TG_ENOMEM, "out of memory");
}

static char *norm_pattern(const char *s)
{
	/* Globs keep their metacharacters; the rest is PEP 503 normalised. */
	char *out = tg_pep503_normalize_dup(s, strlen(s));
	size_t i, j = 0;

	if (!out)
		return NULL;
	if (!strpbrk(s, "*?["))
		return out;
	free(out);
	out = malloc(strlen(s) + 1);
	if (!out)
		return NULL;
	for (i = 0; s[i]; i++) {
		char c = tg_ascii_lower(s[i]);
		if (c == '_' || c == '.')
			c = '-';
		if (c == '-' && j > 0 && out[j - 1] == '-')
			continue;
		out[j++] = c;
	}
	out[j] = 0;
	return out;
}

static bool pattern_chars_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
		      c == '*' || c == '?'))
			return false;
	}
	return true;
}

static int parse_rule(struct reader *r, const struct tg_toml_value *v,
		      const char *key, struct tg_proxy_rule *out)
{
	const char *s;
	size_t n = 0, len;
	char *name;
	int rc;

	if ((rc = want_string(r, v, key, &s)))
		return rc;
	len = strlen(s);
	while (s[n] == ' ')
		n++;
	s += n;
	n = 0;
	while (s[n] && strchr("<>=!~ ;", s[n]) == NULL)
		n++;
	if (!pattern_chars_ok(s, n))
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
				      "%s entry \"%s\" is not a project name or glob "
				      "(optionally followed by a version specifier)", key, s);
	(void)len;
	name = tg_strndup(s, n);
	out->text = tg_strdup(s);
	out->pattern = name ? norm_pattern(name) : NULL;
	free(name);
	if (!out->text || !out->pattern)
		return tg_err_set(r->err, TG_ENOMEM, "out of memory");
	out->line = tg_toml_line(v);
	out->col = tg_toml_col(v);
	while (s[n] == ' ')
		n++;
	if (s[n]) {
		struct tg_err e;
		tg_err_clear(&e);
		if (tg_pep440_spec_parse(s + n, strlen(s + n), &out->spec, &e))
			return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
					      "%s entry \"%s\": bad version specifier: %s",
					      key, s, e.msg);
		out->has_spec = true;
	}
	return 0;
}

static int parse_rules(struct reader *r, const struct tg_toml_value *v,
		       const char *key, struct tg_proxy_rule **out, size_t *n)
{
	size_t len = tg_toml_array_len(v), i;
	int rc;

	if (tg_toml_type(v) != TG_TOML_ARRAY)
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
				      "%s must be an array of strings", key);
	if (len > TG_PROXY_MAX_PATTERNS)
		return tg_toml_err_at(r->err, TG_ELIMIT, r->doc, v,
				      "%s has more than %d entries", key, TG_PROXY_MAX_PATTERNS);
	*out = calloc(len ? len : 1, sizeof(**out));
	if (!*out)
		return tg_err_set(r->err, TG_ENOMEM, "out of memory");
	for (i = 0; i < len; i++) {
		rc = parse_rule(r, tg_toml_array_at(v, i), key, &(*out)[i]);
		*n = i + 1;
		if (rc)
			return rc;
	}
	return 0;
}

static int unknown_key(struct reader *r, const char *table,
		       const struct tg_toml_entry *e)
{
	return tg_err_at(r->err, TG_EINVAL, tg_toml_origin(r->doc), e->line, e->col,
			 "unknown key \"%s\" in [%s]", e->key, table);
}

static int parse_proxy_table(struct reader *r, const struct tg_toml_value *t,
			     struct tg_proxy_config *cfg)
{
	struct tg_toml_entry e;
	size_t i;
	int rc = 0;

	for (i = 0; !rc && tg_toml_table_entry(t, i, &e); i++) {
		const struct tg_toml_value *v = e.value;
		const char *k = e.key;

		if (strcmp(k, "upstream") == 0) {
			continue; /* [[proxy.upstream]]: read separately */
		} else if (strcmp(k, "listen") == 0) {
			const char *s;
			unsigned char addr[16];
			if ((rc = want_string(r, v, k, &s)))
				break;
			if (strlen(s) >= sizeof(cfg->listen) ||
			    (inet_pton(AF_INET, s, addr) != 1 && inet_pton(AF_INET6, s, addr) != 1))
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "listen must be an IPv4 or IPv6 address, "
						    "such as 127.0.0.1 or ::1");
			else
				tg_strlcpy(cfg->listen, s, sizeof(cfg->listen));
		} else if (strcmp(k, "port") == 0) {
			rc = want_uint(r, v, k, 0, 65535, &cfg->port);
		} else if (strcmp(k, "cache-dir") == 0) {
			rc = want_path(r, v, k, &cfg->cache_dir);
		} else if (strcmp(k, "cache-max-size") == 0) {
			rc = want_size(r, v, k, &cfg->cache_max_bytes);
		} else if (strcmp(k, "max-file-size") == 0) {
			rc = want_size(r, v, k, &cfg->max_file_bytes);
		} else if (strcmp(k, "page-ttl") == 0) {
			rc = want_uint(r, v, k, 0, 86400 * 30, &cfg->page_ttl_s);
		} else if (strcmp(k, "stale-if-error") == 0) {
			rc = want_uint(r, v, k, 0, 86400 * 365, &cfg->stale_if_error_s);
		} else if (strcmp(k, "audit-log") == 0) {
			rc = want_path(r, v, k, &cfg->audit_log);
		} else if (strcmp(k, "db") == 0) {
			rc = want_path(r, v, k, &cfg->db_path);
		} else if (strcmp(k, "token") == 0) {
			const char *s;
			if ((rc = want_string(r, v, k, &s)))
				break;
			if (strlen(s) < 8 || strlen(s) > 512)
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "token must be 8 to 512 characters");
			else if (!(cfg->token = tg_strdup(s)))
				rc = tg_err_set(r->err, TG_ENOMEM, "out of memory");
		} else if (strcmp(k, "token-file") == 0) {
			char *path = NULL;
			struct tg_buf b;
			if ((rc = want_path(r, v, k, &path)))
				break;
			tg_buf_init(&b, 4096);
			rc = tg_read_file(path, 4096, &b, r->err);
			free(path);
			if (!rc) {
				while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r' ||
						 b.data[b.len - 1] == ' '))
					tg_buf_truncate(&b, b.len - 1);
				if (b.len < 8 || strlen(b.data) != b.len)
					rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
							    "token-file must hold a token of at least 8 characters");
				else
					cfg->token = tg_buf_detach(&b, NULL);
			}
			tg_buf_release(&b);
		} else if (strcmp(k, "max-connections") == 0) {
			rc = want_uint(r, v, k, 1, 100000, &cfg->max_connections);
		} else if (strcmp(k, "max-connections-per-ip") == 0) {
			rc = want_uint(r, v, k, 0, 100000, &cfg->max_per_ip);
		} else if (strcmp(k, "connection-timeout") == 0) {
			rc = want_uint(r, v, k, 1, 3600, &cfg->connection_timeout_s);
		} else if (strcmp(k, "threads") == 0) {
			rc = want_uint(r, v, k, 0, 256, &cfg->threads);
		} else if (strcmp(k, "workers") == 0) {
			rc = want_uint(r, v, k, 1, 256, &cfg->workers);
		} else {
			rc = unknown_key(r, "proxy", &e);
		}
	}
	return rc;
}

static bool name_ok(const char *s)
{
	size_t i;

	if (!*s || strlen(s) > 64)
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

static int parse_upstream(struct reader *r, const struct tg_toml_value *t,
			  struct tg_proxy_upstream_cfg *u)
{
	struct tg_toml_entry e;
	const char *s;
	size_t i, j;
	int rc = 0;

	u->line = tg_toml_line(t);
	if (tg_toml_type(t) != TG_TOML_TABLE)
		return tg_toml_err_at(r->err, TG_EINVAL, r->doc, t,
				      "[[proxy.upstream]] entries must be tables");
	for (i = 0; !rc && tg_toml_table_entry(t, i, &e); i++) {
		const struct tg_toml_value *v = e.value;

		if (strcmp(e.key, "name") == 0) {
			if ((rc = want_string(r, v, "name", &s)))
				break;
			if (!name_ok(s))
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "upstream name must be 1-64 of a-z 0-9 - _");
			else if (!(u->name = tg_strdup(s)))
				rc = tg_err_set(r->err, TG_ENOMEM, "out of memory");
		} else if (strcmp(e.key, "url") == 0) {
			if ((rc = want_string(r, v, "url", &s)))
				break;
			if (tg_str_starts_with(s, "https://") || tg_str_starts_with(s, "http://")) {
				if (!(u->url = tg_strdup(s)))
					rc = tg_err_set(r->err, TG_ENOMEM, "out of memory");
			} else {
				const char *p = tg_str_starts_with(s, "file://") ? s + 7 : s;
				char *joined = NULL, real[PATH_MAX];
				if (!*p) {
					rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
							    "url must not be empty");
					break;
				}
				joined = (p[0] == '/' || !r->base_dir) ? tg_strdup(p) :
					tg_path_join(r->base_dir, p);
				if (!joined) {
					rc = tg_err_set(r->err, TG_ENOMEM, "out of memory");
					break;
				}
				if (!realpath(joined, real)) {
					rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
							    "upstream directory %s does not exist", joined);
					free(joined);
					break;
				}
				free(joined);
				u->url = tg_strdup(s);
				u->dir = tg_strdup(real);
				if (!u->url || !u->dir)
					rc = tg_err_set(r->err, TG_ENOMEM, "out of memory");
			}
		} else if (strcmp(e.key, "projects") == 0) {
			size_t n = tg_toml_array_len(v);
			if (tg_toml_type(v) != TG_TOML_ARRAY) {
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "projects must be an array of names");
				break;
			}
			if (n > TG_PROXY_MAX_PATTERNS) {
				rc = tg_toml_err_at(r->err, TG_ELIMIT, r->doc, v,
						    "too many projects");
				break;
			}
			u->projects = calloc(n ? n : 1, sizeof(char *));
			if (!u->projects) {
				rc = tg_err_set(r->err, TG_ENOMEM, "out of memory");
				break;
			}
			for (j = 0; !rc && j < n; j++) {
				const struct tg_toml_value *iv = tg_toml_array_at(v, j);
				if ((rc = want_string(r, iv, "projects entry", &s)))
					break;
				if (!pattern_chars_ok(s, strlen(s)))
					rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, iv,
							    "\"%s\" is not a project name or glob", s);
				else if (!(u->projects[u->n_projects++] = norm_pattern(s)))
					rc = tg_err_set(r->err, TG_ENOMEM, "out of memory");
			}
		} else {
			rc = unknown_key(r, "[proxy.upstream]", &e);
		}
	}
	if (!rc && !u->url)
		rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, t,
				    "[[proxy.upstream]] needs a url");
	if (!rc && !u->name)
		rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, t,
				    "[[proxy.upstream]] needs a name");
	if (!rc && u->url && !u->dir &&
	    tg_str_starts_with(u->url, "http://")) {
		/* Plain HTTP only to this machine: anything else could be
		 * tampered with on the way and would defeat hash pinning of
		 * the pages themselves. */
		const char *h = u->url + 7;
		if (!(tg_str_starts_with(h, "127.") || tg_str_starts_with(h, "localhost") ||
		      tg_str_starts_with(h, "[::1]")))
			rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, t,
					    "upstream %s: plain http:// is allowed only to "
					    "loopback addresses; use https://", u->name);
	}
	return rc;
}

static int parse_policy(struct reader *r, const struct tg_toml_value *t,
			struct tg_proxy_policy_cfg *p)
{
	struct tg_toml_entry e;
	const char *s;
	size_t i;
	int rc = 0;

	for (i = 0; !rc && tg_toml_table_entry(t, i, &e); i++) {
		const struct tg_toml_value *v = e.value;
		const char *k = e.key;

		if (strcmp(k, "deny") == 0) {
			rc = parse_rules(r, v, k, &p->deny, &p->n_deny);
		} else if (strcmp(k, "allow") == 0) {
			rc = parse_rules(r, v, k, &p->allow, &p->n_allow);
		} else if (strcmp(k, "cooldown-days") == 0) {
			int64_t iv;
			double d;
			if (tg_toml_int(v, &iv))
				d = (double)iv;
			else if (!tg_toml_float(v, &d))
				d = -1;
			if (!(d >= 0 && d <= 3650))
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "cooldown-days must be a number of days from 0 to 3650");
			else
				p->cooldown_days = d;
		} else if (strcmp(k, "block-vulnerable") == 0) {
			bool b;
			if (tg_toml_bool(v, &b)) {
				p->block_vulnerable = b ? TG_PVULN_ANY : TG_PVULN_NONE;
			} else if (!tg_toml_string(v, &s, NULL) ||
				   !tg_proxy_vuln_level_parse(s, &p->block_vulnerable)) {
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "block-vulnerable must be one of none, any, low, "
						    "medium, high, critical, kev");
			}
		} else if (strcmp(k, "block-malicious") == 0) {
			bool b;
			if ((rc = want_bool(r, v, k, &b)))
				break;
			if (!b)
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "block-malicious cannot be turned off: known "
						    "malware is always refused");
		} else if (strcmp(k, "name-risk") == 0) {
			if ((rc = want_string(r, v, k, &s)))
				break;
			if (strcmp(s, "off") == 0)
				p->name_risk = TG_PNAME_OFF;
			else if (strcmp(s, "warn") == 0)
				p->name_risk = TG_PNAME_WARN;
			else if (strcmp(s, "block") == 0)
				p->name_risk = TG_PNAME_BLOCK;
			else
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "name-risk must be off, warn or block");
		} else if (strcmp(k, "hide") == 0) {
			if ((rc = want_string(r, v, k, &s)))
				break;
			if (strcmp(s, "yank") == 0)
				p->hide = TG_PHIDE_YANK;
			else if (strcmp(s, "remove") == 0)
				p->hide = TG_PHIDE_REMOVE;
			else
				rc = tg_toml_err_at(r->err, TG_EINVAL, r->doc, v,
						    "hide must be yank or remove");
		} else if (strcmp(k, "require-hashes") == 0) {
			rc = want_bool(r, v, k, &p->require_hashes);
		} else {
			rc = unknown_key(r, "policy", &e);
		}
	}
	return rc;
}

static int add_default_upstream(struct tg_proxy_config *cfg, struct tg_err *err)
{
	cfg->upstreams = calloc(1, sizeof(*cfg->upstreams));
	if (!cfg->upstreams)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	cfg->n_upstreams = 1;
	cfg->upstreams[0].name = tg_strdup("pypi");
	cfg->upstreams[0].url = tg_strdup("https://pypi.org/simple/");
	if (!cfg->upstreams[0].name || !cfg->upstreams[0].url)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

int tg_proxy_config_parse(const char *data, size_t len, const char *origin,
			  const char *base_dir, struct tg_proxy_config *cfg,
			  struct tg_err *err)
{
	struct tg_toml *doc = NULL;
	const struct tg_toml_value *root, *proxy, *ups, *policy;
	struct reader r;
	size_t i, j, n;
	int rc;

	rc = tg_toml_parse(data, len, origin, &doc, err);
	if (rc)
		return rc;
	r.doc = doc;
	r.base_dir = base_dir;
	r.err = err;
	root = tg_toml_root(doc);
	proxy = tg_toml_get(root, "proxy");
	if (proxy && tg_toml_type(proxy) != TG_TOML_TABLE) {
		rc = tg_toml_err_at(err, TG_EINVAL, doc, proxy, "proxy must be a table");
		goto out;
	}
	if (proxy && (rc = parse_proxy_table(&r, proxy, cfg)))
		goto out;
	ups = proxy ? tg_toml_get(proxy, "upstream") : NULL;
	if (ups) {
		if (tg_toml_type(ups) != TG_TOML_ARRAY) {
			rc = tg_toml_err_at(err, TG_EINVAL, doc, ups,
					    "use [[proxy.upstream]] for upstreams");
			goto out;
		}
		n = tg_toml_array_len(ups);
		if (n > TG_PROXY_MAX_UPSTREAMS) {
			rc = tg_toml_err_at(err, TG_ELIMIT, doc, ups,
					    "more than %d upstreams", TG_PROXY_MAX_UPSTREAMS);
			goto out;
		}
		cfg->upstreams = calloc(n ? n : 1, sizeof(*cfg->upstreams));
		if (!cfg->upstreams) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		for (i = 0; i < n; i++) {
			cfg->n_upstreams = i + 1;
			if ((rc = parse_upstream(&r, tg_toml_array_at(ups, i), &cfg->upstreams[i])))
				goto out;
			for (j = 0; j < i; j++) {
				if (strcmp(cfg->upstreams[j].name, cfg->upstreams[i].name) == 0) {
					rc = tg_toml_err_at(err, TG_EINVAL, doc, tg_toml_array_at(ups, i),
							    "upstream name \"%s\" is used twice",
							    cfg->upstreams[i].name);
					goto out;
				}
			}
		}
		/* A name pinned to two indexes would make "only ever fetched
		 * from there" ambiguous. */
		for (i = 0; i < n; i++)
			for (j = 0; j < cfg->upstreams[i].n_projects; j++) {
				const char *pat = cfg->upstreams[i].projects[j];
				size_t k, m;
				for (k = i + 1; k < n; k++)
					for (m = 0; m < cfg->upstreams[k].n_projects; m++)
						if (strcmp(pat, cfg->upstreams[k].projects[m]) == 0) {
							rc = tg_toml_err_at(err, TG_EINVAL, doc,
									    tg_toml_array_at(ups, k),
									    "project \"%s\" is pinned to both "
									    "\"%s\" and \"%s\"", pat,
									    cfg->upstreams[i].name,
									    cfg->upstreams[k].name);
							goto out;
						}
			}
	}
	if (cfg->n_upstreams == 0 && (rc = add_default_upstream(cfg, err)))
		goto out;
	policy = tg_toml_get(root, "policy");
	if (policy) {
		if (tg_toml_type(policy) != TG_TOML_TABLE) {
			rc = tg_toml_err_at(err, TG_EINVAL, doc, policy, "policy must be a table");
			goto out;
		}
		cfg->policy_line = tg_toml_line(policy);
		rc = parse_policy(&r, policy, &cfg->policy);
	}
out:
	tg_toml_free(doc);
	return rc;
}

int tg_proxy_config_load(const char *path, struct tg_proxy_config *cfg,
			 struct tg_err *err)
{
	struct tg_buf b;
	char *dir = NULL, *slash;
	int rc;

	if (!path)
		return add_default_upstream(cfg, err);
	tg_buf_init(&b, TG_PROXY_CONFIG_MAX_BYTES);
	rc = tg_read_file(path, TG_PROXY_CONFIG_MAX_BYTES, &b, err);
	if (rc)
		goto out;
	dir = tg_strdup(path);
	if (!dir) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = 0;
	else
		tg_strlcpy(dir, ".", strlen(dir) + 1);
	cfg->path = tg_strdup(path);
	if (!cfg->path) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	rc = tg_proxy_config_parse(b.data, b.len, path, dir, cfg, err);
out:
	free(dir);
	tg_buf_release(&b);
	return rc;
}

/* Loading and validating tollgate.toml. */
#define _XOPEN_SOURCE 700
#include "tollgate/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/str.h"

static const char *const fail_on_names[] = {
	[TG_FAIL_ANY] = "any",
	[TG_FAIL_NONE] = "none",
	[TG_FAIL_LOW] = "low",
	[TG_FAIL_MEDIUM] = "medium",
	[TG_FAIL_HIGH] = "high",
	[TG_FAIL_CRITICAL] = "critical",
	[TG_FAIL_KEV] = "kev",
};

bool tg_fail_on_parse(const char *s, enum tg_fail_on *out)
{
	size_t i;

	for (i = 0; i < sizeof(fail_on_names) / sizeof(fail_on_names[0]); i++)
		if (tg_ascii_casecmp(s, fail_on_names[i]) == 0) {
			*out = (enum tg_fail_on)i;
			return true;
		}
	return false;
}

const char *tg_fail_on_name(enum tg_fail_on f)
{
	if ((size_t)f < sizeof(fail_on_names) / sizeof(fail_on_names[0]))
		return fail_on_names[f];
	return "any";
}

void tg_config_init(struct tg_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

void tg_config_release(struct tg_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n_ignores; i++) {
		free(cfg->ignores[i].id);
		free(cfg->ignores[i].reason);
		free(cfg->ignores[i].package);
		free(cfg->ignores[i].version);
	}
	free(cfg->ignores);
	tg_toml_free(cfg->doc);
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int tg_config_find(const char *start, char **out, struct tg_err *err)
{
	char dir[PATH_MAX];
	char *slash;

	*out = NULL;
	if (!realpath(start && *start ? start : ".", dir)) {
		/* "-" (stdin) and inputs that vanished: search from here. */
		if (!realpath(".", dir))
			return tg_err_set(err, TG_EIO, "cannot resolve the current directory: %s",
					  strerror(errno));
	}
	if (!is_dir(dir)) {
		slash = strrchr(dir, '/');
		if (slash && slash != dir)
			*slash = '\0';
		else
			tg_strlcpy(dir, "/", sizeof(dir));
	}
	for (;;) {
		char *cand = tg_path_join(dir, TG_CONFIG_NAME);
		char *git = tg_path_join(dir, ".git");
		bool at_repo_root;

		if (!cand || !git) {
			free(cand);
			free(git);
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
		at_repo_root = access(git, F_OK) == 0;
		free(git);
		if (is_file(cand)) {
			*out = cand;
			return 0;
		}
		free(cand);
		if (at_repo_root || strcmp(dir, "/") == 0)
			return 0;
		slash = strrchr(dir, '/');
		if (!slash)
			return 0;
		if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
	}
}

/* ---- validation ---- */

static int want_string(const struct tg_toml *doc, const struct tg_toml_value *v,
		       const char *key, char **out, struct tg_err *err)
{
	const char *s;
	size_t len;

	if (!tg_toml_string(v, &s, &len))
		return tg_toml_err_at(err, TG_EINVAL, doc, v,
				      "'%s' must be a string, not %s", key,
				      tg_toml_type_name(tg_toml_type(v)));
	if (memchr(s, '\0', len))
		return tg_toml_err_at(err, TG_EINVAL, doc, v,
				      "'%s' must not contain NUL characters", key);
	*out = tg_strdup(s);
	return *out ? 0 : tg_err_set(err, TG_ENOMEM, "out of memory");
}

static bool valid_date(int y, int m, int d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

/* expires: a TOML date (2026-12-31), a date-time (its date part), or the
 * same written as a string. */
static int want_date(const struct tg_toml *doc, const struct tg_toml_value *v,
		     char out[11], struct tg_err *err)
{
	struct tg_toml_datetime dt;
	const char *s;
	int y = 0, m = 0, d = 0;
	char extra;

	if (tg_toml_datetime(v, &dt) && tg_toml_type(v) != TG_TOML_TIME_LOCAL) {
		y = dt.year;
		m = dt.month;
		d = dt.day;
	} else if (tg_toml_string(v, &s, NULL)) {
		if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
		    s[4] != '-' || s[7] != '-')
			return tg_toml_err_at(err, TG_EINVAL, doc, v,
					      "'expires' must be a date like 2026-12-31, not \"%s\"", s);
	} else {
		return tg_toml_err_at(err, TG_EINVAL, doc, v,
				      "'expires' must be a date like 2026-12-31, not %s",
				      tg_toml_type_name(tg_toml_type(v)));
	}
	if (!valid_date(y, m, d))
		return tg_toml_err_at(err, TG_EINVAL, doc, v,
				      "'expires' is not a calendar date");
	{
		char buf[64];

		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
		tg_strlcpy(out, buf, 11);
	}
	return 0;
}

static int load_ignore(const struct tg_toml *doc, const struct tg_toml_value *t,
		       struct tg_ignore_rule *r, struct tg_err *err)
{
	size_t i;
	int rc;

	r->line = tg_toml_line(t);
	if (tg_toml_type(t) != TG_TOML_TABLE)
		return tg_toml_err_at(err, TG_EINVAL, doc, t,
				      "each [[ignore]] entry must be a table");
	for (i = 0; i < tg_toml_table_len(t); i++) {
		struct tg_toml_entry e;

		tg_toml_table_entry(t, i, &e);
		if (strcmp(e.key, "id") == 0)
			rc = want_string(doc, e.value, "id", &r->id, err);
		else if (strcmp(e.key, "reason") == 0)
			rc = want_string(doc, e.value, "reason", &r->reason, err);
		else if (strcmp(e.key, "package") == 0)
			rc = want_string(doc, e.value, "package", &r->package, err);
		else if (strcmp(e.key, "version") == 0)
			rc = want_string(doc, e.value, "version", &r->version, err);
		else if (strcmp(e.key, "expires") == 0)
			rc = want_date(doc, e.value, r->expires, err);
		else
			rc = tg_err_at(err, TG_EINVAL, tg_toml_origin(doc), e.line, e.col,
				       "unknown key '%s' in [[ignore]] (expected id, reason, expires, package, version)",
				       e.key);
		if (rc)
			return rc;
	}
	if (!r->id || !*r->id)
		return tg_toml_err_at(err, TG_EINVAL, doc, t,
				      "[[ignore]] needs an 'id' (the advisory to ignore)");
	if (!r->reason || !*r->reason)
		return tg_toml_err_at(err, TG_EINVAL, doc, t,
				      "[[ignore]] of %s has no 'reason': say why it is safe to ignore",
				      r->id);
	return 0;
}

static int load_audit(struct tg_config *cfg, const struct tg_toml_value *t,
		      struct tg_err *err)
{
	const struct tg_toml *doc = cfg->doc;
	size_t i;

	if (tg_toml_type(t) != TG_TOML_TABLE)
		return tg_toml_err_at(err, TG_EINVAL, doc, t, "'audit' must be a table");
	for (i = 0; i < tg_toml_table_len(t); i++) {
		struct tg_toml_entry e;
		const char *s;

		tg_toml_table_entry(t, i, &e);
		if (strcmp(e.key, "fail-on") == 0) {
			if (!tg_toml_string(e.value, &s, NULL) ||
			    !tg_fail_on_parse(s, &cfg->fail_on))
				return tg_toml_err_at(err, TG_EINVAL, doc, e.value,
						      "'fail-on' must be one of none, any, low, medium, high, critical, kev");
			cfg->has_fail_on = true;
		} else if (strcmp(e.key, "prefer-id") == 0) {
			if (!tg_toml_string(e.value, &s, NULL) ||
			    !tg_prefer_id_parse(s, &cfg->prefer_id))
				return tg_toml_err_at(err, TG_EINVAL, doc, e.value,
						      "'prefer-id' must be one of cve, ghsa, pysec, osv");
			cfg->has_prefer_id = true;
		} else {
			return tg_err_at(err, TG_EINVAL, tg_toml_origin(doc), e.line, e.col,
					 "unknown key '%s' in [audit] (expected fail-on, prefer-id)",
					 e.key);
		}
	}
	return 0;
}

int tg_config_parse(const char *data, size_t len, const char *origin,
		    struct tg_config *cfg, struct tg_err *err)
{
	const struct tg_toml_value *root, *ign, *audit;
	size_t i, n;
	int rc;

	tg_config_release(cfg);
	if ((rc = tg_toml_parse(data, len, origin, &cfg->doc, err)))
		return rc;
	cfg->path = tg_strdup(origin ? origin : "");
	if (!cfg->path) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto fail;
	}
	root = tg_toml_root(cfg->doc);
	audit = tg_toml_get(root, "audit");
	if (audit && (rc = load_audit(cfg, audit, err)))
		goto fail;
	ign = tg_toml_get(root, "ignore");
	if (ign) {
		if (tg_toml_type(ign) != TG_TOML_ARRAY) {
			rc = tg_toml_err_at(err, TG_EINVAL, cfg->doc, ign,
					    "'ignore' must be an array of tables: write [[ignore]]");
			goto fail;
		}
		n = tg_toml_array_len(ign);
		if (n > TG_CONFIG_MAX_IGNORES) {
			rc = tg_toml_err_at(err, TG_ELIMIT, cfg->doc, ign,
					    "more than %d [[ignore]] entries", TG_CONFIG_MAX_IGNORES);
			goto fail;
		}
		cfg->ignores = calloc(n ? n : 1, sizeof(*cfg->ignores));
		if (!cfg->ignores) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto fail;
		}
		for (i = 0; i < n; i++) {
			cfg->n_ignores++;
			if ((rc = load_ignore(cfg->doc, tg_toml_array_at(ign, i),
					      &cfg->ignores[i], err)))
				goto fail;
		}
	}
	return 0;
fail:
	tg_config_release(cfg);
	return rc;
}

int tg_config_load(const char *path, struct tg_config *cfg, struct tg_err *err)
{
	struct tg_buf b;
	int rc;

	tg_buf_init(&b, TG_CONFIG_MAX_BYTES);
	rc = tg_read_file(path, TG_CONFIG_MAX_BYTES, &b, err);
	if (!rc)
		rc = tg_config_parse(b.data, b.len, path, cfg, err);
	tg_buf_release(&b);
	return rc;
}

const struct tg_toml *tg_config_doc(const struct tg_config *cfg)
{
	return cfg->doc;
}

const struct tg_toml_value *tg_config_table(const struct tg_config *cfg,
					    const char *name)
{
	const struct tg_toml_value *v;

	if (!cfg->doc)
		return NULL;
	v = tg_toml_get(tg_toml_root(cfg->doc), name);
	return v && tg_toml_type(v) == TG_TOML_TABLE ? v : NULL;
}

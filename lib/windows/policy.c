/* The [windows] table of tollgate.toml and source kinds. */
#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"
#include "tollgate/str.h"
#include "tollgate/toml.h"
#include "tollgate/windows.h"

#define POLICY_MAX_ITEMS 10000

void tg_win_policy_init(struct tg_win_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->allow_community = true;
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void tg_win_policy_release(struct tg_win_policy *p)
{
	size_t i;

	free_strv(p->allowed_sources, p->n_allowed_sources);
	free_strv(p->allow, p->n_allow);
	free_strv(p->deny, p->n_deny);
	for (i = 0; i < p->n_pins; i++) {
		free(p->pins[i].package);
		free(p->pins[i].source);
	}
	free(p->pins);
	tg_win_policy_init(p);
}

static int where(struct tg_err *err, enum tg_code code, const char *origin,
		 const struct tg_toml_value *v, const char *msg, const char *key)
{
	return tg_err_at(err, code, origin, v ? tg_toml_line(v) : 0,
			 v ? tg_toml_col(v) : 0, "[windows] %s: %s", key, msg);
}

static int str_list(const struct tg_toml_value *v, const char *key,
		    const char *origin, char ***out, size_t *n, struct tg_err *err)
{
	size_t i, len = tg_toml_array_len(v), bytes;

	if (tg_toml_type(v) != TG_TOML_ARRAY)
		return where(err, TG_EINVAL, origin, v, "must be an array of strings", key);
	if (len > POLICY_MAX_ITEMS)
		return where(err, TG_ELIMIT, origin, v, "too many entries", key);
	if (!tg_size_mul(len ? len : 1, sizeof(char *), &bytes) || !(*out = calloc(1, bytes)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < len; i++) {
		const struct tg_toml_value *it = tg_toml_array_at(v, i);
		const char *s;

		if (!tg_toml_string(it, &s, NULL) || !*s)
			return where(err, TG_EINVAL, origin, it, "entries must be non-empty strings", key);
		if (!((*out)[i] = tg_strdup(s)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		*n = i + 1;
	}
	return 0;
}

static int read_pins(const struct tg_toml_value *v, const char *origin,
		     struct tg_win_policy *out, struct tg_err *err)
{
	size_t i, len = tg_toml_array_len(v);

	if (tg_toml_type(v) != TG_TOML_ARRAY)
		return where(err, TG_EINVAL, origin, v,
			     "must be an array of tables ([[windows.source]])", "source");
	if (len > POLICY_MAX_ITEMS)
		return where(err, TG_ELIMIT, origin, v, "too many entries", "source");
	out->pins = calloc(len ? len : 1, sizeof(*out->pins));
	if (!out->pins)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < len; i++) {
		const struct tg_toml_value *t = tg_toml_array_at(v, i);
		const char *pkg = tg_toml_get_str(t, "package");
		const char *src = tg_toml_get_str(t, "source");
		struct tg_toml_entry e;
		size_t k;

		if (tg_toml_type(t) != TG_TOML_TABLE || !pkg || !*pkg || !src || !*src)
			return where(err, TG_EINVAL, origin, t,
				     "each [[windows.source]] needs package = \"...\" and source = \"...\"",
				     "source");
		for (k = 0; tg_toml_table_entry(t, k, &e); k++)
			if (strcmp(e.key, "package") != 0 && strcmp(e.key, "source") != 0)
				return tg_err_at(err, TG_EINVAL, origin, e.line, e.col,
						 "[[windows.source]]: unknown key '%s'", e.key);
		out->pins[i].package = tg_strdup(pkg);
		out->pins[i].source = tg_strdup(src);
		out->n_pins = i + 1;
		if (!out->pins[i].package || !out->pins[i].source)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	return 0;
}

int tg_win_policy_from_toml(const struct tg_toml_value *table,
			    const char *origin, struct tg_win_policy *out,
			    struct tg_err *err)
{
	struct tg_toml_entry e;
	size_t i;
	int rc = 0;

	tg_win_policy_init(out);
	if (!table)
		return 0;
	if (tg_toml_type(table) != TG_TOML_TABLE)
		return where(err, TG_EINVAL, origin, table, "must be a table", "windows");
	for (i = 0; !rc && tg_toml_table_entry(table, i, &e); i++) {
		if (strcmp(e.key, "allowed_sources") == 0)
			rc = str_list(e.value, e.key, origin, &out->allowed_sources,
				      &out->n_allowed_sources, err);
		else if (strcmp(e.key, "allow") == 0)
			rc = str_list(e.value, e.key, origin, &out->allow, &out->n_allow, err);
		else if (strcmp(e.key, "deny") == 0)
			rc = str_list(e.value, e.key, origin, &out->deny, &out->n_deny, err);
		else if (strcmp(e.key, "allow_community") == 0) {
			if (!tg_toml_bool(e.value, &out->allow_community))
				rc = where(err, TG_EINVAL, origin, e.value, "must be true or false",
					   e.key);
		} else if (strcmp(e.key, "source") == 0)
			rc = read_pins(e.value, origin, out, err);
		else
			rc = tg_err_at(err, TG_EINVAL, origin, e.line, e.col,
				       "[windows]: unknown key '%s' (allowed_sources, "
				       "allow_community, allow, deny, [[windows.source]])", e.key);
	}
	return rc;
}

enum tg_win_source_kind tg_win_source_kind(enum tg_ecosystem eco,
					   const char *source)
{
	if (eco == TG_ECO_WINGET) {
		if (!source || tg_ascii_casecmp(source, "winget") == 0)
			return TG_WIN_SRC_COMMUNITY;
		if (tg_ascii_casecmp(source, "msstore") == 0)
			return TG_WIN_SRC_VENDOR;
		return TG_WIN_SRC_PRIVATE;
	}
	if (!source || tg_ascii_casecmp(source, "chocolatey") == 0 ||
	    strstr(source, "community.chocolatey.org") ||
	    strstr(source, "chocolatey.org/api/v2"))
		return TG_WIN_SRC_COMMUNITY;
	return TG_WIN_SRC_PRIVATE;
}

/* poetry.lock: [[package]] with name, version, optional, category (Poetry
 * 1.x) or groups and markers (Poetry 2.x), files[].hash, [package.source],
 * [package.dependencies]; [metadata] with lock-version and, in old locks,
 * [metadata.files] holding the hashes per package. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/pep503.h"
#include "tollgate/str.h"
#include "tollgate/toml.h"

static bool in_string_array(const struct tg_toml_value *a, const char *s)
{
	size_t i, n = tg_toml_array_len(a);

	for (i = 0; i < n; i++) {
		const char *v;
		if (tg_toml_string(tg_toml_array_at(a, i), &v, NULL) && strcmp(v, s) == 0)
			return true;
	}
	return false;
}

static int add_files(struct tg_package *p, const struct tg_toml_value *files,
		     const struct tg_toml *doc, struct tg_err *err)
{
	size_t i, n = tg_toml_array_len(files);
	int rc;

	for (i = 0; i < n; i++) {
		const struct tg_toml_value *f = tg_toml_array_at(files, i);
		const char *h = tg_toml_get_str(f, "hash");

		if (h && (rc = in_add_hash_spec(p, h, err))) {
			tg_err_locate(err, tg_toml_origin(doc), tg_toml_line(f), tg_toml_col(f));
			return rc;
		}
	}
	return 0;
}

/* Poetry 2 writes `markers` as a string, or as a table of markers per
 * group; the package is needed when any of them holds. */
static int poetry_markers(const struct tg_toml_value *m,
			  const struct tg_input_opts *opts, const char *origin,
			  unsigned long line, bool *keep, struct tg_err *err)
{
	size_t i, n;
	int rc;

	*keep = true;
	if (!m || tg_toml_type(m) != TG_TOML_TABLE)
		return in_toml_marker(m, opts, origin, line, keep, err);
	n = tg_toml_table_len(m);
	if (n == 0)
		return 0;
	*keep = false;
	for (i = 0; i < n && !*keep; i++) {
		struct tg_toml_entry e;
		if (tg_toml_table_entry(m, i, &e) &&
		    (rc = in_toml_marker(e.value, opts, origin, line, keep, err)))
			return rc;
	}
	return 0;
}

int in_parse_poetry_lock(const char *data, size_t len, const char *origin,
			 const struct tg_input_opts *opts,
			 struct tg_inventory *out, struct tg_err *err)
{
	struct tg_toml *doc = NULL;
	const struct tg_toml_value *root, *pkgs, *meta, *meta_files;
	size_t i, n;
	int rc;

	rc = in_toml_load(data, len, origin, opts, &doc, err);
	if (rc)
		return rc;
	root = tg_toml_root(doc);
	meta = tg_toml_get(root, "metadata");
	pkgs = tg_toml_get(root, "package");
	if (!meta && !pkgs) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not a poetry.lock: no [[package]] or [metadata]");
		goto out;
	}
	meta_files = tg_toml_get(meta, "files");
	n = tg_toml_array_len(pkgs);
	for (i = 0; i < n; i++) {
		const struct tg_toml_value *t = tg_toml_array_at(pkgs, i);
		const struct tg_toml_value *groups = tg_toml_get(t, "groups");
		const struct tg_toml_value *src = tg_toml_get(t, "source");
		const struct tg_toml_value *deps = tg_toml_get(t, "dependencies");
		const char *name = tg_toml_get_str(t, "name");
		const char *version = tg_toml_get_str(t, "version");
		const char *category = tg_toml_get_str(t, "category");
		const char *stype = tg_toml_get_str(src, "type");
		const char *surl = tg_toml_get_str(src, "url");
		unsigned long line = tg_toml_line(t);
		unsigned flags = 0;
		bool optional = false, develop = false, keep;
		struct tg_package *p;
		size_t j;

		if (!name) {
			rc = tg_toml_err_at(err, TG_EINVAL, doc, t, "package without a \"name\"");
			goto out;
		}
		if ((category && strcmp(category, "dev") == 0) ||
		    (groups && !in_string_array(groups, "main")))
			flags |= TG_PKG_DEV;
		if ((flags & TG_PKG_DEV) && !opts->include_dev)
			continue;
		if (tg_toml_bool(tg_toml_get(t, "optional"), &optional) && optional)
			flags |= TG_PKG_OPTIONAL;
		rc = poetry_markers(tg_toml_get(t, "markers"), opts, origin, line, &keep, err);
		if (rc)
			goto out;
		if (!in_marker_flags(keep, opts, &flags))
			continue;
		if (stype && strcmp(stype, "git") == 0)
			flags |= TG_PKG_VCS;
		else if (stype && (strcmp(stype, "file") == 0 || strcmp(stype, "directory") == 0 ||
				   strcmp(stype, "url") == 0))
			flags |= TG_PKG_URL;
		if (tg_toml_bool(tg_toml_get(src, "develop"), &develop) && develop)
			flags |= TG_PKG_EDITABLE;
		p = in_add(out, TG_ECO_PYPI, name, version, origin, line, flags, err);
		if (!p) {
			rc = err->code;
			goto out;
		}
		if (flags & TG_PKG_VCS) {
			const char *ref = tg_toml_get_str(src, "resolved_reference");
			char *u;

			if (!ref)
				ref = tg_toml_get_str(src, "reference");
			u = tg_asprintf("git+%s%s%s", surl ? surl : "", ref ? "@" : "", ref ? ref : "");
			rc = u ? in_set(&p->url, u, err) : tg_err_set(err, TG_ENOMEM, "out of memory");
			free(u);
		} else if (flags & TG_PKG_URL) {
			rc = in_set(&p->url, surl, err);
		} else if (surl) {
			/* A named index (legacy / primary / supplemental). */
			rc = in_set(&p->source, surl, err);
			if (!rc) {
				bool seen = false;
				for (j = 0; j < out->n_index_urls; j++)
					seen |= strcmp(out->index_urls[j], surl) == 0;
				if (!seen)
					rc = tg_inventory_add_index_url(out, surl, err);
			}
		}
		if (rc)
			goto out;
		p = &out->pkgs[out->n_pkgs - 1];
		if ((rc = add_files(p, tg_toml_get(t, "files"), doc, err)))
			goto out;
		if (meta_files) {
			/* Old locks key [metadata.files] by the name as written
			 * or normalised. */
			const struct tg_toml_value *mf = tg_toml_get(meta_files, name);
			if (!mf) {
				char *norm = tg_pep503_normalize_dup(name, strlen(name));
				mf = norm ? tg_toml_get(meta_files, norm) : NULL;
				free(norm);
			}
			if ((rc = add_files(p, mf, doc, err)))
				goto out;
		}
		for (j = 0; j < tg_toml_table_len(deps); j++) {
			struct tg_toml_entry e;
			if (tg_toml_table_entry(deps, j, &e) &&
			    (rc = tg_package_add_dep(p, e.key, err)))
				goto out;
		}
	}
out:
	tg_toml_free(doc);
	return rc;
}

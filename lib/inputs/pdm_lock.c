/* pdm.lock: [metadata] (groups, lock_version) and [[package]] with name,
 * version, groups, marker, dependencies (PEP 508 strings), files[].hash,
 * and git / revision, path / editable or url for non-index sources. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"
#include "tollgate/toml.h"

static bool has_group(const struct tg_toml_value *a, const char *s)
{
	size_t i, n = tg_toml_array_len(a);

	for (i = 0; i < n; i++) {
		const char *v;
		if (tg_toml_string(tg_toml_array_at(a, i), &v, NULL) && strcmp(v, s) == 0)
			return true;
	}
	return false;
}

int in_parse_pdm_lock(const char *data, size_t len, const char *origin,
		      const struct tg_input_opts *opts, struct tg_inventory *out,
		      struct tg_err *err)
{
	struct tg_toml *doc = NULL;
	const struct tg_toml_value *root, *pkgs;
	size_t i, n;
	int rc;

	rc = in_toml_load(data, len, origin, opts, &doc, err);
	if (rc)
		return rc;
	root = tg_toml_root(doc);
	pkgs = tg_toml_get(root, "package");
	if (!tg_toml_get(root, "metadata") && !pkgs) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not a pdm.lock: no [metadata] or [[package]]");
		goto out;
	}
	n = tg_toml_array_len(pkgs);
	for (i = 0; i < n; i++) {
		const struct tg_toml_value *t = tg_toml_array_at(pkgs, i);
		const struct tg_toml_value *groups = tg_toml_get(t, "groups");
		const struct tg_toml_value *files = tg_toml_get(t, "files");
		const struct tg_toml_value *deps = tg_toml_get(t, "dependencies");
		const char *name = tg_toml_get_str(t, "name");
		const char *git = tg_toml_get_str(t, "git");
		const char *rev = tg_toml_get_str(t, "revision");
		const char *path = tg_toml_get_str(t, "path");
		const char *url = tg_toml_get_str(t, "url");
		unsigned long line = tg_toml_line(t);
		unsigned flags = 0;
		bool keep, editable = false;
		struct tg_package *p;
		size_t j;

		if (!name) {
			rc = tg_toml_err_at(err, TG_EINVAL, doc, t, "package without a \"name\"");
			goto out;
		}
		if (groups && !has_group(groups, "default"))
			flags |= TG_PKG_DEV;
		if ((flags & TG_PKG_DEV) && !opts->include_dev)
			continue;
		rc = in_toml_marker(tg_toml_get(t, "marker"), opts, origin, line, &keep, err);
		if (rc)
			goto out;
		if (!in_marker_flags(keep, opts, &flags))
			continue;
		if (git)
			flags |= TG_PKG_VCS;
		else if (path || url)
			flags |= TG_PKG_URL;
		if (tg_toml_bool(tg_toml_get(t, "editable"), &editable) && editable)
			flags |= TG_PKG_EDITABLE;
		p = in_add(out, TG_ECO_PYPI, name, tg_toml_get_str(t, "version"), origin,
			   line, flags, err);
		if (!p) {
			rc = err->code;
			goto out;
		}
		if (git) {
			char *u = tg_asprintf("git+%s%s%s", git, rev ? "@" : "", rev ? rev : "");
			rc = u ? in_set(&p->url, u, err) : tg_err_set(err, TG_ENOMEM, "out of memory");
			free(u);
		} else {
			rc = in_set(&p->url, path ? path : url, err);
		}
		if (rc)
			goto out;
		for (j = 0; j < tg_toml_array_len(files); j++) {
			const struct tg_toml_value *f = tg_toml_array_at(files, j);
			const char *h = tg_toml_get_str(f, "hash");

			if (h && (rc = in_add_hash_spec(p, h, err))) {
				tg_err_locate(err, origin, tg_toml_line(f), tg_toml_col(f));
				goto out;
			}
		}
		for (j = 0; j < tg_toml_array_len(deps); j++) {
			const char *req;
			char dn[IN_MAX_NAME + 1];

			if (tg_toml_string(tg_toml_array_at(deps, j), &req, NULL) &&
			    in_requirement_name(req, dn) && (rc = tg_package_add_dep(p, dn, err)))
				goto out;
		}
	}
out:
	tg_toml_free(doc);
	return rc;
}

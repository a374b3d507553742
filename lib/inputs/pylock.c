/* pylock.toml (PEP 751): lock-version, [[packages]] with name, version,
 * marker, index, vcs, directory, archive, sdist and wheels, each artifact
 * with a `hashes` table (algorithm = hex digest). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"
#include "tollgate/toml.h"

static int add_hashes(struct tg_package *p, const struct tg_toml_value *artifact,
		      const char *origin, struct tg_err *err)
{
	const struct tg_toml_value *h = tg_toml_get(artifact, "hashes");
	size_t i, n = tg_toml_table_len(h);
	int rc;

	for (i = 0; i < n; i++) {
		struct tg_toml_entry e;
		const char *hex;

		if (!tg_toml_table_entry(h, i, &e) || !tg_toml_string(e.value, &hex, NULL))
			continue;
		if ((rc = in_add_hash(p, e.key, hex, err))) {
			tg_err_locate(err, origin, e.line, e.col);
			return rc;
		}
	}
	return 0;
}

static bool mentions(const char *s, const char *word)
{
	return s && strstr(s, word) != NULL;
}

int in_parse_pylock(const char *data, size_t len, const char *origin,
		    const struct tg_input_opts *opts, struct tg_inventory *out,
		    struct tg_err *err)
{
	struct tg_toml *doc = NULL;
	const struct tg_toml_value *root, *pkgs;
	size_t i, j, n;
	int rc;

	rc = in_toml_load(data, len, origin, opts, &doc, err);
	if (rc)
		return rc;
	root = tg_toml_root(doc);
	if (!tg_toml_get_str(root, "lock-version")) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not a pylock.toml: no \"lock-version\"");
		goto out;
	}
	if (strncmp(tg_toml_get_str(root, "lock-version"), "1.", 2) != 0) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "pylock.toml lock-version %.20s is not supported (1.x is)",
			       tg_toml_get_str(root, "lock-version"));
		goto out;
	}
	pkgs = tg_toml_get(root, "packages");
	n = tg_toml_array_len(pkgs);
	for (i = 0; i < n; i++) {
		const struct tg_toml_value *t = tg_toml_array_at(pkgs, i);
		const struct tg_toml_value *vcs = tg_toml_get(t, "vcs");
		const struct tg_toml_value *dir = tg_toml_get(t, "directory");
		const struct tg_toml_value *archive = tg_toml_get(t, "archive");
		const struct tg_toml_value *wheels = tg_toml_get(t, "wheels");
		const struct tg_toml_value *deps = tg_toml_get(t, "dependencies");
		const char *name = tg_toml_get_str(t, "name");
		const char *marker = tg_toml_get_str(t, "marker");
		const char *index = tg_toml_get_str(t, "index");
		unsigned long line = tg_toml_line(t);
		unsigned flags = 0;
		bool keep = true, editable = false;
		struct tg_package *p;

		if (!name) {
			rc = tg_toml_err_at(err, TG_EINVAL, doc, t, "package without a \"name\"");
			goto out;
		}
		/* PEP 751 adds the `extras` and `dependency_groups` marker
		 * variables. A package selected by a dependency group is a
		 * development package in the sense of the other lockfiles. */
		if (mentions(marker, "dependency_groups")) {
			flags |= TG_PKG_DEV;
			if (!opts->include_dev)
				continue;
		} else if (mentions(marker, "extras")) {
			flags |= TG_PKG_OPTIONAL;
		} else if ((rc = in_toml_marker(tg_toml_get(t, "marker"), opts, origin,
						 line, &keep, err))) {
			goto out;
		}
		if (!in_marker_flags(keep, opts, &flags))
			continue;
		if (vcs)
			flags |= TG_PKG_VCS;
		else if (dir || archive)
			flags |= TG_PKG_URL;
		if (tg_toml_bool(tg_toml_get(dir, "editable"), &editable) && editable)
			flags |= TG_PKG_EDITABLE;
		p = in_add(out, TG_ECO_PYPI, name, tg_toml_get_str(t, "version"), origin,
			   line, flags, err);
		if (!p) {
			rc = err->code;
			goto out;
		}
		if (vcs) {
			const char *type = tg_toml_get_str(vcs, "type");
			const char *u = tg_toml_get_str(vcs, "url");
			const char *commit = tg_toml_get_str(vcs, "commit-id");
			char *s;

			if (!u)
				u = tg_toml_get_str(vcs, "path");
			s = tg_asprintf("%s+%s%s%s", type ? type : "git", u ? u : "",
					commit ? "@" : "", commit ? commit : "");
			rc = s ? in_set(&p->url, s, err) : tg_err_set(err, TG_ENOMEM, "out of memory");
			free(s);
		} else if (dir) {
			rc = in_set(&p->url, tg_toml_get_str(dir, "path"), err);
		} else if (archive) {
			const char *u = tg_toml_get_str(archive, "url");
			rc = in_set(&p->url, u ? u : tg_toml_get_str(archive, "path"), err);
		}
		if (!rc && index) {
			rc = in_set(&p->source, index, err);
			if (!rc) {
				bool seen = false;
				for (j = 0; j < out->n_index_urls; j++)
					seen |= strcmp(out->index_urls[j], index) == 0;
				if (!seen)
					rc = tg_inventory_add_index_url(out, index, err);
			}
		}
		if (rc)
			goto out;
		p = &out->pkgs[out->n_pkgs - 1];
		if ((rc = add_hashes(p, archive, origin, err)) ||
		    (rc = add_hashes(p, tg_toml_get(t, "sdist"), origin, err)))
			goto out;
		for (j = 0; j < tg_toml_array_len(wheels); j++)
			if ((rc = add_hashes(p, tg_toml_array_at(wheels, j), origin, err)))
				goto out;
		for (j = 0; j < tg_toml_array_len(deps); j++) {
			const char *dn = tg_toml_get_str(tg_toml_array_at(deps, j), "name");
			if (dn && (rc = tg_package_add_dep(p, dn, err)))
				goto out;
		}
	}
out:
	tg_toml_free(doc);
	return rc;
}

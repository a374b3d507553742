/* npm package-lock.json / npm-shrinkwrap.json.
 *
 * lockfileVersion 2 and 3 have a flat "packages" map keyed by install path
 * ("node_modules/a/node_modules/@s/b"); the root project is the "" key.
 * Version 1 (and the compatibility copy in version 2, which we ignore when
 * "packages" is present) is a "dependencies" tree nested by install path. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/str.h"

#define NM "node_modules/"

/* Name from the last "node_modules/" segment of an install path. */
static const char *name_from_key(const char *key)
{
	const char *last = NULL, *p = key;

	while ((p = strstr(p, NM)) != NULL) {
		if (p == key || p[-1] == '/')
			last = p + strlen(NM);
		p += strlen(NM);
	}
	return last;
}

/* How the package was obtained, from "resolved" (or a v1 "version" that
 * is a URL): registry tarballs are sources, the rest direct references. */
static unsigned classify_resolved(const char *r)
{
	if (!r)
		return 0;
	if (tg_str_starts_with(r, "git") || tg_str_starts_with(r, "github:") ||
	    tg_str_starts_with(r, "gitlab:") || tg_str_starts_with(r, "bitbucket:"))
		return TG_PKG_VCS;
	if (tg_str_starts_with(r, "file:") || tg_str_starts_with(r, "link:"))
		return TG_PKG_URL;
	return 0;
}

/* "a" or "@s/a": installed straight under the project's node_modules. */
static bool top_level_name(const char *n)
{
	const char *slash = strchr(n, '/');

	if (!slash)
		return true;
	return n[0] == '@' && strchr(slash + 1, '/') == NULL;
}

static bool root_declares(json_t *root_pkg, const char *name)
{
	static const char *const kinds[] = { "dependencies", "devDependencies",
		"optionalDependencies", "peerDependencies" };
	size_t i;

	for (i = 0; root_pkg && i < 4; i++)
		if (json_object_get(tg_json_obj(root_pkg, kinds[i]), name))
			return true;
	return false;
}

static int add_deps(struct tg_package *p, json_t *e, const char *field,
		    struct tg_err *err)
{
	json_t *deps = tg_json_obj(e, field);
	const char *dn;
	json_t *dv;
	int rc;

	json_object_foreach(deps, dn, dv) {
		(void)dv;
		if ((rc = tg_package_add_dep(p, dn, err)))
			return rc;
	}
	return 0;
}

static int add_one(const char *name, const char *version, const char *resolved,
		   const char *integrity, unsigned flags, unsigned long line,
		   json_t *e, const char *deps_field, const char *origin,
		   struct tg_inventory *out, struct tg_err *err)
{
	struct tg_package *p;
	unsigned how = classify_resolved(resolved);
	bool version_is_ref = version && classify_resolved(version);
	int rc;

	/* v1 writes a git or file dependency's reference as its version. */
	if (version_is_ref) {
		how = classify_resolved(version);
		if (!resolved)
			resolved = version;
		version = NULL;
	}
	p = in_add(out, TG_ECO_NPM, name, version, origin, line, flags | how, err);
	if (!p)
		return err->code;
	if (resolved) {
		rc = in_set(how ? &p->url : &p->source, resolved, err);
		if (rc)
			return rc;
	}
	if (integrity && (rc = in_add_integrity(p, integrity, err))) {
		tg_err_locate(err, origin, line, 0);
		return rc;
	}
	if ((rc = in_set(&p->license, tg_json_str(e, "license"), err)))
		return rc;
	if ((rc = add_deps(p, e, deps_field, err)))
		return rc;
	if (strcmp(deps_field, "dependencies") == 0 &&
	    (rc = add_deps(p, e, "optionalDependencies", err)))
		return rc;
	return 0;
}

static unsigned entry_flags(json_t *e)
{
	unsigned f = 0;

	if (json_is_true(json_object_get(e, "dev")))
		f |= TG_PKG_DEV;
	if (json_is_true(json_object_get(e, "optional")))
		f |= TG_PKG_OPTIONAL;
	if (json_is_true(json_object_get(e, "devOptional")))
		f |= TG_PKG_DEV | TG_PKG_OPTIONAL;
	return f;
}

static int parse_packages(const struct in_json_doc *doc, json_t *packages,
			  const char *origin, const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err)
{
	json_t *root_pkg = tg_json_obj(packages, "");
	const char *key;
	json_t *e;
	int rc;

	json_object_foreach(packages, key, e) {
		unsigned long line = in_json_line(doc, e);
		const char *name = tg_json_str(e, "name");
		const char *keyname = name_from_key(key);
		unsigned flags;

		if (!*key)
			continue; /* the project itself */
		if (!json_is_object(e))
			return tg_err_at(err, TG_EINVAL, origin, line, 0,
					 "entry \"%.200s\" is not an object", key);
		/* A link points at another key ("packages/x") that is listed
		 * with its own entry; counting both would double it. */
		if (json_is_true(json_object_get(e, "link")))
			continue;
		flags = entry_flags(e);
		if ((flags & TG_PKG_DEV) && !(flags & TG_PKG_OPTIONAL) && !opts->include_dev)
			continue;
		if (json_is_true(json_object_get(e, "extraneous")))
			continue;
		if (!name)
			name = keyname;
		if (!name) {
			/* A workspace folder without a name field. */
			const char *slash = strrchr(key, '/');
			name = slash ? slash + 1 : key;
		}
		if (keyname == key + strlen(NM) && top_level_name(keyname) &&
		    root_declares(root_pkg, keyname))
			flags |= TG_PKG_DIRECT;
		if (!keyname) {
			/* A workspace package: local source, not the registry. */
			char *url = tg_asprintf("file:%s", key);
			if (!url)
				return tg_err_set(err, TG_ENOMEM, "out of memory");
			rc = add_one(name, tg_json_str(e, "version"), url, NULL,
				     flags | TG_PKG_URL, line, e, "dependencies",
				     origin, out, err);
			free(url);
		} else {
			rc = add_one(name, tg_json_str(e, "version"),
				     tg_json_str(e, "resolved"),
				     tg_json_str(e, "integrity"), flags, line, e,
				     "dependencies", origin, out, err);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* v1 tree. jansson caps nesting depth, so recursion is bounded. */
static int parse_tree(const struct in_json_doc *doc, json_t *deps, const char *origin,
		      const struct tg_input_opts *opts, struct tg_inventory *out,
		      struct tg_err *err)
{
	const char *name;
	json_t *e;
	int rc;

	json_object_foreach(deps, name, e) {
		unsigned long line = in_json_line(doc, e);
		unsigned flags;

		if (!json_is_object(e))
			return tg_err_at(err, TG_EINVAL, origin, line, 0,
					 "dependency \"%.200s\" is not an object", name);
		flags = entry_flags(e);
		if (!((flags & TG_PKG_DEV) && !(flags & TG_PKG_OPTIONAL) && !opts->include_dev)) {
			/* v1 does not say which packages are direct. */
			rc = add_one(name, tg_json_str(e, "version"),
				     tg_json_str(e, "resolved"),
				     tg_json_str(e, "integrity"), flags, line, e,
				     "requires", origin, out, err);
			if (rc)
				return rc;
		}
		if (tg_json_obj(e, "dependencies")) {
			rc = parse_tree(doc, tg_json_obj(e, "dependencies"), origin, opts, out, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int in_parse_npm_lock(const char *data, size_t len, const char *origin,
		      const struct tg_input_opts *opts, struct tg_inventory *out,
		      struct tg_err *err)
{
	struct in_json_doc doc;
	json_t *packages, *deps, *lv;
	int rc;

	rc = in_json_load(data, len, origin, &doc, err);
	if (rc)
		return rc;
	lv = json_object_get(doc.root, "lockfileVersion");
	packages = tg_json_obj(doc.root, "packages");
	deps = tg_json_obj(doc.root, "dependencies");
	if (!json_is_object(doc.root) || !json_is_integer(lv)) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not an npm lockfile: no integer \"lockfileVersion\"");
		goto out;
	}
	if (json_integer_value(lv) < 1 || json_integer_value(lv) > 3) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "npm lockfileVersion %lld is not supported (1 to 3 are)",
			       (long long)json_integer_value(lv));
		goto out;
	}
	if (packages)
		rc = parse_packages(&doc, packages, origin, opts, out, err);
	else if (deps)
		rc = parse_tree(&doc, deps, origin, opts, out, err);
out:
	in_json_release(&doc);
	return rc;
}

/* uv.lock: [[package]] tables with name, version, source, dependencies,
 * optional-dependencies, dev-dependencies, sdist and wheels.
 *
 * uv.lock records markers on dependency edges, not on packages, and does
 * not say which packages are dev-only. Both follow from the graph: starting
 * at the workspace members (editable / virtual sources), regular edges
 * reach production packages, dev-dependencies edges dev packages and the
 * members' optional-dependencies optional ones; an edge whose marker is
 * false for the target environment is not followed. A package no edge
 * reaches is flagged skipped-marker (or dropped). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/pep503.h"
#include "tollgate/size.h"
#include "tollgate/str.h"
#include "tollgate/toml.h"

enum { R_PROD = 1, R_DEV = 2, R_OPT = 4 };

struct uv_node {
	const struct tg_toml_value *tbl;
	const char *name, *version;
	char *norm;
	bool root, virtual_, direct;
	unsigned reach;
};

struct uv_ctx {
	struct tg_toml *doc;
	const char *origin;
	const struct tg_input_opts *opts;
	struct uv_node *nodes;
	size_t n;
	size_t *queue; /* node index * 4 + kind */
	size_t qlen, qcap;
};

static int enqueue(struct uv_ctx *x, size_t node, unsigned kind,
		   struct tg_err *err)
{
	if (x->nodes[node].reach & kind)
		return 0;
	x->nodes[node].reach |= kind;
	if (x->qlen == x->qcap) {
		size_t ncap = x->qcap ? x->qcap * 2 : 64, bytes;
		size_t *nq;

		if (!tg_size_mul(ncap, sizeof(*nq), &bytes) || !(nq = realloc(x->queue, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		x->queue = nq;
		x->qcap = ncap;
	}
	x->queue[x->qlen++] = node * 8 + kind;
	return 0;
}

/* Follow each edge of a dependency array with reach `kind`. Extras
 * requesting extras nest; depth stops a cycle of them. */
static int follow_d(struct uv_ctx *x, const struct tg_toml_value *deps,
		    unsigned kind, bool from_root, unsigned depth,
		    struct tg_err *err)
{
	size_t i, j, n = tg_toml_array_len(deps);
	int rc;

	for (i = 0; i < n; i++) {
		const struct tg_toml_value *e = tg_toml_array_at(deps, i);
		const char *name = tg_toml_get_str(e, "name");
		const char *ver = tg_toml_get_str(e, "version");
		const struct tg_toml_value *extras = tg_toml_get(e, "extra");
		char norm[IN_MAX_NAME + 1];
		bool keep;

		if (!name || strlen(name) > IN_MAX_NAME)
			return tg_toml_err_at(err, TG_EINVAL, x->doc, e,
					      "dependency without a valid name");
		rc = in_toml_marker(tg_toml_get(e, "marker"), x->opts, x->origin,
				    tg_toml_line(e), &keep, err);
		if (rc)
			return rc;
		if (!keep)
			continue;
		tg_pep503_normalize(name, strlen(name), norm);
		for (j = 0; j < x->n; j++) {
			struct uv_node *t = &x->nodes[j];
			size_t k, ne = tg_toml_array_len(extras);

			if (strcmp(t->norm, norm) != 0 ||
			    (ver && (!t->version || strcmp(ver, t->version) != 0)))
				continue;
			if (from_root)
				t->direct = true;
			if ((rc = enqueue(x, j, kind, err)))
				return rc;
			/* Requesting an extra pulls in that extra's edges. */
			for (k = 0; k < ne; k++) {
				const char *ex;
				const struct tg_toml_value *od = tg_toml_get(t->tbl, "optional-dependencies");

				if (depth < 16 &&
				    tg_toml_string(tg_toml_array_at(extras, k), &ex, NULL) &&
				    (rc = follow_d(x, tg_toml_get(od, ex), kind, false,
						   depth + 1, err)))
					return rc;
			}
		}
	}
	return 0;
}

static int follow(struct uv_ctx *x, const struct tg_toml_value *deps,
		  unsigned kind, bool from_root, struct tg_err *err)
{
	return follow_d(x, deps, kind, from_root, 0, err);
}

/* Every group of a table of dependency arrays (dev-dependencies,
 * optional-dependencies). */
static int follow_groups(struct uv_ctx *x, const struct tg_toml_value *groups,
			 unsigned kind, bool from_root, struct tg_err *err)
{
	size_t i, n = tg_toml_table_len(groups);
	struct tg_toml_entry e;
	int rc;

	for (i = 0; i < n; i++)
		if (tg_toml_table_entry(groups, i, &e) &&
		    (rc = follow(x, e.value, kind, from_root, err)))
			return rc;
	return 0;
}

static int walk(struct uv_ctx *x, struct tg_err *err)
{
	size_t i, head = 0;
	bool any_root = false;
	int rc;

	for (i = 0; i < x->n; i++) {
		if (!x->nodes[i].root)
			continue;
		any_root = true;
		x->nodes[i].reach |= R_PROD;
		if ((rc = follow(x, tg_toml_get(x->nodes[i].tbl, "dependencies"), R_PROD, true, err)) ||
		    (rc = follow_groups(x, tg_toml_get(x->nodes[i].tbl, "dev-dependencies"),
					R_DEV, true, err)) ||
		    (rc = follow_groups(x, tg_toml_get(x->nodes[i].tbl, "optional-dependencies"),
					R_OPT, true, err)))
			return rc;
	}
	if (!any_root) {
		/* No workspace member (a hand-trimmed lock): every package is
		 * taken as needed. */
		for (i = 0; i < x->n; i++)
			x->nodes[i].reach |= R_PROD;
		return 0;
	}
	while (head < x->qlen) {
		size_t item = x->queue[head++];
		struct uv_node *nd = &x->nodes[item / 8];
		unsigned kind = (unsigned)(item % 8);

		if (nd->root)
			continue;
		if ((rc = follow(x, tg_toml_get(nd->tbl, "dependencies"), kind, false, err)))
			return rc;
	}
	return 0;
}

static bool has_dep_already(const struct tg_package *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_deps; i++)
		if (strcmp(p->deps[i], name) == 0)
			return true;
	return false;
}

static int add_hashes(struct tg_package *p, const struct tg_toml_value *file,
		      const struct tg_toml *doc, struct tg_err *err)
{
	const char *h = tg_toml_get_str(file, "hash");
	int rc;

	if (!h)
		return 0;
	rc = in_add_hash_spec(p, h, err);
	if (rc)
		tg_err_locate(err, tg_toml_origin(doc), tg_toml_line(file), tg_toml_col(file));
	return rc;
}

static int emit(struct uv_ctx *x, struct uv_node *nd, struct tg_inventory *out,
		struct tg_err *err)
{
	const struct tg_toml_value *src = tg_toml_get(nd->tbl, "source");
	const struct tg_toml_value *wheels = tg_toml_get(nd->tbl, "wheels");
	const struct tg_toml_value *deps = tg_toml_get(nd->tbl, "dependencies");
	const char *registry = tg_toml_get_str(src, "registry");
	const char *git = tg_toml_get_str(src, "git");
	const char *url = tg_toml_get_str(src, "url");
	const char *path = tg_toml_get_str(src, "path");
	const char *dir = tg_toml_get_str(src, "directory");
	const char *editable = tg_toml_get_str(src, "editable");
	unsigned flags = 0;
	struct tg_package *p;
	char *vcs = NULL;
	size_t i;
	int rc = 0;

	if (nd->virtual_)
		return 0; /* a virtual workspace root is not a package */
	if (!(nd->reach & R_PROD)) {
		if (nd->reach & R_DEV)
			flags |= TG_PKG_DEV;
		if (nd->reach & R_OPT)
			flags |= TG_PKG_OPTIONAL;
		if ((flags & TG_PKG_DEV) && !(flags & TG_PKG_OPTIONAL) && !x->opts->include_dev)
			return 0;
		if (!nd->reach && !in_marker_flags(false, x->opts, &flags))
			return 0;
	}
	if (nd->direct)
		flags |= TG_PKG_DIRECT;
	if (git)
		flags |= TG_PKG_VCS;
	else if (url || path || dir || editable)
		flags |= TG_PKG_URL;
	if (editable)
		flags |= TG_PKG_EDITABLE;
	p = in_add(out, TG_ECO_PYPI, nd->name, nd->version, x->origin,
		   tg_toml_line(nd->tbl), flags, err);
	if (!p)
		return err->code;
	if (registry)
		rc = in_set(&p->source, registry, err);
	else if (git) {
		vcs = tg_asprintf("git+%s", git);
		rc = vcs ? in_set(&p->url, vcs, err) : tg_err_set(err, TG_ENOMEM, "out of memory");
	} else {
		rc = in_set(&p->url, url ? url : path ? path : dir ? dir : editable, err);
	}
	free(vcs);
	if (rc)
		return rc;
	if ((rc = add_hashes(p, tg_toml_get(nd->tbl, "sdist"), x->doc, err)))
		return rc;
	for (i = 0; i < tg_toml_array_len(wheels); i++)
		if ((rc = add_hashes(p, tg_toml_array_at(wheels, i), x->doc, err)))
			return rc;
	for (i = 0; i < tg_toml_array_len(deps); i++) {
		const char *dn = tg_toml_get_str(tg_toml_array_at(deps, i), "name");
		if (dn && !has_dep_already(p, dn) && (rc = tg_package_add_dep(p, dn, err)))
			return rc;
	}
	return 0;
}

int in_parse_uv_lock(const char *data, size_t len, const char *origin,
		     const struct tg_input_opts *opts, struct tg_inventory *out,
		     struct tg_err *err)
{
	struct uv_ctx x = { 0 };
	const struct tg_toml_value *root, *pkgs;
	size_t i;
	int rc;

	rc = in_toml_load(data, len, origin, opts, &x.doc, err);
	if (rc)
		return rc;
	x.origin = origin;
	x.opts = opts;
	root = tg_toml_root(x.doc);
	if (tg_toml_type(tg_toml_get(root, "version") ? tg_toml_get(root, "version") : root) !=
	    TG_TOML_INTEGER) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not a uv.lock: no integer \"version\" at the top");
		goto out;
	}
	pkgs = tg_toml_get(root, "package");
	x.n = tg_toml_array_len(pkgs);
	x.nodes = calloc(x.n ? x.n : 1, sizeof(*x.nodes));
	if (!x.nodes) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < x.n; i++) {
		struct uv_node *nd = &x.nodes[i];
		const struct tg_toml_value *src;

		nd->tbl = tg_toml_array_at(pkgs, i);
		nd->name = tg_toml_get_str(nd->tbl, "name");
		nd->version = tg_toml_get_str(nd->tbl, "version");
		if (!nd->name || !*nd->name || strlen(nd->name) > IN_MAX_NAME) {
			rc = tg_toml_err_at(err, TG_EINVAL, x.doc, nd->tbl,
					    "package without a valid \"name\"");
			goto out;
		}
		nd->norm = tg_pep503_normalize_dup(nd->name, strlen(nd->name));
		if (!nd->norm) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		src = tg_toml_get(nd->tbl, "source");
		nd->virtual_ = tg_toml_get(src, "virtual") != NULL;
		nd->root = nd->virtual_ || tg_toml_get(src, "editable") != NULL;
	}
	if ((rc = walk(&x, err)))
		goto out;
	for (i = 0; i < x.n; i++)
		if ((rc = emit(&x, &x.nodes[i], out, err)))
			goto out;
out:
	for (i = 0; x.nodes && i < x.n; i++)
		free(x.nodes[i].norm);
	free(x.nodes);
	free(x.queue);
	tg_toml_free(x.doc);
	return rc;
}

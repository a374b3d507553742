/* SBOM inputs: CycloneDX (1.4 to 1.6) JSON and SPDX 2.x JSON.
 *
 * The ecosystem, name and version come from each component's purl when it
 * has one (the name and version fields are display text and differ between
 * generators); components without a purl are kept with ecosystem unknown so
 * that nothing listed in the SBOM disappears. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/pep503.h"
#include "tollgate/str.h"

/* CycloneDX "SHA-256" / SPDX "SHA256" / "BLAKE2b-256" -> "sha256",
 * "blake2b_256"; NULL for algorithms we do not carry. */
static bool map_alg(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	const char *p;

	if (!in || strlen(in) >= outsz)
		return false;
	for (p = in; *p; p++) {
		char c = tg_ascii_lower(*p);
		if (c == '-' && o == 3 && strncmp(out, "sha", 3) == 0)
			continue; /* SHA-256 -> sha256 */
		if (c == '-' && o == 4 && strncmp(out, "sha3", 4) == 0) {
			out[o++] = '_';
			continue;
		}
		if (c == '-')
			c = '_';
		out[o++] = c;
	}
	out[o] = '\0';
	return o > 0;
}

static int add_from_purl_or_name(const char *purl, const char *name,
				 const char *version, const char *origin,
				 unsigned long line, unsigned flags,
				 struct tg_inventory *out, struct tg_package **pp,
				 struct tg_err *err)
{
	enum tg_ecosystem eco = TG_ECO_UNKNOWN;
	char *pname = NULL, *pver = NULL;
	int rc = 0;

	*pp = NULL;
	if (purl) {
		rc = in_purl_package(purl, &eco, &pname, &pver, err);
		if (rc) {
			tg_err_prefix(err, "purl '%.200s'", purl);
			tg_err_locate(err, origin, line, 0);
			return rc;
		}
	}
	if (!pname && !name)
		return 0; /* nothing to name it by: not a package */
	/* purls carry the normalised PyPI name; keep the spelling the SBOM
	 * shows when it is the same project. */
	if (pname && name && eco == TG_ECO_PYPI) {
		char *norm = tg_pep503_normalize_dup(name, strlen(name));
		if (norm && strcmp(norm, pname) == 0) {
			free(pname);
			pname = NULL;
		}
		free(norm);
	}
	*pp = in_add(out, eco, pname ? pname : name, pver ? pver : version,
		     origin, line, flags, err);
	if (!*pp)
		rc = err->code;
	free(pname);
	free(pver);
	return rc;
}

/* ---- CycloneDX ---- */

struct cdx_ctx {
	const struct in_json_doc *doc;
	const char *origin;
	struct tg_inventory *out;
	json_t *deps_by_ref; /* ref -> its "dependsOn" array */
	json_t *by_ref; /* bom-ref -> component */
};

static int cdx_license(struct tg_package *p, json_t *c, struct tg_err *err)
{
	json_t *lics = tg_json_arr(c, "licenses"), *l;
	size_t i;

	json_array_foreach(lics, i, l) {
		const char *expr = tg_json_str(l, "expression");
		json_t *lic = tg_json_obj(l, "license");
		const char *s = expr ? expr : tg_json_str(lic, "id");

		if (!s)
			s = tg_json_str(lic, "name");
		if (s)
			return in_set(&p->license, s, err);
	}
	return 0;
}

static int cdx_deps(struct cdx_ctx *x, struct tg_package *p, const char *ref,
		    struct tg_err *err)
{
	json_t *on, *t;
	size_t i;

	if (!ref)
		return 0;
	on = json_object_get(x->deps_by_ref, ref);
	json_array_foreach(on, i, t) {
		json_t *target = json_is_string(t) ?
			json_object_get(x->by_ref, json_string_value(t)) : NULL;
		const char *tn = target ? tg_json_str(target, "name") : NULL;
		const char *tpurl = target ? tg_json_str(target, "purl") : NULL;
		char *pname = NULL, *pver = NULL;
		enum tg_ecosystem eco;
		int rc;

		if (tpurl && in_purl_package(tpurl, &eco, &pname, &pver, NULL) == 0)
			tn = pname;
		rc = tn ? tg_package_add_dep(p, tn, err) : 0;
		free(pname);
		free(pver);
		if (rc)
			return rc;
	}
	return 0;
}

static int cdx_components(struct cdx_ctx *x, json_t *arr, struct tg_err *err);

static int cdx_component(struct cdx_ctx *x, json_t *c, struct tg_err *err)
{
	unsigned long line = in_json_line(x->doc, c);
	const char *scope = tg_json_str(c, "scope");
	const char *group = tg_json_str(c, "group");
	const char *name = tg_json_str(c, "name");
	json_t *hashes = tg_json_arr(c, "hashes"), *h;
	struct tg_package *p;
	unsigned flags = 0;
	char *full = NULL;
	size_t i;
	int rc;

	if (!json_is_object(c))
		return tg_err_at(err, TG_EINVAL, x->origin, line, 0,
				 "component is not an object");
	if (scope && strcmp(scope, "optional") == 0)
		flags |= TG_PKG_OPTIONAL;
	if (group && *group && name) {
		full = tg_asprintf("%s/%s", group, name);
		if (!full)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	rc = add_from_purl_or_name(tg_json_str(c, "purl"), full ? full : name,
				   tg_json_str(c, "version"), x->origin, line,
				   flags, x->out, &p, err);
	free(full);
	if (rc)
		return rc;
	if (p) {
		json_array_foreach(hashes, i, h) {
			char alg[32];
			const char *hex = tg_json_str(h, "content");

			if (!hex || !map_alg(tg_json_str(h, "alg"), alg, sizeof(alg)))
				continue;
			if ((rc = in_add_hash(p, alg, hex, err))) {
				tg_err_locate(err, x->origin, line, 0);
				return rc;
			}
		}
		if ((rc = cdx_license(p, c, err)))
			return rc;
		if ((rc = cdx_deps(x, p, tg_json_str(c, "bom-ref"), err)))
			return rc;
	}
	return cdx_components(x, tg_json_arr(c, "components"), err);
}

static int cdx_components(struct cdx_ctx *x, json_t *arr, struct tg_err *err)
{
	json_t *c;
	size_t i;
	int rc;

	json_array_foreach(arr, i, c) {
		if ((rc = cdx_component(x, c, err)))
			return rc;
	}
	return 0;
}

/* bom-ref index over every (nested) component. */
static int cdx_index(json_t *by_ref, json_t *arr)
{
	json_t *c;
	size_t i;

	json_array_foreach(arr, i, c) {
		const char *ref = tg_json_str(c, "bom-ref");
		if (ref && json_object_set(by_ref, ref, c))
			return -1;
		if (cdx_index(by_ref, tg_json_arr(c, "components")))
			return -1;
	}
	return 0;
}

int in_parse_cyclonedx(const char *data, size_t len, const char *origin,
		       const struct tg_input_opts *opts,
		       struct tg_inventory *out, struct tg_err *err)
{
	struct in_json_doc doc;
	struct cdx_ctx x = { 0 };
	const char *fmt;
	int rc;

	(void)opts;
	rc = in_json_load(data, len, origin, &doc, err);
	if (rc)
		return rc;
	fmt = tg_json_str(doc.root, "bomFormat");
	if (!fmt || strcmp(fmt, "CycloneDX") != 0) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not a CycloneDX JSON SBOM: \"bomFormat\" is not \"CycloneDX\"");
		goto out;
	}
	x.doc = &doc;
	x.origin = origin;
	x.out = out;
	x.by_ref = json_object();
	x.deps_by_ref = json_object();
	if (!x.by_ref || !x.deps_by_ref ||
	    cdx_index(x.by_ref, tg_json_arr(doc.root, "components"))) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	{
		json_t *d;
		size_t i;

		json_array_foreach(tg_json_arr(doc.root, "dependencies"), i, d) {
			const char *r = tg_json_str(d, "ref");
			json_t *on = tg_json_arr(d, "dependsOn");
			if (r && on && json_object_set(x.deps_by_ref, r, on)) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	/* metadata.component is the subject of the SBOM, not a dependency. */
	rc = cdx_components(&x, tg_json_arr(doc.root, "components"), err);
out:
	json_decref(x.by_ref);
	json_decref(x.deps_by_ref);
	in_json_release(&doc);
	return rc;
}

/* ---- SPDX ---- */

static const char *spdx_purl(json_t *pkg)
{
	json_t *refs = tg_json_arr(pkg, "externalRefs"), *r;
	size_t i;

	json_array_foreach(refs, i, r) {
		const char *cat = tg_json_str(r, "referenceCategory");
		const char *type = tg_json_str(r, "referenceType");
		const char *loc = tg_json_str(r, "referenceLocator");

		if (cat && type && loc && strcmp(type, "purl") == 0 &&
		    (strcmp(cat, "PACKAGE-MANAGER") == 0 ||
		     strcmp(cat, "PACKAGE_MANAGER") == 0))
			return loc;
	}
	return NULL;
}

/* id -> array of ids it depends on, from DEPENDS_ON and DEPENDENCY_OF. */
static int spdx_index_deps(json_t *root, json_t *deps_of)
{
	json_t *rels = tg_json_arr(root, "relationships"), *r;
	size_t i;

	json_array_foreach(rels, i, r) {
		const char *a = tg_json_str(r, "spdxElementId");
		const char *type = tg_json_str(r, "relationshipType");
		const char *b = tg_json_str(r, "relatedSpdxElement");
		const char *from, *to;
		json_t *list;

		if (!a || !type || !b)
			continue;
		if (strcmp(type, "DEPENDS_ON") == 0) {
			from = a;
			to = b;
		} else if (strcmp(type, "DEPENDENCY_OF") == 0) {
			from = b;
			to = a;
		} else {
			continue;
		}
		list = json_object_get(deps_of, from);
		if (!list) {
			list = json_array();
			if (!list || json_object_set_new(deps_of, from, list))
				return -1;
		}
		if (json_array_append_new(list, json_string(to)))
			return -1;
	}
	return 0;
}

static int spdx_deps(json_t *deps_of, json_t *by_id, struct tg_package *p,
		     const char *id, struct tg_err *err)
{
	json_t *list, *t;
	size_t i;

	if (!id)
		return 0;
	list = json_object_get(deps_of, id);
	json_array_foreach(list, i, t) {
		json_t *target = json_object_get(by_id, json_string_value(t));
		const char *tn, *purl;
		char *pname = NULL, *pver = NULL;
		enum tg_ecosystem eco;
		int rc;

		if (!target)
			continue;
		tn = tg_json_str(target, "name");
		purl = spdx_purl(target);
		if (purl && in_purl_package(purl, &eco, &pname, &pver, NULL) == 0)
			tn = pname;
		rc = tn ? tg_package_add_dep(p, tn, err) : 0;
		free(pname);
		free(pver);
		if (rc)
			return rc;
	}
	return 0;
}

int in_parse_spdx(const char *data, size_t len, const char *origin,
		  const struct tg_input_opts *opts, struct tg_inventory *out,
		  struct tg_err *err)
{
	struct in_json_doc doc;
	json_t *pkgs, *pkg, *by_id = NULL, *deps_of = NULL;
	const char *ver;
	size_t i;
	int rc;

	(void)opts;
	rc = in_json_load(data, len, origin, &doc, err);
	if (rc)
		return rc;
	ver = tg_json_str(doc.root, "spdxVersion");
	if (!ver || strncmp(ver, "SPDX-2.", 7) != 0) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not an SPDX 2.x JSON document: \"spdxVersion\" is %s",
			       ver ? ver : "missing");
		goto out;
	}
	pkgs = tg_json_arr(doc.root, "packages");
	by_id = json_object();
	deps_of = json_object();
	if (!by_id || !deps_of || spdx_index_deps(doc.root, deps_of)) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(pkgs, i, pkg) {
		const char *id = tg_json_str(pkg, "SPDXID");
		if (id && json_object_set(by_id, id, pkg)) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
	}
	json_array_foreach(pkgs, i, pkg) {
		unsigned long line = in_json_line(&doc, pkg);
		json_t *sums = tg_json_arr(pkg, "checksums"), *s;
		const char *lic = tg_json_str(pkg, "licenseDeclared");
		const char *dl = tg_json_str(pkg, "downloadLocation");
		struct tg_package *p;
		size_t j;

		if (!json_is_object(pkg)) {
			rc = tg_err_at(err, TG_EINVAL, origin, line, 0,
				       "package is not an object");
			goto out;
		}
		rc = add_from_purl_or_name(spdx_purl(pkg), tg_json_str(pkg, "name"),
					   tg_json_str(pkg, "versionInfo"), origin,
					   line, 0, out, &p, err);
		if (rc)
			goto out;
		if (!p)
			continue;
		json_array_foreach(sums, j, s) {
			char alg[32];
			const char *hex = tg_json_str(s, "checksumValue");

			if (!hex || !map_alg(tg_json_str(s, "algorithm"), alg, sizeof(alg)))
				continue;
			if ((rc = in_add_hash(p, alg, hex, err))) {
				tg_err_locate(err, origin, line, 0);
				goto out;
			}
		}
		if (!lic || strcmp(lic, "NOASSERTION") == 0 || strcmp(lic, "NONE") == 0)
			lic = tg_json_str(pkg, "licenseConcluded");
		if (lic && strcmp(lic, "NOASSERTION") != 0 && strcmp(lic, "NONE") != 0 &&
		    (rc = in_set(&p->license, lic, err)))
			goto out;
		if (dl && strcmp(dl, "NOASSERTION") != 0 && strcmp(dl, "NONE") != 0 &&
		    (rc = in_set(&p->source, dl, err)))
			goto out;
		if ((rc = spdx_deps(deps_of, by_id, p, tg_json_str(pkg, "SPDXID"), err)))
			goto out;
	}
out:
	json_decref(by_id);
	json_decref(deps_of);
	in_json_release(&doc);
	return rc;
}

/* CycloneDX 1.6 JSON SBOM writer (bom-1.6.schema.json). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "sbom_internal.h"
#include "tollgate/str.h"

json_t *sbom_jstr(const char *s)
{
	size_t bad, n;
	char *copy;
	json_t *j;

	if (!s)
		return json_null();
	n = strlen(s);
	if (tg_utf8_valid(s, n, &bad))
		return json_stringn(s, n);
	copy = tg_strdup(s);
	if (!copy)
		return NULL;
	while (!tg_utf8_valid(copy, n, &bad))
		copy[bad] = '?';
	j = json_stringn(copy, n);
	free(copy);
	return j;
}

/* Our lowercase algorithm names -> CycloneDX hash-alg. */
static const char *cdx_alg(const char *alg)
{
	static const struct { const char *ours, *cdx; } map[] = {
		{ "md5", "MD5" }, { "sha1", "SHA-1" }, { "sha256", "SHA-256" },
		{ "sha384", "SHA-384" }, { "sha512", "SHA-512" },
		{ "sha3_256", "SHA3-256" }, { "sha3_384", "SHA3-384" },
		{ "sha3_512", "SHA3-512" }, { "blake2b_256", "BLAKE2b-256" },
		{ "blake2b_384", "BLAKE2b-384" }, { "blake2b_512", "BLAKE2b-512" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(alg, map[i].ours) == 0)
			return map[i].cdx;
	return NULL;
}

/* Set key to v, which may be NULL on ENOMEM; *ok goes false then. */
static void put(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (!v || json_object_set_new(o, key, v))
		*ok = false;
}

static void append(json_t *a, json_t *v, bool *ok)
{
	if (!v || json_array_append_new(a, v))
		*ok = false;
}

static json_t *licenses(const struct tg_package *p, bool *ok)
{
	char expr[1024];
	json_t *arr, *l;

	if (!p->license || !*p->license)
		return NULL;
	arr = json_array();
	l = json_object();
	if (!arr || !l) {
		json_decref(arr);
		json_decref(l);
		*ok = false;
		return NULL;
	}
	if (tg_spdx_expression(p->license, expr, sizeof(expr))) {
		if (!strchr(expr, ' ')) {
			json_t *lic = json_object();

			if (lic)
				put(lic, "id", json_string(expr), ok);
			put(l, "license", lic, ok);
		} else {
			put(l, "expression", json_string(expr), ok);
		}
	} else {
		/* declared text that is no SPDX expression: its first line as a
		 * name (some metadata carries the whole licence text) */
		json_t *lic = json_object();
		char *name = sbom_first_line(p->license, 200);

		if (lic && name && *name)
			put(lic, "name", sbom_jstr(name), ok);
		else if (lic)
			put(lic, "name", json_string("unknown"), ok);
		free(name);
		put(l, "license", lic, ok);
	}
	append(arr, l, ok);
	return arr;
}

static json_t *component(const struct sbom_comp *c, bool *ok)
{
	const struct tg_package *p = c->pkg;
	json_t *o = json_object(), *hashes;
	const char *name = p->name, *slash;
	size_t i;

	if (!o) {
		*ok = false;
		return NULL;
	}
	put(o, "type", json_string(p->eco == TG_ECO_WINGET ||
				   p->eco == TG_ECO_CHOCOLATEY ? "application" : "library"), ok);
	put(o, "bom-ref", sbom_jstr(c->purl), ok);
	if (p->eco == TG_ECO_NPM && name[0] == '@' && (slash = strchr(name, '/'))) {
		char *group = tg_strndup(name, (size_t)(slash - name));

		put(o, "group", group ? sbom_jstr(group) : NULL, ok);
		free(group);
		name = slash + 1;
	}
	put(o, "name", sbom_jstr(name), ok);
	if (p->version)
		put(o, "version", sbom_jstr(p->version), ok);
	if (p->flags & TG_PKG_OPTIONAL)
		put(o, "scope", json_string("optional"), ok);
	hashes = json_array();
	for (i = 0; hashes && i < c->n_hashes; i++) {
		const char *alg = cdx_alg(c->hashes[i].alg);
		json_t *h;

		if (!alg)
			continue;
		h = json_object();
		if (h) {
			put(h, "alg", json_string(alg), ok);
			put(h, "content", json_string(c->hashes[i].hex), ok);
		}
		append(hashes, h, ok);
	}
	if (hashes && json_array_size(hashes))
		put(o, "hashes", hashes, ok);
	else
		json_decref(hashes);
	if (!hashes)
		*ok = false;
	{
		json_t *lic = licenses(p, ok);
		if (lic)
			put(o, "licenses", lic, ok);
	}
	put(o, "purl", sbom_jstr(c->purl), ok);
	return o;
}

/* Components nothing else depends on (the roots of the graph). */
static bool is_depended_on(const struct sbom_model *m, size_t k)
{
	size_t i, j;

	for (i = 0; i < m->n; i++)
		for (j = 0; j < m->comps[i].n_deps; j++)
			if (m->comps[i].deps[j] == k && i != k)
				return true;
	return false;
}

int sbom_write_cyclonedx(const struct sbom_model *m, struct tg_buf *out,
			 struct tg_err *err)
{
	json_t *doc = json_object(), *meta = json_object(), *tools = json_object();
	json_t *tool_list = json_array(), *tool = json_object(), *subject = json_object();
	json_t *comps = json_array(), *deps = json_array(), *root_dep = json_object();
	json_t *root_on = json_array();
	unsigned char uuid_b[16];
	char uuid[37], *text = NULL, *body = NULL;
	bool ok = doc && meta && tools && tool_list && tool && subject && comps &&
		  deps && root_dep && root_on;
	bool any_direct = false;
	size_t i, j;
	int rc = 0;

	for (i = 0; ok && i < m->n; i++)
		any_direct |= m->comps[i].direct;
	for (i = 0; ok && i < m->n; i++) {
		const struct sbom_comp *c = &m->comps[i];

		append(comps, component(c, &ok), &ok);
		if (any_direct ? c->direct : !is_depended_on(m, i))
			append(root_on, sbom_jstr(c->purl), &ok);
		if (c->has_deps_info) {
			json_t *d = json_object(), *on = json_array();

			for (j = 0; on && j < c->n_deps; j++)
				append(on, sbom_jstr(m->comps[c->deps[j]].purl), &ok);
			if (d) {
				put(d, "ref", sbom_jstr(c->purl), &ok);
				put(d, "dependsOn", on, &ok);
			} else {
				json_decref(on);
			}
			append(deps, d, &ok);
		}
	}
	if (!ok)
		goto oom;
	put(subject, "type", json_string("application"), &ok);
	put(subject, "bom-ref", json_string("tollgate:subject"), &ok);
	put(subject, "name", sbom_jstr(m->subject), &ok);
	put(root_dep, "ref", json_string("tollgate:subject"), &ok);
	put(root_dep, "dependsOn", root_on, &ok);
	root_on = NULL;
	if (json_array_insert_new(deps, 0, root_dep))
		ok = false;
	root_dep = NULL;

	/* The serial number of a reproducible BOM is a digest of what it
	 * describes, so equal inputs give equal documents. */
	{
		json_t *seed = json_pack("{s:O,s:O,s:s}", "components", comps,
					 "dependencies", deps, "subject", m->subject);
		if (!seed)
			goto oom;
		body = json_dumps(seed, JSON_COMPACT);
		json_decref(seed);
		if (!body)
			goto oom;
		if ((rc = sbom_uuid_bytes(m->reproducible, body, strlen(body), uuid_b, err)))
			goto out;
		sbom_uuid_format(uuid_b, m->reproducible ? 5 : 4, uuid);
	}
	put(tool, "type", json_string("application"), &ok);
	put(tool, "name", json_string("tollgate"), &ok);
	put(tool, "version", sbom_jstr(m->tool_version), &ok);
	append(tool_list, tool, &ok);
	tool = NULL;
	put(tools, "components", tool_list, &ok);
	tool_list = NULL;
	put(meta, "timestamp", sbom_jstr(m->timestamp), &ok);
	put(meta, "tools", tools, &ok);
	tools = NULL;
	put(meta, "component", subject, &ok);
	subject = NULL;

	put(doc, "$schema", json_string("http://cyclonedx.org/schema/bom-1.6.schema.json"), &ok);
	put(doc, "bomFormat", json_string("CycloneDX"), &ok);
	put(doc, "specVersion", json_string("1.6"), &ok);
	{
		char serial[48];
		snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
		put(doc, "serialNumber", json_string(serial), &ok);
	}
	put(doc, "version", json_integer(1), &ok);
	put(doc, "metadata", meta, &ok);
	meta = NULL;
	put(doc, "components", comps, &ok);
	comps = NULL;
	put(doc, "dependencies", deps, &ok);
	deps = NULL;
	if (!ok)
		goto oom;
	text = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (!text)
		goto oom;
	rc = tg_buf_adds(out, text, err);
	if (!rc)
		rc = tg_buf_addc(out, '\n', err);
	goto out;
oom:
	rc = tg_err_set(err, TG_ENOMEM, "out of memory writing the CycloneDX SBOM");
out:
	free(text);
	free(body);
	json_decref(doc);
	json_decref(meta);
	json_decref(tools);
	json_decref(tool_list);
	json_decref(tool);
	json_decref(subject);
	json_decref(comps);
	json_decref(deps);
	json_decref(root_dep);
	json_decref(root_on);
	return rc;
}

/* CycloneDX 1.6 JSON SBOM writer (bom-1.6.schema.json). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "sbom_internal.h"
#include "tollgate/str.h"

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
				sbom_put(lic, "id", json_string(expr), ok);
			sbom_put(l, "license", lic, ok);
		} else {
			sbom_put(l, "expression", json_string(expr), ok);
		}
	} else {
		/* declared text that is no SPDX expression: its first line as a
		 * name (some metadata carries the whole licence text) */
		json_t *lic = json_object();
		char *name = sbom_first_line(p->license, 200);

		if (lic && name && *name)
			sbom_put(lic, "name", sbom_jstr(name), ok);
		else if (lic)
			sbom_put(lic, "name", json_string("unknown"), ok);
		free(name);
		sbom_put(l, "license", lic, ok);
	}
	sbom_append(arr, l, ok);
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
	sbom_put(o, "type", json_string(p->eco == TG_ECO_WINGET ||
				   p->eco == TG_ECO_CHOCOLATEY ? "application" : "library"), ok);
	sbom_put(o, "bom-ref", sbom_jstr(c->purl), ok);
	if (p->eco == TG_ECO_NPM && name[0] == '@' && (slash = strchr(name, '/'))) {
		char *group = tg_strndup(name, (size_t)(slash - name));

		sbom_put(o, "group", group ? sbom_jstr(group) : NULL, ok);
		free(group);
		name = slash + 1;
	}
	sbom_put(o, "name", sbom_jstr(name), ok);
	if (p->version)
		sbom_put(o, "version", sbom_jstr(p->version), ok);
	if (p->flags & TG_PKG_OPTIONAL)
		sbom_put(o, "scope", json_string("optional"), ok);
	hashes = json_array();
	for (i = 0; hashes && i < c->n_hashes; i++) {
		const char *alg = sbom_hash_alg(c->hashes[i].alg, TG_SBOM_CYCLONEDX);
		json_t *h;

		if (!alg)
			continue;
		h = json_object();
		if (h) {
			sbom_put(h, "alg", json_string(alg), ok);
			sbom_put(h, "content", json_string(c->hashes[i].hex), ok);
		}
		sbom_append(hashes, h, ok);
	}
	if (hashes && json_array_size(hashes))
		sbom_put(o, "hashes", hashes, ok);
	else
		json_decref(hashes);
	if (!hashes)
		*ok = false;
	{
		json_t *lic = licenses(p, ok);
		if (lic)
			sbom_put(o, "licenses", lic, ok);
	}
	sbom_put(o, "purl", sbom_jstr(c->purl), ok);
	return o;
}

int sbom_write_cyclonedx(const struct sbom_model *m, struct tg_buf *out,
			 struct tg_err *err)
{
	json_t *doc = json_object(), *meta = json_object(), *tools = json_object();
	json_t *tool_list = json_array(), *tool = json_object(), *subject = json_object();
	json_t *comps = json_array(), *deps = json_array(), *root_dep = json_object();
	json_t *root_on = json_array();
	char uuid[37], *text = NULL;
	bool ok = doc && meta && tools && tool_list && tool && subject && comps &&
		  deps && root_dep && root_on;
	size_t i, j;
	int rc = 0;

	for (i = 0; ok && i < m->n; i++) {
		const struct sbom_comp *c = &m->comps[i];

		sbom_append(comps, component(c, &ok), &ok);
		if (c->root)
			sbom_append(root_on, sbom_jstr(c->purl), &ok);
		if (c->has_deps_info) {
			json_t *d = json_object(), *on = json_array();

			for (j = 0; on && j < c->n_deps; j++)
				sbom_append(on, sbom_jstr(m->comps[c->deps[j]].purl), &ok);
			if (d) {
				sbom_put(d, "ref", sbom_jstr(c->purl), &ok);
				sbom_put(d, "dependsOn", on, &ok);
			} else {
				json_decref(on);
			}
			sbom_append(deps, d, &ok);
		}
	}
	if (!ok)
		goto oom;
	sbom_put(subject, "type", json_string("application"), &ok);
	sbom_put(subject, "bom-ref", json_string("tollgate:subject"), &ok);
	sbom_put(subject, "name", sbom_jstr(m->subject), &ok);
	sbom_put(root_dep, "ref", json_string("tollgate:subject"), &ok);
	sbom_put(root_dep, "dependsOn", root_on, &ok);
	root_on = NULL;
	if (json_array_insert_new(deps, 0, root_dep))
		ok = false;
	root_dep = NULL;

	rc = sbom_doc_uuid(m, json_pack("{s:O,s:O,s:s}", "components", comps,
					"dependencies", deps, "subject", m->subject),
			   uuid, err);
	if (rc == TG_ENOMEM)
		goto oom;
	if (rc)
		goto out;
	sbom_put(tool, "type", json_string("application"), &ok);
	sbom_put(tool, "name", json_string("tollgate"), &ok);
	sbom_put(tool, "version", sbom_jstr(m->tool_version), &ok);
	sbom_append(tool_list, tool, &ok);
	tool = NULL;
	sbom_put(tools, "components", tool_list, &ok);
	tool_list = NULL;
	sbom_put(meta, "timestamp", sbom_jstr(m->timestamp), &ok);
	sbom_put(meta, "tools", tools, &ok);
	tools = NULL;
	sbom_put(meta, "component", subject, &ok);
	subject = NULL;

	sbom_put(doc, "$schema", json_string("http://cyclonedx.org/schema/bom-1.6.schema.json"), &ok);
	sbom_put(doc, "bomFormat", json_string("CycloneDX"), &ok);
	sbom_put(doc, "specVersion", json_string("1.6"), &ok);
	{
		char serial[48];
		snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
		sbom_put(doc, "serialNumber", json_string(serial), &ok);
	}
	sbom_put(doc, "version", json_integer(1), &ok);
	sbom_put(doc, "metadata", meta, &ok);
	meta = NULL;
	sbom_put(doc, "components", comps, &ok);
	comps = NULL;
	sbom_put(doc, "dependencies", deps, &ok);
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

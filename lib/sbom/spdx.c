/* SPDX 2.3 JSON SBOM writer (spdx-schema.json). */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbom_internal.h"
#include "tollgate/str.h"

/* LicenseRef-<words of the text>-<8 hex of its SHA-256>: stable, and
 * different texts get different ids. */
static char *license_ref(const char *text)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	char hex[9], words[41];
	char *first = sbom_first_line(text, 120);
	size_t i, k = 0;

	if (!first || !EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha256(), NULL)) {
		free(first);
		return NULL;
	}
	for (i = 0; first[i] && k < sizeof(words) - 1; i++) {
		char c = first[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.')
			words[k++] = c;
		else if (k > 0 && words[k - 1] != '-')
			words[k++] = '-';
	}
	while (k > 0 && words[k - 1] == '-')
		k--;
	words[k] = '\0';
	free(first);
	tg_hex_encode(md, 4, hex);
	return k ? tg_asprintf("LicenseRef-%s-%s", words, hex) : tg_asprintf("LicenseRef-%s", hex);
}

/* licenseDeclared for p; free text is defined once in extracted. */
static json_t *declared(const struct tg_package *p, json_t *extracted, bool *ok)
{
	char expr[1024];
	char *ref;
	size_t i;
	json_t *e;

	if (!p->license || !*p->license)
		return json_string("NOASSERTION");
	if (tg_spdx_expression(p->license, expr, sizeof(expr)))
		return json_string(expr);
	ref = license_ref(p->license);
	if (!ref) {
		*ok = false;
		return NULL;
	}
	json_array_foreach(extracted, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "licenseId")), ref) == 0) {
			json_t *r = json_string(ref);
			free(ref);
			return r;
		}
	}
	e = json_object();
	if (e) {
		char *name = sbom_first_line(p->license, 200);

		sbom_put(e, "licenseId", json_string(ref), ok);
		sbom_put(e, "extractedText", sbom_jstr(p->license), ok);
		sbom_put(e, "name", name && *name ? sbom_jstr(name) : json_string("unknown"), ok);
		free(name);
	}
	sbom_append(extracted, e, ok);
	{
		json_t *r = json_string(ref);
		free(ref);
		return r;
	}
}

static bool url_location(const char *u)
{
	return u && (tg_str_starts_with(u, "https://") || tg_str_starts_with(u, "http://") ||
		     tg_str_starts_with(u, "git+"));
}

static json_t *package(const struct sbom_comp *c, json_t *extracted, bool *ok)
{
	const struct tg_package *p = c->pkg;
	json_t *o = json_object(), *sums, *refs, *ref;
	size_t i;

	if (!o) {
		*ok = false;
		return NULL;
	}
	sbom_put(o, "SPDXID", json_string(c->id), ok);
	sbom_put(o, "name", sbom_jstr(p->name), ok);
	if (p->version)
		sbom_put(o, "versionInfo", sbom_jstr(p->version), ok);
	sbom_put(o, "downloadLocation", url_location(p->url) ? sbom_jstr(p->url)
							: json_string("NOASSERTION"), ok);
	sbom_put(o, "filesAnalyzed", json_false(), ok);
	sbom_put(o, "primaryPackagePurpose",
	    json_string(p->eco == TG_ECO_WINGET || p->eco == TG_ECO_CHOCOLATEY ?
			"APPLICATION" : "LIBRARY"), ok);
	sums = json_array();
	for (i = 0; sums && i < c->n_hashes; i++) {
		const char *alg = sbom_hash_alg(c->hashes[i].alg, TG_SBOM_SPDX);
		json_t *s;

		if (!alg)
			continue;
		s = json_object();
		if (s) {
			sbom_put(s, "algorithm", json_string(alg), ok);
			sbom_put(s, "checksumValue", json_string(c->hashes[i].hex), ok);
		}
		sbom_append(sums, s, ok);
	}
	if (!sums)
		*ok = false;
	else if (json_array_size(sums))
		sbom_put(o, "checksums", sums, ok);
	else
		json_decref(sums);
	sbom_put(o, "licenseConcluded", json_string("NOASSERTION"), ok);
	sbom_put(o, "licenseDeclared", declared(p, extracted, ok), ok);
	sbom_put(o, "copyrightText", json_string("NOASSERTION"), ok);
	refs = json_array();
	ref = json_object();
	if (ref) {
		sbom_put(ref, "referenceCategory", json_string("PACKAGE-MANAGER"), ok);
		sbom_put(ref, "referenceType", json_string("purl"), ok);
		sbom_put(ref, "referenceLocator", sbom_jstr(c->purl), ok);
	}
	if (refs) {
		sbom_append(refs, ref, ok);
		sbom_put(o, "externalRefs", refs, ok);
	} else {
		json_decref(ref);
		*ok = false;
	}
	return o;
}

static json_t *relationship(const char *a, const char *type, const char *b)
{
	return json_pack("{s:s,s:s,s:s}", "spdxElementId", a, "relationshipType", type,
			 "relatedSpdxElement", b);
}

int sbom_write_spdx(const struct sbom_model *m, struct tg_buf *out,
		    struct tg_err *err)
{
	json_t *doc = json_object(), *ci = json_object(), *creators = json_array();
	json_t *pkgs = json_array(), *rels = json_array(), *extracted = json_array();
	char uuid[37], *text = NULL, *ns = NULL, *tool = NULL;
	bool ok = doc && ci && creators && pkgs && rels && extracted;
	size_t i, j;
	int rc = 0;

	for (i = 0; ok && i < m->n; i++) {
		const struct sbom_comp *c = &m->comps[i];

		sbom_append(pkgs, package(c, extracted, &ok), &ok);
		if (c->root)
			sbom_append(rels, relationship("SPDXRef-DOCUMENT", "DESCRIBES", c->id), &ok);
	}
	for (i = 0; ok && i < m->n; i++)
		for (j = 0; j < m->comps[i].n_deps; j++)
			sbom_append(rels, relationship(m->comps[i].id, "DEPENDS_ON",
						  m->comps[m->comps[i].deps[j]].id), &ok);
	if (!ok)
		goto oom;
	rc = sbom_doc_uuid(m, json_pack("{s:O,s:O,s:s}", "packages", pkgs,
					"relationships", rels, "name", m->subject),
			   uuid, err);
	if (rc == TG_ENOMEM)
		goto oom;
	if (rc)
		goto out;
	ns = tg_asprintf("urn:uuid:%s", uuid);
	tool = tg_asprintf("Tool: tollgate-%s", m->tool_version);
	if (!ns || !tool)
		goto oom;
	sbom_append(creators, sbom_jstr(tool), &ok);
	sbom_put(ci, "created", sbom_jstr(m->timestamp), &ok);
	sbom_put(ci, "creators", creators, &ok);
	creators = NULL;
	sbom_put(ci, "licenseListVersion", json_string(sbom_spdx_list_version), &ok);

	sbom_put(doc, "spdxVersion", json_string("SPDX-2.3"), &ok);
	sbom_put(doc, "dataLicense", json_string("CC0-1.0"), &ok);
	sbom_put(doc, "SPDXID", json_string("SPDXRef-DOCUMENT"), &ok);
	sbom_put(doc, "name", sbom_jstr(m->subject), &ok);
	sbom_put(doc, "documentNamespace", sbom_jstr(ns), &ok);
	sbom_put(doc, "creationInfo", ci, &ok);
	ci = NULL;
	sbom_put(doc, "packages", pkgs, &ok);
	pkgs = NULL;
	sbom_put(doc, "relationships", rels, &ok);
	rels = NULL;
	if (json_array_size(extracted)) {
		sbom_put(doc, "hasExtractedLicensingInfos", extracted, &ok);
		extracted = NULL;
	}
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
	rc = tg_err_set(err, TG_ENOMEM, "out of memory writing the SPDX SBOM");
out:
	free(text);
	free(ns);
	free(tool);
	json_decref(doc);
	json_decref(ci);
	json_decref(creators);
	json_decref(pkgs);
	json_decref(rels);
	json_decref(extracted);
	return rc;
}

/* PEP 503 / PEP 691 simple-index pages: model, parsing and rendering. */
#include "tollgate/simple_index.h"

#include <curl/curl.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/pep503.h"
#include "tollgate/size.h"
#include "tollgate/str.h"
#include "lazy/lazy.h"

void tg_simple_project_init(struct tg_simple_project *p)
{
	memset(p, 0, sizeof(*p));
}

static void free_pins(struct tg_hash_pin *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].alg);
		free(h[i].hex);
	}
	free(h);
}

static void file_release(struct tg_simple_file *f)
{
	free(f->filename);
	free(f->url);
	free_pins(f->hashes, f->n_hashes);
	free(f->requires_python);
	free(f->yanked_reason);
	free_pins(f->metadata_hashes, f->n_metadata_hashes);
	free(f->upload_time);
	free(f->provenance);
	free(f->gpg_sig);
	memset(f, 0, sizeof(*f));
}

void tg_simple_project_release(struct tg_simple_project *p)
{
	size_t i;

	for (i = 0; i < p->n_files; i++)
		file_release(&p->files[i]);
	free(p->files);
	for (i = 0; i < p->n_versions; i++)
		free(p->versions[i]);
	free(p->versions);
	free(p->name);
	free(p->api_version);
	free(p->tracks);
	memset(p, 0, sizeof(*p));
}

void tg_simple_remove_file(struct tg_simple_project *p, size_t i)
{
	if (i >= p->n_files)
		return;
	file_release(&p->files[i]);
	memmove(&p->files[i], &p->files[i + 1],
		(p->n_files - i - 1) * sizeof(p->files[0]));
	p->n_files--;
}

static struct tg_simple_file *new_file(struct tg_simple_project *p,
				       const char *origin, struct tg_err *err)
{
	if (p->n_files >= TG_SIMPLE_MAX_FILES) {
		tg_err_at(err, TG_ELIMIT, origin, 0, 0,
			  "more than %d files on one project page", TG_SIMPLE_MAX_FILES);
		return NULL;
	}
	if (p->n_files == p->cap_files) {
		size_t ncap = p->cap_files ? p->cap_files * 2 : 32, bytes;
		struct tg_simple_file *nf;

		if (!tg_size_mul(ncap, sizeof(*nf), &bytes) ||
		    !(nf = realloc(p->files, bytes))) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		p->files = nf;
		p->cap_files = ncap;
	}
	memset(&p->files[p->n_files], 0, sizeof(p->files[0]));
	p->files[p->n_files].size = -1;
	return &p->files[p->n_files++];
}

static int add_pin(struct tg_hash_pin **pins, size_t *n, const char *alg,
		   size_t alg_len, const char *hex, size_t hex_len,
		   struct tg_err *err)
{
	struct tg_hash_pin *np;
	size_t bytes, i;
	char *a, *h;

	if (*n >= 16)
		return tg_err_set(err, TG_ELIMIT, "more than 16 hashes for one file");
	if (alg_len > 32 || hex_len > 256)
		return tg_err_set(err, TG_ELIMIT, "hash name or value too long");
	if (!tg_size_mul(*n + 1, sizeof(*np), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	a = tg_strndup(alg, alg_len);
	h = tg_strndup(hex, hex_len);
	np = (a && h) ? realloc(*pins, bytes) : NULL;
	if (!np) {
		free(a);
		free(h);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	for (i = 0; a[i]; i++)
		a[i] = tg_ascii_lower(a[i]);
	for (i = 0; h[i]; i++)
		h[i] = tg_ascii_lower(h[i]);
	np[*n].alg = a;
	np[*n].hex = h;
	(*n)++;
	*pins = np;
	return 0;
}

/* Resolve href against base with libcurl's URL parser (RFC 3986). */
static char *resolve_url(const char *base, const char *href)
{
	CURLU *u;
	char *res = NULL, *out = NULL;

	if (!base || !*base)
		return tg_strdup(href);
	u = curl_url();
	if (!u)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, href, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &res, 0) == CURLUE_OK)
		out = tg_strdup(res);
	else
		out = tg_strdup(href);
	curl_free(res);
	curl_url_cleanup(u);
	return out;
}

/* "https://host/f.whl#sha256=abc" -> url without fragment + hash pin. */
static int split_fragment(struct tg_simple_file *f, const char *base,
			  const char *href, struct tg_err *err)
{
	const char *hash = strchr(href, '#');
	char *plain;
	int rc = 0;

	plain = hash ? tg_strndup(href, (size_t)(hash - href)) : tg_strdup(href);
	if (!plain)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	f->url = resolve_url(base, plain);
	free(plain);
	if (!f->url)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (hash) {
		const char *eq = strchr(hash + 1, '=');
		if (eq && eq > hash + 1 && eq[1])
			rc = add_pin(&f->hashes, &f->n_hashes, hash + 1,
				     (size_t)(eq - hash - 1), eq + 1, strlen(eq + 1), err);
	}
	return rc;
}

/* "sha256=abc" or "true" (PEP 658/714 attribute values). */
static int parse_metadata_attr(struct tg_simple_file *f, const char *v,
			       struct tg_err *err)
{
	const char *eq;

	if (!v || strcmp(v, "false") == 0)
		return 0;
	f->core_metadata = true;
	eq = strchr(v, '=');
	if (eq && eq > v && eq[1])
		return add_pin(&f->metadata_hashes, &f->n_metadata_hashes, v,
			       (size_t)(eq - v), eq + 1, strlen(eq + 1), err);
	return 0;
}

static char *xml_attr(xmlNode *n, const char *name, bool *present)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *out;

	if (present)
		*present = v != NULL;
	if (!v)
		return NULL;
	out = tg_strdup((const char *)v);
	xmlFree(v);
	return out;
}

static int opt_dup(char **dst, const char *s, struct tg_err *err)
{
	if (!s)
		return 0;
	*dst = tg_strdup(s);
	return *dst ? 0 : tg_err_set(err, TG_ENOMEM, "out of memory");
}

static char *trimmed_dup(const char *s)
{
	const char *e;

	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return tg_strndup(s, (size_t)(e - s));
}

typedef int (*anchor_fn)(xmlNode *a, void *ctx, struct tg_err *err);

static int walk_anchors(xmlNode *n, anchor_fn fn, void *ctx, unsigned depth,
			struct tg_err *err)
{
	int rc;

	/* libxml2 bounds its own tree depth; this guards our recursion. */
	if (depth > 512)
		return tg_err_set(err, TG_ELIMIT, "HTML nested too deeply");
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrcasecmp(n->name, (const xmlChar *)"a") == 0) {
			rc = fn(n, ctx, err);
			if (rc)
				return rc;
		}
		if (n->children) {
			rc = walk_anchors(n->children, fn, ctx, depth + 1, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static htmlDocPtr read_html(const char *data, size_t len, const char *origin,
			    struct tg_err *err)
{
	htmlDocPtr doc;

	if (tg_lazy_require(TG_LAZY_XML, "reading HTML index pages", err))
		return NULL;
	if (len > TG_SIMPLE_MAX_PAGE || len > (size_t)INT32_MAX) {
		tg_err_at(err, TG_ELIMIT, origin, 0, 0, "page larger than %zu bytes",
			  TG_SIMPLE_MAX_PAGE);
		return NULL;
	}
	doc = htmlReadMemory(data, (int)len, NULL, "UTF-8",
			     HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			     HTML_PARSE_NONET | HTML_PARSE_RECOVER);
	if (!doc)
		tg_err_at(err, TG_EPARSE, origin, 0, 0, "not an HTML page");
	return doc;
}

struct html_ctx {
	struct tg_simple_project *p;
	const char *base;
	const char *origin;
};

static int html_file(xmlNode *a, void *vctx, struct tg_err *err)
{
	struct html_ctx *ctx = vctx;
	struct tg_simple_file *f;
	char *href = xml_attr(a, "href", NULL);
	char *v;
	xmlChar *content;
	bool present;
	int rc = 0;

	if (!href)
		return 0; /* an anchor without a link is not a file */
	f = new_file(ctx->p, ctx->origin, err);
	if (!f) {
		free(href);
		return err ? (int)err->code : TG_ENOMEM;
	}
	/* The anchor text is the file name (PEP 503). */
	content = xmlNodeGetContent(a);
	f->filename = trimmed_dup(content ? (const char *)content : "");
	xmlFree(content);
	if (!f->filename) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	rc = split_fragment(f, ctx->base, href, err);
	if (rc)
		goto out;
	f->requires_python = xml_attr(a, "data-requires-python", NULL);
	v = xml_attr(a, "data-yanked", &present);
	f->yanked = present;
	if (v && *v)
		f->yanked_reason = v;
	else
		free(v);
	/* PEP 714 renamed the attribute; accept both, prefer the new one. */
	v = xml_attr(a, "data-core-metadata", &present);
	if (!present) {
		free(v);
		v = xml_attr(a, "data-dist-info-metadata", NULL);
	}
	rc = parse_metadata_attr(f, v, err);
	free(v);
	if (rc)
		goto out;
	f->gpg_sig = xml_attr(a, "data-gpg-sig", NULL);
	f->provenance = xml_attr(a, "data-provenance", NULL);
out:
	free(href);
	return rc;
}

int tg_simple_parse_html(const char *data, size_t len, const char *base_url,
			 const char *origin, const char *project_name,
			 struct tg_simple_project *out, struct tg_err *err)
{
	struct html_ctx ctx = { out, base_url, origin };
	htmlDocPtr doc;
	int rc;

	doc = read_html(data, len, origin, err);
	if (!doc)
		return err ? (int)err->code : TG_EPARSE;
	rc = opt_dup(&out->name, project_name, err);
	if (!rc)
		rc = walk_anchors(xmlDocGetRootElement(doc), html_file, &ctx, 0, err);
	xmlFreeDoc(doc);
	return rc;
}

static int json_hash_map(json_t *obj, struct tg_hash_pin **pins, size_t *n,
			 struct tg_err *err)
{
	const char *k;
	json_t *v;
	int rc;

	json_object_foreach(obj, k, v) {
		if (!json_is_string(v))
			continue;
		rc = add_pin(pins, n, k, strlen(k), json_string_value(v),
			     json_string_length(v), err);
		if (rc)
			return rc;
	}
	return 0;
}

static int json_file(struct tg_simple_project *p, json_t *jf, const char *base,
		     const char *origin, struct tg_err *err)
{
	struct tg_simple_file *f;
	const char *fn = tg_json_str(jf, "filename");
	const char *url = tg_json_str(jf, "url");
	json_t *v;
	int rc;

	if (!fn || !url)
		return tg_err_at(err, TG_EPARSE, origin, 0, 0,
				 "a file entry lacks \"filename\" or \"url\"");
	f = new_file(p, origin, err);
	if (!f)
		return err ? (int)err->code : TG_ENOMEM;
	f->filename = tg_strdup(fn);
	f->url = resolve_url(base, url);
	if (!f->filename || !f->url)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if ((v = tg_json_obj(jf, "hashes")) &&
	    (rc = json_hash_map(v, &f->hashes, &f->n_hashes, err)))
		return rc;
	if ((rc = opt_dup(&f->requires_python, tg_json_str(jf, "requires-python"), err)))
		return rc;
	v = json_object_get(jf, "yanked");
	if (json_is_string(v)) {
		f->yanked = true;
		if (json_string_length(v) &&
		    (rc = opt_dup(&f->yanked_reason, json_string_value(v), err)))
			return rc;
	} else {
		f->yanked = json_is_true(v);
	}
	v = json_object_get(jf, "core-metadata");
	if (!v)
		v = json_object_get(jf, "dist-info-metadata");
	if (!v)
		v = json_object_get(jf, "data-dist-info-metadata");
	if (json_is_object(v)) {
		f->core_metadata = true;
		if ((rc = json_hash_map(v, &f->metadata_hashes, &f->n_metadata_hashes, err)))
			return rc;
	} else {
		f->core_metadata = json_is_true(v);
	}
	v = json_object_get(jf, "size");
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		f->size = (long long)json_integer_value(v);
	if ((rc = opt_dup(&f->upload_time, tg_json_str(jf, "upload-time"), err)))
		return rc;
	if ((rc = opt_dup(&f->provenance, tg_json_str(jf, "provenance"), err)))
		return rc;
	v = json_object_get(jf, "gpg-sig");
	if (json_is_boolean(v) &&
	    (rc = opt_dup(&f->gpg_sig, json_is_true(v) ? "true" : "false", err)))
		return rc;
	return 0;
}

static int json_versions(struct tg_simple_project *out, json_t *versions,
			 const char *origin, struct tg_err *err)
{
	size_t n = json_array_size(versions), bytes, i;
	json_t *jv;

	out->has_versions = true;
	if (n > TG_SIMPLE_MAX_FILES || !tg_size_mul(n ? n : 1, sizeof(char *), &bytes))
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0, "too many versions");
	out->versions = calloc(1, bytes);
	if (!out->versions)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	json_array_foreach(versions, i, jv) {
		if (!json_is_string(jv))
			continue;
		out->versions[out->n_versions] = tg_strdup(json_string_value(jv));
		if (!out->versions[out->n_versions])
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		out->n_versions++;
	}
	return 0;
}

int tg_simple_parse_json(const char *data, size_t len, const char *base_url,
			 const char *origin, struct tg_simple_project *out,
			 struct tg_err *err)
{
	json_t *root, *files, *versions, *meta, *jf;
	size_t i;
	int rc = 0;

	if (len > TG_SIMPLE_MAX_PAGE)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
				 "page larger than %zu bytes", TG_SIMPLE_MAX_PAGE);
	root = tg_json_load(data, len, origin, err);
	if (!root)
		return err ? (int)err->code : TG_EPARSE;
	if (!json_is_object(root)) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0, "expected a JSON object");
		goto out;
	}
	if ((rc = opt_dup(&out->name, tg_json_str(root, "name"), err)))
		goto out;
	meta = tg_json_obj(root, "meta");
	if (meta && (rc = opt_dup(&out->api_version, tg_json_str(meta, "api-version"), err)))
		goto out;
	files = tg_json_arr(root, "files");
	if (!files) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0, "no \"files\" array");
		goto out;
	}
	json_array_foreach(files, i, jf) {
		if (!json_is_object(jf)) {
			rc = tg_err_at(err, TG_EPARSE, origin, 0, 0,
				       "files[%zu] is not an object", i);
			goto out;
		}
		if ((rc = json_file(out, jf, base_url, origin, err)))
			goto out;
	}
	versions = tg_json_arr(root, "versions");
	if (versions)
		rc = json_versions(out, versions, origin, err);
out:
	json_decref(root);
	return rc;
}

static int push_name(char ***names, size_t *n, const char *s, struct tg_err *err)
{
	char **nv;
	size_t bytes;
	char *d;

	if (*n >= 10000000)
		return tg_err_set(err, TG_ELIMIT, "too many projects");
	if (!tg_size_mul(*n + 1, sizeof(char *), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	d = tg_strdup(s);
	nv = d ? realloc(*names, bytes) : NULL;
	if (!nv) {
		free(d);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	nv[(*n)++] = d;
	*names = nv;
	return 0;
}

int tg_simple_parse_index_json(const char *data, size_t len, const char *origin,
			       char ***names, size_t *n, struct tg_err *err)
{
	json_t *root, *projects, *jp;
	size_t i;
	int rc = 0;

	*names = NULL;
	*n = 0;
	root = tg_json_load(data, len, origin, err);
	if (!root)
		return err ? (int)err->code : TG_EPARSE;
	projects = tg_json_arr(root, "projects");
	if (!projects) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0, "no \"projects\" array");
		goto out;
	}
	json_array_foreach(projects, i, jp) {
		const char *name = tg_json_str(jp, "name");
		if (name && (rc = push_name(names, n, name, err)))
			goto out;
	}
out:
	json_decref(root);
	return rc;
}

struct index_ctx {
	char ***names;
	size_t *n;
};

static int index_anchor(xmlNode *a, void *vctx, struct tg_err *err)
{
	struct index_ctx *ctx = vctx;
	xmlChar *content = xmlNodeGetContent(a);
	char *t;
	int rc = 0;

	if (!content)
		return 0;
	t = trimmed_dup((const char *)content);
	xmlFree(content);
	if (!t)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (*t)
		rc = push_name(ctx->names, ctx->n, t, err);
	free(t);
	return rc;
}

int tg_simple_parse_index_html(const char *data, size_t len, const char *origin,
			       char ***names, size_t *n, struct tg_err *err)
{
	struct index_ctx ctx = { names, n };
	htmlDocPtr doc;
	int rc;

	*names = NULL;
	*n = 0;
	doc = read_html(data, len, origin, err);
	if (!doc)
		return err ? (int)err->code : TG_EPARSE;
	rc = walk_anchors(xmlDocGetRootElement(doc), index_anchor, &ctx, 0, err);
	xmlFreeDoc(doc);
	return rc;
}

/* ---- rendering ---- */

static json_t *pins_json(const struct tg_hash_pin *h, size_t n)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && i < n; i++)
		json_object_set_new(o, h[i].alg, json_string(h[i].hex));
	return o;
}

static int dump_json(json_t *root, struct tg_buf *out, struct tg_err *err)
{
	char *s;
	int rc;

	if (!root)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	rc = tg_buf_adds(out, s, err);
	free(s);
	return rc;
}

static json_t *file_json(const struct tg_simple_file *f, const char *url)
{
	json_t *jf = json_object();

	if (!jf)
		return NULL;
	json_object_set_new(jf, "filename", json_string(f->filename));
	json_object_set_new(jf, "url", json_string(url));
	json_object_set_new(jf, "hashes", pins_json(f->hashes, f->n_hashes));
	if (f->requires_python)
		json_object_set_new(jf, "requires-python", json_string(f->requires_python));
	if (f->core_metadata) {
		json_t *m = f->n_metadata_hashes ?
			pins_json(f->metadata_hashes, f->n_metadata_hashes) : json_true();
		json_object_set(jf, "core-metadata", m);
		/* The PEP 658 spelling, for clients older than PEP 714. */
		json_object_set_new(jf, "data-dist-info-metadata", m);
	}
	if (f->gpg_sig)
		json_object_set_new(jf, "gpg-sig", json_boolean(strcmp(f->gpg_sig, "true") == 0));
	if (f->yanked)
		json_object_set_new(jf, "yanked", f->yanked_reason ?
				    json_string(f->yanked_reason) : json_true());
	else
		json_object_set_new(jf, "yanked", json_false());
	if (f->size >= 0)
		json_object_set_new(jf, "size", json_integer(f->size));
	if (f->upload_time)
		json_object_set_new(jf, "upload-time", json_string(f->upload_time));
	if (f->provenance)
		json_object_set_new(jf, "provenance", json_string(f->provenance));
	return jf;
}

int tg_simple_render_json(const struct tg_simple_project *p,
			  tg_simple_url_fn file_url, void *ctx,
			  struct tg_buf *out, struct tg_err *err)
{
	json_t *root = json_object(), *meta = json_object(), *files = json_array();
	size_t i;

	if (!root || !meta || !files) {
		json_decref(root);
		json_decref(meta);
		json_decref(files);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	/* 1.1 is the first version with size/upload-time/versions (PEP 700). */
	json_object_set_new(meta, "api-version", json_string("1.1"));
	json_object_set_new(root, "meta", meta);
	json_object_set_new(root, "name", json_string(p->name ? p->name : ""));
	for (i = 0; i < p->n_files; i++) {
		const struct tg_simple_file *f = &p->files[i];
		char *url = file_url ? file_url(f, ctx) : tg_strdup(f->url);
		json_t *jf = url ? file_json(f, url) : NULL;

		free(url);
		if (!jf) {
			json_decref(root);
			json_decref(files);
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
		json_array_append_new(files, jf);
	}
	json_object_set_new(root, "files", files);
	if (p->has_versions) {
		json_t *vs = json_array();
		for (i = 0; vs && i < p->n_versions; i++)
			json_array_append_new(vs, json_string(p->versions[i]));
		json_object_set_new(root, "versions", vs);
	}
	return dump_json(root, out, err);
}

static int html_escaped(struct tg_buf *out, const char *s, struct tg_err *err)
{
	const char *p;
	int rc = 0;

	for (p = s; *p && !rc; p++) {
		switch (*p) {
		case '&': rc = tg_buf_adds(out, "&amp;", err); break;
		case '<': rc = tg_buf_adds(out, "&lt;", err); break;
		case '>': rc = tg_buf_adds(out, "&gt;", err); break;
		case '"': rc = tg_buf_adds(out, "&quot;", err); break;
		case '\'': rc = tg_buf_adds(out, "&#39;", err); break;
		default: rc = tg_buf_addc(out, *p, err); break;
		}
	}
	return rc;
}

static int html_attr(struct tg_buf *out, const char *name, const char *value,
		     struct tg_err *err)
{
	int rc = tg_buf_addf(out, err, " %s=\"", name);

	if (!rc)
		rc = html_escaped(out, value, err);
	if (!rc)
		rc = tg_buf_addc(out, '"', err);
	return rc;
}

static const char *find_pin(const struct tg_hash_pin *h, size_t n,
			    const char *alg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(h[i].alg, alg) == 0)
			return h[i].hex;
	return NULL;
}

static int html_anchor(struct tg_buf *out, const struct tg_simple_file *f,
		       const char *url, struct tg_err *err)
{
	const char *sha = find_pin(f->hashes, f->n_hashes, "sha256");
	const char *alg = "sha256";
	int rc;

	/* PEP 503 carries one hash in the fragment: sha256 when known, else
	 * whatever the upstream gave (old pages have only md5). */
	if (!sha && f->n_hashes) {
		alg = f->hashes[0].alg;
		sha = f->hashes[0].hex;
	}
	rc = tg_buf_adds(out, "<a href=\"", err);
	if (!rc) rc = html_escaped(out, url, err);
	if (!rc && sha) {
		rc = tg_buf_addc(out, '#', err);
		if (!rc) rc = html_escaped(out, alg, err);
		if (!rc) rc = tg_buf_addc(out, '=', err);
		if (!rc) rc = html_escaped(out, sha, err);
	}
	if (!rc) rc = tg_buf_addc(out, '"', err);
	if (!rc && f->requires_python)
		rc = html_attr(out, "data-requires-python", f->requires_python, err);
	if (!rc && f->core_metadata) {
		const char *msha = find_pin(f->metadata_hashes, f->n_metadata_hashes, "sha256");
		char pin[300];

		if (msha)
			snprintf(pin, sizeof(pin), "sha256=%s", msha);
		else
			tg_strlcpy(pin, "true", sizeof(pin));
		rc = html_attr(out, "data-core-metadata", pin, err);
		if (!rc) rc = html_attr(out, "data-dist-info-metadata", pin, err);
	}
	if (!rc && f->gpg_sig)
		rc = html_attr(out, "data-gpg-sig", strcmp(f->gpg_sig, "true") == 0 ? "true" : "false", err);
	if (!rc && f->yanked)
		rc = html_attr(out, "data-yanked", f->yanked_reason ? f->yanked_reason : "", err);
	if (!rc && f->provenance)
		rc = html_attr(out, "data-provenance", f->provenance, err);
	if (!rc) rc = tg_buf_addc(out, '>', err);
	if (!rc) rc = html_escaped(out, f->filename, err);
	if (!rc) rc = tg_buf_adds(out, "</a><br>\n", err);
	return rc;
}

static int html_head(struct tg_buf *out, const char *title, struct tg_err *err)
{
	int rc = tg_buf_adds(out, "<!DOCTYPE html>\n<html>\n<head>\n"
			     "<meta name=\"pypi:repository-version\" content=\"1.1\">\n"
			     "<title>", err);
	if (!rc) rc = html_escaped(out, title, err);
	if (!rc) rc = tg_buf_adds(out, "</title>\n</head>\n<body>\n", err);
	return rc;
}

int tg_simple_render_html(const struct tg_simple_project *p,
			  tg_simple_url_fn file_url, void *ctx,
			  struct tg_buf *out, struct tg_err *err)
{
	const char *name = p->name ? p->name : "";
	char title[600];
	size_t i;
	int rc;

	snprintf(title, sizeof(title), "Links for %s", name);
	rc = html_head(out, title, err);
	if (!rc) rc = tg_buf_adds(out, "<h1>", err);
	if (!rc) rc = html_escaped(out, title, err);
	if (!rc) rc = tg_buf_adds(out, "</h1>\n", err);
	for (i = 0; !rc && i < p->n_files; i++) {
		char *url = file_url ? file_url(&p->files[i], ctx) : tg_strdup(p->files[i].url);

		if (!url)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		rc = html_anchor(out, &p->files[i], url, err);
		free(url);
	}
	if (!rc)
		rc = tg_buf_adds(out, "</body>\n</html>\n", err);
	return rc;
}

int tg_simple_render_index_json(char *const *names, size_t n,
				struct tg_buf *out, struct tg_err *err)
{
	json_t *root = json_object(), *meta = json_object(), *projects = json_array();
	size_t i;

	if (!root || !meta || !projects) {
		json_decref(root);
		json_decref(meta);
		json_decref(projects);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	json_object_set_new(meta, "api-version", json_string("1.1"));
	json_object_set_new(root, "meta", meta);
	for (i = 0; i < n; i++) {
		json_t *o = json_object();
		if (!o)
			break;
		json_object_set_new(o, "name", json_string(names[i]));
		json_array_append_new(projects, o);
	}
	json_object_set_new(root, "projects", projects);
	return dump_json(root, out, err);
}

int tg_simple_render_index_html(char *const *names, size_t n,
				struct tg_buf *out, struct tg_err *err)
{
	size_t i;
	int rc;

	rc = html_head(out, "Simple index", err);
	for (i = 0; !rc && i < n; i++) {
		/* Links point at the normalised project URL (PEP 503). */
		char *norm = tg_pep503_normalize_dup(names[i], strlen(names[i]));

		if (!norm)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		rc = tg_buf_adds(out, "<a href=\"", err);
		if (!rc) rc = html_escaped(out, norm, err);
		if (!rc) rc = tg_buf_adds(out, "/\">", err);
		if (!rc) rc = html_escaped(out, names[i], err);
		if (!rc) rc = tg_buf_adds(out, "</a><br>\n", err);
		free(norm);
	}
	if (!rc)
		rc = tg_buf_adds(out, "</body>\n</html>\n", err);
	return rc;
}

/* ---- content negotiation ---- */

static const struct {
	enum tg_simple_format fmt;
	const char *type;    /* exact media type */
	const char *latest;  /* the PEP 691 "latest" alias, or NULL */
} candidates[] = {
	{ TG_SIMPLE_JSON_V1, "application/vnd.pypi.simple.v1+json",
	  "application/vnd.pypi.simple.latest+json" },
	{ TG_SIMPLE_HTML_V1, "application/vnd.pypi.simple.v1+html",
	  "application/vnd.pypi.simple.latest+html" },
	{ TG_SIMPLE_HTML, "text/html", NULL },
};

const char *tg_simple_content_type(enum tg_simple_format f)
{
	switch (f) {
	case TG_SIMPLE_JSON_V1: return "application/vnd.pypi.simple.v1+json";
	case TG_SIMPLE_HTML_V1: return "application/vnd.pypi.simple.v1+html";
	case TG_SIMPLE_HTML: return "text/html; charset=utf-8";
	case TG_SIMPLE_UNACCEPTABLE: break;
	}
	return "text/plain";
}

/* How specifically range [r, rlen) matches media type t: 3 exact, 2 the
 * "latest" alias, 1 a type/ wildcard, 0 the any wildcard, -1 no match. */
static int match_range(const char *r, size_t rlen, const char *t,
		       const char *latest)
{
	const char *slash = strchr(t, '/');
	size_t tl = (size_t)(slash - t);

	if (strlen(t) == rlen && tg_ascii_ncasecmp(r, t, rlen) == 0)
		return 3;
	if (latest && strlen(latest) == rlen && tg_ascii_ncasecmp(r, latest, rlen) == 0)
		return 2;
	if (rlen == 3 && memcmp(r, "*/*", 3) == 0)
		return 0;
	if (rlen == tl + 2 && tg_ascii_ncasecmp(r, t, tl + 1) == 0 && r[rlen - 1] == '*')
		return 1;
	return -1;
}

/* q-value from a parameter list "; q=0.5; x=y" (1 when absent). */
static double q_value(const char *p, const char *end)
{
	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			double v = 0, scale = 1;
			bool frac = false, any = false;

			for (p += 2; p < end && ((*p >= '0' && *p <= '9') || *p == '.'); p++) {
				if (*p == '.') {
					if (frac)
						break;
					frac = true;
					continue;
				}
				any = true;
				if (frac) {
					scale /= 10;
					v += (*p - '0') * scale;
				} else {
					v = v * 10 + (*p - '0');
				}
			}
			if (!any)
				return 0; /* malformed q: treat the range as refused */
			return v > 1 ? 1 : v;
		}
		while (p < end && *p != ';')
			p++;
	}
	return 1;
}

/* For each candidate, the q-value of the most specific range in accept
 * that matches it (RFC 9110 section 12.5.1) and how specific that range
 * is (match_range; -1 when none matched). */
static void accept_scan(const char *accept, double best_q[3], int best_spec[3])
{
	const char *p = accept;
	int i;

	for (i = 0; i < 3; i++) {
		best_q[i] = -1;
		best_spec[i] = -1;
	}
	while (p && *p) {
		const char *end = strchr(p, ',');
		const char *semi, *rs, *re;
		double q;

		if (!end)
			end = p + strlen(p);
		semi = memchr(p, ';', (size_t)(end - p));
		rs = p;
		re = semi ? semi : end;
		while (rs < re && (*rs == ' ' || *rs == '\t'))
			rs++;
		while (re > rs && (re[-1] == ' ' || re[-1] == '\t'))
			re--;
		q = semi ? q_value(semi, end) : 1;
		for (i = 0; i < 3; i++) {
			int spec = match_range(rs, (size_t)(re - rs), candidates[i].type,
					       candidates[i].latest);
			if (spec > best_spec[i]) {
				best_spec[i] = spec;
				best_q[i] = q;
			}
		}
		p = *end ? end + 1 : end;
	}
}

enum tg_simple_format tg_simple_negotiate(const char *accept)
{
	double best_q[3];
	int best_spec[3];
	const char *p = accept;
	int i, winner = -1;

	if (!accept)
		return TG_SIMPLE_HTML;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return TG_SIMPLE_HTML;
	accept_scan(p, best_q, best_spec);
	for (i = 0; i < 3; i++) {
		if (best_spec[i] < 0 || best_q[i] <= 0)
			continue;
		if (winner < 0 || best_q[i] > best_q[winner]) {
			winner = i;
			continue;
		}
		if (best_q[i] < best_q[winner])
			continue;
		/* Equal q: a named type beats a wildcard (the candidate list is
		 * in server preference order, JSON first); when only wildcards
		 * matched, plain HTML is the compatible default. */
		if ((best_spec[i] >= 2) && (best_spec[winner] < 2))
			winner = i;
		else if (best_spec[i] < 2 && best_spec[winner] < 2 &&
			 candidates[i].fmt == TG_SIMPLE_HTML)
			winner = i;
	}
	return winner < 0 ? TG_SIMPLE_UNACCEPTABLE : candidates[winner].fmt;
}

bool tg_simple_accept_names_api(const char *accept)
{
	double best_q[3];
	int best_spec[3];
	int i;

	accept_scan(accept, best_q, best_spec);
	/* A wildcard says nothing about the client: only a named type does. */
	for (i = 0; i < 3; i++)
		if (candidates[i].latest && best_spec[i] >= 2 && best_q[i] > 0)
			return true;
	return false;
}

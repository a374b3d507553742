/* CycloneDX 1.6 with VEX: every scanned package is a component (with its
 * purl), every advisory a vulnerability whose affects[] point at the
 * components it affects. Ignored findings carry an analysis with the
 * reason; packages that could not be checked say so in a property. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_util.h"
#include "tollgate/cvss.h"
#include "tollgate/hash.h"
#include "tollgate/report.h"
#include "tollgate/str.h"

struct comp {
	char *ref;  /* bom-ref: the purl, made unique */
	const struct tg_package *pkg;
	enum tg_pkg_status status;
};

static json_t *prop(const char *name, const char *value, bool *ok)
{
	json_t *p = json_object();

	tg_jset(p, "name", json_string(name), ok);
	tg_jset(p, "value", json_string(value ? value : ""), ok);
	return p;
}

static const char *source_name(const char *id)
{
	if (tg_str_starts_with(id, "CVE-"))
		return "NVD";
	if (tg_str_starts_with(id, "GHSA-"))
		return "GitHub";
	return "OSV";
}

static json_t *source(const char *id, bool *ok)
{
	json_t *s = json_object();
	char url[512];
	const char *u = tg_report_advisory_url(id, url, sizeof(url));

	tg_jset(s, "name", json_string(source_name(id)), ok);
	if (u)
		tg_jset(s, "url", json_string(u), ok);
	return s;
}

static const char *cdx_severity(enum tg_severity s)
{
	switch (s) {
	case TG_SEV_CRITICAL: return "critical";
	case TG_SEV_HIGH: return "high";
	case TG_SEV_MEDIUM: return "medium";
	case TG_SEV_LOW: return "low";
	case TG_SEV_NONE: return "none";
	case TG_SEV_UNKNOWN: break;
	}
	return "unknown";
}

static const char *cdx_method(const char *vector)
{
	if (!vector)
		return "other";
	if (tg_str_starts_with(vector, "CVSS:4.0/"))
		return "CVSSv4";
	if (tg_str_starts_with(vector, "CVSS:3.1/"))
		return "CVSSv31";
	if (tg_str_starts_with(vector, "CVSS:3.0/"))
		return "CVSSv3";
	return "other";
}

/* Deterministic urn:uuid from the content, so the same scan gives the
 * same BOM serial number (version-5 style bits set on a SHA-256). */
static int serial(const struct comp *comps, size_t n, const struct tg_report *r,
		  char out[46], struct tg_err *err)
{
	struct tg_hash *h = tg_hash_new(TG_HASH_SHA256, err);
	unsigned char d[TG_SHA256_LEN];
	size_t i, dl;
	char hex[33];

	if (!h)
		return err ? err->code : TG_ENOMEM;
	for (i = 0; i < n; i++)
		if (tg_hash_update(h, comps[i].ref, strlen(comps[i].ref) + 1, err))
			goto fail;
	for (i = 0; i < r->n_findings; i++)
		if (r->findings[i].id &&
		    tg_hash_update(h, r->findings[i].id, strlen(r->findings[i].id) + 1, err))
			goto fail;
	if (r->generated_at &&
	    tg_hash_update(h, r->generated_at, strlen(r->generated_at), err))
		goto fail;
	if (tg_hash_final(h, d, sizeof(d), &dl, err))
		goto fail;
	tg_hash_free(h);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	tg_hex_encode(d, 16, hex);
	snprintf(out, 46, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
		 hex + 12, hex + 16, hex + 20);
	return 0;
fail:
	tg_hash_free(h);
	return err ? err->code : TG_EINTERNAL;
}

static int build_components(const struct tg_report *r, const struct tg_pkg_row *rows,
			    size_t n_rows, struct comp **out, size_t *n_out,
			    struct tg_err *err)
{
	struct comp *c = calloc(n_rows ? n_rows : 1, sizeof(*c));
	size_t i, j, n = 0;

	(void)r;
	if (!c)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < n_rows; i++) {
		const struct tg_package *p = rows[i].pkg;
		const char *ver = rows[i].status == TG_PKG_STATUS_UNPINNED ? NULL : p->version;
		struct tg_buf purl;
		int rc, dup = 0;

		tg_buf_init(&purl, 8192);
		rc = tg_report_purl(p->eco, p->name, ver, &purl, err);
		/* bom-refs must be unique: a package pinned twice (two inputs,
		 * two environments) gets "#2", "#3" after its purl. */
		for (j = 0; !rc && j < n; j++)
			if (strcmp(c[j].pkg->name, p->name) == 0 && c[j].pkg->eco == p->eco &&
			    ((!c[j].pkg->version && !ver) ||
			     (c[j].pkg->version && ver && strcmp(c[j].pkg->version, ver) == 0)))
				dup++;
		if (!rc && dup)
			rc = tg_buf_addf(&purl, err, "#%d", dup + 1);
		if (rc) {
			tg_buf_release(&purl);
			for (j = 0; j < n; j++)
				free(c[j].ref);
			free(c);
			return rc;
		}
		c[n].ref = tg_buf_detach(&purl, NULL);
		c[n].pkg = p;
		c[n].status = rows[i].status;
		n++;
	}
	*out = c;
	*n_out = n;
	return 0;
}

static const char *ref_for(const struct comp *c, size_t n, const struct tg_package *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].pkg == p)
			return c[i].ref;
	return NULL;
}

static json_t *component(const struct comp *c, bool *ok)
{
	json_t *o = json_object(), *props = json_array();
	const struct tg_package *p = c->pkg;
	struct tg_buf purl;
	struct tg_err err;
	char origin[1024];

	tg_jset(o, "type", json_string("library"), ok);
	tg_jset(o, "bom-ref", json_string(c->ref), ok);
	tg_jset(o, "name", tg_jstr(p->name), ok);
	if (c->status != TG_PKG_STATUS_UNPINNED && p->version)
		tg_jset(o, "version", json_string(p->version), ok);
	tg_buf_init(&purl, 8192);
	if (tg_report_purl(p->eco, p->name,
			   c->status == TG_PKG_STATUS_UNPINNED ? NULL : p->version,
			   &purl, &err) == 0)
		tg_jset(o, "purl", json_string(purl.data), ok);
	tg_buf_release(&purl);
	tg_jpush(props, prop("tollgate:origin", tg_package_origin(p, origin, sizeof(origin)), ok), ok);
	tg_jpush(props, prop("tollgate:status", tg_pkg_status_name(c->status), ok), ok);
	if (c->status == TG_PKG_STATUS_UNPINNED)
		tg_jpush(props, prop("tollgate:note", "not checked: no exact version", ok), ok);
	else if (c->status == TG_PKG_STATUS_UNKNOWN_VERSION)
		tg_jpush(props, prop("tollgate:note", "not checked: version does not parse", ok), ok);
	if (p->specifier)
		tg_jpush(props, prop("tollgate:specifier", p->specifier, ok), ok);
	tg_jset(o, "properties", props, ok);
	return o;
}

/* One vulnerability per advisory id; every finding with that id adds an
 * affects[] entry. */
static json_t *vulnerability(const struct tg_report *r, size_t first,
			     const struct comp *comps, size_t n_comps, bool *ok)
{
	const struct tg_finding *f = &r->findings[first];
	json_t *v = json_object(), *refs = json_array(), *ratings = json_array(),
	       *affects = json_array(), *advisories = json_array(), *props = json_array();
	struct tg_buf rec;
	struct tg_err err;
	bool any_ignored = false, all_ignored = true;
	const char *reason = NULL, *expires = NULL;
	char url[512], num[32];
	size_t i;

	tg_buf_init(&rec, 1 << 20);
	tg_jset(v, "bom-ref", json_string(f->id), ok);
	tg_jset(v, "id", json_string(f->id), ok);
	tg_jset(v, "source", source(f->id, ok), ok);
	for (i = 0; i < f->n_aliases; i++) {
		json_t *ref = json_object();

		tg_jset(ref, "id", json_string(f->aliases[i]), ok);
		tg_jset(ref, "source", source(f->aliases[i], ok), ok);
		tg_jpush(refs, ref, ok);
	}
	if (f->n_aliases)
		tg_jset(v, "references", refs, ok);
	else
		json_decref(refs);
	if (f->cvss >= 0 || f->severity != TG_SEV_UNKNOWN) {
		json_t *rt = json_object();

		if (f->cvss >= 0)
			tg_jset(rt, "score", json_real(round(f->cvss * 10) / 10), ok);
		tg_jset(rt, "severity", json_string(cdx_severity(f->severity)), ok);
		tg_jset(rt, "method", json_string(cdx_method(f->cvss_vector)), ok);
		if (f->cvss_vector)
			tg_jset(rt, "vector", json_string(f->cvss_vector), ok);
		tg_jpush(ratings, rt, ok);
	}
	tg_jset(v, "ratings", ratings, ok);
	if (f->summary)
		tg_jset(v, "description", json_string(f->summary), ok);
	if (f->details)
		tg_jset(v, "detail", json_string(f->details), ok);
	if (tg_report_advisory_url(f->id, url, sizeof(url))) {
		json_t *a = json_object();

		tg_jset(a, "url", json_string(url), ok);
		tg_jpush(advisories, a, ok);
	}
	tg_jset(v, "advisories", advisories, ok);
	for (i = first; i < r->n_findings; i++) {
		const struct tg_finding *g = &r->findings[i];
		const struct tg_package *p;
		const char *ref;
		json_t *a, *vers, *ver;

		if (!tg_finding_is_vuln(g) || !g->id || strcmp(g->id, f->id) != 0)
			continue;
		p = tg_finding_package(r, g);
		ref = p ? ref_for(comps, n_comps, p) : NULL;
		if (!ref)
			continue;
		a = json_object();
		vers = json_array();
		ver = json_object();
		tg_jset(a, "ref", json_string(ref), ok);
		tg_jset(ver, "version", tg_jstr(g->version), ok);
		tg_jset(ver, "status", json_string("affected"), ok);
		tg_jpush(vers, ver, ok);
		tg_jset(a, "versions", vers, ok);
		tg_jpush(affects, a, ok);
		if (g->fixed_version)
			tg_buf_addf(&rec, &err, "%sUpgrade %s %s to %s.", rec.len ? " " : "",
				    g->package, g->version, g->fixed_version);
		else
			tg_buf_addf(&rec, &err, "%sNo fixed version of %s is known.",
				    rec.len ? " " : "", g->package);
		if (g->ignored) {
			any_ignored = true;
			reason = g->ignore_reason;
			expires = g->ignore_expires;
		} else {
			all_ignored = false;
		}
		if (g->kev)
			tg_jpush(props, prop("tollgate:kev", g->kev_ransomware
					     ? "known-ransomware-use" : "true", ok), ok);
	}
	if (rec.len)
		tg_jset(v, "recommendation", json_string(rec.data), ok);
	tg_buf_release(&rec);
	if (any_ignored && all_ignored) {
		json_t *an = json_object(), *resp = json_array();
		char *detail = tg_asprintf("Accepted in tollgate.toml: %s%s%s%s",
					   reason ? reason : "", expires ? " (until " : "",
					   expires ? expires : "", expires ? ")" : "");

		tg_jpush(resp, json_string("will_not_fix"), ok);
		tg_jset(an, "response", resp, ok);
		tg_jset(an, "detail", tg_jstr(detail), ok);
		free(detail);
		tg_jset(v, "analysis", an, ok);
	}
	tg_jset(v, "affects", affects, ok);
	snprintf(num, sizeof(num), "%.3f", f->priority);
	tg_jpush(props, prop("tollgate:priority", num, ok), ok);
	if (f->epss >= 0) {
		snprintf(num, sizeof(num), "%.5f", f->epss);
		tg_jpush(props, prop("tollgate:epss", num, ok), ok);
	}
	if (f->kind == TG_FIND_MALICIOUS)
		tg_jpush(props, prop("tollgate:malicious", "true", ok), ok);
	tg_jset(v, "properties", props, ok);
	return v;
}

/* RFC 3339 with seconds and a zone: what the schema's date-time wants. */
static bool rfc3339(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' &&
	       (s[n - 1] == 'Z' || s[n - 3] == ':');
}

int tg_report_write_cyclonedx(const struct tg_report *r,
			      const struct tg_report_opts *opts, struct tg_buf *out,
			      struct tg_err *err)
{
	json_t *root = NULL, *meta, *tools, *tcomps, *tc, *components, *vulns;
	struct tg_pkg_row *rows = NULL;
	struct comp *comps = NULL;
	size_t n_rows = 0, n_comps = 0, i, j;
	char sn[46];
	bool ok = true;
	int rc;

	(void)opts;
	if ((rc = tg_report_pkg_rows(r, &rows, &n_rows, err)))
		return rc;
	if ((rc = build_components(r, rows, n_rows, &comps, &n_comps, err)))
		goto out;
	if ((rc = serial(comps, n_comps, r, sn, err)))
		goto out;
	root = json_object();
	tg_jset(root, "bomFormat", json_string("CycloneDX"), &ok);
	tg_jset(root, "specVersion", json_string("1.6"), &ok);
	tg_jset(root, "serialNumber", json_string(sn), &ok);
	tg_jset(root, "version", json_integer(1), &ok);
	meta = json_object();
	if (rfc3339(r->generated_at))
		tg_jset(meta, "timestamp", json_string(r->generated_at), &ok);
	tools = json_object();
	tcomps = json_array();
	tc = json_object();
	tg_jset(tc, "type", json_string("application"), &ok);
	tg_jset(tc, "name", json_string("tollgate"), &ok);
	tg_jset(tc, "version", tg_jstr(r->tool_version ? r->tool_version : "0"), &ok);
	tg_jpush(tcomps, tc, &ok);
	tg_jset(tools, "components", tcomps, &ok);
	tg_jset(meta, "tools", tools, &ok);
	{
		json_t *props = json_array();
		char num[32];

		for (i = 0; i < r->n_feeds; i++) {
			char name[160];

			snprintf(name, sizeof(name), "tollgate:feed:%s",
				 r->feeds[i].name ? r->feeds[i].name : "?");
			tg_jpush(props, prop(name, r->feeds[i].version, &ok), &ok);
		}
		snprintf(num, sizeof(num), "%zu", tg_report_packages_scanned(r));
		tg_jpush(props, prop("tollgate:packages-scanned", num, &ok), &ok);
		for (i = 0; i < r->n_warnings; i++)
			tg_jpush(props, prop("tollgate:warning", r->warnings[i], &ok), &ok);
		if (r->fail_on) {
			tg_jpush(props, prop("tollgate:fail-on", r->fail_on, &ok), &ok);
			tg_jpush(props, prop("tollgate:policy", r->policy_failed
					     ? "failed" : "passed", &ok), &ok);
		}
		tg_jset(meta, "properties", props, &ok);
	}
	tg_jset(root, "metadata", meta, &ok);
	components = json_array();
	for (i = 0; i < n_comps; i++)
		tg_jpush(components, component(&comps[i], &ok), &ok);
	tg_jset(root, "components", components, &ok);
	vulns = json_array();
	for (i = 0; i < r->n_findings; i++) {
		const struct tg_finding *f = &r->findings[i];
		bool seen = false;

		if (!tg_finding_is_vuln(f) || !f->id)
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = tg_finding_is_vuln(&r->findings[j]) && r->findings[j].id &&
			       strcmp(r->findings[j].id, f->id) == 0;
		if (!seen)
			tg_jpush(vulns, vulnerability(r, i, comps, n_comps, &ok), &ok);
	}
	tg_jset(root, "vulnerabilities", vulns, &ok);
	if (!ok) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory building the CycloneDX report");
		goto out;
	}
	rc = tg_json_emit(root, out, err);
out:
	json_decref(root);
	for (i = 0; i < n_comps; i++)
		free(comps[i].ref);
	free(comps);
	free(rows);
	return rc;
}

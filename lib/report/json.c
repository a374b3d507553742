/* JSON report: the stable schema documented in docs/json-schema.md
 * (schema_version 1). Keys appear in a fixed order; absent values are
 * null rather than missing, so consumers can rely on every key. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_util.h"
#include "tollgate/report.h"
#include "tollgate/str.h"

#define SCHEMA_VERSION 1

static json_t *origin_obj(const char *path, unsigned long line, bool *ok)
{
	json_t *o = json_object();

	tg_jset(o, "path", tg_jstr(path), ok);
	tg_jset(o, "line", line ? json_integer((json_int_t)line) : json_null(), ok);
	return o;
}

static json_t *package_obj(const struct tg_finding *f, const struct tg_package *p,
			   bool *ok)
{
	json_t *o = json_object();
	struct tg_buf purl;
	struct tg_err err;

	tg_jset(o, "name", tg_jstr(p ? p->name : f->package), ok);
	tg_jset(o, "version", tg_jstr(p ? p->version : f->version), ok);
	tg_jset(o, "ecosystem", json_string(tg_ecosystem_name(p ? p->eco : f->eco)), ok);
	tg_buf_init(&purl, 8192);
	if (tg_report_purl(p ? p->eco : f->eco, p ? p->name : f->package,
			   p ? p->version : f->version, &purl, &err) == 0)
		tg_jset(o, "purl", json_string(purl.data), ok);
	else
		tg_jset(o, "purl", json_null(), ok);
	tg_buf_release(&purl);
	tg_jset(o, "origin", p ? origin_obj(p->origin_path, p->origin_line, ok)
			     : origin_obj(f->origin_path, f->origin_line, ok), ok);
	return o;
}

static json_t *str_array(char **v, size_t n, bool *ok)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		tg_jpush(a, json_string(v[i]), ok);
	return a;
}

/* Round to n decimals so output does not carry binary noise. */
static json_t *jreal(double v, int decimals)
{
	double f = pow(10, decimals);
	return json_real(round(v * f) / f);
}

static json_t *finding_obj(const struct tg_report *r, const struct tg_finding *f,
			   bool *ok)
{
	json_t *o = json_object(), *x;
	char url[512];

	tg_jset(o, "package", package_obj(f, tg_finding_package(r, f), ok), ok);
	tg_jset(o, "kind", json_string(tg_finding_kind_name(f->kind)), ok);
	tg_jset(o, "id", tg_jstr(f->id), ok);
	tg_jset(o, "aliases", str_array(f->aliases, f->n_aliases, ok), ok);
	tg_jset(o, "advisories", str_array(f->advisories, f->n_advisories, ok), ok);
	tg_jset(o, "summary", tg_jstr(f->summary), ok);
	tg_jset(o, "url", tg_jstr(tg_report_advisory_url(f->id, url, sizeof(url))), ok);
	tg_jset(o, "fixed_version", tg_jstr(f->fixed_version), ok);
	tg_jset(o, "severity", json_string(tg_severity_name(f->severity)), ok);
	if (f->cvss >= 0) {
		x = json_object();
		tg_jset(x, "score", jreal(f->cvss, 1), ok);
		tg_jset(x, "vector", tg_jstr(f->cvss_vector), ok);
		tg_jset(o, "cvss", x, ok);
	} else {
		tg_jset(o, "cvss", json_null(), ok);
	}
	tg_jset(o, "kev", json_boolean(f->kev), ok);
	tg_jset(o, "kev_ransomware", json_boolean(f->kev_ransomware), ok);
	tg_jset(o, "kev_due_date", tg_jstr(f->kev_due), ok);
	if (f->epss >= 0) {
		x = json_object();
		tg_jset(x, "probability", jreal(f->epss, 5), ok);
		tg_jset(x, "percentile", f->epss_percentile >= 0
					 ? jreal(f->epss_percentile, 5) : json_null(), ok);
		tg_jset(o, "epss", x, ok);
	} else {
		tg_jset(o, "epss", json_null(), ok);
	}
	tg_jset(o, "priority", jreal(f->priority, 3), ok);
	tg_jset(o, "ignored", json_boolean(f->ignored), ok);
	if (f->ignored) {
		x = json_object();
		tg_jset(x, "reason", tg_jstr(f->ignore_reason), ok);
		tg_jset(x, "expires", tg_jstr(f->ignore_expires), ok);
		tg_jset(o, "ignore", x, ok);
	} else {
		tg_jset(o, "ignore", json_null(), ok);
	}
	tg_jset(o, "details", tg_jstr(f->details), ok);
	return o;
}

static json_t *note_obj(const struct tg_report *r, const struct tg_finding *f,
			bool *ok)
{
	json_t *o = json_object();

	tg_jset(o, "package", package_obj(f, tg_finding_package(r, f), ok), ok);
	tg_jset(o, "reason", json_string(f->kind == TG_FIND_UNPINNED ? "unpinned"
						   : "unknown-version"), ok);
	tg_jset(o, "message", tg_jstr(f->summary), ok);
	tg_jset(o, "advisories", str_array(f->advisories, f->n_advisories, ok), ok);
	return o;
}

int tg_report_write_json(const struct tg_report *r, const struct tg_report_opts *opts,
			 struct tg_buf *out, struct tg_err *err)
{
	json_t *root = json_object(), *x, *arr;
	struct tg_pkg_row *rows = NULL;
	struct tg_report_counts c;
	size_t n_rows = 0, i;
	bool ok = true;
	int rc;

	(void)opts;
	if ((rc = tg_report_pkg_rows(r, &rows, &n_rows, err))) {
		json_decref(root);
		return rc;
	}
	tg_report_count(r, &c);
	tg_jset(root, "schema_version", json_integer(SCHEMA_VERSION), &ok);
	x = json_object();
	tg_jset(x, "name", json_string("tollgate"), &ok);
	tg_jset(x, "version", tg_jstr(r->tool_version), &ok);
	tg_jset(root, "tool", x, &ok);
	tg_jset(root, "generated_at", tg_jstr(r->generated_at), &ok);

	arr = json_array();
	for (i = 0; i < r->n_feeds; i++) {
		x = json_object();
		tg_jset(x, "name", tg_jstr(r->feeds[i].name), &ok);
		tg_jset(x, "version", tg_jstr(r->feeds[i].version), &ok);
		tg_jset(x, "fetched", tg_jstr(r->feeds[i].fetched), &ok);
		tg_jset(x, "records", json_integer(r->feeds[i].records), &ok);
		tg_jpush(arr, x, &ok);
	}
	x = json_object();
	tg_jset(x, "feeds", arr, &ok);
	tg_jset(root, "database", x, &ok);

	x = json_object();
	tg_jset(x, "config", tg_jstr(r->config_path), &ok);
	tg_jset(x, "fail_on", tg_jstr(r->fail_on), &ok);
	tg_jset(x, "failed", json_boolean(r->policy_failed), &ok);
	tg_jset(x, "failing_findings", json_integer((json_int_t)r->n_failing), &ok);
	tg_jset(root, "policy", x, &ok);

	tg_jset(root, "packages_scanned", json_integer((json_int_t)c.packages), &ok);
	x = json_object();
	tg_jset(x, "vulnerabilities", json_integer((json_int_t)c.vulns), &ok);
	tg_jset(x, "affected_packages", json_integer((json_int_t)c.affected_packages), &ok);
	tg_jset(x, "critical", json_integer((json_int_t)c.by_sev[TG_SEV_CRITICAL]), &ok);
	tg_jset(x, "high", json_integer((json_int_t)c.by_sev[TG_SEV_HIGH]), &ok);
	tg_jset(x, "medium", json_integer((json_int_t)c.by_sev[TG_SEV_MEDIUM]), &ok);
	tg_jset(x, "low", json_integer((json_int_t)c.by_sev[TG_SEV_LOW]), &ok);
	tg_jset(x, "unknown", json_integer((json_int_t)(c.by_sev[TG_SEV_UNKNOWN] +
							 c.by_sev[TG_SEV_NONE])), &ok);
	tg_jset(x, "kev", json_integer((json_int_t)c.kev), &ok);
	tg_jset(x, "malicious", json_integer((json_int_t)c.malicious), &ok);
	tg_jset(x, "ignored", json_integer((json_int_t)c.ignored), &ok);
	tg_jset(x, "not_checked", json_integer((json_int_t)c.not_checked), &ok);
	tg_jset(root, "summary", x, &ok);

	arr = json_array();
	for (i = 0; i < r->n_findings; i++)
		if (tg_finding_is_vuln(&r->findings[i]))
			tg_jpush(arr, finding_obj(r, &r->findings[i], &ok), &ok);
	tg_jset(root, "findings", arr, &ok);

	arr = json_array();
	for (i = 0; i < r->n_findings; i++)
		if (tg_finding_is_note(&r->findings[i]))
			tg_jpush(arr, note_obj(r, &r->findings[i], &ok), &ok);
	tg_jset(root, "not_checked", arr, &ok);

	arr = json_array();
	for (i = 0; i < n_rows; i++) {
		const struct tg_package *p = rows[i].pkg;
		struct tg_buf purl;
		struct tg_err e2;

		x = json_object();
		tg_jset(x, "name", tg_jstr(p->name), &ok);
		tg_jset(x, "version", rows[i].status == TG_PKG_STATUS_UNPINNED
				      ? json_null() : tg_jstr(p->version), &ok);
		tg_jset(x, "ecosystem", json_string(tg_ecosystem_name(p->eco)), &ok);
		tg_buf_init(&purl, 8192);
		tg_jset(x, "purl", tg_report_purl(p->eco, p->name,
						  rows[i].status == TG_PKG_STATUS_UNPINNED
						  ? NULL : p->version, &purl, &e2) == 0
				   ? json_string(purl.data) : json_null(), &ok);
		tg_buf_release(&purl);
		tg_jset(x, "origin", origin_obj(p->origin_path, p->origin_line, &ok), &ok);
		tg_jset(x, "status", json_string(tg_pkg_status_name(rows[i].status)), &ok);
		tg_jset(x, "vulnerabilities", json_integer((json_int_t)rows[i].n_vulns), &ok);
		tg_jset(x, "ignored", json_integer((json_int_t)rows[i].n_ignored), &ok);
		tg_jpush(arr, x, &ok);
	}
	tg_jset(root, "packages", arr, &ok);

	arr = json_array();
	for (i = 0; i < r->n_ignore_notes; i++) {
		const struct tg_ignore_note *n = &r->ignore_notes[i];

		x = json_object();
		tg_jset(x, "id", tg_jstr(n->id), &ok);
		tg_jset(x, "reason", tg_jstr(n->reason), &ok);
		tg_jset(x, "expires", tg_jstr(n->expires), &ok);
		tg_jset(x, "package", tg_jstr(n->package), &ok);
		tg_jset(x, "version", tg_jstr(n->version), &ok);
		tg_jset(x, "origin", origin_obj(n->origin, n->line, &ok), &ok);
		tg_jset(x, "matched", json_integer((json_int_t)n->matched), &ok);
		tg_jset(x, "expired", json_boolean(n->expired), &ok);
		tg_jpush(arr, x, &ok);
	}
	tg_jset(root, "ignores", arr, &ok);
	tg_jset(root, "warnings", str_array(r->warnings, r->n_warnings, &ok), &ok);

	free(rows);
	if (!ok) {
		json_decref(root);
		return tg_err_set(err, TG_ENOMEM, "out of memory building the JSON report");
	}
	rc = tg_json_emit(root, out, err);
	json_decref(root);
	return rc;
}

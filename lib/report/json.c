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

/* Streaming writer: the report is written member by member and array
 * element by element, each as a small jansson tree dumped and freed at
 * once, so a report with thousands of findings never exists twice in
 * memory. The bytes are those of one pretty-printed tree (2-space
 * indent, keys in order). */
struct jw {
	struct tg_buf *out;
	struct tg_err *err;
	int rc;
	bool first_member;
	bool first_elem;
};

static void jw_raw(struct jw *w, const char *s)
{
	if (!w->rc)
		w->rc = tg_buf_adds(w->out, s, w->err);
}

struct jw_dump {
	struct jw *w;
	int indent;
};

/* jansson hands the text over in pieces: copy each run up to a newline
 * at once, and indent after every newline. */
static int jw_dump_cb(const char *buf, size_t size, void *data)
{
	static const char spaces[] = "        ";
	struct jw_dump *d = data;
	struct jw *w = d->w;

	while (size && !w->rc) {
		const char *nl = memchr(buf, '\n', size);
		size_t n = nl ? (size_t)(nl - buf) + 1 : size;

		w->rc = tg_buf_add(w->out, buf, n, w->err);
		if (nl && !w->rc)
			w->rc = tg_buf_add(w->out, spaces, (size_t)d->indent, w->err);
		buf += n;
		size -= n;
	}
	return w->rc ? -1 : 0;
}

/* Dump v (consumed) indented as if nested `indent` (at most 8) spaces
 * deep. */
static void jw_value(struct jw *w, json_t *v, int indent)
{
	struct jw_dump d = { w, indent };
	int r;

	if (!v) {
		if (!w->rc)
			w->rc = tg_err_set(w->err, TG_ENOMEM, "out of memory building the JSON report");
		return;
	}
	if (w->rc) {
		json_decref(v);
		return;
	}
	r = json_dump_callback(v, jw_dump_cb, &d,
			       JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6) |
			       JSON_ENCODE_ANY);
	json_decref(v);
	if (r != 0 && !w->rc)
		w->rc = tg_err_set(w->err, TG_ENOMEM, "cannot serialise the report");
}

static void jw_member(struct jw *w, const char *key, json_t *v)
{
	jw_raw(w, w->first_member ? "\n  \"" : ",\n  \"");
	w->first_member = false;
	jw_raw(w, key);
	jw_raw(w, "\": ");
	jw_value(w, v, 2);
}

static void jw_array_begin(struct jw *w, const char *key)
{
	jw_raw(w, w->first_member ? "\n  \"" : ",\n  \"");
	w->first_member = false;
	jw_raw(w, key);
	jw_raw(w, "\": [");
	w->first_elem = true;
}

static void jw_elem(struct jw *w, json_t *v)
{
	jw_raw(w, w->first_elem ? "\n    " : ",\n    ");
	w->first_elem = false;
	jw_value(w, v, 4);
}

static void jw_array_end(struct jw *w)
{
	jw_raw(w, w->first_elem ? "]" : "\n  ]");
}

int tg_report_write_json(const struct tg_report *r, const struct tg_report_opts *opts,
			 struct tg_buf *out, struct tg_err *err)
{
	struct jw w = { out, err, 0, true, true };
	struct tg_pkg_row *rows = NULL;
	struct tg_report_counts c;
	size_t n_rows = 0, i;
	json_t *x, *arr;
	bool ok = true;
	int rc;

	(void)opts;
	if ((rc = tg_report_pkg_rows(r, &rows, &n_rows, err)))
		return rc;
	tg_report_count(r, &c);
	jw_raw(&w, "{");
	jw_member(&w, "schema_version", json_integer(SCHEMA_VERSION));
	x = json_object();
	tg_jset(x, "name", json_string("tollgate"), &ok);
	tg_jset(x, "version", tg_jstr(r->tool_version), &ok);
	jw_member(&w, "tool", x);
	jw_member(&w, "generated_at", tg_jstr(r->generated_at));

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
	jw_member(&w, "database", x);

	x = json_object();
	tg_jset(x, "config", tg_jstr(r->config_path), &ok);
	tg_jset(x, "fail_on", tg_jstr(r->fail_on), &ok);
	tg_jset(x, "failed", json_boolean(r->policy_failed), &ok);
	tg_jset(x, "failing_findings", json_integer((json_int_t)r->n_failing), &ok);
	jw_member(&w, "policy", x);

	jw_member(&w, "packages_scanned", json_integer((json_int_t)c.packages));
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
	jw_member(&w, "summary", x);

	jw_array_begin(&w, "findings");
	for (i = 0; i < r->n_findings && !w.rc; i++)
		if (tg_finding_is_vuln(&r->findings[i]))
			jw_elem(&w, finding_obj(r, &r->findings[i], &ok));
	jw_array_end(&w);

	jw_array_begin(&w, "not_checked");
	for (i = 0; i < r->n_findings && !w.rc; i++)
		if (tg_finding_is_note(&r->findings[i]))
			jw_elem(&w, note_obj(r, &r->findings[i], &ok));
	jw_array_end(&w);

	jw_array_begin(&w, "packages");
	for (i = 0; i < n_rows && !w.rc; i++) {
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
		jw_elem(&w, x);
	}
	jw_array_end(&w);

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
	jw_member(&w, "ignores", arr);
	jw_member(&w, "warnings", str_array(r->warnings, r->n_warnings, &ok));
	jw_raw(&w, "\n}\n");
	free(rows);
	if (!w.rc && !ok)
		w.rc = tg_err_set(err, TG_ENOMEM, "out of memory building the JSON report");
	return w.rc;
}

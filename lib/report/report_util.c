/* Helpers shared by the report writers. */
#include "report_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/report.h"
#include "tollgate/match.h"
#include "tollgate/sbom.h"
#include "tollgate/str.h"

const char *tg_pkg_status_name(enum tg_pkg_status s)
{
	switch (s) {
	case TG_PKG_CHECKED: return "checked";
	case TG_PKG_STATUS_UNPINNED: return "unpinned";
	case TG_PKG_STATUS_UNKNOWN_VERSION: return "unknown-version";
	case TG_PKG_NOT_COVERED: return "not-covered";
	}
	return "checked";
}

bool tg_finding_is_vuln(const struct tg_finding *f)
{
	/* Findings of checks (Windows policy, integrity and install-script
	 * checks, docs/windows.md) are listed like vulnerabilities. */
	return f->kind == TG_FIND_VULNERABILITY || f->kind == TG_FIND_MALICIOUS ||
	       f->kind == TG_FIND_POLICY || f->kind == TG_FIND_INTEGRITY ||
	       f->kind == TG_FIND_CONTENT_RISK;
}

bool tg_finding_is_note(const struct tg_finding *f)
{
	return f->kind == TG_FIND_UNPINNED || f->kind == TG_FIND_UNKNOWN_VERSION;
}

int tg_report_pkg_rows(const struct tg_report *r, struct tg_pkg_row **out,
		       size_t *n, struct tg_err *err)
{
	size_t total = tg_report_packages_scanned(r), i, j, k = 0;
	size_t *start;
	struct tg_pkg_row *rows;

	*out = NULL;
	*n = 0;
	rows = calloc(total ? total : 1, sizeof(*rows));
	start = calloc(r->n_inventories ? r->n_inventories : 1, sizeof(*start));
	if (!rows || !start) {
		free(rows);
		free(start);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	for (i = 0; i < r->n_inventories; i++) {
		start[i] = k;
		for (j = 0; j < r->inventories[i].n_pkgs; j++, k++) {
			const struct tg_package *p = &r->inventories[i].pkgs[j];

			rows[k].pkg = p;
			rows[k].inv = i;
			rows[k].idx = j;
			rows[k].status = tg_vscheme_primary(p->eco) ? TG_PKG_CHECKED
								    : TG_PKG_NOT_COVERED;
		}
	}
	for (i = 0; i < r->n_findings; i++) {
		const struct tg_finding *f = &r->findings[i];
		struct tg_pkg_row *row;

		if (!f->has_pkg_ref || f->inv_index >= r->n_inventories ||
		    f->pkg_index >= r->inventories[f->inv_index].n_pkgs)
			continue;
		row = &rows[start[f->inv_index] + f->pkg_index];
		if (f->kind == TG_FIND_UNPINNED)
			row->status = TG_PKG_STATUS_UNPINNED;
		else if (f->kind == TG_FIND_UNKNOWN_VERSION)
			row->status = TG_PKG_STATUS_UNKNOWN_VERSION;
		else if (tg_finding_is_vuln(f) && f->ignored)
			row->n_ignored++;
		else if (tg_finding_is_vuln(f))
			row->n_vulns++;
	}
	free(start);
	*out = rows;
	*n = total;
	return 0;
}

void tg_report_count(const struct tg_report *r, struct tg_report_counts *c)
{
	size_t i, *start = NULL;
	bool *hit = NULL;

	memset(c, 0, sizeof(*c));
	c->packages = tg_report_packages_scanned(r);
	/* One flag per package to count affected packages in one pass; when
	 * memory is short the count falls back to zero, never to a crash. */
	start = calloc(r->n_inventories + 1, sizeof(*start));
	hit = calloc(c->packages + 1, sizeof(*hit));
	for (i = 0; start && i < r->n_inventories; i++)
		start[i + 1] = start[i] + r->inventories[i].n_pkgs;
	for (i = 0; i < r->n_findings; i++) {
		const struct tg_finding *f = &r->findings[i];

		if (tg_finding_is_note(f)) {
			c->not_checked++;
			continue;
		}
		if (!tg_finding_is_vuln(f))
			continue;
		if (f->ignored) {
			c->ignored++;
			continue;
		}
		c->vulns++;
		if ((unsigned)f->severity < 6)
			c->by_sev[f->severity]++;
		if (f->kev)
			c->kev++;
		if (f->kind == TG_FIND_MALICIOUS)
			c->malicious++;
		if (start && hit && tg_finding_package(r, f)) {
			size_t k = start[f->inv_index] + f->pkg_index;

			if (!hit[k]) {
				hit[k] = true;
				c->affected_packages++;
			}
		}
	}
	free(start);
	free(hit);
}

const char *tg_package_origin(const struct tg_package *p, char *buf, size_t n)
{
	if (!p->origin_path)
		snprintf(buf, n, "-");
	else if (p->origin_line)
		snprintf(buf, n, "%s:%lu", p->origin_path, p->origin_line);
	else
		snprintf(buf, n, "%s", p->origin_path);
	return buf;
}

/* "path:line", built by hand: every row of every report asks, and
 * snprintf costs more than the rest of the row. Truncates as snprintf
 * would. */
const char *tg_finding_origin(const struct tg_finding *f, char *buf, size_t n)
{
	char digits[24];
	unsigned long v = f->origin_line;
	size_t len, k = 0;

	if (!n)
		return buf;
	if (!f->origin_path) {
		tg_strlcpy(buf, "-", n);
		return buf;
	}
	len = tg_strlcpy(buf, f->origin_path, n);
	if (!v || len + 1 >= n)
		return buf;
	do
		digits[k++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf[len++] = ':';
	while (k && len + 1 < n)
		buf[len++] = digits[--k];
	buf[len] = '\0';
	return buf;
}

const char *tg_report_advisory_url(const char *id, char *buf, size_t n)
{
	static const char *const osv_prefixes[] = { "PYSEC-", "MAL-", "OSV-", "GSD-",
						    "RUSTSEC-", "GO-", "PSF-" };
	size_t i;

	if (!id)
		return NULL;
	if (tg_str_starts_with(id, "CVE-")) {
		snprintf(buf, n, "https://nvd.nist.gov/vuln/detail/%s", id);
		return buf;
	}
	if (tg_str_starts_with(id, "GHSA-")) {
		snprintf(buf, n, "https://github.com/advisories/%s", id);
		return buf;
	}
	for (i = 0; i < sizeof(osv_prefixes) / sizeof(osv_prefixes[0]); i++)
		if (tg_str_starts_with(id, osv_prefixes[i])) {
			snprintf(buf, n, "https://osv.dev/vulnerability/%s", id);
			return buf;
		}
	return NULL;
}

int tg_report_purl(enum tg_ecosystem eco, const char *name, const char *version,
		   struct tg_buf *out, struct tg_err *err)
{
	/* One spelling of a package's purl everywhere: the SBOM writer's. */
	return tg_sbom_purl(eco, name, version, NULL, out, err);
}

json_t *tg_jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

void tg_jset(json_t *obj, const char *key, json_t *v, bool *ok)
{
	/* json_string() refuses invalid UTF-8 and returns NULL: such text
	 * comes from inputs, so show it as null rather than fail. */
	if (!v)
		v = json_null();
	if (!obj || json_object_set_new(obj, key, v) != 0)
		*ok = false;
}

void tg_jpush(json_t *arr, json_t *v, bool *ok)
{
	if (!v)
		v = json_null();
	if (!arr || json_array_append_new(arr, v) != 0)
		*ok = false;
}

int tg_json_emit(json_t *root, struct tg_buf *out, struct tg_err *err)
{
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				   JSON_REAL_PRECISION(6));
	int rc;

	if (!s)
		return tg_err_set(err, TG_ENOMEM, "cannot serialise the report");
	rc = tg_buf_adds(out, s, err);
	if (!rc)
		rc = tg_buf_addc(out, '\n', err);
	free(s);
	return rc;
}

int tg_buf_add_html(struct tg_buf *b, const char *s, struct tg_err *err)
{
	int rc = 0;

	for (; s && *s && !rc; s++) {
		switch (*s) {
		case '&': rc = tg_buf_adds(b, "&amp;", err); break;
		case '<': rc = tg_buf_adds(b, "&lt;", err); break;
		case '>': rc = tg_buf_adds(b, "&gt;", err); break;
		case '"': rc = tg_buf_adds(b, "&quot;", err); break;
		case '\'': rc = tg_buf_adds(b, "&#39;", err); break;
		default: rc = tg_buf_addc(b, *s, err); break;
		}
	}
	return rc;
}

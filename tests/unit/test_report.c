/* Report writers on a hand-built report: every format carries the
 * findings, the not-checked packages and the ignored ones; text from
 * advisories is escaped; JSON output parses and has the documented keys;
 * purls are encoded as the purl specification says. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_util.h"
#include "tollgate/finding.h"
#include "tollgate/json.h"
#include "tollgate/report.h"
#include "tollgate/str.h"

static void add_pkg(struct tg_inventory *inv, enum tg_ecosystem eco,
		    const char *name, const char *ver, unsigned long line)
{
	struct tg_package p;
	struct tg_err err;

	memset(&p, 0, sizeof(p));
	p.eco = eco;
	p.name = (char *)name;
	p.version = (char *)ver;
	p.origin_path = (char *)"req dir/requirements.txt";
	p.origin_line = line;
	if (!ver) {
		p.flags = TG_PKG_UNPINNED;
		p.specifier = (char *)">=2";
	}
	assert_non_null(tg_inventory_add(inv, &p, &err));
}

static void add_finding(struct tg_report *r, size_t idx, enum tg_finding_kind kind,
			const char *id, enum tg_severity sev, double cvss,
			const char *summary, bool kev, bool ignored)
{
	const struct tg_package *p = &r->inventories[0].pkgs[idx];
	struct tg_finding f, *out;
	struct tg_err err;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.eco = p->eco;
	f.package = p->name;
	f.version = p->version;
	f.origin_path = p->origin_path;
	f.origin_line = p->origin_line;
	f.has_pkg_ref = true;
	f.pkg_index = idx;
	f.id = (char *)id;
	f.severity = sev;
	f.cvss = cvss;
	f.cvss_vector = cvss >= 0 ? (char *)"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" : NULL;
	f.epss = kev ? 0.9731 : -1;
	f.epss_percentile = kev ? 0.999 : -1;
	f.kev = kev;
	f.kev_ransomware = kev;
	f.kev_due = kev ? (char *)"2022-05-03" : NULL;
	f.summary = (char *)summary;
	f.details = (char *)"Line one.\nLine <two> & \"three\".";
	f.fixed_version = kind == TG_FIND_VULNERABILITY ? (char *)"3.2.25" : NULL;
	f.priority = kev ? 2400 : cvss;
	f.ignored = ignored;
	f.ignore_reason = ignored ? (char *)"not reachable | really" : NULL;
	f.ignore_expires = ignored ? (char *)"2030-01-01" : NULL;
	out = tg_report_add_finding(r, &f, &err);
	assert_non_null(out);
	if (kind == TG_FIND_VULNERABILITY) {
		assert_int_equal(tg_finding_add_alias(out, "GHSA-aaaa-bbbb-cccc", &err), 0);
		assert_int_equal(tg_finding_add_advisory(out, "PYSEC-2022-1", &err), 0);
	}
}

static void build(struct tg_report *r)
{
	struct tg_inventory inv;
	struct tg_err err;
	struct tg_feed_info feed = { (char *)"osv-pypi", (char *)"2024-10-10",
				     (char *)"2024-10-11T00:00:00Z", 2661 };

	tg_report_init(r);
	tg_inventory_init(&inv);
	add_pkg(&inv, TG_ECO_PYPI, "Django", "3.2.0", 1);
	add_pkg(&inv, TG_ECO_PYPI, "flask", NULL, 2);
	add_pkg(&inv, TG_ECO_NPM, "@scope/left-pad", "1.0.0+b.1", 0);
	add_pkg(&inv, TG_ECO_PYPI, "weird_pkg", "1.0-final", 4);
	assert_int_equal(tg_report_take_inventory(r, &inv, &err), 0);
	r->tool_version = tg_strdup("0.1.0");
	r->generated_at = tg_strdup("2024-11-01T10:00:00Z");
	r->fail_on = tg_strdup("high");
	r->policy_failed = true;
	r->n_failing = 1;
	assert_int_equal(tg_report_add_feed(r, &feed, &err), 0);
	add_finding(r, 0, TG_FIND_VULNERABILITY, "CVE-2022-28346", TG_SEV_CRITICAL, 9.8,
		    "SQL injection in <QuerySet.annotate()> | aggregate", true, false);
	add_finding(r, 0, TG_FIND_VULNERABILITY, "CVE-2021-31542", TG_SEV_HIGH, 7.5,
		    "Path traversal", false, true);
	add_finding(r, 2, TG_FIND_MALICIOUS, "MAL-2024-9", TG_SEV_CRITICAL, -1,
		    "Malicious code", false, false);
	{
		struct tg_finding note;

		memset(&note, 0, sizeof(note));
		note.kind = TG_FIND_UNPINNED;
		note.eco = TG_ECO_PYPI;
		note.package = (char *)"flask";
		note.origin_path = (char *)"req dir/requirements.txt";
		note.origin_line = 2;
		note.has_pkg_ref = true;
		note.pkg_index = 1;
		note.summary = (char *)"not checked: no exact version (>=2)";
		assert_non_null(tg_report_add_finding(r, &note, &err));
		note.kind = TG_FIND_UNKNOWN_VERSION;
		note.package = (char *)"weird_pkg";
		note.version = (char *)"1.0-final";
		note.origin_line = 4;
		note.pkg_index = 3;
		note.summary = (char *)"not checked: version '1.0-final' is not a valid PEP 440 version";
		assert_non_null(tg_report_add_finding(r, &note, &err));
	}
	assert_int_equal(tg_report_add_warning(r, &err, "tollgate.toml:6: the ignore of %s expired",
					       "CVE-1"), 0);
	tg_report_sort_findings(r);
}

static char *render(const char *format, const struct tg_report *r, bool color)
{
	const struct tg_report_writer *w = tg_report_writer_find(format);
	struct tg_report_opts o = { .color = color, .width = 0, .verbose = 1 };
	struct tg_buf b;
	struct tg_err err;

	assert_non_null(w);
	tg_buf_init(&b, 64 << 20);
	if (w->write(r, &o, &b, &err) != 0)
		fail_msg("%s: %s", format, err.msg);
	return tg_buf_detach(&b, NULL);
}

static void json_has_documented_shape(void **state)
{
	struct tg_report r;
	struct tg_err err;
	char *s;
	json_t *j, *f, *pk;
	size_t i;

	(void)state;
	build(&r);
	s = render("json", &r, false);
	j = tg_json_load(s, strlen(s), "report.json", &err);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "schema_version")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "packages_scanned")), 4);
	assert_int_equal(json_array_size(json_object_get(j, "findings")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "not_checked")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "packages")), 4);
	f = json_array_get(json_object_get(j, "findings"), 0);
	/* Sorted: the malware and KEV ones before the ignored one. */
	assert_false(json_is_true(json_object_get(f, "ignored")));
	for (i = 0; i < 3; i++) {
		f = json_array_get(json_object_get(j, "findings"), i);
		assert_non_null(json_object_get(f, "package"));
		assert_non_null(json_object_get(json_object_get(f, "package"), "origin"));
		assert_true(json_is_array(json_object_get(f, "aliases")));
		assert_non_null(json_object_get(f, "fixed_version"));
		assert_non_null(json_object_get(f, "severity"));
		assert_non_null(json_object_get(f, "kev"));
		assert_non_null(json_object_get(f, "epss"));
		assert_non_null(json_object_get(f, "priority"));
		if (strcmp(json_string_value(json_object_get(f, "id")), "CVE-2022-28346") == 0) {
			assert_true(json_is_true(json_object_get(f, "kev")));
			assert_string_equal(json_string_value(json_object_get(
				json_object_get(f, "package"), "purl")), "pkg:pypi/django@3.2.0");
			assert_string_equal(json_string_value(json_object_get(f, "url")),
					    "https://nvd.nist.gov/vuln/detail/CVE-2022-28346");
		}
	}
	pk = json_array_get(json_object_get(j, "packages"), 1);
	assert_string_equal(json_string_value(json_object_get(pk, "name")), "flask");
	assert_true(json_is_null(json_object_get(pk, "version")));
	assert_string_equal(json_string_value(json_object_get(pk, "status")), "unpinned");
	pk = json_array_get(json_object_get(j, "packages"), 3);
	assert_string_equal(json_string_value(json_object_get(pk, "status")), "unknown-version");
	assert_true(json_is_true(json_object_get(json_object_get(j, "policy"), "failed")));
	assert_int_equal(json_array_size(json_object_get(j, "warnings")), 1);
	json_decref(j);
	free(s);
	tg_report_release(&r);
}

static void every_format_lists_unpinned_and_findings(void **state)
{
	static const char *const formats[] = { "table", "json", "sarif", "cyclonedx",
					       "markdown", "html" };
	struct tg_report r;
	size_t i;

	(void)state;
	build(&r);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *s = render(formats[i], &r, false);

		if (!strstr(s, "flask"))
			fail_msg("%s lacks the unpinned package", formats[i]);
		if (!strstr(s, "no exact version"))
			fail_msg("%s does not say why flask was not checked", formats[i]);
		if (!strstr(s, "CVE-2022-28346"))
			fail_msg("%s lacks a finding", formats[i]);
		if (!strstr(s, "weird_pkg"))
			fail_msg("%s lacks the unknown-version package", formats[i]);
		free(s);
	}
	tg_report_release(&r);
}

static void html_is_escaped_and_self_contained(void **state)
{
	struct tg_report r;
	char *s;

	(void)state;
	build(&r);
	s = render("html", &r, false);
	assert_non_null(strstr(s, "<!DOCTYPE html>"));
	assert_null(strstr(s, "<QuerySet"));               /* escaped */
	assert_non_null(strstr(s, "&lt;QuerySet.annotate()&gt;"));
	assert_null(strstr(s, "<script src"));             /* nothing external */
	assert_null(strstr(s, "<link "));
	assert_null(strstr(s, "@import"));
	assert_non_null(strstr(s, "<style>"));
	assert_non_null(strstr(s, "Gate failed"));
	assert_non_null(strstr(s, "not reachable | really")); /* ignored, with reason */
	free(s);
	tg_report_release(&r);
}

static void markdown_escapes_table_cells(void **state)
{
	struct tg_report r;
	char *s;

	(void)state;
	build(&r);
	s = render("markdown", &r, false);
	assert_non_null(strstr(s, "&lt;QuerySet.annotate()&gt; \\| aggregate"));
	assert_non_null(strstr(s, "[CVE-2022-28346](https://nvd.nist.gov/vuln/detail/CVE-2022-28346)"));
	assert_non_null(strstr(s, "**Gate: failed**"));
	assert_non_null(strstr(s, "not reachable \\| really"));
	free(s);
	tg_report_release(&r);
}

static void table_plain_and_coloured(void **state)
{
	struct tg_report r;
	char *plain, *col;

	(void)state;
	build(&r);
	plain = render("table", &r, false);
	col = render("table", &r, true);
	assert_null(strchr(plain, '\033'));
	assert_non_null(strchr(col, '\033'));
	assert_non_null(strstr(plain, "PACKAGE"));
	assert_non_null(strstr(plain, "KEV(R) 97.3%"));
	assert_non_null(strstr(plain, "critical 9.8"));
	assert_non_null(strstr(plain, "MALWARE"));
	assert_non_null(strstr(plain, "req dir/requirements.txt:1"));
	assert_non_null(strstr(plain, "Gate: FAILED"));
	assert_non_null(strstr(plain, "Ignored (1)"));
	assert_non_null(strstr(plain, "Not checked (2)"));
	free(plain);
	free(col);
	tg_report_release(&r);
}

/* A terminal narrower than the table shortens each origin from the
 * left; with many long origins the shortened copies move the buffer
 * that holds them all (the sanitizer build checks the reads). */
static void table_shortens_origins_to_the_width(void **state)
{
	const struct tg_report_writer *w = tg_report_writer_find("table");
	struct tg_report_opts o = { .color = false, .width = 100, .verbose = 0 };
	struct tg_report r;
	struct tg_buf b;
	struct tg_err err;
	char path[200];
	size_t i;

	(void)state;
	tg_report_init(&r);
	for (i = 0; i < 300; i++) {
		struct tg_finding f = { 0 };

		snprintf(path, sizeof(path), "/srv/builds/project-%03zu/very/deep/tree/of/"
			 "directories/that/goes/on/requirements.txt", i);
		f.kind = TG_FIND_VULNERABILITY;
		f.package = (char *)"pkg";
		f.version = (char *)"1.0";
		f.id = (char *)"CVE-1";
		f.epss = -1;
		f.cvss = -1;
		f.origin_path = path;
		f.origin_line = i + 1;
		assert_non_null(tg_report_add_finding(&r, &f, &err));
	}
	tg_buf_init(&b, 64 << 20);
	assert_int_equal(w->write(&r, &o, &b, &err), 0);
	/* Row i (in order: same priority and package) ends with the tail of
	 * its origin after "...", and every tail has the same width. */
	{
		char *line = strchr(b.data, '\n') + 1, *eol, *cell;
		size_t width = 0;

		for (i = 0; i < 300; i++, line = eol + 1) {
			assert_non_null(eol = strchr(line, '\n'));
			*eol = '\0';
			assert_non_null(cell = strstr(line, "  ..."));
			cell += 2;
			snprintf(path, sizeof(path), "/srv/builds/project-%03zu/very/deep/tree/of/"
				 "directories/that/goes/on/requirements.txt:%zu", i, i + 1);
			assert_true(strlen(cell) < strlen(path));
			assert_string_equal(cell + 3, path + strlen(path) - strlen(cell + 3));
			if (!width)
				width = strlen(cell);
			assert_int_equal(strlen(cell), width);
			*eol = '\n';
		}
		assert_true(width + 50 < 100);
	}
	assert_null(strstr(b.data, "/srv/builds"));
	tg_buf_release(&b);
	tg_report_release(&r);
}

static void sarif_locations_and_suppressions(void **state)
{
	struct tg_report r;
	struct tg_err err;
	char *s;
	json_t *j, *results, *res, *loc;
	size_t i, suppressed = 0;

	(void)state;
	build(&r);
	s = render("sarif", &r, false);
	j = tg_json_load(s, strlen(s), "x.sarif", &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "2.1.0");
	results = json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results");
	assert_int_equal(json_array_size(results), 5);
	json_array_foreach(results, i, res) {
		loc = json_object_get(json_array_get(json_object_get(res, "locations"), 0),
				      "physicalLocation");
		assert_string_equal(json_string_value(json_object_get(
			json_object_get(loc, "artifactLocation"), "uri")),
			"req%20dir/requirements.txt");
		if (json_object_get(res, "suppressions"))
			suppressed++;
	}
	assert_int_equal(suppressed, 1);
	assert_non_null(strstr(s, "the ignore of CVE-1 expired"));
	json_decref(j);
	free(s);
	tg_report_release(&r);
}

static void cyclonedx_affects_point_at_components(void **state)
{
	struct tg_report r;
	struct tg_err err;
	char *s;
	json_t *j, *comps, *vulns, *v, *c;
	size_t i, k;

	(void)state;
	build(&r);
	s = render("cyclonedx", &r, false);
	j = tg_json_load(s, strlen(s), "x.cdx.json", &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "specVersion")), "1.6");
	assert_true(tg_str_starts_with(json_string_value(json_object_get(j, "serialNumber")),
				       "urn:uuid:"));
	comps = json_object_get(j, "components");
	vulns = json_object_get(j, "vulnerabilities");
	assert_int_equal(json_array_size(comps), 4);
	assert_int_equal(json_array_size(vulns), 3);
	c = json_array_get(comps, 2);
	assert_string_equal(json_string_value(json_object_get(c, "purl")),
			    "pkg:npm/%40scope/left-pad@1.0.0%2Bb.1");
	json_array_foreach(vulns, i, v) {
		json_t *aff = json_object_get(v, "affects");
		const char *ref = json_string_value(json_object_get(json_array_get(aff, 0), "ref"));
		bool found = false;

		assert_non_null(ref);
		json_array_foreach(comps, k, c)
			if (strcmp(json_string_value(json_object_get(c, "bom-ref")), ref) == 0)
				found = true;
		assert_true(found);
		if (strcmp(json_string_value(json_object_get(v, "id")), "CVE-2021-31542") == 0)
			assert_non_null(json_object_get(v, "analysis"));
	}
	assert_non_null(strstr(s, "the ignore of CVE-1 expired"));
	json_decref(j);
	free(s);
	tg_report_release(&r);
}

static void purls_and_urls(void **state)
{
	struct tg_buf b;
	struct tg_err err;
	char url[256];

	(void)state;
	tg_buf_init(&b, 1024);
	assert_int_equal(tg_report_purl(TG_ECO_PYPI, "Zope_Interface", "5.0+local", &b, &err), 0);
	assert_string_equal(b.data, "pkg:pypi/zope-interface@5.0%2Blocal");
	tg_buf_reset(&b);
	assert_int_equal(tg_report_purl(TG_ECO_NPM, "left-pad", NULL, &b, &err), 0);
	assert_string_equal(b.data, "pkg:npm/left-pad");
	tg_buf_release(&b);
	assert_string_equal(tg_report_advisory_url("GHSA-xxxx-yyyy-zzzz", url, sizeof(url)),
			    "https://github.com/advisories/GHSA-xxxx-yyyy-zzzz");
	assert_string_equal(tg_report_advisory_url("PYSEC-2021-1", url, sizeof(url)),
			    "https://osv.dev/vulnerability/PYSEC-2021-1");
	assert_null(tg_report_advisory_url("x_NSWG-ECO-1", url, sizeof(url)));
	assert_non_null(tg_report_writer_find("CDX"));
	assert_non_null(tg_report_writer_find("md"));
	assert_null(tg_report_writer_find("pdf"));
}

/* The table formats scores and EPSS percentages by hand; every cell must
 * read as printf's "%.1f" would, midpoints and long values included. */
static void table_numbers_read_like_printf(void **state)
{
	static const double epss[] = { 0, 0.0005, 0.00049999, 0.0015, 0.00149, 0.9731,
				       0.97305, 0.999999, 1, 0.12345678, 0.0025, 0.3 };
	static const double cvss[] = { 0, 0.1, 1.5, 4.3, 7.25, 9.8, 10, 5.05, 6.95 };
	struct tg_report r;
	struct tg_err err;
	char *out, want[64];
	size_t i;

	(void)state;
	tg_report_init(&r);
	for (i = 0; i < sizeof(epss) / sizeof(epss[0]); i++) {
		struct tg_finding f = { 0 };

		f.kind = TG_FIND_VULNERABILITY;
		f.package = (char *)"pkg";
		f.id = (char *)"CVE-1";
		f.epss = epss[i];
		f.kev = i % 2;
		f.cvss = i < sizeof(cvss) / sizeof(cvss[0]) ? cvss[i] : -1;
		f.severity = TG_SEV_HIGH;
		assert_non_null(tg_report_add_finding(&r, &f, &err));
	}
	out = render("table", &r, false);
	for (i = 0; i < sizeof(epss) / sizeof(epss[0]); i++) {
		snprintf(want, sizeof(want), "%s%.1f%% ", i % 2 ? "KEV " : " ", epss[i] * 100);
		if (!strstr(out, want))
			fail_msg("no '%s' in\n%s", want, out);
	}
	for (i = 0; i < sizeof(cvss) / sizeof(cvss[0]); i++) {
		snprintf(want, sizeof(want), "high %.1f ", cvss[i]);
		if (!strstr(out, want))
			fail_msg("no '%s' in\n%s", want, out);
	}
	free(out);
	tg_report_release(&r);
}

/* A stored finding keeps its strings and id lists in one block; ids
 * added afterwards live outside it, and release frees each exactly once
 * (the sanitizer build checks the frees). */
static void stored_finding_owns_its_copies(void **state)
{
	char alias0[] = "CVE-2024-0001", alias1[] = "GHSA-xxxx-yyyy-zzzz", adv[] = "PYSEC-1";
	char *aliases[] = { alias0, alias1 }, *advs[] = { adv };
	struct tg_report r;
	struct tg_finding t = { 0 }, *f;
	struct tg_err err;

	(void)state;
	tg_report_init(&r);
	t.kind = TG_FIND_VULNERABILITY;
	t.package = (char *)"django";
	t.id = (char *)"PYSEC-1";
	t.aliases = aliases;
	t.n_aliases = 2;
	t.advisories = advs;
	t.n_advisories = 1;
	t.ignore_reason = (char *)"reviewed";
	f = tg_report_add_finding(&r, &t, &err);
	assert_non_null(f);
	/* copies, not the template's storage */
	alias0[0] = 'X';
	adv[0] = 'X';
	assert_string_equal(f->aliases[0], "CVE-2024-0001");
	assert_string_equal(f->aliases[1], "GHSA-xxxx-yyyy-zzzz");
	assert_string_equal(f->advisories[0], "PYSEC-1");
	assert_string_equal(f->ignore_reason, "reviewed");
	assert_int_equal(tg_finding_add_alias(f, "OSV-2024-9", &err), 0);
	assert_int_equal(tg_finding_add_advisory(f, "GHSA-aaaa-bbbb-cccc", &err), 0);
	assert_int_equal(tg_finding_add_alias(f, "CVE-2024-0002", &err), 0);
	assert_int_equal(f->n_aliases, 4);
	assert_string_equal(f->aliases[0], "CVE-2024-0001");
	assert_string_equal(f->aliases[2], "OSV-2024-9");
	assert_string_equal(f->aliases[3], "CVE-2024-0002");
	assert_int_equal(f->n_advisories, 2);
	assert_string_equal(f->advisories[1], "GHSA-aaaa-bbbb-cccc");
	tg_report_release(&r);
}

/* The origin column, built by hand, reads and truncates exactly as
 * snprintf("%s:%lu") would, at every buffer size. */
static void origin_truncates_like_snprintf(void **state)
{
	static const char *const paths[] = { NULL, "", "requirements.txt", "a/b/poetry.lock" };
	static const unsigned long lines[] = { 0, 1, 9, 10, 4294967295ul };
	char got[64], want[64];
	size_t p, l, n;

	(void)state;
	for (p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
		for (l = 0; l < sizeof(lines) / sizeof(lines[0]); l++)
			for (n = 1; n <= sizeof(got); n++) {
				struct tg_finding f = { 0 };

				f.origin_path = (char *)paths[p];
				f.origin_line = lines[l];
				if (!paths[p])
					snprintf(want, n, "-");
				else if (lines[l])
					snprintf(want, n, "%s:%lu", paths[p], lines[l]);
				else
					snprintf(want, n, "%s", paths[p]);
				assert_string_equal(tg_finding_origin(&f, got, n), want);
			}
}

static void empty_report(void **state)
{
	static const char *const formats[] = { "table", "json", "sarif", "cyclonedx",
					       "markdown", "html" };
	struct tg_report r;
	size_t i;

	(void)state;
	tg_report_init(&r);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *s = render(formats[i], &r, false);
		assert_true(strlen(s) > 10);
		free(s);
	}
	{
		char *t = render("table", &r, false);
		assert_non_null(strstr(t, "No known vulnerabilities in 0 packages"));
		free(t);
	}
	tg_report_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_has_documented_shape),
		cmocka_unit_test(every_format_lists_unpinned_and_findings),
		cmocka_unit_test(html_is_escaped_and_self_contained),
		cmocka_unit_test(markdown_escapes_table_cells),
		cmocka_unit_test(table_plain_and_coloured),
		cmocka_unit_test(table_shortens_origins_to_the_width),
		cmocka_unit_test(sarif_locations_and_suppressions),
		cmocka_unit_test(cyclonedx_affects_point_at_components),
		cmocka_unit_test(purls_and_urls),
		cmocka_unit_test(table_numbers_read_like_printf),
		cmocka_unit_test(stored_finding_owns_its_copies),
		cmocka_unit_test(origin_truncates_like_snprintf),
		cmocka_unit_test(empty_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

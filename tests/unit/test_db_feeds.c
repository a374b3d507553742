/* Feed parsers: OSV advisories, EPSS lines, name-list lines, the PyPI
 * simple index, and the HTTP client's URL policy. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_import.h"
#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/db_feeds.h"
#include "tollgate/db_update.h"
#include "tollgate/http.h"

static int parse(const char *json, struct tg_osv_record *r, struct tg_err *err)
{
	return tg_osv_parse(json, strlen(json), "X.json", r, err);
}

static void osv_full_record(void **state)
{
	/* The shape of a GHSA advisory in the OSV bucket, with fields this
	 * version does not know about. */
	static const char json[] =
		"{\"schema_version\":\"1.6.0\",\"id\":\"GHSA-xxxx-yyyy-zzzz\","
		"\"modified\":\"2024-05-01T00:00:00Z\",\"published\":\"2024-04-01T00:00:00Z\","
		"\"aliases\":[\"CVE-2024-0001\",\"PYSEC-2024-9\"],\"related\":[\"CVE-2023-1\"],"
		"\"summary\":\"s\",\"details\":\"d\","
		"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N\"}],"
		"\"affected\":["
		" {\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Foo_Bar.baz\",\"purl\":\"pkg:pypi/foo-bar-baz\"},"
		"  \"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},{\"last_affected\":\"1.0\"}]},"
		"             {\"type\":\"GIT\",\"repo\":\"https://g/r\",\"events\":[{\"introduced\":\"0\"},{\"limit\":\"abc\"}]}],"
		"  \"versions\":[\"1.0\"],\"database_specific\":{\"source\":\"x\"}},"
		" {\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"foo\"}},"
		" {\"package\":{\"ecosystem\":\"npm\",\"name\":\"@Scope/Pkg\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]}],"
		"\"references\":[{\"type\":\"WEB\",\"url\":\"https://x\"},{\"url\":\"https://y\"}],"
		"\"database_specific\":{\"severity\":\"MODERATE\",\"cwe_ids\":[\"CWE-79\"]},"
		"\"credits\":[{\"name\":\"n\"}],\"future_field\":{\"a\":[1]}}";
	struct tg_osv_record r;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse(json, &r, &err), 0);
	assert_string_equal(r.id, "GHSA-xxxx-yyyy-zzzz");
	assert_false(r.malicious);
	assert_int_equal(r.n_aliases, 2);
	assert_string_equal(r.aliases[1], "PYSEC-2024-9");
	assert_int_equal(r.n_related, 1);
	assert_int_equal(r.n_severity, 1);
	assert_string_equal(r.severity[0].b, "CVSS:3.1/AV:N");
	assert_int_equal(r.n_references, 2);
	assert_null(r.references[1].a);
	assert_string_equal(r.db_severity, "MODERATE");
	assert_non_null(strstr(r.database_specific, "CWE-79"));
	assert_int_equal(r.n_affected, 2);
	assert_int_equal(r.n_affected_other, 1);
	assert_string_equal(r.affected[0].name, "Foo_Bar.baz");
	assert_string_equal(r.affected[0].norm_name, "foo-bar-baz");
	assert_int_equal(r.affected[0].index, 0);
	assert_int_equal(r.affected[0].n_ranges, 2);
	assert_int_equal(r.affected[0].ranges[0].events[1].kind, TG_EVENT_LAST_AFFECTED);
	assert_int_equal(r.affected[0].ranges[1].type, TG_RANGE_GIT);
	assert_string_equal(r.affected[0].ranges[1].repo, "https://g/r");
	assert_int_equal(r.affected[0].ranges[1].events[1].kind, TG_EVENT_LIMIT);
	assert_string_equal(r.affected[0].database_specific, "{\"source\":\"x\"}");
	/* npm names are kept as published */
	assert_int_equal(r.affected[1].index, 2);
	assert_string_equal(r.affected[1].norm_name, "@Scope/Pkg");
	tg_osv_record_release(&r);
}

static void osv_malicious_and_withdrawn(void **state)
{
	struct tg_osv_record r;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse("{\"id\":\"MAL-2024-7\",\"modified\":\"m\",\"withdrawn\":\"w\"}", &r, &err), 0);
	assert_true(r.malicious);
	assert_string_equal(r.withdrawn, "w");
	assert_int_equal(r.n_affected, 0);
	tg_osv_record_release(&r);
}

static void osv_rejects(void **state)
{
	static const struct { const char *json; enum tg_code code; const char *msg; } cases[] = {
		{ "{\"id\":\"A\",", TG_EPARSE, "invalid JSON" },
		{ "[1]", TG_EINVAL, "not a JSON object" },
		{ "{\"modified\":\"m\"}", TG_EINVAL, "no valid 'id'" },
		{ "{\"id\":\"has space\",\"modified\":\"m\"}", TG_EINVAL, "no valid 'id'" },
		{ "{\"id\":\"A\"}", TG_EINVAL, "no 'modified'" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"aliases\":\"CVE-1\"}", TG_EINVAL, "'aliases' is not an array" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"aliases\":[1]}", TG_EINVAL, "aliases[0]" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"summary\":7}", TG_EINVAL, "'summary' is not a string" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"severity\":[{\"score\":\"x\"}]}", TG_EINVAL, "lacks 'type'" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"a\"},"
		  "\"ranges\":[{\"type\":\"WEIRD\",\"events\":[{\"introduced\":\"0\"}]}]}]}", TG_EINVAL, "unknown type 'WEIRD'" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"a\"},"
		  "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[]}]}]}", TG_EINVAL, "no 'events'" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"a\"},"
		  "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1\"}]}]}]}", TG_EINVAL, "event 0 is malformed" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"a\"},"
		  "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"\"}]}]}]}", TG_EINVAL, "event 0 is malformed" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"a\"},"
		  "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"other\":\"1\"}]}]}]}", TG_EINVAL, "has no introduced" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\"}}]}", TG_EINVAL, "lacks ecosystem or name" },
		{ "{\"id\":\"A\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
		  "\"versions\":[1]}]}", TG_EINVAL, "versions[0] is not a version string" },
		{ "{\"id\":\"A\",\"id\":\"B\",\"modified\":\"m\"}", TG_EPARSE, "duplicate" },
	};
	struct tg_osv_record r;
	struct tg_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(cases[i].json, &r, &err);
		if (rc != (int)cases[i].code || !strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: rc %d msg '%s'", i, rc, err.msg);
		assert_string_equal(err.file, "X.json");
		assert_null(r.root); /* released on failure */
	}
}

static void osv_item_cap(void **state)
{
	struct tg_buf b;
	struct tg_osv_record r;
	struct tg_err err;
	int i;

	(void)state;
	tg_buf_init(&b, 0);
	assert_int_equal(tg_buf_adds(&b, "{\"id\":\"A\",\"modified\":\"m\",\"affected\":[{\"package\":"
				  "{\"ecosystem\":\"PyPI\",\"name\":\"a\"},\"versions\":[", &err), 0);
	for (i = 0; i <= TG_OSV_MAX_ITEMS; i++)
		assert_int_equal(tg_buf_adds(&b, i ? ",\"1\"" : "\"1\"", &err), 0);
	assert_int_equal(tg_buf_adds(&b, "]}]}", &err), 0);
	assert_int_equal(tg_osv_parse(b.data, b.len, "big.json", &r, &err), TG_ELIMIT);
	assert_non_null(strstr(err.msg, "200000"));
	tg_buf_release(&b);
}

static void epss_lines(void **state)
{
	struct tg_epss_reader rd;
	struct tg_epss_row row;
	struct tg_err err;
	bool have;

	(void)state;
	tg_epss_reader_init(&rd);
	assert_int_equal(tg_epss_read_line(&rd, "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000", 63, "e", &row, &have, &err), 0);
	assert_false(have);
	assert_string_equal(rd.model_version, "v2025.03.14");
	assert_string_equal(rd.score_date, "2025-08-25T00:00:00+0000");
	/* a data row before the header is not EPSS at all */
	{
		struct tg_epss_reader rd2;
		tg_epss_reader_init(&rd2);
		assert_int_equal(tg_epss_read_line(&rd2, "CVE-1999-0001,0.1,0.2", 21, "e", &row, &have, &err), TG_EPARSE);
		assert_int_equal(err.line, 1);
	}
	assert_int_equal(tg_epss_read_line(&rd, "cve,epss,percentile\r", 20, "e", &row, &have, &err), 0);
	assert_true(rd.have_header);
	assert_int_equal(tg_epss_read_line(&rd, "CVE-1999-0001,0.0046,0.7385", 27, "e", &row, &have, &err), 0);
	assert_true(have);
	assert_string_equal(row.cve, "CVE-1999-0001");
	assert_true(row.epss > 0.00459 && row.epss < 0.00461);
	assert_int_equal(tg_epss_read_line(&rd, "CVE-2021-44228,9.4e-1,1", 23, "e", &row, &have, &err), 0);
	assert_true(have);
	assert_int_equal(tg_epss_read_line(&rd, "CVE-2021-4,0.1,0.1", 18, "e", &row, &have, &err), TG_EINVAL);
	assert_int_equal(tg_epss_read_line(&rd, "CVE-2021-44228,1.5,0.1", 22, "e", &row, &have, &err), TG_EINVAL);
	assert_int_equal(tg_epss_read_line(&rd, "CVE-2021-44228,nan,0.1", 22, "e", &row, &have, &err), TG_EINVAL);
	assert_int_equal(tg_epss_read_line(&rd, "CVE-2021-44228,0.1", 18, "e", &row, &have, &err), TG_EINVAL);
	assert_non_null(strstr(err.msg, "2 columns, the header has 3"));
	assert_int_equal(err.line, 8);
	assert_int_equal(tg_epss_read_line(&rd, "", 0, "e", &row, &have, &err), 0);
	assert_false(have);
}

static void names_lines(void **state)
{
	struct tg_names_reader rd;
	struct tg_names_row row;
	struct tg_err err;
	bool have;
	char line[256];

	(void)state;
	tg_names_reader_init(&rd, TG_ECO_PYPI);
	snprintf(line, sizeof(line), "name\tlatest_version\tdownloads_a_month");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "not a PyPI name list"));
	tg_names_reader_init(&rd, TG_ECO_PYPI);
	snprintf(line, sizeof(line), "name\tlatest_version\tlatest_release_month\tpopularity_rank");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), 0);
	assert_false(have);
	snprintf(line, sizeof(line), "Django\t5.2\t2025-04\t12");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), 0);
	assert_true(have);
	assert_string_equal(row.name, "Django");
	assert_string_equal(row.latest_version, "5.2");
	assert_string_equal(row.last_release, "2025-04");
	assert_int_equal(row.rank, 12);
	snprintf(line, sizeof(line), "zope.x\t\t\t");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), 0);
	assert_null(row.latest_version);
	assert_int_equal(row.rank, -1);
	snprintf(line, sizeof(line), "a\t1\t2020-01\tfirst");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), TG_EINVAL);
	assert_int_equal(err.line, 4);
	snprintf(line, sizeof(line), "two words\t1\t2020-01\t");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), TG_EINVAL);
	snprintf(line, sizeof(line), "a\t1\t2020-01");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), TG_EINVAL);

	tg_names_reader_init(&rd, TG_ECO_NPM);
	snprintf(line, sizeof(line), "name\tlatest_version\tdownloads_a_month");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), 0);
	snprintf(line, sizeof(line), "@types/node\t22.0.0\t123456789");
	assert_int_equal(tg_names_read_line(&rd, line, strlen(line), "n.tsv", &row, &have, &err), 0);
	assert_string_equal(row.name, "@types/node");
	assert_int_equal(row.downloads, 123456789);
	assert_int_equal(row.rank, -1);
}

static void simple_index_lines(void **state)
{
	char line[128];
	const char *name;

	(void)state;
	snprintf(line, sizeof(line), "    <a href=\"/simple/zope-interface/\">zope.interface</a><br/>");
	tg_simple_index_line(line, strlen(line), &name);
	assert_non_null(name);
	assert_string_equal(name, "zope.interface");
	snprintf(line, sizeof(line), "<html><head><title>Simple index</title>");
	tg_simple_index_line(line, strlen(line), &name);
	assert_null(name);
	snprintf(line, sizeof(line), "<a href=\"/x/\"></a>");
	tg_simple_index_line(line, strlen(line), &name);
	assert_null(name);
}

/* Without a mirror, PyPI names come from the simple index HTML: names
 * only, normalised, duplicates (by normal form) once. */
static void names_from_simple_index(void **state)
{
	static const char html[] =
		"<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n"
		"    <title>Simple index</title>\n  </head>\n  <body>\n"
		"    <a href=\"/simple/0/\">0</a>\n"
		"    <a href=\"/simple/django/\">Django</a>\n"
		"    <a href=\"/simple/zope-interface/\">zope.interface</a>\n"
		"    <a href=\"/simple/zope-interface/\">Zope_Interface</a>\n"
		"  </body>\n</html>\n";
	char dir[] = "/tmp/tg-simple-XXXXXX";
	char *file, cmd[64];
	struct tg_db_writer w;
	struct tg_feed_result res;
	struct tg_import_meta meta;
	struct tg_err err;
	sqlite3 *sql;
	sqlite3_stmt *st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	file = tg_path_join(dir, "simple.html");
	assert_int_equal(tg_write_file_atomic(file, html, strlen(html), &err), 0);
	assert_int_equal(sqlite3_open(":memory:", &sql), SQLITE_OK);
	assert_int_equal(sqlite3_exec(sql, tg_db_schema_sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(tg_writer_init(&w, sql, ":memory:", NULL, &err), 0);
	memset(&res, 0, sizeof(res));
	memset(&meta, 0, sizeof(meta));
	assert_int_equal(tg_import_names(&w, file, "https://pypi.org/simple/", TG_ECO_PYPI, true,
					 &res, &meta, &err), 0);
	assert_int_equal(res.records, 3);
	assert_int_equal(sqlite3_prepare_v2(sql, "SELECT group_concat(IFNULL(name, norm_name) || '=' || norm_name, ' ')"
					    " FROM (SELECT * FROM names ORDER BY norm_name)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
			    "0=0 Django=django zope.interface=zope-interface");
	sqlite3_finalize(st);
	tg_writer_release(&w);
	sqlite3_close(sql);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(file);
}

static void feed_groups(void **state)
{
	unsigned g;
	struct tg_err err;

	(void)state;
	assert_int_equal(tg_feed_groups_parse("osv,kev", &g, &err), 0);
	assert_int_equal(g, TG_FEEDS_OSV | TG_FEEDS_KEV);
	assert_int_equal(tg_feed_groups_parse("names,epss,osv,kev", &g, &err), 0);
	assert_int_equal(g, TG_FEEDS_ALL);
	assert_int_equal(tg_feed_groups_parse("osv,cve", &g, &err), TG_EUSAGE);
	assert_non_null(strstr(err.msg, "unknown feed 'cve'"));
	assert_int_equal(tg_feed_groups_parse("", &g, &err), TG_EUSAGE);
	assert_string_equal(tg_feed_mirror_path(TG_FEED_EPSS), "epss/epss_scores-current.csv.gz");
	assert_string_equal(tg_feed_upstream_url(TG_FEED_EPSS),
			    "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz");
	assert_null(tg_feed_upstream_url(TG_FEED_NAMES_NPM));
}

static void http_url_policy(void **state)
{
	struct tg_err err;

	(void)state;
	assert_int_equal(tg_http_check_url("https://osv-vulnerabilities.storage.googleapis.com/x", false, &err), 0);
	assert_int_equal(tg_http_check_url("http://example.com/x", true, &err), TG_EUSAGE);
	assert_non_null(strstr(err.msg, "loopback"));
	assert_int_equal(tg_http_check_url("http://127.0.0.1:8000/x", false, &err), TG_EUSAGE);
	assert_int_equal(tg_http_check_url("http://127.0.0.1:8000/x", true, &err), 0);
	assert_int_equal(tg_http_check_url("http://[::1]:8/x", true, &err), 0);
	assert_int_equal(tg_http_check_url("http://localhost/x", true, &err), 0);
	/* look-alikes are not loopback */
	assert_false(tg_http_is_loopback("http://127.0.0.1.evil.com/x"));
	assert_false(tg_http_is_loopback("http://128.0.0.1/x"));
	assert_false(tg_http_is_loopback("http://10.0.0.1/x"));
	/* curl reads 127.1 as 127.0.0.1, and so connects to loopback */
	assert_true(tg_http_is_loopback("http://127.1/x"));
	assert_false(tg_http_is_loopback("http://localhost.evil.com/x"));
	assert_int_equal(tg_http_check_url("ftp://h/x", true, &err), TG_EUSAGE);
	assert_int_equal(tg_http_check_url("file:///etc/passwd", true, &err), TG_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(osv_full_record),
		cmocka_unit_test(osv_malicious_and_withdrawn),
		cmocka_unit_test(osv_rejects),
		cmocka_unit_test(osv_item_cap),
		cmocka_unit_test(epss_lines),
		cmocka_unit_test(names_lines),
		cmocka_unit_test(simple_index_lines),
		cmocka_unit_test(names_from_simple_index),
		cmocka_unit_test(feed_groups),
		cmocka_unit_test(http_url_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

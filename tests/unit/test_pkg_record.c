/* Per-package records (lib/db/pkg_record.h): round trip of hand-built
 * entries, the versions-list index, damaged records refused with TG_EDB,
 * and, over the real OSV snapshot in data/feeds, that every package's
 * record gives exactly what the affected/ranges/events tables give. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "db/db_internal.h"
#include "db/pkg_record.h"
#include "tollgate/buf.h"
#include "tollgate/db_update.h"

/* ---- hand-built entries ---- */

static const struct tg_db_event ev_a[] = {
	{ TG_EVENT_INTRODUCED, "0" }, { TG_EVENT_FIXED, "1.2.3" },
	{ TG_EVENT_INTRODUCED, "2.0" }, { TG_EVENT_LAST_AFFECTED, "2.1" },
};
static const struct tg_db_event ev_git[] = { { TG_EVENT_FIXED, "abc123" } };
static const struct tg_db_range ranges_a[] = {
	{ TG_RANGE_ECOSYSTEM, NULL, ev_a, 4 },
	{ TG_RANGE_GIT, "https://example.org/repo.git", ev_git, 1 },
};
static const char *const vers_a[] = { "1.0", "1.0.0", "1.0-rc1", "01.2" };
static const char *const vers_b[] = { "1.0rc1", "not a version", "1.2" };

static void entries(struct tg_db_affected e[3])
{
	memset(e, 0, 3 * sizeof(*e));
	e[0] = (struct tg_db_affected){
		.advisory_id = "GHSA-aaaa-bbbb-cccc", .group = 7, .modified = "2024-01-02T03:04:05Z",
		.eco = TG_ECO_PYPI, .name = "Demo_Pkg", .norm_name = "demo-pkg", .entry_index = 0,
		.ranges = ranges_a, .n_ranges = 2, .versions = vers_a, .n_versions = 4,
		.database_specific = "{\"x\":1}",
	};
	e[1] = (struct tg_db_affected){
		.advisory_id = "GHSA-aaaa-bbbb-cccc", .group = 7, .eco = TG_ECO_PYPI,
		.name = "demo-pkg", .norm_name = "demo-pkg", .entry_index = 3,
		.versions = vers_b, .n_versions = 3, .ecosystem_specific = "{}",
	};
	e[2] = (struct tg_db_affected){
		.advisory_id = "MAL-2024-1", .group = -1, .withdrawn = true, .malicious = true,
		.eco = TG_ECO_PYPI, .name = "demo-pkg", .norm_name = "demo-pkg",
	};
}

static const char *const brief_aliases[] = { "CVE-2024-0001", "PYSEC-2024-9" };
static const char *const brief_sev[] = { "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
					 "CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" };
static const struct tg_db_pkg_brief brief0 = {
	.summary = "Demo flaw", .details = "Line one.\nLine two.", .published = NULL,
	.db_severity = "HIGH", .aliases = brief_aliases, .n_aliases = 2,
	.severity = brief_sev, .n_severity = 2,
};

/* Entry 0 carries brief0, the others none. */
static void encode(const struct tg_db_affected *e, size_t n, enum tg_ecosystem eco,
		   struct tg_buf *b)
{
	struct tg_pkg_encoder enc;
	struct tg_err err;
	size_t i;

	tg_buf_init(b, (size_t)1 << 20);
	assert_int_equal(tg_pkg_encoder_begin(&enc, eco, n ? "2.0.1" : NULL, b, &err), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(tg_pkg_encoder_add(&enc, &e[i], i == 0 ? &brief0 : NULL, &err), 0);
	assert_int_equal(tg_pkg_encoder_finish(&enc, &err), 0);
	tg_pkg_encoder_release(&enc);
}

static void assert_str_eq_opt(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_entry_equal(const struct tg_db_affected *a, const struct tg_db_affected *b,
			       bool versions)
{
	size_t i, j;

	assert_string_equal(a->advisory_id, b->advisory_id);
	assert_int_equal(a->group, b->group);
	assert_int_equal(a->withdrawn, b->withdrawn);
	assert_int_equal(a->malicious, b->malicious);
	assert_str_eq_opt(a->modified, b->modified);
	assert_int_equal(a->eco, b->eco);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->norm_name, b->norm_name);
	assert_int_equal(a->entry_index, b->entry_index);
	assert_str_eq_opt(a->database_specific, b->database_specific);
	assert_str_eq_opt(a->ecosystem_specific, b->ecosystem_specific);
	assert_int_equal(a->n_ranges, b->n_ranges);
	for (i = 0; i < a->n_ranges; i++) {
		assert_int_equal(a->ranges[i].type, b->ranges[i].type);
		assert_str_eq_opt(a->ranges[i].repo, b->ranges[i].repo);
		assert_int_equal(a->ranges[i].n_events, b->ranges[i].n_events);
		for (j = 0; j < a->ranges[i].n_events; j++) {
			assert_int_equal(a->ranges[i].events[j].kind, b->ranges[i].events[j].kind);
			assert_string_equal(a->ranges[i].events[j].version,
					    b->ranges[i].events[j].version);
		}
	}
	if (!versions)
		return;
	assert_int_equal(a->n_versions, b->n_versions);
	for (i = 0; i < a->n_versions; i++)
		assert_string_equal(a->versions[i], b->versions[i]);
}

/* The entries listing key, as "0,1" */
static void listing_str(const struct tg_db_pkg *p, const char *key, char *out, size_t cap)
{
	const void *at;
	size_t n = tg_db_pkg_listing(p, key, &at), k, len = 0;

	out[0] = '\0';
	for (k = 0; k < n; k++)
		len += (size_t)snprintf(out + len, cap - len, "%s%zu", k ? "," : "",
					tg_db_pkg_listing_at(at, k));
}

static void expect_listing(const struct tg_db_pkg *p, const char *key, const char *want)
{
	char l[64];

	listing_str(p, key, l, sizeof(l));
	assert_string_equal(l, want);
}

static void round_trip(void **state)
{
	struct tg_db_affected e[3], got;
	struct tg_db_pkg *p = NULL;
	struct tg_buf b;
	struct tg_err err;
	size_t i;

	(void)state;
	entries(e);
	encode(e, 3, TG_ECO_PYPI, &b);
	assert_int_equal(tg_pkg_record_decode(b.data, b.len, TG_ECO_PYPI, "test", &p, &err), 0);
	assert_int_equal(tg_db_pkg_count(p), 3);
	assert_string_equal(tg_db_pkg_latest(p), "2.0.1");
	for (i = 0; i < 3; i++) {
		assert_int_equal(tg_db_pkg_entry(p, i, true, &got, &err), 0);
		assert_entry_equal(&got, &e[i], true);
		assert_int_equal(tg_db_pkg_entry(p, i, false, &got, &err), 0);
		assert_int_equal(got.n_versions, 0);
		assert_entry_equal(&got, &e[i], false);
	}
	assert_int_equal(tg_db_pkg_entry(p, 3, false, &got, &err), TG_EINTERNAL);
	{
		struct tg_db_pkg_brief br;

		assert_int_equal(tg_db_pkg_brief(p, 0, &br, &err), 0);
		assert_string_equal(br.summary, "Demo flaw");
		assert_string_equal(br.details, "Line one.\nLine two.");
		assert_null(br.published);
		assert_string_equal(br.db_severity, "HIGH");
		assert_int_equal(br.n_aliases, 2);
		assert_string_equal(br.aliases[1], "PYSEC-2024-9");
		assert_int_equal(br.n_severity, 2);
		assert_string_equal(br.severity[2], "CVSS_V4");
		assert_string_equal(br.severity[3], brief_sev[3]);
		assert_int_equal(tg_db_pkg_brief(p, 1, &br, &err), 0);
		assert_null(br.summary);
		assert_int_equal(br.n_aliases, 0);
		assert_int_equal(tg_db_pkg_brief(p, 3, &br, &err), TG_EINTERNAL);
	}
	/* PEP 440 normal forms: 1.0-rc1 and 1.0rc1 are one key, 01.2 and
	 * 1.2 another; 1.0 and 1.0.0 stay apart (as the matcher compares). */
	expect_listing(p, "1.0rc1", "0,1");
	expect_listing(p, "1.2", "0,1");
	expect_listing(p, "1.0", "0");
	expect_listing(p, "1.0.0", "0");
	expect_listing(p, "not a version", "1");
	expect_listing(p, "1.0-rc1", ""); /* keys are normal forms */
	expect_listing(p, "9.9", "");
	tg_db_pkg_free(p);
	tg_buf_release(&b);

	/* npm: versions match as published. */
	encode(e, 2, TG_ECO_NPM, &b);
	assert_int_equal(tg_pkg_record_decode(b.data, b.len, TG_ECO_NPM, "test", &p, &err), 0);
	expect_listing(p, "1.0-rc1", "0");
	expect_listing(p, "1.0rc1", "1");
	tg_db_pkg_free(p);
	tg_buf_release(&b);

	/* An empty record. */
	encode(e, 0, TG_ECO_PYPI, &b);
	assert_int_equal(tg_pkg_record_decode(b.data, b.len, TG_ECO_PYPI, "test", &p, &err), 0);
	assert_int_equal(tg_db_pkg_count(p), 0);
	assert_null(tg_db_pkg_latest(p));
	tg_db_pkg_free(p);
	tg_buf_release(&b);
}

static void expect_damaged(const void *data, size_t len, const char *what)
{
	struct tg_db_pkg *p = (struct tg_db_pkg *)1;
	struct tg_err err;

	assert_int_equal(tg_pkg_record_decode(data, len, TG_ECO_PYPI, "db.sqlite (PyPI demo)",
					      &p, &err), TG_EDB);
	assert_null(p);
	assert_non_null(strstr(err.msg, "db.sqlite (PyPI demo): damaged package record"));
	if (what)
		assert_non_null(strstr(err.msg, what));
}

static void damaged(void **state)
{
	struct tg_db_affected e[3], got;
	struct tg_db_pkg *p = NULL;
	struct tg_buf b;
	struct tg_err err;
	unsigned char *copy;
	size_t cut, at;

	(void)state;
	entries(e);
	encode(e, 3, TG_ECO_PYPI, &b);
	/* Every truncation is refused, none crashes or leaks (ASan). */
	for (cut = 0; cut < b.len; cut++)
		expect_damaged(b.data, cut, NULL);
	{
		/* A count the bytes that follow cannot hold is refused before
		 * anything is sized by it. */
		unsigned char big[4 + 4 + 4 + 200] = { 'T', 'G', 'P', '1', 0xff, 0xff, 0xff, 0xff,
						       0x40, 0x42, 0x0f, 0x00 };
		expect_damaged(big, sizeof(big), "count out of range");
	}
	copy = malloc(b.len + 1);
	assert_non_null(copy);
	memcpy(copy, b.data, b.len);
	copy[b.len] = 0;
	expect_damaged(copy, b.len + 1, "trailing bytes");
	copy[0] = 'X';
	expect_damaged(copy, b.len, "unknown format");
	/* The last key's last entry index: point it past the entries. */
	memcpy(copy, b.data, b.len);
	copy[b.len - 4] = 9;
	expect_damaged(copy, b.len, "unknown entry");
	/* An unknown event kind (the first event's kind byte follows the
	 * first range's header). */
	memcpy(copy, b.data, b.len);
	at = (size_t)((const char *)memmem(b.data, b.len, "0\0", 2) - b.data);
	/* "0" is the first event's version: its kind byte sits 5 bytes
	 * before (u8 kind, u32 length). */
	copy[at - 5] = 200;
	expect_damaged(copy, b.len, "unknown event kind");
	/* Versions lists are checked when read, not when decoded (the
	 * matcher never reads them): a broken string inside one decodes,
	 * then the entry's list is refused. */
	memcpy(copy, b.data, b.len);
	at = (size_t)((const char *)memmem(b.data, b.len, "1.0\0", 4) - b.data);
	copy[at + 3] = 'x';
	assert_int_equal(tg_pkg_record_decode(copy, b.len, TG_ECO_PYPI, "t", &p, &err), 0);
	assert_int_equal(tg_db_pkg_entry(p, 0, false, &got, &err), 0);
	assert_int_equal(tg_db_pkg_entry(p, 0, true, &got, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "damaged package record"));
	assert_int_equal(tg_db_pkg_entry(p, 1, true, &got, &err), 0);
	assert_int_equal(got.n_versions, 3);
	free(copy);
	tg_db_pkg_free(p);
	tg_buf_release(&b);
}

/* ---- the real snapshot ---- */


static int dump_entry(const struct tg_db_affected *a, void *ctx)
{
	struct tg_buf *b = ctx;
	struct tg_err err;
	size_t i, j;

	tg_buf_addf(b, &err, "%s|%lld|%d%d|%s|%s|%s|%u|%s|%s|", a->advisory_id,
		    (long long)a->group, a->withdrawn, a->malicious,
		    a->modified ? a->modified : "-", a->name, a->norm_name, a->entry_index,
		    a->database_specific ? a->database_specific : "-",
		    a->ecosystem_specific ? a->ecosystem_specific : "-");
	for (i = 0; i < a->n_ranges; i++) {
		tg_buf_addf(b, &err, "[%d %s", (int)a->ranges[i].type,
			    a->ranges[i].repo ? a->ranges[i].repo : "-");
		for (j = 0; j < a->ranges[i].n_events; j++)
			tg_buf_addf(b, &err, " %d:%s", (int)a->ranges[i].events[j].kind,
				    a->ranges[i].events[j].version);
		tg_buf_adds(b, "]", &err);
	}
	for (i = 0; i < a->n_versions; i++)
		tg_buf_addf(b, &err, "{%s}", a->versions[i]);
	tg_buf_adds(b, "\n", &err);
	return 0;
}

/* The record's copy of the advisory's fields equals the advisories,
 * aliases and severities tables. */
static void check_brief(struct tg_db *db, struct tg_db_pkg *p, size_t i, const char *id)
{
	struct tg_db_pkg_brief b;
	struct tg_db_advisory a;
	struct tg_err err;
	bool found = false;
	size_t k;

	assert_int_equal(tg_db_advisory_get(db, id, &a, &found, &err), 0);
	assert_true(found);
	assert_int_equal(tg_db_pkg_brief(p, i, &b, &err), 0);
	assert_str_eq_opt(b.summary, a.summary);
	assert_str_eq_opt(b.details, a.details);
	assert_str_eq_opt(b.published, a.published);
	assert_str_eq_opt(b.db_severity, a.db_severity);
	assert_int_equal(b.n_aliases, a.n_aliases);
	for (k = 0; k < a.n_aliases; k++)
		assert_string_equal(b.aliases[k], a.aliases[k]);
	assert_int_equal(b.n_severity, a.n_severity);
	for (k = 0; k < a.n_severity; k++) {
		assert_string_equal(b.severity[2 * k], a.severity[k].type);
		assert_string_equal(b.severity[2 * k + 1], a.severity[k].score);
	}
	tg_db_advisory_release(&a);
}

static void snapshot_records_match_tables(void **state)
{
	char tmpdir[] = "/tmp/tg-test-pkgrec-XXXXXX", dbpath[512], cwd[512], src[600];
	char cmd[600];
	struct tg_db_update_opts o = { 0 };
	struct tg_db_update_result res;
	struct tg_db *db = NULL;
	struct tg_err err;
	sqlite3_stmt *st;
	size_t packages = 0, listed = 0;

	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(src, sizeof(src), "%s/data/feeds", cwd);
	snprintf(dbpath, sizeof(dbpath), "%s/tollgate.db", tmpdir);
	o.db_path = dbpath;
	o.source = src;
	o.groups = TG_FEEDS_OSV;
	assert_int_equal(tg_db_update(&o, &res, &err), 0);
	assert_int_equal(tg_db_open(dbpath, TG_DB_READONLY, &db, &err), 0);
	assert_int_equal(sqlite3_prepare_v2(db->sql, "SELECT DISTINCT ecosystem, norm_name FROM affected",
					    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *ecocol = (const char *)sqlite3_column_text(st, 0);
		char *name = strdup((const char *)sqlite3_column_text(st, 1));
		enum tg_ecosystem eco = strcmp(ecocol, "npm") == 0 ? TG_ECO_NPM : TG_ECO_PYPI;
		struct tg_buf from_rec, from_tables;
		struct tg_db_pkg *p = NULL;
		size_t i, k;

		tg_buf_init(&from_rec, (size_t)64 << 20);
		tg_buf_init(&from_tables, (size_t)64 << 20);
		assert_int_equal(tg_db_each_affected(db, eco, name, dump_entry, &from_rec, &err), 0);
		assert_int_equal(tg_db_each_affected_tables(db, eco, name, dump_entry, &from_tables,
							    &err), 0);
		assert_true(from_rec.len > 0);
		assert_int_equal(from_rec.len, from_tables.len);
		assert_memory_equal(from_rec.data, from_tables.data, from_rec.len);
		/* Every versions-list entry is found under its key. */
		assert_int_equal(tg_db_pkg_get(db, eco, name, &p, &err), 0);
		assert_non_null(p);
		for (i = 0; i < tg_db_pkg_count(p); i++) {
			struct tg_db_affected a;

			assert_int_equal(tg_db_pkg_entry(p, i, true, &a, &err), 0);
			check_brief(db, p, i, a.advisory_id);
			for (k = 0; k < a.n_versions; k++) {
				char *key = tg_pkg_version_key(eco, a.versions[k]);
				const void *at;
				size_t n = tg_db_pkg_listing(p, key, &at), j;
				bool found = false;

				for (j = 0; j < n && !found; j++)
					found = tg_db_pkg_listing_at(at, j) == i;
				assert_true(found);
				free(key);
				listed++;
			}
		}
		tg_db_pkg_free(p);
		tg_buf_release(&from_rec);
		tg_buf_release(&from_tables);
		free(name);
		packages++;
	}
	sqlite3_finalize(st);
	tg_db_close(db);
	/* The snapshot names thousands of packages and lists far more
	 * versions: the comparison covered real data. */
	assert_true(packages > 1000);
	assert_true(listed > 100000);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(damaged),
		cmocka_unit_test(snapshot_records_match_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

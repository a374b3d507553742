/* The database: import of the real OSV and KEV snapshot (data/feeds) plus
 * small name and EPSS lists written here, then every query of db.h.
 * Expected values were read from the feed files themselves. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "tollgate/db.h"
#include "tollgate/db_update.h"
#include "tollgate/fs.h"
#include "tollgate/str.h"

static char tmpdir[256];
static char dbpath[512];
static struct tg_db_update_result upd;
static int notices;

static void write_gz(const char *path, const char *text)
{
	gzFile gz = gzopen(path, "wb");

	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
	assert_int_equal(gzclose(gz), Z_OK);
}

static void mkdirs(const char *rel)
{
	char *p = tg_path_join(tmpdir, rel);
	struct tg_err err;

	assert_int_equal(tg_mkdir_p(p, &err), 0);
	free(p);
}

static void link_feed(const char *rel)
{
	char src[1024], *dst = tg_path_join(tmpdir, rel);
	char cwd[512];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(src, sizeof(src), "%s/data/feeds/%s", cwd, rel);
	assert_int_equal(symlink(src, dst), 0);
	free(dst);
}

static void count_notice(void *ctx, const struct tg_err *e)
{
	(void)ctx;
	if (e->code != TG_OK)
		notices++;
}

static const char pypi_names[] =
	"name\tlatest_version\tlatest_release_month\tpopularity_rank\n"
	"django-rest-framework\t0.1.0\t2017-07\t10957\n"
	"djangorestframework\t3.18.3\t2026-10\t850\n"
	"requests\t2.34.2\t2026-05\t6\n"
	"bad name with spaces\t1\t2020-01\t\n"
	"zope.interface\t7.0\t2024-08\t\n";
static const char npm_names[] =
	"name\tlatest_version\tdownloads_a_month\n"
	"jQuery\t1.7.4\t4231\n"
	"jquery\t4.0.0\t79303658\n"
	"left-pad\t1.3.0\t5532379\n";
static const char epss_csv[] =
	"#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\n"
	"cve,epss,percentile\n"
	"CVE-2020-11651,0.97431,0.99961\n"
	"CVE-2021-44228,0.94358,0.99950\n"
	"CVE-1999-0001,0.0046,0.7385\n"
	"not-a-cve,0.1,0.2\n";

static int setup(void **state)
{
	struct tg_db_update_opts o = { 0 };
	struct tg_err err;
	char *p;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tg-test-db-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	mkdirs("osv");
	mkdirs("kev");
	mkdirs("epss");
	mkdirs("pypi");
	mkdirs("npm");
	link_feed("osv/PyPI");
	link_feed("osv/npm");
	link_feed("kev/known_exploited_vulnerabilities.json");
	p = tg_path_join(tmpdir, "pypi/projects.tsv.gz");
	write_gz(p, pypi_names);
	free(p);
	p = tg_path_join(tmpdir, "npm/packages.tsv.gz");
	write_gz(p, npm_names);
	free(p);
	p = tg_path_join(tmpdir, "epss/epss_scores-current.csv.gz");
	write_gz(p, epss_csv);
	free(p);
	snprintf(dbpath, sizeof(dbpath), "%s/out/tollgate.db", tmpdir);
	o.db_path = dbpath;
	o.source = tmpdir;
	o.hooks.notice = count_notice;
	if (tg_db_update(&o, &upd, &err) != 0) {
		fprintf(stderr, "update failed: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct tg_db *open_db(void)
{
	struct tg_db *db = NULL;
	struct tg_err err;

	assert_int_equal(tg_db_open(dbpath, TG_DB_READONLY, &db, &err), 0);
	return db;
}

static void update_reports_counts(void **state)
{
	(void)state;
	assert_int_equal(upd.feeds[TG_FEED_OSV_PYPI].outcome, TG_OUTCOME_IMPORTED);
	assert_int_equal(upd.feeds[TG_FEED_OSV_PYPI].records, 2661);
	assert_int_equal(upd.feeds[TG_FEED_OSV_PYPI].withdrawn, 10);
	assert_int_equal(upd.feeds[TG_FEED_OSV_NPM].records, 461);
	assert_int_equal(upd.feeds[TG_FEED_KEV].records, 1404);
	assert_string_equal(upd.feeds[TG_FEED_KEV].version, "2025.08.25");
	assert_int_equal(upd.feeds[TG_FEED_EPSS].records, 3);
	assert_int_equal(upd.feeds[TG_FEED_EPSS].skipped, 1);
	assert_string_equal(upd.feeds[TG_FEED_EPSS].version, "v2025.03.14");
	assert_int_equal(upd.feeds[TG_FEED_NAMES_PYPI].records, 4);
	assert_int_equal(upd.feeds[TG_FEED_NAMES_PYPI].skipped, 1);
	assert_int_equal(upd.feeds[TG_FEED_NAMES_NPM].records, 3);
	/* the bad name and the bad EPSS row */
	assert_int_equal(notices, 2);
	/* computed independently from the zips: transitive closure of aliases */
	assert_int_equal(upd.alias_groups, 2523);
}

struct collect {
	char ids[16][64];
	int n;
	struct tg_db_affected copy; /* first hit, scalars only */
	char first_events[8][32];
	enum tg_db_event_kind kinds[8];
	size_t n_events_first_range;
	size_t n_ranges, n_versions;
	char first_version[32], last_version[32];
	char repo[128];
	char name[64];
};

static int collect_cb(const struct tg_db_affected *a, void *ctx)
{
	struct collect *c = ctx;
	size_t i;

	if (c->n < 16)
		tg_strlcpy(c->ids[c->n], a->advisory_id, sizeof(c->ids[0]));
	if (c->n == 0) {
		c->copy = *a;
		tg_strlcpy(c->name, a->name, sizeof(c->name));
		c->n_ranges = a->n_ranges;
		c->n_versions = a->n_versions;
		if (a->n_ranges) {
			c->n_events_first_range = a->ranges[0].n_events;
			for (i = 0; i < a->ranges[0].n_events && i < 8; i++) {
				tg_strlcpy(c->first_events[i], a->ranges[0].events[i].version, 32);
				c->kinds[i] = a->ranges[0].events[i].kind;
			}
		}
		for (i = 0; i < a->n_ranges; i++)
			if (a->ranges[i].repo)
				tg_strlcpy(c->repo, a->ranges[i].repo, sizeof(c->repo));
		if (a->n_versions) {
			tg_strlcpy(c->first_version, a->versions[0], 32);
			tg_strlcpy(c->last_version, a->versions[a->n_versions - 1], 32);
		}
	}
	c->n++;
	return 0;
}

struct order_check {
	char prev[64];
	int n;
	bool sorted, seen;
};

static int order_cb(const struct tg_db_affected *a, void *ctx)
{
	struct order_check *o = ctx;

	if (o->n && strcmp(o->prev, a->advisory_id) > 0)
		o->sorted = false;
	tg_strlcpy(o->prev, a->advisory_id, sizeof(o->prev));
	if (strcmp(a->advisory_id, "PYSEC-2021-1") == 0)
		o->seen = true;
	assert_string_equal(a->norm_name, "ansible");
	o->n++;
	return 0;
}

static void affected_by_pep503_name(void **state)
{
	struct tg_db *db = open_db();
	struct order_check o = { .sorted = true };
	struct tg_err err;

	(void)state;
	/* "Ansible" normalises to the advisories' "ansible" */
	assert_int_equal(tg_db_each_affected(db, TG_ECO_PYPI, "Ansible", order_cb, &o, &err), 0);
	assert_true(o.n > 10);
	assert_true(o.seen);
	assert_true(o.sorted);
	tg_db_close(db);
}

static int find_one(const struct tg_db_affected *a, void *ctx)
{
	struct collect *c = ctx;

	if (strcmp(a->advisory_id, (const char *)c->ids[15]) != 0)
		return 0;
	c->n = 0;
	return collect_cb(a, c) == 0 ? 0 : 1;
}

static void one_advisory_ranges_and_versions(void **state)
{
	struct tg_db *db = open_db();
	struct collect c;
	struct tg_err err;

	(void)state;
	memset(&c, 0, sizeof(c));
	tg_strlcpy(c.ids[15], "PYSEC-2021-1", sizeof(c.ids[15]));
	c.n = -1;
	assert_int_equal(tg_db_each_affected(db, TG_ECO_PYPI, "ansible", find_one, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.name, "ansible");
	assert_int_equal(c.n_ranges, 1);
	assert_int_equal(c.n_events_first_range, 2);
	assert_int_equal(c.kinds[0], TG_EVENT_INTRODUCED);
	assert_string_equal(c.first_events[0], "0");
	assert_int_equal(c.kinds[1], TG_EVENT_FIXED);
	assert_string_equal(c.first_events[1], "2.9.19");
	assert_int_equal(c.n_versions, 216);
	assert_string_equal(c.first_version, "1.0");
	assert_false(c.copy.withdrawn);
	assert_false(c.copy.malicious);

	/* A GIT range keeps its repo. */
	memset(&c, 0, sizeof(c));
	tg_strlcpy(c.ids[15], "PYSEC-2021-335", sizeof(c.ids[15]));
	c.n = -1;
	assert_int_equal(tg_db_each_affected(db, TG_ECO_PYPI, "AccessControl", find_one, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.repo, "https://github.com/zopefoundation/AccessControl");
	tg_db_close(db);
}

static void npm_names_are_case_sensitive(void **state)
{
	struct tg_db *db = open_db();
	struct collect c;
	struct tg_err err;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(tg_db_each_affected(db, TG_ECO_NPM, "jQuery", collect_cb, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "x_NSWG-ECO-496");
	memset(&c, 0, sizeof(c));
	assert_int_equal(tg_db_each_affected(db, TG_ECO_NPM, "jquery", collect_cb, &c, &err), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.ids[0], "x_NSWG-ECO-328");
	assert_string_equal(c.ids[1], "x_NSWG-ECO-329");
	assert_string_equal(c.ids[2], "x_NSWG-ECO-330");
	/* 328 has two intervals in one range, in file order */
	assert_int_equal(c.n_events_first_range, 4);
	assert_string_equal(c.first_events[0], "1.4.0");
	assert_int_equal(c.kinds[1], TG_EVENT_LAST_AFFECTED);
	assert_string_equal(c.first_events[1], "1.11.3");
	assert_int_equal(c.kinds[2], TG_EVENT_INTRODUCED);
	assert_string_equal(c.first_events[3], "2.2.4");
	memset(&c, 0, sizeof(c));
	assert_int_equal(tg_db_each_affected(db, TG_ECO_NPM, "no-such-package-xyz", collect_cb, &c, &err), 0);
	assert_int_equal(c.n, 0);
	tg_db_close(db);
}

/* introduced X then last_affected X: the tie keeps file order. */
static void exact_version_event_order(void **state)
{
	struct tg_db *db = open_db();
	struct collect c;
	struct tg_err err;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(tg_db_each_affected(db, TG_ECO_NPM, "waterline-sequel", collect_cb, &c, &err), 0);
	assert_true(c.n >= 1);
	memset(&c, 0, sizeof(c));
	tg_strlcpy(c.ids[15], "x_NSWG-ECO-115", sizeof(c.ids[15]));
	c.n = -1;
	assert_int_equal(tg_db_each_affected(db, TG_ECO_NPM, "waterline-sequel", find_one, &c, &err), 0);
	assert_int_equal(c.n_events_first_range, 2);
	assert_int_equal(c.kinds[0], TG_EVENT_INTRODUCED);
	assert_int_equal(c.kinds[1], TG_EVENT_LAST_AFFECTED);
	assert_string_equal(c.first_events[0], "0.5.0");
	assert_string_equal(c.first_events[1], "0.5.0");
	tg_db_close(db);
}

struct ranges2 {
	size_t n_ranges;
	enum tg_db_event_kind k[2][4];
	char v[2][4][16];
	size_t ne[2];
};

static int ranges_cb(const struct tg_db_affected *a, void *ctx)
{
	struct ranges2 *r = ctx;
	size_t i, j;

	r->n_ranges = a->n_ranges;
	for (i = 0; i < a->n_ranges && i < 2; i++) {
		r->ne[i] = a->ranges[i].n_events;
		for (j = 0; j < a->ranges[i].n_events && j < 4; j++) {
			r->k[i][j] = a->ranges[i].events[j].kind;
			tg_strlcpy(r->v[i][j], a->ranges[i].events[j].version, 16);
		}
	}
	return 0;
}

static void two_ranges_stay_apart(void **state)
{
	struct tg_db *db = open_db();
	struct ranges2 r;
	struct tg_err err;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_db_each_affected(db, TG_ECO_NPM, "passport-azure-ad", ranges_cb, &r, &err), 0);
	assert_int_equal(r.n_ranges, 2);
	assert_int_equal(r.ne[0], 2);
	assert_string_equal(r.v[0][1], "1.4.6");
	assert_int_equal(r.k[0][1], TG_EVENT_FIXED);
	assert_int_equal(r.ne[1], 2);
	assert_int_equal(r.k[1][0], TG_EVENT_INTRODUCED);
	assert_int_equal(r.k[1][1], TG_EVENT_LAST_AFFECTED);
	assert_string_equal(r.v[1][1], "2.0.0");
	tg_db_close(db);
}

static void advisory_details(void **state)
{
	struct tg_db *db = open_db();
	struct tg_db_advisory a;
	struct tg_err err;
	bool found;

	(void)state;
	assert_int_equal(tg_db_advisory_get(db, "PYSEC-2021-1", &a, &found, &err), 0);
	assert_true(found);
	assert_int_equal(a.n_aliases, 2);
	assert_string_equal(a.aliases[0], "CVE-2021-20228");
	assert_string_equal(a.aliases[1], "GHSA-5rrg-rr89-x9mv");
	assert_null(a.withdrawn);
	assert_null(a.summary);
	assert_non_null(a.details);
	assert_string_equal(a.feed, "osv-pypi");
	tg_db_advisory_release(&a);

	assert_int_equal(tg_db_advisory_get(db, "PYSEC-2022-43059", &a, &found, &err), 0);
	assert_true(found);
	assert_string_equal(a.withdrawn, "2023-11-08T00:54:24Z");
	assert_string_equal(a.published, "2022-06-23T17:15:00Z");
	assert_int_equal(a.n_references, 2);
	assert_string_equal(a.references[0].type, "EVIDENCE");
	tg_db_advisory_release(&a);

	assert_int_equal(tg_db_advisory_get(db, "x_NSWG-ECO-496", &a, &found, &err), 0);
	assert_true(found);
	assert_string_equal(a.summary, "Modification of Assumed-Immutable Data (MAID)");
	assert_int_equal(a.n_severity, 1);
	assert_string_equal(a.severity[0].type, "CVSS_V3");
	assert_string_equal(a.severity[0].score, "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L");
	assert_non_null(a.database_specific);
	assert_non_null(strstr(a.database_specific, "\"nswg_id\""));
	assert_null(a.db_severity);
	assert_false(a.malicious);
	tg_db_advisory_release(&a);

	assert_int_equal(tg_db_advisory_get(db, "GHSA-0000-0000-0000", &a, &found, &err), 0);
	assert_false(found);
	tg_db_advisory_release(&a);
	tg_db_close(db);
}

static void alias_groups_are_transitive(void **state)
{
	static const char *const want[] = {
		"CVE-2021-32807", "CVE-2021-32811", "GHSA-g4gq-j4p2-j8fr",
		"GHSA-qcx9-j53g-ccgf", "PYSEC-2021-335", "PYSEC-2021-368",
		"PYSEC-2021-370", "PYSEC-2021-875"
	};
	struct tg_db *db = open_db();
	struct tg_db_alias_group g, g2;
	struct tg_err err;
	bool found;
	size_t i;

	(void)state;
	assert_int_equal(tg_db_alias_group(db, "CVE-2021-32811", &g, &found, &err), 0);
	assert_true(found);
	assert_int_equal(g.n, 8);
	for (i = 0; i < 8; i++) {
		assert_string_equal(g.members[i].id, want[i]);
		assert_int_equal(g.members[i].is_advisory, strncmp(want[i], "PYSEC", 5) == 0);
	}
	/* any member finds the same group */
	assert_int_equal(tg_db_alias_group(db, "PYSEC-2021-335", &g2, &found, &err), 0);
	assert_int_equal(g2.group, g.group);
	tg_db_alias_group_release(&g2);
	tg_db_alias_group_release(&g);
	assert_int_equal(tg_db_alias_group(db, "CVE-1900-0001", &g, &found, &err), 0);
	assert_false(found);
	assert_int_equal(g.n, 0);
	tg_db_alias_group_release(&g);
	tg_db_close(db);
}

static void kev_and_epss(void **state)
{
	struct tg_db *db = open_db();
	struct tg_db_kev k;
	struct tg_db_epss e;
	struct tg_err err;
	bool found;

	(void)state;
	assert_int_equal(tg_db_kev_get(db, "CVE-2020-11651", &k, &found, &err), 0);
	assert_true(found);
	assert_string_equal(k.vendor_project, "SaltStack");
	assert_string_equal(k.product, "Salt");
	assert_string_equal(k.date_added, "2021-11-03");
	assert_string_equal(k.due_date, "2022-05-03");
	assert_string_equal(k.ransomware, "Unknown");
	assert_string_equal(k.required_action, "Apply updates per vendor instructions.");
	tg_db_kev_release(&k);
	assert_int_equal(tg_db_kev_get(db, "CVE-1999-0001", &k, &found, &err), 0);
	assert_false(found);
	tg_db_kev_release(&k);

	assert_int_equal(tg_db_epss_get(db, "CVE-2021-44228", &e, &found, &err), 0);
	assert_true(found);
	assert_true(e.epss > 0.94357 && e.epss < 0.94359);
	assert_true(e.percentile > 0.99949 && e.percentile < 0.99951);
	assert_string_equal(e.model_version, "v2025.03.14");
	assert_string_equal(e.score_date, "2025-08-25T00:00:00+0000");
	assert_int_equal(tg_db_epss_get(db, "CVE-2000-0001", &e, &found, &err), 0);
	assert_false(found);
	tg_db_close(db);
}

static int count_names(const struct tg_db_name_view *n, void *ctx)
{
	int *c = ctx;

	(void)n;
	(*c)++;
	return 0;
}

static void names_lookup_and_stream(void **state)
{
	struct tg_db *db = open_db();
	struct tg_db_name n;
	struct tg_err err;
	bool found;
	int count = 0;
	int64_t total;

	(void)state;
	assert_int_equal(tg_db_name_get(db, TG_ECO_PYPI, "Django_Rest.Framework", &n, &found, &err), 0);
	assert_true(found);
	assert_string_equal(n.name, "django-rest-framework");
	assert_string_equal(n.latest_version, "0.1.0");
	assert_string_equal(n.last_release, "2017-07");
	assert_int_equal(n.rank, 10957);
	assert_int_equal(n.downloads, -1);
	tg_db_name_release(&n);
	assert_int_equal(tg_db_name_get(db, TG_ECO_PYPI, "Zope_Interface", &n, &found, &err), 0);
	assert_true(found);
	assert_string_equal(n.name, "zope.interface");
	assert_int_equal(n.rank, -1);
	tg_db_name_release(&n);
	assert_int_equal(tg_db_name_get(db, TG_ECO_NPM, "jQuery", &n, &found, &err), 0);
	assert_true(found);
	assert_int_equal(n.downloads, 4231);
	tg_db_name_release(&n);
	assert_int_equal(tg_db_name_get(db, TG_ECO_NPM, "JQUERY", &n, &found, &err), 0);
	assert_false(found);
	tg_db_name_release(&n);
	assert_int_equal(tg_db_each_name(db, TG_ECO_PYPI, count_names, &count, &err), 0);
	assert_int_equal(count, 4);
	assert_int_equal(tg_db_name_count(db, TG_ECO_NPM, &total, &err), 0);
	assert_int_equal(total, 3);
	tg_db_close(db);
}

static void feeds_and_requirements(void **state)
{
	struct tg_db *db = open_db();
	struct tg_db_feed_list l;
	struct tg_db_stats s;
	struct tg_err err;

	(void)state;
	assert_int_equal(tg_db_feeds(db, &l, &err), 0);
	assert_int_equal(l.n, 6);
	assert_string_equal(l.items[0].name, "epss");
	assert_string_equal(l.items[1].name, "kev");
	assert_int_equal(l.items[1].records, 1404);
	assert_string_equal(l.items[1].feed_date, "2025-08-25T17:04:19.9796Z");
	tg_db_feed_list_release(&l);
	assert_int_equal(tg_db_require_feed(db, "kev", &err), 0);
	assert_int_equal(tg_db_require_feed(db, "osv", &err), 0);
	assert_int_equal(tg_db_require_feed(db, "names", &err), 0);
	assert_int_equal(tg_db_require_feed(db, "nonsense", &err), TG_EUSAGE);
	assert_int_equal(tg_db_stats(db, &s, &err), 0);
	assert_int_equal(s.advisories, 3122);
	assert_int_equal(s.advisories_pypi, 2661);
	assert_int_equal(s.withdrawn, 10);
	assert_int_equal(s.kev, 1404);
	tg_db_close(db);
}

/* --only kev into a fresh file: the other feeds are missing and the
 * requirement message names the command that fills them. */
static void only_kev_then_require(void **state)
{
	struct tg_db_update_opts o = { 0 };
	struct tg_db_update_result r;
	struct tg_db *db = NULL;
	struct tg_err err;
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/only/kev.db", tmpdir);
	o.db_path = path;
	o.source = tmpdir;
	o.groups = TG_FEEDS_KEV;
	assert_int_equal(tg_db_update(&o, &r, &err), 0);
	assert_int_equal(tg_db_open(path, TG_DB_READONLY, &db, &err), 0);
	assert_int_equal(tg_db_require_feed(db, "kev", &err), 0);
	assert_int_equal(tg_db_require_feed(db, "osv", &err), TG_EDB);
	assert_non_null(strstr(err.msg, "run 'tollgate db update --only osv'"));
	assert_int_equal(tg_db_require_feed(db, "epss", &err), TG_EDB);
	assert_non_null(strstr(err.msg, "no EPSS data in "));
	assert_non_null(strstr(err.msg, "'tollgate db update --only epss'"));
	tg_db_close(db);
}

static void open_errors_are_clear(void **state)
{
	struct tg_db *db = NULL;
	struct tg_err err;
	char path[600], cmd[1400];
	sqlite3 *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/none.db", tmpdir);
	assert_int_equal(tg_db_open(path, TG_DB_READONLY, &db, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "no database at "));
	assert_non_null(strstr(err.msg, "run 'tollgate db update'"));

	snprintf(path, sizeof(path), "%s/garbage.db", tmpdir);
	assert_int_equal(tg_write_file_atomic(path, "this is not sqlite, not at all, no.....", 40, &err), 0);
	assert_int_equal(tg_db_open(path, TG_DB_READONLY, &db, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "not a tollgate database"));

	/* A copy with another schema version. */
	snprintf(path, sizeof(path), "%s/newer.db", tmpdir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", dbpath, path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(tg_db_open(path, TG_DB_READONLY, &db, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "from a newer tollgate"));
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version=0", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(tg_db_open(path, TG_DB_READONLY, &db, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "from an older tollgate"));
	assert_non_null(strstr(err.msg, "run 'tollgate db update'"));
	/* Some other program's SQLite file. */
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA application_id=7; PRAGMA user_version=1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(tg_db_open(path, TG_DB_READONLY, &db, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "not a tollgate database"));
}

static void default_path_resolution(void **state)
{
	struct tg_err err;
	char *p;

	(void)state;
	p = tg_db_resolve_path("/x/explicit.db", &err);
	assert_string_equal(p, "/x/explicit.db");
	free(p);
	setenv("TOLLGATE_DB", "/x/env.db", 1);
	p = tg_db_resolve_path(NULL, &err);
	assert_string_equal(p, "/x/env.db");
	free(p);
	unsetenv("TOLLGATE_DB");
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	p = tg_db_resolve_path(NULL, &err);
	assert_string_equal(p, "/x/cache/tollgate/tollgate.db");
	free(p);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/x/home", 1);
	p = tg_db_resolve_path("", &err);
	assert_string_equal(p, "/x/home/.cache/tollgate/tollgate.db");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(update_reports_counts),
		cmocka_unit_test(affected_by_pep503_name),
		cmocka_unit_test(one_advisory_ranges_and_versions),
		cmocka_unit_test(npm_names_are_case_sensitive),
		cmocka_unit_test(exact_version_event_order),
		cmocka_unit_test(two_ranges_stay_apart),
		cmocka_unit_test(advisory_details),
		cmocka_unit_test(alias_groups_are_transitive),
		cmocka_unit_test(kev_and_epss),
		cmocka_unit_test(names_lookup_and_stream),
		cmocka_unit_test(feeds_and_requirements),
		cmocka_unit_test(only_kev_then_require),
		cmocka_unit_test(open_errors_are_clear),
		cmocka_unit_test(default_path_resolution),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* Matching: OSV range evaluation, versions lists, withdrawn records,
 * unknown versions, alias merging, preferred ids, fix suggestions,
 * enrichment and priority. Advisories are small hand-made fixtures in
 * memory; versions use a tiny dotted-number scheme defined here so that
 * these tests do not depend on the PEP 440 or SemVer modules (tested with
 * the real schemes in test_match_schemes.c). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* db_feeds.h first: the matcher's names must not clash with the OSV
 * importer's, since callers (the proxy) use both. */
#include "tollgate/db_feeds.h"
#include "tollgate/finding.h"
#include "tollgate/json.h"
#include "tollgate/match.h"
#include "tollgate/str.h"

/* ---- "dotted" scheme: N(.N)*[-pre]; trailing .0 insignificant ---- */

struct dv {
	long part[8];
	int n;
	bool pre;
};

static void *dv_parse(const char *s, bool *oom)
{
	struct dv *v;
	const char *p = s;

	(void)oom;
	v = calloc(1, sizeof(*v));
	if (!v) {
		*oom = true;
		return NULL;
	}
	for (;;) {
		char *end;
		if (!isdigit((unsigned char)*p) || v->n == 8)
			goto bad;
		v->part[v->n++] = strtol(p, &end, 10);
		p = end;
		if (*p == '.') {
			p++;
			continue;
		}
		break;
	}
	if (strcmp(p, "-pre") == 0)
		v->pre = true;
	else if (*p)
		goto bad;
	return v;
bad:
	free(v);
	return NULL;
}

static int dv_cmp(const void *pa, const void *pb)
{
	const struct dv *a = pa, *b = pb;
	int i;

	for (i = 0; i < 8; i++) {
		long x = i < a->n ? a->part[i] : 0, y = i < b->n ? b->part[i] : 0;
		if (x != y)
			return x < y ? -1 : 1;
	}
	if (a->pre != b->pre)
		return a->pre ? -1 : 1;
	return 0;
}

static char *dv_canon(const void *pv)
{
	const struct dv *v = pv;
	char buf[256];
	size_t len = 0;
	int i, n = v->n;

	while (n > 1 && v->part[n - 1] == 0)
		n--;
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%ld",
					i ? "." : "", v->part[i]);
	if (v->pre)
		snprintf(buf + len, sizeof(buf) - len, "-pre");
	return tg_strdup(buf);
}

static bool dv_pre(const void *pv)
{
	return ((const struct dv *)pv)->pre;
}

static void dv_release(void *v)
{
	free(v);
}

static const struct tg_vscheme dotted = {
	"dotted", dv_parse, dv_cmp, dv_release, dv_canon, dv_pre, NULL
};

static const struct tg_vscheme *test_schemes(enum tg_ecosystem eco,
					     enum tg_osv_range_type t)
{
	if (eco != TG_ECO_PYPI && eco != TG_ECO_NPM)
		return NULL;
	return t == TG_OSV_RANGE_GIT || t == TG_OSV_RANGE_OTHER ? NULL : &dotted;
}

/* ---- building advisories ---- */

/* Split s on spaces into at most max words, in place. */
static size_t words(char *s, char **out, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		out[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	return n;
}

/* events: "i:1.0 f:1.5 l:2.0 x:3.0" (introduced, fixed, last_affected,
 * limit); versions: "1.0 1.1". Either may be NULL. */
static struct tg_advisory *adv(struct tg_advisory_list *l, const char *id,
			       const char *aliases, const char *events,
			       const char *versions)
{
	struct tg_err err;
	struct tg_advisory *a = tg_advisory_list_push(l, &err);
	struct tg_adv_affected *af;
	char buf[512], *w[32];
	size_t n, i;

	assert_non_null(a);
	a->id = tg_strdup(id);
	if (aliases) {
		tg_strlcpy(buf, aliases, sizeof(buf));
		n = words(buf, w, 32);
		for (i = 0; i < n; i++)
			assert_int_equal(tg_advisory_add_alias(a, w[i], &err), 0);
	}
	af = tg_advisory_add_affected(a, &err);
	assert_non_null(af);
	if (events) {
		struct tg_adv_range *r = tg_adv_affected_add_range(af, TG_OSV_RANGE_ECOSYSTEM, &err);

		assert_non_null(r);
		tg_strlcpy(buf, events, sizeof(buf));
		n = words(buf, w, 32);
		for (i = 0; i < n; i++) {
			enum tg_osv_event_kind k = w[i][0] == 'i' ? TG_OSV_INTRODUCED
						   : w[i][0] == 'f' ? TG_OSV_FIXED
						   : w[i][0] == 'l' ? TG_OSV_LAST_AFFECTED
						   : TG_OSV_LIMIT;
			assert_int_equal(tg_adv_range_add_event(r, k, w[i] + 2, &err), 0);
		}
	}
	if (versions) {
		tg_strlcpy(buf, versions, sizeof(buf));
		n = words(buf, w, 32);
		for (i = 0; i < n; i++)
			assert_int_equal(tg_adv_affected_add_version(af, w[i], &err), 0);
	}
	return a;
}

static enum tg_affect affects(const struct tg_advisory *a, const char *v)
{
	enum tg_affect out;
	struct tg_err err;

	assert_int_equal(tg_advisory_affects(a, TG_ECO_PYPI, v, test_schemes, &out, &err), 0);
	return out;
}

#define YES TG_AFFECT_YES
#define NO TG_AFFECT_NO
#define UNKNOWN TG_AFFECT_UNKNOWN

static void introduced_fixed_bounds(void **state)
{
	struct tg_advisory_list l;
	struct tg_advisory *a;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "T-1", NULL, "i:1.0 f:1.5", NULL);
	assert_int_equal(affects(a, "0.9"), NO);
	assert_int_equal(affects(a, "1.0"), YES);
	assert_int_equal(affects(a, "1.0.0"), YES);
	assert_int_equal(affects(a, "1.4.99"), YES);
	assert_int_equal(affects(a, "1.5-pre"), YES); /* before 1.5 */
	assert_int_equal(affects(a, "1.5"), NO);
	assert_int_equal(affects(a, "2"), NO);
	tg_advisory_list_release(&l);
}

static void introduced_zero_is_before_everything(void **state)
{
	struct tg_advisory_list l;
	struct tg_advisory *a;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "T-1", NULL, "i:0 f:2.0", NULL);
	assert_int_equal(affects(a, "0"), YES);
	assert_int_equal(affects(a, "0-pre"), YES); /* "0" is not version 0 */
	assert_int_equal(affects(a, "1.9"), YES);
	assert_int_equal(affects(a, "2.0"), NO);
	tg_advisory_list_release(&l);
}

/* Events out of order, as in PYSEC-2024-36: three intervals. */
static void unsorted_events_are_sorted(void **state)
{
	struct tg_advisory_list l;
	struct tg_advisory *a;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "T-1", NULL,
		"i:2.16.0 f:2.16.3 i:2.15.0 f:2.15.9 i:0 f:2.14.4", NULL);
	assert_int_equal(affects(a, "1.0"), YES);
	assert_int_equal(affects(a, "2.14.3"), YES);
	assert_int_equal(affects(a, "2.14.4"), NO);
	assert_int_equal(affects(a, "2.14.9"), NO);
	assert_int_equal(affects(a, "2.15.0"), YES);
	assert_int_equal(affects(a, "2.15.8"), YES);
	assert_int_equal(affects(a, "2.15.9"), NO);
	assert_int_equal(affects(a, "2.16.2"), YES);
	assert_int_equal(affects(a, "2.16.3"), NO);
	assert_int_equal(affects(a, "3"), NO);
	tg_advisory_list_release(&l);
}

/* introduced X then last_affected X (an exact version) must affect only
 * X, whichever order the record lists them in. */
static void introduced_before_last_affected_on_tie(void **state)
{
	struct tg_advisory_list l;
	struct tg_advisory *a, *b;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "T-1", NULL, "i:3.7.2 l:3.7.2", NULL);
	b = adv(&l, "T-2", NULL, "l:3.7.2 i:3.7.2", NULL);
	assert_int_equal(affects(a, "3.7.1"), NO);
	assert_int_equal(affects(a, "3.7.2"), YES);
	assert_int_equal(affects(a, "3.7.3"), NO);
	assert_int_equal(affects(b, "3.7.1"), NO);
	assert_int_equal(affects(b, "3.7.2"), YES);
	assert_int_equal(affects(b, "3.7.3"), NO);
	assert_int_equal(affects(b, "4"), NO);
	tg_advisory_list_release(&l);
}

static void last_affected_and_limit(void **state)
{
	struct tg_advisory_list l;
	struct tg_advisory *a, *b, *c;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "T-1", NULL, "i:0 l:2.0", NULL);
	b = adv(&l, "T-2", NULL, "i:1.0 x:1.8", NULL);
	c = adv(&l, "T-3", NULL, "i:1.0 x:*", NULL);
	assert_int_equal(affects(a, "2.0"), YES);
	assert_int_equal(affects(a, "2.0.1"), NO);
	assert_int_equal(affects(b, "0.9"), NO);
	assert_int_equal(affects(b, "1.7"), YES);
	assert_int_equal(affects(b, "1.8"), NO);
	assert_int_equal(affects(c, "99"), YES);
	tg_advisory_list_release(&l);
}

static void versions_list_after_normalisation(void **state)
{
	struct tg_advisory_list l;
	struct tg_advisory *a, *b;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "T-1", NULL, NULL, "1.3 2.0.0 0.7.10p1");
	b = adv(&l, "T-2", NULL, "i:5 f:6", "1.3");
	assert_int_equal(affects(a, "1.3"), YES);
	assert_int_equal(affects(a, "1.3.0"), YES);   /* canonical 1.3 */
	assert_int_equal(affects(a, "2"), YES);
	assert_int_equal(affects(a, "1.4"), NO);
	assert_int_equal(affects(a, "0.7.10p1"), YES); /* unparsable: exact text */
	assert_int_equal(affects(a, "0.7.10P1"), NO);
	assert_int_equal(affects(b, "1.3"), YES);     /* list OR ranges */
	assert_int_equal(affects(b, "5.5"), YES);
	assert_int_equal(affects(b, "4"), NO);
	tg_advisory_list_release(&l);
}

static void withdrawn_and_git_ranges_never_match(void **state)
{
	struct tg_advisory_list l;
	struct tg_advisory *a, *b;
	struct tg_adv_range *r;
	struct tg_err err;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "T-1", NULL, "i:0", NULL);
	a->withdrawn = true;
	b = adv(&l, "T-2", NULL, NULL, NULL);
	r = tg_adv_affected_add_range(&b->affected[0], TG_OSV_RANGE_GIT, &err);
	assert_int_equal(tg_adv_range_add_event(r, TG_OSV_INTRODUCED, "0", &err), 0);
	assert_int_equal(affects(a, "1.0"), NO);
	assert_int_equal(affects(b, "1.0"), NO);
	tg_advisory_list_release(&l);
}

static void unparsable_versions_are_unknown(void **state)
{
	struct tg_advisory_list l;
	struct tg_advisory *a, *b;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "T-1", NULL, "i:1.0 f:1.5", NULL);
	b = adv(&l, "T-2", NULL, "i:0 f:0.2.0-n653", NULL);
	assert_int_equal(affects(a, "banana"), UNKNOWN);
	assert_int_equal(affects(b, "0.1"), UNKNOWN);
	tg_advisory_list_release(&l);
}

/* ---- package-level matching through a fixture source ---- */

struct fixture {
	struct tg_advisory_list *advs; /* all for package "pkg" */
	const char *latest;
	const char *kev_cve;
	bool kev_ransom;
	const char *epss_cve;
	double epss;
	int calls;
};

/* Copy every advisory of the fixture (the matcher owns what it gets). */
static int fx_advisories(void *ctx, enum tg_ecosystem eco, const char *name,
			 struct tg_advisory_list *out, struct tg_err *err)
{
	struct fixture *fx = ctx;
	size_t i, j, k, m;

	(void)eco;
	fx->calls++;
	if (strcmp(name, "pkg") != 0)
		return 0;
	for (i = 0; i < fx->advs->n; i++) {
		const struct tg_advisory *s = &fx->advs->items[i];
		struct tg_advisory *d = tg_advisory_list_push(out, err);

		d->id = tg_strdup(s->id);
		d->withdrawn = s->withdrawn;
		d->summary = s->summary ? tg_strdup(s->summary) : NULL;
		d->cvss_v3 = s->cvss_v3 ? tg_strdup(s->cvss_v3) : NULL;
		d->db_severity = s->db_severity ? tg_strdup(s->db_severity) : NULL;
		for (j = 0; j < s->n_aliases; j++)
			tg_advisory_add_alias(d, s->aliases[j], err);
		for (j = 0; j < s->n_affected; j++) {
			struct tg_adv_affected *af = tg_advisory_add_affected(d, err);
			for (k = 0; k < s->affected[j].n_ranges; k++) {
				const struct tg_adv_range *sr = &s->affected[j].ranges[k];
				struct tg_adv_range *r = tg_adv_affected_add_range(af, sr->type, err);
				for (m = 0; m < sr->n_events; m++)
					tg_adv_range_add_event(r, sr->events[m].kind,
							       sr->events[m].version, err);
			}
			for (k = 0; k < s->affected[j].n_versions; k++)
				tg_adv_affected_add_version(af, s->affected[j].versions[k], err);
		}
	}
	return 0;
}

static int fx_latest(void *ctx, enum tg_ecosystem eco, const char *name,
		     char **out, struct tg_err *err)
{
	struct fixture *fx = ctx;

	(void)eco;
	(void)name;
	(void)err;
	*out = fx->latest ? tg_strdup(fx->latest) : NULL;
	return 0;
}

static int fx_kev(void *ctx, const char *cve, struct tg_kev_info *out,
		  bool *found, struct tg_err *err)
{
	struct fixture *fx = ctx;

	(void)err;
	*found = fx->kev_cve && strcmp(cve, fx->kev_cve) == 0;
	if (*found) {
		out->ransomware = fx->kev_ransom;
		tg_strlcpy(out->due, "2024-01-31", sizeof(out->due));
	}
	return 0;
}

static int fx_epss(void *ctx, const char *cve, double *p, double *pct,
		   bool *found, struct tg_err *err)
{
	struct fixture *fx = ctx;

	(void)err;
	*found = fx->epss_cve && strcmp(cve, fx->epss_cve) == 0;
	if (*found) {
		*p = fx->epss;
		*pct = 0.9;
	}
	return 0;
}

static void report_with(struct tg_report *r, const char *name, const char *version)
{
	struct tg_inventory inv;
	struct tg_package p;
	struct tg_err err;

	tg_report_init(r);
	tg_inventory_init(&inv);
	memset(&p, 0, sizeof(p));
	p.eco = TG_ECO_PYPI;
	p.name = (char *)name;
	p.version = (char *)version;
	p.origin_path = (char *)"requirements.txt";
	p.origin_line = 7;
	if (!version)
		p.specifier = (char *)">=1.0";
	assert_non_null(tg_inventory_add(&inv, &p, &err));
	assert_int_equal(tg_report_take_inventory(r, &inv, &err), 0);
}

static void run_match(struct fixture *fx, struct tg_report *r,
		      enum tg_prefer_id prefer)
{
	struct tg_vuln_source src = { .ctx = fx, .advisories = fx_advisories,
				      .latest_version = fx_latest, .kev = fx_kev,
				      .epss = fx_epss };
	struct tg_match_opts opts = { .prefer = prefer, .scheme_for = test_schemes };
	struct tg_err err;

	tg_err_clear(&err);
	assert_int_equal(tg_match_report(&src, &opts, r, &err), 0);
}

static bool has_str(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void aliases_merge_transitively(void **state)
{
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l };
	struct tg_report r;
	const struct tg_finding *f;

	(void)state;
	tg_advisory_list_init(&l);
	adv(&l, "PYSEC-2021-9", "CVE-2021-100 GHSA-aaaa-bbbb-cccc", "i:0 f:2.0", NULL);
	adv(&l, "GHSA-aaaa-bbbb-cccc", "CVE-2021-100", "i:1.0 f:2.0", NULL);
	/* A chain: X -> Y -> Z share identifiers pairwise only. */
	adv(&l, "PYSEC-2022-1", "CVE-2022-5 OSV-LINK-1", "i:0 f:3.0", NULL);
	adv(&l, "GHSA-xxxx-yyyy-zzzz", "OSV-LINK-1 OSV-LINK-2", "i:0 f:3.0", NULL);
	adv(&l, "OSV-LINK-2", NULL, "i:0 f:3.0", NULL);
	/* Does not affect 1.5: no finding. */
	adv(&l, "PYSEC-2020-1", "CVE-2020-1", "i:0 f:1.0", NULL);
	report_with(&r, "pkg", "1.5");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_int_equal(r.n_findings, 2);
	f = &r.findings[0];
	for (size_t i = 0; i < r.n_findings; i++) {
		f = &r.findings[i];
		assert_int_equal(f->kind, TG_FIND_VULNERABILITY);
		if (strcmp(f->id, "CVE-2021-100") == 0) {
			assert_int_equal(f->n_advisories, 2);
			assert_true(has_str(f->advisories, f->n_advisories, "PYSEC-2021-9"));
			assert_true(has_str(f->advisories, f->n_advisories, "GHSA-aaaa-bbbb-cccc"));
			assert_int_equal(f->n_aliases, 2);
			assert_true(has_str(f->aliases, f->n_aliases, "PYSEC-2021-9"));
			assert_false(has_str(f->aliases, f->n_aliases, "CVE-2021-100"));
			/* 2.0 fixes it but still has CVE-2022-5: 3.0 has neither. */
			assert_string_equal(f->fixed_version, "3.0");
		} else {
			assert_string_equal(f->id, "CVE-2022-5");
			assert_int_equal(f->n_advisories, 3);
			assert_true(has_str(f->aliases, f->n_aliases, "OSV-LINK-2"));
			assert_true(has_str(f->aliases, f->n_aliases, "GHSA-xxxx-yyyy-zzzz"));
			assert_string_equal(f->fixed_version, "3.0");
		}
		assert_string_equal(f->package, "pkg");
		assert_string_equal(f->version, "1.5");
		assert_string_equal(f->origin_path, "requirements.txt");
		assert_int_equal(f->origin_line, 7);
	}
	tg_report_release(&r);
	tg_advisory_list_release(&l);
}

static void preferred_id_is_configurable(void **state)
{
	static const struct {
		enum tg_prefer_id p;
		const char *want;
	} cases[] = {
		{ TG_PREFER_CVE, "CVE-2021-100" },
		{ TG_PREFER_GHSA, "GHSA-aaaa-bbbb-cccc" },
		{ TG_PREFER_PYSEC, "PYSEC-2021-9" },
		{ TG_PREFER_OSV, "GHSA-aaaa-bbbb-cccc" }, /* smallest record id */
	};
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l };
	size_t i;

	(void)state;
	tg_advisory_list_init(&l);
	adv(&l, "PYSEC-2021-9", "CVE-2021-100 GHSA-aaaa-bbbb-cccc", "i:0 f:2.0", NULL);
	adv(&l, "GHSA-aaaa-bbbb-cccc", "CVE-2021-100", "i:0 f:2.0", NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tg_report r;

		report_with(&r, "pkg", "1.0");
		run_match(&fx, &r, cases[i].p);
		assert_int_equal(r.n_findings, 1);
		assert_string_equal(r.findings[0].id, cases[i].want);
		assert_int_equal(r.findings[0].n_aliases, 2);
		tg_report_release(&r);
	}
	{
		enum tg_prefer_id p;
		assert_true(tg_prefer_id_parse("GHSA", &p));
		assert_int_equal(p, TG_PREFER_GHSA);
		assert_false(tg_prefer_id_parse("nvd", &p));
	}
	tg_advisory_list_release(&l);
}

static void cve_ids_order_numerically(void **state)
{
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l };
	struct tg_report r;

	(void)state;
	tg_advisory_list_init(&l);
	adv(&l, "PYSEC-1", "CVE-2021-1000 CVE-2021-999", "i:0", NULL);
	report_with(&r, "pkg", "1.0");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_string_equal(r.findings[0].id, "CVE-2021-999");
	assert_null(r.findings[0].fixed_version); /* no fix exists */
	tg_report_release(&r);
	tg_advisory_list_release(&l);
}

/* The first fix of A (1.5) is where B starts: suggest B's fix (1.7). */
static void fix_avoids_other_known_holes(void **state)
{
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l, .latest = "3.0" };
	struct tg_report r;

	(void)state;
	tg_advisory_list_init(&l);
	adv(&l, "A-1", "CVE-2000-1", "i:0 f:1.5", NULL);
	adv(&l, "B-1", "CVE-2000-2", "i:1.5 f:1.7", NULL);
	report_with(&r, "pkg", "1.0");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_int_equal(r.n_findings, 1);
	assert_string_equal(r.findings[0].id, "CVE-2000-1");
	assert_string_equal(r.findings[0].fixed_version, "1.7");
	tg_report_release(&r);
	tg_advisory_list_release(&l);
}

/* An unfixed advisory that already affects the installed version does
 * not block a suggestion: the fallback adds no new hole. */
static void fix_falls_back_when_every_version_has_a_known_hole(void **state)
{
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l, .latest = "3.0" };
	struct tg_report r;
	size_t i;

	(void)state;
	tg_advisory_list_init(&l);
	adv(&l, "A-1", "CVE-2000-1", "i:0 f:1.5", NULL);
	adv(&l, "C-1", "CVE-2000-3", "i:0", NULL);
	report_with(&r, "pkg", "1.0");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_int_equal(r.n_findings, 2);
	for (i = 0; i < 2; i++) {
		if (strcmp(r.findings[i].id, "CVE-2000-1") == 0)
			assert_string_equal(r.findings[i].fixed_version, "1.5");
		else
			assert_null(r.findings[i].fixed_version);
	}
	tg_report_release(&r);
	tg_advisory_list_release(&l);
}

/* Latest release caps candidates; last_affected yields "latest". */
static void fix_candidates_respect_latest(void **state)
{
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l, .latest = "2.4" };
	struct tg_report r;
	size_t i;

	(void)state;
	tg_advisory_list_init(&l);
	adv(&l, "A-1", "CVE-2000-1", "i:0 f:2.5", NULL);
	adv(&l, "B-1", "CVE-2000-2", "i:0 l:1.9", NULL);
	report_with(&r, "pkg", "1.0");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_int_equal(r.n_findings, 2);
	for (i = 0; i < 2; i++) {
		const struct tg_finding *f = &r.findings[i];
		if (strcmp(f->id, "CVE-2000-1") == 0)
			assert_null(f->fixed_version); /* 2.5 is above latest 2.4 */
		else
			assert_string_equal(f->fixed_version, "2.4");
	}
	tg_report_release(&r);
	/* Without a known latest release, 2.5 is offered. */
	fx.latest = NULL;
	report_with(&r, "pkg", "1.0");
	run_match(&fx, &r, TG_PREFER_CVE);
	for (i = 0; i < 2; i++)
		if (strcmp(r.findings[i].id, "CVE-2000-1") == 0)
			assert_string_equal(r.findings[i].fixed_version, "2.5");
	tg_report_release(&r);
	tg_advisory_list_release(&l);
}

/* Pre-release fixes are offered only to pre-release users. */
static void fix_prerelease_only_for_prerelease_users(void **state)
{
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l, .latest = "3.0" };
	struct tg_report r;

	(void)state;
	tg_advisory_list_init(&l);
	adv(&l, "C-1", "CVE-2000-3", "i:0 f:2.1-pre", NULL);
	report_with(&r, "pkg", "2.0");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_int_equal(r.n_findings, 1);
	assert_string_equal(r.findings[0].fixed_version, "3.0");
	tg_report_release(&r);
	report_with(&r, "pkg", "2.0-pre");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_int_equal(r.n_findings, 1);
	assert_string_equal(r.findings[0].fixed_version, "2.1-pre");
	tg_report_release(&r);
	tg_advisory_list_release(&l);
}

static void kev_epss_cvss_and_priority_order(void **state)
{
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l, .kev_cve = "CVE-2000-2",
			      .epss_cve = "CVE-2000-3", .epss = 0.42 };
	struct tg_report r;
	struct tg_advisory *a;

	(void)state;
	tg_advisory_list_init(&l);
	a = adv(&l, "A-1", "CVE-2000-1", "i:0", NULL);
	a->cvss_v3 = tg_strdup("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	a = adv(&l, "B-1", "CVE-2000-2", "i:0", NULL);
	a->db_severity = tg_strdup("LOW");
	a = adv(&l, "C-1", "CVE-2000-3", "i:0", NULL);
	a->db_severity = tg_strdup("MODERATE");
	adv(&l, "MAL-2024-1", NULL, "i:0", NULL);
	report_with(&r, "pkg", "1.0");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_int_equal(r.n_findings, 4);
	/* Malware, then KEV, then EPSS, then CVSS 9.8 without EPSS. */
	assert_string_equal(r.findings[0].id, "MAL-2024-1");
	assert_int_equal(r.findings[0].kind, TG_FIND_MALICIOUS);
	assert_string_equal(r.findings[1].id, "CVE-2000-2");
	assert_true(r.findings[1].kev);
	assert_false(r.findings[1].kev_ransomware);
	assert_string_equal(r.findings[1].kev_due, "2024-01-31");
	assert_int_equal(r.findings[1].severity, TG_SEV_LOW);
	assert_string_equal(r.findings[2].id, "CVE-2000-3");
	assert_true(r.findings[2].epss > 0.41 && r.findings[2].epss < 0.43);
	assert_int_equal(r.findings[2].severity, TG_SEV_MEDIUM);
	assert_string_equal(r.findings[3].id, "CVE-2000-1");
	assert_true(r.findings[3].cvss > 9.79 && r.findings[3].cvss < 9.81);
	assert_int_equal(r.findings[3].severity, TG_SEV_CRITICAL);
	assert_true(r.findings[0].priority > r.findings[1].priority);
	assert_true(r.findings[1].priority > r.findings[2].priority);
	assert_true(r.findings[2].priority > r.findings[3].priority);
	tg_report_release(&r);
	fx.kev_ransom = true;
	report_with(&r, "pkg", "1.0");
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_true(r.findings[1].kev_ransomware);
	tg_report_release(&r);
	tg_advisory_list_release(&l);
}

static void unpinned_and_unknown_are_reported(void **state)
{
	struct tg_advisory_list l;
	struct fixture fx = { .advs = &l };
	struct tg_report r;

	(void)state;
	tg_advisory_list_init(&l);
	adv(&l, "A-1", NULL, "i:0 f:2.0", NULL);
	adv(&l, "B-1", NULL, NULL, "weird-1");
	report_with(&r, "pkg", NULL);
	run_match(&fx, &r, TG_PREFER_CVE);
	assert_int_equal(r.n_findings, 1);
	assert_int_equal(r.findings[0].kind, TG_FIND_UNPINNED);
	assert_null(r.findings[0].version);
	assert_non_null(strstr(r.findings[0].summary, "not checked: no exact version"));
	assert_int_equal(fx.calls, 0); /* nothing to look up */
	tg_report_release(&r);

	report_with(&r, "pkg", "weird-1");
	run_match(&fx, &r, TG_PREFER_CVE);
	/* B matches by exact text; A cannot be evaluated. */
	assert_int_equal(r.n_findings, 2);
	assert_string_equal(r.findings[0].id, "B-1");
	assert_int_equal(r.findings[1].kind, TG_FIND_UNKNOWN_VERSION);
	assert_int_equal(r.findings[1].n_advisories, 1);
	assert_string_equal(r.findings[1].advisories[0], "A-1");
	assert_non_null(strstr(r.findings[1].summary, "not a valid dotted version"));
	tg_report_release(&r);
	tg_advisory_list_release(&l);
}

static void osv_json_record_is_loaded(void **state)
{
	static const char rec[] =
		"{\"id\":\"PYSEC-2099-1\",\"modified\":\"2024-01-01T00:00:00Z\","
		"\"aliases\":[\"CVE-2099-1\",\"GHSA-1111-2222-3333\"],"
		"\"summary\":\"Bad thing\",\"details\":\"Long text\","
		"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\"}],"
		"\"database_specific\":{\"severity\":\"HIGH\"},"
		"\"affected\":["
		"{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Other\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]},"
		"{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"My_Pkg\"},"
		"\"ranges\":[{\"type\":\"GIT\",\"repo\":\"https://x\",\"events\":[{\"introduced\":\"abc\"}]},"
		"{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},{\"fixed\":\"1.2\"}]}],"
		"\"versions\":[\"1.0\",\"1.1\"]}]}";
	struct tg_err err;
	json_t *j = tg_json_load(rec, strlen(rec), "rec.json", &err);
	struct tg_advisory a;
	bool relevant;

	(void)state;
	assert_non_null(j);
	assert_int_equal(tg_advisory_from_osv_json(j, TG_ECO_PYPI, "my-pkg", &a,
						   &relevant, "rec.json", &err), 0);
	assert_true(relevant);
	assert_string_equal(a.id, "PYSEC-2099-1");
	assert_int_equal(a.n_aliases, 2);
	assert_int_equal(a.n_affected, 1);
	assert_int_equal(a.affected[0].n_ranges, 2);
	assert_int_equal(a.affected[0].ranges[0].type, TG_OSV_RANGE_GIT);
	assert_int_equal(a.affected[0].ranges[1].n_events, 2);
	assert_int_equal(a.affected[0].n_versions, 2);
	assert_non_null(a.cvss_v3);
	assert_string_equal(a.db_severity, "HIGH");
	assert_false(a.withdrawn);
	assert_int_equal(affects(&a, "1.1"), YES);
	assert_int_equal(affects(&a, "1.2"), NO);
	tg_advisory_release(&a);
	assert_int_equal(tg_advisory_from_osv_json(j, TG_ECO_PYPI, "absent", &a,
						   &relevant, "rec.json", &err), 0);
	assert_false(relevant);
	tg_advisory_release(&a);
	assert_int_equal(tg_advisory_from_osv_json(j, TG_ECO_NPM, "my-pkg", &a,
						   &relevant, "rec.json", &err), 0);
	assert_false(relevant);
	tg_advisory_release(&a);
	json_decref(j);
}

static void osv_json_rejects_two_keys_in_one_event(void **state)
{
	static const char rec[] =
		"{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
		"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1.0.0\"}]}]}]}";
	struct tg_err err;
	json_t *j = tg_json_load(rec, strlen(rec), "rec.json", &err);
	struct tg_advisory a;
	bool relevant;

	(void)state;
	assert_int_equal(tg_advisory_from_osv_json(j, TG_ECO_NPM, "a", &a, &relevant,
						   "rec.json", &err), TG_EINVAL);
	assert_non_null(strstr(err.msg, "exactly one"));
	json_decref(j);
}

/* An affected entry built whole (the database source does this) holds
 * its ranges and events in one allocation and refuses later additions;
 * release frees it once (checked under the sanitizers). */
static void affected_built_whole(void **state)
{
	static const size_t shape[] = { 2, 0, 3 };
	struct tg_advisory_list l;
	struct tg_advisory *a;
	struct tg_adv_affected *af;
	struct tg_err err;

	(void)state;
	tg_advisory_list_init(&l);
	a = tg_advisory_list_push(&l, &err);
	assert_non_null(a);
	af = tg_advisory_add_affected(a, &err);
	assert_non_null(af);
	assert_int_equal(tg_adv_affected_set_ranges(af, 3, shape, &err), 0);
	assert_true(af->one_block);
	assert_int_equal(af->n_ranges, 3);
	assert_int_equal(af->ranges[0].n_events, 2);
	assert_null(af->ranges[1].events);
	assert_int_equal(af->ranges[2].n_events, 3);
	/* the events of one range end where the next range's begin */
	assert_ptr_equal(af->ranges[0].events + 2, af->ranges[2].events);
	af->ranges[2].events[2].version = (char *)"1.0";
	assert_null(tg_adv_affected_add_range(af, TG_OSV_RANGE_ECOSYSTEM, &err));
	assert_int_equal(err.code, TG_EINTERNAL);
	assert_int_not_equal(tg_adv_range_add_event_ref(af, &af->ranges[0], TG_OSV_FIXED,
							"2.0", &err), 0);
	assert_int_not_equal(tg_adv_affected_set_ranges(af, 1, shape, &err), 0);
	af->pooled = true; /* the versions above are not owned */
	tg_advisory_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(affected_built_whole),
		cmocka_unit_test(introduced_fixed_bounds),
		cmocka_unit_test(introduced_zero_is_before_everything),
		cmocka_unit_test(unsorted_events_are_sorted),
		cmocka_unit_test(introduced_before_last_affected_on_tie),
		cmocka_unit_test(last_affected_and_limit),
		cmocka_unit_test(versions_list_after_normalisation),
		cmocka_unit_test(withdrawn_and_git_ranges_never_match),
		cmocka_unit_test(unparsable_versions_are_unknown),
		cmocka_unit_test(aliases_merge_transitively),
		cmocka_unit_test(preferred_id_is_configurable),
		cmocka_unit_test(cve_ids_order_numerically),
		cmocka_unit_test(fix_avoids_other_known_holes),
		cmocka_unit_test(fix_falls_back_when_every_version_has_a_known_hole),
		cmocka_unit_test(fix_candidates_respect_latest),
		cmocka_unit_test(fix_prerelease_only_for_prerelease_users),
		cmocka_unit_test(kev_epss_cvss_and_priority_order),
		cmocka_unit_test(unpinned_and_unknown_are_reported),
		cmocka_unit_test(osv_json_record_is_loaded),
		cmocka_unit_test(osv_json_rejects_two_keys_in_one_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

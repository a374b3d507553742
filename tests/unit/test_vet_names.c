/* vet name risk: the weighted distance and its explanation, look-alike
 * skeletons, and every rule over an index built from the PyPI name list of
 * the feed snapshot (data/feeds/pypi/projects.tsv.gz) and a small npm list. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tollgate/err.h"
#include "tollgate/vet.h"
#include "tollgate/vet_names.h"
#include "vet/names_internal.h"

static struct tg_vet_names *pypi;

static const struct tg_vet_reason *reason(const struct tg_vet_result *r,
					  const char *rule)
{
	size_t i;

	for (i = 0; i < r->n_reasons; i++)
		if (strcmp(r->reasons[i].rule, rule) == 0)
			return &r->reasons[i];
	return NULL;
}

/* Load the real PyPI list once: name, latest_version, month, rank. */
static int load_pypi(void **state)
{
	gzFile f = gzopen("data/feeds/pypi/projects.tsv.gz", "rb");
	char line[1024];
	struct tg_err err;

	(void)state;
	if (!f)
		return -1;
	tg_err_clear(&err);
	if (tg_vet_names_new(TG_ECO_PYPI, NULL, &pypi, &err))
		return -1;
	while (gzgets(f, line, sizeof(line))) {
		char *fields[4] = { line, NULL, NULL, NULL }, *p = line;
		int k = 1;
		int64_t rank = -1;

		line[strcspn(line, "\r\n")] = '\0';
		while (k < 4 && (p = strchr(p, '\t'))) {
			*p++ = '\0';
			fields[k++] = p;
		}
		if (k < 4 || strcmp(fields[0], "name") == 0)
			continue;
		if (*fields[3])
			rank = strtoll(fields[3], NULL, 10);
		if (tg_vet_names_add(pypi, fields[0], fields[1], fields[2], rank, -1, &err))
			return -1;
	}
	gzclose(f);
	if (tg_vet_names_build(pypi, &err) ||
	    tg_vet_names_set_list_label(pypi, "PyPI name list of the test", &err))
		return -1;
	return 0;
}

static int free_pypi(void **state)
{
	(void)state;
	tg_vet_names_free(pypi);
	return 0;
}

static struct tg_vet_result check(const struct tg_vet_names *n, const char *name)
{
	struct tg_vet_result r;
	struct tg_err err;

	tg_vet_result_init(&r);
	tg_err_clear(&err);
	/* 2026-11-25: a fixed "now" for new-project. */
	assert_int_equal(tg_vet_names_check(n, name, 1795564800, &r, &err), 0);
	return r;
}

static void distance_costs(void **state)
{
	struct tg_vet_name_thresholds t;

	(void)state;
	tg_vet_name_thresholds_init(&t);
#define D(a, b) vn_wdist(&t, a, strlen(a), b, strlen(b), 100)
	assert_int_equal(D("requests", "requests"), 0);
	assert_int_equal(D("request", "requests"), 2);        /* plural */
	assert_int_equal(D("urlib3", "urllib3"), 2);          /* doubled letter */
	assert_int_equal(D("setup-tools", "setuptools"), 2);  /* separator */
	assert_int_equal(D("reqeusts", "requests"), 3);       /* transposition */
	assert_int_equal(D("pymafka", "pykafka"), 3);         /* keyboard neighbour */
	assert_int_equal(D("urllib", "urllib3"), 3);          /* trailing digit */
	assert_int_equal(D("jeilyfish", "jellyfish"), 2);     /* i/l look-alike */
	assert_int_equal(D("rnodem", "modem"), 2);            /* rn/m */
	assert_int_equal(D("colourama", "colorama"), 4);      /* other */
	assert_int_equal(D("abc", "mpq"), 12);
	/* Early exit: beyond the limit the answer is just "more". */
	assert_true(vn_wdist(&t, "aaaaaaaa", 8, "zzzzzzzz", 8, 4) > 4);
#undef D
}

static void explanations(void **state)
{
	struct tg_vet_name_thresholds t;
	char out[200];

	(void)state;
	tg_vet_name_thresholds_init(&t);
	vn_explain(&t, "reqeusts", 8, "requests", 8, out, sizeof(out));
	assert_string_equal(out, "'eu' swapped");
	vn_explain(&t, "colourama", 9, "colorama", 8, out, sizeof(out));
	assert_string_equal(out, "extra 'u'");
	vn_explain(&t, "request", 7, "requests", 8, out, sizeof(out));
	assert_string_equal(out, "missing 's'");
	vn_explain(&t, "pymafka", 7, "pykafka", 7, out, sizeof(out));
	assert_string_equal(out, "'m' for 'k'");
}

static void skeletons(void **state)
{
	char out[128];
	bool na, um;
	uint32_t cp;

	(void)state;
	vn_skeleton("jeIlyfish", out, sizeof(out), &na, &um, &cp);
	assert_string_equal(out, "jellyfish");
	assert_false(na);
	vn_skeleton("dj\xd0\xb0ngo", out, sizeof(out), &na, &um, &cp); /* Cyrillic a */
	assert_string_equal(out, "django");
	assert_true(na);
	assert_false(um);
	assert_int_equal(cp, 0x430);
	vn_skeleton("\xef\xbd\x92" "equests", out, sizeof(out), &na, &um, &cp); /* full-width r */
	assert_string_equal(out, "requests");
	vn_skeleton("nu\xe2\x80\x8bmpy", out, sizeof(out), &na, &um, &cp); /* zero width */
	assert_string_equal(out, "numpy");
	vn_skeleton("\xe6\x97\xa5", out, sizeof(out), &na, &um, &cp);
	assert_true(um);
	vn_reduce("setuptools", out, sizeof(out));
	assert_string_equal(out, "setuptol");
	assert_true(vn_is_stdlib("pwd"));
	assert_true(vn_is_stdlib("asyncio"));
	assert_false(vn_is_stdlib("requests"));
}

static void pypi_rules(void **state)
{
	struct tg_vet_result r;
	const struct tg_vet_reason *x;

	(void)state;
	assert_true(tg_vet_names_count(pypi) > 800000);
	assert_true(tg_vet_names_popular_count(pypi) > 14900);

	r = check(pypi, "requests");
	assert_int_equal(r.verdict, TG_VET_OK);
	assert_int_equal(r.n_reasons, 0);
	assert_string_equal(r.name, "requests");
	tg_vet_result_release(&r);

	/* Normalisation: the same project. */
	r = check(pypi, "Python_DateUtil");
	assert_int_equal(r.n_reasons, 0);
	tg_vet_result_release(&r);

	r = check(pypi, "reqeusts");
	x = reason(&r, "typosquat");
	assert_non_null(x);
	assert_string_equal(x->similar_to, "requests");
	assert_int_equal(x->level, TG_VET_BLOCK);
	assert_non_null(reason(&r, "unknown-name"));
	assert_non_null(strstr(reason(&r, "unknown-name")->message, "PyPI name list of the test"));
	tg_vet_result_release(&r);

	r = check(pypi, "jeIlyfish");
	x = reason(&r, "confusable");
	assert_non_null(x);
	assert_string_equal(x->similar_to, "jellyfish");
	tg_vet_result_release(&r);

	r = check(pypi, "dj\xd0\xb0ngo");
	x = reason(&r, "confusable");
	assert_non_null(x);
	assert_string_equal(x->similar_to, "django");
	assert_int_equal(x->level, TG_VET_BLOCK);
	assert_non_null(strstr(x->message, "CYRILLIC SMALL LETTER A"));
	tg_vet_result_release(&r);

	r = check(pypi, "requests-python");
	x = reason(&r, "combosquat");
	assert_non_null(x);
	assert_string_equal(x->similar_to, "requests");
	tg_vet_result_release(&r);

	r = check(pypi, "pwd");
	assert_non_null(reason(&r, "typosquat"));
	tg_vet_result_release(&r);

	/* Established names are never squats of each other: both of these
	 * are among the 15,000 most downloaded. */
	r = check(pypi, "urllib3");
	assert_int_equal(r.n_reasons, 0);
	tg_vet_result_release(&r);
	r = check(pypi, "django-environ");
	assert_null(reason(&r, "typosquat"));
	assert_null(reason(&r, "combosquat"));
	tg_vet_result_release(&r);

	/* Odd input: reasons, never errors. */
	r = check(pypi, "");
	assert_non_null(reason(&r, "unknown-name"));
	tg_vet_result_release(&r);
	{
		char big[3000];
		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		r = check(pypi, big);
		assert_non_null(reason(&r, "unknown-name"));
		tg_vet_result_release(&r);
	}
	r = check(pypi, "\xff\xfe");
	assert_non_null(reason(&r, "confusable"));
	assert_non_null(reason(&r, "unknown-name"));
	tg_vet_result_release(&r);
}

/* A published, unpopular name whose latest release is a first version in
 * the month before "now" is new; the same name a year older is not. */
static void new_project(void **state)
{
	struct tg_vet_names *n;
	struct tg_vet_result r;
	struct tg_err err;

	(void)state;
	tg_err_clear(&err);
	assert_int_equal(tg_vet_names_new(TG_ECO_PYPI, NULL, &n, &err), 0);
	assert_int_equal(tg_vet_names_add(n, "requests", "2.32.0", "2026-05", 6, -1, &err), 0);
	assert_int_equal(tg_vet_names_add(n, "fresh-thing", "0.1.0", "2026-11", -1, -1, &err), 0);
	assert_int_equal(tg_vet_names_add(n, "old-thing", "0.1.0", "2025-10", -1, -1, &err), 0);
	assert_int_equal(tg_vet_names_add(n, "busy-thing", "4.2.1", "2026-11", -1, -1, &err), 0);
	assert_int_equal(tg_vet_names_build(n, &err), 0);
	r = check(n, "fresh-thing");
	assert_non_null(reason(&r, "new-project"));
	assert_int_equal(r.verdict, TG_VET_WARN);
	tg_vet_result_release(&r);
	r = check(n, "old-thing");
	assert_null(reason(&r, "new-project"));
	tg_vet_result_release(&r);
	r = check(n, "busy-thing");
	assert_null(reason(&r, "new-project"));
	tg_vet_result_release(&r);
	tg_vet_names_free(n);
}

static void npm_rules(void **state)
{
	struct tg_vet_names *n;
	struct tg_vet_result r;
	struct tg_err err;
	const struct tg_vet_reason *x;

	(void)state;
	tg_err_clear(&err);
	assert_int_equal(tg_vet_names_new(TG_ECO_NPM, NULL, &n, &err), 0);
	assert_int_equal(tg_vet_names_add(n, "lodash", "4.17.21", "2021-02", -1, 90000000, &err), 0);
	assert_int_equal(tg_vet_names_add(n, "@babel/core", "7.24.0", "2024-02", -1, 80000000, &err), 0);
	assert_int_equal(tg_vet_names_add(n, "lodahs", "0.0.1-security", "2020-01", -1, 500, &err), 0);
	assert_int_equal(tg_vet_names_add(n, "lodash-fork", "1.0.0", "2020-01", -1, 30, &err), 0);
	assert_int_equal(tg_vet_names_build(n, &err), 0);
	assert_int_equal(tg_vet_names_popular_count(n), 3);
	/* Placeholders are never popular. */
	r = check(n, "lodahs");
	assert_non_null(reason(&r, "malicious"));
	x = reason(&r, "typosquat");
	assert_non_null(x);
	assert_string_equal(x->similar_to, "lodash");
	tg_vet_result_release(&r);
	r = check(n, "babel-core");
	x = reason(&r, "typosquat");
	assert_non_null(x);
	assert_string_equal(x->similar_to, "@babel/core");
	assert_non_null(strstr(x->message, "scope"));
	tg_vet_result_release(&r);
	r = check(n, "@evil/lodash");
	x = reason(&r, "typosquat");
	assert_non_null(x);
	assert_string_equal(x->similar_to, "lodash");
	tg_vet_result_release(&r);
	/* npm names are case-sensitive and new ones lower-case. */
	r = check(n, "Lodash");
	assert_non_null(reason(&r, "unknown-name"));
	tg_vet_result_release(&r);
	tg_vet_names_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(distance_costs),
		cmocka_unit_test(explanations),
		cmocka_unit_test(skeletons),
		cmocka_unit_test(pypi_rules),
		cmocka_unit_test(new_project),
		cmocka_unit_test(npm_rules),
	};
	return cmocka_run_group_tests(tests, load_pypi, free_pypi);
}

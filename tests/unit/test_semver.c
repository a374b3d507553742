/* npm semver: version parsing and precedence, range desugaring and
 * satisfaction, error messages, caps. node-semver's own fixtures run in
 * tests/e2e/semver_fixtures.py; these check the C API around them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/semver.h"

static int cmp(const char *a, const char *b, unsigned flags)
{
	struct tg_err err;
	int r = 99;

	assert_int_equal(tg_semver_cmp(a, strlen(a), b, strlen(b), flags, &r, &err), 0);
	return r;
}

static bool sat(const char *v, const char *range, unsigned flags)
{
	struct tg_err err;
	bool r;

	tg_semver_satisfies(v, strlen(v), range, strlen(range), flags, &r, &err);
	return r;
}

static void expect_range(const char *range, unsigned flags, const char *want)
{
	struct tg_semver_range r;
	struct tg_err err;
	struct tg_buf b;

	tg_buf_init(&b, 0);
	assert_int_equal(tg_semver_range_parse(range, strlen(range), flags, &r, &err), 0);
	assert_int_equal(tg_semver_range_format(&r, &b, &err), 0);
	assert_string_equal(b.data, want);
	tg_buf_release(&b);
	tg_semver_range_release(&r);
}

static void versions_parse_and_normalise(void **state)
{
	struct tg_semver v;
	struct tg_err err;
	struct tg_buf b;

	(void)state;
	tg_buf_init(&b, 0);
	assert_int_equal(tg_semver_parse("1.2.3-alpha.01+b.7", 18, TG_SEMVER_LOOSE, &v, &err), 0);
	assert_true(v.major == 1 && v.minor == 2 && v.patch == 3);
	assert_string_equal(v.pre, "alpha.1"); /* loose numeric ids lose zeros */
	assert_string_equal(v.build, "b.7");
	assert_int_equal(tg_semver_format(&v, &b, &err), 0);
	assert_string_equal(b.data, "1.2.3-alpha.1");
	tg_semver_release(&v);
	tg_semver_release(&v); /* releasing twice is harmless */

	/* strict mode rejects what loose mode accepts, naming the column */
	assert_int_equal(tg_semver_parse("1.2.3-01", 8, 0, &v, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "leading zeros"));
	assert_int_equal(err.col, 7);
	assert_null(v.pre);
	assert_int_equal(tg_semver_parse("=1.2.3", 6, 0, &v, &err), TG_EPARSE);
	assert_int_equal(tg_semver_parse(" =v1.2.3 ", 9, TG_SEMVER_LOOSE, &v, &err), 0);
	tg_semver_release(&v);
	assert_int_equal(tg_semver_parse("1.2", 3, 0, &v, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "expected '.' at column 4"));
	tg_buf_release(&b);
}

static void versions_have_caps(void **state)
{
	struct tg_semver v;
	struct tg_err err;
	char longv[300];

	(void)state;
	assert_int_equal(tg_semver_parse("9007199254740991.0.0", 20, 0, &v, &err), 0);
	tg_semver_release(&v);
	assert_int_equal(tg_semver_parse("9007199254740992.0.0", 20, 0, &v, &err), TG_EINVAL);
	memset(longv, 'a', sizeof(longv));
	memcpy(longv, "1.0.0-", 6);
	assert_int_equal(tg_semver_parse(longv, 256, 0, &v, &err), 0);
	tg_semver_release(&v);
	assert_int_equal(tg_semver_parse(longv, 257, 0, &v, &err), TG_ELIMIT);
}

static void precedence_follows_semver(void **state)
{
	(void)state;
	/* SemVer 2.0.0 section 11's example chain */
	static const char *const chain[] = {
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
		"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"
	};
	size_t i;

	for (i = 0; i + 1 < sizeof(chain) / sizeof(chain[0]); i++) {
		assert_int_equal(cmp(chain[i], chain[i + 1], 0), -1);
		assert_int_equal(cmp(chain[i + 1], chain[i], 0), 1);
	}
	assert_int_equal(cmp("1.2.3+a", "1.2.3+b", 0), 0);   /* build ignored */
	assert_int_equal(cmp("v1.2.3", "1.2.3", TG_SEMVER_LOOSE), 0);
}

static void osv_partial_versions(void **state)
{
	struct tg_semver v;
	struct tg_err err;

	(void)state;
	/* OSV SEMVER events say "introduced": "0" */
	assert_int_equal(tg_semver_parse("0", 1, TG_SEMVER_PARTIAL, &v, &err), 0);
	assert_true(v.major == 0 && v.minor == 0 && v.patch == 0 && !v.pre);
	tg_semver_release(&v);
	assert_int_equal(cmp("1.2", "1.2.0", TG_SEMVER_PARTIAL), 0);
	assert_int_equal(cmp("0", "0.0.1-alpha", TG_SEMVER_PARTIAL), -1);
	assert_int_equal(tg_semver_parse("1.x", 3, TG_SEMVER_PARTIAL, &v, &err), TG_EPARSE);
	assert_int_equal(tg_semver_parse("1.2-beta", 8, TG_SEMVER_PARTIAL, &v, &err), TG_EPARSE);
}

static void ranges_desugar_like_npm(void **state)
{
	(void)state;
	expect_range("^1.2.3", 0, ">=1.2.3 <2.0.0-0");
	expect_range("^0.2.3", 0, ">=0.2.3 <0.3.0-0");
	expect_range("^0.0.3", 0, ">=0.0.3 <0.0.4-0");
	expect_range("~1.2", 0, ">=1.2.0 <1.3.0-0");
	expect_range("1.2 - 2", 0, ">=1.2.0 <3.0.0-0");
	expect_range("1.x || >=2.5.0 || 5.0.0 - 7.2.3", 0,
		     ">=1.0.0 <2.0.0-0||>=2.5.0||>=5.0.0 <=7.2.3");
	expect_range("*", 0, "");
	expect_range("<0.0.0-0 || 1", 0, ">=1.0.0 <2.0.0-0"); /* empty set dropped */
	expect_range("1 || *", 0, "");                        /* any wins */
	expect_range("~1.2.3", TG_SEMVER_INCLUDE_PRERELEASE, ">=1.2.3 <1.3.0-0");
	expect_range("1.2.x", TG_SEMVER_INCLUDE_PRERELEASE, ">=1.2.0-0 <1.3.0-0");
}

static void prerelease_rule(void **state)
{
	(void)state;
	assert_true(sat("1.2.3-beta.2", "^1.2.3-beta.1", 0));
	assert_false(sat("1.2.4-beta.2", "^1.2.3-beta.1", 0));
	assert_true(sat("1.2.4-beta.2", "^1.2.3-beta.1", TG_SEMVER_INCLUDE_PRERELEASE));
	assert_false(sat("2.0.0-rc.1", "^1.0.0", TG_SEMVER_INCLUDE_PRERELEASE));
	assert_true(sat("1.5.0", "^1.2.3-beta.1", 0));
}

static void range_errors_name_the_comparator(void **state)
{
	struct tg_semver_range r;
	struct tg_err err;
	bool ok = true;
	const char *bad = "^1.2.3 || >=2 <=foo";

	(void)state;
	assert_int_equal(tg_semver_range_parse(bad, strlen(bad), 0, &r, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "'<=foo' is not a comparator"));
	assert_int_equal(err.col, 11); /* the '||' alternative it sits in */
	assert_null(r.comps);
	/* a bad range never satisfies, and says why */
	assert_int_not_equal(tg_semver_satisfies("1.0.0", 5, bad, strlen(bad), 0, &ok, &err), 0);
	assert_false(ok);
	/* loose mode drops words that are not comparators, as npm does */
	assert_int_equal(tg_semver_range_parse("== 1.0.0 || foo", 15, TG_SEMVER_LOOSE,
					       &r, &err), 0);
	tg_semver_range_release(&r);
}

static void ranges_have_caps(void **state)
{
	struct tg_semver_range r;
	struct tg_err err;
	size_t n = TG_SEMVER_RANGE_MAX_LENGTH + 1, i;
	unsigned k;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(tg_semver_range_parse(big, n, 0, &r, &err), TG_ELIMIT);
	/* "1 2 3 ...": each number expands to two comparators */
	for (i = 0, k = 1; i + 8 < n; k++)
		i += (size_t)snprintf(big + i, n - i, "%u ", k);
	assert_int_equal(tg_semver_range_parse(big, i, 0, &r, &err), TG_ELIMIT);
	assert_non_null(strstr(err.msg, "comparators"));
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(versions_parse_and_normalise),
		cmocka_unit_test(versions_have_caps),
		cmocka_unit_test(precedence_follows_semver),
		cmocka_unit_test(osv_partial_versions),
		cmocka_unit_test(ranges_desugar_like_npm),
		cmocka_unit_test(prerelease_rule),
		cmocka_unit_test(range_errors_name_the_comparator),
		cmocka_unit_test(ranges_have_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

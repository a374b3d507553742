/* PEP 440 versions and specifiers: parsing, errors and caps, canonical
 * form, ordering (including numbers beyond 64 bits), copies, specifier
 * matching in each pre-release mode, filtering and set formatting. The
 * full upstream conformance vectors run in tests/e2e/pep440_vectors.py. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/pep440.h"

static char *norm(const char *s)
{
	static char out[1024];
	struct tg_pep440 v;
	struct tg_buf b;
	struct tg_err err;

	assert_int_equal(tg_pep440_parse_str(s, &v, &err), 0);
	tg_buf_init(&b, 4096);
	assert_int_equal(tg_pep440_normalize(&v, &b, &err), 0);
	snprintf(out, sizeof(out), "%s", b.data);
	tg_buf_release(&b);
	tg_pep440_release(&v);
	return out;
}

static int cmp(const char *a, const char *b)
{
	struct tg_err err;
	int c = 99;

	assert_int_equal(tg_pep440_cmp_str(a, b, &c, &err), 0);
	return c;
}

static void normalizes_permissive_forms(void **state)
{
	(void)state;
	assert_string_equal(norm("1.0"), "1.0");
	assert_string_equal(norm("  v1.0\t\n"), "1.0");
	assert_string_equal(norm("V1.0-RC1"), "1.0rc1");
	assert_string_equal(norm("1.0c1"), "1.0rc1");
	assert_string_equal(norm("1.0preview2"), "1.0rc2");
	assert_string_equal(norm("1.0.pre"), "1.0rc0");
	assert_string_equal(norm("1.0alpha"), "1.0a0");
	assert_string_equal(norm("1.0_beta_3"), "1.0b3");
	assert_string_equal(norm("1.0-1"), "1.0.post1");
	assert_string_equal(norm("1.0-r5"), "1.0.post5");
	assert_string_equal(norm("1.0rev"), "1.0.post0");
	assert_string_equal(norm("1.0.DEV"), "1.0.dev0");
	assert_string_equal(norm("1.0a.post-dev"), "1.0a0.post0.dev0");
	assert_string_equal(norm("1.0dev."), "1.0.dev0");
	assert_string_equal(norm("00!1.2"), "1.2");
	assert_string_equal(norm("0100!0.0"), "100!0.0");
	assert_string_equal(norm("1.01.0010"), "1.1.10");
	assert_string_equal(norm("1.0+Ubuntu-1_2.00"), "1.0+ubuntu.1.2.0");
	/* U+202F before, U+2029 after: Python's str.isspace() set */
	assert_string_equal(norm("\xe2\x80\xaf" "1.0\t\xe2\x80\xa9\n "), "1.0");
	assert_string_equal(norm("123456789012345678901234567890.1"),
			    "123456789012345678901234567890.1");
}

/* The quick canonical-shape check never says yes wrongly: over every
 * version string of the packaging vectors, a "yes" parses and is its own
 * normal form; and the common shapes do get a yes. */
static void canonical_shape_check_is_sound(void **state)
{
	static const char *const files[] = {
		"tests/data/pep440/version_normalize.tsv", "tests/data/pep440/sample_versions.tsv",
		"tests/data/pep440/version_valid.tsv", "tests/data/pep440/version_invalid.tsv",
		"tests/data/pep440/version_order.tsv", "tests/data/pep440/version_compare.tsv",
	};
	static const char *const yes[] = { "0", "1.0", "10.20.30", "0.1.post1", "0.7.1rc1",
					   "3.1.0a1", "1.1.1.dev0", "2.0b2.post3.dev4" };
	static const char *const no[] = { "", "01.0", "1.0.", "1.0RC1", "1.0-1", "1!1.0",
					  "1.0+local", "1.0a", "1.0.post", "v1.0", "1.0 ",
					  "1.0rc01", "1.0.dev1.post1" };
	size_t i, checked = 0, said_yes = 0;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(tg_pep440_is_canonical(yes[i], strlen(yes[i])));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(tg_pep440_is_canonical(no[i], strlen(no[i])));
	/* the length bounds the check: "1.0" inside "1.0rc1" */
	assert_true(tg_pep440_is_canonical("1.0rc1", 3));
	assert_false(tg_pep440_is_canonical("1.0rc1", 5));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char line[4096];
		FILE *f = fopen(files[i], "r");

		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			char *q = line, *end;

			/* every quoted field of the line */
			while ((q = strchr(q, '"')) && (end = strchr(q + 1, '"'))) {
				size_t n = (size_t)(end - q - 1);

				*end = '\0';
				checked++;
				if (tg_pep440_is_canonical(q + 1, n)) {
					said_yes++;
					assert_string_equal(norm(q + 1), q + 1);
				}
				q = end + 1;
			}
		}
		fclose(f);
	}
	assert_true(checked > 1000);
	assert_true(said_yes > 100);
}

static void orders_like_packaging(void **state)
{
	(void)state;
	assert_int_equal(cmp("1.0", "1.0.0"), 0);
	assert_int_equal(cmp("1.0rc1", "1.0c1"), 0);
	assert_int_equal(cmp("1.0.dev456", "1.0a0"), -1);
	assert_int_equal(cmp("1.0a0.post0.dev0", "1.0a0.post0"), -1);
	assert_int_equal(cmp("1.0a1", "1.0a1+local"), -1);
	assert_int_equal(cmp("1.0", "1.0.post0.dev0"), -1);
	assert_int_equal(cmp("1.0.post456+local", "1.0.1.dev1"), -1);
	assert_int_equal(cmp("1.2+def", "1.2+0"), -1);      /* numbers beat text */
	assert_int_equal(cmp("1.2+1.abc", "1.2+1.1"), -1);
	assert_int_equal(cmp("1.2+1.1", "1.2+1.1.0"), -1);  /* longer label wins */
	assert_int_equal(cmp("1.2+abc", "1.2+abcdef"), -1);
	assert_int_equal(cmp("1!1.0.dev0", "2.0"), 1);
	assert_int_equal(cmp("2.0+deadbeef.0", "2.0.0+deadbeef.00"), 0);
	/* beyond 2^64 */
	assert_int_equal(cmp("18446744073709551616", "18446744073709551615"), 1);
	assert_int_equal(cmp("1.99999999999999999999", "1.100000000000000000000"), -1);
	assert_int_equal(cmp("1.0.post99999999999999999999999", "1.0.post99999999999999999999998"), 1);
	assert_int_equal(cmp("1.0+000000000000000000000000001", "1.0+1"), 0);
}

static void reports_errors_with_columns(void **state)
{
	struct tg_pep440 v;
	struct tg_err err;

	(void)state;
	assert_int_equal(tg_pep440_parse_str("1..0", &v, &err), TG_EPARSE);
	assert_int_equal(err.col, 2);
	assert_non_null(strstr(err.msg, "unexpected '.' at column 2"));
	assert_int_equal(tg_pep440_parse_str("  1.0 a1", &v, &err), TG_EPARSE);
	assert_int_equal(err.col, 6);
	assert_int_equal(tg_pep440_parse_str("1.0+", &v, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "local version label"));
	assert_int_equal(tg_pep440_parse_str("french toast", &v, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "expected a digit at column 1"));
	assert_int_equal(tg_pep440_parse_str("   ", &v, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(tg_pep440_parse_str("1.0\x01", &v, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "\\x01"));
	/* non-ASCII digits and letters are not PEP 440 */
	assert_false(tg_pep440_valid("\xd9\xa0\xd9\xa1", 4));
	assert_false(tg_pep440_valid("1.0+\xc4\xb0", 6));
	assert_false(tg_pep440_valid("1.0\0", 4));
	tg_pep440_release(&v); /* released state: releasing again is safe */
}

static void caps_input_length(void **state)
{
	char big[TG_PEP440_MAX_LEN + 2];
	struct tg_pep440 v;
	struct tg_err err;

	(void)state;
	memset(big, '1', sizeof(big));
	assert_int_equal(tg_pep440_parse(big, TG_PEP440_MAX_LEN, &v, &err), 0);
	assert_int_equal(tg_pep440_cmp(&v, &v), 0);
	tg_pep440_release(&v);
	assert_int_equal(tg_pep440_parse(big, TG_PEP440_MAX_LEN + 1, &v, &err),
			 TG_ELIMIT);
	assert_non_null(strstr(err.msg, "256-byte limit"));
}

static void long_versions_use_heap_and_copy(void **state)
{
	const char *s = "3!1.2.3.4.5.6.7.8.9.10.11.99999999999999999999999a1.post2.dev3+Abc.007.x";
	struct tg_pep440 v, w;
	struct tg_buf b1, b2;
	struct tg_err err;

	(void)state;
	assert_int_equal(tg_pep440_parse_str(s, &v, &err), 0);
	assert_int_equal(v.nrelease, 12);
	assert_non_null(v.heap);
	assert_int_equal(tg_pep440_copy(&w, &v, &err), 0);
	assert_ptr_not_equal(w.heap, v.heap);
	tg_buf_init(&b1, 4096);
	tg_buf_init(&b2, 4096);
	assert_int_equal(tg_pep440_normalize(&v, &b1, &err), 0);
	tg_pep440_release(&v); /* the copy must not point into v's memory */
	assert_int_equal(tg_pep440_normalize(&w, &b2, &err), 0);
	assert_string_equal(b1.data, b2.data);
	assert_string_equal(b2.data,
			    "3!1.2.3.4.5.6.7.8.9.10.11.99999999999999999999999a1.post2.dev3+abc.7.x");
	assert_true(tg_pep440_is_prerelease(&w));
	assert_true(tg_pep440_is_postrelease(&w));
	assert_true(tg_pep440_is_devrelease(&w));
	assert_true(tg_pep440_has_local(&w));
	tg_buf_reset(&b1);
	assert_int_equal(tg_pep440_format_public(&w, &b1, &err), 0);
	assert_string_equal(b1.data, "3!1.2.3.4.5.6.7.8.9.10.11.99999999999999999999999a1.post2.dev3");
	tg_buf_reset(&b1);
	assert_int_equal(tg_pep440_format_base(&w, &b1, &err), 0);
	assert_string_equal(b1.data, "3!1.2.3.4.5.6.7.8.9.10.11.99999999999999999999999");
	tg_buf_release(&b1);
	tg_buf_release(&b2);
	tg_pep440_release(&w);
}

static bool contains(const char *spec, const char *ver, enum tg_pre_mode mode)
{
	struct tg_pep440_specset set;
	struct tg_err err;
	bool valid, in;

	assert_int_equal(tg_pep440_spec_parse(spec, strlen(spec), &set, &err), 0);
	in = tg_pep440_spec_contains_str(&set, ver, strlen(ver), mode, &valid);
	if (valid) {
		/* the parsed-version entry point agrees unless === is involved */
		struct tg_pep440 v;
		assert_int_equal(tg_pep440_parse_str(ver, &v, &err), 0);
		if (!set.has_arbitrary)
			assert_int_equal(tg_pep440_spec_contains(&set, &v, mode), in);
		tg_pep440_release(&v);
	}
	tg_pep440_specset_release(&set);
	return in;
}

static void matches_operators(void **state)
{
	(void)state;
	assert_true(contains("==2", "2.0+deadbeef", TG_PRE_AUTO));
	assert_false(contains("==2.0+deadbeef", "2.0", TG_PRE_AUTO));
	assert_true(contains("==2.0.0+deadbeef.00", "2.0+deadbeef.0", TG_PRE_AUTO));
	assert_true(contains("!=2.0+deadbeef", "2.0", TG_PRE_AUTO));
	assert_true(contains("==2.0.*", "2.0.0.0", TG_PRE_AUTO));
	assert_false(contains("==2.0.*", "2.1.0.0", TG_PRE_AUTO));
	assert_true(contains("==2.1.*", "2.1+local.version", TG_PRE_AUTO));
	assert_true(contains("==2!1.*", "2!1.0.0", TG_PRE_AUTO));
	assert_false(contains("==1.*", "2!1.0", TG_PRE_AUTO));
	assert_true(contains("~=1.0", "1.9999999", TG_PRE_AUTO));
	assert_false(contains("~=1.0.0", "1.1.post1", TG_PRE_AUTO));
	assert_true(contains("~=2022.01.01", "2022.01.01", TG_PRE_AUTO));
	assert_true(contains("<=1.0.0", "1.0.0+local", TG_PRE_AUTO));
	assert_false(contains("<1.0.0", "1.0.0+local", TG_PRE_AUTO));
	assert_false(contains(">1.0.0", "1.0.0+local", TG_PRE_AUTO));
	assert_true(contains(">=1.0.0", "1.0.0+local", TG_PRE_AUTO));
	/* <V leaves out V's pre-releases; >V leaves out V's post-releases */
	assert_false(contains("<2", "2.0rc1", TG_PRE_INCLUDE));
	assert_true(contains("<2.0a2", "2.0a1", TG_PRE_INCLUDE));
	assert_false(contains(">1.0", "1.0.post1", TG_PRE_AUTO));
	assert_true(contains(">1.0", "2.0.post0", TG_PRE_AUTO));
	assert_true(contains(">1.0.dev1", "1.0.post0", TG_PRE_AUTO));
	assert_false(contains(">1.0a1", "1.0a1.post0", TG_PRE_INCLUDE));
	assert_true(contains(">1.0a1", "1.0a2.post0", TG_PRE_INCLUDE));
	assert_false(contains(">1.0.post1", "1.0.post1+local", TG_PRE_AUTO));
	assert_true(contains(">1.0.post1", "1.0.post2.dev0", TG_PRE_INCLUDE));
	assert_false(contains("<1.0.post1", "1.0.post1.dev0", TG_PRE_INCLUDE));
	assert_true(contains("<1.0.post1", "1.0a1", TG_PRE_INCLUDE));
	/* === compares strings, case-insensitively, without normalising */
	assert_true(contains("===foobar", "FooBar", TG_PRE_AUTO));
	assert_false(contains("===1.0", "1.0.0", TG_PRE_AUTO));
	assert_false(contains("===1.0", "1.0+downstream1", TG_PRE_AUTO));
	assert_true(contains(">=1.0,===1.5", "1.5", TG_PRE_AUTO));
	assert_false(contains(">=1.0,===foobar", "foobar", TG_PRE_AUTO));
	assert_false(contains("!=1.0", "foobar", TG_PRE_AUTO));
	assert_true(contains("", "foobar", TG_PRE_AUTO));
	/* numbers beyond 64 bits in bounds */
	assert_true(contains("~=1.18446744073709551615", "1.18446744073709551616", TG_PRE_AUTO));
	assert_false(contains("==18446744073709551615.*", "18446744073709551616", TG_PRE_AUTO));
	assert_true(contains("==18446744073709551615.*", "18446744073709551615.99", TG_PRE_AUTO));
}

static void pre_release_modes(void **state)
{
	(void)state;
	assert_false(contains(">=1.0", "2.0.dev1", TG_PRE_AUTO));
	assert_true(contains(">=1.0", "2.0.dev1", TG_PRE_INCLUDE));
	assert_false(contains(">=1.0.dev1", "2.0a1", TG_PRE_EXCLUDE));
	/* a specifier that names a pre-release lets them in */
	assert_true(contains(">=2.0.dev1", "2.0a1", TG_PRE_AUTO));
	assert_true(contains(">=1.0,<2.0.dev5", "1.5a1", TG_PRE_AUTO));
	assert_true(contains("<1.0.dev1", "0.9.dev0", TG_PRE_AUTO));
	/* but "!=" and wildcards do not name one */
	assert_false(contains("!=1.0.dev1", "1.1a1", TG_PRE_AUTO));
	assert_false(contains("==2.0.*", "2.0.dev1", TG_PRE_AUTO));
	assert_true(contains("", "1.0.dev1", TG_PRE_INCLUDE));
	assert_false(contains("", "1.0.dev1", TG_PRE_AUTO));
	assert_true(contains("", "1.0.post1", TG_PRE_EXCLUDE));
}

static void filters_like_packaging(void **state)
{
	struct tg_pep440_specset set;
	struct tg_err err;
	const char *c1[] = { "1.2", "1.5a1" };
	const char *c2[] = { "1.3", "1.5a1" };
	const char *c3[] = { "1.0a1", "foobar", "1.0", "2.0a1", "bazqux", "2.0" };
	size_t l1[] = { 3, 5 }, l3[] = { 5, 6, 3, 5, 6, 3 };
	bool keep[6];

	(void)state;
	assert_int_equal(tg_pep440_spec_parse(">=1.2.3", 7, &set, &err), 0);
	/* no final release matches: the pre-release is kept */
	assert_int_equal(tg_pep440_spec_filter(&set, c1, l1, 2, TG_PRE_AUTO, keep), 1);
	assert_false(keep[0]);
	assert_true(keep[1]);
	assert_int_equal(tg_pep440_spec_filter(&set, c2, l1, 2, TG_PRE_AUTO, keep), 1);
	assert_true(keep[0]);
	assert_int_equal(tg_pep440_spec_filter(&set, c2, l1, 2, TG_PRE_INCLUDE, keep), 2);
	assert_int_equal(tg_pep440_spec_filter(&set, c1, l1, 2, TG_PRE_EXCLUDE, keep), 0);
	tg_pep440_specset_release(&set);
	assert_int_equal(tg_pep440_spec_parse("", 0, &set, &err), 0);
	assert_int_equal(tg_pep440_spec_filter(&set, c3, l3, 6, TG_PRE_AUTO, keep), 4);
	assert_false(keep[0]);
	assert_true(keep[1]);
	assert_true(keep[4]);
	tg_pep440_specset_release(&set);
}

static void parses_and_formats_sets(void **state)
{
	struct tg_pep440_specset set;
	struct tg_buf b;
	struct tg_err err;
	const char *s = " >1.0.0 , >1.0,, != 2.0 ,===Foo";

	(void)state;
	assert_int_equal(tg_pep440_spec_parse(s, strlen(s), &set, &err), 0);
	assert_int_equal(set.n, 4);
	assert_true(set.has_arbitrary);
	tg_buf_init(&b, 1024);
	assert_int_equal(tg_pep440_specset_format(&set, &b, &err), 0);
	assert_string_equal(b.data, "!=2.0,===Foo,>1.0");
	tg_buf_release(&b);
	tg_pep440_specset_release(&set);
	assert_int_equal(tg_pep440_spec_parse(",", 1, &set, &err), 0);
	assert_int_equal(set.n, 0);
	tg_pep440_specset_release(&set);
}

static void rejects_invalid_specifiers(void **state)
{
	static const char *const bad[] = {
		"2.0", "=>2.0", "==", "~=1.0+5", ">=1.0+deadbeef", "<1.0+1.0",
		"~=1.0.*", ">=1.0.*", "==1.0.*+5", "==2.0a1.*", "!=2.0.post1.*",
		"==1.0.*.5", "~=1", "==1.2+\xc4\xb0", "===foo bar", "===a;b",
		">=1.0,<2.0,foo",
	};
	struct tg_pep440_specset set;
	struct tg_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = tg_pep440_spec_parse(bad[i], strlen(bad[i]), &set, &err);
		if (rc != TG_EPARSE)
			fail_msg("'%s' was accepted (rc %d)", bad[i], rc);
		assert_int_equal(set.n, 0);
	}
	assert_int_equal(tg_pep440_spec_parse(">=1.0, <2.0, ~=1", 16, &set, &err), TG_EPARSE);
	assert_int_equal(err.col, 16);
	assert_non_null(strstr(err.msg, "'~=' needs at least two release numbers"));
	assert_int_equal(tg_pep440_spec_parse(">=1.0,  foo", 11, &set, &err), TG_EPARSE);
	assert_int_equal(err.col, 9);
	assert_non_null(strstr(err.msg, "expected an operator"));
}

static void caps_specifier_sets(void **state)
{
	struct tg_pep440_specset set;
	struct tg_buf b;
	struct tg_err err;
	int i;

	(void)state;
	tg_buf_init(&b, 1 << 16);
	for (i = 0; i < TG_PEP440_SPEC_MAX_ITEMS; i++)
		assert_int_equal(tg_buf_addf(&b, &err, "%s!=%d", i ? "," : "", i), 0);
	assert_int_equal(tg_pep440_spec_parse(b.data, b.len, &set, &err), 0);
	assert_int_equal(set.n, TG_PEP440_SPEC_MAX_ITEMS);
	tg_pep440_specset_release(&set);
	assert_int_equal(tg_buf_adds(&b, ",!=999", &err), 0);
	assert_int_equal(tg_pep440_spec_parse(b.data, b.len, &set, &err), TG_ELIMIT);
	assert_non_null(strstr(err.msg, "more than 64 items"));
	tg_buf_reset(&b);
	for (i = 0; i < 5000; i++)
		assert_int_equal(tg_buf_addc(&b, ',', &err), 0);
	assert_int_equal(tg_pep440_spec_parse(b.data, b.len, &set, &err), TG_ELIMIT);
	assert_non_null(strstr(err.msg, "4096-byte limit"));
	tg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalizes_permissive_forms),
		cmocka_unit_test(canonical_shape_check_is_sound),
		cmocka_unit_test(orders_like_packaging),
		cmocka_unit_test(reports_errors_with_columns),
		cmocka_unit_test(caps_input_length),
		cmocka_unit_test(long_versions_use_heap_and_copy),
		cmocka_unit_test(matches_operators),
		cmocka_unit_test(pre_release_modes),
		cmocka_unit_test(filters_like_packaging),
		cmocka_unit_test(parses_and_formats_sets),
		cmocka_unit_test(rejects_invalid_specifiers),
		cmocka_unit_test(caps_specifier_sets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

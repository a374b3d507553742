/* PEP 508 requirement lines: parts, errors with columns, caps, printing.
 * packaging's own cases run in tests/e2e/pep508_vectors.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/pep508.h"

static int parse(const char *s, struct tg_requirement *r, struct tg_err *err)
{
	return tg_pep508_parse(s, strlen(s), r, err);
}

static void full_requirement(void **state)
{
	struct tg_requirement r;
	struct tg_err err;
	struct tg_buf b;

	(void)state;
	assert_int_equal(parse("Requests [security, tests] >= 2.8.1, == 2.8.* ; "
			       "python_version < \"2.7\"", &r, &err), 0);
	assert_string_equal(r.name, "Requests");
	assert_string_equal(r.norm_name, "requests");
	assert_int_equal(r.n_extras, 2);
	assert_string_equal(r.extras[0], "security");
	assert_string_equal(r.extras[1], "tests");
	assert_string_equal(r.specifier, ">= 2.8.1,== 2.8.*");
	assert_int_equal(r.spec.n, 2);
	assert_true(tg_pep440_spec_contains_str(&r.spec, "2.8.5", 5, TG_PRE_AUTO, NULL));
	assert_false(tg_pep440_spec_contains_str(&r.spec, "2.9.0", 5, TG_PRE_AUTO, NULL));
	assert_null(r.url);
	assert_non_null(r.marker);
	tg_buf_init(&b, 0);
	assert_int_equal(tg_requirement_format(&r, &b, &err), 0);
	assert_string_equal(b.data, "Requests[security,tests]==2.8.*,>=2.8.1; "
				    "python_version < \"2.7\"");
	tg_buf_release(&b);
	tg_requirement_release(&r);
	tg_requirement_release(&r); /* harmless twice */
}

static void urls_need_a_space_before_the_marker(void **state)
{
	struct tg_requirement r;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse("pip @ https://h/p.zip#sha1=da92 ; sys_platform == 'linux'",
			       &r, &err), 0);
	assert_string_equal(r.url, "https://h/p.zip#sha1=da92");
	assert_non_null(r.marker);
	tg_requirement_release(&r);
	/* without the space the ';' belongs to the URL, and what follows is
	 * no marker */
	assert_int_equal(parse("pip @ https://h/p.zip; sys_platform == 'linux'", &r, &err),
			 TG_EPARSE);
	assert_int_equal(err.col, 24);
	assert_non_null(strstr(err.msg, "expected ';'"));
	/* but alone it is part of a valid URL */
	assert_int_equal(parse("pip @ https://h/p;v=1", &r, &err), 0);
	assert_string_equal(r.url, "https://h/p;v=1");
	tg_requirement_release(&r);
}

static void errors_name_column_and_expectation(void **state)
{
	static const struct {
		const char *in;
		unsigned long col;
		const char *says;
	} cases[] = {
		{ "", 1, "package name" },
		{ "name (>= 1.0", 13, "expected ')' to close the '(' at column 6" },
		{ "name[bar baz]", 10, "comma between extra names" },
		{ "name[bar,]", 10, "extra name after the comma" },
		{ "name >= 1.0 #", 13, "expected ','" },
		{ "name==1.0.org1", 10, "expected ','" },
		{ "name 1.0", 6, "expected a version specifier" },
		{ "name; os_name == 'a' junk", 22, "end of the requirement" },
		{ "name; (os_name == 'a'", 22, "expected ')' to close the '(' at column 7" },
		{ "name; os_name ~ 'a'", 15, "marker operator" },
		{ "black (>=20.*)", 13, "'.*' is only allowed with == and !=" },
		{ "name>=1.0+local", 10, "local version label" },
		{ "name; os_name == '\\x4'", 23, "truncated" },
	};
	struct tg_requirement r;
	struct tg_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tg_err_clear(&err);
		assert_int_equal(parse(cases[i].in, &r, &err), TG_EPARSE);
		if (err.col != cases[i].col || !strstr(err.msg, cases[i].says))
			fail_msg("'%s': got column %lu, '%s'", cases[i].in, err.col, err.msg);
		assert_null(r.name); /* nothing half-built left behind */
	}
}

static void newline_and_whitespace_rules(void **state)
{
	struct tg_requirement r;
	struct tg_err err;

	(void)state;
	/* packaging's "$" matches before one final newline */
	assert_int_equal(parse("name>=1.0\n", &r, &err), 0);
	tg_requirement_release(&r);
	assert_int_equal(parse("name>=1.0\n\n", &r, &err), TG_EPARSE);
	/* only spaces and tabs separate parts */
	assert_int_equal(parse("\tname\t[a]\t(>=1)\t;\tos_name=='x'\t", &r, &err), 0);
	tg_requirement_release(&r);
	assert_int_equal(parse("name\r>=1", &r, &err), TG_EPARSE);
}

static void caps(void **state)
{
	struct tg_requirement r;
	struct tg_err err;
	struct tg_buf b;
	int i;

	(void)state;
	tg_buf_init(&b, 0);
	assert_int_equal(tg_buf_adds(&b, "name[", &err), 0);
	for (i = 0; i <= TG_PEP508_MAX_EXTRAS; i++)
		assert_int_equal(tg_buf_addf(&b, &err, "%se%d", i ? "," : "", i), 0);
	assert_int_equal(tg_buf_addc(&b, ']', &err), 0);
	assert_int_equal(tg_pep508_parse(b.data, b.len, &r, &err), TG_ELIMIT);
	tg_buf_reset(&b);
	for (i = 0; i < 70000; i++)
		assert_int_equal(tg_buf_addc(&b, 'a', &err), 0);
	assert_int_equal(tg_pep508_parse(b.data, b.len, &r, &err), TG_ELIMIT);
	tg_buf_release(&b);
}

static void applies_in_target_environment(void **state)
{
	struct tg_requirement r;
	struct tg_marker_env env;
	struct tg_err err;
	bool ok;

	(void)state;
	tg_marker_env_init(&env);
	assert_int_equal(tg_marker_env_target(&env, "3.7", "win32", &err), 0);
	assert_int_equal(parse("pywin32>=300; sys_platform == 'win32' and "
			       "python_version >= '3.6'", &r, &err), 0);
	assert_int_equal(tg_requirement_applies(&r, &env, &ok, &err), 0);
	assert_true(ok);
	assert_int_equal(tg_marker_env_target(&env, "3.12", "linux", &err), 0);
	assert_int_equal(tg_requirement_applies(&r, &env, &ok, &err), 0);
	assert_false(ok);
	tg_requirement_release(&r);
	assert_int_equal(parse("plain", &r, &err), 0);
	assert_int_equal(tg_requirement_applies(&r, &env, &ok, &err), 0);
	assert_true(ok);
	tg_requirement_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_requirement),
		cmocka_unit_test(urls_need_a_space_before_the_marker),
		cmocka_unit_test(errors_name_column_and_expectation),
		cmocka_unit_test(newline_and_whitespace_rules),
		cmocka_unit_test(caps),
		cmocka_unit_test(applies_in_target_environment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* PEP 508 environment markers: printing, evaluation rules, literal
 * escapes, nesting and size caps, environments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/markers.h"

static struct tg_marker_env env;

static int setup(void **state)
{
	struct tg_err err;

	(void)state;
	tg_marker_env_init(&env);
	env.values[TG_MV_PLATFORM_RELEASE] = "6.1.0";
	env.values[TG_MV_PLATFORM_VERSION] = "#1 SMP PREEMPT_DYNAMIC";
	return tg_marker_env_target(&env, "3.11.4", "linux", &err);
}

/* 1 true, 0 false, -1 evaluation error, -2 parse error */
static int eval(const char *s)
{
	struct tg_marker m;
	struct tg_err err;
	bool r;
	int rc;

	if (tg_marker_parse(s, strlen(s), &m, &err))
		return -2;
	rc = tg_marker_evaluate(&m, &env, &r, &err);
	tg_marker_release(&m);
	return rc ? -1 : r;
}

static void expect_format(const char *in, const char *want)
{
	struct tg_marker m;
	struct tg_err err;
	struct tg_buf b;

	tg_buf_init(&b, 0);
	assert_int_equal(tg_marker_parse(in, strlen(in), &m, &err), 0);
	assert_int_equal(tg_marker_format(&m, &b, &err), 0);
	assert_string_equal(b.data, want);
	tg_buf_release(&b);
	tg_marker_release(&m);
}

static void prints_like_packaging(void **state)
{
	(void)state;
	expect_format("python_version=='2.7'", "python_version == \"2.7\"");
	expect_format("os.name=='nt' or python_implementation=='PyPy'",
		      "os_name == \"nt\" or platform_python_implementation == \"PyPy\"");
	expect_format("((extra == 'A_B'))", "extra == \"a-b\"");
	expect_format("python_version >= '3' and (os_name == 'a' or os_name == 'b')",
		      "python_version >= \"3\" and (os_name == \"a\" or os_name == \"b\")");
	expect_format("'3.8' < python_version", "\"3.8\" < python_version");
	expect_format("'a\\x41\\n' in platform_version", "\"aA\n\" in platform_version");
}

static void version_variables_compare_as_versions(void **state)
{
	(void)state;
	assert_int_equal(eval("python_version >= '3.8'"), 1);
	assert_int_equal(eval("python_version > '3.9'"), 1);    /* 3.11 > 3.9 */
	assert_int_equal(eval("'3.12' <= python_version"), 0);  /* reversed */
	assert_int_equal(eval("python_full_version ~= '3.11.0'"), 1);
	assert_int_equal(eval("python_full_version == '3.11.*'"), 1);
	assert_int_equal(eval("python_full_version > '3.11.4a1'"), 1); /* pre-releases count */
	assert_int_equal(eval("platform_release >= '5.15'"), 1);
	/* not a version on the environment side: no match, no error */
	env.values[TG_MV_PLATFORM_RELEASE] = "6.1.0-13-amd64"; /* Debian's uname -r */
	assert_int_equal(eval("platform_release >= '5'"), 0);
	env.values[TG_MV_PLATFORM_RELEASE] = "NT";
	assert_int_equal(eval("platform_release >= '5'"), 0);
	assert_int_equal(eval("platform_release == 'NT'"), 1);  /* "==NT" is no specifier */
	env.values[TG_MV_PLATFORM_RELEASE] = "6.1.0";
	/* an unparsable right side is a string comparison */
	assert_int_equal(eval("python_version == 'surprise'"), 0);
	assert_int_equal(eval("python_version ~= 'surprise'"), -1);
}

static void string_variables_compare_as_strings(void **state)
{
	(void)state;
	assert_int_equal(eval("sys_platform == 'linux'"), 1);
	assert_int_equal(eval("sys_platform != 'win32'"), 1);
	assert_int_equal(eval("sys_platform > 'a'"), 0);       /* no ordering */
	assert_int_equal(eval("sys_platform >= 'linux'"), 1);  /* means == */
	assert_int_equal(eval("'lin' in sys_platform"), 1);
	assert_int_equal(eval("'SMP' not in platform_version"), 0);
	assert_int_equal(eval("platform_machine === 'x86_64'"), -1);
	/* two literals: the right one names the variable */
	assert_int_equal(eval("'linux' == 'sys_platform'"), 1);
	assert_int_equal(eval("'a' == 'b'"), -1);
}

static void extras_normalise(void **state)
{
	(void)state;
	assert_int_equal(eval("extra == 'security'"), 0); /* no extra requested */
	env.values[TG_MV_EXTRA] = "Foo..Bar";
	assert_int_equal(eval("extra == 'foo_bar'"), 1);
	assert_int_equal(eval("extra == 'v2'"), 0);       /* not a version comparison */
	env.values[TG_MV_EXTRA] = NULL;
	assert_int_equal(eval("'dev' in extras"), -1);     /* not defined */
	{
		static const char *const groups[] = { "Dev_Tools", "docs" };
		env.extras = groups;
		env.n_extras = 2;
		env.has_extras = true;
		assert_int_equal(eval("'dev-tools' in extras and 'docs' in extras"), 1);
		assert_int_equal(eval("'lint' not in extras"), 1);
		assert_int_equal(eval("extras == 'docs'"), -1); /* a set, not a string */
		env.has_extras = false;
	}
}

static void python_plus_versions_are_repaired(void **state)
{
	(void)state;
	env.values[TG_MV_PYTHON_FULL_VERSION] = "3.11.1+";
	assert_int_equal(eval("python_full_version < '3.12'"), 1);
	env.values[TG_MV_PYTHON_FULL_VERSION] = "3.11.4";
}

static void and_binds_tighter_and_every_term_is_checked(void **state)
{
	(void)state;
	assert_int_equal(eval("os_name == 'nt' and os_name == 'x' or os_name == 'posix'"), 1);
	assert_int_equal(eval("os_name == 'posix' and (os_name == 'nt' or sys_platform == 'x')"), 0);
	/* no short circuit: a bad term fails even after a true "or" */
	assert_int_equal(eval("os_name == 'posix' or os_name ~= 'x'"), -1);
}

static void nesting_and_size_caps(void **state)
{
	struct tg_marker m;
	struct tg_err err;
	char buf[1024];
	int depth;

	(void)state;
	for (depth = TG_MARKER_MAX_DEPTH; depth <= TG_MARKER_MAX_DEPTH + 1; depth++) {
		int i, n = 0;
		for (i = 0; i < depth; i++)
			buf[n++] = '(';
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "os_name == 'a'");
		for (i = 0; i < depth; i++)
			buf[n++] = ')';
		buf[n] = '\0';
		if (depth == TG_MARKER_MAX_DEPTH) {
			assert_int_equal(tg_marker_parse(buf, (size_t)n, &m, &err), 0);
			tg_marker_release(&m);
		} else {
			assert_int_equal(tg_marker_parse(buf, (size_t)n, &m, &err), TG_ELIMIT);
			assert_non_null(strstr(err.msg, "nested"));
		}
	}
	{
		struct tg_buf b;
		int i;
		tg_buf_init(&b, 0);
		for (i = 0; i < TG_MARKER_MAX_NODES; i++)
			assert_int_equal(tg_buf_adds(&b, i ? " or os_name=='a'" : "os_name=='a'",
						     &err), 0);
		assert_int_equal(tg_marker_parse(b.data, b.len, &m, &err), TG_ELIMIT);
		tg_buf_release(&b);
	}
}

static void literal_errors(void **state)
{
	struct tg_marker m;
	struct tg_err err;

	(void)state;
	assert_int_equal(tg_marker_parse("os_name == \"C:\\\"", 16, &m, &err), TG_EPARSE);
	assert_int_equal(err.col, 17); /* after the literal, where packaging points */
	assert_int_equal(tg_marker_parse("os_name == 'a\nb'", 16, &m, &err), TG_EPARSE);
	assert_int_equal(tg_marker_parse("os_name == '\\N{DASH}'", 21, &m, &err), TG_EPARSE);
	/* a NUL from an escape is kept as a byte */
	assert_int_equal(tg_marker_parse("os_name == 'a\\0b'", 17, &m, &err), 0);
	assert_int_equal(m.nodes[m.children[m.nodes[m.root].first]].rhs.len, 3);
	tg_marker_release(&m);
}

static void target_environment_validates(void **state)
{
	struct tg_marker_env e;
	struct tg_err err;

	(void)state;
	tg_marker_env_init(&e);
	assert_int_equal(tg_marker_env_target(&e, "3.x", NULL, &err), TG_EINVAL);
	assert_int_equal(tg_marker_env_target(&e, NULL, "beos", &err), TG_EINVAL);
	assert_int_equal(tg_marker_env_target(&e, "3.9", "darwin", &err), 0);
	assert_string_equal(e.values[TG_MV_PYTHON_FULL_VERSION], "3.9.0");
	assert_string_equal(e.values[TG_MV_PLATFORM_SYSTEM], "Darwin");
	assert_null(e.values[TG_MV_PLATFORM_RELEASE]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prints_like_packaging),
		cmocka_unit_test(version_variables_compare_as_versions),
		cmocka_unit_test(string_variables_compare_as_strings),
		cmocka_unit_test(extras_normalise),
		cmocka_unit_test(python_plus_versions_are_repaired),
		cmocka_unit_test(and_binds_tighter_and_every_term_is_checked),
		cmocka_unit_test(nesting_and_size_caps),
		cmocka_unit_test(literal_errors),
		cmocka_unit_test(target_environment_validates),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

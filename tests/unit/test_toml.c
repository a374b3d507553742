/* TOML parser API: accessors, document order, positions of values and
 * keys, typed getters, date/time rendering, error positions and messages,
 * and every cap. (Conformance is the toml-test suite in tests/e2e.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/toml.h"

static struct tg_toml *parse_ok(const char *text)
{
	struct tg_toml *doc = NULL;
	struct tg_err err;
	int rc = tg_toml_parse(text, strlen(text), "t.toml", &doc, &err);

	if (rc)
		fail_msg("unexpected parse error: %lu:%lu: %s", err.line, err.col,
			 err.msg);
	assert_non_null(doc);
	return doc;
}

/* Parse must fail with code at line:col and a message containing want. */
static void expect_error(const char *text, size_t len, int code,
			 unsigned long line, unsigned long col, const char *want)
{
	struct tg_toml *doc = (struct tg_toml *)1;
	struct tg_err err;
	int rc = tg_toml_parse(text, len, "bad.toml", &doc, &err);

	if (rc != code || err.line != line || err.col != col ||
	    !strstr(err.msg, want))
		fail_msg("input %.40s: got rc=%d %lu:%lu '%s'; wanted rc=%d %lu:%lu '%s'",
			 text, rc, err.line, err.col, err.msg, code, line, col, want);
	assert_null(doc);
	assert_string_equal(err.file, "bad.toml");
}

#define EXPECT_ERROR(text, code, line, col, want) \
	expect_error(text, sizeof(text) - 1, code, line, col, want)

/* A slice of a uv.lock: the kind of document lockfile parsers walk. */
static const char UV_LOCK[] =
	"version = 1\n"
	"requires-python = \">=3.9\"\n"
	"\n"
	"[[package]]\n"
	"name = \"anyio\"\n"
	"version = \"4.4.0\"\n"
	"source = { registry = \"https://pypi.org/simple\" }\n"
	"dependencies = [\n"
	"    { name = \"idna\" },\n"
	"    { name = \"sniffio\" },\n"
	"]\n"
	"sdist = { url = \"https://files.example/anyio-4.4.0.tar.gz\", hash = \"sha256:5aad\", size = 5000 }\n"
	"\n"
	"[[package]]\n"
	"name = \"idna\"\n"
	"version = \"3.7\"\n"
	"\n"
	"[package.optional-dependencies]\n"
	"all = [\"x\"]\n";

static void lockfile_walk_and_positions(void **state)
{
	struct tg_toml *doc = parse_ok(UV_LOCK);
	const struct tg_toml_value *root = tg_toml_root(doc), *pkgs, *p0, *p1,
				   *deps, *sdist, *v;
	struct tg_toml_entry e;
	const char *s;
	size_t len;
	int64_t n;

	(void)state;
	assert_string_equal(tg_toml_origin(doc), "t.toml");
	assert_int_equal(tg_toml_type(root), TG_TOML_TABLE);
	assert_int_equal(tg_toml_table_len(root), 3);
	/* document order */
	assert_true(tg_toml_table_entry(root, 0, &e));
	assert_string_equal(e.key, "version");
	assert_int_equal(e.line, 1);
	assert_int_equal(e.col, 1);
	assert_true(tg_toml_table_entry(root, 1, &e));
	assert_string_equal(e.key, "requires-python");
	assert_true(tg_toml_table_entry(root, 2, &e));
	assert_string_equal(e.key, "package");
	assert_false(tg_toml_table_entry(root, 3, &e));

	assert_true(tg_toml_int(tg_toml_get(root, "version"), &n));
	assert_int_equal(n, 1);
	v = tg_toml_get(root, "requires-python");
	assert_int_equal(tg_toml_line(v), 2);
	assert_int_equal(tg_toml_col(v), 19);

	pkgs = tg_toml_get(root, "package");
	assert_int_equal(tg_toml_type(pkgs), TG_TOML_ARRAY);
	assert_int_equal(tg_toml_array_len(pkgs), 2);
	p0 = tg_toml_array_at(pkgs, 0);
	p1 = tg_toml_array_at(pkgs, 1);
	assert_null(tg_toml_array_at(pkgs, 2));
	/* an array-of-tables element sits at its [[header]] */
	assert_int_equal(tg_toml_line(p0), 4);
	assert_int_equal(tg_toml_col(p0), 1);
	assert_int_equal(tg_toml_line(p1), 14);
	assert_string_equal(tg_toml_get_str(p0, "name"), "anyio");
	assert_int_equal(tg_toml_line(tg_toml_get(p0, "name")), 5);
	assert_int_equal(tg_toml_col(tg_toml_get(p0, "name")), 8);
	assert_string_equal(tg_toml_get_str(p1, "name"), "idna");

	deps = tg_toml_get(p0, "dependencies");
	assert_int_equal(tg_toml_array_len(deps), 2);
	assert_int_equal(tg_toml_line(deps), 8);
	assert_int_equal(tg_toml_col(deps), 16);
	v = tg_toml_array_at(deps, 1);
	assert_int_equal(tg_toml_type(v), TG_TOML_TABLE);
	assert_int_equal(tg_toml_line(v), 10);
	assert_int_equal(tg_toml_col(v), 5);
	assert_string_equal(tg_toml_get_str(v, "name"), "sniffio");

	sdist = tg_toml_get(p0, "sdist");
	assert_true(tg_toml_string(tg_toml_get(sdist, "hash"), &s, &len));
	assert_string_equal(s, "sha256:5aad");
	assert_int_equal(len, 11);
	assert_true(tg_toml_int(tg_toml_get(sdist, "size"), &n));
	assert_int_equal(n, 5000);

	/* [package.optional-dependencies] lands in the last element */
	v = tg_toml_get(p1, "optional-dependencies");
	assert_int_equal(tg_toml_line(v), 18);
	assert_true(tg_toml_string(tg_toml_array_at(tg_toml_get(v, "all"), 0), &s, NULL));
	assert_string_equal(s, "x");
	assert_null(tg_toml_get(p0, "optional-dependencies"));
	tg_toml_free(doc);
}

static void typed_getters_refuse_other_types(void **state)
{
	struct tg_toml *doc = parse_ok("s = \"x\"\ni = 7\nf = 1.5\nb = true\n"
				       "a = []\nt = {}\n");
	const struct tg_toml_value *root = tg_toml_root(doc);
	const char *s = "untouched";
	int64_t i = 42;
	double f = 2.5;
	bool b = false;
	struct tg_toml_datetime dt;
	char buf[TG_TOML_DATETIME_MAX];

	(void)state;
	assert_false(tg_toml_string(tg_toml_get(root, "i"), &s, NULL));
	assert_string_equal(s, "untouched");
	assert_false(tg_toml_int(tg_toml_get(root, "f"), &i));
	assert_int_equal(i, 42);
	assert_false(tg_toml_float(tg_toml_get(root, "i"), &f));
	assert_true(f == 2.5);
	assert_false(tg_toml_bool(tg_toml_get(root, "s"), &b));
	assert_false(tg_toml_datetime(tg_toml_get(root, "s"), &dt));
	assert_false(tg_toml_datetime_format(tg_toml_get(root, "i"), buf, sizeof(buf)));
	assert_null(tg_toml_get_str(root, "i"));
	assert_null(tg_toml_get_str(root, "missing"));
	assert_null(tg_toml_get(tg_toml_get(root, "s"), "x"));
	assert_int_equal(tg_toml_array_len(tg_toml_get(root, "t")), 0);
	assert_int_equal(tg_toml_table_len(tg_toml_get(root, "a")), 0);
	assert_null(tg_toml_array_at(tg_toml_get(root, "a"), 0));
	/* NULL-safe so that chains of lookups need no checks in between */
	assert_false(tg_toml_int(NULL, &i));
	assert_null(tg_toml_get(NULL, "x"));
	assert_int_equal(tg_toml_array_len(NULL), 0);
	assert_int_equal(tg_toml_line(NULL), 0);
	assert_true(tg_toml_bool(tg_toml_get(root, "b"), &b));
	assert_true(b);
	assert_true(tg_toml_float(tg_toml_get(root, "f"), &f));
	assert_true(f == 1.5);
	assert_string_equal(tg_toml_type_name(tg_toml_type(tg_toml_get(root, "t"))), "table");
	tg_toml_free(doc);
}

static void strings_keep_nul_and_length(void **state)
{
	struct tg_toml *doc = parse_ok("\"k\\u0000ey\" = \"a\\u0000b\\U0001F600\"\n"
				       "ml = \"\"\"\n  one \\\n    two\"\"\"\n"
				       "lit = '''\nC:\\x'''\n");
	const struct tg_toml_value *root = tg_toml_root(doc);
	struct tg_toml_entry e;
	const char *s;
	size_t len;

	(void)state;
	assert_true(tg_toml_table_entry(root, 0, &e));
	assert_int_equal(e.key_len, 4);
	assert_memory_equal(e.key, "k\0ey", 4);
	assert_null(tg_toml_get(root, "k"));
	assert_non_null(tg_toml_getn(root, "k\0ey", 4));
	assert_true(tg_toml_string(e.value, &s, &len));
	assert_int_equal(len, 7);
	assert_memory_equal(s, "a\0b\xf0\x9f\x98\x80", 8); /* includes the NUL terminator */
	assert_true(tg_toml_string(tg_toml_get(root, "ml"), &s, &len));
	assert_string_equal(s, "  one two");
	assert_true(tg_toml_string(tg_toml_get(root, "lit"), &s, &len));
	assert_string_equal(s, "C:\\x");
	tg_toml_free(doc);
}

static void numbers_at_the_edges(void **state)
{
	struct tg_toml *doc = parse_ok("max = 9_223_372_036_854_775_807\n"
				       "min = -9223372036854775808\n"
				       "hex = 0xDEAD_beef\noct = 0o755\nbin = 0b1010\n"
				       "pinf = +inf\nninf = -inf\nnan = -nan\n"
				       "tiny = 1e-400\nexp = 6.626e-34\n");
	const struct tg_toml_value *root = tg_toml_root(doc);
	int64_t i;
	double f;

	(void)state;
	assert_true(tg_toml_int(tg_toml_get(root, "max"), &i));
	assert_true(i == INT64_MAX);
	assert_true(tg_toml_int(tg_toml_get(root, "min"), &i));
	assert_true(i == INT64_MIN);
	assert_true(tg_toml_int(tg_toml_get(root, "hex"), &i));
	assert_int_equal(i, 3735928559);
	assert_true(tg_toml_int(tg_toml_get(root, "oct"), &i));
	assert_int_equal(i, 493);
	assert_true(tg_toml_int(tg_toml_get(root, "bin"), &i));
	assert_int_equal(i, 10);
	assert_true(tg_toml_float(tg_toml_get(root, "pinf"), &f));
	assert_true(isinf(f) && f > 0);
	assert_true(tg_toml_float(tg_toml_get(root, "ninf"), &f));
	assert_true(isinf(f) && f < 0);
	assert_true(tg_toml_float(tg_toml_get(root, "nan"), &f));
	assert_true(isnan(f));
	assert_true(tg_toml_float(tg_toml_get(root, "tiny"), &f));
	assert_true(f == 0.0);
	assert_true(tg_toml_float(tg_toml_get(root, "exp"), &f));
	assert_true(f == 6.626e-34);
	tg_toml_free(doc);

	EXPECT_ERROR("a = 9223372036854775808\n", TG_EPARSE, 1, 5, "does not fit in 64 bits");
	EXPECT_ERROR("a = -9223372036854775809\n", TG_EPARSE, 1, 5, "does not fit in 64 bits");
	EXPECT_ERROR("a = 0x1_0000_0000_0000_0000\n", TG_EPARSE, 1, 5, "does not fit");
	EXPECT_ERROR("a = 1e999\n", TG_EPARSE, 1, 5, "out of range");
}

static void datetimes_keep_components_and_precision(void **state)
{
	struct tg_toml *doc = parse_ok(
		"odt = 1979-05-27T00:32:00.999999-07:00\n"
		"z = 1979-05-27 07:32:00z\n"
		"ldt = 1979-05-27T07:32:00\n"
		"ld = 2024-02-29\n"
		"lt = 00:32:00.5\n"
		"long = 07:32:00.1234567891234\n");
	const struct tg_toml_value *root = tg_toml_root(doc);
	struct tg_toml_datetime dt;
	char buf[TG_TOML_DATETIME_MAX];

	(void)state;
	assert_int_equal(tg_toml_type(tg_toml_get(root, "odt")), TG_TOML_DATETIME);
	assert_true(tg_toml_datetime(tg_toml_get(root, "odt"), &dt));
	assert_int_equal(dt.year, 1979);
	assert_int_equal(dt.month, 5);
	assert_int_equal(dt.day, 27);
	assert_int_equal(dt.hour, 0);
	assert_int_equal(dt.minute, 32);
	assert_int_equal(dt.nanosecond, 999999000);
	assert_int_equal(dt.frac_digits, 6);
	assert_int_equal(dt.offset_minutes, -420);
	assert_false(dt.offset_z);
	assert_true(tg_toml_datetime_format(tg_toml_get(root, "odt"), buf, sizeof(buf)));
	assert_string_equal(buf, "1979-05-27T00:32:00.999999-07:00");
	assert_true(tg_toml_datetime_format(tg_toml_get(root, "z"), buf, sizeof(buf)));
	assert_string_equal(buf, "1979-05-27T07:32:00Z");
	assert_int_equal(tg_toml_type(tg_toml_get(root, "ldt")), TG_TOML_DATETIME_LOCAL);
	assert_true(tg_toml_datetime_format(tg_toml_get(root, "ldt"), buf, sizeof(buf)));
	assert_string_equal(buf, "1979-05-27T07:32:00");
	assert_int_equal(tg_toml_type(tg_toml_get(root, "ld")), TG_TOML_DATE_LOCAL);
	assert_true(tg_toml_datetime_format(tg_toml_get(root, "ld"), buf, sizeof(buf)));
	assert_string_equal(buf, "2024-02-29");
	assert_int_equal(tg_toml_type(tg_toml_get(root, "lt")), TG_TOML_TIME_LOCAL);
	assert_true(tg_toml_datetime_format(tg_toml_get(root, "lt"), buf, sizeof(buf)));
	assert_string_equal(buf, "00:32:00.5");
	/* beyond nanoseconds the fraction is truncated, as TOML allows */
	assert_true(tg_toml_datetime_format(tg_toml_get(root, "long"), buf, sizeof(buf)));
	assert_string_equal(buf, "07:32:00.123456789");
	assert_false(tg_toml_datetime_format(tg_toml_get(root, "odt"), buf, 10));
	tg_toml_free(doc);

	EXPECT_ERROR("d = 2023-02-29\n", TG_EPARSE, 1, 5, "day is out of range");
	EXPECT_ERROR("d = 1979-05-27T07:32\n", TG_EPARSE, 1, 5, "seconds are required");
	EXPECT_ERROR("d = 1979-05-27T07:32:00+24:00\n", TG_EPARSE, 1, 5, "offset out of range");
}

static void errors_point_at_the_problem(void **state)
{
	(void)state;
	EXPECT_ERROR("name \"x\"\n", TG_EPARSE, 1, 6, "expected '=' after key 'name', found '\"'");
	EXPECT_ERROR("[a]\nx = 1\n[a]\n", TG_EPARSE, 3, 1, "table [a] is defined twice (first at line 1)");
	EXPECT_ERROR("a = 1\nb = 2\na = 3\n", TG_EPARSE, 3, 1,
		     "duplicate key 'a' (first defined at line 1, column 1)");
	EXPECT_ERROR("a = \"tab\\q\"\n", TG_EPARSE, 1, 9, "invalid escape sequence '\\q'");
	EXPECT_ERROR("a = 1 b = 2\n", TG_EPARSE, 1, 7, "expected end of line after the value of 'a'");
	EXPECT_ERROR("a = [1, 2\n", TG_EPARSE, 1, 5, "unterminated array");
	EXPECT_ERROR("a = { b = 1,\n c = 2 }\n", TG_EPARSE, 1, 13, "one line");
	EXPECT_ERROR("a = 01\n", TG_EPARSE, 1, 5, "leading zeros");
	EXPECT_ERROR("s = \"\\uD800\"\n", TG_EPARSE, 1, 6, "not a Unicode scalar value");
	EXPECT_ERROR("[x]\ny.z = 1\n[x.y]\n", TG_EPARSE, 3, 1, "already defined by dotted keys");
	EXPECT_ERROR("a = [1]\n[[a]]\n", TG_EPARSE, 2, 1, "array written as a value");
	EXPECT_ERROR("t = {a = 1}\nt.b = 2\n", TG_EPARSE, 2, 1, "inline table");
	/* columns count characters, not bytes */
	EXPECT_ERROR("k = \"\xc3\xa9\xc3\xa9\" x\n", TG_EPARSE, 1, 10, "expected end of line");
	/* positions after a BOM and across CRLF lines */
	EXPECT_ERROR("\xef\xbb\xbf" "a = 1\r\nb = \r\n", TG_EPARSE, 2, 5, "expected a value");
	EXPECT_ERROR("a = 1\r\nb = 2\r", TG_EPARSE, 2, 6, "carriage return");
	/* an error inside a multi-line string counts its newlines */
	EXPECT_ERROR("s = \"\"\"\none\ntwo \\x\"\"\"\n", TG_EPARSE, 3, 5, "invalid escape");
	EXPECT_ERROR("a = \"x\xed\xa0\x80\"\n", TG_EPARSE, 1, 7, "invalid UTF-8");
	EXPECT_ERROR("a = \"x\0\"\n", TG_EPARSE, 1, 7, "control character U+0000");
}

static void big_tables_are_indexed(void **state)
{
	struct tg_buf b;
	struct tg_toml *doc = NULL;
	struct tg_err err;
	const struct tg_toml_value *root;
	struct tg_toml_entry e;
	char key[32];
	int64_t n;
	int i;

	(void)state;
	tg_buf_init(&b, 0);
	for (i = 0; i < 5000; i++)
		assert_int_equal(tg_buf_addf(&b, &err, "k%d = %d\n", i, i), 0);
	assert_int_equal(tg_toml_parse(b.data, b.len, "big.toml", &doc, &err), 0);
	root = tg_toml_root(doc);
	assert_int_equal(tg_toml_table_len(root), 5000);
	for (i = 0; i < 5000; i += 7) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(tg_toml_int(tg_toml_get(root, key), &n));
		assert_int_equal(n, i);
		assert_true(tg_toml_table_entry(root, (size_t)i, &e));
		assert_string_equal(e.key, key);
		assert_int_equal(e.line, (unsigned long)i + 1);
	}
	assert_null(tg_toml_get(root, "k5000"));
	tg_toml_free(doc);
	/* the duplicate is found through the index, at its own line */
	assert_int_equal(tg_buf_adds(&b, "k4321 = 0\n", &err), 0);
	assert_int_equal(tg_toml_parse(b.data, b.len, "big.toml", &doc, &err), TG_EPARSE);
	assert_int_equal(err.line, 5001);
	assert_non_null(strstr(err.msg, "first defined at line 4322"));
	tg_buf_release(&b);
}

static void caps_are_located_limit_errors(void **state)
{
	struct tg_toml_limits lim;
	struct tg_toml *doc = NULL;
	struct tg_err err;
	struct tg_buf b;
	int i;

	(void)state;
	tg_buf_init(&b, 0);
	/* default depth 128: 127 nested arrays under a key parse, 128 do not */
	assert_int_equal(tg_buf_adds(&b, "a = ", &err), 0);
	for (i = 0; i < 127; i++)
		assert_int_equal(tg_buf_addc(&b, '[', &err), 0);
	for (i = 0; i < 127; i++)
		assert_int_equal(tg_buf_addc(&b, ']', &err), 0);
	assert_int_equal(tg_toml_parse(b.data, b.len, "deep.toml", &doc, &err), 0);
	tg_toml_free(doc);
	tg_buf_reset(&b);
	assert_int_equal(tg_buf_adds(&b, "\na = ", &err), 0);
	for (i = 0; i < 200; i++)
		assert_int_equal(tg_buf_addc(&b, '[', &err), 0);
	assert_int_equal(tg_toml_parse(b.data, b.len, "deep.toml", &doc, &err), TG_ELIMIT);
	assert_null(doc);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 5 + 128);
	assert_non_null(strstr(err.msg, "nesting deeper than the limit of 128"));
	assert_string_equal(err.file, "deep.toml");

	/* deep dotted keys and headers count too */
	tg_buf_reset(&b);
	assert_int_equal(tg_buf_adds(&b, "[a", &err), 0);
	for (i = 0; i < 300; i++)
		assert_int_equal(tg_buf_adds(&b, ".a", &err), 0);
	assert_int_equal(tg_buf_adds(&b, "]\n", &err), 0);
	assert_int_equal(tg_toml_parse(b.data, b.len, "deep.toml", &doc, &err), TG_ELIMIT);
	assert_int_equal(err.line, 1);

	memset(&lim, 0, sizeof(lim));
	lim.max_key_len = 8;
	assert_int_equal(tg_toml_parse_ex("short = 1\nmuchtoolong = 2\n", 26, "k.toml",
					  &lim, &doc, &err), TG_ELIMIT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 1);
	assert_non_null(strstr(err.msg, "key longer than the limit of 8 bytes"));
	assert_int_equal(tg_toml_parse_ex("x.\"quoted-too-long\" = 1\n", 24, "k.toml",
					  &lim, &doc, &err), TG_ELIMIT);
	assert_int_equal(err.col, 3);

	memset(&lim, 0, sizeof(lim));
	lim.max_string_len = 4;
	assert_int_equal(tg_toml_parse_ex("a = \"1234\"\nb = '12345'\n", 23, "s.toml",
					  &lim, &doc, &err), TG_ELIMIT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 5);
	assert_non_null(strstr(err.msg, "string longer than the limit of 4 bytes"));

	memset(&lim, 0, sizeof(lim));
	lim.max_values = 5; /* the root table counts as one */
	assert_int_equal(tg_toml_parse_ex("a = [1, 2]\nb = 3\n", 17, "v.toml", &lim,
					  &doc, &err), 0);
	tg_toml_free(doc);
	assert_int_equal(tg_toml_parse_ex("a = [1, 2, 3]\nb = 3\n", 20, "v.toml", &lim,
					  &doc, &err), TG_ELIMIT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 5);

	memset(&lim, 0, sizeof(lim));
	lim.max_input = 10;
	assert_int_equal(tg_toml_parse_ex("a = 12345678\n", 13, "i.toml", &lim, &doc,
					  &err), TG_ELIMIT);
	assert_non_null(strstr(err.msg, "more than the limit of 10"));
	assert_null(doc);
	tg_buf_release(&b);
}

static void callers_report_at_values(void **state)
{
	struct tg_toml *doc = parse_ok("[tool.tollgate]\nfail-on = 3\n");
	const struct tg_toml_value *v;
	struct tg_err err;
	char out[256];

	(void)state;
	v = tg_toml_get(tg_toml_get(tg_toml_get(tg_toml_root(doc), "tool"), "tollgate"),
			"fail-on");
	assert_int_equal(tg_toml_err_at(&err, TG_EINVAL, doc, v,
					 "fail-on must be a string, not %s",
					 tg_toml_type_name(tg_toml_type(v))),
			 TG_EINVAL);
	tg_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "t.toml:2:11: fail-on must be a string, not integer");
	tg_toml_free(doc);
}

static void table_rules(void **state)
{
	struct tg_toml *doc;
	const struct tg_toml_value *root, *t;
	struct tg_err err;

	(void)state;
	/* a super-table may be defined after its sub-table, once */
	doc = parse_ok("[a.b.c]\nx = 1\n[a]\ny = 2\n[fruit]\napple.color = 'red'\n"
		       "[fruit.apple.texture]\nsmooth = true\n");
	root = tg_toml_root(doc);
	t = tg_toml_get(root, "a");
	assert_int_equal(tg_toml_line(t), 3); /* where it was defined */
	assert_int_equal(tg_toml_table_len(t), 2);
	t = tg_toml_get(tg_toml_get(tg_toml_get(root, "fruit"), "apple"), "texture");
	assert_non_null(tg_toml_get(t, "smooth"));
	tg_toml_free(doc);
	/* an implicit table created by a dotted key sits at that key */
	doc = parse_ok("\n  x.y.z = 1\n");
	t = tg_toml_get(tg_toml_get(tg_toml_root(doc), "x"), "y");
	assert_int_equal(tg_toml_line(t), 2);
	assert_int_equal(tg_toml_col(t), 5);
	tg_toml_free(doc);
	assert_int_equal(tg_toml_parse("[a]\n[a.b]\n[a]\n", 14, NULL, &doc, &err), TG_EPARSE);
	assert_string_equal(err.file, "");
	assert_int_equal(tg_toml_parse("[[a]]\n[a.b]\n[[a]]\n[a.b]\n", 24, NULL, &doc, &err), 0);
	assert_int_equal(tg_toml_array_len(tg_toml_get(tg_toml_root(doc), "a")), 2);
	tg_toml_free(doc);
	assert_int_equal(tg_toml_parse("", 0, NULL, &doc, &err), 0);
	assert_int_equal(tg_toml_table_len(tg_toml_root(doc)), 0);
	tg_toml_free(doc);
	tg_toml_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lockfile_walk_and_positions),
		cmocka_unit_test(typed_getters_refuse_other_types),
		cmocka_unit_test(strings_keep_nul_and_length),
		cmocka_unit_test(numbers_at_the_edges),
		cmocka_unit_test(datetimes_keep_components_and_precision),
		cmocka_unit_test(errors_point_at_the_problem),
		cmocka_unit_test(big_tables_are_indexed),
		cmocka_unit_test(caps_are_located_limit_errors),
		cmocka_unit_test(callers_report_at_values),
		cmocka_unit_test(table_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* RECORD parsing: CSV quoting as Python's csv module writes it, hashes,
 * sizes, and the errors a malformed RECORD must give. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tollgate/err.h"
#include "tollgate/verify_record.h"

static int parse(const char *text, struct tg_record *r, struct tg_err *err)
{
	tg_record_init(r);
	tg_err_clear(err);
	return tg_record_parse(text, strlen(text), "RECORD", r, err);
}

/* The first rows of a real RECORD (rfc8785 0.1.2 wheel). */
static void real_rows(void **state)
{
	struct tg_record r;
	struct tg_err err;
	static const unsigned char init_sha[4] = { 0xf1, 0x01, 0xe0, 0xa8 };
	const char *text =
		"rfc8785/__init__.py,sha256=8QHgqDRJ2uC1mhHAEx1a9Dzbczca7LKwgt5fClq3T7E,496\r\n"
		"rfc8785/py.typed,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\r\n"
		"rfc8785-0.1.2.dist-info/RECORD,,\r\n";

	(void)state;
	assert_int_equal(parse(text, &r, &err), 0);
	assert_int_equal(r.n_rows, 3);
	assert_string_equal(r.rows[0].path, "rfc8785/__init__.py");
	assert_string_equal(r.rows[0].alg, "sha256");
	assert_int_equal(r.rows[0].digest_len, 32);
	assert_memory_equal(r.rows[0].digest, init_sha, 4);
	assert_int_equal(r.rows[0].size, 496);
	assert_int_equal(r.rows[1].size, 0);
	assert_string_equal(r.rows[2].alg, "");
	assert_int_equal(r.rows[2].digest_len, 0);
	assert_int_equal(r.rows[2].size, -1);
	assert_int_equal(r.rows[2].line, 3);
	tg_record_release(&r);
}

static void quoted_fields(void **state)
{
	struct tg_record r;
	struct tg_err err;
	const char *text =
		"\"dir/a,b.py\",sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n"
		"\"q\"\"uote.txt\",,\n"
		"\n"
		"../../../bin/tool,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0";

	(void)state;
	assert_int_equal(parse(text, &r, &err), 0);
	assert_int_equal(r.n_rows, 3);
	assert_string_equal(r.rows[0].path, "dir/a,b.py");
	assert_string_equal(r.rows[1].path, "q\"uote.txt");
	assert_string_equal(r.rows[2].path, "../../../bin/tool");
	assert_int_equal(r.rows[2].line, 4);
	tg_record_release(&r);
}

static void expect_error(const char *text, enum tg_code code, const char *msg_part,
			 unsigned long line)
{
	struct tg_record r;
	struct tg_err err;

	assert_int_equal(parse(text, &r, &err), code);
	if (!strstr(err.msg, msg_part))
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
	if (err.line != line)
		fail_msg("%s: line %lu, wanted %lu", text, err.line, line);
	assert_string_equal(err.file, "RECORD");
	tg_record_release(&r);
}

static void malformed(void **state)
{
	(void)state;
	expect_error("a.py,md5=abc,1\n", TG_EPARSE, "not accepted", 1);
	expect_error("ok,,\na.py,sha256=short,1\n", TG_EPARSE, "not 32 bytes", 2);
	/* Standard-alphabet characters are not URL-safe base64. */
	expect_error("a.py,sha256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU,0\n",
		     TG_EPARSE, "URL-safe", 1);
	expect_error("a.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,-1\n",
		     TG_EPARSE, "byte count", 1);
	expect_error("a.py,,\nb.py\n", TG_EPARSE, "1 field", 2);
	expect_error("a.py,,,\n", TG_EPARSE, "more than 3", 1);
	expect_error("\"a.py,,\n", TG_EPARSE, "unterminated", 1);
	expect_error("a\"b.py,,\n", TG_EPARSE, "quote inside", 1);
	expect_error(",,\n", TG_EPARSE, "empty", 1);
	expect_error("a.py,sha256,1\n", TG_EPARSE, "ALG=DIGEST", 1);
}

static void problem_names(void **state)
{
	(void)state;
	assert_string_equal(tg_installed_problem_name(TG_INST_MODIFIED), "modified");
	assert_string_equal(tg_installed_problem_name(TG_INST_UNRECORDED), "unrecorded");
	assert_string_equal(tg_installed_problem_name(TG_INST_NO_RECORD), "no-record");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_rows),
		cmocka_unit_test(quoted_fields),
		cmocka_unit_test(malformed),
		cmocka_unit_test(problem_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Core library: buffer caps, error formatting, checked sizes, strings,
 * UTF-8 validation, file reading caps, atomic writes, SHA-256/512. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/fs.h"
#include "tollgate/hash.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

static void buf_grows_until_cap(void **state)
{
	struct tg_buf b;
	struct tg_err err;
	int i;

	(void)state;
	tg_buf_init(&b, 100);
	for (i = 0; i < 10; i++)
		assert_int_equal(tg_buf_adds(&b, "0123456789", &err), 0);
	assert_int_equal(b.len, 100);
	assert_int_equal(b.data[100], '\0');
	assert_int_equal(tg_buf_addc(&b, 'x', &err), TG_ELIMIT);
	assert_int_equal(err.code, TG_ELIMIT);
	assert_non_null(strstr(err.msg, "100 bytes"));
	assert_int_equal(b.len, 100); /* nothing half-appended */
	tg_buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
}

static void buf_formats_and_escapes(void **state)
{
	struct tg_buf b;
	struct tg_err err;
	char *p;
	size_t n;

	(void)state;
	tg_buf_init(&b, 0);
	assert_int_equal(tg_buf_addf(&b, &err, "%s=%d;", "k", 42), 0);
	assert_int_equal(tg_buf_add_json_escaped(&b, "a\"b\\c\n\x01", 7, &err), 0);
	assert_string_equal(b.data, "k=42;a\\\"b\\\\c\\n\\u0001");
	p = tg_buf_detach(&b, &n);
	assert_int_equal(n, strlen(p));
	free(p);
	assert_int_equal(b.len, 0);
	tg_buf_release(&b);
}

static void err_formats_location(void **state)
{
	struct tg_err err;
	char out[600];

	(void)state;
	tg_err_at(&err, TG_EPARSE, "requirements.txt", 12, 5, "expected '=='");
	tg_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "requirements.txt:12:5: expected '=='");
	tg_err_prefix(&err, "reading %s", "lock");
	assert_string_equal(err.msg, "reading lock: expected '=='");
	tg_err_set(&err, TG_EIO, "plain");
	tg_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "plain");
	tg_err_locate(&err, "f", 3, 0);
	tg_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "f:3: plain");
	assert_string_equal(tg_code_name(TG_ELIMIT), "limit");
}

static void size_arithmetic_detects_overflow(void **state)
{
	size_t r;

	(void)state;
	assert_true(tg_size_add(1, 2, &r));
	assert_int_equal(r, 3);
	assert_false(tg_size_add(SIZE_MAX, 1, &r));
	assert_false(tg_size_mul(SIZE_MAX / 2 + 1, 2, &r));
	assert_true(tg_size_mul(1000, 1000, &r));
}

static void integers_parse_strictly(void **state)
{
	uint64_t u;
	int64_t i;

	(void)state;
	assert_true(tg_parse_u64("18446744073709551615", 20, &u));
	assert_true(u == UINT64_MAX);
	assert_false(tg_parse_u64("18446744073709551616", 20, &u));
	assert_false(tg_parse_u64("", 0, &u));
	assert_false(tg_parse_u64("12a", 3, &u));
	assert_true(tg_parse_i64("-9223372036854775808", &i));
	assert_true(i == INT64_MIN);
	assert_false(tg_parse_i64("9223372036854775808", &i));
	assert_false(tg_parse_i64(" 1", &i));
}

static void utf8_validation(void **state)
{
	size_t off = 0;

	(void)state;
	assert_true(tg_utf8_valid("h\xc3\xa9llo \xf0\x9f\x98\x80", 11, &off));
	assert_false(tg_utf8_valid("ab\xc0\xaf", 4, &off)); /* overlong '/' */
	assert_int_equal(off, 2);
	assert_false(tg_utf8_valid("\xed\xa0\x80", 3, &off)); /* surrogate */
	assert_false(tg_utf8_valid("\xf4\x90\x80\x80", 4, &off)); /* > U+10FFFF */
	assert_false(tg_utf8_valid("\xe2\x82", 2, &off)); /* truncated */
}

static void strings_and_hex(void **state)
{
	char small[4];
	unsigned char bytes[2];
	char hex[5];

	(void)state;
	assert_int_equal(tg_strlcpy(small, "abcdef", sizeof(small)), 6);
	assert_string_equal(small, "abc");
	assert_true(tg_str_starts_with("tollgate", "toll"));
	assert_true(tg_str_ends_with("x.whl", ".whl"));
	assert_int_equal(tg_ascii_casecmp("ReQuests", "requests"), 0);
	assert_true(tg_hex_decode("aBff", 4, bytes, 2));
	assert_int_equal(bytes[0], 0xab);
	tg_hex_encode(bytes, 2, hex);
	assert_string_equal(hex, "abff");
	assert_false(tg_hex_decode("zz", 2, bytes, 1));
}

static void file_read_respects_cap(void **state)
{
	char path[] = "/tmp/tg-core-XXXXXX";
	struct tg_buf b;
	struct tg_err err;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);

	tg_buf_init(&b, 0);
	assert_int_equal(tg_read_file(path, 10, &b, &err), 0);
	assert_int_equal(b.len, 10);
	tg_buf_release(&b);

	tg_buf_init(&b, 0);
	assert_int_equal(tg_read_file(path, 9, &b, &err), TG_ELIMIT);
	assert_string_equal(err.file, path);
	tg_buf_release(&b);

	tg_buf_init(&b, 0);
	assert_int_equal(tg_read_file("/nonexistent/x", 9, &b, &err), TG_EIO);
	assert_non_null(strstr(err.msg, "No such file"));
	tg_buf_release(&b);
	unlink(path);
}

static void atomic_write_replaces_whole_file(void **state)
{
	char dir[] = "/tmp/tg-core-dir-XXXXXX";
	char *path;
	struct tg_buf b;
	struct tg_err err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = tg_path_join(dir, "out.json");
	assert_int_equal(tg_write_file_atomic(path, "old", 3, &err), 0);
	assert_int_equal(tg_write_file_atomic(path, "new content", 11, &err), 0);
	tg_buf_init(&b, 0);
	assert_int_equal(tg_read_file(path, 100, &b, &err), 0);
	assert_string_equal(b.data, "new content");
	tg_buf_release(&b);
	/* A directory that does not exist: error, nothing created. */
	assert_int_equal(tg_write_file_atomic("/nonexistent-dir/x", "a", 1, &err), TG_EIO);
	unlink(path);
	rmdir(dir);
	free(path);
}

static void sha_known_answers(void **state)
{
	unsigned char d256[TG_SHA256_LEN], d512[TG_SHA512_LEN];
	char hex[129];
	struct tg_err err;

	(void)state;
	/* FIPS 180-2 test vectors for "abc". */
	assert_int_equal(tg_sha256("abc", 3, d256, &err), 0);
	tg_hex_encode(d256, sizeof(d256), hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(tg_sha512("abc", 3, d512, &err), 0);
	tg_hex_encode(d512, sizeof(d512), hex);
	assert_string_equal(hex, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
				 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

static void sha_file_matches_oneshot(void **state)
{
	char path[] = "/tmp/tg-hash-XXXXXX";
	unsigned char a[TG_SHA256_LEN], b[TG_SHA256_LEN];
	unsigned long long size = 0;
	struct tg_err err;
	char *data = malloc(200000);
	int fd;

	(void)state;
	assert_non_null(data);
	for (int i = 0; i < 200000; i++)
		data[i] = (char)(i * 7);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, 200000), 200000);
	close(fd);
	assert_int_equal(tg_sha256(data, 200000, a, &err), 0);
	assert_int_equal(tg_hash_file(path, TG_HASH_SHA256, b, sizeof(b), &size, &err), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_true(size == 200000);
	unlink(path);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_until_cap),
		cmocka_unit_test(buf_formats_and_escapes),
		cmocka_unit_test(err_formats_location),
		cmocka_unit_test(size_arithmetic_detects_overflow),
		cmocka_unit_test(integers_parse_strictly),
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(strings_and_hex),
		cmocka_unit_test(file_read_respects_cap),
		cmocka_unit_test(atomic_write_replaces_whole_file),
		cmocka_unit_test(sha_known_answers),
		cmocka_unit_test(sha_file_matches_oneshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

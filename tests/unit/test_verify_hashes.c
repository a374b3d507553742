/* Hash pinning over an inventory built here, against artifact files whose
 * SHA-256 are known answers; distribution file-name splitting; findings. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tollgate/err.h"
#include "tollgate/finding.h"
#include "tollgate/fs.h"
#include "tollgate/package.h"
#include "tollgate/verify_hashes.h"

/* sha256("hello\n") and sha256("print(1)\n") */
#define H_HELLO "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
#define H_PRINT "cc42155088fca5730758db72b2a5bca33112a941dfaa2d43098ec422ce4ea213"

static void split_names(void **state)
{
	char n[64], v[32];

	(void)state;
	assert_true(tg_dist_filename_split("Foo_Bar-1.0rc1-py3-none-any.whl", n, sizeof(n), v,
					   sizeof(v)));
	assert_string_equal(n, "foo-bar");
	assert_string_equal(v, "1.0rc1");
	assert_true(tg_dist_filename_split("zope.interface-6.0.tar.gz", n, sizeof(n), v, sizeof(v)));
	assert_string_equal(n, "zope-interface");
	assert_string_equal(v, "6.0");
	assert_true(tg_dist_filename_split("my-pkg-2.1.zip", n, sizeof(n), v, sizeof(v)));
	assert_string_equal(n, "my-pkg");
	assert_string_equal(v, "2.1");
	assert_false(tg_dist_filename_split("README.txt", n, sizeof(n), v, sizeof(v)));
	assert_false(tg_dist_filename_split("nodash.tar.gz", n, sizeof(n), v, sizeof(v)));
	assert_false(tg_dist_filename_split("x-1.0-py3-none-any.whl", n, 1, v, sizeof(v)));
}

static void add(struct tg_inventory *inv, const char *name, const char *norm,
		const char *version, const char *alg, const char *hex)
{
	struct tg_package t;
	struct tg_package *p;
	struct tg_err err;

	memset(&t, 0, sizeof(t));
	t.eco = TG_ECO_PYPI;
	t.name = (char *)name;
	t.norm_name = (char *)norm;
	t.version = (char *)version;
	t.origin_path = (char *)"requirements.txt";
	t.origin_line = inv->n_pkgs + 1;
	if (!version)
		t.flags = TG_PKG_UNPINNED;
	p = tg_inventory_add(inv, &t, &err);
	assert_non_null(p);
	if (alg)
		assert_int_equal(tg_package_add_hash(p, alg, hex, &err), 0);
}

static const struct tg_pin_issue *issue(const struct tg_pin_report *r, enum tg_pin_kind k,
					const char *pkg)
{
	size_t i;

	for (i = 0; i < r->n_issues; i++)
		if (r->issues[i].kind == k && strcmp(r->issues[i].package, pkg) == 0)
			return &r->issues[i];
	return NULL;
}

static void pins_and_artifacts(void **state)
{
	char dir[] = "/tmp/tg-pins-XXXXXX";
	char path[256], cmd[300];
	struct tg_inventory inv;
	struct tg_pin_report r;
	struct tg_report rep;
	struct tg_err err;
	const struct tg_pin_issue *is;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/good-1.0-py3-none-any.whl", dir);
	assert_int_equal(tg_write_file_atomic(path, "hello\n", 6, &err), 0);
	snprintf(path, sizeof(path), "%s/bad-2.0.tar.gz", dir);
	assert_int_equal(tg_write_file_atomic(path, "hello\n", 6, &err), 0);
	snprintf(path, sizeof(path), "%s/stray-0.1.tar.gz", dir);
	assert_int_equal(tg_write_file_atomic(path, "x", 1, &err), 0);
	/* PEP 440 spells one release several ways: the pin's "4.2.0-RC1"
	 * is the file's "4.2.0rc1". */
	snprintf(path, sizeof(path), "%s/pre-4.2.0rc1-py3-none-any.whl", dir);
	assert_int_equal(tg_write_file_atomic(path, "hello\n", 6, &err), 0);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	assert_int_equal(tg_write_file_atomic(path, "x", 1, &err), 0);

	tg_inventory_init(&inv);
	add(&inv, "Good", "good", "1.0", "sha256", H_HELLO);
	add(&inv, "bad", "bad", "2.0", "sha256", H_PRINT);
	add(&inv, "weak", "weak", "1.0", "md5", "d41d8cd98f00b204e9800998ecf8427e");
	add(&inv, "bare", "bare", "1.0", NULL, NULL);
	add(&inv, "loose", "loose", NULL, NULL, NULL);
	add(&inv, "absent", "absent", "3.0", "sha512",
	    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	add(&inv, "pre", "pre", "4.2.0-RC1", "sha256", H_HELLO);

	tg_pin_report_init(&r);
	assert_int_equal(tg_verify_hashes(&inv, NULL, &r, &err), 0);
	assert_int_equal(r.n_packages, 7);
	assert_int_equal(r.n_strong, 4);
	assert_non_null(issue(&r, TG_PIN_WEAK_ONLY, "weak"));
	assert_non_null(issue(&r, TG_PIN_NO_HASH, "bare"));
	assert_non_null(issue(&r, TG_PIN_UNPINNED, "loose"));
	assert_non_null(issue(&r, TG_PIN_NO_HASH, "loose"));
	assert_int_equal(r.n_issues, 4);
	tg_pin_report_release(&r);

	tg_pin_report_init(&r);
	assert_int_equal(tg_verify_hashes(&inv, dir, &r, &err), 0);
	assert_int_equal(r.n_files, 4); /* notes.txt is not a distribution */
	assert_int_equal(r.n_files_ok, 2);
	is = issue(&r, TG_PIN_MISMATCH, "bad");
	assert_non_null(is);
	assert_string_equal(is->file, "bad-2.0.tar.gz");
	assert_int_equal(is->origin_line, 2);
	assert_non_null(strstr(is->detail, H_HELLO));
	assert_non_null(issue(&r, TG_PIN_UNLISTED_FILE, "stray"));
	assert_non_null(issue(&r, TG_PIN_MISSING_FILE, "absent"));
	assert_non_null(issue(&r, TG_PIN_MISSING_FILE, "weak"));
	assert_null(issue(&r, TG_PIN_MISSING_FILE, "good"));
	assert_null(issue(&r, TG_PIN_MISSING_FILE, "pre"));
	assert_null(issue(&r, TG_PIN_UNLISTED_FILE, "pre"));

	tg_report_init(&rep);
	assert_int_equal(tg_pin_report_to_findings(&r, &rep, &err), 0);
	assert_int_equal(rep.n_findings, r.n_issues);
	assert_int_equal(rep.findings[0].kind, TG_FIND_INTEGRITY);
	tg_report_release(&rep);
	tg_pin_report_release(&r);

	assert_int_equal(tg_verify_hashes(&inv, "/nonexistent-dir-for-test", &r, &err), TG_EIO);
	tg_pin_report_release(&r);
	tg_inventory_release(&inv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_names),
		cmocka_unit_test(pins_and_artifacts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

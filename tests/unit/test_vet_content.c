/* vet content layer: member paths, excerpts, archives built in memory with
 * libarchive (caps, traversal, links, duplicates), YARA rule loading and
 * the per-member context rules see. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/err.h"
#include "tollgate/vet.h"
#include "tollgate/vet_content.h"
#include "vet/content_internal.h"
#include "vet/content_paths.h"

/* ---- an in-memory archive writer for the tests ----------------------- */

struct mem_archive {
	char *buf;
	size_t cap;
	size_t used;
	struct archive *a;
};

static void ma_open(struct mem_archive *m, bool zip, size_t cap)
{
	m->cap = cap;
	m->buf = malloc(cap);
	m->used = 0;
	m->a = archive_write_new();
	assert_non_null(m->buf);
	if (zip) {
		archive_write_set_format_zip(m->a);
	} else {
		archive_write_set_format_pax_restricted(m->a);
		archive_write_add_filter_gzip(m->a);
	}
	assert_int_equal(archive_write_open_memory(m->a, m->buf, m->cap, &m->used), ARCHIVE_OK);
}

static void ma_add(struct mem_archive *m, const char *path, const void *data,
		   size_t len)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	assert_int_equal(archive_write_header(m->a, e), ARCHIVE_OK);
	if (len)
		assert_int_equal(archive_write_data(m->a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

static void ma_adds(struct mem_archive *m, const char *path, const char *text)
{
	ma_add(m, path, text, strlen(text));
}

static void ma_link(struct mem_archive *m, const char *path, const char *target,
		    bool hard)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, path);
	if (hard) {
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_hardlink(e, target);
	} else {
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, target);
	}
	archive_entry_set_perm(e, 0777);
	assert_int_equal(archive_write_header(m->a, e), ARCHIVE_OK);
	archive_entry_free(e);
}

static void ma_close(struct mem_archive *m)
{
	assert_int_equal(archive_write_close(m->a), ARCHIVE_OK);
	archive_write_free(m->a);
}

static bool has_rule(const struct tg_vet_result *r, const char *rule,
		     enum tg_vet_level level)
{
	size_t i;

	for (i = 0; i < r->n_reasons; i++)
		if (strcmp(r->reasons[i].rule, rule) == 0 && r->reasons[i].level == level)
			return true;
	return false;
}

static struct tg_vet_rules *shipped_rules(void)
{
	struct tg_vet_rules *rules = NULL;
	struct tg_err err;

	tg_err_clear(&err);
	/* ctest runs unit tests from the source tree. */
	assert_int_equal(tg_vet_rules_load("rules", &rules, &err), 0);
	assert_true(tg_vet_rules_count(rules) >= 30);
	return rules;
}

/* ---- paths ------------------------------------------------------------- */

static void paths_normalise(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(vet_path_normalize("a/./b//c/", &out), VET_PATH_OK);
	assert_string_equal(out, "a/b/c");
	free(out);
	assert_int_equal(vet_path_normalize("./pkg\\mod.py", &out), VET_PATH_OK);
	assert_string_equal(out, "pkg/mod.py");
	free(out);
	assert_int_equal(vet_path_normalize("../x", &out), VET_PATH_TRAVERSAL);
	free(out);
	assert_int_equal(vet_path_normalize("a/b/../../../x", &out), VET_PATH_TRAVERSAL);
	free(out);
	assert_int_equal(vet_path_normalize("a\\..\\..\\x", &out), VET_PATH_TRAVERSAL);
	free(out);
	assert_int_equal(vet_path_normalize("/etc/passwd", &out), VET_PATH_ABSOLUTE);
	free(out);
	assert_int_equal(vet_path_normalize("C:\\Windows\\x", &out), VET_PATH_ABSOLUTE);
	free(out);
	/* ".." inside a name is not a component. */
	assert_int_equal(vet_path_normalize("a/..b/c..", &out), VET_PATH_OK);
	assert_string_equal(out, "a/..b/c..");
	free(out);
}

static void links(void **state)
{
	(void)state;
	assert_false(vet_link_escapes("pkg/a/link", "../b/file", false));
	assert_false(vet_link_escapes("pkg/link", "../other", false));
	assert_true(vet_link_escapes("pkg/link", "../../etc/passwd", false));
	assert_true(vet_link_escapes("link", "..", false));
	assert_true(vet_link_escapes("pkg/link", "/etc/passwd", false));
	assert_false(vet_link_escapes("pkg/link", "pkg/file", true));
	assert_true(vet_link_escapes("pkg/deep/link", "../pkg/file", true));
	assert_true(vet_link_escapes("x", "", false));
}

static void sanitize(void **state)
{
	char out[32];

	(void)state;
	{
		const char *s = "  a\tb\r\n\x1b[31mc";
		tg_vet_sanitize(s, strlen(s), out, sizeof(out));
	}
	assert_string_equal(out, "a b ?[31mc");
	/* U+202E RIGHT-TO-LEFT OVERRIDE hides reordered text: replaced. */
	tg_vet_sanitize("x\xe2\x80\xaey", 5, out, sizeof(out));
	assert_string_equal(out, "x?y");
	/* Printable UTF-8 (a Cyrillic look-alike) is kept as evidence. */
	tg_vet_sanitize("p\xd0\xb0ypal", 7, out, sizeof(out));
	assert_string_equal(out, "p\xd0\xb0ypal");
	tg_vet_sanitize("\xff\xfe", 2, out, sizeof(out));
	assert_string_equal(out, "??");
	tg_vet_sanitize("0123456789012345678901234567890123456789", 40, out, 16);
	assert_string_equal(out, "012345678901...");
	assert_int_equal(strlen(out), 15);
}

/* ---- archives ----------------------------------------------------------- */

static int scan(const struct tg_vet_rules *rules, const struct tg_vet_limits *lim,
		struct mem_archive *m, const char *name, struct tg_vet_result *r)
{
	struct tg_err err;

	tg_vet_result_init(r);
	tg_err_clear(&err);
	return tg_vet_scan_memory(rules, lim, TG_VET_ART_AUTO, m->buf, m->used, name, r, &err);
}

static void traversal_and_links(void **state)
{
	struct mem_archive m;
	struct tg_vet_result r;

	(void)state;
	ma_open(&m, false, 1 << 16);
	ma_adds(&m, "x-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: x\nVersion: 1.0\n\n");
	ma_adds(&m, "x-1.0/../../evil", "boom");
	ma_link(&m, "x-1.0/up", "../../../../etc", false);
	ma_link(&m, "x-1.0/ok", "PKG-INFO", false);
	ma_link(&m, "x-1.0/hard", "/etc/shadow", true);
	ma_close(&m);
	assert_int_equal(scan(NULL, NULL, &m, "x-1.0.tar.gz", &r), 0);
	assert_true(has_rule(&r, "archive-traversal", TG_VET_BLOCK));
	assert_true(has_rule(&r, "archive-link-escape", TG_VET_BLOCK));
	assert_int_equal(r.verdict, TG_VET_BLOCK);
	assert_string_equal(r.artifact, "sdist");
	assert_string_equal(r.name, "x");
	/* Exactly the two bad links, not the good one. */
	{
		size_t i, n = 0;
		for (i = 0; i < r.n_reasons; i++)
			if (strcmp(r.reasons[i].rule, "archive-link-escape") == 0)
				n++;
		assert_int_equal(n, 2);
	}
	tg_vet_result_release(&r);
	free(m.buf);
}

static void caps(void **state)
{
	struct tg_vet_limits lim;
	struct mem_archive m;
	struct tg_vet_result r;
	char *zeros = calloc(1, 8 << 20);
	int i;

	(void)state;
	assert_non_null(zeros);
	/* Entry count. */
	tg_vet_limits_init(&lim);
	lim.max_entries = 10;
	ma_open(&m, true, 1 << 16);
	for (i = 0; i < 12; i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%d.txt", i);
		ma_adds(&m, name, "x");
	}
	ma_close(&m);
	assert_int_equal(scan(NULL, &lim, &m, "many.zip", &r), 0);
	assert_true(has_rule(&r, "archive-limit", TG_VET_BLOCK));
	tg_vet_result_release(&r);
	free(m.buf);

	/* Compression ratio: 8 MiB of zeros deflate to a few KiB. */
	tg_vet_limits_init(&lim);
	ma_open(&m, true, 1 << 20);
	ma_add(&m, "zeros.bin", zeros, 8 << 20);
	ma_close(&m);
	assert_true(m.used < 100000);
	assert_int_equal(scan(NULL, &lim, &m, "bomb.zip", &r), 0);
	assert_true(has_rule(&r, "archive-limit", TG_VET_BLOCK));
	tg_vet_result_release(&r);

	/* The same archive passes once the ratio cap allows it ... */
	lim.max_ratio = 100000;
	assert_int_equal(scan(NULL, &lim, &m, "bomb.zip", &r), 0);
	assert_false(tg_vet_result_has(&r, "archive-limit"));
	tg_vet_result_release(&r);
	/* ... and stops on the per-member and total caps. */
	lim.max_entry = 1 << 20;
	assert_int_equal(scan(NULL, &lim, &m, "bomb.zip", &r), 0);
	assert_true(has_rule(&r, "archive-limit", TG_VET_BLOCK));
	tg_vet_result_release(&r);
	tg_vet_limits_init(&lim);
	lim.max_ratio = 100000;
	lim.max_total = 2 << 20;
	assert_int_equal(scan(NULL, &lim, &m, "bomb.zip", &r), 0);
	assert_true(has_rule(&r, "archive-limit", TG_VET_BLOCK));
	tg_vet_result_release(&r);
	free(m.buf);
	free(zeros);
}

static void not_an_archive(void **state)
{
	struct tg_vet_result r;
	struct tg_err err;
	const char junk[] = "this is not an archive at all, just text";

	(void)state;
	tg_vet_result_init(&r);
	tg_err_clear(&err);
	assert_int_equal(tg_vet_scan_memory(NULL, NULL, TG_VET_ART_AUTO, junk,
					    sizeof(junk) - 1, "junk.whl", &r, &err),
			 TG_EPARSE);
	assert_string_equal(err.file, "junk.whl");
	tg_vet_result_release(&r);
}

static void duplicate_members(void **state)
{
	struct mem_archive m;
	struct tg_vet_result r;

	(void)state;
	ma_open(&m, true, 1 << 16);
	ma_adds(&m, "pkg/__init__.py", "a = 1\n");
	ma_adds(&m, "pkg/__init__.py", "a = 2\n");
	ma_close(&m);
	assert_int_equal(scan(NULL, NULL, &m, "dup.zip", &r), 0);
	assert_true(has_rule(&r, "archive-duplicate", TG_VET_WARN));
	tg_vet_result_release(&r);
	free(m.buf);
}

/* A wheel built here with a correct RECORD is clean; changing one byte
 * of a member after RECORD was written is caught. */
static void wheel_record(void **state)
{
	static const char init_py[] = "x = 1\n";
	/* sha256("x = 1\n") urlsafe base64 without padding. */
	static const char record_ok[] =
		"w/__init__.py,sha256=nia_NpkRxFwkPGhBR7I_yeHc_PJX0pmhxjIBam_NM_Q,6\n"
		"w-1.0.dist-info/METADATA,,\n"
		"w-1.0.dist-info/WHEEL,,\n"
		"w-1.0.dist-info/RECORD,,\n";
	struct mem_archive m;
	struct tg_vet_result r;

	(void)state;
	ma_open(&m, true, 1 << 16);
	ma_adds(&m, "w/__init__.py", "x = 2\n");
	ma_adds(&m, "w-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: w\nVersion: 1.0\n\n");
	ma_adds(&m, "w-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
	ma_adds(&m, "w-1.0.dist-info/RECORD", record_ok);
	ma_close(&m);
	(void)init_py;
	assert_int_equal(scan(NULL, NULL, &m, "w-1.0-py3-none-any.whl", &r), 0);
	assert_string_equal(r.artifact, "wheel");
	/* RECORD rows without hash for METADATA/WHEEL are findings too. */
	assert_true(has_rule(&r, "record-mismatch", TG_VET_BLOCK));
	{
		size_t i;
		bool content = false;
		for (i = 0; i < r.n_reasons; i++)
			if (strstr(r.reasons[i].message, "does not match the sha256") &&
			    strcmp(r.reasons[i].path, "w/__init__.py") == 0)
				content = true;
		assert_true(content);
	}
	tg_vet_result_release(&r);
	free(m.buf);
}

/* ---- rules ------------------------------------------------------------- */

static void rules_errors(void **state)
{
	struct tg_vet_rules *rules = NULL;
	struct tg_err err;

	(void)state;
	tg_err_clear(&err);
	assert_int_equal(tg_vet_rules_load_string("rule a { condition: true }", "t.yar",
						  &rules, &err), TG_EINVAL);
	assert_non_null(strstr(err.msg, "lacks meta"));
	tg_err_clear(&err);
	assert_int_equal(tg_vet_rules_load_string("rule a {\n meta: id = \"x\"\n"
						  " condition: nonsense(\n}", "t.yar",
						  &rules, &err), TG_EPARSE);
	assert_string_equal(err.file, "t.yar");
	tg_err_clear(&err);
	assert_int_equal(tg_vet_rules_load_string(
				 "rule a { meta: id = \"x\" severity = \"loud\" summary = \"s\"\n"
				 " condition: true }", "t.yar", &rules, &err), TG_EINVAL);
	tg_err_clear(&err);
	assert_int_equal(tg_vet_rules_load("tests/data/vet/no-such-dir", &rules, &err), TG_EIO);
	assert_null(rules);
}

static void rules_find(void **state)
{
	struct tg_err err;
	char *dir;

	(void)state;
	tg_err_clear(&err);
	assert_null(tg_vet_rules_find("tests/data/vet/no-such-dir", NULL, &err));
	assert_int_equal(err.code, TG_EIO);
	dir = tg_vet_rules_find("rules", NULL, &err);
	assert_string_equal(dir, "rules");
	free(dir);
	setenv("TOLLGATE_RULES_DIR", "rules", 1);
	dir = tg_vet_rules_find(NULL, NULL, &err);
	assert_string_equal(dir, "rules");
	free(dir);
	unsetenv("TOLLGATE_RULES_DIR");
}

/* The same text is a warning in library code and blocks where it runs at
 * install time; private addresses are not "raw public IPs". */
static void rule_context(void **state)
{
	struct tg_vet_rules *rules = shipped_rules();
	struct tg_vet_result r;
	struct tg_err err;
	struct vet_scan_ctx ctx = { .show_path = "m.py", .rel = "pkg/m.py",
				    .code = true, .ecosystem = "pypi" };
	const char *pub = "import urllib.request\nurllib.request.urlopen('http://198.51.100.20/x')\n";
	const char *priv = "URL = 'http://192.168.1.1/admin'\nLOCAL = 'http://127.0.0.1:8080/'\n";

	(void)state;
	tg_err_clear(&err);
	ctx.text = pub;
	ctx.len = strlen(pub);
	tg_vet_result_init(&r);
	assert_int_equal(vet_yara_scan(rules, &ctx, &r, &err), 0);
	assert_true(has_rule(&r, "raw-ip-url", TG_VET_WARN));
	assert_int_equal(r.reasons[0].line, 2);
	tg_vet_result_release(&r);
	ctx.install_time = true;
	tg_vet_result_init(&r);
	assert_int_equal(vet_yara_scan(rules, &ctx, &r, &err), 0);
	assert_true(has_rule(&r, "raw-ip-url", TG_VET_BLOCK));
	tg_vet_result_release(&r);
	ctx.text = priv;
	ctx.len = strlen(priv);
	tg_vet_result_init(&r);
	assert_int_equal(vet_yara_scan(rules, &ctx, &r, &err), 0);
	assert_false(tg_vet_result_has(&r, "raw-ip-url"));
	tg_vet_result_release(&r);
	/* Prose is not code: the same URL in a README is not matched. */
	ctx.install_time = false;
	ctx.code = false;
	ctx.rel = "README.md";
	ctx.text = pub;
	ctx.len = strlen(pub);
	tg_vet_result_init(&r);
	assert_int_equal(vet_yara_scan(rules, &ctx, &r, &err), 0);
	assert_int_equal(r.n_reasons, 0);
	tg_vet_result_release(&r);
	tg_vet_rules_free(rules);
}

/* Decoding a long blob and exec'ing it is flagged only when the blob is
 * really there (the C post-filter), not for every exec + b64decode. */
static void long_blob(void **state)
{
	struct tg_vet_rules *rules = shipped_rules();
	struct tg_vet_result r;
	struct tg_err err;
	struct vet_scan_ctx ctx = { .show_path = "m.py", .rel = "pkg/m.py",
				    .code = true, .ecosystem = "pypi" };
	char *text = malloc(2000);
	const char *plain = "import base64\nx = base64.b64decode(arg)\nexec(open('v.py').read())\n";
	size_t n;

	(void)state;
	assert_non_null(text);
	n = (size_t)snprintf(text, 2000, "import base64, zlib\nBLOB = '");
	memset(text + n, 'A', 500);
	n += 500;
	n += (size_t)snprintf(text + n, 2000 - n, "'\ncode = zlib.decompress(base64.b64decode(BLOB))\nexec(code)\n");
	tg_err_clear(&err);
	ctx.text = text;
	ctx.len = n;
	tg_vet_result_init(&r);
	assert_int_equal(vet_yara_scan(rules, &ctx, &r, &err), 0);
	assert_true(has_rule(&r, "obfuscated-exec", TG_VET_WARN));
	assert_int_equal(r.reasons[0].line, 2);
	tg_vet_result_release(&r);
	ctx.text = plain;
	ctx.len = strlen(plain);
	tg_vet_result_init(&r);
	assert_int_equal(vet_yara_scan(rules, &ctx, &r, &err), 0);
	assert_false(tg_vet_result_has(&r, "obfuscated-exec"));
	tg_vet_result_release(&r);
	free(text);
	tg_vet_rules_free(rules);
}

static void artifact_names(void **state)
{
	enum tg_vet_artifact a;

	(void)state;
	assert_int_equal(tg_vet_artifact_guess("x-1.0-py3-none-any.whl"), TG_VET_ART_WHEEL);
	assert_int_equal(tg_vet_artifact_guess("dir/x-1.0.tar.gz"), TG_VET_ART_SDIST);
	assert_int_equal(tg_vet_artifact_guess("x-1.0.ZIP"), TG_VET_ART_SDIST);
	assert_int_equal(tg_vet_artifact_guess("x-1.0.0.tgz"), TG_VET_ART_NPM);
	assert_int_equal(tg_vet_artifact_guess("x.1.0.nupkg"), TG_VET_ART_NUPKG);
	assert_int_equal(tg_vet_artifact_guess("requests"), TG_VET_ART_AUTO);
	assert_true(tg_vet_artifact_parse("Directory", &a));
	assert_int_equal(a, TG_VET_ART_DIR);
	assert_false(tg_vet_artifact_parse("rpm", &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths_normalise),
		cmocka_unit_test(links),
		cmocka_unit_test(sanitize),
		cmocka_unit_test(traversal_and_links),
		cmocka_unit_test(caps),
		cmocka_unit_test(not_an_archive),
		cmocka_unit_test(duplicate_members),
		cmocka_unit_test(wheel_record),
		cmocka_unit_test(rules_errors),
		cmocka_unit_test(rules_find),
		cmocka_unit_test(rule_context),
		cmocka_unit_test(long_blob),
		cmocka_unit_test(artifact_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

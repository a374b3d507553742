/* pip requirements files: includes, constraints, hashes, continuations,
 * comments, markers, URL / VCS / editable requirements, errors. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_inputs_util.h"
#include "tollgate/inputs.h"
#include "tollgate/pep440.h"

#define REQ "tests/data/inputs/requirements/"

static struct tg_input_opts py311(void)
{
	struct tg_input_opts o;

	tg_input_opts_init(&o);
	o.python_version = "3.11.7";
	o.platform = "linux";
	return o;
}

static void pip_compile_file_with_includes(void **state)
{
	struct tg_input_opts o = py311();
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(REQ "requirements.txt", NULL, &o, &inv, &err), 0);
	assert_string_equal(inv.format, "requirements");
	/* 24 requirement lines + 4 from base.txt; pywin32 (win32) and
	 * tomli (< 3.11) have false markers. */
	assert_int_equal(inv.n_pkgs, 21);
	assert_null(find_pkg(&inv, "pywin32"));
	assert_null(find_pkg(&inv, "tomli"));
	assert_null(find_pkg(&inv, "zope.interface")); /* constraint only */

	p = find_pkg(&inv, "certifi"); /* continued over three lines */
	assert_string_equal(p->version, "2024.7.4");
	assert_int_equal(p->origin_line, 15);
	assert_int_equal(p->n_hashes, 2);
	assert_true(p->flags & TG_PKG_DIRECT);
	assert_false(p->flags & TG_PKG_UNPINNED);

	p = find_pkg(&inv, "requests"); /* extras, spaces around == */
	assert_string_equal(p->version, "2.32.3");
	assert_int_equal(p->n_hashes, 1);

	p = find_pkg(&inv, "urllib3"); /* marker true for 3.11 */
	assert_non_null(p);
	assert_int_equal(p->n_hashes, 1);

	p = find_pkg(&inv, "django");
	assert_null(p->version);
	assert_string_equal(p->specifier, ">=4.2,<5.0");
	assert_true(p->flags & TG_PKG_UNPINNED);

	p = find_pkg(&inv, "numpy"); /* ==1.26.* is a range */
	assert_null(p->version);
	assert_string_equal(p->specifier, "==1.26.*");

	p = find_pkg(&inv, "legacy-crypto"); /* === is exact */
	assert_string_equal(p->version, "1.0-custom");

	p = find_pkg(&inv, "sqlalchemy"); /* parenthesised specifier */
	assert_string_equal(p->specifier, ">=2.0.30,<2.1");
	assert_string_equal(find_pkg(&inv, "celery")->specifier, "~=5.4.0");

	p = find_pkg(&inv, "flask"); /* pinned by constraints.txt */
	assert_string_equal(p->version, "3.0.3");
	assert_false(p->flags & TG_PKG_UNPINNED);

	p = find_pkg(&inv, "setuptools"); /* base.txt, pinned by the constraint */
	assert_string_equal(p->version, "69.5.1");
	assert_int_equal(p->n_hashes, 1);
	assert_string_equal(p->origin_path, REQ "requirements/base.txt");
	assert_int_equal(p->origin_line, 5);
	assert_string_equal(find_pkg(&inv, "pyyaml")->version, "6.0.1");

	p = find_pkg(&inv, "httpx"); /* name@url without spaces */
	assert_true(p->flags & TG_PKG_URL);
	assert_true(p->flags & TG_PKG_UNPINNED);
	assert_null(p->version);
	assert_string_equal(p->url,
			    "https://files.pythonhosted.org/packages/httpx-0.27.0-py3-none-any.whl");

	p = find_pkg(&inv, "internal-sdk");
	assert_true(p->flags & TG_PKG_VCS);
	p = find_pkg(&inv, "feature-flags"); /* bare VCS URL with #egg */
	assert_non_null(p);
	assert_true(p->flags & TG_PKG_VCS);
	p = find_pkg(&inv, "report-tool"); /* bare wheel URL, #sha256 fragment */
	assert_true(p->flags & TG_PKG_URL);
	assert_int_equal(p->n_hashes, 1);
	assert_non_null(find_pkg(&inv, "pyfoo")); /* local sdist path */
	p = find_pkg(&inv, "shared");
	assert_true(p->flags & TG_PKG_EDITABLE);
	assert_string_equal(p->url, "./libs/shared");
	p = find_pkg(&inv, "billing");
	assert_true(p->flags & TG_PKG_EDITABLE);
	assert_true(p->flags & TG_PKG_VCS);

	assert_int_equal(inv.n_index_urls, 3);
	assert_string_equal(inv.index_urls[0], "https://pypi.org/simple");
	assert_string_equal(inv.index_urls[1], "https://pypi.internal.example/simple/");
	assert_string_equal(inv.index_urls[2], "./wheelhouse");
	assert_int_equal(inv.n_trusted_hosts, 1);
	assert_string_equal(inv.trusted_hosts[0], "pypi.internal.example");
	tg_inventory_release(&inv);
}

static void markers_follow_target(void **state)
{
	struct tg_input_opts o = py311();
	struct tg_inventory inv;
	struct tg_err err;

	(void)state;
	o.python_version = "3.10";
	o.platform = "win32";
	assert_int_equal(parse_path(REQ "requirements.txt", NULL, &o, &inv, &err), 0);
	assert_non_null(find_pkg(&inv, "pywin32"));
	assert_non_null(find_pkg(&inv, "tomli"));
	assert_int_equal(inv.n_pkgs, 23);
	tg_inventory_release(&inv);

	o = py311();
	o.include_skipped = true;
	assert_int_equal(parse_path(REQ "requirements.txt", NULL, &o, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 23);
	assert_true(find_pkg(&inv, "tomli")->flags & TG_PKG_SKIPPED_MARKER);
	tg_inventory_release(&inv);

	o = py311();
	o.evaluate_markers = false;
	assert_int_equal(parse_path(REQ "requirements.txt", NULL, &o, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 23);
	assert_false(find_pkg(&inv, "tomli")->flags & TG_PKG_SKIPPED_MARKER);
	tg_inventory_release(&inv);
}

static void crlf_bom_tabs_and_freeze(void **state)
{
	struct tg_input_opts o = py311();
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(REQ "requirements-dev.txt", NULL, &o, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 3);
	assert_string_equal(find_pkg(&inv, "pytest")->version, "8.3.2");
	p = find_pkg(&inv, "coverage");
	assert_string_equal(p->version, "7.5.4");
	p = find_pkg(&inv, "mypy");
	assert_string_equal(p->version, "1.10.1");
	assert_int_equal(p->origin_line, 5);
	assert_int_equal(p->n_hashes, 1);
	tg_inventory_release(&inv);

	/* A real `pip freeze`: one exact pin per line. */
	assert_int_equal(parse_path(REQ "pip-freeze.txt", "requirements", &o, &inv, &err), 0);
	assert_true(inv.n_pkgs > 50);
	for (size_t i = 0; i < inv.n_pkgs; i++) {
		assert_non_null(inv.pkgs[i].version);
		assert_int_equal(inv.pkgs[i].origin_line, i + 1);
	}
	tg_inventory_release(&inv);
}

/* Exact pins take a short path (NAME==VERSION, canonical version); the
 * same line with a marker that holds takes the full PEP 508 parse. Both
 * must give the same package, for every valid version of packaging's
 * vectors and for names of every shape. */
static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void exact_pins_read_as_the_full_parse_does(void **state)
{
	static const char *const names[] = { "a", "Z9", "pkg-name", "Zope.Interface",
					     "my_pkg.sub-part2", "ends_" };
	struct tg_input_opts o = py311();
	char line[4096], text[8192];
	FILE *f = fopen("tests/data/pep440/version_valid.tsv", "r");
	size_t compared = 0, k;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *q = strchr(line, '"'), *end;

		if (!q || !(end = strchr(q + 1, '"')))
			continue;
		*end = '\0';
		if (strpbrk(q + 1, " \t#;\\") || !tg_pep440_valid(q + 1, strlen(q + 1)))
			continue;
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			struct tg_inventory fast, full;
			struct tg_err err;

			snprintf(text, sizeof(text), "%s==%s\n", names[k], q + 1);
			assert_int_equal(parse_text("requirements", text, &o, &fast, &err), 0);
			snprintf(text, sizeof(text), "%s==%s ; python_version >= \"3\"\n",
				 names[k], q + 1);
			assert_int_equal(parse_text("requirements", text, &o, &full, &err), 0);
			assert_int_equal(fast.n_pkgs, 1);
			assert_int_equal(full.n_pkgs, 1);
			assert_string_equal(fast.pkgs[0].name, full.pkgs[0].name);
			assert_true(same_str(fast.pkgs[0].norm_name, full.pkgs[0].norm_name));
			assert_true(same_str(fast.pkgs[0].version, full.pkgs[0].version));
			assert_true(same_str(fast.pkgs[0].specifier, full.pkgs[0].specifier));
			assert_int_equal(fast.pkgs[0].flags, full.pkgs[0].flags);
			tg_inventory_release(&fast);
			tg_inventory_release(&full);
			compared++;
		}
	}
	fclose(f);
	assert_true(compared > 500);
}

static void include_errors(void **state)
{
	struct tg_input_opts o = py311();
	struct tg_inventory inv;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse_path(REQ "cycle/a.txt", "requirements", &o, &inv, &err),
			 TG_EINVAL);
	assert_non_null(strstr(err.msg, "cycle"));
	assert_non_null(strstr(err.msg, "cycle/a.txt -> "));
	assert_string_equal(err.file, REQ "cycle/b.txt");
	assert_int_equal(err.line, 2);
	tg_inventory_release(&inv);

	o.max_include_depth = 1;
	assert_int_equal(parse_path(REQ "requirements.txt", NULL, &o, &inv, &err), TG_ELIMIT);
	assert_int_equal(err.line, 12);
	tg_inventory_release(&inv);
}

struct bad_case {
	const char *text;
	enum tg_code code;
	unsigned long line, col;
	const char *msg;
};

static void syntax_errors_are_located(void **state)
{
	static const struct bad_case cases[] = {
		{ "six==1.0\nrequests 2.0\n", TG_EPARSE, 2, 10, "expected a version specifier" },
		{ "ok==1\n\n  flask[async==2\n", TG_EPARSE, 3, 14, "extras" },
		{ "--frobnicate\n", TG_EPARSE, 1, 1, "unknown option" },
		{ "six==1 --hash\n", TG_EPARSE, 1, 8, "--hash" },
		{ "six==1 --hash=sha256:abc\n", TG_EINVAL, 1, 15, "hex digits" },
		{ "-r\n", TG_EPARSE, 1, 1, "needs a value" },
		{ "-r https://example.com/r.txt\n", TG_EINVAL, 1, 1, "remote include" },
		{ "-r no-such-file.txt\n", TG_EIO, 1, 1, "no-such-file" },
		{ "pkg; python_version <\n", TG_EPARSE, 1, 0, "marker" },
		{ "pkg; os_name == 'nt' and\n", TG_EPARSE, 1, 0, "marker" },
		{ "a==1\n-_bad\n", TG_EPARSE, 2, 1, "unknown option" },
		{ "pkg==1 ; frobnication == '1'\n", TG_EPARSE, 1, 0, "marker" },
		{ "-e\n", TG_EPARSE, 1, 1, "-e needs" },
		{ "(weird)\n", TG_EPARSE, 1, 1, "package name" },
		{ "caf\xc3\n", TG_EPARSE, 1, 4, "UTF-8" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tg_input_opts o = py311();
		struct tg_inventory inv;
		struct tg_err err;
		int rc = parse_text("requirements", cases[i].text, &o, &inv, &err);

		if (rc != (int)cases[i].code || err.line != cases[i].line ||
		    (cases[i].col && err.col != cases[i].col) ||
		    !strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: rc %d line %lu col %lu msg '%s'", i, rc, err.line,
				 err.col, err.msg);
		assert_string_equal(err.file, "mem.txt");
		tg_inventory_release(&inv);
	}
}

static void comments_and_continuations(void **state)
{
	struct tg_input_opts o = py311();
	struct tg_inventory inv;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse_text("requirements",
		"# comment \\\n"
		"six==1.16.0 # trailing \\\n"
		"idna==3.7 \\\n"
		"# a comment ends the continuation\n"
		"pkg @ https://x.example/p.tar.gz#egg=pkg&sha256=" 
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
		"attrs\\\n"
		"==23.2.0\n"
		"\n   \t\n"
		"zipp==3.19.2 \\", &o, &inv, &err), 0);
	/* As in pip, six's line continues (its '#' is not at a line start),
	 * so idna joins the comment and is not a requirement. */
	assert_int_equal(inv.n_pkgs, 4);
	assert_string_equal(inv.pkgs[0].name, "six");
	assert_string_equal(inv.pkgs[0].version, "1.16.0");
	assert_int_equal(inv.pkgs[0].origin_line, 2);
	assert_null(find_pkg(&inv, "idna"));
	assert_string_equal(inv.pkgs[1].name, "pkg");
	assert_true(has_hash(&inv.pkgs[1], "sha256",
			     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	assert_string_equal(inv.pkgs[2].version, "23.2.0");
	assert_int_equal(inv.pkgs[2].origin_line, 6);
	assert_string_equal(inv.pkgs[3].version, "3.19.2");
	tg_inventory_release(&inv);

	assert_int_equal(parse_text("requirements", "", &o, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 0);
	tg_inventory_release(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pip_compile_file_with_includes),
		cmocka_unit_test(markers_follow_target),
		cmocka_unit_test(crlf_bom_tabs_and_freeze),
		cmocka_unit_test(exact_pins_read_as_the_full_parse_does),
		cmocka_unit_test(include_errors),
		cmocka_unit_test(syntax_errors_are_located),
		cmocka_unit_test(comments_and_continuations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

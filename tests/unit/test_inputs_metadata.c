/* Core metadata, site-packages directories, purls, the format table. */
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

#define SITE "tests/data/inputs/site-packages"
/* A string literal and its length. */
#define MD(s) s, sizeof(s) - 1

static void site_packages_fixture(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(SITE, NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "site-packages");
	/* 9 entries; "~equests-2.31.0.dist-info" has no METADATA (debris). */
	assert_int_equal(inv.n_pkgs, 8);
	assert_null(find_pkg(&inv, "~equests"));

	p = find_pkg(&inv, "requests");
	assert_non_null(p);
	assert_string_equal(p->version, "2.34.2");
	assert_string_equal(p->license, "Apache-2.0");
	assert_string_equal(p->location, SITE "/requests-2.34.2.dist-info");
	assert_string_equal(p->origin_path, SITE "/requests-2.34.2.dist-info/METADATA");
	assert_int_equal(p->origin_line, 2);
	assert_int_equal(p->n_deps, 4); /* PySocks is extra-only */
	assert_true(has_dep(p, "charset_normalizer"));
	assert_false(has_dep(p, "PySocks"));

	p = find_pkg(&inv, "cryptography");
	assert_string_equal(p->license, "Apache-2.0 OR BSD-3-Clause");
	assert_true(has_dep(p, "cffi"));
	assert_false(has_dep(p, "bcrypt"));

	p = find_pkg(&inv, "pyyaml");
	assert_string_equal(p->name, "PyYAML");
	assert_string_equal(p->version, "6.0.3");

	p = find_pkg(&inv, "colorama"); /* CRLF line ends */
	assert_non_null(p);
	assert_string_equal(p->version, "0.4.6");

	p = find_pkg(&inv, "six"); /* Debian *.egg-info/PKG-INFO */
	assert_string_equal(p->version, "1.16.0");
	assert_string_equal(p->license, "MIT");
	assert_string_equal(p->location, SITE "/six-1.16.0.egg-info");

	p = find_pkg(&inv, "distro-info"); /* single-file egg-info */
	assert_non_null(p);
	/* License holds a whole licence text: the classifier names it. */
	assert_string_equal(p->license, "ISC License (ISCL)");

	p = find_pkg(&inv, "billing-service"); /* PEP 610 editable */
	assert_true(p->flags & TG_PKG_EDITABLE);
	assert_true(p->flags & TG_PKG_URL);
	assert_string_equal(p->url, "file:///srv/src/billing-service");
	assert_true(has_dep(p, "fastapi"));
	assert_true(has_dep(p, "SQLAlchemy"));
	assert_false(has_dep(p, "pytest"));

	p = find_pkg(&inv, "internal-auth"); /* PEP 610 VCS */
	assert_true(p->flags & TG_PKG_VCS);
	assert_string_equal(p->url, "git+https://git.example.com/platform/internal-auth.git"
				    "@4f1c2a9e7d1b2c3a4d5e6f708192a3b4c5d6e7f8");
	tg_inventory_release(&inv);
}

static void site_packages_missing_dirs_skipped(void **state)
{
	const char *dirs[] = { "tests/data/inputs/no-such-dir", SITE,
			       "tests/data/inputs/site-packages/six-1.16.0.egg-info/PKG-INFO" };
	struct tg_input_opts opts;
	struct tg_inventory inv;
	struct tg_err err;

	(void)state;
	tg_input_opts_init(&opts);
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_site_packages(dirs, 3, &opts, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 8);
	tg_inventory_release(&inv);

	opts.max_dir_entries = 3;
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_site_packages(dirs, 3, &opts, &inv, &err), TG_ELIMIT);
	tg_inventory_release(&inv);
}

static void metadata_errors(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;

	(void)state;
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_metadata(MD("Metadata-Version: 2.1\nName: x\n\nbody"),
						 "M", NULL, &inv, &err), TG_EINVAL);
	assert_non_null(strstr(err.msg, "no Version"));
	assert_int_equal(err.line, 2);
	tg_inventory_release(&inv);

	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_metadata(MD("Name: x\nthis is not a header\n"),
						 "M", NULL, &inv, &err), TG_EPARSE);
	assert_int_equal(err.line, 2);
	tg_inventory_release(&inv);

	/* Invalid UTF-8 in the headers is an error, in the body it is not
	 * (descriptions of old packages are often Latin-1). */
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_metadata(MD("Name: caf\xe9\nVersion: 1\n"), "M",
						 NULL, &inv, &err), TG_EPARSE);
	tg_inventory_release(&inv);
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_metadata(MD("Name: cafe\nVersion: 1\n\ncaf\xe9\n"), "M",
						 NULL, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 1);
	tg_inventory_release(&inv);

	/* Continuation lines and the UNKNOWN licence. */
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_metadata(MD("Metadata-Version: 1.0\r\nName: old_pkg\r\nVersion: 0.9\r\nLicense: UNKNOWN\r\n"
		"Description: first\r\n        second\r\n"), "PKG-INFO", "/x", &inv, &err), 0);
	assert_string_equal(inv.pkgs[0].name, "old_pkg");
	assert_string_equal(inv.pkgs[0].norm_name, "old-pkg");
	assert_null(inv.pkgs[0].license);
	assert_string_equal(inv.pkgs[0].location, "/x");
	tg_inventory_release(&inv);
}

static void purl_parsing(void **state)
{
	struct tg_purl p;
	struct tg_err err;

	(void)state;
	assert_int_equal(tg_purl_parse("pkg:npm/%40angular/animation@12.3.1", &p, &err), 0);
	assert_string_equal(p.type, "npm");
	assert_string_equal(p.namespace_, "@angular");
	assert_string_equal(p.name, "animation");
	assert_string_equal(p.version, "12.3.1");
	tg_purl_release(&p);

	assert_int_equal(tg_purl_parse("pkg:PyPI/Django_Allauth@1.11.1?file_name=x%2By.whl&"
				       "Repository_URL=https://x.example/simple#/src/./a/../b/", &p, &err), 0);
	assert_string_equal(p.type, "pypi");
	assert_string_equal(p.name, "django-allauth");
	assert_null(p.namespace_);
	assert_string_equal(tg_purl_qualifier(&p, "file_name"), "x+y.whl");
	assert_string_equal(tg_purl_qualifier(&p, "repository_url"), "https://x.example/simple");
	assert_string_equal(p.subpath, "src/a/b");
	tg_purl_release(&p);

	assert_int_equal(tg_purl_parse("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
				       &p, &err), 0);
	assert_string_equal(p.namespace_, "debian");
	assert_string_equal(p.version, "7.50.3-1");
	assert_string_equal(tg_purl_qualifier(&p, "arch"), "i386");
	tg_purl_release(&p);

	/* Unencoded npm scope without a version. */
	assert_int_equal(tg_purl_parse("pkg:npm/@babel/core", &p, &err), 0);
	assert_string_equal(p.namespace_, "@babel");
	assert_string_equal(p.name, "core");
	assert_null(p.version);
	tg_purl_release(&p);

	assert_int_equal(tg_purl_parse("pkg:golang/google.golang.org/genproto#googleapis/api/annotations",
				       &p, &err), 0);
	assert_string_equal(p.namespace_, "google.golang.org");
	assert_string_equal(p.name, "genproto");
	assert_string_equal(p.subpath, "googleapis/api/annotations");
	tg_purl_release(&p);

	assert_int_equal(tg_purl_parse("npm/lodash@1", &p, &err), TG_EPARSE);
	assert_int_equal(tg_purl_parse("pkg:npm/lod%zzash@1", &p, &err), TG_EPARSE);
	assert_int_equal(tg_purl_parse("pkg:npm/a%00b@1", &p, &err), TG_EPARSE);
	assert_int_equal(tg_purl_parse("pkg:1npm/a@1", &p, &err), TG_EPARSE);
	assert_int_equal(tg_purl_parse("pkg:npm/", &p, &err), TG_EPARSE);
	assert_int_equal(tg_purl_parse("pkg:npm/x@1%", &p, &err), TG_EPARSE);
	/* found by fuzzing: an escape decoding to invalid UTF-8 */
	assert_int_equal(tg_purl_parse("pkg:pypi/caf%C3@1", &p, &err), TG_EPARSE);
	assert_int_equal(tg_purl_parse("pkg:pypi/caf%C3%A9@1", &p, &err), 0);
	assert_string_equal(p.name, "caf\xc3\xa9");
	tg_purl_release(&p);
}

static void detection_by_name(void **state)
{
	static const struct { const char *path, *format; } cases[] = {
		{ "requirements.txt", "requirements" },
		{ "a/requirements-dev.txt", "requirements" },
		{ "requirements/base.txt", "requirements" },
		{ "proj/requirements/prod.txt", "requirements" },
		{ "notes.txt", NULL },
		{ "docs/notes.txt", NULL },
		{ "pylock.toml", "pylock" },
		{ "pylock.dev.toml", "pylock" },
		{ "uv.lock", "uv.lock" },
		{ "x/poetry.lock", "poetry.lock" },
		{ "Pipfile.lock", "pipfile.lock" },
		{ "Pipfile", NULL },
		{ "pdm.lock", "pdm.lock" },
		{ "package-lock.json", "package-lock" },
		{ "npm-shrinkwrap.json", "package-lock" },
		{ "out/app.cdx.json", "cyclonedx" },
		{ "bom.json", "cyclonedx" },
		{ "image.spdx.json", "spdx" },
		{ "package.json", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tg_input_format *f = tg_input_detect(cases[i].path);
		if (!cases[i].format) {
			assert_null(f);
		} else {
			assert_non_null(f);
			assert_string_equal(f->name, cases[i].format);
		}
	}
	assert_string_equal(tg_input_format_find("Pipfile")->name, "pipfile.lock");
	assert_string_equal(tg_input_format_find("npm-shrinkwrap.json")->name, "package-lock");
	assert_string_equal(tg_input_format_find("winget")->name, "winget-export");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(site_packages_fixture),
		cmocka_unit_test(site_packages_missing_dirs_skipped),
		cmocka_unit_test(metadata_errors),
		cmocka_unit_test(purl_parsing),
		cmocka_unit_test(detection_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

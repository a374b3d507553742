/* JSON inputs: Pipfile.lock, npm package-lock v1-v3, CycloneDX and SPDX
 * SBOMs; origin lines from the raw text; bad JSON. */
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

#define PIPFILE "tests/data/inputs/pipfile/Pipfile.lock"
#define NPM_V3 "tests/data/inputs/npm/app-v3/package-lock.json"
#define NPM_WS "tests/data/inputs/npm/workspace-v3/package-lock.json"
#define NPM_V2 "tests/data/inputs/npm/legacy-v2/package-lock.json"
#define NPM_V1 "tests/data/inputs/npm/legacy-v1/package-lock.json"
#define CDX "tests/data/inputs/sbom/storefront.cdx.json"
#define SPDX "tests/data/inputs/sbom/api-image.spdx.json"

static void pipfile_lock_sections_hashes_lines(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(PIPFILE, NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "pipfile.lock");
	/* 14 entries; pywin32's marker is false on the default (linux) */
	assert_int_equal(inv.n_pkgs, 13);
	assert_null(find_pkg(&inv, "pywin32"));
	p = find_pkg(&inv, "django");
	assert_non_null(p);
	assert_string_equal(p->version, "4.2.11");
	assert_int_equal(p->origin_line, 43);
	assert_string_equal(p->origin_path, PIPFILE);
	assert_int_equal(p->n_hashes, 2);
	assert_true(has_hash(p, "sha256",
			     "5e4474e3f9c530dfd6d0f735f9ffbfe32c16f4b81e766e836ca2d14b828a5349"));
	assert_string_equal(p->source, "pypi");
	assert_int_equal(p->flags & (TG_PKG_DEV | TG_PKG_UNPINNED), 0);

	p = find_pkg(&inv, "black"); /* "version": "*" */
	assert_non_null(p);
	assert_null(p->version);
	assert_null(p->specifier);
	assert_true(p->flags & TG_PKG_UNPINNED);
	assert_true(p->flags & TG_PKG_DEV);

	p = find_pkg(&inv, "sentry-sdk");
	assert_non_null(p);
	assert_true(p->flags & TG_PKG_VCS);
	assert_true(p->flags & TG_PKG_UNPINNED);
	assert_string_equal(p->url, "git+https://github.com/getsentry/sentry-python.git"
				    "@2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e");
	p = find_pkg(&inv, "billing");
	assert_non_null(p);
	assert_true(p->flags & TG_PKG_EDITABLE);
	assert_string_equal(p->url, "./services/billing");

	assert_int_equal(inv.n_index_urls, 2);
	assert_string_equal(inv.index_urls[1], "http://pypi.corp.example:8080/simple");
	assert_int_equal(inv.n_trusted_hosts, 1);
	assert_string_equal(inv.trusted_hosts[0], "pypi.corp.example");
	tg_inventory_release(&inv);
}

static void pipfile_lock_without_dev(void **state)
{
	struct tg_input_opts opts;
	struct tg_inventory inv;
	struct tg_err err;
	size_t i;

	(void)state;
	tg_input_opts_init(&opts);
	opts.include_dev = false;
	opts.platform = "win32";
	assert_int_equal(parse_path(PIPFILE, NULL, &opts, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 10);
	assert_non_null(find_pkg(&inv, "pywin32"));
	for (i = 0; i < inv.n_pkgs; i++)
		assert_int_equal(inv.pkgs[i].flags & TG_PKG_DEV, 0);
	assert_null(find_pkg(&inv, "pytest"));
	tg_inventory_release(&inv);
}

static void pipfile_lock_crlf_bom_same_lines(void **state)
{
	struct tg_inventory a, b;
	struct tg_err err;
	size_t i;

	(void)state;
	assert_int_equal(parse_path(PIPFILE, NULL, NULL, &a, &err), 0);
	assert_int_equal(parse_path("tests/data/inputs/pipfile/crlf/Pipfile.lock", NULL,
				    NULL, &b, &err), 0);
	assert_int_equal(a.n_pkgs, b.n_pkgs);
	for (i = 0; i < a.n_pkgs; i++) {
		assert_string_equal(a.pkgs[i].name, b.pkgs[i].name);
		assert_int_equal(a.pkgs[i].origin_line, b.pkgs[i].origin_line);
		assert_int_equal(a.pkgs[i].n_hashes, b.pkgs[i].n_hashes);
	}
	tg_inventory_release(&a);
	tg_inventory_release(&b);
}

static void npm_v3_real_lockfile(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(NPM_V3, NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "package-lock");
	/* 144 "node_modules/..." keys, no links in this project. */
	assert_int_equal(inv.n_pkgs, 144);
	p = find_pkg(&inv, "@sindresorhus/is");
	assert_non_null(p);
	assert_int_equal(p->eco, TG_ECO_NPM);
	assert_string_equal(p->version, "4.6.0");
	assert_int_equal(p->origin_line, 23);
	assert_true(p->flags & TG_PKG_DIRECT);
	/* sha512-t09vSN3... decoded independently */
	assert_true(has_hash(p, "sha512",
			     "b74f6f48ddcc75fb32087a057134421ff894b46ece2740ac8f307c72302629cf"
			     "ef6bf90881e0c8fd3c6c8a0767704ff86deef7e26d1cbc863035a5788b65ea03"));
	assert_string_equal(p->license, "MIT");

	/* An alias: installed as string-width-cjs, really string-width
	 * (the plain string-width comes first, at line 1440). */
	assert_int_equal(find_pkg(&inv, "string-width")->origin_line, 1440);
	p = find_pkg_n(&inv, "string-width", 1);
	assert_non_null(p);
	assert_string_equal(p->version, "4.2.3");
	assert_int_equal(p->origin_line, 1454);
	assert_true(p->flags & TG_PKG_DIRECT);

	p = find_pkg(&inv, "mocha");
	assert_non_null(p);
	assert_true(p->flags & TG_PKG_DEV);
	assert_true(p->flags & TG_PKG_DIRECT);
	assert_true(has_dep(p, "chokidar"));

	p = find_pkg(&inv, "fsevents");
	assert_non_null(p);
	assert_true(p->flags & TG_PKG_OPTIONAL);

	p = find_pkg(&inv, "accepts"); /* transitive */
	assert_non_null(p);
	assert_int_equal(p->flags & TG_PKG_DIRECT, 0);
	assert_true(has_dep(p, "negotiator"));
	tg_inventory_release(&inv);
}

static void npm_workspace_links(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(NPM_WS, NULL, NULL, &inv, &err), 0);
	/* 5 registry packages + the workspace package once (the link entry
	 * "node_modules/@acme/util" points at it and is not counted). */
	assert_int_equal(inv.n_pkgs, 6);
	assert_non_null(p = find_pkg(&inv, "@acme/util"));
	assert_null(find_pkg_n(&inv, "@acme/util", 1));
	assert_string_equal(p->version, "2.1.0");
	assert_true(p->flags & TG_PKG_URL);
	assert_string_equal(p->url, "file:packages/util");
	assert_true(has_dep(p, "ms"));
	tg_inventory_release(&inv);
}

static void npm_v2_resolved_and_v1_tree(void **state)
{
	struct tg_inventory v2, v1;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(NPM_V2, NULL, NULL, &v2, &err), 0);
	assert_int_equal(v2.n_pkgs, 5);
	p = find_pkg(&v2, "debug");
	assert_string_equal(p->source, "https://registry.npmjs.org/debug/-/debug-2.6.8.tgz");
	assert_null(p->url);
	assert_true(has_hash(p, "sha512",
			     "136d9fb3258fb7f96be3f52040bb7fa57a9eac6303b1a9e16e79aa212dd5017b"
			     "838b5bf72298b05deda89dc108a27747481b8f0d64682bfa4c8e5be2f05b8e5d"));
	assert_true(find_pkg(&v2, "qs")->flags & TG_PKG_DEV);

	assert_int_equal(parse_path(NPM_V1, NULL, NULL, &v1, &err), 0);
	/* 5 top-level + ms@2.0.0 nested under debug */
	assert_int_equal(v1.n_pkgs, 6);
	p = find_pkg_n(&v1, "ms", 0);
	assert_string_equal(p->version, "2.0.0");
	assert_int_equal(p->origin_line, 15);
	p = find_pkg_n(&v1, "ms", 1);
	assert_string_equal(p->version, "2.1.3");
	assert_true(has_dep(find_pkg(&v1, "debug"), "ms"));
	tg_inventory_release(&v2);
	tg_inventory_release(&v1);
}

static void npm_inline_edge_cases(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_text("package-lock",
		"{\"lockfileVersion\":3,\"packages\":{\"\":{\"devDependencies\":{\"x\":\"1\"}},"
		"\"node_modules/x\":{\"version\":\"1.0.0\",\"dev\":true},"
		"\"node_modules/x/node_modules/@s/y\":{\"version\":\"2.0.0\","
		"\"resolved\":\"git+ssh://git@github.com/s/y.git#0a1b2c\"},"
		"\"node_modules/z\":{\"version\":\"3.0.0\",\"integrity\":\"sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk= sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==\"}}}",
		NULL, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 3);
	assert_true(find_pkg(&inv, "x")->flags & TG_PKG_DIRECT);
	p = find_pkg(&inv, "@s/y");
	assert_non_null(p);
	assert_true(p->flags & TG_PKG_VCS);
	assert_int_equal(p->flags & TG_PKG_DIRECT, 0);
	assert_string_equal(p->url, "git+ssh://git@github.com/s/y.git#0a1b2c");
	p = find_pkg(&inv, "z");
	/* sha1 of "" and sha512 of "", from their base64 forms */
	assert_true(has_hash(p, "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
	assert_true(has_hash(p, "sha512",
			     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
			     "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"));
	tg_inventory_release(&inv);

	/* A broken integrity is an error at the package's line. */
	assert_int_equal(parse_text("package-lock",
		"{\"lockfileVersion\":3,\n\"packages\":{\n\"node_modules/q\":{\"version\":\"1.0.0\","
		"\"integrity\":\"sha512-@@@@\"}}}", NULL, &inv, &err), TG_EINVAL);
	assert_int_equal(err.line, 3);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("package-lock", "{\"lockfileVersion\":7,\"packages\":{}}",
				    NULL, &inv, &err), TG_EINVAL);
	assert_non_null(strstr(err.msg, "lockfileVersion 7"));
	tg_inventory_release(&inv);
}

static void cyclonedx_purls_nested_hashes(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(CDX, NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "cyclonedx");
	/* 7 top-level + 2 nested; metadata.component is the subject */
	assert_int_equal(inv.n_pkgs, 9);
	assert_null(find_pkg(&inv, "storefront"));
	p = find_pkg(&inv, "requests");
	assert_int_equal(p->eco, TG_ECO_PYPI);
	assert_string_equal(p->version, "2.31.0");
	assert_string_equal(p->license, "Apache-2.0");
	assert_int_equal(p->origin_line, 27);
	assert_true(has_hash(p, "sha256",
			     "49c27f94ec8a3b8bcb00aa495798d1114a624af3873a8d444c2541d1c0f8bf02"));
	assert_true(has_dep(p, "urllib3"));
	p = find_pkg(&inv, "Jinja2");
	assert_non_null(p);
	assert_string_equal(p->norm_name, "jinja2");
	assert_int_equal(p->n_hashes, 2);
	p = find_pkg(&inv, "@angular/core");
	assert_non_null(p);
	assert_int_equal(p->eco, TG_ECO_NPM);
	assert_string_equal(p->version, "17.3.0");
	assert_true(find_pkg(&inv, "lodash")->flags & TG_PKG_OPTIONAL);
	p = find_pkg(&inv, "PyYAML"); /* nested, with a purl subpath */
	assert_non_null(p);
	assert_string_equal(p->version, "5.3.1");
	assert_int_equal(p->origin_line, 112);
	p = find_pkg(&inv, "debian"); /* no purl: kept, ecosystem unknown */
	assert_non_null(p);
	assert_int_equal(p->eco, TG_ECO_UNKNOWN);
	tg_inventory_release(&inv);
}

static void spdx_external_refs(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(SPDX, NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "spdx");
	assert_int_equal(inv.n_pkgs, 5);
	p = find_pkg(&inv, "Flask");
	assert_non_null(p);
	assert_int_equal(p->eco, TG_ECO_PYPI);
	assert_string_equal(p->license, "BSD-3-Clause");
	assert_true(has_dep(p, "cryptography"));
	assert_int_equal(p->n_hashes, 1);
	p = find_pkg(&inv, "@babel/traverse");
	assert_int_equal(p->eco, TG_ECO_NPM);
	assert_string_equal(p->license, "MIT"); /* declared NOASSERTION */
	assert_int_equal(p->n_deps, 0);
	/* "X DEPENDENCY_OF Flask" makes X a dependency of Flask. */
	assert_true(has_dep(find_pkg(&inv, "Flask"), "@babel/traverse"));
	assert_string_equal(p->source,
			    "https://registry.npmjs.org/@babel/traverse/-/traverse-7.22.5.tgz");
	p = find_pkg(&inv, "debian/libssl3");
	assert_non_null(p);
	assert_int_equal(p->eco, TG_ECO_UNKNOWN);
	tg_inventory_release(&inv);
}

static void sniffing_and_bad_json(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;

	(void)state;
	/* Content sniffing without a telling name. */
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_bytes(NULL, "{\"bomFormat\":\"CycloneDX\",\"components\":[]}",
					      41, "sbom.json", NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "cyclonedx");
	tg_inventory_release(&inv);

	/* Truncated lockfile: parse error with a line. */
	assert_int_equal(parse_text("pipfile.lock", "{\n\"_meta\": {},\n\"default\": {\n\"six\": {",
				    NULL, &inv, &err), TG_EPARSE);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.file, "mem.txt");
	tg_inventory_release(&inv);

	/* NUL byte and invalid UTF-8 are parse errors with positions. */
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_bytes("package-lock", "{\n \"a\0\": 1}", 11, "x.json",
					      NULL, &inv, &err), TG_EPARSE);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 4);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("spdx", "{\"spdxVersion\": \"SPDX-2.3\", \"name\": \"\xc3\x28\"}",
				    NULL, &inv, &err), TG_EPARSE);
	assert_non_null(strstr(err.msg, "UTF-8"));
	tg_inventory_release(&inv);

	/* Wrong document for the format. */
	assert_int_equal(parse_text("cyclonedx", "{\"spdxVersion\": \"SPDX-2.3\"}", NULL,
				    &inv, &err), TG_EINVAL);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("nonesuch", "{}", NULL, &inv, &err), TG_EUSAGE);
	tg_inventory_release(&inv);
	/* Malformed hash in a Pipfile.lock. */
	assert_int_equal(parse_text("pipfile.lock",
				    "{\"default\": {\"a\": {\"version\": \"==1\", \"hashes\": [\"sha256:xyz\"]}}}",
				    NULL, &inv, &err), TG_EINVAL);
	tg_inventory_release(&inv);
}

static void third_party_cyclonedx_examples_parse(void **state)
{
	static const char *const files[] = {
		"valid-bom-1.6.json", "valid-component-hashes-1.6.json",
		"valid-dependency-1.6.json", "valid-license-expression-1.6.json",
		"valid-component-identifiers-1.6.json", "valid-assembly-1.6.json",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256];
		struct tg_inventory inv;
		struct tg_err err;

		snprintf(path, sizeof(path),
			 "tests/data/third_party/schemas/cyclonedx-1.6/tests/%s", files[i]);
		assert_int_equal(parse_path(path, "cyclonedx", NULL, &inv, &err), 0);
		assert_true(inv.n_pkgs > 0);
		tg_inventory_release(&inv);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pipfile_lock_sections_hashes_lines),
		cmocka_unit_test(pipfile_lock_without_dev),
		cmocka_unit_test(pipfile_lock_crlf_bom_same_lines),
		cmocka_unit_test(npm_v3_real_lockfile),
		cmocka_unit_test(npm_workspace_links),
		cmocka_unit_test(npm_v2_resolved_and_v1_tree),
		cmocka_unit_test(npm_inline_edge_cases),
		cmocka_unit_test(cyclonedx_purls_nested_hashes),
		cmocka_unit_test(spdx_external_refs),
		cmocka_unit_test(sniffing_and_bad_json),
		cmocka_unit_test(third_party_cyclonedx_examples_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

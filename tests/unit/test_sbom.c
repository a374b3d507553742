/* SBOM building blocks: package URLs (purl-spec rules per type,
 * percent-encoding), SPDX license expressions, component merging and
 * dependency edges, reproducible documents. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_inputs_util.h"
#include "tollgate/buf.h"
#include "tollgate/inputs.h"
#include "tollgate/sbom.h"

static void expect_purl(enum tg_ecosystem eco, const char *name, const char *ver,
			const char *source, const char *want)
{
	struct tg_buf b;
	struct tg_err err;

	tg_buf_init(&b, 4096);
	assert_int_equal(tg_sbom_purl(eco, name, ver, source, &b, &err), 0);
	assert_string_equal(b.data, want);
	tg_buf_release(&b);
}

static void purls(void **state)
{
	(void)state;
	/* pypi: lowercase, runs of - _ . become one - */
	expect_purl(TG_ECO_PYPI, "Django", "4.2.11", NULL, "pkg:pypi/django@4.2.11");
	expect_purl(TG_ECO_PYPI, "zope.interface", "6.0", NULL, "pkg:pypi/zope-interface@6.0");
	expect_purl(TG_ECO_PYPI, "Foo__Bar-.baz", NULL, NULL, "pkg:pypi/foo-bar-baz");
	/* the purl-spec test suite's pypi build case */
	expect_purl(TG_ECO_PYPI, "My.PyPI_.--._Package", "1.11.1.dev1", NULL,
		    "pkg:pypi/my-pypi-package@1.11.1.dev1");
	expect_purl(TG_ECO_PYPI, "torch", "2.1.0+cpu", NULL, "pkg:pypi/torch@2.1.0%2Bcpu");
	/* npm: the scope's @ is encoded, case kept */
	expect_purl(TG_ECO_NPM, "@angular/animation", "12.3.1", NULL,
		    "pkg:npm/%40angular/animation@12.3.1");
	expect_purl(TG_ECO_NPM, "JSONStream", "1.3.5", NULL, "pkg:npm/JSONStream@1.3.5");
	/* winget identifiers as they are; '+' encoded */
	expect_purl(TG_ECO_WINGET, "Notepad++.Notepad++", "8.9.7", NULL,
		    "pkg:winget/Notepad%2B%2B.Notepad%2B%2B@8.9.7");
	/* Chocolatey: nuget type with its feed */
	expect_purl(TG_ECO_CHOCOLATEY, "7zip.install", "26.2", NULL,
		    "pkg:nuget/7zip.install@26.2?repository_url="
		    "https:%2F%2Fcommunity.chocolatey.org%2Fapi%2Fv2%2F");
	expect_purl(TG_ECO_CHOCOLATEY, "git", "2.55.0", "https://choco.corp.example/nuget/",
		    "pkg:nuget/git@2.55.0?repository_url="
		    "https:%2F%2Fchoco.corp.example%2Fnuget%2F");
	/* ' ', '/', '@', '?', '#', non-ASCII: percent-encoded (UTF-8 bytes) */
	expect_purl(TG_ECO_UNKNOWN, "a b/c@d?e#f", "1 0", NULL,
		    "pkg:generic/a%20b%2Fc%40d%3Fe%23f@1%200");
	expect_purl(TG_ECO_UNKNOWN, "caf\xc3\xa9", "1", NULL, "pkg:generic/caf%C3%A9@1");
}

/* The purls we build parse back (the inputs module's purl parser) to the
 * same type, name and version. */
static void purls_round_trip(void **state)
{
	static const struct { enum tg_ecosystem eco; const char *name, *ver, *type, *pname; } c[] = {
		{ TG_ECO_NPM, "@types/node", "20.1.0", "npm", "node" },
		{ TG_ECO_WINGET, "Notepad++.Notepad++", "8.9.7", "winget", "Notepad++.Notepad++" },
		{ TG_ECO_CHOCOLATEY, "7zip.install", "26.2", "nuget", "7zip.install" },
		{ TG_ECO_UNKNOWN, "we?ird#name", "1@2", "generic", "we?ird#name" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct tg_buf b;
		struct tg_purl p;
		struct tg_err err;

		tg_buf_init(&b, 4096);
		assert_int_equal(tg_sbom_purl(c[i].eco, c[i].name, c[i].ver, NULL, &b, &err), 0);
		assert_int_equal(tg_purl_parse(b.data, &p, &err), 0);
		assert_string_equal(p.type, c[i].type);
		assert_string_equal(p.name, c[i].pname);
		assert_string_equal(p.version, c[i].ver);
		tg_purl_release(&p);
		tg_buf_release(&b);
	}
}

static void expect_expr(const char *in, const char *want)
{
	char out[256];

	if (want) {
		assert_true(tg_spdx_expression(in, out, sizeof(out)));
		assert_string_equal(out, want);
	} else {
		assert_false(tg_spdx_expression(in, out, sizeof(out)));
	}
}

static void license_expressions(void **state)
{
	char small[4];

	(void)state;
	expect_expr("MIT", "MIT");
	expect_expr("mit", "MIT");
	expect_expr("apache-2.0 OR mit", "Apache-2.0 OR MIT");
	expect_expr("(MIT or Apache-2.0) and BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause");
	expect_expr("GPL-2.0-or-later WITH Classpath-exception-2.0",
		    "GPL-2.0-or-later WITH Classpath-exception-2.0");
	expect_expr("Apache-2.0+", "Apache-2.0+");
	expect_expr("GPL-2.0+", "GPL-2.0+"); /* a (deprecated) list id itself */
	expect_expr("  LGPL-2.1  ", "LGPL-2.1");
	expect_expr("((MIT))", "((MIT))");
	/* not expressions */
	expect_expr("MIT License", NULL);
	expect_expr("BSD", NULL);
	expect_expr("Apache Software License", NULL);
	expect_expr("MIT OR", NULL);
	expect_expr("OR MIT", NULL);
	expect_expr("MIT AnD Apache-2.0", NULL); /* operators: all upper or all lower */
	expect_expr("(MIT", NULL);
	expect_expr("MIT)", NULL);
	expect_expr("MIT WITH MIT", NULL); /* WITH takes an exception */
	expect_expr("Classpath-exception-2.0", NULL);
	expect_expr("LicenseRef-Proprietary", NULL);
	expect_expr("", NULL);
	expect_expr("MIT/X11", NULL);
	assert_false(tg_spdx_expression("Apache-2.0", small, sizeof(small)));
	assert_true(tg_spdx_license_known("0bsd"));
	assert_false(tg_spdx_license_known("Proprietary"));
	{
		/* nesting is capped, not a stack overflow */
		char deep[400];
		char out[1024];
		size_t i;

		for (i = 0; i < 100; i++)
			deep[i] = '(';
		memcpy(deep + 100, "MIT", 3);
		for (i = 0; i < 100; i++)
			deep[103 + i] = ')';
		deep[203] = '\0';
		assert_false(tg_spdx_expression(deep, out, sizeof(out)));
	}
}

static json_t *write_doc(enum tg_sbom_format fmt, struct tg_inventory *invs, size_t n,
			 bool reproducible)
{
	struct tg_sbom_opts o = { .tool_version = "9.9", .reproducible = reproducible };
	struct tg_buf b;
	struct tg_err err;
	json_t *j;

	tg_buf_init(&b, 1 << 24);
	assert_int_equal(tg_sbom_write(fmt, invs, n, &o, &b, &err), 0);
	j = json_loads(b.data, 0, NULL);
	assert_non_null(j);
	tg_buf_release(&b);
	return j;
}

static void merge_and_edges(void **state)
{
	struct tg_inventory inv[2];
	struct tg_err err;
	json_t *doc, *c;
	size_t i, n_pydantic = 0;

	(void)state;
	/* the same lock twice: every package once, hashes not repeated */
	assert_int_equal(parse_path("tests/data/inputs/uv/uv.lock", NULL, NULL, &inv[0], &err), 0);
	assert_int_equal(parse_path("tests/data/inputs/uv/uv.lock", NULL, NULL, &inv[1], &err), 0);
	doc = write_doc(TG_SBOM_CYCLONEDX, inv, 2, true);
	assert_int_equal(json_array_size(json_object_get(doc, "components")), inv[0].n_pkgs);
	json_array_foreach(json_object_get(doc, "components"), i, c) {
		const char *purl = json_string_value(json_object_get(c, "purl"));

		if (strncmp(purl, "pkg:pypi/pydantic@", 18) == 0) {
			const struct tg_package *p = find_pkg(&inv[0], "pydantic");

			n_pydantic++;
			assert_int_equal(json_array_size(json_object_get(c, "hashes")), p->n_hashes);
		}
	}
	assert_int_equal(n_pydantic, 1);
	/* fastapi depends on pydantic (uv.lock records it) */
	{
		json_t *d;
		bool found = false;

		json_array_foreach(json_object_get(doc, "dependencies"), i, d) {
			const char *ref = json_string_value(json_object_get(d, "ref"));
			json_t *t;
			size_t k;

			if (strncmp(ref, "pkg:pypi/fastapi@", 17) != 0)
				continue;
			json_array_foreach(json_object_get(d, "dependsOn"), k, t)
				found |= strcmp(json_string_value(t), "pkg:pypi/pydantic@2.7.4") == 0;
		}
		assert_true(found);
	}
	json_decref(doc);
	tg_inventory_release(&inv[0]);
	tg_inventory_release(&inv[1]);
}

static void empty_and_reproducible(void **state)
{
	struct tg_inventory inv;
	json_t *a, *b;
	char *sa, *sb;

	(void)state;
	tg_inventory_init(&inv);
	a = write_doc(TG_SBOM_SPDX, &inv, 1, true);
	assert_int_equal(json_array_size(json_object_get(a, "packages")), 0);
	b = write_doc(TG_SBOM_SPDX, &inv, 1, true);
	sa = json_dumps(a, JSON_COMPACT);
	sb = json_dumps(b, JSON_COMPACT);
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
	a = write_doc(TG_SBOM_CYCLONEDX, &inv, 1, false);
	b = write_doc(TG_SBOM_CYCLONEDX, &inv, 1, false);
	assert_string_not_equal(json_string_value(json_object_get(a, "serialNumber")),
				json_string_value(json_object_get(b, "serialNumber")));
	json_decref(a);
	json_decref(b);
	tg_inventory_release(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(purls),
		cmocka_unit_test(purls_round_trip),
		cmocka_unit_test(license_expressions),
		cmocka_unit_test(merge_and_edges),
		cmocka_unit_test(empty_and_reproducible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

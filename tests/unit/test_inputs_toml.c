/* TOML lockfiles: uv.lock, poetry.lock (1.x and 2.x), pdm.lock and
 * pylock.toml; markers against a target; syntax errors. */
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

#define D "tests/data/inputs/"

static struct tg_input_opts target(const char *py, const char *plat)
{
	struct tg_input_opts o;

	tg_input_opts_init(&o);
	o.python_version = py;
	o.platform = plat;
	return o;
}

static void uv_lock_graph(void **state)
{
	struct tg_input_opts o = target("3.11.4", "linux");
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(D "uv/uv.lock", NULL, &o, &inv, &err), 0);
	assert_string_equal(inv.format, "uv.lock");
	/* 22 entries; on 3.11/linux the numpy-2 fork, exceptiongroup,
	 * tomli and colorama (win32) are not reached. */
	assert_int_equal(inv.n_pkgs, 18);
	assert_null(find_pkg(&inv, "tomli"));
	assert_null(find_pkg(&inv, "colorama"));
	assert_null(find_pkg(&inv, "exceptiongroup"));
	p = find_pkg(&inv, "numpy");
	assert_string_equal(p->version, "1.26.4");
	assert_null(find_pkg_n(&inv, "numpy", 1));
	assert_true(p->flags & TG_PKG_DIRECT);
	assert_int_equal(p->n_hashes, 3); /* sdist + 2 wheels */

	p = find_pkg(&inv, "anyio");
	assert_int_equal(p->origin_line, 21);
	assert_true(p->flags & TG_PKG_DIRECT);
	assert_string_equal(p->source, "https://pypi.org/simple");
	assert_true(has_dep(p, "idna"));
	assert_true(has_hash(p, "sha256",
			     "e60448dabde2d0a3f1b6cd87a90b2846c9e422cd0648b056e574d6eefa8186b0"));
	/* trio comes in through the anyio[trio] extra, not as optional */
	p = find_pkg(&inv, "trio");
	assert_int_equal(p->flags & (TG_PKG_OPTIONAL | TG_PKG_DEV), 0);
	assert_non_null(find_pkg(&inv, "outcome"));

	p = find_pkg(&inv, "pytest");
	assert_true(p->flags & TG_PKG_DEV);
	assert_true(p->flags & TG_PKG_DIRECT);
	assert_true(find_pkg(&inv, "iniconfig")->flags & TG_PKG_DEV);
	assert_false(find_pkg(&inv, "idna")->flags & TG_PKG_DEV);

	p = find_pkg(&inv, "internal-sdk");
	assert_true(p->flags & TG_PKG_VCS);
	assert_string_equal(p->url, "git+https://github.com/acme/internal-sdk?rev=v0.9.1"
				    "#4f1c2a9e7d1b2c3a4d5e6f708192a3b4c5d6e7f8");
	p = find_pkg(&inv, "storefront-api");
	assert_true(p->flags & TG_PKG_EDITABLE);
	tg_inventory_release(&inv);

	/* Python 3.12 on Windows: the other numpy, colorama for pytest. */
	o = target("3.12.1", "win32");
	o.include_dev = false;
	assert_int_equal(parse_path(D "uv/uv.lock", NULL, &o, &inv, &err), 0);
	assert_string_equal(find_pkg(&inv, "numpy")->version, "2.1.0");
	assert_null(find_pkg(&inv, "pytest"));
	assert_null(find_pkg(&inv, "colorama")); /* dev-only */
	tg_inventory_release(&inv);

	o = target("3.10", "linux");
	o.include_skipped = true;
	assert_int_equal(parse_path(D "uv/uv.lock", NULL, &o, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 22);
	assert_false(find_pkg(&inv, "tomli")->flags & TG_PKG_SKIPPED_MARKER);
	assert_true(find_pkg_n(&inv, "numpy", 1)->flags & TG_PKG_SKIPPED_MARKER);
	tg_inventory_release(&inv);
}

static void poetry_lock_v2(void **state)
{
	struct tg_input_opts o = target("3.11", "linux");
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(D "poetry/poetry.lock", NULL, &o, &inv, &err), 0);
	/* 17 packages; colorama and tzdata are win32-only */
	assert_int_equal(inv.n_pkgs, 15);
	assert_null(find_pkg(&inv, "tzdata"));
	p = find_pkg(&inv, "django");
	assert_string_equal(p->version, "4.2.14");
	assert_int_equal(p->origin_line, 41);
	assert_int_equal(p->n_hashes, 2);
	assert_true(has_dep(p, "asgiref"));
	assert_true(has_dep(p, "tzdata"));
	assert_true(find_pkg(&inv, "pytest")->flags & TG_PKG_DEV);
	assert_false(find_pkg(&inv, "packaging")->flags & TG_PKG_DEV); /* main+dev */
	assert_true(find_pkg(&inv, "gunicorn")->flags & TG_PKG_OPTIONAL);
	assert_int_equal(find_pkg(&inv, "charset-normalizer")->n_hashes, 3);
	p = find_pkg(&inv, "acme-auth");
	assert_true(p->flags & TG_PKG_VCS);
	assert_string_equal(p->url, "git+https://github.com/acme/acme-auth.git"
				    "@0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e");
	p = find_pkg(&inv, "corp-utils");
	assert_string_equal(p->source, "https://pypi.corp.example/simple");
	assert_int_equal(inv.n_index_urls, 1);
	tg_inventory_release(&inv);

	o = target("3.11", "win32");
	o.include_dev = false;
	assert_int_equal(parse_path(D "poetry/poetry.lock", NULL, &o, &inv, &err), 0);
	assert_non_null(find_pkg(&inv, "tzdata"));
	assert_null(find_pkg(&inv, "colorama"));
	assert_null(find_pkg(&inv, "pytest"));
	assert_int_equal(inv.n_pkgs, 13); /* 17 less 4 dev-only */
	tg_inventory_release(&inv);
}

static void poetry_lock_legacy_crlf(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(D "poetry/legacy/poetry.lock", NULL, NULL, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 7);
	p = find_pkg(&inv, "flask"); /* hashes from [metadata.files] */
	assert_int_equal(p->n_hashes, 2);
	assert_true(has_dep(p, "Jinja2"));
	assert_int_equal(find_pkg(&inv, "markupsafe")->n_hashes, 2);
	p = find_pkg(&inv, "black"); /* category = "dev" */
	assert_true(p->flags & TG_PKG_DEV);
	assert_int_equal(p->origin_line, 61);
	tg_inventory_release(&inv);
}

static void pdm_lock(void **state)
{
	struct tg_input_opts o = target("3.12", "linux");
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(D "pdm/pdm.lock", NULL, &o, &inv, &err), 0);
	/* 16; exceptiongroup, typing-extensions (< 3.11) and colorama
	 * (win32) have false markers on 3.12/linux */
	assert_int_equal(inv.n_pkgs, 13);
	p = find_pkg(&inv, "httpx");
	assert_true(has_dep(p, "httpcore"));
	assert_true(has_dep(p, "anyio"));
	assert_int_equal(p->n_hashes, 2);
	assert_true(find_pkg(&inv, "pytest")->flags & TG_PKG_DEV);
	p = find_pkg(&inv, "tenant-router");
	assert_true(p->flags & TG_PKG_VCS);
	assert_string_equal(p->url, "git+https://github.com/acme/tenant-router.git"
				    "@9c1b5e0f3a7d2c4b6e8f0a1b2c3d4e5f60718293");
	p = find_pkg(&inv, "shared-models");
	assert_true(p->flags & TG_PKG_EDITABLE);
	assert_string_equal(p->url, "./libs/shared-models");
	tg_inventory_release(&inv);
}

static void pylock_toml(void **state)
{
	struct tg_input_opts o = target("3.11", "linux");
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(D "pylock/pylock.toml", NULL, &o, &inv, &err), 0);
	assert_string_equal(inv.format, "pylock");
	assert_int_equal(inv.n_pkgs, 10); /* pywin32 is win32-only */
	p = find_pkg(&inv, "charset-normalizer");
	assert_int_equal(p->n_hashes, 4); /* sdist + 3 wheels */
	assert_string_equal(p->source, "https://pypi.org/simple");
	assert_int_equal(p->origin_line, 18);
	assert_true(find_pkg(&inv, "pytest")->flags & TG_PKG_DEV);
	assert_non_null(find_pkg(&inv, "uvloop"));
	p = find_pkg(&inv, "acme-auth");
	assert_string_equal(p->url, "git+https://github.com/acme/acme-auth.git"
				    "@0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e");
	p = find_pkg(&inv, "storefront");
	assert_true(p->flags & TG_PKG_EDITABLE);
	assert_true(p->flags & TG_PKG_UNPINNED);
	p = find_pkg(&inv, "legacy-report");
	assert_true(p->flags & TG_PKG_URL);
	assert_int_equal(p->n_hashes, 2);
	assert_int_equal(inv.n_index_urls, 1);
	tg_inventory_release(&inv);
}

static void toml_errors(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;

	(void)state;
	/* A truncated uv.lock: TOML syntax error with a position. */
	assert_int_equal(parse_text("uv.lock", "version = 1\n\n[[package]]\nname = \"a\n",
				    NULL, &inv, &err), TG_EPARSE);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.file, "mem.txt");
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("poetry.lock", "[[package]]\nversion = \"1\"\n", NULL,
				    &inv, &err), TG_EINVAL);
	assert_int_equal(err.line, 1);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("pylock", "lock-version = \"2.0\"\n", NULL, &inv, &err),
			 TG_EINVAL);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("uv.lock", "[[package]]\nname = \"a\"\n", NULL, &inv, &err),
			 TG_EINVAL); /* no version = not a uv.lock */
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("pdm.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\n"
				    "marker = \"python_version <\"\n", NULL, &inv, &err), TG_EPARSE);
	assert_int_equal(err.line, 1);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("uv.lock", "version = 1\n[[package]]\nname = \"a\"\n"
				    "sdist = { hash = \"sha256:00\" }\n", NULL, &inv, &err), TG_EINVAL);
	assert_int_equal(err.line, 4);
	tg_inventory_release(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uv_lock_graph),
		cmocka_unit_test(poetry_lock_v2),
		cmocka_unit_test(poetry_lock_legacy_crlf),
		cmocka_unit_test(pdm_lock),
		cmocka_unit_test(pylock_toml),
		cmocka_unit_test(toml_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

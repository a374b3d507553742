/* Chocolatey inputs: real packages.config files and chocolatey-community
 * nuspecs (three namespaces), install-script download facts, a .nupkg
 * read in memory, `choco list` in its three shapes, refused XML. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_inputs_util.h"
#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/inputs.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

#define TP "tests/data/third_party/winget-choco/"
#define CFG_ATTR TP "choco-packages-config/packages-with-attributes.config"
#define CFG_WORK TP "choco-packages-config/packages-work-machine.config"
#define CHOCO TP "chocolatey/"
#define OWN "tests/data/windows/"

static void packages_config_attributes(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(CFG_ATTR, NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "packages.config");
	assert_int_equal(inv.n_pkgs, 4);
	p = find_pkg(&inv, "7zip");
	assert_non_null(p);
	assert_int_equal(p->eco, TG_ECO_CHOCOLATEY);
	assert_string_equal(p->version, "24.09");
	assert_int_equal(p->origin_line, 4);
	p = find_pkg(&inv, "vlc");
	assert_non_null(p);
	assert_null(p->version);
	assert_true(p->flags & TG_PKG_UNPINNED);
	tg_inventory_release(&inv);

	assert_int_equal(parse_path(CFG_WORK, NULL, NULL, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 19);
	/* ids keep their case; the normalised name folds it */
	p = find_pkg(&inv, "GoogleChrome");
	assert_non_null(p);
	assert_string_equal(p->norm_name, "googlechrome");
	tg_inventory_release(&inv);
}

static void packages_config_refusals(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse_text("packages.config",
				    "<?xml version=\"1.0\"?>\n<packages>\n"
				    "  <package id=\"Newtonsoft.Json\" version=\"13.0.1\" "
				    "targetFramework=\"net472\" />\n</packages>\n",
				    NULL, &inv, &err), TG_EINVAL);
	assert_non_null(strstr(err.msg, "NuGet project"));
	assert_int_equal(err.line, 3);
	tg_inventory_release(&inv);
	/* a DOCTYPE is how entity bombs and external entities come in */
	assert_int_equal(parse_text("packages.config",
				    "<?xml version=\"1.0\"?>\n<!DOCTYPE packages [\n"
				    "<!ENTITY x \"git\">]>\n"
				    "<packages><package id=\"7zip\"/></packages>\n",
				    NULL, &inv, &err), TG_EINVAL);
	assert_non_null(strstr(err.msg, "DOCTYPE"));
	tg_inventory_release(&inv);
	assert_int_not_equal(parse_text("packages.config",
					"<?xml version=\"1.0\"?>\n<!DOCTYPE packages [\n"
					"<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
					"<packages><package id=\"&x;\"/></packages>\n",
					NULL, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 0);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("packages.config",
				    "<packages>\n<package id=\"git\">\n</packages>\n",
				    NULL, &inv, &err), TG_EPARSE);
	assert_true(err.line >= 2);
	assert_string_equal(err.file, "mem.txt");
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("packages.config", "<packages><package version=\"1\"/></packages>",
				    NULL, &inv, &err), TG_EINVAL);
	tg_inventory_release(&inv);
}

/* Every real nuspec parses (namespaces 2010/07, 2011/08, 2015/06, none)
 * and its id is the folder name. */
static void every_real_nuspec(void **state)
{
	DIR *d = opendir(CHOCO);
	struct dirent *e;
	size_t n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		struct tg_inventory inv;
		struct tg_err err;

		if (e->d_name[0] == '.' || strlen(e->d_name) > 200 || strcmp(e->d_name, "LICENSE.md") == 0)
			continue;
		snprintf(path, sizeof(path), CHOCO "%s/%s.nuspec", e->d_name, e->d_name);
		assert_int_equal(parse_path(path, NULL, NULL, &inv, &err), 0);
		assert_int_equal(inv.n_pkgs, 1);
		assert_int_equal(tg_ascii_casecmp(inv.pkgs[0].name, e->d_name), 0);
		assert_non_null(inv.pkgs[0].version);
		tg_inventory_release(&inv);
		n++;
	}
	closedir(d);
	assert_int_equal(n, 14);
}

static void nuspec_fields_and_dependencies(void **state)
{
	struct tg_win_inventory w;
	struct tg_err err;
	const struct tg_win_app *a;

	(void)state;
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_choco_dir(CHOCO "python3", &w, &err), 0);
	a = &w.apps[0];
	assert_string_equal(a->id, "python3");
	assert_string_equal(a->version, "3.14.7");
	assert_int_equal(a->n_deps, 1);
	assert_string_equal(a->deps[0], "python314");
	assert_string_equal(a->dep_ranges[0], "[3.14.7]");
	assert_false(a->has_install_script);
	tg_win_inventory_release(&w);

	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_choco_dir(CHOCO "7zip.install", &w, &err), 0);
	a = &w.apps[0];
	assert_string_equal(a->name, "7-Zip (Install)");
	assert_string_equal(a->publisher, "Igor Pavlov");
	assert_string_equal(a->license_url, "http://www.7-zip.org/license.txt");
	assert_string_equal(a->deps[0], "chocolatey-core.extension");
	assert_string_equal(a->dep_ranges[0], "1.3.3");
	/* the installers are embedded (Get-Item $toolsDir\*_x64.exe): no
	 * download, so no installer entries */
	assert_true(a->has_install_script);
	assert_int_equal(a->n_installers, 0);
	tg_win_inventory_release(&w);

	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_choco_dir(OWN "choco/splat-no-checksum64", &w, &err), 0);
	assert_string_equal(w.apps[0].license, "GPL-2.0-or-later");
	tg_win_inventory_release(&w);
}

static const struct tg_win_installer *by_url(const struct tg_win_app *a,
					     const char *needle)
{
	size_t i;

	for (i = 0; i < a->n_installers; i++)
		if (a->installers[i].url && strstr(a->installers[i].url, needle))
			return &a->installers[i];
	return NULL;
}

static void firefox_script_facts(void **state)
{
	struct tg_win_inventory w;
	struct tg_err err;
	const struct tg_win_app *a;
	const struct tg_win_installer *in;
	size_t i, dyn = 0;

	(void)state;
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_choco_dir(CHOCO "firefox", &w, &err), 0);
	a = &w.apps[0];
	assert_true(a->has_install_script);
	/* three per-architecture builds, and $packageArgs using $build */
	assert_int_equal(a->n_installers, 4);
	in = by_url(a, "os=win64-aarch64");
	assert_non_null(in);
	/* ${locale} is reassigned from a function call: not a literal */
	assert_true(in->url_dynamic);
	assert_true(tg_str_starts_with(in->url, "https://download.mozilla.org/"));
	assert_true(in->checksum_dynamic);
	assert_null(in->checksum);
	for (i = 0; i < a->n_installers; i++) {
		if (a->installers[i].url && strcmp(a->installers[i].url, "$build.Url") == 0) {
			dyn++;
			assert_string_equal(a->installers[i].checksum_type, "sha512");
			assert_true(a->installers[i].checksum_dynamic);
		}
	}
	assert_int_equal(dyn, 1);
	tg_win_inventory_release(&w);
}

static void positional_call_with_variables(void **state)
{
	struct tg_win_inventory w;
	struct tg_err err;
	const struct tg_win_app *a;

	(void)state;
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_choco_dir(OWN "choco/old-http-md5", &w, &err), 0);
	a = &w.apps[0];
	assert_int_equal(a->n_installers, 2);
	assert_string_equal(a->installers[0].url,
			    "http://the.earth.li/~sgtatham/putty/0.70/w32/putty.zip");
	assert_false(a->installers[0].url_dynamic);
	assert_string_equal(a->installers[0].checksum, "76b7e1e9b1c1fb42a8e0e5b2a0f3c4d1");
	assert_string_equal(a->installers[0].checksum_type, "md5");
	assert_string_equal(a->installers[1].arch, "x64");
	assert_string_equal(a->installers[1].url,
			    "http://the.earth.li/~sgtatham/putty/0.70/w64/putty.zip");
	/* checksumType64 defaults to checksumType */
	assert_string_equal(a->installers[1].checksum_type, "md5");
	assert_int_equal(a->installers[1].line, 8);
	tg_win_inventory_release(&w);
}

static void script_edge_cases(void **state)
{
	struct tg_win_inventory w;
	struct tg_win_app *app;
	struct tg_err err;
	static const char s1[] =
		"# url = 'http://commented.example/out'\n"
		"$packageArgs = @{\n"
		"  'url' = \"https://e.example/a-$env:Version.exe\" # trailing comment\n"
		"  checksum = ''\n"
		"  checksumType = 'sha256'; fileType = 'msi'\n"
		"}\n"
		"Install-ChocolateyPackage @packageArgs\n"
		"Get-ChocolateyWebFile 'x' \"$env:TEMP\\x.exe\" 'https://e.example/b.exe'\n";
	static const char unterminated[] = "$a = @{ url = 'http://x.example/\n";

	(void)state;
	tg_win_inventory_init(&w);
	app = tg_win_add_app(&w, &err);
	assert_non_null(app);
	assert_int_equal(tg_win_parse_choco_script(s1, strlen(s1), "s1.ps1", app, &err), 0);
	assert_int_equal(app->n_installers, 2);
	assert_true(app->installers[0].url_dynamic);
	assert_null(app->installers[0].checksum); /* '' is no checksum */
	assert_string_equal(app->installers[0].type, "msi");
	assert_int_equal(app->installers[0].line, 2);
	assert_string_equal(app->installers[1].url, "https://e.example/b.exe");
	assert_int_equal(app->installers[1].line, 8);
	tg_win_inventory_release(&w);

	tg_win_inventory_init(&w);
	app = tg_win_add_app(&w, &err);
	assert_int_equal(tg_win_parse_choco_script(unterminated, strlen(unterminated),
						   "u.ps1", app, &err), 0);
	assert_int_equal(app->n_installers, 0);
	assert_int_equal(tg_win_parse_choco_script("a\0b", 3, "nul.ps1", app, &err),
			 TG_EPARSE);
	tg_win_inventory_release(&w);
}

static void nupkg_in_memory(void **state)
{
	struct tg_inventory inv;
	struct tg_win_inventory w;
	struct tg_buf b;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse_path(OWN "firefox.154.0.nupkg", NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "nupkg");
	assert_int_equal(inv.n_pkgs, 1);
	assert_string_equal(inv.pkgs[0].name, "Firefox");
	assert_string_equal(inv.pkgs[0].version, "154.0");
	assert_string_equal(inv.pkgs[0].origin_path, OWN "firefox.154.0.nupkg");
	tg_inventory_release(&inv);

	tg_buf_init(&b, 1 << 20);
	assert_int_equal(tg_read_file(OWN "firefox.154.0.nupkg", 1 << 20, &b, &err), 0);
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_nupkg(b.data, b.len, "ff.nupkg", &w, &err), 0);
	assert_true(w.apps[0].has_install_script);
	assert_int_equal(w.apps[0].n_installers, 4);
	assert_string_equal(w.apps[0].package_path, "ff.nupkg");
	tg_win_inventory_release(&w);
	/* a truncated zip is a parse error, never a crash */
	tg_win_inventory_init(&w);
	assert_int_not_equal(tg_win_parse_nupkg(b.data, b.len / 2, "cut.nupkg", &w, &err), 0);
	tg_win_inventory_release(&w);
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_nupkg("PK\x03\x04", 4, "tiny.nupkg", &w, &err), TG_EPARSE);
	tg_win_inventory_release(&w);
	tg_buf_release(&b);
}

static void choco_list_shapes(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(OWN "choco-list/choco-v1-local-only.txt", "choco-list",
				    NULL, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 12);
	p = find_pkg(&inv, "GoogleChrome");
	assert_non_null(p);
	assert_string_equal(p->version, "83.0.4103.97");
	assert_int_equal(p->origin_line, 8);
	tg_inventory_release(&inv);

	/* detected from the banner, CRLF line ends */
	assert_int_equal(parse_path(OWN "choco-list/choco-v2-crlf.txt", NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "choco-list");
	assert_int_equal(inv.n_pkgs, 5);
	p = find_pkg(&inv, "zoom");
	assert_string_equal(p->version, "5.17.1.29381");
	tg_inventory_release(&inv);

	/* -r: detected from the name|version shape */
	assert_int_equal(parse_path(OWN "choco-list/choco-r.txt", NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "choco-list");
	assert_int_equal(inv.n_pkgs, 5);
	assert_string_equal(find_pkg(&inv, "teamviewer")->version, "15.49.2");
	tg_inventory_release(&inv);

	/* remote listings add notes after the version */
	assert_int_equal(parse_text("choco-list", "Chocolatey v0.10.15\n"
				    "git 2.26.2 [Approved] Downloads cached for licensed users\n"
				    "1 packages found.\n", NULL, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 1);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("choco-list", "this is not\na package list\n", NULL,
				    &inv, &err), TG_EPARSE);
	assert_int_equal(err.line, 1);
	tg_inventory_release(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(packages_config_attributes),
		cmocka_unit_test(packages_config_refusals),
		cmocka_unit_test(every_real_nuspec),
		cmocka_unit_test(nuspec_fields_and_dependencies),
		cmocka_unit_test(firefox_script_facts),
		cmocka_unit_test(positional_call_with_variables),
		cmocka_unit_test(script_edge_cases),
		cmocka_unit_test(nupkg_in_memory),
		cmocka_unit_test(choco_list_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* winget inputs: real `winget export` files and winget-pkgs manifests
 * (multi-file folders merged, root-level installer defaults, quoted
 * scalars), a singleton, malformed YAML, the version order. */
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

#include "test_inputs_util.h"
#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/inputs.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

#define TP "tests/data/third_party/winget-choco/"
#define EXPORT_V TP "winget-export/export-winget-1.4.10173-with-versions.json"
#define EXPORT_IDS TP "winget-export/export-winget-1.6.2771-ids-only.json"
#define M TP "winget/manifests/"
#define SEVENZIP M "7/7zip/7zip/26.02"
#define GIT M "g/Git/Git/2.55.0.3"
#define VLC M "v/VideoLAN/VLC/3.0.23"
#define PY M "p/Python/Python/3/12/3.12.10"
#define SINGLETON "tests/data/windows/winget/no-sha256"

static const struct tg_win_app *app_by_id(const struct tg_win_inventory *w,
					  const char *id)
{
	size_t i;

	for (i = 0; i < w->n_apps; i++)
		if (strcmp(w->apps[i].id, id) == 0)
			return &w->apps[i];
	return NULL;
}

static void export_with_versions(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	/* no name pattern: the content tells it is a winget export */
	assert_int_equal(parse_path(EXPORT_V, NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "winget-export");
	assert_int_equal(inv.n_pkgs, 37);
	p = find_pkg(&inv, "Git.Git");
	assert_non_null(p);
	assert_int_equal(p->eco, TG_ECO_WINGET);
	assert_string_equal(p->version, "2.34.1");
	assert_string_equal(p->source, "winget");
	assert_int_equal(p->origin_line, 33);
	p = find_pkg(&inv, "Python.Python.3.8");
	assert_non_null(p);
	assert_string_equal(p->version, "3.8.10");
	assert_string_equal(p->norm_name, "python.python.3.8");
	tg_inventory_release(&inv);
}

static void export_ids_only(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	size_t i;

	(void)state;
	assert_int_equal(parse_path(EXPORT_IDS, "winget", NULL, &inv, &err), 0);
	assert_int_equal(inv.n_pkgs, 16);
	for (i = 0; i < inv.n_pkgs; i++) {
		assert_null(inv.pkgs[i].version);
		assert_true(inv.pkgs[i].flags & TG_PKG_UNPINNED);
	}
	assert_non_null(find_pkg(&inv, "Microsoft.Edge"));
	tg_inventory_release(&inv);
}

static void manifest_folder_merged(void **state)
{
	struct tg_win_inventory w;
	const struct tg_win_app *a;
	struct tg_err err;
	size_t i;

	(void)state;
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_winget_dir(SEVENZIP, &w, &err), 0);
	assert_int_equal(w.n_apps, 1);
	a = &w.apps[0];
	assert_string_equal(a->id, "7zip.7zip");
	/* PackageVersion: "26.02" stays text, not the number 26.02 */
	assert_string_equal(a->version, "26.02");
	assert_int_equal(a->kind, TG_WIN_MANIFEST);
	assert_string_equal(a->publisher, "Igor Pavlov");
	assert_string_equal(a->name, "7-Zip");
	assert_string_equal(a->license, "LGPL-2.1");
	assert_int_equal(a->n_installers, 6);
	for (i = 0; i < a->n_installers; i++) {
		/* the root-level Scope is every installer's default */
		assert_string_equal(a->installers[i].scope, "machine");
		assert_non_null(a->installers[i].sha256);
		assert_true(tg_str_starts_with(a->installers[i].url, "https://github.com/ip7z/"));
	}
	assert_string_equal(a->installers[0].arch, "x86");
	assert_string_equal(a->installers[0].type, "exe");
	assert_string_equal(a->installers[0].sha256,
			    "17D894C17B04984B6FFCC1B31926B39C42D315CD861C3ADBF7F34BD941D529AC");
	assert_string_equal(a->installers[0].product_code, "7-Zip");
	assert_string_equal(a->installers[5].type, "wix");
	assert_string_equal(a->installers[5].product_code,
			    "{23170F69-40C1-2702-2602-000001000000}");
	tg_win_inventory_release(&w);
}

static void installer_level_overrides_root(void **state)
{
	struct tg_win_inventory w;
	const struct tg_win_app *a;
	struct tg_err err;

	(void)state;
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_winget_dir(GIT, &w, &err), 0);
	a = app_by_id(&w, "Git.Git");
	assert_non_null(a);
	assert_string_equal(a->version, "2.55.0.3");
	assert_int_equal(a->n_installers, 4);
	/* InstallerType inno is a root-level default; Scope is per installer */
	assert_string_equal(a->installers[0].type, "inno");
	assert_string_equal(a->installers[0].scope, "user");
	assert_string_equal(a->installers[1].scope, "machine");
	assert_string_equal(a->installers[2].arch, "arm64");
	assert_string_equal(a->license, "GPL-2.0");
	tg_win_inventory_release(&w);

	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_winget_dir(PY, &w, &err), 0);
	a = app_by_id(&w, "Python.Python.3.12");
	assert_non_null(a);
	/* no defaultLocale file was copied for Python: nothing from it */
	assert_null(a->publisher);
	assert_string_equal(a->installers[0].type, "burn");
	assert_string_equal(a->installers[0].display_version, "3.12.10150.0");
	tg_win_inventory_release(&w);
}

static void manifest_tree(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	/* a directory of manifests is detected and every folder merged */
	assert_int_equal(parse_path(M, NULL, NULL, &inv, &err), 0);
	assert_string_equal(inv.format, "winget-manifest");
	assert_int_equal(inv.n_pkgs, 5);
	p = find_pkg(&inv, "VideoLAN.VLC");
	assert_non_null(p);
	assert_string_equal(p->version, "3.0.23");
	assert_string_equal(p->origin_path, M "v/VideoLAN/VLC/3.0.23");
	p = find_pkg(&inv, "Notepad++.Notepad++");
	assert_non_null(p);
	assert_string_equal(p->version, "8.9.7");
	tg_inventory_release(&inv);
}

static void one_file_of_a_set(void **state)
{
	struct tg_inventory inv;
	struct tg_err err;
	const struct tg_package *p;

	(void)state;
	assert_int_equal(parse_path(VLC "/VideoLAN.VLC.installer.yaml", NULL, NULL,
				    &inv, &err), 0);
	assert_string_equal(inv.format, "winget-manifest");
	assert_int_equal(inv.n_pkgs, 1);
	p = &inv.pkgs[0];
	assert_string_equal(p->name, "VideoLAN.VLC");
	assert_string_equal(p->version, "3.0.23");
	assert_non_null(p->url);
	tg_inventory_release(&inv);
}

/* Copy the 7zip folder with one file's PackageVersion changed. */
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

static void versions_must_agree(void **state)
{
	char dir[] = "/tmp/tg-winget-XXXXXX";
	struct tg_win_inventory w;
	struct tg_err err;
	char path[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/A.B.yaml", dir);
	write_file(path, "PackageIdentifier: A.B\nPackageVersion: \"1.0\"\n"
			 "DefaultLocale: en-US\nManifestType: version\nManifestVersion: 1.6.0\n");
	snprintf(path, sizeof(path), "%s/A.B.installer.yaml", dir);
	write_file(path, "PackageIdentifier: A.B\nPackageVersion: \"1.1\"\n"
			 "Installers:\n- Architecture: x64\n  InstallerUrl: https://e.example/a.msi\n"
			 "  InstallerSha256: 00\nManifestType: installer\nManifestVersion: 1.6.0\n");
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_winget_dir(dir, &w, &err), TG_EINVAL);
	assert_non_null(strstr(err.msg, "differs from"));
	tg_win_inventory_release(&w);
	unlink(path);
	snprintf(path, sizeof(path), "%s/A.B.yaml", dir);
	unlink(path);
	rmdir(dir);
}

static void singleton_and_bad_yaml(void **state)
{
	struct tg_win_inventory w;
	const struct tg_win_app *a;
	struct tg_err err;
	struct tg_inventory inv;
	static const char bad[] =
		"PackageIdentifier: A.B\nPackageVersion: 1.0\nInstallers:\n"
		"- Architecture: x64\n  InstallerUrl: [unclosed\nManifestType: installer\n";
	static const char not_manifest[] = "name: ci\non: [push]\n";

	(void)state;
	tg_win_inventory_init(&w);
	assert_int_equal(tg_win_parse_winget_dir(SINGLETON, &w, &err), 0);
	a = &w.apps[0];
	assert_string_equal(a->version, "3.10");
	assert_int_equal(a->n_installers, 2);
	assert_null(a->installers[0].sha256);
	assert_string_equal(a->installers[0].type, "msi");
	assert_true(tg_str_starts_with(a->installers[0].url, "http://"));
	tg_win_inventory_release(&w);

	assert_int_equal(parse_text("winget-manifest", bad, NULL, &inv, &err), TG_EPARSE);
	assert_string_equal(err.file, "mem.txt");
	assert_true(err.line >= 5);
	tg_inventory_release(&inv);
	assert_int_equal(parse_text("winget-manifest", not_manifest, NULL, &inv, &err),
			 TG_EINVAL);
	assert_non_null(strstr(err.msg, "PackageIdentifier"));
	tg_inventory_release(&inv);
}

static void aliases_do_not_explode(void **state)
{
	struct tg_buf b;
	struct tg_inventory inv;
	struct tg_err err;
	int i;

	(void)state;
	/* a billion-laughs shaped document: aliases are references, and only
	 * the known keys are visited */
	tg_buf_init(&b, 1 << 20);
	assert_int_equal(tg_buf_adds(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x]\n", &err), 0);
	for (i = 1; i < 20; i++)
		assert_int_equal(tg_buf_addf(&b, &err,
					     "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d]\n",
					     i, i, i - 1, i - 1, i - 1, i - 1, i - 1), 0);
	assert_int_equal(tg_buf_adds(&b, "PackageIdentifier: A.B\nPackageVersion: 1\n"
				     "Installers: *a19\nManifestType: installer\n", &err), 0);
	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_bytes("winget-manifest", b.data, b.len, "bomb.yaml",
					      NULL, &inv, &err), TG_EINVAL);
	tg_inventory_release(&inv);
	tg_buf_release(&b);
}

static void version_order(void **state)
{
	(void)state;
	assert_int_equal(tg_win_version_cmp("26.02", "26.2"), 0);
	assert_int_equal(tg_win_version_cmp("26.2", "26.2.0"), 0);
	assert_int_equal(tg_win_version_cmp("22.01", "26.02"), -1);
	assert_int_equal(tg_win_version_cmp("2.55.0.3", "2.55.0.10"), -1);
	assert_int_equal(tg_win_version_cmp("151.0.7922.174", "99.0"), 1);
	assert_int_equal(tg_win_version_cmp("1.0.beta", "1.0.0"), -1);
	assert_int_equal(tg_win_version_cmp("00000000000000000000001", "1"), 0);
	assert_int_equal(tg_win_version_cmp("8.9.7", "8.9.7"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(export_with_versions),
		cmocka_unit_test(export_ids_only),
		cmocka_unit_test(manifest_folder_merged),
		cmocka_unit_test(installer_level_overrides_root),
		cmocka_unit_test(manifest_tree),
		cmocka_unit_test(one_file_of_a_set),
		cmocka_unit_test(versions_must_agree),
		cmocka_unit_test(singleton_and_bad_yaml),
		cmocka_unit_test(aliases_do_not_explode),
		cmocka_unit_test(version_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

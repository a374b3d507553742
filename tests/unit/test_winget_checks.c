/* Windows checks on real and realistic winget / Chocolatey inputs: each
 * check is run on an input that trips it and on one that does not, so the
 * test fails when the check is missing or over-eager. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/finding.h"
#include "tollgate/inputs.h"
#include "tollgate/toml.h"
#include "tollgate/vet_content.h"
#include "tollgate/windows.h"

#define TP "tests/data/third_party/winget-choco/"
#define EXPORT TP "winget-export/export-winget-1.4.10173-with-versions.json"
#define OWN "tests/data/windows/"

/* Parse an input (file or directory) into a model through the inputs
 * table, the way audit does. */
static void load(const char *path, struct tg_win_inventory *w)
{
	struct tg_inventory inv;
	struct tg_err err;
	bool is_win = false;

	tg_inventory_init(&inv);
	assert_int_equal(tg_input_parse_file(path, NULL, NULL, &inv, &err), 0);
	tg_win_inventory_init(w);
	assert_int_equal(tg_win_load(&inv, w, &is_win, &err), 0);
	assert_true(is_win);
	tg_inventory_release(&inv);
}

static void policy(const char *toml, struct tg_win_policy *p)
{
	struct tg_toml *doc = NULL;
	struct tg_err err;

	tg_win_policy_init(p);
	if (!toml)
		return;
	assert_int_equal(tg_toml_parse(toml, strlen(toml), "tollgate.toml", &doc, &err), 0);
	assert_int_equal(tg_win_policy_from_toml(tg_toml_get(tg_toml_root(doc), "windows"),
						 "tollgate.toml", p, &err), 0);
	tg_toml_free(doc);
}

/* Findings with rule id `rule` (all packages, or only `pkg`). */
static size_t count(const struct tg_report *r, const char *rule, const char *pkg)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].id, rule) == 0 &&
		    (!pkg || strcmp(r->findings[i].package, pkg) == 0))
			n++;
	return n;
}

static void run_checks(const char *path, const char *toml, struct tg_report *r,
		       const struct tg_vet_rules *rules)
{
	struct tg_win_inventory w;
	struct tg_win_policy p;
	struct tg_win_check_ctx c;
	struct tg_err err;

	load(path, &w);
	policy(toml, &p);
	memset(&c, 0, sizeof(c));
	c.policy = &p;
	c.rules = rules;
	tg_report_init(r);
	assert_int_equal(tg_win_check(&c, &w, r, &err), 0);
	tg_win_policy_release(&p);
	tg_win_inventory_release(&w);
}

static void allowed_sources(void **state)
{
	struct tg_report r;

	(void)state;
	run_checks(EXPORT, "[windows]\nallowed_sources = [\"msstore\"]\n", &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_SOURCE, NULL), 37);
	assert_int_equal(r.findings[0].kind, TG_FIND_POLICY);
	assert_non_null(strstr(r.findings[0].summary, "'winget'"));
	tg_report_release(&r);
	run_checks(EXPORT, "[windows]\nallowed_sources = [\"winget\"]\n", &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_SOURCE, NULL), 0);
	tg_report_release(&r);
	/* Chocolatey's default feed when packages.config names none */
	run_checks(TP "choco-packages-config/packages-with-attributes.config",
		   "[windows]\nallowed_sources = [\"https://choco.corp.example/\"]\n", &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_SOURCE, NULL), 4);
	assert_non_null(strstr(r.findings[0].summary, "'chocolatey'"));
	tg_report_release(&r);
}

static void source_pins_and_community(void **state)
{
	struct tg_report r;

	(void)state;
	run_checks(EXPORT, "[[windows.source]]\npackage = \"Git.*\"\nsource = \"msstore\"\n"
			   "[[windows.source]]\npackage = \"7zip.7zip\"\nsource = \"winget\"\n",
		   &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_SOURCE_PIN, NULL), 1);
	assert_int_equal(count(&r, TG_WIN_RULE_SOURCE_PIN, "Git.Git"), 1);
	tg_report_release(&r);

	run_checks(OWN "choco-list/choco-r.txt", "[windows]\nallow_community = false\n", &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_COMMUNITY, NULL), 5);
	tg_report_release(&r);
	/* a package pinned to its source is judged by the pin alone */
	run_checks(OWN "choco-list/choco-r.txt", "[windows]\nallow_community = false\n"
			   "[[windows.source]]\npackage = \"zoom\"\nsource = \"chocolatey\"\n", &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_COMMUNITY, NULL), 4);
	assert_int_equal(count(&r, TG_WIN_RULE_COMMUNITY, "zoom"), 0);
	tg_report_release(&r);
	/* defaults: community sources are fine */
	run_checks(OWN "choco-list/choco-r.txt", NULL, &r, NULL);
	assert_int_equal(r.n_findings, 0);
	tg_report_release(&r);
}

static void allow_and_deny(void **state)
{
	struct tg_report r;

	(void)state;
	run_checks(EXPORT, "[windows]\ndeny = [\"google.*\", \"TeamViewer.TeamViewer\"]\n", &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_DENY, NULL), 1);
	assert_int_equal(count(&r, TG_WIN_RULE_DENY, "Google.Chrome"), 1);
	assert_int_equal(r.findings[0].severity, TG_SEV_HIGH);
	tg_report_release(&r);
	run_checks(EXPORT, "[windows]\nallow = [\"Git.Git\", \"7zip.*\", \"Microsoft.*\"]\n", &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_NOT_ALLOWED, "Git.Git"), 0);
	assert_int_equal(count(&r, TG_WIN_RULE_NOT_ALLOWED, "7zip.7zip"), 0);
	assert_int_equal(count(&r, TG_WIN_RULE_NOT_ALLOWED, "Gyan.FFmpeg"), 1);
	assert_true(count(&r, TG_WIN_RULE_NOT_ALLOWED, NULL) > 20);
	tg_report_release(&r);
}

static void installer_hashes(void **state)
{
	struct tg_report r;

	(void)state;
	/* winget: the x86 installer has no InstallerSha256, x64 has one */
	run_checks(OWN "winget/no-sha256", NULL, &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_NO_SHA256, NULL), 1);
	assert_int_equal(r.findings[1].origin_line, 14);
	tg_report_release(&r);
	/* every real winget-pkgs installer has one */
	run_checks(TP "winget/manifests", NULL, &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_NO_SHA256, NULL), 0);
	assert_int_equal(count(&r, TG_WIN_RULE_HTTP, NULL), 0);
	tg_report_release(&r);
}

static void chocolatey_checksums(void **state)
{
	struct tg_report r;

	(void)state;
	run_checks(OWN "choco/splat-no-checksum64", NULL, &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_NO_CHECKSUM, NULL), 1);
	assert_non_null(strstr(r.findings[0].summary, "(x64)"));
	assert_int_equal(count(&r, TG_WIN_RULE_WEAK_CHECKSUM, NULL), 0);
	tg_report_release(&r);

	run_checks(OWN "choco/old-http-md5", NULL, &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_WEAK_CHECKSUM, NULL), 2);
	assert_int_equal(count(&r, TG_WIN_RULE_NO_CHECKSUM, NULL), 0);
	tg_report_release(&r);

	run_checks(OWN "choco/splat-type-mismatch", NULL, &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_CHECKSUM_TYPE, NULL), 1);
	assert_non_null(strstr(r.findings[0].summary, "40 hex digits"));
	tg_report_release(&r);

	/* the real Firefox package: checksums computed at install time
	 * (sha512 from LanguageChecksums.csv): nothing to flag */
	run_checks(TP "chocolatey/firefox", NULL, &r, NULL);
	assert_int_equal(r.n_findings, 0);
	tg_report_release(&r);
	run_checks(OWN "firefox.154.0.nupkg", NULL, &r, NULL);
	assert_int_equal(r.n_findings, 0);
	tg_report_release(&r);
}

static void plain_http(void **state)
{
	struct tg_report r;

	(void)state;
	run_checks(OWN "choco/old-http-md5", NULL, &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_HTTP, NULL), 2);
	assert_string_equal(r.findings[0].origin_path,
			    OWN "choco/old-http-md5/tools/chocolateyInstall.ps1");
	assert_int_equal(r.findings[0].origin_line, 8);
	tg_report_release(&r);
	run_checks(OWN "winget/no-sha256", NULL, &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_HTTP, NULL), 1);
	tg_report_release(&r);
	run_checks(OWN "choco/splat-no-checksum64", NULL, &r, NULL);
	assert_int_equal(count(&r, TG_WIN_RULE_HTTP, NULL), 0);
	tg_report_release(&r);
}

static void install_scripts(void **state)
{
	struct tg_vet_rules *rules = NULL;
	struct tg_report r;
	struct tg_err err;
	size_t i;
	bool exec = false;

	(void)state;
	assert_int_equal(tg_vet_rules_load("rules", &rules, &err), 0);
	run_checks(OWN "choco/download-exec", NULL, &r, rules);
	assert_true(count(&r, TG_WIN_RULE_SCRIPT, NULL) >= 1);
	for (i = 0; i < r.n_findings; i++)
		if (strcmp(r.findings[i].id, TG_WIN_RULE_SCRIPT) == 0 &&
		    strstr(r.findings[i].summary, "powershell-download-exec")) {
			exec = true;
			assert_int_equal(r.findings[i].kind, TG_FIND_CONTENT_RISK);
			assert_int_equal(r.findings[i].origin_line, 5);
			assert_non_null(strstr(r.findings[i].origin_path, "chocolateyInstall.ps1"));
		}
	assert_true(exec);
	tg_report_release(&r);
	/* real community packages: their scripts are clean */
	run_checks(TP "chocolatey/7zip.install", NULL, &r, rules);
	assert_int_equal(count(&r, TG_WIN_RULE_SCRIPT, NULL), 0);
	tg_report_release(&r);
	run_checks(TP "chocolatey/git.install", NULL, &r, rules);
	assert_int_equal(count(&r, TG_WIN_RULE_SCRIPT, NULL), 0);
	tg_report_release(&r);
	tg_vet_rules_free(rules);
}

static void newer_in_manifests(void **state)
{
	struct tg_win_inventory w[2];
	struct tg_win_policy p;
	struct tg_win_check_ctx c;
	struct tg_report r;
	struct tg_err err;
	size_t i;

	(void)state;
	load(EXPORT, &w[0]);
	load(TP "winget/manifests", &w[1]);
	tg_win_policy_init(&p);
	memset(&c, 0, sizeof(c));
	c.policy = &p;
	c.available = w;
	c.n_available = 2;
	tg_report_init(&r);
	for (i = 0; i < 2; i++)
		assert_int_equal(tg_win_check(&c, &w[i], &r, &err), 0);
	/* 7zip 22.01, Git 2.34.1, VLC 3.0.18 installed; manifests are newer */
	assert_int_equal(count(&r, TG_WIN_RULE_OUTDATED, NULL), 3);
	for (i = 0; i < r.n_findings; i++)
		if (strcmp(r.findings[i].package, "7zip.7zip") == 0)
			assert_string_equal(r.findings[i].fixed_version, "26.02");
	tg_report_release(&r);
	/* without manifests nothing is known to be newer */
	c.n_available = 0;
	tg_report_init(&r);
	assert_int_equal(tg_win_check(&c, &w[0], &r, &err), 0);
	assert_int_equal(count(&r, TG_WIN_RULE_OUTDATED, NULL), 0);
	tg_report_release(&r);
	tg_win_inventory_release(&w[0]);
	tg_win_inventory_release(&w[1]);
}

static void policy_errors(void **state)
{
	static const char *const bad[] = {
		"[windows]\nallowed_sources = \"winget\"\n",
		"[windows]\nallow_community = \"no\"\n",
		"[windows]\ndenny = [\"x\"]\n",
		"[[windows.source]]\npackage = \"x\"\n",
		"[[windows.source]]\npackage = \"x\"\nsource = \"y\"\nfoo = 1\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tg_toml *doc = NULL;
		struct tg_win_policy p;
		struct tg_err err;

		assert_int_equal(tg_toml_parse(bad[i], strlen(bad[i]), "tollgate.toml", &doc, &err), 0);
		assert_int_equal(tg_win_policy_from_toml(tg_toml_get(tg_toml_root(doc), "windows"),
							 "tollgate.toml", &p, &err), TG_EINVAL);
		assert_string_equal(err.file, "tollgate.toml");
		assert_true(err.line >= 1);
		tg_win_policy_release(&p);
		tg_toml_free(doc);
	}
}

static void kev_map_table(void **state)
{
	struct tg_win_kev_map m;
	struct tg_err err;
	static const char bad[] = "Google\tChrome\tnpm\tx\n";

	(void)state;
	tg_win_kev_map_init(&m);
	assert_int_equal(tg_win_kev_map_load("data/windows/kev-map.tsv", &m, &err), 0);
	assert_true(m.n >= 80);
	assert_string_equal(m.rows[0].vendor_project, "Google");
	tg_win_kev_map_release(&m);
	tg_win_kev_map_init(&m);
	assert_int_equal(tg_win_kev_map_parse(bad, strlen(bad), "map.tsv", &m, &err), TG_EINVAL);
	assert_int_equal(err.line, 1);
	assert_int_equal(tg_win_kev_map_parse("a\tb\n", 4, "map.tsv", &m, &err), TG_EPARSE);
	tg_win_kev_map_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allowed_sources),
		cmocka_unit_test(source_pins_and_community),
		cmocka_unit_test(allow_and_deny),
		cmocka_unit_test(installer_hashes),
		cmocka_unit_test(chocolatey_checksums),
		cmocka_unit_test(plain_http),
		cmocka_unit_test(install_scripts),
		cmocka_unit_test(newer_in_manifests),
		cmocka_unit_test(policy_errors),
		cmocka_unit_test(kev_map_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

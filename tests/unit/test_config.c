/* tollgate.toml: loading and validation with located errors, upward
 * search, ignore rules (aliases, package/version scope, expiry) and the
 * --fail-on gate. */
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

#include "tollgate/config.h"
#include "tollgate/fs.h"
#include "tollgate/str.h"

static int parse(const char *text, struct tg_config *cfg, struct tg_err *err)
{
	tg_config_init(cfg);
	tg_err_clear(err);
	return tg_config_parse(text, strlen(text), "proj/tollgate.toml", cfg, err);
}

static void full_config_is_read(void **state)
{
	static const char text[] =
		"# project policy\n"
		"[audit]\n"
		"fail-on = \"high\"\n"
		"prefer-id = \"ghsa\"\n"
		"\n"
		"[[ignore]]\n"
		"id = \"CVE-2023-1234\"\n"
		"reason = \"not reachable\"\n"
		"expires = 2026-12-31\n"
		"\n"
		"[[ignore]]\n"
		"id = \"GHSA-aaaa-bbbb-cccc\"\n"
		"reason = \"dev only\"\n"
		"package = \"Django\"\n"
		"version = \"3.2.1\"\n"
		"expires = \"2025-01-02\"\n"
		"\n"
		"[vet]\n"
		"threshold = 3\n";
	struct tg_config cfg;
	struct tg_err err;
	const struct tg_toml_value *vet;
	int64_t n;

	(void)state;
	assert_int_equal(parse(text, &cfg, &err), 0);
	assert_true(cfg.has_fail_on);
	assert_int_equal(cfg.fail_on, TG_FAIL_HIGH);
	assert_true(cfg.has_prefer_id);
	assert_int_equal(cfg.prefer_id, TG_PREFER_GHSA);
	assert_int_equal(cfg.n_ignores, 2);
	assert_string_equal(cfg.ignores[0].id, "CVE-2023-1234");
	assert_string_equal(cfg.ignores[0].expires, "2026-12-31");
	assert_int_equal(cfg.ignores[0].line, 6);
	assert_null(cfg.ignores[0].package);
	assert_string_equal(cfg.ignores[1].package, "Django");
	assert_string_equal(cfg.ignores[1].version, "3.2.1");
	assert_string_equal(cfg.ignores[1].expires, "2025-01-02");
	assert_int_equal(cfg.ignores[1].line, 11);
	vet = tg_config_table(&cfg, "vet");
	assert_non_null(vet);
	assert_true(tg_toml_int(tg_toml_get(vet, "threshold"), &n));
	assert_int_equal(n, 3);
	assert_null(tg_config_table(&cfg, "proxy"));
	assert_non_null(tg_config_doc(&cfg));
	tg_config_release(&cfg);
}

static void errors_name_file_and_line(void **state)
{
	static const struct {
		const char *text;
		unsigned long line;
		const char *needle;
	} cases[] = {
		{ "[[ignore]]\nid = \"CVE-1\"\n", 1, "no 'reason'" },
		{ "\n[[ignore]]\nid = \"CVE-1\"\nreason = \"\"\n", 2, "no 'reason'" },
		{ "[[ignore]]\nreason = \"x\"\n", 1, "needs an 'id'" },
		{ "[[ignore]]\nid = \"CVE-1\"\nreason = \"x\"\nreson = \"y\"\n", 4, "unknown key 'reson'" },
		{ "[[ignore]]\nid = \"CVE-1\"\nreason = \"x\"\nexpires = \"2026-02-30\"\n", 4, "calendar" },
		{ "[[ignore]]\nid = \"CVE-1\"\nreason = \"x\"\nexpires = \"soon\"\n", 4, "date like" },
		{ "[[ignore]]\nid = 5\nreason = \"x\"\n", 2, "must be a string" },
		{ "ignore = 3\n", 1, "array of tables" },
		{ "[audit]\nfail-on = \"severe\"\n", 2, "'fail-on' must be" },
		{ "[audit]\nprefer-id = \"nvd\"\n", 2, "'prefer-id' must be" },
		{ "[audit]\nfailon = \"any\"\n", 2, "unknown key 'failon'" },
		{ "[audit\n", 1, "" },         /* not TOML */
		{ "a = 1\na = 2\n", 2, "" },   /* duplicate key */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tg_config cfg;
		struct tg_err err;
		int rc = parse(cases[i].text, &cfg, &err);

		if (rc == 0)
			fail_msg("case %zu accepted", i);
		assert_true(rc == TG_EPARSE || rc == TG_EINVAL);
		assert_string_equal(err.file, "proj/tollgate.toml");
		if (err.line != cases[i].line)
			fail_msg("case %zu: line %lu, want %lu (%s)", i, err.line,
				 cases[i].line, err.msg);
		if (!strstr(err.msg, cases[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].needle);
		assert_null(cfg.doc); /* nothing half-loaded */
		tg_config_release(&cfg);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void found_upward_until_repository_root(void **state)
{
	char base[] = "/tmp/tg-config-XXXXXX";
	char path[512], *found = NULL;
	struct tg_err err;

	(void)state;
	assert_non_null(mkdtemp(base));
	snprintf(path, sizeof(path), "%s/a/b/c", base);
	assert_int_equal(tg_mkdir_p(path, &err), 0);
	snprintf(path, sizeof(path), "%s/a/tollgate.toml", base);
	write_file(path, "");
	snprintf(path, sizeof(path), "%s/a/b/c/requirements.txt", base);
	write_file(path, "x==1\n");

	assert_int_equal(tg_config_find(path, &found, &err), 0);
	assert_non_null(found);
	assert_true(tg_str_ends_with(found, "/a/tollgate.toml"));
	free(found);

	/* A repository root below the file stops the search. */
	snprintf(path, sizeof(path), "%s/a/b/.git", base);
	assert_int_equal(tg_mkdir_p(path, &err), 0);
	snprintf(path, sizeof(path), "%s/a/b/c/requirements.txt", base);
	assert_int_equal(tg_config_find(path, &found, &err), 0);
	assert_null(found);

	/* A config at the repository root itself is found. */
	snprintf(path, sizeof(path), "%s/a/b/tollgate.toml", base);
	write_file(path, "");
	snprintf(path, sizeof(path), "%s/a/b/c", base);
	assert_int_equal(tg_config_find(path, &found, &err), 0);
	assert_non_null(found);
	assert_true(tg_str_ends_with(found, "/a/b/tollgate.toml"));
	free(found);

	snprintf(path, sizeof(path), "rm -rf '%s'", base);
	assert_int_equal(system(path), 0);
}

static struct tg_finding *add(struct tg_report *r, const char *pkg,
			      const char *ver, const char *id, const char *alias,
			      enum tg_severity sev)
{
	struct tg_finding f;
	struct tg_finding *out;
	struct tg_err err;

	memset(&f, 0, sizeof(f));
	f.kind = TG_FIND_VULNERABILITY;
	f.eco = TG_ECO_PYPI;
	f.package = (char *)pkg;
	f.version = (char *)ver;
	f.id = (char *)id;
	f.severity = sev;
	f.cvss = -1;
	f.epss = -1;
	out = tg_report_add_finding(r, &f, &err);
	assert_non_null(out);
	if (alias)
		assert_int_equal(tg_finding_add_alias(out, alias, &err), 0);
	return out;
}

static void ignores_match_aliases_scope_and_expire(void **state)
{
	static const char text[] =
		"[[ignore]]\n"
		"id = \"ghsa-xxxx-yyyy-zzzz\"\n" /* case-insensitive, via alias */
		"reason = \"mitigated by WAF\"\n"
		"expires = 2030-01-01\n"
		"\n"
		"[[ignore]]\n"
		"id = \"CVE-2020-2\"\n"
		"reason = \"old decision\"\n"
		"expires = 2024-06-30\n"
		"\n"
		"[[ignore]]\n"
		"id = \"CVE-2020-3\"\n"
		"reason = \"only this pin\"\n"
		"package = \"My_Pkg\"\n"
		"version = \"1.0.0\"\n";
	struct tg_config cfg;
	struct tg_report r;
	struct tg_err err;
	struct tg_finding *a, *b, *c1, *c2, *c3;

	(void)state;
	assert_int_equal(parse(text, &cfg, &err), 0);
	tg_report_init(&r);
	a = add(&r, "x", "1", "CVE-2020-1", "GHSA-xxxx-yyyy-zzzz", TG_SEV_HIGH);
	b = add(&r, "x", "1", "CVE-2020-2", NULL, TG_SEV_HIGH);
	c1 = add(&r, "my-pkg", "1.0", "CVE-2020-3", NULL, TG_SEV_LOW);
	c2 = add(&r, "my-pkg", "1.1", "CVE-2020-3", NULL, TG_SEV_LOW);
	c3 = add(&r, "other", "1.0", "CVE-2020-3", NULL, TG_SEV_LOW);
	assert_int_equal(tg_policy_apply_ignores(&cfg, &r, "2024-07-01", &err), 0);
	assert_true(a->ignored);
	assert_string_equal(a->ignore_reason, "mitigated by WAF");
	assert_string_equal(a->ignore_expires, "2030-01-01");
	assert_false(b->ignored);              /* expired yesterday */
	assert_true(c1->ignored);              /* 1.0 == 1.0.0 */
	assert_false(c2->ignored);
	assert_false(c3->ignored);
	assert_int_equal(r.n_ignore_notes, 3);
	assert_false(r.ignore_notes[0].expired);
	assert_int_equal(r.ignore_notes[0].matched, 1);
	assert_true(r.ignore_notes[1].expired);
	assert_int_equal(r.ignore_notes[1].matched, 1);
	assert_int_equal(r.ignore_notes[1].line, 6);
	assert_int_equal(r.n_warnings, 1);
	assert_non_null(strstr(r.warnings[0], "proj/tollgate.toml:6"));
	assert_non_null(strstr(r.warnings[0], "expired on 2024-06-30"));
	tg_report_release(&r);

	/* On its expiry day a rule still applies. */
	tg_report_init(&r);
	b = add(&r, "x", "1", "CVE-2020-2", NULL, TG_SEV_HIGH);
	assert_int_equal(tg_policy_apply_ignores(&cfg, &r, "2024-06-30", &err), 0);
	assert_true(b->ignored);
	assert_int_equal(r.n_warnings, 0);
	tg_report_release(&r);
	tg_config_release(&cfg);
}

static void fail_on_thresholds(void **state)
{
	struct tg_report r;
	struct tg_err err;
	struct tg_finding *low, *unknown, *kev, *ign;
	static const struct {
		enum tg_fail_on t;
		size_t failing;
	} cases[] = {
		{ TG_FAIL_NONE, 0 }, { TG_FAIL_ANY, 3 },  { TG_FAIL_LOW, 3 },
		{ TG_FAIL_MEDIUM, 2 }, { TG_FAIL_HIGH, 1 }, { TG_FAIL_CRITICAL, 0 },
		{ TG_FAIL_KEV, 1 },
	};
	size_t i;
	enum tg_fail_on t;

	(void)state;
	tg_report_init(&r);
	low = add(&r, "a", "1", "CVE-1", NULL, TG_SEV_LOW);
	unknown = add(&r, "b", "1", "CVE-2", NULL, TG_SEV_UNKNOWN);
	kev = add(&r, "c", "1", "CVE-3", NULL, TG_SEV_HIGH);
	kev->kev = true;
	ign = add(&r, "d", "1", "CVE-4", NULL, TG_SEV_CRITICAL);
	ign->ignored = true;
	(void)low;
	(void)unknown;
	{
		struct tg_finding note;
		memset(&note, 0, sizeof(note));
		note.kind = TG_FIND_UNPINNED;
		note.package = (char *)"e";
		assert_non_null(tg_report_add_finding(&r, &note, &err));
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(tg_policy_evaluate(&r, cases[i].t, &err), 0);
		if (r.n_failing != cases[i].failing)
			fail_msg("%s: %zu failing, want %zu", tg_fail_on_name(cases[i].t),
				 r.n_failing, cases[i].failing);
		assert_int_equal(r.policy_failed, cases[i].failing > 0);
		assert_string_equal(r.fail_on, tg_fail_on_name(cases[i].t));
	}
	assert_true(tg_fail_on_parse("CRITICAL", &t));
	assert_int_equal(t, TG_FAIL_CRITICAL);
	assert_false(tg_fail_on_parse("severe", &t));
	tg_report_release(&r);
}

static void malware_always_fails(void **state)
{
	struct tg_finding f;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.kind = TG_FIND_MALICIOUS;
	f.severity = TG_SEV_CRITICAL;
	assert_true(tg_policy_finding_fails(&f, TG_FAIL_KEV));
	assert_true(tg_policy_finding_fails(&f, TG_FAIL_CRITICAL));
	assert_false(tg_policy_finding_fails(&f, TG_FAIL_NONE));
}

static void today_can_be_pinned(void **state)
{
	char d[11];

	(void)state;
	setenv("TOLLGATE_TODAY", "2031-05-06", 1);
	tg_policy_today(d);
	assert_string_equal(d, "2031-05-06");
	unsetenv("TOLLGATE_TODAY");
	tg_policy_today(d);
	assert_int_equal(strlen(d), 10);
	assert_true(strcmp(d, "2024-01-01") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_config_is_read),
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(found_upward_until_repository_root),
		cmocka_unit_test(ignores_match_aliases_scope_and_expire),
		cmocka_unit_test(fail_on_thresholds),
		cmocka_unit_test(malware_always_fails),
		cmocka_unit_test(today_can_be_pinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

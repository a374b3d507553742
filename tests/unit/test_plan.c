/* Patch plan: grouping per package, the target version (largest fix,
 * checked against the package's advisories through a fixture source),
 * what stays open, KEV-first ordering, commands per ecosystem and input,
 * and the three writers. */
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

#include "tollgate/finding.h"
#include "tollgate/match.h"
#include "tollgate/plan.h"

static void add_inv(struct tg_report *r, const char *format, enum tg_ecosystem eco,
		    const char *name, const char *version, unsigned flags)
{
	struct tg_inventory inv;
	struct tg_package p;
	struct tg_err err;

	tg_inventory_init(&inv);
	inv.format = strdup(format);
	inv.origin = strdup("in");
	memset(&p, 0, sizeof(p));
	p.eco = eco;
	p.name = (char *)name;
	p.norm_name = (char *)name;
	p.version = (char *)version;
	p.flags = flags;
	assert_non_null(tg_inventory_add(&inv, &p, &err));
	assert_int_equal(tg_report_take_inventory(r, &inv, &err), 0);
}

static void add_finding(struct tg_report *r, size_t inv, enum tg_finding_kind kind,
			const char *id, const char *fix, enum tg_severity sev, bool kev,
			bool ransom, const char *due, double epss)
{
	const struct tg_package *p = &r->inventories[inv].pkgs[0];
	struct tg_finding f;
	struct tg_err err;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.eco = p->eco;
	f.package = p->name;
	f.version = p->version;
	f.id = (char *)id;
	f.summary = (char *)"s";
	f.fixed_version = (char *)fix;
	f.severity = sev;
	f.kev = kev;
	f.kev_ransomware = ransom;
	f.kev_due = (char *)due;
	f.epss = epss;
	f.cvss = -1;
	f.has_pkg_ref = true;
	f.inv_index = inv;
	f.pkg_index = 0;
	f.priority = tg_priority_score(&f);
	assert_non_null(tg_report_add_finding(r, &f, &err));
}

static const struct tg_plan_step *step_of(const struct tg_plan *p, const char *pkg)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->steps[i].package, pkg) == 0)
			return &p->steps[i];
	return NULL;
}

static void grouping_target_and_open(void **state)
{
	struct tg_report r;
	struct tg_plan p;
	struct tg_err err;
	const struct tg_plan_step *s;

	(void)state;
	tg_report_init(&r);
	add_inv(&r, "requirements", TG_ECO_PYPI, "django", "3.2.0", TG_PKG_DIRECT);
	add_finding(&r, 0, TG_FIND_VULNERABILITY, "CVE-A", "3.2.5", TG_SEV_HIGH, false, false, NULL, -1);
	add_finding(&r, 0, TG_FIND_VULNERABILITY, "CVE-B", "3.2.25", TG_SEV_LOW, false, false, NULL, -1);
	/* 3.2.10 < 3.2.9 as strings, not as versions */
	add_finding(&r, 0, TG_FIND_VULNERABILITY, "CVE-C", "3.2.9", TG_SEV_LOW, false, false, NULL, -1);
	add_finding(&r, 0, TG_FIND_VULNERABILITY, "CVE-D", NULL, TG_SEV_MEDIUM, false, false, NULL, -1);
	add_finding(&r, 0, TG_FIND_VULNERABILITY, "CVE-E", "3.2.1", TG_SEV_LOW, false, false, NULL, -1);
	r.findings[4].ignored = true;
	assert_int_equal(tg_plan_build(&r, NULL, &p, &err), 0);
	assert_int_equal(p.n, 1);
	s = &p.steps[0];
	assert_string_equal(s->target, "3.2.25");
	assert_int_equal(s->n_fixes, 3);
	assert_int_equal(s->n_open, 1);
	assert_string_equal(s->open[0].id, "CVE-D");
	assert_int_equal(s->n_commands, 2);
	assert_string_equal(s->commands[0], "pip install 'django>=3.2.25'");
	assert_string_equal(s->commands[1], "uv pip install 'django>=3.2.25'");
	assert_int_equal(p.n_findings, 4); /* the ignored one is not planned */
	assert_int_equal(p.n_fixed, 3);
	tg_plan_release(&p);
	tg_report_release(&r);
}

static void kev_first_ordering(void **state)
{
	struct tg_report r;
	struct tg_plan p;
	struct tg_err err;

	(void)state;
	tg_report_init(&r);
	add_inv(&r, "requirements", TG_ECO_PYPI, "crit", "1", 0);
	add_inv(&r, "requirements", TG_ECO_PYPI, "epss-high", "1", 0);
	add_inv(&r, "winget-export", TG_ECO_WINGET, "Late.Kev", "1.0", TG_PKG_DIRECT);
	add_inv(&r, "winget-export", TG_ECO_WINGET, "Early.Kev", "1.0", TG_PKG_DIRECT);
	add_inv(&r, "packages.config", TG_ECO_CHOCOLATEY, "ransom", "2.0", TG_PKG_DIRECT);
	add_finding(&r, 0, TG_FIND_VULNERABILITY, "CVE-1", "2", TG_SEV_CRITICAL, false, false, NULL, -1);
	add_finding(&r, 1, TG_FIND_VULNERABILITY, "CVE-2", "2", TG_SEV_LOW, false, false, NULL, 0.9);
	add_finding(&r, 2, TG_FIND_VULNERABILITY, "CVE-3", NULL, TG_SEV_HIGH, true, false, "2025-06-01", -1);
	add_finding(&r, 3, TG_FIND_VULNERABILITY, "CVE-4", NULL, TG_SEV_HIGH, true, false, "2022-01-10", -1);
	add_finding(&r, 4, TG_FIND_VULNERABILITY, "CVE-5", NULL, TG_SEV_HIGH, true, true, "2024-01-01", -1);
	assert_int_equal(tg_plan_build(&r, NULL, &p, &err), 0);
	assert_int_equal(p.n, 5);
	/* ransomware, then KEV by due date, then EPSS, then severity */
	assert_string_equal(p.steps[0].package, "ransom");
	assert_string_equal(p.steps[1].package, "Early.Kev");
	assert_string_equal(p.steps[2].package, "Late.Kev");
	assert_string_equal(p.steps[3].package, "epss-high");
	assert_string_equal(p.steps[4].package, "crit");
	/* KEV without a fixed version: upgrade to the newest, with a caveat */
	assert_null(p.steps[1].target);
	assert_string_equal(p.steps[1].commands[0], "winget upgrade --id 'Early.Kev' --exact");
	assert_non_null(p.steps[1].note);
	assert_string_equal(p.steps[0].commands[0], "choco upgrade 'ransom' -y");
	tg_plan_release(&p);
	tg_report_release(&r);
}

static void commands_per_input(void **state)
{
	static const struct {
		enum tg_ecosystem eco;
		const char *input;
		bool direct;
		const char *want0, *want1;
	} c[] = {
		{ TG_ECO_PYPI, "uv.lock", true, "uv add 'x>=1.2.3'", "uv lock --upgrade-package 'x'" },
		{ TG_ECO_PYPI, "poetry.lock", true, "poetry add 'x>=1.2.3'", NULL },
		{ TG_ECO_PYPI, "pdm.lock", true, "pdm add 'x>=1.2.3'", NULL },
		{ TG_ECO_PYPI, "pipfile.lock", true, "pipenv install 'x>=1.2.3'", NULL },
		{ TG_ECO_PYPI, "site-packages", false, "pip install 'x>=1.2.3'", "uv pip install 'x>=1.2.3'" },
		{ TG_ECO_NPM, "package-lock", true, "npm install 'x@^1.2.3'", NULL },
		{ TG_ECO_NPM, "package-lock", false, "npm update 'x'", NULL },
		{ TG_ECO_WINGET, "winget-export", true, "winget upgrade --id 'x' --version '1.2.3' --exact", NULL },
		{ TG_ECO_CHOCOLATEY, "choco-list", true, "choco upgrade 'x' --version '1.2.3' -y", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct tg_plan_step s;
		struct tg_err err;

		memset(&s, 0, sizeof(s));
		assert_int_equal(tg_plan_commands(c[i].eco, "x", "1.2.3", c[i].input, c[i].direct,
						  &s, &err), 0);
		assert_string_equal(s.commands[0], c[i].want0);
		if (c[i].want1)
			assert_string_equal(s.commands[1], c[i].want1);
		else
			assert_int_equal(s.n_commands, 1);
		if (c[i].eco == TG_ECO_NPM && !c[i].direct)
			assert_non_null(strstr(s.note, "\"overrides\""));
		{
			struct tg_plan p = { .steps = &s, .n = 1 };
			struct tg_plan_step copy = s;

			(void)p;
			for (size_t k = 0; k < copy.n_commands; k++)
				free(copy.commands[k]);
			free(copy.commands);
			free(copy.note);
		}
	}
	{
		struct tg_plan_step s;
		struct tg_err err;

		memset(&s, 0, sizeof(s));
		assert_int_equal(tg_plan_commands(TG_ECO_PYPI, "x'; rm -rf ~", "1", NULL, true, &s,
						  &err), TG_EINVAL);
	}
}

/* A fixture source: one advisory that still affects 3.2.25. */
static int fx_advisories(void *ctx, enum tg_ecosystem eco, const char *name,
			 struct tg_advisory_list *out, struct tg_err *err)
{
	struct tg_advisory *a;
	struct tg_adv_affected *af;
	struct tg_adv_range *rg;

	(void)ctx;
	(void)eco;
	if (strcmp(name, "django") != 0)
		return 0;
	a = tg_advisory_list_push(out, err);
	a->id = strdup("GHSA-later");
	af = tg_advisory_add_affected(a, err);
	rg = tg_adv_affected_add_range(af, TG_OSV_RANGE_ECOSYSTEM, err);
	tg_adv_range_add_event(rg, TG_OSV_INTRODUCED, "3.2.20", err);
	tg_adv_range_add_event(rg, TG_OSV_FIXED, "3.2.30", err);
	return 0;
}

static void target_checked_against_advisories(void **state)
{
	struct tg_vuln_source src = { .advisories = fx_advisories };
	struct tg_report r;
	struct tg_plan p;
	struct tg_err err;
	const struct tg_plan_step *s;

	(void)state;
	tg_report_init(&r);
	add_inv(&r, "uv.lock", TG_ECO_PYPI, "django", "3.2.0", TG_PKG_DIRECT);
	add_finding(&r, 0, TG_FIND_VULNERABILITY, "CVE-A", "3.2.25", TG_SEV_HIGH, false, false, NULL, -1);
	assert_int_equal(tg_plan_build(&r, &src, &p, &err), 0);
	s = step_of(&p, "django");
	assert_non_null(s);
	assert_int_equal(s->n_open, 1);
	assert_string_equal(s->open[0].id, "GHSA-later");
	assert_non_null(strstr(s->open[0].summary, "3.2.25"));
	tg_plan_release(&p);
	tg_report_release(&r);
}

static void malware_and_manifests(void **state)
{
	struct tg_report r;
	struct tg_plan p;
	struct tg_err err;

	(void)state;
	tg_report_init(&r);
	add_inv(&r, "requirements", TG_ECO_PYPI, "reqeusts", "1.0", 0);
	add_inv(&r, "winget-manifest", TG_ECO_WINGET, "Git.Git", "2.55.0.3", 0);
	add_inv(&r, "requirements", TG_ECO_PYPI, "django", "3.2.0", 0);
	add_finding(&r, 2, TG_FIND_VULNERABILITY, "CVE-A", "3.2.25", TG_SEV_CRITICAL, true, true, "2020-01-01", 0.99);
	add_finding(&r, 0, TG_FIND_MALICIOUS, "MAL-2024-1", NULL, TG_SEV_CRITICAL, false, false, NULL, -1);
	add_finding(&r, 1, TG_FIND_VULNERABILITY, "CVE-2025-48384", NULL, TG_SEV_HIGH, true, false, "2025-09-15", -1);
	assert_int_equal(tg_plan_build(&r, NULL, &p, &err), 0);
	/* the manifest is an offer, not an installation: no step */
	assert_int_equal(p.n, 2);
	assert_string_equal(p.steps[0].package, "reqeusts");
	assert_true(p.steps[0].remove);
	assert_string_equal(p.steps[0].commands[0], "pip uninstall 'reqeusts'");
	tg_plan_release(&p);
	tg_report_release(&r);
}

static void writers(void **state)
{
	struct tg_report r;
	struct tg_plan p;
	struct tg_plan_opts o = { .color = true };
	struct tg_buf b;
	struct tg_err err;
	json_t *j, *steps;

	(void)state;
	tg_report_init(&r);
	add_inv(&r, "poetry.lock", TG_ECO_PYPI, "jinja2", "2.10", TG_PKG_DIRECT);
	add_inv(&r, "choco-list", TG_ECO_CHOCOLATEY, "7zip", "19.0", TG_PKG_DIRECT);
	add_finding(&r, 0, TG_FIND_VULNERABILITY, "CVE-2019-10906", "2.11.3", TG_SEV_HIGH, false, false, NULL, 0.5);
	add_finding(&r, 1, TG_FIND_VULNERABILITY, "CVE-2025-0411", NULL, TG_SEV_HIGH, true, false, "2025-02-27", -1);
	assert_int_equal(tg_plan_build(&r, NULL, &p, &err), 0);

	tg_buf_init(&b, 1 << 20);
	assert_int_equal(tg_plan_write_table(&p, &o, &b, &err), 0);
	assert_non_null(strstr(b.data, "\033[")); /* coloured */
	assert_non_null(strstr(b.data, "$ poetry add 'jinja2>=2.11.3'"));
	assert_non_null(strstr(b.data, "$ choco upgrade '7zip' -y"));
	assert_true(strstr(b.data, "7zip") < strstr(b.data, "jinja2")); /* KEV first */
	tg_buf_reset(&b);
	o.color = false;
	assert_int_equal(tg_plan_write_table(&p, &o, &b, &err), 0);
	assert_null(strstr(b.data, "\033["));
	tg_buf_reset(&b);
	assert_int_equal(tg_plan_write_markdown(&p, &o, &b, &err), 0);
	assert_non_null(strstr(b.data, "| 2 | jinja2 | 2.10 | 2.11.3 |"));
	tg_buf_reset(&b);
	assert_int_equal(tg_plan_write_json(&p, &o, &b, &err), 0);
	j = json_loads(b.data, 0, NULL);
	assert_non_null(j);
	steps = json_object_get(j, "steps");
	assert_int_equal(json_array_size(steps), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 0), "action")),
			    "upgrade-to-newest");
	assert_true(json_is_true(json_object_get(json_array_get(steps, 0), "kev")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 1), "target")),
			    "2.11.3");
	json_decref(j);
	tg_buf_release(&b);
	tg_plan_release(&p);
	tg_report_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grouping_target_and_open),
		cmocka_unit_test(kev_first_ordering),
		cmocka_unit_test(commands_per_input),
		cmocka_unit_test(target_checked_against_advisories),
		cmocka_unit_test(malware_and_manifests),
		cmocka_unit_test(writers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* `tollgate plan`: what to upgrade first, and how. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_setup.h"
#include "cli.h"
#include "commands.h"
#include "input_args.h"
#include "tollgate/buf.h"
#include "tollgate/config.h"
#include "tollgate/db.h"
#include "tollgate/match.h"
#include "tollgate/plan.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

#define PLAN_MAX ((size_t)64 << 20)

struct plan_args {
	const char *format;
	const char *output;
	const char *prefer_id;
	const char *config;
	bool no_config;
};

/* Everything that reads the database runs in one snapshot. */
struct plan_job {
	struct tg_db *db;
	struct tg_match_opts *mopts;
	struct tg_report *report;
	struct tg_config *cfg;
	struct tg_plan *plan;
	struct tg_err *err;
};

static int plan_all(void *ctx)
{
	struct plan_job *j = ctx;
	struct tg_vuln_source src;
	char today[11];
	int rc;

	tg_match_db_source(j->db, &src);
	if ((rc = tg_match_db_feeds(j->db, j->report, j->err)) ||
	    (rc = tg_match_report(&src, j->mopts, j->report, j->err)) ||
	    (rc = tg_win_audit(j->report, j->db, tg_config_table(j->cfg, "windows"),
			       j->cfg->path, NULL, j->err)))
		return rc;
	tg_policy_today(today);
	if ((rc = tg_policy_apply_ignores(j->cfg, j->report, today, j->err)))
		return rc;
	tg_report_sort_findings(j->report);
	return tg_plan_build(j->report, &src, j->plan, j->err);
}

static int run_plan(struct tg_cli *cli, int argc, char **argv)
{
	struct plan_args a = { .format = "table" };
	const struct cli_opt opts[] = {
		{ "--format", &a.format, NULL },
		{ "--output", &a.output, NULL },
		{ "-o", &a.output, NULL },
		{ "--prefer-id", &a.prefer_id, NULL },
		{ "--config", &a.config, NULL },
		{ "--no-config", NULL, &a.no_config },
		{ NULL, NULL, NULL },
	};
	struct cli_inputs in;
	struct tg_config cfg;
	struct tg_report report;
	struct tg_plan plan;
	struct tg_inventory *invs = NULL;
	size_t n_invs = 0, i;
	struct tg_db *db = NULL;
	struct tg_match_opts mopts = { .prefer = TG_PREFER_CVE };
	struct tg_plan_opts popts = { 0 };
	struct plan_job job;
	struct tg_buf out;
	struct tg_err err;
	int rc = 0;

	cli_inputs_init(&in);
	tg_config_init(&cfg);
	tg_report_init(&report);
	tg_plan_init(&plan);
	tg_buf_init(&out, PLAN_MAX);
	tg_err_clear(&err);
	if ((rc = cli_inputs_parse(cli, &tg_cmd_plan, &in, opts, argc, argv)))
		goto out;
	if (cli_inputs_empty(&in)) {
		rc = cli_usage_error(cli, &tg_cmd_plan,
				     "nothing to plan for: name a file, --path, --env, --rootfs or --image");
		goto out;
	}
	if (strcmp(a.format, "table") != 0 && strcmp(a.format, "markdown") != 0 &&
	    strcmp(a.format, "md") != 0 && strcmp(a.format, "json") != 0) {
		rc = cli_usage_error(cli, &tg_cmd_plan,
				     "unknown --format '%s' (table, markdown, json)", a.format);
		goto out;
	}
	if (a.prefer_id && !tg_prefer_id_parse(a.prefer_id, &mopts.prefer)) {
		rc = cli_usage_error(cli, &tg_cmd_plan,
				     "--prefer-id takes cve, ghsa, pysec or osv, not '%s'", a.prefer_id);
		goto out;
	}
	if (a.config && a.no_config) {
		rc = cli_usage_error(cli, &tg_cmd_plan, "--config and --no-config exclude each other");
		goto out;
	}
	if ((rc = audit_load_config(cli, a.config, a.no_config, &in, &cfg, &err)))
		goto fail;
	if (!a.prefer_id && cfg.has_prefer_id)
		mopts.prefer = cfg.prefer_id;
	if ((rc = tg_db_open(cli->db_path, TG_DB_READONLY, &db, &err)) ||
	    (rc = tg_db_require_feed(db, "osv", &err)))
		goto fail;
	if ((rc = cli_inputs_load(cli, &in, &invs, &n_invs, &err)))
		goto fail;
	if ((rc = audit_report_start(&report, invs, n_invs, &cfg, &err)))
		goto fail;
	job = (struct plan_job){ db, &mopts, &report, &cfg, &plan, &err };
	if ((rc = tg_match_db_snapshot(db, plan_all, &job, &err)))
		goto fail;
	popts.verbose = cli->verbosity;
	popts.color = (!a.output || strcmp(a.output, "-") == 0) && cli->color;
	if (strcmp(a.format, "json") == 0)
		rc = tg_plan_write_json(&plan, &popts, &out, &err);
	else if (strcmp(a.format, "table") == 0)
		rc = tg_plan_write_table(&plan, &popts, &out, &err);
	else
		rc = tg_plan_write_markdown(&plan, &popts, &out, &err);
	if (rc)
		goto fail;
	if (cli->verbosity >= 0)
		for (i = 0; i < report.n_warnings; i++)
			cli_warn(cli, "%s", report.warnings[i]);
	if ((rc = cli_write_output(cli, a.output, &out, &err)))
		goto fail;
	rc = TG_EXIT_OK;
	goto out;
fail:
	rc = cli_fail(cli, &err);
out:
	if (db)
		tg_db_close(db);
	free(invs);
	tg_plan_release(&plan);
	tg_report_release(&report);
	tg_config_release(&cfg);
	cli_inputs_release(&in);
	tg_buf_release(&out);
	return rc;
}

const struct tg_command tg_cmd_plan = {
	.name = "plan",
	.summary = "an ordered patch plan: which upgrades fix what, most urgent first",
	.usage = "plan " CLI_INPUTS_USAGE "\n"
		 "      [--format table|markdown|json] [-o FILE] [--prefer-id KIND]\n"
		 "      [--config PATH | --no-config]",
	.help =
		"Runs the audit (same inputs, database, Windows checks, tollgate.toml\n"
		"and [[ignore]] rules) and turns its findings into one step per\n"
		"package: the smallest version that fixes all of the package's\n"
		"findings (checked against every advisory of the package), the\n"
		"command to run for its ecosystem and input (pip / uv / poetry / pdm /\n"
		"pipenv, npm, winget, choco), the finding ids it fixes and those that\n"
		"stay open without a known fix. Malware comes first (remove it), then\n"
		"known-exploited vulnerabilities (CISA KEV: known ransomware use first,\n"
		"then the earliest due date), then EPSS, then severity. Nothing is run.\n"
		"\n"
		CLI_INPUTS_HELP
		"\n"
		"Output:\n"
		"  --format F         table (default; coloured on a terminal), markdown,\n"
		"                     json (docs/plan.md)\n"
		"  -o, --output FILE  write to FILE (atomically)\n"
		"  --prefer-id KIND   cve (default), ghsa, pysec, osv\n"
		"  --config PATH      policy file; default: the nearest tollgate.toml\n"
		"  --no-config        ignore any tollgate.toml\n"
		"\n"
		"Exit status: 0 plan written (also when there is nothing to patch);\n"
		"2 usage; 3 an input or tollgate.toml could not be read or parsed;\n"
		"4 no usable database.\n",
	.run = run_plan,
};

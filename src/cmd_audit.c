/* `tollgate audit`: known vulnerabilities in what a project uses,
 * prioritised, gated by --fail-on and the project's tollgate.toml. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "audit_setup.h"
#include "cli.h"
#include "commands.h"
#include "input_args.h"
#include "tollgate/buf.h"
#include "tollgate/config.h"
#include "tollgate/db.h"
#include "tollgate/match.h"
#include "tollgate/report.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

/* Reports can be large (every package, every advisory text). */
#define REPORT_MAX ((size_t)512 << 20)

struct audit_args {
	const char *format;
	const char *output;
	const char *fail_on;
	const char *prefer_id;
	const char *config;
	bool no_config;
};

static int terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	int64_t v;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols && tg_parse_i64(cols, &v) && v > 20 && v < 10000)
		return (int)v;
	return 0;
}

struct match_job {
	struct tg_db *db;
	struct tg_match_opts *mopts;
	struct tg_report *report;
	struct tg_err *err;
};

static int match_all(void *ctx)
{
	struct match_job *j = ctx;
	struct tg_vuln_source src;
	int rc;

	if ((rc = tg_match_db_feeds(j->db, j->report, j->err)))
		return rc;
	tg_match_db_source(j->db, &src);
	return tg_match_report(&src, j->mopts, j->report, j->err);
}

static int run_audit(struct tg_cli *cli, int argc, char **argv)
{
	struct audit_args a = { .format = "table" };
	const struct cli_opt opts[] = {
		{ "--format", &a.format, NULL },
		{ "--output", &a.output, NULL },
		{ "-o", &a.output, NULL },
		{ "--fail-on", &a.fail_on, NULL },
		{ "--prefer-id", &a.prefer_id, NULL },
		{ "--config", &a.config, NULL },
		{ "--no-config", NULL, &a.no_config },
		{ NULL, NULL, NULL },
	};
	struct cli_inputs in;
	struct tg_config cfg;
	struct tg_report report;
	struct tg_inventory *invs = NULL;
	size_t n_invs = 0, i;
	struct tg_db *db = NULL;
	struct match_job job;
	struct tg_match_opts mopts = { .prefer = TG_PREFER_CVE };
	struct tg_report_opts ropts = { 0 };
	const struct tg_report_writer *writer;
	enum tg_fail_on fail_on = TG_FAIL_ANY;
	struct tg_buf out;
	struct tg_err err;
	char today[11];
	int rc = 0;

	cli_inputs_init(&in);
	tg_config_init(&cfg);
	tg_report_init(&report);
	tg_buf_init(&out, REPORT_MAX);
	tg_err_clear(&err);
	if ((rc = cli_inputs_parse(cli, &tg_cmd_audit, &in, opts, argc, argv)))
		goto out;
	if (cli_inputs_empty(&in)) {
		rc = cli_usage_error(cli, &tg_cmd_audit,
				     "nothing to audit: name a file, --path, --env, --rootfs or --image");
		goto out;
	}
	writer = tg_report_writer_find(a.format);
	if (!writer) {
		rc = cli_usage_error(cli, &tg_cmd_audit,
				     "unknown --format '%s' (table, json, sarif, cyclonedx, markdown, html)",
				     a.format);
		goto out;
	}
	mopts.skip_details = !writer->shows_details;
	if (a.fail_on && !tg_fail_on_parse(a.fail_on, &fail_on)) {
		rc = cli_usage_error(cli, &tg_cmd_audit,
				     "--fail-on takes none, any, low, medium, high, critical or kev, not '%s'",
				     a.fail_on);
		goto out;
	}
	if (a.prefer_id && !tg_prefer_id_parse(a.prefer_id, &mopts.prefer)) {
		rc = cli_usage_error(cli, &tg_cmd_audit,
				     "--prefer-id takes cve, ghsa, pysec or osv, not '%s'",
				     a.prefer_id);
		goto out;
	}
	if (a.config && a.no_config) {
		rc = cli_usage_error(cli, &tg_cmd_audit, "--config and --no-config exclude each other");
		goto out;
	}

	/* Policy first: a broken tollgate.toml fails before any work. */
	if ((rc = audit_load_config(cli, a.config, a.no_config, &in, &cfg, &err)))
		goto fail;
	if (!a.fail_on && cfg.has_fail_on)
		fail_on = cfg.fail_on;
	if (!a.prefer_id && cfg.has_prefer_id)
		mopts.prefer = cfg.prefer_id;

	if ((rc = tg_db_open(cli->db_path, TG_DB_READONLY, &db, &err)))
		goto fail;
	if ((rc = tg_db_require_feed(db, "osv", &err)))
		goto fail;

	if ((rc = cli_inputs_load(cli, &in, &invs, &n_invs, &err)))
		goto fail;
	if ((rc = audit_report_start(&report, invs, n_invs, &cfg, &err)))
		goto fail;
	job = (struct match_job){ db, &mopts, &report, &err };
	if ((rc = tg_match_db_snapshot(db, match_all, &job, &err)))
		goto fail;
	/* Windows applications (winget, Chocolatey): policy, integrity,
	 * install-script and KEV-product checks (docs/windows.md). */
	if ((rc = tg_win_audit(&report, db, tg_config_table(&cfg, "windows"), cfg.path,
			       NULL, &err)))
		goto fail;
	tg_policy_today(today);
	if ((rc = tg_policy_apply_ignores(&cfg, &report, today, &err)))
		goto fail;
	tg_report_sort_findings(&report);
	if ((rc = tg_policy_evaluate(&report, fail_on, &err)))
		goto fail;

	ropts.verbose = cli->verbosity;
	if (!a.output || strcmp(a.output, "-") == 0) {
		ropts.color = cli->color;
		ropts.width = isatty(STDOUT_FILENO) ? terminal_width() : 0;
	}
	if ((rc = writer->write(&report, &ropts, &out, &err)))
		goto fail;
	if (cli->verbosity >= 0)
		for (i = 0; i < report.n_warnings; i++)
			cli_warn(cli, "%s", report.warnings[i]);
	if ((rc = cli_write_output(cli, a.output, &out, &err)))
		goto fail;
	rc = report.policy_failed ? TG_EXIT_POLICY : TG_EXIT_OK;
	goto out;
fail:
	rc = cli_fail(cli, &err);
out:
	if (db)
		tg_db_close(db);
	free(invs);
	tg_report_release(&report);
	tg_config_release(&cfg);
	cli_inputs_release(&in);
	tg_buf_release(&out);
	return rc;
}

const struct tg_command tg_cmd_audit = {
	.name = "audit",
	.summary = "known vulnerabilities in what a project uses, prioritised",
	.usage = "audit [FILE...] [input options] [--format F] [-o FILE] [--fail-on LEVEL]\n"
		 "audit --env PYTHON [--prefer-id KIND] [--config PATH | --no-config]",
	.help =
		"Matches every pinned package of the inputs against the local\n"
		"advisory database (OSV for PyPI and npm; run 'tollgate db update'\n"
		"first) and reports one finding per vulnerability per package:\n"
		"advisories that are aliases of each other are merged. Each finding\n"
		"names the smallest upgrade that fixes it without landing on another\n"
		"known advisory, and a priority: known exploitation (CISA KEV) first,\n"
		"then EPSS, then CVSS severity (docs/priority.md). Packages without an\n"
		"exact version, or whose version does not parse, are listed as not\n"
		"checked. No network is used.\n"
		"\n"
		CLI_INPUTS_HELP
		"\n"
		"Output and policy:\n"
		"  --format F         table (default), json, sarif, cyclonedx, markdown,\n"
		"                     html\n"
		"  -o, --output FILE  write the report to FILE (atomically) instead of\n"
		"                     standard output\n"
		"  --fail-on LEVEL    exit 1 when a finding that is not ignored is at or\n"
		"                     above LEVEL: none, any (default), low, medium, high,\n"
		"                     critical, kev; unrated findings count as medium\n"
		"  --prefer-id KIND   which alias names a finding: cve (default), ghsa,\n"
		"                     pysec, osv (the database record's id)\n"
		"  --config PATH      policy file; default: the nearest tollgate.toml\n"
		"                     above the first input, up to the repository root\n"
		"  --no-config        ignore any tollgate.toml\n"
		"\n"
		"tollgate.toml ([audit] fail-on / prefer-id, and ignores):\n"
		"  [[ignore]]\n"
		"  id = \"CVE-2023-1234\"    # any alias of the advisory\n"
		"  reason = \"...\"          # required\n"
		"  expires = 2026-12-31    # optional; expired ignores stop applying\n"
		"  package = \"django\"      # optional scope\n"
		"  version = \"3.2.1\"       # optional scope\n"
		"\n"
		"Exit status: 0 nothing at or above --fail-on; 1 findings at or above\n"
		"it; 2 usage; 3 an input or tollgate.toml could not be read or parsed\n"
		"(the message names file and line); 4 no usable database.\n",
	.run = run_audit,
};

/* `tollgate db update` and `tollgate db status`. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "tollgate/buf.h"
#include "tollgate/db.h"
#include "tollgate/db_update.h"
#include "tollgate/str.h"

/* ---- update ---------------------------------------------------------- */

struct update_ui {
	struct tg_cli *cli;
	struct cli_progress bar;
	bool bar_on;
	char label[64];
	unsigned notices;
};

/* Skipped records are listed one per line up to this many; the summary
 * counts the rest. */
#define MAX_NOTICES_SHOWN 50

static void ui_end_bar(struct update_ui *ui)
{
	if (ui->bar_on) {
		cli_progress_end(&ui->bar);
		ui->bar_on = false;
	}
}

static void ui_progress(void *ctx, const char *label, uint64_t done,
			uint64_t total)
{
	struct update_ui *ui = ctx;

	if (strcmp(label, ui->label) != 0) {
		ui_end_bar(ui);
		tg_strlcpy(ui->label, label, sizeof(ui->label));
		if (ui->cli->progress) {
			cli_progress_start(&ui->bar, ui->cli, ui->label, total);
			ui->bar_on = true;
		} else if (ui->cli->verbosity >= 0) {
			fprintf(stderr, "%s: %s\n", ui->cli->prog, label);
		}
	}
	if (ui->bar_on) {
		ui->bar.total = total;
		cli_progress_update(&ui->bar, done);
	}
}

static void ui_notice(void *ctx, const struct tg_err *what)
{
	struct update_ui *ui = ctx;
	char line[TG_ERR_MSG_MAX + TG_ERR_PATH_MAX + 64];

	if (ui->cli->verbosity < 0)
		return;
	tg_err_format(what, line, sizeof(line));
	if (what->code == TG_OK) {
		cli_info(ui->cli, "%s", line);
		return;
	}
	ui->notices++;
	if (ui->notices > MAX_NOTICES_SHOWN && ui->cli->verbosity < 1)
		return;
	/* Keep the bar and the message on separate lines. */
	if (ui->bar_on)
		fputc('\n', stderr);
	cli_warn(ui->cli, "%s", line);
	if (ui->notices == MAX_NOTICES_SHOWN && ui->cli->verbosity < 1)
		cli_warn(ui->cli, "further problems are counted, not listed (-v lists them)");
}

static const char *outcome_name(enum tg_feed_outcome o)
{
	switch (o) {
	case TG_OUTCOME_IMPORTED: return "imported";
	case TG_OUTCOME_UNCHANGED: return "unchanged";
	case TG_OUTCOME_KEPT: return "kept";
	case TG_OUTCOME_SKIPPED: return "skipped";
	case TG_OUTCOME_NONE: break;
	}
	return "absent";
}

static const char *feed_unit(enum tg_feed_id f)
{
	switch (f) {
	case TG_FEED_OSV_PYPI:
	case TG_FEED_OSV_NPM: return "advisories";
	case TG_FEED_KEV: return "entries";
	case TG_FEED_EPSS: return "scores";
	default: return "names";
	}
}

/* Append ", part" (or "part" first) to a bounded line. */
static void add_part(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_part(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n && n + 2 < size) {
		memcpy(buf + n, ", ", 3);
		n += 2;
	}
	if (n + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

static void print_update_summary(struct tg_cli *cli,
				 const struct tg_db_update_result *res)
{
	size_t f;

	for (f = 0; f < TG_FEED__COUNT; f++) {
		const struct tg_feed_result *r = &res->feeds[f];
		const char *name = tg_feed_name((enum tg_feed_id)f);
		char extra[512] = "";

		if (r->outcome == TG_OUTCOME_NONE)
			continue;
		if (r->withdrawn)
			add_part(extra, sizeof(extra), "%lld withdrawn", (long long)r->withdrawn);
		if (r->malicious)
			add_part(extra, sizeof(extra), "%lld malicious", (long long)r->malicious);
		if (r->skipped)
			add_part(extra, sizeof(extra), "%lld malformed skipped", (long long)r->skipped);
		if (r->bytes)
			add_part(extra, sizeof(extra), "%.1f MB downloaded", (double)r->bytes / 1e6);
		if (r->note[0])
			add_part(extra, sizeof(extra), "%s", r->note);
		if (r->outcome == TG_OUTCOME_SKIPPED && r->records == 0)
			printf("%-11s %-9s %s\n", name, outcome_name(r->outcome), extra);
		else
			printf("%-11s %-9s %8lld %s%s%s%s\n", name, outcome_name(r->outcome),
			       (long long)r->records, feed_unit((enum tg_feed_id)f),
			       extra[0] ? " (" : "", extra, extra[0] ? ")" : "");
	}
	if (cli->verbosity >= 0)
		printf("database %s updated in %.1f s (%lld alias groups)\n", res->path,
		       res->seconds, (long long)res->alias_groups);
}

static int run_update(struct tg_cli *cli, int argc, char **argv)
{
	struct tg_db_update_opts o = { .retries = -1 };
	struct tg_db_update_result *res = NULL;
	struct update_ui ui = { .cli = cli };
	struct tg_err err;
	char *path = NULL;
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--source") == 0 || strcmp(a, "--only") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error(cli, &tg_cmd_db, "option '%s' needs a value", a);
			if (a[2] == 's')
				o.source = argv[++i];
			else if (tg_feed_groups_parse(argv[++i], &o.groups, &err))
				return cli_usage_error(cli, &tg_cmd_db, "%s", err.msg);
		} else if (strncmp(a, "--source=", 9) == 0) {
			o.source = a + 9;
		} else if (strncmp(a, "--only=", 7) == 0) {
			if (tg_feed_groups_parse(a + 7, &o.groups, &err))
				return cli_usage_error(cli, &tg_cmd_db, "%s", err.msg);
		} else {
			return cli_usage_error(cli, &tg_cmd_db, "unknown argument '%s' for db update", a);
		}
	}
	path = tg_db_resolve_path(cli->db_path, &err);
	if (!path)
		return cli_fail(cli, &err);
	res = calloc(1, sizeof(*res));
	if (!res) {
		free(path);
		tg_err_set(&err, TG_ENOMEM, "out of memory");
		return cli_fail(cli, &err);
	}
	/* A file size limit (ulimit -f) must fail the write with EFBIG and a
	 * message, not kill the process with SIGXFSZ. */
	signal(SIGXFSZ, SIG_IGN);
	o.db_path = path;
	o.hooks.progress = ui_progress;
	o.hooks.notice = ui_notice;
	o.hooks.ctx = &ui;
	rc = tg_db_update(&o, res, &err);
	ui_end_bar(&ui);
	if (rc) {
		rc = cli_fail(cli, &err);
		if (cli->verbosity >= 0)
			fprintf(stderr, "%s: the database at %s was not changed\n", cli->prog, path);
	} else {
		print_update_summary(cli, res);
		rc = TG_EXIT_OK;
	}
	free(res);
	free(path);
	return rc;
}

/* ---- status ---------------------------------------------------------- */

struct feed_row {
	const char *name;
	const char *only;  /* --only value that fills it */
	double max_age_days; /* 0 = no limit */
	const struct tg_db_feed *f; /* NULL when missing */
};

static void age_text(double days, char *out, size_t outsz)
{
	if (days < 0)
		days = 0;
	if (days < 1.0 / 24)
		snprintf(out, outsz, "%d min", (int)(days * 24 * 60));
	else if (days < 2)
		snprintf(out, outsz, "%.1f h", days * 24);
	else
		snprintf(out, outsz, "%.0f days", days);
}

static void format_utc(int64_t t, char *out, size_t outsz)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (!gmtime_r(&tt, &tm) || !strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm))
		tg_strlcpy(out, "", outsz);
}

static int add_json_str(struct tg_buf *b, const char *key, const char *v,
			struct tg_err *err)
{
	int rc = tg_buf_addf(b, err, "\"%s\": ", key);

	if (rc)
		return rc;
	if (!v)
		return tg_buf_adds(b, "null", err);
	if ((rc = tg_buf_addc(b, '"', err)) ||
	    (rc = tg_buf_add_json_escaped(b, v, strlen(v), err)))
		return rc;
	return tg_buf_addc(b, '"', err);
}

static bool parse_days(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= 0) || v > 100000)
		return false;
	*out = v;
	return true;
}

static int run_status(struct tg_cli *cli, int argc, char **argv)
{
	struct feed_row rows[] = {
		{ "osv-pypi", "osv", 7, NULL }, { "osv-npm", "osv", 7, NULL },
		{ "kev", "kev", 1, NULL }, { "epss", "epss", 0, NULL },
		{ "names-pypi", "names", 0, NULL }, { "names-npm", "names", 0, NULL },
	};
	const size_t n_rows = sizeof(rows) / sizeof(rows[0]);
	struct tg_db_feed_list feeds = { 0 };
	struct tg_db_stats stats;
	struct tg_db *db = NULL;
	struct tg_err err;
	struct tg_buf out;
	bool json = false;
	double max_osv = 7, max_kev = 1;
	time_t now = time(NULL);
	char *warnings[16];
	size_t n_warn = 0, i, j;
	int rc = 0, a;

	tg_buf_init(&out, 0);
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a];
		const char *val = NULL;

		if (strncmp(arg, "--", 2) == 0 && strchr(arg, '=')) {
			val = strchr(arg, '=') + 1;
		} else if (a + 1 < argc && (strcmp(arg, "--format") == 0 ||
					    strcmp(arg, "--max-age-osv") == 0 ||
					    strcmp(arg, "--max-age-kev") == 0)) {
			val = argv[++a];
		}
		if (tg_str_starts_with(arg, "--format") && val) {
			if (strcmp(val, "json") == 0)
				json = true;
			else if (strcmp(val, "table") == 0)
				json = false;
			else
				return cli_usage_error(cli, &tg_cmd_db,
						       "--format takes json or table, not '%s'", val);
		} else if (tg_str_starts_with(arg, "--max-age-osv") && val) {
			if (!parse_days(val, &max_osv))
				return cli_usage_error(cli, &tg_cmd_db,
						       "--max-age-osv takes a number of days, not '%s'", val);
		} else if (tg_str_starts_with(arg, "--max-age-kev") && val) {
			if (!parse_days(val, &max_kev))
				return cli_usage_error(cli, &tg_cmd_db,
						       "--max-age-kev takes a number of days, not '%s'", val);
		} else {
			return cli_usage_error(cli, &tg_cmd_db,
					       "unknown argument '%s' for db status", arg);
		}
	}
	rows[0].max_age_days = rows[1].max_age_days = max_osv;
	rows[2].max_age_days = max_kev;

	if ((rc = tg_db_open(cli->db_path, TG_DB_READONLY, &db, &err)) ||
	    (rc = tg_db_feeds(db, &feeds, &err)) ||
	    (rc = tg_db_stats(db, &stats, &err))) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	for (i = 0; i < n_rows; i++)
		for (j = 0; j < feeds.n; j++)
			if (strcmp(feeds.items[j].name, rows[i].name) == 0)
				rows[i].f = &feeds.items[j];

	for (i = 0; i < n_rows && n_warn < 16; i++) {
		const struct tg_db_feed *f = rows[i].f;
		double age;
		if (!f) {
			warnings[n_warn++] = tg_asprintf(
				"no %s data: run 'tollgate db update --only %s'",
				rows[i].name, rows[i].only);
			continue;
		}
		age = (double)(now - f->checked_epoch) / 86400.0;
		if (rows[i].max_age_days > 0 && age > rows[i].max_age_days)
			warnings[n_warn++] = tg_asprintf(
				"%s is %.1f days old (maximum %g): run 'tollgate db update'",
				rows[i].name, age, rows[i].max_age_days);
	}

	if (json) {
		struct tg_err e;
		int r2 = 0;

		r2 |= tg_buf_adds(&out, "{\n  ", &e);
		r2 |= add_json_str(&out, "path", tg_db_path(db), &e);
		r2 |= tg_buf_addf(&out, &e, ",\n  \"schema_version\": %d,\n  \"size_bytes\": %lld,\n"
				  "  \"built\": %lld,\n  \"feeds\": [",
				  TG_DB_SCHEMA_VERSION, (long long)stats.file_bytes,
				  (long long)stats.built_epoch);
		for (i = 0; i < n_rows; i++) {
			const struct tg_db_feed *f = rows[i].f;
			r2 |= tg_buf_adds(&out, i ? ",\n    {" : "\n    {", &e);
			r2 |= add_json_str(&out, "name", rows[i].name, &e);
			r2 |= tg_buf_addf(&out, &e, ", \"present\": %s", f ? "true" : "false");
			if (f) {
				double age = (double)(now - f->checked_epoch) / 86400.0;
				char checked[32];
				format_utc(f->checked_epoch, checked, sizeof(checked));
				r2 |= tg_buf_adds(&out, ", ", &e);
				r2 |= add_json_str(&out, "source", f->source, &e);
				r2 |= tg_buf_adds(&out, ", ", &e);
				r2 |= add_json_str(&out, "version", f->version, &e);
				r2 |= tg_buf_adds(&out, ", ", &e);
				r2 |= add_json_str(&out, "etag", f->etag, &e);
				r2 |= tg_buf_adds(&out, ", ", &e);
				r2 |= add_json_str(&out, "last_modified", f->last_modified, &e);
				r2 |= tg_buf_adds(&out, ", ", &e);
				r2 |= add_json_str(&out, "feed_date", f->feed_date, &e);
				r2 |= tg_buf_adds(&out, ", ", &e);
				r2 |= add_json_str(&out, "fetched", f->fetched, &e);
				r2 |= tg_buf_adds(&out, ", ", &e);
				r2 |= add_json_str(&out, "checked", checked, &e);
				r2 |= tg_buf_addf(&out, &e,
						  ", \"age_days\": %.3f, \"records\": %lld, \"skipped\": %lld",
						  age < 0 ? 0.0 : age, (long long)f->records,
						  (long long)f->skipped);
				if (rows[i].max_age_days > 0)
					r2 |= tg_buf_addf(&out, &e,
							  ", \"max_age_days\": %g, \"stale\": %s",
							  rows[i].max_age_days,
							  age > rows[i].max_age_days ? "true" : "false");
			}
			r2 |= tg_buf_adds(&out, "}", &e);
		}
		r2 |= tg_buf_addf(&out, &e,
				  "\n  ],\n  \"counts\": {\"advisories\": %lld, \"advisories_pypi\": %lld,"
				  " \"advisories_npm\": %lld, \"withdrawn\": %lld, \"malicious\": %lld,"
				  " \"affected\": %lld, \"alias_groups\": %lld, \"kev\": %lld,"
				  " \"epss\": %lld, \"names_pypi\": %lld, \"names_npm\": %lld},\n"
				  "  \"warnings\": [",
				  (long long)stats.advisories, (long long)stats.advisories_pypi,
				  (long long)stats.advisories_npm, (long long)stats.withdrawn,
				  (long long)stats.malicious, (long long)stats.affected,
				  (long long)stats.alias_groups, (long long)stats.kev,
				  (long long)stats.epss, (long long)stats.names_pypi,
				  (long long)stats.names_npm);
		for (i = 0; i < n_warn; i++) {
			if (!warnings[i])
				continue;
			r2 |= tg_buf_adds(&out, i ? ", \"" : "\"", &e);
			r2 |= tg_buf_add_json_escaped(&out, warnings[i], strlen(warnings[i]), &e);
			r2 |= tg_buf_adds(&out, "\"", &e);
		}
		r2 |= tg_buf_adds(&out, "]\n}\n", &e);
		if (r2) {
			rc = cli_fail(cli, &e);
			goto out;
		}
		fwrite(out.data, 1, out.len, stdout);
	} else {
		printf("%sdatabase%s %s (schema %d, %.1f MB)\n", cli_c(cli, CLI_BOLD),
		       cli_c(cli, CLI_RESET), tg_db_path(db), TG_DB_SCHEMA_VERSION,
		       (double)stats.file_bytes / 1e6);
		printf("%-11s %9s %8s  %-10s  %-26s %s\n", "feed", "records", "skipped",
		       "age", "version", "state");
		for (i = 0; i < n_rows; i++) {
			const struct tg_db_feed *f = rows[i].f;
			char age[32];
			double days;
			bool stale;

			if (!f) {
				printf("%-11s %9s %8s  %-10s  %-26s %smissing%s\n", rows[i].name,
				       "-", "-", "-", "-", cli_c(cli, CLI_YELLOW),
				       cli_c(cli, CLI_RESET));
				continue;
			}
			days = (double)(now - f->checked_epoch) / 86400.0;
			stale = rows[i].max_age_days > 0 && days > rows[i].max_age_days;
			age_text(days, age, sizeof(age));
			printf("%-11s %9lld %8lld  %-10s  %-26.26s %s%s%s\n", rows[i].name,
			       (long long)f->records, (long long)f->skipped, age,
			       f->version ? f->version : "-",
			       cli_c(cli, stale ? CLI_YELLOW : CLI_GREEN),
			       stale ? "stale" : "ok", cli_c(cli, CLI_RESET));
		}
		printf("advisories: %lld (%lld withdrawn, %lld malicious), %lld alias groups\n",
		       (long long)stats.advisories, (long long)stats.withdrawn,
		       (long long)stats.malicious, (long long)stats.alias_groups);
	}
	for (i = 0; i < n_warn; i++)
		if (warnings[i])
			cli_warn(cli, "%s", warnings[i]);
	rc = TG_EXIT_OK;
out:
	for (i = 0; i < n_warn; i++)
		free(warnings[i]);
	tg_buf_release(&out);
	tg_db_feed_list_release(&feeds);
	tg_db_close(db);
	return rc;
}

static int run_db(struct tg_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, &tg_cmd_db, "db needs a subcommand: update or status");
	if (strcmp(argv[1], "update") == 0)
		return run_update(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return run_status(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, &tg_cmd_db, "unknown db subcommand '%s'", argv[1]);
}

const struct tg_command tg_cmd_db = {
	.name = "db",
	.summary = "update or inspect the local advisory database",
	.usage = "db update [--source DIR|URL] [--only LIST]\n"
		 "db status [--format table|json] [--max-age-osv DAYS] [--max-age-kev DAYS]",
	.help =
		"Every offline answer comes from one SQLite file (--db, $TOLLGATE_DB,\n"
		"or ${XDG_CACHE_HOME:-~/.cache}/tollgate/tollgate.db).\n"
		"\n"
		"db update fetches OSV advisories (PyPI, npm), the CISA KEV catalog,\n"
		"EPSS scores and the registry name lists, builds a new database beside\n"
		"the old one and swaps it in only when it is complete and checked: a\n"
		"failed or interrupted update leaves the previous database as it was.\n"
		"Unchanged upstream files are not downloaded again (ETag and\n"
		"Last-Modified). Only one update runs at a time (PATH.lock).\n"
		"\n"
		"  --source DIR|URL  read the feeds from a mirror laid out like\n"
		"                    data/feeds/ (osv/PyPI/all.zip, osv/npm/all.zip,\n"
		"                    kev/known_exploited_vulnerabilities.json,\n"
		"                    epss/epss_scores-current.csv.gz (optional),\n"
		"                    pypi/projects.tsv.gz, npm/packages.tsv.gz):\n"
		"                    a directory, file:///dir or https://host/dir.\n"
		"                    Plain http:// is refused except to loopback\n"
		"                    addresses (127.0.0.1, ::1, localhost; for tests).\n"
		"                    Default: the upstream feeds (see docs/database.md).\n"
		"  --only LIST       update only these feeds (osv,kev,epss,names); the\n"
		"                    others are carried over from the current database\n"
		"\n"
		"db status shows each feed's records, age, version and state, and\n"
		"warns about missing feeds and feeds older than their maximum age.\n"
		"\n"
		"  --format F        table (default) or json\n"
		"  --max-age-osv N   days before OSV data counts as stale (default 7)\n"
		"  --max-age-kev N   days before KEV data counts as stale (default 1)\n"
		"\n"
		"Exit status: 0 success (status: also when stale, with a warning);\n"
		"3 a feed file is unreadable or malformed (e.g. KEV not JSON, truncated\n"
		"zip); 4 no database, a corrupt or foreign one, another update holds\n"
		"the lock, or the new database could not be written (disk full);\n"
		"5 download failed. After any failure the previous database is intact.\n",
	.run = run_db,
};

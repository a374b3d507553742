/* `tollgate vet`: suspicious names and malicious artifacts, before
 * install, offline, with a reason for every verdict. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "tollgate/buf.h"
#include "tollgate/config.h"
#include "tollgate/fs.h"
#include "tollgate/str.h"
#include "tollgate/version.h"
#include "tollgate/vet.h"
#include "tollgate/db.h"
#include "tollgate/inputs.h"
#include "tollgate/vet_content.h"
#include "tollgate/vet_names.h"
#include "tollgate/vet_repo.h"

enum out_format { FMT_TABLE, FMT_JSON, FMT_JSONL };

#define VET_MAX_NAMES_BYTES ((size_t)256 << 20)
#define VET_MAX_SUBJECTS 5000000

enum subject_kind { SUBJ_NAME, SUBJ_ARTIFACT, SUBJ_INVENTORY };

struct subject {
	const char *arg;  /* points into argv or the names buffer */
	enum subject_kind kind;
};

struct vet_args {
	struct subject *subj;
	size_t n_subj, cap_subj;
	enum tg_ecosystem eco;
	enum tg_vet_artifact kind;
	const char *rules_dir;
	enum out_format format;
	enum tg_vet_level fail_on;
	long cooldown_days;
	bool online;
	bool set_fail_on, set_cooldown; /* given on the command line */
	const char *config;             /* --config PATH */
	bool no_config;
	struct tg_buf names_buf; /* --names contents; subjects point into it */
};

static int add_subject(struct vet_args *a, const char *arg, enum subject_kind kind)
{
	if (a->n_subj >= VET_MAX_SUBJECTS)
		return -1;
	if (a->n_subj == a->cap_subj) {
		size_t cap = a->cap_subj ? a->cap_subj * 2 : 16;
		struct subject *s = realloc(a->subj, cap * sizeof(*s));
		if (!s)
			return -1;
		a->subj = s;
		a->cap_subj = cap;
	}
	a->subj[a->n_subj].arg = arg;
	a->subj[a->n_subj].kind = kind;
	a->n_subj++;
	return 0;
}

/* An argument is an artifact when it looks like a path: it has a '/' (and
 * is not an npm "@scope/name"), is "." or "..", or ends like an archive.
 * An existing file that an input parser recognises (requirements.txt,
 * package-lock.json, ...) is an inventory whose names are checked.
 * Anything else is a package name: a directory that happens to share a
 * package's name is written ./name. */
static bool looks_like_path(const char *s);

static enum subject_kind classify(const char *s)
{
	struct stat st;

	if (tg_vet_artifact_guess(s) != TG_VET_ART_AUTO)
		return SUBJ_ARTIFACT;
	if (stat(s, &st) == 0 && S_ISREG(st.st_mode) && tg_input_detect(s))
		return SUBJ_INVENTORY;
	return looks_like_path(s) ? SUBJ_ARTIFACT : SUBJ_NAME;
}

static bool looks_like_path(const char *s)
{
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return true;
	if (s[0] == '@' && strchr(s, '/') == strrchr(s, '/') && !strstr(s, "./"))
		return false;
	if (strchr(s, '/'))
		return true;
	return tg_vet_artifact_guess(s) != TG_VET_ART_AUTO;
}

static int read_names(struct vet_args *a, const char *path, struct tg_err *err)
{
	char *s, *end;
	unsigned long line = 0;
	int rc;

	if (a->names_buf.data)
		return tg_err_set(err, TG_EUSAGE, "--names may be given once");
	tg_buf_init(&a->names_buf, VET_MAX_NAMES_BYTES);
	if ((rc = tg_read_file(path, VET_MAX_NAMES_BYTES, &a->names_buf, err)))
		return rc;
	s = a->names_buf.data;
	end = s + a->names_buf.len;
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *e = nl ? nl : end, *b = s;

		line++;
		if (memchr(s, '\0', (size_t)(e - s)))
			return tg_err_at(err, TG_EPARSE, path, line, 0,
					 "NUL byte in a name list");
		*e = '\0';
		while (*b == ' ' || *b == '\t')
			b++;
		while (e > b && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*b && *b != '#' && add_subject(a, b, SUBJ_NAME))
			return tg_err_at(err, TG_ELIMIT, path, line, 0,
					 "more than %d names", VET_MAX_SUBJECTS);
		s = nl ? nl + 1 : end;
	}
	return 0;
}

static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strcmp(argv[*i], name) == 0)
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return NULL;
}

static bool is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strcmp(arg, name) == 0 || (strncmp(arg, name, n) == 0 && arg[n] == '=');
}

static int parse_args(struct tg_cli *cli, int argc, char **argv,
		      struct vet_args *a)
{
	struct tg_err err;
	bool dashdash = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;

		if (dashdash || arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (strcmp(arg, "-") == 0)
				return cli_usage_error(cli, &tg_cmd_vet,
						       "read names from stdin with --names -");
			if (add_subject(a, arg, classify(arg)))
				return cli_usage_error(cli, &tg_cmd_vet, "too many subjects");
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = true;
			continue;
		}
#define NEED(name) \
	do { \
		v = opt_value(argc, argv, &i, name); \
		if (!v) \
			return cli_usage_error(cli, &tg_cmd_vet, "option '%s' needs a value", name); \
	} while (0)
		if (is_opt(arg, "--names")) {
			NEED("--names");
			tg_err_clear(&err);
			if (read_names(a, v, &err)) {
				if (err.code == TG_EUSAGE)
					return cli_usage_error(cli, &tg_cmd_vet, "%s", err.msg);
				return cli_fail(cli, &err);
			}
		} else if (is_opt(arg, "--ecosystem")) {
			NEED("--ecosystem");
			if (!tg_ecosystem_parse(v, &a->eco) ||
			    (a->eco != TG_ECO_PYPI && a->eco != TG_ECO_NPM))
				return cli_usage_error(cli, &tg_cmd_vet,
						       "--ecosystem takes pypi or npm, not '%s'", v);
		} else if (is_opt(arg, "--rules")) {
			NEED("--rules");
			a->rules_dir = v;
		} else if (is_opt(arg, "--artifact")) {
			NEED("--artifact");
			if (!tg_vet_artifact_parse(v, &a->kind))
				return cli_usage_error(cli, &tg_cmd_vet, "--artifact takes wheel, "
						       "sdist, npm, nupkg, directory or auto, not '%s'", v);
		} else if (is_opt(arg, "--format")) {
			NEED("--format");
			if (strcmp(v, "table") == 0)
				a->format = FMT_TABLE;
			else if (strcmp(v, "json") == 0)
				a->format = FMT_JSON;
			else if (strcmp(v, "jsonl") == 0)
				a->format = FMT_JSONL;
			else
				return cli_usage_error(cli, &tg_cmd_vet,
						       "--format takes table, json or jsonl, not '%s'", v);
		} else if (is_opt(arg, "--fail-on")) {
			NEED("--fail-on");
			a->set_fail_on = true;
			if (!tg_vet_level_parse(v, &a->fail_on) || a->fail_on < TG_VET_WARN) {
				if (strcmp(v, "never") == 0)
					a->fail_on = TG_VET_BLOCK + 1;
				else
					return cli_usage_error(cli, &tg_cmd_vet,
							       "--fail-on takes warn, block or never, not '%s'", v);
			}
		} else if (is_opt(arg, "--cooldown-days")) {
			uint64_t d;
			NEED("--cooldown-days");
			if (!tg_parse_u64(v, strlen(v), &d) || d > 3650)
				return cli_usage_error(cli, &tg_cmd_vet,
						       "--cooldown-days takes 0..3650, not '%s'", v);
			a->cooldown_days = (long)d;
			a->set_cooldown = true;
		} else if (is_opt(arg, "--input")) {
			NEED("--input");
			if (add_subject(a, v, SUBJ_INVENTORY))
				return cli_usage_error(cli, &tg_cmd_vet, "too many subjects");
		} else if (is_opt(arg, "--config")) {
			NEED("--config");
			a->config = v;
		} else if (strcmp(arg, "--no-config") == 0) {
			a->no_config = true;
		} else if (strcmp(arg, "--online") == 0) {
			a->online = true;
		} else if (strcmp(arg, "--offline") == 0) {
			a->online = false;
		} else {
			return cli_usage_error(cli, &tg_cmd_vet, "unknown option '%s'", arg);
		}
#undef NEED
	}
	if (a->n_subj == 0)
		return cli_usage_error(cli, &tg_cmd_vet,
				       "nothing to vet: give names, --names FILE, or artifacts");
	if (a->config && a->no_config)
		return cli_usage_error(cli, &tg_cmd_vet,
				       "--config and --no-config exclude each other");
	return 0;
}

/* ---- names (database-backed) ------------------------------------------ */

struct vet_names_ctx {
	struct tg_db *db;
	struct tg_vet_names *idx[2]; /* PyPI, npm: built on first use */
	struct tg_vet_name_thresholds t;
	struct tg_cli *cli;
	bool have_malicious;         /* the database holds MAL- advisories */
};

static int vet_names_open(struct tg_cli *cli, long cooldown_days,
			  struct vet_names_ctx **out, struct tg_err *err)
{
	struct vet_names_ctx *n = calloc(1, sizeof(*n));
	int rc;

	*out = NULL;
	if (!n)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	tg_vet_name_thresholds_init(&n->t);
	n->t.cooldown_days = cooldown_days;
	n->cli = cli;
	if ((rc = tg_db_open(cli->db_path, TG_DB_READONLY, &n->db, err))) {
		free(n);
		return rc;
	}
	{
		/* Without MAL- records there is nothing to look up per name. */
		struct tg_db_stats st;
		n->have_malicious = tg_db_stats(n->db, &st, err) != 0 || st.malicious > 0;
		tg_err_clear(err);
	}
	*out = n;
	return 0;
}

static int names_index(struct vet_names_ctx *n, enum tg_ecosystem eco,
		       struct tg_vet_names **out, struct tg_err *err)
{
	int slot = eco == TG_ECO_NPM ? 1 : 0;
	int rc;

	if (!n->idx[slot]) {
		if (n->cli->verbosity > 0)
			cli_info(n->cli, "loading the %s name list", tg_ecosystem_name(eco));
		if ((rc = tg_vet_names_from_db(n->db, eco, &n->t, &n->idx[slot], err)))
			return rc;
	}
	*out = n->idx[slot];
	return 0;
}

/* "name==1.0" (PyPI) and "name@1.0" / "@scope/name@1.0" (npm) carry a
 * version for the malware check. */
static void split_version(enum tg_ecosystem eco, char *s, const char **version)
{
	char *v;

	*version = NULL;
	if (eco == TG_ECO_NPM) {
		v = strrchr(s, '@');
		if (v && v != s) {
			*v = '\0';
			*version = v + 1;
		}
	} else if ((v = strstr(s, "=="))) {
		*v = '\0';
		*version = v + 2;
	}
}

static int check_one(struct tg_db *db, bool have_malicious,
		     const struct tg_vet_names *idx, enum tg_ecosystem eco,
		     const char *arg, const char *version, int64_t now,
		     struct tg_vet_result *r, struct tg_err *err)
{
	char name[1024];
	const char *ver = version;
	int rc;

	tg_strlcpy(name, arg, sizeof(name));
	if (!ver)
		split_version(eco, name, &ver);
	if ((rc = tg_vet_names_check(idx, name, now, r, err)))
		return rc;
	if (ver && (rc = tg_vet_result_set(&r->version, ver, err)))
		return rc;
	if ((rc = tg_vet_result_set(&r->subject, arg, err)))
		return rc;
	if (!have_malicious)
		return 0;
	return tg_vet_names_check_malicious(db, eco, r->name ? r->name : name, ver, r, err);
}

static int vet_names_check(struct vet_names_ctx *n, enum tg_ecosystem eco,
			   const char *arg, const char *version,
			   struct tg_vet_result *r, struct tg_err *err)
{
	struct tg_vet_names *idx;
	int rc;

	if ((rc = names_index(n, eco, &idx, err)))
		return rc;
	return check_one(n->db, n->have_malicious, idx, eco, arg, version,
			 (int64_t)time(NULL), r, err);
}

static void vet_names_notes(struct vet_names_ctx *n, json_t *notes)
{
	int i;

	for (i = 0; n && i < 2; i++) {
		if (n->idx[i]) {
			char text[300];
			snprintf(text, sizeof(text), "%s names checked against %zu popular names",
				 i ? "npm" : "PyPI", tg_vet_names_popular_count(n->idx[i]));
			json_array_append_new(notes, json_string(text));
		}
	}
}

static void vet_names_close(struct vet_names_ctx *n)
{
	if (!n)
		return;
	tg_vet_names_free(n->idx[0]);
	tg_vet_names_free(n->idx[1]);
	tg_db_close(n->db);
	free(n);
}

/* ---- output ----------------------------------------------------------- */

static const char *level_color(enum tg_vet_level l)
{
	switch (l) {
	case TG_VET_BLOCK: return CLI_RED;
	case TG_VET_WARN: return CLI_YELLOW;
	case TG_VET_INFO: return CLI_BLUE;
	default: return CLI_GREEN;
	}
}

static json_t *result_json(const struct tg_vet_result *r)
{
	json_t *o = json_object(), *reasons = json_array();
	size_t i;

	json_object_set_new(o, "subject", json_string(r->subject ? r->subject : ""));
	json_object_set_new(o, "kind", json_string(r->kind == TG_VET_SUBJECT_NAME ?
						   "name" : "artifact"));
	if (r->eco != TG_ECO_UNKNOWN)
		json_object_set_new(o, "ecosystem", json_string(tg_ecosystem_name(r->eco)));
	if (r->artifact)
		json_object_set_new(o, "artifact", json_string(r->artifact));
	if (r->name)
		json_object_set_new(o, "name", json_string(r->name));
	if (r->version)
		json_object_set_new(o, "version", json_string(r->version));
	if (r->repository)
		json_object_set_new(o, "repository", json_string(r->repository));
	json_object_set_new(o, "verdict", json_string(tg_vet_level_name(r->verdict)));
	for (i = 0; i < r->n_reasons; i++) {
		const struct tg_vet_reason *x = &r->reasons[i];
		json_t *j = json_object();

		json_object_set_new(j, "rule", json_string(x->rule));
		json_object_set_new(j, "level", json_string(tg_vet_level_name(x->level)));
		json_object_set_new(j, "explanation", json_string(x->message));
		if (x->similar_to)
			json_object_set_new(j, "similar_to", json_string(x->similar_to));
		if (x->path)
			json_object_set_new(j, "file", json_string(x->path));
		if (x->line)
			json_object_set_new(j, "line", json_integer((json_int_t)x->line));
		if (x->excerpt)
			json_object_set_new(j, "excerpt", json_string(x->excerpt));
		json_array_append_new(reasons, j);
	}
	json_object_set_new(o, "reasons", reasons);
	if (r->n_dropped)
		json_object_set_new(o, "reasons_not_shown", json_integer((json_int_t)r->n_dropped));
	return o;
}

static void print_table_result(struct tg_cli *cli, const struct tg_vet_result *r)
{
	size_t i;
	char where[600];

	printf("%s%-5s%s  %s%s%s", cli_c(cli, level_color(r->verdict)),
	       tg_vet_level_name(r->verdict), cli_c(cli, CLI_RESET),
	       cli_c(cli, CLI_BOLD), r->subject ? r->subject : "", cli_c(cli, CLI_RESET));
	if (r->kind == TG_VET_SUBJECT_ARTIFACT) {
		printf("  (%s", r->artifact ? r->artifact : "artifact");
		if (r->name)
			printf(": %s%s%s", r->name, r->version ? " " : "",
			       r->version ? r->version : "");
		printf(")");
	}
	putchar('\n');
	for (i = 0; i < r->n_reasons; i++) {
		const struct tg_vet_reason *x = &r->reasons[i];

		where[0] = '\0';
		if (x->path && x->line)
			snprintf(where, sizeof(where), "%s:%lu: ", x->path, x->line);
		else if (x->path)
			snprintf(where, sizeof(where), "%s: ", x->path);
		printf("       %s%-5s%s %-26s %s%s\n", cli_c(cli, level_color(x->level)),
		       tg_vet_level_name(x->level), cli_c(cli, CLI_RESET), x->rule, where,
		       x->message);
		if (x->excerpt)
			printf("       %s      > %s%s\n", cli_c(cli, CLI_DIM), x->excerpt,
			       cli_c(cli, CLI_RESET));
	}
	if (r->n_dropped)
		printf("       ... %zu more reasons not shown\n", r->n_dropped);
}

struct vet_run {
	struct tg_cli *cli;
	struct vet_args *a;
	json_t *all;             /* FMT_JSON: results array */
	size_t counts[TG_VET_BLOCK + 1];
	size_t n_errors;
	int first_error_code;
	struct vet_names_ctx *names; /* NULL when no name is checked */
	struct tg_vet_rules *rules;
	char *rules_path;
	json_t *notes;
};

static void emit(struct vet_run *run, const struct tg_vet_result *r)
{
	run->counts[r->verdict]++;
	switch (run->a->format) {
	case FMT_TABLE:
		print_table_result(run->cli, r);
		break;
	case FMT_JSONL: {
		json_t *o = result_json(r);
		char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (s)
			puts(s);
		free(s);
		json_decref(o);
		break;
	}
	case FMT_JSON:
		json_array_append_new(run->all, result_json(r));
		break;
	}
}

static void note(struct vet_run *run, const char *text)
{
	json_array_append_new(run->notes, json_string(text));
	if (run->a->format == FMT_TABLE)
		cli_info(run->cli, "%s", text);
}

/* ---- artifacts -------------------------------------------------------- */

static char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return tg_strdup(buf);
}

static int load_rules(struct vet_run *run, struct tg_err *err)
{
	char *dir;
	int rc;

	if (run->rules)
		return 0;
	dir = exe_dir();
	run->rules_path = tg_vet_rules_find(run->a->rules_dir, dir, err);
	free(dir);
	if (!run->rules_path)
		return err->code;
	rc = tg_vet_rules_load(run->rules_path, &run->rules, err);
	if (rc == 0 && run->cli->verbosity > 0)
		cli_info(run->cli, "%zu rules from %s", tg_vet_rules_count(run->rules),
			 run->rules_path);
	return rc;
}

static void check_online(struct vet_run *run, struct tg_vet_result *r)
{
	const char *api = getenv("TOLLGATE_GITHUB_API");
	struct tg_vet_repo repo, renamed;
	enum tg_vet_repo_state state;
	long status = 0;
	struct tg_err err;

	if (!r->repository || !tg_vet_repo_parse(r->repository, &repo) ||
	    strcmp(repo.host, "github.com") != 0)
		return;
	tg_err_clear(&err);
	if (tg_vet_repo_check(api && *api ? api : "https://api.github.com", &repo, 15,
			      &state, &renamed, &status, &err)) {
		cli_warn(run->cli, "repojacking check of %s failed: %s", r->repository,
			 err.msg);
		return;
	}
	tg_err_clear(&err);
	if (tg_vet_repo_reason(r, r->repository, state, &renamed, status, &err))
		cli_warn(run->cli, "%s", err.msg);
}

static void vet_artifact(struct vet_run *run, const char *path)
{
	struct tg_err err;
	int rc;

	tg_err_clear(&err);
	if ((rc = load_rules(run, &err))) {
		run->n_errors++;
		if (!run->first_error_code)
			run->first_error_code = cli_fail(run->cli, &err);
		return;
	}
	if (tg_vet_is_site_dir(path) && run->a->kind == TG_VET_ART_AUTO) {
		struct tg_vet_result *res = NULL;
		size_t n = 0, i;

		rc = tg_vet_scan_site(run->rules, NULL, path, &res, &n, &err);
		if (rc) {
			run->n_errors++;
			if (!run->first_error_code)
				run->first_error_code = cli_fail(run->cli, &err);
			return;
		}
		for (i = 0; i < n; i++) {
			if (run->a->online)
				check_online(run, &res[i]);
			emit(run, &res[i]);
			tg_vet_result_release(&res[i]);
		}
		free(res);
		return;
	}
	{
		struct tg_vet_result r;

		tg_vet_result_init(&r);
		rc = tg_vet_scan_path(run->rules, NULL, run->a->kind, path, &r, &err);
		if (rc) {
			run->n_errors++;
			if (!run->first_error_code)
				run->first_error_code = cli_fail(run->cli, &err);
		} else {
			if (run->a->online)
				check_online(run, &r);
			emit(run, &r);
		}
		tg_vet_result_release(&r);
	}
}

/* ---- names and inventories ------------------------------------------------ */

static void fail_subject(struct vet_run *run, const struct tg_err *err)
{
	int code;

	run->n_errors++;
	code = cli_fail(run->cli, err);
	/* The database's own exit code (4) wins over an input error. */
	if (!run->first_error_code || code == TG_EXIT_DB)
		run->first_error_code = code;
}

static void vet_name(struct vet_run *run, enum tg_ecosystem eco, const char *name,
		     const char *version, const char *subject)
{
	struct tg_vet_result r;
	struct tg_err err;

	tg_vet_result_init(&r);
	tg_err_clear(&err);
	if (vet_names_check(run->names, eco, name, version, &r, &err) ||
	    (subject && tg_vet_result_set(&r.subject, subject, &err)))
		fail_subject(run, &err);
	else
		emit(run, &r);
	tg_vet_result_release(&r);
}

/* Long name lists (a whole registry, a big --names file) are checked by
 * one thread per CPU over a read-only index, each with its own database
 * handle; results are written in input order. */
#define NAME_BATCH 16384
#define NAME_PARALLEL_MIN 4096
#define NAME_MAX_THREADS 8

struct name_job {
	struct tg_vet_result r;
	struct tg_err err;
	int rc;
};

struct name_worker {
	pthread_t th;
	bool started;
	struct tg_db *db;
	bool have_malicious;
	const struct tg_vet_names *idx;
	enum tg_ecosystem eco;
	const struct subject *subj;
	struct name_job *jobs;
	size_t from, to;
	int64_t now;
};

static void *name_worker_main(void *p)
{
	struct name_worker *w = p;
	size_t i;

	for (i = w->from; i < w->to; i++) {
		struct name_job *j = &w->jobs[i];
		tg_vet_result_init(&j->r);
		tg_err_clear(&j->err);
		j->rc = check_one(w->db, w->have_malicious, w->idx, w->eco, w->subj[i].arg,
				  NULL, w->now, &j->r, &j->err);
	}
	return NULL;
}

static void vet_name_run(struct vet_run *run, enum tg_ecosystem eco,
			 const struct subject *subj, size_t n)
{
	struct name_worker w[NAME_MAX_THREADS];
	struct name_job *jobs = NULL;
	struct tg_vet_names *idx;
	struct tg_err err;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t t, nt = cpus > 1 ? (size_t)cpus : 1, done, i;

	if (nt > NAME_MAX_THREADS)
		nt = NAME_MAX_THREADS;
	tg_err_clear(&err);
	if (n < NAME_PARALLEL_MIN || nt < 2 ||
	    names_index(run->names, eco, &idx, &err) ||
	    !(jobs = calloc(NAME_BATCH, sizeof(*jobs)))) {
		for (i = 0; i < n; i++)
			vet_name(run, eco, subj[i].arg, NULL, NULL);
		return;
	}
	memset(w, 0, sizeof(w));
	for (t = 0; t < nt; t++) {
		w[t].idx = idx;
		w[t].eco = eco;
		w[t].have_malicious = run->names->have_malicious;
		/* A SQLite handle is not shared between threads. */
		if (t == 0)
			w[t].db = run->names->db;
		else if (tg_db_open(run->cli->db_path, TG_DB_READONLY, &w[t].db, &err))
			break;
	}
	nt = t;
	for (done = 0; done < n; done += NAME_BATCH) {
		size_t batch = n - done < NAME_BATCH ? n - done : NAME_BATCH;
		int64_t now = (int64_t)time(NULL);

		for (t = 0; t < nt; t++) {
			w[t].subj = subj + done;
			w[t].jobs = jobs;
			w[t].from = batch * t / nt;
			w[t].to = batch * (t + 1) / nt;
			w[t].now = now;
		}
		for (t = 1; t < nt; t++) {
			w[t].started = pthread_create(&w[t].th, NULL, name_worker_main, &w[t]) == 0;
			if (!w[t].started)
				name_worker_main(&w[t]);
		}
		name_worker_main(&w[0]);
		for (t = 1; t < nt; t++)
			if (w[t].started)
				pthread_join(w[t].th, NULL);
		for (i = 0; i < batch; i++) {
			if (jobs[i].rc)
				fail_subject(run, &jobs[i].err);
			else
				emit(run, &jobs[i].r);
			tg_vet_result_release(&jobs[i].r);
		}
	}
	for (t = 1; t < nt; t++)
		tg_db_close(w[t].db);
	free(jobs);
}

static void vet_inventory(struct vet_run *run, const char *path)
{
	struct tg_input_opts opts;
	struct tg_inventory inv;
	struct tg_err err;
	size_t i;

	tg_input_opts_init(&opts);
	/* Every declared name is a candidate squat, whatever the markers. */
	opts.evaluate_markers = false;
	tg_inventory_init(&inv);
	tg_err_clear(&err);
	if (tg_input_parse_file(path, NULL, &opts, &inv, &err)) {
		fail_subject(run, &err);
		tg_inventory_release(&inv);
		return;
	}
	for (i = 0; i < inv.n_pkgs; i++) {
		const struct tg_package *p = &inv.pkgs[i];
		char subject[1200];

		if (p->eco != TG_ECO_PYPI && p->eco != TG_ECO_NPM)
			continue;
		if (p->origin_line)
			snprintf(subject, sizeof(subject), "%s (%s:%lu)", p->name,
				 p->origin_path ? p->origin_path : path, p->origin_line);
		else
			snprintf(subject, sizeof(subject), "%s (%s)", p->name,
				 p->origin_path ? p->origin_path : path);
		vet_name(run, p->eco, p->name, p->version, subject);
	}
	tg_inventory_release(&inv);
}

/* ---- tollgate.toml [vet] ------------------------------------------------- */

/*   [vet]
 *   cooldown-days = 14      # new-project window
 *   fail-on = "block"       # warn|block|never
 * Command-line options win over the file. */
static int apply_config(struct tg_cli *cli, struct vet_args *a, struct tg_err *err)
{
	struct tg_config cfg;
	const struct tg_toml_value *t;
	char *path = NULL;
	const char *start = ".";
	size_t i;
	int rc = 0;

	if (a->no_config)
		return 0;
	tg_config_init(&cfg);
	for (i = 0; i < a->n_subj; i++) {
		if (a->subj[i].kind != SUBJ_NAME) {
			start = a->subj[i].arg;
			break;
		}
	}
	if (a->config) {
		rc = tg_config_load(a->config, &cfg, err);
	} else if ((rc = tg_config_find(start, &path, err)) == 0 && path) {
		if (cli->verbosity > 0)
			cli_info(cli, "policy from %s", path);
		rc = tg_config_load(path, &cfg, err);
	}
	if (rc)
		goto out;
	t = tg_config_table(&cfg, "vet");
	for (i = 0; t && i < tg_toml_table_len(t); i++) {
		struct tg_toml_entry e;
		int64_t days;
		const char *s;
		size_t n;

		tg_toml_table_entry(t, i, &e);
		if (strcmp(e.key, "cooldown-days") == 0) {
			if (!tg_toml_int(e.value, &days) || days < 0 || days > 3650) {
				rc = tg_toml_err_at(err, TG_EINVAL, tg_config_doc(&cfg), e.value,
						    "[vet] cooldown-days must be an integer 0..3650");
				goto out;
			}
			if (!a->set_cooldown)
				a->cooldown_days = (long)days;
		} else if (strcmp(e.key, "fail-on") == 0) {
			enum tg_vet_level l;
			if (!tg_toml_string(e.value, &s, &n) ||
			    (!(tg_vet_level_parse(s, &l) && l >= TG_VET_WARN) &&
			     strcmp(s, "never") != 0)) {
				rc = tg_toml_err_at(err, TG_EINVAL, tg_config_doc(&cfg), e.value,
						    "[vet] fail-on must be \"warn\", \"block\" or \"never\"");
				goto out;
			}
			if (!a->set_fail_on)
				a->fail_on = strcmp(s, "never") == 0 ? TG_VET_BLOCK + 1 : l;
		} else {
			rc = tg_toml_err_at(err, TG_EINVAL, tg_config_doc(&cfg), e.value,
					    "unknown key '%s' in [vet] (known: cooldown-days, fail-on)",
					    e.key);
			goto out;
		}
	}
out:
	free(path);
	tg_config_release(&cfg);
	return rc;
}

/* ---- the command ------------------------------------------------------ */

static int run_vet(struct tg_cli *cli, int argc, char **argv)
{
	struct vet_args a = { .eco = TG_ECO_PYPI, .fail_on = TG_VET_BLOCK,
			      .cooldown_days = 14 };
	struct vet_run run = { .cli = cli, .a = &a };
	size_t i;
	int rc;
	bool any_name = false, any_artifact = false;

	tg_buf_init(&a.names_buf, 0);
	a.names_buf.data = NULL;
	rc = parse_args(cli, argc, argv, &a);
	if (rc)
		goto out;
	{
		struct tg_err err;
		tg_err_clear(&err);
		if (apply_config(cli, &a, &err)) {
			rc = cli_fail(cli, &err);
			goto out;
		}
	}
	run.notes = json_array();
	if (a.format == FMT_JSON)
		run.all = json_array();
	for (i = 0; i < a.n_subj; i++) {
		if (a.subj[i].kind == SUBJ_ARTIFACT)
			any_artifact = true;
		else
			any_name = true;
	}
	if (any_name) {
		struct tg_err err;
		tg_err_clear(&err);
		rc = vet_names_open(cli, a.cooldown_days, &run.names, &err);
		if (rc) {
			rc = cli_fail(cli, &err);
			goto out;
		}
	}
	for (i = 0; i < a.n_subj; i++) {
		switch (a.subj[i].kind) {
		case SUBJ_NAME: {
			size_t j = i;
			while (j + 1 < a.n_subj && a.subj[j + 1].kind == SUBJ_NAME)
				j++;
			vet_name_run(&run, a.eco, a.subj + i, j - i + 1);
			i = j;
			break;
		}
		case SUBJ_INVENTORY:
			vet_inventory(&run, a.subj[i].arg);
			break;
		case SUBJ_ARTIFACT:
			vet_artifact(&run, a.subj[i].arg);
			break;
		}
	}
	if (any_name)
		vet_names_notes(run.names, run.notes);
	if (any_artifact && !a.online)
		note(&run, "repojacking not checked: offline run (use --online to ask GitHub "
		     "whether linked repositories still exist)");
	if (a.format == FMT_JSON) {
		json_t *doc = json_object(), *sum = json_object();
		char *s;

		json_object_set_new(doc, "tool", json_string("tollgate " TOLLGATE_VERSION));
		json_object_set_new(doc, "online", json_boolean(a.online));
		json_object_set_new(sum, "ok", json_integer((json_int_t)(run.counts[TG_VET_OK] + run.counts[TG_VET_INFO])));
		json_object_set_new(sum, "warn", json_integer((json_int_t)run.counts[TG_VET_WARN]));
		json_object_set_new(sum, "block", json_integer((json_int_t)run.counts[TG_VET_BLOCK]));
		json_object_set_new(sum, "errors", json_integer((json_int_t)run.n_errors));
		json_object_set_new(doc, "summary", sum);
		json_object_set_new(doc, "results", run.all);
		run.all = NULL;
		json_object_set(doc, "notes", run.notes);
		s = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		if (s)
			puts(s);
		free(s);
		json_decref(doc);
	} else if (a.format == FMT_TABLE && a.n_subj > 1) {
		printf("\n%zu checked: %zu ok, %zu warn, %zu block%s\n", a.n_subj - run.n_errors,
		       run.counts[TG_VET_OK] + run.counts[TG_VET_INFO], run.counts[TG_VET_WARN],
		       run.counts[TG_VET_BLOCK], run.n_errors ? " (some could not be read)" : "");
	}
	if (run.first_error_code)
		rc = run.first_error_code;
	else if ((a.fail_on <= TG_VET_WARN && (run.counts[TG_VET_WARN] || run.counts[TG_VET_BLOCK])) ||
		 (a.fail_on == TG_VET_BLOCK && run.counts[TG_VET_BLOCK]))
		rc = TG_EXIT_POLICY;
	else
		rc = TG_EXIT_OK;
out:
	json_decref(run.all);
	json_decref(run.notes);
	vet_names_close(run.names);
	tg_vet_rules_free(run.rules);
	free(run.rules_path);
	free(a.subj);
	tg_buf_release(&a.names_buf);
	return rc;
}

const struct tg_command tg_cmd_vet = {
	.name = "vet",
	.summary = "check names and artifacts for typosquats, malware and install-time code",
	.usage = "vet [options] NAME...\n"
		 "vet [options] --names FILE|-\n"
		 "vet [options] ARTIFACT|DIR...",
	.help =
		"Checks package names against the registry name lists and OSV malware\n"
		"advisories in the database, and looks inside artifacts (wheel, sdist,\n"
		"npm .tgz, Chocolatey .nupkg, an unpacked directory or a site-packages\n"
		"directory) without extracting them or running any of their code.\n"
		"Every verdict (ok, warn, block) comes with its reasons: the rule id, an\n"
		"explanation, and the similar name or the file, line and excerpt.\n"
		"Rule ids and thresholds are documented in docs/vet.md.\n"
		"\n"
		"An argument is an artifact when it contains '/' or ends in .whl, .tar.gz,\n"
		".zip, .tgz or .nupkg; an existing requirements file, lockfile or SBOM is\n"
		"an inventory whose names are checked; anything else is a package name\n"
		"(write ./NAME for a directory). NAME==VERSION (PyPI) or NAME@VERSION (npm)\n"
		"also checks that version against malware advisories.\n"
		"\n"
		"Options:\n"
		"  --names FILE|-       names to check, one per line ('#' comments)\n"
		"  --input FILE         an inventory (requirements, lockfile, SBOM) whose\n"
		"                       package names are checked\n"
		"  --ecosystem E        pypi (default) or npm, for names\n"
		"  --artifact KIND      wheel, sdist, npm, nupkg, directory or auto (default)\n"
		"  --rules DIR          YARA rules directory (default: $TOLLGATE_RULES_DIR,\n"
		"                       else the rules installed with tollgate)\n"
		"  --cooldown-days N    names first released within N days are 'new-project'\n"
		"                       (default 14)\n"
		"  --format F           table (default), json, or jsonl (one object per\n"
		"                       subject, in input order)\n"
		"  --fail-on LEVEL      exit 1 when a verdict reaches warn or block (default\n"
		"                       block), or never\n"
		"  --config PATH        read [vet] settings (cooldown-days, fail-on) from this\n"
		"                       tollgate.toml; by default the nearest one above the\n"
		"                       first artifact or the current directory is used\n"
		"  --no-config          ignore any tollgate.toml\n"
		"  --online             also ask GitHub whether repositories named in artifact\n"
		"                       metadata still exist (repojacking); set\n"
		"                       TOLLGATE_GITHUB_API to use another API base\n",
	.run = run_vet,
};

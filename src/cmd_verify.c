/* `tollgate verify`: installed-file integrity (RECORD), Sigstore bundles,
 * PEP 740 attestations and hash pinning. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/hash.h"
#include "tollgate/sigstore.h"
#include "tollgate/inputs.h"
#include "tollgate/pep503.h"
#include "tollgate/str.h"
#include "tollgate/toml.h"
#include "tollgate/verify_attest.h"
#include "tollgate/verify_hashes.h"
#include "tollgate/verify_record.h"

#define MAX_SITE_DIRS 32

enum out_format { FMT_TABLE, FMT_JSON };

struct verify_args {
	bool installed;
	const char *path[MAX_SITE_DIRS];
	size_t n_path;
	const char *env_python;
	bool strict;
	enum out_format format;
	unsigned threads;
	const char *root;
	/* Sigstore */
	const char *bundle;
	const char *target; /* FILE or sha256:<hex> */
	const char *trusted_root;
	const char *key_path;
	struct tg_sigstore_policy pol;
	/* PEP 740 */
	const char *attestation;
	const char *provenance;
	const char *digest; /* sha256:<hex> instead of reading DIST */
	const char *config;
	/* hash pinning */
	const char *hashes;
	const char *artifacts;
	const char *input_format;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Print o indented, keys in insertion order, and release it. */
static void print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(o);
}

/* ---- --env PYTHON: ask the interpreter for its site directories ---- */

static const char site_snippet[] =
	"import sys, sysconfig, site\n"
	"seen = []\n"
	"paths = sysconfig.get_paths()\n"
	"cands = [paths.get('purelib'), paths.get('platlib')]\n"
	"cands += [p for p in sys.path if p.endswith(('site-packages', 'dist-packages'))]\n"
	"for p in cands:\n"
	"    if p and p not in seen:\n"
	"        seen.append(p)\n"
	"        print(p)\n";

static int python_site_dirs(const char *python, char ***dirs, size_t *n,
			    struct tg_err *err)
{
	int pfd[2];
	pid_t pid;
	struct tg_buf out;
	char chunk[4096];
	int status = 0, rc = 0;
	char *p;

	*dirs = NULL;
	*n = 0;
	if (pipe(pfd) != 0)
		return tg_err_set(err, TG_EIO, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return tg_err_set(err, TG_EIO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execlp(python, python, "-I", "-c", site_snippet, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	tg_buf_init(&out, 1 << 20);
	for (;;) {
		ssize_t r = read(pfd[0], chunk, sizeof(chunk));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (rc == 0)
			rc = tg_buf_add(&out, chunk, (size_t)r, err);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc)
		goto done;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = tg_err_at(err, TG_EIO, python, 0, 0,
			       "could not ask this interpreter for its site directories (exit %d)",
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto done;
	}
	for (p = out.data; *p && *n < MAX_SITE_DIRS;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len) {
			char **nd = realloc(*dirs, (*n + 1) * sizeof(*nd));

			if (!nd) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto done;
			}
			*dirs = nd;
			if (!((*dirs)[*n] = tg_strndup(p, len))) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto done;
			}
			if (access((*dirs)[*n], R_OK) == 0)
				(*n)++;
			else
				free((*dirs)[*n]);
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	if (*n == 0)
		rc = tg_err_at(err, TG_EIO, python, 0, 0, "interpreter reports no site directory");
done:
	tg_buf_release(&out);
	return rc;
}

/* ---- installed output ---- */

static bool problem_fails(enum tg_installed_problem_kind k, bool strict)
{
	if (strict)
		return true;
	return k == TG_INST_MODIFIED || k == TG_INST_SIZE || k == TG_INST_MISSING ||
	       k == TG_INST_UNRECORDED;
}

static json_t *problem_json(const struct tg_installed_problem *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "kind", json_string(tg_installed_problem_name(p->kind)));
	json_object_set_new(o, "path", json_string(p->path));
	if (p->detail)
		json_object_set_new(o, "detail", json_string(p->detail));
	return o;
}

static void print_installed_json(const struct tg_installed_report *r,
				 const char *const *sites, size_t n_sites,
				 double secs, bool failed)
{
	json_t *root = json_object(), *arr = json_array(), *sd = json_array(),
	       *sp = json_array();
	size_t i, j;

	for (i = 0; i < n_sites; i++)
		json_array_append_new(sd, json_string(sites[i]));
	for (i = 0; i < r->n_dists; i++) {
		const struct tg_installed_dist *d = &r->dists[i];
		json_t *o = json_object(), *pa = json_array();

		json_object_set_new(o, "name", json_string(d->name));
		json_object_set_new(o, "version", json_string(d->version));
		json_object_set_new(o, "dist_info", json_string(d->dist_info));
		json_object_set_new(o, "site_dir", json_string(d->site_dir));
		json_object_set_new(o, "record", json_boolean(d->has_record));
		json_object_set_new(o, "files", json_integer((json_int_t)d->n_files));
		json_object_set_new(o, "verified", json_integer((json_int_t)d->n_verified));
		json_object_set_new(o, "bytes", json_integer((json_int_t)d->bytes));
		json_object_set_new(o, "pyc_ignored",
				    json_integer((json_int_t)d->n_pyc_ignored));
		for (j = 0; j < d->n_problems; j++)
			json_array_append_new(pa, problem_json(&d->problems[j]));
		json_object_set_new(o, "problems", pa);
		json_array_append_new(arr, o);
	}
	for (i = 0; i < r->n_site_problems; i++)
		json_array_append_new(sp, problem_json(&r->site_problems[i]));
	json_object_set_new(root, "site_dirs", sd);
	json_object_set_new(root, "distributions", arr);
	json_object_set_new(root, "site_problems", sp);
	json_object_set_new(root, "files_hashed", json_integer((json_int_t)r->n_files));
	json_object_set_new(root, "bytes_hashed", json_integer((json_int_t)r->bytes));
	json_object_set_new(root, "problems",
			    json_integer((json_int_t)tg_installed_problem_count(r)));
	json_object_set_new(root, "seconds", json_real(secs));
	json_object_set_new(root, "ok", json_boolean(!failed));
	print_json(root);
}

static void print_problem_line(const struct tg_cli *cli,
			       const struct tg_installed_problem *p, bool strict)
{
	const char *col = problem_fails(p->kind, strict) ? CLI_RED : CLI_YELLOW;

	printf("  %s%-13s%s %s%s%s\n", cli_c(cli, col), tg_installed_problem_name(p->kind),
	       cli_c(cli, CLI_RESET), p->path, p->detail ? ": " : "",
	       p->detail ? p->detail : "");
}

static void print_installed_table(const struct tg_cli *cli,
				  const struct tg_installed_report *r, bool strict,
				  double secs)
{
	size_t i, j, bad = 0, pyc = 0;
	size_t counts[TG_INST_BAD_RECORD + 1] = { 0 };

	for (i = 0; i < r->n_dists; i++) {
		const struct tg_installed_dist *d = &r->dists[i];

		pyc += d->n_pyc_ignored;
		if (!d->n_problems) {
			if (cli->verbosity > 0)
				printf("%s%-40s%s %-14s %6zu files  ok\n", cli_c(cli, CLI_GREEN),
				       d->name, cli_c(cli, CLI_RESET), d->version, d->n_files);
			continue;
		}
		bad++;
		printf("%s%-40s%s %-14s %6zu files  %zu problem%s\n", cli_c(cli, CLI_BOLD),
		       d->name, cli_c(cli, CLI_RESET), d->version, d->n_files, d->n_problems,
		       d->n_problems == 1 ? "" : "s");
		for (j = 0; j < d->n_problems; j++) {
			counts[d->problems[j].kind]++;
			if (j == 20 && cli->verbosity <= 0 && d->n_problems > 25) {
				printf("  ... %zu more (use -v or --format json)\n",
				       d->n_problems - 20);
				for (j++; j < d->n_problems; j++)
					counts[d->problems[j].kind]++;
				break;
			}
			print_problem_line(cli, &d->problems[j], strict);
		}
	}
	if (r->n_site_problems) {
		printf("%s%-40s%s\n", cli_c(cli, CLI_BOLD), "(site directory)",
		       cli_c(cli, CLI_RESET));
		for (j = 0; j < r->n_site_problems; j++) {
			counts[r->site_problems[j].kind]++;
			print_problem_line(cli, &r->site_problems[j], strict);
		}
	}
	printf("%zu distribution%s, %zu files (%.1f MB) hashed in %.2f s; %zu with problems",
	       r->n_dists, r->n_dists == 1 ? "" : "s", r->n_files,
	       (double)r->bytes / 1e6, secs, bad);
	for (i = 0; i <= TG_INST_BAD_RECORD; i++)
		if (counts[i])
			printf(", %zu %s", counts[i],
			       tg_installed_problem_name((enum tg_installed_problem_kind)i));
	printf("\n");
	if (pyc)
		printf("%zu unrecorded __pycache__/*.pyc files ignored (byte-code compiled "
		       "after install)\n", pyc);
}

static int run_installed(struct tg_cli *cli, struct verify_args *a)
{
	struct tg_installed_report rep;
	struct tg_installed_opts opts = { a->root, a->threads };
	struct tg_err err;
	char **env_dirs = NULL;
	size_t n_env = 0, i, n_sites;
	const char *sites[MAX_SITE_DIRS];
	double t0;
	bool failed = false;
	int rc;

	tg_err_clear(&err);
	tg_installed_report_init(&rep);
	if (a->env_python) {
		if ((rc = python_site_dirs(a->env_python, &env_dirs, &n_env, &err)))
			return cli_fail(cli, &err);
		for (i = 0; i < n_env; i++)
			sites[i] = env_dirs[i];
		n_sites = n_env;
	} else {
		for (i = 0; i < a->n_path; i++)
			sites[i] = a->path[i];
		n_sites = a->n_path;
	}
	t0 = now_seconds();
	rc = tg_verify_installed(sites, n_sites, &opts, &rep, &err);
	if (rc) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	for (i = 0; i < rep.n_dists && !failed; i++) {
		size_t j;

		for (j = 0; j < rep.dists[i].n_problems; j++)
			if (problem_fails(rep.dists[i].problems[j].kind, a->strict))
				failed = true;
	}
	for (i = 0; i < rep.n_site_problems; i++)
		if (problem_fails(rep.site_problems[i].kind, a->strict))
			failed = true;
	if (a->format == FMT_JSON)
		print_installed_json(&rep, sites, n_sites, now_seconds() - t0, failed);
	else
		print_installed_table(cli, &rep, a->strict, now_seconds() - t0);
	rc = failed ? TG_EXIT_POLICY : TG_EXIT_OK;
out:
	tg_installed_report_release(&rep);
	for (i = 0; i < n_env; i++)
		free(env_dirs[i]);
	free(env_dirs);
	return rc;
}

/* ---- Sigstore bundle ---- */

static int artifact_digest(const char *target, struct tg_sigstore_artifact *art,
			   struct tg_err *err)
{
	unsigned long long size;

	memset(art, 0, sizeof(*art));
	if (tg_str_starts_with(target, "sha256:")) {
		if (!tg_sigstore_parse_digest(target, art->sha256))
			return tg_err_set(err, TG_EUSAGE, "'%s' is not sha256:<64 hex digits>", target);
		return 0;
	}
	return tg_hash_file(target, TG_HASH_SHA256, art->sha256, sizeof(art->sha256), &size,
			    err);
}

static void print_time(FILE *f, time_t t)
{
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fputs(buf, f);
}

static void sigstore_result_json(json_t *o, const struct tg_sigstore_result *r)
{
	struct tm tm;
	char buf[32];

#define SETS(k, v) \
	if (v) \
		json_object_set_new(o, k, json_string(v))
	SETS("identity", r->san);
	SETS("issuer", r->issuer);
	SETS("source_repository_uri", r->source_repo_uri);
	SETS("source_repository_ref", r->source_repo_ref);
	SETS("source_repository_digest", r->source_digest);
	SETS("build_config_uri", r->build_config_uri);
	SETS("build_signer_uri", r->build_signer_uri);
	SETS("run_invocation_uri", r->run_uri);
#undef SETS
	gmtime_r(&r->signed_at, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(o, "signed_at", json_string(buf));
	json_object_set_new(o, "tlog_entries", json_integer(r->n_tlog));
	json_object_set_new(o, "rfc3161_timestamps", json_integer(r->n_timestamps));
}

static void sigstore_result_table(const struct tg_cli *cli, const struct tg_sigstore_result *r)
{
	if (r->san)
		printf("  identity        %s\n", r->san);
	if (r->issuer)
		printf("  issuer          %s\n", r->issuer);
	if (r->source_repo_uri)
		printf("  source repo     %s%s%s\n", r->source_repo_uri,
		       r->source_repo_ref ? " @ " : "", r->source_repo_ref ? r->source_repo_ref : "");
	if (r->build_config_uri)
		printf("  build config    %s\n", r->build_config_uri);
	printf("  signed at       ");
	print_time(stdout, r->signed_at);
	printf(" (%u tlog entr%s, %u RFC 3161 timestamp%s)\n", r->n_tlog,
	       r->n_tlog == 1 ? "y" : "ies", r->n_timestamps, r->n_timestamps == 1 ? "" : "s");
	(void)cli;
}

static int load_policy_key(struct verify_args *a, struct tg_buf *keybuf, struct tg_err *err)
{
	int rc;

	if (!a->key_path)
		return 0;
	if ((rc = tg_read_file(a->key_path, 1 << 16, keybuf, err)))
		return rc;
	a->pol.key_pem = keybuf->data;
	a->pol.key_pem_len = keybuf->len;
	return 0;
}

static json_t *bundle_json(const struct verify_args *a, bool verified)
{
	json_t *o = json_object();

	json_object_set_new(o, "verified", json_boolean(verified));
	json_object_set_new(o, "bundle", json_string(a->bundle));
	json_object_set_new(o, "artifact", json_string(a->target));
	return o;
}

static int run_bundle(struct tg_cli *cli, struct verify_args *a)
{
	struct tg_sigstore_root *root = NULL;
	struct tg_sigstore_artifact art;
	struct tg_sigstore_result res;
	struct tg_buf bundle, keybuf;
	struct tg_err err;
	int rc;

	tg_err_clear(&err);
	tg_sigstore_result_init(&res);
	tg_buf_init(&bundle, TG_SIGSTORE_MAX_BUNDLE);
	tg_buf_init(&keybuf, 1 << 16);
	if ((rc = artifact_digest(a->target, &art, &err)) ||
	    (rc = load_policy_key(a, &keybuf, &err)) ||
	    (rc = tg_sigstore_root_load_file(a->trusted_root, &root, &err)) ||
	    (rc = tg_read_file(a->bundle, TG_SIGSTORE_MAX_BUNDLE, &bundle, &err)))
		goto fail;
	rc = tg_sigstore_verify(root, bundle.data, bundle.len, a->bundle, &art, &a->pol, &res,
				&err);
	if (rc)
		goto fail;
	if (a->format == FMT_JSON) {
		json_t *o = bundle_json(a, true);

		sigstore_result_json(o, &res);
		print_json(o);
	} else {
		printf("%sOK%s  %s verified by %s\n", cli_c(cli, CLI_GREEN), cli_c(cli, CLI_RESET),
		       a->target, a->bundle);
		sigstore_result_table(cli, &res);
	}
	rc = TG_EXIT_OK;
	goto out;
fail:
	if (a->format == FMT_JSON && err.code == TG_EVERIFY) {
		json_t *o = bundle_json(a, false);

		json_object_set_new(o, "error", json_string(err.msg));
		print_json(o);
	}
	rc = cli_fail(cli, &err);
out:
	tg_sigstore_result_release(&res);
	tg_sigstore_root_free(root);
	tg_buf_release(&bundle);
	tg_buf_release(&keybuf);
	return rc;
}

/* ---- PEP 740 attestations and provenance ---- */

/* Project name of a distribution file name, PEP 503 normalised. */
static char *dist_project(const char *filename)
{
	const char *end;

	if (tg_str_ends_with(filename, ".whl"))
		end = strchr(filename, '-');
	else
		end = strrchr(filename, '-');
	if (!end)
		end = filename + strlen(filename);
	return tg_pep503_normalize_dup(filename, (size_t)(end - filename));
}

/* Policy from tollgate.toml [[trust]] entries for this project, used when
 * the command line gives none. doc stays alive while pol points into it. */
static int trust_from_config(struct verify_args *a, const char *project,
			     struct tg_toml **doc, struct tg_err *err)
{
	const char *path = a->config ? a->config : "tollgate.toml";
	struct tg_buf b;
	const struct tg_toml_value *arr;
	size_t i;
	int rc;

	*doc = NULL;
	if (!a->config && access(path, R_OK) != 0)
		return 0;
	tg_buf_init(&b, 16 << 20);
	rc = tg_read_file(path, 16 << 20, &b, err);
	if (!rc)
		rc = tg_toml_parse(b.data, b.len, path, doc, err);
	tg_buf_release(&b);
	if (rc)
		return rc;
	arr = tg_toml_get(tg_toml_root(*doc), "trust");
	for (i = 0; i < tg_toml_array_len(arr); i++) {
		const struct tg_toml_value *t = tg_toml_array_at(arr, i);
		const char *pkg = tg_toml_get_str(t, "package");
		char *norm;
		bool match;

		if (!pkg)
			return tg_toml_err_at(err, TG_EPARSE, *doc, t,
					      "[[trust]] entry needs package = \"name\"");
		norm = tg_pep503_normalize_dup(pkg, strlen(pkg));
		match = norm && project && strcmp(norm, project) == 0;
		free(norm);
		if (!match)
			continue;
		a->pol.repository = tg_toml_get_str(t, "repository");
		a->pol.workflow = tg_toml_get_str(t, "workflow");
		a->pol.identity = tg_toml_get_str(t, "identity");
		a->pol.issuer = tg_toml_get_str(t, "issuer");
		a->pol.ref = tg_toml_get_str(t, "ref");
		if (!a->pol.repository && !a->pol.identity)
			return tg_toml_err_at(err, TG_EPARSE, *doc, t,
					      "[[trust]] for %s needs repository or identity", pkg);
		return 0;
	}
	return 0;
}

static void attest_result_table(const struct tg_cli *cli, const struct tg_attest_result *r,
				const unsigned char sha[32])
{
	char hex[65];

	tg_hex_encode(sha, 32, hex);
	printf("  subject         %s sha256:%s\n", r->subject_name, hex);
	if (r->predicate_type)
		printf("  predicate       %s\n", r->predicate_type);
	sigstore_result_table(cli, &r->sig);
	if (r->slsa_builder_id)
		printf("  SLSA builder    %s\n", r->slsa_builder_id);
	if (r->slsa_source_repo)
		printf("  SLSA source     %s%s%s%s%s\n", r->slsa_source_repo,
		       r->slsa_source_ref ? " @ " : "", r->slsa_source_ref ? r->slsa_source_ref : "",
		       r->slsa_source_digest ? " " : "",
		       r->slsa_source_digest ? r->slsa_source_digest : "");
	if (r->slsa_config_path)
		printf("  SLSA config     %s\n", r->slsa_config_path);
	if (r->publisher_kind)
		printf("  publisher       %s %s %s%s%s\n", r->publisher_kind,
		       r->publisher_repository ? r->publisher_repository : "",
		       r->publisher_workflow ? r->publisher_workflow : "",
		       r->publisher_environment ? " environment " : "",
		       r->publisher_environment ? r->publisher_environment : "");
}

static json_t *attest_result_json(const struct tg_attest_result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "subject", json_string(r->subject_name));
	if (r->predicate_type)
		json_object_set_new(o, "predicate_type", json_string(r->predicate_type));
	sigstore_result_json(o, &r->sig);
	if (r->slsa_builder_id || r->slsa_source_repo) {
		json_t *s = json_object();

		if (r->slsa_builder_id)
			json_object_set_new(s, "builder_id", json_string(r->slsa_builder_id));
		if (r->slsa_source_repo)
			json_object_set_new(s, "source_repository", json_string(r->slsa_source_repo));
		if (r->slsa_source_ref)
			json_object_set_new(s, "source_ref", json_string(r->slsa_source_ref));
		if (r->slsa_source_digest)
			json_object_set_new(s, "source_digest", json_string(r->slsa_source_digest));
		if (r->slsa_config_path)
			json_object_set_new(s, "config_path", json_string(r->slsa_config_path));
		json_object_set_new(o, "slsa", s);
	}
	if (r->publisher_kind) {
		json_t *p = json_object();

		json_object_set_new(p, "kind", json_string(r->publisher_kind));
		if (r->publisher_repository)
			json_object_set_new(p, "repository", json_string(r->publisher_repository));
		if (r->publisher_workflow)
			json_object_set_new(p, "workflow", json_string(r->publisher_workflow));
		if (r->publisher_environment)
			json_object_set_new(p, "environment", json_string(r->publisher_environment));
		json_object_set_new(o, "publisher", p);
	}
	return o;
}

static int run_attestation(struct tg_cli *cli, struct verify_args *a)
{
	struct tg_sigstore_root *root = NULL;
	struct tg_dist_ref dist;
	struct tg_attest_result single, *many = NULL;
	size_t n_many = 0, i;
	struct tg_buf data;
	struct tg_err err;
	struct tg_toml *doc = NULL;
	const char *file = a->attestation ? a->attestation : a->provenance;
	const char *base = strrchr(a->target, '/');
	char *project = NULL;
	int rc;

	tg_err_clear(&err);
	tg_attest_result_init(&single);
	tg_buf_init(&data, TG_ATTEST_MAX_BYTES);
	memset(&dist, 0, sizeof(dist));
	dist.filename = base ? base + 1 : a->target;
	project = dist_project(dist.filename);
	if (a->digest) {
		if (!tg_sigstore_parse_digest(a->digest, dist.sha256)) {
			rc = cli_usage_error(cli, &tg_cmd_verify, "--digest wants sha256:<64 hex>");
			goto out;
		}
	} else {
		unsigned long long size;

		if ((rc = tg_hash_file(a->target, TG_HASH_SHA256, dist.sha256, 32, &size, &err)))
			goto fail;
	}
	if (!a->pol.identity && !a->pol.identity_regex && !a->pol.repository) {
		if ((rc = trust_from_config(a, project, &doc, &err)))
			goto fail;
		if (!a->pol.identity && !a->pol.repository) {
			rc = cli_usage_error(cli, &tg_cmd_verify,
					     "no trust policy for %s: give --repository/--workflow "
					     "or --identity, or a [[trust]] entry in tollgate.toml",
					     project ? project : dist.filename);
			goto out;
		}
	}
	if ((rc = tg_sigstore_root_load_file(a->trusted_root, &root, &err)) ||
	    (rc = tg_read_file(file, TG_ATTEST_MAX_BYTES, &data, &err)))
		goto fail;
	if (a->attestation) {
		rc = tg_attestation_verify(root, data.data, data.len, file, &dist, &a->pol, &single,
					   &err);
		many = &single;
		n_many = 1;
	} else {
		rc = tg_provenance_verify(root, data.data, data.len, file, &dist, &a->pol, &many,
					  &n_many, &err);
	}
	if (rc)
		goto fail;
	if (a->format == FMT_JSON) {
		json_t *o = json_object(), *arr = json_array();

		json_object_set_new(o, "verified", json_true());
		json_object_set_new(o, "distribution", json_string(dist.filename));
		for (i = 0; i < n_many; i++)
			json_array_append_new(arr, attest_result_json(&many[i]));
		json_object_set_new(o, "attestations", arr);
		print_json(o);
	} else {
		for (i = 0; i < n_many; i++) {
			printf("%sOK%s  %s: %s %zu verified\n", cli_c(cli, CLI_GREEN),
			       cli_c(cli, CLI_RESET), dist.filename,
			       a->attestation ? "attestation" : "provenance attestation", i + 1);
			attest_result_table(cli, &many[i], dist.sha256);
		}
	}
	rc = TG_EXIT_OK;
	goto out;
fail:
	rc = cli_fail(cli, &err);
out:
	if (many && many != &single) {
		for (i = 0; i < n_many; i++)
			tg_attest_result_release(&many[i]);
		free(many);
	}
	tg_attest_result_release(&single);
	tg_sigstore_root_free(root);
	tg_toml_free(doc);
	tg_buf_release(&data);
	free(project);
	return rc;
}

/* ---- hash pinning ---- */

static bool pin_fails(enum tg_pin_kind k, bool strict)
{
	return strict || k == TG_PIN_MISMATCH || k == TG_PIN_UNLISTED_FILE;
}

static int run_hashes(struct tg_cli *cli, struct verify_args *a)
{
	struct tg_inventory inv;
	struct tg_input_opts opts;
	struct tg_pin_report rep;
	struct tg_err err;
	bool failed = false;
	size_t i;
	int rc;

	tg_err_clear(&err);
	tg_inventory_init(&inv);
	tg_pin_report_init(&rep);
	tg_input_opts_init(&opts);
	opts.evaluate_markers = false; /* every platform's pins count */
	if ((rc = tg_input_parse_file(a->hashes, a->input_format, &opts, &inv, &err)) ||
	    (rc = tg_verify_hashes(&inv, a->artifacts, &rep, &err))) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	for (i = 0; i < rep.n_issues; i++)
		if (pin_fails(rep.issues[i].kind, a->strict))
			failed = true;
	if (a->format == FMT_JSON) {
		json_t *o = json_object(), *arr = json_array();

		json_object_set_new(o, "lockfile", json_string(a->hashes));
		json_object_set_new(o, "format", json_string(inv.format ? inv.format : ""));
		json_object_set_new(o, "packages", json_integer((json_int_t)rep.n_packages));
		json_object_set_new(o, "strongly_hashed", json_integer((json_int_t)rep.n_strong));
		if (a->artifacts) {
			json_object_set_new(o, "artifacts_checked", json_integer((json_int_t)rep.n_files));
			json_object_set_new(o, "artifacts_ok", json_integer((json_int_t)rep.n_files_ok));
		}
		for (i = 0; i < rep.n_issues; i++) {
			const struct tg_pin_issue *is = &rep.issues[i];
			json_t *x = json_object();

			json_object_set_new(x, "kind", json_string(tg_pin_kind_name(is->kind)));
			json_object_set_new(x, "package", json_string(is->package ? is->package : ""));
			if (is->version)
				json_object_set_new(x, "version", json_string(is->version));
			if (is->origin_path)
				json_object_set_new(x, "origin", json_string(is->origin_path));
			if (is->origin_line)
				json_object_set_new(x, "line", json_integer((json_int_t)is->origin_line));
			if (is->file)
				json_object_set_new(x, "file", json_string(is->file));
			json_object_set_new(x, "detail", json_string(is->detail ? is->detail : ""));
			json_array_append_new(arr, x);
		}
		json_object_set_new(o, "issues", arr);
		json_object_set_new(o, "ok", json_boolean(!failed));
		print_json(o);
	} else {
		for (i = 0; i < rep.n_issues; i++) {
			const struct tg_pin_issue *is = &rep.issues[i];
			const char *col = pin_fails(is->kind, a->strict) ? CLI_RED : CLI_YELLOW;

			printf("%s%-15s%s %s%s%s", cli_c(cli, col), tg_pin_kind_name(is->kind),
			       cli_c(cli, CLI_RESET), is->package ? is->package : "",
			       is->version ? "==" : "", is->version ? is->version : "");
			if (is->file)
				printf(" [%s]", is->file);
			if (is->origin_path && is->origin_line)
				printf(" (%s:%lu)", is->origin_path, is->origin_line);
			printf(": %s\n", is->detail ? is->detail : "");
		}
		printf("%zu package%s, %zu with a strong hash", rep.n_packages,
		       rep.n_packages == 1 ? "" : "s", rep.n_strong);
		if (a->artifacts)
			printf("; %zu artifact%s checked, %zu match", rep.n_files,
			       rep.n_files == 1 ? "" : "s", rep.n_files_ok);
		printf("; %zu issue%s\n", rep.n_issues, rep.n_issues == 1 ? "" : "s");
	}
	rc = failed ? TG_EXIT_POLICY : TG_EXIT_OK;
out:
	tg_pin_report_release(&rep);
	tg_inventory_release(&inv);
	return rc;
}

/* ---- option parsing ---- */

static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static bool opt_is(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* An option that sets one string; `what` completes "NAME needs ...". */
struct value_opt {
	const char *name;
	const char **dst;
	const char *what;
};

static const struct value_opt *value_opt(const struct value_opt *opts, const char *arg)
{
	for (; opts->name; opts++)
		if (opt_is(arg, opts->name))
			return opts;
	return NULL;
}

static int run_verify(struct tg_cli *cli, int argc, char **argv)
{
	struct verify_args a;
	const struct value_opt value_opts[] = {
		{ "--env", &a.env_python, "an interpreter" },
		{ "--root", &a.root, "a directory" },
		{ "--bundle", &a.bundle, "a file" },
		{ "--identity", &a.pol.identity, "a value" },
		{ "--identity-regex", &a.pol.identity_regex, "a value" },
		{ "--issuer", &a.pol.issuer, "a URL" },
		{ "--repository", &a.pol.repository, "owner/repo" },
		{ "--ref", &a.pol.ref, "a value" },
		{ "--workflow", &a.pol.workflow, "a file name" },
		{ "--key", &a.key_path, "a PEM file" },
		{ "--trusted-root", &a.trusted_root, "a file" },
		{ "--attestation", &a.attestation, "a file" },
		{ "--provenance", &a.provenance, "a file" },
		{ "--digest", &a.digest, "sha256:<hex>" },
		{ "--config", &a.config, "a file" },
		{ "--hashes", &a.hashes, "a lockfile" },
		{ "--input-format", &a.input_format, "a name" },
		{ "--artifacts", &a.artifacts, "a directory" },
		{ NULL, NULL, NULL },
	};
	const struct value_opt *vo;
	int i;

	memset(&a, 0, sizeof(a));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *v;

		if (strcmp(arg, "--installed") == 0) {
			a.installed = true;
		} else if (strcmp(arg, "--strict") == 0) {
			a.strict = true;
		} else if (opt_is(arg, "--path")) {
			if (!(v = opt_value(argc, argv, &i, "--path")))
				return cli_usage_error(cli, &tg_cmd_verify, "--path needs a directory");
			if (a.n_path >= MAX_SITE_DIRS)
				return cli_usage_error(cli, &tg_cmd_verify, "too many --path options");
			a.path[a.n_path++] = v;
		} else if (opt_is(arg, "--threads")) {
			uint64_t t;

			if (!(v = opt_value(argc, argv, &i, "--threads")) ||
			    !tg_parse_u64(v, strlen(v), &t) || t < 1 || t > 16)
				return cli_usage_error(cli, &tg_cmd_verify,
						       "--threads needs a number from 1 to 16");
			a.threads = (unsigned)t;
		} else if (opt_is(arg, "--format")) {
			if (!(v = opt_value(argc, argv, &i, "--format")))
				return cli_usage_error(cli, &tg_cmd_verify, "--format needs a value");
			if (strcmp(v, "json") == 0)
				a.format = FMT_JSON;
			else if (strcmp(v, "table") == 0)
				a.format = FMT_TABLE;
			else
				return cli_usage_error(cli, &tg_cmd_verify,
						       "unknown format '%s' (table, json)", v);
		} else if ((vo = value_opt(value_opts, arg))) {
			if (!(*vo->dst = opt_value(argc, argv, &i, vo->name)))
				return cli_usage_error(cli, &tg_cmd_verify, "%s needs %s",
						       vo->name, vo->what);
		} else if (arg[0] == '-' && arg[1]) {
			return cli_usage_error(cli, &tg_cmd_verify, "unknown option '%s'", arg);
		} else if (!a.target) {
			a.target = arg;
		} else {
			return cli_usage_error(cli, &tg_cmd_verify, "unexpected argument '%s'", arg);
		}
	}
	if (a.installed) {
		if (a.n_path && a.env_python)
			return cli_usage_error(cli, &tg_cmd_verify,
					       "--path and --env are exclusive");
		if (!a.n_path && !a.env_python)
			a.env_python = "python3";
		return run_installed(cli, &a);
	}
	if (a.hashes) {
		if (a.target)
			return cli_usage_error(cli, &tg_cmd_verify, "unexpected argument '%s'", a.target);
		return run_hashes(cli, &a);
	}
	if (a.artifacts)
		return cli_usage_error(cli, &tg_cmd_verify, "--artifacts goes with --hashes");
	if (a.attestation || a.provenance) {
		if (a.attestation && a.provenance)
			return cli_usage_error(cli, &tg_cmd_verify,
					       "--attestation and --provenance are exclusive");
		if (!a.target)
			return cli_usage_error(cli, &tg_cmd_verify, "name the distribution file DIST");
		if (a.key_path)
			return cli_usage_error(cli, &tg_cmd_verify,
					       "--key does not apply to attestations");
		return run_attestation(cli, &a);
	}
	if (a.bundle) {
		if (!a.target)
			return cli_usage_error(cli, &tg_cmd_verify,
					       "--bundle needs the signed FILE (or sha256:<hex>)");
		if (a.key_path && (a.pol.identity || a.pol.identity_regex || a.pol.repository ||
				   a.pol.issuer || a.pol.workflow || a.pol.ref))
			return cli_usage_error(cli, &tg_cmd_verify,
					       "--key verifies a key-signed bundle; it takes no identity options");
		if (!a.key_path && !a.pol.identity && !a.pol.identity_regex && !a.pol.repository)
			return cli_usage_error(cli, &tg_cmd_verify,
					       "say who must have signed: --identity, "
					       "--identity-regex, --repository or --key");
		if (!a.key_path && !a.pol.issuer && !a.pol.repository)
			return cli_usage_error(cli, &tg_cmd_verify, "--issuer is required with --identity");
		return run_bundle(cli, &a);
	}
	return cli_usage_error(cli, &tg_cmd_verify,
			       "say what to verify: --installed, --bundle, --attestation, "
			       "--provenance or --hashes");
}

const struct tg_command tg_cmd_verify = {
	.name = "verify",
	.summary = "check installed files against RECORD, Sigstore bundles, PEP 740 attestations",
	.usage = "verify --installed [--path DIR]... [--env PYTHON] [--strict] [--format FMT]\n"
		 "verify --bundle BUNDLE (FILE | sha256:HEX) --identity ID --issuer URL [options]\n"
		 "verify --bundle BUNDLE (FILE | sha256:HEX) --key PUB.pem [--trusted-root PATH]\n"
		 "verify --attestation FILE.publish.attestation DIST [policy] [--digest sha256:HEX]\n"
		 "verify --provenance PROVENANCE.json DIST [policy] [--config tollgate.toml]\n"
		 "verify --hashes LOCKFILE [--input-format NAME] [--artifacts DIR] [--strict]",
	.help =
		"Installed integrity (--installed): every *.dist-info/RECORD in the site\n"
		"directories is checked: each listed file's hash and size, files listed but\n"
		"missing, and files under a distribution's top-level directories that no\n"
		"RECORD lists (an injected .py, a .pth at the top of the site). Byte-code in\n"
		"__pycache__ that Python compiles after install is not a problem and is\n"
		"counted separately.\n"
		"\n"
		"Sigstore bundles (--bundle): offline verification of a Sigstore bundle\n"
		"(v0.1, v0.2, v0.3) for FILE or a known sha256 digest: Fulcio certificate\n"
		"chain at the signing time, embedded SCT, Rekor entry (body, signed entry\n"
		"timestamp, inclusion proof, signed checkpoint), RFC 3161 timestamps, the\n"
		"signature (over the artifact or the DSSE envelope) and the signer identity.\n"
		"A failure names the check that failed.\n"
		"\n"
		"PEP 740 (--attestation, --provenance): the attestation's DSSE signature and\n"
		"Sigstore material as above, its in-toto subject against DIST (file name\n"
		"compared after parsing, SHA-256 of the file or of --digest), and the\n"
		"Trusted Publisher identity against the policy: --repository/--workflow\n"
		"(GitHub workflow file or GitLab workflow_filepath from the certificate's\n"
		"Build Config URI), or --identity/--issuer. Without either, the first\n"
		"[[trust]] entry of tollgate.toml whose package names DIST's project is\n"
		"used (package, repository, workflow, identity, issuer, ref). For a\n"
		"provenance object the publisher PyPI recorded must also agree with the\n"
		"certificate. SLSA provenance predicates are summarised.\n"
		"\n"
		"Hash pinning (--hashes): packages of a requirements file or lockfile\n"
		"without a hash, with only md5/sha1, or without an exact version; with\n"
		"--artifacts, each downloaded file's SHA-256 against the pins of its\n"
		"package, files the lockfile does not list, pinned packages with no file.\n"
		"\n"
		"Options:\n"
		"  --installed      verify installed distributions\n"
		"  --path DIR       a site directory to check (repeatable)\n"
		"  --env PYTHON     ask this interpreter for its site directories\n"
		"                   (default when neither is given: python3 on PATH)\n"
		"  --root DIR       RECORD paths may not lead outside DIR (default: the\n"
		"                   environment prefix of each site directory)\n"
		"  --threads N      hashing threads (default 2)\n"
		"  --strict         exit 1 on any problem, including distributions without\n"
		"                   RECORD and files listed without a hash\n"
		"  --format FMT     table (default) or json\n"
		"  --bundle FILE    Sigstore bundle (.sigstore.json) to verify\n"
		"  --identity ID    expected certificate SAN (URI or email), exact\n"
		"  --identity-regex RE  expected SAN as a POSIX extended regex (searched)\n"
		"  --issuer URL     expected OIDC issuer, exact\n"
		"  --repository R   expected source repository (owner/repo)\n"
		"  --ref REF        expected source ref (refs/heads/main, refs/tags/v1)\n"
		"  --workflow W     expected workflow file (release.yml or its path)\n"
		"  --key PEM        verify a managed-key bundle with this public key\n"
		"  --trusted-root P trusted_root.json (default: the shipped Sigstore\n"
		"                   production root; also $TOLLGATE_TRUSTED_ROOT)\n"
		"  --attestation F  PEP 740 attestation to verify for DIST\n"
		"  --provenance F   PyPI provenance object to verify for DIST\n"
		"  --digest sha256:HEX  DIST's digest; DIST is then only a file name\n"
		"  --config FILE    tollgate.toml with [[trust]] policies (default:\n"
		"                   ./tollgate.toml when present)\n"
		"  --hashes FILE    requirements file or lockfile to check for hash pins\n"
		"  --artifacts DIR  downloaded distributions to check against the pins\n"
		"  --input-format NAME  lockfile format when the file name does not tell\n"
		"\n"
		"Exit status: --installed: 0 when nothing was modified, missing or\n"
		"unrecorded (without --strict, a missing RECORD or a file listed without\n"
		"hash is reported but does not fail), 1 when something was. --bundle: 0\n"
		"verified, 1 a check failed (also for --attestation and --provenance).\n"
		"--hashes: 1 when an artifact's hash is not pinned or an artifact is not in\n"
		"the lockfile; with --strict also for unhashed, weak-only or unpinned\n"
		"packages and pinned packages without an artifact.\n"
		"All: 2 usage, 3 unreadable or malformed\n"
		"input (including a bundle that is not valid JSON or base64).\n",
	.run = run_verify,
};

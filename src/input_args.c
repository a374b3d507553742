/* Shared input options (see input_args.h). */
#define _POSIX_C_SOURCE 200809L
#include "input_args.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tollgate/buf.h"
#include "tollgate/json.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

void cli_inputs_init(struct cli_inputs *in)
{
	memset(in, 0, sizeof(*in));
	tg_input_opts_init(&in->opts);
}

void cli_inputs_release(struct cli_inputs *in)
{
	free(in->learnt_version);
	free(in->learnt_platform);
	free(in->learnt_machine);
	memset(in, 0, sizeof(*in));
}

bool cli_inputs_empty(const struct cli_inputs *in)
{
	return in->n_files + in->n_site_dirs + in->n_rootfs + in->n_images +
	       in->n_pythons == 0;
}

static int push(struct tg_cli *cli, const struct tg_command *cmd,
		const char **arr, size_t *n, const char *v, int *rc)
{
	if (*n >= CLI_INPUTS_MAX) {
		*rc = cli_usage_error(cli, cmd, "more than %d inputs of one kind",
				      CLI_INPUTS_MAX);
		return -1;
	}
	arr[(*n)++] = v;
	return 1;
}

int cli_inputs_add_file(struct tg_cli *cli, const struct tg_command *cmd,
			struct cli_inputs *in, const char *path, int *rc)
{
	return push(cli, cmd, in->files, &in->n_files, path, rc);
}

int cli_inputs_parse(struct tg_cli *cli, const struct tg_command *cmd,
		     struct cli_inputs *in, const struct cli_opt *opts, int argc,
		     char **argv)
{
	const struct cli_opt *o;
	int i, used, rc = 0;

	for (i = 1; i < argc; i++) {
		if ((used = cli_inputs_option(cli, cmd, in, argc, argv, &i, &rc)) < 0)
			return rc;
		for (o = opts; !used && o->name; o++) {
			if (o->value)
				used = cli_take_value(cli, cmd, argc, argv, &i, o->name, o->value, &rc);
			else if ((used = strcmp(argv[i], o->name) == 0))
				*o->flag = true;
		}
		if (used < 0)
			return rc;
		if (used)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage_error(cli, cmd, "unknown option '%s'", argv[i]);
		if (cli_inputs_add_file(cli, cmd, in, argv[i], &rc) < 0)
			return rc;
	}
	return 0;
}

static bool version_ok(const char *v)
{
	int parts = 0;

	if (!*v)
		return false;
	while (*v) {
		if (*v < '0' || *v > '9')
			return false;
		while (*v >= '0' && *v <= '9')
			v++;
		parts++;
		if (*v == '.')
			v++;
		else if (*v)
			return false;
	}
	return parts >= 2 && parts <= 3;
}

int cli_inputs_option(struct tg_cli *cli, const struct tg_command *cmd,
		      struct cli_inputs *in, int argc, char **argv, int *i,
		      int *rc)
{
	const struct {
		const char *name;
		const char **arr;
		size_t *n;
	} lists[] = {
		{ "--path", in->site_dirs, &in->n_site_dirs },
		{ "--env", in->pythons, &in->n_pythons },
		{ "--rootfs", in->rootfs, &in->n_rootfs },
		{ "--image", in->images, &in->n_images },
	};
	const char *a = argv[*i], *v;
	size_t k;
	int used;

	if (strcmp(a, "--no-dev") == 0) {
		in->opts.include_dev = false;
		return 1;
	}
	if (strcmp(a, "--all-markers") == 0) {
		in->opts.include_skipped = true;
		return 1;
	}
	for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
		if ((used = cli_take_value(cli, cmd, argc, argv, i, lists[k].name, &v, rc)))
			return used < 0 ? -1 : push(cli, cmd, lists[k].arr, lists[k].n, v, rc);
	if ((used = cli_take_value(cli, cmd, argc, argv, i, "--input-format", &v, rc))) {
		if (used < 0)
			return -1;
		if (!tg_input_format_find(v) && strcmp(v, "rootfs") != 0 &&
		    strcmp(v, "site-packages") != 0 && strcmp(v, "image") != 0) {
			*rc = cli_usage_error(cli, cmd, "unknown input format '%s'", v);
			return -1;
		}
		in->format = v;
		return 1;
	}
	if ((used = cli_take_value(cli, cmd, argc, argv, i, "--python-version", &v, rc))) {
		if (used < 0)
			return -1;
		if (!version_ok(v)) {
			*rc = cli_usage_error(cli, cmd,
					      "--python-version takes X.Y or X.Y.Z, not '%s'", v);
			return -1;
		}
		in->opts.python_version = v;
		in->python_version_given = true;
		return 1;
	}
	if ((used = cli_take_value(cli, cmd, argc, argv, i, "--platform", &v, rc))) {
		if (used < 0)
			return -1;
		if (strcmp(v, "linux") != 0 && strcmp(v, "darwin") != 0 &&
		    strcmp(v, "win32") != 0) {
			*rc = cli_usage_error(cli, cmd,
					      "--platform takes linux, darwin or win32, not '%s'", v);
			return -1;
		}
		in->opts.platform = v;
		in->platform_given = true;
		return 1;
	}
	return 0;
}

/* Run `python -c PROGRAM` without a shell and return its stdout. */
static int run_python(const char *python, const char *program, struct tg_buf *out,
		      struct tg_err *err)
{
	int fds[2];
	pid_t pid;
	int status;
	int rc = 0;

	if (pipe(fds) != 0)
		return tg_err_set(err, TG_EIO, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return tg_err_set(err, TG_EIO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		char *const argv[] = { (char *)python, "-I", "-c", (char *)program, NULL };
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(python, argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		char chunk[4096];
		ssize_t n = read(fds[0], chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!rc)
			rc = tg_buf_add(out, chunk, (size_t)n, err);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = tg_err_set(err, TG_EIO, "'%s' could not be run as a Python interpreter%s",
				python, WIFEXITED(status) && WEXITSTATUS(status) == 127 ?
				" (not found)" : "");
	return rc;
}

static const char query_program[] =
	"import sys, json, platform\n"
	"print(json.dumps({'path': sys.path, 'version': '%d.%d.%d' % sys.version_info[:3],"
	" 'platform': sys.platform, 'machine': platform.machine()}))\n";

/* Ask an interpreter for sys.path and its marker environment. */
static json_t *query_python(const char *python, struct tg_err *err)
{
	struct tg_buf b;
	json_t *root = NULL;

	tg_buf_init(&b, 1 << 20);
	if (run_python(python, query_program, &b, err) == 0) {
		root = tg_json_load(b.data, b.len, python, err);
		if (root && !json_is_array(json_object_get(root, "path"))) {
			json_decref(root);
			root = NULL;
			tg_err_set(err, TG_EIO, "'%s' did not report its sys.path", python);
		}
	}
	tg_buf_release(&b);
	return root;
}

static int learn_env(struct cli_inputs *in, json_t *q, struct tg_err *err)
{
	const char *v = tg_json_str(q, "version");
	const char *p = tg_json_str(q, "platform");
	const char *m = tg_json_str(q, "machine");

	if (v && !in->python_version_given) {
		free(in->learnt_version);
		if (!(in->learnt_version = tg_strdup(v)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		in->opts.python_version = in->learnt_version;
	}
	if (p && *p && !in->platform_given) {
		free(in->learnt_platform);
		if (!(in->learnt_platform = tg_strdup(p)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		in->opts.platform = in->learnt_platform;
	}
	if (m && *m) {
		free(in->learnt_machine);
		if (!(in->learnt_machine = tg_strdup(m)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		in->opts.machine = in->learnt_machine;
	}
	return 0;
}

/* tg_input_opts.target: ask python3 once, on the first marker. Without
 * it (not installed, fails), the defaults stand, as before. */
static void python3_target(void *ctx, const char **version, const char **platform,
			   const char **machine)
{
	struct cli_inputs *in = ctx;

	if (!in->target_asked) {
		struct tg_err ignored;
		json_t *q;

		in->target_asked = true;
		if ((q = query_python("python3", &ignored))) {
			/* Only out of memory fails here: the load then fails. */
			in->target_failed = learn_env(in, q, &ignored) != 0;
			json_decref(q);
		}
	}
	*version = in->opts.python_version;
	*platform = in->opts.platform;
	*machine = in->opts.machine;
}

static struct tg_inventory *next_inv(struct tg_inventory **invs, size_t *n,
				     size_t *cap, struct tg_err *err)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4, bytes;
		struct tg_inventory *ni;

		if (!tg_size_mul(ncap, sizeof(*ni), &bytes) ||
		    !(ni = realloc(*invs, bytes))) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		*invs = ni;
		*cap = ncap;
	}
	tg_inventory_init(&(*invs)[*n]);
	return &(*invs)[(*n)++];
}

static int set_inv_meta(struct tg_inventory *inv, const char *origin,
			const char *format, struct tg_err *err)
{
	if ((!inv->origin && !(inv->origin = tg_strdup(origin))) ||
	    (!inv->format && !(inv->format = tg_strdup(format))))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

/* Only inputs with environment markers need the target interpreter; the
 * query costs a process start, so it is skipped for the others. */
static bool has_marker_input(const struct cli_inputs *in)
{
	size_t i;

	for (i = 0; i < in->n_files; i++) {
		const struct tg_input_format *f = in->format ?
			tg_input_format_find(in->format) : tg_input_detect(in->files[i]);
		if (!f || (f->eco == TG_ECO_PYPI && strcmp(f->name, "metadata") != 0))
			return true;
	}
	return false;
}

int cli_inputs_load(struct tg_cli *cli, struct cli_inputs *in,
		    struct tg_inventory **invs, size_t *n, struct tg_err *err)
{
	size_t cap = 0, i;
	struct tg_inventory *inv;
	int rc = 0;

	(void)cli;
	*invs = NULL;
	*n = 0;
	tg_err_clear(err);
	/* The default marker target is the python3 this machine runs,
	 * asked for when the first marker needs it. */
	if (!in->python_version_given && in->n_pythons == 0 &&
	    has_marker_input(in)) {
		in->opts.target = python3_target;
		in->opts.target_ctx = in;
	}
	for (i = 0; i < in->n_pythons; i++) {
		json_t *q = query_python(in->pythons[i], err), *pv;
		const char **dirs = NULL;
		size_t k, nd = 0;

		if (!q) {
			rc = err->code ? err->code : TG_EIO;
			goto fail;
		}
		rc = learn_env(in, q, err);
		if (!rc && !(inv = next_inv(invs, n, &cap, err)))
			rc = err->code;
		if (!rc)
			rc = set_inv_meta(inv, in->pythons[i], "site-packages", err);
		if (!rc) {
			json_t *path = json_object_get(q, "path");
			dirs = calloc(json_array_size(path) + 1, sizeof(*dirs));
			if (!dirs)
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			json_array_foreach(path, k, pv)
				if (dirs && json_is_string(pv) && *json_string_value(pv))
					dirs[nd++] = json_string_value(pv);
		}
		if (!rc)
			rc = tg_input_parse_site_packages(dirs, nd, &in->opts, inv, err);
		free(dirs);
		json_decref(q);
		if (rc)
			goto fail;
	}
	for (i = 0; i < in->n_files; i++) {
		if (!(inv = next_inv(invs, n, &cap, err))) {
			rc = err->code;
			goto fail;
		}
		rc = tg_input_parse_file(in->files[i], in->format, &in->opts, inv, err);
		if (rc)
			goto fail;
	}
	if (in->n_site_dirs) {
		if (!(inv = next_inv(invs, n, &cap, err))) {
			rc = err->code;
			goto fail;
		}
		rc = set_inv_meta(inv, in->site_dirs[0], "site-packages", err);
		if (!rc)
			rc = tg_input_parse_site_packages(in->site_dirs, in->n_site_dirs,
							  &in->opts, inv, err);
		if (rc)
			goto fail;
	}
	for (i = 0; i < in->n_rootfs; i++) {
		if (!(inv = next_inv(invs, n, &cap, err))) {
			rc = err->code;
			goto fail;
		}
		rc = set_inv_meta(inv, in->rootfs[i], "rootfs", err);
		if (!rc)
			rc = tg_input_parse_rootfs(in->rootfs[i], &in->opts, inv, err);
		if (rc)
			goto fail;
	}
	for (i = 0; i < in->n_images; i++) {
		if (!(inv = next_inv(invs, n, &cap, err))) {
			rc = err->code;
			goto fail;
		}
		rc = set_inv_meta(inv, in->images[i], "image", err);
		if (!rc)
			rc = tg_input_parse_image(in->images[i], &in->opts, inv, err);
		if (rc)
			goto fail;
	}
	if (in->target_failed) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto fail;
	}
	return 0;
fail:
	cli_inputs_free_inventories(*invs, *n);
	*invs = NULL;
	*n = 0;
	return rc;
}

void cli_inputs_free_inventories(struct tg_inventory *invs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tg_inventory_release(&invs[i]);
	free(invs);
}

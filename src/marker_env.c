/* Marker environments for the CLI (see marker_env.h). */
#define _POSIX_C_SOURCE 200809L
#include "marker_env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tollgate/buf.h"
#include "tollgate/json.h"

#define PYTHON_ANSWER_MAX (64u * 1024u)

/* What packaging's default_environment() computes, without needing
 * packaging in that interpreter. */
static const char env_script[] =
	"import json, os, platform, sys\n"
	"i = sys.implementation.version\n"
	"iv = '%d.%d.%d' % (i.major, i.minor, i.micro)\n"
	"if i.releaselevel != 'final':\n"
	"    iv += i.releaselevel[0] + str(i.serial)\n"
	"print(json.dumps({\n"
	"    'implementation_name': sys.implementation.name,\n"
	"    'implementation_version': iv,\n"
	"    'os_name': os.name,\n"
	"    'platform_machine': platform.machine(),\n"
	"    'platform_release': platform.release(),\n"
	"    'platform_system': platform.system(),\n"
	"    'platform_version': platform.version(),\n"
	"    'python_full_version': platform.python_version(),\n"
	"    'platform_python_implementation': platform.python_implementation(),\n"
	"    'python_version': '.'.join(platform.python_version_tuple()[:2]),\n"
	"    'sys_platform': sys.platform,\n"
	"}))\n";

void cli_marker_env_init(struct cli_marker_env *e)
{
	memset(e, 0, sizeof(*e));
	tg_marker_env_init(&e->env);
}

void cli_marker_env_release(struct cli_marker_env *e)
{
	json_decref(e->owned);
	free(e->extras);
	free(e->groups);
	free(e->custom);
	cli_marker_env_init(e);
}

static int set_list(json_t *arr, const char ***store, const char *const **items,
		    size_t *n, bool *has, const char *key, struct tg_err *err)
{
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return tg_err_set(err, TG_EINVAL, "'%s' must be a list of names", key);
	free(*store);
	*store = calloc(json_array_size(arr) + 1, sizeof(**store));
	if (!*store)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return tg_err_set(err, TG_EINVAL, "'%s' must be a list of names", key);
		(*store)[i] = json_string_value(v);
	}
	*items = *store;
	*n = json_array_size(arr);
	*has = true;
	return 0;
}

int cli_marker_env_from_json(struct cli_marker_env *e, json_t *obj,
			     struct tg_err *err)
{
	const char *key;
	json_t *v;
	int rc;

	if (!obj || json_is_null(obj))
		return 0;
	if (!json_is_object(obj))
		return tg_err_set(err, TG_EINVAL, "the environment must be a JSON object");
	json_incref(obj);
	json_decref(e->owned);
	e->owned = obj;
	free(e->custom);
	e->custom = calloc(2 * json_object_size(obj) + 1, sizeof(*e->custom));
	if (!e->custom)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	e->env.n_custom = 0;
	json_object_foreach(obj, key, v) {
		enum tg_marker_var var;

		if (!tg_marker_var_lookup(key, strlen(key), &var)) {
			if (json_is_string(v))
				e->custom[e->env.n_custom++] = key;
			continue;
		}
		if (var == TG_MV_EXTRAS) {
			if ((rc = set_list(v, &e->extras, &e->env.extras, &e->env.n_extras,
					   &e->env.has_extras, key, err)))
				return rc;
		} else if (var == TG_MV_DEPENDENCY_GROUPS) {
			if ((rc = set_list(v, &e->groups, &e->env.groups, &e->env.n_groups,
					   &e->env.has_groups, key, err)))
				return rc;
		} else if (json_is_string(v)) {
			e->env.values[var] = json_string_value(v);
		} else if (json_is_null(v)) {
			e->env.values[var] = NULL;
		} else {
			return tg_err_set(err, TG_EINVAL, "'%s' must be a string", key);
		}
	}
	/* values follow the names in the same array */
	{
		size_t k = 0;
		json_object_foreach(obj, key, v) {
			enum tg_marker_var var;
			if (!tg_marker_var_lookup(key, strlen(key), &var) && json_is_string(v))
				e->custom[e->env.n_custom + k++] = json_string_value(v);
		}
	}
	e->env.custom_names = e->custom;
	e->env.custom_values = e->custom + e->env.n_custom;
	return 0;
}

json_t *cli_marker_env_to_json(const struct cli_marker_env *e)
{
	json_t *o = json_object();
	size_t i;
	int v;

	for (v = 0; v < TG_MV_COUNT; v++)
		if (e->env.values[v])
			json_object_set_new(o, tg_marker_var_name((enum tg_marker_var)v),
					    json_string(e->env.values[v]));
	if (e->env.has_extras) {
		json_t *a = json_array();
		for (i = 0; i < e->env.n_extras; i++)
			json_array_append_new(a, json_string(e->env.extras[i]));
		json_object_set_new(o, "extras", a);
	}
	if (e->env.has_groups) {
		json_t *a = json_array();
		for (i = 0; i < e->env.n_groups; i++)
			json_array_append_new(a, json_string(e->env.groups[i]));
		json_object_set_new(o, "dependency_groups", a);
	}
	return o;
}

/* Run python -c env_script without a shell; its stdout goes to out. */
static int run_python(const char *python, struct tg_buf *out, struct tg_err *err)
{
	int fds[2], status, rc = 0;
	pid_t pid;
	char chunk[4096];
	ssize_t got;

	if (pipe(fds) < 0)
		return tg_err_set(err, TG_EIO, "cannot run %s: %s", python, strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return tg_err_set(err, TG_EIO, "cannot run %s: %s", python, strerror(errno));
	}
	if (pid == 0) {
		char *const args[] = { (char *)python, (char *)"-I", (char *)"-c",
				       (char *)env_script, NULL };
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(python, args);
		_exit(127);
	}
	close(fds[1]);
	while ((got = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = tg_err_set(err, TG_EIO, "reading from %s: %s", python, strerror(errno));
			break;
		}
		if (!rc && (rc = tg_buf_add(out, chunk, (size_t)got, err)))
			tg_err_prefix(err, "answer of %s: ", python);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!rc && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = tg_err_set(err, TG_EIO,
				"could not run %s to read its environment (exit status %d)",
				python, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return rc;
}

int cli_marker_env_from_python(struct cli_marker_env *e, const char *python,
			       struct tg_err *err)
{
	struct tg_buf out;
	json_t *obj;
	int rc;

	if (!python)
		python = "python3";
	tg_buf_init(&out, PYTHON_ANSWER_MAX);
	rc = run_python(python, &out, err);
	if (!rc) {
		obj = tg_json_load(out.data, out.len, python, err);
		if (!obj) {
			rc = TG_EIO;
			err->code = TG_EIO;
		} else {
			rc = cli_marker_env_from_json(e, obj, err);
			json_decref(obj);
		}
	}
	tg_buf_release(&out);
	return rc;
}

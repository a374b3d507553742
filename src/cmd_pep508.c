/* `tollgate pep508`: a testing aid that exposes requirement and marker
 * parsing and marker evaluation, so that packaging's test vectors and a
 * differential test against packaging itself can drive them. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "json_batch.h"
#include "marker_env.h"
#include "tollgate/buf.h"
#include "tollgate/json.h"
#include "tollgate/markers.h"
#include "tollgate/pep508.h"

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static json_t *marker_text(const struct tg_marker *m)
{
	struct tg_buf b;
	struct tg_err err;
	json_t *j;

	tg_buf_init(&b, 0);
	j = tg_marker_format(m, &b, &err) ? json_null() : json_stringn(b.data, b.len);
	tg_buf_release(&b);
	return j;
}

static json_t *describe_requirement(const struct tg_requirement *r)
{
	json_t *o = json_object(), *extras = json_array();
	struct tg_buf b;
	struct tg_err err;
	char **sorted;
	size_t i;

	json_object_set_new(o, "valid", json_true());
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "norm_name", json_string(r->norm_name));
	sorted = malloc((r->n_extras + 1) * sizeof(*sorted));
	if (sorted && r->n_extras) {
		memcpy(sorted, r->extras, r->n_extras * sizeof(*sorted));
		qsort(sorted, r->n_extras, sizeof(*sorted), cmp_cstr);
		for (i = 0; i < r->n_extras; i++)
			if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0)
				json_array_append_new(extras, json_string(sorted[i]));
	}
	free(sorted);
	json_object_set_new(o, "extras", extras);
	json_object_set_new(o, "url", r->url ? json_string(r->url) : json_null());
	tg_buf_init(&b, 0);
	if (tg_pep440_specset_format(&r->spec, &b, &err) == 0)
		json_object_set_new(o, "specifier", json_stringn(b.data, b.len));
	tg_buf_reset(&b);
	json_object_set_new(o, "marker", r->marker ? marker_text(r->marker) : json_null());
	if (tg_requirement_format(r, &b, &err) == 0)
		json_object_set_new(o, "str", json_stringn(b.data, b.len));
	tg_buf_release(&b);
	return o;
}

static json_t *error_answer(const struct tg_err *err)
{
	json_t *o = json_object();

	json_object_set_new(o, "valid", json_false());
	json_object_set_new(o, "error", json_string(err->msg));
	if (err->col)
		json_object_set_new(o, "col", json_integer((json_int_t)err->col));
	return o;
}

/* One request: {"op": "requirement"|"marker"|"evaluate", "a": TEXT,
 * "env": {...}} */
static json_t *answer(json_t *req)
{
	const char *op = tg_json_str(req, "op");
	json_t *a = json_object_get(req, "a");
	const char *s;
	size_t n;
	struct tg_err err;

	tg_err_clear(&err);
	if (!op || !json_is_string(a)) {
		tg_err_set(&err, TG_EUSAGE, "each request needs \"op\" and \"a\" strings");
		return error_answer(&err);
	}
	s = json_string_value(a);
	n = json_string_length(a);
	if (strcmp(op, "requirement") == 0) {
		struct tg_requirement r;
		json_t *o;
		if (tg_pep508_parse(s, n, &r, &err))
			return error_answer(&err);
		o = describe_requirement(&r);
		tg_requirement_release(&r);
		return o;
	}
	if (strcmp(op, "marker") == 0 || strcmp(op, "evaluate") == 0) {
		struct tg_marker m;
		struct cli_marker_env env;
		json_t *o;
		bool result;

		if (tg_marker_parse(s, n, &m, &err))
			return error_answer(&err);
		o = json_object();
		json_object_set_new(o, "valid", json_true());
		json_object_set_new(o, "str", marker_text(&m));
		if (strcmp(op, "evaluate") == 0) {
			cli_marker_env_init(&env);
			if (cli_marker_env_from_json(&env, json_object_get(req, "env"), &err) ||
			    tg_marker_evaluate(&m, &env.env, &result, &err)) {
				json_object_set_new(o, "result", json_null());
				json_object_set_new(o, "error", json_string(err.msg));
			} else {
				json_object_set_new(o, "result", json_boolean(result));
			}
			cli_marker_env_release(&env);
		}
		tg_marker_release(&m);
		return o;
	}
	tg_err_set(&err, TG_EUSAGE, "unknown operation '%s'", op);
	return error_answer(&err);
}

static void print_json_line(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	puts(text ? text : "null");
	free(text);
}

static int batch_request(json_t *req, unsigned long lineno, struct tg_err *err)
{
	json_t *o = answer(req);

	(void)lineno;
	(void)err;
	print_json_line(o);
	json_decref(o);
	return 0;
}

static int run_pep508(struct tg_cli *cli, int argc, char **argv)
{
	const char *python_version = NULL, *platform = NULL;
	struct cli_marker_env env;
	struct tg_err err;
	json_t *req, *o;
	bool valid, has_error, is_false;
	int i;

	if (argc < 2)
		return cli_usage_error(cli, &tg_cmd_pep508, "pep508 needs an operation");
	if (strcmp(argv[1], "batch") == 0) {
		if (argc > 2)
			return cli_usage_error(cli, &tg_cmd_pep508, "batch reads standard input");
		return cli_json_batch(cli, batch_request);
	}
	if (strcmp(argv[1], "requirement") != 0 && strcmp(argv[1], "marker") != 0 &&
	    strcmp(argv[1], "evaluate") != 0)
		return cli_usage_error(cli, &tg_cmd_pep508, "unknown operation '%s'", argv[1]);
	for (i = 2; i < argc - 1; i++) {
		if (strcmp(argv[i], "--python-version") == 0 && i + 2 < argc)
			python_version = argv[++i];
		else if (strcmp(argv[i], "--platform") == 0 && i + 2 < argc)
			platform = argv[++i];
		else
			return cli_usage_error(cli, &tg_cmd_pep508, "unknown option '%s'", argv[i]);
	}
	if (i != argc - 1)
		return cli_usage_error(cli, &tg_cmd_pep508, "%s takes one argument", argv[1]);
	req = json_object();
	json_object_set_new(req, "op", json_string(argv[1]));
	json_object_set_new(req, "a", json_string(argv[i]));
	if (strcmp(argv[1], "evaluate") == 0) {
		/* the running interpreter, then the overrides */
		cli_marker_env_init(&env);
		if (cli_marker_env_from_python(&env, NULL, &err) ||
		    tg_marker_env_target(&env.env, python_version, platform, &err)) {
			cli_marker_env_release(&env);
			json_decref(req);
			return cli_fail(cli, &err);
		}
		json_object_set_new(req, "env", cli_marker_env_to_json(&env));
		cli_marker_env_release(&env);
	}
	o = answer(req);
	print_json_line(o);
	valid = json_is_true(json_object_get(o, "valid"));
	has_error = json_is_string(json_object_get(o, "error"));
	is_false = json_is_false(json_object_get(o, "result"));
	json_decref(o);
	json_decref(req);
	if (!valid || has_error)
		return TG_EXIT_INPUT;
	return is_false ? TG_EXIT_POLICY : TG_EXIT_OK;
}

const struct tg_command tg_cmd_pep508 = {
	.name = "pep508",
	.summary = "PEP 508 requirements and environment markers (testing aid)",
	.usage = "pep508 requirement REQUIREMENT\n"
		 "pep508 marker MARKER\n"
		 "pep508 evaluate [--python-version X.Y] [--platform linux|darwin|win32] MARKER\n"
		 "pep508 batch < requests.jsonl",
	.help = "Answers as packaging's Requirement and Marker do, one JSON\n"
		"object per answer: the parts of a requirement and its canonical\n"
		"form, a marker's canonical form, or a marker's value.\n"
		"\n"
		"evaluate uses the environment of the python3 on PATH, changed by\n"
		"--python-version and --platform.\n"
		"\n"
		"batch reads one JSON object per line, {\"op\": \"requirement\" |\n"
		"\"marker\" | \"evaluate\", \"a\": TEXT, \"env\": {VARIABLE: VALUE,\n"
		"\"extras\": [...], \"dependency_groups\": [...]}}, and writes one\n"
		"answer per line.\n"
		"\n"
		"Exit status: 0 when valid (and true), 1 when a marker is false,\n"
		"3 when the input does not parse or cannot be evaluated.\n",
	.run = run_pep508,
	.hidden = true,
};

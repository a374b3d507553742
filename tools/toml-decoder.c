/* toml-decoder: TOML on stdin -> toml-test's tagged JSON on stdout.
 *
 * The decoder interface of the toml-test suite: tables become objects,
 * arrays arrays, and every scalar {"type": T, "value": "text"}. Invalid
 * input exits 1 with file:line:col and the reason on stderr.
 *
 * With --check it only parses (and frees) the input: exit status and
 * error message as above, no output. bench/bench_toml.sh times that. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/toml.h"

static json_t *tagged(const char *type, const char *value)
{
	return json_pack("{s:s, s:s}", "type", type, "value", value);
}

static json_t *to_json(const struct tg_toml_value *v)
{
	enum tg_toml_type t = tg_toml_type(v);
	char text[64];
	json_t *out = NULL;
	size_t i;

	switch (t) {
	case TG_TOML_TABLE:
		out = json_object();
		for (i = 0; out && i < tg_toml_table_len(v); i++) {
			struct tg_toml_entry e;
			json_t *child;
			tg_toml_table_entry(v, i, &e);
			child = to_json(e.value);
			if (!child || json_object_setn_new_nocheck(out, e.key, e.key_len, child)) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	case TG_TOML_ARRAY:
		out = json_array();
		for (i = 0; out && i < tg_toml_array_len(v); i++) {
			json_t *child = to_json(tg_toml_array_at(v, i));
			if (!child || json_array_append_new(out, child)) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	case TG_TOML_STRING: {
		const char *s;
		size_t len;
		json_t *str;
		tg_toml_string(v, &s, &len);
		str = json_stringn(s, len);
		out = str ? json_pack("{s:s, s:o}", "type", "string", "value", str) : NULL;
		return out;
	}
	case TG_TOML_INTEGER: {
		int64_t n;
		tg_toml_int(v, &n);
		snprintf(text, sizeof(text), "%" PRId64, n);
		return tagged("integer", text);
	}
	case TG_TOML_FLOAT: {
		double d;
		tg_toml_float(v, &d);
		if (isnan(d))
			snprintf(text, sizeof(text), "nan");
		else if (isinf(d))
			snprintf(text, sizeof(text), "%sinf", d < 0 ? "-" : "");
		else
			snprintf(text, sizeof(text), "%.17g", d);
		return tagged("float", text);
	}
	case TG_TOML_BOOL: {
		bool b;
		tg_toml_bool(v, &b);
		return tagged("bool", b ? "true" : "false");
	}
	case TG_TOML_DATETIME:
	case TG_TOML_DATETIME_LOCAL:
	case TG_TOML_DATE_LOCAL:
	case TG_TOML_TIME_LOCAL:
		if (!tg_toml_datetime_format(v, text, sizeof(text)))
			return NULL;
		return tagged(tg_toml_type_name(t), text);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	bool check_only = argc == 2 && !strcmp(argv[1], "--check");
	struct tg_buf in;
	struct tg_err err;
	struct tg_toml *doc = NULL;
	json_t *json = NULL;
	char msg[1024];
	int status = 1;

	if (argc > 1 && !check_only) {
		fprintf(stderr, "usage: toml-decoder [--check] < file.toml\n");
		return 2;
	}
	tg_buf_init(&in, TG_TOML_DEFAULT_MAX_INPUT);
	if (tg_read_file("-", TG_TOML_DEFAULT_MAX_INPUT, &in, &err) ||
	    tg_toml_parse(in.data, in.len, "<stdin>", &doc, &err)) {
		tg_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "toml-decoder: %s\n", msg);
		goto out;
	}
	if (check_only) {
		status = 0;
		goto out;
	}
	json = to_json(tg_toml_root(doc));
	if (!json || json_dumpf(json, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) ||
	    fputc('\n', stdout) == EOF || fflush(stdout)) {
		fprintf(stderr, "toml-decoder: cannot write JSON\n");
		goto out;
	}
	status = 0;
out:
	json_decref(json);
	tg_toml_free(doc);
	tg_buf_release(&in);
	return status;
}

/* `tollgate semver`: a testing aid that exposes the npm semver module
 * (versions, ranges, satisfies) so that test suites written for
 * node-semver and differential tests against it can drive it. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "json_batch.h"
#include "tollgate/buf.h"
#include "tollgate/json.h"
#include "tollgate/semver.h"

static void put_json_string(FILE *f, const char *s, size_t n)
{
	struct tg_buf b;
	struct tg_err err;

	tg_buf_init(&b, 0);
	if (tg_buf_add_json_escaped(&b, s, n, &err) == 0)
		fprintf(f, "\"%s\"", b.data);
	else
		fputs("null", f);
	tg_buf_release(&b);
}

/* Runs one operation; prints its JSON answer (without newline) to f.
 * Returns 0 when the operation's answer is positive / valid. */
static int run_op(FILE *f, const char *op, const char *a, size_t an,
		  const char *b, size_t bn, unsigned flags)
{
	struct tg_err err;
	struct tg_buf out;
	int rc = 0;

	tg_err_clear(&err);
	tg_buf_init(&out, 0);
	if (strcmp(op, "valid") == 0) {
		struct tg_semver v;
		rc = tg_semver_parse(a, an, flags, &v, &err);
		if (!rc)
			rc = tg_semver_format(&v, &out, &err);
		fputs("{\"valid\":", f);
		if (rc)
			fputs("null", f);
		else
			put_json_string(f, out.data, out.len);
		if (!rc && v.build) {
			fputs(",\"build\":", f);
			put_json_string(f, v.build, strlen(v.build));
		}
		tg_semver_release(&v);
	} else if (strcmp(op, "compare") == 0) {
		int r;
		rc = tg_semver_cmp(a, an, b, bn, flags, &r, &err);
		fputs("{\"compare\":", f);
		if (rc)
			fputs("null", f);
		else
			fprintf(f, "%d", r);
	} else if (strcmp(op, "satisfies") == 0) {
		bool r;
		rc = tg_semver_satisfies(a, an, b, bn, flags, &r, &err);
		fprintf(f, "{\"satisfies\":%s", r ? "true" : "false");
		if (!rc && !r)
			rc = 1;
	} else if (strcmp(op, "range") == 0) {
		struct tg_semver_range r;
		rc = tg_semver_range_parse(a, an, flags, &r, &err);
		if (!rc)
			rc = tg_semver_range_format(&r, &out, &err);
		tg_semver_range_release(&r);
		fputs("{\"range\":", f);
		if (rc)
			fputs("null", f);
		else
			put_json_string(f, out.data, out.len);
	} else {
		tg_err_set(&err, TG_EUSAGE, "unknown operation '%s'", op);
		fputs("{", f);
		rc = TG_EUSAGE;
	}
	if (err.code != TG_OK) {
		fputs(",\"error\":", f);
		put_json_string(f, err.msg, strlen(err.msg));
	}
	fputs("}", f);
	tg_buf_release(&out);
	return rc;
}

static const char *json_text(json_t *obj, const char *key, size_t *n)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v)) {
		*n = 0;
		return NULL;
	}
	*n = json_string_length(v);
	return json_string_value(v);
}

/* One JSON object per input line, one JSON answer per output line:
 *   {"op": "valid"|"compare"|"satisfies"|"range", "a": "...", "b": "...",
 *    "loose": bool, "includePrerelease": bool} */
static int batch_request(json_t *req, unsigned long lineno, struct tg_err *err)
{
	const char *op = tg_json_str(req, "op"), *a, *b;
	size_t an, bn;
	unsigned flags = 0;

	a = json_text(req, "a", &an);
	b = json_text(req, "b", &bn);
	if (json_is_true(json_object_get(req, "loose")))
		flags |= TG_SEMVER_LOOSE;
	if (json_is_true(json_object_get(req, "includePrerelease")))
		flags |= TG_SEMVER_INCLUDE_PRERELEASE;
	if (json_is_true(json_object_get(req, "partial")))
		flags |= TG_SEMVER_PARTIAL;
	if (!op || !a)
		return tg_err_at(err, TG_EPARSE, "<stdin>", lineno, 0,
				 "each line needs \"op\" and \"a\" strings");
	run_op(stdout, op, a, an, b ? b : "", bn, flags);
	fputc('\n', stdout);
	return 0;
}

static int run_semver(struct tg_cli *cli, int argc, char **argv)
{
	unsigned flags = 0;
	const char *op;
	int i, rc, nargs;

	if (argc < 2)
		return cli_usage_error(cli, &tg_cmd_semver, "semver needs an operation");
	op = argv[1];
	if (strcmp(op, "batch") == 0) {
		if (argc > 2)
			return cli_usage_error(cli, &tg_cmd_semver, "batch reads standard input");
		return cli_json_batch(cli, batch_request);
	}
	for (i = 2; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--loose") == 0)
			flags |= TG_SEMVER_LOOSE;
		else if (strcmp(argv[i], "--include-prerelease") == 0)
			flags |= TG_SEMVER_INCLUDE_PRERELEASE;
		else if (strcmp(argv[i], "--partial") == 0)
			flags |= TG_SEMVER_PARTIAL;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else
			return cli_usage_error(cli, &tg_cmd_semver,
					       "unknown option '%s'", argv[i]);
	}
	nargs = argc - i;
	if (strcmp(op, "valid") == 0 || strcmp(op, "range") == 0) {
		if (nargs != 1)
			return cli_usage_error(cli, &tg_cmd_semver, "%s takes one argument", op);
		rc = run_op(stdout, op, argv[i], strlen(argv[i]), "", 0, flags);
	} else if (strcmp(op, "compare") == 0 || strcmp(op, "satisfies") == 0) {
		if (nargs != 2)
			return cli_usage_error(cli, &tg_cmd_semver, "%s takes two arguments", op);
		rc = run_op(stdout, op, argv[i], strlen(argv[i]), argv[i + 1],
			    strlen(argv[i + 1]), flags);
	} else {
		return cli_usage_error(cli, &tg_cmd_semver, "unknown operation '%s'", op);
	}
	fputc('\n', stdout);
	if (rc == 1)
		return TG_EXIT_POLICY;
	return rc ? TG_EXIT_INPUT : TG_EXIT_OK;
}

const struct tg_command tg_cmd_semver = {
	.name = "semver",
	.summary = "npm semver versions and ranges (testing aid)",
	.usage = "semver valid [--loose] [--partial] VERSION\n"
		 "semver compare [--loose] [--partial] VERSION VERSION\n"
		 "semver satisfies [--loose] [--include-prerelease] VERSION RANGE\n"
		 "semver range [--loose] [--include-prerelease] RANGE\n"
		 "semver batch < requests.jsonl",
	.help = "Answers with node-semver's semantics, one JSON object per\n"
		"answer: {\"valid\": \"1.2.3\"}, {\"compare\": -1},\n"
		"{\"satisfies\": true}, {\"range\": \">=1.2.3 <2.0.0-0\"}, with\n"
		"\"error\" when the input does not parse.\n"
		"\n"
		"batch reads one JSON object per line, {\"op\": OP, \"a\": ...,\n"
		"\"b\": ..., \"loose\": BOOL, \"includePrerelease\": BOOL}, and\n"
		"writes one answer per line.\n"
		"\n"
		"Exit status: 0 when valid / satisfied, 1 when a version does\n"
		"not satisfy the range, 3 when an input does not parse.\n",
	.run = run_semver,
	.hidden = true,
};

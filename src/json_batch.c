/* Line-by-line JSON requests on standard input. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "json_batch.h"
#include "tollgate/json.h"

#define BATCH_LINE_MAX (1u << 20)

int cli_json_batch(struct tg_cli *cli, cli_batch_fn fn)
{
	struct tg_err err;
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long lineno = 0;
	int rc = 0;

	while (!rc && (got = getline(&line, &cap, stdin)) >= 0) {
		json_t *req;

		lineno++;
		if ((size_t)got > BATCH_LINE_MAX) {
			rc = tg_err_at(&err, TG_ELIMIT, "<stdin>", lineno, 0,
				       "line longer than %u bytes", BATCH_LINE_MAX);
			break;
		}
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			got--;
		if (got == 0)
			continue;
		req = tg_json_load(line, (size_t)got, "<stdin>", &err);
		if (!req) {
			err.line = lineno; /* the loader counts lines of this one line */
			rc = TG_EPARSE;
		} else if (!json_is_object(req)) {
			rc = tg_err_at(&err, TG_EPARSE, "<stdin>", lineno, 0,
				       "expected a JSON object");
		} else {
			rc = fn(req, lineno, &err);
		}
		json_decref(req);
	}
	free(line);
	return rc ? cli_fail(cli, &err) : TG_EXIT_OK;
}

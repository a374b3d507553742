/* The `batch` mode of the testing-aid commands (pep508, semver): one
 * JSON request object per line of standard input. */
#ifndef TOLLGATE_JSON_BATCH_H
#define TOLLGATE_JSON_BATCH_H

#include <jansson.h>

#include "cli.h"

/* Answer req (print its answer line); 0, or a TG_E* code with err set,
 * which stops the batch. lineno is req's line, for errors. */
typedef int (*cli_batch_fn)(json_t *req, unsigned long lineno, struct tg_err *err);

/* Feed every non-blank line of stdin to fn. A line over 1 MiB or that is
 * not a JSON object stops the batch, as an error of fn does; returns the
 * exit code. */
int cli_json_batch(struct tg_cli *cli, cli_batch_fn fn);

#endif

/* Marker environments for the CLI: read from a Python interpreter (what
 * pip running under it would see) or from JSON, with the strings they
 * point to kept alive here.
 *
 * Ownership: a cli_marker_env owns its strings; release it with
 * cli_marker_env_release(). env.values[] point into it. */
#ifndef TOLLGATE_CLI_MARKER_ENV_H
#define TOLLGATE_CLI_MARKER_ENV_H

#include <jansson.h>

#include "tollgate/err.h"
#include "tollgate/markers.h"

struct cli_marker_env {
	struct tg_marker_env env;
	json_t *owned;          /* holds the strings env points to */
	const char **extras;    /* heap arrays behind env.extras / env.groups */
	const char **groups;
	const char **custom;    /* names then values, 2 * n_custom entries */
};

void cli_marker_env_init(struct cli_marker_env *e);
void cli_marker_env_release(struct cli_marker_env *e);

/* Run `python -c ...` (python NULL: "python3" from PATH) and take the
 * marker variables it reports, as packaging's default_environment() would
 * compute them in that interpreter. Errors: TG_EIO when it cannot be run
 * or answers nonsense. */
int cli_marker_env_from_python(struct cli_marker_env *e, const char *python,
			       struct tg_err *err);

/* From a JSON object {"python_version": "3.11", ..., "extra": "x" or
 * null, "extras": [...], "dependency_groups": [...]}; NULL leaves
 * everything undefined. Other string keys become custom keys.
 * Errors: TG_EINVAL for a value of the wrong type. */
int cli_marker_env_from_json(struct cli_marker_env *e, json_t *obj,
			     struct tg_err *err);

/* The defined variables as a JSON object (new reference). */
json_t *cli_marker_env_to_json(const struct cli_marker_env *e);

#endif

/* PEP 508 environment markers for the input parsers: parsed and evaluated
 * by the markers module for the target environment of tg_input_opts. */
#include "internal.h"

#include <string.h>

#include "tollgate/markers.h"

static int make_env(const struct tg_input_opts *opts, struct tg_marker_env *env,
		    struct tg_err *err)
{
	const char *version = opts->python_version, *platform = opts->platform,
		   *machine = opts->machine;
	int rc;

	if (opts->target)
		opts->target(opts->target_ctx, &version, &platform, &machine);
	tg_marker_env_init(env);
	rc = tg_marker_env_target(env, version ? version : "3.11",
				  platform ? platform : "linux", err);
	if (rc)
		return rc;
	if (machine)
		env->values[TG_MV_PLATFORM_MACHINE] = machine;
	/* Not known for a target that is not this machine; markers on them
	 * are rare and compare as empty strings rather than fail. */
	env->values[TG_MV_PLATFORM_RELEASE] = "";
	env->values[TG_MV_PLATFORM_VERSION] = "";
	return 0;
}

int in_marker_keep_parsed(const struct tg_marker *m,
			  const struct tg_input_opts *opts, const char *origin,
			  unsigned long line, bool *keep, struct tg_err *err)
{
	struct tg_marker_env env;
	struct tg_err e;
	int rc;

	*keep = true;
	if (!opts->evaluate_markers || !m)
		return 0;
	tg_err_clear(&e);
	rc = make_env(opts, &env, &e);
	if (!rc)
		rc = tg_marker_evaluate(m, &env, keep, &e);
	if (rc) {
		*keep = true;
		return tg_err_at(err, (enum tg_code)rc, origin, line, 0, "%s", e.msg);
	}
	return 0;
}

int in_marker_keep(const char *marker, const struct tg_input_opts *opts,
		   const char *origin, unsigned long line, bool *keep,
		   struct tg_err *err)
{
	struct tg_marker m;
	struct tg_err e;
	int rc;

	*keep = true;
	if (!opts->evaluate_markers || !marker)
		return 0;
	memset(&m, 0, sizeof(m));
	tg_err_clear(&e);
	rc = tg_marker_parse(marker, strlen(marker), &m, &e);
	if (rc) {
		rc = tg_err_at(err, (enum tg_code)rc, origin, line, 0,
			       "marker '%.200s': %s", marker, e.msg);
		tg_marker_release(&m);
		return rc;
	}
	rc = in_marker_keep_parsed(&m, opts, origin, line, keep, err);
	tg_marker_release(&m);
	return rc;
}

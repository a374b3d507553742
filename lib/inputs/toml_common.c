/* Helpers shared by the TOML lockfile parsers. */
#include "internal.h"

#include <string.h>

#include "tollgate/toml.h"

int in_toml_load(const char *data, size_t len, const char *origin,
		 const struct tg_input_opts *opts, struct tg_toml **doc,
		 struct tg_err *err)
{
	struct tg_toml_limits lim = { 0 };

	lim.max_input = opts->max_file_size;
	return tg_toml_parse_ex(data, len, origin, &lim, doc, err);
}

int in_toml_marker(const struct tg_toml_value *marker,
		   const struct tg_input_opts *opts, const char *origin,
		   unsigned long line, bool *keep, struct tg_err *err)
{
	const char *m;

	*keep = true;
	if (!marker || !opts->evaluate_markers)
		return 0;
	if (!tg_toml_string(marker, &m, NULL))
		return tg_err_at(err, TG_EINVAL, origin, tg_toml_line(marker),
				 tg_toml_col(marker), "marker is not a string");
	return in_marker_keep(m, opts, origin, line, keep, err);
}

bool in_marker_flags(bool keep, const struct tg_input_opts *opts,
		     unsigned *flags)
{
	if (keep)
		return true;
	if (!opts->include_skipped)
		return false;
	*flags |= TG_PKG_SKIPPED_MARKER;
	return true;
}

bool in_requirement_name(const char *req, char *out)
{
	size_t k = 0;

	while (*req == ' ' || *req == '\t')
		req++;
	while (k < IN_MAX_NAME &&
	       ((req[k] >= 'a' && req[k] <= 'z') || (req[k] >= 'A' && req[k] <= 'Z') ||
		(req[k] >= '0' && req[k] <= '9') || req[k] == '.' || req[k] == '-' ||
		req[k] == '_'))
		k++;
	if (k == 0)
		return false;
	memcpy(out, req, k);
	out[k] = '\0';
	return true;
}

/* `winget export` JSON (packages schema 1.0 / 2.0):
 *   { "Sources": [ { "SourceDetails": { "Name": "winget", ... },
 *                    "Packages": [ { "PackageIdentifier": "Git.Git",
 *                                    "Version": "2.34.1" } ] } ] }
 * Version is optional (winget export without --include-versions). */
#include "internal.h"
#include "windows_inputs.h"

#include <string.h>

#include "tollgate/json.h"
#include "tollgate/windows.h"

static int one_package(const struct in_json_doc *doc, json_t *pkg,
		       const char *source, const char *origin,
		       struct tg_win_inventory *out, struct tg_err *err)
{
	unsigned long line = in_json_line(doc, pkg);
	const char *id, *ver;
	json_t *v;
	struct tg_win_app *a;
	int rc;

	if (!json_is_object(pkg))
		return tg_err_at(err, TG_EINVAL, origin, line, 0,
				 "Packages entry is not an object");
	id = tg_json_str(pkg, "PackageIdentifier");
	if (!id || !*id || strlen(id) > IN_MAX_NAME)
		return tg_err_at(err, TG_EINVAL, origin, line, 0,
				 "package without a usable \"PackageIdentifier\"");
	v = json_object_get(pkg, "Version");
	ver = json_is_string(v) ? json_string_value(v) : NULL;
	if (v && !json_is_string(v))
		return tg_err_at(err, TG_EINVAL, origin, line, 0,
				 "\"Version\" of %s is not a string", id);
	if (ver && (!*ver || strlen(ver) > IN_MAX_VERSION))
		return tg_err_at(err, TG_EINVAL, origin, line, 0,
				 "\"Version\" of %s is empty or too long", id);
	a = tg_win_add_app(out, err);
	if (!a)
		return err->code;
	a->eco = TG_ECO_WINGET;
	a->kind = TG_WIN_INSTALLED;
	a->line = line;
	if ((rc = tg_win_set(&a->id, id, err)) ||
	    (rc = tg_win_set(&a->version, ver, err)) ||
	    (rc = tg_win_set(&a->source, source, err)) ||
	    (rc = tg_win_set(&a->origin, origin, err)))
		return rc;
	return 0;
}

int tg_win_parse_winget_export(const char *data, size_t len,
			       const char *origin, struct tg_win_inventory *out,
			       struct tg_err *err)
{
	struct in_json_doc doc;
	json_t *sources, *s, *pkg;
	size_t i, j;
	int rc;

	rc = in_json_load(data, len, origin, &doc, err);
	if (rc)
		return rc;
	sources = json_object_get(doc.root, "Sources");
	if (!json_is_object(doc.root) || !json_is_array(sources)) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not a winget export: no \"Sources\" array");
		goto out;
	}
	json_array_foreach(sources, i, s) {
		json_t *pkgs = json_object_get(s, "Packages");
		const char *src = tg_json_str(tg_json_obj(s, "SourceDetails"), "Name");

		if (!json_is_object(s) || (pkgs && !json_is_array(pkgs))) {
			rc = tg_err_at(err, TG_EINVAL, origin, in_json_line(&doc, s), 0,
				       "Sources entry without a \"Packages\" array");
			goto out;
		}
		json_array_foreach(pkgs, j, pkg) {
			if ((rc = one_package(&doc, pkg, src, origin, out, err)))
				goto out;
		}
	}
out:
	in_json_release(&doc);
	return rc;
}

int in_parse_winget_export(const char *data, size_t len, const char *origin,
			   const struct tg_input_opts *opts,
			   struct tg_inventory *out, struct tg_err *err)
{
	(void)opts;
	return in_win_parse(tg_win_parse_winget_export, data, len, origin, out, err);
}

/* From the Windows model to a plain inventory, and back from an inventory
 * to the model (the checks re-read the input: an inventory keeps only
 * what every format has). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/package.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

static char *lower_dup(const char *s)
{
	char *d = tg_strdup(s);

	if (d)
		for (char *c = d; *c; c++)
			*c = tg_ascii_lower(*c);
	return d;
}

/* The one SHA-256 every installer agrees on, or NULL. */
static const char *single_sha256(const struct tg_win_app *a)
{
	const char *h = NULL;
	size_t i;

	for (i = 0; i < a->n_installers; i++) {
		const char *s = a->installers[i].sha256;
		if (!s)
			continue;
		if (h && tg_ascii_casecmp(h, s) != 0)
			return NULL;
		h = s;
	}
	return h && strlen(h) == 64 ? h : NULL;
}

static int add_app(const struct tg_win_app *a, struct tg_inventory *out,
		   struct tg_err *err)
{
	struct tg_package tmpl;
	struct tg_package *p;
	const char *sha;
	char *norm;
	size_t i;
	int rc = 0;

	if (!a->id || !*a->id)
		return tg_err_at(err, TG_EINVAL, a->origin, a->line, 0,
				 "package without an identifier");
	norm = lower_dup(a->id);
	if (!norm)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.eco = a->eco;
	tmpl.name = a->id;
	tmpl.norm_name = norm;
	tmpl.version = a->version;
	tmpl.source = a->source;
	tmpl.origin_path = a->origin;
	tmpl.origin_line = a->line;
	tmpl.license = a->license;
	tmpl.url = a->n_installers && a->installers[0].url &&
		   !a->installers[0].url_dynamic ? a->installers[0].url : NULL;
	tmpl.flags = a->version ? 0u : (unsigned)TG_PKG_UNPINNED;
	if (a->kind == TG_WIN_INSTALLED)
		tmpl.flags |= TG_PKG_DIRECT;
	p = tg_inventory_add(out, &tmpl, err);
	free(norm);
	if (!p)
		return err->code;
	sha = single_sha256(a);
	if (sha)
		rc = tg_package_add_hash(p, "sha256", sha, err);
	for (i = 0; !rc && i < a->n_deps; i++)
		rc = tg_package_add_dep(p, a->deps[i], err);
	return rc;
}

int tg_win_to_inventory(const struct tg_win_inventory *w,
			struct tg_inventory *out, struct tg_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < w->n_apps; i++)
		if ((rc = add_app(&w->apps[i], out, err)))
			return rc;
	return 0;
}

enum win_format { WF_NONE, WF_EXPORT, WF_MANIFEST, WF_CONFIG, WF_NUSPEC,
		  WF_NUPKG, WF_LIST };

static enum win_format format_of(const char *name)
{
	static const struct { const char *name; enum win_format f; } map[] = {
		{ "winget-export", WF_EXPORT }, { "winget-manifest", WF_MANIFEST },
		{ "packages.config", WF_CONFIG }, { "nuspec", WF_NUSPEC },
		{ "nupkg", WF_NUPKG }, { "choco-list", WF_LIST },
	};
	size_t i;

	if (!name)
		return WF_NONE;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (tg_ascii_casecmp(name, map[i].name) == 0)
			return map[i].f;
	return WF_NONE;
}

int tg_win_load(const struct tg_inventory *inv, struct tg_win_inventory *out,
		bool *is_windows, struct tg_err *err)
{
	enum win_format f = format_of(inv->format);
	struct tg_buf b;
	struct stat st;
	int rc;

	/* standard input cannot be read twice: the caller falls back to the
	 * packages themselves */
	*is_windows = f != WF_NONE && inv->origin && strcmp(inv->origin, "-") != 0;
	if (!*is_windows)
		return 0;
	if (!out->origin && !(out->origin = tg_strdup(inv->origin)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (!out->format && !(out->format = tg_strdup(inv->format)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (strcmp(inv->origin, "-") != 0 && stat(inv->origin, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		if (f == WF_MANIFEST)
			return tg_win_parse_winget_dir(inv->origin, out, err);
		if (f == WF_NUSPEC)
			return tg_win_parse_choco_dir(inv->origin, out, err);
		return tg_err_at(err, TG_EUSAGE, inv->origin, 0, 0,
				 "is a directory; format '%s' reads a file", inv->format);
	}
	tg_buf_init(&b, (size_t)64 << 20);
	rc = tg_read_file(inv->origin, (size_t)64 << 20, &b, err);
	if (rc)
		goto out;
	switch (f) {
	case WF_EXPORT:
		rc = tg_win_parse_winget_export(b.data, b.len, inv->origin, out, err);
		break;
	case WF_MANIFEST:
		rc = tg_win_parse_winget_manifest(b.data, b.len, inv->origin, out, err);
		break;
	case WF_CONFIG:
		rc = tg_win_parse_choco_config(b.data, b.len, inv->origin, out, err);
		break;
	case WF_NUSPEC: {
		/* the scripts live next to the nuspec (tools/) */
		char *dir = tg_strdup(inv->origin);
		char *slash = dir ? strrchr(dir, '/') : NULL;

		if (!dir) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			break;
		}
		if (slash)
			*slash = '\0';
		rc = tg_win_parse_nuspec(b.data, b.len, inv->origin,
					 slash ? dir : ".", out, err);
		free(dir);
		break;
	}
	case WF_NUPKG:
		rc = tg_win_parse_nupkg(b.data, b.len, inv->origin, out, err);
		break;
	case WF_LIST:
		rc = tg_win_parse_choco_list(b.data, b.len, inv->origin, out, err);
		break;
	case WF_NONE:
		break;
	}
out:
	tg_buf_release(&b);
	return rc;
}

/* Chocolatey .nupkg: a zip holding <id>.nuspec at its root and the
 * install scripts under tools/. Read in memory with libarchive; nothing is
 * extracted and nothing is run. */
#include "internal.h"
#include "windows_inputs.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"
#include "tollgate/windows.h"
#include "lazy/lazy.h"

#define NUPKG_MAX_ENTRIES 20000
#define NUPKG_MAX_NUSPEC ((size_t)4 << 20)

/* Read the current entry (at most max bytes) into a heap buffer. */
static int read_entry(struct archive *ar, struct archive_entry *e,
		      const char *origin, const char *name, size_t max,
		      char **out, size_t *n, struct tg_err *err)
{
	la_int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
	size_t cap = size > 0 && (size_t)size <= max ? (size_t)size + 1 : 65536;
	char *buf;
	size_t got = 0;

	*out = NULL;
	*n = 0;
	if (size > 0 && (size_t)size > max)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
				 "%s is %lld bytes, over the limit of %zu", name,
				 (long long)size, max);
	buf = malloc(cap);
	if (!buf)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (;;) {
		la_ssize_t r;

		if (got + 1 >= cap) {
			char *nb;

			if (cap > max) {
				free(buf);
				return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
						 "%s is over the limit of %zu bytes", name, max);
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return tg_err_set(err, TG_ENOMEM, "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		r = archive_read_data(ar, buf + got, cap - got - 1);
		if (r < 0) {
			int rc = tg_err_at(err, TG_EPARSE, origin, 0, 0,
					   "reading %s from the package: %s", name,
					   archive_error_string(ar) ? archive_error_string(ar)
								    : "damaged archive");
			free(buf);
			return rc;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		if (got > max) {
			free(buf);
			return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
					 "%s is over the limit of %zu bytes", name, max);
		}
	}
	buf[got] = '\0';
	*out = buf;
	*n = got;
	return 0;
}

static bool is_root_nuspec(const char *p)
{
	return !strchr(p, '/') && !strchr(p, '\\') && tg_str_ends_with(p, ".nuspec");
}

static bool is_install_script(const char *p)
{
	return tg_ascii_casecmp(p, "tools/chocolateyInstall.ps1") == 0 ||
	       tg_ascii_casecmp(p, "tools\\chocolateyInstall.ps1") == 0;
}

int tg_win_parse_nupkg(const char *data, size_t len, const char *origin,
		       struct tg_win_inventory *out, struct tg_err *err)
{
	struct archive *ar;
	struct archive_entry *e;
	char *nuspec = NULL, *script = NULL;
	size_t nuspec_len = 0, script_len = 0, entries = 0;
	char *script_name = NULL;
	struct tg_win_app *a;
	int rc = 0, r;

	if ((rc = tg_lazy_require(TG_LAZY_ARCHIVE, "reading .nupkg files", err)))
		return rc;
	ar = archive_read_new();
	if (!ar)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	archive_read_support_format_zip(ar);
	if (archive_read_open_memory(ar, data, len) != ARCHIVE_OK) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0, "not a .nupkg (zip): %s",
			       archive_error_string(ar) ? archive_error_string(ar) : "unreadable");
		goto out;
	}
	while ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);

		if (++entries > NUPKG_MAX_ENTRIES) {
			rc = tg_err_at(err, TG_ELIMIT, origin, 0, 0,
				       "more than %d entries in the package", NUPKG_MAX_ENTRIES);
			goto out;
		}
		if (!p)
			continue;
		if (is_root_nuspec(p) && !nuspec) {
			rc = read_entry(ar, e, origin, p, NUPKG_MAX_NUSPEC, &nuspec,
					&nuspec_len, err);
		} else if (is_install_script(p) && !script) {
			rc = read_entry(ar, e, origin, p, TG_WIN_MAX_SCRIPT, &script,
					&script_len, err);
			if (!rc && !(script_name = tg_asprintf("%s!%s", origin, p)))
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		}
		if (rc)
			goto out;
	}
	if (r != ARCHIVE_EOF) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0, "damaged .nupkg: %s",
			       archive_error_string(ar) ? archive_error_string(ar) : "bad entry");
		goto out;
	}
	if (!nuspec) {
		rc = tg_err_at(err, TG_EINVAL, origin, 0, 0,
			       "no .nuspec at the root of the package");
		goto out;
	}
	{
		char *spec_origin = tg_asprintf("%s!nuspec", origin);

		if (!spec_origin) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		rc = tg_win_parse_nuspec(nuspec, nuspec_len, spec_origin, NULL, out, err);
		free(spec_origin);
	}
	if (rc)
		goto out;
	a = &out->apps[out->n_apps - 1];
	if ((rc = tg_win_set(&a->origin, origin, err)) ||
	    (rc = tg_win_set(&a->package_path, origin, err)))
		goto out;
	if (script) {
		a->has_install_script = true;
		rc = tg_win_parse_choco_script(script, script_len, script_name, a, err);
	}
out:
	archive_read_free(ar);
	free(nuspec);
	free(script);
	free(script_name);
	return rc;
}

int in_parse_nupkg(const char *data, size_t len, const char *origin,
		   const struct tg_input_opts *opts, struct tg_inventory *out,
		   struct tg_err *err)
{
	(void)opts;
	return in_win_parse(tg_win_parse_nupkg, data, len, origin, out, err);
}

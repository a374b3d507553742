/* `choco list` output.
 *
 *   Chocolatey v2.2.2            (banner)
 *   7zip 23.1.0                  (one package per line)
 *   git.install 2.43.0 [Approved] ...   (remote listings add notes)
 *   2 packages installed.        (summary)
 *
 * and the machine-readable form of -r / --limit-output: "7zip|23.1.0".
 * Banner, summary and blank lines are skipped, so are notes choco prints
 * between packages; an input in which no line is a package is refused,
 * naming its first line that is not one. */
#include "internal.h"
#include "windows_inputs.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"
#include "tollgate/windows.h"

#define LIST_MAX_LINE 4096

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '+';
}

static bool version_ok(const char *b, size_t n)
{
	size_t i;

	if (n == 0 || n > IN_MAX_VERSION || b[0] < '0' || b[0] > '9')
		return false;
	for (i = 0; i < n; i++)
		if (!id_char(b[i]))
			return false;
	return true;
}

static bool skip_line(const char *l, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return true;
	if (n >= 12 && strncmp(l, "Chocolatey v", 12) == 0)
		return true;
	/* "12 packages installed." / "1 package found." */
	while (i < n && l[i] >= '0' && l[i] <= '9')
		i++;
	if (i > 0 && i + 8 < n && strncmp(l + i, " package", 8) == 0)
		return true;
	return false;
}

static int add_pkg(const char *id, size_t id_n, const char *ver, size_t ver_n,
		   const char *origin, unsigned long line,
		   struct tg_win_inventory *out, struct tg_err *err)
{
	struct tg_win_app *a = tg_win_add_app(out, err);
	char *i = tg_strndup(id, id_n), *v = tg_strndup(ver, ver_n);
	int rc = 0;

	if (!a) {
		rc = err->code;
		goto out;
	}
	if (!i || !v) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	a->eco = TG_ECO_CHOCOLATEY;
	a->kind = TG_WIN_INSTALLED;
	a->line = line;
	if ((rc = tg_win_set(&a->id, i, err)) || (rc = tg_win_set(&a->version, v, err)) ||
	    (rc = tg_win_set(&a->origin, origin, err)))
		goto out;
out:
	free(i);
	free(v);
	return rc;
}

/* One line: *is_pkg is true when it named a package. */
static int one_line(const char *l, size_t n, const char *origin,
		    unsigned long line, struct tg_win_inventory *out,
		    bool *is_pkg, struct tg_err *err)
{
	const char *bar = memchr(l, '|', n);
	size_t id_n = 0, vb, ve;

	*is_pkg = false;
	while (id_n < n && id_char(l[id_n]))
		id_n++;
	if (id_n == 0 || id_n > IN_MAX_NAME)
		return 0;
	if (bar) {
		/* -r: "id|version" exactly */
		if ((size_t)(bar - l) != id_n || memchr(bar + 1, '|', n - id_n - 1))
			return 0;
		if (!version_ok(bar + 1, n - id_n - 1))
			return 0;
		*is_pkg = true;
		return add_pkg(l, id_n, bar + 1, n - id_n - 1, origin, line, out, err);
	}
	if (id_n >= n || l[id_n] != ' ')
		return 0;
	vb = id_n + 1;
	ve = vb;
	while (ve < n && l[ve] != ' ')
		ve++;
	if (!version_ok(l + vb, ve - vb))
		return 0;
	*is_pkg = true;
	return add_pkg(l, id_n, l + vb, ve - vb, origin, line, out, err);
}

int tg_win_parse_choco_list(const char *data, size_t len, const char *origin,
			    struct tg_win_inventory *out, struct tg_err *err)
{
	size_t skip, pos, n_pkgs = 0;
	unsigned long line = 0, first_bad = 0;
	int rc;

	if ((rc = in_check_text(data, len, origin, &skip, err)))
		return rc;
	pos = skip;
	while (pos < len) {
		const char *l = data + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		bool is_pkg;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n > LIST_MAX_LINE)
			return tg_err_at(err, TG_ELIMIT, origin, line, 0,
					 "line longer than %d bytes", LIST_MAX_LINE);
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
			n--;
		if (skip_line(l, n))
			continue;
		if ((rc = one_line(l, n, origin, line, out, &is_pkg, err)))
			return rc;
		if (is_pkg)
			n_pkgs++;
		else if (!first_bad)
			first_bad = line;
	}
	if (n_pkgs == 0 && first_bad)
		return tg_err_at(err, TG_EPARSE, origin, first_bad, 1,
				 "not `choco list` output: expected \"name version\" "
				 "or \"name|version\"");
	return 0;
}

int in_parse_choco_list(const char *data, size_t len, const char *origin,
			const struct tg_input_opts *opts,
			struct tg_inventory *out, struct tg_err *err)
{
	(void)opts;
	return in_win_parse(tg_win_parse_choco_list, data, len, origin, out, err);
}

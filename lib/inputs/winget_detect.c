/* Telling Windows inputs apart: directories (a Chocolatey package folder,
 * a tree of winget manifests) and content sniffing for files whose names
 * say nothing (a winget export is whatever the user called it); and the
 * step from a Windows parser's applications to an inventory. */
#include "internal.h"
#include "windows_inputs.h"

#include <string.h>

#include "tollgate/str.h"
#include "tollgate/windows.h"

bool in_windows_dir_kind(const char *dir, const char **format)
{
	if (in_dir_is_choco_package(dir)) {
		*format = "nuspec";
		return true;
	}
	if (tg_win_dir_has_manifests(dir)) {
		*format = "winget-manifest";
		return true;
	}
	return false;
}

int in_win_parse(in_win_parse_fn parse, const char *data, size_t len,
		 const char *origin, struct tg_inventory *out, struct tg_err *err)
{
	struct tg_win_inventory w;
	int rc;

	tg_win_inventory_init(&w);
	rc = parse(data, len, origin, &w, err);
	if (!rc)
		rc = tg_win_to_inventory(&w, out, err);
	tg_win_inventory_release(&w);
	return rc;
}

int in_parse_windows_dir(const char *dir, const char *format,
			 struct tg_inventory *out, struct tg_err *err)
{
	struct tg_win_inventory w;
	int rc;

	tg_win_inventory_init(&w);
	if (tg_ascii_casecmp(format, "nuspec") == 0)
		rc = tg_win_parse_choco_dir(dir, &w, err);
	else
		rc = tg_win_parse_winget_dir(dir, &w, err);
	if (!rc)
		rc = tg_win_to_inventory(&w, out, err);
	tg_win_inventory_release(&w);
	return rc;
}

static bool head_has(const char *data, size_t len, const char *needle)
{
	size_t n = strlen(needle), lim = len < 65536 ? len : 65536, i;

	for (i = 0; i + n <= lim; i++)
		if (memcmp(data + i, needle, n) == 0)
			return true;
	return false;
}

/* Every non-blank line among the first 50 is "id|version". */
static bool looks_like_pipe_list(const char *data, size_t len)
{
	size_t pos = 0, lines = 0;

	while (pos < len && lines < 50) {
		const char *l = data + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos, i = 0;
		const char *bar;

		pos += n + (nl ? 1 : 0);
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' '))
			n--;
		if (n == 0)
			continue;
		lines++;
		bar = memchr(l, '|', n);
		if (!bar || bar == l || (size_t)(bar - l) + 1 >= n)
			return false;
		for (i = 0; l + i < bar; i++) {
			char c = l[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
				return false;
		}
		if (bar[1] < '0' || bar[1] > '9' || memchr(bar + 1, '|', n - i - 1))
			return false;
	}
	return lines > 0;
}

const char *in_windows_sniff(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
			   data[i] == '\n'))
		i++;
	if (i < len && data[i] == '{')
		return head_has(data, len, "\"Sources\"") &&
		       head_has(data, len, "\"PackageIdentifier\"") ? "winget-export" : NULL;
	if (i < len && data[i] == '<')
		return head_has(data, len, "<packages") &&
		       head_has(data, len, "<package ") ? "packages.config" : NULL;
	if (head_has(data, len, "PackageIdentifier:") &&
	    head_has(data, len, "ManifestType:"))
		return "winget-manifest";
	if (len - i >= 12 && strncmp(data + i, "Chocolatey v", 12) == 0)
		return "choco-list";
	if (looks_like_pipe_list(data + i, len - i))
		return "choco-list";
	return NULL;
}

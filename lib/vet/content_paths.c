/* Lexical path checks: no file system access, so a crafted name cannot
 * make the scanner look at anything outside the archive. */
#include "vet/content_paths.h"

#include <stdlib.h>
#include <string.h>

static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

enum vet_path_verdict vet_path_normalize(const char *raw, char **out)
{
	size_t n = strlen(raw), i = 0, o = 0;
	char *buf;

	*out = NULL;
	if (is_sep(raw[0]))
		return VET_PATH_ABSOLUTE;
	if (n >= 2 && raw[1] == ':' &&
	    ((raw[0] >= 'a' && raw[0] <= 'z') || (raw[0] >= 'A' && raw[0] <= 'Z')))
		return VET_PATH_ABSOLUTE;
	buf = malloc(n + 1);
	if (!buf)
		return VET_PATH_NOMEM;
	while (i < n) {
		size_t start = i, len;

		while (i < n && !is_sep(raw[i]))
			i++;
		len = i - start;
		while (i < n && is_sep(raw[i]))
			i++;
		if (len == 0 || (len == 1 && raw[start] == '.'))
			continue;
		if (len == 2 && raw[start] == '.' && raw[start + 1] == '.') {
			free(buf);
			return VET_PATH_TRAVERSAL;
		}
		if (o)
			buf[o++] = '/';
		memcpy(buf + o, raw + start, len);
		o += len;
	}
	buf[o] = '\0';
	*out = buf;
	return VET_PATH_OK;
}

bool vet_link_escapes(const char *path, const char *target, bool hard)
{
	size_t depth = 0, i = 0, n = strlen(target);

	if (n == 0 || is_sep(target[0]) ||
	    (n >= 2 && target[1] == ':'))
		return true;
	if (!hard) {
		const char *p;
		/* Depth of the link's directory below the root. */
		for (p = path; *p; p++)
			if (*p == '/')
				depth++;
	}
	while (i < n) {
		size_t start = i, len;

		while (i < n && !is_sep(target[i]))
			i++;
		len = i - start;
		while (i < n && is_sep(target[i]))
			i++;
		if (len == 0 || (len == 1 && target[start] == '.'))
			continue;
		if (len == 2 && target[start] == '.' && target[start + 1] == '.') {
			if (depth == 0)
				return true;
			depth--;
		} else {
			depth++;
		}
	}
	return false;
}

#include "tollgate/pep503.h"

#include <stdlib.h>

static bool is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

size_t tg_pep503_normalize(const char *name, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = name[i];
		if (is_sep(c)) {
			while (i + 1 < n && is_sep(name[i + 1]))
				i++;
			out[o++] = '-';
		} else {
			out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
		}
	}
	out[o] = '\0';
	return o;
}

char *tg_pep503_normalize_dup(const char *name, size_t n)
{
	char *out = malloc(n + 1);

	if (out)
		tg_pep503_normalize(name, n, out);
	return out;
}

bool tg_pep508_name_valid(const char *name, size_t n)
{
	size_t i;

	if (n == 0 || !is_alnum(name[0]) || !is_alnum(name[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!is_alnum(name[i]) && !is_sep(name[i]))
			return false;
	return true;
}

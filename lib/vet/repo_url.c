/* Repository URLs in package metadata, and whether they fit the name. */
#include "tollgate/vet_repo.h"

#include <string.h>

#include "tollgate/str.h"

static const char *const hosts[] = { "github.com", "gitlab.com",
				     "bitbucket.org", NULL };

static bool copy_part(char *dst, size_t dstsz, const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= dstsz)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
		dst[i] = c;
	}
	dst[n] = '\0';
	return true;
}

/* s points at "owner/name..." */
static bool parse_owner_name(const char *s, struct tg_vet_repo *out)
{
	const char *slash = strchr(s, '/'), *end;
	size_t n;

	if (!slash)
		return false;
	if (!copy_part(out->owner, sizeof(out->owner), s, (size_t)(slash - s)))
		return false;
	s = slash + 1;
	end = s + strcspn(s, "/#?");
	n = (size_t)(end - s);
	if (n > 4 && tg_ascii_ncasecmp(s + n - 4, ".git", 4) == 0)
		n -= 4;
	return copy_part(out->name, sizeof(out->name), s, n);
}

bool tg_vet_repo_parse(const char *url, struct tg_vet_repo *out)
{
	const char *s = url;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!url)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	if (tg_str_starts_with(s, "github:")) {
		tg_strlcpy(out->host, "github.com", sizeof(out->host));
		return parse_owner_name(s + 7, out);
	}
	if (tg_str_starts_with(s, "gitlab:")) {
		tg_strlcpy(out->host, "gitlab.com", sizeof(out->host));
		return parse_owner_name(s + 7, out);
	}
	if (tg_str_starts_with(s, "bitbucket:")) {
		tg_strlcpy(out->host, "bitbucket.org", sizeof(out->host));
		return parse_owner_name(s + 10, out);
	}
	if (tg_str_starts_with(s, "git+"))
		s += 4;
	if (tg_str_starts_with(s, "git@")) {
		const char *colon = strchr(s, ':');
		if (!colon)
			return false;
		for (i = 0; hosts[i]; i++) {
			if ((size_t)(colon - s - 4) == strlen(hosts[i]) &&
			    strncmp(s + 4, hosts[i], strlen(hosts[i])) == 0) {
				tg_strlcpy(out->host, hosts[i], sizeof(out->host));
				return parse_owner_name(colon + 1, out);
			}
		}
		return false;
	}
	{
		const char *scheme = strstr(s, "://");
		if (scheme) {
			s = scheme + 3;
			if (strchr(s, '@') && strchr(s, '@') < strchr(s, '/'))
				s = strchr(s, '@') + 1;
		} else if (!strchr(s, ':') && !strchr(s, '.') && strchr(s, '/')) {
			/* npm's bare "owner/name" means GitHub. */
			tg_strlcpy(out->host, "github.com", sizeof(out->host));
			return parse_owner_name(s, out);
		}
	}
	if (tg_ascii_ncasecmp(s, "www.", 4) == 0)
		s += 4;
	for (i = 0; hosts[i]; i++) {
		size_t n = strlen(hosts[i]);
		if (tg_ascii_ncasecmp(s, hosts[i], n) == 0 &&
		    (s[n] == '/' || (s[n] == ':' && strchr(s + n, '/')))) {
			const char *rest = strchr(s + n, '/');
			tg_strlcpy(out->host, hosts[i], sizeof(out->host));
			return parse_owner_name(rest + 1, out);
		}
	}
	return false;
}

/* Lowercase letters and digits only. */
static void squash(const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *s && o + 1 < outsz; s++) {
		char c = tg_ascii_lower(*s);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = c;
	}
	out[o] = '\0';
}

static const char *const affixes[] = { "python", "py", "node", "js", NULL };

static void strip_affixes(char *s)
{
	size_t i, n;

	for (i = 0; affixes[i]; i++) {
		size_t k = strlen(affixes[i]);
		n = strlen(s);
		if (n > k + 2 && strncmp(s, affixes[i], k) == 0)
			memmove(s, s + k, n - k + 1);
		n = strlen(s);
		if (n > k + 2 && strcmp(s + n - k, affixes[i]) == 0)
			s[n - k] = '\0';
	}
}

/* Does some token (3+ letters) of `tokens` occur in hay? */
static bool token_in(const char *tokens, const char *hay)
{
	char tok[128];
	const char *s = tokens;

	while (*s) {
		size_t n = 0;
		while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			       (*s >= '0' && *s <= '9')))
			s++;
		while (*s && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			      (*s >= '0' && *s <= '9'))) {
			if (n + 1 < sizeof(tok))
				tok[n++] = tg_ascii_lower(*s);
			s++;
		}
		tok[n] = '\0';
		strip_affixes(tok);
		if (strlen(tok) >= 3 && strstr(hay, tok))
			return true;
	}
	return false;
}

bool tg_vet_repo_resembles(const char *package, const struct tg_vet_repo *r)
{
	char name[256], both[300], joined[300];

	squash(package, name, sizeof(name));
	strip_affixes(name);
	tg_strlcpy(joined, r->owner, sizeof(joined));
	{
		size_t n = strlen(joined);
		if (n + 1 < sizeof(joined)) {
			joined[n] = '/';
			tg_strlcpy(joined + n + 1, r->name, sizeof(joined) - n - 1);
		}
	}
	squash(joined, both, sizeof(both));
	if (*name && strstr(both, name))
		return true;
	if (token_in(package, both))
		return true;
	squash(package, name, sizeof(name));
	return token_in(joined, name);
}

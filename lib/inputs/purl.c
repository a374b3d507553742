/* Package URL parsing, following the purl specification's "how to parse"
 * steps: subpath after '#', qualifiers after '?', scheme "pkg", type,
 * version after the last '@' of the last segment, name, namespace. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"
#include "tollgate/str.h"

#define PURL_MAX_LEN 8192
#define PURL_MAX_QUALS 64

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into a new string; NULL with err on bad escapes
 * or an encoded NUL. */
static char *pct_decode(const char *s, size_t n, struct tg_err *err)
{
	char *out = malloc(n + 1);
	size_t i, o = 0;

	if (!out) {
		tg_err_set(err, TG_ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(out);
				tg_err_set(err, TG_EPARSE, "bad percent-escape in purl");
				return NULL;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
			continue;
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	if (!tg_utf8_valid(out, o, NULL)) {
		free(out);
		tg_err_set(err, TG_EPARSE, "percent-escapes in purl decode to invalid UTF-8");
		return NULL;
	}
	return out;
}

static int push_qual(struct tg_purl *p, char *k, char *v, struct tg_err *err)
{
	char **nk, **nv;
	size_t bytes;

	if (p->n_quals >= PURL_MAX_QUALS || !tg_size_mul(p->n_quals + 1, sizeof(char *), &bytes))
		return tg_err_set(err, TG_ELIMIT, "more than %d purl qualifiers",
				  PURL_MAX_QUALS);
	nk = realloc(p->qual_keys, bytes);
	if (!nk)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	p->qual_keys = nk;
	nv = realloc(p->qual_values, bytes);
	if (!nv)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	p->qual_values = nv;
	p->qual_keys[p->n_quals] = k;
	p->qual_values[p->n_quals] = v;
	p->n_quals++;
	return 0;
}

/* Join '/'-separated segments of s[0..n), dropping empty ones (and '.'
 * and '..' when is_subpath), each percent-decoded. NULL result (no error)
 * when nothing is left. */
static int join_segments(const char *s, size_t n, bool is_subpath, char **out,
			 struct tg_err *err)
{
	struct tg_buf b;
	size_t i = 0;
	int rc = 0;

	*out = NULL;
	tg_buf_init(&b, PURL_MAX_LEN);
	while (i < n) {
		size_t j = i;
		char *seg;

		while (j < n && s[j] != '/')
			j++;
		if (j > i && !(is_subpath && ((j - i == 1 && s[i] == '.') ||
					      (j - i == 2 && s[i] == '.' && s[i + 1] == '.')))) {
			seg = pct_decode(s + i, j - i, err);
			if (!seg) {
				rc = err ? err->code : TG_EPARSE;
				goto out;
			}
			if (b.len)
				rc = tg_buf_addc(&b, '/', err);
			if (!rc)
				rc = tg_buf_adds(&b, seg, err);
			free(seg);
			if (rc)
				goto out;
		}
		i = j + 1;
	}
	if (b.len)
		*out = tg_buf_detach(&b, NULL);
out:
	tg_buf_release(&b);
	return rc;
}

static bool type_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	if (first)
		return false;
	return (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-';
}

int tg_purl_parse(const char *s, struct tg_purl *p, struct tg_err *err)
{
	size_t n = strlen(s), end, i;
	const char *hash, *q, *rest, *at, *slash;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (n > PURL_MAX_LEN)
		return tg_err_set(err, TG_ELIMIT, "purl longer than %d bytes",
				  PURL_MAX_LEN);
	end = n;
	hash = memchr(s, '#', n);
	if (hash) {
		end = (size_t)(hash - s);
		rc = join_segments(hash + 1, n - end - 1, true, &p->subpath, err);
		if (rc)
			goto fail;
	}
	q = memchr(s, '?', end);
	if (q) {
		size_t qs = (size_t)(q - s) + 1;

		i = qs;
		while (i < end) {
			size_t j = i, eq;
			char *k, *v;

			while (j < end && s[j] != '&')
				j++;
			for (eq = i; eq < j && s[eq] != '='; eq++)
				;
			if (eq < j && eq > i && eq + 1 < j) {
				k = tg_strndup(s + i, eq - i);
				v = pct_decode(s + eq + 1, j - eq - 1, err);
				if (!k || !v) {
					free(k);
					free(v);
					rc = v ? tg_err_set(err, TG_ENOMEM, "out of memory") : TG_EPARSE;
					goto fail;
				}
				for (char *c = k; *c; c++)
					*c = tg_ascii_lower(*c);
				rc = push_qual(p, k, v, err);
				if (rc) {
					free(k);
					free(v);
					goto fail;
				}
			}
			i = j + 1;
		}
		end = (size_t)(q - s);
	}
	if (end < 4 || tg_ascii_ncasecmp(s, "pkg:", 4) != 0) {
		rc = tg_err_set(err, TG_EPARSE, "purl does not start with 'pkg:'");
		goto fail;
	}
	rest = s + 4;
	while (rest < s + end && *rest == '/')
		rest++;
	slash = memchr(rest, '/', (size_t)(s + end - rest));
	if (!slash || slash == rest) {
		rc = tg_err_set(err, TG_EPARSE, "purl has no type/name");
		goto fail;
	}
	for (i = 0; rest + i < slash; i++) {
		if (!type_char(rest[i], i == 0)) {
			rc = tg_err_set(err, TG_EPARSE, "purl type has a bad character");
			goto fail;
		}
	}
	p->type = tg_strndup(rest, (size_t)(slash - rest));
	if (!p->type) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto fail;
	}
	for (char *c = p->type; *c; c++)
		*c = tg_ascii_lower(*c);
	rest = slash + 1;
	while (end > (size_t)(rest - s) && s[end - 1] == '/')
		end--;
	/* The version follows the last '@' of the last path segment; an '@'
	 * before a '/' is an unencoded npm scope. */
	{
		const char *last_slash = NULL;
		for (const char *c = rest; c < s + end; c++)
			if (*c == '/')
				last_slash = c;
		at = NULL;
		for (const char *c = s + end - 1; c >= rest && c > (last_slash ? last_slash : rest - 1); c--) {
			if (*c == '@') {
				at = c;
				break;
			}
		}
	}
	if (at) {
		if (at + 1 < s + end) {
			p->version = pct_decode(at + 1, (size_t)(s + end - at - 1), err);
			if (!p->version) {
				rc = TG_EPARSE;
				goto fail;
			}
		}
		end = (size_t)(at - s);
	}
	{
		const char *name_start = rest, *c;
		for (c = rest; c < s + end; c++)
			if (*c == '/')
				name_start = c + 1;
		if (name_start >= s + end) {
			rc = tg_err_set(err, TG_EPARSE, "purl has an empty name");
			goto fail;
		}
		p->name = pct_decode(name_start, (size_t)(s + end - name_start), err);
		if (!p->name) {
			rc = TG_EPARSE;
			goto fail;
		}
		if (name_start > rest) {
			rc = join_segments(rest, (size_t)(name_start - rest - 1), false,
					   &p->namespace_, err);
			if (rc)
				goto fail;
		}
	}
	if (strcmp(p->type, "pypi") == 0) {
		for (char *c = p->name; *c; c++)
			*c = *c == '_' ? '-' : tg_ascii_lower(*c);
	}
	return 0;
fail:
	if (!rc)
		rc = TG_EPARSE;
	if (err && err->code == TG_OK)
		tg_err_set(err, (enum tg_code)rc, "malformed purl");
	tg_purl_release(p);
	return rc;
}

void tg_purl_release(struct tg_purl *p)
{
	size_t i;

	free(p->type);
	free(p->namespace_);
	free(p->name);
	free(p->version);
	free(p->subpath);
	for (i = 0; i < p->n_quals; i++) {
		free(p->qual_keys[i]);
		free(p->qual_values[i]);
	}
	free(p->qual_keys);
	free(p->qual_values);
	memset(p, 0, sizeof(*p));
}

const char *tg_purl_qualifier(const struct tg_purl *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n_quals; i++)
		if (tg_ascii_casecmp(p->qual_keys[i], key) == 0)
			return p->qual_values[i];
	return NULL;
}

int in_purl_package(const char *purl, enum tg_ecosystem *eco, char **name,
		    char **version, struct tg_err *err)
{
	struct tg_purl p;
	int rc;

	*eco = TG_ECO_UNKNOWN;
	*name = *version = NULL;
	rc = tg_purl_parse(purl, &p, err);
	if (rc)
		return rc;
	if (strcmp(p.type, "pypi") == 0)
		*eco = TG_ECO_PYPI;
	else if (strcmp(p.type, "npm") == 0)
		*eco = TG_ECO_NPM;
	else if (strcmp(p.type, "winget") == 0)
		*eco = TG_ECO_WINGET;
	else if (strcmp(p.type, "nuget") == 0 || strcmp(p.type, "chocolatey") == 0)
		*eco = TG_ECO_CHOCOLATEY;
	if (p.namespace_ && *eco == TG_ECO_NPM)
		*name = tg_asprintf("%s/%s", p.namespace_, p.name);
	else if (p.namespace_ && *eco == TG_ECO_UNKNOWN)
		*name = tg_asprintf("%s/%s", p.namespace_, p.name);
	else
		*name = tg_strdup(p.name);
	if (p.version)
		*version = tg_strdup(p.version);
	if (!*name || (p.version && !*version)) {
		free(*name);
		free(*version);
		*name = *version = NULL;
		tg_purl_release(&p);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	tg_purl_release(&p);
	return 0;
}

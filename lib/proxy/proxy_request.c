/* Routing, client authentication and distribution file names. */
#define _GNU_SOURCE
#include "tollgate/proxy_request.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tollgate/pep503.h"
#include "tollgate/str.h"

bool tg_dist_filename_ok(const char *s)
{
	size_t i;

	if (!s[0] || s[0] == '.')
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (i >= TG_PROXY_FILE_MAX)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' ||
		      c == '!' || c == '-'))
			return false;
	}
	return true;
}

static bool norm_eq(const char *s, size_t n, const char *norm)
{
	char tmp[TG_PROXY_NAME_MAX + 1];

	if (n > TG_PROXY_NAME_MAX)
		return false;
	tg_pep503_normalize(s, n, tmp);
	return strcmp(tmp, norm) == 0;
}

static const char *const sdist_exts[] = {
	".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tbz", ".txz", ".tar", ".zip"
};

bool tg_dist_version(const char *filename, const char *norm_name, char *out,
		     size_t outsz, enum tg_dist_kind *kind)
{
	size_t len = strlen(filename), i, stem = 0;
	const char *d1, *d2;
	enum tg_dist_kind k = TG_DIST_UNKNOWN;

	if (kind)
		*kind = TG_DIST_UNKNOWN;
	if (len > TG_PROXY_FILE_MAX || outsz == 0)
		return false;
	if (tg_str_ends_with(filename, ".whl") || tg_str_ends_with(filename, ".egg")) {
		k = tg_str_ends_with(filename, ".whl") ? TG_DIST_WHEEL : TG_DIST_EGG;
		d1 = strchr(filename, '-');
		if (!d1 || !norm_eq(filename, (size_t)(d1 - filename), norm_name))
			return false;
		d2 = strchr(d1 + 1, '-');
		if (!d2)
			d2 = filename + len - 4; /* "name-1.0.egg" */
		if (d2 <= d1 + 1 || (size_t)(d2 - d1 - 1) >= outsz)
			return false;
		memcpy(out, d1 + 1, (size_t)(d2 - d1 - 1));
		out[d2 - d1 - 1] = 0;
		if (kind)
			*kind = k;
		return true;
	}
	for (i = 0; i < sizeof(sdist_exts) / sizeof(sdist_exts[0]); i++) {
		size_t el = strlen(sdist_exts[i]);
		if (len > el && tg_ascii_casecmp(filename + len - el, sdist_exts[i]) == 0) {
			stem = len - el;
			k = TG_DIST_SDIST;
			break;
		}
	}
	if (k != TG_DIST_SDIST)
		return false;
	/* The project name may itself contain '-': take the split whose
	 * prefix normalises to the project. */
	for (i = 1; i + 1 < stem; i++) {
		if (filename[i] != '-')
			continue;
		if (norm_eq(filename, i, norm_name)) {
			size_t vlen = stem - i - 1;
			if (vlen == 0 || vlen >= outsz)
				return false;
			memcpy(out, filename + i + 1, vlen);
			out[vlen] = 0;
			if (kind)
				*kind = k;
			return true;
		}
	}
	return false;
}

static void set_redirect(struct tg_proxy_target *t, const char *prefix,
			 const char *norm)
{
	t->route = TG_ROUTE_REDIRECT;
	snprintf(t->location, sizeof(t->location), "%s%s/", prefix, norm);
}

void tg_proxy_route(const char *path, struct tg_proxy_target *out)
{
	size_t len;
	const char *rest, *slash;

	memset(out, 0, sizeof(*out));
	out->route = TG_ROUTE_NOT_FOUND;
	if (!path || path[0] != '/')
		return;
	len = strnlen(path, TG_PROXY_PATH_MAX + 1);
	if (len > TG_PROXY_PATH_MAX)
		return;
	if (strcmp(path, "/") == 0) {
		out->route = TG_ROUTE_ROOT;
		return;
	}
	if (strcmp(path, "/metrics") == 0) {
		out->route = TG_ROUTE_METRICS;
		return;
	}
	if (strcmp(path, "/healthz") == 0) {
		out->route = TG_ROUTE_HEALTHZ;
		return;
	}
	if (strcmp(path, "/readyz") == 0) {
		out->route = TG_ROUTE_READYZ;
		return;
	}
	if (strcmp(path, "/simple") == 0) {
		out->route = TG_ROUTE_REDIRECT;
		tg_strlcpy(out->location, "simple/", sizeof(out->location));
		return;
	}
	if (strcmp(path, "/simple/") == 0) {
		out->route = TG_ROUTE_INDEX;
		return;
	}
	if (tg_str_starts_with(path, "/simple/")) {
		size_t nlen;
		rest = path + 8;
		slash = strchr(rest, '/');
		nlen = slash ? (size_t)(slash - rest) : strlen(rest);
		if (slash && slash[1] != 0)
			return; /* deeper paths do not exist */
		if (nlen == 0 || nlen > TG_PROXY_NAME_MAX || !tg_pep508_name_valid(rest, nlen))
			return;
		tg_pep503_normalize(rest, nlen, out->project);
		if (!slash) {
			/* "/simple/Foo" -> "Foo/" relative to "/simple/" */
			set_redirect(out, "", out->project);
			return;
		}
		if (strncmp(rest, out->project, nlen) != 0 || strlen(out->project) != nlen) {
			set_redirect(out, "../", out->project);
			return;
		}
		out->route = TG_ROUTE_PROJECT;
		return;
	}
	if (tg_str_starts_with(path, "/files/")) {
		size_t nlen, flen;
		rest = path + 7;
		slash = strchr(rest, '/');
		if (!slash)
			return;
		nlen = (size_t)(slash - rest);
		if (nlen == 0 || nlen > TG_PROXY_NAME_MAX || !tg_pep508_name_valid(rest, nlen))
			return;
		tg_pep503_normalize(rest, nlen, out->project);
		if (strncmp(rest, out->project, nlen) != 0 || strlen(out->project) != nlen)
			return; /* file URLs are ours: always normalised */
		flen = strlen(slash + 1);
		if (flen == 0 || flen > TG_PROXY_FILE_MAX + 9)
			return;
		if (tg_str_ends_with(slash + 1, ".metadata")) {
			out->metadata = true;
			flen -= 9;
		}
		if (flen == 0 || flen > TG_PROXY_FILE_MAX)
			return;
		memcpy(out->filename, slash + 1, flen);
		out->filename[flen] = 0;
		if (!tg_dist_filename_ok(out->filename)) {
			out->filename[0] = 0;
			return;
		}
		out->route = TG_ROUTE_FILE;
		return;
	}
}

/* ---- Authorization ---- */

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/* Standard base64 with optional padding; false on junk or overflow. */
static bool b64_decode(const char *s, char *out, size_t outsz, size_t *outlen)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0, i;
	bool pad = false;

	for (i = 0; s[i]; i++) {
		int v;
		if (s[i] == '=') {
			pad = true;
			continue;
		}
		if (pad)
			return false;
		v = b64_val((unsigned char)s[i]);
		if (v < 0)
			return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= outsz)
				return false;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = 0;
	*outlen = n;
	return true;
}

static bool secret_eq(const char *a, size_t alen, const char *b)
{
	unsigned char da[SHA256_DIGEST_LENGTH], db[SHA256_DIGEST_LENGTH];

	/* Comparing digests keeps the time independent of where, or
	 * whether, the lengths differ. */
	SHA256((const unsigned char *)a, alen, da);
	SHA256((const unsigned char *)b, strlen(b), db);
	return CRYPTO_memcmp(da, db, sizeof(da)) == 0;
}

bool tg_proxy_auth_ok(const char *header, const char *token)
{
	char dec[1100];
	size_t n, hl;
	const char *colon;

	if (!token)
		return true;
	if (!header)
		return false;
	hl = strnlen(header, 2048);
	if (hl >= 2048)
		return false;
	if (tg_ascii_ncasecmp(header, "Bearer ", 7) == 0) {
		header += 7;
		while (*header == ' ')
			header++;
		return secret_eq(header, strlen(header), token);
	}
	if (tg_ascii_ncasecmp(header, "Basic ", 6) == 0) {
		header += 6;
		while (*header == ' ')
			header++;
		if (strlen(header) > 1400 || !b64_decode(header, dec, sizeof(dec), &n))
			return false;
		if (memchr(dec, 0, n))
			return false;
		colon = strchr(dec, ':');
		if (!colon)
			return false;
		return secret_eq(colon + 1, n - (size_t)(colon + 1 - dec), token);
	}
	return false;
}

/* Package building, hash pins and text checks shared by the parsers. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/b64.h"
#include "tollgate/pep503.h"
#include "tollgate/str.h"

void in_line_col(const char *data, size_t off, unsigned long *line,
		 unsigned long *col)
{
	unsigned long l = 1;
	size_t i, bol = 0;

	for (i = 0; i < off; i++) {
		if (data[i] == '\n') {
			l++;
			bol = i + 1;
		}
	}
	*line = l;
	*col = (unsigned long)(off - bol) + 1;
}

int in_check_text(const char *data, size_t len, const char *origin,
		  size_t *skip, struct tg_err *err)
{
	unsigned long line, col;
	const char *nul;
	size_t bad;

	*skip = 0;
	nul = memchr(data, '\0', len);
	if (nul) {
		in_line_col(data, (size_t)(nul - data), &line, &col);
		return tg_err_at(err, TG_EPARSE, origin, line, col,
				 "NUL byte in a text file (binary input?)");
	}
	if (!tg_utf8_valid(data, len, &bad)) {
		in_line_col(data, bad, &line, &col);
		return tg_err_at(err, TG_EPARSE, origin, line, col,
				 "invalid UTF-8 (byte 0x%02x)",
				 (unsigned char)data[bad]);
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		*skip = 3;
	return 0;
}

static bool name_ok(const char *name)
{
	size_t n = strlen(name);
	size_t i;

	if (n == 0 || n > IN_MAX_NAME)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

struct tg_package *in_add(struct tg_inventory *inv, enum tg_ecosystem eco,
			  const char *name, const char *version,
			  const char *origin, unsigned long line, unsigned flags,
			  struct tg_err *err)
{
	struct tg_package tmpl;
	struct tg_package *p;
	char *norm = NULL;

	if (!name || !name_ok(name)) {
		tg_err_at(err, TG_EINVAL, origin, line, 0,
			  "package name is empty, too long or has control characters");
		return NULL;
	}
	if (version && (strlen(version) > IN_MAX_VERSION || !name_ok(version))) {
		tg_err_at(err, TG_EINVAL, origin, line, 0,
			  "version of '%s' is empty, too long or has control characters",
			  name);
		return NULL;
	}
	if (eco == TG_ECO_PYPI) {
		norm = tg_pep503_normalize_dup(name, strlen(name));
		if (!norm) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
	}
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.eco = eco;
	tmpl.name = (char *)name;
	tmpl.norm_name = norm ? norm : (char *)name;
	tmpl.version = (char *)version;
	tmpl.origin_path = (char *)origin;
	tmpl.origin_line = line;
	tmpl.flags = flags | (version ? 0u : (unsigned)TG_PKG_UNPINNED);
	p = tg_inventory_add(inv, &tmpl, err);
	free(norm);
	if (!p)
		tg_err_locate(err, origin, line, 0);
	return p;
}

int in_setn(char **field, const char *s, size_t n, struct tg_err *err)
{
	char *d = tg_strndup(s, n);

	if (!d)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	free(*field);
	*field = d;
	return 0;
}

int in_set(char **field, const char *s, struct tg_err *err)
{
	if (!s)
		return 0;
	return in_setn(field, s, strlen(s), err);
}

/* Digest sizes (hex digits) of the algorithms lockfiles use. */
static size_t hex_len_for(const char *alg)
{
	static const struct { const char *alg; size_t hex; } known[] = {
		{ "md5", 32 }, { "sha1", 40 }, { "sha224", 56 }, { "sha256", 64 },
		{ "sha384", 96 }, { "sha512", 128 }, { "sha3_256", 64 },
		{ "sha3_384", 96 }, { "sha3_512", 128 }, { "blake2b_256", 64 },
		{ "blake2b_384", 96 }, { "blake2b_512", 128 },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (tg_ascii_casecmp(alg, known[i].alg) == 0)
			return known[i].hex;
	return 0;
}

int in_add_hash(struct tg_package *p, const char *alg, const char *hex,
		struct tg_err *err)
{
	size_t n = strlen(hex), want, i, alen = strlen(alg);

	if (alen == 0 || alen > 32)
		return tg_err_set(err, TG_EINVAL, "bad hash algorithm name");
	for (i = 0; i < alen; i++) {
		char c = alg[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return tg_err_set(err, TG_EINVAL,
					  "bad hash algorithm name '%.32s'", alg);
	}
	want = hex_len_for(alg);
	if (n == 0 || n > 256 || (want && n != want))
		return tg_err_set(err, TG_EINVAL,
				  "%s digest has %zu hex digits, expected %zu", alg,
				  n, want);
	for (i = 0; i < n; i++) {
		char c = hex[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F')))
			return tg_err_set(err, TG_EINVAL,
					  "%s digest is not hexadecimal", alg);
	}
	for (i = 0; i < p->n_hashes; i++)
		if (tg_ascii_casecmp(p->hashes[i].alg, alg) == 0 &&
		    tg_ascii_casecmp(p->hashes[i].hex, hex) == 0)
			return 0; /* the same pin twice is one pin */
	return tg_package_add_hash(p, alg, hex, err);
}

int in_add_hash_spec(struct tg_package *p, const char *spec,
		     struct tg_err *err)
{
	const char *sep = strpbrk(spec, ":=");
	char alg[33];
	size_t n;

	if (!sep || sep == spec)
		return tg_err_set(err, TG_EINVAL,
				  "hash '%.80s' is not ALGORITHM:HEXDIGEST", spec);
	n = (size_t)(sep - spec);
	if (n >= sizeof(alg))
		return tg_err_set(err, TG_EINVAL, "hash algorithm name too long");
	memcpy(alg, spec, n);
	alg[n] = '\0';
	return in_add_hash(p, alg, sep + 1, err);
}

int in_add_integrity(struct tg_package *p, const char *sri,
		     struct tg_err *err)
{
	const char *s = sri;
	int rc = 0;

	while (*s) {
		const char *end, *dash, *opt;
		unsigned char raw[130];
		char hex[261], alg[16];
		size_t n, b64len;
		long dec;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		end = s;
		while (*end && *end != ' ' && *end != '\t')
			end++;
		dash = memchr(s, '-', (size_t)(end - s));
		if (!dash || dash == s || (size_t)(dash - s) >= sizeof(alg))
			return tg_err_set(err, TG_EINVAL,
					  "integrity '%.80s' is not ALG-BASE64", sri);
		n = (size_t)(dash - s);
		memcpy(alg, s, n);
		alg[n] = '\0';
		/* SRI allows "?options" after the digest. */
		opt = memchr(dash + 1, '?', (size_t)(end - dash - 1));
		b64len = (size_t)((opt ? opt : end) - (dash + 1));
		if (b64len == 0 || b64len % 4 != 0 || b64len > 172)
			return tg_err_set(err, TG_EINVAL,
					  "integrity digest for %s is not base64", alg);
		/* Standard alphabet, padded (the SRI format). */
		dec = tg_b64_decode_into(dash + 1, b64len, TG_B64_STD, raw, sizeof(raw));
		if (dec < 0)
			return tg_err_set(err, TG_EINVAL,
					  "integrity digest for %s is not base64", alg);
		tg_hex_encode(raw, (size_t)dec, hex);
		rc = in_add_hash(p, alg, hex, err);
		if (rc)
			return rc;
		s = end;
	}
	return rc;
}

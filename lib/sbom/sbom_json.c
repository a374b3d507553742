/* JSON helpers shared by the CycloneDX and SPDX writers. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "sbom_internal.h"
#include "tollgate/str.h"

json_t *sbom_jstr(const char *s)
{
	size_t bad, n;
	char *copy;
	json_t *j;

	if (!s)
		return json_null();
	n = strlen(s);
	if (tg_utf8_valid(s, n, &bad))
		return json_stringn(s, n);
	copy = tg_strdup(s);
	if (!copy)
		return NULL;
	while (!tg_utf8_valid(copy, n, &bad))
		copy[bad] = '?';
	j = json_stringn(copy, n);
	free(copy);
	return j;
}

void sbom_put(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (!v || json_object_set_new(o, key, v))
		*ok = false;
}

void sbom_append(json_t *a, json_t *v, bool *ok)
{
	if (!v || json_array_append_new(a, v))
		*ok = false;
}

const char *sbom_hash_alg(const char *alg, enum tg_sbom_format fmt)
{
	static const struct { const char *ours, *cdx, *spdx; } map[] = {
		{ "md5", "MD5", "MD5" },
		{ "sha1", "SHA-1", "SHA1" },
		{ "sha224", NULL, "SHA224" },
		{ "sha256", "SHA-256", "SHA256" },
		{ "sha384", "SHA-384", "SHA384" },
		{ "sha512", "SHA-512", "SHA512" },
		{ "sha3_256", "SHA3-256", "SHA3-256" },
		{ "sha3_384", "SHA3-384", "SHA3-384" },
		{ "sha3_512", "SHA3-512", "SHA3-512" },
		{ "blake2b_256", "BLAKE2b-256", "BLAKE2b-256" },
		{ "blake2b_384", "BLAKE2b-384", "BLAKE2b-384" },
		{ "blake2b_512", "BLAKE2b-512", "BLAKE2b-512" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(alg, map[i].ours) == 0)
			return fmt == TG_SBOM_SPDX ? map[i].spdx : map[i].cdx;
	return NULL;
}

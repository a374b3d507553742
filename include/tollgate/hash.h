/* SHA-256 / SHA-512 through libcrypto (EVP). */
#ifndef TOLLGATE_HASH_H
#define TOLLGATE_HASH_H

#include <stddef.h>

#include "tollgate/err.h"

#define TG_SHA256_LEN 32
#define TG_SHA512_LEN 64

enum tg_hash_alg { TG_HASH_SHA256, TG_HASH_SHA384, TG_HASH_SHA512 };

/* Opaque streaming context; tg_hash_free() releases it. */
struct tg_hash;

struct tg_hash *tg_hash_new(enum tg_hash_alg alg, struct tg_err *err);
int tg_hash_update(struct tg_hash *h, const void *p, size_t n,
		   struct tg_err *err);
/* Writes the digest to out (outsz >= digest length); *outlen gets its size. */
int tg_hash_final(struct tg_hash *h, unsigned char *out, size_t outsz,
		  size_t *outlen, struct tg_err *err);
void tg_hash_free(struct tg_hash *h);

size_t tg_hash_len(enum tg_hash_alg alg);

int tg_sha256(const void *p, size_t n, unsigned char out[TG_SHA256_LEN],
	      struct tg_err *err);
int tg_sha512(const void *p, size_t n, unsigned char out[TG_SHA512_LEN],
	      struct tg_err *err);
/* Hash a file's content in streaming fashion; *size gets its length. */
int tg_hash_file(const char *path, enum tg_hash_alg alg, unsigned char *out,
		 size_t outsz, unsigned long long *size, struct tg_err *err);

#endif

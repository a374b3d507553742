#define _POSIX_C_SOURCE 200809L
#include "tollgate/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lazy/lazy.h"

struct tg_hash {
	EVP_MD_CTX *ctx;
};

static const EVP_MD *md_of(enum tg_hash_alg alg)
{
	switch (alg) {
	case TG_HASH_SHA256: return EVP_sha256();
	case TG_HASH_SHA384: return EVP_sha384();
	case TG_HASH_SHA512: return EVP_sha512();
	}
	return NULL;
}

size_t tg_hash_len(enum tg_hash_alg alg)
{
	switch (alg) {
	case TG_HASH_SHA256: return 32;
	case TG_HASH_SHA384: return 48;
	case TG_HASH_SHA512: return 64;
	}
	return 0;
}

struct tg_hash *tg_hash_new(enum tg_hash_alg alg, struct tg_err *err)
{
	struct tg_hash *h;

	/* Says which library is missing, where the digest calls below
	 * would only fail. */
	if (tg_lazy_require(TG_LAZY_CRYPTO, "hashing", err))
		return NULL;
	if (!(h = calloc(1, sizeof(*h)))) {
		tg_err_set(err, TG_ENOMEM, "out of memory");
		return NULL;
	}
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, md_of(alg), NULL) != 1) {
		tg_err_set(err, TG_EINTERNAL, "libcrypto digest init failed");
		tg_hash_free(h);
		return NULL;
	}
	return h;
}

int tg_hash_update(struct tg_hash *h, const void *p, size_t n,
		   struct tg_err *err)
{
	if (EVP_DigestUpdate(h->ctx, p, n) != 1)
		return tg_err_set(err, TG_EINTERNAL, "libcrypto digest update failed");
	return 0;
}

int tg_hash_final(struct tg_hash *h, unsigned char *out, size_t outsz,
		  size_t *outlen, struct tg_err *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_DigestFinal_ex(h->ctx, md, &len) != 1)
		return tg_err_set(err, TG_EINTERNAL, "libcrypto digest final failed");
	if (outsz < len)
		return tg_err_set(err, TG_EINTERNAL, "digest buffer too small");
	memcpy(out, md, len);
	if (outlen)
		*outlen = len;
	return 0;
}

void tg_hash_free(struct tg_hash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

static int oneshot(enum tg_hash_alg alg, const void *p, size_t n,
		   unsigned char *out, size_t outsz, struct tg_err *err)
{
	struct tg_hash *h = tg_hash_new(alg, err);
	int rc;

	if (!h)
		return err ? (int)err->code : TG_ENOMEM;
	rc = tg_hash_update(h, p, n, err);
	if (!rc)
		rc = tg_hash_final(h, out, outsz, NULL, err);
	tg_hash_free(h);
	return rc;
}

int tg_sha256(const void *p, size_t n, unsigned char out[TG_SHA256_LEN],
	      struct tg_err *err)
{
	return oneshot(TG_HASH_SHA256, p, n, out, TG_SHA256_LEN, err);
}

int tg_sha512(const void *p, size_t n, unsigned char out[TG_SHA512_LEN],
	      struct tg_err *err)
{
	return oneshot(TG_HASH_SHA512, p, n, out, TG_SHA512_LEN, err);
}

int tg_hash_file(const char *path, enum tg_hash_alg alg, unsigned char *out,
		 size_t outsz, unsigned long long *size, struct tg_err *err)
{
	unsigned char chunk[65536];
	struct tg_hash *h = NULL;
	unsigned long long total = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tg_err_at(err, TG_EIO, path, 0, 0, "cannot open: %s",
				 strerror(errno));
	h = tg_hash_new(alg, err);
	if (!h) {
		rc = TG_ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = tg_err_at(err, TG_EIO, path, 0, 0, "read failed: %s",
				       strerror(errno));
			goto out;
		}
		if (!n)
			break;
		total += (unsigned long long)n;
		rc = tg_hash_update(h, chunk, (size_t)n, err);
		if (rc)
			goto out;
	}
	rc = tg_hash_final(h, out, outsz, NULL, err);
	if (!rc && size)
		*size = total;
out:
	tg_hash_free(h);
	close(fd);
	return rc;
}

/* Base64, strict (internal header): Sigstore bundles, RECORD files and
 * the integrity strings of npm lockfiles.
 *
 * Sigstore bundles use the standard alphabet with padding; wheel RECORD
 * files use the URL-safe alphabet without padding. libcrypto's
 * EVP_DecodeBlock knows only the first and pads its output, so both go
 * through this strict decoder instead.
 */
#ifndef TG_CORE_B64_H
#define TG_CORE_B64_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"

enum tg_b64_alphabet { TG_B64_STD, TG_B64_URL };

/* Decode s[0..n) into out (appended). Padding is optional; characters
 * outside the alphabet, misplaced padding or impossible lengths fail with
 * TG_EPARSE. */
int tg_b64_decode(const char *s, size_t n, enum tg_b64_alphabet alpha,
		  struct tg_buf *out, struct tg_err *err);

/* Decode into a fixed array; false unless the result is exactly outlen. */
bool tg_b64_decode_exact(const char *s, size_t n, enum tg_b64_alphabet alpha,
			 unsigned char *out, size_t outlen);

/* Decode into out (cap bytes); the decoded length, or -1 when the text
 * is not base64 or decodes to more than cap bytes. */
long tg_b64_decode_into(const char *s, size_t n, enum tg_b64_alphabet alpha,
			unsigned char *out, size_t cap);

/* Standard base64 with padding of in[0..n), appended to out. */
int tg_b64_encode(const unsigned char *in, size_t n, struct tg_buf *out,
		  struct tg_err *err);

#endif

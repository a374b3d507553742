/* Small string helpers that replace the banned libc functions.
 * Functions returning char * return heap memory the caller frees, or NULL
 * when allocation fails. */
#ifndef TOLLGATE_STR_H
#define TOLLGATE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/err.h"

/* Copy src into dst (size dstsz), always NUL-terminating; returns strlen(src)
 * so that truncation shows as a result >= dstsz. */
size_t tg_strlcpy(char *dst, const char *src, size_t dstsz);
/* FNV-1a of s, continuing from seed (use TG_STR_HASH_SEED to start): for
 * the in-memory hash tables, not for anything an attacker should not be
 * able to collide. */
#define TG_STR_HASH_SEED 2166136261u
uint32_t tg_str_hash(const char *s, uint32_t seed);
char *tg_strdup(const char *s);
char *tg_strndup(const char *s, size_t n);
/* tg_strdup of an optional string: NULL stays NULL; on ENOMEM returns NULL
 * and sets *ok to false (so a run of copies can be checked once). */
char *tg_strdup_opt(const char *s, bool *ok);
/* Append a heap copy of s to the string array *v of *n entries (at most
 * max); `what` names the entries in the TG_ELIMIT message. */
int tg_strv_push(char ***v, size_t *n, const char *s, size_t max,
		 const char *what, struct tg_err *err);
/* printf into a new heap string. */
char *tg_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool tg_str_starts_with(const char *s, const char *prefix);
bool tg_str_ends_with(const char *s, const char *suffix);
/* ASCII-only case folding (locale independent). */
char tg_ascii_lower(char c);
int tg_ascii_casecmp(const char *a, const char *b);
int tg_ascii_ncasecmp(const char *a, const char *b, size_t n);

/* Parse a whole decimal string s[0..n) as uint64 (no sign, no spaces);
 * false on empty, junk or overflow. */
bool tg_parse_u64(const char *s, size_t n, uint64_t *out);
/* Parse a base-10 signed integer occupying all of s. */
bool tg_parse_i64(const char *s, int64_t *out);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void tg_hex_encode(const unsigned char *in, size_t n, char *out);
/* Decode exactly 2*outlen hex digits; false on bad input. */
bool tg_hex_decode(const char *hex, size_t hexlen, unsigned char *out,
		   size_t outlen);

/* Validate that p[0..n) is well-formed UTF-8 (no overlongs, no surrogates,
 * max U+10FFFF). On failure *bad_off is the offset of the first bad byte. */
bool tg_utf8_valid(const char *p, size_t n, size_t *bad_off);

#endif

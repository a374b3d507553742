/* Helpers shared by the vet sources (not part of the public API). */
#ifndef TG_VET_INTERNAL_H
#define TG_VET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one UTF-8 code point at s[*i] (i < n) and advance *i. Invalid
 * sequences (overlong, surrogate, truncated, > U+10FFFF) yield false and
 * advance by one byte so callers can keep walking. */
bool tg_vet_utf8_next(const char *s, size_t n, size_t *i, uint32_t *cp);

/* Code points that reorder or hide text on a terminal (bidi controls,
 * zero-width characters, C1 controls): never printed as they are. */
bool tg_vet_cp_invisible(uint32_t cp);

#endif

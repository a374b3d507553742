/* Shared between the PEP 440 version and specifier files. */
#ifndef TOLLGATE_PEP440_INTERNAL_H
#define TOLLGATE_PEP440_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/pep440.h"

/* Parser options: the version grammar inside a specifier is the same as
 * Version's minus what each operator forbids. */
#define PEP440_ALLOW_LOCAL 0x1u    /* "+label" */
#define PEP440_ALLOW_WILDCARD 0x2u /* ".*" right after the release */
#define PEP440_NEED_TWO 0x4u       /* at least two release numbers (~=) */
#define PEP440_NO_TRIM 0x8u        /* s has no surrounding whitespace */

/* Parse a version with options. *wildcard (may be NULL) tells whether a
 * trailing ".*" was seen. Columns in errors are 1-based from s + col_base. */
int pep440_parse_opts(const char *s, size_t n, unsigned opts,
		      struct tg_pep440 *out, bool *wildcard, size_t col_base,
		      struct tg_err *err);

/* Length in bytes of the (Python str.isspace) whitespace character at
 * s[0..n), or 0 when s does not start with one. */
size_t pep440_space_len(const char *s, size_t n);
/* Length of the whitespace character that ends s[0..n), or 0. */
size_t pep440_space_len_back(const char *s, size_t n);

/* Canonical text of v into out (cap bytes, NUL-terminated); returns the
 * length, or cap when it did not fit. parts: 0 full, 1 public, 2 base. */
size_t pep440_format(const struct tg_pep440 *v, int parts, char *out, size_t cap);

/* Bounded text writer used for canonical forms. */
struct pep440_out {
	char *p;
	size_t len, cap;
	bool overflow;
};
void pep440_out_add(struct pep440_out *o, const char *s, size_t n);
void pep440_out_num(struct pep440_out *o, const struct tg_pep440_num *num);
/* num + 1, in decimal. */
void pep440_out_num_plus_one(struct pep440_out *o,
			     const struct tg_pep440_num *num);

#endif

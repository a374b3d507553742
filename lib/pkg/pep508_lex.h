/* Tokens of PEP 508 dependency specifiers, matched the way packaging's
 * tokenizer matches them (its token rules are regular expressions applied
 * at the current position; where a rule's greedy match differs from a
 * tidier grammar, the greedy match is what decides validity).
 */
#ifndef TOLLGATE_PEP508_LEX_H
#define TOLLGATE_PEP508_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"

/* Python's str.isspace() character at s[i] (UTF-8): its length, or 0. */
size_t tg_py_space_at(const char *s, size_t n, size_t i);
/* Does a regex word boundary (\b) fall between s[i-1] and s[i]? */
bool tg_py_boundary(const char *s, size_t n, size_t i);
/* " \t" runs (the WS token): end of the run starting at i. */
size_t tg_pep508_ws_end(const char *s, size_t n, size_t i);

/* IDENTIFIER: \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b at i; returns the end, or i
 * when none matches. */
size_t tg_pep508_identifier_end(const char *s, size_t n, size_t i);

/* SPECIFIER: one version specifier ("~=1.2", "== 1.0.*", "===foo") at i;
 * returns the end, or i. */
size_t tg_pep508_specifier_end(const char *s, size_t n, size_t i);
/* Would packaging's Specifier() accept s[0..n) (surrounding whitespace
 * allowed)? */
bool tg_pep508_specifier_valid(const char *s, size_t n);

/* QUOTED_STRING: '...' or "..." (no escapes recognised by the token) at
 * i; returns the end, or i. */
size_t tg_pep508_quoted_end(const char *s, size_t n, size_t i);
/* The value of a Python string literal s[a..b) (quotes included), as
 * ast.literal_eval() gives it, UTF-8 encoded, appended to out. On a
 * literal Python rejects, returns TG_EPARSE with *bad_at set to the
 * offending offset. */
int tg_py_string_value(const char *s, size_t a, size_t b, struct tg_buf *out,
		       size_t *bad_at, struct tg_err *err);

#endif

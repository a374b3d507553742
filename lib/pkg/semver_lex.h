/* Scanners shared by the npm semver version and range parsers.
 *
 * node-semver defines its syntax with JavaScript regular expressions and
 * rewrites ranges textually before parsing the comparators that remain.
 * To give the same answers we need the same notion of "where a version
 * ends" in every context: these scanners implement the version grammar
 * once, with the matching rules of those expressions (greedy, with the
 * few backtracking cases that change an outcome handled explicitly).
 */
#ifndef TOLLGATE_SEMVER_LEX_H
#define TOLLGATE_SEMVER_LEX_H

#include <stdbool.h>
#include <stddef.h>

struct tg_sv_span {
	size_t a, b; /* [a, b) in the scanned string; a == b when absent */
	bool set;
};

enum tg_sv_kind {
	TG_SV_FULL,   /* MAJOR.MINOR.PATCH[-PRE][+BUILD] */
	TG_SV_XRANGE  /* X[.X[.X[-PRE][+BUILD]]] where X may be x, X or * */
};

struct tg_sv_plain {
	size_t body;          /* first byte after the v / = / space prefix */
	struct tg_sv_span M, m, p, pre, build;
	size_t fail_pos;      /* on failure: where the scan stopped */
	const char *expected; /* on failure: what was wanted there */
};

/* Length of the JavaScript whitespace character (\s, UTF-8 encoded) at
 * s[i], or 0. */
size_t tg_sv_space_at(const char *s, size_t n, size_t i);
/* Length of the JavaScript whitespace character ending at s[end - 1]. */
size_t tg_sv_space_before(const char *s, size_t end);
/* Trim JavaScript whitespace from both ends of [*a, *b). */
void tg_sv_trim(const char *s, size_t *a, size_t *b);

bool tg_sv_is_id_char(char c);
bool tg_sv_is_digit(char c);
bool tg_sv_is_x(char c);

/* Does s[a..b) match the version grammar of `kind` exactly? The prefix is
 * "v?" for strict TG_SV_FULL and any run of v, = and whitespace
 * otherwise. Numbers are "0|[1-9][0-9]*" strictly and "[0-9]+" when
 * loose; loose prereleases may omit their hyphen. */
bool tg_sv_plain_exact(const char *s, size_t a, size_t b, enum tg_sv_kind kind,
		       bool loose, struct tg_sv_plain *out);

/* Where a loose full version starting at s[i] (prefix included) ends when
 * nothing has to follow it, or i when none starts there. */
size_t tg_sv_loose_full_end(const char *s, size_t n, size_t i);
/* Same for a strict partial version; i when none starts there. */
size_t tg_sv_xrange_end(const char *s, size_t n, size_t i);

/* JavaScript string length (UTF-16 code units) of UTF-8 text. */
size_t tg_sv_js_length(const char *s, size_t n);

#endif

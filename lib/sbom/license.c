/* SPDX license expressions (SPDX 2.3, annex D), checked against the SPDX
 * license list ids this build carries (spdx_ids.c):
 *
 *   expr     = and-expr *( "OR" and-expr )
 *   and-expr = with-expr *( "AND" with-expr )
 *   with     = simple [ "WITH" exception-id ]
 *   simple   = license-id [ "+" ] / "(" expr ")"
 *
 * Operators are accepted in upper or lower case and written in upper
 * case; ids are matched case-insensitively and written as the list spells
 * them. LicenseRef- and DocumentRef- are not accepted: an SBOM would have
 * to define them, and the writers handle free text themselves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbom_internal.h"
#include "tollgate/str.h"

#define MAX_DEPTH 32

struct lex {
	const char *s;
	size_t pos;
	char *out;
	size_t outsz;
	size_t len;
	bool ok;
	unsigned depth;
	bool need_space;
};

static int cmp_ci(const void *key, const void *elem)
{
	return tg_ascii_casecmp((const char *)key, *(const char *const *)elem);
}

static const char *lookup(const char *const *tab, size_t n, const char *id)
{
	const char *const *hit = bsearch(id, tab, n, sizeof(*tab), cmp_ci);

	return hit ? *hit : NULL;
}

bool tg_spdx_license_known(const char *id)
{
	return id && lookup(sbom_spdx_licenses, sbom_spdx_licenses_count, id) != NULL;
}

static void emit(struct lex *x, const char *t)
{
	size_t n = strlen(t);
	bool open = strcmp(t, "(") == 0, close = strcmp(t, ")") == 0;

	if (!x->ok)
		return;
	if (x->need_space && !close) {
		if (x->len + 1 >= x->outsz) {
			x->ok = false;
			return;
		}
		x->out[x->len++] = ' ';
	}
	if (x->len + n >= x->outsz) {
		x->ok = false;
		return;
	}
	memcpy(x->out + x->len, t, n);
	x->len += n;
	x->out[x->len] = '\0';
	x->need_space = !open;
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+';
}

/* Next token into tok (size 128): "(", ")", or a word. Empty at the end;
 * false on a character that cannot start a token or a too-long word. */
static bool next_token(struct lex *x, char tok[128])
{
	size_t n = 0;

	while (x->s[x->pos] == ' ' || x->s[x->pos] == '\t')
		x->pos++;
	tok[0] = '\0';
	if (!x->s[x->pos])
		return true;
	if (x->s[x->pos] == '(' || x->s[x->pos] == ')') {
		tok[0] = x->s[x->pos++];
		tok[1] = '\0';
		return true;
	}
	while (word_char(x->s[x->pos])) {
		if (n >= 127)
			return false;
		tok[n++] = x->s[x->pos++];
	}
	tok[n] = '\0';
	return n > 0;
}

static bool peek(struct lex *x, char tok[128])
{
	size_t save = x->pos;
	bool ok = next_token(x, tok);

	x->pos = save;
	return ok;
}

static bool is_op(const char *t, const char *op)
{
	size_t i;
	bool upper = true, lower = true;

	if (strlen(t) != strlen(op))
		return false;
	for (i = 0; op[i]; i++) {
		upper = upper && t[i] == op[i];
		lower = lower && t[i] == tg_ascii_lower(op[i]);
	}
	return upper || lower;
}

static bool parse_expr(struct lex *x);

static bool parse_simple(struct lex *x)
{
	char tok[128];
	const char *id;

	if (!next_token(x, tok) || !tok[0])
		return false;
	if (strcmp(tok, "(") == 0) {
		if (++x->depth > MAX_DEPTH)
			return false;
		emit(x, "(");
		if (!parse_expr(x) || !next_token(x, tok) || strcmp(tok, ")") != 0)
			return false;
		x->depth--;
		emit(x, ")");
		return true;
	}
	if (strcmp(tok, ")") == 0 || is_op(tok, "AND") || is_op(tok, "OR") ||
	    is_op(tok, "WITH"))
		return false;
	id = lookup(sbom_spdx_licenses, sbom_spdx_licenses_count, tok);
	if (id) {
		emit(x, id);
		return true;
	}
	/* "Apache-2.0+": an id followed by '+' (or later versions) */
	if (strlen(tok) > 1 && tok[strlen(tok) - 1] == '+') {
		char base[128];

		tg_strlcpy(base, tok, sizeof(base));
		base[strlen(base) - 1] = '\0';
		id = lookup(sbom_spdx_licenses, sbom_spdx_licenses_count, base);
		if (id) {
			char plus[130];

			snprintf(plus, sizeof(plus), "%s+", id);
			emit(x, plus);
			return true;
		}
	}
	return false;
}

static bool parse_with(struct lex *x)
{
	char tok[128];

	if (!parse_simple(x))
		return false;
	if (!peek(x, tok))
		return false;
	if (is_op(tok, "WITH")) {
		const char *ex;

		next_token(x, tok);
		if (!next_token(x, tok))
			return false;
		ex = lookup(sbom_spdx_exceptions, sbom_spdx_exceptions_count, tok);
		if (!ex)
			return false;
		emit(x, "WITH");
		emit(x, ex);
	}
	return true;
}

static bool parse_and(struct lex *x)
{
	char tok[128];

	if (!parse_with(x))
		return false;
	for (;;) {
		if (!peek(x, tok))
			return false;
		if (!is_op(tok, "AND"))
			return true;
		next_token(x, tok);
		emit(x, "AND");
		if (!parse_with(x))
			return false;
	}
}

static bool parse_expr(struct lex *x)
{
	char tok[128];

	if (!parse_and(x))
		return false;
	for (;;) {
		if (!peek(x, tok))
			return false;
		if (!is_op(tok, "OR"))
			return true;
		next_token(x, tok);
		emit(x, "OR");
		if (!parse_and(x))
			return false;
	}
}

bool tg_spdx_expression(const char *s, char *out, size_t outsz)
{
	struct lex x = { 0 };
	char tok[128];

	if (!s || !out || outsz == 0 || strlen(s) > 4096)
		return false;
	x.s = s;
	x.out = out;
	x.outsz = outsz;
	x.ok = true;
	out[0] = '\0';
	if (!parse_expr(&x) || !next_token(&x, tok) || tok[0] || !x.ok) {
		out[0] = '\0';
		return false;
	}
	return true;
}

#include "pkg/pep508_lex.h"

#include <string.h>

size_t tg_py_space_at(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;

	if (i >= n)
		return 0;
	if (u[i] == ' ' || (u[i] >= '\t' && u[i] <= '\r') ||
	    (u[i] >= 0x1c && u[i] <= 0x1f))
		return 1;
	if (u[i] == 0xC2 && i + 1 < n && (u[i + 1] == 0x85 || u[i + 1] == 0xA0))
		return 2;
	if (i + 2 >= n)
		return 0;
	if (u[i] == 0xE1 && u[i + 1] == 0x9A && u[i + 2] == 0x80) /* U+1680 */
		return 3;
	if (u[i] == 0xE2 && u[i + 1] == 0x80 &&
	    ((u[i + 2] >= 0x80 && u[i + 2] <= 0x8A) || u[i + 2] == 0xA8 ||
	     u[i + 2] == 0xA9 || u[i + 2] == 0xAF))
		return 3;
	if (u[i] == 0xE2 && u[i + 1] == 0x81 && u[i + 2] == 0x9F) /* U+205F */
		return 3;
	if (u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) /* U+3000 */
		return 3;
	return 0;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Python's \w: ASCII letters, digits and '_'; beyond ASCII we count every
 * character that is not a space as a word character (letters and digits
 * are what appears in practice; punctuation there is rare). */
static bool is_word_at(const char *s, size_t n, size_t i)
{
	unsigned char c;

	if (i >= n)
		return false;
	c = (unsigned char)s[i];
	if (c < 0x80)
		return is_alnum((char)c) || c == '_';
	if ((c & 0xC0) == 0x80)
		return true; /* inside a character that started earlier */
	return tg_py_space_at(s, n, i) == 0;
}

bool tg_py_boundary(const char *s, size_t n, size_t i)
{
	bool before = i > 0 && is_word_at(s, n, i - 1);

	return before != is_word_at(s, n, i);
}

size_t tg_pep508_ws_end(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

size_t tg_pep508_identifier_end(const char *s, size_t n, size_t i)
{
	size_t e, k;

	if (i >= n || !is_alnum(s[i]) || !tg_py_boundary(s, n, i))
		return i;
	e = i + 1;
	while (e < n && (is_alnum(s[e]) || s[e] == '.' || s[e] == '_' || s[e] == '-'))
		e++;
	/* the match must end on a word boundary: give back '.' and '-' */
	for (k = e; k > i; k--)
		if (tg_py_boundary(s, n, k))
			return k;
	return i;
}

/* ---- version specifiers --------------------------------------------- */

static size_t py_spaces_end(const char *s, size_t n, size_t i)
{
	size_t k;

	while ((k = tg_py_space_at(s, n, i)) > 0)
		i += k;
	return i;
}

static size_t digits_end(const char *s, size_t n, size_t i)
{
	while (i < n && is_digit(s[i]))
		i++;
	return i;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive literal at i: its end, or i. */
static size_t lit_end(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k, m = strlen(lit);

	if (i > n || n - i < m)
		return i;
	for (k = 0; k < m; k++)
		if (lower(s[i + k]) != lit[k])
			return i;
	return i + m;
}

static bool is_sep(const char *s, size_t n, size_t i)
{
	return i < n && (s[i] == '-' || s[i] == '_' || s[i] == '.');
}

/* First of the alternatives that matches at i (regex alternation order). */
static size_t label_end(const char *s, size_t n, size_t i, const char *const *alts)
{
	size_t e;

	for (; *alts; alts++)
		if ((e = lit_end(s, n, i, *alts)) > i)
			return e;
	return i;
}

/* "[-_.]?" LABEL "[-_.]?[0-9]*" */
static size_t labelled_end(const char *s, size_t n, size_t i,
			   const char *const *alts)
{
	size_t e = i;

	if (is_sep(s, n, i))
		e = label_end(s, n, i + 1, alts);
	if (e == i || e == i + 1)
		e = label_end(s, n, i, alts);
	if (e == i)
		return i;
	if (is_sep(s, n, e))
		e++;
	return digits_end(s, n, e);
}

static const char *const pre_labels[] = {
	"alpha", "beta", "preview", "pre", "a", "b", "c", "rc", NULL
};
static const char *const post_labels[] = { "post", "rev", "r", NULL };
static const char *const dev_labels[] = { "dev", NULL };

enum spec_family { FAM_EQ, FAM_COMPAT, FAM_ORDER };

static size_t version_end(const char *s, size_t n, size_t i, enum spec_family fam)
{
	size_t e, k;
	int dots = 0;

	i = py_spaces_end(s, n, i);
	if (i < n && (s[i] == 'v' || s[i] == 'V'))
		i++;
	e = digits_end(s, n, i);
	if (e > i && e + 1 < n && s[e] == '!' && is_digit(s[e + 1]))
		i = e + 1; /* epoch, when a release follows it */
	e = digits_end(s, n, i);
	if (e == i)
		return 0;
	while (e + 1 < n && s[e] == '.' && is_digit(s[e + 1])) {
		e = digits_end(s, n, e + 1);
		dots++;
	}
	if (fam == FAM_COMPAT && dots == 0)
		return 0;
	if (fam == FAM_EQ && e + 1 < n && s[e] == '.' && s[e + 1] == '*')
		return e + 2;
	e = labelled_end(s, n, e, pre_labels);
	/* post: "-N" first, then the labelled form */
	if (e + 1 < n && s[e] == '-' && is_digit(s[e + 1]))
		e = digits_end(s, n, e + 1);
	else
		e = labelled_end(s, n, e, post_labels);
	e = labelled_end(s, n, e, dev_labels);
	if (fam == FAM_EQ && e + 1 < n && s[e] == '+' && is_alnum(s[e + 1])) {
		k = e + 1;
		while (k < n && is_alnum(s[k]))
			k++;
		while (k + 1 < n && is_sep(s, n, k) && is_alnum(s[k + 1])) {
			k++;
			while (k < n && is_alnum(s[k]))
				k++;
		}
		e = k;
	}
	return e;
}

size_t tg_pep508_specifier_end(const char *s, size_t n, size_t i)
{
	size_t e;

	if (n - i >= 3 && memcmp(s + i, "===", 3) == 0) {
		e = py_spaces_end(s, n, i + 3);
		while (e < n && s[e] != ';' && s[e] != ')' && !tg_py_space_at(s, n, e))
			e++;
		return e;
	}
	if (n - i >= 2 && (memcmp(s + i, "==", 2) == 0 || memcmp(s + i, "!=", 2) == 0))
		e = version_end(s, n, i + 2, FAM_EQ);
	else if (n - i >= 2 && memcmp(s + i, "~=", 2) == 0)
		e = version_end(s, n, i + 2, FAM_COMPAT);
	else if (n - i >= 2 && (memcmp(s + i, "<=", 2) == 0 || memcmp(s + i, ">=", 2) == 0))
		e = version_end(s, n, i + 2, FAM_ORDER);
	else if (i < n && (s[i] == '<' || s[i] == '>'))
		e = version_end(s, n, i + 1, FAM_ORDER);
	else
		return i;
	return e ? e : i;
}

bool tg_pep508_specifier_valid(const char *s, size_t n)
{
	size_t a = py_spaces_end(s, n, 0), e;

	e = tg_pep508_specifier_end(s, n, a);
	return e > a && py_spaces_end(s, n, e) == n;
}

/* ---- quoted strings ---------------------------------------------------- */

size_t tg_pep508_quoted_end(const char *s, size_t n, size_t i)
{
	const char *close;

	if (i >= n || (s[i] != '\'' && s[i] != '"'))
		return i;
	close = memchr(s + i + 1, s[i], n - i - 1);
	return close ? (size_t)(close - s) + 1 : i;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Code point as UTF-8 (surrogates too, as Python strings may hold them). */
static int add_utf8(struct tg_buf *o, unsigned long cp, struct tg_err *err)
{
	char b[4];
	size_t k;

	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	return tg_buf_add(o, b, k, err);
}

static int bad_literal(struct tg_err *err, size_t *bad_at, size_t at,
		       const char *why)
{
	*bad_at = at;
	return tg_err_set(err, TG_EPARSE, "invalid quoted string: %s", why);
}

int tg_py_string_value(const char *s, size_t a, size_t b, struct tg_buf *out,
		       size_t *bad_at, struct tg_err *err)
{
	size_t i = a + 1, end = b - 1;
	int rc = 0;

	for (; !rc && i < end; i++) {
		char c = s[i];
		unsigned long cp;
		int k, d;

		if (c == '\n' || c == '\r')
			return bad_literal(err, bad_at, i, "a line break inside quotes");
		if (c == '\0')
			return bad_literal(err, bad_at, i, "a NUL byte");
		if (c != '\\') {
			rc = tg_buf_addc(out, c, err);
			continue;
		}
		if (++i >= end) /* the backslash escapes the closing quote */
			return bad_literal(err, bad_at, i - 1, "no closing quote");
		c = s[i];
		switch (c) {
		case '\n':
			break; /* line continuation */
		case '\r':
			if (i + 1 < end && s[i + 1] == '\n')
				i++;
			break;
		case '\\': case '\'': case '"':
			rc = tg_buf_addc(out, c, err);
			break;
		case 'a': rc = tg_buf_addc(out, '\a', err); break;
		case 'b': rc = tg_buf_addc(out, '\b', err); break;
		case 'f': rc = tg_buf_addc(out, '\f', err); break;
		case 'n': rc = tg_buf_addc(out, '\n', err); break;
		case 'r': rc = tg_buf_addc(out, '\r', err); break;
		case 't': rc = tg_buf_addc(out, '\t', err); break;
		case 'v': rc = tg_buf_addc(out, '\v', err); break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			cp = 0;
			for (k = 0; k < 3 && i < end && s[i] >= '0' && s[i] <= '7'; k++, i++)
				cp = cp * 8 + (unsigned long)(s[i] - '0');
			i--;
			rc = add_utf8(out, cp, err);
			break;
		case 'x': case 'u': case 'U': {
			int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			cp = 0;
			for (k = 0; k < want; k++) {
				if (i + 1 >= end || (d = hexval(s[i + 1])) < 0)
					return bad_literal(err, bad_at, i - 1,
							   "a truncated \\x, \\u or \\U escape");
				cp = cp * 16 + (unsigned long)d;
				i++;
			}
			if (cp > 0x10FFFF)
				return bad_literal(err, bad_at, i - want - 1,
						   "a code point above U+10FFFF");
			rc = add_utf8(out, cp, err);
			break;
		}
		case 'N':
			return bad_literal(err, bad_at, i - 1,
					   "\\N{...} escapes are not supported");
		default:
			/* unknown escapes stay as written */
			rc = tg_buf_addc(out, '\\', err);
			if (!rc)
				rc = tg_buf_addc(out, c, err);
		}
	}
	return rc;
}

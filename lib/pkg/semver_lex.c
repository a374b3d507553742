#include "pkg/semver_lex.h"

#include <string.h>

size_t tg_sv_space_at(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;

	if (i >= n)
		return 0;
	switch (u[i]) {
	case ' ': case '\t': case '\n': case '\v': case '\f': case '\r':
		return 1;
	case 0xC2: /* U+00A0 */
		return (i + 1 < n && u[i + 1] == 0xA0) ? 2 : 0;
	case 0xE1: /* U+1680 */
		return (i + 2 < n && u[i + 1] == 0x9A && u[i + 2] == 0x80) ? 3 : 0;
	case 0xE2:
		if (i + 2 >= n)
			return 0;
		if (u[i + 1] == 0x80 &&
		    ((u[i + 2] >= 0x80 && u[i + 2] <= 0x8A) || /* U+2000..200A */
		     u[i + 2] == 0xA8 || u[i + 2] == 0xA9 ||   /* U+2028, 2029 */
		     u[i + 2] == 0xAF))                        /* U+202F */
			return 3;
		if (u[i + 1] == 0x81 && u[i + 2] == 0x9F) /* U+205F */
			return 3;
		return 0;
	case 0xE3: /* U+3000 */
		return (i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0x80) ? 3 : 0;
	case 0xEF: /* U+FEFF */
		return (i + 2 < n && u[i + 1] == 0xBB && u[i + 2] == 0xBF) ? 3 : 0;
	default:
		return 0;
	}
}

size_t tg_sv_space_before(const char *s, size_t end)
{
	size_t k;

	/* Every JavaScript space is 1..3 bytes of UTF-8. */
	for (k = 1; k <= 3 && k <= end; k++)
		if (tg_sv_space_at(s, end, end - k) == k)
			return k;
	return 0;
}

void tg_sv_trim(const char *s, size_t *a, size_t *b)
{
	size_t k;

	while (*a < *b && (k = tg_sv_space_at(s, *b, *a)) > 0)
		*a += k;
	while (*b > *a && (k = tg_sv_space_before(s, *b)) > 0 && *b - k >= *a)
		*b -= k;
}

bool tg_sv_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool tg_sv_is_id_char(char c)
{
	return tg_sv_is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

bool tg_sv_is_x(char c)
{
	return c == 'x' || c == 'X' || c == '*';
}

static size_t run_end(const char *s, size_t n, size_t i, bool (*pred)(char))
{
	while (i < n && pred(s[i]))
		i++;
	return i;
}

static bool fail(struct tg_sv_plain *out, size_t pos, const char *expected)
{
	out->fail_pos = pos;
	out->expected = expected;
	return false;
}

/* v, = and whitespace, as in the "[v=\s]*" prefix. */
static size_t prefix_end(const char *s, size_t n, size_t i)
{
	size_t k;

	for (;;) {
		if (i < n && (s[i] == 'v' || s[i] == '='))
			i++;
		else if ((k = tg_sv_space_at(s, n, i)) > 0)
			i += k;
		else
			return i;
	}
}

/* Dot-separated identifiers filling s[a..e) exactly. Prerelease numbers
 * may not have leading zeros unless loose; build identifiers may. */
static bool ids_exact(const char *s, size_t a, size_t e, bool numeric_rule,
		      struct tg_sv_plain *out)
{
	size_t i = a;

	for (;;) {
		size_t start = i;
		bool digits_only = true;

		while (i < e && tg_sv_is_id_char(s[i])) {
			if (!tg_sv_is_digit(s[i]))
				digits_only = false;
			i++;
		}
		if (i == start)
			return fail(out, i, "an identifier ([0-9A-Za-z-])");
		if (numeric_rule && digits_only && i - start > 1 && s[start] == '0')
			return fail(out, start, "a number without leading zeros");
		if (i == e)
			return true;
		if (s[i] != '.')
			return fail(out, i, "'.', '+' or the end of the version");
		i++;
	}
}

static bool build_exact(const char *s, size_t i, size_t b, struct tg_sv_plain *out)
{
	if (i == b)
		return true;
	if (s[i] != '+')
		return fail(out, i, "'+' or the end of the version");
	if (!ids_exact(s, i + 1, b, false, out))
		return false;
	out->build.a = i + 1;
	out->build.b = b;
	out->build.set = true;
	return true;
}

static bool pre_build_exact(const char *s, size_t i, size_t b, bool loose,
			    struct tg_sv_plain *out)
{
	const char *plus = memchr(s + i, '+', b - i);
	size_t e = plus ? (size_t)(plus - s) : b;

	if (!ids_exact(s, i, e, !loose, out))
		return false;
	if (!build_exact(s, e, b, out))
		return false;
	out->pre.a = i;
	out->pre.b = e;
	out->pre.set = true;
	return true;
}

/* Optional prerelease then optional build, filling s[i..b) exactly. */
static bool rest_exact(const char *s, size_t i, size_t b, bool loose,
		       struct tg_sv_plain *out)
{
	out->pre.set = out->build.set = false;
	if (i == b)
		return true;
	if (s[i] == '+')
		return build_exact(s, i, b, out);
	if (!loose) {
		if (s[i] != '-')
			return fail(out, i, "'-', '+' or the end of the version");
		return pre_build_exact(s, i + 1, b, false, out);
	}
	/* Loose: the hyphen is optional, and when nothing valid follows it
	 * the hyphen itself is an identifier. */
	if (s[i] == '-' && pre_build_exact(s, i + 1, b, true, out))
		return true;
	return pre_build_exact(s, i, b, true, out);
}

/* One version component at s[i]; *e is where it ends. */
static bool component(const char *s, size_t b, size_t i, bool allow_x,
		      bool loose, size_t *e, struct tg_sv_plain *out)
{
	if (i < b && allow_x && tg_sv_is_x(s[i])) {
		*e = i + 1;
		return true;
	}
	if (i >= b || !tg_sv_is_digit(s[i]))
		return fail(out, i, allow_x ? "a number, 'x' or '*'" : "a number");
	if (!loose && s[i] == '0')
		*e = i + 1;
	else
		*e = run_end(s, b, i, tg_sv_is_digit);
	return true;
}

bool tg_sv_plain_exact(const char *s, size_t a, size_t b, enum tg_sv_kind kind,
		       bool loose, struct tg_sv_plain *out)
{
	bool allow_x = kind == TG_SV_XRANGE;
	struct tg_sv_plain natural;
	size_t i, e, k;

	memset(out, 0, sizeof(*out));
	if (kind == TG_SV_FULL && !loose)
		i = (a < b && s[a] == 'v') ? a + 1 : a;
	else
		i = prefix_end(s, b, a);
	out->body = i;

	if (!component(s, b, i, allow_x, loose, &e, out))
		return false;
	out->M = (struct tg_sv_span){ i, e, true };
	i = e;
	if (i == b && allow_x)
		return true;
	if (i >= b || s[i] != '.')
		return fail(out, i, "'.'");
	i++;
	if (!component(s, b, i, allow_x, loose, &e, out))
		return false;
	out->m = (struct tg_sv_span){ i, e, true };
	i = e;
	if (i == b && allow_x)
		return true;
	if (i >= b || s[i] != '.')
		return fail(out, i, "'.'");
	i++;
	if (!component(s, b, i, allow_x, loose, &e, out))
		return false;
	if (!loose || tg_sv_is_x(s[i])) {
		out->p = (struct tg_sv_span){ i, e, true };
		return rest_exact(s, e, b, loose, out);
	}
	/* A loose patch gives digits back to an unhyphenated prerelease when
	 * that is the only way to match ("1.2.34.x" is 1.2.3-4.x). */
	for (k = e; k > i; k--) {
		if (rest_exact(s, k, b, true, out)) {
			out->p = (struct tg_sv_span){ i, k, true };
			return true;
		}
		if (k == e)
			natural = *out; /* report why the natural split failed */
	}
	*out = natural;
	return false;
}

static size_t id_run_end(const char *s, size_t n, size_t i)
{
	return run_end(s, n, i, tg_sv_is_id_char);
}

/* Greedy identifier lists when nothing needs to follow them. */
static size_t dotted_ids_end(const char *s, size_t n, size_t i, bool strict_num)
{
	for (;;) {
		size_t e;

		if (i + 1 >= n || s[i] != '.' || !tg_sv_is_id_char(s[i + 1]))
			return i;
		e = id_run_end(s, n, i + 1);
		if (strict_num) {
			size_t d = run_end(s, e, i + 1, tg_sv_is_digit);
			if (d == e && s[i + 1] == '0')
				e = i + 2;
		}
		i = e;
	}
}

static size_t build_end(const char *s, size_t n, size_t i)
{
	if (i + 1 < n && s[i] == '+' && tg_sv_is_id_char(s[i + 1]))
		return dotted_ids_end(s, n, id_run_end(s, n, i + 1), false);
	return i;
}

size_t tg_sv_loose_full_end(const char *s, size_t n, size_t start)
{
	size_t i = prefix_end(s, n, start);
	int c;

	for (c = 0; c < 3; c++) {
		size_t e = run_end(s, n, i, tg_sv_is_digit);
		if (e == i)
			return start;
		i = e;
		if (c < 2) {
			if (i >= n || s[i] != '.')
				return start;
			i++;
		}
	}
	if (i < n && s[i] == '-') {
		/* "-" followed by an identifier, else the hyphen alone is one */
		i = (i + 1 < n && tg_sv_is_id_char(s[i + 1])) ? id_run_end(s, n, i + 1)
							      : i + 1;
		i = dotted_ids_end(s, n, i, false);
	} else if (i < n && tg_sv_is_id_char(s[i])) {
		i = dotted_ids_end(s, n, id_run_end(s, n, i), false);
	}
	return build_end(s, n, i);
}

static size_t strict_component_end(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return i;
	if (tg_sv_is_x(s[i]))
		return i + 1;
	if (s[i] == '0')
		return i + 1;
	return run_end(s, n, i, tg_sv_is_digit);
}

size_t tg_sv_xrange_end(const char *s, size_t n, size_t start)
{
	size_t i = prefix_end(s, n, start), e;
	int c;

	e = strict_component_end(s, n, i);
	if (e == i)
		return start;
	i = e;
	for (c = 0; c < 2; c++) {
		if (i + 1 >= n || s[i] != '.')
			return i;
		e = strict_component_end(s, n, i + 1);
		if (e == i + 1)
			return i;
		i = e;
	}
	if (i + 1 < n && s[i] == '-' && tg_sv_is_id_char(s[i + 1])) {
		size_t r = id_run_end(s, n, i + 1);
		size_t d = run_end(s, r, i + 1, tg_sv_is_digit);
		if (d == r && s[i + 1] == '0')
			r = i + 2;
		i = dotted_ids_end(s, n, r, true);
	}
	return build_end(s, n, i);
}

size_t tg_sv_js_length(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			len++;
		if (u[i] >= 0xF0)
			len++; /* a surrogate pair in UTF-16 */
	}
	return len;
}

/* npm semver ranges.
 *
 * node-semver turns a range into comparators by a series of textual
 * rewrites (hyphen ranges, then operator spacing, then '~' / '^' /
 * x-ranges / '*', token by token) and only then parses what is left as
 * "OP VERSION" comparators. Odd inputs ("~> 1", ">=*", "1.2 - 3.x") get
 * their meaning from the order of those rewrites, so we perform the same
 * rewrites in the same order, on the same token boundaries, rather than
 * parse a tidier grammar that would disagree on such inputs.
 */
#include "tollgate/semver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/semver_lex.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

struct ctx {
	unsigned flags;
	bool loose, incpr;
	size_t cap; /* cap on every intermediate string */
	struct tg_err *err;
	/* comparator sets as parsed, before the union-level clean-up */
	struct tg_semver_comparator *comps;
	size_t n_comps, cap_comps;
	size_t *set_off;
	size_t n_sets, cap_sets;
	/* for error messages */
	const char *orig;
	size_t orig_len;
	size_t part_col;
};

/* First occurrence of needle (length m) in s[0..n), or NULL. */
static const char *find(const char *s, size_t n, const char *needle, size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, m) == 0)
			return s + i;
	return NULL;
}

static void add_span(struct tg_buf *o, const char *s, struct tg_sv_span sp,
		     int *rc, struct tg_err *err)
{
	if (!*rc)
		*rc = tg_buf_add(o, s + sp.a, sp.b - sp.a, err);
}

static void add_str(struct tg_buf *o, const char *t, int *rc, struct tg_err *err)
{
	if (!*rc)
		*rc = tg_buf_adds(o, t, err);
}

/* JavaScript's `+digits + 1` printed back: exact below 1e21, which is all
 * that can ever form a valid version; above it JavaScript prints an
 * exponent, which no later step accepts as a number, and neither do we. */
static void add_incremented(struct tg_buf *o, const char *s, struct tg_sv_span sp,
			    int *rc, struct tg_err *err)
{
	char digits[32];
	size_t a = sp.a, n, i;

	if (*rc)
		return;
	while (a + 1 < sp.b && s[a] == '0')
		a++;
	n = sp.b - a;
	if (n >= 21) {
		*rc = tg_buf_addf(o, err, "%ce+%zu", s[a], n - 1 + (s[a] == '9'));
		return;
	}
	digits[0] = '0';
	memcpy(digits + 1, s + a, n);
	for (i = n; ; i--) {
		if (digits[i] == '9') {
			digits[i] = '0';
		} else {
			digits[i]++;
			break;
		}
	}
	if (digits[0] == '0')
		*rc = tg_buf_add(o, digits + 1, n, err);
	else
		*rc = tg_buf_add(o, digits, n + 1, err);
}

static bool span_is_x(const char *s, struct tg_sv_span sp)
{
	return !sp.set || (sp.b - sp.a == 1 && tg_sv_is_x(s[sp.a]));
}

static bool span_is(const char *s, struct tg_sv_span sp, const char *lit)
{
	size_t n = strlen(lit);
	return sp.set && sp.b - sp.a == n && memcmp(s + sp.a, lit, n) == 0;
}

/* ---- build metadata -------------------------------------------------- */

/* Every "+ident(.ident)*" goes: build metadata never takes part. */
static int strip_builds(const char *s, size_t n, struct tg_buf *o, struct tg_err *err)
{
	size_t i = 0, from = 0;
	int rc = 0;

	while (i < n) {
		size_t e;
		if (s[i] != '+' || i + 1 >= n || !tg_sv_is_id_char(s[i + 1])) {
			i++;
			continue;
		}
		e = i + 1;
		for (;;) {
			while (e < n && tg_sv_is_id_char(s[e]))
				e++;
			if (e + 1 < n && s[e] == '.' && tg_sv_is_id_char(s[e + 1]))
				e++;
			else
				break;
		}
		if (!rc)
			rc = tg_buf_add(o, s + from, i - from, err);
		from = i = e;
	}
	if (!rc)
		rc = tg_buf_add(o, s + from, n - from, err);
	return rc;
}

/* ---- hyphen ranges --------------------------------------------------- */

/* "A - B" filling the whole alternative: ">=A <=B" with partial bounds
 * widened (1.2 - 2 is >=1.2.0 <3.0.0-0). */
static int hyphen(struct ctx *c, const char *s, size_t n, struct tg_buf *o,
		  bool *matched)
{
	struct tg_sv_plain f, t;
	size_t lead = (n && s[0] == ' ') ? 1 : 0;
	size_t end = (n && s[n - 1] == ' ') ? n - 1 : n;
	const char *hit;
	size_t k = 0;
	int rc = 0;

	*matched = false;
	while (k + 3 <= n && (hit = find(s + k, n - k, " - ", 3))) {
		size_t at = (size_t)(hit - s);
		if (at >= lead && at + 3 <= end &&
		    tg_sv_plain_exact(s, lead, at, TG_SV_XRANGE, c->loose, &f) &&
		    tg_sv_plain_exact(s, at + 3, end, TG_SV_XRANGE, c->loose, &t)) {
			struct tg_sv_span from = { lead, at, true };
			struct tg_sv_span to = { at + 3, end, true };
			size_t mark = o->len;

			*matched = true;
			if (span_is_x(s, f.M)) {
				/* no lower bound */
			} else if (span_is_x(s, f.m)) {
				add_str(o, ">=", &rc, c->err);
				add_span(o, s, f.M, &rc, c->err);
				add_str(o, c->incpr ? ".0.0-0" : ".0.0", &rc, c->err);
			} else if (span_is_x(s, f.p)) {
				add_str(o, ">=", &rc, c->err);
				add_span(o, s, f.M, &rc, c->err);
				add_str(o, ".", &rc, c->err);
				add_span(o, s, f.m, &rc, c->err);
				add_str(o, c->incpr ? ".0-0" : ".0", &rc, c->err);
			} else {
				add_str(o, ">=", &rc, c->err);
				add_span(o, s, from, &rc, c->err);
				if (!f.pre.set && c->incpr)
					add_str(o, "-0", &rc, c->err);
			}
			if (o->len > mark && !span_is_x(s, t.M))
				add_str(o, " ", &rc, c->err);
			if (span_is_x(s, t.M)) {
				/* no upper bound */
			} else if (span_is_x(s, t.m)) {
				add_str(o, "<", &rc, c->err);
				add_incremented(o, s, t.M, &rc, c->err);
				add_str(o, ".0.0-0", &rc, c->err);
			} else if (span_is_x(s, t.p)) {
				add_str(o, "<", &rc, c->err);
				add_span(o, s, t.M, &rc, c->err);
				add_str(o, ".", &rc, c->err);
				add_incremented(o, s, t.m, &rc, c->err);
				add_str(o, ".0-0", &rc, c->err);
			} else if (t.pre.set) {
				add_str(o, "<=", &rc, c->err);
				add_span(o, s, t.M, &rc, c->err);
				add_str(o, ".", &rc, c->err);
				add_span(o, s, t.m, &rc, c->err);
				add_str(o, ".", &rc, c->err);
				add_span(o, s, t.p, &rc, c->err);
				add_str(o, "-", &rc, c->err);
				add_span(o, s, t.pre, &rc, c->err);
			} else if (c->incpr) {
				add_str(o, "<", &rc, c->err);
				add_span(o, s, t.M, &rc, c->err);
				add_str(o, ".", &rc, c->err);
				add_span(o, s, t.m, &rc, c->err);
				add_str(o, ".", &rc, c->err);
				add_incremented(o, s, t.p, &rc, c->err);
				add_str(o, "-0", &rc, c->err);
			} else {
				add_str(o, "<=", &rc, c->err);
				add_span(o, s, to, &rc, c->err);
			}
			return rc;
		}
		k = at + 1;
	}
	return tg_buf_add(o, s, n, c->err);
}

/* ---- operator spacing ------------------------------------------------ */

static bool is_prefix_char(char c)
{
	return c == 'v' || c == '=' || c == ' ';
}

/* "> 1.2.3" becomes ">1.2.3": the one space between an operator (or
 * nothing) and a version goes. Scanning resumes after each version, so
 * characters inside a version never start another match. */
static int join_operators(const char *s, size_t n, struct tg_buf *o,
			  struct tg_err *err)
{
	size_t p = 0, from = 0;
	int rc = 0;

	while (p < n) {
		size_t q = p, ws = (size_t)-1, v, end;

		if (s[q] == ' ')
			q++;
		if (q < n && (s[q] == '<' || s[q] == '>'))
			q++;
		if (q < n && s[q] == '=')
			q++;
		if (q < n && s[q] == ' ')
			ws = q++;
		v = q;
		while (v < n && is_prefix_char(s[v]))
			v++;
		if (v < n && (tg_sv_is_digit(s[v]) || tg_sv_is_x(s[v]))) {
			if (ws != (size_t)-1) {
				if (!rc)
					rc = tg_buf_add(o, s + from, ws - from, err);
				from = ws + 1;
			}
			end = tg_sv_loose_full_end(s, n, q);
			if (end == q)
				end = tg_sv_xrange_end(s, n, q);
			p = end > p ? end : p + 1;
			continue;
		}
		/* Positions inside a run of v / = / spaces fail alike. */
		if (is_prefix_char(s[p])) {
			while (p < n && is_prefix_char(s[p]))
				p++;
		} else {
			p++;
		}
	}
	if (!rc)
		rc = tg_buf_add(o, s + from, n - from, err);
	return rc;
}

/* "~ 1" and "~> 1" become "~1", "^ 1" becomes "^1" (one space each). */
static int join_unary(const char *s, size_t n, char op, struct tg_buf *o,
		      struct tg_err *err)
{
	size_t p = 0, from = 0;
	int rc = 0;

	while (p < n) {
		size_t q = p, keep;
		if (s[q] == ' ' && q + 1 < n && s[q + 1] == op)
			q++;
		if (s[q] != op) {
			p++;
			continue;
		}
		keep = q; /* the leading space, if any, stays */
		q++;
		if (op == '~' && q + 1 < n && s[q] == '>' && s[q + 1] == ' ')
			q++;
		if (q < n && s[q] == ' ') {
			if (!rc)
				rc = tg_buf_add(o, s + from, keep - from, err);
			if (!rc)
				rc = tg_buf_addc(o, op, err);
			from = p = q + 1;
		} else {
			p = keep + 1;
		}
	}
	if (!rc)
		rc = tg_buf_add(o, s + from, n - from, err);
	return rc;
}

/* ---- per-token rewrites ---------------------------------------------- */

/* What '^', '~' and a bare x-range share: ">=M.m.p[-pre]" with x's as 0
 * (and "-0" after them with includePrerelease), then " <". When the minor
 * is x the upper bound is the next major for all three, and that is
 * written too; returns true then. */
static bool lower_bound(struct ctx *c, const char *s, const struct tg_sv_plain *x,
			struct tg_buf *o, int *rc)
{
	const char *z = c->incpr ? "-0" : "";

	add_str(o, ">=", rc, c->err);
	add_span(o, s, x->M, rc, c->err);
	if (span_is_x(s, x->m)) {
		add_str(o, ".0.0", rc, c->err);
		add_str(o, z, rc, c->err);
		add_str(o, " <", rc, c->err);
		add_incremented(o, s, x->M, rc, c->err);
		add_str(o, ".0.0-0", rc, c->err);
		return true;
	}
	add_str(o, ".", rc, c->err);
	add_span(o, s, x->m, rc, c->err);
	if (span_is_x(s, x->p)) {
		add_str(o, ".0", rc, c->err);
		add_str(o, z, rc, c->err);
	} else {
		add_str(o, ".", rc, c->err);
		add_span(o, s, x->p, rc, c->err);
		if (x->pre.set) {
			add_str(o, "-", rc, c->err);
			add_span(o, s, x->pre, rc, c->err);
		}
	}
	add_str(o, " <", rc, c->err);
	return false;
}

/* '~' once parsed, and "M.m.x": up to the next minor. */
static int tilde_range(struct ctx *c, const char *s, const struct tg_sv_plain *x,
		       struct tg_buf *o)
{
	int rc = 0;

	if (lower_bound(c, s, x, o, &rc))
		return rc;
	add_span(o, s, x->M, &rc, c->err);
	add_str(o, ".", &rc, c->err);
	add_incremented(o, s, x->m, &rc, c->err);
	add_str(o, ".0-0", &rc, c->err);
	return rc;
}

/* '^': up to the next change of the leftmost non-zero component. */
static int caret(struct ctx *c, const char *s, size_t n, struct tg_buf *o)
{
	struct tg_sv_plain x;
	int rc = 0;

	if (n == 0 || s[0] != '^' ||
	    !tg_sv_plain_exact(s, 1, n, TG_SV_XRANGE, c->loose, &x))
		return tg_buf_add(o, s, n, c->err);
	if (span_is_x(s, x.M))
		return 0;
	if (lower_bound(c, s, &x, o, &rc))
		return rc;
	if (!span_is(s, x.M, "0")) {
		add_incremented(o, s, x.M, &rc, c->err);
		add_str(o, ".0.0-0", &rc, c->err);
	} else if (span_is_x(s, x.p) || !span_is(s, x.m, "0")) {
		add_span(o, s, x.M, &rc, c->err);
		add_str(o, ".", &rc, c->err);
		add_incremented(o, s, x.m, &rc, c->err);
		add_str(o, ".0-0", &rc, c->err);
	} else {
		add_span(o, s, x.M, &rc, c->err);
		add_str(o, ".", &rc, c->err);
		add_span(o, s, x.m, &rc, c->err);
		add_str(o, ".", &rc, c->err);
		add_incremented(o, s, x.p, &rc, c->err);
		add_str(o, "-0", &rc, c->err);
	}
	return rc;
}

/* '~' and '~>': patch-level changes when a minor is given, else minor. */
static int tilde(struct ctx *c, const char *s, size_t n, struct tg_buf *o)
{
	struct tg_sv_plain x;
	size_t start;

	if (n == 0 || s[0] != '~')
		return tg_buf_add(o, s, n, c->err);
	start = (n > 1 && s[1] == '>') ? 2 : 1;
	if (!tg_sv_plain_exact(s, start, n, TG_SV_XRANGE, c->loose, &x))
		return tg_buf_add(o, s, n, c->err);
	if (span_is_x(s, x.M))
		return 0;
	return tilde_range(c, s, &x, o);
}

/* x-ranges with or without an operator: "1.2.x", ">=1", "<=1.x", "*". */
static int xrange(struct ctx *c, const char *s, size_t n, struct tg_buf *o)
{
	struct tg_sv_plain x;
	size_t i = 0;
	char op[3] = "";
	bool xM, xm, xp;
	const char *pr = c->incpr ? "-0" : "";
	int rc = 0;

	if (i < n && (s[i] == '<' || s[i] == '>'))
		i++;
	if (i < n && s[i] == '=')
		i++;
	memcpy(op, s, i);
	if (!tg_sv_plain_exact(s, i, n, TG_SV_XRANGE, c->loose, &x))
		return tg_buf_add(o, s, n, c->err);
	xM = span_is_x(s, x.M);
	xm = xM || span_is_x(s, x.m);
	xp = xm || span_is_x(s, x.p);
	/* "1.x.3" and "x.1" are left alone (and later rejected) */
	if ((xM && !span_is_x(s, x.m)) ||
	    (span_is_x(s, x.m) && x.p.set && !span_is_x(s, x.p)))
		return tg_buf_add(o, s, n, c->err);
	if (!xp)
		return tg_buf_add(o, s, n, c->err);
	if (strcmp(op, "=") == 0)
		op[0] = '\0';
	if (xM) {
		if (strcmp(op, ">") == 0 || strcmp(op, "<") == 0)
			add_str(o, "<0.0.0-0", &rc, c->err);
		else
			add_str(o, "*", &rc, c->err);
		return rc;
	}
	if (op[0]) {
		bool inc_major = false, inc_minor = false;
		if (strcmp(op, ">") == 0) {
			memcpy(op, ">=", 3);
			inc_major = xm;
			inc_minor = !xm;
		} else if (strcmp(op, "<=") == 0) {
			memcpy(op, "<", 2);
			inc_major = xm;
			inc_minor = !xm;
		}
		if (strcmp(op, "<") == 0)
			pr = "-0";
		add_str(o, op, &rc, c->err);
		if (inc_major)
			add_incremented(o, s, x.M, &rc, c->err);
		else
			add_span(o, s, x.M, &rc, c->err);
		add_str(o, ".", &rc, c->err);
		if (xm || inc_major)
			add_str(o, "0", &rc, c->err);
		else if (inc_minor)
			add_incremented(o, s, x.m, &rc, c->err);
		else
			add_span(o, s, x.m, &rc, c->err);
		add_str(o, ".0", &rc, c->err);
		add_str(o, pr, &rc, c->err);
		return rc;
	}
	/* no operator: "M.x" and "M.m.x" mean what '~' does */
	return tilde_range(c, s, &x, o);
}

/* The first "[<>]?=? ?*" goes: a star intersected with anything is that
 * thing. */
static int strip_star(const char *s, size_t n, struct tg_buf *o, struct tg_err *err)
{
	size_t a = 0, b = n, p;
	int rc;

	while (a < b && s[a] == ' ')
		a++;
	while (b > a && s[b - 1] == ' ')
		b--;
	for (p = a; p < b; p++) {
		size_t q = p;
		if (s[q] == '<' || s[q] == '>')
			q++;
		if (q < b && s[q] == '=')
			q++;
		if (q < b && s[q] == ' ')
			q++;
		if (q < b && s[q] == '*') {
			rc = tg_buf_add(o, s + a, p - a, err);
			return rc ? rc : tg_buf_add(o, s + q + 1, b - q - 1, err);
		}
	}
	return tg_buf_add(o, s + a, b - a, err);
}

typedef int (*rewrite_fn)(struct ctx *c, const char *s, size_t n, struct tg_buf *o);

/* Apply fn to each space-separated word of s, joining results with ' '. */
static int map_words(struct ctx *c, const char *s, size_t n, rewrite_fn fn,
		     struct tg_buf *o)
{
	size_t i = 0;
	bool first = true;
	int rc = 0;

	while (i < n && s[i] == ' ')
		i++;
	while (n && n > i && s[n - 1] == ' ')
		n--;
	do {
		size_t e = i;
		while (e < n && s[e] != ' ')
			e++;
		if (!first && (rc = tg_buf_addc(o, ' ', c->err)))
			return rc;
		if ((rc = fn(c, s + i, e - i, o)))
			return rc;
		first = false;
		i = e;
		while (i < n && s[i] == ' ')
			i++;
	} while (i < n);
	return 0;
}

/* One token of an alternative: '^', then '~', then x-ranges, then '*'. */
static int desugar_token(struct ctx *c, const char *s, size_t n, struct tg_buf *o)
{
	struct tg_buf b1, b2, b3;
	int rc;

	tg_buf_init(&b1, c->cap);
	tg_buf_init(&b2, c->cap);
	tg_buf_init(&b3, c->cap);
	rc = map_words(c, s, n, caret, &b1);
	if (!rc)
		rc = map_words(c, b1.data, b1.len, tilde, &b2);
	if (!rc)
		rc = map_words(c, b2.data, b2.len, xrange, &b3);
	if (!rc)
		rc = strip_star(b3.data, b3.len, o, c->err);
	tg_buf_release(&b1);
	tg_buf_release(&b2);
	tg_buf_release(&b3);
	return rc;
}

/* ---- comparators ----------------------------------------------------- */

static bool same_comparator(const struct tg_semver_comparator *a,
			    const struct tg_semver_comparator *b)
{
	if (a->op != b->op)
		return false;
	if (a->op == TG_SEMVER_OP_ANY)
		return true;
	return a->v.major == b->v.major && a->v.minor == b->v.minor &&
	       a->v.patch == b->v.patch &&
	       ((!a->v.pre && !b->v.pre) ||
		(a->v.pre && b->v.pre && strcmp(a->v.pre, b->v.pre) == 0));
}

static bool is_null_set(const struct tg_semver_comparator *k)
{
	return k->op == TG_SEMVER_OP_LT && k->v.major == 0 && k->v.minor == 0 &&
	       k->v.patch == 0 && k->v.pre && strcmp(k->v.pre, "0") == 0;
}

static size_t op_len(const char *w, size_t n, enum tg_semver_op *op)
{
	size_t i = 0;

	if (i < n && (w[i] == '<' || w[i] == '>'))
		i++;
	if (i < n && w[i] == '=')
		i++;
	if (i == 0 || (i == 1 && w[0] == '='))
		*op = TG_SEMVER_OP_EQ;
	else if (w[0] == '<')
		*op = i == 2 ? TG_SEMVER_OP_LE : TG_SEMVER_OP_LT;
	else
		*op = i == 2 ? TG_SEMVER_OP_GE : TG_SEMVER_OP_GT;
	return i;
}

static int comparator_error(struct ctx *c, const char *w, size_t n,
			    const struct tg_err *why)
{
	char shown[80];
	size_t show = c->orig_len > 60 ? 60 : c->orig_len;

	snprintf(shown, sizeof(shown), "%.*s%s", (int)show, c->orig,
		 c->orig_len > show ? "..." : "");
	return tg_err_at(c->err, why && why->code != TG_EPARSE ? why->code : TG_EPARSE,
			 "", 0, c->part_col,
			 "invalid range '%s': at column %zu, '%.*s' is not a "
			 "comparator (expected an operator <, <=, >, >=, = and a "
			 "version, a partial version, '~', '^' or 'A - B')%s%s",
			 shown, c->part_col, (int)(n > 80 ? 80 : n), w,
			 why ? ": " : "", why ? why->msg : "");
}

static int push_comparator(struct ctx *c, const struct tg_semver_comparator *k)
{
	if (c->n_comps == c->cap_comps) {
		size_t ncap = c->cap_comps ? c->cap_comps * 2 : 8, bytes;
		struct tg_semver_comparator *p;
		if (!tg_size_mul(ncap, sizeof(*p), &bytes) ||
		    !(p = realloc(c->comps, bytes)))
			return tg_err_set(c->err, TG_ENOMEM, "out of memory parsing a range");
		c->comps = p;
		c->cap_comps = ncap;
	}
	if (c->n_comps >= TG_SEMVER_MAX_COMPARATORS)
		return tg_err_set(c->err, TG_ELIMIT,
				  "range has more than %d comparators",
				  TG_SEMVER_MAX_COMPARATORS);
	c->comps[c->n_comps++] = *k;
	return 0;
}

/* One word of the rewritten alternative as a comparator; added to the set
 * that starts at comps[set_start] unless already there. */
static int add_word(struct ctx *c, const char *w, size_t n, size_t set_start)
{
	struct tg_semver_comparator k;
	struct tg_sv_plain pl;
	struct tg_err why;
	size_t i, j;
	int rc;

	memset(&k, 0, sizeof(k));
	if ((!c->incpr && n == 7 && memcmp(w, ">=0.0.0", 7) == 0) ||
	    (c->incpr && n == 9 && memcmp(w, ">=0.0.0-0", 9) == 0))
		n = 0; /* the same as "*" */
	if (n > 0) {
		i = op_len(w, n, &k.op);
		if (!tg_sv_plain_exact(w, i, n, TG_SV_FULL, c->loose, &pl)) {
			if (c->loose)
				return 0; /* loose mode drops what is not a comparator */
			tg_err_clear(&why);
			tg_err_set(&why, TG_EPARSE, "expected %s at offset %zu",
				   pl.expected, pl.fail_pos + 1);
			return comparator_error(c, w, n, &why);
		}
		if ((rc = tg_semver_parse(w + i, n - i, c->loose ? TG_SEMVER_LOOSE : 0,
					  &k.v, &why))) {
			if (rc == TG_ENOMEM)
				return tg_err_set(c->err, rc, "%s", why.msg);
			return comparator_error(c, w, n, &why);
		}
	}
	for (j = set_start; j < c->n_comps; j++) {
		if (same_comparator(&c->comps[j], &k)) {
			tg_semver_release(&k.v);
			return 0;
		}
	}
	if ((rc = push_comparator(c, &k)))
		tg_semver_release(&k.v);
	return rc;
}

static int push_set(struct ctx *c, size_t start)
{
	if (c->n_sets + 2 > c->cap_sets) {
		size_t ncap = c->cap_sets ? c->cap_sets * 2 : 8, bytes;
		size_t *p;
		if (!tg_size_mul(ncap, sizeof(*p), &bytes) ||
		    !(p = realloc(c->set_off, bytes)))
			return tg_err_set(c->err, TG_ENOMEM, "out of memory parsing a range");
		c->set_off = p;
		c->cap_sets = ncap;
	}
	c->set_off[c->n_sets++] = start;
	c->set_off[c->n_sets] = c->n_comps;
	return 0;
}

/* One '||' alternative, already trimmed. */
static int parse_alternative(struct ctx *c, const char *s, size_t n)
{
	struct tg_buf b1, b2, b3, b4, b5, words;
	size_t start = c->n_comps, i, j;
	bool matched, null_set = false, any_empty;
	int rc;

	tg_buf_init(&b1, c->cap);
	tg_buf_init(&b2, c->cap);
	tg_buf_init(&b3, c->cap);
	tg_buf_init(&b4, c->cap);
	tg_buf_init(&b5, c->cap);
	tg_buf_init(&words, c->cap);
	rc = strip_builds(s, n, &b1, c->err);
	if (!rc)
		rc = hyphen(c, b1.data, b1.len, &b2, &matched);
	if (!rc)
		rc = join_operators(b2.data, b2.len, &b3, c->err);
	if (!rc)
		rc = join_unary(b3.data, b3.len, '~', &b4, c->err);
	if (!rc)
		rc = join_unary(b4.data, b4.len, '^', &b5, c->err);
	/* Split on single spaces (empty tokens included), rewrite each. */
	for (i = 0; !rc && i <= b5.len; i = j + 1) {
		j = i;
		while (j < b5.len && b5.data[j] != ' ')
			j++;
		if (i > 0)
			rc = tg_buf_addc(&words, ' ', c->err);
		if (!rc)
			rc = desugar_token(c, b5.data + i, j - i, &words);
	}
	if (rc)
		goto out;

	/* Split on runs of spaces; an empty word (at either end, or the
	 * whole string) stands for "any version". */
	any_empty = words.len == 0 || words.data[0] == ' ' ||
		    words.data[words.len - 1] == ' ';
	if (any_empty)
		rc = add_word(c, "", 0, start);
	for (i = 0; !rc && i < words.len; i = j) {
		while (i < words.len && words.data[i] == ' ')
			i++;
		j = i;
		while (j < words.len && words.data[j] != ' ')
			j++;
		if (j > i)
			rc = add_word(c, words.data + i, j - i, start);
	}
	if (rc)
		goto out;
	/* Every word had to be a comparator, but a set holding the empty
	 * set "<0.0.0-0" is just that. */
	for (i = start; i < c->n_comps && !null_set; i++) {
		if (is_null_set(&c->comps[i])) {
			struct tg_semver_comparator keep = c->comps[i];
			for (j = start; j < c->n_comps; j++)
				if (j != i)
					tg_semver_release(&c->comps[j].v);
			c->comps[start] = keep;
			c->n_comps = start + 1;
			null_set = true;
		}
	}
	/* "any" goes when the set says more than that */
	if (!null_set && c->n_comps - start > 1) {
		for (i = start; i < c->n_comps; i++) {
			if (c->comps[i].op == TG_SEMVER_OP_ANY) {
				memmove(&c->comps[i], &c->comps[i + 1],
					(c->n_comps - i - 1) * sizeof(c->comps[0]));
				c->n_comps--;
				break;
			}
		}
	}
	if (c->n_comps > start)
		rc = push_set(c, start);
out:
	tg_buf_release(&b1);
	tg_buf_release(&b2);
	tg_buf_release(&b3);
	tg_buf_release(&b4);
	tg_buf_release(&b5);
	tg_buf_release(&words);
	return rc;
}

void tg_semver_range_release(struct tg_semver_range *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_comps; i++)
		tg_semver_release(&r->comps[i].v);
	free(r->comps);
	free(r->set_off);
	memset(r, 0, sizeof(*r));
}

/* Column (1-based) in the original text of the next '||' alternative;
 * *pos walks the original text once. Collapsing whitespace neither makes
 * nor breaks a "||", so the k-th one there is the k-th one here. */
static size_t next_alternative_column(const char *s, size_t n, size_t *pos,
				      bool first)
{
	size_t i = *pos, sp;

	if (!first) {
		while (i + 1 < n && !(s[i] == '|' && s[i + 1] == '|'))
			i++;
		i = i + 2 <= n ? i + 2 : n;
	}
	*pos = i;
	while (i < n && (sp = tg_sv_space_at(s, n, i)) > 0)
		i += sp;
	return i + 1;
}

/* Keep only the sets that matter, as node-semver does: a union with a
 * satisfiable set drops the unsatisfiable ones, and one with "any" is
 * just "any". */
static void select_sets(struct ctx *c, size_t *keep_from, size_t *keep_count,
			bool *keep)
{
	size_t s, live = 0;

	for (s = 0; s < c->n_sets; s++)
		keep[s] = true;
	*keep_from = 0;
	*keep_count = c->n_sets;
	if (c->n_sets <= 1)
		return;
	for (s = 0; s < c->n_sets; s++) {
		keep[s] = !is_null_set(&c->comps[c->set_off[s]]);
		live += keep[s];
	}
	if (live == 0) {
		keep[0] = true;
		return;
	}
	if (live > 1) {
		for (s = 0; s < c->n_sets; s++) {
			if (keep[s] && c->set_off[s + 1] - c->set_off[s] == 1 &&
			    c->comps[c->set_off[s]].op == TG_SEMVER_OP_ANY) {
				size_t t;
				for (t = 0; t < c->n_sets; t++)
					keep[t] = t == s;
				return;
			}
		}
	}
}

int tg_semver_range_parse(const char *s, size_t n, unsigned flags,
			  struct tg_semver_range *out, struct tg_err *err)
{
	struct ctx c;
	struct tg_buf raw;
	size_t a = 0, b = n, i, k, part = 0, nc = 0, ns = 0, orig_pos = 0;
	size_t dummy_from, dummy_count;
	bool *keep = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if (n > TG_SEMVER_RANGE_MAX_LENGTH)
		return tg_err_set(err, TG_ELIMIT, "range is longer than %u bytes",
				  TG_SEMVER_RANGE_MAX_LENGTH);
	c.flags = flags & (TG_SEMVER_LOOSE | TG_SEMVER_INCLUDE_PRERELEASE);
	c.loose = flags & TG_SEMVER_LOOSE;
	c.incpr = flags & TG_SEMVER_INCLUDE_PRERELEASE;
	c.cap = 24 * n + 1024;
	c.err = err;
	c.orig = s;
	c.orig_len = n;

	/* Trim, and every run of whitespace becomes one space. */
	tg_buf_init(&raw, n + 1);
	tg_sv_trim(s, &a, &b);
	for (i = a; !rc && i < b;) {
		size_t sp = tg_sv_space_at(s, b, i);
		if (sp) {
			while (i < b && (sp = tg_sv_space_at(s, b, i)) > 0)
				i += sp;
			rc = tg_buf_addc(&raw, ' ', err);
		} else {
			rc = tg_buf_addc(&raw, s[i++], err);
		}
	}
	/* Each '||' alternative, trimmed. */
	for (i = 0; !rc; part++) {
		const char *bar = find(raw.data + i, raw.len - i, "||", 2);
		size_t e = bar ? (size_t)(bar - raw.data) : raw.len, pa = i, pb = e;
		while (pa < pb && raw.data[pa] == ' ')
			pa++;
		while (pb > pa && raw.data[pb - 1] == ' ')
			pb--;
		c.part_col = next_alternative_column(s, n, &orig_pos, part == 0);
		rc = parse_alternative(&c, raw.data + pa, pb - pa);
		if (!bar)
			break;
		i = e + 2;
	}
	tg_buf_release(&raw);
	if (rc)
		goto fail;
	if (c.n_sets == 0) {
		rc = tg_err_set(err, TG_EPARSE,
				"invalid range '%.*s': no comparator left",
				(int)(n > 60 ? 60 : n), s);
		goto fail;
	}

	if (!(keep = calloc(c.n_sets, sizeof(*keep)))) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory parsing a range");
		goto fail;
	}
	select_sets(&c, &dummy_from, &dummy_count, keep);
	/* Compact kept sets in place; release the rest. */
	for (k = 0; k < c.n_sets; k++) {
		size_t from = c.set_off[k], to = c.set_off[k + 1];
		if (!keep[k]) {
			for (i = from; i < to; i++)
				tg_semver_release(&c.comps[i].v);
			continue;
		}
		c.set_off[ns++] = nc;
		for (i = from; i < to; i++)
			c.comps[nc++] = c.comps[i];
	}
	c.set_off[ns] = nc;
	free(keep);
	out->comps = c.comps;
	out->n_comps = nc;
	out->set_off = c.set_off;
	out->n_sets = ns;
	out->flags = c.flags;
	return 0;
fail:
	for (i = 0; i < c.n_comps; i++)
		tg_semver_release(&c.comps[i].v);
	free(c.comps);
	free(c.set_off);
	return rc;
}

static bool comparator_test(const struct tg_semver_comparator *k,
			    const struct tg_semver *v)
{
	int d;

	if (k->op == TG_SEMVER_OP_ANY)
		return true;
	d = tg_semver_compare(v, &k->v);
	switch (k->op) {
	case TG_SEMVER_OP_EQ: return d == 0;
	case TG_SEMVER_OP_LT: return d < 0;
	case TG_SEMVER_OP_LE: return d <= 0;
	case TG_SEMVER_OP_GT: return d > 0;
	case TG_SEMVER_OP_GE: return d >= 0;
	default: return true;
	}
}

static bool set_test(const struct tg_semver_range *r, size_t set,
		     const struct tg_semver *v)
{
	size_t i, from = r->set_off[set], to = r->set_off[set + 1];

	for (i = from; i < to; i++)
		if (!comparator_test(&r->comps[i], v))
			return false;
	if (!v->pre || (r->flags & TG_SEMVER_INCLUDE_PRERELEASE))
		return true;
	/* A prerelease only counts when the set names a prerelease of the
	 * same MAJOR.MINOR.PATCH (^1.2.3-beta.1 admits 1.2.3-beta.2 but not
	 * 1.2.4-alpha). */
	for (i = from; i < to; i++) {
		const struct tg_semver *c = &r->comps[i].v;
		if (r->comps[i].op != TG_SEMVER_OP_ANY && c->pre &&
		    c->major == v->major && c->minor == v->minor &&
		    c->patch == v->patch)
			return true;
	}
	return false;
}

bool tg_semver_range_test(const struct tg_semver_range *r,
			  const struct tg_semver *v)
{
	size_t s;

	for (s = 0; s < r->n_sets; s++)
		if (set_test(r, s, v))
			return true;
	return false;
}

int tg_semver_range_format(const struct tg_semver_range *r, struct tg_buf *out,
			   struct tg_err *err)
{
	static const char *const ops[] = { "", "", "<", "<=", ">", ">=" };
	size_t s, i;
	int rc = 0;

	for (s = 0; !rc && s < r->n_sets; s++) {
		if (s)
			rc = tg_buf_adds(out, "||", err);
		for (i = r->set_off[s]; !rc && i < r->set_off[s + 1]; i++) {
			const struct tg_semver_comparator *k = &r->comps[i];
			if (i > r->set_off[s])
				rc = tg_buf_addc(out, ' ', err);
			if (rc || k->op == TG_SEMVER_OP_ANY)
				continue;
			rc = tg_buf_adds(out, ops[k->op], err);
			if (!rc)
				rc = tg_semver_format(&k->v, out, err);
		}
	}
	return rc;
}

int tg_semver_satisfies(const char *version, size_t vn, const char *range,
			size_t rn, unsigned flags, bool *result,
			struct tg_err *err)
{
	struct tg_semver_range r;
	struct tg_semver v;
	int rc;

	*result = false;
	if ((rc = tg_semver_range_parse(range, rn, flags, &r, err)))
		return rc;
	if (vn == 0) {
		tg_semver_range_release(&r);
		return tg_err_set(err, TG_EPARSE, "empty version");
	}
	if ((rc = tg_semver_parse(version, vn, flags & TG_SEMVER_LOOSE, &v, err))) {
		tg_semver_range_release(&r);
		return rc;
	}
	*result = tg_semver_range_test(&r, &v);
	tg_semver_release(&v);
	tg_semver_range_release(&r);
	return 0;
}

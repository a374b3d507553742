/* PEP 508 environment markers, evaluated for the target environment of
 * struct tg_input_opts.
 *
 *   marker   = or_expr
 *   or_expr  = and_expr ('or' and_expr)*
 *   and_expr = atom ('and' atom)*
 *   atom     = '(' marker ')' | value op value
 *   value    = variable | quoted string
 *   op       = < <= != == >= > ~= === in | not in
 *
 * Comparisons where both sides parse as versions compare as versions
 * (release segments numerically, then any suffix as text, which is enough
 * for the interpreter and platform versions markers test); otherwise they
 * compare as strings, as PEP 508 says. Unknown variables are an error. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"

#define MARKER_MAX_DEPTH 64
#define MARKER_MAX_LEN 8192

struct menv {
	char python_version[16];
	const char *python_full_version;
	const char *sys_platform, *os_name, *platform_system, *machine;
};

struct mparser {
	const char *s, *p;
	const struct menv *env;
	unsigned depth;
	const char *err;
};

static void skip_ws(struct mparser *m)
{
	while (*m->p == ' ' || *m->p == '\t')
		m->p++;
}

static bool word_at(const char *p, const char *w)
{
	size_t n = strlen(w);
	char c;

	if (strncmp(p, w, n) != 0)
		return false;
	c = p[n];
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		 (c >= '0' && c <= '9') || c == '_');
}

/* A value: a quoted string or a variable; *out points into the marker or
 * the environment (not NUL-terminated for strings: *n is the length). */
static bool parse_value(struct mparser *m, const char **out, size_t *n,
			bool *is_var)
{
	static const char *const vars[] = {
		"python_version", "python_full_version", "os_name", "sys_platform",
		"platform_release", "platform_system", "platform_version",
		"platform_machine", "platform_python_implementation",
		"implementation_name", "implementation_version", "extra",
		"os.name", "sys.platform", "platform.version", "platform.machine",
		"platform.python_implementation", "python_implementation",
	};
	size_t i;

	skip_ws(m);
	*is_var = false;
	if (*m->p == '"' || *m->p == '\'') {
		char q = *m->p++;
		const char *start = m->p;

		while (*m->p && *m->p != q)
			m->p++;
		if (*m->p != q) {
			m->err = "unterminated string in marker";
			return false;
		}
		*out = start;
		*n = (size_t)(m->p - start);
		m->p++;
		return true;
	}
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if (word_at(m->p, vars[i])) {
			const char *v = vars[i];
			const struct menv *e = m->env;
			const char *val = "";

			m->p += strlen(v);
			*is_var = true;
			if (strcmp(v, "python_version") == 0)
				val = e->python_version;
			else if (strcmp(v, "python_full_version") == 0 ||
				 strcmp(v, "implementation_version") == 0)
				val = e->python_full_version;
			else if (strcmp(v, "os_name") == 0 || strcmp(v, "os.name") == 0)
				val = e->os_name;
			else if (strcmp(v, "sys_platform") == 0 || strcmp(v, "sys.platform") == 0)
				val = e->sys_platform;
			else if (strcmp(v, "platform_system") == 0)
				val = e->platform_system;
			else if (strcmp(v, "platform_machine") == 0 ||
				 strcmp(v, "platform.machine") == 0)
				val = e->machine;
			else if (strcmp(v, "platform_python_implementation") == 0 ||
				 strcmp(v, "platform.python_implementation") == 0 ||
				 strcmp(v, "python_implementation") == 0)
				val = "CPython";
			else if (strcmp(v, "implementation_name") == 0)
				val = "cpython";
			*out = val;
			*n = strlen(val);
			return true;
		}
	}
	m->err = "expected a marker variable or a quoted string";
	return false;
}

enum mop { OP_LT, OP_LE, OP_NE, OP_EQ, OP_GE, OP_GT, OP_COMPAT, OP_ARB, OP_IN, OP_NOT_IN };

static bool parse_op(struct mparser *m, enum mop *op)
{
	static const struct { const char *t; enum mop op; } ops[] = {
		{ "===", OP_ARB }, { "~=", OP_COMPAT }, { "<=", OP_LE }, { ">=", OP_GE },
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<", OP_LT }, { ">", OP_GT },
	};
	size_t i;

	skip_ws(m);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strncmp(m->p, ops[i].t, strlen(ops[i].t)) == 0) {
			m->p += strlen(ops[i].t);
			*op = ops[i].op;
			return true;
		}
	}
	if (word_at(m->p, "in")) {
		m->p += 2;
		*op = OP_IN;
		return true;
	}
	if (word_at(m->p, "not")) {
		m->p += 3;
		skip_ws(m);
		if (word_at(m->p, "in")) {
			m->p += 2;
			*op = OP_NOT_IN;
			return true;
		}
	}
	m->err = "expected a comparison operator in marker";
	return false;
}

/* Release segments of a version ("3.11.4" -> 3,11,4); false when s is not
 * digits and dots up to an optional suffix. */
static bool split_version(const char *s, size_t n, long seg[8], size_t *nseg,
			  size_t *suffix)
{
	size_t i = 0;

	*nseg = 0;
	while (i < n && *nseg < 8) {
		long v = 0;
		size_t start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9' && v < 100000000)
			v = v * 10 + (s[i++] - '0');
		if (i == start)
			return false;
		seg[(*nseg)++] = v;
		if (i < n && s[i] == '.' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
			i++;
			continue;
		}
		break;
	}
	*suffix = i;
	return *nseg > 0;
}

/* <0, 0, >0; *ok false when either side is not a version. */
static int version_cmp(const char *a, size_t an, const char *b, size_t bn,
		       size_t prefix_segs, bool *ok)
{
	long sa[8] = { 0 }, sb[8] = { 0 };
	size_t na, nb, xa, xb, i, lim;

	*ok = split_version(a, an, sa, &na, &xa) && split_version(b, bn, sb, &nb, &xb);
	if (!*ok)
		return 0;
	lim = na > nb ? na : nb;
	if (prefix_segs && prefix_segs < lim)
		lim = prefix_segs;
	for (i = 0; i < lim; i++)
		if (sa[i] != sb[i])
			return sa[i] < sb[i] ? -1 : 1;
	if (prefix_segs)
		return 0;
	/* A pre-release suffix sorts before the plain release. */
	if (xa < an && xb >= bn)
		return -1;
	if (xb < bn && xa >= an)
		return 1;
	{
		size_t ra = an - xa, rb = bn - xb;
		int c = strncmp(a + xa, b + xb, ra < rb ? ra : rb);
		return c ? c : (ra < rb ? -1 : ra > rb ? 1 : 0);
	}
}

static bool contains(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (nn == 0)
		return true;
	for (i = 0; i + nn <= hn; i++)
		if (memcmp(hay + i, needle, nn) == 0)
			return true;
	return false;
}

static bool compare(const char *l, size_t ln, enum mop op, const char *r,
		    size_t rn, bool *ok)
{
	bool vok = false;
	int c;

	*ok = true;
	switch (op) {
	case OP_IN:
		return contains(r, rn, l, ln);
	case OP_NOT_IN:
		return !contains(r, rn, l, ln);
	case OP_ARB:
		return ln == rn && memcmp(l, r, ln) == 0;
	default:
		break;
	}
	if (op == OP_EQ || op == OP_NE) {
		/* "== 3.*" prefix matches */
		if (rn >= 2 && r[rn - 1] == '*' && r[rn - 2] == '.') {
			long s[8];
			size_t ns, x;
			if (split_version(r, rn - 2, s, &ns, &x)) {
				c = version_cmp(l, ln, r, rn - 2, ns, &vok);
				if (vok)
					return (c == 0) == (op == OP_EQ);
			}
		}
		c = version_cmp(l, ln, r, rn, 0, &vok);
		if (!vok)
			c = (ln == rn && memcmp(l, r, ln) == 0) ? 0 : 1;
		return (c == 0) == (op == OP_EQ);
	}
	c = version_cmp(l, ln, r, rn, 0, &vok);
	if (!vok) {
		/* Ordering comparisons of non-versions: plain string order. */
		int sc = strncmp(l, r, ln < rn ? ln : rn);
		c = sc ? sc : (ln < rn ? -1 : ln > rn ? 1 : 0);
	}
	switch (op) {
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	case OP_COMPAT: {
		/* ~= X.Y.Z: >= X.Y.Z and == X.Y.* */
		long s[8];
		size_t ns, x;
		if (!vok || !split_version(r, rn, s, &ns, &x) || ns < 2)
			return false;
		return c >= 0 && version_cmp(l, ln, r, rn, ns - 1, &vok) == 0;
	}
	default:
		break;
	}
	return false;
}

static bool parse_or(struct mparser *m, bool *val);

static bool parse_atom(struct mparser *m, bool *val)
{
	const char *l, *r;
	size_t ln, rn;
	bool lv, rv, ok;
	enum mop op;

	skip_ws(m);
	if (*m->p == '(') {
		if (++m->depth > MARKER_MAX_DEPTH) {
			m->err = "markers nested too deeply";
			return false;
		}
		m->p++;
		if (!parse_or(m, val))
			return false;
		skip_ws(m);
		if (*m->p != ')') {
			m->err = "expected ')' in marker";
			return false;
		}
		m->p++;
		m->depth--;
		return true;
	}
	if (!parse_value(m, &l, &ln, &lv) || !parse_op(m, &op) ||
	    !parse_value(m, &r, &rn, &rv))
		return false;
	*val = compare(l, ln, op, r, rn, &ok);
	return true;
}

static bool parse_and(struct mparser *m, bool *val)
{
	bool v;

	if (!parse_atom(m, val))
		return false;
	for (;;) {
		skip_ws(m);
		if (!word_at(m->p, "and"))
			return true;
		m->p += 3;
		if (!parse_atom(m, &v))
			return false;
		*val = *val && v;
	}
}

static bool parse_or(struct mparser *m, bool *val)
{
	bool v;

	if (!parse_and(m, val))
		return false;
	for (;;) {
		skip_ws(m);
		if (!word_at(m->p, "or"))
			return true;
		m->p += 2;
		if (!parse_and(m, &v))
			return false;
		*val = *val || v;
	}
}

static void make_env(const struct tg_input_opts *opts, struct menv *e)
{
	const char *full = opts->python_version ? opts->python_version : "3.11";
	const char *plat = opts->platform ? opts->platform : "linux";
	size_t dots = 0, i, n = 0;

	/* python_version is X.Y of the full version. */
	for (i = 0; full[i] && n + 1 < sizeof(e->python_version); i++) {
		if (full[i] == '.' && ++dots == 2)
			break;
		e->python_version[n++] = full[i];
	}
	e->python_version[n] = '\0';
	e->python_full_version = full;
	e->sys_platform = plat;
	e->machine = opts->machine ? opts->machine : "x86_64";
	if (strcmp(plat, "win32") == 0 || strcmp(plat, "cygwin") == 0) {
		e->os_name = strcmp(plat, "win32") == 0 ? "nt" : "posix";
		e->platform_system = strcmp(plat, "win32") == 0 ? "Windows" : "CYGWIN_NT";
	} else if (strcmp(plat, "darwin") == 0) {
		e->os_name = "posix";
		e->platform_system = "Darwin";
	} else if (strncmp(plat, "freebsd", 7) == 0) {
		e->os_name = "posix";
		e->platform_system = "FreeBSD";
	} else {
		e->os_name = "posix";
		e->platform_system = "Linux";
	}
}

int in_marker_keep(const char *marker, const struct tg_input_opts *opts,
		   const char *origin, unsigned long line, bool *keep,
		   struct tg_err *err)
{
	struct menv env;
	struct mparser m = { 0 };
	bool val = true;

	*keep = true;
	if (!opts->evaluate_markers || !marker)
		return 0;
	if (strlen(marker) > MARKER_MAX_LEN)
		return tg_err_at(err, TG_ELIMIT, origin, line, 0,
				 "marker longer than %d bytes", MARKER_MAX_LEN);
	make_env(opts, &env);
	m.s = m.p = marker;
	m.env = &env;
	skip_ws(&m);
	if (!*m.p)
		return 0;
	if (!parse_or(&m, &val)) {
		return tg_err_at(err, TG_EPARSE, origin, line, 0,
				 "%s at offset %zu of marker '%.200s'", m.err,
				 (size_t)(m.p - m.s), marker);
	}
	skip_ws(&m);
	if (*m.p)
		return tg_err_at(err, TG_EPARSE, origin, line, 0,
				 "unexpected '%.20s' in marker '%.200s'", m.p, marker);
	*keep = val;
	return 0;
}

/* PEP 508 environment markers: parser and printer. The tree keeps the
 * shape packaging gives it (a list per parenthesised group), because the
 * printed form depends on that shape. */
#include "tollgate/markers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pep508_lex.h"
#include "tollgate/size.h"

static const char *const var_names[TG_MV_COUNT] = {
	[TG_MV_IMPLEMENTATION_NAME] = "implementation_name",
	[TG_MV_IMPLEMENTATION_VERSION] = "implementation_version",
	[TG_MV_OS_NAME] = "os_name",
	[TG_MV_PLATFORM_MACHINE] = "platform_machine",
	[TG_MV_PLATFORM_RELEASE] = "platform_release",
	[TG_MV_PLATFORM_SYSTEM] = "platform_system",
	[TG_MV_PLATFORM_VERSION] = "platform_version",
	[TG_MV_PYTHON_FULL_VERSION] = "python_full_version",
	[TG_MV_PLATFORM_PYTHON_IMPLEMENTATION] = "platform_python_implementation",
	[TG_MV_PYTHON_VERSION] = "python_version",
	[TG_MV_SYS_PLATFORM] = "sys_platform",
	[TG_MV_EXTRA] = "extra",
	[TG_MV_EXTRAS] = "extras",
	[TG_MV_DEPENDENCY_GROUPS] = "dependency_groups",
};

const char *tg_marker_var_name(enum tg_marker_var v)
{
	return (unsigned)v < TG_MV_COUNT ? var_names[v] : "?";
}

bool tg_marker_var_lookup(const char *name, size_t n, enum tg_marker_var *out)
{
	int v;

	for (v = 0; v < TG_MV_COUNT; v++) {
		if (strlen(var_names[v]) == n && memcmp(var_names[v], name, n) == 0) {
			*out = (enum tg_marker_var)v;
			return true;
		}
	}
	return false;
}

static const char *const op_texts[] = {
	[TG_MO_LT] = "<", [TG_MO_LE] = "<=", [TG_MO_EQ] = "==", [TG_MO_NE] = "!=",
	[TG_MO_GE] = ">=", [TG_MO_GT] = ">", [TG_MO_COMPATIBLE] = "~=",
	[TG_MO_ARBITRARY] = "===", [TG_MO_IN] = "in", [TG_MO_NOT_IN] = "not in",
};

const char *tg_marker_op_text(enum tg_marker_op op)
{
	return (unsigned)op <= TG_MO_NOT_IN ? op_texts[op] : "?";
}

/* Spellings the VARIABLE token accepts, with what they mean. */
static const struct {
	const char *text;
	enum tg_marker_var var;
} var_spellings[] = {
	{ "python_version", TG_MV_PYTHON_VERSION },
	{ "python_full_version", TG_MV_PYTHON_FULL_VERSION },
	{ "os_name", TG_MV_OS_NAME },
	{ "os.name", TG_MV_OS_NAME },
	{ "sys_platform", TG_MV_SYS_PLATFORM },
	{ "sys.platform", TG_MV_SYS_PLATFORM },
	{ "platform_release", TG_MV_PLATFORM_RELEASE },
	{ "platform_system", TG_MV_PLATFORM_SYSTEM },
	{ "platform_version", TG_MV_PLATFORM_VERSION },
	{ "platform.version", TG_MV_PLATFORM_VERSION },
	{ "platform_machine", TG_MV_PLATFORM_MACHINE },
	{ "platform.machine", TG_MV_PLATFORM_MACHINE },
	{ "platform_python_implementation", TG_MV_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "platform.python_implementation", TG_MV_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "python_implementation", TG_MV_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "implementation_name", TG_MV_IMPLEMENTATION_NAME },
	{ "implementation_version", TG_MV_IMPLEMENTATION_VERSION },
	{ "extras", TG_MV_EXTRAS },
	{ "extra", TG_MV_EXTRA },
	{ "dependency_groups", TG_MV_DEPENDENCY_GROUPS },
};

struct mp {
	const char *s;
	size_t n;
	size_t pos;
	struct tg_marker *m;
	struct tg_err *err;
	int depth;
};

static int fail_at(struct mp *p, size_t at, enum tg_code code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(struct mp *p, size_t at, enum tg_code code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tg_err_at(p->err, code, "", 0, at + 1, "%s at column %zu", msg, at + 1);
}

static bool word_at(struct mp *p, const char *w)
{
	size_t k = strlen(w);

	return p->n - p->pos >= k && memcmp(p->s + p->pos, w, k) == 0 &&
	       tg_py_boundary(p->s, p->n, p->pos) &&
	       tg_py_boundary(p->s, p->n, p->pos + k);
}

static void skip_ws(struct mp *p)
{
	p->pos = tg_pep508_ws_end(p->s, p->n, p->pos);
}

static int new_node(struct mp *p, size_t *idx)
{
	struct tg_marker *m = p->m;

	if (m->n_nodes >= TG_MARKER_MAX_NODES)
		return fail_at(p, p->pos, TG_ELIMIT,
			       "marker has more than %d terms", TG_MARKER_MAX_NODES);
	if (m->n_nodes == m->cap_nodes) {
		size_t ncap = m->cap_nodes ? m->cap_nodes * 2 : 8, bytes;
		struct tg_marker_node *nn;
		if (!tg_size_mul(ncap, sizeof(*nn), &bytes) || !(nn = realloc(m->nodes, bytes)))
			return tg_err_set(p->err, TG_ENOMEM, "out of memory parsing a marker");
		m->nodes = nn;
		m->cap_nodes = ncap;
	}
	memset(&m->nodes[m->n_nodes], 0, sizeof(m->nodes[0]));
	*idx = m->n_nodes++;
	return 0;
}

static int normalize_into(const char *s, size_t n, char **out, size_t *outlen,
			  struct tg_err *err)
{
	struct tg_buf b;
	int rc;

	tg_buf_init(&b, n + 1);
	rc = tg_marker_normalize_extra(s, n, &b, err);
	if (rc) {
		tg_buf_release(&b);
		return rc;
	}
	*out = tg_buf_detach(&b, outlen);
	return 0;
}

int tg_marker_normalize_extra(const char *s, size_t n, struct tg_buf *out,
			      struct tg_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < n; i++) {
		char c = s[i];
		if (c == '-' || c == '_' || c == '.') {
			while (i + 1 < n && (s[i + 1] == '-' || s[i + 1] == '_' || s[i + 1] == '.'))
				i++;
			rc = tg_buf_addc(out, '-', err);
		} else {
			rc = tg_buf_addc(out, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c, err);
		}
	}
	return rc;
}

static int parse_operand(struct mp *p, struct tg_marker_operand *o)
{
	size_t i, e;
	struct tg_buf val;
	size_t bad = 0;
	int rc;

	if (tg_py_boundary(p->s, p->n, p->pos)) {
		for (i = 0; i < sizeof(var_spellings) / sizeof(var_spellings[0]); i++) {
			size_t k = strlen(var_spellings[i].text);
			if (p->n - p->pos >= k &&
			    memcmp(p->s + p->pos, var_spellings[i].text, k) == 0 &&
			    tg_py_boundary(p->s, p->n, p->pos + k)) {
				o->is_var = true;
				o->var = var_spellings[i].var;
				p->pos += k;
				return 0;
			}
		}
	}
	e = tg_pep508_quoted_end(p->s, p->n, p->pos);
	if (e == p->pos)
		return fail_at(p, p->pos, TG_EPARSE,
			       "expected a marker variable or quoted string");
	tg_buf_init(&val, e - p->pos + 1);
	rc = tg_py_string_value(p->s, p->pos, e, &val, &bad, p->err);
	if (rc) {
		char why[TG_ERR_MSG_MAX];
		tg_buf_release(&val);
		if (rc != TG_EPARSE)
			return rc;
		(void)bad; /* packaging points past the whole literal */
		snprintf(why, sizeof(why), "%s", p->err->msg);
		return fail_at(p, e, TG_EPARSE, "%s", why);
	}
	o->is_var = false;
	o->text = tg_buf_detach(&val, &o->len);
	p->pos = e;
	return 0;
}

static int parse_op(struct mp *p, enum tg_marker_op *op)
{
	static const struct {
		const char *t;
		enum tg_marker_op op;
	} ops[] = {
		{ "===", TG_MO_ARBITRARY }, { "==", TG_MO_EQ }, { "~=", TG_MO_COMPATIBLE },
		{ "!=", TG_MO_NE }, { "<=", TG_MO_LE }, { ">=", TG_MO_GE },
		{ "<", TG_MO_LT }, { ">", TG_MO_GT },
	};
	size_t i;

	if (word_at(p, "in")) {
		p->pos += 2;
		*op = TG_MO_IN;
		return 0;
	}
	if (word_at(p, "not")) {
		p->pos += 3;
		if (p->pos >= p->n || (p->s[p->pos] != ' ' && p->s[p->pos] != '\t'))
			return fail_at(p, p->pos, TG_EPARSE, "expected whitespace after 'not'");
		skip_ws(p);
		if (!word_at(p, "in"))
			return fail_at(p, p->pos, TG_EPARSE, "expected 'in' after 'not'");
		p->pos += 2;
		*op = TG_MO_NOT_IN;
		return 0;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t k = strlen(ops[i].t);
		if (p->n - p->pos >= k && memcmp(p->s + p->pos, ops[i].t, k) == 0) {
			p->pos += k;
			*op = ops[i].op;
			return 0;
		}
	}
	return fail_at(p, p->pos, TG_EPARSE,
		       "expected a marker operator, one of <=, <, !=, ==, >=, >, "
		       "~=, ===, in, not in");
}

static void release_operand(struct tg_marker_operand *o)
{
	free(o->text);
	o->text = NULL;
	o->len = 0;
}

/* "extra == 'Foo_Bar'" keeps the value normalised, as packaging does. */
static int normalize_extra_operands(struct tg_marker_operand *l,
				    struct tg_marker_operand *r, struct tg_err *err)
{
	struct tg_marker_operand *lit = NULL;
	char *t;
	size_t len;
	int rc;

	if (l->is_var && l->var == TG_MV_EXTRA && !r->is_var)
		lit = r;
	else if (r->is_var && r->var == TG_MV_EXTRA && !l->is_var)
		lit = l;
	if (!lit)
		return 0;
	if ((rc = normalize_into(lit->text, lit->len, &t, &len, err)))
		return rc;
	free(lit->text);
	lit->text = t;
	lit->len = len;
	return 0;
}

static int parse_item(struct mp *p, size_t *idx)
{
	struct tg_marker_operand l = { 0 }, r = { 0 };
	enum tg_marker_op op = TG_MO_EQ;
	int rc;

	skip_ws(p);
	if ((rc = parse_operand(p, &l)))
		return rc;
	skip_ws(p);
	if ((rc = parse_op(p, &op)))
		goto fail;
	skip_ws(p);
	if ((rc = parse_operand(p, &r)))
		goto fail;
	skip_ws(p);
	if ((rc = normalize_extra_operands(&l, &r, p->err)))
		goto fail;
	if ((rc = new_node(p, idx)))
		goto fail;
	p->m->nodes[*idx].lhs = l;
	p->m->nodes[*idx].rhs = r;
	p->m->nodes[*idx].op = op;
	return 0;
fail:
	release_operand(&l);
	release_operand(&r);
	return rc;
}

static int parse_list(struct mp *p, size_t *idx);

static int parse_atom(struct mp *p, size_t *idx)
{
	int rc;

	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == '(') {
		size_t open = p->pos;
		if (p->depth >= TG_MARKER_MAX_DEPTH)
			return fail_at(p, p->pos, TG_ELIMIT,
				       "markers nested deeper than %d parentheses",
				       TG_MARKER_MAX_DEPTH);
		p->depth++;
		p->pos++;
		skip_ws(p);
		rc = parse_list(p, idx);
		p->depth--;
		if (rc)
			return rc;
		skip_ws(p);
		if (p->pos >= p->n || p->s[p->pos] != ')')
			return fail_at(p, p->pos, TG_EPARSE,
				       "expected ')' to close the '(' at column %zu",
				       open + 1);
		p->pos++;
	} else if ((rc = parse_item(p, idx))) {
		return rc;
	}
	skip_ws(p);
	return 0;
}

static int parse_list(struct mp *p, size_t *idx)
{
	struct tg_marker *m = p->m;
	size_t *kids = NULL, n = 0, cap = 0, i, kid;
	bool *ors = NULL, is_or = false;
	int rc = 0;

	for (;;) {
		if ((rc = parse_atom(p, &kid)))
			break;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			size_t *nk = realloc(kids, ncap * sizeof(*nk));
			bool *no;
			if (!nk) {
				rc = tg_err_set(p->err, TG_ENOMEM, "out of memory parsing a marker");
				break;
			}
			kids = nk;
			if (!(no = realloc(ors, ncap * sizeof(*no)))) {
				rc = tg_err_set(p->err, TG_ENOMEM, "out of memory parsing a marker");
				break;
			}
			ors = no;
			cap = ncap;
		}
		kids[n] = kid;
		ors[n++] = is_or;
		if (word_at(p, "or")) {
			is_or = true;
			p->pos += 2;
		} else if (word_at(p, "and")) {
			is_or = false;
			p->pos += 3;
		} else {
			break;
		}
	}
	if (!rc)
		rc = new_node(p, idx);
	if (!rc && m->n_children + n > m->cap_children) {
		size_t ncap = m->cap_children ? m->cap_children : 8, bytes;
		size_t *nc;
		bool *no;
		while (ncap < m->n_children + n)
			ncap *= 2;
		if (!tg_size_mul(ncap, sizeof(*nc), &bytes) || !(nc = realloc(m->children, bytes))) {
			rc = tg_err_set(p->err, TG_ENOMEM, "out of memory parsing a marker");
		} else {
			m->children = nc;
			if (!(no = realloc(m->or_before, ncap * sizeof(*no)))) {
				rc = tg_err_set(p->err, TG_ENOMEM, "out of memory parsing a marker");
			} else {
				m->or_before = no;
				m->cap_children = ncap;
			}
		}
	}
	if (!rc) {
		struct tg_marker_node *list = &m->nodes[*idx];
		list->is_list = true;
		list->first = m->n_children;
		list->count = n;
		for (i = 0; i < n; i++) {
			m->children[m->n_children] = kids[i];
			m->or_before[m->n_children++] = ors[i];
		}
	}
	free(kids);
	free(ors);
	return rc;
}

void tg_marker_release(struct tg_marker *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n_nodes; i++) {
		release_operand(&m->nodes[i].lhs);
		release_operand(&m->nodes[i].rhs);
	}
	free(m->nodes);
	free(m->children);
	free(m->or_before);
	memset(m, 0, sizeof(*m));
}

int tg_marker_parse_at(const char *s, size_t n, size_t *pos, struct tg_marker *out,
		       struct tg_err *err)
{
	struct mp p = { .s = s, .n = n, .pos = *pos, .m = out, .err = err };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = parse_list(&p, &out->root);
	if (rc) {
		tg_marker_release(out);
		return rc;
	}
	*pos = p.pos;
	return 0;
}

int tg_marker_parse(const char *s, size_t n, struct tg_marker *out,
		    struct tg_err *err)
{
	size_t pos = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (n > TG_MARKER_MAX_LENGTH)
		return tg_err_set(err, TG_ELIMIT, "marker longer than %u bytes",
				  TG_MARKER_MAX_LENGTH);
	if ((rc = tg_marker_parse_at(s, n, &pos, out, err)))
		return rc;
	/* Python's "$" also matches before one final newline */
	if (!(pos == n || (pos + 1 == n && s[pos] == '\n'))) {
		tg_marker_release(out);
		return tg_err_at(err, TG_EPARSE, "", 0, pos + 1,
				 "expected end of marker expression at column %zu",
				 pos + 1);
	}
	return 0;
}

/* ---- printing -------------------------------------------------------- */

static int format_operand(const struct tg_marker_operand *o, struct tg_buf *out,
			  struct tg_err *err)
{
	int rc;

	if (o->is_var)
		return tg_buf_adds(out, tg_marker_var_name(o->var), err);
	rc = tg_buf_addc(out, '"', err);
	if (!rc)
		rc = tg_buf_add(out, o->text, o->len, err);
	if (!rc)
		rc = tg_buf_addc(out, '"', err);
	return rc;
}

static int format_node(const struct tg_marker *m, size_t idx, bool first,
		       struct tg_buf *out, struct tg_err *err)
{
	const struct tg_marker_node *nd = &m->nodes[idx];
	size_t i;
	int rc;

	if (!nd->is_list) {
		rc = format_operand(&nd->lhs, out, err);
		if (!rc)
			rc = tg_buf_addf(out, err, " %s ", tg_marker_op_text(nd->op));
		if (!rc)
			rc = format_operand(&nd->rhs, out, err);
		return rc;
	}
	/* A group of one is printed as its content, whatever the nesting
	 * (packaging's "[[...]]" rule). */
	if (nd->count == 1)
		return format_node(m, m->children[nd->first], true, out, err);
	rc = first ? 0 : tg_buf_addc(out, '(', err);
	for (i = 0; !rc && i < nd->count; i++) {
		size_t c = nd->first + i;
		if (i)
			rc = tg_buf_adds(out, m->or_before[c] ? " or " : " and ", err);
		if (!rc)
			rc = format_node(m, m->children[c], false, out, err);
	}
	if (!rc && !first)
		rc = tg_buf_addc(out, ')', err);
	return rc;
}

int tg_marker_format(const struct tg_marker *m, struct tg_buf *out,
		     struct tg_err *err)
{
	if (m->n_nodes == 0)
		return 0;
	return format_node(m, m->root, true, out, err);
}

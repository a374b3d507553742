/* PEP 440 version specifiers and specifier sets.
 *
 * Each operator is reduced at parse time to comparisons against at most two
 * precomputed versions, following the version ranges packaging 26 uses:
 *   ==V.*  [V.dev0, next(V).dev0)       with next(1.2) = 1.3
 *   ~=V    [V, next(V[:-1]).dev0)
 *   <V     below V.dev0 (V itself when V is a pre-release): V's own
 *          pre-releases are excluded
 *   >V     V.devN -> from V.dev(N+1); V.postN -> from V.post(N+1).dev0;
 *          otherwise above V and not in V's family (V+local, V.postN...)
 *   <=V, ==V, !=V  compare public versions (a candidate's local label is
 *          ignored) unless V itself has a local label.
 */
#include "tollgate/pep440.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pep440_internal.h"
#include "tollgate/str.h"

static const char *op_name(enum tg_pep440_op op)
{
	switch (op) {
	case TG_PEP440_OP_EQ: return "==";
	case TG_PEP440_OP_NE: return "!=";
	case TG_PEP440_OP_LE: return "<=";
	case TG_PEP440_OP_GE: return ">=";
	case TG_PEP440_OP_LT: return "<";
	case TG_PEP440_OP_GT: return ">";
	case TG_PEP440_OP_COMPATIBLE: return "~=";
	case TG_PEP440_OP_ARBITRARY: return "===";
	}
	return "?";
}

static void spec_release(struct tg_pep440_spec *sp)
{
	tg_pep440_release(&sp->version);
	tg_pep440_release(&sp->lo);
	tg_pep440_release(&sp->hi);
	free(sp->text);
	memset(sp, 0, sizeof(*sp));
}

void tg_pep440_specset_release(struct tg_pep440_specset *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		spec_release(&set->items[i]);
	free(set->items);
	memset(set, 0, sizeof(*set));
}

static bool is_arbitrary_stop(const char *s, size_t n, size_t *k)
{
	if (s[0] == ';' || s[0] == ')') {
		*k = 1;
		return true;
	}
	*k = pep440_space_len(s, n);
	return *k > 0;
}

/* Build "E!R0.R1...Rk" where Rk is bumped by one (bump) and ".dev0"
 * follows, then parse it into out. Used for the upper bounds. */
static int make_bound(const struct tg_pep440 *v, size_t nrel, bool bump,
		      struct tg_pep440 *out, struct tg_err *err)
{
	char tmp[TG_PEP440_MAX_LEN * 2];
	struct pep440_out o = { tmp, 0, sizeof(tmp), false };
	size_t i;

	if (v->epoch.ndigits) {
		pep440_out_num(&o, &v->epoch);
		pep440_out_add(&o, "!", 1);
	}
	for (i = 0; i < nrel; i++) {
		if (i)
			pep440_out_add(&o, ".", 1);
		if (bump && i + 1 == nrel)
			pep440_out_num_plus_one(&o, tg_pep440_release_at(v, i));
		else
			pep440_out_num(&o, tg_pep440_release_at(v, i));
	}
	pep440_out_add(&o, ".dev0", 5);
	if (o.overflow)
		return tg_err_set(err, TG_ELIMIT, "specifier version too long");
	return pep440_parse_opts(tmp, o.len, PEP440_NO_TRIM, out, NULL, 0, err);
}

/* The smallest version above every version in >V's exclusion when V has a
 * dev or post segment: V.dev(N+1), or V.post(N+1).dev0. */
static int make_gt_bound(const struct tg_pep440 *v, struct tg_pep440 *out,
			 struct tg_err *err)
{
	static const char *const pre_names[] = { "", "a", "b", "rc" };
	char tmp[TG_PEP440_MAX_LEN * 2];
	struct pep440_out o = { tmp, 0, sizeof(tmp), false };
	size_t n = pep440_format(v, 2, tmp, sizeof(tmp));

	if (n >= sizeof(tmp))
		return tg_err_set(err, TG_ELIMIT, "specifier version too long");
	o.len = n;
	if (v->pre_kind) {
		pep440_out_add(&o, pre_names[v->pre_kind], strlen(pre_names[v->pre_kind]));
		pep440_out_num(&o, &v->pre);
	}
	if (v->has_dev) {
		if (v->has_post) {
			pep440_out_add(&o, ".post", 5);
			pep440_out_num(&o, &v->post);
		}
		pep440_out_add(&o, ".dev", 4);
		pep440_out_num_plus_one(&o, &v->dev);
	} else {
		pep440_out_add(&o, ".post", 5);
		pep440_out_num_plus_one(&o, &v->post);
		pep440_out_add(&o, ".dev0", 5);
	}
	if (o.overflow)
		return tg_err_set(err, TG_ELIMIT, "specifier version too long");
	return pep440_parse_opts(tmp, o.len, PEP440_NO_TRIM, out, NULL, 0, err);
}

static int make_lt_bound(const struct tg_pep440 *v, struct tg_pep440 *out,
			 struct tg_err *err)
{
	char tmp[TG_PEP440_MAX_LEN * 2];
	struct pep440_out o = { tmp, 0, sizeof(tmp), false };

	o.len = pep440_format(v, 1, tmp, sizeof(tmp));
	if (o.len >= sizeof(tmp))
		return tg_err_set(err, TG_ELIMIT, "specifier version too long");
	pep440_out_add(&o, ".dev0", 5);
	if (o.overflow)
		return tg_err_set(err, TG_ELIMIT, "specifier version too long");
	return pep440_parse_opts(tmp, o.len, PEP440_NO_TRIM, out, NULL, 0, err);
}

static int compute_bounds(struct tg_pep440_spec *sp, struct tg_err *err)
{
	const struct tg_pep440 *v = &sp->version;
	int rc = 0;

	switch (sp->op) {
	case TG_PEP440_OP_EQ:
	case TG_PEP440_OP_NE:
		if (!sp->wildcard)
			return 0;
		if ((rc = make_bound(v, v->nrelease, false, &sp->lo, err)))
			return rc;
		sp->has_lo = true;
		if ((rc = make_bound(v, v->nrelease, true, &sp->hi, err)))
			return rc;
		sp->has_hi = true;
		return 0;
	case TG_PEP440_OP_COMPATIBLE:
		if ((rc = make_bound(v, v->nrelease - 1u, true, &sp->hi, err)))
			return rc;
		sp->has_hi = true;
		return 0;
	case TG_PEP440_OP_LT:
		if (tg_pep440_is_prerelease(v))
			return 0;
		if ((rc = make_lt_bound(v, &sp->lo, err)))
			return rc;
		sp->has_lo = true;
		return 0;
	case TG_PEP440_OP_GT:
		if (!v->has_dev && !v->has_post)
			return 0;
		if ((rc = make_gt_bound(v, &sp->lo, err)))
			return rc;
		sp->has_lo = true;
		return 0;
	default:
		return 0;
	}
}

static int spec_fail(struct tg_err *err, size_t col, const char *item,
		     size_t len, const char *what)
{
	return tg_err_at(err, TG_EPARSE, NULL, 0, col,
			 "invalid specifier '%.*s': %s at column %zu",
			 (int)(len > 80 ? 80 : len), item, what, col);
}

/* Parse one trimmed item it[0..n) whose first byte is at column col. */
static int parse_item(const char *it, size_t n, size_t col,
		      struct tg_pep440_spec *sp, struct tg_err *err)
{
	static const struct {
		const char *w;
		enum tg_pep440_op op;
		unsigned opts;
	} ops[] = {
		{ "===", TG_PEP440_OP_ARBITRARY, 0 },
		{ "~=", TG_PEP440_OP_COMPATIBLE, PEP440_NEED_TWO },
		{ "==", TG_PEP440_OP_EQ, PEP440_ALLOW_LOCAL | PEP440_ALLOW_WILDCARD },
		{ "!=", TG_PEP440_OP_NE, PEP440_ALLOW_LOCAL | PEP440_ALLOW_WILDCARD },
		{ "<=", TG_PEP440_OP_LE, 0 },
		{ ">=", TG_PEP440_OP_GE, 0 },
		{ "<", TG_PEP440_OP_LT, 0 },
		{ ">", TG_PEP440_OP_GT, 0 },
	};
	size_t i, p = 0, k, oplen = 0, arg_end;
	unsigned opts = 0;
	int rc;

	memset(sp, 0, sizeof(*sp));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		oplen = strlen(ops[i].w);
		if (n >= oplen && memcmp(it, ops[i].w, oplen) == 0)
			break;
	}
	if (i == sizeof(ops) / sizeof(ops[0]))
		return spec_fail(err, col, it, n,
				 "expected an operator (==, !=, <=, >=, <, >, ~=, ===)");
	sp->op = ops[i].op;
	opts = ops[i].opts;
	p = oplen;
	while (p < n && (k = pep440_space_len(it + p, n - p)))
		p += k;
	arg_end = n;
	if (sp->op == TG_PEP440_OP_ARBITRARY) {
		size_t q;
		for (q = p; q < n; q += k ? k : 1) {
			if (is_arbitrary_stop(it + q, n - q, &k))
				return spec_fail(err, col + q, it, n,
						 "'===' takes a value without whitespace, ';' or ')'");
		}
	} else if (p == n) {
		char what[64];
		snprintf(what, sizeof(what), "expected a version after '%s'",
			 op_name(sp->op));
		return spec_fail(err, col + p, it, n, what);
	}
	sp->text_len = oplen + (arg_end - p);
	sp->text = malloc(sp->text_len + 1);
	if (!sp->text)
		return tg_err_set(err, TG_ENOMEM, "out of memory parsing a specifier");
	memcpy(sp->text, it, oplen);
	memcpy(sp->text + oplen, it + p, arg_end - p);
	sp->text[sp->text_len] = '\0';
	sp->arg_off = oplen;
	if (sp->op == TG_PEP440_OP_ARBITRARY) {
		struct tg_pep440 v;
		if (arg_end - p <= TG_PEP440_MAX_LEN &&
		    tg_pep440_parse(it + p, arg_end - p, &v, NULL) == 0) {
			sp->version = v;
			sp->has_version = true;
			sp->names_prerelease = tg_pep440_is_prerelease(&v);
		}
		return 0;
	}
	rc = pep440_parse_opts(it + p, arg_end - p, opts | PEP440_NO_TRIM,
			       &sp->version, &sp->wildcard, col - 1 + p, err);
	if (rc) {
		char prefix[80];
		snprintf(prefix, sizeof(prefix), "in specifier '%s'", op_name(sp->op));
		tg_err_prefix(err, "%s", prefix);
		return rc;
	}
	sp->has_version = true;
	if (sp->op == TG_PEP440_OP_NE || sp->wildcard)
		sp->names_prerelease = false;
	else
		sp->names_prerelease = tg_pep440_is_prerelease(&sp->version);
	return compute_bounds(sp, err);
}

int tg_pep440_spec_parse(const char *s, size_t n, struct tg_pep440_specset *out,
			 struct tg_err *err)
{
	size_t start = 0, count = 0, i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (n > TG_PEP440_SPEC_MAX_LEN)
		return tg_err_set(err, TG_ELIMIT,
				  "specifier set is %zu bytes, longer than the %d-byte limit",
				  n, TG_PEP440_SPEC_MAX_LEN);
	for (i = 0; i < n; i++)
		if (s[i] == ',')
			count++;
	if (count + 1 > TG_PEP440_SPEC_MAX_ITEMS) {
		/* Empty items do not count; only refuse when the real ones
		 * exceed the cap, found below. */
		count = TG_PEP440_SPEC_MAX_ITEMS;
	} else {
		count++;
	}
	out->items = calloc(count, sizeof(*out->items));
	if (!out->items)
		return tg_err_set(err, TG_ENOMEM, "out of memory parsing a specifier");
	while (start <= n) {
		size_t end = start, b, e, k;

		while (end < n && s[end] != ',')
			end++;
		b = start;
		e = end;
		while (b < e && (k = pep440_space_len(s + b, e - b)))
			b += k;
		while (e > b && (k = pep440_space_len_back(s + b, e - b)))
			e -= k;
		if (b < e) {
			if (out->n == TG_PEP440_SPEC_MAX_ITEMS) {
				rc = tg_err_at(err, TG_ELIMIT, NULL, 0, b + 1,
					       "specifier set has more than %d items",
					       TG_PEP440_SPEC_MAX_ITEMS);
				goto fail;
			}
			if (e - b > TG_PEP440_MAX_LEN + 8) {
				rc = tg_err_at(err, TG_ELIMIT, NULL, 0, b + 1,
					       "specifier is %zu bytes, longer than the %d-byte limit",
					       e - b, TG_PEP440_MAX_LEN + 8);
				goto fail;
			}
			rc = parse_item(s + b, e - b, b + 1, &out->items[out->n], err);
			if (rc) {
				spec_release(&out->items[out->n]);
				goto fail;
			}
			if (out->items[out->n].names_prerelease)
				out->names_prerelease = true;
			if (out->items[out->n].op == TG_PEP440_OP_ARBITRARY)
				out->has_arbitrary = true;
			out->n++;
		}
		start = end + 1;
	}
	return 0;
fail:
	tg_pep440_specset_release(out);
	return rc;
}

/* ---- matching ---- */

static bool same_family(const struct tg_pep440 *a, const struct tg_pep440 *b)
{
	struct tg_pep440 x = *a, y = *b;

	/* Compare epoch, release and pre-release only. */
	x.has_post = y.has_post = false;
	x.has_dev = y.has_dev = false;
	x.nlocal = y.nlocal = 0;
	return tg_pep440_cmp_public(&x, &y) == 0;
}

static bool eq_match(const struct tg_pep440_spec *sp, const struct tg_pep440 *v)
{
	if (sp->wildcard)
		return tg_pep440_cmp(v, &sp->lo) >= 0 && tg_pep440_cmp(v, &sp->hi) < 0;
	if (sp->version.nlocal)
		return tg_pep440_cmp(v, &sp->version) == 0;
	return tg_pep440_cmp_public(v, &sp->version) == 0;
}

static bool ascii_case_equal(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return false;
	for (i = 0; i < an; i++)
		if (tg_ascii_lower(a[i]) != tg_ascii_lower(b[i]))
			return false;
	return true;
}

static bool arbitrary_match(const struct tg_pep440_spec *sp, const char *s,
			    size_t n)
{
	return ascii_case_equal(s, n, sp->text + sp->arg_off,
				sp->text_len - sp->arg_off);
}

static bool item_match(const struct tg_pep440_spec *sp, const struct tg_pep440 *v)
{
	const struct tg_pep440 *w = &sp->version;

	switch (sp->op) {
	case TG_PEP440_OP_EQ:
		return eq_match(sp, v);
	case TG_PEP440_OP_NE:
		return !eq_match(sp, v);
	case TG_PEP440_OP_LE:
		return tg_pep440_cmp_public(v, w) <= 0;
	case TG_PEP440_OP_GE:
		return tg_pep440_cmp(v, w) >= 0;
	case TG_PEP440_OP_LT:
		return tg_pep440_cmp(v, sp->has_lo ? &sp->lo : w) < 0;
	case TG_PEP440_OP_GT:
		if (sp->has_lo)
			return tg_pep440_cmp(v, &sp->lo) >= 0;
		return tg_pep440_cmp(v, w) > 0 && !same_family(v, w);
	case TG_PEP440_OP_COMPATIBLE:
		return tg_pep440_cmp(v, w) >= 0 && tg_pep440_cmp(v, &sp->hi) < 0;
	case TG_PEP440_OP_ARBITRARY:
		return false; /* handled by the callers, which have the text */
	}
	return false;
}

static bool pre_allowed(const struct tg_pep440_specset *set,
			const struct tg_pep440 *v, enum tg_pre_mode mode)
{
	if (!tg_pep440_is_prerelease(v))
		return true;
	if (mode == TG_PRE_EXCLUDE)
		return false;
	if (mode == TG_PRE_AUTO)
		return set->names_prerelease;
	return true;
}

static bool all_match(const struct tg_pep440_specset *set,
		      const struct tg_pep440 *v, const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct tg_pep440_spec *sp = &set->items[i];
		if (sp->op == TG_PEP440_OP_ARBITRARY) {
			if (!arbitrary_match(sp, text, len))
				return false;
		} else if (!v || !item_match(sp, v)) {
			return false;
		}
	}
	return true;
}

bool tg_pep440_spec_contains(const struct tg_pep440_specset *set,
			     const struct tg_pep440 *v, enum tg_pre_mode mode)
{
	char text[TG_PEP440_MAX_LEN * 4];
	size_t len = 0;

	if (!pre_allowed(set, v, mode))
		return false;
	if (set->has_arbitrary)
		len = pep440_format(v, 0, text, sizeof(text));
	return all_match(set, v, text, len);
}

bool tg_pep440_spec_contains_str(const struct tg_pep440_specset *set,
				 const char *s, size_t n, enum tg_pre_mode mode,
				 bool *valid)
{
	struct tg_pep440 v;
	bool ok, result;

	ok = tg_pep440_parse(s, n, &v, NULL) == 0;
	if (valid)
		*valid = ok;
	if (ok && !pre_allowed(set, &v, mode))
		result = false;
	else
		result = all_match(set, ok ? &v : NULL, s, n);
	tg_pep440_release(&v);
	return result;
}

size_t tg_pep440_spec_filter(const struct tg_pep440_specset *set,
			     const char *const *cands, const size_t *lens,
			     size_t n, enum tg_pre_mode mode, bool *keep)
{
	/* 1 keep pre-releases, 0 drop them, -1 PEP 440 default: keep them
	 * only when no final release matches. */
	int pre = mode == TG_PRE_INCLUDE ? 1 : mode == TG_PRE_EXCLUDE ? 0 :
		  set->names_prerelease ? 1 : -1;
	bool found_final = false;
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		struct tg_pep440 v;
		bool ok = tg_pep440_parse(cands[i], lens[i], &v, NULL) == 0;
		bool is_pre = ok && tg_pep440_is_prerelease(&v);

		keep[i] = all_match(set, ok ? &v : NULL, cands[i], lens[i]);
		if (keep[i] && is_pre && pre == 0)
			keep[i] = false;
		if (keep[i] && ok && !is_pre)
			found_final = true;
		tg_pep440_release(&v);
	}
	for (i = 0; i < n; i++) {
		if (keep[i] && pre == -1 && found_final) {
			struct tg_pep440 v;
			if (tg_pep440_parse(cands[i], lens[i], &v, NULL) == 0 &&
			    tg_pep440_is_prerelease(&v))
				keep[i] = false;
			tg_pep440_release(&v);
		}
		kept += keep[i];
	}
	return kept;
}

/* packaging's Specifier equality: same operator and the same canonical
 * version (trailing release zeros ignored except for ~=), or the same
 * text for "===" and wildcards. */
static bool spec_equal(const struct tg_pep440_spec *a, const struct tg_pep440_spec *b)
{
	if (a->op != b->op)
		return false;
	if (a->op == TG_PEP440_OP_ARBITRARY || a->wildcard || b->wildcard)
		return a->text_len == b->text_len &&
		       memcmp(a->text, b->text, a->text_len) == 0;
	if (tg_pep440_cmp(&a->version, &b->version) != 0)
		return false;
	return a->op != TG_PEP440_OP_COMPATIBLE ||
	       a->version.nrelease == b->version.nrelease;
}

static int text_cmp(const void *pa, const void *pb)
{
	const struct tg_pep440_spec *a = *(const struct tg_pep440_spec *const *)pa;
	const struct tg_pep440_spec *b = *(const struct tg_pep440_spec *const *)pb;
	size_t k = a->text_len < b->text_len ? a->text_len : b->text_len;
	int c = memcmp(a->text, b->text, k);

	if (c)
		return c;
	return (a->text_len > b->text_len) - (a->text_len < b->text_len);
}

int tg_pep440_specset_format(const struct tg_pep440_specset *set,
			     struct tg_buf *out, struct tg_err *err)
{
	const struct tg_pep440_spec *sorted[TG_PEP440_SPEC_MAX_ITEMS];
	size_t i, j, written = 0;
	int rc;

	for (i = 0; i < set->n; i++)
		sorted[i] = &set->items[i];
	qsort(sorted, set->n, sizeof(sorted[0]), text_cmp);
	for (i = 0; i < set->n; i++) {
		bool dup = false;
		for (j = 0; j < i && !dup; j++)
			dup = spec_equal(sorted[j], sorted[i]);
		if (dup)
			continue;
		if (written++ && (rc = tg_buf_addc(out, ',', err)))
			return rc;
		if ((rc = tg_buf_add(out, sorted[i]->text, sorted[i]->text_len, err)))
			return rc;
	}
	return 0;
}

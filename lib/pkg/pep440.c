/* PEP 440 versions: parsing, canonical form, ordering.
 *
 * The grammar is packaging's VERSION_PATTERN (see pep440.h). It is scanned
 * by hand, left to right: every optional part (pre, post, dev) starts with
 * a word no other part starts with, so taking the longest spelling and
 * keeping a separator once consumed gives the same answer as the regular
 * expression's backtracking. */
#include "tollgate/pep440.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pep440_internal.h"
#include "tollgate/size.h"

#define MAX_PARTS (TG_PEP440_MAX_LEN / 2 + 1)
#define SMALL_DIGITS 19 /* 10^19 - 1 < 2^64 */

struct span {
	size_t off, len; /* significant digits (no leading zeros) in the text */
};

struct scratch {
	struct span epoch, pre, post, dev;
	struct span rel[MAX_PARTS];
	size_t nrel;
	int pre_kind;
	bool has_post, has_dev;
	struct {
		struct span sp; /* the whole segment for text, digits for numbers */
		bool numeric;
	} loc[MAX_PARTS];
	size_t nloc;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Python's str.isspace() set, which both \s in packaging's patterns and
 * str.strip() use: ASCII \t\n\v\f\r, the separators U+001C..U+001F, space,
 * and the Unicode spaces below, in UTF-8. */
size_t pep440_space_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 0)
		return 0;
	if ((u[0] >= 0x09 && u[0] <= 0x0d) || (u[0] >= 0x1c && u[0] <= 0x20))
		return 1;
	if (n >= 2 && u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	if (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) /* U+1680 */
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x80 &&
	    ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 ||
	     u[2] == 0xaf)) /* U+2000..U+200A, U+2028, U+2029, U+202F */
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) /* U+205F */
		return 3;
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) /* U+3000 */
		return 3;
	return 0;
}

size_t pep440_space_len_back(const char *s, size_t n)
{
	size_t k;

	for (k = 1; k <= 3 && k <= n; k++)
		if (pep440_space_len(s + n - k, k) == k)
			return k;
	return 0;
}

/* A short printable rendering of s for messages. */
static void quote(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == 60) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
		} else {
			snprintf(out + o, cap - o, "\\x%02x", c);
			o += 4;
		}
	}
	out[o] = '\0';
}

static int fail(struct tg_err *err, const char *s, size_t n, size_t col,
		const char *what)
{
	char q[300];

	quote(s, n, q, sizeof(q));
	return tg_err_at(err, TG_EPARSE, NULL, 0, col,
			 "invalid version '%s': %s at column %zu", q, what, col);
}

static int fail_unexpected(struct tg_err *err, const char *s, size_t n,
			   size_t col, char c)
{
	char what[48], ch[16];

	quote(&c, 1, ch, sizeof(ch));
	snprintf(what, sizeof(what), "unexpected '%s'", ch);
	return fail(err, s, n, col, what);
}

static void scan_digits(const char *t, size_t m, size_t *p, struct span *sp)
{
	size_t start = *p;

	while (*p < m && is_digit(t[*p]))
		(*p)++;
	while (start < *p && t[start] == '0')
		start++;
	sp->off = start;
	sp->len = *p - start;
}

static size_t match_word(const char *t, size_t m, const char *w)
{
	size_t k = strlen(w), i;

	if (k > m)
		return 0;
	for (i = 0; i < k; i++)
		if (lower(t[i]) != w[i])
			return 0;
	return k;
}

/* Longest pre-release spelling at t; 0 when none. */
static size_t match_pre(const char *t, size_t m, int *kind)
{
	static const struct {
		const char *w;
		int kind;
	} words[] = {
		{ "preview", TG_PEP440_PRE_RC }, { "alpha", TG_PEP440_PRE_A },
		{ "beta", TG_PEP440_PRE_B },     { "pre", TG_PEP440_PRE_RC },
		{ "rc", TG_PEP440_PRE_RC },      { "a", TG_PEP440_PRE_A },
		{ "b", TG_PEP440_PRE_B },        { "c", TG_PEP440_PRE_RC },
	};
	size_t i, k;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		k = match_word(t, m, words[i].w);
		if (k) {
			*kind = words[i].kind;
			return k;
		}
	}
	return 0;
}

static size_t match_post(const char *t, size_t m)
{
	size_t k;

	if ((k = match_word(t, m, "post")) || (k = match_word(t, m, "rev")) ||
	    (k = match_word(t, m, "r")))
		return k;
	return 0;
}

/* label [-_.]? digits? after an optional leading separator; returns true
 * and advances *p when the label is there. */
static bool scan_labelled(const char *t, size_t m, size_t *p, int which,
			  int *kind, struct span *num)
{
	size_t q = *p, k;

	if (q < m && is_sep(t[q]))
		q++;
	if (q >= m) /* most versions end at the release: nothing to look for */
		return false;
	if (which == 0)
		k = match_pre(t + q, m - q, kind);
	else if (which == 1)
		k = match_post(t + q, m - q);
	else
		k = match_word(t + q, m - q, "dev");
	if (!k)
		return false;
	q += k;
	if (q < m && is_sep(t[q]))
		q++;
	scan_digits(t, m, &q, num);
	*p = q;
	return true;
}

static bool span_big(const struct span *sp)
{
	return sp->len > SMALL_DIGITS;
}

static void set_num(struct tg_pep440_num *num, const char *t,
		    const struct span *sp, char **text)
{
	size_t i;

	num->ndigits = (uint32_t)sp->len;
	num->value = 0;
	num->digits = NULL;
	if (sp->len <= SMALL_DIGITS) {
		for (i = 0; i < sp->len; i++)
			num->value = num->value * 10 + (uint64_t)(t[sp->off + i] - '0');
		return;
	}
	memcpy(*text, t + sp->off, sp->len);
	num->digits = *text;
	*text += sp->len;
}

static int build(const char *t, const struct scratch *sc, struct tg_pep440 *out,
		 struct tg_err *err)
{
	size_t i, text = 0, need = 0, rel_bytes = 0, loc_bytes = 0;
	char *tp = NULL;
	unsigned char *heap;

	if (span_big(&sc->epoch))
		text += sc->epoch.len;
	if (sc->pre_kind && span_big(&sc->pre))
		text += sc->pre.len;
	if (sc->has_post && span_big(&sc->post))
		text += sc->post.len;
	if (sc->has_dev && span_big(&sc->dev))
		text += sc->dev.len;
	for (i = 0; i < sc->nrel; i++)
		if (span_big(&sc->rel[i]))
			text += sc->rel[i].len;
	for (i = 0; i < sc->nloc; i++)
		text += sc->loc[i].sp.len;
	if (sc->nrel > TG_PEP440_INLINE_RELEASE)
		rel_bytes = sc->nrel * sizeof(struct tg_pep440_num);
	loc_bytes = sc->nloc * sizeof(struct tg_pep440_local);
	need = rel_bytes + loc_bytes + text;
	if (need) {
		heap = malloc(need);
		if (!heap)
			return tg_err_set(err, TG_ENOMEM, "out of memory parsing a version");
		out->heap = heap;
		out->heap_size = need;
		if (rel_bytes)
			out->release_heap = (struct tg_pep440_num *)(void *)heap;
		if (loc_bytes)
			out->local = (struct tg_pep440_local *)(void *)(heap + rel_bytes);
		tp = (char *)heap + rel_bytes + loc_bytes;
	}
	set_num(&out->epoch, t, &sc->epoch, &tp);
	out->pre_kind = (uint8_t)sc->pre_kind;
	if (sc->pre_kind)
		set_num(&out->pre, t, &sc->pre, &tp);
	out->has_post = sc->has_post;
	if (sc->has_post)
		set_num(&out->post, t, &sc->post, &tp);
	out->has_dev = sc->has_dev;
	if (sc->has_dev)
		set_num(&out->dev, t, &sc->dev, &tp);
	out->nrelease = (uint16_t)sc->nrel;
	out->nrelease_sig = 1;
	for (i = 0; i < sc->nrel; i++) {
		struct tg_pep440_num *dst = out->release_heap ?
			&out->release_heap[i] : &out->release_inline[i];
		set_num(dst, t, &sc->rel[i], &tp);
		if (sc->rel[i].len)
			out->nrelease_sig = (uint16_t)(i + 1);
	}
	out->nlocal = (uint16_t)sc->nloc;
	for (i = 0; i < sc->nloc; i++) {
		struct tg_pep440_local *l = &out->local[i];
		size_t j;

		memset(l, 0, sizeof(*l));
		l->numeric = sc->loc[i].numeric;
		if (l->numeric) {
			set_num(&l->num, t, &sc->loc[i].sp, &tp);
			continue;
		}
		for (j = 0; j < sc->loc[i].sp.len; j++)
			tp[j] = lower(t[sc->loc[i].sp.off + j]);
		l->text = tp;
		l->len = (uint32_t)sc->loc[i].sp.len;
		tp += sc->loc[i].sp.len;
	}
	return 0;
}

int pep440_parse_opts(const char *s, size_t n, unsigned opts,
		      struct tg_pep440 *out, bool *wildcard, size_t col_base,
		      struct tg_err *err)
{
	struct scratch scratch_mem, *sc = &scratch_mem;
	size_t b = 0, e = n, p = 0, m, k;
	const char *t;
	struct span first;
	int rc;

	memset(out, 0, sizeof(*out));
	if (wildcard)
		*wildcard = false;
	if (n > TG_PEP440_MAX_LEN)
		return tg_err_at(err, TG_ELIMIT, NULL, 0, col_base + 1,
				 "version is %zu bytes, longer than the %d-byte limit",
				 n, TG_PEP440_MAX_LEN);
	if (!(opts & PEP440_NO_TRIM)) {
		while (b < e && (k = pep440_space_len(s + b, e - b)))
			b += k;
		while (e > b && (k = pep440_space_len_back(s + b, e - b)))
			e -= k;
	}
	t = s + b;
	m = e - b;
	col_base += b + 1; /* column of t[0] */
	if (m == 0)
		return tg_err_at(err, TG_EPARSE, NULL, 0, col_base,
				 "invalid version: empty");
	/* Only the fields read later are set: zeroing the whole scratch
	 * (several KB) would cost more than the parse. */
	sc->epoch.off = sc->epoch.len = 0;
	sc->nrel = sc->nloc = 0;
	sc->pre_kind = 0;
	sc->has_post = sc->has_dev = false;

	if (t[p] == 'v' || t[p] == 'V')
		p++;
	if (p >= m || !is_digit(t[p])) {
		rc = fail(err, t, m, col_base + p, "expected a digit");
		goto out;
	}
	scan_digits(t, m, &p, &first);
	if (p < m && t[p] == '!') {
		sc->epoch = first;
		p++;
		if (p >= m || !is_digit(t[p])) {
			rc = fail(err, t, m, col_base + p,
				  "expected a release number after the epoch");
			goto out;
		}
		scan_digits(t, m, &p, &sc->rel[0]);
	} else {
		sc->rel[0] = first;
	}
	sc->nrel = 1;
	while (p + 1 < m && t[p] == '.' && is_digit(t[p + 1])) {
		p++;
		scan_digits(t, m, &p, &sc->rel[sc->nrel++]);
	}
	if ((opts & PEP440_NEED_TWO) && sc->nrel < 2) {
		rc = fail(err, t, m, col_base,
			  "'~=' needs at least two release numbers");
		goto out;
	}
	if ((opts & PEP440_ALLOW_WILDCARD) && p + 2 == m && t[p] == '.' &&
	    t[p + 1] == '*') {
		if (wildcard)
			*wildcard = true;
		p = m;
		rc = build(t, sc, out, err);
		goto out;
	}
	scan_labelled(t, m, &p, 0, &sc->pre_kind, &sc->pre);
	if (p + 1 < m && t[p] == '-' && is_digit(t[p + 1])) {
		p++;
		scan_digits(t, m, &p, &sc->post);
		sc->has_post = true;
	} else {
		int unused;
		sc->has_post = scan_labelled(t, m, &p, 1, &unused, &sc->post);
	}
	{
		int unused;
		sc->has_dev = scan_labelled(t, m, &p, 2, &unused, &sc->dev);
	}
	if (p < m && t[p] == '+') {
		if (!(opts & PEP440_ALLOW_LOCAL)) {
			rc = fail(err, t, m, col_base + p,
				  "a local version label is not allowed here");
			goto out;
		}
		p++;
		for (;;) {
			size_t start = p;
			bool numeric = true;

			while (p < m && is_alnum(t[p])) {
				if (!is_digit(t[p]))
					numeric = false;
				p++;
			}
			if (p == start) {
				rc = fail(err, t, m, col_base + p,
					  "expected a letter or digit in the local version label");
				goto out;
			}
			sc->loc[sc->nloc].numeric = numeric;
			sc->loc[sc->nloc].sp.off = start;
			sc->loc[sc->nloc].sp.len = p - start;
			if (numeric) {
				size_t q = start;
				scan_digits(t, p, &q, &sc->loc[sc->nloc].sp);
			}
			sc->nloc++;
			if (p + 1 < m && is_sep(t[p]) && is_alnum(t[p + 1])) {
				p++;
				continue;
			}
			break;
		}
	}
	if (p != m) {
		if (t[p] == '.' && p + 1 < m && t[p + 1] == '*')
			rc = fail(err, t, m, col_base + p,
				  (opts & PEP440_ALLOW_WILDCARD) ?
				  "'.*' must come right after the release numbers, at the end" :
				  "'.*' is only allowed with '==' and '!='");
		else
			rc = fail_unexpected(err, t, m, col_base + p, t[p]);
		goto out;
	}
	rc = build(t, sc, out, err);
out:
	return rc;
}

int tg_pep440_parse(const char *s, size_t n, struct tg_pep440 *out,
		    struct tg_err *err)
{
	return pep440_parse_opts(s, n, PEP440_ALLOW_LOCAL, out, NULL, 0, err);
}

int tg_pep440_parse_str(const char *s, struct tg_pep440 *out, struct tg_err *err)
{
	return tg_pep440_parse(s, strlen(s), out, err);
}

bool tg_pep440_valid(const char *s, size_t n)
{
	struct tg_pep440 v;
	int rc = tg_pep440_parse(s, n, &v, NULL);

	tg_pep440_release(&v);
	return rc == 0;
}

/* A number in canonical form: digits without leading zeros; the end of
 * it, or NULL. */
static const char *canon_num(const char *s, const char *end)
{
	if (s < end && *s == '0')
		return s + 1 < end && s[1] >= '0' && s[1] <= '9' ? NULL : s + 1;
	if (s >= end || *s < '1' || *s > '9')
		return NULL;
	while (s < end && *s >= '0' && *s <= '9')
		s++;
	return s;
}

static bool at(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && memcmp(s, word, n) == 0;
}

bool tg_pep440_is_canonical(const char *s, size_t n)
{
	const char *end = s + n;

	if (!(s = canon_num(s, end)))
		return false;
	while (s + 1 < end && *s == '.' && s[1] >= '0' && s[1] <= '9')
		if (!(s = canon_num(s + 1, end)))
			return false;
	if (s < end && (*s == 'a' || *s == 'b'))
		s++;
	else if (at(s, end, "rc"))
		s += 2;
	else
		goto post;
	if (!(s = canon_num(s, end)))
		return false;
post:
	if (at(s, end, ".post") && !(s = canon_num(s + 5, end)))
		return false;
	if (at(s, end, ".dev") && !(s = canon_num(s + 4, end)))
		return false;
	return s == end;
}

void tg_pep440_release(struct tg_pep440 *v)
{
	if (!v)
		return;
	free(v->heap);
	memset(v, 0, sizeof(*v));
}

static void rebase(const char **p, const void *old, void *new_heap)
{
	if (*p)
		*p = (const char *)new_heap + (*p - (const char *)old);
}

int tg_pep440_copy(struct tg_pep440 *dst, const struct tg_pep440 *src,
		   struct tg_err *err)
{
	void *heap;
	size_t i;

	*dst = *src;
	if (!src->heap)
		return 0;
	heap = malloc(src->heap_size);
	if (!heap) {
		memset(dst, 0, sizeof(*dst));
		return tg_err_set(err, TG_ENOMEM, "out of memory copying a version");
	}
	memcpy(heap, src->heap, src->heap_size);
	dst->heap = heap;
	if (src->release_heap)
		dst->release_heap = (struct tg_pep440_num *)(void *)((char *)heap +
			((const char *)src->release_heap - (const char *)src->heap));
	if (src->local)
		dst->local = (struct tg_pep440_local *)(void *)((char *)heap +
			((const char *)src->local - (const char *)src->heap));
	rebase(&dst->epoch.digits, src->heap, heap);
	rebase(&dst->pre.digits, src->heap, heap);
	rebase(&dst->post.digits, src->heap, heap);
	rebase(&dst->dev.digits, src->heap, heap);
	for (i = 0; i < dst->nrelease; i++) {
		struct tg_pep440_num *r = dst->release_heap ? &dst->release_heap[i] :
							      &dst->release_inline[i];
		rebase(&r->digits, src->heap, heap);
	}
	for (i = 0; i < dst->nlocal; i++) {
		rebase(&dst->local[i].num.digits, src->heap, heap);
		rebase(&dst->local[i].text, src->heap, heap);
	}
	return 0;
}

const struct tg_pep440_num *tg_pep440_release_at(const struct tg_pep440 *v,
						 size_t i)
{
	return v->release_heap ? &v->release_heap[i] : &v->release_inline[i];
}

/* ---- ordering ---- */

static int num_cmp(const struct tg_pep440_num *a, const struct tg_pep440_num *b)
{
	int c;

	if (a->ndigits != b->ndigits)
		return a->ndigits < b->ndigits ? -1 : 1;
	if (a->ndigits <= SMALL_DIGITS)
		return (a->value > b->value) - (a->value < b->value);
	c = memcmp(a->digits, b->digits, a->ndigits);
	return (c > 0) - (c < 0);
}

static int release_cmp(const struct tg_pep440 *a, const struct tg_pep440 *b)
{
	static const struct tg_pep440_num zero;
	size_t i, n = a->nrelease_sig > b->nrelease_sig ? a->nrelease_sig :
							 b->nrelease_sig;
	int c;

	for (i = 0; i < n; i++) {
		const struct tg_pep440_num *x = i < a->nrelease_sig ?
			tg_pep440_release_at(a, i) : &zero;
		const struct tg_pep440_num *y = i < b->nrelease_sig ?
			tg_pep440_release_at(b, i) : &zero;
		if ((c = num_cmp(x, y)))
			return c;
	}
	return 0;
}

/* packaging's key for the pre-release part: a dev release without pre or
 * post sorts before every pre-release; no pre-release sorts after all. */
static int pre_rank(const struct tg_pep440 *v)
{
	if (!v->pre_kind && !v->has_post && v->has_dev)
		return 0;
	if (!v->pre_kind)
		return 4;
	return v->pre_kind;
}

int tg_pep440_cmp_public(const struct tg_pep440 *a, const struct tg_pep440 *b)
{
	int c, ra, rb;

	if ((c = num_cmp(&a->epoch, &b->epoch)) || (c = release_cmp(a, b)))
		return c;
	ra = pre_rank(a);
	rb = pre_rank(b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra >= 1 && ra <= 3 && (c = num_cmp(&a->pre, &b->pre)))
		return c;
	if (a->has_post != b->has_post)
		return a->has_post ? 1 : -1;
	if (a->has_post && (c = num_cmp(&a->post, &b->post)))
		return c;
	if (a->has_dev != b->has_dev)
		return a->has_dev ? -1 : 1;
	if (a->has_dev && (c = num_cmp(&a->dev, &b->dev)))
		return c;
	return 0;
}

static int local_cmp(const struct tg_pep440 *a, const struct tg_pep440 *b)
{
	size_t i, n = a->nlocal < b->nlocal ? a->nlocal : b->nlocal;
	int c;

	for (i = 0; i < n; i++) {
		const struct tg_pep440_local *x = &a->local[i], *y = &b->local[i];
		if (x->numeric != y->numeric)
			return x->numeric ? 1 : -1;
		if (x->numeric) {
			c = num_cmp(&x->num, &y->num);
		} else {
			size_t k = x->len < y->len ? x->len : y->len;
			c = memcmp(x->text, y->text, k);
			c = (c > 0) - (c < 0);
			if (!c && x->len != y->len)
				c = x->len < y->len ? -1 : 1;
		}
		if (c)
			return c;
	}
	if (a->nlocal != b->nlocal)
		return a->nlocal < b->nlocal ? -1 : 1;
	return 0;
}

int tg_pep440_cmp(const struct tg_pep440 *a, const struct tg_pep440 *b)
{
	int c = tg_pep440_cmp_public(a, b);

	return c ? c : local_cmp(a, b);
}

int tg_pep440_cmp_str(const char *a, const char *b, int *out, struct tg_err *err)
{
	struct tg_pep440 va, vb;
	int rc;

	if ((rc = tg_pep440_parse_str(a, &va, err)))
		return rc;
	if ((rc = tg_pep440_parse_str(b, &vb, err))) {
		tg_pep440_release(&va);
		return rc;
	}
	*out = tg_pep440_cmp(&va, &vb);
	tg_pep440_release(&va);
	tg_pep440_release(&vb);
	return 0;
}

bool tg_pep440_is_prerelease(const struct tg_pep440 *v)
{
	return v->pre_kind != TG_PEP440_PRE_NONE || v->has_dev;
}

bool tg_pep440_is_postrelease(const struct tg_pep440 *v)
{
	return v->has_post;
}

bool tg_pep440_is_devrelease(const struct tg_pep440 *v)
{
	return v->has_dev;
}

bool tg_pep440_has_local(const struct tg_pep440 *v)
{
	return v->nlocal > 0;
}

/* ---- canonical text ---- */

void pep440_out_add(struct pep440_out *o, const char *s, size_t n)
{
	if (o->overflow || o->len + n >= o->cap) {
		o->overflow = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

void pep440_out_num(struct pep440_out *o, const struct tg_pep440_num *num)
{
	char tmp[24];
	int k;

	if (num->ndigits > SMALL_DIGITS) {
		pep440_out_add(o, num->digits, num->ndigits);
		return;
	}
	k = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)num->value);
	pep440_out_add(o, tmp, (size_t)k);
}

void pep440_out_num_plus_one(struct pep440_out *o,
			     const struct tg_pep440_num *num)
{
	char tmp[TG_PEP440_MAX_LEN + 2];
	size_t n, i;

	if (num->ndigits <= SMALL_DIGITS && num->value < UINT64_MAX) {
		struct tg_pep440_num next = { .value = num->value + 1 };
		next.ndigits = 1;
		pep440_out_num(o, &next);
		return;
	}
	if (num->ndigits > SMALL_DIGITS) {
		n = num->ndigits;
		memcpy(tmp + 1, num->digits, n);
	} else {
		n = (size_t)snprintf(tmp + 1, sizeof(tmp) - 1, "%llu",
				     (unsigned long long)num->value);
	}
	tmp[0] = '0';
	for (i = n; i > 0; i--) {
		if (tmp[i] != '9') {
			tmp[i]++;
			break;
		}
		tmp[i] = '0';
	}
	if (i == 0)
		tmp[0] = '1';
	if (tmp[0] == '1')
		pep440_out_add(o, tmp, n + 1);
	else
		pep440_out_add(o, tmp + 1, n);
}

size_t pep440_format(const struct tg_pep440 *v, int parts, char *out, size_t cap)
{
	static const char *const pre_names[] = { "", "a", "b", "rc" };
	struct pep440_out o = { out, 0, cap, false };
	size_t i;

	if (cap)
		out[0] = '\0';
	if (v->epoch.ndigits) {
		pep440_out_num(&o, &v->epoch);
		pep440_out_add(&o, "!", 1);
	}
	for (i = 0; i < v->nrelease; i++) {
		if (i)
			pep440_out_add(&o, ".", 1);
		pep440_out_num(&o, tg_pep440_release_at(v, i));
	}
	if (parts < 2) {
		if (v->pre_kind) {
			const char *w = pre_names[v->pre_kind];
			pep440_out_add(&o, w, strlen(w));
			pep440_out_num(&o, &v->pre);
		}
		if (v->has_post) {
			pep440_out_add(&o, ".post", 5);
			pep440_out_num(&o, &v->post);
		}
		if (v->has_dev) {
			pep440_out_add(&o, ".dev", 4);
			pep440_out_num(&o, &v->dev);
		}
	}
	if (parts == 0 && v->nlocal) {
		for (i = 0; i < v->nlocal; i++) {
			pep440_out_add(&o, i ? "." : "+", 1);
			if (v->local[i].numeric)
				pep440_out_num(&o, &v->local[i].num);
			else
				pep440_out_add(&o, v->local[i].text, v->local[i].len);
		}
	}
	return o.overflow ? cap : o.len;
}

static int format_into(const struct tg_pep440 *v, int parts, struct tg_buf *out,
		       struct tg_err *err)
{
	/* Canonical text is at most a few bytes longer than the capped input
	 * ("1r" becomes "1.post0"), so this always fits. */
	char tmp[TG_PEP440_MAX_LEN * 4];
	size_t n = pep440_format(v, parts, tmp, sizeof(tmp));

	if (n >= sizeof(tmp))
		return tg_err_set(err, TG_EINTERNAL, "canonical version too long");
	return tg_buf_add(out, tmp, n, err);
}

int tg_pep440_normalize(const struct tg_pep440 *v, struct tg_buf *out,
			struct tg_err *err)
{
	return format_into(v, 0, out, err);
}

int tg_pep440_format_public(const struct tg_pep440 *v, struct tg_buf *out,
			    struct tg_err *err)
{
	return format_into(v, 1, out, err);
}

int tg_pep440_format_base(const struct tg_pep440 *v, struct tg_buf *out,
			  struct tg_err *err)
{
	return format_into(v, 2, out, err);
}

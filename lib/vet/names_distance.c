/* How far apart two names are, in the way typos and squats differ:
 * a weighted Damerau-Levenshtein distance (optimal string alignment)
 * where separator, doubled-letter, look-alike, plural, trailing-digit,
 * keyboard-neighbour and transposition edits cost less than arbitrary
 * ones, plus the deletion neighbourhoods that find candidates without
 * scanning every popular name. */
#include "vet/names_internal.h"

#include <stdio.h>
#include <string.h>

/* Polynomial hash mod 2^64, so that the hash of a string with one or two
 * positions left out comes from prefix hashes in constant time; the final
 * mix spreads it over every bit the tables use. */
#define VN_BASE 0x100000001b3ULL

static uint64_t mix(uint64_t h)
{
	h ^= h >> 31;
	h *= 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	return h;
}

uint64_t vn_hash(const char *s, size_t len)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < len; i++)
		h = h * VN_BASE + (unsigned char)s[i] + 1;
	return mix(h);
}

void vn_deletes(const char *s, size_t len, unsigned maxdel, vn_key_fn fn,
		void *ctx)
{
	uint64_t pre[VN_MAX_LEN + 1], pw[VN_MAX_LEN + 1];
	size_t i, j;

	if (len > VN_MAX_LEN)
		return;
	pre[0] = 0;
	pw[0] = 1;
	for (i = 0; i < len; i++) {
		pre[i + 1] = pre[i] * VN_BASE + (unsigned char)s[i] + 1;
		pw[i + 1] = pw[i] * VN_BASE;
	}
	/* hash(s[a..b)) = pre[b] - pre[a] * pw[b - a] */
#define SEG(a, b) (pre[b] - pre[a] * pw[(b) - (a)])
	fn(mix(pre[len]), ctx);
	if (maxdel < 1)
		return;
	for (i = 0; i < len; i++) {
		uint64_t left = pre[i];

		/* Deleting either copy of a doubled letter gives the same
		 * string: skip the repeat. */
		if (i > 0 && s[i] == s[i - 1])
			continue;
		fn(mix(left * pw[len - i - 1] + SEG(i + 1, len)), ctx);
		if (maxdel < 2)
			continue;
		for (j = i + 1; j < len; j++) {
			if (j > i + 1 && s[j] == s[j - 1])
				continue;
			fn(mix((left * pw[j - i - 1] + SEG(i + 1, j)) * pw[len - j - 1] +
			       SEG(j + 1, len)), ctx);
		}
	}
#undef SEG
}

size_t vn_squash(const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *s && o + 1 < outsz; s++)
		if (!vn_is_sep(*s) && *s != '@' && *s != '/')
			out[o++] = *s;
	out[o] = '\0';
	return o;
}

size_t vn_reduce(const char *s, char *out, size_t outsz)
{
	char sq[4 * VN_MAX_LEN + 8];
	size_t n = vn_squash(s, sq, sizeof(sq)), i, o = 0;

	if (n > 3 && sq[n - 1] == 's')
		n--;
	for (i = 0; i < n && o + 1 < outsz; i++) {
		char c = sq[i];

		if (c == '0')
			c = 'o';
		else if (c == '1' || c == 'i')
			c = 'l';
		else if (c == '5')
			c = 's';
		else if (c == 'v')
			c = 'u';
		if (i + 1 < n && ((c == 'r' && sq[i + 1] == 'n') || (c == 'c' && sq[i + 1] == 'l'))) {
			c = c == 'r' ? 'm' : 'd';
			i++;
		}
		if (o > 0 && out[o - 1] == c)
			continue; /* doubled letters read as one */
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

/* ---- edit costs -------------------------------------------------------- */

static const char *const kb_rows[] = { "1234567890", "qwertyuiop", "asdfghjkl",
				       "zxcvbnm" };

static bool kb_pos(char c, int *row, int *col)
{
	int r;

	for (r = 0; r < 4; r++) {
		const char *p = strchr(kb_rows[r], c);
		if (p && c) {
			*row = r;
			*col = (int)(p - kb_rows[r]);
			return true;
		}
	}
	return false;
}

static bool kb_neighbours(char a, char b)
{
	int ra, ca, rb, cb;

	if (!kb_pos(a, &ra, &ca) || !kb_pos(b, &rb, &cb))
		return false;
	/* Rows are staggered: the key below-left shares an edge too. */
	return a != b && ra - rb <= 1 && rb - ra <= 1 && ca - cb <= 1 && cb - ca <= 1;
}

static bool confusable_pair(char a, char b)
{
	static const char *const pairs[] = { "1l", "1i", "il", "0o", "5s", "uv",
					     NULL };
	size_t k;

	for (k = 0; pairs[k]; k++)
		if ((a == pairs[k][0] && b == pairs[k][1]) ||
		    (a == pairs[k][1] && b == pairs[k][0]))
			return true;
	return false;
}

struct costs {
	unsigned sep, doubled, conf, plural, digit, kb, transpose, other;
};

static void costs_of(const struct tg_vet_name_thresholds *t, struct costs *c)
{
	c->sep = vn_quarters(t->cost_separator);
	c->doubled = vn_quarters(t->cost_doubled);
	c->conf = vn_quarters(t->cost_confusable);
	c->plural = vn_quarters(t->cost_plural);
	c->digit = vn_quarters(t->cost_trailing_digit);
	c->kb = vn_quarters(t->cost_keyboard);
	c->transpose = vn_quarters(t->cost_transpose);
	c->other = vn_quarters(t->cost_other);
}

/* Cost of inserting or deleting s[i], judged in s. */
static unsigned indel(const struct costs *c, const char *s, size_t len, size_t i)
{
	char ch = s[i];

	if (vn_is_sep(ch))
		return c->sep;
	if ((i > 0 && s[i - 1] == ch) || (i + 1 < len && s[i + 1] == ch))
		return c->doubled;
	if (ch >= '0' && ch <= '9' && (i + 1 == len || vn_is_sep(s[i + 1]) ||
				       i == 0 || vn_is_sep(s[i - 1])))
		return c->digit;
	if (ch == 's' && i + 1 == len && i >= 3)
		return c->plural;
	return c->other;
}

static unsigned subst(const struct costs *c, char a, char b)
{
	if (a == b)
		return 0;
	if (vn_is_sep(a) && vn_is_sep(b))
		return c->sep;
	if (confusable_pair(a, b))
		return c->conf;
	if (kb_neighbours(a, b))
		return c->kb;
	return c->other;
}

static unsigned min2(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

static const char *const multi[][2] = { { "rn", "m" }, { "vv", "w" },
					{ "cl", "d" } };

typedef unsigned dmat[VN_MAX_LEN + 1][VN_MAX_LEN + 1];

static unsigned fill(const struct costs *cp, const char *a, size_t la,
		     const char *b, size_t lb, unsigned limit, dmat d)
{
	const struct costs c = *cp;
	size_t i, j, k;

	d[0][0] = 0;
	for (i = 1; i <= la; i++)
		d[i][0] = d[i - 1][0] + indel(&c, a, la, i - 1);
	for (j = 1; j <= lb; j++)
		d[0][j] = d[0][j - 1] + indel(&c, b, lb, j - 1);
	for (i = 1; i <= la; i++) {
		unsigned row_min = d[i][0];

		for (j = 1; j <= lb; j++) {
			unsigned best = d[i - 1][j] + indel(&c, a, la, i - 1);

			best = min2(best, d[i][j - 1] + indel(&c, b, lb, j - 1));
			best = min2(best, d[i - 1][j - 1] + subst(&c, a[i - 1], b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    a[i - 1] != a[i - 2])
				best = min2(best, d[i - 2][j - 2] + c.transpose);
			for (k = 0; k < 3; k++) {
				const char *p = multi[k][0], *q = multi[k][1];
				size_t lp = strlen(p), lq = strlen(q);

				if (i >= lp && j >= lq && memcmp(a + i - lp, p, lp) == 0 &&
				    memcmp(b + j - lq, q, lq) == 0)
					best = min2(best, d[i - lp][j - lq] + c.conf);
				if (i >= lq && j >= lp && memcmp(a + i - lq, q, lq) == 0 &&
				    memcmp(b + j - lp, p, lp) == 0)
					best = min2(best, d[i - lq][j - lp] + c.conf);
			}
			d[i][j] = best;
			if (best < row_min)
				row_min = best;
		}
		/* Every later cell costs at least this row's minimum... except
		 * through a two-row step (transposition, rn/m), so keep one
		 * row of slack before giving up. */
		if (i >= 2 && row_min > limit && d[i - 1][0] > limit) {
			unsigned prev_min = d[i - 1][0];
			for (j = 1; j <= lb; j++)
				if (d[i - 1][j] < prev_min)
					prev_min = d[i - 1][j];
			if (prev_min > limit)
				return limit + 1;
		}
	}
	return d[la][lb];
}

unsigned vn_wdist(const struct tg_vet_name_thresholds *t, const char *a,
		  size_t la, const char *b, size_t lb, unsigned limit)
{
	dmat d;
	struct costs c;

	if (la > VN_MAX_LEN || lb > VN_MAX_LEN)
		return limit + 1;
	costs_of(t, &c);
	return fill(&c, a, la, b, lb, limit, d);
}

static void add_op(char *out, size_t outsz, size_t *o, unsigned *nops,
		   const char *part)
{
	size_t w = strlen(part);

	if (*nops >= 4 || *o + (*nops ? 2 : 0) + w + 1 > outsz)
		return;
	if (*nops) {
		memcpy(out + *o, ", ", 2);
		*o += 2;
	}
	memcpy(out + *o, part, w);
	*o += w;
	out[*o] = '\0';
	(*nops)++;
}

struct edit_op {
	int kind; /* 0 extra in a, 1 missing from a, 2 replaced, 3 swapped */
	size_t ai, al, bi, bl;
};

void vn_explain(const struct tg_vet_name_thresholds *t, const char *a,
		size_t la, const char *b, size_t lb, char *out, size_t outsz)
{
	dmat d;
	struct costs c;
	size_t i = la, j = lb, o = 0, k;
	unsigned nops = 0;
	/* Edits are found from the end; keep them to print in name order. */
	struct edit_op ops[VN_MAX_LEN * 2];
	size_t n_ops = 0;

	if (outsz)
		out[0] = '\0';
	if (la > VN_MAX_LEN || lb > VN_MAX_LEN || outsz == 0)
		return;
	costs_of(t, &c);
	fill(&c, a, la, b, lb, ~0u / 2, d);
	while ((i > 0 || j > 0) && n_ops < sizeof(ops) / sizeof(ops[0])) {
		unsigned cur = d[i][j];
		bool done = false;

		if (i > 0 && j > 0 && a[i - 1] == b[j - 1] && d[i - 1][j - 1] == cur) {
			i--;
			j--;
			continue;
		}
		if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
		    a[i - 1] != a[i - 2] && d[i - 2][j - 2] + c.transpose == cur) {
			ops[n_ops++] = (struct edit_op){ 3, i - 2, 2, j - 2, 2 };
			i -= 2;
			j -= 2;
			continue;
		}
		for (k = 0; k < 3 && !done; k++) {
			int dir;
			for (dir = 0; dir < 2 && !done; dir++) {
				const char *p = multi[k][dir], *q = multi[k][1 - dir];
				size_t lp = strlen(p), lq = strlen(q);
				if (i >= lp && j >= lq && memcmp(a + i - lp, p, lp) == 0 &&
				    memcmp(b + j - lq, q, lq) == 0 &&
				    d[i - lp][j - lq] + c.conf == cur) {
					ops[n_ops++] = (struct edit_op){ 2, i - lp, lp, j - lq, lq };
					i -= lp;
					j -= lq;
					done = true;
				}
			}
		}
		if (done)
			continue;
		if (i > 0 && j > 0 && d[i - 1][j - 1] + subst(&c, a[i - 1], b[j - 1]) == cur) {
			ops[n_ops++] = (struct edit_op){ 2, i - 1, 1, j - 1, 1 };
			i--;
			j--;
		} else if (i > 0 && d[i - 1][j] + indel(&c, a, la, i - 1) == cur) {
			ops[n_ops++] = (struct edit_op){ 0, i - 1, 1, j, 0 };
			i--;
		} else if (j > 0) {
			ops[n_ops++] = (struct edit_op){ 1, i, 0, j - 1, 1 };
			j--;
		} else {
			break;
		}
	}
	while (n_ops > 0) {
		struct edit_op *op = &ops[--n_ops];
		char part[64];

		switch (op->kind) {
		case 0:
			snprintf(part, sizeof(part), "extra '%.*s'", (int)op->al, a + op->ai);
			break;
		case 1:
			snprintf(part, sizeof(part), "missing '%.*s'", (int)op->bl, b + op->bi);
			break;
		case 2:
			snprintf(part, sizeof(part), "'%.*s' for '%.*s'", (int)op->al,
				 a + op->ai, (int)op->bl, b + op->bi);
			break;
		default:
			snprintf(part, sizeof(part), "'%.*s' swapped", (int)op->al, a + op->ai);
			break;
		}
		add_op(out, outsz, &o, &nops, part);
	}
}

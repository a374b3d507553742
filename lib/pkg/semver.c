/* npm semver versions: parsing, precedence, canonical form. */
#include "tollgate/semver.h"

#include <stdlib.h>
#include <string.h>

#include "pkg/semver_lex.h"
#include "tollgate/str.h"

void tg_semver_release(struct tg_semver *v)
{
	if (!v)
		return;
	free(v->pre);
	free(v->build);
	memset(v, 0, sizeof(*v));
}

int tg_semver_copy(struct tg_semver *dst, const struct tg_semver *src,
		   struct tg_err *err)
{
	*dst = *src;
	dst->pre = src->pre ? tg_strdup(src->pre) : NULL;
	dst->build = src->build ? tg_strdup(src->build) : NULL;
	if ((src->pre && !dst->pre) || (src->build && !dst->build)) {
		tg_semver_release(dst);
		return tg_err_set(err, TG_ENOMEM, "out of memory copying a version");
	}
	return 0;
}

/* Digits to a number no larger than TG_SEMVER_MAX_SAFE. */
static bool safe_number(const char *s, size_t a, size_t b, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = a; i < b; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > TG_SEMVER_MAX_SAFE)
			return false;
	}
	*out = v;
	return true;
}

/* Prerelease identifiers in canonical form: an all-digit identifier below
 * 2^53-1 is a number and is written without leading zeros; larger ones
 * stay text, as node-semver keeps them. */
static char *canonical_pre(const char *s, size_t a, size_t b)
{
	struct tg_buf out;
	struct tg_err err;
	size_t i = a;

	tg_buf_init(&out, TG_SEMVER_MAX_LENGTH * 2);
	while (i <= b) {
		const char *dot = memchr(s + i, '.', b - i);
		size_t e = dot ? (size_t)(dot - s) : b;
		size_t j = i;
		uint64_t num;

		while (j < e && tg_sv_is_digit(s[j]))
			j++;
		if (out.len && tg_buf_addc(&out, '.', &err))
			goto fail;
		if (j == e && safe_number(s, i, e, &num) && num < TG_SEMVER_MAX_SAFE) {
			if (tg_buf_addf(&out, &err, "%llu", (unsigned long long)num))
				goto fail;
		} else if (tg_buf_add(&out, s + i, e - i, &err)) {
			goto fail;
		}
		i = e + 1;
	}
	return tg_buf_detach(&out, NULL);
fail:
	tg_buf_release(&out);
	return NULL;
}

static int bad_version(struct tg_err *err, const char *s, size_t n,
		       size_t pos, const char *expected)
{
	return tg_err_at(err, TG_EPARSE, "", 0, pos + 1,
			 "invalid version '%.*s': expected %s at column %zu",
			 (int)(n > 300 ? 300 : n), s, expected, pos + 1);
}

int tg_semver_parse(const char *s, size_t n, unsigned flags,
		    struct tg_semver *out, struct tg_err *err)
{
	bool loose = flags & TG_SEMVER_LOOSE;
	struct tg_sv_plain pl;
	size_t a = 0, b = n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (tg_sv_js_length(s, n) > TG_SEMVER_MAX_LENGTH)
		return tg_err_set(err, TG_ELIMIT,
				  "version is longer than %d characters",
				  TG_SEMVER_MAX_LENGTH);
	tg_sv_trim(s, &a, &b);
	if (!tg_sv_plain_exact(s, a, b, TG_SV_FULL, loose, &pl)) {
		struct tg_sv_plain partial;
		/* OSV-style "1" / "1.2": a partial version without wildcards */
		if (!(flags & TG_SEMVER_PARTIAL) ||
		    !tg_sv_plain_exact(s, a, b, TG_SV_XRANGE, loose, &partial) ||
		    partial.p.set ||
		    (partial.M.set && tg_sv_is_x(s[partial.M.a])) ||
		    (partial.m.set && tg_sv_is_x(s[partial.m.a])))
			return bad_version(err, s, n, pl.fail_pos, pl.expected);
		pl = partial;
	}
	if (!safe_number(s, pl.M.a, pl.M.b, &out->major) ||
	    (pl.m.set && !safe_number(s, pl.m.a, pl.m.b, &out->minor)) ||
	    (pl.p.set && !safe_number(s, pl.p.a, pl.p.b, &out->patch))) {
		memset(out, 0, sizeof(*out));
		return tg_err_set(err, TG_EINVAL,
				  "invalid version '%.*s': a number is above %llu",
				  (int)n, s, (unsigned long long)TG_SEMVER_MAX_SAFE);
	}
	if (pl.pre.set && !(out->pre = canonical_pre(s, pl.pre.a, pl.pre.b)))
		goto nomem;
	if (pl.build.set &&
	    !(out->build = tg_strndup(s + pl.build.a, pl.build.b - pl.build.a)))
		goto nomem;
	return 0;
nomem:
	tg_semver_release(out);
	rc = tg_err_set(err, TG_ENOMEM, "out of memory parsing a version");
	return rc;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tg_sv_is_digit(s[i]))
			return false;
	return n > 0;
}

/* Two all-digit identifiers compared as JavaScript numbers (doubles), as
 * node-semver does: beyond 2^53 distinct identifiers may compare equal. */
static int cmp_numeric(const char *a, size_t an, const char *b, size_t bn)
{
	char abuf[TG_SEMVER_MAX_LENGTH + 1], bbuf[TG_SEMVER_MAX_LENGTH + 1];
	double x, y;

	while (an > 1 && *a == '0')
		a++, an--;
	while (bn > 1 && *b == '0')
		b++, bn--;
	if (an <= 15 && bn <= 15) {
		if (an != bn)
			return an < bn ? -1 : 1;
		return memcmp(a, b, an) < 0 ? -1 : memcmp(a, b, an) > 0;
	}
	if (an > TG_SEMVER_MAX_LENGTH || bn > TG_SEMVER_MAX_LENGTH)
		return an < bn ? -1 : an > bn;
	memcpy(abuf, a, an);
	abuf[an] = '\0';
	memcpy(bbuf, b, bn);
	bbuf[bn] = '\0';
	x = strtod(abuf, NULL);
	y = strtod(bbuf, NULL);
	return x < y ? -1 : x > y;
}

static int cmp_pre(const char *a, const char *b)
{
	if (!a && !b)
		return 0;
	if (!a)
		return 1; /* no prerelease sorts after one */
	if (!b)
		return -1;
	for (;;) {
		size_t an = strcspn(a, "."), bn = strcspn(b, ".");
		bool ad, bd;

		if (!(an == bn && memcmp(a, b, an) == 0)) {
			ad = all_digits(a, an);
			bd = all_digits(b, bn);
			if (ad && bd)
				return cmp_numeric(a, an, b, bn);
			if (ad)
				return -1;
			if (bd)
				return 1;
			{
				size_t m = an < bn ? an : bn;
				int c = memcmp(a, b, m);
				if (c)
					return c < 0 ? -1 : 1;
				return an < bn ? -1 : 1;
			}
		}
		a += an;
		b += bn;
		if (!*a && !*b)
			return 0;
		if (!*b)
			return 1;
		if (!*a)
			return -1;
		a++;
		b++;
	}
}

int tg_semver_compare(const struct tg_semver *a, const struct tg_semver *b)
{
	int c = cmp_u64(a->major, b->major);

	if (!c)
		c = cmp_u64(a->minor, b->minor);
	if (!c)
		c = cmp_u64(a->patch, b->patch);
	if (!c)
		c = cmp_pre(a->pre, b->pre);
	return c;
}

int tg_semver_cmp(const char *a, size_t an, const char *b, size_t bn,
		  unsigned flags, int *result, struct tg_err *err)
{
	struct tg_semver va, vb;
	int rc;

	*result = 0;
	if ((rc = tg_semver_parse(a, an, flags, &va, err)))
		return rc;
	if ((rc = tg_semver_parse(b, bn, flags, &vb, err))) {
		tg_semver_release(&va);
		return rc;
	}
	*result = tg_semver_compare(&va, &vb);
	tg_semver_release(&va);
	tg_semver_release(&vb);
	return 0;
}

int tg_semver_format(const struct tg_semver *v, struct tg_buf *out,
		     struct tg_err *err)
{
	int rc = tg_buf_addf(out, err, "%llu.%llu.%llu",
			     (unsigned long long)v->major,
			     (unsigned long long)v->minor,
			     (unsigned long long)v->patch);
	if (!rc && v->pre)
		rc = tg_buf_addf(out, err, "-%s", v->pre);
	return rc;
}

/* npm semver: version and range parsing, satisfies, and two properties
 * that must hold for any input: comparison is antisymmetric, and a
 * desugared range prints as a range that parses.
 * Input: one flag byte, then "VERSION\nRANGE" (or "VERSION\nVERSION"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/semver.h"

/* The printed form is not always a fixed point, nor always equivalent
 * (node-semver prints loose ">=00.0.0" as ">=0.0.0", which a second parse
 * drops as "any"), but it must always parse. */
static void check_range(const char *r, size_t rn, unsigned flags,
			const struct tg_semver *v)
{
	struct tg_semver_range a, b;
	struct tg_buf fa;
	struct tg_err err;

	if (tg_semver_range_parse(r, rn, flags, &a, &err))
		return;
	if (v)
		(void)tg_semver_range_test(&a, v);
	tg_buf_init(&fa, 0);
	if (tg_semver_range_format(&a, &fa, &err) == 0) {
		if (tg_semver_range_parse(fa.data, fa.len, flags, &b, &err) == 0)
			tg_semver_range_release(&b);
		else if (err.code != TG_ELIMIT)
			abort();
	}
	tg_buf_release(&fa);
	tg_semver_range_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	const char *nl;
	struct tg_semver v, w;
	struct tg_err err;
	unsigned flags;
	size_t n, vn;
	bool have_v, have_w, sat;

	if (size < 1)
		return 0;
	flags = data[0] & (TG_SEMVER_LOOSE | TG_SEMVER_INCLUDE_PRERELEASE | TG_SEMVER_PARTIAL);
	n = size - 1;
	nl = memchr(s, '\n', n);
	vn = nl ? (size_t)(nl - s) : n;

	have_v = tg_semver_parse(s, vn, flags, &v, &err) == 0;
	if (nl) {
		const char *r = nl + 1;
		size_t rn = n - vn - 1;

		have_w = tg_semver_parse(r, rn, flags, &w, &err) == 0;
		if (have_v && have_w) {
			int ab = tg_semver_compare(&v, &w), ba = tg_semver_compare(&w, &v);
			if ((ab > 0) != (ba < 0) || (ab == 0) != (ba == 0))
				abort();
		}
		if (have_w)
			tg_semver_release(&w);
		check_range(r, rn, flags & ~(unsigned)TG_SEMVER_PARTIAL, have_v ? &v : NULL);
		tg_semver_satisfies(s, vn, r, rn, flags & ~(unsigned)TG_SEMVER_PARTIAL,
				    &sat, &err);
	} else {
		check_range(s, n, flags & ~(unsigned)TG_SEMVER_PARTIAL, have_v ? &v : NULL);
	}
	if (have_v)
		tg_semver_release(&v);
	return 0;
}

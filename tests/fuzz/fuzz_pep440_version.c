/* libFuzzer target: PEP 440 version parsing. Input: one version, or two
 * separated by a newline. Invariants: the canonical form reparses to an
 * equal version and is a fixed point; copies compare equal and outlive the
 * original; comparison is antisymmetric and agrees with the public-only
 * comparison when no local labels are present. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/pep440.h"

static void check_one(const char *s, size_t n)
{
	struct tg_pep440 v, w, c;
	struct tg_buf b1, b2;
	struct tg_err err;

	if (tg_pep440_parse(s, n, &v, &err) != 0) {
		if (err.code != TG_EPARSE && err.code != TG_ELIMIT)
			abort();
		tg_pep440_release(&v);
		return;
	}
	tg_buf_init(&b1, 1 << 16);
	tg_buf_init(&b2, 1 << 16);
	if (tg_pep440_normalize(&v, &b1, &err) != 0)
		abort();
	if (tg_pep440_parse(b1.data, b1.len, &w, &err) != 0) {
		/* canonical text can exceed the input cap only marginally */
		if (err.code != TG_ELIMIT || b1.len <= TG_PEP440_MAX_LEN)
			abort();
		goto out_v;
	}
	if (tg_pep440_cmp(&v, &w) != 0 || tg_pep440_normalize(&w, &b2, &err) != 0 ||
	    strcmp(b1.data, b2.data) != 0)
		abort();
	if (tg_pep440_copy(&c, &v, &err) != 0)
		abort();
	tg_pep440_release(&w);
	if (tg_pep440_cmp(&c, &v) != 0)
		abort();
	tg_buf_reset(&b2);
	if (tg_pep440_format_public(&v, &b2, &err) != 0 ||
	    tg_pep440_format_base(&v, &b2, &err) != 0)
		abort();
	tg_pep440_release(&v);
	tg_buf_reset(&b2);
	if (tg_pep440_normalize(&c, &b2, &err) != 0 || strcmp(b1.data, b2.data) != 0)
		abort();
	tg_pep440_release(&c);
	tg_buf_release(&b1);
	tg_buf_release(&b2);
	return;
out_v:
	tg_pep440_release(&v);
	tg_buf_release(&b1);
	tg_buf_release(&b2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	struct tg_pep440 a, b;
	struct tg_err err;

	check_one(s, size);
	if (!nl)
		return 0;
	memset(&b, 0, sizeof(b));
	check_one(s, (size_t)(nl - s));
	check_one(nl + 1, size - (size_t)(nl - s) - 1);
	if (tg_pep440_parse(s, (size_t)(nl - s), &a, &err) == 0 &&
	    tg_pep440_parse(nl + 1, size - (size_t)(nl - s) - 1, &b, &err) == 0) {
		int ab = tg_pep440_cmp(&a, &b), ba = tg_pep440_cmp(&b, &a);
		if ((ab > 0) != (ba < 0) || (ab == 0) != (ba == 0))
			abort();
		if (!a.nlocal && !b.nlocal && tg_pep440_cmp_public(&a, &b) != ab)
			abort();
		if (ab == 0 && tg_pep440_cmp_public(&a, &b) != 0)
			abort();
	}
	tg_pep440_release(&a);
	tg_pep440_release(&b);
	return 0;
}

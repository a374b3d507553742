/* libFuzzer target: PEP 440 specifier sets. Invariants: a set that parses
 * formats to a canonical string that reparses and formats identically and
 * answers the same as the original for a range of candidate versions (its
 * own versions and their neighbours included); the string and parsed-
 * version entry points agree; a filter keeps only contained versions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/pep440.h"

static const char *const fixed[] = {
	"0", "0.dev0", "1.0", "1.0.0", "1.0a1", "1.0.post1", "1.0+local", "1.0.dev1",
	"2.0rc1", "1!1.0", "1.5", "3.0.post1.dev2", "99999999999999999999999",
};

static void check_version(const struct tg_pep440_specset *a,
			  const struct tg_pep440_specset *b, const char *s, size_t n)
{
	static const enum tg_pre_mode modes[] = { TG_PRE_AUTO, TG_PRE_INCLUDE, TG_PRE_EXCLUDE };
	struct tg_pep440 v;
	size_t m;
	bool ok = tg_pep440_parse(s, n, &v, NULL) == 0;

	for (m = 0; m < 3; m++) {
		bool x = tg_pep440_spec_contains_str(a, s, n, modes[m], NULL);
		bool y = tg_pep440_spec_contains_str(b, s, n, modes[m], NULL);
		if (x != y)
			abort();
		if (ok && !a->has_arbitrary && tg_pep440_spec_contains(a, &v, modes[m]) != x)
			abort();
		if (x && modes[m] == TG_PRE_EXCLUDE && ok && tg_pep440_is_prerelease(&v))
			abort();
	}
	tg_pep440_release(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_pep440_specset set, again;
	struct tg_buf f1, f2, cand;
	struct tg_err err;
	const char *cands[64];
	size_t lens[64], nc = 0, i;
	bool keep[64];

	if (tg_pep440_spec_parse((const char *)data, size, &set, &err) != 0) {
		if (err.code != TG_EPARSE && err.code != TG_ELIMIT)
			abort();
		return 0;
	}
	tg_buf_init(&f1, 1 << 16);
	tg_buf_init(&f2, 1 << 16);
	tg_buf_init(&cand, 1 << 16);
	if (tg_pep440_specset_format(&set, &f1, &err) != 0)
		abort();
	if (tg_pep440_spec_parse(f1.data, f1.len, &again, &err) != 0)
		abort();
	if (tg_pep440_specset_format(&again, &f2, &err) != 0 || strcmp(f1.data, f2.data) != 0)
		abort();
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		check_version(&set, &again, fixed[i], strlen(fixed[i]));
	/* each item's own version, and its neighbours in the ordering */
	for (i = 0; i < set.n && i < 8; i++) {
		const struct tg_pep440_spec *sp = &set.items[i];
		static const char *const suffix[] = { "", ".dev0", "a1", ".post1", "+x", ".0", ".1" };
		size_t k;
		const char *arg = sp->text + sp->arg_off;
		size_t alen = sp->text_len - sp->arg_off;
		if (sp->wildcard)
			alen -= 2;
		for (k = 0; k < sizeof(suffix) / sizeof(suffix[0]); k++) {
			tg_buf_reset(&cand);
			if (tg_buf_add(&cand, arg, alen, &err) || tg_buf_adds(&cand, suffix[k], &err))
				abort();
			check_version(&set, &again, cand.data, cand.len);
		}
	}
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		cands[nc] = fixed[i];
		lens[nc++] = strlen(fixed[i]);
	}
	tg_pep440_spec_filter(&set, cands, lens, nc, TG_PRE_AUTO, keep);
	for (i = 0; i < nc; i++)
		if (keep[i] && !tg_pep440_spec_contains_str(&set, cands[i], lens[i], TG_PRE_INCLUDE, NULL))
			abort();
	tg_pep440_specset_release(&set);
	tg_pep440_specset_release(&again);
	tg_buf_release(&f1);
	tg_buf_release(&f2);
	tg_buf_release(&cand);
	return 0;
}

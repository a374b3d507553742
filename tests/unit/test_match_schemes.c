/* Matching with the real version schemes: PEP 440 edge cases for PyPI
 * (release padding, epochs, local labels, pre/post/dev releases,
 * normalisation of versions lists, invalid versions) and SemVer
 * precedence for npm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/match.h"
#include "tollgate/str.h"

static struct tg_advisory one(enum tg_osv_range_type type,
			      const char *const *events, const char *const *versions)
{
	struct tg_advisory a;
	struct tg_adv_affected *af;
	struct tg_err err;
	size_t i;

	memset(&a, 0, sizeof(a));
	a.id = tg_strdup("T-1");
	af = tg_advisory_add_affected(&a, &err);
	assert_non_null(af);
	if (events) {
		struct tg_adv_range *r = tg_adv_affected_add_range(af, type, &err);
		for (i = 0; events[i]; i++) {
			const char *e = events[i];
			enum tg_osv_event_kind k = e[0] == 'i' ? TG_OSV_INTRODUCED
						   : e[0] == 'f' ? TG_OSV_FIXED
						   : e[0] == 'l' ? TG_OSV_LAST_AFFECTED
						   : TG_OSV_LIMIT;
			assert_int_equal(tg_adv_range_add_event(r, k, e + 2, &err), 0);
		}
	}
	for (i = 0; versions && versions[i]; i++)
		assert_int_equal(tg_adv_affected_add_version(af, versions[i], &err), 0);
	return a;
}

static enum tg_affect at(const struct tg_advisory *a, enum tg_ecosystem eco,
			 const char *v)
{
	enum tg_affect out;
	struct tg_err err;

	assert_int_equal(tg_advisory_affects(a, eco, v, NULL, &out, &err), 0);
	return out;
}

#define PY(a, v) at(&(a), TG_ECO_PYPI, v)
#define NPM(a, v) at(&(a), TG_ECO_NPM, v)

static void pep440_release_padding_and_epochs(void **state)
{
	static const char *const ev[] = { "i:1.0.0", "f:1.2", NULL };
	static const char *const ep[] = { "i:0", "f:1!1.0", NULL };
	struct tg_advisory a = one(TG_OSV_RANGE_ECOSYSTEM, ev, NULL);
	struct tg_advisory b = one(TG_OSV_RANGE_ECOSYSTEM, ep, NULL);

	(void)state;
	assert_int_equal(PY(a, "1.0"), TG_AFFECT_YES);      /* 1.0 == 1.0.0 */
	assert_int_equal(PY(a, "1.1.999"), TG_AFFECT_YES);
	assert_int_equal(PY(a, "1.2.0"), TG_AFFECT_NO);
	assert_int_equal(PY(a, "v1.1"), TG_AFFECT_YES);     /* "v" prefix */
	assert_int_equal(PY(a, "0.9"), TG_AFFECT_NO);
	assert_int_equal(PY(b, "2024.1"), TG_AFFECT_YES);   /* epoch 0 < 1 */
	assert_int_equal(PY(b, "1!0.9"), TG_AFFECT_YES);
	assert_int_equal(PY(b, "1!1.0"), TG_AFFECT_NO);
	tg_advisory_release(&a);
	tg_advisory_release(&b);
}

static void pep440_pre_post_dev_and_local(void **state)
{
	static const char *const ev[] = { "i:1.0", "f:2.0", NULL };
	static const char *const la[] = { "i:0", "l:1.5", NULL };
	struct tg_advisory a = one(TG_OSV_RANGE_ECOSYSTEM, ev, NULL);
	struct tg_advisory b = one(TG_OSV_RANGE_ECOSYSTEM, la, NULL);

	(void)state;
	assert_int_equal(PY(a, "2.0rc1"), TG_AFFECT_YES);
	assert_int_equal(PY(a, "2.0.dev3"), TG_AFFECT_YES);
	assert_int_equal(PY(a, "2.0a1.post1"), TG_AFFECT_YES);
	assert_int_equal(PY(a, "2.0"), TG_AFFECT_NO);
	assert_int_equal(PY(a, "2.0.post1"), TG_AFFECT_NO);
	assert_int_equal(PY(a, "1.0.dev1"), TG_AFFECT_NO);  /* before 1.0 */
	assert_int_equal(PY(a, "1.0+ubuntu1"), TG_AFFECT_YES);
	assert_int_equal(PY(a, "2.0+local"), TG_AFFECT_NO); /* local > public */
	assert_int_equal(PY(b, "1.5"), TG_AFFECT_YES);
	assert_int_equal(PY(b, "1.5+local"), TG_AFFECT_NO);
	assert_int_equal(PY(b, "1.5.post1"), TG_AFFECT_NO);
	assert_int_equal(PY(b, "1.5rc9"), TG_AFFECT_YES);
	tg_advisory_release(&a);
	tg_advisory_release(&b);
}

static void pep440_versions_list_normalised(void **state)
{
	static const char *const vs[] = { "1.0.0a1", "2.0", "0.7.10p1", NULL };
	struct tg_advisory a = one(TG_OSV_RANGE_ECOSYSTEM, NULL, vs);

	(void)state;
	assert_int_equal(PY(a, "1.0.0-alpha.1"), TG_AFFECT_YES);
	assert_int_equal(PY(a, "1.0.0A1"), TG_AFFECT_YES);
	assert_int_equal(PY(a, "V2.0"), TG_AFFECT_YES);
	assert_int_equal(PY(a, "2.0.0"), TG_AFFECT_NO);     /* strings differ */
	assert_int_equal(PY(a, "1.0"), TG_AFFECT_NO);
	assert_int_equal(PY(a, "0.7.10p1"), TG_AFFECT_YES); /* not PEP 440 */
	tg_advisory_release(&a);
}

static void pep440_invalid_versions_are_unknown(void **state)
{
	static const char *const ev[] = { "i:0", "f:1.0", NULL };
	static const char *const bad[] = { "i:0", "f:0.2.0-n653", NULL };
	struct tg_advisory a = one(TG_OSV_RANGE_ECOSYSTEM, ev, NULL);
	struct tg_advisory b = one(TG_OSV_RANGE_ECOSYSTEM, bad, NULL);

	(void)state;
	assert_int_equal(PY(a, "2013-01-21T20:33:09"), TG_AFFECT_UNKNOWN);
	assert_int_equal(PY(a, "1.0-final"), TG_AFFECT_UNKNOWN);
	assert_int_equal(PY(a, ""), TG_AFFECT_UNKNOWN);
	assert_int_equal(PY(b, "0.1"), TG_AFFECT_UNKNOWN);
	tg_advisory_release(&a);
	tg_advisory_release(&b);
}

static void semver_for_npm(void **state)
{
	static const char *const ev[] = { "i:0", "f:1.2.3", NULL };
	static const char *const exact[] = { "i:3.7.2", "l:3.7.2", NULL };
	static const char *const part[] = { "i:2.0.0-0", "f:2.2.0-0", NULL };
	struct tg_advisory a = one(TG_OSV_RANGE_SEMVER, ev, NULL);
	struct tg_advisory b = one(TG_OSV_RANGE_SEMVER, exact, NULL);
	struct tg_advisory c = one(TG_OSV_RANGE_SEMVER, part, NULL);

	(void)state;
	assert_int_equal(NPM(a, "1.2.3-beta.1"), TG_AFFECT_YES);
	assert_int_equal(NPM(a, "1.2.2"), TG_AFFECT_YES);
	assert_int_equal(NPM(a, "1.2.3"), TG_AFFECT_NO);
	assert_int_equal(NPM(a, "1.2.3+build.5"), TG_AFFECT_NO); /* build ignored */
	assert_int_equal(NPM(b, "3.7.2"), TG_AFFECT_YES);
	assert_int_equal(NPM(b, "3.7.3"), TG_AFFECT_NO);
	assert_int_equal(NPM(b, "3.7.1"), TG_AFFECT_NO);
	assert_int_equal(NPM(c, "2.0.0-rc.1"), TG_AFFECT_YES);
	assert_int_equal(NPM(c, "2.1.9"), TG_AFFECT_YES);
	assert_int_equal(NPM(c, "2.2.0-alpha"), TG_AFFECT_NO);
	assert_int_equal(NPM(c, "1.9.9"), TG_AFFECT_NO);
	assert_int_equal(NPM(a, "not.a.version"), TG_AFFECT_UNKNOWN);
	tg_advisory_release(&a);
	tg_advisory_release(&b);
	tg_advisory_release(&c);
}

static void names_normalised_by_ecosystem(void **state)
{
	char *a = tg_match_norm_name(TG_ECO_PYPI, "Zope.Interface");
	char *b = tg_match_norm_name(TG_ECO_NPM, "jQuery");

	(void)state;
	assert_string_equal(a, "zope-interface");
	assert_string_equal(b, "jQuery"); /* npm: as published */
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pep440_release_padding_and_epochs),
		cmocka_unit_test(pep440_pre_post_dev_and_local),
		cmocka_unit_test(pep440_versions_list_normalised),
		cmocka_unit_test(pep440_invalid_versions_are_unknown),
		cmocka_unit_test(semver_for_npm),
		cmocka_unit_test(names_normalised_by_ecosystem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The matcher's PEP 440 scheme compares versions through a precomputed
 * key when the version fits one (lib/match/vscheme.c). Every pair of
 * packaging's ordering vectors and sample versions, plus the shapes that
 * fall back to the full comparison (long releases, huge numbers, local
 * labels, epochs), must order exactly as tg_pep440_cmp does. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/match.h"
#include "tollgate/pep440.h"

#define MAX_VERSIONS 2048

static const char *extra[] = {
	"1.2.3.4.5", "1.2.3.4.5.0", "1.2.3.4.5.1", "1.2.3.4.6", "1.2.3.4.5.6.7",
	"1.2.3.4.5.post1", "1.2.3.4.5.6.dev1", "1!0.1", "2!0", "1!1.2.3.4.5.6",
	"999999999999999999", "1000000000000000000", "99999999999999999999",
	"1.99999999999999999999", "1.0a999999999999999999", "1.0.post99999999999999999999",
	"1.0.dev18446744073709551615", "1.0.dev99999999999999999999", "0", "0.0.0.0.0.0",
	"1.0+local", "1.0+local.2", "1.0+local.10", "1.0+LOCAL", "1.0+1", "1.0+a.1",
	"1.0a1+x", "1.0.post1+x", "1.0.dev1+x", "1.0rc1.post2.dev3", "1.0c1",
};

static size_t load(const char *name, char **out, size_t n)
{
	const char *dir = getenv("TG_SOURCE_DIR");
	char path[4096], line[512];
	FILE *f;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/tests/data/pep440/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) && n < MAX_VERSIONS) {
		char *q = strchr(line, '"'), *e;

		if (line[0] == '#' || !q || !(e = strchr(q + 1, '"')))
			continue;
		*e = '\0';
		out[n++] = strdup(q + 1);
	}
	fclose(f);
	return n;
}

static int sign(int c)
{
	return (c > 0) - (c < 0);
}

static void keyed_order_matches_full_order(void **state)
{
	const struct tg_vscheme *s = tg_vscheme_primary(TG_ECO_PYPI);
	static char *text[MAX_VERSIONS];
	static void *h[MAX_VERSIONS];
	static struct tg_pep440 full[MAX_VERSIONS];
	size_t n, ordered, i, j, pairs = 0;
	bool oom = false;
	struct tg_err err;

	(void)state;
	assert_non_null(s);
	ordered = load("version_order.tsv", text, 0);
	assert_true(ordered > 50);
	n = load("sample_versions.tsv", text, ordered);
	assert_true(n > ordered + 500);
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		text[n++] = strdup(extra[i]);
	/* The samples include strings that are not versions: both parsers
	 * must refuse the same ones, and those take no part in ordering. */
	for (i = j = 0; i < n; i++) {
		void *p = s->parse(text[i], &oom);
		bool ok = tg_pep440_parse_str(text[i], &full[j], &err) == 0;

		assert_false(oom);
		assert_int_equal(p != NULL, ok);
		assert_true(ok || i >= ordered);
		if (!ok) {
			free(text[i]);
			continue;
		}
		text[j] = text[i];
		h[j++] = p;
	}
	assert_true(n - j < 20);
	n = j;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++, pairs++)
			if (sign(s->cmp(h[i], h[j])) != sign(tg_pep440_cmp(&full[i], &full[j])))
				fail_msg("%s vs %s: scheme %d, full %d", text[i], text[j],
					 s->cmp(h[i], h[j]), tg_pep440_cmp(&full[i], &full[j]));
	/* packaging's own order, strictly ascending */
	for (i = 1; i < ordered; i++)
		if (s->cmp(h[i - 1], h[i]) >= 0)
			fail_msg("%s should sort before %s", text[i - 1], text[i]);
	assert_true(pairs > 500000);
	for (i = 0; i < n; i++) {
		s->release(h[i]);
		tg_pep440_release(&full[i]);
		free(text[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keyed_order_matches_full_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

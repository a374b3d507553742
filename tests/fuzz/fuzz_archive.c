/* libFuzzer target: walking an untrusted archive in memory (libarchive,
 * caps, path and link checks) and every content check after it. The first
 * byte picks the artifact kind; the rest is the archive. The shipped YARA
 * rules are loaded once when TG_SOURCE_DIR is set (replay in make check),
 * otherwise only the structural checks run. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tollgate/err.h"
#include "tollgate/vet.h"
#include "tollgate/vet_content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tg_vet_rules *rules;
static int loaded;

static void load_rules(void)
{
	const char *src = getenv("TG_SOURCE_DIR");
	char dir[4096];
	struct tg_err err;

	loaded = 1;
	if (!src)
		return;
	snprintf(dir, sizeof(dir), "%s/rules", src);
	if (tg_vet_rules_load(dir, &rules, &err) != 0)
		rules = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "f-1.0-py3-none-any.whl", "f-1.0.tar.gz",
					     "f-1.0.0.tgz", "f.1.0.nupkg", "f-1.0.zip" };
	struct tg_vet_limits lim;
	struct tg_vet_result r;
	struct tg_err err;

	if (!loaded)
		load_rules();
	if (size < 1)
		return 0;
	tg_vet_limits_init(&lim);
	/* Small caps keep each run fast; the caps themselves are under test. */
	lim.max_entries = 2000;
	lim.max_total = 16 << 20;
	lim.max_entry = 8 << 20;
	lim.max_scan = 1 << 20;
	tg_vet_result_init(&r);
	(void)tg_vet_scan_memory(rules, &lim, TG_VET_ART_AUTO, data + 1, size - 1,
				 names[data[0] % 5], &r, &err);
	tg_vet_result_release(&r);
	return 0;
}

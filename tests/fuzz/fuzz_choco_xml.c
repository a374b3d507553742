/* libFuzzer target: Chocolatey XML (packages.config and .nuspec through
 * libxml2 with DTDs refused); the first byte picks the format. */
#include "fuzz_win_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_win_inventory w;
	struct tg_err err;
	int rc;

	if (size < 1)
		return 0;
	tg_win_inventory_init(&w);
	/* no package path: a fuzzed nuspec must not read tools/ from disk */
	if (data[0] & 1)
		rc = tg_win_parse_nuspec((const char *)data + 1, size - 1, "fuzz.nuspec",
					 NULL, &w, &err);
	else
		rc = tg_win_parse_choco_config((const char *)data + 1, size - 1,
					       "packages.config", &w, &err);
	fzw_check_model(&w, rc, &err);
	if (!rc)
		fzw_check_inventory(&w);
	tg_win_inventory_release(&w);
	return 0;
}

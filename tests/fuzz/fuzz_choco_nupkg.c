/* libFuzzer target: .nupkg zips read in memory with libarchive (nuspec +
 * tools/chocolateyInstall.ps1). */
#include "fuzz_win_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_win_inventory w;
	struct tg_err err;
	int rc;

	tg_win_inventory_init(&w);
	rc = tg_win_parse_nupkg((const char *)data, size, "fuzz.nupkg", &w, &err);
	fzw_check_model(&w, rc, &err);
	if (!rc)
		fzw_check_inventory(&w);
	tg_win_inventory_release(&w);
	return 0;
}

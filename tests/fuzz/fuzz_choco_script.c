/* libFuzzer target: the static reader of chocolateyInstall.ps1 (quotes,
 * hashtables, calls, variables). */
#include "fuzz_win_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_win_inventory w;
	struct tg_win_app *a;
	struct tg_err err;
	int rc;

	tg_win_inventory_init(&w);
	a = tg_win_add_app(&w, &err);
	if (!a)
		abort();
	rc = tg_win_parse_choco_script((const char *)data, size, "fuzz.ps1", a, &err);
	fzw_check_model(&w, rc, &err);
	tg_win_inventory_release(&w);
	return 0;
}

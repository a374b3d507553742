/* libFuzzer target: `choco list` text (banner, name version, name|version). */
#include "fuzz_win_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_win_inventory w;
	struct tg_err err;
	size_t i;
	int rc;

	tg_win_inventory_init(&w);
	rc = tg_win_parse_choco_list((const char *)data, size, "choco.txt", &w, &err);
	fzw_check_model(&w, rc, &err);
	for (i = 0; !rc && i < w.n_apps; i++) {
		/* every package has an id and a version without blanks or '|' */
		fzw_check(w.apps[i].id && w.apps[i].version);
		fzw_check(!strpbrk(w.apps[i].id, " |\t") && !strpbrk(w.apps[i].version, " |\t"));
	}
	if (!rc)
		fzw_check_inventory(&w);
	tg_win_inventory_release(&w);
	return 0;
}

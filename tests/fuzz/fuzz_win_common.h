/* Shared checks of the Windows input fuzz targets: what the checks and the
 * SBOM writers rely on in a parsed model. */
#ifndef FUZZ_WIN_COMMON_H
#define FUZZ_WIN_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "tollgate/inputs.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

static inline void fzw_check(int ok)
{
	if (!ok)
		abort();
}

static inline void fzw_check_model(const struct tg_win_inventory *w, int rc,
				   const struct tg_err *err)
{
	size_t i, j;

	if (rc) {
		fzw_check(err->code != TG_OK && err->msg[0] != '\0');
		return;
	}
	for (i = 0; i < w->n_apps; i++) {
		const struct tg_win_app *a = &w->apps[i];

		fzw_check(a->n_installers <= TG_WIN_MAX_INSTALLERS);
		for (j = 0; j < a->n_installers; j++)
			fzw_check(!a->installers[j].checksum || *a->installers[j].checksum);
		for (j = 0; j < a->n_deps; j++)
			fzw_check(a->deps[j] && *a->deps[j]);
	}
}

/* The model converts to an inventory without error once it parsed. */
static inline void fzw_check_inventory(const struct tg_win_inventory *w)
{
	struct tg_inventory inv;
	struct tg_err err;
	size_t i;
	int ok = 1;

	for (i = 0; i < w->n_apps; i++)
		if (!w->apps[i].id || !*w->apps[i].id)
			ok = 0;
	tg_inventory_init(&inv);
	if (ok) {
		fzw_check(tg_win_to_inventory(w, &inv, &err) == 0);
		fzw_check(inv.n_pkgs == w->n_apps);
	}
	tg_inventory_release(&inv);
}

#endif

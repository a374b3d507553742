/* A per-package record read from the database file (which may be damaged
 * or hostile) -> decoded entries and versions-list index. On success every
 * entry must be readable or refused with an error, and every listed
 * version must be found under its own key. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/pkg_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_db_pkg *p = NULL;
	struct tg_err err;
	size_t i, k;

	if (tg_pkg_record_decode(data, size, TG_ECO_PYPI, "fuzz", &p, &err) != 0) {
		if (p || err.code == TG_OK || !err.msg[0])
			abort();
		return 0;
	}
	for (i = 0; i < tg_db_pkg_count(p); i++) {
		struct tg_db_affected a;
		size_t r, e;

		if (tg_db_pkg_entry(p, i, false, &a, &err) != 0 || !a.advisory_id || !a.name ||
		    !a.norm_name || a.n_versions)
			abort();
		for (r = 0; r < a.n_ranges; r++)
			for (e = 0; e < a.ranges[r].n_events; e++)
				if (!a.ranges[r].events[e].version ||
				    (unsigned)a.ranges[r].events[e].kind > TG_EVENT_LIMIT)
					abort();
		if (tg_db_pkg_entry(p, i, true, &a, &err) != 0) {
			if (err.code != TG_EDB)
				abort();
			continue;
		}
		for (k = 0; k < a.n_versions; k++) {
			const void *at;
			size_t n = tg_db_pkg_listing(p, a.versions[k], &at), j;

			if (!a.versions[k])
				abort();
			for (j = 0; j < n; j++)
				if (tg_db_pkg_listing_at(at, j) >= tg_db_pkg_count(p))
					abort();
		}
	}
	tg_db_pkg_free(p);
	return 0;
}

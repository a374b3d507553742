/* One OSV advisory (untrusted JSON from a downloaded zip) -> record. On
 * success the record must satisfy what the importer relies on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/db_feeds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_osv_record r;
	struct tg_err err;
	size_t i, j, k, items = 0;

	if (tg_osv_parse((const char *)data, size, "fuzz.json", &r, &err) != 0) {
		if (err.code == TG_OK || !err.msg[0])
			abort(); /* every failure explains itself */
		return 0;
	}
	if (!r.id || !*r.id || !r.modified)
		abort();
	if (r.malicious != (strncmp(r.id, "MAL-", 4) == 0))
		abort();
	for (i = 0; i < r.n_affected; i++) {
		const struct tg_osv_affected *a = &r.affected[i];
		if ((a->eco != TG_ECO_PYPI && a->eco != TG_ECO_NPM) || !a->name ||
		    !a->norm_name || !*a->norm_name)
			abort();
		items += a->n_ranges + a->n_versions;
		for (j = 0; j < a->n_ranges; j++) {
			if (a->ranges[j].n_events == 0)
				abort();
			items += a->ranges[j].n_events;
			for (k = 0; k < a->ranges[j].n_events; k++)
				if (!a->ranges[j].events[k].version ||
				    !*a->ranges[j].events[k].version ||
				    (unsigned)a->ranges[j].events[k].kind > TG_EVENT_LIMIT)
					abort();
		}
		for (j = 0; j < a->n_versions; j++)
			if (!a->versions[j])
				abort();
	}
	for (i = 0; i < r.n_aliases; i++)
		if (!r.aliases[i] || strlen(r.aliases[i]) > TG_OSV_MAX_ID_LEN)
			abort();
	if (items > TG_OSV_MAX_ITEMS)
		abort();
	tg_osv_record_release(&r);
	return 0;
}

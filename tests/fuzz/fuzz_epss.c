/* EPSS CSV lines (untrusted download): the reader must reject or accept
 * every line without crashing, and accepted rows must be in range. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/db_feeds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_epss_reader rd;
	const char *p = (const char *)data, *end = p + size;

	tg_epss_reader_init(&rd);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct tg_epss_row row;
		struct tg_err err;
		bool have = false;

		if (tg_epss_read_line(&rd, p, len, "fuzz.csv", &row, &have, &err) == 0 && have) {
			if (!rd.have_header || !(row.epss >= 0 && row.epss <= 1) ||
			    !(row.percentile >= 0 && row.percentile <= 1) ||
			    strncmp(row.cve, "CVE-", 4) != 0)
				abort();
		}
		if (memchr(rd.model_version, '\0', sizeof(rd.model_version)) == NULL ||
		    memchr(rd.score_date, '\0', sizeof(rd.score_date)) == NULL)
			abort();
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

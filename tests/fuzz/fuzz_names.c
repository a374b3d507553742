/* Registry name lists (TSV, untrusted download) for both ecosystems, and
 * lines of the PyPI simple index. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/db_feeds.h"

static void run(const uint8_t *data, size_t size, enum tg_ecosystem eco)
{
	struct tg_names_reader rd;
	const char *p = (const char *)data, *end = p + size;
	char *line = malloc(size + 1);

	if (!line)
		return;
	tg_names_reader_init(&rd, eco);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct tg_names_row row;
		struct tg_err err;
		const char *name;
		bool have = false;

		memcpy(line, p, len);
		line[len] = '\0';
		if (tg_names_read_line(&rd, line, len, "fuzz.tsv", &row, &have, &err) == 0 && have) {
			if (!row.name || !*row.name || strchr(row.name, '\t') || row.rank < -1 ||
			    row.downloads < -1)
				abort();
		}
		memcpy(line, p, len);
		line[len] = '\0';
		tg_simple_index_line(line, len, &name);
		if (name && (!*name || strchr(name, '<') || strchr(name, ' ')))
			abort();
		p += len + (nl ? 1 : 0);
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, TG_ECO_PYPI);
	run(data, size, TG_ECO_NPM);
	return 0;
}

/* Benchmark helper: time tg_db_each_affected for every package name read
 * from stdin ("ECOSYSTEM NAME" per line), repeated N times. Prints
 * lookups, affected entries seen and lookups per second. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tollgate/db.h"
#include "tollgate/str.h"

static int count_cb(const struct tg_db_affected *a, void *ctx)
{
	unsigned long long *n = ctx;

	*n += 1 + a->n_ranges + a->n_versions;
	return 0;
}

int main(int argc, char **argv)
{
	struct tg_db *db = NULL;
	struct tg_err err;
	char line[1024];
	char **names = NULL;
	enum tg_ecosystem *ecos = NULL;
	size_t n = 0, cap = 0, i;
	unsigned long long seen = 0, lookups = 0;
	uint64_t reps = 1;
	struct timespec t0, t1;
	double secs;
	int r;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: db_lookup_bench DB [REPEATS] < names\n");
		return 2;
	}
	if (argc == 3 && (!tg_parse_u64(argv[2], strlen(argv[2]), &reps) || reps == 0)) {
		fprintf(stderr, "bad repeat count\n");
		return 2;
	}
	if (tg_db_open(argv[1], TG_DB_READONLY, &db, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 4;
	}
	while (fgets(line, sizeof(line), stdin)) {
		char *sp = strchr(line, ' '), *nl = strchr(line, '\n');
		enum tg_ecosystem eco;

		if (nl)
			*nl = '\0';
		if (!sp)
			continue;
		*sp = '\0';
		if (!tg_ecosystem_parse(line, &eco))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			names = realloc(names, cap * sizeof(*names));
			ecos = realloc(ecos, cap * sizeof(*ecos));
			if (!names || !ecos)
				return 1;
		}
		names[n] = tg_strdup(sp + 1);
		ecos[n++] = eco;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; (uint64_t)r < reps; r++)
		for (i = 0; i < n; i++) {
			if (tg_db_each_affected(db, ecos[i], names[i], count_cb, &seen, &err)) {
				fprintf(stderr, "%s\n", err.msg);
				return 4;
			}
			lookups++;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%llu lookups, %llu rows, %.3f s, %.0f lookups/s\n", lookups, seen, secs,
	       secs > 0 ? (double)lookups / secs : 0.0);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(ecos);
	tg_db_close(db);
	return 0;
}

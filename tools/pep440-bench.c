/* pep440-bench: timing aid for bench/bench_pep440.sh. Reads one version
 * per line from a file, then reports (as "name seconds count" lines) the
 * time to parse them all, to sort them (every comparison counted), to
 * compare consecutive pairs many times over, and to test each against a
 * specifier set. Invalid versions are skipped and counted. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/pep440.h"

static unsigned long long ncmp;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_version(const void *a, const void *b)
{
	ncmp++;
	return tg_pep440_cmp(a, b);
}

int main(int argc, char **argv)
{
	struct tg_buf file;
	struct tg_err err;
	struct tg_pep440 *vs;
	struct tg_pep440_specset set;
	size_t n = 0, cap, i, invalid = 0;
	unsigned long long in = 0;
	unsigned long long rounds, r;
	char *p, *end;
	double t0, t1;
	volatile long sink = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: pep440-bench VERSIONS-FILE SPECIFIERS\n");
		return 2;
	}
	tg_buf_init(&file, (size_t)256 << 20);
	if (tg_read_file(argv[1], (size_t)256 << 20, &file, &err)) {
		fprintf(stderr, "pep440-bench: %s\n", err.msg);
		return 3;
	}
	cap = 1;
	for (i = 0; i < file.len; i++)
		cap += file.data[i] == '\n';
	vs = calloc(cap, sizeof(*vs));
	if (!vs)
		return 3;
	t0 = now();
	for (p = file.data, end = file.data + file.len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (tg_pep440_parse(p, len, &vs[n], NULL) == 0)
			n++;
		else
			invalid++;
		p += len + 1;
	}
	t1 = now();
	printf("parse %.6f %zu\n", t1 - t0, n + invalid);
	printf("invalid 0 %zu\n", invalid);

	t0 = now();
	qsort(vs, n, sizeof(*vs), by_version);
	t1 = now();
	printf("sort %.6f %llu\n", t1 - t0, ncmp);

	rounds = n > 1 ? 2000000ULL / n + 1 : 1;
	t0 = now();
	for (r = 0; r < rounds; r++)
		for (i = 1; i < n; i++)
			sink += tg_pep440_cmp(&vs[i - 1], &vs[i]);
	t1 = now();
	printf("compare %.6f %llu\n", t1 - t0, rounds * (n ? n - 1 : 0));

	if (tg_pep440_spec_parse(argv[2], strlen(argv[2]), &set, &err)) {
		fprintf(stderr, "pep440-bench: %s\n", err.msg);
		return 3;
	}
	t0 = now();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++)
			in += tg_pep440_spec_contains(&set, &vs[i], TG_PRE_INCLUDE);
	t1 = now();
	printf("contains %.6f %llu\n", t1 - t0, rounds * n);
	printf("matched 0 %zu\n", (size_t)(in / rounds));
	tg_pep440_specset_release(&set);
	for (i = 0; i < n; i++)
		tg_pep440_release(&vs[i]);
	free(vs);
	tg_buf_release(&file);
	(void)sink;
	return 0;
}

/* Alias groups: the transitive closure of "advisory X lists Y in its
 * aliases" over all advisories, so that PYSEC-x, GHSA-y and CVE-z that
 * describe one vulnerability share one group number however they are
 * linked. Union-find over the sorted, distinct ids; ids are found by
 * binary search, so no hash table is needed. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "db/db_import.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

struct ids {
	char **v;
	bool *is_adv;
	size_t n, cap;
	size_t *parent;
};

static size_t find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]]; /* path halving */
		x = parent[x];
	}
	return x;
}

static bool lookup(const struct ids *ids, const char *s, size_t *out)
{
	size_t lo = 0, hi = ids->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ids->v[mid], s);
		if (c == 0) {
			*out = mid;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

int tg_build_alias_groups(sqlite3 *sql, const char *path, int64_t *groups,
			  struct tg_err *err)
{
	/* BINARY collation orders like strcmp, which the search relies on. */
	static const char q_ids[] =
		"SELECT x, max(a) FROM (SELECT id AS x, 1 AS a FROM advisories"
		" UNION ALL SELECT alias, 0 FROM aliases) GROUP BY x ORDER BY x";
	static const char q_edges[] =
		"SELECT a.id, s.alias FROM aliases s JOIN advisories a ON a.adv = s.adv";
	struct ids ids = { 0 };
	sqlite3_stmt *st = NULL;
	int64_t *grp = NULL, next = 0;
	size_t i;
	int rc = 0, s;

	*groups = 0;
	if (sqlite3_prepare_v2(sql, q_ids, -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *x = (const char *)sqlite3_column_text(st, 0);
		if (!x)
			continue;
		if (ids.n == ids.cap) {
			size_t ncap = ids.cap ? ids.cap * 2 : 4096, bytes;
			char **nv;
			bool *na;
			if (!tg_size_mul(ncap, sizeof(char *), &bytes) ||
			    !(nv = realloc(ids.v, bytes)))
				goto oom;
			ids.v = nv;
			if (!(na = realloc(ids.is_adv, ncap)))
				goto oom;
			ids.is_adv = na;
			ids.cap = ncap;
		}
		ids.v[ids.n] = tg_strdup(x);
		if (!ids.v[ids.n])
			goto oom;
		ids.is_adv[ids.n] = sqlite3_column_int(st, 1) != 0;
		ids.n++;
	}
	if (s != SQLITE_DONE)
		goto sqlerr;
	sqlite3_finalize(st);
	st = NULL;
	if (ids.n == 0)
		goto out;

	ids.parent = calloc(ids.n, sizeof(*ids.parent));
	grp = calloc(ids.n, sizeof(*grp));
	if (!ids.parent || !grp)
		goto oom;
	for (i = 0; i < ids.n; i++) {
		ids.parent[i] = i;
		grp[i] = -1;
	}
	if (sqlite3_prepare_v2(sql, q_edges, -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(st, 0);
		const char *b = (const char *)sqlite3_column_text(st, 1);
		size_t ia, ib, ra, rb;

		if (!a || !b || !lookup(&ids, a, &ia) || !lookup(&ids, b, &ib))
			continue;
		ra = find(ids.parent, ia);
		rb = find(ids.parent, ib);
		/* The smaller index becomes the root: deterministic. */
		if (ra < rb)
			ids.parent[rb] = ra;
		else if (rb < ra)
			ids.parent[ra] = rb;
	}
	if (s != SQLITE_DONE)
		goto sqlerr;
	sqlite3_finalize(st);
	st = NULL;

	if (sqlite3_prepare_v2(sql,
			       "INSERT INTO alias_groups(id, grp, is_advisory) VALUES(?1,?2,?3)",
			       -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	/* Groups are numbered from 1 in the order of their smallest member,
	 * so that the same feeds give the same numbers. */
	for (i = 0; i < ids.n; i++) {
		size_t r = find(ids.parent, i);
		if (grp[r] < 0)
			grp[r] = ++next;
		sqlite3_bind_text(st, 1, ids.v[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, grp[r]);
		sqlite3_bind_int(st, 3, ids.is_adv[i] ? 1 : 0);
		s = sqlite3_step(st);
		sqlite3_reset(st);
		if (s != SQLITE_DONE)
			goto sqlerr;
	}
	*groups = next;
	goto out;
oom:
	rc = tg_err_set(err, TG_ENOMEM, "out of memory");
	goto out;
sqlerr:
	rc = tg_db_sql_error(sql, path, "building alias groups", err);
out:
	sqlite3_finalize(st);
	for (i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
	free(ids.is_adv);
	free(ids.parent);
	free(grp);
	return rc;
}

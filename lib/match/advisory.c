/* The OSV advisory model: building, releasing, loading from OSV JSON. */
#include "tollgate/match.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/pep503.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

/* Grow *arr (of elem-sized items) to hold one more; the new slot is
 * zeroed. Returns the slot or NULL with err set. The capacity is implicit:
 * PUSH_FIRST slots at first (most ranges have two to four events, most
 * advisories one affected entry and one range), then doubled whenever n
 * reaches a power of two from there (so arrays built here must only ever
 * grow through push). */
#define PUSH_FIRST 4
static void *push(void **arr, size_t *n, size_t elem, size_t max,
		  const char *what, struct tg_err *err)
{
	size_t bytes;
	char *nv = *arr;

	if (*n >= max) {
		tg_err_set(err, TG_ELIMIT, "too many %s (limit %zu)", what, max);
		return NULL;
	}
	if (*n == 0 || (*n >= PUSH_FIRST && (*n & (*n - 1)) == 0)) {
		size_t cap = *n ? *n * 2 : PUSH_FIRST;

		if (!tg_size_mul(cap, elem, &bytes)) {
			tg_err_set(err, TG_ELIMIT, "size overflow");
			return NULL;
		}
		nv = realloc(*arr, bytes);
		if (!nv) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		*arr = nv;
	}
	memset(nv + *n * elem, 0, elem);
	return nv + (*n)++ * elem;
}

static int push_str(char ***arr, size_t *n, const char *s, const char *what,
		    struct tg_err *err)
{
	char *d = tg_strdup(s ? s : "");
	char **slot;

	if (!d)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	slot = push((void **)arr, n, sizeof(char *), TG_ADVISORY_MAX_ITEMS, what, err);
	if (!slot) {
		free(d);
		return err ? err->code : TG_ENOMEM;
	}
	*slot = d;
	return 0;
}

void tg_advisory_list_init(struct tg_advisory_list *l)
{
	memset(l, 0, sizeof(*l));
}

static void affected_release(struct tg_adv_affected *af)
{
	size_t i, j;

	for (i = 0; i < af->n_ranges; i++) {
		for (j = 0; !af->pooled && j < af->ranges[i].n_events; j++)
			free(af->ranges[i].events[j].version);
		if (!af->one_block)
			free(af->ranges[i].events);
	}
	free(af->ranges);
	for (i = 0; !af->pooled && i < af->n_versions; i++)
		free(af->versions[i]);
	free(af->versions);
	free(af->cvss_v3);
	free(af->cvss_v4);
}

void tg_advisory_release(struct tg_advisory *a)
{
	size_t i;

	if (!a->borrowed) {
		free(a->id);
		for (i = 0; i < a->n_aliases; i++)
			free(a->aliases[i]);
		free(a->group);
		free(a->summary);
		free(a->details);
		free(a->published);
		free(a->modified);
		free(a->cvss_v3);
		free(a->cvss_v4);
		free(a->db_severity);
	}
	free(a->aliases);
	for (i = 0; i < a->n_affected; i++)
		affected_release(&a->affected[i]);
	free(a->affected);
	memset(a, 0, sizeof(*a));
}

void tg_advisory_list_release(struct tg_advisory_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		tg_advisory_release(&l->items[i]);
	free(l->items);
	for (i = 0; i < l->n_pool; i++)
		free(l->pool[i]);
	free(l->pool);
	if (l->listed_release)
		l->listed_release(l->listed_ctx);
	free(l->latest);
	memset(l, 0, sizeof(*l));
}

#define POOL_BLOCK ((size_t)64 << 10)

static char *pool_strdup(struct tg_advisory_list *l, const char *s,
			 struct tg_err *err)
{
	size_t n = strlen(s) + 1;
	char *dst, **np;

	if (n > l->pool_left) {
		size_t size = n > POOL_BLOCK ? n : POOL_BLOCK;

		if (l->n_pool >= 1000000) {
			tg_err_set(err, TG_ELIMIT, "too much advisory text for one package");
			return NULL;
		}
		np = realloc(l->pool, (l->n_pool + 1) * sizeof(*np));
		if (!np) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		l->pool = np;
		if (!(l->pool[l->n_pool] = malloc(size))) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		l->pool_next = l->pool[l->n_pool++];
		l->pool_left = size;
	}
	dst = l->pool_next;
	memcpy(dst, s, n);
	l->pool_next += n;
	l->pool_left -= n;
	return dst;
}

struct tg_advisory *tg_advisory_list_push(struct tg_advisory_list *l,
					  struct tg_err *err)
{
	struct tg_advisory *a;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8, bytes;

		if (l->n >= TG_ADVISORY_MAX_PER_PACKAGE ||
		    !tg_size_mul(ncap, sizeof(*a), &bytes)) {
			tg_err_set(err, TG_ELIMIT, "too many advisories for one package");
			return NULL;
		}
		a = realloc(l->items, bytes);
		if (!a) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		l->items = a;
		l->cap = ncap;
	}
	a = &l->items[l->n++];
	memset(a, 0, sizeof(*a));
	return a;
}

int tg_advisory_add_alias(struct tg_advisory *a, const char *alias,
			  struct tg_err *err)
{
	return push_str(&a->aliases, &a->n_aliases, alias, "aliases", err);
}

struct tg_adv_affected *tg_advisory_add_affected(struct tg_advisory *a,
						 struct tg_err *err)
{
	return push((void **)&a->affected, &a->n_affected, sizeof(*a->affected),
		    TG_ADVISORY_MAX_ITEMS, "affected entries", err);
}

struct tg_adv_range *tg_adv_affected_add_range(struct tg_adv_affected *af,
					       enum tg_osv_range_type type,
					       struct tg_err *err)
{
	struct tg_adv_range *r;

	if (af->one_block) {
		tg_err_set(err, TG_EINTERNAL, "adding a range to a finished affected entry");
		return NULL;
	}
	r = push((void **)&af->ranges, &af->n_ranges,
				      sizeof(*af->ranges), TG_ADVISORY_MAX_ITEMS,
				      "ranges", err);
	if (r)
		r->type = type;
	return r;
}

int tg_adv_range_add_event(struct tg_adv_range *r, enum tg_osv_event_kind kind,
			   const char *version, struct tg_err *err)
{
	struct tg_adv_event *e;
	char *d = tg_strdup(version ? version : "");

	if (!d)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	e = push((void **)&r->events, &r->n_events, sizeof(*e),
		 TG_ADVISORY_MAX_ITEMS, "events", err);
	if (!e) {
		free(d);
		return err ? err->code : TG_ENOMEM;
	}
	e->kind = kind;
	e->version = d;
	return 0;
}

int tg_adv_affected_add_version(struct tg_adv_affected *af,
				const char *version, struct tg_err *err)
{
	return push_str(&af->versions, &af->n_versions, version, "versions", err);
}

int tg_adv_affected_add_version_pooled(struct tg_advisory_list *l,
				       struct tg_adv_affected *af,
				       const char *version, struct tg_err *err)
{
	char *d = pool_strdup(l, version ? version : "", err);
	char **slot;

	if (!d)
		return err ? err->code : TG_ENOMEM;
	af->pooled = true;
	slot = push((void **)&af->versions, &af->n_versions, sizeof(char *),
		    TG_ADVISORY_MAX_ITEMS, "versions", err);
	if (!slot)
		return err ? err->code : TG_ENOMEM;
	*slot = d;
	return 0;
}

int tg_adv_affected_set_ranges(struct tg_adv_affected *af, size_t n_ranges,
			       const size_t *n_events, struct tg_err *err)
{
	size_t i, total = 0, bytes, ev_bytes;
	struct tg_adv_event *ev;

	if (af->n_ranges || af->ranges)
		return tg_err_set(err, TG_EINTERNAL, "affected entry already has ranges");
	if (n_ranges > TG_ADVISORY_MAX_ITEMS)
		return tg_err_set(err, TG_ELIMIT, "too many ranges (limit %d)",
				  TG_ADVISORY_MAX_ITEMS);
	for (i = 0; i < n_ranges; i++) {
		if (n_events[i] > TG_ADVISORY_MAX_ITEMS)
			return tg_err_set(err, TG_ELIMIT, "too many events (limit %d)",
					  TG_ADVISORY_MAX_ITEMS);
		total += n_events[i];
	}
	if (!n_ranges)
		return 0;
	if (!tg_size_mul(n_ranges, sizeof(*af->ranges), &bytes) ||
	    !tg_size_mul(total, sizeof(*ev), &ev_bytes) ||
	    !tg_size_add(bytes, ev_bytes, &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	if (!(af->ranges = calloc(1, bytes)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	af->n_ranges = n_ranges;
	af->one_block = true;
	/* The range structs come first; the events follow (the struct
	 * sizes are multiples of the pointer alignment). */
	ev = (struct tg_adv_event *)(void *)(af->ranges + n_ranges);
	for (i = 0; i < n_ranges; i++) {
		af->ranges[i].events = n_events[i] ? ev : NULL;
		af->ranges[i].n_events = n_events[i];
		ev += n_events[i];
	}
	return 0;
}

char *tg_advisory_list_strdup(struct tg_advisory_list *l, const char *s,
			      struct tg_err *err)
{
	return pool_strdup(l, s, err);
}

int tg_advisory_add_alias_ref(struct tg_advisory *a, const char *alias,
			      struct tg_err *err)
{
	char **slot = push((void **)&a->aliases, &a->n_aliases, sizeof(char *),
			   TG_ADVISORY_MAX_ITEMS, "aliases", err);

	if (!slot)
		return err ? err->code : TG_ENOMEM;
	*slot = (char *)alias;
	return 0;
}

int tg_adv_range_add_event_ref(struct tg_adv_affected *af, struct tg_adv_range *r,
			       enum tg_osv_event_kind kind, const char *version,
			       struct tg_err *err)
{
	struct tg_adv_event *e;

	if (af->one_block)
		return tg_err_set(err, TG_EINTERNAL, "adding an event to a finished range");
	af->pooled = true;
	e = push((void **)&r->events, &r->n_events, sizeof(*e), TG_ADVISORY_MAX_ITEMS,
		 "events", err);
	if (!e)
		return err ? err->code : TG_ENOMEM;
	e->kind = kind;
	e->version = (char *)(version ? version : "");
	return 0;
}

int tg_adv_range_add_event_pooled(struct tg_advisory_list *l,
				  struct tg_adv_affected *af,
				  struct tg_adv_range *r,
				  enum tg_osv_event_kind kind,
				  const char *version, struct tg_err *err)
{
	char *d = pool_strdup(l, version ? version : "", err);
	struct tg_adv_event *e;

	if (!d)
		return err ? err->code : TG_ENOMEM;
	if (af->one_block)
		return tg_err_set(err, TG_EINTERNAL, "adding an event to a finished range");
	af->pooled = true;
	e = push((void **)&r->events, &r->n_events, sizeof(*e),
		 TG_ADVISORY_MAX_ITEMS, "events", err);
	if (!e)
		return err ? err->code : TG_ENOMEM;
	e->kind = kind;
	e->version = d;
	return 0;
}

char *tg_match_norm_name(enum tg_ecosystem eco, const char *name)
{
	if (eco == TG_ECO_PYPI)
		return tg_pep503_normalize_dup(name, strlen(name));
	return tg_strdup(name);
}

/* ---- OSV JSON ---- */

static int set_str(char **dst, const json_t *obj, const char *key,
		   struct tg_err *err)
{
	const char *s = tg_json_str(obj, key);

	if (!s)
		return 0;
	*dst = tg_strdup(s);
	return *dst ? 0 : tg_err_set(err, TG_ENOMEM, "out of memory");
}

/* severity: [{type, score}] -> the CVSS v3 / v4 vectors. */
static int take_severity(const json_t *arr, char **v3, char **v4,
			 struct tg_err *err)
{
	size_t i;
	json_t *s;

	if (!json_is_array(arr))
		return 0;
	json_array_foreach(arr, i, s) {
		const char *type = tg_json_str(s, "type");
		const char *score = tg_json_str(s, "score");
		char **dst = NULL;

		if (!type || !score)
			continue;
		if (strcmp(type, "CVSS_V3") == 0)
			dst = v3;
		else if (strcmp(type, "CVSS_V4") == 0)
			dst = v4;
		if (dst && !*dst) {
			*dst = tg_strdup(score);
			if (!*dst)
				return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static bool same_package(enum tg_ecosystem eco, const char *a, const char *b)
{
	char *na, *nb;
	bool same;

	if (eco != TG_ECO_PYPI)
		return strcmp(a, b) == 0;
	na = tg_pep503_normalize_dup(a, strlen(a));
	nb = tg_pep503_normalize_dup(b, strlen(b));
	same = na && nb && strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

static int take_affected(const json_t *aj, struct tg_advisory *out,
			 const char *origin, struct tg_err *err)
{
	struct tg_adv_affected *af = tg_advisory_add_affected(out, err);
	json_t *ranges = tg_json_arr(aj, "ranges");
	json_t *versions = tg_json_arr(aj, "versions");
	json_t *r, *v;
	size_t i, j;
	int rc;

	if (!af)
		return err ? err->code : TG_ENOMEM;
	if ((rc = take_severity(json_object_get(aj, "severity"), &af->cvss_v3,
				&af->cvss_v4, err)))
		return rc;
	json_array_foreach(ranges, i, r) {
		const char *type = tg_json_str(r, "type");
		enum tg_osv_range_type t = TG_OSV_RANGE_OTHER;
		struct tg_adv_range *range;
		json_t *events = tg_json_arr(r, "events"), *e;

		if (type && strcmp(type, "ECOSYSTEM") == 0)
			t = TG_OSV_RANGE_ECOSYSTEM;
		else if (type && strcmp(type, "SEMVER") == 0)
			t = TG_OSV_RANGE_SEMVER;
		else if (type && strcmp(type, "GIT") == 0)
			t = TG_OSV_RANGE_GIT;
		range = tg_adv_affected_add_range(af, t, err);
		if (!range)
			return err ? err->code : TG_ENOMEM;
		json_array_foreach(events, j, e) {
			static const struct {
				const char *key;
				enum tg_osv_event_kind kind;
			} kinds[] = {
				{ "introduced", TG_OSV_INTRODUCED },
				{ "fixed", TG_OSV_FIXED },
				{ "last_affected", TG_OSV_LAST_AFFECTED },
				{ "limit", TG_OSV_LIMIT },
			};
			size_t k, found = 0;

			for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
				const char *ver = tg_json_str(e, kinds[k].key);

				if (!ver)
					continue;
				found++;
				if ((rc = tg_adv_range_add_event(range, kinds[k].kind,
								 ver, err)))
					return rc;
			}
			if (found != 1)
				return tg_err_at(err, TG_EINVAL, origin, 0, 0,
						 "%s: an event must have exactly one of introduced, fixed, last_affected, limit",
						 out->id ? out->id : "advisory");
		}
	}
	json_array_foreach(versions, i, v) {
		if (!json_is_string(v))
			continue;
		if ((rc = tg_adv_affected_add_version(af, json_string_value(v), err)))
			return rc;
	}
	return 0;
}

int tg_advisory_from_osv_json(const void *osv_json, enum tg_ecosystem eco,
			      const char *name, struct tg_advisory *out,
			      bool *relevant, const char *origin,
			      struct tg_err *err)
{
	const json_t *osv = osv_json;
	const char *eco_name = tg_ecosystem_name(eco);
	json_t *aliases, *affected, *a, *dbs;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	*relevant = false;
	if (!json_is_object(osv) || !tg_json_str(osv, "id"))
		return tg_err_at(err, TG_EINVAL, origin, 0, 0,
				 "not an OSV record (no \"id\")");
	if ((rc = set_str(&out->id, osv, "id", err)) ||
	    (rc = set_str(&out->summary, osv, "summary", err)) ||
	    (rc = set_str(&out->details, osv, "details", err)) ||
	    (rc = set_str(&out->published, osv, "published", err)) ||
	    (rc = set_str(&out->modified, osv, "modified", err)))
		goto fail;
	out->withdrawn = tg_json_str(osv, "withdrawn") != NULL;
	aliases = tg_json_arr(osv, "aliases");
	json_array_foreach(aliases, i, a) {
		if (json_is_string(a) &&
		    (rc = tg_advisory_add_alias(out, json_string_value(a), err)))
			goto fail;
	}
	if ((rc = take_severity(json_object_get(osv, "severity"), &out->cvss_v3,
				&out->cvss_v4, err)))
		goto fail;
	dbs = tg_json_obj(osv, "database_specific");
	if (dbs && (rc = set_str(&out->db_severity, dbs, "severity", err)))
		goto fail;
	affected = tg_json_arr(osv, "affected");
	json_array_foreach(affected, i, a) {
		json_t *pkg = tg_json_obj(a, "package");
		const char *pe = tg_json_str(pkg, "ecosystem");
		const char *pn = tg_json_str(pkg, "name");

		if (!pe || !pn || strcmp(pe, eco_name) != 0 ||
		    !same_package(eco, pn, name))
			continue;
		*relevant = true;
		if ((rc = take_affected(a, out, origin, err)))
			goto fail;
	}
	return 0;
fail:
	tg_advisory_release(out);
	*relevant = false;
	return rc;
}

/* The advisory database as a tg_vuln_source. */
#include "tollgate/match.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/db.h"
#include "tollgate/str.h"

static enum tg_osv_range_type range_type(enum tg_db_range_type t)
{
	switch (t) {
	case TG_RANGE_ECOSYSTEM: return TG_OSV_RANGE_ECOSYSTEM;
	case TG_RANGE_SEMVER: return TG_OSV_RANGE_SEMVER;
	case TG_RANGE_GIT: return TG_OSV_RANGE_GIT;
	}
	return TG_OSV_RANGE_OTHER;
}

static enum tg_osv_event_kind event_kind(enum tg_db_event_kind k)
{
	switch (k) {
	case TG_EVENT_INTRODUCED: return TG_OSV_INTRODUCED;
	case TG_EVENT_FIXED: return TG_OSV_FIXED;
	case TG_EVENT_LAST_AFFECTED: return TG_OSV_LAST_AFFECTED;
	case TG_EVENT_LIMIT: return TG_OSV_LIMIT;
	}
	return TG_OSV_LIMIT;
}

/* The record stays with the advisory list and answers the matcher's
 * versions-list lookups; entry indices map to advisory indices. */
struct listed {
	struct tg_db_pkg *pkg;
	size_t *adv_of;   /* entry -> advisory index, SIZE_MAX when withdrawn */
	size_t *scratch;
};

static const size_t *listed_find(void *ctx, const char *canon, size_t *n)
{
	struct listed *l = ctx;
	const void *at;
	size_t total = tg_db_pkg_listing(l->pkg, canon, &at), k;

	*n = 0;
	for (k = 0; k < total; k++) {
		size_t adv = l->adv_of[tg_db_pkg_listing_at(at, k)];

		if (adv != SIZE_MAX && (*n == 0 || l->scratch[*n - 1] != adv))
			l->scratch[(*n)++] = adv;
	}
	return l->scratch;
}

static void listed_release(void *ctx)
{
	struct listed *l = ctx;

	if (!l)
		return;
	tg_db_pkg_free(l->pkg);
	free(l); /* with adv_of and scratch */
}

/* "db-alias-group:N" without going through printf (one per advisory of
 * every package audited), in the list's pool. */
static char *group_key(struct tg_advisory_list *l, int64_t group, struct tg_err *err)
{
	char digits[24], out[48];
	uint64_t u = group < 0 ? (uint64_t)0 - (uint64_t)group : (uint64_t)group;
	size_t n = 0, pre = sizeof("db-alias-group:") - 1;

	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	memcpy(out, "db-alias-group:", pre);
	if (group < 0)
		out[pre++] = '-';
	while (n)
		out[pre++] = digits[--n];
	out[pre] = '\0';
	return tg_advisory_list_strdup(l, out, err);
}

/* Add entry a (of record index `index`) to out: a new advisory when its
 * id differs from the previous entry's (entries come grouped by
 * advisory, in id order), else one more affected entry of it. The
 * advisory borrows its strings from the record, which the list keeps
 * (listed_ctx) until it is released. */
static int add_entry(struct tg_advisory_list *out, struct tg_advisory **cur,
		     const struct tg_db_affected *a, struct listed *l, size_t index,
		     struct tg_err *err)
{
	struct tg_adv_affected *af;
	size_t i, j;

	/* Entries come grouped by advisory (id order). */
	if (!*cur || strcmp((*cur)->id, a->advisory_id) != 0) {
		struct tg_advisory *c = tg_advisory_list_push(out, err);

		if (!c)
			return err->code ? err->code : TG_ENOMEM;
		*cur = c;
		c->borrowed = true;
		c->id = (char *)a->advisory_id;
		c->modified = (char *)a->modified;
		c->withdrawn = a->withdrawn;
		c->src_ref = l;
		c->src_index = index;
		if (!(c->group = group_key(out, a->group, err)))
			return err && err->code ? err->code : TG_ENOMEM;
	}
	af = tg_advisory_add_affected(*cur, err);
	if (!af)
		return err->code ? err->code : TG_ENOMEM;
	/* The shape is known: ranges and events in one allocation, the
	 * event versions borrowed from the record. */
	{
		size_t stack_n[32], *n_events = stack_n;
		int rc;

		if (a->n_ranges > sizeof(stack_n) / sizeof(stack_n[0]) &&
		    !(n_events = malloc(a->n_ranges * sizeof(*n_events))))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		for (i = 0; i < a->n_ranges; i++)
			n_events[i] = a->ranges[i].n_events;
		rc = tg_adv_affected_set_ranges(af, a->n_ranges, n_events, err);
		if (n_events != stack_n)
			free(n_events);
		if (rc)
			return rc;
		af->pooled = true;
		for (i = 0; i < a->n_ranges; i++) {
			const struct tg_db_range *r = &a->ranges[i];
			struct tg_adv_range *or = &af->ranges[i];

			or->type = range_type(r->type);
			for (j = 0; j < r->n_events; j++) {
				or->events[j].kind = event_kind(r->events[j].kind);
				or->events[j].version = (char *)(r->events[j].version ?
								 r->events[j].version : "");
			}
		}
	}
	for (i = 0; i < a->n_versions; i++)
		if (tg_adv_affected_add_version_pooled(out, af, a->versions[i], err))
			return err->code ? err->code : TG_ENOMEM;
	return 0;
}

int tg_match_db_load(struct tg_db *db, enum tg_ecosystem eco, const char *name,
		     bool with_versions, struct tg_advisory_list *out,
		     struct tg_err *err)
{
	struct tg_db_pkg *pkg = NULL;
	struct tg_advisory *cur = NULL;
	struct listed *l = NULL;
	size_t n, i;
	int rc;

	if ((rc = tg_db_pkg_get(db, eco, name, &pkg, err)) || !pkg)
		return rc;
	n = tg_db_pkg_count(pkg);
	/* The struct and its two arrays in one allocation (n is bounded by
	 * the record's item cap: no overflow). */
	l = malloc(sizeof(*l) + 2 * (n ? n : 1) * sizeof(size_t));
	if (!l) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto fail;
	}
	l->adv_of = (size_t *)(void *)(l + 1);
	l->scratch = l->adv_of + (n ? n : 1);
	l->pkg = pkg;
	pkg = NULL;
	for (i = 0; i < n; i++) {
		struct tg_db_affected a;

		if ((rc = tg_db_pkg_entry(l->pkg, i, with_versions, &a, err)) ||
		    (rc = add_entry(out, &cur, &a, l, i, err)))
			goto fail;
		l->adv_of[i] = a.withdrawn ? SIZE_MAX : out->n - 1;
	}
	/* Each entry carries the alias group of its advisory
	 * (alias_groups, built over every advisory and alias). */
	out->groups_closed = true;
	out->listed = listed_find;
	out->listed_ctx = l;
	out->listed_release = listed_release;
	/* The record carries the latest release when the name list had it;
	 * without it, latest_version() asks the name list itself. */
	if (tg_db_pkg_latest(l->pkg)) {
		if (!(out->latest = tg_strdup(tg_db_pkg_latest(l->pkg))))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		out->latest_known = true;
	}
	return 0;
fail:
	tg_db_pkg_free(pkg);
	listed_release(l);
	return rc;
}

/* Where a severity vector of this type goes: the matcher scores the
 * first CVSS v3 and v4. NULL when the type is not scored or the slot is
 * already taken. */
static char **severity_slot(struct tg_advisory *adv, const char *type, const char *score)
{
	char **dst = NULL;

	if (!type || !score)
		return NULL;
	if (strcmp(type, "CVSS_V3") == 0)
		dst = &adv->cvss_v3;
	else if (strcmp(type, "CVSS_V4") == 0)
		dst = &adv->cvss_v4;
	return dst && !*dst ? dst : NULL;
}

static int take_severity(struct tg_advisory *adv, const char *type, const char *score,
			 struct tg_err *err)
{
	char **dst = severity_slot(adv, type, score);

	if (!dst)
		return 0;
	*dst = tg_strdup(score);
	return *dst ? 0 : tg_err_set(err, TG_ENOMEM, "out of memory");
}

static void borrow_str(char **dst, const char *src)
{
	if (src && !*dst)
		*dst = (char *)src;
}

/* From the package record the advisory came from: no query, no copy (the
 * advisory borrows from the record, see add_entry). */
static int details_from_record(struct tg_advisory *adv, struct tg_err *err)
{
	struct listed *l = adv->src_ref;
	struct tg_db_pkg_brief b;
	size_t i;
	int rc;

	if ((rc = tg_db_pkg_brief(l->pkg, adv->src_index, &b, err)))
		return rc;
	borrow_str(&adv->summary, b.summary);
	borrow_str(&adv->details, b.details);
	borrow_str(&adv->published, b.published);
	borrow_str(&adv->db_severity, b.db_severity);
	for (i = 0; i < b.n_aliases && !rc; i++)
		rc = tg_advisory_add_alias_ref(adv, b.aliases[i], err);
	for (i = 0; i < b.n_severity; i++) {
		char **dst = severity_slot(adv, b.severity[2 * i], b.severity[2 * i + 1]);

		if (dst)
			*dst = (char *)b.severity[2 * i + 1];
	}
	return rc;
}

static int db_advisories(void *ctx, enum tg_ecosystem eco, const char *norm_name,
			 struct tg_advisory_list *out, struct tg_err *err)
{
	return tg_match_db_load(ctx, eco, norm_name, false, out, err);
}

static int db_details(void *ctx, struct tg_advisory *adv, struct tg_err *err)
{
	struct tg_db_advisory a;
	bool found = false;
	size_t i;
	int rc;

	if (adv->src_ref)
		return details_from_record(adv, err);
	if ((rc = tg_db_advisory_get_parts(ctx, adv->id, 0, &a, &found, err)))
		return rc;
	if (!found)
		return 0;
	rc = 0;
#define TAKE(field) do { if (a.field && !adv->field) { adv->field = a.field; a.field = NULL; } } while (0)
	TAKE(summary);
	TAKE(details);
	TAKE(published);
	TAKE(db_severity);
#undef TAKE
	for (i = 0; i < a.n_aliases && !rc; i++)
		rc = tg_advisory_add_alias(adv, a.aliases[i], err);
	for (i = 0; i < a.n_severity && !rc; i++)
		rc = take_severity(adv, a.severity[i].type, a.severity[i].score, err);
	tg_db_advisory_release(&a);
	return rc;
}

static int db_latest(void *ctx, enum tg_ecosystem eco, const char *norm_name,
		     char **out, struct tg_err *err)
{
	struct tg_db_name n;
	bool found = false;
	int rc;

	*out = NULL;
	if ((rc = tg_db_name_get(ctx, eco, norm_name, &n, &found, err)))
		return rc;
	if (found && n.latest_version && *n.latest_version) {
		*out = n.latest_version;
		n.latest_version = NULL;
	}
	tg_db_name_release(&n);
	return 0;
}

static int db_kev(void *ctx, const char *cve, struct tg_kev_info *out,
		  bool *found, struct tg_err *err)
{
	struct tg_db_kev k;
	int rc;

	*found = false;
	if ((rc = tg_db_kev_get(ctx, cve, &k, found, err)))
		return rc;
	if (*found) {
		out->ransomware = k.ransomware && tg_ascii_casecmp(k.ransomware, "Known") == 0;
		tg_strlcpy(out->due, k.due_date ? k.due_date : "", sizeof(out->due));
		tg_db_kev_release(&k); /* nothing to release otherwise */
	}
	return 0;
}

static int db_epss(void *ctx, const char *cve, double *p, double *pct,
		   bool *found, struct tg_err *err)
{
	struct tg_db_epss e;
	int rc;

	*found = false;
	if ((rc = tg_db_epss_get(ctx, cve, &e, found, err)))
		return rc;
	if (*found) {
		*p = e.epss;
		*pct = e.percentile;
	}
	return 0;
}

void tg_match_db_source(struct tg_db *db, struct tg_vuln_source *out)
{
	memset(out, 0, sizeof(*out));
	out->ctx = db;
	out->advisories = db_advisories;
	out->details = db_details;
	out->latest_version = db_latest;
	out->kev = db_kev;
	out->epss = db_epss;
}

int tg_match_db_feeds(struct tg_db *db, struct tg_report *report,
		      struct tg_err *err)
{
	struct tg_db_feed_list l;
	size_t i;
	int rc;

	if ((rc = tg_db_feeds(db, &l, err)))
		return rc;
	for (i = 0; i < l.n && !rc; i++) {
		struct tg_feed_info f = {
			.name = l.items[i].name,
			.version = l.items[i].feed_date ? l.items[i].feed_date
							: l.items[i].version,
			.fetched = l.items[i].fetched,
			.records = l.items[i].records,
		};
		rc = tg_report_add_feed(report, &f, err);
	}
	tg_db_feed_list_release(&l);
	return rc;
}

/* A distinct non-zero value so that tg_db_each_name stops. */
#define STOP 0x7eadbeef

struct snapshot {
	int (*fn)(void *ctx);
	void *ctx;
	int rc;
	bool ran;
};

/* The name-list iterator keeps its statement open during the callback,
 * and the callback may use the handle: an open statement holds SQLite's
 * read transaction, so everything fn does runs in that one snapshot. */
static int in_snapshot(const struct tg_db_name_view *n, void *ctx)
{
	struct snapshot *s = ctx;

	(void)n;
	s->ran = true;
	s->rc = s->fn(s->ctx);
	return STOP;
}

int tg_match_db_snapshot(struct tg_db *db, int (*fn)(void *ctx), void *ctx,
			 struct tg_err *err)
{
	static const enum tg_ecosystem ecos[] = { TG_ECO_PYPI, TG_ECO_NPM };
	struct snapshot s = { fn, ctx, 0, false };
	size_t i;
	int rc;

	for (i = 0; i < sizeof(ecos) / sizeof(ecos[0]) && !s.ran; i++) {
		rc = tg_db_each_name(db, ecos[i], in_snapshot, &s, err);
		if (rc && rc != STOP)
			return rc;
	}
	/* No name list to hold the snapshot with: run unpinned. */
	return s.ran ? s.rc : fn(ctx);
}

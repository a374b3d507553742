/* The advisory database as a tg_vuln_source. */
#include "tollgate/match.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/db.h"
#include "tollgate/str.h"

struct collect {
	struct tg_advisory_list *out;
	struct tg_advisory *cur;
	struct tg_err *err;
	int rc;
};

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

/* A distinct non-zero value so that tg_db_each_affected stops. */
#define STOP 0x7eadbeef

static int on_affected(const struct tg_db_affected *a, void *ctx)
{
	struct collect *c = ctx;
	struct tg_adv_affected *af;
	size_t i, j;

	/* Entries come grouped by advisory (id order). */
	if (!c->cur || strcmp(c->cur->id, a->advisory_id) != 0) {
		c->cur = tg_advisory_list_push(c->out, c->err);
		if (!c->cur)
			goto fail;
		c->cur->id = tg_strdup(a->advisory_id);
		c->cur->group = tg_asprintf("db-alias-group:%" PRId64, a->group);
		c->cur->modified = a->modified ? tg_strdup(a->modified) : NULL;
		c->cur->withdrawn = a->withdrawn;
		if (!c->cur->id || !c->cur->group || (a->modified && !c->cur->modified)) {
			tg_err_set(c->err, TG_ENOMEM, "out of memory");
			goto fail;
		}
	}
	af = tg_advisory_add_affected(c->cur, c->err);
	if (!af)
		goto fail;
	for (i = 0; i < a->n_ranges; i++) {
		const struct tg_db_range *r = &a->ranges[i];
		struct tg_adv_range *or = tg_adv_affected_add_range(af, range_type(r->type),
								    c->err);
		if (!or)
			goto fail;
		for (j = 0; j < r->n_events; j++)
			if (tg_adv_range_add_event_pooled(c->out, af, or,
							  event_kind(r->events[j].kind),
							  r->events[j].version, c->err))
				goto fail;
	}
	for (i = 0; i < a->n_versions; i++)
		if (tg_adv_affected_add_version_pooled(c->out, af, a->versions[i], c->err))
			goto fail;
	return 0;
fail:
	c->rc = c->err && c->err->code ? c->err->code : TG_ENOMEM;
	return STOP;
}

static int db_advisories(void *ctx, enum tg_ecosystem eco, const char *norm_name,
			 struct tg_advisory_list *out, struct tg_err *err)
{
	struct collect c = { out, NULL, err, 0 };
	int rc = tg_db_each_affected(ctx, eco, norm_name, on_affected, &c, err);

	if (rc == STOP)
		return c.rc;
	return rc;
}

static int db_details(void *ctx, struct tg_advisory *adv, struct tg_err *err)
{
	struct tg_db_advisory a;
	bool found = false;
	size_t i;
	int rc;

	if ((rc = tg_db_advisory_get(ctx, adv->id, &a, &found, err)))
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
	for (i = 0; i < a.n_severity && !rc; i++) {
		char **dst = NULL;

		if (!a.severity[i].type || !a.severity[i].score)
			continue;
		if (strcmp(a.severity[i].type, "CVSS_V3") == 0)
			dst = &adv->cvss_v3;
		else if (strcmp(a.severity[i].type, "CVSS_V4") == 0)
			dst = &adv->cvss_v4;
		if (dst && !*dst) {
			*dst = tg_strdup(a.severity[i].score);
			if (!*dst)
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		}
	}
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
	}
	tg_db_kev_release(&k);
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

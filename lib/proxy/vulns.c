/* Known-vulnerable and known-malicious versions for the proxy's policy,
 * decided by the OSV matcher (match.h) over the project's advisories from
 * the database (tg_match_db_load: one lookup per project page); each
 * distinct version is evaluated once. */
#define _GNU_SOURCE
#include "proxy_vulns.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/cvss.h"
#include "tollgate/finding.h"
#include "tollgate/match.h"
#include "tollgate/str.h"

struct version_memo {
	char *version;
	bool blocked;
	struct proxy_vuln_hit hit;
};

struct proxy_vulns {
	struct tg_db *db;
	struct tg_advisory_list advs;
	bool *malicious;              /* per advisory */
	enum tg_severity *sev;        /* per advisory, filled lazily */
	bool *sev_known;
	bool *kev;
	char *project_malware;        /* id when every version is malware */
	struct version_memo *memo;
	size_t n_memo, cap_memo;
};

/* An entry that affects every version: no versions list and either no
 * ranges or a range that opens at "0" and never closes. */
static bool covers_all(const struct tg_adv_affected *a)
{
	size_t i, j;

	if (a->n_versions)
		return false;
	if (a->n_ranges == 0)
		return true;
	for (i = 0; i < a->n_ranges; i++) {
		const struct tg_adv_range *r = &a->ranges[i];
		bool open0 = false, closed = false;

		if (r->type == TG_OSV_RANGE_GIT)
			continue;
		for (j = 0; j < r->n_events; j++) {
			if (r->events[j].kind == TG_OSV_INTRODUCED &&
			    strcmp(r->events[j].version, "0") == 0)
				open0 = true;
			else if (r->events[j].kind != TG_OSV_INTRODUCED)
				closed = true;
		}
		if (open0 && !closed)
			return true;
	}
	return false;
}

int proxy_vulns_load(struct tg_db *db, const char *norm_name,
		     struct proxy_vulns **out, struct tg_err *err)
{
	struct proxy_vulns *v = calloc(1, sizeof(*v));
	size_t i, k, n;
	int rc;

	*out = NULL;
	if (!v)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	v->db = db;
	tg_advisory_list_init(&v->advs);
	/* With versions lists: each advisory is evaluated on its own. */
	if ((rc = tg_match_db_load(db, TG_ECO_PYPI, norm_name, true, &v->advs, err))) {
		proxy_vulns_free(v);
		return rc;
	}
	n = v->advs.n ? v->advs.n : 1;
	v->malicious = calloc(n, sizeof(bool));
	v->sev = calloc(n, sizeof(*v->sev));
	v->sev_known = calloc(n, sizeof(bool));
	v->kev = calloc(n, sizeof(bool));
	if (!v->malicious || !v->sev || !v->sev_known || !v->kev) {
		proxy_vulns_free(v);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	for (i = 0; i < v->advs.n; i++) {
		const struct tg_advisory *a = &v->advs.items[i];

		v->malicious[i] = !a->withdrawn && tg_str_starts_with(a->id, "MAL-");
		for (k = 0; v->malicious[i] && !v->project_malware && k < a->n_affected; k++)
			if (covers_all(&a->affected[k]) &&
			    !(v->project_malware = tg_strdup(a->id))) {
				proxy_vulns_free(v);
				return tg_err_set(err, TG_ENOMEM, "out of memory");
			}
	}
	*out = v;
	return 0;
}

void proxy_vulns_free(struct proxy_vulns *v)
{
	size_t i;

	if (!v)
		return;
	tg_advisory_list_release(&v->advs);
	free(v->malicious);
	free(v->sev);
	free(v->sev_known);
	free(v->kev);
	free(v->project_malware);
	for (i = 0; i < v->n_memo; i++)
		free(v->memo[i].version);
	free(v->memo);
	free(v);
}

const char *proxy_vulns_project_malicious(const struct proxy_vulns *v)
{
	return v ? v->project_malware : NULL;
}

/* Severity from the advisory's CVSS vectors (highest), else the
 * database's qualitative severity; KEV from its CVE aliases. */
static int severity_of(struct proxy_vulns *v, size_t i, struct tg_err *err)
{
	struct tg_db_advisory a;
	bool found = false;
	double best = -1;
	size_t k;
	int rc;

	if (v->sev_known[i])
		return 0;
	memset(&a, 0, sizeof(a));
	rc = tg_db_advisory_get(v->db, v->advs.items[i].id, &a, &found, err);
	if (rc)
		return rc;
	for (k = 0; found && k < a.n_severity; k++) {
		double s;
		struct tg_err e;
		if (a.severity[k].type && tg_str_starts_with(a.severity[k].type, "CVSS_V") &&
		    tg_cvss_score(a.severity[k].score, &s, NULL, &e) == 0 && s > best)
			best = s;
	}
	v->sev[i] = tg_priority_severity(best, a.db_severity);
	for (k = 0; found && k < a.n_aliases && !v->kev[i]; k++) {
		struct tg_db_kev kev;
		bool kf = false;
		memset(&kev, 0, sizeof(kev));
		if (tg_str_starts_with(a.aliases[k], "CVE-") &&
		    tg_db_kev_get(v->db, a.aliases[k], &kev, &kf, err) == 0 && kf)
			v->kev[i] = true;
		tg_db_kev_release(&kev);
	}
	tg_db_advisory_release(&a);
	v->sev_known[i] = true;
	return 0;
}

static bool sev_blocks(enum tg_severity s, bool kev, enum tg_proxy_vuln_level level)
{
	/* Unknown severity counts as medium (docs/priority.md). */
	enum tg_severity eff = s == TG_SEV_UNKNOWN ? TG_SEV_MEDIUM : s;

	switch (level) {
	case TG_PVULN_NONE: return false;
	case TG_PVULN_ANY: return true;
	case TG_PVULN_LOW: return eff >= TG_SEV_LOW;
	case TG_PVULN_MEDIUM: return eff >= TG_SEV_MEDIUM;
	case TG_PVULN_HIGH: return eff >= TG_SEV_HIGH;
	case TG_PVULN_CRITICAL: return eff >= TG_SEV_CRITICAL;
	case TG_PVULN_KEV: return kev;
	}
	return true;
}

int proxy_vulns_check(struct proxy_vulns *v, const char *version,
		      enum tg_proxy_vuln_level level, struct proxy_vuln_hit *hit,
		      bool *blocked, struct tg_err *err)
{
	size_t i;
	int best = -1, rc;

	memset(hit, 0, sizeof(*hit));
	*blocked = false;
	if (!v || v->advs.n == 0)
		return 0;
	for (i = 0; i < v->n_memo; i++)
		if (strcmp(v->memo[i].version, version) == 0) {
			*hit = v->memo[i].hit;
			*blocked = v->memo[i].blocked;
			return 0;
		}
	for (i = 0; i < v->advs.n; i++) {
		enum tg_affect aff = TG_AFFECT_NO;
		bool mal = v->malicious[i];
		int rank;

		if (v->advs.items[i].withdrawn || (!mal && level == TG_PVULN_NONE))
			continue;
		if ((rc = tg_advisory_affects(&v->advs.items[i], TG_ECO_PYPI, version, NULL, &aff, err)))
			return rc;
		/* A version the matcher cannot place is not known to be
		 * affected; malware ranges are evaluated the same way. */
		if (aff != TG_AFFECT_YES)
			continue;
		if (!mal) {
			if ((rc = severity_of(v, i, err)))
				return rc;
			if (!sev_blocks(v->sev[i], v->kev[i], level))
				continue;
		}
		/* Report malware first, then the most severe. */
		rank = mal ? 100 : (int)v->sev[i] + (v->kev[i] ? 10 : 0);
		if (rank > best) {
			best = rank;
			tg_strlcpy(hit->id, v->advs.items[i].id, sizeof(hit->id));
			tg_strlcpy(hit->severity, mal ? "malware" : tg_severity_name(v->sev[i]),
				   sizeof(hit->severity));
			hit->malicious = mal;
		}
	}
	*blocked = best >= 0;
	if (v->n_memo == v->cap_memo) {
		size_t nc = v->cap_memo ? v->cap_memo * 2 : 16;
		struct version_memo *nm = realloc(v->memo, nc * sizeof(*nm));
		if (!nm)
			return 0; /* the memo is an optimisation */
		v->memo = nm;
		v->cap_memo = nc;
	}
	v->memo[v->n_memo].version = tg_strdup(version);
	if (v->memo[v->n_memo].version) {
		v->memo[v->n_memo].hit = *hit;
		v->memo[v->n_memo].blocked = *blocked;
		v->n_memo++;
	}
	return 0;
}

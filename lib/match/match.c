/* Matching one package against its advisories: OSV evaluation, alias
 * groups (one finding per vulnerability), fix suggestion, enrichment
 * (CVSS, KEV, EPSS) and priority. */
#include "match_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/cvss.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

/* ---- identifiers ---- */

/* Natural order: digit runs compare as numbers, so CVE-2021-999 sorts
 * before CVE-2021-1000. */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *sa, *sb;
			size_t la, lb;
			int c;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (sa = a; isdigit((unsigned char)*a); a++)
				;
			for (sb = b; isdigit((unsigned char)*b); b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = memcmp(sa, sb, la);
			if (c)
				return c;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int natural_cmp_p(const void *a, const void *b)
{
	int c = natural_cmp(*(const char *const *)a, *(const char *const *)b);
	return c ? c : strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool tg_prefer_id_parse(const char *s, enum tg_prefer_id *out)
{
	static const char *const names[] = { "cve", "ghsa", "pysec", "osv" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (tg_ascii_casecmp(s, names[i]) == 0) {
			*out = (enum tg_prefer_id)i;
			return true;
		}
	return false;
}

const char *tg_prefer_id_name(enum tg_prefer_id p)
{
	switch (p) {
	case TG_PREFER_CVE: return "cve";
	case TG_PREFER_GHSA: return "ghsa";
	case TG_PREFER_PYSEC: return "pysec";
	case TG_PREFER_OSV: return "osv";
	}
	return "cve";
}

/* ---- per-package state ---- */

struct cand {
	const char *text; /* borrowed from an advisory or from latest */
	struct tg_vctx v;
};

struct pkg_match {
	const struct tg_vuln_source *src;
	const struct tg_match_opts *opts;
	enum tg_ecosystem eco;
	const struct tg_vscheme *primary;
	struct tg_advisory_list list;
	struct tg_cadv *c;
	size_t n;
	enum tg_affect *res;
	size_t *parent;
	struct tg_vctx pv;
	char *latest;
	struct cand *cands;
	size_t n_cands;
	bool cands_done;
	unsigned char *matrix;   /* n_cands x n, enum tg_affect + 1; 0 = not yet */
	bool oom;
};

static size_t uf_find(size_t *parent, size_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a != b) {
		if (a < b)
			parent[b] = a;
		else
			parent[a] = b;
	}
}

struct id_ref {
	const char *id;
	size_t adv;
};

static int id_ref_cmp(const void *pa, const void *pb)
{
	const struct id_ref *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	if (c)
		return c;
	return a->adv < b->adv ? -1 : a->adv > b->adv;
}

/* Union advisories that share any identifier (id, alias or database
 * alias-group key): aliasing is transitive. */
static int group_advisories(struct pkg_match *m, struct tg_err *err)
{
	struct id_ref *refs;
	size_t i, j, n_refs = 0, total = 0, bytes;

	m->parent = malloc((m->n ? m->n : 1) * sizeof(*m->parent));
	if (!m->parent)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < m->n; i++) {
		m->parent[i] = i;
		total += 2 + m->list.items[i].n_aliases;
	}
	if (!tg_size_mul(total ? total : 1, sizeof(*refs), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	refs = malloc(bytes);
	if (!refs)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < m->n; i++) {
		const struct tg_advisory *a = &m->list.items[i];

		if (a->withdrawn)
			continue;
		if (a->id)
			refs[n_refs++] = (struct id_ref){ a->id, i };
		for (j = 0; j < a->n_aliases; j++)
			refs[n_refs++] = (struct id_ref){ a->aliases[j], i };
		if (a->group)
			refs[n_refs++] = (struct id_ref){ a->group, i };
	}
	qsort(refs, n_refs, sizeof(*refs), id_ref_cmp);
	for (i = 1; i < n_refs; i++)
		if (strcmp(refs[i - 1].id, refs[i].id) == 0)
			uf_union(m->parent, refs[i - 1].adv, refs[i].adv);
	free(refs);
	return 0;
}

/* ---- fix candidates ---- */

static int cand_cmp(const struct tg_vscheme *s, const struct cand *a,
		    const struct cand *b)
{
	return s->cmp(a->v.slot[0].handle, b->v.slot[0].handle);
}

static void sort_cands(const struct tg_vscheme *s, struct cand *c,
		       struct cand *tmp, size_t n)
{
	size_t mid, i, j, k;

	if (n < 2)
		return;
	mid = n / 2;
	sort_cands(s, c, tmp, mid);
	sort_cands(s, c + mid, tmp, n - mid);
	for (i = 0, j = mid, k = 0; i < mid || j < n;) {
		if (j >= n || (i < mid && cand_cmp(s, &c[i], &c[j]) <= 0))
			tmp[k++] = c[i++];
		else
			tmp[k++] = c[j++];
	}
	memcpy(c, tmp, n * sizeof(*c));
}

#define MAX_CANDIDATES 100000

static int add_cand(struct pkg_match *m, const char *text, size_t *cap,
		    struct tg_err *err)
{
	struct cand *nc;
	void *h;

	if (m->n_cands >= MAX_CANDIDATES)
		return 0;
	if (m->n_cands == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;

		nc = realloc(m->cands, ncap * sizeof(*nc));
		if (!nc)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		m->cands = nc;
		*cap = ncap;
	}
	nc = &m->cands[m->n_cands];
	nc->text = text;
	tg_vctx_init(&nc->v, text);
	/* Slot 0 is always the primary scheme (cand_cmp relies on it). */
	h = tg_vctx_get(&nc->v, m->primary, &m->oom);
	if (m->oom) {
		tg_vctx_release(&nc->v);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	if (!h) {
		tg_vctx_release(&nc->v);
		return 0;
	}
	m->n_cands++;
	return 0;
}

/* Candidates: introduced and fixed events of every range, plus the latest
 * known release; kept when above the installed version, not above the
 * latest release (when it is known and not behind the installed one), and
 * not a pre-release unless pre-releases are acceptable. Sorted, unique. */
static int collect_candidates(struct pkg_match *m, struct tg_err *err)
{
	size_t cap = 0, i, j, k, out;
	void *pv, *latest_h = NULL;
	struct tg_vctx latest_v;
	bool pv_pre, latest_ok = false;
	struct cand *tmp;
	int rc = 0;

	m->cands_done = true;
	pv = tg_vctx_get(&m->pv, m->primary, &m->oom);
	if (!pv)
		return m->oom ? tg_err_set(err, TG_ENOMEM, "out of memory") : 0;
	pv_pre = m->primary->is_prerelease && m->primary->is_prerelease(pv);
	for (i = 0; i < m->n; i++) {
		const struct tg_cadv *c = &m->c[i];

		if (c->adv->withdrawn)
			continue;
		for (j = 0; j < c->n_ranges; j++) {
			const struct tg_crange *r = &c->ranges[j];

			if (r->scheme != m->primary)
				continue;
			for (k = 0; k < r->n_ev; k++)
				if ((r->ev[k].kind == TG_OSV_FIXED ||
				     r->ev[k].kind == TG_OSV_INTRODUCED) &&
				    !r->ev[k].zero &&
				    (rc = add_cand(m, r->ev[k].text, &cap, err)))
					return rc;
		}
	}
	if (m->latest && (rc = add_cand(m, m->latest, &cap, err)))
		return rc;
	tg_vctx_init(&latest_v, m->latest ? m->latest : "");
	if (m->latest) {
		latest_h = tg_vctx_get(&latest_v, m->primary, &m->oom);
		latest_ok = latest_h && m->primary->cmp(latest_h, pv) >= 0;
	}
	for (i = 0, out = 0; i < m->n_cands; i++) {
		void *h = m->cands[i].v.slot[0].handle;
		bool keep = m->primary->cmp(h, pv) > 0;

		if (keep && !pv_pre && !m->opts->allow_prerelease_fix &&
		    m->primary->is_prerelease && m->primary->is_prerelease(h))
			keep = false;
		if (keep && latest_ok && m->primary->cmp(h, latest_h) > 0)
			keep = false;
		if (keep)
			m->cands[out++] = m->cands[i];
		else
			tg_vctx_release(&m->cands[i].v);
	}
	tg_vctx_release(&latest_v);
	m->n_cands = out;
	if (out > 1) {
		tmp = malloc(out * sizeof(*tmp));
		if (!tmp)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		sort_cands(m->primary, m->cands, tmp, out);
		free(tmp);
		for (i = 1, out = 1; i < m->n_cands; i++) {
			if (cand_cmp(m->primary, &m->cands[out - 1], &m->cands[i]) == 0)
				tg_vctx_release(&m->cands[i].v);
			else
				m->cands[out++] = m->cands[i];
		}
		m->n_cands = out;
	}
	if (m->n_cands && m->n) {
		size_t bytes;

		if (!tg_size_mul(m->n_cands, m->n, &bytes) || bytes > ((size_t)64 << 20)) {
			/* Too big to tabulate: no suggestion rather than a
			 * huge allocation. */
			for (i = 0; i < m->n_cands; i++)
				tg_vctx_release(&m->cands[i].v);
			m->n_cands = 0;
			return 0;
		}
		m->matrix = calloc(1, bytes);
		if (!m->matrix)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	return 0;
}

static enum tg_affect at_cand(struct pkg_match *m, size_t cand, size_t adv)
{
	unsigned char *cell = &m->matrix[cand * m->n + adv];

	if (!*cell)
		*cell = (unsigned char)(1 + tg_cadv_eval(&m->c[adv], &m->cands[cand].v,
							 m->primary, &m->oom));
	return (enum tg_affect)(*cell - 1);
}

/* The smallest candidate that no matched member of the group affects and
 * that no other advisory affects; failing that, the smallest that fixes
 * the group and adds no hole the installed version does not already
 * have. NULL when there is none. */
static int suggest_fix(struct pkg_match *m, size_t root, const char **fix,
		       struct tg_err *err)
{
	const char *fallback = NULL;
	size_t c, a;
	int rc;

	*fix = NULL;
	if (!m->cands_done && (rc = collect_candidates(m, err)))
		return rc;
	for (c = 0; c < m->n_cands; c++) {
		bool fixes = true, clean = true, no_new_hole = true;

		for (a = 0; a < m->n && fixes; a++) {
			if (uf_find(m->parent, a) != root)
				continue;
			if (m->res[a] == TG_AFFECT_YES && at_cand(m, c, a) != TG_AFFECT_NO)
				fixes = false;
		}
		if (!fixes)
			continue;
		for (a = 0; a < m->n; a++) {
			enum tg_affect at;

			if (uf_find(m->parent, a) == root || m->list.items[a].withdrawn)
				continue;
			at = at_cand(m, c, a);
			if (at != TG_AFFECT_NO) {
				clean = false;
				if (m->res[a] != TG_AFFECT_YES)
					no_new_hole = false;
			}
		}
		if (clean) {
			*fix = m->cands[c].text;
			return 0;
		}
		if (no_new_hole && !fallback)
			fallback = m->cands[c].text;
	}
	*fix = fallback;
	return 0;
}

/* ---- building findings ---- */

struct strv {
	const char **v;
	size_t n, cap;
};

static int strv_add(struct strv *s, const char *str, struct tg_err *err)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		const char **nv = realloc(s->v, ncap * sizeof(*nv));

		if (!nv)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = str;
	return 0;
}

static const char *first_with_prefix(const struct strv *ids, const char *prefix)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		if (tg_str_starts_with(ids->v[i], prefix))
			return ids->v[i];
	return NULL;
}

/* ids and records are natural-sorted. */
static const char *pick_id(const struct strv *ids, const struct strv *records,
			   enum tg_prefer_id prefer)
{
	static const char *const order[4][3] = {
		[TG_PREFER_CVE] = { "CVE-", "GHSA-", "PYSEC-" },
		[TG_PREFER_GHSA] = { "GHSA-", "CVE-", "PYSEC-" },
		[TG_PREFER_PYSEC] = { "PYSEC-", "CVE-", "GHSA-" },
		[TG_PREFER_OSV] = { NULL, NULL, NULL },
	};
	size_t i;

	for (i = 0; i < 3 && order[prefer][i]; i++) {
		const char *hit = first_with_prefix(ids, order[prefer][i]);
		if (hit)
			return hit;
	}
	return records->n ? records->v[0] : ids->v[0];
}

/* One line for the table: the record's summary, else the first line of
 * its details, shortened. */
static char *one_line(const struct tg_advisory *a)
{
	const char *s = a->summary && *a->summary ? a->summary : a->details;
	size_t n, cut = 200;

	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	n = strcspn(s, "\r\n");
	if (n > cut) {
		size_t sp = cut;
		while (sp > cut / 2 && s[sp] != ' ')
			sp--;
		return tg_asprintf("%.*s...", (int)(sp > cut / 2 ? sp : cut), s);
	}
	return tg_strndup(s, n);
}

/* Best CVSS score of one record: its v4.0 vector if it scores, else v3. */
static double record_cvss(const struct tg_advisory *a, const char **vector)
{
	const char *cands[16];
	size_t n = 0, i;

	cands[n++] = a->cvss_v4;
	cands[n++] = a->cvss_v3;
	for (i = 0; i < a->n_affected && n + 2 <= 16; i++) {
		cands[n++] = a->affected[i].cvss_v4;
		cands[n++] = a->affected[i].cvss_v3;
	}
	for (i = 0; i < n; i++) {
		double s;
		struct tg_err e;

		if (cands[i] && tg_cvss_score(cands[i], &s, NULL, &e) == 0) {
			*vector = cands[i];
			return s;
		}
	}
	*vector = NULL;
	return -1.0;
}

static int enrich(struct pkg_match *m, const struct strv *ids,
		  struct tg_finding *f, struct tg_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < ids->n; i++) {
		const char *id = ids->v[i];

		if (!tg_str_starts_with(id, "CVE-"))
			continue;
		if (m->src->kev) {
			struct tg_kev_info k;
			bool found = false;

			memset(&k, 0, sizeof(k));
			if ((rc = m->src->kev(m->src->ctx, id, &k, &found, err)))
				return rc;
			if (found) {
				f->kev = true;
				if (k.ransomware)
					f->kev_ransomware = true;
				if (k.due[0] && (!f->kev_due || strcmp(k.due, f->kev_due) < 0)) {
					free(f->kev_due);
					f->kev_due = tg_strdup(k.due);
					if (!f->kev_due)
						return tg_err_set(err, TG_ENOMEM, "out of memory");
				}
			}
		}
		if (m->src->epss) {
			double p = -1, pct = -1;
			bool found = false;

			if ((rc = m->src->epss(m->src->ctx, id, &p, &pct, &found, err)))
				return rc;
			if (found && p > f->epss) {
				f->epss = p;
				f->epss_percentile = pct;
			}
		}
	}
	return 0;
}

static void fill_package(struct tg_finding *f, const struct tg_package *p,
			 size_t inv, size_t idx)
{
	f->eco = p->eco;
	f->package = p->name;
	f->version = p->version;
	f->origin_path = p->origin_path;
	f->origin_line = p->origin_line;
	f->has_pkg_ref = true;
	f->inv_index = inv;
	f->pkg_index = idx;
	f->cvss = -1.0;
	f->epss = -1.0;
	f->epss_percentile = -1.0;
}

static int emit_group(struct pkg_match *m, size_t root, struct tg_report *report,
		      const struct tg_package *pkg, size_t inv, size_t idx,
		      struct tg_err *err)
{
	struct strv ids = { 0 }, records = { 0 }, aliases = { 0 };
	struct tg_finding f;
	const struct tg_advisory *rep = NULL;
	const char *best_vec = NULL, *fix;
	enum tg_severity db_sev = TG_SEV_UNKNOWN;
	double best = -1.0;
	bool malicious = false;
	size_t i, j;
	int rc = 0;

	memset(&f, 0, sizeof(f));
	fill_package(&f, pkg, inv, idx);
	for (i = 0; i < m->n; i++) {
		const struct tg_advisory *a = &m->list.items[i];

		if (a->withdrawn || uf_find(m->parent, i) != root)
			continue;
		if ((rc = strv_add(&ids, a->id, err)))
			goto out;
		for (j = 0; j < a->n_aliases; j++)
			if ((rc = strv_add(&ids, a->aliases[j], err)))
				goto out;
		if (m->res[i] != TG_AFFECT_YES)
			continue;
		if ((rc = strv_add(&records, a->id, err)))
			goto out;
		if (tg_str_starts_with(a->id, "MAL-"))
			malicious = true;
		{
			const char *vec;
			double s = record_cvss(a, &vec);
			enum tg_severity ds;

			if (s > best) {
				best = s;
				best_vec = vec;
			}
			if (a->db_severity && tg_severity_parse(a->db_severity, &ds) &&
			    ds > db_sev)
				db_sev = ds;
		}
	}
	qsort(ids.v, ids.n, sizeof(*ids.v), natural_cmp_p);
	qsort(records.v, records.n, sizeof(*records.v), natural_cmp_p);
	f.id = (char *)pick_id(&ids, &records, m->opts->prefer);
	for (i = 0; i < ids.n; i++)
		if (strcmp(ids.v[i], f.id) != 0 && (rc = strv_add(&aliases, ids.v[i], err)))
			goto out;
	f.aliases = (char **)aliases.v;
	f.n_aliases = aliases.n;
	f.advisories = (char **)records.v;
	f.n_advisories = records.n;
	/* Representative record: the chosen id when it is a record, else the
	 * first record that has a summary. */
	for (i = 0; i < m->n && !rep; i++)
		if (m->res[i] == TG_AFFECT_YES && uf_find(m->parent, i) == root &&
		    strcmp(m->list.items[i].id, f.id) == 0)
			rep = &m->list.items[i];
	for (j = 0; j < records.n && !rep; j++)
		for (i = 0; i < m->n && !rep; i++)
			if (m->res[i] == TG_AFFECT_YES && uf_find(m->parent, i) == root &&
			    strcmp(m->list.items[i].id, records.v[j]) == 0 &&
			    m->list.items[i].summary)
				rep = &m->list.items[i];
	for (i = 0; i < m->n && !rep; i++)
		if (m->res[i] == TG_AFFECT_YES && uf_find(m->parent, i) == root &&
		    strcmp(m->list.items[i].id, records.v[0]) == 0)
			rep = &m->list.items[i];
	f.kind = malicious ? TG_FIND_MALICIOUS : TG_FIND_VULNERABILITY;
	f.summary = rep ? one_line(rep) : NULL;
	f.details = rep ? rep->details : NULL;
	f.cvss = best;
	f.cvss_vector = (char *)best_vec;
	f.severity = malicious ? TG_SEV_CRITICAL
		     : best >= 0 ? tg_cvss_severity(best) : db_sev;
	if ((rc = enrich(m, &ids, &f, err)))
		goto out;
	if ((rc = suggest_fix(m, root, &fix, err)))
		goto out;
	if (m->oom) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	f.fixed_version = (char *)fix;
	f.priority = tg_priority_score(&f);
	if (!tg_report_add_finding(report, &f, err))
		rc = err ? err->code : TG_ENOMEM;
out:
	free(f.summary);
	free(f.kev_due);
	free(ids.v);
	free(records.v);
	free(aliases.v);
	return rc;
}

static int emit_unknown(struct pkg_match *m, struct tg_report *report,
			const struct tg_package *pkg, size_t inv, size_t idx,
			struct tg_err *err)
{
	struct strv recs = { 0 };
	struct tg_finding f;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < m->n; i++) {
		size_t root;
		bool group_hit = false;

		if (m->res[i] != TG_AFFECT_UNKNOWN)
			continue;
		root = uf_find(m->parent, i);
		for (j = 0; j < m->n && !group_hit; j++)
			group_hit = m->res[j] == TG_AFFECT_YES && uf_find(m->parent, j) == root;
		if (!group_hit && (rc = strv_add(&recs, m->list.items[i].id, err)))
			goto out;
	}
	if (!recs.n)
		goto out;
	qsort(recs.v, recs.n, sizeof(*recs.v), natural_cmp_p);
	memset(&f, 0, sizeof(f));
	fill_package(&f, pkg, inv, idx);
	f.kind = TG_FIND_UNKNOWN_VERSION;
	f.severity = TG_SEV_UNKNOWN;
	f.advisories = (char **)recs.v;
	f.n_advisories = recs.n;
	f.summary = tg_asprintf("not checked: version '%s' is not a valid %s version; "
				"%zu advisor%s could not be evaluated",
				pkg->version, m->primary ? m->primary->name : "",
				recs.n, recs.n == 1 ? "y" : "ies");
	if (!f.summary) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	if (!tg_report_add_finding(report, &f, err))
		rc = err ? err->code : TG_ENOMEM;
	free(f.summary);
out:
	free(recs.v);
	return rc;
}

static int emit_unpinned(struct tg_report *report, const struct tg_package *pkg,
			 size_t inv, size_t idx, struct tg_err *err)
{
	struct tg_finding f;
	int rc = 0;

	memset(&f, 0, sizeof(f));
	fill_package(&f, pkg, inv, idx);
	f.version = NULL;
	f.kind = TG_FIND_UNPINNED;
	f.severity = TG_SEV_UNKNOWN;
	if (pkg->specifier && *pkg->specifier)
		f.summary = tg_asprintf("not checked: no exact version (%s)", pkg->specifier);
	else if (pkg->url)
		f.summary = tg_asprintf("not checked: no exact version (%s)", pkg->url);
	else
		f.summary = tg_strdup("not checked: no exact version");
	if (!f.summary)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (!tg_report_add_finding(report, &f, err))
		rc = err ? err->code : TG_ENOMEM;
	free(f.summary);
	return rc;
}

static void pkg_match_release(struct pkg_match *m)
{
	size_t i;

	for (i = 0; m->c && i < m->n; i++)
		tg_cadv_release(&m->c[i]);
	free(m->c);
	free(m->res);
	free(m->parent);
	for (i = 0; i < m->n_cands; i++)
		tg_vctx_release(&m->cands[i].v);
	free(m->cands);
	free(m->matrix);
	free(m->latest);
	tg_vctx_release(&m->pv);
	tg_advisory_list_release(&m->list);
}

int tg_match_package(const struct tg_vuln_source *src,
		     const struct tg_match_opts *opts, struct tg_report *report,
		     size_t inv, size_t idx, struct tg_err *err)
{
	static const struct tg_match_opts default_opts;
	const struct tg_package *pkg;
	struct pkg_match m;
	char *norm = NULL;
	size_t i;
	int rc = 0;
	bool any_yes = false;

	if (inv >= report->n_inventories || idx >= report->inventories[inv].n_pkgs)
		return tg_err_set(err, TG_EINTERNAL, "package index out of range");
	pkg = &report->inventories[inv].pkgs[idx];
	if (!opts)
		opts = &default_opts;
	memset(&m, 0, sizeof(m));
	m.src = src;
	m.opts = opts;
	m.eco = pkg->eco;
	m.primary = tg_match_scheme(opts, pkg->eco, TG_OSV_RANGE_ECOSYSTEM);
	tg_advisory_list_init(&m.list);
	tg_vctx_init(&m.pv, pkg->version ? pkg->version : "");
	if (!m.primary || !pkg->name)
		goto out; /* no advisory data for this ecosystem */
	if (!pkg->version || (pkg->flags & TG_PKG_UNPINNED)) {
		rc = emit_unpinned(report, pkg, inv, idx, err);
		goto out;
	}
	norm = pkg->norm_name ? tg_strdup(pkg->norm_name)
			      : tg_match_norm_name(pkg->eco, pkg->name);
	if (!norm) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = src->advisories(src->ctx, pkg->eco, norm, &m.list, err)))
		goto out;
	for (i = 0; i < m.list.n; i++)
		if (!m.list.items[i].id)
			m.list.items[i].withdrawn = true; /* unusable without an id */
	m.n = m.list.n;
	if (!m.n)
		goto out;
	m.c = calloc(m.n, sizeof(*m.c));
	m.res = calloc(m.n, sizeof(*m.res));
	if (!m.c || !m.res) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < m.n; i++) {
		if ((rc = tg_cadv_compile(&m.list.items[i], pkg->eco, opts, &m.c[i], err))) {
			tg_err_prefix(err, "%s", m.list.items[i].id ? m.list.items[i].id : "advisory");
			goto out;
		}
		m.res[i] = tg_cadv_eval(&m.c[i], &m.pv, m.primary, &m.oom);
		if (m.res[i] == TG_AFFECT_YES)
			any_yes = true;
	}
	if (m.oom) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	if (src->details)
		for (i = 0; i < m.n; i++)
			if (m.res[i] == TG_AFFECT_YES &&
			    (rc = src->details(src->ctx, &m.list.items[i], err)))
				goto out;
	if ((rc = group_advisories(&m, err)))
		goto out;
	if (any_yes && src->latest_version &&
	    (rc = src->latest_version(src->ctx, pkg->eco, norm, &m.latest, err)))
		goto out;
	for (i = 0; i < m.n; i++) {
		size_t j;
		bool first = true;

		if (m.res[i] != TG_AFFECT_YES)
			continue;
		/* Emit each group once, at its first matched member. */
		for (j = 0; j < i && first; j++)
			if (m.res[j] == TG_AFFECT_YES &&
			    uf_find(m.parent, j) == uf_find(m.parent, i))
				first = false;
		if (first && (rc = emit_group(&m, uf_find(m.parent, i), report, pkg,
					      inv, idx, err)))
			goto out;
	}
	rc = emit_unknown(&m, report, pkg, inv, idx, err);
out:
	free(norm);
	pkg_match_release(&m);
	return rc;
}

int tg_match_report(const struct tg_vuln_source *src,
		    const struct tg_match_opts *opts, struct tg_report *report,
		    struct tg_err *err)
{
	size_t i, j;
	int rc;

	for (i = 0; i < report->n_inventories; i++)
		for (j = 0; j < report->inventories[i].n_pkgs; j++)
			if ((rc = tg_match_package(src, opts, report, i, j, err)))
				return rc;
	tg_report_sort_findings(report);
	return 0;
}

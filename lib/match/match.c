/* Matching one package against its advisories: OSV evaluation, alias
 * groups (one finding per vulnerability), fix suggestion, enrichment
 * (CVSS, KEV, EPSS) and priority. */
#include "match_internal.h"

#include <ctype.h>
#include <stdint.h>
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
	struct tg_vctx v; /* handles from the package's intern table */
	/* The advisories that do not answer "no" for this candidate (it is
	 * affected or cannot be evaluated), as a bit set of pkg_match.words
	 * words; computed once per name, when a fix search first reaches the
	 * candidate. Checking a candidate against a group is then a few
	 * word operations. */
	uint64_t *hits;
	bool row_ready;
};

/* Matching state. The first half depends only on the package name and
 * is kept while consecutive packages share it (a name pinned in several
 * inputs or environments is loaded and compiled once); the second half
 * is per version. */
struct pkg_match {
	const struct tg_vuln_source *src;
	const struct tg_match_opts *opts;
	enum tg_ecosystem eco;
	const struct tg_vscheme *primary;
	char *norm;
	bool loaded;
	struct tg_advisory_list list;
	struct tg_cadv *c;
	size_t n;
	struct tg_vintern intern;
	struct tg_vlist_index vl;
	char *latest;
	bool latest_done;
	struct cand *cands;      /* fix candidates, sorted */
	size_t n_cands;
	uint64_t *hits;          /* every candidate's hits, words each */
	bool cands_done;
	size_t words;            /* bit-set size for n advisories */
	size_t *parent;          /* alias groups: union-find, compressed */
	size_t *first, *next;    /* members of each root, ascending (NO_ADV ends);
				  * in parent's allocation */
	/* per version */
	enum tg_affect *res;
	bool *group_hit;  /* by root: some member affects the version */
	uint64_t *yes;           /* bit set: res == TG_AFFECT_YES */
	uint64_t *group;         /* bit set: members of the group being emitted */
	struct tg_vctx pv;
	bool oom;
};

#define NO_ADV ((size_t)-1)

static void bit_set(uint64_t *b, size_t i)
{
	b[i / 64] |= (uint64_t)1 << (i % 64);
}

static bool bit_test(const uint64_t *b, size_t i)
{
	return b[i / 64] >> (i % 64) & 1;
}

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
 * alias-group key): aliasing is transitive. With closed groups
 * (tg_advisory_list.groups_closed) the group key alone decides. */
static int group_advisories(struct pkg_match *m, struct tg_err *err)
{
	struct id_ref stack_refs[64], *refs;
	size_t i, j, n_refs = 0, total = 0, bytes;
	bool closed = m->list.groups_closed;

	/* parent, first and next in one allocation (m->n is bounded by
	 * TG_ADVISORY_MAX_PER_PACKAGE: no overflow). */
	free(m->parent);
	m->parent = malloc(3 * (m->n ? m->n : 1) * sizeof(*m->parent));
	if (!m->parent)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	m->first = m->parent + (m->n ? m->n : 1);
	m->next = m->first + (m->n ? m->n : 1);
	for (i = 0; i < m->n; i++) {
		m->parent[i] = i;
		total += 2 + m->list.items[i].n_aliases;
		if (!m->list.items[i].withdrawn && !m->list.items[i].group)
			closed = false;
	}
	if (closed)
		total = m->n; /* one key each */
	if (!tg_size_mul(total ? total : 1, sizeof(*refs), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	refs = total <= sizeof(stack_refs) / sizeof(stack_refs[0]) ? stack_refs : malloc(bytes);
	if (!refs)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < m->n; i++) {
		const struct tg_advisory *a = &m->list.items[i];

		if (a->withdrawn)
			continue;
		if (a->group)
			refs[n_refs++] = (struct id_ref){ a->group, i };
		if (closed)
			continue; /* the group says it all */
		if (a->id)
			refs[n_refs++] = (struct id_ref){ a->id, i };
		for (j = 0; j < a->n_aliases; j++)
			refs[n_refs++] = (struct id_ref){ a->aliases[j], i };
	}
	qsort(refs, n_refs, sizeof(*refs), id_ref_cmp);
	for (i = 1; i < n_refs; i++)
		if (strcmp(refs[i - 1].id, refs[i].id) == 0)
			uf_union(m->parent, refs[i - 1].adv, refs[i].adv);
	if (refs != stack_refs)
		free(refs);
	/* Point every member straight at its root, and chain each root's
	 * members in ascending order for the finding builders. */
	for (i = 0; i < m->n; i++)
		m->parent[i] = uf_find(m->parent, i);
	for (i = 0; i < m->n; i++)
		m->first[i] = NO_ADV;
	for (i = m->n; i-- > 0;) {
		m->next[i] = m->first[m->parent[i]];
		m->first[m->parent[i]] = i;
	}
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
#define HITS_BLOCK_WORDS ((size_t)1 << 16) /* 512 KiB of candidate rows */

static int add_cand(struct pkg_match *m, const char *text, size_t *cap,
		    struct tg_err *err)
{
	struct cand *nc;
	void *h;

	if (m->n_cands >= MAX_CANDIDATES)
		return 0;
	/* Fixed versions repeat across advisories: keep one of each. */
	if (!tg_vintern_claim(&m->intern, m->primary, text, &m->oom))
		return m->oom ? tg_err_set(err, TG_ENOMEM, "out of memory") : 0;
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
	nc->row_ready = false;
	nc->hits = NULL;
	tg_vctx_init_interned(&nc->v, text, &m->intern);
	/* Slot 0 is always the primary scheme (cand_cmp relies on it). */
	h = tg_vctx_get(&nc->v, m->primary, &m->oom);
	if (m->oom)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (h)
		m->n_cands++;
	return 0;
}

/* Every fix candidate of the package, once per name: introduced and fixed
 * events of every range, and the latest known release; sorted, unique.
 * Whether a candidate is affected by an advisory does not depend on the
 * installed version, so the matrix of answers is shared by all versions
 * of the name too. */
static int collect_candidates(struct pkg_match *m, struct tg_err *err)
{
	size_t cap = 0, i, j, k, out;
	struct cand *tmp;
	int rc = 0;

	m->cands_done = true;
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
	if (m->n_cands > 1) {
		tmp = malloc(m->n_cands * sizeof(*tmp));
		if (!tmp)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		sort_cands(m->primary, m->cands, tmp, m->n_cands);
		free(tmp);
		for (i = 1, out = 1; i < m->n_cands; i++) {
			if (cand_cmp(m->primary, &m->cands[out - 1], &m->cands[i]) == 0)
				tg_vctx_release(&m->cands[i].v);
			else
				m->cands[out++] = m->cands[i];
		}
		m->n_cands = out;
	}
	return 0;
}

/* The advisories whose versions lists hold canon: from the source's
 * prebuilt index when it has one, else from the index built at load. */
static const size_t *listing(const struct pkg_match *m, const char *canon,
			     size_t *n)
{
	const struct tg_vlist_entry *e;

	*n = 0;
	if (!canon)
		return NULL;
	if (m->list.listed)
		return m->list.listed(m->list.listed_ctx, canon, n);
	e = tg_vlist_find(&m->vl, canon);
	if (!e)
		return NULL;
	*n = e->n;
	return e->advs;
}

/* Fill the candidate's hits: advisories whose versions lists hold it,
 * then every other whose ranges do not answer "no". */
static int cand_row(struct pkg_match *m, size_t cand, struct tg_err *err)
{
	struct cand *c = &m->cands[cand];
	const size_t *advs;
	size_t k, n, a, words = m->words ? m->words : 1;

	if (c->row_ready)
		return 0;
	/* The rows of all candidates in one zeroed allocation, made when
	 * the first is needed; one each when that would be large (a fix
	 * search visits a few). */
	if (m->n_cands * words <= HITS_BLOCK_WORDS) {
		if (!m->hits && !(m->hits = calloc(m->n_cands * words, sizeof(*m->hits))))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		c->hits = m->hits + cand * words;
	} else if (!(c->hits = calloc(words, sizeof(*c->hits)))) {
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	advs = listing(m, tg_vctx_canon(&c->v, m->primary, &m->oom), &n);
	for (k = 0; k < n; k++)
		bit_set(c->hits, advs[k]);
	for (a = 0; a < m->n; a++)
		if (!bit_test(c->hits, a) &&
		    tg_cadv_eval_ranges(&m->c[a], &c->v, &m->oom) != TG_AFFECT_NO)
			bit_set(c->hits, a);
	c->row_ready = true;
	return m->oom ? tg_err_set(err, TG_ENOMEM, "out of memory") : 0;
}

/* The smallest candidate above the installed version that no matched
 * member of the group affects and that no other advisory affects;
 * failing that, the smallest that fixes the group and adds no hole the
 * installed version does not already have. Candidates are kept only when
 * not above the latest release (when it is known and not behind the
 * installed version) and, for users of final releases, not pre-releases.
 * NULL when there is none. */
static int suggest_fix(struct pkg_match *m, size_t root, const char **fix,
		       struct tg_err *err)
{
	const char *fallback = NULL;
	void *pv, *latest_h = NULL;
	bool pv_pre, latest_ok = false;
	size_t c, lo, hi;
	int rc;

	*fix = NULL;
	if (!m->cands_done && (rc = collect_candidates(m, err)))
		return rc;
	pv = tg_vctx_get(&m->pv, m->primary, &m->oom);
	if (!pv || !m->n_cands)
		return 0;
	pv_pre = m->primary->is_prerelease && m->primary->is_prerelease(pv);
	if (m->latest) {
		latest_h = tg_vintern_parse(&m->intern, m->primary, m->latest, &m->oom);
		latest_ok = latest_h && m->primary->cmp(latest_h, pv) >= 0;
	}
	/* First candidate above the installed version. */
	for (lo = 0, hi = m->n_cands; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->primary->cmp(m->cands[mid].v.slot[0].handle, pv) > 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	memset(m->group, 0, m->words * sizeof(*m->group));
	for (c = m->first[root]; c != NO_ADV; c = m->next[c])
		bit_set(m->group, c);
	for (c = lo; c < m->n_cands && !*fix; c++) {
		const struct cand *cd = &m->cands[c];
		void *h = cd->v.slot[0].handle;
		bool fixes = true, clean = true, no_new_hole = true;
		size_t k;

		if (latest_ok && m->primary->cmp(h, latest_h) > 0)
			break;
		if (!pv_pre && !m->opts->allow_prerelease_fix &&
		    m->primary->is_prerelease && m->primary->is_prerelease(h))
			continue;
		if ((rc = cand_row(m, c, err)))
			return rc;
		/* A matched member of the group that still holds the
		 * candidate means it does not fix; any other advisory makes
		 * it unclean, and a new hole when the installed version is
		 * not already affected by it. (Hits are never withdrawn:
		 * those answer "no".) */
		for (k = 0; k < m->words; k++) {
			uint64_t hit = cd->hits[k], other = hit & ~m->group[k];

			if (hit & m->group[k] & m->yes[k])
				fixes = false;
			if (other)
				clean = false;
			if (other & ~m->yes[k])
				no_new_hole = false;
		}
		if (!fixes)
			continue;
		if (clean)
			*fix = cd->text;
		else if (no_new_hole && !fallback)
			fallback = cd->text;
	}
	if (!*fix)
		*fix = fallback;
	return 0;
}

/* ---- building findings ---- */

/* A short list of borrowed strings; the first STRV_INLINE live in the
 * struct itself (a finding's ids rarely need more), so most findings
 * build their lists without allocating. strv_init, then strv_release. */
#define STRV_INLINE 16

struct strv {
	const char **v;
	size_t n, cap;
	const char *inline_v[STRV_INLINE];
};

static void strv_init(struct strv *s)
{
	s->v = s->inline_v;
	s->n = 0;
	s->cap = STRV_INLINE;
}

static void strv_release(struct strv *s)
{
	if (s->v != s->inline_v)
		free(s->v);
}

static int strv_add(struct strv *s, const char *str, struct tg_err *err)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t ncap = s->cap * 2;
		const char **nv = malloc(ncap * sizeof(*nv));

		if (!nv)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		memcpy(nv, s->v, s->n * sizeof(*nv));
		strv_release(s);
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
 * its details, shortened to ONE_LINE_CUT bytes and "...", into out
 * (ONE_LINE_MAX bytes). NULL when the record has neither. */
#define ONE_LINE_CUT 200
#define ONE_LINE_MAX (ONE_LINE_CUT + 4)

static char *one_line(const struct tg_advisory *a, char out[ONE_LINE_MAX])
{
	const char *s = a->summary && *a->summary ? a->summary : a->details;
	size_t n, cut = ONE_LINE_CUT;

	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	n = strcspn(s, "\r\n");
	if (n > cut) {
		size_t sp = cut;
		while (sp > cut / 2 && s[sp] != ' ')
			sp--;
		n = sp > cut / 2 ? sp : cut;
		memcpy(out, s, n);
		memcpy(out + n, "...", 4);
		return out;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
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
	struct strv ids, records, aliases;
	struct tg_finding f;
	char summary[ONE_LINE_MAX];
	const struct tg_advisory *rep = NULL;
	const char *best_vec = NULL, *fix;
	enum tg_severity db_sev = TG_SEV_UNKNOWN;
	double best = -1.0;
	bool malicious = false;
	size_t i, j;
	int rc = 0;

	strv_init(&ids);
	strv_init(&records);
	strv_init(&aliases);
	memset(&f, 0, sizeof(f));
	fill_package(&f, pkg, inv, idx);
	for (i = m->first[root]; i != NO_ADV; i = m->next[i]) {
		const struct tg_advisory *a = &m->list.items[i];

		if (a->withdrawn)
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
	for (i = m->first[root]; i != NO_ADV && !rep; i = m->next[i])
		if (m->res[i] == TG_AFFECT_YES && strcmp(m->list.items[i].id, f.id) == 0)
			rep = &m->list.items[i];
	for (j = 0; j < records.n && !rep; j++)
		for (i = m->first[root]; i != NO_ADV && !rep; i = m->next[i])
			if (m->res[i] == TG_AFFECT_YES &&
			    strcmp(m->list.items[i].id, records.v[j]) == 0 &&
			    m->list.items[i].summary)
				rep = &m->list.items[i];
	for (i = m->first[root]; i != NO_ADV && !rep; i = m->next[i])
		if (m->res[i] == TG_AFFECT_YES && strcmp(m->list.items[i].id, records.v[0]) == 0)
			rep = &m->list.items[i];
	f.kind = malicious ? TG_FIND_MALICIOUS : TG_FIND_VULNERABILITY;
	f.summary = rep ? one_line(rep, summary) : NULL;
	f.details = rep && !m->opts->skip_details ? rep->details : NULL;
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
	free(f.kev_due);
	strv_release(&ids);
	strv_release(&records);
	strv_release(&aliases);
	return rc;
}

static int emit_unknown(struct pkg_match *m, struct tg_report *report,
			const struct tg_package *pkg, size_t inv, size_t idx,
			struct tg_err *err)
{
	struct strv recs;
	struct tg_finding f;
	size_t i;
	int rc = 0;

	strv_init(&recs);
	for (i = 0; i < m->n; i++)
		if (m->res[i] == TG_AFFECT_UNKNOWN && !m->group_hit[m->parent[i]] &&
		    (rc = strv_add(&recs, m->list.items[i].id, err)))
			goto out;
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
	strv_release(&recs);
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

static void version_release(struct pkg_match *m)
{
	free(m->yes); /* with group, res and group_hit */
	m->yes = m->group = NULL;
	m->res = NULL;
	m->group_hit = NULL;
	tg_vctx_release(&m->pv);
}

static void pkg_match_release(struct pkg_match *m)
{
	size_t i;

	version_release(m);
	free(m->parent); /* with first and next */
	for (i = 0; i < m->n_cands; i++) {
		tg_vctx_release(&m->cands[i].v);
		if (!m->hits)
			free(m->cands[i].hits); /* rows allocated one by one */
	}
	free(m->cands);
	free(m->hits);
	for (i = 0; m->c && i < m->n; i++)
		tg_cadv_release(&m->c[i]);
	free(m->c);
	tg_vlist_release(&m->vl);
	free(m->latest);
	free(m->norm);
	tg_advisory_list_release(&m->list);
	/* The intern table's slots are kept for the next name: most
	 * packages need a few kilobytes of them, and allocating (and
	 * zeroing) them anew for each was 2% of an audit. */
	tg_vintern_clear(&m->intern);
	{
		struct tg_vintern keep = m->intern;

		memset(m, 0, sizeof(*m));
		m->intern = keep;
	}
}

/* pkg_match_release, then the kept intern table too. */
static void pkg_match_free(struct pkg_match *m)
{
	pkg_match_release(m);
	tg_vintern_release(&m->intern);
}

/* Load and compile every advisory of (eco, norm); takes norm. */
static int pkg_load(struct pkg_match *m, const struct tg_vuln_source *src,
		    const struct tg_match_opts *opts, enum tg_ecosystem eco,
		    char *norm, struct tg_err *err)
{
	size_t i, k;
	int rc;

	pkg_match_release(m);
	m->src = src;
	m->opts = opts;
	m->eco = eco;
	m->norm = norm;
	m->primary = tg_match_scheme(opts, eco, TG_OSV_RANGE_ECOSYSTEM);
	tg_advisory_list_init(&m->list);
	tg_vlist_init(&m->vl);
	m->loaded = true;
	if ((rc = src->advisories(src->ctx, eco, norm, &m->list, err)))
		return rc;
	for (i = 0; i < m->list.n; i++)
		if (!m->list.items[i].id)
			m->list.items[i].withdrawn = true; /* unusable without an id */
	if (!m->list.n)
		return 0;
	if (m->list.listed && m->primary != tg_vscheme_primary(eco))
		return tg_err_set(err, TG_EINTERNAL, "a prebuilt versions index needs the "
				  "built-in version schemes");
	m->c = calloc(m->list.n, sizeof(*m->c));
	if (!m->c)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	{
		/* Events repeat across advisories: their count bounds the
		 * distinct versions the intern table will hold. */
		size_t events = 0, j, r;

		for (i = 0; i < m->list.n; i++)
			for (j = 0; j < m->list.items[i].n_affected; j++)
				for (r = 0; r < m->list.items[i].affected[j].n_ranges; r++)
					events += m->list.items[i].affected[j].ranges[r].n_events;
		tg_vintern_reserve(&m->intern, events / 2);
	}
	for (i = 0; i < m->list.n; i++) {
		rc = tg_cadv_compile(&m->list.items[i], eco, opts, &m->intern,
				     &m->c[i], err);
		if (rc) {
			tg_err_prefix(err, "%s", m->list.items[i].id ? m->list.items[i].id
								   : "advisory");
			return rc;
		}
		m->n++;
		for (k = 0; !m->list.items[i].withdrawn && k < m->c[i].n_versions; k++)
			if (!tg_vlist_add(&m->vl, m->c[i].versions[k], i))
				return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	m->words = (m->n + 63) / 64;
	return 0;
}

/* Match the loaded advisories against one package's version. */
static int match_version(struct pkg_match *m, struct tg_report *report,
			 size_t inv, size_t idx, struct tg_err *err)
{
	const struct tg_package *pkg = &report->inventories[inv].pkgs[idx];
	const struct tg_vuln_source *src = m->src;
	bool any_yes = false, regroup = false;
	size_t i;
	int rc = 0;

	version_release(m);
	tg_vctx_init_interned(&m->pv, pkg->version, &m->intern);
	if (!m->n)
		return 0;
	/* The per-version arrays in one allocation: the bit sets first
	 * (8-byte words), then res and group_hit (m->n bounded by
	 * TG_ADVISORY_MAX_PER_PACKAGE, so no overflow). */
	m->yes = calloc(1, 2 * m->words * sizeof(uint64_t) +
			   m->n * (sizeof(*m->res) + sizeof(*m->group_hit)));
	if (!m->yes)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	m->group = m->yes + m->words;
	m->res = (enum tg_affect *)(void *)(m->group + m->words);
	m->group_hit = (bool *)(m->res + m->n);
	{
		/* Versions lists through the index, then the ranges. */
		size_t k, n;
		const size_t *advs = listing(m, tg_vctx_canon(&m->pv, m->primary, &m->oom), &n);

		for (k = 0; k < n; k++)
			m->res[advs[k]] = TG_AFFECT_YES;
		for (i = 0; i < m->n; i++) {
			if (m->res[i] != TG_AFFECT_YES)
				m->res[i] = tg_cadv_eval_ranges(&m->c[i], &m->pv, &m->oom);
			if (m->res[i] == TG_AFFECT_YES) {
				any_yes = true;
				bit_set(m->yes, i);
			}
		}
	}
	if (m->oom)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; src->details && i < m->n; i++) {
		struct tg_advisory *a = &m->list.items[i];

		if (m->res[i] != TG_AFFECT_YES || a->details_loaded)
			continue;
		if ((rc = src->details(src->ctx, a, err)))
			return rc;
		a->details_loaded = true;
		regroup = true;
	}
	/* Alias groups depend on the name only, so versions share them;
	 * but details can bring aliases, and aliases join groups (unless
	 * the groups are closed already). */
	if (m->list.groups_closed)
		regroup = false;
	if ((regroup || !m->parent) && (rc = group_advisories(m, err)))
		return rc;
	if (any_yes && !m->latest_done && m->list.latest_known) {
		m->latest_done = true;
		if (m->list.latest && !(m->latest = tg_strdup(m->list.latest)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	if (any_yes && !m->latest_done && src->latest_version) {
		m->latest_done = true;
		if ((rc = src->latest_version(src->ctx, m->eco, m->norm, &m->latest, err)))
			return rc;
	}
	/* Emit each group once, at its first matched member; remember which
	 * groups matched for emit_unknown. */
	for (i = 0; i < m->n; i++) {
		size_t root = m->parent[i];

		if (m->res[i] != TG_AFFECT_YES || m->group_hit[root])
			continue;
		m->group_hit[root] = true;
		if ((rc = emit_group(m, root, report, pkg, inv, idx, err)))
			return rc;
	}
	return emit_unknown(m, report, pkg, inv, idx, err);
}

/* What a package needs before matching: NULL when it has no advisory
 * data (unsupported ecosystem) or is unpinned (*unpinned set). */
static char *package_key(const struct tg_match_opts *opts,
			 const struct tg_package *pkg, bool *unpinned, bool *oom)
{
	char *norm;

	*unpinned = false;
	if (!tg_match_scheme(opts, pkg->eco, TG_OSV_RANGE_ECOSYSTEM) || !pkg->name)
		return NULL;
	if (!pkg->version || (pkg->flags & TG_PKG_UNPINNED)) {
		*unpinned = true;
		return NULL;
	}
	norm = pkg->norm_name ? tg_strdup(pkg->norm_name)
			      : tg_match_norm_name(pkg->eco, pkg->name);
	if (!norm)
		*oom = true;
	return norm;
}

int tg_match_package(const struct tg_vuln_source *src,
		     const struct tg_match_opts *opts, struct tg_report *report,
		     size_t inv, size_t idx, struct tg_err *err)
{
	static const struct tg_match_opts default_opts;
	const struct tg_package *pkg;
	struct pkg_match m;
	bool unpinned, oom = false;
	char *norm;
	int rc;

	if (inv >= report->n_inventories || idx >= report->inventories[inv].n_pkgs)
		return tg_err_set(err, TG_EINTERNAL, "package index out of range");
	pkg = &report->inventories[inv].pkgs[idx];
	if (!opts)
		opts = &default_opts;
	norm = package_key(opts, pkg, &unpinned, &oom);
	if (oom)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (unpinned)
		return emit_unpinned(report, pkg, inv, idx, err);
	if (!norm)
		return 0;
	memset(&m, 0, sizeof(m));
	rc = pkg_load(&m, src, opts, pkg->eco, norm, err);
	if (!rc)
		rc = match_version(&m, report, inv, idx, err);
	pkg_match_free(&m);
	return rc;
}

struct order {
	size_t inv, idx;
	enum tg_ecosystem eco;
	char *norm;
};

static int order_cmp(const void *pa, const void *pb)
{
	const struct order *a = pa, *b = pb;
	int c;

	if (a->eco != b->eco)
		return a->eco < b->eco ? -1 : 1;
	if ((c = strcmp(a->norm, b->norm)) != 0)
		return c;
	if (a->inv != b->inv)
		return a->inv < b->inv ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int tg_match_report(const struct tg_vuln_source *src,
		    const struct tg_match_opts *opts, struct tg_report *report,
		    struct tg_err *err)
{
	static const struct tg_match_opts default_opts;
	struct order *ord;
	struct pkg_match m;
	size_t total = tg_report_packages_scanned(report), n = 0, i, j;
	int rc = 0;

	if (!opts)
		opts = &default_opts;
	ord = calloc(total ? total : 1, sizeof(*ord));
	if (!ord)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	/* Unpinned packages are noted at once; the rest are matched in name
	 * order so that a name seen again reuses its loaded advisories. */
	for (i = 0; i < report->n_inventories && !rc; i++)
		for (j = 0; j < report->inventories[i].n_pkgs && !rc; j++) {
			const struct tg_package *p = &report->inventories[i].pkgs[j];
			bool unpinned, oom = false;
			char *norm = package_key(opts, p, &unpinned, &oom);

			if (oom)
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			else if (unpinned)
				rc = emit_unpinned(report, p, i, j, err);
			else if (norm)
				ord[n++] = (struct order){ i, j, p->eco, norm };
		}
	if (!rc)
		qsort(ord, n, sizeof(*ord), order_cmp);
	memset(&m, 0, sizeof(m));
	for (i = 0; i < n && !rc; i++) {
		if (!m.loaded || m.eco != ord[i].eco || strcmp(m.norm, ord[i].norm) != 0) {
			rc = pkg_load(&m, src, opts, ord[i].eco, ord[i].norm, err);
			ord[i].norm = NULL; /* taken */
		}
		if (!rc)
			rc = match_version(&m, report, ord[i].inv, ord[i].idx, err);
	}
	pkg_match_free(&m);
	for (i = 0; i < n; i++)
		free(ord[i].norm);
	free(ord);
	if (!rc)
		tg_report_sort_findings(report);
	return rc;
}

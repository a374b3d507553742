/* The name rules: typosquat, confusable, combosquat, unknown-name,
 * new-project, low-popularity. (malicious lives in names_db.c: it needs
 * the advisories.) */
#define _POSIX_C_SOURCE 200809L
#include "vet/names_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/pep503.h"
#include "tollgate/str.h"
#include "vet/vet_internal.h"

/* Affixes squatters attach to popular names. A published name counts as
 * a combosquat only with the narrow set: plugins legitimately take the
 * broad ones ("django-utils" is a real project's kind of name). */
static const char *const affix_narrow_pypi[] = {
	"python", "py", "python3", "py3", "official", "sdk", "api", "dev", "lib",
	"2", "3", NULL
};
static const char *const affix_narrow_npm[] = {
	"js", "node", "official", "sdk", "api", "dev", "lib", "2", "3", NULL
};
static const char *const affix_broad[] = {
	"python", "py", "python3", "py3", "official", "sdk", "api", "dev", "lib",
	"libs", "2", "3", "utils", "util", "tools", "tool", "core", "cli",
	"client", "helper", "helpers", "plus", "pro", "extra", "extras", "ext",
	"pkg", "package", "module", "lite", "new", "fix", "fixed", "latest",
	"update", "secure", "fast", "async", "ai", "server", "toolkit",
	"wrapper", "v2", "v3", "x", "js", "node", "beta", "next", NULL
};

static bool in_list(const char *const *list, const char *s, size_t n)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncmp(list[i], s, n) == 0)
			return true;
	return false;
}

struct check {
	const struct tg_vet_names *n;
	const char *raw;       /* as written */
	char norm[VN_MAX_LEN * 4 + 8];
	char lower[VN_MAX_LEN * 4 + 8];
	size_t len;
	long idx;              /* entry of the name, -1 when unknown */
	bool exists, popular;
	bool placeholder;      /* npm security placeholder: judged as unknown */
	struct tg_vet_result *out;
	/* Popular names already reported, so one look-alike is one reason. */
	uint32_t reported[8];
	size_t n_reported;
	bool resembles;
	bool combo;            /* a combosquat was reported */
	uint32_t resembled;    /* popular index of the strongest resemblance */
};

static const struct vn_entry *pop_entry(const struct tg_vet_names *n, uint32_t p)
{
	return &n->e[n->pop[p]];
}

static const char *pop_name(const struct tg_vet_names *n, uint32_t p)
{
	return n->arena + pop_entry(n, p)->name;
}

static const char *pop_lower(const struct tg_vet_names *n, uint32_t p)
{
	const struct vn_entry *e = pop_entry(n, p);

	return n->arena + (e->lower != VN_NONE ? e->lower : e->name);
}

static bool was_reported(const struct check *c, uint32_t p)
{
	size_t i;

	for (i = 0; i < c->n_reported; i++)
		if (c->reported[i] == p)
			return true;
	return false;
}

static void mark(struct check *c, uint32_t p)
{
	if (c->n_reported < sizeof(c->reported) / sizeof(c->reported[0]))
		c->reported[c->n_reported++] = p;
	if (!c->resembles || pop_entry(c->n, p)->rank < pop_entry(c->n, c->resembled)->rank)
		c->resembled = p;
	c->resembles = true;
}

static const char *eco_label(const struct tg_vet_names *n)
{
	return n->eco == TG_ECO_NPM ? "npm" : "PyPI";
}

/* "#6 on PyPI" / "#12 on npm, 50,000,000 downloads a month" */
static void popularity(const struct tg_vet_names *n, const struct vn_entry *e,
		       char *out, size_t outsz)
{
	if (n->eco == TG_ECO_NPM && e->downloads >= 0)
		snprintf(out, outsz, "#%d on npm, %lld downloads a month", e->rank,
			 (long long)e->downloads);
	else
		snprintf(out, outsz, "#%d on PyPI", e->rank);
}

static int add(struct check *c, const char *rule, enum tg_vet_level level,
	       const char *similar, const char *msg, struct tg_err *err)
{
	struct tg_vet_reason r = { .rule = (char *)rule, .level = level,
				   .message = (char *)msg, .similar_to = (char *)similar };

	return tg_vet_result_add(c->out, &r, err);
}

/* ---- confusable -------------------------------------------------------- */

/* Popular indexes seen during one check: a small open-addressing set on
 * the stack. When it fills up, lookups report "not seen" and a candidate
 * may be verified twice: slower, never wrong. */
#define SEEN_SLOTS 4096

struct seen {
	uint32_t slot[SEEN_SLOTS]; /* pop + 1, 0 = empty */
	size_t used;
};

static bool seen_add(struct seen *s, uint32_t pop)
{
	size_t i = (pop * 2654435761u) & (SEEN_SLOTS - 1);

	if (s->used >= SEEN_SLOTS * 3 / 4)
		return true;
	while (s->slot[i]) {
		if (s->slot[i] == pop + 1)
			return false;
		i = (i + 1) & (SEEN_SLOTS - 1);
	}
	s->slot[i] = pop + 1;
	s->used++;
	return true;
}

static int check_confusable(struct check *c, struct tg_err *err)
{
	const struct tg_vet_names *n = c->n;
	char sk[VN_MAX_LEN * 4 + 8], psk[VN_MAX_LEN * 4 + 8], msg[600], what[160] = "";
	const uint32_t *hits;
	size_t n_hits = 0, found = 0;
	bool na, um, na2, um2;
	uint32_t cp, cp2;
	size_t k, i;
	int rc;

	k = vn_skeleton(c->raw, sk, sizeof(sk), &na, &um, &cp);
	if (na) {
		const char *cpn = vn_cp_name(cp);
		snprintf(what, sizeof(what), "U+%04X%s%s", (unsigned)cp, cpn ? " " : "",
			 cpn ? cpn : "");
	}
	hits = vn_map_get(&n->skel, vn_hash(sk, k), &n_hits);
	for (i = 0; i < n_hits && found < 4; i++) {
		uint32_t p = hits[i];
		const struct vn_entry *e = pop_entry(n, p);
		char pop_desc[96];

		vn_skeleton(pop_lower(n, p), psk, sizeof(psk), &na2, &um2, &cp2);
		if (strcmp(psk, sk) != 0 || strcmp(pop_name(n, p), c->norm) == 0)
			continue;
		/* Same skeleton only because of case: "Requests" is requests. */
		if (!na && tg_ascii_casecmp(c->raw, pop_name(n, p)) == 0)
			continue;
		if (!na && n->eco == TG_ECO_PYPI && strcmp(c->lower, pop_lower(n, p)) == 0)
			continue;
		popularity(n, e, pop_desc, sizeof(pop_desc));
		if (na)
			snprintf(msg, sizeof(msg), "looks exactly like %s (%s) but contains %s: "
				 "a homoglyph impersonation", pop_name(n, p), pop_desc, what);
		else
			snprintf(msg, sizeof(msg), "reads as %s (%s) in many fonts: look-alike "
				 "letters or digits (I/l/1, 0/o, rn/m, vv/w, cl/d)",
				 pop_name(n, p), pop_desc);
		if ((rc = add(c, "confusable", e->rank <= n->t.top_rank ? TG_VET_BLOCK :
			      TG_VET_WARN, pop_name(n, p), msg, err)))
			return rc;
		mark(c, p);
		found++;
	}
	if (na && found == 0) {
		snprintf(msg, sizeof(msg), "contains %s%s: %s names are ASCII, so this "
			 "cannot be the name of a real package", what,
			 um ? "" : " (a look-alike of an ASCII letter)", eco_label(n));
		return add(c, "confusable", TG_VET_WARN, NULL, msg, err);
	}
	return 0;
}

/* ---- typosquat --------------------------------------------------------- */

struct typo_ctx {
	struct check *c;
	struct seen seen;
	bool have;
	uint32_t best;
	unsigned best_cost, best_score;
};

static unsigned rank_steps(const struct tg_vet_names *n, const struct vn_entry *e);
static unsigned max_cost(const struct check *c, const struct vn_entry *target,
			 size_t minlen);

/* Verify one candidate from the deletion index: real weighted distance
 * within the length-dependent limit. */
static void consider(struct typo_ctx *t, uint32_t p)
{
	struct check *c = t->c;
	const struct tg_vet_names *n = c->n;
	const struct vn_entry *e = pop_entry(n, p);
	const char *pl;
	size_t pl_len;
	unsigned limit, cost, score;

	if (!seen_add(&t->seen, p) || was_reported(c, p))
		return;
	pl = pop_lower(n, p);
	pl_len = strlen(pl);
	if (strcmp(pop_name(n, p), c->norm) == 0)
		return;
	limit = max_cost(c, e, pl_len < c->len ? pl_len : c->len);
	if (limit == 0)
		return;
	cost = vn_wdist(&n->t, c->lower, c->len, pl, pl_len, limit);
	if (cost > limit || cost == 0)
		return;
	/* Between near-equal matches, the more popular name is the likelier
	 * target: one quarter per popularity step. */
	score = cost + rank_steps(n, e);
	if (!t->have || score < t->best_score ||
	    (score == t->best_score && e->rank < pop_entry(n, t->best)->rank)) {
		t->best = p;
		t->best_cost = cost;
		t->best_score = score;
		t->have = true;
	}
}

static void probe_key(uint64_t key, void *ctx)
{
	struct typo_ctx *t = ctx;
	size_t n = 0, i;
	const uint32_t *pops = vn_map_get(&t->c->n->del, key, &n);

	for (i = 0; i < n; i++)
		consider(t, pops[i]);
}

static unsigned max_cost(const struct check *c, const struct vn_entry *target,
			 size_t minlen)
{
	const struct tg_vet_name_thresholds *t = &c->n->t;
	const double *costs = c->exists ? t->existing_max_cost : t->unknown_max_cost;
	const unsigned *band = c->exists ? t->existing_len_band : t->unknown_len_band;
	double allowed;
	size_t b = 0;

	while (b < 3 && minlen > band[b])
		b++;
	allowed = costs[b];
	/* A published name sits near a less popular one more often by
	 * chance: ask for more evidence. */
	if (c->exists) {
		if (target->rank > t->existing_rank_step[0])
			allowed -= t->existing_rank_penalty;
		if (target->rank > t->existing_rank_step[1])
			allowed -= t->existing_rank_penalty;
	}
	return allowed <= 0 ? 0 : vn_quarters(allowed);
}

static unsigned rank_steps(const struct tg_vet_names *n, const struct vn_entry *e)
{
	return (e->rank > n->t.existing_rank_step[0]) + (e->rank > n->t.existing_rank_step[1]);
}

static int check_typosquat(struct check *c, struct tg_err *err)
{
	const struct tg_vet_names *n = c->n;
	struct typo_ctx *t = calloc(1, sizeof(*t));
	char sq[VN_MAX_LEN * 4 + 8], msg[700], how[200], pop_desc[96];
	size_t i, n_hits = 0;
	const uint32_t *hits;
	unsigned best_cost;
	uint32_t best;
	bool have, squash_hit = false;

	if (!t)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	t->c = c;
	{
		char red[VN_MAX_LEN * 4 + 8];
		size_t rk = vn_reduce(c->lower, red, sizeof(red));

		vn_squash(c->lower, sq, sizeof(sq));
		hits = vn_map_get(&n->reduced, vn_hash(red, rk), &n_hits);
	}
	for (i = 0; i < n_hits; i++) {
		char psq[VN_MAX_LEN * 4 + 8];
		vn_squash(pop_lower(n, hits[i]), psq, sizeof(psq));
		if (strcmp(psq, sq) == 0 && strcmp(pop_name(n, hits[i]), c->norm) != 0 &&
		    !was_reported(c, hits[i])) {
			/* Differs in separators or npm scope syntax only. */
			t->best = hits[i];
			t->best_cost = vn_quarters(n->t.cost_separator);
			t->have = squash_hit = true;
			break;
		}
	}
	if (!squash_hit) {
		for (i = 0; i < n_hits; i++)
			consider(t, hits[i]);
		vn_deletes(c->lower, c->len, c->len >= VN_DEL2_MIN && c->len <= VN_DEL2_MAX ? 2 : 1,
			   probe_key, t);
	}
	have = t->have;
	best = t->best;
	best_cost = t->best_cost;
	free(t);
	/* A combosquat already explains a name; a far-fetched typo on top
	 * of it only adds noise. */
	if (have && c->combo && best_cost > vn_quarters(1.0))
		have = false;
	if (have) {
		const struct vn_entry *e = pop_entry(n, best);
		const char *pl = pop_lower(n, best);
		bool strong = e->rank <= n->t.top_rank &&
			best_cost <= vn_quarters(c->exists ? 0.75 : 1.0);

		if (squash_hit)
			snprintf(how, sizeof(how), "differs only in separators%s",
				 n->eco == TG_ECO_NPM && (strchr(pl, '/') || strchr(c->lower, '/')) ?
				 " or scope syntax (scope confusion)" : "");
		else
			vn_explain(&n->t, c->lower, c->len, pl, strlen(pl), how, sizeof(how));
		popularity(n, e, pop_desc, sizeof(pop_desc));
		snprintf(msg, sizeof(msg), "%s %slooks like a typo of %s (%s): %s (weighted "
			 "edit distance %.2f)", c->raw, c->placeholder ? "(removed by npm) " :
			 c->exists ? "" : "is not published and ", pop_name(n, best), pop_desc,
			 how, best_cost / 4.0);
		mark(c, best);
		return add(c, "typosquat", strong ? TG_VET_BLOCK : TG_VET_WARN,
			   pop_name(n, best), msg, err);
	}
	return 0;
}

/* npm: "@scope/x" against a popular unscoped "x". */
static int check_scope(struct check *c, struct tg_err *err)
{
	const char *slash;
	long idx;
	char msg[500], pop_desc[96];

	if (c->n->eco != TG_ECO_NPM || c->raw[0] != '@' || !(slash = strchr(c->raw, '/')))
		return 0;
	idx = vn_find(c->n, slash + 1);
	if (idx < 0 || c->n->e[idx].rank <= 0 || c->n->e[idx].rank > c->n->t.top_rank)
		return 0;
	popularity(c->n, &c->n->e[idx], pop_desc, sizeof(pop_desc));
	snprintf(msg, sizeof(msg), "scope confusion: %s is a popular unscoped package (%s); "
		 "%s puts the same name under another scope", slash + 1, pop_desc, c->raw);
	c->resembles = true;
	return add(c, "typosquat", TG_VET_WARN, slash + 1, msg, err);
}

static int check_stdlib(struct check *c, struct tg_err *err)
{
	char msg[400];

	if (c->n->eco != TG_ECO_PYPI || !vn_is_stdlib(c->lower))
		return 0;
	snprintf(msg, sizeof(msg), "%s is the name of a Python standard-library module: "
		 "a package by that name shadows it or impersonates it (the 2017 "
		 "PyPI squats included crypt, pwd and urllib)", c->raw);
	c->resembles = true;
	return add(c, "typosquat", TG_VET_WARN, c->lower, msg, err);
}

/* ---- combosquat -------------------------------------------------------- */

static int combo_hit(struct check *c, const char *base, size_t blen,
		     const char *affix, size_t alen, bool prefix, struct tg_err *err)
{
	const struct tg_vet_names *n = c->n;
	char b[VN_MAX_LEN * 4 + 8], msg[600], pop_desc[96];
	int64_t maxr = c->exists ? n->t.combo_rank_existing : n->t.combo_rank_unknown;
	long idx;

	if (blen < n->t.combo_min_base_len || blen >= sizeof(b))
		return 0;
	memcpy(b, base, blen);
	b[blen] = '\0';
	idx = vn_find(n, b);
	if (idx < 0 || n->e[idx].rank <= 0 || n->e[idx].rank > maxr)
		return 0;
	popularity(n, &n->e[idx], pop_desc, sizeof(pop_desc));
	snprintf(msg, sizeof(msg), "%s is the popular %s (%s) with %s '%.*s' added; "
		 "%s is not itself an established package", c->raw, b, pop_desc,
		 prefix ? "the prefix" : "the suffix", (int)alen, affix, c->raw);
	c->resembles = true;
	c->combo = true;
	if (add(c, "combosquat", TG_VET_WARN, b, msg, err))
		return -1;
	return 1;
}

static int check_combosquat(struct check *c, struct tg_err *err)
{
	const char *const *aff = c->exists ?
		(c->n->eco == TG_ECO_NPM ? affix_narrow_npm : affix_narrow_pypi) :
		affix_broad;
	const char *s = c->norm;
	size_t len = strlen(s), i;
	int r;

	/* Token affixes: "requests-python", "py-requests", "colorama.js". */
	for (i = 0; i < len; i++) {
		if (!vn_is_sep(s[i]))
			continue;
		/* prefix = s[0..i), base = s[i+1..) */
		if (in_list(aff, s, i) &&
		    (r = combo_hit(c, s + i + 1, len - i - 1, s, i, true, err)))
			return r < 0 ? err->code : 0;
		/* base = s[0..i), suffix = s[i+1..) */
		if (in_list(aff, s + i + 1, len - i - 1) &&
		    (r = combo_hit(c, s, i, s + i + 1, len - i - 1, false, err)))
			return r < 0 ? err->code : 0;
	}
	/* Glued affixes: "pyrequests", "requests2". */
	for (i = 0; aff[i]; i++) {
		size_t al = strlen(aff[i]);
		if (len <= al)
			continue;
		if (strncmp(s, aff[i], al) == 0 && !vn_is_sep(s[al]) &&
		    (r = combo_hit(c, s + al, len - al, aff[i], al, true, err)))
			return r < 0 ? err->code : 0;
		if (strcmp(s + len - al, aff[i]) == 0 && !vn_is_sep(s[len - al - 1]) &&
		    (r = combo_hit(c, s, len - al, aff[i], al, false, err)))
			return r < 0 ? err->code : 0;
	}
	return 0;
}

/* ---- facts from the list ------------------------------------------------ */

static bool first_release_version(const char *v)
{
	static const char *const firsts[] = { "0", "0.0", "0.0.0", "0.0.1", "0.0.2",
					      "0.0.3", "0.1", "0.1.0", "1.0", "1.0.0",
					      NULL };
	char core[32];
	size_t i = 0;

	if (!v)
		return false;
	if (*v == 'v')
		v++;
	/* Drop pre/dev/post suffixes: "0.1.0rc1", "1.0.0-beta.1". */
	while (v[i] && i + 1 < sizeof(core) && ((v[i] >= '0' && v[i] <= '9') || v[i] == '.')) {
		core[i] = v[i];
		i++;
	}
	while (i > 0 && core[i - 1] == '.')
		i--;
	core[i] = '\0';
	for (i = 0; firsts[i]; i++)
		if (strcmp(core, firsts[i]) == 0)
			return true;
	return false;
}

/* Days from 1970-01-01 to year-month-01 (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int check_new(struct check *c, int64_t now, struct tg_err *err)
{
	const struct vn_entry *e = &c->n->e[c->idx];
	long y, m;
	int64_t end_of_month;
	char msg[400];
	const char *ver = vn_str(c->n, e->version);

	if (!e->ym)
		return 0;
	y = e->ym / 12;
	m = e->ym % 12; /* 0-based */
	/* The release happened before the first day of the next month. */
	end_of_month = 86400 * (m == 11 ? days_from_civil(y + 1, 1) :
				days_from_civil(y, (unsigned)m + 2));
	if (end_of_month < now - (int64_t)c->n->t.cooldown_days * 86400 ||
	    !first_release_version(ver))
		return 0;
	snprintf(msg, sizeof(msg), "latest release %s came out in %04ld-%02ld, within the "
		 "%ld-day cooldown (the list gives months), and its version looks like a "
		 "first release: a new project has no track record yet",
		 ver ? ver : "?", y, m + 1, c->n->t.cooldown_days);
	return add(c, "new-project", TG_VET_WARN, NULL, msg, err);
}

static int check_low_popularity(struct check *c, struct tg_err *err)
{
	const struct tg_vet_names *n = c->n;
	const struct vn_entry *me = &n->e[c->idx], *it;
	char msg[500], pop_desc[96];

	if (!c->resembles || !c->n_reported)
		return 0;
	it = pop_entry(n, c->resembled);
	popularity(n, it, pop_desc, sizeof(pop_desc));
	if (n->eco == TG_ECO_NPM) {
		if (me->downloads < 0 || it->downloads <= 0 ||
		    (double)me->downloads >= n->t.low_popularity_ratio * (double)it->downloads)
			return 0;
		snprintf(msg, sizeof(msg), "%s has %lld downloads a month, under %g of %s (%s)",
			 c->raw, (long long)me->downloads, n->t.low_popularity_ratio,
			 pop_name(n, c->resembled), pop_desc);
	} else {
		snprintf(msg, sizeof(msg), "%s is not among the %lld most downloaded PyPI "
			 "projects, while %s is (%s)", c->raw, (long long)n->t.popular_rank,
			 pop_name(n, c->resembled), pop_desc);
	}
	return add(c, "low-popularity", TG_VET_INFO, pop_name(n, c->resembled), msg, err);
}

static bool npm_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 214)
		return false;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch <= 0x20 || ch >= 0x7f || strchr("~'!()*\"\\<>?:;,", ch) ||
		    (ch >= 'A' && ch <= 'Z'))
			return false;
	}
	return true;
}

int tg_vet_names_check(const struct tg_vet_names *n, const char *name,
		       int64_t now, struct tg_vet_result *out,
		       struct tg_err *err)
{
	struct check c;
	size_t len = strlen(name);
	int rc;

	memset(&c, 0, sizeof(c));
	c.n = n;
	c.raw = name;
	c.out = out;
	out->kind = TG_VET_SUBJECT_NAME;
	out->eco = n->eco;
	if ((rc = tg_vet_result_set(&out->subject, name, err)))
		return rc;
	if (len == 0)
		return add(&c, "unknown-name", TG_VET_WARN, NULL, "empty name", err);
	if (len >= sizeof(c.norm)) {
		char msg[160];
		snprintf(msg, sizeof(msg), "a %zu-byte name is longer than any package "
			 "name can be", len);
		return add(&c, "unknown-name", TG_VET_WARN, NULL, msg, err);
	}
	if (n->eco == TG_ECO_PYPI)
		c.len = tg_pep503_normalize(name, len, c.norm);
	else {
		memcpy(c.norm, name, len + 1);
		c.len = len;
	}
	{
		size_t i;
		for (i = 0; i <= c.len; i++)
			c.lower[i] = tg_ascii_lower(c.norm[i]);
	}
	c.idx = vn_find(n, c.norm);
	c.exists = c.idx >= 0;
	if (c.exists) {
		const struct vn_entry *e = &n->e[c.idx];
		const char *ver = vn_str(n, e->version);

		c.popular = e->rank > 0 && e->rank <= n->t.popular_rank;
		if ((rc = tg_vet_result_set(&out->name, c.norm, err)) ||
		    (rc = tg_vet_result_set(&out->version, ver, err)))
			return rc;
		if (n->eco == TG_ECO_NPM && vn_is_placeholder(ver)) {
			char msg[400];
			snprintf(msg, sizeof(msg), "npm replaced %s with a security placeholder "
				 "(%s): the package published under this name was removed as "
				 "malware", c.norm, ver);
			if ((rc = add(&c, "malicious", TG_VET_BLOCK, NULL, msg, err)))
				return rc;
			/* The name is a known squat now, not a real project. */
			c.popular = false;
			c.exists = false;
			c.placeholder = true;
		}
	}
	if ((rc = check_confusable(&c, err)))
		return rc;
	/* Established names are never squats of each other. */
	if (!c.popular && c.len <= n->t.max_compare_len) {
		if ((rc = check_scope(&c, err)) || (rc = check_combosquat(&c, err)) ||
		    (rc = check_typosquat(&c, err)) || (rc = check_stdlib(&c, err)))
			return rc;
	}
	if (c.placeholder)
		return 0;
	if (!c.exists) {
		char msg[600];
		bool valid = n->eco == TG_ECO_PYPI ? tg_pep508_name_valid(name, len) :
			npm_name_valid(name);

		snprintf(msg, sizeof(msg), "%s is not in the %s%s: %s", name,
			 n->label && *n->label ? n->label : eco_label(n),
			 n->label && *n->label ? "" : " name list",
			 valid ? "it may never have been published or was removed; anyone can "
			 "register it (the slop-squat case: a name an LLM or a typo made up)" :
			 "it is not even a valid package name");
		return add(&c, "unknown-name", TG_VET_WARN, NULL, msg, err);
	}
	if (!c.popular) {
		if ((rc = check_new(&c, now, err)) || (rc = check_low_popularity(&c, err)))
			return rc;
	}
	return 0;
}

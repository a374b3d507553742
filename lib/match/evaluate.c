/* OSV range evaluation over pre-parsed versions.
 *
 * Versions are parsed once per package: the package's own version, every
 * event of every range, and each fix candidate. A "vctx" carries one
 * version's text and its parsed forms per scheme (PyPI advisories can mix
 * ECOSYSTEM and SEMVER ranges).
 */
#include "match_internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"
#include "tollgate/str.h"

const struct tg_vscheme *tg_match_scheme(const struct tg_match_opts *opts,
					 enum tg_ecosystem eco,
					 enum tg_osv_range_type type)
{
	if (opts && opts->scheme_for)
		return opts->scheme_for(eco, type);
	return tg_vscheme_for(eco, type);
}

void tg_vctx_init(struct tg_vctx *c, const char *text)
{
	memset(c, 0, sizeof(*c));
	c->text = text;
}

void tg_vctx_init_interned(struct tg_vctx *c, const char *text,
			   struct tg_vintern *intern)
{
	tg_vctx_init(c, text);
	c->intern = intern;
}

void tg_vctx_release(struct tg_vctx *c)
{
	size_t i;

	for (i = 0; !c->intern && i < TG_VCTX_SLOTS; i++)
		if (c->slot[i].scheme && c->slot[i].handle)
			c->slot[i].scheme->release(c->slot[i].handle);
	free(c->canon);
	memset(c, 0, sizeof(*c));
}

void *tg_vctx_get(struct tg_vctx *c, const struct tg_vscheme *s, bool *oom)
{
	size_t i;

	for (i = 0; i < TG_VCTX_SLOTS; i++) {
		if (c->slot[i].scheme == s)
			return c->slot[i].handle;
		if (!c->slot[i].scheme) {
			c->slot[i].scheme = s;
			c->slot[i].handle = c->intern
				? tg_vintern_parse(c->intern, s, c->text, oom)
				: s->parse(c->text, oom);
			return c->slot[i].handle;
		}
	}
	/* More schemes than slots cannot happen with the built-in table. */
	return NULL;
}

/* Canonical text under scheme s: canonical form when the text parses,
 * the text itself otherwise. */
const char *tg_vctx_canon(struct tg_vctx *c, const struct tg_vscheme *s,
			  bool *oom)
{
	void *h;

	if (c->canon_done)
		return c->canon ? c->canon : c->text;
	c->canon_done = true;
	if (!s || !s->canonical)
		return c->text;
	if (s->is_canonical && s->is_canonical(c->text))
		return c->text;
	h = tg_vctx_get(c, s, oom);
	if (!h)
		return c->text;
	c->canon = s->canonical(h);
	if (!c->canon) {
		*oom = true;
		return c->text;
	}
	return c->canon;
}

/* ---- compiling ranges ---- */

static int ev_kind_rank(enum tg_osv_event_kind k)
{
	/* At equal versions introduced must come first: {introduced X,
	 * last_affected X} means exactly X, which the walk only gets right
	 * with introduced before last_affected. */
	switch (k) {
	case TG_OSV_INTRODUCED: return 0;
	case TG_OSV_LAST_AFFECTED: return 1;
	case TG_OSV_FIXED: return 2;
	case TG_OSV_LIMIT: return 3;
	}
	return 4;
}

static int cev_order(const struct tg_vscheme *s, const struct tg_cevent *a,
		     const struct tg_cevent *b)
{
	int c;

	if (a->zero != b->zero)
		return a->zero ? -1 : 1;
	if (!a->zero) {
		c = s->cmp(a->v, b->v);
		if (c)
			return c;
	}
	if (ev_kind_rank(a->kind) != ev_kind_rank(b->kind))
		return ev_kind_rank(a->kind) - ev_kind_rank(b->kind);
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Merge sort with the scheme as context (qsort has none, and a global
 * would not be thread-safe for the proxy). */
static void sort_events(const struct tg_vscheme *s, struct tg_cevent *ev,
			struct tg_cevent *tmp, size_t n)
{
	size_t mid, i, j, k;

	if (n < 2)
		return;
	mid = n / 2;
	sort_events(s, ev, tmp, mid);
	sort_events(s, ev + mid, tmp, n - mid);
	for (i = 0, j = mid, k = 0; i < mid || j < n;) {
		if (j >= n || (i < mid && cev_order(s, &ev[i], &ev[j]) <= 0))
			tmp[k++] = ev[i++];
		else
			tmp[k++] = ev[j++];
	}
	memcpy(ev, tmp, n * sizeof(*ev));
}

/* Compile r into out, whose events go to ev (room for r->n_events,
 * owned by the caller). */
static int compile_range(const struct tg_adv_range *r,
			 const struct tg_vscheme *s, struct tg_vintern *intern,
			 struct tg_cevent *ev, struct tg_crange *out, struct tg_err *err)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->scheme = s;
	out->src = r;
	out->ev = ev;
	for (i = 0; i < r->n_events; i++) {
		const struct tg_adv_event *e = &r->events[i];
		struct tg_cevent ce = { .kind = e->kind, .text = e->version, .pos = i };
		bool oom = false;

		if (e->kind == TG_OSV_LIMIT) {
			out->has_limit = true;
			if (strchr(e->version, '*')) {
				out->limit_infinite = true;
				continue;
			}
		}
		if (e->kind == TG_OSV_INTRODUCED && strcmp(e->version, "0") == 0) {
			ce.zero = true;
		} else {
			ce.v = tg_vintern_parse(intern, s, e->version, &oom);
			if (oom)
				return tg_err_set(err, TG_ENOMEM, "out of memory");
			if (!ce.v) {
				/* Cannot place this event: the range's answer
				 * is unknown for every version. */
				out->bad = true;
				continue;
			}
		}
		out->ev[out->n_ev++] = ce;
	}
	if (!out->bad && out->n_ev > 1) {
		struct tg_cevent stack_tmp[16], *tmp = stack_tmp;

		if (out->n_ev > sizeof(stack_tmp) / sizeof(stack_tmp[0]) &&
		    !(tmp = malloc(out->n_ev * sizeof(*tmp))))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		sort_events(s, out->ev, tmp, out->n_ev);
		if (tmp != stack_tmp)
			free(tmp);
	}
	return 0;
}

int tg_cadv_compile(const struct tg_advisory *adv, enum tg_ecosystem eco,
		    const struct tg_match_opts *opts, struct tg_vintern *intern,
		    struct tg_cadv *out, struct tg_err *err)
{
	const struct tg_vscheme *primary = tg_match_scheme(opts, eco, TG_OSV_RANGE_ECOSYSTEM);
	size_t i, j, n_ranges = 0, n_versions = 0, n_events = 0, bytes, part;
	struct tg_cevent *ev;
	int rc;

	memset(out, 0, sizeof(*out));
	out->adv = adv;
	for (i = 0; i < adv->n_affected; i++) {
		n_ranges += adv->affected[i].n_ranges;
		n_versions += adv->affected[i].n_versions;
		for (j = 0; j < adv->affected[i].n_ranges; j++)
			n_events += adv->affected[i].ranges[j].n_events;
	}
	/* One allocation: ranges, then every range's events, then the
	 * versions list (each part a multiple of the pointer size). */
	if (!tg_size_mul(n_ranges, sizeof(*out->ranges), &bytes) ||
	    !tg_size_mul(n_events, sizeof(*ev), &part) || !tg_size_add(bytes, part, &bytes) ||
	    !tg_size_mul(n_versions, sizeof(*out->versions), &part) ||
	    !tg_size_add(bytes, part, &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	if (!bytes)
		return 0;
	if (!(out->ranges = calloc(1, bytes)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	ev = (struct tg_cevent *)(void *)(out->ranges + n_ranges);
	if (n_versions)
		out->versions = (const char **)(void *)(ev + n_events);
	for (i = 0; i < adv->n_affected; i++) {
		const struct tg_adv_affected *af = &adv->affected[i];

		for (j = 0; j < af->n_ranges; j++) {
			const struct tg_vscheme *s =
				tg_match_scheme(opts, eco, af->ranges[j].type);

			if (!s)
				continue; /* GIT and friends: versions list decides */
			rc = compile_range(&af->ranges[j], s, intern, ev,
					   &out->ranges[out->n_ranges], err);
			ev += af->ranges[j].n_events;
			out->n_ranges++;
			if (rc) {
				tg_cadv_release(out);
				return rc;
			}
		}
		for (j = 0; j < af->n_versions; j++) {
			bool oom = false;

			out->versions[out->n_versions++] =
				tg_vintern_canon(intern, primary, af->versions[j], &oom);
			if (oom) {
				tg_cadv_release(out);
				return tg_err_set(err, TG_ENOMEM, "out of memory");
			}
		}
	}
	return 0;
}

void tg_cadv_release(struct tg_cadv *c)
{
	free(c->ranges); /* ranges, events and versions: one allocation */
	memset(c, 0, sizeof(*c));
}

/* ---- evaluation ---- */

static enum tg_affect eval_range(const struct tg_crange *r, struct tg_vctx *v,
				 bool *oom)
{
	const struct tg_vscheme *s = r->scheme;
	void *pv;
	bool vulnerable = false, before_limit;
	size_t i;

	pv = tg_vctx_get(v, s, oom);
	if (!pv || r->bad)
		return TG_AFFECT_UNKNOWN;
	/* BeforeLimits: no limit event means an implicit "*". */
	before_limit = !r->has_limit || r->limit_infinite;
	for (i = 0; !before_limit && i < r->n_ev; i++)
		if (r->ev[i].kind == TG_OSV_LIMIT && s->cmp(pv, r->ev[i].v) < 0)
			before_limit = true;
	if (!before_limit)
		return TG_AFFECT_NO;
	for (i = 0; i < r->n_ev; i++) {
		const struct tg_cevent *e = &r->ev[i];

		switch (e->kind) {
		case TG_OSV_INTRODUCED:
			if (e->zero || s->cmp(pv, e->v) >= 0)
				vulnerable = true;
			break;
		case TG_OSV_FIXED:
			if (s->cmp(pv, e->v) >= 0)
				vulnerable = false;
			break;
		case TG_OSV_LAST_AFFECTED:
			if (s->cmp(pv, e->v) > 0)
				vulnerable = false;
			break;
		case TG_OSV_LIMIT:
			break;
		}
	}
	return vulnerable ? TG_AFFECT_YES : TG_AFFECT_NO;
}

enum tg_affect tg_cadv_eval(const struct tg_cadv *c, struct tg_vctx *v,
			    const struct tg_vscheme *primary, bool *oom)
{
	size_t i;

	if (c->adv->withdrawn)
		return TG_AFFECT_NO;
	if (c->n_versions) {
		const char *canon = tg_vctx_canon(v, primary, oom);

		for (i = 0; i < c->n_versions; i++)
			if (strcmp(c->versions[i], canon) == 0)
				return TG_AFFECT_YES;
	}
	return tg_cadv_eval_ranges(c, v, oom);
}

enum tg_affect tg_cadv_eval_ranges(const struct tg_cadv *c, struct tg_vctx *v,
				   bool *oom)
{
	bool unknown = false;
	size_t i;

	if (c->adv->withdrawn)
		return TG_AFFECT_NO;
	for (i = 0; i < c->n_ranges; i++) {
		enum tg_affect a = eval_range(&c->ranges[i], v, oom);

		if (a == TG_AFFECT_YES)
			return TG_AFFECT_YES;
		if (a == TG_AFFECT_UNKNOWN)
			unknown = true;
	}
	return unknown ? TG_AFFECT_UNKNOWN : TG_AFFECT_NO;
}

int tg_advisory_affects(const struct tg_advisory *adv, enum tg_ecosystem eco,
			const char *version,
			const struct tg_vscheme *(*scheme_for)(enum tg_ecosystem,
							       enum tg_osv_range_type),
			enum tg_affect *out, struct tg_err *err)
{
	struct tg_match_opts opts = { .scheme_for = scheme_for };
	struct tg_vintern intern;
	struct tg_cadv c;
	struct tg_vctx v;
	bool oom = false;
	int rc;

	*out = TG_AFFECT_NO;
	tg_vintern_init(&intern);
	if ((rc = tg_cadv_compile(adv, eco, &opts, &intern, &c, err))) {
		tg_vintern_release(&intern);
		return rc;
	}
	tg_vctx_init(&v, version);
	*out = tg_cadv_eval(&c, &v, tg_match_scheme(&opts, eco, TG_OSV_RANGE_ECOSYSTEM), &oom);
	tg_vctx_release(&v);
	tg_cadv_release(&c);
	tg_vintern_release(&intern);
	if (oom)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

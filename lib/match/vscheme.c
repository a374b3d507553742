/* Version schemes by ecosystem: PEP 440 for PyPI, SemVer 2.0 precedence
 * (node-semver's loose parsing, partial versions allowed for OSV events
 * such as "0" or "1.2") for npm and every SEMVER range. */
#include "tollgate/match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/pep440.h"
#include "tollgate/semver.h"

/* A parsed version plus, when it fits, its public part as a key of
 * fixed words that compares like packaging's ordering: the matcher
 * compares the same few hundred versions of a package tens of thousands
 * of times. The key is built when every number has at most 18 digits
 * and the release has at most KEY_RELEASE significant parts; otherwise
 * comparisons take the full path. */
#define KEY_RELEASE 5
#define KEY_WORDS (KEY_RELEASE + 4)
#define KEY_MAX_DIGITS 18

struct pep440_handle {
	struct tg_pep440 v; /* first: the handle is also a struct tg_pep440 * */
	bool keyed;
	uint64_t key[KEY_WORDS];
};

static bool small(const struct tg_pep440_num *n)
{
	return n->ndigits <= KEY_MAX_DIGITS;
}

static void build_key(struct pep440_handle *h)
{
	const struct tg_pep440 *v = &h->v;
	uint64_t *k = h->key;
	size_t i;
	unsigned rank;

	h->keyed = false;
	if (v->nrelease_sig > KEY_RELEASE || !small(&v->epoch) ||
	    (v->pre_kind && !small(&v->pre)) || (v->has_post && !small(&v->post)) ||
	    (v->has_dev && !small(&v->dev)))
		return;
	*k++ = v->epoch.value;
	for (i = 0; i < KEY_RELEASE; i++) {
		const struct tg_pep440_num *r = i < v->nrelease_sig ? tg_pep440_release_at(v, i) : NULL;

		if (r && !small(r))
			return;
		*k++ = r ? r->value : 0;
	}
	/* packaging's pre-release key: a bare dev release sorts before every
	 * pre-release, no pre-release after all of them. */
	if (!v->pre_kind)
		rank = !v->has_post && v->has_dev ? 0 : 4;
	else
		rank = v->pre_kind;
	*k++ = (uint64_t)rank << 60 | (v->pre_kind ? v->pre.value : 0);
	*k++ = v->has_post ? v->post.value + 1 : 0;
	*k++ = v->has_dev ? v->dev.value : UINT64_MAX;
	h->keyed = true;
}

static void *pep440_parse(const char *s, bool *oom)
{
	struct pep440_handle *h = malloc(sizeof(*h));
	struct tg_err err;

	if (!h) {
		*oom = true;
		return NULL;
	}
	if (tg_pep440_parse_str(s, &h->v, &err) != 0) {
		if (err.code == TG_ENOMEM)
			*oom = true;
		free(h);
		return NULL;
	}
	build_key(h);
	return h;
}

static int pep440_cmp(const void *pa, const void *pb)
{
	const struct pep440_handle *a = pa, *b = pb;
	size_t i;

	if (a->keyed && b->keyed) {
		for (i = 0; i < KEY_WORDS; i++)
			if (a->key[i] != b->key[i])
				return a->key[i] < b->key[i] ? -1 : 1;
		/* Equal public parts: only local labels can still differ. */
		if (!a->v.nlocal && !b->v.nlocal)
			return 0;
	}
	return tg_pep440_cmp(&a->v, &b->v);
}

static void pep440_release(void *p)
{
	struct pep440_handle *h = p;

	tg_pep440_release(&h->v);
	free(h);
}

static char *pep440_canonical(const void *v)
{
	struct tg_buf b;
	struct tg_err err;

	tg_buf_init(&b, 4096);
	if (tg_pep440_normalize(v, &b, &err) != 0) {
		tg_buf_release(&b);
		return NULL;
	}
	return tg_buf_detach(&b, NULL);
}

static bool pep440_pre(const void *v)
{
	return tg_pep440_is_prerelease(v);
}

static bool pep440_is_canonical(const char *s)
{
	return tg_pep440_is_canonical(s, strlen(s));
}

static const struct tg_vscheme pep440_scheme = {
	"PEP 440", pep440_parse, pep440_cmp, pep440_release, pep440_canonical,
	pep440_pre, pep440_is_canonical
};

static void *semver_parse(const char *s, bool *oom)
{
	struct tg_semver *v = malloc(sizeof(*v));
	struct tg_err err;

	if (!v) {
		*oom = true;
		return NULL;
	}
	if (tg_semver_parse(s, strlen(s), TG_SEMVER_LOOSE | TG_SEMVER_PARTIAL, v,
			    &err) != 0) {
		if (err.code == TG_ENOMEM)
			*oom = true;
		free(v);
		return NULL;
	}
	return v;
}

static int semver_cmp(const void *a, const void *b)
{
	return tg_semver_compare(a, b);
}

static void semver_release(void *v)
{
	tg_semver_release(v);
	free(v);
}

static bool semver_pre(const void *v)
{
	return ((const struct tg_semver *)v)->pre != NULL;
}

/* No canonical form: npm versions-list entries match as published. */
static const struct tg_vscheme semver_scheme = {
	"SemVer", semver_parse, semver_cmp, semver_release, NULL, semver_pre, NULL
};

const struct tg_vscheme *tg_vscheme_for(enum tg_ecosystem eco,
					enum tg_osv_range_type type)
{
	if (type == TG_OSV_RANGE_SEMVER)
		return eco == TG_ECO_PYPI || eco == TG_ECO_NPM ? &semver_scheme : NULL;
	if (type != TG_OSV_RANGE_ECOSYSTEM)
		return NULL;
	switch (eco) {
	case TG_ECO_PYPI: return &pep440_scheme;
	case TG_ECO_NPM: return &semver_scheme;
	default: return NULL;
	}
}

const struct tg_vscheme *tg_vscheme_primary(enum tg_ecosystem eco)
{
	return tg_vscheme_for(eco, TG_OSV_RANGE_ECOSYSTEM);
}

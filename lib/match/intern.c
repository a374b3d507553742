/* Per-package memo of parsed versions: PyPI advisories repeat the same
 * version strings hundreds of times (every advisory of a popular project
 * lists most of its releases), so each distinct string is parsed and
 * canonicalised once. */
#include "match_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"

#define MAX_ENTRIES ((size_t)1 << 24)

static uint32_t hash_of(const struct tg_vscheme *s, const char *text)
{
	return tg_str_hash(text, TG_STR_HASH_SEED ^ (uint32_t)(uintptr_t)s);
}

void tg_vintern_init(struct tg_vintern *t)
{
	memset(t, 0, sizeof(*t));
}

void tg_vintern_clear(struct tg_vintern *t)
{
	size_t i;

	for (i = 0; t->n && i < t->cap; i++) {
		struct tg_vintern_entry *e = &t->slots[i];

		if (!e->text)
			continue;
		if (e->handle)
			e->scheme->release(e->handle);
		free(e->canon);
		e->text = NULL; /* the rest is set again on insertion */
		t->n--;
	}
}

void tg_vintern_release(struct tg_vintern *t)
{
	tg_vintern_clear(t);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static bool grow_to(struct tg_vintern *t, size_t ncap)
{
	struct tg_vintern_entry *ns;
	size_t i;

	if (ncap > MAX_ENTRIES * 2)
		return false;
	ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return false;
	for (i = 0; i < t->cap; i++) {
		struct tg_vintern_entry *e = &t->slots[i];
		size_t j;

		if (!e->text)
			continue;
		for (j = e->hash & (ncap - 1); ns[j].text; j = (j + 1) & (ncap - 1))
			;
		ns[j] = *e;
	}
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
	return true;
}

static bool grow(struct tg_vintern *t)
{
	return grow_to(t, t->cap ? t->cap * 2 : 64);
}

void tg_vintern_reserve(struct tg_vintern *t, size_t n)
{
	size_t ncap = 64;

	while (ncap < 2 * (n + 1) && ncap <= MAX_ENTRIES)
		ncap *= 2;
	/* An empty table kept from a larger package shrinks when it is far
	 * too big: clearing it costs a pass over every slot. */
	if (!t->n && t->cap > 8 * ncap) {
		free(t->slots);
		t->slots = NULL;
		t->cap = 0;
	}
	if (ncap > t->cap)
		grow_to(t, ncap); /* a failure shows later, as a failed lookup */
}

static struct tg_vintern_entry *lookup(struct tg_vintern *t,
				       const struct tg_vscheme *s,
				       const char *text, bool *oom)
{
	uint32_t h = hash_of(s, text);
	struct tg_vintern_entry *e;
	size_t j;

	if ((t->n + 1) * 2 > t->cap && !grow(t)) {
		*oom = true;
		return NULL;
	}
	for (j = h & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
		e = &t->slots[j];
		if (!e->text)
			break;
		if (e->hash == h && e->scheme == s && strcmp(e->text, text) == 0)
			return e;
	}
	e->text = text;
	e->scheme = s;
	e->hash = h;
	e->canon = NULL;
	e->canon_done = false;
	e->claimed = false;
	e->handle = s->parse(text, oom);
	t->n++;
	return e;
}

void *tg_vintern_parse(struct tg_vintern *t, const struct tg_vscheme *s,
		       const char *text, bool *oom)
{
	struct tg_vintern_entry *e = lookup(t, s, text, oom);

	return e ? e->handle : NULL;
}

bool tg_vintern_claim(struct tg_vintern *t, const struct tg_vscheme *s,
		      const char *text, bool *oom)
{
	struct tg_vintern_entry *e = lookup(t, s, text, oom);

	if (!e || e->claimed)
		return false;
	e->claimed = true;
	return true;
}

const char *tg_vintern_canon(struct tg_vintern *t, const struct tg_vscheme *s,
			     const char *text, bool *oom)
{
	struct tg_vintern_entry *e;

	if (!s || !s->canonical)
		return text;
	/* Most versions-list entries are canonical already ("3.2.1"): no
	 * need to parse them at all. */
	if (s->is_canonical && s->is_canonical(text))
		return text;
	e = lookup(t, s, text, oom);
	if (!e || !e->handle)
		return text;
	if (!e->canon_done) {
		e->canon_done = true;
		e->canon = s->canonical(e->handle);
		if (!e->canon)
			*oom = true;
	}
	return e->canon ? e->canon : text;
}

/* ---- versions-list index ---- */

void tg_vlist_init(struct tg_vlist_index *x)
{
	memset(x, 0, sizeof(*x));
}

void tg_vlist_release(struct tg_vlist_index *x)
{
	size_t i;

	for (i = 0; i < x->cap; i++)
		free(x->slots[i].advs);
	free(x->slots);
	memset(x, 0, sizeof(*x));
}

static unsigned str_hash(const char *s)
{
	return tg_str_hash(s, TG_STR_HASH_SEED);
}

static bool vlist_grow(struct tg_vlist_index *x)
{
	size_t ncap = x->cap ? x->cap * 2 : 256, i, j;
	struct tg_vlist_entry *ns;

	if (ncap > MAX_ENTRIES * 2)
		return false;
	ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return false;
	for (i = 0; i < x->cap; i++) {
		if (!x->slots[i].key)
			continue;
		for (j = x->slots[i].hash & (ncap - 1); ns[j].key; j = (j + 1) & (ncap - 1))
			;
		ns[j] = x->slots[i];
	}
	free(x->slots);
	x->slots = ns;
	x->cap = ncap;
	return true;
}

const struct tg_vlist_entry *tg_vlist_find(const struct tg_vlist_index *x,
					   const char *key)
{
	unsigned h;
	size_t j;

	if (!x->cap)
		return NULL;
	h = str_hash(key);
	for (j = h & (x->cap - 1); x->slots[j].key; j = (j + 1) & (x->cap - 1))
		if (x->slots[j].hash == h && strcmp(x->slots[j].key, key) == 0)
			return &x->slots[j];
	return NULL;
}

bool tg_vlist_add(struct tg_vlist_index *x, const char *key, size_t adv)
{
	struct tg_vlist_entry *e;
	unsigned h;
	size_t j;

	if ((x->n + 1) * 2 > x->cap && !vlist_grow(x))
		return false;
	h = str_hash(key);
	for (j = h & (x->cap - 1); x->slots[j].key; j = (j + 1) & (x->cap - 1))
		if (x->slots[j].hash == h && strcmp(x->slots[j].key, key) == 0)
			break;
	e = &x->slots[j];
	if (!e->key) {
		e->key = key;
		e->hash = h;
		x->n++;
	}
	/* Advisories are added in order: a repeat is always the last one. */
	if (e->n && e->advs[e->n - 1] == adv)
		return true;
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 4;
		size_t *na = realloc(e->advs, ncap * sizeof(*na));

		if (!na)
			return false;
		e->advs = na;
		e->cap = ncap;
	}
	e->advs[e->n++] = adv;
	return true;
}

#define _POSIX_C_SOURCE 200809L
/* The name index: every registry name (for "does it exist", version and
 * release month), the popular ones in popularity order, and three
 * look-up maps over the popular names: their deletion neighbourhoods
 * (typosquat candidates in a few hash probes instead of a scan), their
 * separator-free forms and their look-alike skeletons. */
#include "vet/names_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/pep503.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

void tg_vet_name_thresholds_init(struct tg_vet_name_thresholds *t)
{
	memset(t, 0, sizeof(*t));
	t->popular_rank = 15000;
	t->top_rank = 1000;
	t->cost_separator = 0.5;
	t->cost_doubled = 0.5;
	t->cost_confusable = 0.5;
	t->cost_plural = 0.5;
	t->cost_trailing_digit = 0.75;
	t->cost_keyboard = 0.75;
	t->cost_transpose = 0.75;
	t->cost_other = 1.0;
	t->unknown_max_cost[0] = 0.5;
	t->unknown_max_cost[1] = 1.0;
	t->unknown_max_cost[2] = 1.5;
	t->unknown_max_cost[3] = 2.0;
	t->unknown_len_band[0] = 4;
	t->unknown_len_band[1] = 7;
	t->unknown_len_band[2] = 11;
	t->existing_max_cost[0] = 0.5;
	t->existing_max_cost[1] = 1.0;
	t->existing_max_cost[2] = 1.5;
	t->existing_max_cost[3] = 2.0;
	t->existing_len_band[0] = 5;
	t->existing_len_band[1] = 9;
	t->existing_len_band[2] = 13;
	t->existing_rank_step[0] = 1000;
	t->existing_rank_step[1] = 5000;
	t->existing_rank_penalty = 0.25;
	t->combo_rank_unknown = 5000;
	t->combo_rank_existing = 1000;
	t->combo_min_base_len = 4;
	t->low_popularity_ratio = 0.001;
	t->cooldown_days = 14;
	t->max_compare_len = VN_MAX_LEN;
}

/* ---- multimap ---------------------------------------------------------- */

int vn_map_add(struct vn_map *m, uint64_t key, uint32_t pop)
{
	if (m->n_pairs == m->cap_pairs) {
		size_t cap = m->cap_pairs ? m->cap_pairs * 2 : 4096, bytes;
		struct vn_pair *np;
		if (!tg_size_mul(cap, sizeof(*np), &bytes) || !(np = realloc(m->pairs, bytes)))
			return -1;
		m->pairs = np;
		m->cap_pairs = cap;
	}
	m->pairs[m->n_pairs].key = key | 1; /* 0 marks an empty slot */
	m->pairs[m->n_pairs].pop = pop;
	m->n_pairs++;
	return 0;
}

static int by_pair(const void *a, const void *b)
{
	const struct vn_pair *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->pop < y->pop ? -1 : x->pop > y->pop;
}

int vn_map_freeze(struct vn_map *m)
{
	size_t i, n_slots = 1024, nb = 0, np = 0;

	qsort(m->pairs, m->n_pairs, sizeof(*m->pairs), by_pair);
	for (i = 0; i < m->n_pairs; i++)
		if (i == 0 || m->pairs[i].key != m->pairs[i - 1].key)
			nb++;
	while (n_slots < nb + nb / 2)
		n_slots <<= 1;
	m->keys = calloc(n_slots, sizeof(*m->keys));
	m->bucket = calloc(n_slots, sizeof(*m->bucket));
	m->bstart = malloc((nb + 1) * sizeof(*m->bstart));
	m->pops = malloc((m->n_pairs ? m->n_pairs : 1) * sizeof(*m->pops));
	if (!m->keys || !m->bucket || !m->bstart || !m->pops)
		return -1;
	m->n_slots = n_slots;
	nb = 0;
	for (i = 0; i < m->n_pairs; i++) {
		const struct vn_pair *pr = &m->pairs[i];

		if (i == 0 || pr->key != m->pairs[i - 1].key) {
			size_t s = (size_t)(pr->key >> 20) & (n_slots - 1);
			while (m->keys[s])
				s = (s + 1) & (n_slots - 1);
			m->keys[s] = pr->key;
			m->bucket[s] = (uint32_t)nb;
			m->bstart[nb++] = (uint32_t)np;
		} else if (pr->pop == m->pairs[i - 1].pop) {
			continue; /* the same name reached the same key twice */
		}
		m->pops[np++] = pr->pop;
	}
	m->bstart[nb] = (uint32_t)np;
	m->n_buckets = nb;
	m->filter_bits = (size_t)1 << 16;
	while (m->filter_bits < nb * 8)
		m->filter_bits <<= 1;
	m->filter = calloc(m->filter_bits / 64, sizeof(*m->filter));
	if (!m->filter)
		return -1;
	for (i = 0; i < n_slots; i++) {
		if (m->keys[i]) {
			size_t b = (size_t)(m->keys[i] >> 1) & (m->filter_bits - 1);
			m->filter[b / 64] |= (uint64_t)1 << (b % 64);
		}
	}
	m->n_pops = np;
	free(m->pairs);
	m->pairs = NULL;
	m->n_pairs = m->cap_pairs = 0;
	return 0;
}

void vn_map_release(struct vn_map *m)
{
	free(m->pairs);
	free(m->keys);
	free(m->bucket);
	free(m->bstart);
	free(m->pops);
	free(m->filter);
	memset(m, 0, sizeof(*m));
}

const uint32_t *vn_map_get(const struct vn_map *m, uint64_t key, size_t *n)
{
	size_t s;

	*n = 0;
	if (!m->n_slots)
		return NULL;
	key |= 1;
	{
		size_t b = (size_t)(key >> 1) & (m->filter_bits - 1);
		if (!(m->filter[b / 64] & ((uint64_t)1 << (b % 64))))
			return NULL;
	}
	for (s = (size_t)(key >> 20) & (m->n_slots - 1); m->keys[s];
	     s = (s + 1) & (m->n_slots - 1)) {
		if (m->keys[s] == key) {
			uint32_t b = m->bucket[s];
			*n = m->bstart[b + 1] - m->bstart[b];
			return m->pops + m->bstart[b];
		}
	}
	return NULL;
}

/* ---- building ---------------------------------------------------------- */

int tg_vet_names_new(enum tg_ecosystem eco,
		     const struct tg_vet_name_thresholds *t,
		     struct tg_vet_names **out, struct tg_err *err)
{
	struct tg_vet_names *n;

	*out = NULL;
	if (eco != TG_ECO_PYPI && eco != TG_ECO_NPM)
		return tg_err_set(err, TG_EUSAGE, "name checks support PyPI and npm");
	n = calloc(1, sizeof(*n));
	if (!n)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	n->eco = eco;
	if (t)
		n->t = *t;
	else
		tg_vet_name_thresholds_init(&n->t);
	if (n->t.max_compare_len > VN_MAX_LEN)
		n->t.max_compare_len = VN_MAX_LEN;
	*out = n;
	return 0;
}

static uint32_t arena_add(struct tg_vet_names *n, const char *s, size_t len,
			  struct tg_err *err)
{
	size_t need;

	if (!tg_size_add(n->arena_len, len + 1, &need) || need >= VN_NONE) {
		tg_err_set(err, TG_ELIMIT, "name list too large");
		return VN_NONE;
	}
	if (need > n->arena_cap) {
		size_t cap = n->arena_cap ? n->arena_cap : ((size_t)1 << 20);
		char *a;
		while (cap < need)
			cap *= 2;
		a = realloc(n->arena, cap);
		if (!a) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return VN_NONE;
		}
		n->arena = a;
		n->arena_cap = cap;
	}
	memcpy(n->arena + n->arena_len, s, len);
	n->arena[n->arena_len + len] = '\0';
	{
		uint32_t off = (uint32_t)n->arena_len;
		n->arena_len = need;
		return off;
	}
}

/* "YYYY-MM" -> year*12 + month-1, 0 when absent or malformed. */
static uint16_t parse_ym(const char *s)
{
	uint64_t y, m;

	if (!s || strlen(s) < 7 || s[4] != '-' || !tg_parse_u64(s, 4, &y) ||
	    !tg_parse_u64(s + 5, 2, &m) || m < 1 || m > 12 || y < 1990 || y > 5000)
		return 0;
	return (uint16_t)(y * 12 + m - 1);
}

int tg_vet_names_add(struct tg_vet_names *n, const char *name,
		     const char *latest_version, const char *last_release,
		     int64_t rank, int64_t downloads, struct tg_err *err)
{
	struct vn_entry *e;
	char stackbuf[256], *norm = stackbuf;
	size_t len = strlen(name);
	int rc = 0;

	if (n->built)
		return tg_err_set(err, TG_EUSAGE, "name index already built");
	if (len == 0)
		return 0;
	if (n->n >= 0x7fffffff)
		return tg_err_set(err, TG_ELIMIT, "name list too large");
	if (n->n == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 4096, bytes;
		struct vn_entry *ne;
		if (!tg_size_mul(cap, sizeof(*ne), &bytes) || !(ne = realloc(n->e, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		n->e = ne;
		n->cap = cap;
	}
	if (len + 1 > sizeof(stackbuf) && !(norm = malloc(len + 1)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (n->eco == TG_ECO_PYPI)
		len = tg_pep503_normalize(name, len, norm);
	else
		memcpy(norm, name, len + 1);
	e = &n->e[n->n];
	memset(e, 0, sizeof(*e));
	e->name = arena_add(n, norm, len, err);
	e->lower = VN_NONE;
	e->version = VN_NONE;
	if (e->name == VN_NONE) {
		rc = err->code;
		goto out;
	}
	if (latest_version && *latest_version) {
		e->version = arena_add(n, latest_version, strnlen(latest_version, 128), err);
		if (e->version == VN_NONE) {
			rc = err->code;
			goto out;
		}
	}
	e->ym = parse_ym(last_release);
	e->len = len > 65535 ? 65535 : (uint16_t)len;
	e->rank = rank > 0 && rank < 0x7fffffff ? (int32_t)rank : -1;
	e->downloads = downloads;
	n->n++;
out:
	if (norm != stackbuf)
		free(norm);
	return rc;
}

static size_t name_hash(const char *s)
{
	return (size_t)vn_hash(s, strlen(s));
}

long vn_find(const struct tg_vet_names *n, const char *norm)
{
	size_t i;

	if (!n->n_all_slots)
		return -1;
	for (i = name_hash(norm) & (n->n_all_slots - 1); n->all[i];
	     i = (i + 1) & (n->n_all_slots - 1))
		if (strcmp(n->arena + n->e[n->all[i] - 1].name, norm) == 0)
			return (long)n->all[i] - 1;
	return -1;
}

struct pop_key {
	int64_t key;  /* rank, or minus the downloads: smaller is more popular */
	uint32_t idx;
};

static int by_key(const void *a, const void *b)
{
	const struct pop_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* npm lists downloads, not ranks: every npm name gets its rank by
 * downloads, and the popular set is the top popular_rank of either. */
static int pick_popular(struct tg_vet_names *n, struct tg_err *err)
{
	size_t i, k = 0, limit;
	struct pop_key *keys = malloc((n->n ? n->n : 1) * sizeof(*keys));
	uint32_t *idx;

	if (!keys)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < n->n; i++) {
		const struct vn_entry *e = &n->e[i];
		/* npm's security placeholders keep the downloads of people who
		 * still mistype the name: they are never popular. */
		if (n->eco == TG_ECO_NPM && vn_is_placeholder(vn_str(n, e->version)))
			continue;
		if (n->eco == TG_ECO_NPM ? e->downloads >= 0 : e->rank > 0) {
			keys[k].key = n->eco == TG_ECO_NPM ? -e->downloads : e->rank;
			keys[k].idx = (uint32_t)i;
			k++;
		}
	}
	qsort(keys, k, sizeof(*keys), by_key);
	if (n->eco == TG_ECO_NPM)
		for (i = 0; i < k; i++)
			n->e[keys[i].idx].rank = i < 0x7ffffffe ? (int32_t)(i + 1) : -1;
	limit = n->t.popular_rank > 0 ? (size_t)n->t.popular_rank : 0;
	if (limit > VN_POP_MAX)
		limit = VN_POP_MAX;
	if (k > limit)
		k = limit;
	idx = malloc((k ? k : 1) * sizeof(*idx));
	if (!idx) {
		free(keys);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	for (i = 0; i < k && n->e[keys[i].idx].rank <= n->t.popular_rank; i++)
		idx[i] = keys[i].idx;
	free(keys);
	n->pop = idx;
	n->n_pop = i;
	return 0;
}

struct put_ctx {
	struct vn_map *m;
	uint32_t pop;
	int rc;
};

static void put_key(uint64_t key, void *ctx)
{
	struct put_ctx *p = ctx;

	if (!p->rc)
		p->rc = vn_map_add(p->m, key, p->pop);
}

int tg_vet_names_build(struct tg_vet_names *n, struct tg_err *err)
{
	size_t i, slots = 1024;
	int rc;

	if (n->built)
		return 0;
	while (slots < n->n * 2)
		slots <<= 1;
	n->all = calloc(slots, sizeof(*n->all));
	if (!n->all)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	n->n_all_slots = slots;
	for (i = 0; i < n->n; i++) {
		const char *s = n->arena + n->e[i].name;
		size_t j = name_hash(s) & (slots - 1);
		bool dup = false;

		while (n->all[j]) {
			if (strcmp(n->arena + n->e[n->all[j] - 1].name, s) == 0) {
				dup = true; /* first entry wins */
				break;
			}
			j = (j + 1) & (slots - 1);
		}
		if (!dup)
			n->all[j] = (uint32_t)i + 1;
	}
	if ((rc = pick_popular(n, err)))
		return rc;
	for (i = 0; i < n->n_pop; i++) {
		struct vn_entry *e = &n->e[n->pop[i]];
		const char *s = n->arena + e->name;
		char low[VN_MAX_LEN + 1], sq[VN_MAX_LEN + 1], sk[VN_MAX_LEN + 1];
		size_t len = strlen(s), k;
		struct put_ctx pc = { &n->del, (uint32_t)i, 0 };
		bool na, um;
		uint32_t cp;

		if (len > VN_MAX_LEN)
			continue;
		for (k = 0; k <= len; k++)
			low[k] = tg_ascii_lower(s[k]);
		if (strcmp(low, s) != 0) {
			e->lower = arena_add(n, low, len, err);
			if (e->lower == VN_NONE)
				return err->code;
		}
		/* Two deletions per side find every pair within two edits (a
		 * substitution or transposition is one deletion per side).
		 * Shorter names are allowed at most 1.0: one edit of any kind
		 * (one deletion per side suffices) or two cheap ones, which the
		 * reduced map finds. */
		vn_deletes(low, len, len >= VN_DEL2_MIN ? 2 : 1, put_key, &pc);
		k = vn_reduce(low, sq, sizeof(sq));
		if (pc.rc || vn_map_add(&n->reduced, vn_hash(sq, k), (uint32_t)i))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		k = vn_skeleton(low, sk, sizeof(sk), &na, &um, &cp);
		if (vn_map_add(&n->skel, vn_hash(sk, k), (uint32_t)i))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	if (vn_map_freeze(&n->del) || vn_map_freeze(&n->reduced) || vn_map_freeze(&n->skel))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	n->built = true;
	return 0;
}

int tg_vet_names_set_list_label(struct tg_vet_names *n, const char *label,
				struct tg_err *err)
{
	char *copy = tg_strdup(label ? label : "");

	if (!copy)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	free(n->label);
	n->label = copy;
	return 0;
}

void tg_vet_names_free(struct tg_vet_names *n)
{
	if (!n)
		return;
	free(n->arena);
	free(n->e);
	free(n->all);
	free(n->pop);
	vn_map_release(&n->del);
	vn_map_release(&n->reduced);
	vn_map_release(&n->skel);
	free(n->label);
	free(n);
}

size_t tg_vet_names_count(const struct tg_vet_names *n)
{
	return n ? n->n : 0;
}

size_t tg_vet_names_popular_count(const struct tg_vet_names *n)
{
	return n ? n->n_pop : 0;
}

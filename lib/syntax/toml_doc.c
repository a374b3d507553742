/* TOML documents: memory, tables, and the read-only accessors. */
#include <inttypes.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syntax/toml_internal.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

/* Values, keys and strings live in a chunked arena: a document of a million
 * values then costs a few hundred mallocs, and freeing it is a list walk. */
struct tg_toml_chunk {
	struct tg_toml_chunk *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

#define CHUNK_SIZE ((size_t)64 << 10)
#define LINEAR_MAX 8 /* tables up to this size are searched linearly */

void *tg_toml_alloc(struct tg_toml *doc, size_t n)
{
	struct tg_toml_chunk *c = doc->chunks;
	const size_t align = alignof(max_align_t);
	size_t need, cap;

	if (!tg_size_add(n, align - 1, &need))
		return NULL;
	need &= ~(align - 1);
	if (!need)
		need = align;
	if (!c || c->cap - c->used < need) {
		cap = need > CHUNK_SIZE / 4 ? need : CHUNK_SIZE;
		if (!tg_size_add(cap, sizeof(*c), &n))
			return NULL;
		c = malloc(n);
		if (!c)
			return NULL;
		c->cap = cap;
		c->used = 0;
		/* A big one-off block goes behind the current chunk so that the
		 * current chunk's free space stays usable. */
		if (need > CHUNK_SIZE / 4 && doc->chunks) {
			c->next = doc->chunks->next;
			doc->chunks->next = c;
		} else {
			c->next = doc->chunks;
			doc->chunks = c;
		}
	}
	{
		void *p = c->data + c->used;
		c->used += need;
		memset(p, 0, need);
		return p;
	}
}

struct tg_toml *tg_toml_doc_new(const char *origin)
{
	struct tg_toml *doc = calloc(1, sizeof(*doc));

	if (!doc)
		return NULL;
	doc->origin = tg_strdup(origin ? origin : "");
	if (!doc->origin) {
		free(doc);
		return NULL;
	}
	/* Keys come from untrusted input: a per-document seed (from the heap
	 * address, which ASLR varies) makes precomputed collisions useless. */
	doc->seed = (uint64_t)(uintptr_t)doc * 0x9e3779b97f4a7c15ull ^
		    0x2545f4914f6cdd1dull;
	return doc;
}

struct tg_toml_value *tg_toml_new_value(struct tg_toml *doc,
					enum tg_toml_type type,
					unsigned long line, unsigned long col)
{
	struct tg_toml_value *v = tg_toml_alloc(doc, sizeof(*v));

	if (!v)
		return NULL;
	v->type = (uint8_t)type;
	v->line = line;
	v->col = col;
	if (type == TG_TOML_TABLE || type == TG_TOML_ARRAY) {
		if (doc->ncontainers == doc->capcontainers) {
			size_t ncap = doc->capcontainers ? doc->capcontainers * 2 : 64;
			size_t bytes;
			struct tg_toml_value **nv;

			if (!tg_size_mul(ncap, sizeof(*nv), &bytes))
				return NULL;
			nv = realloc(doc->containers, bytes);
			if (!nv)
				return NULL;
			doc->containers = nv;
			doc->capcontainers = ncap;
		}
		doc->containers[doc->ncontainers++] = v;
		if (type == TG_TOML_TABLE)
			v->u.tab.seed = doc->seed;
	}
	return v;
}

void tg_toml_free(struct tg_toml *doc)
{
	struct tg_toml_chunk *c, *next;
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->ncontainers; i++) {
		struct tg_toml_value *v = doc->containers[i];
		if (v->type == TG_TOML_TABLE) {
			free(v->u.tab.kv);
			free(v->u.tab.slots);
		} else {
			free(v->u.arr.items);
		}
	}
	free(doc->containers);
	for (c = doc->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(doc->origin);
	free(doc);
}

static uint64_t key_hash(uint64_t seed, const char *key, size_t len)
{
	uint64_t h = seed ^ (len * 0xff51afd7ed558ccdull);
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static bool key_eq(const struct tg_toml_kv *kv, const char *key, size_t len)
{
	return kv->key_len == len && memcmp(kv->key, key, len) == 0;
}

long tg_toml_find(const struct tg_toml_value *t, const char *key,
		  size_t key_len)
{
	size_t i;

	if (!t || t->type != TG_TOML_TABLE)
		return -1;
	if (!t->u.tab.nslots) {
		for (i = 0; i < t->u.tab.n; i++)
			if (key_eq(&t->u.tab.kv[i], key, key_len))
				return (long)i;
		return -1;
	}
	{
		size_t mask = t->u.tab.nslots - 1;
		size_t s = (size_t)key_hash(t->u.tab.seed, key, key_len) & mask;

		for (;; s = (s + 1) & mask) {
			uint32_t idx = t->u.tab.slots[s];
			if (!idx)
				return -1;
			if (key_eq(&t->u.tab.kv[idx - 1], key, key_len))
				return (long)(idx - 1);
		}
	}
}

static void slot_put(struct tg_toml_value *t, size_t idx)
{
	const struct tg_toml_kv *kv = &t->u.tab.kv[idx];
	size_t mask = t->u.tab.nslots - 1;
	size_t s = (size_t)key_hash(t->u.tab.seed, kv->key, kv->key_len) & mask;

	while (t->u.tab.slots[s])
		s = (s + 1) & mask;
	t->u.tab.slots[s] = (uint32_t)(idx + 1);
}

static int rehash(struct tg_toml_value *t)
{
	size_t n = t->u.tab.nslots ? t->u.tab.nslots * 2 : 32;
	uint32_t *slots;
	size_t i;

	while (n < t->u.tab.n * 2)
		n *= 2;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return TG_ENOMEM;
	free(t->u.tab.slots);
	t->u.tab.slots = slots;
	t->u.tab.nslots = n;
	for (i = 0; i < t->u.tab.n; i++)
		slot_put(t, i);
	return 0;
}

int tg_toml_table_add(struct tg_toml *doc, struct tg_toml_value *t,
		      const char *key, size_t key_len,
		      struct tg_toml_value *value, unsigned long line,
		      unsigned long col)
{
	struct tg_toml_kv *kv;
	size_t kbytes;
	char *kcopy;

	/* Slots hold 32-bit indexes; the value cap keeps tables far below. */
	if (t->u.tab.n >= UINT32_MAX - 1)
		return TG_ELIMIT;
	if (t->u.tab.n == t->u.tab.cap) {
		size_t ncap = t->u.tab.cap ? t->u.tab.cap * 2 : 4;
		size_t bytes;

		if (!tg_size_mul(ncap, sizeof(*kv), &bytes))
			return TG_ENOMEM;
		kv = realloc(t->u.tab.kv, bytes);
		if (!kv)
			return TG_ENOMEM;
		t->u.tab.kv = kv;
		t->u.tab.cap = ncap;
	}
	if (!tg_size_add(key_len, 1, &kbytes))
		return TG_ENOMEM;
	kcopy = tg_toml_alloc(doc, kbytes);
	if (!kcopy)
		return TG_ENOMEM;
	memcpy(kcopy, key, key_len);
	kv = &t->u.tab.kv[t->u.tab.n++];
	kv->key = kcopy;
	kv->key_len = key_len;
	kv->value = value;
	kv->line = line;
	kv->col = col;
	if (t->u.tab.nslots) {
		if (t->u.tab.n * 2 > t->u.tab.nslots)
			return rehash(t);
		slot_put(t, t->u.tab.n - 1);
	} else if (t->u.tab.n > LINEAR_MAX) {
		return rehash(t);
	}
	return 0;
}

int tg_toml_array_add(struct tg_toml_value *a, struct tg_toml_value *item)
{
	if (a->u.arr.n == a->u.arr.cap) {
		size_t ncap = a->u.arr.cap ? a->u.arr.cap * 2 : 4;
		size_t bytes;
		struct tg_toml_value **items;

		if (!tg_size_mul(ncap, sizeof(*items), &bytes))
			return TG_ENOMEM;
		items = realloc(a->u.arr.items, bytes);
		if (!items)
			return TG_ENOMEM;
		a->u.arr.items = items;
		a->u.arr.cap = ncap;
	}
	a->u.arr.items[a->u.arr.n++] = item;
	return 0;
}

/* --- public accessors --- */

const struct tg_toml_value *tg_toml_root(const struct tg_toml *doc)
{
	return doc ? doc->root : NULL;
}

const char *tg_toml_origin(const struct tg_toml *doc)
{
	return doc ? doc->origin : "";
}

enum tg_toml_type tg_toml_type(const struct tg_toml_value *v)
{
	return (enum tg_toml_type)v->type;
}

const char *tg_toml_type_name(enum tg_toml_type t)
{
	switch (t) {
	case TG_TOML_TABLE: return "table";
	case TG_TOML_ARRAY: return "array";
	case TG_TOML_STRING: return "string";
	case TG_TOML_INTEGER: return "integer";
	case TG_TOML_FLOAT: return "float";
	case TG_TOML_BOOL: return "bool";
	case TG_TOML_DATETIME: return "datetime";
	case TG_TOML_DATETIME_LOCAL: return "datetime-local";
	case TG_TOML_DATE_LOCAL: return "date-local";
	case TG_TOML_TIME_LOCAL: return "time-local";
	}
	return "unknown";
}

unsigned long tg_toml_line(const struct tg_toml_value *v)
{
	return v ? v->line : 0;
}

unsigned long tg_toml_col(const struct tg_toml_value *v)
{
	return v ? v->col : 0;
}

int tg_toml_err_at(struct tg_err *err, enum tg_code code,
		   const struct tg_toml *doc, const struct tg_toml_value *v,
		   const char *fmt, ...)
{
	char msg[TG_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		tg_strlcpy(msg, "(unformattable error message)", sizeof(msg));
	va_end(ap);
	return tg_err_at(err, code, tg_toml_origin(doc), tg_toml_line(v),
			 tg_toml_col(v), "%s", msg);
}

size_t tg_toml_table_len(const struct tg_toml_value *t)
{
	return t && t->type == TG_TOML_TABLE ? t->u.tab.n : 0;
}

bool tg_toml_table_entry(const struct tg_toml_value *t, size_t i,
			 struct tg_toml_entry *out)
{
	const struct tg_toml_kv *kv;

	if (!t || t->type != TG_TOML_TABLE || i >= t->u.tab.n)
		return false;
	kv = &t->u.tab.kv[i];
	out->key = kv->key;
	out->key_len = kv->key_len;
	out->value = kv->value;
	out->line = kv->line;
	out->col = kv->col;
	return true;
}

const struct tg_toml_value *tg_toml_getn(const struct tg_toml_value *t,
					 const char *key, size_t key_len)
{
	long i;

	if (!key)
		return NULL;
	i = tg_toml_find(t, key, key_len);
	return i < 0 ? NULL : t->u.tab.kv[i].value;
}

const struct tg_toml_value *tg_toml_get(const struct tg_toml_value *t,
					const char *key)
{
	return key ? tg_toml_getn(t, key, strlen(key)) : NULL;
}

const char *tg_toml_get_str(const struct tg_toml_value *t, const char *key)
{
	const struct tg_toml_value *v = tg_toml_get(t, key);

	return v && v->type == TG_TOML_STRING ? v->u.str.s : NULL;
}

size_t tg_toml_array_len(const struct tg_toml_value *a)
{
	return a && a->type == TG_TOML_ARRAY ? a->u.arr.n : 0;
}

const struct tg_toml_value *tg_toml_array_at(const struct tg_toml_value *a,
					     size_t i)
{
	if (!a || a->type != TG_TOML_ARRAY || i >= a->u.arr.n)
		return NULL;
	return a->u.arr.items[i];
}

bool tg_toml_string(const struct tg_toml_value *v, const char **s,
		    size_t *len)
{
	if (!v || v->type != TG_TOML_STRING)
		return false;
	*s = v->u.str.s;
	if (len)
		*len = v->u.str.len;
	return true;
}

bool tg_toml_int(const struct tg_toml_value *v, int64_t *out)
{
	if (!v || v->type != TG_TOML_INTEGER)
		return false;
	*out = v->u.i;
	return true;
}

bool tg_toml_float(const struct tg_toml_value *v, double *out)
{
	if (!v || v->type != TG_TOML_FLOAT)
		return false;
	*out = v->u.f;
	return true;
}

bool tg_toml_bool(const struct tg_toml_value *v, bool *out)
{
	if (!v || v->type != TG_TOML_BOOL)
		return false;
	*out = v->u.b;
	return true;
}

static bool is_datetime_type(const struct tg_toml_value *v)
{
	return v && (v->type == TG_TOML_DATETIME ||
		     v->type == TG_TOML_DATETIME_LOCAL ||
		     v->type == TG_TOML_DATE_LOCAL ||
		     v->type == TG_TOML_TIME_LOCAL);
}

bool tg_toml_datetime(const struct tg_toml_value *v,
		      struct tg_toml_datetime *out)
{
	if (!is_datetime_type(v))
		return false;
	*out = v->u.dt;
	return true;
}

bool tg_toml_datetime_format(const struct tg_toml_value *v, char *out,
			     size_t outsz)
{
	const struct tg_toml_datetime *dt;
	char date[16] = "", time[48] = "", frac[16] = "", off[16] = "";
	int n;

	if (!is_datetime_type(v) || !out)
		return false;
	dt = &v->u.dt;
	if (v->type != TG_TOML_TIME_LOCAL)
		snprintf(date, sizeof(date), "%04d-%02d-%02d", dt->year % 10000,
			 dt->month % 100, dt->day % 100);
	if (v->type != TG_TOML_DATE_LOCAL) {
		if (dt->frac_digits > 0) {
			uint32_t ns = dt->nanosecond % 1000000000u;
			unsigned digits = dt->frac_digits > 9 ? 9u : (unsigned)dt->frac_digits;
			unsigned d;
			/* Print the written digits only: the positions past them are
			 * always zero. */
			for (d = 9; d > digits; d--)
				ns /= 10;
			snprintf(frac, sizeof(frac), ".%0*" PRIu32, (int)digits, ns);
		}
		snprintf(time, sizeof(time), "%s%02d:%02d:%02d%s",
			 v->type == TG_TOML_TIME_LOCAL ? "" : "T",
			 dt->hour % 100, dt->minute % 100, dt->second % 100,
			 frac);
	}
	if (v->type == TG_TOML_DATETIME) {
		if (dt->offset_z) {
			tg_strlcpy(off, "Z", sizeof(off));
		} else {
			int m = dt->offset_minutes;
			char sign = m < 0 ? '-' : '+';
			if (m < 0)
				m = -m;
			snprintf(off, sizeof(off), "%c%02d:%02d", sign,
				 (m / 60) % 100, m % 60);
		}
	}
	n = snprintf(out, outsz, "%s%s%s", date, time, off);
	return n >= 0 && (size_t)n < outsz;
}

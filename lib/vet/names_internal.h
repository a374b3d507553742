/* Name-risk index internals (shared by the names_*.c files). */
#ifndef TG_VET_NAMES_INTERNAL_H
#define TG_VET_NAMES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tollgate/vet_names.h"

#define VN_NONE UINT32_MAX
/* Longest name the resemblance checks look at (DP matrix side). */
#define VN_MAX_LEN 64
/* Names this long or longer get two-deletion neighbourhoods; a checked
 * name longer than VN_DEL2_MAX is probed with one deletion only (its
 * neighbourhood grows with the square of the length; two-edit typos of
 * very long names are rare, and their affixed forms are combosquats). */
#define VN_DEL2_MIN 8
#define VN_DEL2_MAX 20
/* Most popular names an index keeps. */
#define VN_POP_MAX 1000000

struct vn_entry {
	uint32_t name;     /* arena offset: the normalised name */
	uint32_t lower;    /* arena offset: lowercase form (popular names), or VN_NONE */
	uint32_t version;  /* arena offset or VN_NONE */
	uint16_t ym;       /* last release: year*12 + month-1, 0 = unknown */
	uint16_t len;      /* strlen(name), capped at 65535 */
	int32_t rank;      /* popularity rank (PyPI list rank; npm by downloads), -1 */
	int64_t downloads; /* npm downloads a month, -1 */
};

/* A multimap from a string's hash to popular-name indexes. Built by
 * adding (key, pop) pairs, then frozen into buckets: a hash table of the
 * distinct keys, each pointing at its run of popular indexes. Hits are
 * candidates only: every one is verified by computing the real distance,
 * so a hash collision costs time, never a wrong answer. */
struct vn_pair {
	uint64_t key;
	uint32_t pop;
};

struct vn_map {
	struct vn_pair *pairs;  /* while building */
	size_t n_pairs, cap_pairs;
	uint64_t *keys;         /* slot -> key, 0 = empty (keys are made non-zero) */
	uint32_t *bucket;       /* slot -> distinct-key number */
	size_t n_slots;         /* power of two */
	uint32_t *bstart;       /* distinct-key number -> first index in pops */
	size_t n_buckets;
	uint32_t *pops;
	size_t n_pops;
	/* One bit per (hashed) key: most probes are for keys that are not
	 * there, and this 4 MB-ish filter answers them from cache instead of
	 * a cache miss into the table. */
	uint64_t *filter;
	size_t filter_bits; /* power of two */
};

int vn_map_add(struct vn_map *m, uint64_t key, uint32_t pop);
int vn_map_freeze(struct vn_map *m);
void vn_map_release(struct vn_map *m);
/* The popular indexes stored under key (NULL, 0 when none). */
const uint32_t *vn_map_get(const struct vn_map *m, uint64_t key, size_t *n);

struct tg_vet_names {
	enum tg_ecosystem eco;
	struct tg_vet_name_thresholds t;
	char *arena;
	size_t arena_len, arena_cap;
	struct vn_entry *e;
	size_t n, cap;
	uint32_t *all;        /* open addressing over e[] by name: index + 1 */
	size_t n_all_slots;
	uint32_t *pop;        /* entry indices of popular names, most popular first */
	size_t n_pop;
	struct vn_map del;    /* deletion neighbourhood (<= 2) of popular names */
	struct vn_map reduced; /* popular names reduced (see vn_reduce) */
	struct vn_map skel;   /* popular names' look-alike skeletons */
	char *label;
	bool built;
};

static inline const char *vn_str(const struct tg_vet_names *n, uint32_t off)
{
	return off == VN_NONE ? NULL : n->arena + off;
}

uint64_t vn_hash(const char *s, size_t len);

/* Entry index of an exact (normalised) name, or -1. */
long vn_find(const struct tg_vet_names *n, const char *norm);

/* Calls fn(key) for the hash of s with every choice of up to maxdel
 * deleted positions (duplicates included). */
typedef void (*vn_key_fn)(uint64_t key, void *ctx);
void vn_deletes(const char *s, size_t len, unsigned maxdel, vn_key_fn fn,
		void *ctx);

/* Characters that separate words in names. */
static inline bool vn_is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

/* s without separators (and npm's '@' and '/') into out; returns length. */
size_t vn_squash(const char *s, char *out, size_t outsz);
/* The squashed form with what cheap edits change undone: doubled letters
 * as one, a trailing 's' dropped, 0/o, 1/i/l, 5/s, u/v, rn/m, cl/d made
 * equal. Two names whose every difference is such an edit reduce to the
 * same string: how the index finds them without two-deletion
 * neighbourhoods of short names. */
size_t vn_reduce(const char *s, char *out, size_t outsz);

/* Weighted edit distance in quarter units (see the thresholds); returns
 * a value > limit as soon as the distance must exceed limit. */
unsigned vn_wdist(const struct tg_vet_name_thresholds *t, const char *a,
		  size_t la, const char *b, size_t lb, unsigned limit);
/* What separates a from b, in words ("transposed 'eu'", "extra 'u'"),
 * the cheapest way: at most a few edits, written to out. */
void vn_explain(const struct tg_vet_name_thresholds *t, const char *a,
		size_t la, const char *b, size_t lb, char *out, size_t outsz);
static inline unsigned vn_quarters(double cost)
{
	return (unsigned)(cost * 4.0 + 0.5);
}

/* ASCII look-alike skeleton of a name as written (case kept for the
 * I/l trick): out gets a lowercase string where 0->o, 1/I/|->l, rn->m,
 * vv->w, cl->d, and Unicode look-alikes (Cyrillic, Greek, full-width)
 * map to their ASCII twins. *non_ascii tells whether the input held any
 * non-ASCII code point; *unmapped whether one had no ASCII twin;
 * *first_cp is the first non-ASCII code point (for the message). */
size_t vn_skeleton(const char *s, char *out, size_t outsz, bool *non_ascii,
		   bool *unmapped, uint32_t *first_cp);
/* Name of a code point for messages ("CYRILLIC SMALL LETTER A") or NULL. */
const char *vn_cp_name(uint32_t cp);

/* npm replaces a package it removed as malware with a placeholder whose
 * version ends "-security" (0.0.1-security, 0.0.2-security.1). */
static inline bool vn_is_placeholder(const char *version)
{
	const char *p = version ? strstr(version, "-security") : NULL;

	return p && (p[9] == '\0' || p[9] == '.');
}

/* Python standard-library module names (sorted). */
bool vn_is_stdlib(const char *name);

#endif

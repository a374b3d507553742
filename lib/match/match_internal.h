/* Shared between the files of lib/match: compiled advisories and parsed
 * version contexts. Not a public interface. */
#ifndef TOLLGATE_MATCH_INTERNAL_H
#define TOLLGATE_MATCH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/match.h"

/* One version's text and its parsed forms under up to TG_VCTX_SLOTS
 * schemes (parsed lazily). */
#define TG_VCTX_SLOTS 4
struct tg_vintern;

struct tg_vctx {
	const char *text; /* borrowed */
	struct tg_vintern *intern; /* when set, handles come from (and stay
				    * owned by) this table */
	struct {
		const struct tg_vscheme *scheme;
		void *handle; /* NULL: does not parse under scheme */
	} slot[TG_VCTX_SLOTS];
	char *canon;
	bool canon_done;
};

void tg_vctx_init(struct tg_vctx *c, const char *text);
void tg_vctx_init_interned(struct tg_vctx *c, const char *text,
			   struct tg_vintern *intern);
void tg_vctx_release(struct tg_vctx *c);
void *tg_vctx_get(struct tg_vctx *c, const struct tg_vscheme *s, bool *oom);
const char *tg_vctx_canon(struct tg_vctx *c, const struct tg_vscheme *s,
			  bool *oom);

/* Memo of parsed versions, keyed by (scheme, text); texts are borrowed
 * and must outlive the table. Handles and canonical strings are owned by
 * the table. */
struct tg_vintern_entry {
	const struct tg_vscheme *scheme;
	const char *text;   /* NULL: free slot */
	void *handle;       /* NULL: does not parse */
	char *canon;
	bool canon_done;
	bool claimed;       /* see tg_vintern_claim */
	unsigned hash;
};

struct tg_vintern {
	struct tg_vintern_entry *slots;
	size_t cap, n;
};

void tg_vintern_init(struct tg_vintern *t);
/* Size the table for about n distinct versions at once, instead of
 * doubling its way there. */
void tg_vintern_reserve(struct tg_vintern *t, size_t n);
void tg_vintern_release(struct tg_vintern *t);
/* Empty the table but keep its slots, for the next package. */
void tg_vintern_clear(struct tg_vintern *t);
void *tg_vintern_parse(struct tg_vintern *t, const struct tg_vscheme *s,
		       const char *text, bool *oom);
/* True the first time it is asked about (s, text): lets a caller keep one
 * copy of each distinct string. */
bool tg_vintern_claim(struct tg_vintern *t, const struct tg_vscheme *s,
		      const char *text, bool *oom);
/* Canonical text, or text itself when it does not parse or the scheme
 * has no canonical form. */
const char *tg_vintern_canon(struct tg_vintern *t, const struct tg_vscheme *s,
			     const char *text, bool *oom);

struct tg_cevent {
	enum tg_osv_event_kind kind;
	const char *text; /* borrowed from the advisory */
	void *v;          /* parsed (owned by the intern table); NULL for "0" */
	bool zero;
	size_t pos;       /* position in the record, for a stable sort */
};

struct tg_crange {
	const struct tg_vscheme *scheme;
	const struct tg_adv_range *src;
	struct tg_cevent *ev; /* sorted; "*" limits left out */
	size_t n_ev;
	bool has_limit;
	bool limit_infinite;
	bool bad;             /* an event did not parse */
};

struct tg_cadv {
	const struct tg_advisory *adv;
	struct tg_crange *ranges; /* evaluable ranges of every affected entry */
	size_t n_ranges;
	const char **versions;    /* canonical versions-list entries (intern) */
	size_t n_versions;
};

const struct tg_vscheme *tg_match_scheme(const struct tg_match_opts *opts,
					 enum tg_ecosystem eco,
					 enum tg_osv_range_type type);
int tg_cadv_compile(const struct tg_advisory *adv, enum tg_ecosystem eco,
		    const struct tg_match_opts *opts, struct tg_vintern *intern,
		    struct tg_cadv *out, struct tg_err *err);
void tg_cadv_release(struct tg_cadv *c);
enum tg_affect tg_cadv_eval(const struct tg_cadv *c, struct tg_vctx *v,
			    const struct tg_vscheme *primary, bool *oom);
/* The ranges alone (the caller has checked the versions lists). */
enum tg_affect tg_cadv_eval_ranges(const struct tg_cadv *c, struct tg_vctx *v,
				   bool *oom);

/* Which advisories list a version: canonical versions-list text -> the
 * indices of the advisories whose lists hold it. Keys are borrowed. */
struct tg_vlist_entry {
	const char *key; /* NULL: free slot */
	unsigned hash;
	size_t *advs;
	size_t n, cap;
};

struct tg_vlist_index {
	struct tg_vlist_entry *slots;
	size_t cap, n;
};

void tg_vlist_init(struct tg_vlist_index *x);
void tg_vlist_release(struct tg_vlist_index *x);
/* Record that advisory adv lists key; false on ENOMEM. */
bool tg_vlist_add(struct tg_vlist_index *x, const char *key, size_t adv);
const struct tg_vlist_entry *tg_vlist_find(const struct tg_vlist_index *x,
					   const char *key);

#endif

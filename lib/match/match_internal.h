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
struct tg_vctx {
	const char *text; /* borrowed */
	struct {
		const struct tg_vscheme *scheme;
		void *handle; /* NULL: does not parse under scheme */
	} slot[TG_VCTX_SLOTS];
	char *canon;
	bool canon_done;
};

void tg_vctx_init(struct tg_vctx *c, const char *text);
void tg_vctx_release(struct tg_vctx *c);
void *tg_vctx_get(struct tg_vctx *c, const struct tg_vscheme *s, bool *oom);
const char *tg_vctx_canon(struct tg_vctx *c, const struct tg_vscheme *s,
			  bool *oom);

struct tg_cevent {
	enum tg_osv_event_kind kind;
	const char *text; /* borrowed from the advisory */
	void *v;          /* parsed; NULL for introduced "0" */
	bool zero;
	size_t pos;       /* position in the record, for a stable sort */
};

struct tg_crange {
	const struct tg_vscheme *scheme;
	const struct tg_osv_range *src;
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
	char **versions;          /* canonical versions-list entries */
	size_t n_versions;
};

const struct tg_vscheme *tg_match_scheme(const struct tg_match_opts *opts,
					 enum tg_ecosystem eco,
					 enum tg_osv_range_type type);
int tg_cadv_compile(const struct tg_advisory *adv, enum tg_ecosystem eco,
		    const struct tg_match_opts *opts, struct tg_cadv *out,
		    struct tg_err *err);
void tg_cadv_release(struct tg_cadv *c);
enum tg_affect tg_cadv_eval(const struct tg_cadv *c, struct tg_vctx *v,
			    const struct tg_vscheme *primary, bool *oom);

#endif

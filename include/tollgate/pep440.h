/* PEP 440 versions and version specifiers.
 *
 * Parsing accepts every form packaging.version.Version accepts: leading and
 * trailing whitespace, a "v" prefix, any letter case, "-", "_" or "."
 * between segments, alternative spellings (alpha/a, beta/b, c/pre/preview/rc,
 * post/rev/r, "1.0-1" as an implicit post-release), missing pre/post/dev
 * numbers (taken as 0), epochs ("1!2.0") and local labels ("+ubuntu-1").
 * Numbers may have any number of digits: they are kept as digit strings and
 * compared by value, so 2^64 and beyond still order correctly.
 *
 * Ordering is that of packaging: release segments compare with implicit
 * zeros (1.0 == 1.0.0); X.devN < X.aN < X.bN < X.rcN < X < X.postN; within
 * local labels numeric segments sort above alphanumeric ones and a longer
 * label sorts above its own prefix.
 *
 * Memory: a parsed struct tg_pep440 needs no heap for ordinary versions; long
 * release segments (more than TG_PEP440_INLINE_RELEASE numbers), numbers of
 * more than 19 digits and local labels live in one heap block. Always call
 * tg_pep440_release() on a parsed version (it is a no-op when nothing was
 * allocated). A struct tg_pep440 must not be copied with '='; use
 * tg_pep440_copy(). Comparison never allocates.
 *
 * Specifiers follow packaging.specifiers.SpecifierSet: "==", "!=", "<=",
 * ">=", "<", ">", "~=", "===", wildcards "==1.2.*" / "!=1.2.*", and
 * comma-joined sets (empty items are skipped, as packaging does). Validation
 * is packaging's: "~=1" (one release number), "==1.0.*+local", "<1.0+local"
 * and "==1.0a1.*" are invalid. Matching follows packaging 26: "==V" ignores a
 * candidate's local label unless V has one; "<V" excludes V's pre-releases
 * unless V is itself a pre-release; ">V" excludes V's post-releases and
 * local variants; "===" compares strings case-insensitively.
 *
 * No global state: every function is reentrant. docs/pep440.md summarises
 * the matching rules and how they were checked.
 *
 * Errors: TG_EPARSE (err->col is the 1-based column within the string
 * given, also named in the message), TG_ELIMIT when a cap below is
 * exceeded, TG_ENOMEM.
 */
#ifndef TOLLGATE_PEP440_H
#define TOLLGATE_PEP440_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"

#define TG_PEP440_MAX_LEN 256         /* bytes in one version string */
#define TG_PEP440_SPEC_MAX_LEN 4096   /* bytes in one specifier set */
#define TG_PEP440_SPEC_MAX_ITEMS 64   /* comma-separated specifiers in a set */
#define TG_PEP440_INLINE_RELEASE 6

/* A non-negative integer of any size. value holds it when ndigits <= 19;
 * larger ones keep their digits (no leading zeros) in the owning version's
 * heap block at digits. ndigits is 0 for the number 0. */
struct tg_pep440_num {
	uint64_t value;
	const char *digits; /* NULL unless ndigits > 19 */
	uint32_t ndigits;
};

enum tg_pep440_pre_kind {
	TG_PEP440_PRE_NONE = 0,
	TG_PEP440_PRE_A = 1,
	TG_PEP440_PRE_B = 2,
	TG_PEP440_PRE_RC = 3
};

/* One dot-separated segment of a local label: a number, or lowercase
 * letters and digits (text, len) that are not all digits. */
struct tg_pep440_local {
	struct tg_pep440_num num;
	const char *text;
	uint32_t len;
	bool numeric;
};

struct tg_pep440 {
	struct tg_pep440_num epoch;
	struct tg_pep440_num pre, post, dev; /* valid when present */
	uint16_t nrelease;     /* release numbers as written, >= 1 */
	uint16_t nrelease_sig; /* without trailing zeros, >= 1 */
	uint16_t nlocal;       /* local segments, 0 = no local label */
	uint8_t pre_kind;      /* enum tg_pep440_pre_kind */
	bool has_post;
	bool has_dev;
	struct tg_pep440_num release_inline[TG_PEP440_INLINE_RELEASE];
	/* Heap block (NULL when not needed): the release numbers when more
	 * than TG_PEP440_INLINE_RELEASE, the local segments, and digit/label
	 * text those point into. */
	void *heap;
	size_t heap_size;
	struct tg_pep440_num *release_heap;
	struct tg_pep440_local *local;
};

/* Parse s[0..n) (need not be NUL-terminated). On failure *out is left
 * released (safe to release again). */
int tg_pep440_parse(const char *s, size_t n, struct tg_pep440 *out,
		    struct tg_err *err);
/* Parse a NUL-terminated string. */
int tg_pep440_parse_str(const char *s, struct tg_pep440 *out, struct tg_err *err);
/* True when s[0..n) is a valid version (no error details). */
bool tg_pep440_valid(const char *s, size_t n);
/* True when s[0..n) is in one of the common canonical shapes, recognised
 * without parsing: N(.N)*, then an optional aN / bN / rcN, .postN, .devN,
 * in that order, numbers without leading zeros. Such a text is valid and
 * its own normal form; false says nothing (epochs, local labels and
 * other spellings need the full parse). */
bool tg_pep440_is_canonical(const char *s, size_t n);
void tg_pep440_release(struct tg_pep440 *v);
/* Deep copy; dst must not hold a version (release it first). */
int tg_pep440_copy(struct tg_pep440 *dst, const struct tg_pep440 *src,
		   struct tg_err *err);

/* Release number i (0-based, i < v->nrelease). */
const struct tg_pep440_num *tg_pep440_release_at(const struct tg_pep440 *v,
						 size_t i);

/* <0, 0, >0 as a sorts before, equal to, after b (packaging ordering,
 * local labels included). */
int tg_pep440_cmp(const struct tg_pep440 *a, const struct tg_pep440 *b);
/* Same, ignoring both local labels. */
int tg_pep440_cmp_public(const struct tg_pep440 *a, const struct tg_pep440 *b);
/* Parse both and compare; *out gets -1, 0 or 1. */
int tg_pep440_cmp_str(const char *a, const char *b, int *out, struct tg_err *err);

/* Append the canonical form, str(Version(s)), to out. */
int tg_pep440_normalize(const struct tg_pep440 *v, struct tg_buf *out,
			struct tg_err *err);
/* Append the public part (no local label) or the base version (epoch and
 * release only), as packaging's .public and .base_version. */
int tg_pep440_format_public(const struct tg_pep440 *v, struct tg_buf *out,
			    struct tg_err *err);
int tg_pep440_format_base(const struct tg_pep440 *v, struct tg_buf *out,
			  struct tg_err *err);

/* Has a pre-release or dev segment (packaging's is_prerelease). */
bool tg_pep440_is_prerelease(const struct tg_pep440 *v);
bool tg_pep440_is_postrelease(const struct tg_pep440 *v);
bool tg_pep440_is_devrelease(const struct tg_pep440 *v);
bool tg_pep440_has_local(const struct tg_pep440 *v);

/* ---- specifiers ---- */

enum tg_pep440_op {
	TG_PEP440_OP_EQ,        /* == */
	TG_PEP440_OP_NE,        /* != */
	TG_PEP440_OP_LE,        /* <= */
	TG_PEP440_OP_GE,        /* >= */
	TG_PEP440_OP_LT,        /* < */
	TG_PEP440_OP_GT,        /* > */
	TG_PEP440_OP_COMPATIBLE, /* ~= */
	TG_PEP440_OP_ARBITRARY  /* === */
};

struct tg_pep440_spec {
	enum tg_pep440_op op;
	bool wildcard;          /* ==V.* or !=V.* */
	bool names_prerelease;  /* packaging's Specifier.prereleases */
	bool has_version;       /* false only for "===" with a non-PEP 440 value */
	struct tg_pep440 version;
	/* Bounds computed once at parse time so that matching is a few
	 * comparisons (see pep440_spec.c); has_lo/has_hi say which are set. */
	struct tg_pep440 lo, hi;
	bool has_lo, has_hi;
	char *text;             /* operator and version as written, no
				   whitespace: str(Specifier) (heap) */
	size_t text_len;
	size_t arg_off;         /* where the version starts in text */
};

/* How pre-releases (and dev releases) are treated when matching. */
enum tg_pre_mode {
	/* Pre-releases match only when a specifier in the set names one
	 * (">=1.0b1", "<2.0.dev0"; not "!=" nor "==X.*"): the classic
	 * installer default, packaging's SpecifierSet.prereleases. */
	TG_PRE_AUTO = 0,
	/* Pre-releases match like any version: packaging >= 26 contains()
	 * with prereleases=None or True; what vulnerability ranges need. */
	TG_PRE_INCLUDE,
	/* Pre-releases never match: prereleases=False. */
	TG_PRE_EXCLUDE
};

struct tg_pep440_specset {
	struct tg_pep440_spec *items; /* heap, n entries */
	size_t n;
	bool names_prerelease; /* any item's names_prerelease */
	bool has_arbitrary;    /* any "===" item */
};

/* Parse a comma-separated specifier set ("" is the empty set, which
 * matches everything). On failure *out is left empty. */
int tg_pep440_spec_parse(const char *s, size_t n, struct tg_pep440_specset *out,
			 struct tg_err *err);
void tg_pep440_specset_release(struct tg_pep440_specset *set);

/* Does version v satisfy every specifier of the set? "===" items compare
 * against the canonical form of v (as packaging does for Version objects);
 * use tg_pep440_spec_contains_str() to compare the string as written. */
bool tg_pep440_spec_contains(const struct tg_pep440_specset *set,
			     const struct tg_pep440 *v, enum tg_pre_mode mode);

/* Same for a candidate string as written. A string that is not a valid
 * version can only satisfy "===" items (and the empty set); *valid, when
 * not NULL, tells whether it parsed. */
bool tg_pep440_spec_contains_str(const struct tg_pep440_specset *set,
				 const char *s, size_t n, enum tg_pre_mode mode,
				 bool *valid);

/* Select the candidates that satisfy the set, as packaging's
 * SpecifierSet.filter(): with TG_PRE_AUTO pre-releases are kept when the
 * set names one, or when no final release matches at all (PEP 440's
 * default). keep[i] is set for each of the n candidate strings. Returns
 * the number kept. */
size_t tg_pep440_spec_filter(const struct tg_pep440_specset *set,
			     const char *const *cands, const size_t *lens,
			     size_t n, enum tg_pre_mode mode, bool *keep);

/* Append the set in packaging's canonical string form: items as written
 * (whitespace removed), sorted and deduplicated, joined by ",". */
int tg_pep440_specset_format(const struct tg_pep440_specset *set,
			     struct tg_buf *out, struct tg_err *err);

#endif

/* npm semantic versions and ranges, as node-semver (npm's own resolver)
 * reads them.
 *
 * Versions follow SemVer 2.0.0 precedence: MAJOR.MINOR.PATCH, then
 * prerelease identifiers (numeric ones compare as numbers and sort before
 * alphanumeric ones; a version with a prerelease sorts before the same
 * version without), build metadata ignored. TG_SEMVER_LOOSE accepts what
 * node-semver's loose mode accepts: leading 'v' / '=' / spaces, leading
 * zeros, "1.2.3beta" without the hyphen.
 *
 * Ranges follow node-semver exactly, including its desugaring of hyphen
 * ranges, x-ranges, '~' and '^' (with the 0.x and 0.0.x rules), '||'
 * unions and space-separated intersections, and its prerelease rule: a
 * version with a prerelease satisfies a comparator set only when some
 * comparator in that set has a prerelease on the same MAJOR.MINOR.PATCH,
 * unless TG_SEMVER_INCLUDE_PRERELEASE is given.
 *
 * Ownership: tg_semver and tg_semver_range own their heap parts; release
 * them with tg_semver_release() / tg_semver_range_release() (safe on a
 * zeroed or already-released value). Parse functions leave *out zeroed
 * on failure.
 */
#ifndef TOLLGATE_SEMVER_H
#define TOLLGATE_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"

/* node-semver's caps: a version string is at most 256 characters and each
 * of MAJOR, MINOR, PATCH at most 2^53-1. */
#define TG_SEMVER_MAX_LENGTH 256
#define TG_SEMVER_MAX_SAFE 9007199254740991ULL
/* Ours: a range string is at most 64 KiB and expands to at most this many
 * comparators in total. */
#define TG_SEMVER_RANGE_MAX_LENGTH (64u * 1024u)
#define TG_SEMVER_MAX_COMPARATORS 4096

enum tg_semver_flag {
	TG_SEMVER_LOOSE = 1 << 0,
	TG_SEMVER_INCLUDE_PRERELEASE = 1 << 1,
	/* Versions only: accept "1" and "1.2" as 1.0.0 and 1.2.0 (OSV
	 * SEMVER events such as introduced "0"). */
	TG_SEMVER_PARTIAL = 1 << 2
};

struct tg_semver {
	uint64_t major, minor, patch;
	/* Prerelease identifiers joined with '.', numeric ones written in
	 * canonical decimal (loose "01" becomes "1"); NULL when none. */
	char *pre;
	/* Build metadata as written, without the '+'; NULL when none. */
	char *build;
};

enum tg_semver_op {
	TG_SEMVER_OP_ANY = 0, /* "" or "*": every version */
	TG_SEMVER_OP_EQ,
	TG_SEMVER_OP_LT,
	TG_SEMVER_OP_LE,
	TG_SEMVER_OP_GT,
	TG_SEMVER_OP_GE
};

struct tg_semver_comparator {
	enum tg_semver_op op;
	struct tg_semver v; /* zeroed for TG_SEMVER_OP_ANY */
};

/* A union ('||') of comparator sets; set i is comps[set_off[i] ..
 * set_off[i + 1]), all of which a version must satisfy. */
struct tg_semver_range {
	struct tg_semver_comparator *comps;
	size_t n_comps;
	size_t *set_off; /* n_sets + 1 entries */
	size_t n_sets;
	unsigned flags;  /* TG_SEMVER_LOOSE | TG_SEMVER_INCLUDE_PRERELEASE */
};

/* Parse s[0..n). Errors: TG_EPARSE (syntax; the message names the column
 * and what was expected), TG_EINVAL (a number above 2^53-1), TG_ELIMIT
 * (longer than TG_SEMVER_MAX_LENGTH), TG_ENOMEM. */
int tg_semver_parse(const char *s, size_t n, unsigned flags,
		    struct tg_semver *out, struct tg_err *err);
void tg_semver_release(struct tg_semver *v);
/* Deep copy; TG_ENOMEM on failure. */
int tg_semver_copy(struct tg_semver *dst, const struct tg_semver *src,
		   struct tg_err *err);

/* SemVer precedence: <0, 0, >0 (build metadata ignored). */
int tg_semver_compare(const struct tg_semver *a, const struct tg_semver *b);
/* Parse both strings with flags and compare them into *result (-1, 0, 1).
 * Usable for OSV SEMVER range events with TG_SEMVER_LOOSE |
 * TG_SEMVER_PARTIAL. */
int tg_semver_cmp(const char *a, size_t an, const char *b, size_t bn,
		  unsigned flags, int *result, struct tg_err *err);

/* Append the canonical form "MAJOR.MINOR.PATCH[-PRE]" (no build) to out. */
int tg_semver_format(const struct tg_semver *v, struct tg_buf *out,
		     struct tg_err *err);

/* Parse a range (flags: TG_SEMVER_LOOSE, TG_SEMVER_INCLUDE_PRERELEASE).
 * Errors: TG_EPARSE naming the comparator that is not valid and the
 * column of its '||' alternative, TG_ELIMIT, TG_ENOMEM. */
int tg_semver_range_parse(const char *s, size_t n, unsigned flags,
			  struct tg_semver_range *out, struct tg_err *err);
void tg_semver_range_release(struct tg_semver_range *r);
/* Does v satisfy r (with r's prerelease rule)? */
bool tg_semver_range_test(const struct tg_semver_range *r,
			  const struct tg_semver *v);
/* Append the desugared range as node-semver prints it: sets joined by
 * "||", comparators by ' ' (">=1.2.3 <2.0.0-0"); "" for "any version". */
int tg_semver_range_format(const struct tg_semver_range *r, struct tg_buf *out,
			   struct tg_err *err);

/* Does the version string satisfy the range string? Parses both with
 * flags. *result is false and an error is returned when either does not
 * parse (node-semver's satisfies() answers false in both cases). */
int tg_semver_satisfies(const char *version, size_t vn, const char *range,
			size_t rn, unsigned flags, bool *result,
			struct tg_err *err);

#endif

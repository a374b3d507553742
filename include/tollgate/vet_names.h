/* vet: name risk.
 *
 * Given a package name (PyPI or npm), is it a typosquat, a look-alike, a
 * popular name with an affix, a name nobody published (the slop-squat
 * case), a brand-new project, or known malware? The registry name lists
 * (name, latest version, last release month, popularity) come from the
 * local database; so do OSV MAL- advisories.
 *
 * Rules (ids are stable, docs/vet.md explains each):
 *   typosquat     1-2 cheap edits from a much more popular name (weighted
 *                 edit distance: separators, doubled letters, 1/l, 0/o,
 *                 rn/m, transpositions, keyboard neighbours cost less),
 *                 npm scope confusion, a Python standard-library name
 *   confusable    Unicode or ASCII look-alikes of a known name
 *   combosquat    a popular name plus an affix (-python, py-, -sdk, 2 ...)
 *                 that is not itself an established package
 *   unknown-name  not in the registry name list
 *   new-project   latest release within the cooldown and a first version
 *   low-popularity far below the popularity of the name it resembles
 *   malicious     an OSV MAL- advisory names it (always block)
 *
 * Every number those rules use is a field of struct
 * tg_vet_name_thresholds: the one place to read or change them.
 *
 * Ownership: tg_vet_names is built once (add every name, then build) and
 * is read-only afterwards: checks may run from several threads. Free it
 * with tg_vet_names_free(). Results follow vet.h.
 */
#ifndef TOLLGATE_VET_NAMES_H
#define TOLLGATE_VET_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/err.h"
#include "tollgate/package.h"
#include "tollgate/vet.h"

struct tg_db;

struct tg_vet_name_thresholds {
	/* Popularity. A name is "popular" (a squat target, never itself
	 * flagged as a squat) when it is among the most downloaded: PyPI
	 * rank <= popular_rank; npm among the popular_rank names with the
	 * most downloads a month. */
	int64_t popular_rank;          /* 15000 */
	/* Targets this popular make a typosquat or look-alike "block". */
	int64_t top_rank;              /* 1000 */

	/* Weighted edit costs (typosquat). An edit a hurried typist or a
	 * squatter makes costs less than an arbitrary one. */
	double cost_separator;         /* 0.5: insert/delete '-', '_', '.' */
	double cost_doubled;           /* 0.5: a doubled letter added/dropped */
	double cost_confusable;        /* 0.5: 1/l/i, 0/o, 5/s, rn/m, vv/w, cl/d */
	double cost_plural;            /* 0.5: a trailing 's' added/dropped */
	double cost_trailing_digit;    /* 0.75: a digit added/dropped at a word end */
	double cost_keyboard;          /* 0.75: substitution by a QWERTY neighbour */
	double cost_transpose;         /* 0.75: two adjacent letters swapped */
	double cost_other;             /* 1.0: any other insert/delete/substitute */

	/* Cost allowed by the length of the shorter name, for a name that is
	 * NOT in the registry list (nothing to lose by suggesting the popular
	 * one: the user or an LLM most likely mistyped it). */
	double unknown_max_cost[4];    /* len <=4: 0.5, <=7: 1.0, <=11: 1.5, more: 2.0 */
	/* The same for a published but not popular name: stricter, since a
	 * real project may legitimately sit near a popular one. */
	double existing_max_cost[4];   /* len <=5: 0.5, <=9: 1.0, <=13: 1.5, more: 2.0 */
	/* Length bands of the two arrays above (upper bounds of bands 0..2). */
	unsigned unknown_len_band[3];  /* 4, 7, 11 */
	unsigned existing_len_band[3]; /* 5, 9, 13 */
	/* For published names, targets less popular than these ranks allow
	 * existing_rank_penalty less cost each (evidence must be stronger). */
	int64_t existing_rank_step[2]; /* 1000, 5000 */
	double existing_rank_penalty;  /* 0.25 */

	/* Combosquat: the popular base must be at least this popular and this
	 * long; a published name only counts with a narrow affix set. */
	int64_t combo_rank_unknown;    /* 5000 */
	int64_t combo_rank_existing;   /* 1000 */
	unsigned combo_min_base_len;   /* 4 */

	/* low-popularity: npm downloads below this fraction of the resembled
	 * name's (PyPI: not ranked while the other is). */
	double low_popularity_ratio;   /* 0.001 */

	/* new-project: latest release within this many days (month
	 * precision) and a first-release version (0.0.x, 0.1.0, 1.0.0). */
	long cooldown_days;            /* 14 */

	/* Names longer than this are only checked for exact facts (list,
	 * malware), not for resemblance. */
	unsigned max_compare_len;      /* 64 */
};

void tg_vet_name_thresholds_init(struct tg_vet_name_thresholds *t);

struct tg_vet_names;

int tg_vet_names_new(enum tg_ecosystem eco,
		     const struct tg_vet_name_thresholds *t,
		     struct tg_vet_names **out, struct tg_err *err);
/* Add one registry name. rank (PyPI, 1 = most downloaded) and downloads
 * (npm, a month) are -1 when unknown; version and last_release
 * ("YYYY-MM") may be NULL. Names are normalised (PEP 503 for PyPI). */
int tg_vet_names_add(struct tg_vet_names *n, const char *name,
		     const char *latest_version, const char *last_release,
		     int64_t rank, int64_t downloads, struct tg_err *err);
/* Pick the popular names and build the look-up indexes. No add after. */
int tg_vet_names_build(struct tg_vet_names *n, struct tg_err *err);
/* Text naming the list in messages ("PyPI name list of 2026-11-23"). */
int tg_vet_names_set_list_label(struct tg_vet_names *n, const char *label,
				struct tg_err *err);
void tg_vet_names_free(struct tg_vet_names *n);

size_t tg_vet_names_count(const struct tg_vet_names *n);
size_t tg_vet_names_popular_count(const struct tg_vet_names *n);

/* Check one name (as the user wrote it: case and look-alikes matter).
 * now is the current time (seconds since 1970) for new-project. Fills
 * out (kind NAME, subject = name) with every rule that fires. Never
 * fails on odd input (empty, non-UTF-8, 10 kB names): those are reasons;
 * errors are only TG_ENOMEM. */
int tg_vet_names_check(const struct tg_vet_names *n, const char *name,
		       int64_t now, struct tg_vet_result *out,
		       struct tg_err *err);

/* ---- the database ----------------------------------------------------- */

/* Build the index for eco from the database's name list (TG_EDB with the
 * db's message when the list was not imported). */
int tg_vet_names_from_db(struct tg_db *db, enum tg_ecosystem eco,
			 const struct tg_vet_name_thresholds *t,
			 struct tg_vet_names **out, struct tg_err *err);

/* Add a `malicious` reason for each OSV MAL- advisory (not withdrawn)
 * naming eco/name; with a version, only advisories that list or cover
 * that version (an advisory without versions or ranges covers all). */
int tg_vet_names_check_malicious(struct tg_db *db, enum tg_ecosystem eco,
				 const char *name, const char *version,
				 struct tg_vet_result *out, struct tg_err *err);

#endif

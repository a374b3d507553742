/* PEP 508 dependency specifiers ("requirement lines"), as packaging's
 * Requirement parses them:
 *
 *   name [extra1, extra2] (>=1.0, <2) ; python_version < "3.11"
 *   name[extra] @ https://host/archive.zip ; sys_platform == "linux"
 *
 * The name and extras are identifiers ([A-Za-z0-9][A-Za-z0-9._-]*, ending
 * on a word boundary); the specifier is a comma-separated list of PEP 440
 * version specifiers, with or without parentheses; a URL runs to the next
 * space or tab, so a space must separate it from a following ';'. Spaces
 * and tabs may separate the parts; nothing else may (a single trailing
 * newline is tolerated, as packaging tolerates it).
 *
 * Errors name the column and what was expected there ("expected ')' to
 * close the '(' at column 6 at column 13").
 *
 * Ownership: a tg_requirement owns every string, the specifier set and
 * the marker; tg_requirement_release() frees them (safe on a zeroed or
 * released value). On failure the parse leaves *out zeroed.
 */
#ifndef TOLLGATE_PEP508_H
#define TOLLGATE_PEP508_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/markers.h"
#include "tollgate/pep440.h"

#define TG_PEP508_MAX_LENGTH (64u * 1024u) /* one requirement line */
#define TG_PEP508_MAX_EXTRAS 256

struct tg_requirement {
	char *name;          /* as written */
	char *norm_name;     /* PEP 503 normalised */
	char **extras;       /* as written, in order (duplicates kept) */
	size_t n_extras;
	char *specifier;     /* specifier text as written ("" when none),
				without parentheses or the spaces around
				commas, e.g. ">= 1.0,<2" */
	struct tg_pep440_specset spec; /* parsed; empty when none */
	char *url;           /* NULL unless "name @ url" */
	struct tg_marker *marker; /* NULL when there is no "; marker" */
};

int tg_pep508_parse(const char *s, size_t n, struct tg_requirement *out,
		    struct tg_err *err);
void tg_requirement_release(struct tg_requirement *r);

/* Append packaging's str(Requirement): name, sorted distinct extras,
 * canonical specifier set, " @ url", "; marker". */
int tg_requirement_format(const struct tg_requirement *r, struct tg_buf *out,
			  struct tg_err *err);

/* Does the requirement apply in env? true without a marker. Errors as
 * tg_marker_evaluate(). */
int tg_requirement_applies(const struct tg_requirement *r,
			   const struct tg_marker_env *env, bool *result,
			   struct tg_err *err);

#endif

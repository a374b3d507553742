/* vet: verdicts and reasons shared by the name and the content checks.
 *
 * `tollgate vet` answers "is this name, or this artifact, suspicious?"
 * before anything is installed. Each subject (a package name, an archive,
 * an unpacked directory, an installed distribution) gets one result: a
 * verdict (ok, warn, block) and the reasons behind it. A reason names the
 * rule that fired (a stable id documented in docs/vet.md), the level it
 * contributes, a sentence a user can act on and, where it applies, the
 * popular name it resembles or the file, line and excerpt it was seen at.
 *
 * Ownership: a tg_vet_result owns its strings and reasons;
 * tg_vet_result_release() frees all of it. tg_vet_result_add() copies the
 * strings it is given.
 */
#ifndef TOLLGATE_VET_H
#define TOLLGATE_VET_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/package.h"

/* Levels in increasing order; a result's verdict is the highest level of
 * its reasons, where info counts as ok. */
enum tg_vet_level {
	TG_VET_OK = 0,
	TG_VET_INFO,  /* worth knowing, never fails a run */
	TG_VET_WARN,  /* needs a look before install */
	TG_VET_BLOCK  /* do not install */
};

/* "ok", "info", "warn", "block". */
const char *tg_vet_level_name(enum tg_vet_level l);
bool tg_vet_level_parse(const char *s, enum tg_vet_level *out);

/* Cap on reasons per result: a hostile archive full of matches cannot
 * grow a report without end; the last kept reason says how many more
 * there were. */
#define TG_VET_MAX_REASONS 500
/* Excerpts are one line, printable ASCII, at most this many bytes. */
#define TG_VET_EXCERPT_MAX 120

struct tg_vet_reason {
	char *rule;        /* stable rule id: "typosquat", "exfil-webhook" */
	enum tg_vet_level level;
	char *message;     /* one sentence for a person */
	char *similar_to;  /* name rules: the name it resembles, or NULL */
	char *path;        /* content rules: member path, or NULL */
	unsigned long line;/* 1-based line in path (text), 0 when none */
	char *excerpt;     /* sanitised, capped, or NULL */
};

enum tg_vet_subject_kind {
	TG_VET_SUBJECT_NAME = 0,
	TG_VET_SUBJECT_ARTIFACT
};

struct tg_vet_result {
	enum tg_vet_subject_kind kind;
	enum tg_ecosystem eco;
	char *subject;   /* the name or the path as the user gave it */
	char *name;      /* package name found (metadata) or checked */
	char *version;   /* version found in metadata, or NULL */
	char *artifact;  /* "wheel", "sdist", "npm", "nupkg", "directory",
			  * "installed"; NULL for names */
	char *repository;/* source repository URL from the metadata, or NULL */
	enum tg_vet_level verdict;
	struct tg_vet_reason *reasons;
	size_t n_reasons;
	size_t cap_reasons;
	size_t n_dropped; /* reasons not kept because of TG_VET_MAX_REASONS */
};

void tg_vet_result_init(struct tg_vet_result *r);
void tg_vet_result_release(struct tg_vet_result *r);
/* Copy *tmpl into r (strings duplicated, excerpt sanitised and capped) and
 * raise the verdict. Past TG_VET_MAX_REASONS the reason is counted in
 * n_dropped and 0 is returned. */
int tg_vet_result_add(struct tg_vet_result *r, const struct tg_vet_reason *tmpl,
		      struct tg_err *err);
/* printf-style convenience for reasons without similar_to/path. */
int tg_vet_result_addf(struct tg_vet_result *r, const char *rule,
		       enum tg_vet_level level, struct tg_err *err,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* True when some reason has this rule id. */
bool tg_vet_result_has(const struct tg_vet_result *r, const char *rule);
/* Set a string field (subject, name, version, artifact) to a copy of s. */
int tg_vet_result_set(char **field, const char *s, struct tg_err *err);

/* Write s[0..n) into out (outsz >= 4) as one printable line: control
 * characters, bidi and zero-width code points and invalid UTF-8 become
 * '?', runs of white space one space; cut with "..." when longer than
 * outsz-1 bytes. Well-formed printable UTF-8 is kept (a look-alike letter
 * is evidence). */
void tg_vet_sanitize(const char *s, size_t n, char *out, size_t outsz);

#endif

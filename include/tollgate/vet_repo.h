/* vet: source-repository URLs and repojacking.
 *
 * Package metadata often points at a GitHub repository (npm "repository",
 * PyPI Project-URL / Home-page). Two risks follow:
 *   - the URL names a repository unrelated to the package (a copied
 *     README, a squat borrowing a famous project's credibility): rule
 *     homepage-mismatch, a weak signal (warn);
 *   - the owner or the repository no longer exists, or was renamed, so
 *     someone can register the old name and serve code users trust:
 *     rule repojacking, checked only with --online (HTTP to the GitHub
 *     API through libcurl).
 *
 * tg_vet_repo_decide() holds the decision logic and needs no network; the
 * tests drive it, and tg_vet_repo_check(), against a loopback server.
 */
#ifndef TOLLGATE_VET_REPO_H
#define TOLLGATE_VET_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/vet.h"

struct tg_vet_repo {
	char host[64];   /* "github.com", "gitlab.com", "bitbucket.org" */
	char owner[128];
	char name[128];  /* repository name, without ".git" */
};

/* Parse the forms found in metadata: https://github.com/o/r(.git)(/...),
 * git+https://, git://, ssh://git@, git@github.com:o/r.git and npm's
 * "github:o/r" / bare "o/r" shorthand. Only github.com, gitlab.com and
 * bitbucket.org are recognised; anything else gives false. */
bool tg_vet_repo_parse(const char *url, struct tg_vet_repo *out);

/* True when the package name and the repository plausibly belong
 * together: the name (separators dropped, a py-/python-/-js/node- affix
 * removed) occurs in owner+name, or a 3+ letter token of one occurs in the
 * other. npm scopes count as tokens ("@babel/core" fits babel/babel). */
bool tg_vet_repo_resembles(const char *package, const struct tg_vet_repo *r);

enum tg_vet_repo_state {
	TG_REPO_OK = 0,      /* 200: the repository is where metadata says */
	TG_REPO_MISSING,     /* 404: owner or repository gone: can be claimed */
	TG_REPO_RENAMED,     /* 301/302/307/308 to another owner/name */
	TG_REPO_UNKNOWN      /* rate-limited, 5xx, network error: no verdict */
};

const char *tg_vet_repo_state_name(enum tg_vet_repo_state s);

/* Decide from one HTTP answer to GET <api>/repos/OWNER/NAME. location is
 * the Location header (redirects) or NULL; for a redirect the new
 * owner/name is parsed from it into renamed_to (may be NULL). A redirect
 * that only changes letter case is OK. */
enum tg_vet_repo_state tg_vet_repo_decide(long http_status, const char *location,
					  const struct tg_vet_repo *asked,
					  struct tg_vet_repo *renamed_to);

/* Ask the API (api_base such as "https://api.github.com"; tests pass a
 * loopback URL) about one repository, without following redirects.
 * timeout_s caps the whole request. TG_ENET only when no HTTP answer came
 * at all; an answer always yields a state. */
int tg_vet_repo_check(const char *api_base, const struct tg_vet_repo *repo,
		      long timeout_s, enum tg_vet_repo_state *state,
		      struct tg_vet_repo *renamed_to, long *http_status,
		      struct tg_err *err);

/* Add the repojacking reason for a state to res (nothing for OK). */
int tg_vet_repo_reason(struct tg_vet_result *res, const char *url,
		       enum tg_vet_repo_state state,
		       const struct tg_vet_repo *renamed_to, long http_status,
		       struct tg_err *err);

#endif

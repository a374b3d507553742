/* Repojacking: does the repository a package links to still exist?
 *
 * GitHub answers GET /repos/OWNER/NAME with 200 when it exists, 404 when
 * the owner or the repository is gone (the name can be registered again
 * by anyone), and a 301 to /repositories/ID when it was renamed or
 * transferred (the old name becomes claimable once the redirect is
 * broken). Redirects are not followed: the redirect is the evidence.
 */
#include "tollgate/vet_repo.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"
#include "lazy/lazy.h"

static const char *const state_names[] = { "ok", "missing", "renamed", "unknown" };

const char *tg_vet_repo_state_name(enum tg_vet_repo_state s)
{
	if ((unsigned)s < sizeof(state_names) / sizeof(state_names[0]))
		return state_names[s];
	return "?";
}

/* Location forms: https://api.github.com/repos/O/N, .../repositories/ID,
 * https://github.com/O/N. */
static bool parse_location(const char *loc, struct tg_vet_repo *out)
{
	const char *r = strstr(loc, "/repos/");

	memset(out, 0, sizeof(*out));
	if (r) {
		char url[600];
		snprintf(url, sizeof(url), "https://github.com/%s", r + 7);
		return tg_vet_repo_parse(url, out);
	}
	return tg_vet_repo_parse(loc, out);
}

enum tg_vet_repo_state tg_vet_repo_decide(long http_status, const char *location,
					  const struct tg_vet_repo *asked,
					  struct tg_vet_repo *renamed_to)
{
	struct tg_vet_repo to;

	if (renamed_to)
		memset(renamed_to, 0, sizeof(*renamed_to));
	if (http_status == 200)
		return TG_REPO_OK;
	if (http_status == 404 || http_status == 410)
		return TG_REPO_MISSING;
	if (http_status == 301 || http_status == 302 || http_status == 307 ||
	    http_status == 308) {
		if (location && parse_location(location, &to)) {
			if (tg_ascii_casecmp(to.owner, asked->owner) == 0 &&
			    tg_ascii_casecmp(to.name, asked->name) == 0)
				return TG_REPO_OK;
			if (renamed_to)
				*renamed_to = to;
		}
		/* A redirect to /repositories/ID still means "moved". */
		return TG_REPO_RENAMED;
	}
	return TG_REPO_UNKNOWN;
}

struct headers {
	char location[1024];
};

static size_t header_cb(char *buf, size_t size, size_t n, void *user)
{
	struct headers *h = user;
	size_t len = size * n;

	if (len > 9 && tg_ascii_ncasecmp(buf, "Location:", 9) == 0) {
		size_t i = 9, o = 0;
		while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		while (i < len && buf[i] != '\r' && buf[i] != '\n' &&
		       o + 1 < sizeof(h->location))
			h->location[o++] = buf[i++];
		h->location[o] = '\0';
	}
	return len;
}

static size_t discard_cb(char *buf, size_t size, size_t n, void *user)
{
	size_t *total = user;

	(void)buf;
	*total += size * n;
	/* The body is not needed; stop a server that sends without end. */
	return *total > (1u << 20) ? 0 : size * n;
}

int tg_vet_repo_check(const char *api_base, const struct tg_vet_repo *repo,
		      long timeout_s, enum tg_vet_repo_state *state,
		      struct tg_vet_repo *renamed_to, long *http_status,
		      struct tg_err *err)
{
	struct headers h = { { 0 } };
	char url[1024];
	size_t body = 0;
	long status = 0;
	CURL *c;
	CURLcode cc;
	int rc;

	*state = TG_REPO_UNKNOWN;
	if (http_status)
		*http_status = 0;
	snprintf(url, sizeof(url), "%s/repos/%s/%s", api_base, repo->owner, repo->name);
	if ((rc = tg_lazy_require(TG_LAZY_CURL, "the repository check", err)))
		return rc;
	c = curl_easy_init();
	if (!c)
		return tg_err_set(err, TG_ENOMEM, "cannot start an HTTP client");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 15L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "tollgate-vet");
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK || cc == CURLE_WRITE_ERROR)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (status == 0)
		return tg_err_set(err, TG_ENET, "%s: %s", url, curl_easy_strerror(cc));
	if (http_status)
		*http_status = status;
	*state = tg_vet_repo_decide(status, h.location[0] ? h.location : NULL, repo,
				    renamed_to);
	return 0;
}

int tg_vet_repo_reason(struct tg_vet_result *res, const char *url,
		       enum tg_vet_repo_state state,
		       const struct tg_vet_repo *renamed_to, long http_status,
		       struct tg_err *err)
{
	struct tg_vet_reason r = { .rule = "repojacking", .excerpt = (char *)url };
	char msg[600];

	switch (state) {
	case TG_REPO_OK:
		return 0;
	case TG_REPO_MISSING:
		r.level = TG_VET_BLOCK;
		snprintf(msg, sizeof(msg), "the repository linked from the metadata does "
			 "not exist (HTTP %ld): anyone can register that owner/name and "
			 "serve code under it", http_status);
		break;
	case TG_REPO_RENAMED:
		r.level = TG_VET_WARN;
		if (renamed_to && renamed_to->owner[0])
			snprintf(msg, sizeof(msg), "the repository moved to %s/%s (HTTP %ld): "
				 "the old name can be re-registered and would then shadow the "
				 "redirect", renamed_to->owner, renamed_to->name, http_status);
		else
			snprintf(msg, sizeof(msg), "the repository was renamed or transferred "
				 "(HTTP %ld redirect): the old name can be re-registered",
				 http_status);
		break;
	default:
		r.level = TG_VET_INFO;
		snprintf(msg, sizeof(msg), "could not tell whether the repository exists "
			 "(HTTP %ld)", http_status);
		break;
	}
	r.message = msg;
	return tg_vet_result_add(res, &r, err);
}

/* The Python "simple" repository API: PEP 503 HTML and PEP 691 JSON
 * project pages, with the PEP 592 (yanked), PEP 658/714 (core metadata),
 * PEP 700 (versions, size, upload-time) and PEP 740 (provenance) fields.
 *
 * The proxy parses what an upstream index serves into this model, filters
 * it by policy, and renders it back in whichever form the client asked
 * for. Only what the upstream said is kept: an unknown size or upload time
 * stays unknown (-1 / NULL) rather than being made up.
 *
 * Ownership: a tg_simple_project owns its files and every string in them;
 * tg_simple_project_release() frees everything.
 */
#ifndef TOLLGATE_SIMPLE_INDEX_H
#define TOLLGATE_SIMPLE_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/package.h"

struct tg_simple_file {
	char *filename;
	char *url;              /* absolute URL (resolved against the page) */
	struct tg_hash_pin *hashes; /* from #alg=hex or "hashes" */
	size_t n_hashes;
	char *requires_python;  /* or NULL */
	bool yanked;
	char *yanked_reason;    /* or NULL (yanked without reason) */
	/* Core metadata (PEP 658/714): present = a .metadata file exists. */
	bool core_metadata;
	struct tg_hash_pin *metadata_hashes;
	size_t n_metadata_hashes;
	long long size;         /* bytes, or -1 when the upstream did not say */
	char *upload_time;      /* ISO 8601 as given, or NULL */
	char *provenance;       /* PEP 740 provenance URL, or NULL */
	char *gpg_sig;          /* "true"/"false" as given (HTML), or NULL */
};

struct tg_simple_project {
	char *name;             /* as the upstream spelled it */
	char *api_version;      /* meta.api-version, e.g. "1.1", or NULL */
	struct tg_simple_file *files;
	size_t n_files;
	size_t cap_files;
	char **versions;        /* PEP 700 "versions", or NULL when absent */
	size_t n_versions;
	bool has_versions;
	char *tracks;           /* PEP 708 meta (kept for completeness) */
};

/* Caps on what an upstream page may contain. */
#define TG_SIMPLE_MAX_FILES 200000
#define TG_SIMPLE_MAX_PAGE ((size_t)256 << 20)

void tg_simple_project_init(struct tg_simple_project *p);
void tg_simple_project_release(struct tg_simple_project *p);

/* Parse a PEP 691 JSON project page. base_url resolves relative URLs
 * (may be NULL when all URLs are absolute). origin names the input in
 * errors. */
int tg_simple_parse_json(const char *data, size_t len, const char *base_url,
			 const char *origin, struct tg_simple_project *out,
			 struct tg_err *err);

/* Parse a PEP 503 HTML project page (anchors with data-* attributes). */
int tg_simple_parse_html(const char *data, size_t len, const char *base_url,
			 const char *origin, const char *project_name,
			 struct tg_simple_project *out, struct tg_err *err);

/* Project list pages (/simple/): names only. *names is a heap array of
 * heap strings (free each, then the array). */
int tg_simple_parse_index_json(const char *data, size_t len, const char *origin,
			       char ***names, size_t *n, struct tg_err *err);
int tg_simple_parse_index_html(const char *data, size_t len, const char *origin,
			       char ***names, size_t *n, struct tg_err *err);

/* Rendering. file_url(file, ctx) returns the URL a client should fetch the
 * file from (the proxy's own /files/ URL); it returns a heap string. */
typedef char *(*tg_simple_url_fn)(const struct tg_simple_file *f, void *ctx);

int tg_simple_render_json(const struct tg_simple_project *p,
			  tg_simple_url_fn file_url, void *ctx,
			  struct tg_buf *out, struct tg_err *err);
int tg_simple_render_html(const struct tg_simple_project *p,
			  tg_simple_url_fn file_url, void *ctx,
			  struct tg_buf *out, struct tg_err *err);
int tg_simple_render_index_json(char *const *names, size_t n,
				struct tg_buf *out, struct tg_err *err);
int tg_simple_render_index_html(char *const *names, size_t n,
				struct tg_buf *out, struct tg_err *err);

/* Content negotiation (PEP 691): which representation to serve for an
 * Accept header (NULL or empty = HTML, the PEP 503 default). */
enum tg_simple_format {
	TG_SIMPLE_HTML,        /* text/html */
	TG_SIMPLE_HTML_V1,     /* application/vnd.pypi.simple.v1+html */
	TG_SIMPLE_JSON_V1,     /* application/vnd.pypi.simple.v1+json */
	TG_SIMPLE_UNACCEPTABLE /* nothing acceptable: 406 */
};
enum tg_simple_format tg_simple_negotiate(const char *accept);
const char *tg_simple_content_type(enum tg_simple_format f);
/* True when accept names a PyPI Simple API media type (v1 or latest, JSON
 * or HTML) with a non-zero q: what package installers send (pip >= 22.2,
 * uv), and browsers or curl do not. */
bool tg_simple_accept_names_api(const char *accept);

/* Remove file i (keeps order). */
void tg_simple_remove_file(struct tg_simple_project *p, size_t i);

#endif

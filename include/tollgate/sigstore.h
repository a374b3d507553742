/* Offline Sigstore bundle verification (libcrypto + jansson).
 *
 * A bundle (application/vnd.dev.sigstore.bundle+json;version=0.1..0.3 or
 * application/vnd.dev.sigstore.bundle.v0.3+json) carries a signature over an
 * artifact (messageSignature) or a DSSE envelope, the signer's Fulcio
 * certificate (or a key hint), Rekor transparency-log entries and optional
 * RFC 3161 timestamps. tg_sigstore_verify() checks all of it against a
 * trusted root (trusted_root.json) without the network:
 *
 *   bundle      media type, shape, sizes
 *   tlog        log key known and valid at the entry's time; entry body
 *               equals the bundle's content; signed entry timestamp (SET);
 *               RFC 6962 inclusion proof against the signed checkpoint
 *   timestamp   RFC 3161 tokens from a trusted TSA, over the signature
 *   certificate chain to a Fulcio CA valid at every verified time
 *   SCT         embedded signed certificate timestamp from a known CT log
 *   signature   over the artifact digest, or over the DSSE PAE; an in-toto
 *               subject must carry the artifact's SHA-256
 *   identity    SAN exact/regex, OIDC issuer, GitHub repository/ref/workflow
 *
 * A failed check returns TG_EVERIFY with a message that starts with the
 * check's name ("tlog inclusion proof: computed root does not match
 * checkpoint"). A bundle that cannot be parsed returns TG_EPARSE.
 *
 * Ownership: tg_sigstore_root_free() frees a root; a tg_sigstore_result
 * owns its strings and payload (tg_sigstore_result_release()).
 */
#ifndef TOLLGATE_SIGSTORE_H
#define TOLLGATE_SIGSTORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "tollgate/err.h"

#define TG_SIGSTORE_MAX_BUNDLE ((size_t)8 << 20)
#define TG_SIGSTORE_MAX_ROOT ((size_t)4 << 20)

struct tg_sigstore_root;

/* Parse trusted_root.json bytes (origin names it in errors). */
int tg_sigstore_root_load(const char *data, size_t len, const char *origin,
			  struct tg_sigstore_root **out, struct tg_err *err);
/* Read and parse a trusted_root.json file; path NULL loads the shipped
 * production root (see tg_sigstore_default_root_path()). */
int tg_sigstore_root_load_file(const char *path, struct tg_sigstore_root **out,
			       struct tg_err *err);
void tg_sigstore_root_free(struct tg_sigstore_root *root);
/* The shipped Sigstore public-good root: $TOLLGATE_TRUSTED_ROOT if set, else
 * the installed copy, else the source tree's rules/trusted_root/. */
const char *tg_sigstore_default_root_path(void);

/* What was signed. The SHA-256 digest is always required; data is optional
 * (NULL when only "sha256:<hex>" is known). */
struct tg_sigstore_artifact {
	unsigned char sha256[32];
	const unsigned char *data;
	size_t len;
};

struct tg_sigstore_policy {
	const char *identity;       /* exact SAN (URI, email) */
	const char *identity_regex; /* POSIX ERE searched in the SAN */
	const char *issuer;         /* exact OIDC issuer */
	const char *repository;     /* GitHub/GitLab "owner/repo" */
	const char *ref;            /* "refs/tags/v1" or "refs/heads/main" */
	const char *workflow;       /* "release.yml" or ".github/workflows/release.yml" */
	/* Managed key instead of a certificate identity: PEM public key. */
	const char *key_pem;
	size_t key_pem_len;
	time_t now;                 /* 0 = time(NULL); for "in the future" */
};

/* Facts about a verified bundle, for reports and further policy. */
struct tg_sigstore_result {
	char *san;              /* certificate SAN (URI or email) */
	char *issuer;           /* OIDC issuer (.1.8, else .1.1) */
	char *source_repo_uri;  /* .1.12 */
	char *source_repo_ref;  /* .1.14 */
	char *source_digest;    /* .1.13 */
	char *build_config_uri; /* .1.18 */
	char *build_signer_uri; /* .1.9 */
	char *run_uri;          /* .1.21 */
	char *gh_repository;    /* .1.5 (legacy) */
	char *gh_workflow_ref;  /* .1.6 (legacy) */
	time_t signed_at;       /* earliest verified time */
	unsigned n_tlog;        /* tlog entries verified */
	unsigned n_timestamps;  /* RFC 3161 timestamps verified */
	bool dsse;
	char *payload_type;     /* DSSE payloadType */
	unsigned char *payload; /* DSSE payload (the statement) */
	size_t payload_len;
};

void tg_sigstore_result_init(struct tg_sigstore_result *r);
void tg_sigstore_result_release(struct tg_sigstore_result *r);

/* Verify bundle bytes against root, artifact and policy. */
int tg_sigstore_verify(const struct tg_sigstore_root *root, const char *bundle,
		       size_t len, const char *origin,
		       const struct tg_sigstore_artifact *art,
		       const struct tg_sigstore_policy *pol,
		       struct tg_sigstore_result *res, struct tg_err *err);

/* Same, for a bundle already loaded as JSON (borrowed). */
int tg_sigstore_verify_json(const struct tg_sigstore_root *root,
			    const json_t *bundle, const char *origin,
			    const struct tg_sigstore_artifact *art,
			    const struct tg_sigstore_policy *pol,
			    struct tg_sigstore_result *res, struct tg_err *err);

/* Parse "sha256:<64 hex>"; false if s is not of that form. */
bool tg_sigstore_parse_digest(const char *s, unsigned char out[32]);

/* DSSE pre-authentication encoding: "DSSEv1 <len> <type> <len> <body>",
 * appended to out (a tg_buf *). */
struct tg_buf;
int tg_dsse_pae(const char *type, const unsigned char *body, size_t len,
		struct tg_buf *out, struct tg_err *err);

/* RFC 6962 / 9162 Merkle audit path check: does leaf_hash at index in a
 * tree of tree_size leaves hash up to root along path (n hashes)? */
bool tg_merkle_verify_inclusion(uint64_t index, uint64_t tree_size,
				const unsigned char leaf_hash[32],
				const unsigned char (*path)[32], size_t n,
				const unsigned char root[32]);

#endif

/* PEP 740 attestations and PyPI provenance objects.
 *
 * An attestation ({"version":1, "verification_material":{certificate,
 * transparency_entries}, "envelope":{statement, signature}}) is a Sigstore
 * DSSE bundle in another shape: it is verified with tg_sigstore_verify_json()
 * and then its in-toto statement must name exactly the distribution file
 * (wheel names compared after parsing, so compressed tag sets may be
 * written in any order; sdist names after PEP 503 normalisation) with its
 * SHA-256. A provenance object (what PyPI serves under /integrity/) holds
 * attestation bundles, each with the Trusted Publisher that PyPI recorded;
 * that publisher must agree with the signing certificate.
 *
 * Ownership: results own their strings; release them with the *_release
 * functions.
 */
#ifndef TOLLGATE_VERIFY_ATTEST_H
#define TOLLGATE_VERIFY_ATTEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/sigstore.h"

#define TG_ATTEST_MAX_BYTES ((size_t)8 << 20)
#define TG_ATTEST_MAX_ATTESTATIONS 64

/* The distribution being checked: its file name and SHA-256. */
struct tg_dist_ref {
	const char *filename; /* base name, e.g. "pkg-1.0-py3-none-any.whl" */
	unsigned char sha256[32];
};

struct tg_attest_result {
	struct tg_sigstore_result sig; /* signer facts (identity, times) */
	char *subject_name;
	char *predicate_type;
	/* SLSA provenance facts, when the predicate is SLSA (v1 or v0.2). */
	char *slsa_builder_id;
	char *slsa_source_repo;
	char *slsa_source_ref;
	char *slsa_source_digest; /* "gitCommit:<hex>" or "sha1:<hex>" */
	char *slsa_config_path;   /* workflow path */
	/* For provenance objects: the publisher PyPI recorded. */
	char *publisher_kind;
	char *publisher_repository;
	char *publisher_workflow;
	char *publisher_environment;
};

void tg_attest_result_init(struct tg_attest_result *r);
void tg_attest_result_release(struct tg_attest_result *r);

/* Verify one attestation (bytes) for dist under pol. */
int tg_attestation_verify(const struct tg_sigstore_root *root, const char *data,
			  size_t len, const char *origin, const struct tg_dist_ref *dist,
			  const struct tg_sigstore_policy *pol,
			  struct tg_attest_result *res, struct tg_err *err);
int tg_attestation_verify_json(const struct tg_sigstore_root *root, const json_t *att,
			       const char *origin, const struct tg_dist_ref *dist,
			       const struct tg_sigstore_policy *pol,
			       struct tg_attest_result *res, struct tg_err *err);

/* Verify every attestation of a provenance object. On success *out is an
 * array of *n results (free each with tg_attest_result_release, then the
 * array with free()). Fails on the first attestation that does not verify
 * or whose publisher disagrees with its certificate. */
int tg_provenance_verify(const struct tg_sigstore_root *root, const char *data,
			 size_t len, const char *origin, const struct tg_dist_ref *dist,
			 const struct tg_sigstore_policy *pol,
			 struct tg_attest_result **out, size_t *n, struct tg_err *err);

/* Do two distribution file names denote the same distribution? */
bool tg_dist_names_equal(const char *a, const char *b);

#endif

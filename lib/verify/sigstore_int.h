/* Internal types shared by the Sigstore verification files. */
#ifndef TG_VERIFY_SIGSTORE_INT_H
#define TG_VERIFY_SIGSTORE_INT_H

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/sigstore.h"

#define SG_MAX_TLOG 8
#define SG_MAX_TSA 8
#define SG_MAX_PROOF 64
#define SG_MAX_CHAIN 8
#define SG_MAX_KEYS 64

struct sg_range {
	time_t start;
	time_t end;
	bool has_end; /* open-ended when false */
};

struct sg_log {
	EVP_PKEY *key;
	unsigned char id[64];
	size_t id_len;
	struct sg_range valid;
	char *base_url;
};

struct sg_authority {
	STACK_OF(X509) *chain; /* leaf first, root last */
	struct sg_range valid;
	char *uri;
};

struct tg_sigstore_root {
	struct sg_log *tlogs;
	size_t n_tlogs;
	struct sg_log *ctlogs;
	size_t n_ctlogs;
	struct sg_authority *cas;
	size_t n_cas;
	struct sg_authority *tsas;
	size_t n_tsas;
};

struct sg_tlog {
	int64_t log_index;
	unsigned char log_id[64];
	size_t log_id_len;
	char kind[32];
	char version[16];
	int64_t integrated_time;
	struct tg_buf set;       /* inclusionPromise.signedEntryTimestamp */
	bool has_proof;
	int64_t proof_index;
	int64_t tree_size;
	unsigned char root_hash[32];
	unsigned char (*hashes)[32];
	size_t n_hashes;
	char *checkpoint;
	struct tg_buf body;      /* canonicalizedBody, decoded */
	const char *body_b64;    /* borrowed from the JSON */
};

struct sg_bundle {
	int minor;               /* 1, 2 or 3 */
	X509 *leaf;              /* NULL for key-signed bundles */
	bool key_hint;           /* verificationMaterial.publicKey */
	struct sg_tlog tlog[SG_MAX_TLOG];
	size_t n_tlog;
	struct tg_buf tsa[SG_MAX_TSA];
	size_t n_tsa;
	bool dsse;
	/* messageSignature */
	bool has_digest;
	unsigned char digest[64];
	size_t digest_len;
	struct tg_buf sig;       /* message signature or the DSSE signature */
	/* dsseEnvelope */
	struct tg_buf payload;
	char *payload_type;
};

void sg_bundle_init(struct sg_bundle *b);
void sg_bundle_release(struct sg_bundle *b);
int sg_bundle_parse(const json_t *j, const char *origin, struct sg_bundle *b,
		    struct tg_err *err);

/* RFC 3339 "2021-01-12T11:53:27Z" (fraction ignored) to time_t. */
bool sg_parse_time(const char *s, time_t *out);
bool sg_in_range(const struct sg_range *r, time_t t);

/* Signature over data with key; for EC the digest follows the curve
 * (P-256 SHA-256, P-384 SHA-384), Ed25519 signs raw data. */
bool sg_verify_data(EVP_PKEY *key, const unsigned char *data, size_t len,
		    const unsigned char *sig, size_t siglen);
/* Signature over a precomputed digest (SHA-256/384/512 by length). */
bool sg_verify_digest(EVP_PKEY *key, const unsigned char *dig, size_t dlen,
		      const unsigned char *sig, size_t siglen);

/* Standard base64 of a JSON string member into out; err names what. */
int sg_b64_member(const json_t *obj, const char *key, const char *what,
		  struct tg_buf *out, struct tg_err *err);
/* Parse a JSON int64 given as a string or a number. */
bool sg_json_int64(const json_t *v, int64_t *out);

/* tlog checks: the log is trusted, its promise (SET) and proof (inclusion
 * proof under a signed checkpoint) hold; *time_verified when the SET made
 * the integrated time trustworthy. */
int sg_tlog_verify(const struct tg_sigstore_root *root, const struct sg_bundle *b,
		   const struct sg_tlog *e, time_t now, bool *time_verified,
		   struct tg_err *err);
/* Was the entry's log key valid at t (for entries timed by a TSA)? */
bool sg_tlog_valid_at(const struct tg_sigstore_root *root, const struct sg_tlog *e, time_t t);
/* The entry's body describes this bundle's signature, key and artifact. */
int sg_tlog_match_body(const struct sg_bundle *b, const struct sg_tlog *e,
		       const unsigned char art_digest[32], EVP_PKEY *signer_key,
		       struct tg_err *err);
/* RFC 3161 token over sig; *t gets the verified genTime. */
int sg_tsa_verify(const struct tg_sigstore_root *root, const struct tg_buf *token,
		  const struct tg_buf *sig, time_t *t, struct tg_err *err);
/* Embedded SCT checks for leaf issued by issuer. */
int sg_sct_verify(const struct tg_sigstore_root *root, X509 *leaf, X509 *issuer,
		  struct tg_err *err);
/* Fulcio extension value as text (raw or DER UTF8String), heap or NULL. */
char *sg_cert_ext_text(X509 *cert, const char *oid, bool der_string);
/* First URI or email SAN, heap or NULL. */
char *sg_cert_san(X509 *cert);

#endif

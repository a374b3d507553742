/* The order of Sigstore bundle verification, and the identity policy. */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/str.h"
#include "verify/sigstore_int.h"

#define OID_ISSUER_V1 "1.3.6.1.4.1.57264.1.1"
#define OID_GH_REPOSITORY "1.3.6.1.4.1.57264.1.5"
#define OID_GH_REF "1.3.6.1.4.1.57264.1.6"
#define OID_ISSUER_V2 "1.3.6.1.4.1.57264.1.8"
#define OID_BUILD_SIGNER_URI "1.3.6.1.4.1.57264.1.9"
#define OID_SOURCE_REPO_URI "1.3.6.1.4.1.57264.1.12"
#define OID_SOURCE_DIGEST "1.3.6.1.4.1.57264.1.13"
#define OID_SOURCE_REF "1.3.6.1.4.1.57264.1.14"
#define OID_BUILD_CONFIG_URI "1.3.6.1.4.1.57264.1.18"
#define OID_RUN_URI "1.3.6.1.4.1.57264.1.21"

void tg_sigstore_result_init(struct tg_sigstore_result *r)
{
	memset(r, 0, sizeof(*r));
}

void tg_sigstore_result_release(struct tg_sigstore_result *r)
{
	free(r->san);
	free(r->issuer);
	free(r->source_repo_uri);
	free(r->source_repo_ref);
	free(r->source_digest);
	free(r->build_config_uri);
	free(r->build_signer_uri);
	free(r->run_uri);
	free(r->gh_repository);
	free(r->gh_workflow_ref);
	free(r->payload_type);
	free(r->payload);
	memset(r, 0, sizeof(*r));
}

bool tg_sigstore_parse_digest(const char *s, unsigned char out[32])
{
	if (!s || strncmp(s, "sha256:", 7) != 0 || strlen(s + 7) != 64)
		return false;
	return tg_hex_decode(s + 7, 64, out, 32);
}

int tg_dsse_pae(const char *type, const unsigned char *body, size_t len,
		struct tg_buf *out, struct tg_err *err)
{
	int rc;

	if ((rc = tg_buf_addf(out, err, "DSSEv1 %zu %s %zu ", strlen(type), type, len)))
		return rc;
	return tg_buf_add(out, body, len, err);
}

/* ---- certificate chain ---- */

static int verify_chain_at(const struct tg_sigstore_root *root, X509 *leaf, time_t t,
			   X509 **issuer_out, struct tg_err *err)
{
	size_t i;
	int last_err = 0;
	bool any_ca = false;

	for (i = 0; i < root->n_cas; i++) {
		const struct sg_authority *ca = &root->cas[i];
		X509_STORE *store;
		X509_STORE_CTX *ctx;
		STACK_OF(X509) *untrusted;
		int n = sk_X509_num(ca->chain), k, ok;

		if (!sg_in_range(&ca->valid, t))
			continue;
		any_ca = true;
		store = X509_STORE_new();
		ctx = X509_STORE_CTX_new();
		untrusted = sk_X509_new_null();
		if (!store || !ctx || !untrusted) {
			X509_STORE_free(store);
			X509_STORE_CTX_free(ctx);
			sk_X509_free(untrusted);
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
		for (k = 0; k < n; k++) {
			if (k == n - 1)
				X509_STORE_add_cert(store, sk_X509_value(ca->chain, k));
			else
				sk_X509_push(untrusted, sk_X509_value(ca->chain, k));
		}
		ok = X509_STORE_CTX_init(ctx, store, leaf, untrusted) == 1;
		if (ok) {
			X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), t);
			ok = X509_verify_cert(ctx) == 1;
			if (ok) {
				STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);

				*issuer_out = sk_X509_num(chain) > 1 ? X509_dup(sk_X509_value(chain, 1))
								      : NULL;
			} else {
				last_err = X509_STORE_CTX_get_error(ctx);
			}
		}
		X509_STORE_CTX_free(ctx);
		X509_STORE_free(store);
		sk_X509_free(untrusted);
		ERR_clear_error();
		if (ok)
			return 0;
	}
	if (!any_ca)
		return tg_err_set(err, TG_EVERIFY,
				  "certificate chain: no Fulcio CA in the trusted root is valid at "
				  "the signing time");
	return tg_err_set(err, TG_EVERIFY, "certificate chain: %s at the signing time",
			  last_err ? X509_verify_cert_error_string(last_err)
				   : "does not lead to a trusted Fulcio CA");
}

/* ---- identity policy ---- */

/* "https://host/owner/repo..." -> "owner/repo" (heap), or NULL. */
static char *repo_from_uri(const char *uri)
{
	const char *p, *a, *b;

	if (!uri || !(p = strstr(uri, "://")))
		return NULL;
	a = strchr(p + 3, '/');
	if (!a)
		return NULL;
	a++;
	b = strchr(a, '/');
	if (!b)
		return NULL;
	b = strchr(b + 1, '/');
	return tg_strndup(a, b ? (size_t)(b - a) : strcspn(a, "@"));
}

/* Workflow path inside the repository from a build config URI or SAN:
 * "https://github.com/o/r/.github/workflows/x.yml@refs/..." -> ".github/workflows/x.yml". */
static char *workflow_from_uri(const char *uri, const char *repo)
{
	const char *p, *rest, *at;

	if (!uri || !repo || !(p = strstr(uri, "://")) || !(p = strchr(p + 3, '/')))
		return NULL;
	p++;
	if (tg_ascii_ncasecmp(p, repo, strlen(repo)) != 0 || p[strlen(repo)] != '/')
		return NULL;
	rest = p + strlen(repo) + 1;
	while (*rest == '/')
		rest++;
	at = strchr(rest, '@');
	return tg_strndup(rest, at ? (size_t)(at - rest) : strlen(rest));
}

static bool workflow_matches(const char *have, const char *want)
{
	const char *base;

	if (!have)
		return false;
	if (strcmp(have, want) == 0)
		return true;
	if (strchr(want, '/'))
		return false;
	base = strrchr(have, '/');
	return base && strcmp(base + 1, want) == 0;
}

static int check_identity(X509 *leaf, const struct tg_sigstore_policy *pol,
			  struct tg_sigstore_result *res, struct tg_err *err)
{
	char *repo = NULL, *wf = NULL;
	int rc = 0;

	res->san = sg_cert_san(leaf);
	res->issuer = sg_cert_ext_text(leaf, OID_ISSUER_V2, true);
	if (!res->issuer)
		res->issuer = sg_cert_ext_text(leaf, OID_ISSUER_V1, false);
	res->gh_repository = sg_cert_ext_text(leaf, OID_GH_REPOSITORY, false);
	res->gh_workflow_ref = sg_cert_ext_text(leaf, OID_GH_REF, false);
	res->build_signer_uri = sg_cert_ext_text(leaf, OID_BUILD_SIGNER_URI, true);
	res->source_repo_uri = sg_cert_ext_text(leaf, OID_SOURCE_REPO_URI, true);
	res->source_digest = sg_cert_ext_text(leaf, OID_SOURCE_DIGEST, true);
	res->source_repo_ref = sg_cert_ext_text(leaf, OID_SOURCE_REF, true);
	res->build_config_uri = sg_cert_ext_text(leaf, OID_BUILD_CONFIG_URI, true);
	res->run_uri = sg_cert_ext_text(leaf, OID_RUN_URI, true);

	if (!pol->identity && !pol->identity_regex && !pol->repository)
		return tg_err_set(err, TG_EVERIFY,
				  "identity: no identity policy given (an identity, an identity "
				  "regex or a repository)");
	if (pol->identity && (!res->san || strcmp(res->san, pol->identity) != 0))
		return tg_err_set(err, TG_EVERIFY, "identity: SAN %s does not match %s",
				  res->san ? res->san : "(none)", pol->identity);
	if (pol->identity_regex) {
		regex_t re;
		int m;

		if (regcomp(&re, pol->identity_regex, REG_EXTENDED | REG_NOSUB) != 0)
			return tg_err_set(err, TG_EUSAGE, "identity: bad regular expression '%s'",
					  pol->identity_regex);
		m = res->san ? regexec(&re, res->san, 0, NULL, 0) : REG_NOMATCH;
		regfree(&re);
		if (m != 0)
			return tg_err_set(err, TG_EVERIFY, "identity: SAN %s does not match /%s/",
					  res->san ? res->san : "(none)", pol->identity_regex);
	}
	if (pol->issuer && (!res->issuer || strcmp(res->issuer, pol->issuer) != 0))
		return tg_err_set(err, TG_EVERIFY, "identity: OIDC issuer %s does not match %s",
				  res->issuer ? res->issuer : "(none)", pol->issuer);
	if (pol->repository && !pol->issuer && !pol->identity && !pol->identity_regex) {
		/* A repository alone is only meaningful for a CI identity whose
		 * issuer vouches for that forge. */
		const char *uri = res->source_repo_uri ? res->source_repo_uri : res->san;
		bool gh = res->issuer &&
			  strcmp(res->issuer, "https://token.actions.githubusercontent.com") == 0 &&
			  uri && tg_str_starts_with(uri, "https://github.com/");
		bool gl = res->issuer && strcmp(res->issuer, "https://gitlab.com") == 0 && uri &&
			  tg_str_starts_with(uri, "https://gitlab.com/");

		if (!gh && !gl)
			return tg_err_set(err, TG_EVERIFY,
					  "identity: issuer %s is not GitHub Actions or GitLab CI for "
					  "the certificate's repository; give --issuer",
					  res->issuer ? res->issuer : "(none)");
	}
	repo = res->source_repo_uri ? repo_from_uri(res->source_repo_uri)
				    : res->gh_repository ? tg_strdup(res->gh_repository) : NULL;
	if (!repo && res->san)
		repo = repo_from_uri(res->san);
	if (pol->repository && (!repo || tg_ascii_casecmp(repo, pol->repository) != 0)) {
		rc = tg_err_set(err, TG_EVERIFY,
				"identity: source repository %s does not match %s",
				repo ? repo : "(none in the certificate)", pol->repository);
		goto out;
	}
	if (pol->ref) {
		const char *ref = res->source_repo_ref ? res->source_repo_ref : res->gh_workflow_ref;

		if (!ref || strcmp(ref, pol->ref) != 0) {
			rc = tg_err_set(err, TG_EVERIFY, "identity: source ref %s does not match %s",
					ref ? ref : "(none in the certificate)", pol->ref);
			goto out;
		}
	}
	if (pol->workflow) {
		wf = workflow_from_uri(res->build_config_uri ? res->build_config_uri : res->san,
				       repo);
		if (!workflow_matches(wf, pol->workflow)) {
			rc = tg_err_set(err, TG_EVERIFY,
					"identity: Build Config URI workflow %s does not match %s",
					wf ? wf : "(none in the certificate)", pol->workflow);
			goto out;
		}
	}
out:
	free(repo);
	free(wf);
	return rc;
}

/* ---- DSSE in-toto statement ---- */

static int check_statement(const struct sg_bundle *b, const unsigned char art[32],
			   struct tg_err *err)
{
	json_t *st, *subj, *s;
	const char *type;
	size_t i;
	char hex[65];
	int rc = TG_EVERIFY;

	if (strcmp(b->payload_type, "application/vnd.in-toto+json") != 0)
		return tg_err_set(err, TG_EVERIFY,
				  "DSSE: payload type %s does not name the artifact", b->payload_type);
	st = tg_json_load(b->payload.data, b->payload.len, "DSSE payload", err);
	if (!st)
		return tg_err_set(err, TG_EVERIFY, "in-toto statement: payload is not JSON");
	type = tg_json_str(st, "_type");
	if (!type || (strcmp(type, "https://in-toto.io/Statement/v1") != 0 &&
		      strcmp(type, "https://in-toto.io/Statement/v0.1") != 0)) {
		tg_err_set(err, TG_EVERIFY, "in-toto statement: unknown _type");
		goto out;
	}
	tg_hex_encode(art, 32, hex);
	subj = tg_json_arr(st, "subject");
	json_array_foreach(subj, i, s) {
		const char *d = tg_json_str(tg_json_obj(s, "digest"), "sha256");

		if (d && tg_ascii_casecmp(d, hex) == 0) {
			rc = 0;
			break;
		}
	}
	if (rc)
		tg_err_set(err, TG_EVERIFY,
			   "in-toto statement: no subject has the artifact's SHA-256 %s", hex);
out:
	json_decref(st);
	return rc;
}

static int check_signature(const struct sg_bundle *b, EVP_PKEY *key,
			   const struct tg_sigstore_artifact *art, struct tg_err *err)
{
	if (b->dsse) {
		struct tg_buf pae;
		bool ok;
		int rc;

		tg_buf_init(&pae, b->payload.len + 1024);
		if ((rc = tg_dsse_pae(b->payload_type, (const unsigned char *)b->payload.data,
				      b->payload.len, &pae, err))) {
			tg_buf_release(&pae);
			return rc;
		}
		ok = sg_verify_data(key, (const unsigned char *)pae.data, pae.len,
				    (const unsigned char *)b->sig.data, b->sig.len);
		tg_buf_release(&pae);
		if (!ok)
			return tg_err_set(err, TG_EVERIFY,
					  "signature: DSSE signature over the PAE does not verify");
		return check_statement(b, art->sha256, err);
	}
	if (b->has_digest && memcmp(b->digest, art->sha256, 32) != 0)
		return tg_err_set(err, TG_EVERIFY,
				  "artifact: SHA-256 differs from the bundle's message digest");
	if (art->data ? !sg_verify_data(key, art->data, art->len,
					(const unsigned char *)b->sig.data, b->sig.len)
		      : !sg_verify_digest(key, art->sha256, 32,
					  (const unsigned char *)b->sig.data, b->sig.len))
		return tg_err_set(err, TG_EVERIFY,
				  "signature: does not verify over the artifact with the %s",
				  b->leaf ? "certificate's key" : "given key");
	return 0;
}

int tg_sigstore_verify_json(const struct tg_sigstore_root *root, const json_t *j,
			    const char *origin, const struct tg_sigstore_artifact *art,
			    const struct tg_sigstore_policy *pol,
			    struct tg_sigstore_result *res, struct tg_err *err)
{
	struct sg_bundle b;
	EVP_PKEY *owned_key = NULL, *key;
	X509 *issuer = NULL;
	time_t times[SG_MAX_TLOG + SG_MAX_TSA];
	size_t n_times = 0, i;
	time_t now = pol->now ? pol->now : time(NULL);
	int rc;

	sg_bundle_init(&b);
	if ((rc = sg_bundle_parse(j, origin, &b, err)))
		goto out;
	if (pol->key_pem) {
		BIO *bio = BIO_new_mem_buf(pol->key_pem, (int)pol->key_pem_len);

		owned_key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		ERR_clear_error();
		if (!owned_key) {
			rc = tg_err_set(err, TG_EPARSE, "key: not a PEM public key");
			goto out;
		}
		if (b.leaf) {
			rc = tg_err_set(err, TG_EVERIFY,
					"key: the bundle is signed with a certificate, not a key");
			goto out;
		}
		key = owned_key;
	} else {
		if (!b.leaf) {
			rc = tg_err_set(err, TG_EVERIFY,
					"identity: the bundle is signed with a key, not a certificate; "
					"verify it with --key");
			goto out;
		}
		key = X509_get0_pubkey(b.leaf);
	}

	if ((rc = check_signature(&b, key, art, err)))
		goto out;

	if (b.n_tlog == 0) {
		rc = tg_err_set(err, TG_EVERIFY, "tlog: the bundle has no transparency log entry");
		goto out;
	}
	for (i = 0; i < b.n_tlog; i++) {
		bool tv;

		if ((rc = sg_tlog_verify(root, &b, &b.tlog[i], now, &tv, err)))
			goto out;
		if (tv)
			times[n_times++] = (time_t)b.tlog[i].integrated_time;
		res->n_tlog++;
	}
	for (i = 0; i < b.n_tsa; i++) {
		time_t t;

		if ((rc = sg_tsa_verify(root, &b.tsa[i], &b.sig, &t, err)))
			goto out;
		times[n_times++] = t;
		res->n_timestamps++;
	}
	if (n_times == 0) {
		rc = tg_err_set(err, TG_EVERIFY,
				"time: no verified signing time (needs a signed entry timestamp "
				"or an RFC 3161 timestamp)");
		goto out;
	}
	/* An entry without its own verified time (Rekor v2) must come from a
	 * log key that was valid when the timestamp authority saw the
	 * signature. */
	for (i = 0; i < b.n_tlog; i++) {
		size_t k;

		if (b.tlog[i].set.len && b.tlog[i].integrated_time > 0)
			continue;
		for (k = 0; k < n_times; k++)
			if (!sg_tlog_valid_at(root, &b.tlog[i], times[k])) {
				rc = tg_err_set(err, TG_EVERIFY,
						"tlog: the log key was not valid at the timestamped time");
				goto out;
			}
	}
	res->signed_at = times[0];
	for (i = 1; i < n_times; i++)
		if (times[i] < res->signed_at)
			res->signed_at = times[i];

	if (b.leaf) {
		if (X509_check_ca(b.leaf) != 0) {
			rc = tg_err_set(err, TG_EVERIFY, "certificate chain: the leaf is a CA");
			goto out;
		}
		if (!(X509_get_extended_key_usage(b.leaf) & XKU_CODE_SIGN)) {
			rc = tg_err_set(err, TG_EVERIFY,
					"certificate chain: the leaf lacks the code-signing usage");
			goto out;
		}
		for (i = 0; i < n_times; i++) {
			X509_free(issuer);
			issuer = NULL;
			if ((rc = verify_chain_at(root, b.leaf, times[i], &issuer, err)))
				goto out;
		}
		if ((rc = sg_sct_verify(root, b.leaf, issuer, err)))
			goto out;
		if ((rc = check_identity(b.leaf, pol, res, err)))
			goto out;
	}
	for (i = 0; i < b.n_tlog; i++)
		if ((rc = sg_tlog_match_body(&b, &b.tlog[i], art->sha256, key, err)))
			goto out;
	if (b.dsse) {
		res->dsse = true;
		res->payload_type = tg_strdup(b.payload_type);
		res->payload_len = b.payload.len;
		res->payload = malloc(b.payload.len + 1);
		if (!res->payload || !res->payload_type) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(res->payload, b.payload.data, b.payload.len);
		res->payload[b.payload.len] = '\0';
	}
out:
	if (rc)
		tg_err_locate(err, origin, 0, 0);
	X509_free(issuer);
	EVP_PKEY_free(owned_key);
	sg_bundle_release(&b);
	return rc;
}

int tg_sigstore_verify(const struct tg_sigstore_root *root, const char *bundle,
		       size_t len, const char *origin,
		       const struct tg_sigstore_artifact *art,
		       const struct tg_sigstore_policy *pol,
		       struct tg_sigstore_result *res, struct tg_err *err)
{
	json_t *j;
	int rc;

	if (len > TG_SIGSTORE_MAX_BUNDLE)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0, "bundle: over %zu bytes",
				 TG_SIGSTORE_MAX_BUNDLE);
	j = tg_json_load(bundle, len, origin, err);
	if (!j) {
		tg_err_prefix(err, "bundle");
		return TG_EPARSE;
	}
	rc = tg_sigstore_verify_json(root, j, origin, art, pol, res, err);
	json_decref(j);
	return rc;
}

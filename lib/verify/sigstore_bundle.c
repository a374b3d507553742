/* Sigstore bundle JSON (dev.sigstore.bundle.v1.Bundle, proto3 JSON
 * mapping: camelCase names, bytes as standard base64, int64 as strings). */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "tollgate/json.h"
#include "tollgate/str.h"
#include "core/b64.h"
#include "verify/sigstore_int.h"

#define SG_MAX_FIELD ((size_t)4 << 20)

void sg_bundle_init(struct sg_bundle *b)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < SG_MAX_TLOG; i++) {
		tg_buf_init(&b->tlog[i].set, 4096);
		tg_buf_init(&b->tlog[i].body, SG_MAX_FIELD);
	}
	for (i = 0; i < SG_MAX_TSA; i++)
		tg_buf_init(&b->tsa[i], 1 << 16);
	tg_buf_init(&b->sig, 4096);
	tg_buf_init(&b->payload, SG_MAX_FIELD);
}

void sg_bundle_release(struct sg_bundle *b)
{
	size_t i;

	X509_free(b->leaf);
	for (i = 0; i < SG_MAX_TLOG; i++) {
		tg_buf_release(&b->tlog[i].set);
		tg_buf_release(&b->tlog[i].body);
		free(b->tlog[i].hashes);
		free(b->tlog[i].checkpoint);
	}
	for (i = 0; i < SG_MAX_TSA; i++)
		tg_buf_release(&b->tsa[i]);
	tg_buf_release(&b->sig);
	tg_buf_release(&b->payload);
	free(b->payload_type);
	memset(b, 0, sizeof(*b));
}

static int media_type_minor(const char *mt, int *minor)
{
	if (!mt)
		return -1;
	if (strcmp(mt, "application/vnd.dev.sigstore.bundle+json;version=0.1") == 0)
		*minor = 1;
	else if (strcmp(mt, "application/vnd.dev.sigstore.bundle+json;version=0.2") == 0)
		*minor = 2;
	else if (strcmp(mt, "application/vnd.dev.sigstore.bundle+json;version=0.3") == 0 ||
		 strcmp(mt, "application/vnd.dev.sigstore.bundle.v0.3+json") == 0)
		*minor = 3;
	else
		return -1;
	return 0;
}

static X509 *parse_cert(const json_t *c, const char *what, struct tg_err *err)
{
	struct tg_buf b;
	const unsigned char *p;
	X509 *x = NULL;

	tg_buf_init(&b, 1 << 16);
	if (sg_b64_member(c, "rawBytes", what, &b, err) == 0) {
		p = (const unsigned char *)b.data;
		x = d2i_X509(NULL, &p, (long)b.len);
		if (!x || p != (const unsigned char *)b.data + b.len) {
			X509_free(x);
			x = NULL;
			tg_err_set(err, TG_EPARSE, "%s: not a DER X.509 certificate", what);
		}
	}
	tg_buf_release(&b);
	return x;
}

static bool self_signed(X509 *x)
{
	return X509_check_issued(x, x) == X509_V_OK;
}

static int parse_tlog(const json_t *t, size_t idx, struct sg_tlog *e, struct tg_err *err)
{
	const json_t *kv = tg_json_obj(t, "kindVersion");
	const json_t *lid = tg_json_obj(t, "logId");
	const json_t *promise = tg_json_obj(t, "inclusionPromise");
	const json_t *proof = tg_json_obj(t, "inclusionProof");
	const char *kind = tg_json_str(kv, "kind"), *ver = tg_json_str(kv, "version");
	struct tg_buf b;
	int rc = 0;

	tg_buf_init(&b, 1024);
	if (!sg_json_int64(json_object_get(t, "logIndex"), &e->log_index) || e->log_index < 0) {
		rc = tg_err_set(err, TG_EPARSE, "logIndex missing or negative");
		goto out;
	}
	if ((rc = sg_b64_member(lid, "keyId", "logId.keyId", &b, err)))
		goto out;
	if (b.len == 0 || b.len > sizeof(e->log_id)) {
		rc = tg_err_set(err, TG_EPARSE, "logId.keyId has %zu bytes", b.len);
		goto out;
	}
	memcpy(e->log_id, b.data, b.len);
	e->log_id_len = b.len;
	if (!kind || !ver || strlen(kind) >= sizeof(e->kind) ||
	    strlen(ver) >= sizeof(e->version)) {
		rc = tg_err_set(err, TG_EPARSE, "kindVersion missing");
		goto out;
	}
	tg_strlcpy(e->kind, kind, sizeof(e->kind));
	tg_strlcpy(e->version, ver, sizeof(e->version));
	e->integrated_time = 0;
	if (json_object_get(t, "integratedTime") &&
	    (!sg_json_int64(json_object_get(t, "integratedTime"), &e->integrated_time) ||
	     e->integrated_time < 0)) {
		rc = tg_err_set(err, TG_EPARSE, "integratedTime is not a non-negative integer");
		goto out;
	}
	if (promise && (rc = sg_b64_member(promise, "signedEntryTimestamp",
					   "inclusionPromise.signedEntryTimestamp", &e->set, err)))
		goto out;
	if (proof) {
		const json_t *hashes = tg_json_arr(proof, "hashes");
		const char *cp = tg_json_str(tg_json_obj(proof, "checkpoint"), "envelope");
		size_t i;
		json_t *h;

		e->has_proof = true;
		if (!sg_json_int64(json_object_get(proof, "logIndex"), &e->proof_index) ||
		    !sg_json_int64(json_object_get(proof, "treeSize"), &e->tree_size) ||
		    e->proof_index < 0 || e->tree_size < 0) {
			rc = tg_err_set(err, TG_EPARSE,
					"inclusionProof: logIndex/treeSize missing or negative");
			goto out;
		}
		tg_buf_reset(&b);
		if ((rc = sg_b64_member(proof, "rootHash", "inclusionProof.rootHash", &b, err)))
			goto out;
		if (b.len != 32) {
			rc = tg_err_set(err, TG_EPARSE, "inclusionProof.rootHash is not 32 bytes");
			goto out;
		}
		memcpy(e->root_hash, b.data, 32);
		if (hashes && json_array_size(hashes) > SG_MAX_PROOF) {
			rc = tg_err_set(err, TG_ELIMIT, "inclusionProof: more than %d hashes",
					SG_MAX_PROOF);
			goto out;
		}
		e->n_hashes = hashes ? json_array_size(hashes) : 0;
		e->hashes = calloc(e->n_hashes ? e->n_hashes : 1, 32);
		if (!e->hashes) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		json_array_foreach(hashes, i, h) {
			const char *s = json_string_value(h);

			if (!s || !tg_b64_decode_exact(s, strlen(s), TG_B64_STD, e->hashes[i], 32)) {
				rc = tg_err_set(err, TG_EPARSE,
						"inclusionProof.hashes[%zu] is not 32 bytes of base64", i);
				goto out;
			}
		}
		if (cp) {
			if (strlen(cp) > 65536) {
				rc = tg_err_set(err, TG_ELIMIT, "checkpoint over 64 KiB");
				goto out;
			}
			if (!(e->checkpoint = tg_strdup(cp))) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	e->body_b64 = tg_json_str(t, "canonicalizedBody");
	if ((rc = sg_b64_member(t, "canonicalizedBody", "canonicalizedBody", &e->body, err)))
		goto out;
out:
	tg_buf_release(&b);
	if (rc)
		tg_err_prefix(err, "tlogEntries[%zu]", idx);
	return rc;
}

int sg_bundle_parse(const json_t *j, const char *origin, struct sg_bundle *b,
		    struct tg_err *err)
{
	const char *mt = tg_json_str(j, "mediaType");
	const json_t *vm = tg_json_obj(j, "verificationMaterial");
	const json_t *ms = tg_json_obj(j, "messageSignature");
	const json_t *de = tg_json_obj(j, "dsseEnvelope");
	const json_t *tl, *ts, *t;
	size_t i;
	int rc;

	if (!json_is_object(j))
		return tg_err_at(err, TG_EPARSE, origin, 0, 0, "bundle: not a JSON object");
	if (media_type_minor(mt, &b->minor))
		return tg_err_at(err, TG_EPARSE, origin, 0, 0,
				 "bundle: unsupported media type '%.100s'", mt ? mt : "(none)");
	if (!vm)
		return tg_err_at(err, TG_EPARSE, origin, 0, 0,
				 "bundle: verificationMaterial missing");
	if (json_object_get(vm, "certificate")) {
		if (b->minor < 3)
			return tg_err_at(err, TG_EPARSE, origin, 0, 0,
					 "bundle: 'certificate' needs a v0.3 bundle");
		if (!(b->leaf = parse_cert(tg_json_obj(vm, "certificate"), "certificate", err)))
			goto fail;
	} else if (json_object_get(vm, "x509CertificateChain")) {
		json_t *certs = tg_json_arr(tg_json_obj(vm, "x509CertificateChain"),
					    "certificates");
		json_t *c;

		if (!certs || json_array_size(certs) == 0)
			return tg_err_at(err, TG_EVERIFY, origin, 0, 0,
					 "certificate chain: the bundle's chain is empty");
		if (json_array_size(certs) > SG_MAX_CHAIN)
			return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
					 "certificate chain: more than %d certificates",
					 SG_MAX_CHAIN);
		json_array_foreach(certs, i, c) {
			X509 *x = parse_cert(c, "x509CertificateChain", err);

			if (!x)
				goto fail;
			if (i == 0) {
				b->leaf = x;
				continue;
			}
			/* Intermediates come from the trusted root, never the
			 * bundle; a root here is an attempt to bring one's own. */
			if (self_signed(x)) {
				X509_free(x);
				return tg_err_at(err, TG_EVERIFY, origin, 0, 0,
						 "certificate chain: the bundle includes a root "
						 "certificate; roots come only from the trusted root");
			}
			X509_free(x);
		}
	} else if (json_object_get(vm, "publicKey")) {
		b->key_hint = true;
	} else {
		return tg_err_at(err, TG_EPARSE, origin, 0, 0,
				 "bundle: no certificate, chain or public key");
	}
	tl = tg_json_arr(vm, "tlogEntries");
	if (tl && json_array_size(tl) > SG_MAX_TLOG)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0, "bundle: more than %d tlog entries",
				 SG_MAX_TLOG);
	json_array_foreach(tl, i, t) {
		if ((rc = parse_tlog(t, i, &b->tlog[i], err)))
			goto fail;
		b->n_tlog = i + 1;
	}
	ts = tg_json_arr(tg_json_obj(vm, "timestampVerificationData"), "rfc3161Timestamps");
	if (ts && json_array_size(ts) > SG_MAX_TSA)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0, "bundle: more than %d timestamps",
				 SG_MAX_TSA);
	json_array_foreach(ts, i, t) {
		if ((rc = sg_b64_member(t, "signedTimestamp", "rfc3161Timestamps", &b->tsa[i],
					err)))
			goto fail;
		b->n_tsa = i + 1;
	}
	if ((ms != NULL) == (de != NULL))
		return tg_err_at(err, TG_EPARSE, origin, 0, 0,
				 "bundle: needs exactly one of messageSignature, dsseEnvelope");
	if (ms) {
		const json_t *md = tg_json_obj(ms, "messageDigest");

		if ((rc = sg_b64_member(ms, "signature", "messageSignature.signature", &b->sig, err)))
			goto fail;
		if (md) {
			const char *alg = tg_json_str(md, "algorithm");
			struct tg_buf d;

			tg_buf_init(&d, 64);
			rc = sg_b64_member(md, "digest", "messageDigest.digest", &d, err);
			if (!rc && (!alg || strcmp(alg, "SHA2_256") != 0 || d.len != 32))
				rc = tg_err_set(err, TG_EPARSE,
						"messageDigest: only SHA2_256 (32 bytes) is supported");
			if (!rc) {
				memcpy(b->digest, d.data, 32);
				b->digest_len = 32;
				b->has_digest = true;
			}
			tg_buf_release(&d);
			if (rc)
				goto fail;
		}
	} else {
		const json_t *sigs = tg_json_arr(de, "signatures");
		const char *pt = tg_json_str(de, "payloadType");

		b->dsse = true;
		if ((rc = sg_b64_member(de, "payload", "dsseEnvelope.payload", &b->payload, err)))
			goto fail;
		if (!pt || !(b->payload_type = tg_strdup(pt)))
			return tg_err_at(err, TG_EPARSE, origin, 0, 0,
					 "dsseEnvelope: payloadType missing");
		if (!sigs || json_array_size(sigs) != 1)
			return tg_err_at(err, TG_EPARSE, origin, 0, 0,
					 "dsseEnvelope: exactly one signature is supported");
		if ((rc = sg_b64_member(json_array_get(sigs, 0), "sig", "dsseEnvelope sig",
					&b->sig, err)))
			goto fail;
	}
	return 0;
fail:
	tg_err_locate(err, origin, 0, 0);
	if (err && !tg_str_starts_with(err->msg, "bundle"))
		tg_err_prefix(err, "bundle");
	return err ? (int)err->code : TG_EPARSE;
}

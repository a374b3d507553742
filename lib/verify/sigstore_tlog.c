/* Rekor transparency-log entries: the body must describe the bundle's own
 * signature, the entry must be promised (SET) or proven (RFC 6962 inclusion
 * proof under a signed checkpoint) by a log in the trusted root. */
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/str.h"
#include "core/b64.h"
#include "verify/sigstore_int.h"

bool tg_merkle_verify_inclusion(uint64_t index, uint64_t tree_size,
				const unsigned char leaf_hash[32],
				const unsigned char (*path)[32], size_t n,
				const unsigned char root[32])
{
	uint64_t fn = index, sn;
	unsigned char r[32], buf[65];
	size_t i;

	if (tree_size == 0 || index >= tree_size)
		return false;
	sn = tree_size - 1;
	memcpy(r, leaf_hash, 32);
	buf[0] = 0x01;
	for (i = 0; i < n; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			memcpy(buf + 1, path[i], 32);
			memcpy(buf + 33, r, 32);
			SHA256(buf, 65, r);
			if (!(fn & 1))
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			memcpy(buf + 1, r, 32);
			memcpy(buf + 33, path[i], 32);
			SHA256(buf, 65, r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, 32) == 0;
}

static const struct sg_log *find_log(const struct sg_log *logs, size_t n,
				     const unsigned char *id, size_t id_len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (logs[i].id_len == id_len && memcmp(logs[i].id, id, id_len) == 0)
			return &logs[i];
	return NULL;
}

/* ---- body matching ---- */

/* DER of the certificate or SPKI in a base64-of-PEM field. */
static bool pem_b64_matches(const char *b64, X509 *leaf, EVP_PKEY *key)
{
	struct tg_buf pem;
	BIO *bio;
	bool ok = false;

	if (!b64)
		return false;
	tg_buf_init(&pem, 1 << 16);
	if (tg_b64_decode(b64, strlen(b64), TG_B64_STD, &pem, NULL) != 0)
		goto out;
	bio = BIO_new_mem_buf(pem.data, (int)pem.len);
	if (!bio)
		goto out;
	if (leaf && strstr(pem.data, "CERTIFICATE")) {
		X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);

		ok = x && X509_cmp(x, leaf) == 0;
		X509_free(x);
	} else if (key) {
		EVP_PKEY *k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);

		ok = k && EVP_PKEY_eq(k, key) == 1;
		EVP_PKEY_free(k);
	}
	BIO_free(bio);
out:
	tg_buf_release(&pem);
	return ok;
}

static bool b64_equals(const char *b64, const struct tg_buf *want)
{
	struct tg_buf d;
	bool ok;

	if (!b64)
		return false;
	tg_buf_init(&d, want->len + 8);
	ok = tg_b64_decode(b64, strlen(b64), TG_B64_STD, &d, NULL) == 0 && d.len == want->len &&
	     memcmp(d.data, want->data, d.len) == 0;
	tg_buf_release(&d);
	return ok;
}

static bool hex_equals(const char *hex, const unsigned char *d, size_t n)
{
	char h[129];

	if (!hex || n > 64)
		return false;
	tg_hex_encode(d, n, h);
	return tg_ascii_casecmp(hex, h) == 0;
}

/* Rekor v2 "verifier": x509Certificate.rawBytes or publicKey.rawBytes. */
static bool v2_verifier_matches(const json_t *ver, X509 *leaf, EVP_PKEY *key)
{
	const char *raw;
	struct tg_buf d;
	bool ok = false;

	tg_buf_init(&d, 1 << 16);
	if (leaf && (raw = tg_json_str(tg_json_obj(ver, "x509Certificate"), "rawBytes"))) {
		if (tg_b64_decode(raw, strlen(raw), TG_B64_STD, &d, NULL) == 0) {
			const unsigned char *p = (const unsigned char *)d.data;
			X509 *x = d2i_X509(NULL, &p, (long)d.len);

			ok = x && X509_cmp(x, leaf) == 0;
			X509_free(x);
		}
	} else if (key && (raw = tg_json_str(tg_json_obj(ver, "publicKey"), "rawBytes"))) {
		if (tg_b64_decode(raw, strlen(raw), TG_B64_STD, &d, NULL) == 0) {
			const unsigned char *p = (const unsigned char *)d.data;
			EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)d.len);

			ok = k && EVP_PKEY_eq(k, key) == 1;
			EVP_PKEY_free(k);
		}
	}
	tg_buf_release(&d);
	return ok;
}

static int body_mismatch(struct tg_err *err, const char *kind, const char *what)
{
	return tg_err_set(err, TG_EVERIFY, "tlog entry body: %s %s does not match the bundle",
			  kind, what);
}

int sg_tlog_match_body(const struct sg_bundle *b, const struct sg_tlog *e,
		       const unsigned char art_digest[32], EVP_PKEY *signer_key,
		       struct tg_err *err)
{
	json_t *body;
	const json_t *spec;
	const char *kind, *ver;
	unsigned char payload_hash[32];
	int rc = 0;

	body = tg_json_load(e->body.data, e->body.len, "canonicalizedBody", err);
	if (!body)
		return tg_err_set(err, TG_EVERIFY, "tlog entry body: not JSON");
	kind = tg_json_str(body, "kind");
	ver = tg_json_str(body, "apiVersion");
	spec = tg_json_obj(body, "spec");
	if (!kind || !ver || !spec || strcmp(kind, e->kind) || strcmp(ver, e->version)) {
		rc = tg_err_set(err, TG_EVERIFY,
				"tlog entry body: kind/apiVersion differ from kindVersion %s/%s",
				e->kind, e->version);
		goto out;
	}
	if (b->dsse)
		SHA256((const unsigned char *)b->payload.data, b->payload.len, payload_hash);

	if (strcmp(kind, "hashedrekord") == 0 && strcmp(ver, "0.0.1") == 0) {
		const json_t *hash = tg_json_obj(tg_json_obj(spec, "data"), "hash");
		const json_t *sig = tg_json_obj(spec, "signature");
		const char *alg = tg_json_str(hash, "algorithm");

		if (b->dsse) {
			rc = body_mismatch(err, "hashedrekord", "kind (bundle holds a DSSE envelope)");
			goto out;
		}
		if (!alg || strcmp(alg, "sha256") || !hex_equals(tg_json_str(hash, "value"),
								  art_digest, 32)) {
			rc = body_mismatch(err, "hashedrekord", "artifact hash");
			goto out;
		}
		if (!b64_equals(tg_json_str(sig, "content"), &b->sig)) {
			rc = body_mismatch(err, "hashedrekord", "signature");
			goto out;
		}
		if (!pem_b64_matches(tg_json_str(tg_json_obj(sig, "publicKey"), "content"), b->leaf,
				     signer_key)) {
			rc = body_mismatch(err, "hashedrekord", "certificate/public key");
			goto out;
		}
	} else if (strcmp(kind, "hashedrekord") == 0 && strcmp(ver, "0.0.2") == 0) {
		const json_t *v2 = tg_json_obj(spec, "hashedRekordV002");
		const json_t *data = tg_json_obj(v2, "data");
		const json_t *sig = tg_json_obj(v2, "signature");
		const char *alg = tg_json_str(data, "algorithm");
		unsigned char want[32], got[32];

		if (b->dsse) {
			/* Rekor v2 logs DSSE as a hashedrekord over the PAE. */
			struct tg_buf pae;

			tg_buf_init(&pae, b->payload.len + 1024);
			if ((rc = tg_dsse_pae(b->payload_type, (const unsigned char *)b->payload.data,
					      b->payload.len, &pae, err))) {
				tg_buf_release(&pae);
				goto out;
			}
			SHA256((const unsigned char *)pae.data, pae.len, want);
			tg_buf_release(&pae);
		} else {
			memcpy(want, art_digest, 32);
		}
		if (!alg || strcmp(alg, "SHA2_256") ||
		    !tg_json_str(data, "digest") ||
		    !tg_b64_decode_exact(tg_json_str(data, "digest"),
					 strlen(tg_json_str(data, "digest")), TG_B64_STD, got, 32) ||
		    memcmp(got, want, 32) != 0) {
			rc = body_mismatch(err, "hashedrekord", b->dsse ? "PAE digest" : "artifact digest");
			goto out;
		}
		if (!b64_equals(tg_json_str(sig, "content"), &b->sig)) {
			rc = body_mismatch(err, "hashedrekord", "signature");
			goto out;
		}
		if (!v2_verifier_matches(tg_json_obj(sig, "verifier"), b->leaf, signer_key)) {
			rc = body_mismatch(err, "hashedrekord", "verifier");
			goto out;
		}
	} else if (strcmp(kind, "dsse") == 0 && strcmp(ver, "0.0.1") == 0) {
		const json_t *ph = tg_json_obj(spec, "payloadHash");
		const json_t *sigs = tg_json_arr(spec, "signatures");
		const json_t *s0 = json_array_get(sigs, 0);

		if (!b->dsse) {
			rc = body_mismatch(err, "dsse", "kind (bundle holds a message signature)");
			goto out;
		}
		if (!tg_json_str(ph, "algorithm") || strcmp(tg_json_str(ph, "algorithm"), "sha256") ||
		    !hex_equals(tg_json_str(ph, "value"), payload_hash, 32)) {
			rc = body_mismatch(err, "dsse", "payload hash");
			goto out;
		}
		if (json_array_size(sigs) != 1 || !b64_equals(tg_json_str(s0, "signature"), &b->sig)) {
			rc = body_mismatch(err, "dsse", "signatures");
			goto out;
		}
		if (!pem_b64_matches(tg_json_str(s0, "verifier"), b->leaf, signer_key)) {
			rc = body_mismatch(err, "dsse", "verifier");
			goto out;
		}
	} else if (strcmp(kind, "dsse") == 0 && strcmp(ver, "0.0.2") == 0) {
		const json_t *v2 = tg_json_obj(spec, "dsseV002");
		const json_t *ph = tg_json_obj(v2, "payloadHash");
		const json_t *sigs = tg_json_arr(v2, "signatures");
		const json_t *s0 = json_array_get(sigs, 0);
		unsigned char got[32];
		const char *dg = tg_json_str(ph, "digest");

		if (!b->dsse) {
			rc = body_mismatch(err, "dsse", "kind (bundle holds a message signature)");
			goto out;
		}
		if (!tg_json_str(ph, "algorithm") || strcmp(tg_json_str(ph, "algorithm"), "SHA2_256") ||
		    !dg || !tg_b64_decode_exact(dg, strlen(dg), TG_B64_STD, got, 32) ||
		    memcmp(got, payload_hash, 32) != 0) {
			rc = body_mismatch(err, "dsse", "payload hash");
			goto out;
		}
		if (json_array_size(sigs) != 1 || !b64_equals(tg_json_str(s0, "content"), &b->sig)) {
			rc = body_mismatch(err, "dsse", "signatures");
			goto out;
		}
		if (!v2_verifier_matches(tg_json_obj(s0, "verifier"), b->leaf, signer_key)) {
			rc = body_mismatch(err, "dsse", "verifier");
			goto out;
		}
	} else if (strcmp(kind, "intoto") == 0 && strcmp(ver, "0.0.2") == 0) {
		const json_t *content = tg_json_obj(spec, "content");
		const json_t *env = tg_json_obj(content, "envelope");
		const json_t *ph = tg_json_obj(content, "payloadHash");
		const json_t *sigs = tg_json_arr(env, "signatures");
		const json_t *s0 = json_array_get(sigs, 0);
		const char *pt = tg_json_str(env, "payloadType");
		const char *sig2 = tg_json_str(s0, "sig");
		struct tg_buf once;
		bool sig_ok;

		if (!b->dsse) {
			rc = body_mismatch(err, "intoto", "kind (bundle holds a message signature)");
			goto out;
		}
		if (!tg_json_str(ph, "algorithm") || strcmp(tg_json_str(ph, "algorithm"), "sha256") ||
		    !hex_equals(tg_json_str(ph, "value"), payload_hash, 32)) {
			rc = body_mismatch(err, "intoto", "payload hash");
			goto out;
		}
		if (!pt || strcmp(pt, b->payload_type)) {
			rc = body_mismatch(err, "intoto", "payload type");
			goto out;
		}
		/* intoto 0.0.2 stores each signature base64-encoded twice. */
		tg_buf_init(&once, 8192);
		sig_ok = json_array_size(sigs) == 1 && sig2 &&
			 tg_b64_decode(sig2, strlen(sig2), TG_B64_STD, &once, NULL) == 0 &&
			 b64_equals(once.data, &b->sig);
		tg_buf_release(&once);
		if (!sig_ok) {
			rc = body_mismatch(err, "intoto", "signatures");
			goto out;
		}
		if (!pem_b64_matches(tg_json_str(s0, "publicKey"), b->leaf, signer_key)) {
			rc = body_mismatch(err, "intoto", "public key");
			goto out;
		}
	} else {
		rc = tg_err_set(err, TG_EVERIFY, "tlog entry body: unsupported kind %s/%s", kind, ver);
	}
out:
	json_decref(body);
	return rc;
}

/* ---- signed entry timestamp ---- */

static int verify_set(const struct sg_log *log, const struct sg_tlog *e, struct tg_err *err)
{
	char hexid[129];
	struct tg_buf canon;
	bool ok;

	if (!e->body_b64)
		return tg_err_set(err, TG_EVERIFY, "tlog SET: no body");
	tg_hex_encode(e->log_id, e->log_id_len, hexid);
	tg_buf_init(&canon, e->body.len * 2 + 256);
	/* RFC 8785 canonical form of the four promised fields (keys sorted). */
	if (tg_buf_adds(&canon, "{\"body\":\"", err) ||
	    tg_buf_adds(&canon, e->body_b64, err) ||
	    tg_buf_addf(&canon, err, "\",\"integratedTime\":%lld,\"logID\":\"%s\",\"logIndex\":%lld}",
			(long long)e->integrated_time, hexid, (long long)e->log_index)) {
		tg_buf_release(&canon);
		return err ? (int)err->code : TG_ENOMEM;
	}
	ok = sg_verify_data(log->key, (const unsigned char *)canon.data, canon.len,
			    (const unsigned char *)e->set.data, e->set.len);
	tg_buf_release(&canon);
	if (!ok)
		return tg_err_set(err, TG_EVERIFY,
				  "tlog SET: signed entry timestamp does not verify with the log key");
	return 0;
}

/* ---- checkpoint (signed note) ---- */

static int verify_checkpoint(const struct sg_log *log, const struct sg_tlog *e,
			     unsigned char root_out[32], struct tg_err *err)
{
	const char *cp = e->checkpoint;
	const char *sep, *p, *line2, *line3;
	size_t text_len;
	uint64_t size;
	unsigned char root[32];
	bool verified = false;
	static const char dash[] = "\xe2\x80\x94 "; /* U+2014 and a space */

	if (!cp)
		return tg_err_set(err, TG_EVERIFY, "tlog checkpoint: missing from inclusion proof");
	sep = strstr(cp, "\n\n");
	if (!sep)
		return tg_err_set(err, TG_EVERIFY, "tlog checkpoint: no blank line before signatures");
	text_len = (size_t)(sep - cp) + 1;
	/* Body: origin, tree size, root hash, then optional extension lines. */
	line2 = memchr(cp, '\n', text_len);
	if (!line2 || line2 == cp)
		return tg_err_set(err, TG_EVERIFY, "tlog checkpoint: origin line missing");
	line2++;
	line3 = memchr(line2, '\n', text_len - (size_t)(line2 - cp));
	if (!line3 || !tg_parse_u64(line2, (size_t)(line3 - line2), &size))
		return tg_err_set(err, TG_EVERIFY, "tlog checkpoint: tree size line missing or bad");
	line3++;
	p = memchr(line3, '\n', text_len - (size_t)(line3 - cp));
	if (!p || !tg_b64_decode_exact(line3, (size_t)(p - line3), TG_B64_STD, root, 32))
		return tg_err_set(err, TG_EVERIFY, "tlog checkpoint: root hash line missing or bad");

	/* Signature lines: "— <name> <base64(keyhint[4] || signature)>". Lines
	 * from unknown keys (witness cosignatures) are skipped. */
	for (p = sep + 2; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *sp;
		struct tg_buf sig;

		if (len > sizeof(dash) - 1 && memcmp(p, dash, sizeof(dash) - 1) == 0) {
			const char *name = p + sizeof(dash) - 1;

			sp = memchr(name, ' ', len - (size_t)(name - p));
			if (sp && sp > name) {
				tg_buf_init(&sig, 1024);
				if (tg_b64_decode(sp + 1, len - (size_t)(sp + 1 - p), TG_B64_STD, &sig,
						  NULL) == 0 &&
				    sig.len > 4 && log->id_len >= 4 &&
				    memcmp(sig.data, log->id, 4) == 0 &&
				    sg_verify_data(log->key, (const unsigned char *)cp, text_len,
						   (const unsigned char *)sig.data + 4, sig.len - 4))
					verified = true;
				tg_buf_release(&sig);
			}
		} else if (len) {
			return tg_err_set(err, TG_EVERIFY, "tlog checkpoint: malformed signature line");
		}
		if (verified)
			break;
		p += len;
		if (*p == '\n')
			p++;
	}
	if (!verified)
		return tg_err_set(err, TG_EVERIFY,
				  "tlog checkpoint: no signature verifies with the log key");
	memcpy(root_out, root, 32);
	if ((int64_t)size != e->tree_size)
		return tg_err_set(err, TG_EVERIFY,
				  "tlog checkpoint: tree size %llu differs from the inclusion proof's %lld",
				  (unsigned long long)size, (long long)e->tree_size);
	return 0;
}

bool sg_tlog_valid_at(const struct tg_sigstore_root *root, const struct sg_tlog *e, time_t t)
{
	const struct sg_log *log = find_log(root->tlogs, root->n_tlogs, e->log_id, e->log_id_len);

	return log && sg_in_range(&log->valid, t);
}

int sg_tlog_verify(const struct tg_sigstore_root *root, const struct sg_bundle *b,
		   const struct sg_tlog *e, time_t now, bool *time_verified,
		   struct tg_err *err)
{
	const struct sg_log *log = find_log(root->tlogs, root->n_tlogs, e->log_id, e->log_id_len);
	int rc;

	*time_verified = false;
	if (!log)
		return tg_err_set(err, TG_EVERIFY, "tlog: log id of the entry is not in the trusted root");
	if (e->integrated_time > now + 60)
		return tg_err_set(err, TG_EVERIFY, "tlog: integrated time is in the future");
	if (b->minor == 1 && e->set.len == 0)
		return tg_err_set(err, TG_EVERIFY,
				  "tlog SET: a v0.1 bundle needs an inclusion promise");
	if (b->minor >= 2 && !e->has_proof)
		return tg_err_set(err, TG_EVERIFY,
				  "tlog inclusion proof: missing (required from bundle v0.2 on)");
	if (e->set.len) {
		if (!sg_in_range(&log->valid, (time_t)e->integrated_time))
			return tg_err_set(err, TG_EVERIFY,
					  "tlog: integrated time is outside the log key's validity");
		if ((rc = verify_set(log, e, err)))
			return rc;
		*time_verified = e->integrated_time > 0;
	}
	if (e->has_proof) {
		unsigned char leaf[32], cp_root[32];
		unsigned char *pre;

		pre = malloc(e->body.len + 1);
		if (!pre)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		pre[0] = 0x00; /* RFC 6962 leaf prefix */
		memcpy(pre + 1, e->body.data, e->body.len);
		SHA256(pre, e->body.len + 1, leaf);
		free(pre);
		/* Without a checkpoint nothing signs the root; still say whether
		 * the proof itself is sound, since that is the likelier fault. */
		if (!e->checkpoint &&
		    !tg_merkle_verify_inclusion((uint64_t)e->proof_index, (uint64_t)e->tree_size, leaf,
						(const unsigned char(*)[32])e->hashes, e->n_hashes,
						e->root_hash))
			return tg_err_set(err, TG_EVERIFY,
					  "tlog inclusion proof: computed root does not match the "
					  "proof's rootHash (and there is no checkpoint)");
		/* The checkpoint is what the log signed: the proof must lead to
		 * its root, and the proof's own rootHash field must agree. */
		if ((rc = verify_checkpoint(log, e, cp_root, err)))
			return rc;
		if (!tg_merkle_verify_inclusion((uint64_t)e->proof_index, (uint64_t)e->tree_size, leaf,
						(const unsigned char(*)[32])e->hashes, e->n_hashes,
						cp_root))
			return tg_err_set(err, TG_EVERIFY,
					  "tlog inclusion proof: computed root does not match checkpoint");
		if (memcmp(cp_root, e->root_hash, 32) != 0)
			return tg_err_set(err, TG_EVERIFY,
					  "tlog inclusion proof: rootHash differs from the checkpoint's root");
	}
	return 0;
}

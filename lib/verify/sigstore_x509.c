/* Certificate-side checks: embedded SCTs (RFC 6962), RFC 3161 timestamps,
 * and reading the Fulcio identity extensions. */
#define _DEFAULT_SOURCE
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/ct.h>
#include <openssl/sha.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"
#include "verify/sigstore_int.h"

/* ---- SCT ---- */

/* The RFC 6962 digitally-signed struct for a precertificate entry:
 * version, signature_type (certificate_timestamp), timestamp, entry type
 * (precert_entry), issuer key hash, TBSCertificate without the SCT list
 * extension (24-bit length), extensions (16-bit length). */
static int sct_signed_data(const SCT *sct, const unsigned char *tbs, size_t tbs_len,
			   const unsigned char issuer_key_hash[32], struct tg_buf *out,
			   struct tg_err *err)
{
	unsigned char hdr[12 + 32 + 3];
	uint64_t ts = SCT_get_timestamp(sct);
	unsigned char *ext = NULL;
	size_t ext_len = SCT_get0_extensions(sct, &ext);
	unsigned char el[2];
	int i, rc;

	if (tbs_len > 0xffffff || ext_len > 0xffff)
		return tg_err_set(err, TG_ELIMIT, "SCT: field too long");
	hdr[0] = 0; /* v1 */
	hdr[1] = 0; /* certificate_timestamp */
	for (i = 0; i < 8; i++)
		hdr[2 + i] = (unsigned char)(ts >> (56 - 8 * i));
	hdr[10] = 0;
	hdr[11] = 1; /* precert_entry */
	memcpy(hdr + 12, issuer_key_hash, 32);
	hdr[44] = (unsigned char)(tbs_len >> 16);
	hdr[45] = (unsigned char)(tbs_len >> 8);
	hdr[46] = (unsigned char)tbs_len;
	el[0] = (unsigned char)(ext_len >> 8);
	el[1] = (unsigned char)ext_len;
	if ((rc = tg_buf_add(out, hdr, sizeof(hdr), err)) ||
	    (rc = tg_buf_add(out, tbs, tbs_len, err)) || (rc = tg_buf_add(out, el, 2, err)) ||
	    (ext_len && (rc = tg_buf_add(out, ext, ext_len, err))))
		return rc;
	return 0;
}

int sg_sct_verify(const struct tg_sigstore_root *root, X509 *leaf, X509 *issuer,
		  struct tg_err *err)
{
	STACK_OF(SCT) *scts = NULL;
	X509 *pre = NULL;
	unsigned char *tbs = NULL, *spki = NULL;
	int tbs_len, spki_len, idx, i, rc = 0;
	unsigned char ikh[32];
	bool ok = false;
	char why[160] = "no SCT is from a CT log in the trusted root";

	scts = X509_get_ext_d2i(leaf, NID_ct_precert_scts, NULL, NULL);
	if (!scts || sk_SCT_num(scts) == 0) {
		rc = tg_err_set(err, TG_EVERIFY, "SCT: the certificate has no embedded SCT");
		goto out;
	}
	if (!issuer) {
		rc = tg_err_set(err, TG_EVERIFY, "SCT: issuer certificate unknown");
		goto out;
	}
	spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &spki);
	if (spki_len <= 0) {
		rc = tg_err_set(err, TG_EVERIFY, "SCT: cannot encode the issuer key");
		goto out;
	}
	SHA256(spki, (size_t)spki_len, ikh);
	/* The precertificate TBS is the certificate's TBS minus the SCT list. */
	pre = X509_dup(leaf);
	idx = pre ? X509_get_ext_by_NID(pre, NID_ct_precert_scts, -1) : -1;
	if (idx < 0) {
		rc = tg_err_set(err, TG_EVERIFY, "SCT: cannot rebuild the precertificate");
		goto out;
	}
	X509_EXTENSION_free(X509_delete_ext(pre, idx));
	tbs_len = i2d_re_X509_tbs(pre, &tbs);
	if (tbs_len <= 0) {
		rc = tg_err_set(err, TG_EVERIFY, "SCT: cannot encode the precertificate TBS");
		goto out;
	}
	for (i = 0; i < sk_SCT_num(scts) && !ok; i++) {
		SCT *sct = sk_SCT_value(scts, i);
		unsigned char *lid = NULL, *sig = NULL;
		size_t lid_len = SCT_get0_log_id(sct, &lid);
		size_t sig_len = SCT_get0_signature(sct, &sig);
		size_t k;
		struct tg_buf data;
		const struct sg_log *log = NULL;

		if (SCT_get_version(sct) != SCT_VERSION_V1)
			continue;
		for (k = 0; k < root->n_ctlogs; k++)
			if (root->ctlogs[k].id_len == lid_len &&
			    memcmp(root->ctlogs[k].id, lid, lid_len) == 0)
				log = &root->ctlogs[k];
		if (!log)
			continue;
		if (!sg_in_range(&log->valid, (time_t)(SCT_get_timestamp(sct) / 1000))) {
			snprintf(why, sizeof(why), "SCT timestamp is outside the CT log key's validity");
			continue;
		}
		tg_buf_init(&data, (size_t)tbs_len + 4096);
		if (sct_signed_data(sct, tbs, (size_t)tbs_len, ikh, &data, err) == 0 &&
		    sg_verify_data(log->key, (const unsigned char *)data.data, data.len, sig, sig_len))
			ok = true;
		else
			snprintf(why, sizeof(why), "signature does not verify with the CT log key");
		tg_buf_release(&data);
	}
	if (!ok)
		rc = tg_err_set(err, TG_EVERIFY, "SCT: %s", why);
out:
	OPENSSL_free(tbs);
	OPENSSL_free(spki);
	X509_free(pre);
	SCT_LIST_free(scts);
	return rc;
}

/* ---- RFC 3161 ---- */

static bool asn1_time_to_time_t(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return false;
	*out = timegm(&tm);
	return true;
}

static int tsa_try(const struct sg_authority *a, TS_RESP *resp, const struct tg_buf *sig,
		   time_t gen, struct tg_err *err)
{
	TS_VERIFY_CTX *ctx = TS_VERIFY_CTX_new();
	X509_STORE *store = X509_STORE_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	BIO *data = BIO_new_mem_buf(sig->data, (int)sig->len);
	int i, n = sk_X509_num(a->chain), rc = 0;

	if (!ctx || !store || !untrusted || !data) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		X509 *x = sk_X509_value(a->chain, i);

		if (i == n - 1)
			X509_STORE_add_cert(store, x);
		else
			sk_X509_push(untrusted, X509_dup(x));
	}
	/* The TSA chain must have been valid when the token was made, not now. */
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), gen);
	if (n == 1)
		X509_VERIFY_PARAM_set_flags(X509_STORE_get0_param(store), X509_V_FLAG_PARTIAL_CHAIN);
	TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
	TS_VERIFY_CTX_set_store(ctx, store);
	TS_VERIFY_CTX_set_certs(ctx, untrusted);
	TS_VERIFY_CTX_set_data(ctx, data);
	/* ctx owns them now */
	store = NULL;
	untrusted = NULL;
	data = NULL;
	if (TS_RESP_verify_response(ctx, resp) != 1) {
		unsigned long e = ERR_peek_last_error();
		char buf[160];

		ERR_error_string_n(e, buf, sizeof(buf));
		ERR_clear_error();
		rc = tg_err_set(err, TG_EVERIFY, "timestamp: token does not verify (%s)", buf);
	}
fail:
	TS_VERIFY_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_pop_free(untrusted, X509_free);
	BIO_free(data);
	return rc;
}

int sg_tsa_verify(const struct tg_sigstore_root *root, const struct tg_buf *token,
		  const struct tg_buf *sig, time_t *t, struct tg_err *err)
{
	const unsigned char *p = (const unsigned char *)token->data;
	TS_RESP *resp = d2i_TS_RESP(NULL, &p, (long)token->len);
	TS_TST_INFO *info;
	time_t gen;
	size_t i;
	int rc = 0;
	bool any_in_range = false;

	if (!resp || p != (const unsigned char *)token->data + token->len) {
		TS_RESP_free(resp);
		ERR_clear_error();
		return tg_err_set(err, TG_EVERIFY, "timestamp: not a DER RFC 3161 response");
	}
	info = TS_RESP_get_tst_info(resp);
	if (!info || !asn1_time_to_time_t(TS_TST_INFO_get_time(info), &gen)) {
		TS_RESP_free(resp);
		return tg_err_set(err, TG_EVERIFY, "timestamp: no generation time");
	}
	rc = tg_err_set(err, TG_EVERIFY, "timestamp: no timestamp authority in the trusted root");
	for (i = 0; i < root->n_tsas; i++) {
		if (!sg_in_range(&root->tsas[i].valid, gen))
			continue;
		any_in_range = true;
		if ((rc = tsa_try(&root->tsas[i], resp, sig, gen, err)) == 0)
			break;
	}
	if (root->n_tsas && !any_in_range)
		rc = tg_err_set(err, TG_EVERIFY,
				"timestamp: time is outside every trusted TSA's validity");
	TS_RESP_free(resp);
	if (!rc)
		*t = gen;
	return rc;
}

/* ---- identity extensions ---- */

char *sg_cert_ext_text(X509 *cert, const char *oid, bool der_string)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int idx = obj ? X509_get_ext_by_OBJ(cert, obj, -1) : -1;
	X509_EXTENSION *ext;
	ASN1_OCTET_STRING *os;
	char *out = NULL;

	ASN1_OBJECT_free(obj);
	if (idx < 0 || !(ext = X509_get_ext(cert, idx)) || !(os = X509_EXTENSION_get_data(ext)))
		return NULL;
	if (der_string) {
		const unsigned char *p = ASN1_STRING_get0_data(os);
		ASN1_UTF8STRING *u = d2i_ASN1_UTF8STRING(NULL, &p, ASN1_STRING_length(os));

		if (u)
			out = tg_strndup((const char *)ASN1_STRING_get0_data(u),
					 (size_t)ASN1_STRING_length(u));
		ASN1_UTF8STRING_free(u);
		ERR_clear_error();
	} else {
		out = tg_strndup((const char *)ASN1_STRING_get0_data(os),
				 (size_t)ASN1_STRING_length(os));
	}
	/* An embedded NUL would let "a\0b" pass a check on "a". */
	if (out && der_string == false &&
	    memchr(ASN1_STRING_get0_data(os), '\0', (size_t)ASN1_STRING_length(os))) {
		free(out);
		out = NULL;
	}
	return out;
}

char *sg_cert_san(X509 *cert)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	char *out = NULL;
	int i;

	for (i = 0; names && i < sk_GENERAL_NAME_num(names) && !out; i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		const ASN1_IA5STRING *s = NULL;

		if (g->type == GEN_URI)
			s = g->d.uniformResourceIdentifier;
		else if (g->type == GEN_EMAIL)
			s = g->d.rfc822Name;
		if (s) {
			size_t n = (size_t)ASN1_STRING_length(s);

			if (!memchr(ASN1_STRING_get0_data(s), '\0', n))
				out = tg_strndup((const char *)ASN1_STRING_get0_data(s), n);
		}
	}
	GENERAL_NAMES_free(names);
	return out;
}

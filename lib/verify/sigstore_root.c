/* trusted_root.json (dev.sigstore.trustroot.v1.TrustedRoot) and the small
 * helpers every Sigstore file uses. */
#define _DEFAULT_SOURCE
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lazy/lazy.h"
#include "tollgate/fs.h"
#include "tollgate/json.h"
#include "tollgate/str.h"
#include "core/b64.h"
#include "verify/sigstore_int.h"

bool sg_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	const char *p;
	int64_t v;
	char buf[8];
	int i;
	static const int pos[6] = { 0, 5, 8, 11, 14, 17 };
	static const int len[6] = { 4, 2, 2, 2, 2, 2 };
	int vals[6];

	if (!s || strlen(s) < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return false;
	for (i = 0; i < 6; i++) {
		memcpy(buf, s + pos[i], (size_t)len[i]);
		buf[len[i]] = '\0';
		if (buf[0] < '0' || buf[0] > '9' || !tg_parse_i64(buf, &v))
			return false;
		vals[i] = (int)v;
	}
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if ((*p != 'Z' && *p != 'z') || p[1])
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = vals[0] - 1900;
	tm.tm_mon = vals[1] - 1;
	tm.tm_mday = vals[2];
	tm.tm_hour = vals[3];
	tm.tm_min = vals[4];
	tm.tm_sec = vals[5];
	if (vals[1] < 1 || vals[1] > 12 || vals[2] < 1 || vals[2] > 31 || vals[3] > 23 ||
	    vals[4] > 59 || vals[5] > 60)
		return false;
	*out = timegm(&tm);
	return true;
}

bool sg_in_range(const struct sg_range *r, time_t t)
{
	/* TimeRange is a closed interval. */
	return t >= r->start && (!r->has_end || t <= r->end);
}

static const EVP_MD *ec_digest(EVP_PKEY *key)
{
	int bits = EVP_PKEY_get_bits(key);

	if (bits > 384)
		return EVP_sha512();
	if (bits > 256)
		return EVP_sha384();
	return EVP_sha256();
}

bool sg_verify_data(EVP_PKEY *key, const unsigned char *data, size_t len,
		    const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX *ctx;
	const EVP_MD *md = NULL;
	bool ok;

	if (!key || !sig || !siglen)
		return false;
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_ED25519:
		md = NULL;
		break;
	case EVP_PKEY_EC:
		md = ec_digest(key);
		break;
	case EVP_PKEY_RSA:
		md = EVP_sha256();
		break;
	default:
		return false;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return false;
	ok = EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
	     EVP_DigestVerify(ctx, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

bool sg_verify_digest(EVP_PKEY *key, const unsigned char *dig, size_t dlen,
		      const unsigned char *sig, size_t siglen)
{
	EVP_PKEY_CTX *ctx;
	const EVP_MD *md;
	bool ok;

	if (!key || !sig || !siglen)
		return false;
	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC &&
	    EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
		return false; /* Ed25519 cannot verify a prehash */
	md = dlen == 64 ? EVP_sha512() : dlen == 48 ? EVP_sha384() : dlen == 32 ? EVP_sha256()
								   : NULL;
	if (!md)
		return false;
	ctx = EVP_PKEY_CTX_new(key, NULL);
	if (!ctx)
		return false;
	ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, md) == 1 &&
	     EVP_PKEY_verify(ctx, sig, siglen, dig, dlen) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

int sg_b64_member(const json_t *obj, const char *key, const char *what,
		  struct tg_buf *out, struct tg_err *err)
{
	const char *s = tg_json_str(obj, key);
	int rc;

	if (!s)
		return tg_err_set(err, TG_EPARSE, "%s: missing", what);
	rc = tg_b64_decode(s, strlen(s), TG_B64_STD, out, err);
	if (rc)
		tg_err_prefix(err, "%s", what);
	return rc;
}

bool sg_json_int64(const json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return true;
	}
	if (json_is_string(v))
		return tg_parse_i64(json_string_value(v), out);
	return false;
}

/* ---- trusted root ---- */

static int parse_range(const json_t *vf, const char *what, struct sg_range *r,
		       struct tg_err *err)
{
	const char *start = tg_json_str(vf, "start");
	const char *end = tg_json_str(vf, "end");

	if (!vf || !start || !sg_parse_time(start, &r->start))
		return tg_err_set(err, TG_EPARSE, "%s: validFor.start missing or not RFC 3339",
				  what);
	r->has_end = end != NULL;
	if (end && !sg_parse_time(end, &r->end))
		return tg_err_set(err, TG_EPARSE, "%s: validFor.end is not RFC 3339", what);
	return 0;
}

static EVP_PKEY *parse_key_der(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)len);

	if (k && p == der + len)
		return k;
	EVP_PKEY_free(k);
	p = der;
	k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len); /* PKCS#1 */
	if (k && p == der + len)
		return k;
	EVP_PKEY_free(k);
	return NULL;
}

static int parse_logs(const json_t *arr, const char *what, struct sg_log **out,
		      size_t *n, struct tg_err *err)
{
	size_t i, cnt;
	json_t *v;
	struct tg_buf b;
	int rc = 0;

	if (!json_is_array(arr)) {
		*n = 0;
		return 0;
	}
	cnt = json_array_size(arr);
	if (cnt > SG_MAX_KEYS)
		return tg_err_set(err, TG_ELIMIT, "%s: more than %d entries", what, SG_MAX_KEYS);
	*out = calloc(cnt ? cnt : 1, sizeof(**out));
	if (!*out)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	tg_buf_init(&b, 1 << 16);
	json_array_foreach(arr, i, v) {
		struct sg_log *l = &(*out)[i];
		const json_t *pk = tg_json_obj(v, "publicKey");
		const json_t *lid = tg_json_obj(v, "logId");
		const char *url = tg_json_str(v, "baseUrl");

		*n = i + 1;
		tg_buf_reset(&b);
		if ((rc = sg_b64_member(pk, "rawBytes", "publicKey.rawBytes", &b, err)))
			goto fail;
		if (!(l->key = parse_key_der((const unsigned char *)b.data, b.len))) {
			rc = tg_err_set(err, TG_EPARSE, "publicKey.rawBytes is not a public key");
			goto fail;
		}
		if ((rc = parse_range(tg_json_obj(pk, "validFor"), "publicKey", &l->valid, err)))
			goto fail;
		tg_buf_reset(&b);
		if ((rc = sg_b64_member(lid, "keyId", "logId.keyId", &b, err)))
			goto fail;
		if (b.len == 0 || b.len > sizeof(l->id)) {
			rc = tg_err_set(err, TG_EPARSE, "logId.keyId has %zu bytes", b.len);
			goto fail;
		}
		memcpy(l->id, b.data, b.len);
		l->id_len = b.len;
		l->base_url = tg_strdup(url ? url : "");
		continue;
fail:
		tg_err_prefix(err, "%s[%zu]", what, i);
		break;
	}
	tg_buf_release(&b);
	return rc;
}

static int parse_authorities(const json_t *arr, const char *what,
			     struct sg_authority **out, size_t *n, struct tg_err *err)
{
	size_t i, j, cnt;
	json_t *v, *c;
	struct tg_buf b;
	int rc = 0;

	if (!json_is_array(arr)) {
		*n = 0;
		return 0;
	}
	cnt = json_array_size(arr);
	if (cnt > SG_MAX_KEYS)
		return tg_err_set(err, TG_ELIMIT, "%s: more than %d entries", what, SG_MAX_KEYS);
	*out = calloc(cnt ? cnt : 1, sizeof(**out));
	if (!*out)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	tg_buf_init(&b, 1 << 16);
	json_array_foreach(arr, i, v) {
		struct sg_authority *a = &(*out)[i];
		json_t *certs = tg_json_arr(tg_json_obj(v, "certChain"), "certificates");
		const char *uri = tg_json_str(v, "uri");

		*n = i + 1;
		a->chain = sk_X509_new_null();
		a->uri = tg_strdup(uri ? uri : "");
		if (!a->chain || !a->uri) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto fail;
		}
		if (!certs || json_array_size(certs) == 0 ||
		    json_array_size(certs) > SG_MAX_CHAIN) {
			rc = tg_err_set(err, TG_EPARSE, "certChain.certificates missing or too long");
			goto fail;
		}
		json_array_foreach(certs, j, c) {
			const unsigned char *p;
			X509 *x;

			tg_buf_reset(&b);
			if ((rc = sg_b64_member(c, "rawBytes", "certificate rawBytes", &b, err)))
				goto fail;
			p = (const unsigned char *)b.data;
			x = d2i_X509(NULL, &p, (long)b.len);
			if (!x || p != (const unsigned char *)b.data + b.len) {
				X509_free(x);
				rc = tg_err_set(err, TG_EPARSE, "certificate %zu is not DER X.509", j);
				goto fail;
			}
			if (!sk_X509_push(a->chain, x)) {
				X509_free(x);
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto fail;
			}
		}
		if ((rc = parse_range(tg_json_obj(v, "validFor"), "authority", &a->valid, err)))
			goto fail;
		continue;
fail:
		tg_err_prefix(err, "%s[%zu]", what, i);
		break;
	}
	tg_buf_release(&b);
	return rc;
}

int tg_sigstore_root_load(const char *data, size_t len, const char *origin,
			  struct tg_sigstore_root **out, struct tg_err *err)
{
	json_t *j;
	struct tg_sigstore_root *r;
	const char *mt;
	int rc;

	*out = NULL;
	/* Every Sigstore check starts from a trusted root. */
	if ((rc = tg_lazy_require(TG_LAZY_CRYPTO, "Sigstore verification", err)))
		return rc;
	if (len > TG_SIGSTORE_MAX_ROOT)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0, "trusted root over %zu bytes",
				 TG_SIGSTORE_MAX_ROOT);
	if (!(j = tg_json_load(data, len, origin, err)))
		return err ? err->code : TG_EPARSE;
	mt = tg_json_str(j, "mediaType");
	if (!mt || !tg_str_starts_with(mt, "application/vnd.dev.sigstore.trustedroot")) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0,
			       "not a Sigstore trusted root (mediaType '%.100s')", mt ? mt : "");
		json_decref(j); /* mt points into j */
		return rc;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		json_decref(j);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	if ((rc = parse_logs(tg_json_arr(j, "tlogs"), "tlogs", &r->tlogs, &r->n_tlogs, err)) ||
	    (rc = parse_logs(tg_json_arr(j, "ctlogs"), "ctlogs", &r->ctlogs, &r->n_ctlogs,
			     err)) ||
	    (rc = parse_authorities(tg_json_arr(j, "certificateAuthorities"),
				    "certificateAuthorities", &r->cas, &r->n_cas, err)) ||
	    (rc = parse_authorities(tg_json_arr(j, "timestampAuthorities"),
				    "timestampAuthorities", &r->tsas, &r->n_tsas, err))) {
		tg_err_locate(err, origin, 0, 0);
		tg_err_prefix(err, "trusted root");
		tg_sigstore_root_free(r);
		json_decref(j);
		return rc;
	}
	json_decref(j);
	*out = r;
	return 0;
}

int tg_sigstore_root_load_file(const char *path, struct tg_sigstore_root **out,
			       struct tg_err *err)
{
	struct tg_buf b;
	int rc;

	if (!path)
		path = tg_sigstore_default_root_path();
	tg_buf_init(&b, TG_SIGSTORE_MAX_ROOT);
	rc = tg_read_file(path, TG_SIGSTORE_MAX_ROOT, &b, err);
	if (!rc)
		rc = tg_sigstore_root_load(b.data, b.len, path, out, err);
	tg_buf_release(&b);
	return rc;
}

static void logs_free(struct sg_log *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		EVP_PKEY_free(l[i].key);
		free(l[i].base_url);
	}
	free(l);
}

static void auth_free(struct sg_authority *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sk_X509_pop_free(a[i].chain, X509_free);
		free(a[i].uri);
	}
	free(a);
}

void tg_sigstore_root_free(struct tg_sigstore_root *r)
{
	if (!r)
		return;
	logs_free(r->tlogs, r->n_tlogs);
	logs_free(r->ctlogs, r->n_ctlogs);
	auth_free(r->cas, r->n_cas);
	auth_free(r->tsas, r->n_tsas);
	free(r);
}

#ifndef TG_DATA_DIR
#define TG_DATA_DIR "/usr/local/share/tollgate"
#endif
#ifndef TG_SOURCE_DATA_DIR
#define TG_SOURCE_DATA_DIR "."
#endif

const char *tg_sigstore_default_root_path(void)
{
	static const char installed[] = TG_DATA_DIR "/rules/trusted_root/production.json";
	static const char source[] = TG_SOURCE_DATA_DIR "/rules/trusted_root/production.json";
	const char *env = getenv("TOLLGATE_TRUSTED_ROOT");

	if (env && *env)
		return env;
	if (access(installed, R_OK) == 0)
		return installed;
	return source;
}

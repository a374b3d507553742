/* libcrypto, loaded on first use (see lazy.h): an audit of a lockfile
 * hashes nothing and verifies no signature, and mapping and relocating
 * libcrypto (some 17,000 relocations) was the largest part of every
 * start-up once the other libraries were loaded lazily.
 *
 * The value each forwarder returns when the library cannot be loaded is
 * a failure that callers already treat as one, chosen so that nothing
 * passes by default: CRYPTO_memcmp and X509_cmp answer "different",
 * X509_check_issued and X509_STORE_CTX_get_error an error,
 * X509_get_extended_key_usage no usage at all, verifications 0. */
#include "lazy/lazy.h"

#if TG_LAZY_LOAD
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ct.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CRYPTO_FUNCS(X, V, D) \
	V(ASN1_OBJECT_free, (ASN1_OBJECT *p0), (p0)) \
	X(const unsigned char *, ASN1_STRING_get0_data, (const ASN1_STRING *p0), (p0), NULL) \
	X(int, ASN1_STRING_length, (const ASN1_STRING *p0), (p0), 0) \
	X(int, ASN1_TIME_to_tm, (const ASN1_TIME *p0, struct tm *p1), (p0, p1), 0) \
	V(ASN1_UTF8STRING_free, (ASN1_UTF8STRING *p0), (p0)) \
	X(int, BIO_free, (BIO *p0), (p0), 0) \
	X(BIO *, BIO_new_mem_buf, (const void *p0, int p1), (p0, p1), NULL) \
	V(CRYPTO_free, (void *p0, const char *p1, int p2), (p0, p1, p2)) \
	X(int, CRYPTO_memcmp, (const void *p0, const void *p1, size_t p2), (p0, p1, p2), 1) \
	V(ERR_clear_error, (void), ()) \
	V(ERR_error_string_n, (unsigned long p0, char *p1, size_t p2), (p0, p1, p2)) \
	X(unsigned long, ERR_peek_last_error, (void), (), 0) \
	X(int, EVP_DecodeBlock, (unsigned char *p0, const unsigned char *p1, int p2), (p0, p1, p2), -1) \
	X(int, EVP_Digest, (const void *p0, size_t p1, unsigned char *p2, unsigned int *p3, const EVP_MD *p4, ENGINE *p5), (p0, p1, p2, p3, p4, p5), 0) \
	X(int, EVP_DigestFinal_ex, (EVP_MD_CTX *p0, unsigned char *p1, unsigned int *p2), (p0, p1, p2), 0) \
	X(int, EVP_DigestInit_ex, (EVP_MD_CTX *p0, const EVP_MD *p1, ENGINE *p2), (p0, p1, p2), 0) \
	X(int, EVP_DigestUpdate, (EVP_MD_CTX *p0, const void *p1, size_t p2), (p0, p1, p2), 0) \
	X(int, EVP_DigestVerify, (EVP_MD_CTX *p0, const unsigned char *p1, size_t p2, const unsigned char *p3, size_t p4), (p0, p1, p2, p3, p4), 0) \
	X(int, EVP_DigestVerifyInit, (EVP_MD_CTX *p0, EVP_PKEY_CTX **p1, const EVP_MD *p2, ENGINE *p3, EVP_PKEY *p4), (p0, p1, p2, p3, p4), 0) \
	V(EVP_MD_CTX_free, (EVP_MD_CTX *p0), (p0)) \
	X(EVP_MD_CTX *, EVP_MD_CTX_new, (void), (), NULL) \
	V(EVP_PKEY_CTX_free, (EVP_PKEY_CTX *p0), (p0)) \
	X(EVP_PKEY_CTX *, EVP_PKEY_CTX_new, (EVP_PKEY *p0, ENGINE *p1), (p0, p1), NULL) \
	X(int, EVP_PKEY_CTX_set_signature_md, (EVP_PKEY_CTX *p0, const EVP_MD *p1), (p0, p1), 0) \
	X(int, EVP_PKEY_eq, (const EVP_PKEY *p0, const EVP_PKEY *p1), (p0, p1), 0) \
	V(EVP_PKEY_free, (EVP_PKEY *p0), (p0)) \
	X(int, EVP_PKEY_get_base_id, (const EVP_PKEY *p0), (p0), 0) \
	X(int, EVP_PKEY_get_bits, (const EVP_PKEY *p0), (p0), 0) \
	X(int, EVP_PKEY_verify, (EVP_PKEY_CTX *p0, const unsigned char *p1, size_t p2, const unsigned char *p3, size_t p4), (p0, p1, p2, p3, p4), 0) \
	X(int, EVP_PKEY_verify_init, (EVP_PKEY_CTX *p0), (p0), 0) \
	X(const EVP_MD *, EVP_sha256, (void), (), NULL) \
	X(const EVP_MD *, EVP_sha384, (void), (), NULL) \
	X(const EVP_MD *, EVP_sha512, (void), (), NULL) \
	V(GENERAL_NAMES_free, (GENERAL_NAMES *p0), (p0)) \
	X(ASN1_OBJECT *, OBJ_txt2obj, (const char *p0, int p1), (p0, p1), NULL) \
	V(OPENSSL_sk_free, (OPENSSL_STACK *p0), (p0)) \
	X(OPENSSL_STACK *, OPENSSL_sk_new_null, (void), (), NULL) \
	X(int, OPENSSL_sk_num, (const OPENSSL_STACK *p0), (p0), -1) \
	V(OPENSSL_sk_pop_free, (OPENSSL_STACK *p0, void (*p1) (void *)), (p0, p1)) \
	X(int, OPENSSL_sk_push, (OPENSSL_STACK *p0, const void *p1), (p0, p1), 0) \
	X(void *, OPENSSL_sk_value, (const OPENSSL_STACK *p0, int p1), (p0, p1), NULL) \
	X(const char *, OpenSSL_version, (int p0), (p0), "") \
	X(EVP_PKEY *, PEM_read_bio_PUBKEY, (BIO *p0, EVP_PKEY **p1, pem_password_cb *p2, void *p3), (p0, p1, p2, p3), NULL) \
	X(X509 *, PEM_read_bio_X509, (BIO *p0, X509 **p1, pem_password_cb *p2, void *p3), (p0, p1, p2, p3), NULL) \
	X(int, RAND_bytes, (unsigned char *p0, int p1), (p0, p1), 0) \
	V(SCT_LIST_free, (struct stack_st_SCT *p0), (p0)) \
	X(size_t, SCT_get0_extensions, (const SCT *p0, unsigned char **p1), (p0, p1), 0) \
	X(size_t, SCT_get0_log_id, (const SCT *p0, unsigned char **p1), (p0, p1), 0) \
	X(size_t, SCT_get0_signature, (const SCT *p0, unsigned char **p1), (p0, p1), 0) \
	X(uint64_t, SCT_get_timestamp, (const SCT *p0), (p0), 0) \
	X(sct_version_t, SCT_get_version, (const SCT *p0), (p0), SCT_VERSION_NOT_SET) \
	X(unsigned char *, SHA256, (const unsigned char *p0, size_t p1, unsigned char *p2), (p0, p1, p2), NULL) \
	V(TS_RESP_free, (TS_RESP *p0), (p0)) \
	X(TS_TST_INFO *, TS_RESP_get_tst_info, (TS_RESP *p0), (p0), NULL) \
	X(int, TS_RESP_verify_response, (TS_VERIFY_CTX *p0, TS_RESP *p1), (p0, p1), 0) \
	X(const ASN1_GENERALIZEDTIME *, TS_TST_INFO_get_time, (const TS_TST_INFO *p0), (p0), NULL) \
	V(TS_VERIFY_CTX_free, (TS_VERIFY_CTX *p0), (p0)) \
	X(TS_VERIFY_CTX *, TS_VERIFY_CTX_new, (void), (), NULL) \
	X(struct stack_st_X509 *, TS_VERIFY_CTX_set_certs, (TS_VERIFY_CTX *p0, struct stack_st_X509 *p1), (p0, p1), NULL) \
	X(BIO *, TS_VERIFY_CTX_set_data, (TS_VERIFY_CTX *p0, BIO *p1), (p0, p1), NULL) \
	X(int, TS_VERIFY_CTX_set_flags, (TS_VERIFY_CTX *p0, int p1), (p0, p1), 0) \
	X(X509_STORE *, TS_VERIFY_CTX_set_store, (TS_VERIFY_CTX *p0, X509_STORE *p1), (p0, p1), NULL) \
	V(X509_EXTENSION_free, (X509_EXTENSION *p0), (p0)) \
	X(ASN1_OCTET_STRING *, X509_EXTENSION_get_data, (X509_EXTENSION *p0), (p0), NULL) \
	V(X509_STORE_CTX_free, (X509_STORE_CTX *p0), (p0)) \
	X(struct stack_st_X509 *, X509_STORE_CTX_get0_chain, (const X509_STORE_CTX *p0), (p0), NULL) \
	X(X509_VERIFY_PARAM *, X509_STORE_CTX_get0_param, (const X509_STORE_CTX *p0), (p0), NULL) \
	X(int, X509_STORE_CTX_get_error, (const X509_STORE_CTX *p0), (p0), X509_V_ERR_UNSPECIFIED) \
	X(int, X509_STORE_CTX_init, (X509_STORE_CTX *p0, X509_STORE *p1, X509 *p2, struct stack_st_X509 *p3), (p0, p1, p2, p3), 0) \
	X(X509_STORE_CTX *, X509_STORE_CTX_new, (void), (), NULL) \
	X(int, X509_STORE_add_cert, (X509_STORE *p0, X509 *p1), (p0, p1), 0) \
	V(X509_STORE_free, (X509_STORE *p0), (p0)) \
	X(X509_VERIFY_PARAM *, X509_STORE_get0_param, (const X509_STORE *p0), (p0), NULL) \
	X(X509_STORE *, X509_STORE_new, (void), (), NULL) \
	X(int, X509_VERIFY_PARAM_set_flags, (X509_VERIFY_PARAM *p0, unsigned long p1), (p0, p1), 0) \
	V(X509_VERIFY_PARAM_set_time, (X509_VERIFY_PARAM *p0, time_t p1), (p0, p1)) \
	X(int, X509_check_ca, (X509 *p0), (p0), 0) \
	X(int, X509_check_issued, (X509 *p0, X509 *p1), (p0, p1), X509_V_ERR_UNSPECIFIED) \
	X(int, X509_cmp, (const X509 *p0, const X509 *p1), (p0, p1), 1) \
	X(X509_EXTENSION *, X509_delete_ext, (X509 *p0, int p1), (p0, p1), NULL) \
	X(X509 *, X509_dup, (const X509 *p0), (p0), NULL) \
	V(X509_free, (X509 *p0), (p0)) \
	X(EVP_PKEY *, X509_get0_pubkey, (const X509 *p0), (p0), NULL) \
	X(X509_PUBKEY *, X509_get_X509_PUBKEY, (const X509 *p0), (p0), NULL) \
	X(X509_EXTENSION *, X509_get_ext, (const X509 *p0, int p1), (p0, p1), NULL) \
	X(int, X509_get_ext_by_NID, (const X509 *p0, int p1, int p2), (p0, p1, p2), -1) \
	X(int, X509_get_ext_by_OBJ, (const X509 *p0, const ASN1_OBJECT *p1, int p2), (p0, p1, p2), -1) \
	X(void *, X509_get_ext_d2i, (const X509 *p0, int p1, int *p2, int *p3), (p0, p1, p2, p3), NULL) \
	X(uint32_t, X509_get_extended_key_usage, (X509 *p0), (p0), 0) \
	X(int, X509_verify_cert, (X509_STORE_CTX *p0), (p0), 0) \
	X(const char *, X509_verify_cert_error_string, (long p0), (p0), "libcrypto is not loaded") \
	X(ASN1_UTF8STRING *, d2i_ASN1_UTF8STRING, (ASN1_UTF8STRING **p0, const unsigned char **p1, long p2), (p0, p1, p2), NULL) \
	X(EVP_PKEY *, d2i_PUBKEY, (EVP_PKEY **p0, const unsigned char **p1, long p2), (p0, p1, p2), NULL) \
	X(EVP_PKEY *, d2i_PublicKey, (int p0, EVP_PKEY **p1, const unsigned char **p2, long p3), (p0, p1, p2, p3), NULL) \
	X(TS_RESP *, d2i_TS_RESP, (TS_RESP **p0, const unsigned char **p1, long p2), (p0, p1, p2), NULL) \
	X(X509 *, d2i_X509, (X509 **p0, const unsigned char **p1, long p2), (p0, p1, p2), NULL) \
	X(int, i2d_X509_PUBKEY, (const X509_PUBKEY *p0, unsigned char **p1), (p0, p1), -1) \
	X(int, i2d_re_X509_tbs, (X509 *p0, unsigned char **p1), (p0, p1), -1)


TG_LAZY_DEFINE(CRYPTO_FUNCS, TG_SONAME_CRYPTO)
TG_LAZY_LOADER(tg_lazy_load_crypto)

#else
typedef int tg_lazy_crypto_unused;
#endif

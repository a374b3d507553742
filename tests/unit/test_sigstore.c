/* Sigstore building blocks: RFC 6962 Merkle inclusion (checked against an
 * independent recursive implementation of the RFC's definitions), DSSE PAE,
 * digest parsing, distribution-name equality, trusted-root parsing, and a
 * real bundle verified end to end with policy variations. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/fs.h"
#include "tollgate/sigstore.h"
#include "tollgate/verify_attest.h"

/* ---- RFC 6962 section 2.1, written as the RFC defines it ---- */

static void leaf_hash(unsigned i, unsigned char out[32])
{
	unsigned char buf[5] = { 0x00, (unsigned char)i, (unsigned char)(i >> 8), 0x5a, 0xa5 };

	SHA256(buf, sizeof(buf), out);
}

static unsigned split_point(unsigned n) /* largest power of two < n */
{
	unsigned k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

static void mth(unsigned lo, unsigned n, unsigned char out[32])
{
	unsigned char buf[65];
	unsigned k;

	if (n == 1) {
		leaf_hash(lo, out);
		return;
	}
	k = split_point(n);
	buf[0] = 0x01;
	mth(lo, k, buf + 1);
	mth(lo + k, n - k, buf + 33);
	SHA256(buf, 65, out);
}

/* PATH(m, D[lo:lo+n]) appended to path. */
static void audit_path(unsigned m, unsigned lo, unsigned n, unsigned char (*path)[32],
		       size_t *np)
{
	unsigned k;

	if (n == 1)
		return;
	k = split_point(n);
	if (m < k) {
		audit_path(m, lo, k, path, np);
		mth(lo + k, n - k, path[(*np)++]);
	} else {
		audit_path(m - k, lo + k, n - k, path, np);
		mth(lo, k, path[(*np)++]);
	}
}

static void merkle_matches_rfc(void **state)
{
	unsigned n, m;

	(void)state;
	for (n = 1; n <= 40; n++) {
		unsigned char root[32];

		mth(0, n, root);
		for (m = 0; m < n; m++) {
			unsigned char path[64][32], leaf[32], bad[32];
			size_t np = 0;

			leaf_hash(m, leaf);
			audit_path(m, 0, n, path, &np);
			assert_true(tg_merkle_verify_inclusion(m, n, leaf,
							       (const unsigned char(*)[32])path, np, root));
			/* wrong index, index past the end, corrupted path, extra or
			 * missing hash, wrong root. (A proof may also fit a larger tree
			 * size: the size is bound by the signed checkpoint, not here.) */
			if (n > 1)
				assert_false(tg_merkle_verify_inclusion((m + 1) % n, n, leaf,
									(const unsigned char(*)[32])path, np,
									root));
			assert_false(tg_merkle_verify_inclusion(n, n, leaf,
								(const unsigned char(*)[32])path, np, root));
			if (np) {
				path[np - 1][7] ^= 1;
				assert_false(tg_merkle_verify_inclusion(
					m, n, leaf, (const unsigned char(*)[32])path, np, root));
				path[np - 1][7] ^= 1;
				assert_false(tg_merkle_verify_inclusion(
					m, n, leaf, (const unsigned char(*)[32])path, np - 1, root));
			}
			memcpy(path[np], root, 32);
			assert_false(tg_merkle_verify_inclusion(m, n, leaf,
								(const unsigned char(*)[32])path, np + 1,
								root));
			memcpy(bad, root, 32);
			bad[0] ^= 0x80;
			assert_false(tg_merkle_verify_inclusion(m, n, leaf,
								(const unsigned char(*)[32])path, np, bad));
		}
	}
	{
		unsigned char z[32] = { 0 };

		assert_false(tg_merkle_verify_inclusion(0, 0, z, NULL, 0, z));
	}
}

static void dsse_pae(void **state)
{
	struct tg_buf b;
	struct tg_err err;

	(void)state;
	/* The example in the DSSE protocol description. */
	tg_buf_init(&b, 1024);
	assert_int_equal(tg_dsse_pae("http://example.com/HelloWorld",
				     (const unsigned char *)"hello world", 11, &b, &err), 0);
	assert_string_equal(b.data, "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
	tg_buf_release(&b);
}

static void digests(void **state)
{
	unsigned char d[32];

	(void)state;
	assert_true(tg_sigstore_parse_digest(
		"sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", d));
	assert_int_equal(d[0], 0xa0);
	assert_int_equal(d[31], 0xbf);
	assert_false(tg_sigstore_parse_digest("sha256:a0cf", d));
	assert_false(tg_sigstore_parse_digest(
		"sha512:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", d));
	assert_false(tg_sigstore_parse_digest(
		"sha256:g0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", d));
}

static void dist_names(void **state)
{
	(void)state;
	assert_true(tg_dist_names_equal(
		"spt3g-1.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
		"spt3g-1.0-cp310-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"));
	assert_true(tg_dist_names_equal("pypi_attestations-0.0.19.tar.gz",
					"Pypi.Attestations-0.0.19.tar.gz"));
	assert_true(tg_dist_names_equal("Foo_Bar-1.0-py2.py3-none-any.whl",
					"foo_bar-1.0-py3.py2-none-any.whl"));
	assert_false(tg_dist_names_equal("foo-1.0-py3-none-any.whl", "foo-1.1-py3-none-any.whl"));
	assert_false(tg_dist_names_equal("foo-1.0-py3-none-any.whl",
					 "foo-1.0-1-py3-none-any.whl"));
	assert_false(tg_dist_names_equal("foo-1.0-py3-none-any.whl", "foo-1.0.tar.gz"));
	assert_false(tg_dist_names_equal("foo-1.0.tar.gz", "foo-1.0.zip"));
	assert_false(tg_dist_names_equal("rfc8785-0.1.2-py3-none-any.whl",
					 "wrong_name-0.1.2-py3-none-any.whl"));
	assert_false(tg_dist_names_equal("foo-1.0-cp310-cp310-linux_x86_64.whl",
					 "foo-1.0-cp310-cp310-linux_x86_64.linux_i686.whl"));
	assert_false(tg_dist_names_equal("../foo-1.0.tar.gz", "foo-1.0.tar.gz"));
}

static char *source_path(const char *rel)
{
	const char *src = getenv("TG_SOURCE_DIR");
	char *p = malloc(4096);

	assert_non_null(p);
	snprintf(p, 4096, "%s/%s", src ? src : ".", rel);
	return p;
}

static void read_all(const char *rel, struct tg_buf *b)
{
	struct tg_err err;
	char *p = source_path(rel);

	tg_buf_init(b, 16 << 20);
	if (tg_read_file(p, 16 << 20, b, &err) != 0)
		fail_msg("%s: %s", p, err.msg);
	free(p);
}

static void trusted_root_errors(void **state)
{
	struct tg_sigstore_root *r = NULL;
	struct tg_buf b;
	struct tg_err err;

	(void)state;
	read_all("tests/data/third_party/sigstore/conformance-assets/bundle-verify/"
		 "trust-root-tlog-missing-validity-start_fail/trusted_root.json", &b);
	assert_int_equal(tg_sigstore_root_load(b.data, b.len, "root.json", &r, &err), TG_EPARSE);
	assert_null(r);
	assert_non_null(strstr(err.msg, "validFor.start"));
	assert_string_equal(err.file, "root.json");
	tg_buf_release(&b);
	assert_int_equal(tg_sigstore_root_load("{\"mediaType\":\"x\"}", 17, "r", &r, &err),
			 TG_EPARSE);
	assert_int_equal(tg_sigstore_root_load("{", 1, "r", &r, &err), TG_EPARSE);
	assert_int_equal(tg_sigstore_root_load_file(NULL, &r, &err), 0); /* shipped root */
	tg_sigstore_root_free(r);
}

#define BEACON "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/" \
	       ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"

static int verify_case(const char *rel, const struct tg_sigstore_policy *pol,
		       struct tg_sigstore_result *res, struct tg_err *err)
{
	struct tg_sigstore_root *root = NULL;
	struct tg_sigstore_artifact art;
	struct tg_buf b;
	int rc;

	memset(&art, 0, sizeof(art));
	assert_true(tg_sigstore_parse_digest(
		"sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf",
		art.sha256));
	assert_int_equal(tg_sigstore_root_load_file(NULL, &root, err), 0);
	read_all(rel, &b);
	tg_sigstore_result_init(res);
	rc = tg_sigstore_verify(root, b.data, b.len, "bundle.json", &art, pol, res, err);
	tg_buf_release(&b);
	tg_sigstore_root_free(root);
	return rc;
}

static void real_bundle_policies(void **state)
{
	const char *c = "tests/data/third_party/sigstore/conformance-assets/bundle-verify/"
			"happy-path-v0.3/bundle.sigstore.json";
	struct tg_sigstore_policy pol;
	struct tg_sigstore_result res;
	struct tg_err err;

	(void)state;
	memset(&pol, 0, sizeof(pol));
	pol.identity = BEACON;
	pol.issuer = "https://token.actions.githubusercontent.com";
	assert_int_equal(verify_case(c, &pol, &res, &err), 0);
	assert_string_equal(res.san, BEACON);
	assert_string_equal(res.source_repo_ref, "refs/heads/main");
	assert_int_equal(res.n_tlog, 1);
	assert_true(res.signed_at > 1700000000);
	tg_sigstore_result_release(&res);

	pol.issuer = "https://accounts.google.com";
	assert_int_equal(verify_case(c, &pol, &res, &err), TG_EVERIFY);
	assert_non_null(strstr(err.msg, "identity: OIDC issuer"));
	tg_sigstore_result_release(&res);

	memset(&pol, 0, sizeof(pol));
	pol.identity_regex = "^https://github\\.com/sigstore-conformance/";
	pol.issuer = "https://token.actions.githubusercontent.com";
	assert_int_equal(verify_case(c, &pol, &res, &err), 0);
	tg_sigstore_result_release(&res);
	pol.identity_regex = "^https://github\\.com/someone-else/";
	assert_int_equal(verify_case(c, &pol, &res, &err), TG_EVERIFY);
	assert_non_null(strstr(err.msg, "identity: SAN"));
	tg_sigstore_result_release(&res);

	memset(&pol, 0, sizeof(pol));
	pol.repository = "sigstore-conformance/extremely-dangerous-public-oidc-beacon";
	pol.workflow = "extremely-dangerous-oidc-beacon.yml";
	pol.ref = "refs/heads/main";
	assert_int_equal(verify_case(c, &pol, &res, &err), 0);
	tg_sigstore_result_release(&res);
	pol.ref = "refs/heads/other";
	assert_int_equal(verify_case(c, &pol, &res, &err), TG_EVERIFY);
	assert_non_null(strstr(err.msg, "identity: source ref"));
	tg_sigstore_result_release(&res);

	/* No policy at all is refused, not waved through. */
	memset(&pol, 0, sizeof(pol));
	assert_int_equal(verify_case(c, &pol, &res, &err), TG_EVERIFY);
	assert_non_null(strstr(err.msg, "no identity policy"));
	tg_sigstore_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merkle_matches_rfc),
		cmocka_unit_test(dsse_pae),
		cmocka_unit_test(digests),
		cmocka_unit_test(dist_names),
		cmocka_unit_test(trusted_root_errors),
		cmocka_unit_test(real_bundle_policies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

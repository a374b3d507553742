/* The on-demand library loader (lib/lazy): every library tollgate loads
 * this way opens and forwards real calls; a missing library or symbol
 * becomes an error that names it; and the executable itself does not
 * link any of them. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lazy/lazy.h"

#include <archive.h>
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#if TG_LAZY_LOAD

static void every_library_loads(void **state)
{
	static const enum tg_lazy_which all[] = {
		TG_LAZY_CURL, TG_LAZY_MHD, TG_LAZY_ARCHIVE, TG_LAZY_YARA, TG_LAZY_XML,
		TG_LAZY_CRYPTO,
	};
	struct tg_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		tg_err_clear(&err);
		assert_int_equal(tg_lazy_require(all[i], "a test", &err), 0);
	}
}

/* Calls go through the forwarders to the real code. */
static void forwarders_reach_the_library(void **state)
{
	static const char xml[] = "<a><b id=\"x\">text</b></a>";
	CURLU *u = curl_url();
	char *host = NULL;
	struct archive *a;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	xmlChar *id;

	(void)state;
	assert_non_null(strstr(curl_version(), "libcurl/"));
	assert_non_null(u);
	assert_int_equal(curl_url_set(u, CURLUPART_URL, "https://Example.org:8443/p", 0),
			 CURLUE_OK);
	assert_int_equal(curl_url_get(u, CURLUPART_HOST, &host, 0), CURLUE_OK);
	assert_string_equal(host, "Example.org");
	curl_free(host);
	curl_url_cleanup(u);

	/* A varargs option of each type reaches libcurl intact. */
	{
		CURL *c = curl_easy_init();
		char *scheme = NULL;
		assert_non_null(c);
		assert_int_equal(curl_easy_setopt(c, CURLOPT_URL, "file:///dev/null"), CURLE_OK);
		assert_int_equal(curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L), CURLE_OK);
		assert_int_equal(curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)1 << 40),
				 CURLE_OK);
		assert_int_equal(curl_easy_setopt(c, CURLOPT_SSLVERSION, 99999L),
				 CURLE_BAD_FUNCTION_ARGUMENT);
		assert_int_equal(curl_easy_perform(c), CURLE_OK);
		assert_int_equal(curl_easy_getinfo(c, CURLINFO_SCHEME, &scheme), CURLE_OK);
		assert_non_null(scheme);
		assert_int_equal(strcasecmp(scheme, "file"), 0);
		curl_easy_cleanup(c);
	}

	a = archive_read_new();
	assert_non_null(a);
	assert_int_equal(archive_read_support_format_zip(a), ARCHIVE_OK);
	assert_int_not_equal(archive_read_open_memory(a, "not a zip", 9), ARCHIVE_OK);
	assert_non_null(archive_error_string(a));
	archive_read_free(a);

	/* libcrypto: a digest (FIPS 180-2's "abc" vector) by both routes,
	 * and a comparison in each direction. */
	{
		static const unsigned char abc_sha256[32] = {
			0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
			0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
			0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
		};
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		EVP_MD_CTX *mc = EVP_MD_CTX_new();

		assert_non_null(SHA256((const unsigned char *)"abc", 3, md));
		assert_memory_equal(md, abc_sha256, 32);
		memset(md, 0, sizeof(md));
		assert_non_null(mc);
		assert_int_equal(EVP_DigestInit_ex(mc, EVP_sha256(), NULL), 1);
		assert_int_equal(EVP_DigestUpdate(mc, "abc", 3), 1);
		assert_int_equal(EVP_DigestFinal_ex(mc, md, &mdlen), 1);
		assert_int_equal(mdlen, 32);
		assert_memory_equal(md, abc_sha256, 32);
		EVP_MD_CTX_free(mc);
		assert_int_equal(CRYPTO_memcmp(md, abc_sha256, 32), 0);
		md[31] ^= 1;
		assert_int_not_equal(CRYPTO_memcmp(md, abc_sha256, 32), 0);
		assert_non_null(strstr(OpenSSL_version(OPENSSL_VERSION), "OpenSSL"));
	}

	ctxt = xmlNewParserCtxt();
	assert_non_null(ctxt);
	doc = xmlCtxtReadMemory(ctxt, xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	id = xmlGetProp(xmlDocGetRootElement(doc)->children, (const xmlChar *)"id");
	assert_string_equal((const char *)id, "x");
	xmlFree(id);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
}

static struct tg_lazy_lib missing_lib = { "libtollgate-absent.so.0", PTHREAD_ONCE_INIT,
					  false, "" };
static struct tg_lazy_lib missing_sym = { TG_SONAME_CURL, PTHREAD_ONCE_INIT, false, "" };

static bool resolve_never(void *h)
{
	(void)h;
	fail_msg("resolve ran for a library that cannot be opened");
	return false;
}

static bool resolve_absent_symbol(void *h)
{
	void (*fn)(void) = NULL;
	return tg_lazy_sym(&missing_sym, h, "no_such_function_here", &fn, sizeof(fn));
}

static void open_missing_lib(void)
{
	tg_lazy_do_open(&missing_lib, resolve_never);
}

static void open_missing_sym(void)
{
	tg_lazy_do_open(&missing_sym, resolve_absent_symbol);
}

static void failures_say_what_is_missing(void **state)
{
	(void)state;
	assert_false(tg_lazy_open(&missing_lib, open_missing_lib));
	assert_non_null(strstr(missing_lib.why, "libtollgate-absent.so.0"));
	/* the outcome is kept: a second call does not retry */
	assert_false(tg_lazy_open(&missing_lib, open_missing_lib));

	assert_false(tg_lazy_open(&missing_sym, open_missing_sym));
	assert_non_null(strstr(missing_sym.why, "has no symbol no_such_function_here"));
	assert_non_null(strstr(missing_sym.why, TG_SONAME_CURL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_library_loads),
		cmocka_unit_test(forwarders_reach_the_library),
		cmocka_unit_test(failures_say_what_is_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

static void linked_normally(void **state)
{
	struct tg_err err;

	(void)state;
	assert_int_equal(tg_lazy_require(TG_LAZY_CURL, "a test", &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(linked_normally) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif

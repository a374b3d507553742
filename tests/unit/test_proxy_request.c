/* Proxy client input: routing of request paths (with the PEP 503
 * normalisation redirects pip and uv rely on), Authorization headers as
 * pip sends them for https://user:token@host/ URLs, and versions taken
 * from real distribution file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tollgate/proxy_request.h"

static void route_is(const char *path, enum tg_proxy_route want,
		     const char *project, const char *extra)
{
	struct tg_proxy_target t;

	tg_proxy_route(path, &t);
	if (t.route != want)
		fail_msg("%s: route %d, wanted %d", path, t.route, want);
	if (project)
		assert_string_equal(t.project, project);
	if (extra && want == TG_ROUTE_REDIRECT)
		assert_string_equal(t.location, extra);
	if (extra && want == TG_ROUTE_FILE)
		assert_string_equal(t.filename, extra);
}

static void test_routes(void **state)
{
	(void)state;
	route_is("/", TG_ROUTE_ROOT, NULL, NULL);
	route_is("/simple/", TG_ROUTE_INDEX, NULL, NULL);
	route_is("/simple", TG_ROUTE_REDIRECT, NULL, "simple/");
	route_is("/simple/requests/", TG_ROUTE_PROJECT, "requests", NULL);
	/* Non-normalised names and a missing slash redirect to the
	 * normalised URL, relative so that a path prefix survives. */
	route_is("/simple/Django/", TG_ROUTE_REDIRECT, "django", "../django/");
	route_is("/simple/zope.interface/", TG_ROUTE_REDIRECT, "zope-interface", "../zope-interface/");
	route_is("/simple/Foo__Bar/", TG_ROUTE_REDIRECT, "foo-bar", "../foo-bar/");
	route_is("/simple/requests", TG_ROUTE_REDIRECT, "requests", "requests/");
	route_is("/simple/Django", TG_ROUTE_REDIRECT, "django", "django/");
	route_is("/simple/-bad/", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("/simple/a/b/", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("/simple/../etc/", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("/simple/a b/", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("/files/pip/pip-23.0.1-py3-none-any.whl", TG_ROUTE_FILE, "pip",
		 "pip-23.0.1-py3-none-any.whl");
	route_is("/files/pip/../../etc/passwd", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("/files/pip/.hidden", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("/files/Pip/pip-1.0.tar.gz", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("/files/pip/", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("/metrics", TG_ROUTE_METRICS, NULL, NULL);
	route_is("/healthz", TG_ROUTE_HEALTHZ, NULL, NULL);
	route_is("/readyz", TG_ROUTE_READYZ, NULL, NULL);
	route_is("simple/", TG_ROUTE_NOT_FOUND, NULL, NULL);
	route_is("", TG_ROUTE_NOT_FOUND, NULL, NULL);
}

static void test_metadata_route(void **state)
{
	struct tg_proxy_target t;

	(void)state;
	tg_proxy_route("/files/black/black-23.1.0-py3-none-any.whl.metadata", &t);
	assert_int_equal(t.route, TG_ROUTE_FILE);
	assert_true(t.metadata);
	assert_string_equal(t.filename, "black-23.1.0-py3-none-any.whl");
	tg_proxy_route("/files/black/.metadata", &t);
	assert_int_equal(t.route, TG_ROUTE_NOT_FOUND);
}

static void test_long_paths(void **state)
{
	char path[5000];
	struct tg_proxy_target t;

	(void)state;
	memset(path, 'a', sizeof(path));
	memcpy(path, "/simple/", 8);
	path[sizeof(path) - 2] = '/';
	path[sizeof(path) - 1] = 0;
	tg_proxy_route(path, &t);
	assert_int_equal(t.route, TG_ROUTE_NOT_FOUND);
	path[300] = '/';
	path[301] = 0;
	tg_proxy_route(path, &t);
	assert_int_equal(t.route, TG_ROUTE_NOT_FOUND); /* name over the cap */
}

static void test_auth(void **state)
{
	(void)state;
	assert_true(tg_proxy_auth_ok(NULL, NULL));
	assert_false(tg_proxy_auth_ok(NULL, "s3cret-token"));
	assert_true(tg_proxy_auth_ok("Bearer s3cret-token", "s3cret-token"));
	assert_true(tg_proxy_auth_ok("bearer s3cret-token", "s3cret-token"));
	assert_false(tg_proxy_auth_ok("Bearer s3cret-tokeN", "s3cret-token"));
	assert_false(tg_proxy_auth_ok("Bearer s3cret-token2", "s3cret-token"));
	assert_false(tg_proxy_auth_ok("Bearer ", "s3cret-token"));
	/* base64("ci:s3cret-token") as requests builds it from the URL */
	assert_true(tg_proxy_auth_ok("Basic Y2k6czNjcmV0LXRva2Vu", "s3cret-token"));
	/* base64("__token__:s3cret-token") */
	assert_true(tg_proxy_auth_ok("Basic X190b2tlbl9fOnMzY3JldC10b2tlbg==", "s3cret-token"));
	/* base64("ci:wrong") */
	assert_false(tg_proxy_auth_ok("Basic Y2k6d3Jvbmc=", "s3cret-token"));
	/* base64("s3cret-token") without a colon */
	assert_false(tg_proxy_auth_ok("Basic czNjcmV0LXRva2Vu", "s3cret-token"));
	assert_false(tg_proxy_auth_ok("Basic !!!!", "s3cret-token"));
	assert_false(tg_proxy_auth_ok("Digest x", "s3cret-token"));
}

static void version_is(const char *file, const char *norm, const char *want,
		       enum tg_dist_kind kind)
{
	char out[300];
	enum tg_dist_kind k;
	bool ok = tg_dist_version(file, norm, out, sizeof(out), &k);

	if (!want) {
		if (ok)
			fail_msg("%s: got version %s, wanted none", file, out);
		return;
	}
	if (!ok)
		fail_msg("%s: no version, wanted %s", file, want);
	assert_string_equal(out, want);
	assert_int_equal(k, kind);
}

static void test_dist_versions(void **state)
{
	(void)state;
	version_is("pip-23.0.1-py3-none-any.whl", "pip", "23.0.1", TG_DIST_WHEEL);
	version_is("zope.interface-6.0-cp311-cp311-manylinux_2_17_x86_64.whl",
		   "zope-interface", "6.0", TG_DIST_WHEEL);
	version_is("typing_extensions-4.7.1-py3-none-any.whl", "typing-extensions",
		   "4.7.1", TG_DIST_WHEEL);
	version_is("black-23.1.0-1-py3-none-any.whl", "black", "23.1.0", TG_DIST_WHEEL);
	version_is("python-language-server-0.36.2.tar.gz", "python-language-server",
		   "0.36.2", TG_DIST_SDIST);
	version_is("SQLAlchemy-1.2.0b1.tar.gz", "sqlalchemy", "1.2.0b1", TG_DIST_SDIST);
	version_is("futures-3.2.0.zip", "futures", "3.2.0", TG_DIST_SDIST);
	version_is("discord.py-2.0.0.tar.gz", "discord-py", "2.0.0", TG_DIST_SDIST);
	version_is("setuptools-0.6c11-py2.7.egg", "setuptools", "0.6c11", TG_DIST_EGG);
	version_is("pip-23.0.1-py3-none-any.whl", "pipx", NULL, TG_DIST_UNKNOWN);
	version_is("pip.whl", "pip", NULL, TG_DIST_UNKNOWN);
	version_is("pip-.tar.gz", "pip", NULL, TG_DIST_UNKNOWN);
	version_is("pip-1.0.exe", "pip", NULL, TG_DIST_UNKNOWN);
}

static void test_filenames(void **state)
{
	(void)state;
	assert_true(tg_dist_filename_ok("pip-23.0.1-py3-none-any.whl"));
	assert_true(tg_dist_filename_ok("torch-2.0.0+cpu-cp311-cp311-linux_x86_64.whl"));
	assert_false(tg_dist_filename_ok(".bashrc"));
	assert_false(tg_dist_filename_ok("a/b.whl"));
	assert_false(tg_dist_filename_ok("a b.whl"));
	assert_false(tg_dist_filename_ok(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_metadata_route),
		cmocka_unit_test(test_long_paths),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_dist_versions),
		cmocka_unit_test(test_filenames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

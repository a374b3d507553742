/* tollgate.toml for the proxy: every setting read, defaults, and errors
 * that name file:line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/proxy_config.h"

static int parse(const char *text, struct tg_proxy_config *cfg, struct tg_err *err)
{
	tg_proxy_config_init(cfg);
	tg_err_clear(err);
	return tg_proxy_config_parse(text, strlen(text), "t.toml", "/base", cfg, err);
}

static void test_full(void **state)
{
	static const char text[] =
		"[proxy]\n"
		"listen = \"::1\"\n"
		"port = 9000\n"
		"cache-dir = \"cache\"\n"
		"cache-max-size = \"1GiB\"\n"
		"page-ttl = 60\n"
		"audit-log = \"/var/log/tg.jsonl\"\n"
		"token = \"0123456789\"\n"
		"max-connections = 100\n"
		"threads = 4\n"
		"[[proxy.upstream]]\n"
		"name = \"internal\"\n"
		"url = \"https://pypi.internal.example/simple/\"\n"
		"projects = [\"Acme_*\", \"Internal.Tool\"]\n"
		"[[proxy.upstream]]\n"
		"name = \"pypi\"\n"
		"url = \"https://pypi.org/simple/\"\n"
		"[policy]\n"
		"deny = [\"evil-pkg\", \"urllib3<1.26\"]\n"
		"cooldown-days = 7\n"
		"block-vulnerable = \"high\"\n"
		"name-risk = \"warn\"\n"
		"hide = \"remove\"\n";
	struct tg_proxy_config cfg;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse(text, &cfg, &err), 0);
	assert_string_equal(cfg.listen, "::1");
	assert_int_equal(cfg.port, 9000);
	assert_string_equal(cfg.cache_dir, "/base/cache");
	assert_true(cfg.cache_max_bytes == (uint64_t)1 << 30);
	assert_int_equal(cfg.page_ttl_s, 60);
	assert_string_equal(cfg.audit_log, "/var/log/tg.jsonl");
	assert_string_equal(cfg.token, "0123456789");
	assert_int_equal(cfg.n_upstreams, 2);
	assert_string_equal(cfg.upstreams[0].projects[0], "acme-*");
	assert_string_equal(cfg.upstreams[0].projects[1], "internal-tool");
	assert_int_equal(tg_proxy_config_pinned(&cfg, "acme-widgets"), 0);
	assert_int_equal(tg_proxy_config_pinned(&cfg, "internal-tool"), 0);
	assert_int_equal(tg_proxy_config_pinned(&cfg, "requests"), -1);
	assert_int_equal(cfg.policy.n_deny, 2);
	assert_false(cfg.policy.deny[0].has_spec);
	assert_true(cfg.policy.deny[1].has_spec);
	assert_string_equal(cfg.policy.deny[1].pattern, "urllib3");
	assert_int_equal(cfg.policy.deny[1].line, 19);
	assert_true(cfg.policy.cooldown_days == 7);
	assert_int_equal(cfg.policy.block_vulnerable, TG_PVULN_HIGH);
	assert_int_equal(cfg.policy.name_risk, TG_PNAME_WARN);
	assert_int_equal(cfg.policy.hide, TG_PHIDE_REMOVE);
	assert_true(cfg.policy.block_malicious);
	tg_proxy_config_release(&cfg);
}

static void test_defaults(void **state)
{
	struct tg_proxy_config cfg;
	struct tg_err err;

	(void)state;
	assert_int_equal(parse("", &cfg, &err), 0);
	assert_string_equal(cfg.listen, "127.0.0.1");
	assert_int_equal(cfg.port, 8080);
	assert_int_equal(cfg.n_upstreams, 1);
	assert_string_equal(cfg.upstreams[0].url, "https://pypi.org/simple/");
	assert_null(cfg.token);
	assert_true(cfg.policy.require_hashes);
	tg_proxy_config_release(&cfg);
}

static void error_at(const char *text, unsigned long line, const char *needle)
{
	struct tg_proxy_config cfg;
	struct tg_err err;
	int rc = parse(text, &cfg, &err);

	tg_proxy_config_release(&cfg);
	if (rc == 0)
		fail_msg("accepted: %s", text);
	if (err.line != line)
		fail_msg("error at line %lu, wanted %lu: %s", err.line, line, err.msg);
	assert_string_equal(err.file, "t.toml");
	if (!strstr(err.msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
}

static void test_errors(void **state)
{
	(void)state;
	error_at("[proxy]\nport = 70000\n", 2, "port");
	error_at("[proxy]\nlisten = \"0.0.0.0.0\"\n", 2, "listen");
	error_at("[proxy]\nbogus = 1\n", 2, "unknown key \"bogus\"");
	error_at("[policy]\ncooldown-days = -1\n", 2, "cooldown-days");
	error_at("[policy]\nblock-malicious = false\n", 2, "cannot be turned off");
	error_at("[policy]\nblock-vulnerable = \"severe\"\n", 2, "block-vulnerable");
	error_at("[policy]\ndeny = [\"ok\", \"bad/name\"]\n", 2, "not a project name");
	error_at("[policy]\ndeny = [\"urllib3<<1\"]\n", 2, "specifier");
	error_at("[proxy]\ntoken = \"short\"\n", 2, "token");
	error_at("[[proxy.upstream]]\nname = \"x\"\n", 1, "needs a url");
	error_at("[[proxy.upstream]]\nname = \"x\"\nurl = \"http://example.com/simple/\"\n", 1,
		 "loopback");
	error_at("[[proxy.upstream]]\nname = \"a\"\nurl = \"https://a/\"\nprojects = [\"x\"]\n"
		 "[[proxy.upstream]]\nname = \"b\"\nurl = \"https://b/\"\nprojects = [\"X\"]\n", 5,
		 "pinned to both");
	error_at("[[proxy.upstream]]\nname = \"a\"\nurl = \"https://a/\"\n"
		 "[[proxy.upstream]]\nname = \"a\"\nurl = \"https://b/\"\n", 4, "used twice");
	error_at("[proxy\n", 1, "");
}

static void test_sizes(void **state)
{
	uint64_t v;

	(void)state;
	assert_true(tg_proxy_parse_size("512", &v) && v == 512);
	assert_true(tg_proxy_parse_size("2GiB", &v) && v == (uint64_t)2 << 30);
	assert_true(tg_proxy_parse_size("500MB", &v) && v == 500000000);
	assert_false(tg_proxy_parse_size("GiB", &v));
	assert_false(tg_proxy_parse_size("1 parsec", &v));
	assert_false(tg_proxy_parse_size("99999999999999999999", &v));
	assert_false(tg_proxy_parse_size("20000000000TiB", &v));
}

static void test_patterns(void **state)
{
	(void)state;
	assert_true(tg_proxy_pattern_match("acme-*", "acme-widgets"));
	assert_false(tg_proxy_pattern_match("acme-*", "acme"));
	assert_true(tg_proxy_pattern_match("requests", "requests"));
	assert_false(tg_proxy_pattern_match("requests", "requests2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

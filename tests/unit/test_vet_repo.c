/* vet repository URLs: parsing the forms metadata uses, whether a repo
 * fits a package name, and the repojacking decision, both as a pure
 * function and over HTTP against a loopback server (no internet needed). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/err.h"
#include "tollgate/vet.h"
#include "tollgate/vet_repo.h"

static void parse_forms(void **state)
{
	struct tg_vet_repo r;
	static const char *const ok[][4] = {
		{ "https://github.com/psf/requests", "github.com", "psf", "requests" },
		{ "https://github.com/psf/requests.git", "github.com", "psf", "requests" },
		{ "git+https://github.com/pallets/flask.git", "github.com", "pallets", "flask" },
		{ "git://github.com/a/b.git", "github.com", "a", "b" },
		{ "git+ssh://git@github.com/a/b.git", "github.com", "a", "b" },
		{ "git@github.com:npm/cli.git", "github.com", "npm", "cli" },
		{ "github:sindresorhus/chalk", "github.com", "sindresorhus", "chalk" },
		{ "sindresorhus/ora", "github.com", "sindresorhus", "ora" },
		{ "https://www.github.com/o/r/tree/main/pkg", "github.com", "o", "r" },
		{ "https://gitlab.com/group/proj", "gitlab.com", "group", "proj" },
		{ "https://bitbucket.org/team/repo", "bitbucket.org", "team", "repo" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(tg_vet_repo_parse(ok[i][0], &r));
		assert_string_equal(r.host, ok[i][1]);
		assert_string_equal(r.owner, ok[i][2]);
		assert_string_equal(r.name, ok[i][3]);
	}
	assert_false(tg_vet_repo_parse("https://example.com/a/b", &r));
	assert_false(tg_vet_repo_parse("https://github.com/onlyowner", &r));
	assert_false(tg_vet_repo_parse("https://github.com/a/b c", &r));
	assert_false(tg_vet_repo_parse("", &r));
}

static void resemblance(void **state)
{
	struct tg_vet_repo r;

	(void)state;
	assert_true(tg_vet_repo_parse("https://github.com/psf/requests", &r));
	assert_true(tg_vet_repo_resembles("requests", &r));
	assert_false(tg_vet_repo_resembles("fastjsonx", &r));
	assert_true(tg_vet_repo_parse("https://github.com/dateutil/dateutil", &r));
	assert_true(tg_vet_repo_resembles("python-dateutil", &r));
	assert_true(tg_vet_repo_parse("https://github.com/babel/babel", &r));
	assert_true(tg_vet_repo_resembles("@babel/core", &r));
	assert_true(tg_vet_repo_parse("https://github.com/vercel/ms", &r));
	assert_true(tg_vet_repo_resembles("ms", &r));
	assert_true(tg_vet_repo_parse("https://github.com/yaml/pyyaml", &r));
	assert_true(tg_vet_repo_resembles("PyYAML", &r));
}

static void decide(void **state)
{
	struct tg_vet_repo asked, to;

	(void)state;
	assert_true(tg_vet_repo_parse("https://github.com/Owner/Repo", &asked));
	assert_int_equal(tg_vet_repo_decide(200, NULL, &asked, &to), TG_REPO_OK);
	assert_int_equal(tg_vet_repo_decide(404, NULL, &asked, &to), TG_REPO_MISSING);
	assert_int_equal(tg_vet_repo_decide(301, "https://api.github.com/repos/new/repo2",
					    &asked, &to), TG_REPO_RENAMED);
	assert_string_equal(to.owner, "new");
	assert_string_equal(to.name, "repo2");
	assert_int_equal(tg_vet_repo_decide(301, "https://api.github.com/repositories/42",
					    &asked, &to), TG_REPO_RENAMED);
	assert_string_equal(to.owner, "");
	assert_int_equal(tg_vet_repo_decide(301, "https://api.github.com/repos/owner/repo",
					    &asked, &to), TG_REPO_OK);
	assert_int_equal(tg_vet_repo_decide(403, NULL, &asked, &to), TG_REPO_UNKNOWN);
	assert_int_equal(tg_vet_repo_decide(502, NULL, &asked, &to), TG_REPO_UNKNOWN);
}

/* ---- a loopback stand-in for the GitHub API ---- */

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version,
			      const char *upload, size_t *upload_size, void **con_cls)
{
	struct MHD_Response *resp;
	unsigned status = 200;
	const char *loc = NULL;
	enum MHD_Result ret;

	(void)cls; (void)method; (void)version; (void)upload; (void)upload_size;
	(void)con_cls;
	if (strcmp(url, "/repos/gone/project") == 0) {
		status = 404;
	} else if (strcmp(url, "/repos/oldowner/project") == 0) {
		status = 301;
		loc = "https://api.github.com/repos/newowner/project";
	} else if (strcmp(url, "/repos/byid/project") == 0) {
		status = 301;
		loc = "https://api.github.com/repositories/1234";
	} else if (strcmp(url, "/repos/limited/project") == 0) {
		status = 403;
	}
	resp = MHD_create_response_from_buffer(2, (void *)"{}", MHD_RESPMEM_PERSISTENT);
	if (loc)
		MHD_add_response_header(resp, "Location", loc);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void over_http(void **state)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	char base[64];
	struct tg_vet_repo repo, to;
	enum tg_vet_repo_state st;
	struct tg_vet_result res;
	struct tg_err err;
	long status;

	(void)state;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, answer, NULL,
			     MHD_OPTION_SOCK_ADDR, NULL, MHD_OPTION_END);
	assert_non_null(d);
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	assert_non_null(info);
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", (unsigned)info->port);

	tg_err_clear(&err);
	assert_true(tg_vet_repo_parse("https://github.com/gone/project", &repo));
	assert_int_equal(tg_vet_repo_check(base, &repo, 5, &st, &to, &status, &err), 0);
	assert_int_equal(st, TG_REPO_MISSING);
	assert_int_equal(status, 404);
	tg_vet_result_init(&res);
	assert_int_equal(tg_vet_repo_reason(&res, "https://github.com/gone/project", st, &to,
					    status, &err), 0);
	assert_int_equal(res.verdict, TG_VET_BLOCK);
	assert_string_equal(res.reasons[0].rule, "repojacking");
	tg_vet_result_release(&res);

	assert_true(tg_vet_repo_parse("https://github.com/oldowner/project", &repo));
	assert_int_equal(tg_vet_repo_check(base, &repo, 5, &st, &to, &status, &err), 0);
	assert_int_equal(st, TG_REPO_RENAMED);
	assert_string_equal(to.owner, "newowner");
	tg_vet_result_init(&res);
	assert_int_equal(tg_vet_repo_reason(&res, "x", st, &to, status, &err), 0);
	assert_int_equal(res.verdict, TG_VET_WARN);
	assert_non_null(strstr(res.reasons[0].message, "newowner/project"));
	tg_vet_result_release(&res);

	assert_true(tg_vet_repo_parse("https://github.com/byid/project", &repo));
	assert_int_equal(tg_vet_repo_check(base, &repo, 5, &st, &to, &status, &err), 0);
	assert_int_equal(st, TG_REPO_RENAMED);

	assert_true(tg_vet_repo_parse("https://github.com/fine/project", &repo));
	assert_int_equal(tg_vet_repo_check(base, &repo, 5, &st, &to, &status, &err), 0);
	assert_int_equal(st, TG_REPO_OK);
	tg_vet_result_init(&res);
	assert_int_equal(tg_vet_repo_reason(&res, "x", st, &to, status, &err), 0);
	assert_int_equal(res.n_reasons, 0);
	tg_vet_result_release(&res);

	assert_true(tg_vet_repo_parse("https://github.com/limited/project", &repo));
	assert_int_equal(tg_vet_repo_check(base, &repo, 5, &st, &to, &status, &err), 0);
	assert_int_equal(st, TG_REPO_UNKNOWN);
	MHD_stop_daemon(d);

	/* Nothing listening: a network error, not a verdict. */
	tg_err_clear(&err);
	assert_int_equal(tg_vet_repo_check(base, &repo, 2, &st, &to, &status, &err), TG_ENET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_forms),
		cmocka_unit_test(resemblance),
		cmocka_unit_test(decide),
		cmocka_unit_test(over_http),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

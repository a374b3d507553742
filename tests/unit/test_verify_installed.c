/* tg_verify_installed on a site directory built here: hash, size, missing,
 * unrecorded, byte-code, symbolic links inside and outside the
 * environment, shared namespace directories, and the findings it yields.
 * Digests are known answers (sha256 of the literal contents). */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/err.h"
#include "tollgate/finding.h"
#include "tollgate/fs.h"
#include "tollgate/verify_record.h"

#define HELLO "sha256=WJG1tSLV3whtD_CxEPvZ0hu0_HFjrzTQgoai6Eb2vgM" /* "hello\n" */
#define PRINT1 "sha256=zEIVUIj8pXMHWNtysqW8ozESqUHfqi1DCY7EIs5OohM" /* "print(1)\n" */
#define TARGET "sha256=yX7P2k0gUZC5cyMtz9sMKXSFIcJTTdhmvMeC8wsIZzg" /* "target\n" */

static char base[256];
static char site[512];

static void put(const char *rel, const char *text)
{
	char path[1024];
	struct tg_err err;
	char *slash;

	snprintf(path, sizeof(path), "%s/%s", site, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	assert_int_equal(tg_mkdir_p(path, &err), 0);
	*slash = '/';
	assert_int_equal(tg_write_file_atomic(path, text, strlen(text), &err), 0);
}

static int setup(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(base, sizeof(base), "/tmp/tg-installed-XXXXXX");
	assert_non_null(mkdtemp(base));
	snprintf(site, sizeof(site), "%s/env/lib/python3.11/site-packages", base);
	(void)cmd;
	/* demo: a package with every kind of row */
	put("demo/__init__.py", "hello\n");
	put("demo/mod.py", "print(2)\n");            /* modified: RECORD says print(1) */
	put("demo/size.py", "hello\n");              /* size differs from RECORD */
	put("demo/extra.py", "import os\n");         /* unrecorded */
	put("demo/__pycache__/mod.cpython-311.pyc", "x"); /* ignored byte-code */
	put("demo-1.0.dist-info/RECORD",
	    "demo/__init__.py," HELLO ",6\n"
	    "demo/mod.py," PRINT1 ",9\n"
	    "demo/size.py," HELLO ",7\n"
	    "demo/gone.py," HELLO ",6\n"
	    "demo/link_in.py," TARGET ",7\n"
	    "demo/link_out.py," TARGET ",7\n"
	    "demo-1.0.dist-info/RECORD,,\n");
	put("demo/target.txt", "target\n");
	put("demo-1.0.dist-info/top_level.txt", "demo\n");
	{
		char a[1024], b[1024];

		/* demo/target.txt is unrecorded on purpose too: only the links
		 * are listed. */
		snprintf(a, sizeof(a), "%s/demo/link_in.py", site);
		assert_int_equal(symlink("target.txt", a), 0);
		snprintf(b, sizeof(b), "%s/outside.txt", base);
		assert_int_equal(tg_write_file_atomic(b, "target\n", 7, NULL), 0);
		snprintf(a, sizeof(a), "%s/demo/link_out.py", site);
		assert_int_equal(symlink(b, a), 0);
	}
	/* ns: a namespace directory shared by two clean distributions */
	put("ns/a/__init__.py", "hello\n");
	put("ns/b/__init__.py", "print(1)\n");
	put("ns_a-1.0.dist-info/RECORD", "ns/a/__init__.py," HELLO ",6\n");
	put("ns_b-2.0.dist-info/RECORD", "ns/b/__init__.py," PRINT1 ",9\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

static const struct tg_installed_dist *find(const struct tg_installed_report *r,
					    const char *name)
{
	size_t i;

	for (i = 0; i < r->n_dists; i++)
		if (strcmp(r->dists[i].name, name) == 0)
			return &r->dists[i];
	fail_msg("no distribution %s", name);
	return NULL;
}

static bool has(const struct tg_installed_dist *d, enum tg_installed_problem_kind k,
		const char *path)
{
	size_t i;

	for (i = 0; i < d->n_problems; i++)
		if (d->problems[i].kind == k && strcmp(d->problems[i].path, path) == 0)
			return true;
	return false;
}

static void checks_every_kind(void **state)
{
	struct tg_installed_report r;
	struct tg_err err;
	const char *sites[1] = { site };
	const struct tg_installed_dist *d;
	struct tg_report rep;
	size_t i, n_high = 0;

	(void)state;
	tg_installed_report_init(&r);
	assert_int_equal(tg_verify_installed(sites, 1, NULL, &r, &err), 0);
	assert_int_equal(r.n_dists, 3);
	d = find(&r, "demo");
	assert_string_equal(d->version, "1.0");
	assert_true(d->has_record);
	assert_int_equal(d->n_files, 7);
	assert_true(has(d, TG_INST_MODIFIED, "demo/mod.py"));
	assert_true(has(d, TG_INST_SIZE, "demo/size.py"));
	assert_true(has(d, TG_INST_MISSING, "demo/gone.py"));
	assert_true(has(d, TG_INST_UNRECORDED, "demo/extra.py"));
	assert_true(has(d, TG_INST_UNRECORDED, "demo/target.txt"));
	assert_true(has(d, TG_INST_OUTSIDE, "demo/link_out.py"));
	assert_false(has(d, TG_INST_OUTSIDE, "demo/link_in.py"));
	/* __init__.py and the link that stays inside verify */
	assert_int_equal(d->n_verified, 2);
	assert_int_equal(d->n_pyc_ignored, 1);
	/* the .dist-info directory is walked too: a file added there that
	 * RECORD does not list is unrecorded like any other */
	assert_true(has(d, TG_INST_UNRECORDED, "demo-1.0.dist-info/top_level.txt"));
	assert_int_equal(d->n_problems, 7);
	/* the shared namespace directory is clean for both owners */
	assert_int_equal(find(&r, "ns_a")->n_problems, 0);
	assert_int_equal(find(&r, "ns_b")->n_problems, 0);
	assert_int_equal(tg_installed_problem_count(&r), 7);

	tg_report_init(&rep);
	assert_int_equal(tg_installed_to_findings(&r, &rep, &err), 0);
	assert_int_equal(rep.n_findings, 7);
	for (i = 0; i < rep.n_findings; i++) {
		assert_int_equal(rep.findings[i].kind, TG_FIND_INTEGRITY);
		assert_string_equal(rep.findings[i].package, "demo");
		n_high += rep.findings[i].severity == TG_SEV_HIGH;
	}
	assert_int_equal(n_high, 6); /* all but outside-root */
	assert_string_equal(rep.findings[0].id, "TG-RECORD-modified");
	tg_report_release(&rep);
	tg_installed_report_release(&r);
}

static void root_option_and_errors(void **state)
{
	struct tg_installed_report r;
	struct tg_installed_opts opts = { NULL, 1 };
	struct tg_err err;
	char missing[600];
	const char *sites[1];

	(void)state;
	/* With the site itself as root, the link target in base/ is outside
	 * as before, and the threads option is honoured. */
	opts.root = site;
	sites[0] = site;
	tg_installed_report_init(&r);
	assert_int_equal(tg_verify_installed(sites, 1, &opts, &r, &err), 0);
	assert_true(has(find(&r, "demo"), TG_INST_OUTSIDE, "demo/link_out.py"));
	tg_installed_report_release(&r);

	snprintf(missing, sizeof(missing), "%s/nope", base);
	sites[0] = missing;
	tg_installed_report_init(&r);
	assert_int_equal(tg_verify_installed(sites, 1, NULL, &r, &err), TG_EIO);
	assert_non_null(strstr(err.file, "nope"));
	tg_installed_report_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checks_every_kind),
		cmocka_unit_test(root_option_and_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

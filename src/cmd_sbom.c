/* `tollgate sbom`: a CycloneDX or SPDX bill of materials of the inputs. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "input_args.h"
#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/sbom.h"
#include "tollgate/str.h"
#include "tollgate/version.h"

#define SBOM_MAX ((size_t)1 << 30)

static int take_value(struct tg_cli *cli, int argc, char **argv, int *i,
		      const char *name, const char **out, int *rc)
{
	return cli_take_value(cli, &tg_cmd_sbom, argc, argv, i, name, out, rc);
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org) fixes the creation time. */
static bool source_date(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	int64_t v;
	time_t t;
	struct tm tm;

	if (!sde || !*sde || !tg_parse_i64(sde, &v) || v < 0)
		return false;
	t = (time_t)v;
	return gmtime_r(&t, &tm) && strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

static int run_sbom(struct tg_cli *cli, int argc, char **argv)
{
	const char *format = "cyclonedx", *output = NULL, *subject = NULL;
	struct tg_sbom_opts opts = { 0 };
	enum tg_sbom_format fmt;
	struct cli_inputs in;
	struct tg_inventory *invs = NULL;
	size_t n_invs = 0;
	struct tg_buf out;
	struct tg_err err;
	char when[32];
	int i, rc = 0;

	cli_inputs_init(&in);
	tg_buf_init(&out, SBOM_MAX);
	tg_err_clear(&err);
	for (i = 1; i < argc; i++) {
		int used = cli_inputs_option(cli, &tg_cmd_sbom, &in, argc, argv, &i, &rc);

		if (used < 0)
			goto out;
		if (used)
			continue;
		if ((used = take_value(cli, argc, argv, &i, "--format", &format, &rc)) ||
		    (used = take_value(cli, argc, argv, &i, "--output", &output, &rc)) ||
		    (used = take_value(cli, argc, argv, &i, "-o", &output, &rc)) ||
		    (used = take_value(cli, argc, argv, &i, "--subject", &subject, &rc))) {
			if (used < 0)
				goto out;
			continue;
		}
		if (strcmp(argv[i], "--reproducible") == 0) {
			opts.reproducible = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			rc = cli_usage_error(cli, &tg_cmd_sbom, "unknown option '%s'", argv[i]);
			goto out;
		} else if (cli_inputs_add_file(cli, &tg_cmd_sbom, &in, argv[i], &rc) < 0) {
			goto out;
		}
	}
	if (!tg_sbom_format_parse(format, &fmt)) {
		rc = cli_usage_error(cli, &tg_cmd_sbom,
				     "unknown --format '%s' (cyclonedx or spdx)", format);
		goto out;
	}
	if (cli_inputs_empty(&in)) {
		rc = cli_usage_error(cli, &tg_cmd_sbom,
				     "nothing to describe: name a file, --path, --env, --rootfs or --image");
		goto out;
	}
	if ((rc = cli_inputs_load(cli, &in, &invs, &n_invs, &err)))
		goto fail;
	opts.tool_version = TOLLGATE_VERSION;
	opts.subject = subject;
	if (source_date(when))
		opts.timestamp = when;
	if ((rc = tg_sbom_write(fmt, invs, n_invs, &opts, &out, &err)))
		goto fail;
	if (output && strcmp(output, "-") != 0) {
		if ((rc = tg_write_file_atomic(output, out.data, out.len, &err)))
			goto fail;
		if (cli->verbosity > 0)
			cli_info(cli, "wrote %s", output);
	} else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
		rc = tg_err_set(&err, TG_EIO, "writing standard output failed: %s",
				strerror(errno));
		goto fail;
	}
	rc = TG_EXIT_OK;
	goto out;
fail:
	rc = cli_fail(cli, &err);
out:
	cli_inputs_free_inventories(invs, n_invs);
	cli_inputs_release(&in);
	tg_buf_release(&out);
	return rc;
}

const struct tg_command tg_cmd_sbom = {
	.name = "sbom",
	.summary = "a CycloneDX or SPDX bill of materials of what the inputs hold",
	.usage = "sbom " CLI_INPUTS_USAGE "\n"
		 "      [--format cyclonedx|spdx] [-o FILE] [--reproducible] [--subject NAME]",
	.help =
		"Lists every package of the inputs once (the same package URL from\n"
		"several inputs is one component) in CycloneDX 1.6 JSON or SPDX 2.3\n"
		"JSON: name, version, package URL, hashes where the input has them,\n"
		"the declared licence (an SPDX expression when it is one, else its\n"
		"text), and the dependency relationships lockfiles record. Both\n"
		"formats validate against their official schemas, and 'tollgate\n"
		"audit' reads them back. No database and no network are used.\n"
		"\n"
		CLI_INPUTS_HELP
		"\n"
		"Output:\n"
		"  --format F         cyclonedx (default) or spdx\n"
		"  -o, --output FILE  write to FILE (atomically) instead of standard output\n"
		"  --reproducible     derive the serial number / document namespace from\n"
		"                     the content and fix the time (SOURCE_DATE_EPOCH, else\n"
		"                     1970-01-01), so equal inputs give identical files\n"
		"  --subject NAME     what the SBOM describes (default: the first input's\n"
		"                     file name)\n"
		"\n"
		"Exit status: 0 written; 2 usage; 3 an input could not be read or\n"
		"parsed (the message names file and line).\n",
	.run = run_sbom,
};

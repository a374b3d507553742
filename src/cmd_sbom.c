/* `tollgate sbom`: a CycloneDX or SPDX bill of materials of the inputs. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "input_args.h"
#include "tollgate/buf.h"
#include "tollgate/sbom.h"
#include "tollgate/str.h"
#include "tollgate/version.h"

#define SBOM_MAX ((size_t)1 << 30)

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
	struct tg_sbom_opts sopts = { 0 };
	const struct cli_opt opts[] = {
		{ "--format", &format, NULL },
		{ "--output", &output, NULL },
		{ "-o", &output, NULL },
		{ "--subject", &subject, NULL },
		{ "--reproducible", NULL, &sopts.reproducible },
		{ NULL, NULL, NULL },
	};
	enum tg_sbom_format fmt;
	struct cli_inputs in;
	struct tg_inventory *invs = NULL;
	size_t n_invs = 0;
	struct tg_buf out;
	struct tg_err err;
	char when[32];
	int rc = 0;

	cli_inputs_init(&in);
	tg_buf_init(&out, SBOM_MAX);
	tg_err_clear(&err);
	if ((rc = cli_inputs_parse(cli, &tg_cmd_sbom, &in, opts, argc, argv)))
		goto out;
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
	sopts.tool_version = TOLLGATE_VERSION;
	sopts.subject = subject;
	if (source_date(when))
		sopts.timestamp = when;
	if ((rc = tg_sbom_write(fmt, invs, n_invs, &sopts, &out, &err)))
		goto fail;
	if ((rc = cli_write_output(cli, output, &out, &err)))
		goto fail;
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

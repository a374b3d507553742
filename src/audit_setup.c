/* Policy file and report header for `audit` and `plan`. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit_setup.h"
#include "tollgate/str.h"
#include "tollgate/version.h"

/* RFC 3339 "now", or SOURCE_DATE_EPOCH's time for reproducible output. */
static char *timestamp(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;
	char buf[64];
	int64_t v;

	if (sde && *sde && tg_parse_i64(sde, &v) && v >= 0)
		t = (time_t)v;
	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return tg_strdup(buf);
}

/* Where to start looking for tollgate.toml: the first file input, else
 * the first site-packages or root directory, else here. */
static const char *config_start(const struct cli_inputs *in)
{
	if (in->n_files && strcmp(in->files[0], "-") != 0)
		return in->files[0];
	if (in->n_site_dirs)
		return in->site_dirs[0];
	if (in->n_rootfs)
		return in->rootfs[0];
	return ".";
}

int audit_load_config(struct tg_cli *cli, const char *config, bool no_config,
		      const struct cli_inputs *in, struct tg_config *cfg,
		      struct tg_err *err)
{
	char *path = NULL;
	int rc;

	if (no_config)
		return 0;
	if (config)
		return tg_config_load(config, cfg, err);
	if ((rc = tg_config_find(config_start(in), &path, err)) || !path)
		return rc;
	if (cli->verbosity > 0)
		cli_info(cli, "policy from %s", path);
	rc = tg_config_load(path, cfg, err);
	free(path);
	return rc;
}

int audit_report_start(struct tg_report *report, struct tg_inventory *invs, size_t n,
		       const struct tg_config *cfg, struct tg_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = tg_report_take_inventory(report, &invs[i], err)))
			return rc;
	report->tool_version = tg_strdup(TOLLGATE_VERSION);
	report->generated_at = timestamp();
	report->config_path = cfg->path ? tg_strdup(cfg->path) : NULL;
	if (!report->tool_version || !report->generated_at || (cfg->path && !report->config_path))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

/* tollgate.toml as audit reads it: either a validated policy or a located
 * error; applying the policy to a small report must hold its invariants. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_config cfg;
	struct tg_report r;
	struct tg_finding f;
	struct tg_err err;
	size_t i;

	tg_config_init(&cfg);
	if (tg_config_parse((const char *)data, size, "tollgate.toml", &cfg, &err) != 0) {
		if (!err.msg[0] || cfg.doc || cfg.n_ignores)
			abort();
		return 0;
	}
	for (i = 0; i < cfg.n_ignores; i++) {
		const struct tg_ignore_rule *g = &cfg.ignores[i];

		if (!g->id || !*g->id || !g->reason || !*g->reason || g->line < 1)
			abort();
		if (g->expires[0] && strlen(g->expires) != 10)
			abort();
	}
	tg_report_init(&r);
	memset(&f, 0, sizeof(f));
	f.kind = TG_FIND_VULNERABILITY;
	f.eco = TG_ECO_PYPI;
	f.package = (char *)"django";
	f.version = (char *)"3.2.0";
	f.id = (char *)"CVE-2022-28346";
	f.cvss = -1;
	f.epss = -1;
	if (!tg_report_add_finding(&r, &f, &err))
		abort();
	if (tg_policy_apply_ignores(&cfg, &r, "2024-06-01", &err) != 0)
		abort();
	if (r.n_ignore_notes != cfg.n_ignores)
		abort();
	if (r.findings[0].ignored && !r.findings[0].ignore_reason)
		abort();
	if (tg_policy_evaluate(&r, cfg.has_fail_on ? cfg.fail_on : TG_FAIL_ANY, &err) != 0)
		abort();
	tg_report_release(&r);
	tg_config_release(&cfg);
	return 0;
}

/* The [proxy], [[proxy.upstream]] and [policy] sections of tollgate.toml:
 * arbitrary bytes either load or fail with a located error. */
#include <stdint.h>
#include <stdlib.h>

#include "tollgate/proxy_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_proxy_config cfg;
	struct tg_err err;

	tg_proxy_config_init(&cfg);
	tg_err_clear(&err);
	if (tg_proxy_config_parse((const char *)data, size, "fuzz.toml", NULL, &cfg, &err) == 0) {
		if (cfg.n_upstreams == 0)
			abort();
		for (size_t i = 0; i < cfg.policy.n_deny; i++)
			(void)tg_proxy_config_pinned(&cfg, cfg.policy.deny[i].pattern);
	} else if (err.code == 0) {
		abort();
	}
	tg_proxy_config_release(&cfg);
	return 0;
}

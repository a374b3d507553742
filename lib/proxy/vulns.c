/* Interim: the OSV matcher is not available yet, so nothing is matched. */
#include "proxy_vulns.h"

#include <stdlib.h>
#include <string.h>

struct proxy_vulns {
	int unused;
};

int proxy_vulns_load(struct tg_db *db, const char *norm_name,
		     struct proxy_vulns **out, struct tg_err *err)
{
	(void)db; (void)norm_name;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : tg_err_set(err, TG_ENOMEM, "out of memory");
}

void proxy_vulns_free(struct proxy_vulns *v)
{
	free(v);
}

const char *proxy_vulns_project_malicious(const struct proxy_vulns *v)
{
	(void)v;
	return NULL;
}

int proxy_vulns_check(struct proxy_vulns *v, const char *version,
		      enum tg_proxy_vuln_level level, struct proxy_vuln_hit *hit,
		      bool *blocked, struct tg_err *err)
{
	(void)v; (void)version; (void)level; (void)err;
	memset(hit, 0, sizeof(*hit));
	*blocked = false;
	return 0;
}

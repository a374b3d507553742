/* Known-vulnerable and known-malicious versions of one project, from the
 * advisory database, for the proxy's policy. */
#ifndef TOLLGATE_PROXY_VULNS_H
#define TOLLGATE_PROXY_VULNS_H

#include <stdbool.h>

#include "tollgate/db.h"
#include "tollgate/err.h"
#include "tollgate/proxy_config.h"

struct proxy_vulns;

struct proxy_vuln_hit {
	char id[96];        /* advisory id that blocks (preferred alias) */
	char severity[16];  /* "critical", ..., "unknown" */
	bool malicious;
};

/* Load every advisory naming the project (one query). */
int proxy_vulns_load(struct tg_db *db, const char *norm_name,
		     struct proxy_vulns **out, struct tg_err *err);
void proxy_vulns_free(struct proxy_vulns *v);

/* Malware id when the whole project is malicious (every version), else
 * NULL. */
const char *proxy_vulns_project_malicious(const struct proxy_vulns *v);

/* Does an advisory block version under level? Malware always blocks.
 * *hit names the most serious blocking advisory. */
int proxy_vulns_check(struct proxy_vulns *v, const char *version,
		      enum tg_proxy_vuln_level level, struct proxy_vuln_hit *hit,
		      bool *blocked, struct tg_err *err);

#endif

/* What `audit` and `plan` share before matching: the policy file and the
 * report's inventories and header. */
#ifndef TOLLGATE_AUDIT_SETUP_H
#define TOLLGATE_AUDIT_SETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "input_args.h"
#include "tollgate/config.h"
#include "tollgate/finding.h"

/* Load --config PATH, else (unless no_config) the nearest tollgate.toml
 * above the first input; none found leaves cfg empty. */
int audit_load_config(struct tg_cli *cli, const char *config, bool no_config,
		      const struct cli_inputs *in, struct tg_config *cfg,
		      struct tg_err *err);

/* Move the inventories into report (their packages become the report's)
 * and set its tool version, time (SOURCE_DATE_EPOCH when set) and policy
 * file. */
int audit_report_start(struct tg_report *report, struct tg_inventory *invs, size_t n,
		       const struct tg_config *cfg, struct tg_err *err);

#endif

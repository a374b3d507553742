/* One declaration per subcommand; defined in cmd_<name>.c. */
#ifndef TOLLGATE_COMMANDS_H
#define TOLLGATE_COMMANDS_H

#include "cli.h"

extern const struct tg_command tg_cmd_db;
extern const struct tg_command tg_cmd_audit;
extern const struct tg_command tg_cmd_help;
extern const struct tg_command tg_cmd_version;
extern const struct tg_command tg_cmd_vet;
extern const struct tg_command tg_cmd_verify;
extern const struct tg_command tg_cmd_inventory;
extern const struct tg_command tg_cmd_semver;
extern const struct tg_command tg_cmd_pep508;
extern const struct tg_command tg_cmd_pep440;
extern const struct tg_command tg_cmd_proxy;
extern const struct tg_command tg_cmd_sbom;
extern const struct tg_command tg_cmd_plan;

#endif

/* The command table: one line per subcommand, in overview order. */
#include <string.h>

#include "cli.h"
#include "commands.h"

const struct tg_command *const tg_commands[] = {
	&tg_cmd_audit,
	&tg_cmd_db,
	&tg_cmd_help,
	&tg_cmd_version,
	&tg_cmd_vet,
	&tg_cmd_verify,
	&tg_cmd_proxy,
	&tg_cmd_sbom,
	&tg_cmd_plan,
	&tg_cmd_inventory,
	&tg_cmd_semver,
	&tg_cmd_pep508,
	&tg_cmd_pep440,
	NULL
};

const struct tg_command *tg_command_find(const char *name)
{
	size_t i;

	for (i = 0; tg_commands[i]; i++)
		if (strcmp(tg_commands[i]->name, name) == 0)
			return tg_commands[i];
	return NULL;
}

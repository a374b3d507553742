/* Shared option helper: "--name VALUE" or "--name=VALUE". Returns 1 and
 * sets *out when argv[*i] is that option (advancing *i past a separate
 * value), 0 when it is another argument, -1 with *rc = 2 when the value is
 * missing. */
#include <string.h>

#include "cli.h"

int cli_take_value(struct tg_cli *cli, const struct tg_command *cmd, int argc,
		   char **argv, int *i, const char *name, const char **out, int *rc)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) == 0 && a[n] == '=') {
		*out = a + n + 1;
		return 1;
	}
	if (strcmp(a, name) != 0)
		return 0;
	if (*i + 1 >= argc) {
		*rc = cli_usage_error(cli, cmd, "option '%s' needs a value", name);
		return -1;
	}
	*out = argv[++*i];
	return 1;
}

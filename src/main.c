/* tollgate entry point: global options, command dispatch, exit status.
 * Only this file and the cmd_*.c files print; the library never does. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

void cli_print_overview(FILE *f);

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Global options may appear anywhere before a bare "--"; they are removed
 * from argv so that every command accepts them (`--db` "everywhere"). */
static int take_global_options(struct tg_cli *cli, int *argc, char **argv,
			       enum color_when *color)
{
	int i, out = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			for (; i < *argc; i++)
				argv[out++] = argv[i];
			break;
		}
		if (strcmp(a, "--db") == 0) {
			if (i + 1 >= *argc)
				return cli_usage_error(cli, NULL,
						       "option '--db' needs a path");
			cli->db_path = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			cli->db_path = a + 5;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			cli->verbosity = -1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			cli->verbosity++;
		} else if (strcmp(a, "--no-color") == 0) {
			*color = COLOR_NEVER;
		} else if (strncmp(a, "--color=", 8) == 0) {
			const char *w = a + 8;
			if (strcmp(w, "always") == 0)
				*color = COLOR_ALWAYS;
			else if (strcmp(w, "never") == 0)
				*color = COLOR_NEVER;
			else if (strcmp(w, "auto") == 0)
				*color = COLOR_AUTO;
			else
				return cli_usage_error(cli, NULL,
						       "--color takes always, never or auto, not '%s'", w);
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	struct tg_cli cli = { .prog = "tollgate" };
	enum color_when color = COLOR_AUTO;
	const struct tg_command *cmd;
	const char *no_color = getenv("NO_COLOR");
	int rc;

	rc = take_global_options(&cli, &argc, argv, &color);
	if (rc)
		return rc;
	if (color == COLOR_ALWAYS) {
		cli.color = cli.color_err = true;
	} else if (color == COLOR_AUTO && !(no_color && *no_color)) {
		const char *term = getenv("TERM");
		bool dumb = term && strcmp(term, "dumb") == 0;
		cli.color = !dumb && isatty(STDOUT_FILENO);
		cli.color_err = !dumb && isatty(STDERR_FILENO);
	}
	cli.progress = cli.verbosity >= 0 && isatty(STDERR_FILENO);

	if (argc < 2) {
		cli_print_overview(stderr);
		return TG_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_print_overview(stdout);
		rc = TG_EXIT_OK;
		goto out;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		cmd = tg_command_find("version");
	else if (argv[1][0] == '-')
		return cli_usage_error(&cli, NULL, "unknown option '%s'", argv[1]);
	else
		cmd = tg_command_find(argv[1]);
	if (!cmd)
		return cli_usage_error(&cli, NULL, "'%s' is not a tollgate command",
				       argv[1]);
	/* `tollgate CMD --help` is the same as `tollgate help CMD`. */
	if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		cli_print_command_help(stdout, cmd);
		rc = TG_EXIT_OK;
		goto out;
	}
	if (strcmp(cmd->name, "proxy") != 0)
		cli_heap_tune();
	rc = cmd->run(&cli, argc - 1, argv + 1);
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: error: writing standard output failed\n", cli.prog);
		if (rc == 0)
			rc = TG_EXIT_INPUT;
	}
	return rc;
}

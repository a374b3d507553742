/* Shared CLI state and the command table.
 *
 * Each subcommand lives in its own cmd_<name>.c and exports one
 * `const struct tg_command tg_cmd_<name>`; commands.c lists them. The
 * table is the single source of the --help text, the man page
 * (docs/tollgate.1) and the README usage section (see `tollgate help
 * --man` / `--markdown`, checked by tests/e2e/docs_in_sync.sh).
 */
#ifndef TOLLGATE_CLI_H
#define TOLLGATE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "tollgate/err.h"

/* Documented exit codes (README "Exit codes"). */
enum tg_exit {
	TG_EXIT_OK = 0,
	TG_EXIT_POLICY = 1,  /* findings at or above --fail-on */
	TG_EXIT_USAGE = 2,   /* bad command line */
	TG_EXIT_INPUT = 3,   /* input could not be read or parsed */
	TG_EXIT_DB = 4,      /* database missing, stale or corrupt */
	TG_EXIT_NETWORK = 5  /* network or upstream failure */
};

struct tg_cli {
	bool color;       /* colour stdout (TTY, no NO_COLOR, --color) */
	bool color_err;   /* colour stderr */
	bool progress;    /* progress bars on stderr (TTY and not --quiet) */
	int verbosity;    /* -1 quiet, 0 normal, 1+ verbose */
	const char *db_path; /* --db, or NULL for the default */
	const char *prog;    /* "tollgate" */
};

struct tg_command {
	const char *name;
	const char *summary; /* one line, shown in `tollgate --help` */
	const char *usage;   /* synopsis, one form per line, no "tollgate " */
	const char *help;    /* description and options, plain text */
	int (*run)(struct tg_cli *cli, int argc, char **argv);
	bool hidden;         /* omitted from the overview (testing aids) */
};

extern const struct tg_command *const tg_commands[];
const struct tg_command *tg_command_find(const char *name);

/* Print "tollgate: error: <formatted err>" and return the exit code. */
int cli_fail(struct tg_cli *cli, const struct tg_err *err);
/* Print a usage error for cmd ("see 'tollgate help X'") and return 2. */
int cli_usage_error(struct tg_cli *cli, const struct tg_command *cmd,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cli_warn(struct tg_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_info(struct tg_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cli_exit_code(enum tg_code code);
/* Allocator settings for a short run (heap_tune.c); not for the proxy. */
void cli_heap_tune(void);
/* "--name VALUE" / "--name=VALUE" (see src/opt_value.c). */
int cli_take_value(struct tg_cli *cli, const struct tg_command *cmd, int argc,
		   char **argv, int *i, const char *name, const char **out, int *rc);
/* Write out to path atomically (and say so with -v), or to stdout when
 * path is NULL or "-"; 0 or a TG_E* code with err set. */
struct tg_buf;
int cli_write_output(struct tg_cli *cli, const char *path, const struct tg_buf *out,
		     struct tg_err *err);

/* Print a command's full help to f. */
void cli_print_command_help(FILE *f, const struct tg_command *cmd);

/* ANSI colour helpers: return "" when colour is off. */
const char *cli_c(const struct tg_cli *cli, const char *sgr);
#define CLI_RESET "0"
#define CLI_BOLD "1"
#define CLI_RED "31"
#define CLI_GREEN "32"
#define CLI_YELLOW "33"
#define CLI_BLUE "34"
#define CLI_MAGENTA "35"
#define CLI_DIM "2"

/* Progress bar on stderr; a no-op when cli->progress is false. */
struct cli_progress {
	const struct tg_cli *cli;
	const char *label;
	unsigned long long total; /* 0 = unknown */
	unsigned long long done;
	long long last_draw_ms;
	bool drawn;
};
void cli_progress_start(struct cli_progress *p, const struct tg_cli *cli,
			const char *label, unsigned long long total);
void cli_progress_update(struct cli_progress *p, unsigned long long done);
void cli_progress_end(struct cli_progress *p);

#endif

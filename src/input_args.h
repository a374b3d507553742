/* Input options shared by every command that reads inventories (audit,
 * vet, verify, sbom, inventory): files, --input-format, --path, --env,
 * --rootfs, --image, and the marker target environment.
 *
 * Usage in a command's option loop:
 *     struct cli_inputs in;
 *     cli_inputs_init(&in);
 *     rc = cli_inputs_parse(cli, &tg_cmd_x, &in, own_opts, argc, argv);
 * or, where an option needs more than a table entry, a loop over argv:
 *     for (i = 1; i < argc; i++) {
 *         int used = cli_inputs_option(cli, &tg_cmd_x, &in, argc, argv, &i, &rc);
 *         if (used < 0) { cli_inputs_release(&in); return rc; }   // usage error
 *         if (used) continue;
 *         ... own options; a bare argument: cli_inputs_add_file(&in, argv[i])
 *     }
 *     rc = cli_inputs_load(cli, &in, &invs, &n_invs, &err);  // 0 or TG_E*
 *     ... cli_inputs_free_inventories(invs, n_invs); cli_inputs_release(&in);
 * Put CLI_INPUTS_HELP into the command's help text.
 */
#ifndef TOLLGATE_INPUT_ARGS_H
#define TOLLGATE_INPUT_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "tollgate/inputs.h"

#define CLI_INPUTS_MAX 256

struct cli_inputs {
	struct tg_input_opts opts;
	const char *format;            /* --input-format, or NULL */
	const char *files[CLI_INPUTS_MAX];
	size_t n_files;
	const char *site_dirs[CLI_INPUTS_MAX]; /* --path */
	size_t n_site_dirs;
	const char *rootfs[CLI_INPUTS_MAX];
	size_t n_rootfs;
	const char *images[CLI_INPUTS_MAX];
	size_t n_images;
	const char *pythons[CLI_INPUTS_MAX]; /* --env */
	size_t n_pythons;
	bool python_version_given;
	bool platform_given;
	bool target_asked;             /* the lazy marker target ran */
	bool target_failed;            /* ... and could not keep its answer */
	/* Owned copies of what an interpreter reported. */
	char *learnt_version;
	char *learnt_platform;
	char *learnt_machine;
};

#define CLI_INPUTS_USAGE \
	"[FILE...] [--input-format F] [--path DIR] [--env PYTHON] [--rootfs DIR] " \
	"[--image TAR] [--python-version V] [--platform P] [--no-dev]"

#define CLI_INPUTS_HELP \
	"Inputs (any number, each gives one inventory):\n" \
	"  FILE               requirements*.txt, pylock.toml, uv.lock, poetry.lock,\n" \
	"                     Pipfile.lock, pdm.lock, package-lock.json,\n" \
	"                     npm-shrinkwrap.json, CycloneDX / SPDX JSON, METADATA,\n" \
	"                     winget export JSON and manifests, Chocolatey\n" \
	"                     packages.config, .nuspec, .nupkg, `choco list` output;\n" \
	"                     a directory (site-packages, a root file system, a\n" \
	"                     Chocolatey package or winget manifest folder) or an\n" \
	"                     image tarball; '-' reads standard input\n" \
	"  --input-format F   parse FILEs as F instead of detecting the format\n" \
	"                     (requirements, pylock, uv.lock, poetry.lock, pipfile.lock,\n" \
	"                     pdm.lock, package-lock, cyclonedx, spdx, metadata,\n" \
	"                     winget-export, winget-manifest, packages.config, nuspec,\n" \
	"                     nupkg, choco-list)\n" \
	"  --path DIR         an installed environment's site-packages directory\n" \
	"  --env PYTHON       the environment of interpreter PYTHON (its sys.path)\n" \
	"  --rootfs DIR       every Python environment under a root file system\n" \
	"  --image TAR        a `docker save` or OCI layout tarball\n" \
	"  --python-version V target Python for environment markers (default: the\n" \
	"                     python3 on PATH, else 3.11)\n" \
	"  --platform P       target sys_platform for markers (linux, darwin, win32)\n" \
	"  --no-dev           leave out development-only dependencies\n" \
	"  --all-markers      keep entries whose markers are false, flagged skipped\n"

void cli_inputs_init(struct cli_inputs *in);
void cli_inputs_release(struct cli_inputs *in);

/* If argv[*i] is an input option, consume it (and its value) and return 1;
 * return 0 if it is not one; on a usage error print it, store the exit
 * code in *rc and return -1. */
int cli_inputs_option(struct tg_cli *cli, const struct tg_command *cmd,
		      struct cli_inputs *in, int argc, char **argv, int *i,
		      int *rc);
/* A positional FILE argument; -1 (with *rc) when there are too many. */
int cli_inputs_add_file(struct tg_cli *cli, const struct tg_command *cmd,
			struct cli_inputs *in, const char *path, int *rc);
bool cli_inputs_empty(const struct cli_inputs *in);

/* A command's own option: "--name VALUE" stored in *value, or a flag
 * that sets *flag. Tables end with a NULL name. */
struct cli_opt {
	const char *name;
	const char **value;
	bool *flag;
};
/* The whole command line: input options, then opts, then FILE arguments.
 * Returns 0, or the exit code of a usage error it printed. */
int cli_inputs_parse(struct tg_cli *cli, const struct tg_command *cmd,
		     struct cli_inputs *in, const struct cli_opt *opts, int argc,
		     char **argv);

/* Parse every input. *invs is a heap array of *n inventories (one per
 * FILE, --rootfs, --image, and one for all --path dirs, one per --env).
 * Returns 0 or a TG_E* code with err set (map with cli_fail). */
int cli_inputs_load(struct tg_cli *cli, struct cli_inputs *in,
		    struct tg_inventory **invs, size_t *n, struct tg_err *err);
void cli_inputs_free_inventories(struct tg_inventory *invs, size_t n);

#endif

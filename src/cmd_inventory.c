/* `tollgate inventory`: print what the input parsers read (a debugging and
 * testing aid; hidden from the overview). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "input_args.h"
#include "tollgate/package.h"

static const struct { unsigned flag; const char *name; } flag_names[] = {
	{ TG_PKG_DIRECT, "direct" }, { TG_PKG_DEV, "dev" },
	{ TG_PKG_EDITABLE, "editable" }, { TG_PKG_URL, "url" },
	{ TG_PKG_VCS, "vcs" }, { TG_PKG_UNPINNED, "unpinned" },
	{ TG_PKG_OPTIONAL, "optional" }, { TG_PKG_SKIPPED_MARKER, "skipped-marker" },
};

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strv(char **v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *package_json(const struct tg_package *p)
{
	json_t *o = json_object(), *flags = json_array(), *hashes = json_array();
	size_t i;

	if (!o || !flags || !hashes) {
		json_decref(o);
		json_decref(flags);
		json_decref(hashes);
		return NULL;
	}
	json_object_set_new(o, "ecosystem", json_string(tg_ecosystem_name(p->eco)));
	json_object_set_new(o, "name", str_or_null(p->name));
	json_object_set_new(o, "norm_name", str_or_null(p->norm_name));
	json_object_set_new(o, "version", str_or_null(p->version));
	json_object_set_new(o, "specifier", str_or_null(p->specifier));
	json_object_set_new(o, "url", str_or_null(p->url));
	json_object_set_new(o, "source", str_or_null(p->source));
	json_object_set_new(o, "origin_path", str_or_null(p->origin_path));
	json_object_set_new(o, "origin_line", json_integer((json_int_t)p->origin_line));
	json_object_set_new(o, "location", str_or_null(p->location));
	json_object_set_new(o, "license", str_or_null(p->license));
	for (i = 0; i < p->n_hashes; i++) {
		json_t *h = json_pack("{s:s,s:s}", "alg", p->hashes[i].alg, "hex",
				      p->hashes[i].hex);
		json_array_append_new(hashes, h);
	}
	json_object_set_new(o, "hashes", hashes);
	json_object_set_new(o, "deps", strv(p->deps, p->n_deps));
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (p->flags & flag_names[i].flag)
			json_array_append_new(flags, json_string(flag_names[i].name));
	json_object_set_new(o, "flags", flags);
	return o;
}

static int print_json(const struct tg_inventory *invs, size_t n)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i, j;
	char *text;

	if (!root || !arr) {
		json_decref(root);
		json_decref(arr);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct tg_inventory *inv = &invs[i];
		json_t *o = json_object(), *pkgs = json_array();

		json_object_set_new(o, "origin", str_or_null(inv->origin));
		json_object_set_new(o, "format", str_or_null(inv->format));
		json_object_set_new(o, "index_urls", strv(inv->index_urls, inv->n_index_urls));
		json_object_set_new(o, "trusted_hosts",
				    strv(inv->trusted_hosts, inv->n_trusted_hosts));
		for (j = 0; j < inv->n_pkgs; j++)
			json_array_append_new(pkgs, package_json(&inv->pkgs[j]));
		json_object_set_new(o, "packages", pkgs);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "inventories", arr);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return -1;
	fputs(text, stdout);
	fputc('\n', stdout);
	free(text);
	return 0;
}

static void print_table(struct tg_cli *cli, const struct tg_inventory *invs, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		const struct tg_inventory *inv = &invs[i];

		printf("%s%s%s (%s): %zu packages\n", cli_c(cli, CLI_BOLD), inv->origin,
		       cli_c(cli, CLI_RESET), inv->format ? inv->format : "?", inv->n_pkgs);
		for (j = 0; j < inv->n_pkgs; j++) {
			const struct tg_package *p = &inv->pkgs[j];
			const char *ver = p->version ? p->version :
					  p->specifier ? p->specifier :
					  p->url ? p->url : "(any)";

			printf("  %-8s %-32s %-20s %s:%lu", tg_ecosystem_name(p->eco),
			       p->name, ver, p->origin_path ? p->origin_path : "",
			       p->origin_line);
			for (k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
				if (p->flags & flag_names[k].flag)
					printf(" %s%s%s", cli_c(cli, CLI_DIM), flag_names[k].name,
					       cli_c(cli, CLI_RESET));
			putchar('\n');
		}
	}
}

static int run_inventory(struct tg_cli *cli, int argc, char **argv)
{
	struct cli_inputs in;
	struct tg_inventory *invs = NULL;
	struct tg_err err;
	size_t n = 0;
	bool json = false;
	int i, rc = 0;

	cli_inputs_init(&in);
	for (i = 1; i < argc; i++) {
		int used = cli_inputs_option(cli, &tg_cmd_inventory, &in, argc, argv, &i, &rc);

		if (used < 0)
			goto out;
		if (used)
			continue;
		if (strcmp(argv[i], "--format") == 0 || strncmp(argv[i], "--format=", 9) == 0) {
			const char *v = argv[i][8] == '=' ? argv[i] + 9 :
					i + 1 < argc ? argv[++i] : NULL;
			if (!v || (strcmp(v, "json") != 0 && strcmp(v, "table") != 0)) {
				rc = cli_usage_error(cli, &tg_cmd_inventory,
						     "--format takes json or table");
				goto out;
			}
			json = strcmp(v, "json") == 0;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			rc = cli_usage_error(cli, &tg_cmd_inventory, "unknown option '%s'",
					     argv[i]);
			goto out;
		} else if (cli_inputs_add_file(cli, &tg_cmd_inventory, &in, argv[i], &rc) < 0) {
			goto out;
		}
	}
	if (cli_inputs_empty(&in)) {
		rc = cli_usage_error(cli, &tg_cmd_inventory, "no input given");
		goto out;
	}
	if (cli_inputs_load(cli, &in, &invs, &n, &err)) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	if (json) {
		if (print_json(invs, n)) {
			fprintf(stderr, "%s: error: out of memory\n", cli->prog);
			rc = TG_EXIT_INPUT;
		}
	} else {
		print_table(cli, invs, n);
	}
out:
	cli_inputs_free_inventories(invs, n);
	cli_inputs_release(&in);
	return rc;
}

const struct tg_command tg_cmd_inventory = {
	.name = "inventory",
	.summary = "print the packages read from inputs (debugging aid)",
	.usage = "inventory " CLI_INPUTS_USAGE " [--format json|table]",
	.help = "Parses each input the way audit, vet, verify and sbom do and prints\n"
		"the resulting inventories: one per input, each package with its\n"
		"ecosystem, name, version or specifier, hashes, flags and origin\n"
		"(file:line or path).\n\n" CLI_INPUTS_HELP
		"Output:\n"
		"  --format F         table (default) or json\n",
	.run = run_inventory,
	.hidden = true,
};

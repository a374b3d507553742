/* `tollgate version`: the tool's version and the libraries it runs on. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "tollgate/version.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <zlib.h>

static void print_libraries(FILE *f)
{
	fprintf(f, "libcrypto: %s\n", OpenSSL_version(OPENSSL_VERSION));
	fprintf(f, "sqlite: %s\n", sqlite3_libversion());
	fprintf(f, "jansson: %s\n", jansson_version_str());
	fprintf(f, "libcurl: %s\n", curl_version());
	fprintf(f, "zlib: %s\n", zlibVersion());
}

static int run_version(struct tg_cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage_error(cli, &tg_cmd_version, "version takes no arguments");
	printf("tollgate %s\n", TOLLGATE_VERSION);
	if (cli->verbosity > 0)
		print_libraries(stdout);
	return TG_EXIT_OK;
}

const struct tg_command tg_cmd_version = {
	.name = "version",
	.summary = "print the version (with -v: library versions too)",
	.usage = "version\n--version",
	.help = "",
	.run = run_version,
};

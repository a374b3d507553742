/* A command's finished output: to -o FILE atomically, else to stdout. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tollgate/fs.h"

int cli_write_output(struct tg_cli *cli, const char *path, const struct tg_buf *out,
		     struct tg_err *err)
{
	int rc;

	if (path && strcmp(path, "-") != 0) {
		if ((rc = tg_write_file_atomic(path, out->data, out->len, err)))
			return rc;
		if (cli->verbosity > 0)
			cli_info(cli, "wrote %s", path);
		return 0;
	}
	/* flushed here so that a full disk is an error, not a short file */
	if (fwrite(out->data, 1, out->len, stdout) != out->len || fflush(stdout))
		return tg_err_set(err, TG_EIO, "writing standard output failed: %s",
				  strerror(errno));
	return 0;
}

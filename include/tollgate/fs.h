/* File access with caps, and atomic writes. */
#ifndef TOLLGATE_FS_H
#define TOLLGATE_FS_H

#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"

/* Read a whole file ("-" = stdin) into out (which the caller initialised;
 * its max is raised to at most `max`). Errors name the path. */
int tg_read_file(const char *path, size_t max, struct tg_buf *out,
		 struct tg_err *err);

/* Write data to path atomically: a temp file in the same directory, fsync,
 * rename. On any failure the old file (if any) is untouched and the temp
 * file removed. path "-" writes to stdout directly. */
int tg_write_file_atomic(const char *path, const void *data, size_t len,
			 struct tg_err *err);

/* mkdir -p with mode 0755 for each missing component. */
int tg_mkdir_p(const char *path, struct tg_err *err);

/* Join dir and name with one '/'; heap string or NULL on ENOMEM. */
char *tg_path_join(const char *dir, const char *name);

#endif

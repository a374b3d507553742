#define _POSIX_C_SOURCE 200809L
#include "tollgate/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/str.h"

int tg_read_file(const char *path, size_t max, struct tg_buf *out,
		 struct tg_err *err)
{
	int fd = -1;
	int rc = 0;
	struct stat st;
	bool is_stdin = strcmp(path, "-") == 0;

	out->max = max;
	if (is_stdin) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return tg_err_at(err, TG_EIO, path, 0, 0,
					 "cannot open: %s", strerror(errno));
		if (fstat(fd, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				rc = tg_err_at(err, TG_EIO, path, 0, 0,
					       "is a directory, expected a file");
				goto out;
			}
			if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
				rc = tg_err_at(err, TG_ELIMIT, path, 0, 0,
					       "file is %lld bytes, over the limit of %zu",
					       (long long)st.st_size, max);
				goto out;
			}
		}
	}
	for (;;) {
		size_t room = max - out->len;
		ssize_t n;

		if (room == 0) {
			/* At the cap: only an immediate EOF keeps us in bounds. */
			char probe;
			do {
				n = read(fd, &probe, 1);
			} while (n < 0 && errno == EINTR);
			if (n > 0)
				rc = tg_err_at(err, TG_ELIMIT, path, 0, 0,
					       "input is larger than the limit of %zu bytes",
					       max);
			else if (n < 0)
				rc = tg_err_at(err, TG_EIO, path, 0, 0,
					       "read failed: %s", strerror(errno));
			goto out;
		}
		rc = tg_buf_grow(out, room < 65536 ? room : 65536, err);
		if (rc) {
			tg_err_locate(err, path, 0, 0);
			goto out;
		}
		n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = tg_err_at(err, TG_EIO, path, 0, 0, "read failed: %s",
				       strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
out:
	if (fd >= 0 && !is_stdin)
		close(fd);
	return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int tg_write_file_atomic(const char *path, const void *data, size_t len,
			 struct tg_err *err)
{
	char *tmp = NULL;
	int fd = -1;
	int rc = 0;

	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, len) < 0)
			return tg_err_set(err, TG_EIO, "writing to stdout: %s",
					  strerror(errno));
		return 0;
	}
	tmp = tg_asprintf("%s.tmp.XXXXXX", path);
	if (!tmp)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = tg_err_at(err, TG_EIO, path, 0, 0,
			       "cannot create a temporary file beside it: %s",
			       strerror(errno));
		goto out;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		rc = tg_err_at(err, TG_EIO, path, 0, 0, "write failed: %s",
			       strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0644) < 0 || close(fd) < 0) {
		fd = -1;
		rc = tg_err_at(err, TG_EIO, path, 0, 0, "write failed: %s",
			       strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		rc = tg_err_at(err, TG_EIO, path, 0, 0, "cannot rename into place: %s",
			       strerror(errno));
		goto out;
	}
out:
	if (fd >= 0)
		close(fd);
	if (rc && tmp)
		unlink(tmp);
	free(tmp);
	return rc;
}

int tg_mkdir_p(const char *path, struct tg_err *err)
{
	char *p = tg_strdup(path);
	char *s;
	int rc = 0;

	if (!p)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char saved = *s;
			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST) {
				rc = tg_err_at(err, TG_EIO, p, 0, 0,
					       "cannot create directory: %s",
					       strerror(errno));
				break;
			}
			*s = saved;
			if (!saved)
				break;
		}
	}
	free(p);
	return rc;
}

char *tg_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n && dir[n - 1] == '/')
		return tg_asprintf("%s%s", dir, name);
	return tg_asprintf("%s/%s", dir, name);
}

/* Walking an unpacked package directory and installed distributions.
 *
 * Symbolic links are never followed: a link is recorded with its target
 * and reported when the target leaves the directory. Files are opened
 * with O_NOFOLLOW relative to their parent's descriptor, so a link swapped
 * in during the walk cannot redirect a read.
 */
#define _POSIX_C_SOURCE 200809L
#include "vet/content_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/fs.h"
#include "tollgate/str.h"
#include "tollgate/verify_record.h"
#include "vet/content_load.h"
#include "vet/content_paths.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

struct walk {
	struct vet_pkg *p;
	struct tg_vet_result *res;
	size_t entries;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names of an open directory (so results are stable). */
static int list_dir(int fd, const char *shown, char ***names, size_t *n,
		    size_t cap_entries, struct tg_err *err)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0;
	int dup_fd = dup(fd);

	*names = NULL;
	*n = 0;
	if (dup_fd < 0 || !(d = fdopendir(dup_fd))) {
		if (dup_fd >= 0)
			close(dup_fd);
		return tg_err_set(err, TG_EIO, "%s: %s", shown, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		char **nn;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*n >= cap_entries)
			break;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			nn = realloc(*names, cap * sizeof(*nn));
			if (!nn)
				goto nomem;
			*names = nn;
		}
		if (!((*names)[*n] = tg_strdup(de->d_name)))
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
nomem:
	closedir(d);
	return tg_err_set(err, TG_ENOMEM, "out of memory");
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int limit_stop(struct walk *w, const char *msg, struct tg_err *err)
{
	w->p->stopped = true;
	return tg_vet_result_addf(w->res, "archive-limit", TG_VET_BLOCK, err,
				  "%s", msg);
}

static int walk_dir(struct walk *w, int dfd, const char *rel, unsigned depth,
		    struct tg_err *err);

static int walk_entry(struct walk *w, int dfd, const char *rel,
		      const char *name, unsigned depth, struct tg_err *err)
{
	struct stat st;
	char *path;
	struct vet_member *m;
	int rc = 0;

	if (++w->entries > w->p->lim->max_entries) {
		char msg[128];
		snprintf(msg, sizeof(msg), "more than %zu files: scanning stopped here",
			 w->p->lim->max_entries);
		rc = limit_stop(w, msg, err);
		return rc ? rc : VET_LOAD_STOP;
	}
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0; /* vanished while walking */
	path = *rel ? tg_asprintf("%s/%s", rel, name) : tg_strdup(name);
	if (!path)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (S_ISDIR(st.st_mode)) {
		int sub;

		if (depth + 1 > w->p->lim->max_depth) {
			char msg[128];
			snprintf(msg, sizeof(msg), "directories nested deeper than %u: "
				 "scanning stopped here", w->p->lim->max_depth);
			free(path);
			rc = limit_stop(w, msg, err);
			return rc ? rc : VET_LOAD_STOP;
		}
		sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			free(path);
			return 0;
		}
		rc = walk_dir(w, sub, path, depth + 1, err);
		close(sub);
		free(path);
		return rc;
	}
	m = vet_pkg_add(w->p, path, err);
	if (!m)
		return err->code;
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t tl = readlinkat(dfd, name, target, sizeof(target) - 1);

		m->type = VM_SYMLINK;
		if (tl < 0)
			return 0;
		target[tl] = '\0';
		if (!(m->link_target = tg_strdup(target)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		if (vet_link_escapes(m->path, target, false)) {
			struct tg_vet_reason r = { .rule = "archive-link-escape",
						   .level = TG_VET_WARN,
						   .path = m->path };
			char msg[256], shown[160];
			tg_vet_sanitize(target, (size_t)tl, shown, sizeof(shown));
			snprintf(msg, sizeof(msg), "symbolic link points outside the "
				 "package directory (to '%s'); not followed", shown);
			r.message = msg;
			return tg_vet_result_add(w->res, &r, err);
		}
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		m->type = VM_OTHER;
		return 0;
	}
	{
		int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0) {
			m->type = VM_OTHER;
			return 0;
		}
		rc = vet_member_load_file(w->p, m, fd, w->res, err);
		close(fd);
	}
	return rc;
}

static int walk_dir(struct walk *w, int dfd, const char *rel, unsigned depth,
		    struct tg_err *err)
{
	char **names;
	size_t n, i;
	int rc;

	rc = list_dir(dfd, *rel ? rel : ".", &names, &n,
		      w->p->lim->max_entries + 1, err);
	if (rc)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		/* VCS metadata is not part of what gets installed. */
		if (depth == 0 && (strcmp(names[i], ".git") == 0 ||
				   strcmp(names[i], ".hg") == 0))
			continue;
		rc = walk_entry(w, dfd, rel, names[i], depth, err);
	}
	free_names(names, n);
	return rc;
}

int vet_walk_dir(struct vet_pkg *p, const char *dir, struct tg_vet_result *res,
		 struct tg_err *err)
{
	struct walk w = { .p = p, .res = res };
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return tg_err_at(err, TG_EIO, dir, 0, 0, "cannot open directory: %s",
				 strerror(errno));
	rc = walk_dir(&w, fd, "", 0, err);
	close(fd);
	if (rc == VET_LOAD_STOP)
		rc = 0;
	return rc;
}

int vet_walk_installed(struct vet_pkg *p, const char *site_dir,
		       const char *dist_info, struct tg_vet_result *res,
		       struct tg_err *err)
{
	struct tg_buf data;
	struct tg_record rec;
	char *record_path = NULL, *shown = NULL;
	size_t i;
	int site_fd = -1, rc;

	tg_buf_init(&data, TG_RECORD_MAX_BYTES);
	tg_record_init(&rec);
	record_path = tg_asprintf("%s/%s/RECORD", site_dir, dist_info);
	shown = tg_asprintf("%s/RECORD", dist_info);
	if (!record_path || !shown) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = tg_read_file(record_path, TG_RECORD_MAX_BYTES, &data, err)))
		goto out;
	if ((rc = tg_record_parse(data.data, data.len, record_path, &rec, err)))
		goto out;
	site_fd = open(site_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (site_fd < 0) {
		rc = tg_err_at(err, TG_EIO, site_dir, 0, 0, "cannot open: %s",
			       strerror(errno));
		goto out;
	}
	for (i = 0; i < rec.n_rows && !p->stopped; i++) {
		char *norm = NULL;
		struct vet_member *m;
		struct stat st;
		int fd;

		/* Scripts installed into <prefix>/bin are written by the
		 * installer from entry points, not shipped code. */
		if (vet_path_normalize(rec.rows[i].path, &norm) != VET_PATH_OK) {
			free(norm);
			continue;
		}
		if (i + 1 > p->lim->max_entries) {
			free(norm);
			rc = tg_vet_result_addf(res, "archive-limit", TG_VET_BLOCK, err,
						"more than %zu files: scanning stopped here",
						p->lim->max_entries);
			p->stopped = true;
			break;
		}
		if (fstatat(site_fd, norm, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || vet_pkg_find_path(p, norm)) {
			free(norm);
			continue;
		}
		fd = openat(site_fd, norm, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0) {
			free(norm);
			continue;
		}
		m = vet_pkg_add(p, norm, err);
		if (!m) {
			close(fd);
			rc = err->code;
			break;
		}
		rc = vet_member_load_file(p, m, fd, res, err);
		close(fd);
		if (rc == VET_LOAD_STOP) {
			rc = 0;
			break;
		}
		if (rc)
			break;
	}
out:
	if (site_fd >= 0)
		close(site_fd);
	tg_record_release(&rec);
	tg_buf_release(&data);
	free(record_path);
	free(shown);
	return rc;
}

/* A root file system (an unpacked image, a mounted disk): every directory
 * named site-packages or dist-packages is a Python environment. Walking
 * the whole tree finds them wherever they are: usr/lib/python3*,
 * usr/local/lib/python3*, Debian's usr/lib/python3/dist-packages,
 * /opt/<app>/venv, home/<user>/.local, virtual environments anywhere. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "site_scan.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tollgate/fs.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

struct walk_item {
	char *path; /* on the host */
	char *rel;  /* inside the root, starting with '/' */
	unsigned depth;
};

struct walk_stack {
	struct walk_item *v;
	size_t n, cap;
};

static int push(struct walk_stack *s, char *path, char *rel, unsigned depth,
		struct tg_err *err)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64, bytes;
		struct walk_item *nv;

		if (!tg_size_mul(ncap, sizeof(*nv), &bytes) || !(nv = realloc(s->v, bytes))) {
			free(path);
			free(rel);
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n].path = path;
	s->v[s->n].rel = rel;
	s->v[s->n].depth = depth;
	s->n++;
	return 0;
}

/* Pseudo file systems and device trees hold no packages and can be huge
 * or endless on a live system. */
static bool skipped_top(const char *name)
{
	static const char *const skip[] = { "proc", "sys", "dev", "run" };
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strcmp(name, skip[i]) == 0)
			return true;
	return false;
}

int tg_input_parse_rootfs(const char *root, const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err)
{
	struct walk_stack st = { 0 };
	size_t budget = opts->max_dir_entries;
	struct stat sb;
	int rc = 0;

	if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return tg_err_at(err, TG_EIO, root, 0, 0, "not a directory%s%s",
				 errno ? ": " : "", errno ? strerror(errno) : "");
	{
		char *p = tg_strdup(root), *r = tg_strdup("");
		if (!p || !r) {
			free(p);
			free(r);
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
		if ((rc = push(&st, p, r, 0, err)))
			return rc;
	}
	while (st.n > 0 && !rc) {
		struct walk_item it = st.v[--st.n];
		struct dirent **names = NULL;
		int n, i;

		n = scandir(it.path, &names, NULL, alphasort);
		if (n < 0) {
			/* Unreadable corners (permissions) are common on a
			 * real system; the root itself must be readable. */
			if (it.depth == 0)
				rc = tg_err_at(err, TG_EIO, root, 0, 0, "cannot read directory: %s",
					       strerror(errno));
			goto next;
		}
		/* Push in reverse so that the walk visits names in order. */
		for (i = n - 1; i >= 0; i--) {
			const char *name = names[i]->d_name;
			char *child = NULL, *rel = NULL;
			struct stat cs;

			if (rc || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
				continue;
			if (budget == 0) {
				rc = tg_err_at(err, TG_ELIMIT, root, 0, 0,
					       "more than %zu directory entries visited",
					       opts->max_dir_entries);
				continue;
			}
			budget--;
			if (it.depth == 0 && skipped_top(name))
				continue;
			child = tg_path_join(it.path, name);
			rel = tg_asprintf("%s/%s", it.rel, name);
			if (!child || !rel) {
				free(child);
				free(rel);
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				continue;
			}
			if (lstat(child, &cs) != 0 || !S_ISDIR(cs.st_mode)) {
				free(child);
				free(rel);
				continue;
			}
			if (strcmp(name, "site-packages") == 0 || strcmp(name, "dist-packages") == 0) {
				rc = in_scan_site_dir(child, rel, opts, out, &budget, err);
				free(child);
				free(rel);
				continue;
			}
			if (it.depth + 1 > opts->max_dir_depth) {
				free(child);
				free(rel);
				continue; /* deeper trees hold no environments we know */
			}
			rc = push(&st, child, rel, it.depth + 1, err);
		}
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
next:
		free(it.path);
		free(it.rel);
	}
	while (st.n > 0) {
		st.n--;
		free(st.v[st.n].path);
		free(st.v[st.n].rel);
	}
	free(st.v);
	return rc;
}

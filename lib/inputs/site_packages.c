/* Installed distributions: *.dist-info/METADATA, *.egg-info/PKG-INFO and
 * single-file *.egg-info in site-packages style directories, plus
 * direct_url.json (PEP 610) for editable, VCS and URL installs. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "site_scan.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tollgate/fs.h"
#include "tollgate/json.h"
#include "tollgate/str.h"

/* PEP 610: record how the distribution was installed when not from an
 * index. Unreadable or malformed direct_url.json is ignored: the package
 * itself was found and must still be reported. */
static int apply_direct_url(struct tg_package *p, const char *path,
			    const struct tg_input_opts *opts, struct tg_err *err)
{
	struct tg_buf b;
	struct tg_err ignored;
	json_t *root = NULL, *dir_info, *vcs_info, *archive_info;
	const char *url;
	struct stat st;
	int rc = 0;

	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	tg_buf_init(&b, opts->max_file_size);
	if (tg_read_file(path, opts->max_file_size < (1u << 20) ? opts->max_file_size : (1u << 20),
			 &b, &ignored))
		goto out;
	root = tg_json_load(b.data, b.len, path, &ignored);
	url = tg_json_str(root, "url");
	if (!url)
		goto out;
	dir_info = tg_json_obj(root, "dir_info");
	vcs_info = tg_json_obj(root, "vcs_info");
	archive_info = tg_json_obj(root, "archive_info");
	if (vcs_info) {
		const char *vcs = tg_json_str(vcs_info, "vcs");
		const char *commit = tg_json_str(vcs_info, "commit_id");
		char *u = tg_asprintf("%s+%s%s%s", vcs ? vcs : "git", url,
				      commit ? "@" : "", commit ? commit : "");
		if (!u) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		p->flags |= TG_PKG_VCS;
		rc = in_set(&p->url, u, err);
		free(u);
	} else {
		p->flags |= TG_PKG_URL;
		if (dir_info && json_is_true(json_object_get(dir_info, "editable")))
			p->flags |= TG_PKG_EDITABLE;
		rc = in_set(&p->url, url, err);
		if (!rc && archive_info) {
			const char *h = tg_json_str(archive_info, "hash");
			json_t *hashes = tg_json_obj(archive_info, "hashes"), *hv;
			const char *alg;

			json_object_foreach(hashes, alg, hv) {
				if (json_is_string(hv))
					(void)in_add_hash(p, alg, json_string_value(hv), &ignored);
			}
			if (h && p->n_hashes == 0)
				(void)in_add_hash_spec(p, h, &ignored);
		}
	}
out:
	json_decref(root);
	tg_buf_release(&b);
	return rc;
}

static int parse_meta_file(const char *meta_path, const char *location,
			   const char *direct_url_path,
			   const struct tg_input_opts *opts,
			   struct tg_inventory *out, struct tg_err *err)
{
	struct tg_buf b;
	size_t before = out->n_pkgs;
	int rc;

	tg_buf_init(&b, opts->max_file_size);
	rc = tg_read_file(meta_path, opts->max_file_size, &b, err);
	if (!rc)
		rc = tg_input_parse_metadata(b.data, b.len, meta_path, location,
					     out, err);
	if (!rc && direct_url_path && out->n_pkgs > before)
		rc = apply_direct_url(&out->pkgs[out->n_pkgs - 1], direct_url_path,
				      opts, err);
	tg_buf_release(&b);
	return rc;
}

static bool is_regular(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int in_scan_site_dir(const char *dir, const char *display, 
		     const struct tg_input_opts *opts, struct tg_inventory *out,
		     size_t *budget, struct tg_err *err)
{
	struct dirent **names = NULL;
	int n, i, rc = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return tg_err_at(err, TG_EIO, dir, 0, 0, "cannot read directory: %s",
				 strerror(errno));
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *entry = NULL, *meta = NULL, *loc = NULL, *du = NULL;
		struct stat st;

		if (rc)
			goto next;
		if (*budget == 0) {
			rc = tg_err_at(err, TG_ELIMIT, dir, 0, 0,
				       "more than %zu directory entries visited",
				       opts->max_dir_entries);
			goto next;
		}
		(*budget)--;
		if (!tg_str_ends_with(name, ".dist-info") &&
		    !tg_str_ends_with(name, ".egg-info"))
			goto next;
		entry = tg_path_join(dir, name);
		loc = tg_path_join(display, name);
		if (!entry || !loc) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto next;
		}
		if (lstat(entry, &st) != 0)
			goto next;
		if (S_ISDIR(st.st_mode)) {
			meta = tg_path_join(entry, tg_str_ends_with(name, ".dist-info") ?
					    "METADATA" : "PKG-INFO");
			du = tg_path_join(entry, "direct_url.json");
			if (!meta || !du) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto next;
			}
			/* A dist-info without METADATA is debris of an
			 * interrupted install or uninstall: pip skips it too. */
			if (!is_regular(meta))
				goto next;
			rc = parse_meta_file(meta, loc, du, opts, out, err);
		} else if (S_ISREG(st.st_mode) && tg_str_ends_with(name, ".egg-info")) {
			rc = parse_meta_file(entry, loc, NULL, opts, out, err);
		}
next:
		free(entry);
		free(meta);
		free(loc);
		free(du);
		free(names[i]);
	}
	free(names);
	return rc;
}

int tg_input_parse_site_packages(const char *const *dirs, size_t n_dirs,
				 const struct tg_input_opts *opts,
				 struct tg_inventory *out, struct tg_err *err)
{
	size_t budget = opts->max_dir_entries;
	size_t i;
	int rc;

	for (i = 0; i < n_dirs; i++) {
		struct stat st;

		/* sys.path names zip files and directories that may not
		 * exist; neither holds installed distributions. */
		if (stat(dirs[i], &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		rc = in_scan_site_dir(dirs[i], dirs[i], opts, out, &budget, err);
		if (rc)
			return rc;
	}
	return 0;
}

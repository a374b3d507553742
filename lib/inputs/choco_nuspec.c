/* Chocolatey .nuspec documents and package directories.
 *
 * <package [xmlns=".../nuspec.xsd"]><metadata><id/><version/><title/>
 * <authors/><license type="expression"/>|<licenseUrl/><projectUrl/>
 * <dependencies><dependency id="" version="[1.2]"/></dependencies>
 * (or <group> elements holding them)</metadata></package>
 * The namespace differs between packages, so elements are matched by
 * local name. A package directory's tools/chocolateyInstall.ps1 is read
 * as text for its download facts (choco_script.c). */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "choco_internal.h"
#include "windows_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tollgate/fs.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

static int add_deps(xmlNodePtr deps, struct tg_win_app *a, const char *origin,
		    struct tg_err *err)
{
	xmlNodePtr n;
	int rc = 0;

	for (n = deps ? deps->children : NULL; n && !rc; n = n->next) {
		if (choco_xml_is(n, "group")) {
			rc = add_deps(n, a, origin, err);
		} else if (choco_xml_is(n, "dependency")) {
			char *id = choco_xml_attr(n, "id");
			char *range = choco_xml_attr(n, "version");

			if (!id || !*id || strlen(id) > IN_MAX_NAME)
				rc = tg_err_at(err, TG_EINVAL, origin,
					       (unsigned long)xmlGetLineNo(n), 0,
					       "<dependency> without a usable id");
			else
				rc = tg_win_add_dep(a, id, range && *range ? range : NULL, err);
			xmlFree(id);
			xmlFree(range);
		}
	}
	return rc;
}

/* <license type="expression">MIT</license> is an SPDX expression;
 * type="file" names a file in the package, which says nothing here. */
static int set_license(xmlNodePtr meta, struct tg_win_app *a, struct tg_err *err)
{
	xmlNodePtr lic = choco_xml_child(meta, "license");
	char *type = choco_xml_attr(lic, "type");
	char *text = NULL;
	int rc = 0;

	if (lic && type && tg_ascii_casecmp(type, "expression") == 0) {
		text = choco_xml_child_text(meta, "license");
		rc = tg_win_set(&a->license, text, err);
	}
	xmlFree(type);
	xmlFree(text);
	return rc;
}

static int read_script(const char *package_path, struct tg_win_app *a,
		       struct tg_err *err)
{
	static const char *const names[] = { "tools/chocolateyInstall.ps1",
		"tools/chocolateyinstall.ps1", "tools/ChocolateyInstall.ps1", NULL };
	struct tg_buf b;
	size_t i;
	int rc = 0;

	for (i = 0; names[i]; i++) {
		char *path = tg_path_join(package_path, names[i]);
		struct stat st;

		if (!path)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			tg_buf_init(&b, TG_WIN_MAX_SCRIPT);
			rc = tg_read_file(path, TG_WIN_MAX_SCRIPT, &b, err);
			if (!rc) {
				a->has_install_script = true;
				rc = tg_win_parse_choco_script(b.data, b.len, path, a, err);
			}
			tg_buf_release(&b);
			free(path);
			return rc;
		}
		free(path);
	}
	return 0;
}

int tg_win_parse_nuspec(const char *data, size_t len, const char *origin,
			const char *package_path, struct tg_win_inventory *out,
			struct tg_err *err)
{
	xmlDocPtr doc;
	xmlNodePtr root, meta;
	struct tg_win_app *a;
	char *id = NULL, *ver = NULL, *title = NULL, *authors = NULL;
	char *lurl = NULL, *purl = NULL;
	int rc;

	if ((rc = choco_xml_load(data, len, origin, &doc, err)))
		return rc;
	root = xmlDocGetRootElement(doc);
	meta = choco_xml_is(root, "package") ? choco_xml_child(root, "metadata") : NULL;
	if (!meta) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 0,
			       "not a nuspec: no <package><metadata>");
		goto out;
	}
	id = choco_xml_child_text(meta, "id");
	ver = choco_xml_child_text(meta, "version");
	if (!id || strlen(id) > IN_MAX_NAME || !ver || strlen(ver) > IN_MAX_VERSION) {
		rc = tg_err_at(err, TG_EINVAL, origin, (unsigned long)xmlGetLineNo(meta), 0,
			       "nuspec without a usable <id> and <version>");
		goto out;
	}
	title = choco_xml_child_text(meta, "title");
	authors = choco_xml_child_text(meta, "authors");
	lurl = choco_xml_child_text(meta, "licenseUrl");
	purl = choco_xml_child_text(meta, "projectUrl");
	a = tg_win_add_app(out, err);
	if (!a) {
		rc = err->code;
		goto out;
	}
	a->eco = TG_ECO_CHOCOLATEY;
	a->kind = TG_WIN_MANIFEST;
	a->line = (unsigned long)xmlGetLineNo(meta);
	if ((rc = tg_win_set(&a->id, id, err)) ||
	    (rc = tg_win_set(&a->version, ver, err)) ||
	    (rc = tg_win_set(&a->name, title, err)) ||
	    (rc = tg_win_set(&a->publisher, authors, err)) ||
	    (rc = tg_win_set(&a->license_url, lurl, err)) ||
	    (rc = tg_win_set(&a->homepage, purl, err)) ||
	    (rc = tg_win_set(&a->origin, origin, err)) ||
	    (rc = set_license(meta, a, err)) ||
	    (rc = add_deps(choco_xml_child(meta, "dependencies"), a, origin, err)))
		goto out;
	if (package_path) {
		if ((rc = tg_win_set(&a->package_path, package_path, err)))
			goto out;
		rc = read_script(package_path, a, err);
	}
out:
	xmlFree(id);
	xmlFree(ver);
	xmlFree(title);
	xmlFree(authors);
	xmlFree(lurl);
	xmlFree(purl);
	xmlFreeDoc(doc);
	return rc;
}

int tg_win_parse_choco_dir(const char *dir, struct tg_win_inventory *out,
			   struct tg_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *found = NULL;
	size_t seen = 0;
	struct tg_buf b;
	int rc;

	if (!d)
		return tg_err_at(err, TG_EIO, dir, 0, 0, "cannot read directory: %s",
				 strerror(errno));
	while ((e = readdir(d)) != NULL && seen++ < 100000) {
		if (!tg_str_ends_with(e->d_name, ".nuspec"))
			continue;
		if (found) {
			closedir(d);
			rc = tg_err_at(err, TG_EINVAL, dir, 0, 0,
				       "more than one .nuspec (%s, %s)", found, e->d_name);
			free(found);
			return rc;
		}
		if (!(found = tg_strdup(e->d_name))) {
			closedir(d);
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
	}
	closedir(d);
	if (!found)
		return tg_err_at(err, TG_EINVAL, dir, 0, 0,
				 "no .nuspec in this directory");
	{
		char *path = tg_path_join(dir, found);

		free(found);
		if (!path)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		tg_buf_init(&b, (size_t)16 << 20);
		rc = tg_read_file(path, (size_t)16 << 20, &b, err);
		if (!rc)
			rc = tg_win_parse_nuspec(b.data, b.len, path, dir, out, err);
		tg_buf_release(&b);
		free(path);
	}
	return rc;
}

bool in_dir_is_choco_package(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;
	size_t seen = 0;

	if (!d)
		return false;
	while (!found && seen++ < 10000 && (e = readdir(d)) != NULL)
		found = tg_str_ends_with(e->d_name, ".nuspec");
	closedir(d);
	return found;
}

int in_parse_nuspec(const char *data, size_t len, const char *origin,
		    const struct tg_input_opts *opts, struct tg_inventory *out,
		    struct tg_err *err)
{
	struct tg_win_inventory w;
	char *dir = NULL;
	int rc;

	(void)opts;
	tg_win_inventory_init(&w);
	/* the package directory is the nuspec's folder (not for stdin) */
	if (strcmp(origin, "-") != 0) {
		const char *slash = strrchr(origin, '/');

		dir = slash ? tg_strndup(origin, (size_t)(slash - origin)) : tg_strdup(".");
		if (!dir)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	rc = tg_win_parse_nuspec(data, len, origin, dir, &w, err);
	if (!rc)
		rc = tg_win_to_inventory(&w, out, err);
	tg_win_inventory_release(&w);
	free(dir);
	return rc;
}

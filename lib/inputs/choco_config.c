/* Chocolatey packages.config (what `choco export` writes and `choco
 * install packages.config` reads):
 *   <packages>
 *     <package id="git" version="2.55.0" source="https://..." />
 *   </packages>
 * Every attribute but id is optional. NuGet's project packages.config has
 * the same shape plus targetFramework; it names NuGet libraries, not
 * applications, and is refused with a message saying so. */
#include "internal.h"
#include "choco_internal.h"
#include "windows_inputs.h"

#include <libxml/tree.h>
#include <string.h>

#include "tollgate/windows.h"

static int one_package(xmlNodePtr n, const char *origin,
		       struct tg_win_inventory *out, struct tg_err *err)
{
	unsigned long line = (unsigned long)xmlGetLineNo(n);
	char *id = choco_xml_attr(n, "id");
	char *ver = choco_xml_attr(n, "version");
	char *src = choco_xml_attr(n, "source");
	char *tfm = choco_xml_attr(n, "targetFramework");
	struct tg_win_app *a;
	int rc = 0;

	if (tfm) {
		rc = tg_err_at(err, TG_EINVAL, origin, line, 0,
			       "a NuGet project packages.config (targetFramework=\"%.40s\"), "
			       "not a Chocolatey one", tfm);
		goto out;
	}
	if (!id || !*id || strlen(id) > IN_MAX_NAME) {
		rc = tg_err_at(err, TG_EINVAL, origin, line, 0,
			       "<package> without a usable id attribute");
		goto out;
	}
	if (ver && (!*ver || strlen(ver) > IN_MAX_VERSION)) {
		rc = tg_err_at(err, TG_EINVAL, origin, line, 0,
			       "version of '%s' is empty or too long", id);
		goto out;
	}
	a = tg_win_add_app(out, err);
	if (!a) {
		rc = err->code;
		goto out;
	}
	a->eco = TG_ECO_CHOCOLATEY;
	a->kind = TG_WIN_INSTALLED;
	a->line = line;
	if ((rc = tg_win_set(&a->id, id, err)) ||
	    (rc = tg_win_set(&a->version, ver, err)) ||
	    (rc = tg_win_set(&a->source, src && *src ? src : NULL, err)) ||
	    (rc = tg_win_set(&a->origin, origin, err)))
		goto out;
out:
	xmlFree(id);
	xmlFree(ver);
	xmlFree(src);
	xmlFree(tfm);
	return rc;
}

int tg_win_parse_choco_config(const char *data, size_t len, const char *origin,
			      struct tg_win_inventory *out, struct tg_err *err)
{
	xmlDocPtr doc;
	xmlNodePtr root, n;
	int rc;

	if ((rc = choco_xml_load(data, len, origin, &doc, err)))
		return rc;
	root = xmlDocGetRootElement(doc);
	if (!choco_xml_is(root, "packages")) {
		rc = tg_err_at(err, TG_EINVAL, origin, root ? (unsigned long)xmlGetLineNo(root) : 1, 0,
			       "not a packages.config: the root element is not <packages>");
		goto out;
	}
	for (n = root->children; n && !rc; n = n->next)
		if (choco_xml_is(n, "package"))
			rc = one_package(n, origin, out, err);
out:
	xmlFreeDoc(doc);
	return rc;
}

int in_parse_choco_config(const char *data, size_t len, const char *origin,
			  const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err)
{
	(void)opts;
	return in_win_parse(tg_win_parse_choco_config, data, len, origin, out, err);
}

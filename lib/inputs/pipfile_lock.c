/* Pipfile.lock (pipenv): JSON with "_meta" (sources) and the "default" and
 * "develop" sections, each mapping a package name to
 * {"version": "==X", "hashes": ["sha256:..."], "markers": "...", "index",
 *  "git"/"ref", "path"/"file", "editable", "extras"}. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/str.h"

static int add_entry(const struct in_json_doc *doc, const char *name,
		     json_t *e, bool dev, const char *origin,
		     const struct tg_input_opts *opts, struct tg_inventory *out,
		     struct tg_err *err)
{
	unsigned long line = in_json_line(doc, e);
	const char *ver = tg_json_str(e, "version");
	const char *markers = tg_json_str(e, "markers");
	const char *git = tg_json_str(e, "git");
	const char *ref = tg_json_str(e, "ref");
	const char *file = tg_json_str(e, "file");
	const char *path = tg_json_str(e, "path");
	const char *index = tg_json_str(e, "index");
	json_t *hashes = tg_json_arr(e, "hashes");
	unsigned flags = 0; /* the lock does not say which are direct */
	const char *exact = NULL;
	struct tg_package *p;
	bool keep = true;
	size_t i;
	json_t *h;
	int rc;

	if (!json_is_object(e))
		return tg_err_at(err, TG_EINVAL, origin, line, 0,
				 "entry for '%s' is not an object", name);
	if (dev) {
		if (!opts->include_dev)
			return 0;
		flags |= TG_PKG_DEV;
	}
	if (markers && opts->evaluate_markers) {
		rc = in_marker_keep(markers, opts, origin, line, &keep, err);
		if (rc)
			return rc;
		if (!keep && !opts->include_skipped)
			return 0;
		if (!keep)
			flags |= TG_PKG_SKIPPED_MARKER;
	}
	if (json_is_true(json_object_get(e, "editable")))
		flags |= TG_PKG_EDITABLE;
	if (git)
		flags |= TG_PKG_VCS;
	else if (file || path)
		flags |= TG_PKG_URL;
	if (ver && strncmp(ver, "===", 3) == 0)
		exact = ver + 3;
	else if (ver && strncmp(ver, "==", 2) == 0 && !strchr(ver, '*') &&
		 !strchr(ver, ','))
		exact = ver + 2;
	while (exact && *exact == ' ')
		exact++;
	p = in_add(out, TG_ECO_PYPI, name, exact && *exact ? exact : NULL, origin,
		   line, flags, err);
	if (!p)
		return err->code;
	if ((!exact || !*exact) && ver && strcmp(ver, "*") != 0 &&
	    (rc = in_set(&p->specifier, ver, err)))
		return rc;
	if (git) {
		char *url = ref ? tg_asprintf("git+%s@%s", git, ref) : tg_asprintf("git+%s", git);
		if (!url)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		rc = in_set(&p->url, url, err);
		free(url);
		if (rc)
			return rc;
	} else if ((rc = in_set(&p->url, file ? file : path, err))) {
		return rc;
	}
	if (index && (rc = in_set(&p->source, index, err)))
		return rc;
	json_array_foreach(hashes, i, h) {
		if (!json_is_string(h))
			continue;
		rc = in_add_hash_spec(p, json_string_value(h), err);
		if (rc) {
			tg_err_locate(err, origin, line, 0);
			return rc;
		}
	}
	return 0;
}

int in_parse_pipfile_lock(const char *data, size_t len, const char *origin,
			  const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err)
{
	static const char *const sections[] = { "default", "develop" };
	struct in_json_doc doc;
	json_t *meta, *sources, *src;
	size_t i;
	int rc;

	rc = in_json_load(data, len, origin, &doc, err);
	if (rc)
		return rc;
	if (!json_is_object(doc.root) ||
	    (!json_object_get(doc.root, "_meta") && !json_object_get(doc.root, "default"))) {
		rc = tg_err_at(err, TG_EINVAL, origin, 1, 1,
			       "not a Pipfile.lock: no \"_meta\" or \"default\" section");
		goto out;
	}
	meta = tg_json_obj(doc.root, "_meta");
	sources = meta ? tg_json_arr(meta, "sources") : NULL;
	json_array_foreach(sources, i, src) {
		const char *url = tg_json_str(src, "url");
		if (url && (rc = tg_inventory_add_index_url(out, url, err)))
			goto out;
		if (url && json_is_false(json_object_get(src, "verify_ssl"))) {
			/* An index whose TLS is not verified is a trusted host
			 * in pip's terms. */
			const char *host = strstr(url, "://");
			char buf[256];
			size_t n;

			host = host ? host + 3 : url;
			n = strcspn(host, "/:?#");
			if (n > 0 && n < sizeof(buf)) {
				memcpy(buf, host, n);
				buf[n] = '\0';
				if ((rc = tg_inventory_add_trusted_host(out, buf, err)))
					goto out;
			}
		}
	}
	for (i = 0; i < 2; i++) {
		json_t *sec = json_object_get(doc.root, sections[i]);
		const char *name;
		json_t *e;

		if (!sec)
			continue;
		if (!json_is_object(sec)) {
			rc = tg_err_at(err, TG_EINVAL, origin, in_json_line(&doc, sec), 0,
				       "\"%s\" is not an object", sections[i]);
			goto out;
		}
		json_object_foreach(sec, name, e) {
			rc = add_entry(&doc, name, e, i == 1, origin, opts, out, err);
			if (rc)
				goto out;
		}
	}
out:
	in_json_release(&doc);
	return rc;
}

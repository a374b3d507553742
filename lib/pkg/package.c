#include "tollgate/package.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"
#include "tollgate/str.h"

const char *tg_ecosystem_name(enum tg_ecosystem eco)
{
	switch (eco) {
	case TG_ECO_PYPI: return "PyPI";
	case TG_ECO_NPM: return "npm";
	case TG_ECO_WINGET: return "winget";
	case TG_ECO_CHOCOLATEY: return "Chocolatey";
	case TG_ECO_UNKNOWN: break;
	}
	return "unknown";
}

const char *tg_ecosystem_purl_type(enum tg_ecosystem eco)
{
	switch (eco) {
	case TG_ECO_PYPI: return "pypi";
	case TG_ECO_NPM: return "npm";
	case TG_ECO_WINGET: return "winget";
	case TG_ECO_CHOCOLATEY: return "nuget";
	case TG_ECO_UNKNOWN: break;
	}
	return "generic";
}

bool tg_ecosystem_parse(const char *s, enum tg_ecosystem *out)
{
	static const struct { const char *name; enum tg_ecosystem eco; } map[] = {
		{ "pypi", TG_ECO_PYPI }, { "npm", TG_ECO_NPM },
		{ "winget", TG_ECO_WINGET }, { "chocolatey", TG_ECO_CHOCOLATEY },
		{ "choco", TG_ECO_CHOCOLATEY }, { "nuget", TG_ECO_CHOCOLATEY },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (tg_ascii_casecmp(s, map[i].name) == 0) {
			*out = map[i].eco;
			return true;
		}
	}
	return false;
}

void tg_inventory_init(struct tg_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void tg_package_release(struct tg_package *p)
{
	size_t i;

	free(p->name);
	free(p->norm_name);
	free(p->version);
	free(p->specifier);
	free(p->url);
	free(p->source);
	free(p->origin_path);
	free(p->location);
	free(p->license);
	for (i = 0; i < p->n_hashes; i++) {
		free(p->hashes[i].alg);
		free(p->hashes[i].hex);
	}
	free(p->hashes);
	free_strv(p->deps, p->n_deps);
	memset(p, 0, sizeof(*p));
}

void tg_inventory_release(struct tg_inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->n_pkgs; i++)
		tg_package_release(&inv->pkgs[i]);
	free(inv->pkgs);
	free(inv->origin);
	free(inv->format);
	free_strv(inv->index_urls, inv->n_index_urls);
	free_strv(inv->trusted_hosts, inv->n_trusted_hosts);
	memset(inv, 0, sizeof(*inv));
}

int tg_package_add_hash(struct tg_package *p, const char *alg, const char *hex,
			struct tg_err *err)
{
	struct tg_hash_pin *nh;
	size_t bytes;
	char *a, *h;

	if (p->n_hashes >= 64)
		return tg_err_set(err, TG_ELIMIT, "more than 64 hashes for %s",
				  p->name ? p->name : "a package");
	if (!tg_size_mul(p->n_hashes + 1, sizeof(*nh), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	a = tg_strdup(alg);
	h = tg_strdup(hex);
	nh = (a && h) ? realloc(p->hashes, bytes) : NULL;
	if (!nh) {
		free(a);
		free(h);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	for (char *c = a; *c; c++)
		*c = tg_ascii_lower(*c);
	for (char *c = h; *c; c++)
		*c = tg_ascii_lower(*c);
	nh[p->n_hashes].alg = a;
	nh[p->n_hashes].hex = h;
	p->n_hashes++;
	p->hashes = nh;
	return 0;
}

int tg_package_add_dep(struct tg_package *p, const char *name,
		       struct tg_err *err)
{
	return tg_strv_push(&p->deps, &p->n_deps, name, 100000, "dependencies", err);
}

struct tg_package *tg_inventory_add(struct tg_inventory *inv,
				    const struct tg_package *tmpl,
				    struct tg_err *err)
{
	struct tg_package *p;
	bool ok = true;
	size_t i;

	if (inv->n_pkgs >= TG_INVENTORY_MAX_PKGS) {
		tg_err_set(err, TG_ELIMIT, "more than %d packages in one input",
			   TG_INVENTORY_MAX_PKGS);
		return NULL;
	}
	if (inv->n_pkgs == inv->cap_pkgs) {
		size_t ncap = inv->cap_pkgs ? inv->cap_pkgs * 2 : 16;
		size_t bytes;
		struct tg_package *np;

		if (!tg_size_mul(ncap, sizeof(*np), &bytes)) {
			tg_err_set(err, TG_ELIMIT, "size overflow");
			return NULL;
		}
		np = realloc(inv->pkgs, bytes);
		if (!np) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		inv->pkgs = np;
		inv->cap_pkgs = ncap;
	}
	p = &inv->pkgs[inv->n_pkgs];
	memset(p, 0, sizeof(*p));
	p->eco = tmpl->eco;
	p->flags = tmpl->flags;
	p->origin_line = tmpl->origin_line;
	p->name = tg_strdup_opt(tmpl->name, &ok);
	p->norm_name = tg_strdup_opt(tmpl->norm_name, &ok);
	p->version = tg_strdup_opt(tmpl->version, &ok);
	p->specifier = tg_strdup_opt(tmpl->specifier, &ok);
	p->url = tg_strdup_opt(tmpl->url, &ok);
	p->source = tg_strdup_opt(tmpl->source, &ok);
	p->origin_path = tg_strdup_opt(tmpl->origin_path, &ok);
	p->location = tg_strdup_opt(tmpl->location, &ok);
	p->license = tg_strdup_opt(tmpl->license, &ok);
	for (i = 0; ok && i < tmpl->n_hashes; i++)
		if (tg_package_add_hash(p, tmpl->hashes[i].alg, tmpl->hashes[i].hex, err))
			ok = false;
	for (i = 0; ok && i < tmpl->n_deps; i++)
		if (tg_package_add_dep(p, tmpl->deps[i], err))
			ok = false;
	if (!ok) {
		tg_package_release(p);
		if (!err || err->code == TG_OK)
			tg_err_set(err, TG_ENOMEM, "out of memory");
		return NULL;
	}
	inv->n_pkgs++;
	return p;
}

int tg_inventory_add_index_url(struct tg_inventory *inv, const char *url,
			       struct tg_err *err)
{
	return tg_strv_push(&inv->index_urls, &inv->n_index_urls, url, 1000, "index URLs", err);
}

int tg_inventory_add_trusted_host(struct tg_inventory *inv, const char *host,
				  struct tg_err *err)
{
	return tg_strv_push(&inv->trusted_hosts, &inv->n_trusted_hosts, host, 1000, "trusted hosts", err);
}

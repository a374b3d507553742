/* The Windows step of `tollgate audit`: every inventory with winget or
 * Chocolatey packages gets the checks of checks.c, with the policy of
 * tollgate.toml's [windows] table, the shipped KEV mapping and the vet
 * rules. Inventories of a Windows input format are re-read for the full
 * model (installers, scripts); winget / Chocolatey packages that came from
 * other inputs (an SBOM) get the checks that need only id, version and
 * source. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tollgate/str.h"
#include "tollgate/vet_content.h"
#include "tollgate/windows.h"

/* A model of the winget / Chocolatey packages of a non-Windows input. */
static int model_from_packages(const struct tg_inventory *inv,
			       struct tg_win_inventory *w, struct tg_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < inv->n_pkgs && !rc; i++) {
		const struct tg_package *p = &inv->pkgs[i];
		struct tg_win_app *a;

		if (p->eco != TG_ECO_WINGET && p->eco != TG_ECO_CHOCOLATEY)
			continue;
		if (!(a = tg_win_add_app(w, err)))
			return err->code;
		a->eco = p->eco;
		a->kind = TG_WIN_INSTALLED;
		a->line = p->origin_line;
		if ((rc = tg_win_set(&a->id, p->name, err)) ||
		    (rc = tg_win_set(&a->version, p->version, err)) ||
		    (rc = tg_win_set(&a->origin, p->origin_path ? p->origin_path : inv->origin,
				     err)))
			return rc;
		/* an SBOM's download location is no package source */
	}
	return rc;
}

/* The running program's directory (for the vet rules next to a build). */
static char *exe_dir(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return tg_strdup(buf);
}

/* Point the findings [from, report->n_findings) at their packages. */
static void link_findings(struct tg_report *r, size_t from, size_t inv_index)
{
	const struct tg_inventory *inv = &r->inventories[inv_index];
	size_t i, j;

	for (i = from; i < r->n_findings; i++) {
		struct tg_finding *f = &r->findings[i];

		for (j = 0; j < inv->n_pkgs; j++) {
			const struct tg_package *p = &inv->pkgs[j];

			if (p->eco == f->eco && p->name && f->package &&
			    strcmp(p->name, f->package) == 0 &&
			    ((!p->version && !f->version) ||
			     (p->version && f->version && strcmp(p->version, f->version) == 0))) {
				f->has_pkg_ref = true;
				f->inv_index = inv_index;
				f->pkg_index = j;
				break;
			}
		}
	}
}

static bool has_windows_packages(const struct tg_inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->n_pkgs; i++)
		if (inv->pkgs[i].eco == TG_ECO_WINGET || inv->pkgs[i].eco == TG_ECO_CHOCOLATEY)
			return true;
	return false;
}

int tg_win_audit(struct tg_report *report, struct tg_db *db,
		 const struct tg_toml_value *cfg_windows,
		 const char *cfg_origin, const char *rules_dir,
		 struct tg_err *err)
{
	struct tg_win_policy policy;
	struct tg_win_kev_map map;
	struct tg_vet_rules *rules = NULL;
	struct tg_win_inventory *models = NULL;
	struct tg_win_check_ctx ctx;
	struct tg_err soft;
	size_t i, n = report->n_inventories, any = 0;
	int rc;

	tg_win_policy_init(&policy);
	tg_win_kev_map_init(&map);
	for (i = 0; i < n; i++)
		any += has_windows_packages(&report->inventories[i]);
	if (!any)
		return 0;
	if ((rc = tg_win_policy_from_toml(cfg_windows, cfg_origin ? cfg_origin : "tollgate.toml",
					  &policy, err)))
		goto out;
	models = calloc(n, sizeof(*models));
	if (!models) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		bool is_win = false;

		tg_win_inventory_init(&models[i]);
		if ((rc = tg_win_load(&report->inventories[i], &models[i], &is_win, err)))
			goto out;
		if (!is_win && (rc = model_from_packages(&report->inventories[i], &models[i], err)))
			goto out;
	}
	if (tg_win_kev_map_load(NULL, &map, &soft) != 0 &&
	    (rc = tg_report_add_warning(report, err,
					"Windows KEV check skipped: %s", soft.msg)))
		goto out;
	{
		char *exe = rules_dir ? NULL : exe_dir();
		char *dir = tg_vet_rules_find(rules_dir, exe, &soft);

		free(exe);

		if (!dir || tg_vet_rules_load(dir, &rules, &soft) != 0) {
			rules = NULL;
			rc = tg_report_add_warning(report, err,
						   "install scripts checked with the structural checks only: %s",
						   soft.msg);
		}
		free(dir);
		if (rc)
			goto out;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.policy = &policy;
	ctx.kev_map = map.n ? &map : NULL;
	ctx.db = db;
	ctx.rules = rules;
	ctx.available = models;
	ctx.n_available = n;
	for (i = 0; i < n && !rc; i++) {
		size_t before = report->n_findings;

		if (!models[i].n_apps)
			continue;
		rc = tg_win_check(&ctx, &models[i], report, err);
		link_findings(report, before, i);
	}
out:
	for (i = 0; models && i < n; i++)
		tg_win_inventory_release(&models[i]);
	free(models);
	tg_vet_rules_free(rules);
	tg_win_kev_map_release(&map);
	tg_win_policy_release(&policy);
	return rc;
}

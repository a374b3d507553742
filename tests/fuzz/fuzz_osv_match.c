/* One OSV record (untrusted JSON) through the matcher: loaded for the
 * package its first affected entry names, evaluated at a spread of
 * versions, then matched as a package with alias grouping and fix
 * suggestion. Nothing may crash, leak or break the report's invariants. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/match.h"
#include "tollgate/str.h"

static const char *const probe[] = {
	"0", "0.0.1", "1.0", "1.0.0", "1.0.0-rc.1", "1.0rc1", "1.0.post1", "1.0+local",
	"1!1.0", "2.0.0", "3.7.2", "99.999.99999", "not a version", "",
};

struct one {
	json_t *rec;
	enum tg_ecosystem eco;
	const char *name;
};

static int fx_advisories(void *ctx, enum tg_ecosystem eco, const char *name,
			 struct tg_advisory_list *out, struct tg_err *err)
{
	struct one *o = ctx;
	struct tg_advisory *a;
	bool relevant;
	int rc;

	(void)name;
	if (eco != o->eco)
		return 0;
	a = tg_advisory_list_push(out, err);
	if (!a)
		return err->code;
	rc = tg_advisory_from_osv_json(o->rec, eco, o->name, a, &relevant, "fuzz", err);
	if (rc)
		return rc;
	/* The same record twice, under another id, aliased: one finding. */
	a = tg_advisory_list_push(out, err);
	if (!a)
		return err->code;
	rc = tg_advisory_from_osv_json(o->rec, eco, o->name, a, &relevant, "fuzz", err);
	if (rc)
		return rc;
	free(a->id);
	a->id = tg_strdup("ZZZ-TWIN-1");
	return tg_advisory_add_alias(a, tg_json_str(o->rec, "id"), err);
}

static int fx_latest(void *ctx, enum tg_ecosystem eco, const char *name,
		     char **out, struct tg_err *err)
{
	(void)ctx;
	(void)eco;
	(void)name;
	(void)err;
	*out = tg_strdup("50.0.0");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_err err;
	json_t *rec = tg_json_load((const char *)data, size, "fuzz.json", &err);
	json_t *aff, *pkg;
	const char *eco_s, *name;
	struct one o;
	size_t i, k;

	if (!rec)
		return 0;
	aff = json_array_get(tg_json_arr(rec, "affected"), 0);
	pkg = tg_json_obj(aff, "package");
	eco_s = tg_json_str(pkg, "ecosystem");
	name = tg_json_str(pkg, "name");
	if (!eco_s || !name || !tg_json_str(rec, "id") ||
	    !tg_ecosystem_parse(eco_s, &o.eco) ||
	    (o.eco != TG_ECO_PYPI && o.eco != TG_ECO_NPM)) {
		json_decref(rec);
		return 0;
	}
	o.rec = rec;
	o.name = name;
	{
		struct tg_advisory a;
		bool relevant;

		if (tg_advisory_from_osv_json(rec, o.eco, name, &a, &relevant, "fuzz", &err) == 0) {
			for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
				enum tg_affect r;

				if (tg_advisory_affects(&a, o.eco, probe[i], NULL, &r, &err) == 0 &&
				    r != TG_AFFECT_NO && r != TG_AFFECT_YES && r != TG_AFFECT_UNKNOWN)
					abort();
			}
			tg_advisory_release(&a);
		}
	}
	for (k = 0; k < 3; k++) {
		struct tg_vuln_source src = { .ctx = &o, .advisories = fx_advisories,
					      .latest_version = fx_latest };
		struct tg_match_opts opts = { .prefer = (enum tg_prefer_id)k };
		struct tg_report r;
		struct tg_inventory inv;
		struct tg_package p;

		tg_report_init(&r);
		tg_inventory_init(&inv);
		for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i += 3) {
			memset(&p, 0, sizeof(p));
			p.eco = o.eco;
			p.name = (char *)name;
			p.version = (char *)probe[i];
			if (!tg_inventory_add(&inv, &p, &err))
				abort();
		}
		if (tg_report_take_inventory(&r, &inv, &err))
			abort();
		if (tg_match_report(&src, &opts, &r, &err) == 0) {
			for (i = 0; i < r.n_findings; i++) {
				const struct tg_finding *f = &r.findings[i];

				if (f->kind == TG_FIND_VULNERABILITY || f->kind == TG_FIND_MALICIOUS) {
					/* the twin is an alias: never a second finding */
					if (!f->id || f->n_advisories < 1 || f->n_advisories > 2)
						abort();
				}
			}
		}
		tg_report_release(&r);
	}
	json_decref(rec);
	return 0;
}

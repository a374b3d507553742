/* CISA KEV catalog (JSON) -> kev table. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_import.h"
#include "tollgate/fs.h"
#include "tollgate/json.h"
#include "tollgate/str.h"

/* The catalog is ~1.3 MB today; leave room for decades of growth. */
#define KEV_MAX_BYTES ((size_t)256 << 20)

static bool cve_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 9 || n > 32 || strncmp(s, "CVE-", 4) != 0)
		return false;
	for (i = 4; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

int tg_import_kev(struct tg_db_writer *w, const char *file, const char *origin,
		  struct tg_feed_result *res, struct tg_import_meta *meta,
		  struct tg_err *err)
{
	struct tg_buf b;
	json_t *root = NULL, *vulns, *v;
	sqlite3_stmt *st = w->st[W_KEV];
	const char *s;
	size_t i;
	int rc;

	tg_buf_init(&b, KEV_MAX_BYTES);
	rc = tg_read_file(file, KEV_MAX_BYTES, &b, err);
	if (rc) {
		tg_err_locate(err, origin, 0, 0);
		goto out;
	}
	root = tg_json_load(b.data, b.len, origin, err);
	if (!root) {
		rc = TG_EPARSE;
		tg_err_prefix(err, "KEV catalog is not valid JSON");
		goto out;
	}
	vulns = json_is_object(root) ? tg_json_arr(root, "vulnerabilities") : NULL;
	if (!vulns) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0,
			       "not a KEV catalog: no \"vulnerabilities\" array");
		goto out;
	}
	if ((s = tg_json_str(root, "catalogVersion")))
		tg_strlcpy(meta->version, s, sizeof(meta->version));
	if ((s = tg_json_str(root, "dateReleased")))
		tg_strlcpy(meta->feed_date, s, sizeof(meta->feed_date));
	tg_import_progress(w, "kev: importing", 0, json_array_size(vulns));
	json_array_foreach(vulns, i, v) {
		const char *cve = json_is_object(v) ? tg_json_str(v, "cveID") : NULL;
		static const char *const keys[] = {
			"vendorProject", "product", "vulnerabilityName", "dateAdded",
			"dueDate", "knownRansomwareCampaignUse", "shortDescription",
			"requiredAction", "notes"
		};
		char *cwes = NULL;
		json_t *jc;
		size_t k;
		int s2;

		if (!cve || !cve_ok(cve)) {
			struct tg_err e;
			tg_err_at(&e, TG_EINVAL, origin, 0, 0,
				  "vulnerabilities[%zu] has no valid cveID: skipped", i);
			tg_import_notice(w, &e);
			res->skipped++;
			continue;
		}
		sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *val = tg_json_str(v, keys[k]);
			if (val && *val)
				sqlite3_bind_text(st, (int)k + 2, val, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, (int)k + 2);
		}
		jc = tg_json_arr(v, "cwes");
		if (jc) {
			cwes = json_dumps(jc, JSON_COMPACT);
			if (!cwes) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			sqlite3_bind_text(st, 11, cwes, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_null(st, 11);
		}
		s2 = sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		free(cwes);
		if (s2 != SQLITE_DONE) {
			rc = tg_db_sql_error(w->sql, w->path, "writing the new database", err);
			goto out;
		}
		res->records++;
	}
	/* A catalog that states its size and disagrees has been cut short. */
	{
		json_t *count = json_object_get(root, "count");
		if (json_is_integer(count) &&
		    json_integer_value(count) != (json_int_t)json_array_size(vulns)) {
			struct tg_err e;
			tg_err_at(&e, TG_EINVAL, origin, 0, 0,
				  "catalog says count %lld but lists %zu entries",
				  (long long)json_integer_value(count), json_array_size(vulns));
			tg_import_notice(w, &e);
		}
	}
	tg_import_progress(w, "kev: importing", json_array_size(vulns),
			   json_array_size(vulns));
out:
	json_decref(root);
	tg_buf_release(&b);
	return rc;
}

/* Name risk from the local database: the registry name list and OSV
 * MAL- advisories. */
#include "vet/names_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/db.h"
#include "tollgate/str.h"

struct add_ctx {
	struct tg_vet_names *n;
	struct tg_err *err;
	int rc;
};

static int add_one(const struct tg_db_name_view *v, void *ctx)
{
	struct add_ctx *a = ctx;

	a->rc = tg_vet_names_add(a->n, v->name, v->latest_version, v->last_release,
				 v->rank, v->downloads, a->err);
	return a->rc ? 1 : 0;
}

int tg_vet_names_from_db(struct tg_db *db, enum tg_ecosystem eco,
			 const struct tg_vet_name_thresholds *t,
			 struct tg_vet_names **out, struct tg_err *err)
{
	const char *feed = eco == TG_ECO_NPM ? "names-npm" : "names-pypi";
	struct tg_vet_names *n = NULL;
	struct tg_db_feed_list feeds = { 0 };
	struct add_ctx a;
	char label[160];
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = tg_db_require_feed(db, feed, err)))
		return rc;
	if ((rc = tg_vet_names_new(eco, t, &n, err)))
		return rc;
	a.n = n;
	a.err = err;
	a.rc = 0;
	rc = tg_db_each_name(db, eco, add_one, &a, err);
	if (a.rc)
		rc = a.rc;
	if (rc)
		goto fail;
	if ((rc = tg_vet_names_build(n, err)))
		goto fail;
	/* Name the list in messages by the date it was taken. */
	snprintf(label, sizeof(label), "%s name list (%zu names)",
		 eco == TG_ECO_NPM ? "npm" : "PyPI", tg_vet_names_count(n));
	if (tg_db_feeds(db, &feeds, err) == 0) {
		for (i = 0; i < feeds.n; i++) {
			const struct tg_db_feed *f = &feeds.items[i];
			const char *date = f->feed_date ? f->feed_date :
				f->version ? f->version : f->fetched;
			if (strcmp(f->name, feed) == 0 && date)
				snprintf(label, sizeof(label), "%s name list of %.10s (%zu names)",
					 eco == TG_ECO_NPM ? "npm" : "PyPI", date,
					 tg_vet_names_count(n));
		}
		tg_db_feed_list_release(&feeds);
	}
	tg_err_clear(err);
	if ((rc = tg_vet_names_set_list_label(n, label, err)))
		goto fail;
	*out = n;
	return 0;
fail:
	tg_vet_names_free(n);
	return rc;
}

struct mal_ctx {
	const char *version;
	struct tg_vet_result *out;
	struct tg_err *err;
	int rc;
	char seen[8][64];
	size_t n_seen;
};

static bool version_listed(const struct tg_db_affected *a, const char *version)
{
	size_t i;

	for (i = 0; i < a->n_versions; i++)
		if (strcmp(a->versions[i], version) == 0)
			return true;
	return false;
}

static int on_affected(const struct tg_db_affected *a, void *ctx)
{
	struct mal_ctx *m = ctx;
	struct tg_vet_reason r = { .rule = "malicious", .level = TG_VET_BLOCK };
	char msg[400];
	size_t i;

	if (!a->malicious || a->withdrawn)
		return 0;
	/* A MAL- record lists the versions it saw; with ranges (or nothing
	 * listed) the whole package counts as malware. */
	if (m->version && a->n_ranges == 0 && a->n_versions > 0 &&
	    !version_listed(a, m->version))
		return 0;
	for (i = 0; i < m->n_seen; i++)
		if (strcmp(m->seen[i], a->advisory_id) == 0)
			return 0;
	if (m->n_seen < sizeof(m->seen) / sizeof(m->seen[0]))
		tg_strlcpy(m->seen[m->n_seen++], a->advisory_id, sizeof(m->seen[0]));
	snprintf(msg, sizeof(msg), "OSV advisory %s reports %s%s%s as malicious: known "
		 "malware, never install it", a->advisory_id, a->name,
		 m->version ? " " : "", m->version ? m->version : "");
	r.message = msg;
	r.similar_to = NULL;
	r.excerpt = (char *)a->advisory_id;
	m->rc = tg_vet_result_add(m->out, &r, m->err);
	return m->rc ? 1 : 0;
}

int tg_vet_names_check_malicious(struct tg_db *db, enum tg_ecosystem eco,
				 const char *name, const char *version,
				 struct tg_vet_result *out, struct tg_err *err)
{
	struct mal_ctx m = { .version = version, .out = out, .err = err };
	int rc;

	rc = tg_db_each_affected(db, eco, name, on_affected, &m, err);
	if (m.rc)
		return m.rc;
	return rc;
}

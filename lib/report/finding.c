#include "tollgate/finding.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"
#include "tollgate/str.h"

const char *tg_finding_kind_name(enum tg_finding_kind k)
{
	switch (k) {
	case TG_FIND_VULNERABILITY: return "vulnerability";
	case TG_FIND_MALICIOUS: return "malicious";
	case TG_FIND_NAME_RISK: return "name-risk";
	case TG_FIND_CONTENT_RISK: return "content-risk";
	case TG_FIND_INTEGRITY: return "integrity";
	case TG_FIND_PROVENANCE: return "provenance";
	case TG_FIND_POLICY: return "policy";
	case TG_FIND_UNPINNED: return "unpinned";
	}
	return "unknown";
}

static const char *const sev_names[] = {
	"unknown", "none", "low", "medium", "high", "critical"
};

const char *tg_severity_name(enum tg_severity s)
{
	if ((unsigned)s < sizeof(sev_names) / sizeof(sev_names[0]))
		return sev_names[s];
	return "unknown";
}

bool tg_severity_parse(const char *s, enum tg_severity *out)
{
	size_t i;

	for (i = 0; i < sizeof(sev_names) / sizeof(sev_names[0]); i++) {
		if (tg_ascii_casecmp(s, sev_names[i]) == 0) {
			*out = (enum tg_severity)i;
			return true;
		}
	}
	if (tg_ascii_casecmp(s, "moderate") == 0) { /* GHSA spelling */
		*out = TG_SEV_MEDIUM;
		return true;
	}
	return false;
}

void tg_report_init(struct tg_report *r)
{
	memset(r, 0, sizeof(*r));
}

void tg_finding_release(struct tg_finding *f)
{
	size_t i;

	free(f->package);
	free(f->version);
	free(f->origin_path);
	free(f->id);
	for (i = 0; i < f->n_aliases; i++)
		free(f->aliases[i]);
	free(f->aliases);
	free(f->summary);
	free(f->details);
	free(f->cvss_vector);
	free(f->kev_due);
	free(f->fixed_version);
	free(f->evidence_file);
	free(f->excerpt);
	free(f->ignore_reason);
	memset(f, 0, sizeof(*f));
}

void tg_report_release(struct tg_report *r)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++)
		tg_finding_release(&r->findings[i]);
	free(r->findings);
	for (i = 0; i < r->n_inventories; i++)
		tg_inventory_release(&r->inventories[i]);
	free(r->inventories);
	for (i = 0; i < r->n_feeds; i++) {
		free(r->feeds[i].name);
		free(r->feeds[i].version);
		free(r->feeds[i].fetched);
	}
	free(r->feeds);
	free(r->tool_version);
	free(r->generated_at);
	memset(r, 0, sizeof(*r));
}

static char *dup_opt(const char *s, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	d = tg_strdup(s);
	if (!d)
		*ok = false;
	return d;
}

int tg_finding_add_alias(struct tg_finding *f, const char *alias,
			 struct tg_err *err)
{
	char **nv;
	char *d;
	size_t bytes;

	if (f->n_aliases >= 10000)
		return tg_err_set(err, TG_ELIMIT, "too many aliases");
	if (!tg_size_mul(f->n_aliases + 1, sizeof(char *), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	d = tg_strdup(alias);
	nv = d ? realloc(f->aliases, bytes) : NULL;
	if (!nv) {
		free(d);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	nv[f->n_aliases++] = d;
	f->aliases = nv;
	return 0;
}

struct tg_finding *tg_report_add_finding(struct tg_report *r,
					 const struct tg_finding *t,
					 struct tg_err *err)
{
	struct tg_finding *f;
	bool ok = true;
	size_t i;

	if (r->n_findings == r->cap_findings) {
		size_t ncap = r->cap_findings ? r->cap_findings * 2 : 16, bytes;
		struct tg_finding *nf;

		if (ncap > 10000000 || !tg_size_mul(ncap, sizeof(*nf), &bytes)) {
			tg_err_set(err, TG_ELIMIT, "too many findings");
			return NULL;
		}
		nf = realloc(r->findings, bytes);
		if (!nf) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		r->findings = nf;
		r->cap_findings = ncap;
	}
	f = &r->findings[r->n_findings];
	*f = *t;
	f->aliases = NULL;
	f->n_aliases = 0;
	f->package = dup_opt(t->package, &ok);
	f->version = dup_opt(t->version, &ok);
	f->origin_path = dup_opt(t->origin_path, &ok);
	f->id = dup_opt(t->id, &ok);
	f->summary = dup_opt(t->summary, &ok);
	f->details = dup_opt(t->details, &ok);
	f->cvss_vector = dup_opt(t->cvss_vector, &ok);
	f->kev_due = dup_opt(t->kev_due, &ok);
	f->fixed_version = dup_opt(t->fixed_version, &ok);
	f->evidence_file = dup_opt(t->evidence_file, &ok);
	f->excerpt = dup_opt(t->excerpt, &ok);
	f->ignore_reason = dup_opt(t->ignore_reason, &ok);
	for (i = 0; ok && i < t->n_aliases; i++)
		if (tg_finding_add_alias(f, t->aliases[i], err))
			ok = false;
	if (!ok) {
		tg_finding_release(f);
		if (!err || err->code == TG_OK)
			tg_err_set(err, TG_ENOMEM, "out of memory");
		return NULL;
	}
	r->n_findings++;
	return f;
}

int tg_report_take_inventory(struct tg_report *r, struct tg_inventory *inv,
			     struct tg_err *err)
{
	struct tg_inventory *ni;
	size_t bytes;

	if (!tg_size_mul(r->n_inventories + 1, sizeof(*ni), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	ni = realloc(r->inventories, bytes);
	if (!ni)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	r->inventories = ni;
	ni[r->n_inventories++] = *inv;
	tg_inventory_init(inv);
	return 0;
}

int tg_report_add_feed(struct tg_report *r, const struct tg_feed_info *f,
		       struct tg_err *err)
{
	struct tg_feed_info *nf;
	size_t bytes;
	bool ok = true;

	if (!tg_size_mul(r->n_feeds + 1, sizeof(*nf), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	nf = realloc(r->feeds, bytes);
	if (!nf)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	r->feeds = nf;
	nf[r->n_feeds].name = dup_opt(f->name, &ok);
	nf[r->n_feeds].version = dup_opt(f->version, &ok);
	nf[r->n_feeds].fetched = dup_opt(f->fetched, &ok);
	nf[r->n_feeds].records = f->records;
	if (!ok) {
		free(nf[r->n_feeds].name);
		free(nf[r->n_feeds].version);
		free(nf[r->n_feeds].fetched);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	r->n_feeds++;
	return 0;
}

#include "tollgate/finding.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
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
	case TG_FIND_UNKNOWN_VERSION: return "unknown-version";
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

/* Whether p points into the finding's block (see tg_report_add_finding). */
static bool in_block(const struct tg_finding *f, const void *p)
{
	uintptr_t a = (uintptr_t)p, lo = (uintptr_t)f->strings;

	return f->strings && a >= lo && a - lo < f->strings_len;
}

void tg_finding_release(struct tg_finding *f)
{
	size_t i;

	if (!f->strings) {
		free(f->package);
		free(f->version);
		free(f->origin_path);
		free(f->id);
		free(f->summary);
		free(f->details);
		free(f->cvss_vector);
		free(f->kev_due);
		free(f->fixed_version);
		free(f->evidence_file);
		free(f->excerpt);
	}
	/* Aliases and advisory ids added after the finding was stored are
	 * separate allocations; those it was stored with are in the block. */
	for (i = 0; i < f->n_aliases; i++)
		if (!in_block(f, f->aliases[i]))
			free(f->aliases[i]);
	if (!in_block(f, f->aliases))
		free(f->aliases);
	for (i = 0; i < f->n_advisories; i++)
		if (!in_block(f, f->advisories[i]))
			free(f->advisories[i]);
	if (!in_block(f, f->advisories))
		free(f->advisories);
	free(f->ignore_expires);
	free(f->ignore_reason);
	free(f->strings);
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
	for (i = 0; i < r->n_ignore_notes; i++) {
		struct tg_ignore_note *n = &r->ignore_notes[i];
		free(n->id);
		free(n->reason);
		free(n->expires);
		free(n->package);
		free(n->version);
		free(n->origin);
	}
	free(r->ignore_notes);
	for (i = 0; i < r->n_warnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->config_path);
	free(r->fail_on);
	memset(r, 0, sizeof(*r));
}

#define MAX_IDS 10000

/* Append a copy of s to *v; a list still in the finding's block moves
 * out first (the block cannot grow). */
static int push_id(struct tg_finding *f, char ***v, size_t *n, const char *s,
		   const char *what, struct tg_err *err)
{
	if (*v && in_block(f, *v)) {
		char **nv;
		size_t bytes;

		if (!tg_size_mul(*n + 1, sizeof(*nv), &bytes))
			return tg_err_set(err, TG_ELIMIT, "size overflow");
		if (!(nv = malloc(bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
	}
	return tg_strv_push(v, n, s, MAX_IDS, what, err);
}

int tg_finding_add_alias(struct tg_finding *f, const char *alias,
			 struct tg_err *err)
{
	return push_id(f, &f->aliases, &f->n_aliases, alias, "aliases", err);
}

int tg_finding_add_advisory(struct tg_finding *f, const char *id,
			    struct tg_err *err)
{
	return push_id(f, &f->advisories, &f->n_advisories, id, "advisories", err);
}

/* The finding's strings, alias list and advisory-id list, copied into one
 * block (f->strings): a report holds thousands of findings, and this is
 * one allocation each instead of twenty. The pointer arrays come first,
 * so they are aligned. */
static int copy_strings(struct tg_finding *f, const struct tg_finding *t,
			struct tg_err *err)
{
	const char *const src[] = {
		t->package, t->version, t->origin_path, t->id, t->summary, t->details,
		t->cvss_vector, t->kev_due, t->fixed_version, t->evidence_file, t->excerpt,
	};
	char **const dst[] = {
		&f->package, &f->version, &f->origin_path, &f->id, &f->summary, &f->details,
		&f->cvss_vector, &f->kev_due, &f->fixed_version, &f->evidence_file, &f->excerpt,
	};
	size_t len[sizeof(src) / sizeof(src[0])], total, i, n_ids;
	char *p;

	/* f starts as a copy of t: nothing of t's may stay in it. */
	f->strings = NULL;
	f->strings_len = 0;
	for (i = 0; i < sizeof(dst) / sizeof(dst[0]); i++)
		*dst[i] = NULL;
	f->aliases = f->advisories = NULL;
	f->n_aliases = f->n_advisories = 0;
	if (t->n_aliases > MAX_IDS || t->n_advisories > MAX_IDS)
		return tg_err_set(err, TG_ELIMIT, "more than %d aliases or advisories",
				  MAX_IDS);
	n_ids = t->n_aliases + t->n_advisories;
	total = n_ids * sizeof(char *);
	for (i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		len[i] = src[i] ? strlen(src[i]) + 1 : 0;
		if (!tg_size_add(total, len[i], &total))
			return tg_err_set(err, TG_ELIMIT, "size overflow");
	}
	for (i = 0; i < n_ids; i++) {
		const char *id = i < t->n_aliases ? t->aliases[i] : t->advisories[i - t->n_aliases];

		if (!tg_size_add(total, strlen(id) + 1, &total))
			return tg_err_set(err, TG_ELIMIT, "size overflow");
	}
	if (!total)
		return 0;
	if (!(f->strings = malloc(total)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	f->strings_len = total;
	if (t->n_aliases)
		f->aliases = (char **)(void *)f->strings;
	if (t->n_advisories)
		f->advisories = (char **)(void *)f->strings + t->n_aliases;
	p = f->strings + n_ids * sizeof(char *);
	for (i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		if (!src[i])
			continue;
		memcpy(p, src[i], len[i]);
		*dst[i] = p;
		p += len[i];
	}
	for (i = 0; i < n_ids; i++) {
		const char *id = i < t->n_aliases ? t->aliases[i] : t->advisories[i - t->n_aliases];
		size_t n = strlen(id) + 1;

		memcpy(p, id, n);
		if (i < t->n_aliases)
			f->aliases[f->n_aliases++] = p;
		else
			f->advisories[f->n_advisories++] = p;
		p += n;
	}
	return 0;
}

struct tg_finding *tg_report_add_finding(struct tg_report *r,
					 const struct tg_finding *t,
					 struct tg_err *err)
{
	struct tg_finding *f;
	bool ok = true;

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
	if (copy_strings(f, t, err))
		ok = false;
	f->ignore_expires = tg_strdup_opt(t->ignore_expires, &ok);
	f->ignore_reason = tg_strdup_opt(t->ignore_reason, &ok);
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
	nf[r->n_feeds].name = tg_strdup_opt(f->name, &ok);
	nf[r->n_feeds].version = tg_strdup_opt(f->version, &ok);
	nf[r->n_feeds].fetched = tg_strdup_opt(f->fetched, &ok);
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

int tg_report_add_ignore_note(struct tg_report *r,
			      const struct tg_ignore_note *note,
			      struct tg_err *err)
{
	struct tg_ignore_note *nn, *n;
	size_t bytes;
	bool ok = true;

	if (r->n_ignore_notes >= 100000 ||
	    !tg_size_mul(r->n_ignore_notes + 1, sizeof(*nn), &bytes))
		return tg_err_set(err, TG_ELIMIT, "too many ignore rules");
	nn = realloc(r->ignore_notes, bytes);
	if (!nn)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	r->ignore_notes = nn;
	n = &nn[r->n_ignore_notes];
	*n = *note;
	n->id = tg_strdup_opt(note->id, &ok);
	n->reason = tg_strdup_opt(note->reason, &ok);
	n->expires = tg_strdup_opt(note->expires, &ok);
	n->package = tg_strdup_opt(note->package, &ok);
	n->version = tg_strdup_opt(note->version, &ok);
	n->origin = tg_strdup_opt(note->origin, &ok);
	if (!ok) {
		free(n->id);
		free(n->reason);
		free(n->expires);
		free(n->package);
		free(n->version);
		free(n->origin);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	r->n_ignore_notes++;
	return 0;
}

int tg_report_add_warning(struct tg_report *r, struct tg_err *err,
			  const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tg_strv_push(&r->warnings, &r->n_warnings, msg, 10000, "warnings", err);
}

static int kind_rank(enum tg_finding_kind k)
{
	/* Notes about what could not be checked come after real findings. */
	return k == TG_FIND_UNPINNED || k == TG_FIND_UNKNOWN_VERSION ? 1 : 0;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int finding_order(const void *pa, const void *pb)
{
	const struct tg_finding *a = pa, *b = pb;
	int c;

	if (kind_rank(a->kind) != kind_rank(b->kind))
		return kind_rank(a->kind) - kind_rank(b->kind);
	if (a->ignored != b->ignored)
		return a->ignored ? 1 : -1;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	if ((c = cmp_str(a->package, b->package)) != 0)
		return c;
	if ((c = cmp_str(a->version, b->version)) != 0)
		return c;
	if ((c = cmp_str(a->id, b->id)) != 0)
		return c;
	if ((c = cmp_str(a->origin_path, b->origin_path)) != 0)
		return c;
	if (a->origin_line != b->origin_line)
		return a->origin_line < b->origin_line ? -1 : 1;
	if (a->inv_index != b->inv_index)
		return a->inv_index < b->inv_index ? -1 : 1;
	if (a->pkg_index != b->pkg_index)
		return a->pkg_index < b->pkg_index ? -1 : 1;
	return 0;
}

void tg_report_sort_findings(struct tg_report *r)
{
	size_t i;

	/* Callers sort again after steps that may reorder (ignores, more
	 * checks); most often nothing moved, and a check is one pass. */
	for (i = 1; i < r->n_findings; i++)
		if (finding_order(&r->findings[i - 1], &r->findings[i]) > 0)
			break;
	if (i < r->n_findings)
		qsort(r->findings, r->n_findings, sizeof(r->findings[0]),
		      finding_order);
}

size_t tg_report_packages_scanned(const struct tg_report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_inventories; i++)
		n += r->inventories[i].n_pkgs;
	return n;
}

const struct tg_package *tg_finding_package(const struct tg_report *r,
					    const struct tg_finding *f)
{
	if (!f->has_pkg_ref || f->inv_index >= r->n_inventories ||
	    f->pkg_index >= r->inventories[f->inv_index].n_pkgs)
		return NULL;
	return &r->inventories[f->inv_index].pkgs[f->pkg_index];
}

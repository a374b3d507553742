/* Checks on Windows applications (docs/windows.md): source pinning,
 * allow / deny lists, installer hashes and Chocolatey checksums, plain
 * HTTP downloads, install scripts, newer versions in the given manifests,
 * and products with known-exploited vulnerabilities (KEV). */
#define _POSIX_C_SOURCE 200809L
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/db_kev.h"
#include "tollgate/match.h"
#include "tollgate/str.h"
#include "tollgate/vet.h"
#include "tollgate/vet_content.h"
#include "tollgate/windows.h"

/* Case-insensitive glob match (ids are case-insensitive on both sides). */
static bool id_matches(const char *pattern, const char *id)
{
	char p[512], s[512];
	size_t i;

	if (strlen(pattern) >= sizeof(p) || strlen(id) >= sizeof(s))
		return tg_ascii_casecmp(pattern, id) == 0;
	for (i = 0; pattern[i]; i++)
		p[i] = tg_ascii_lower(pattern[i]);
	p[i] = '\0';
	for (i = 0; id[i]; i++)
		s[i] = tg_ascii_lower(id[i]);
	s[i] = '\0';
	return fnmatch(p, s, 0) == 0;
}

struct finding_args {
	const char *rule;
	enum tg_finding_kind kind;
	enum tg_severity sev;
	const char *file;         /* NULL: the app's origin */
	unsigned long line;       /* 0: the app's line */
	const char *evidence_file;
	unsigned long evidence_line;
	const char *excerpt;
	const char *fixed_version;
};

static int add(struct tg_report *r, const struct tg_win_app *a,
	       const struct finding_args *x, struct tg_err *err,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int add(struct tg_report *r, const struct tg_win_app *a,
	       const struct finding_args *x, struct tg_err *err,
	       const char *fmt, ...)
{
	struct tg_finding f;
	char summary[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(summary, sizeof(summary), fmt, ap);
	va_end(ap);
	memset(&f, 0, sizeof(f));
	f.kind = x->kind;
	f.eco = a->eco;
	f.package = a->id;
	f.version = a->version;
	f.origin_path = (char *)(x->file ? x->file : a->origin);
	f.origin_line = x->file ? x->line : a->line;
	f.id = (char *)x->rule;
	f.summary = summary;
	f.severity = x->sev;
	f.cvss = -1;
	f.epss = -1;
	f.epss_percentile = -1;
	f.evidence_file = (char *)x->evidence_file;
	f.evidence_line = x->evidence_line;
	f.excerpt = (char *)x->excerpt;
	f.fixed_version = (char *)x->fixed_version;
	f.priority = tg_priority_score(&f);
	return tg_report_add_finding(r, &f, err) ? 0 : err->code;
}

static const char *eco_label(enum tg_ecosystem eco)
{
	return eco == TG_ECO_WINGET ? "winget" : "Chocolatey";
}

/* The source an installed app came from: as recorded, else the tool's
 * default (winget export lists it; choco's default feed). */
static const char *app_source(const struct tg_win_app *a)
{
	if (a->source)
		return a->source;
	return a->eco == TG_ECO_WINGET ? "winget" : "chocolatey";
}

static int check_sources(const struct tg_win_check_ctx *c,
			 const struct tg_win_app *a, struct tg_report *r,
			 struct tg_err *err)
{
	const struct tg_win_policy *p = c->policy;
	const char *src = app_source(a);
	struct finding_args x = { 0 };
	bool pinned = false;
	size_t i;
	int rc = 0;

	/* a manifest is an offer, not an installation: no source to judge */
	if (!p || a->kind != TG_WIN_INSTALLED)
		return 0;
	x.kind = TG_FIND_POLICY;
	x.sev = TG_SEV_HIGH;
	for (i = 0; i < p->n_pins && !rc; i++) {
		if (!id_matches(p->pins[i].package, a->id))
			continue;
		pinned = true;
		if (tg_ascii_casecmp(p->pins[i].source, src) != 0) {
			x.rule = TG_WIN_RULE_SOURCE_PIN;
			rc = add(r, a, &x, err,
				 "%s is pinned to source '%s' in tollgate.toml but came from '%s'",
				 a->id, p->pins[i].source, src);
		}
	}
	if (rc || pinned)
		return rc;
	if (p->n_allowed_sources) {
		bool ok = false;

		for (i = 0; i < p->n_allowed_sources && !ok; i++)
			ok = tg_ascii_casecmp(p->allowed_sources[i], src) == 0;
		if (!ok) {
			x.rule = TG_WIN_RULE_SOURCE;
			return add(r, a, &x, err,
				   "%s came from source '%s', which [windows] allowed_sources does not list",
				   a->id, src);
		}
	}
	if (!p->allow_community && tg_win_source_kind(a->eco, src) == TG_WIN_SRC_COMMUNITY) {
		x.rule = TG_WIN_RULE_COMMUNITY;
		x.sev = TG_SEV_MEDIUM;
		return add(r, a, &x, err,
			   "%s came from the community-moderated %s repository ('%s'); "
			   "allow_community = false asks for vendor or private sources",
			   a->id, eco_label(a->eco), src);
	}
	return 0;
}

static int check_lists(const struct tg_win_check_ctx *c,
		       const struct tg_win_app *a, struct tg_report *r,
		       struct tg_err *err)
{
	const struct tg_win_policy *p = c->policy;
	struct finding_args x = { 0 };
	size_t i;

	if (!p)
		return 0;
	x.kind = TG_FIND_POLICY;
	for (i = 0; i < p->n_deny; i++) {
		if (id_matches(p->deny[i], a->id)) {
			x.rule = TG_WIN_RULE_DENY;
			x.sev = TG_SEV_HIGH;
			return add(r, a, &x, err, "%s is on the [windows] deny list ('%s')",
				   a->id, p->deny[i]);
		}
	}
	if (p->n_allow) {
		for (i = 0; i < p->n_allow; i++)
			if (id_matches(p->allow[i], a->id))
				return 0;
		x.rule = TG_WIN_RULE_NOT_ALLOWED;
		x.sev = TG_SEV_MEDIUM;
		return add(r, a, &x, err, "%s is not on the [windows] allow list", a->id);
	}
	return 0;
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
		      (*s >= 'A' && *s <= 'F')))
			return false;
	return true;
}

/* Hex digits of a digest type, 0 when unknown. */
static size_t digest_hex(const char *type)
{
	static const struct { const char *t; size_t n; } map[] = {
		{ "md5", 32 }, { "sha1", 40 }, { "sha256", 64 }, { "sha512", 128 },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (tg_ascii_casecmp(type, map[i].t) == 0)
			return map[i].n;
	return 0;
}

static const char *type_for_len(size_t n)
{
	switch (n) {
	case 32: return "md5";
	case 40: return "sha1";
	case 64: return "sha256";
	case 128: return "sha512";
	}
	return NULL;
}

static int check_installer(const struct tg_win_app *a,
			   const struct tg_win_installer *in, struct tg_report *r,
			   struct tg_err *err)
{
	struct finding_args x = { 0 };
	const char *arch = in->arch ? in->arch : "?";
	int rc = 0;

	x.file = in->file;
	x.line = in->line;
	x.evidence_file = in->file ? in->file : a->origin;
	x.evidence_line = in->line;
	x.excerpt = in->url;
	if (in->url && tg_ascii_ncasecmp(in->url, "http://", 7) == 0) {
		x.rule = TG_WIN_RULE_HTTP;
		x.kind = TG_FIND_INTEGRITY;
		x.sev = TG_SEV_HIGH;
		if ((rc = add(r, a, &x, err,
			      "%s (%s) downloads its installer over plain HTTP: %.200s",
			      a->id, arch, in->url)))
			return rc;
	}
	if (a->eco == TG_ECO_WINGET) {
		if (in->url && (!in->sha256 || strlen(in->sha256) != 64 || !all_hex(in->sha256))) {
			x.rule = TG_WIN_RULE_NO_SHA256;
			x.kind = TG_FIND_INTEGRITY;
			x.sev = TG_SEV_HIGH;
			rc = add(r, a, &x, err,
				 in->sha256 ? "%s (%s): InstallerSha256 is not a SHA-256 digest"
					    : "%s (%s): installer without InstallerSha256, "
					      "nothing verifies what is downloaded",
				 a->id, arch);
		}
		return rc;
	}
	/* Chocolatey downloads */
	if (!in->url)
		return 0;
	x.kind = TG_FIND_INTEGRITY;
	if (!in->checksum && !in->checksum_dynamic) {
		x.rule = TG_WIN_RULE_NO_CHECKSUM;
		x.sev = TG_SEV_HIGH;
		return add(r, a, &x, err,
			   "%s (%s): chocolateyInstall.ps1 downloads without a checksum: "
			   "whatever the server returns is installed", a->id, arch);
	}
	if (in->checksum) {
		size_t n = strlen(in->checksum);
		const char *declared = in->checksum_type;
		const char *by_len = type_for_len(n);
		size_t want = declared ? digest_hex(declared) : 0;

		if (!all_hex(in->checksum) || (declared && want && want != n) ||
		    (declared && !want) || !by_len) {
			x.rule = TG_WIN_RULE_CHECKSUM_TYPE;
			x.sev = TG_SEV_HIGH;
			return add(r, a, &x, err,
				   "%s (%s): checksum of %zu hex digits does not fit checksumType '%s'",
				   a->id, arch, n, declared ? declared : "(none)");
		}
		if (tg_ascii_casecmp(by_len, "md5") == 0 || tg_ascii_casecmp(by_len, "sha1") == 0) {
			x.rule = TG_WIN_RULE_WEAK_CHECKSUM;
			x.sev = TG_SEV_MEDIUM;
			return add(r, a, &x, err,
				   "%s (%s): the download is checked with %s only, which forgery "
				   "defeats; use sha256 or sha512", a->id, arch, by_len);
		}
	} else if (in->checksum_type && (tg_ascii_casecmp(in->checksum_type, "md5") == 0 ||
					 tg_ascii_casecmp(in->checksum_type, "sha1") == 0)) {
		x.rule = TG_WIN_RULE_WEAK_CHECKSUM;
		x.sev = TG_SEV_MEDIUM;
		return add(r, a, &x, err,
			   "%s (%s): the download is checked with %s only, which forgery "
			   "defeats; use sha256 or sha512", a->id, arch, in->checksum_type);
	}
	return 0;
}

static bool is_script(const char *path)
{
	return path && tg_str_ends_with(path, ".ps1");
}

static int check_script(const struct tg_win_check_ctx *c,
			const struct tg_win_app *a, struct tg_report *r,
			struct tg_err *err)
{
	struct tg_vet_limits lim;
	struct tg_vet_result res;
	struct tg_err verr;
	size_t i;
	int rc = 0;

	if (a->eco != TG_ECO_CHOCOLATEY || !a->package_path || !a->has_install_script)
		return 0;
	tg_vet_limits_init(&lim);
	tg_vet_result_init(&res);
	if (tg_vet_scan_path(c->rules, &lim,
			     tg_str_ends_with(a->package_path, ".nupkg") ? TG_VET_ART_NUPKG
									: TG_VET_ART_DIR,
			     a->package_path, &res, &verr) != 0) {
		/* an unreadable package is the input's problem, reported as such */
		tg_vet_result_release(&res);
		*err = verr;
		return verr.code;
	}
	for (i = 0; i < res.n_reasons && !rc; i++) {
		const struct tg_vet_reason *v = &res.reasons[i];
		struct finding_args x = { 0 };
		char *file;

		if (v->level < TG_VET_WARN || !is_script(v->path))
			continue;
		file = tg_asprintf("%s/%s", a->package_path, v->path);
		if (!file) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			break;
		}
		x.rule = TG_WIN_RULE_SCRIPT;
		x.file = file;
		x.line = v->line;
		x.kind = TG_FIND_CONTENT_RISK;
		x.sev = v->level == TG_VET_BLOCK ? TG_SEV_HIGH : TG_SEV_MEDIUM;
		x.evidence_file = file;
		x.evidence_line = v->line;
		x.excerpt = v->excerpt;
		rc = add(r, a, &x, err, "%s: %s [%s] (%s:%lu)", a->id, v->message, v->rule,
			 v->path, v->line);
		free(file);
	}
	tg_vet_result_release(&res);
	return rc;
}

static int check_outdated(const struct tg_win_check_ctx *c,
			  const struct tg_win_app *a, struct tg_report *r,
			  struct tg_err *err)
{
	const struct tg_win_app *best = NULL;
	struct finding_args x = { 0 };
	size_t i, j;

	if (a->kind != TG_WIN_INSTALLED || !a->version || !c->available)
		return 0;
	for (i = 0; i < c->n_available; i++) {
		const struct tg_win_inventory *w = &c->available[i];

		for (j = 0; j < w->n_apps; j++) {
			const struct tg_win_app *m = &w->apps[j];

			if (m->kind != TG_WIN_MANIFEST || m->eco != a->eco || !m->version ||
			    tg_ascii_casecmp(m->id, a->id) != 0)
				continue;
			if (!best || tg_win_version_cmp(m->version, best->version) > 0)
				best = m;
		}
	}
	if (!best || tg_win_version_cmp(best->version, a->version) <= 0)
		return 0;
	x.rule = TG_WIN_RULE_OUTDATED;
	x.kind = TG_FIND_POLICY;
	x.sev = TG_SEV_LOW;
	x.fixed_version = best->version;
	x.evidence_file = best->origin;
	x.evidence_line = best->line;
	return add(r, a, &x, err, "%s %s is older than %s offered by %s", a->id,
		   a->version, best->version, best->origin);
}

/* ---- KEV ---- */

struct kev_scan {
	const struct tg_win_check_ctx *ctx;
	const struct tg_win_app *app;
	struct tg_report *report;
	struct tg_err *err;
	int rc;
};

static bool row_matches(const struct tg_win_kev_row *row,
			const struct tg_db_kev_view *k)
{
	return k->vendor_project && k->product &&
	       strcmp(row->vendor_project, k->vendor_project) == 0 &&
	       fnmatch(row->product, k->product, 0) == 0;
}

static int kev_entry(const struct tg_db_kev_view *k, void *vctx)
{
	struct kev_scan *s = vctx;
	const struct tg_win_kev_map *map = s->ctx->kev_map;
	const struct tg_win_app *a = s->app;
	struct tg_finding f;
	char summary[400], *details;
	bool hit = false;
	size_t i;

	for (i = 0; i < map->n && !hit; i++)
		hit = map->rows[i].eco == a->eco &&
		      tg_ascii_casecmp(map->rows[i].package_id, a->id) == 0 &&
		      row_matches(&map->rows[i], k);
	if (!hit)
		return 0;
	snprintf(summary, sizeof(summary), "%s", k->vulnerability_name ? k->vulnerability_name
									: k->cve);
	details = tg_asprintf(
		"CISA KEV lists %s for %s %s (dateAdded %s, dueDate %s, known ransomware "
		"use: %s). KEV does not state which versions are affected: check the "
		"vendor advisory for whether %s %s is. %s%s%s",
		k->cve, k->vendor_project, k->product, k->date_added ? k->date_added : "?",
		k->due_date ? k->due_date : "?", k->ransomware ? k->ransomware : "Unknown",
		a->id, a->version ? a->version : "(version not given)",
		k->short_description ? k->short_description : "",
		k->required_action ? " Required action: " : "",
		k->required_action ? k->required_action : "");
	if (!details) {
		s->rc = tg_err_set(s->err, TG_ENOMEM, "out of memory");
		return 1;
	}
	memset(&f, 0, sizeof(f));
	f.kind = TG_FIND_VULNERABILITY;
	f.eco = a->eco;
	f.package = a->id;
	f.version = a->version;
	f.origin_path = a->origin;
	f.origin_line = a->line;
	f.id = (char *)k->cve;
	f.summary = summary;
	f.details = details;
	/* KEV carries no CVSS; an exploited flaw in an installed product is
	 * rated high (docs/windows.md) */
	f.severity = TG_SEV_HIGH;
	f.cvss = -1;
	f.epss = -1;
	f.epss_percentile = -1;
	f.kev = true;
	f.kev_ransomware = k->ransomware && strcmp(k->ransomware, "Known") == 0;
	f.kev_due = (char *)k->due_date;
	f.priority = tg_priority_score(&f);
	if (!tg_report_add_finding(s->report, &f, s->err))
		s->rc = s->err->code;
	free(details);
	return s->rc ? 1 : 0;
}

int tg_win_check_kev(const struct tg_win_check_ctx *ctx,
		     const struct tg_win_app *app, struct tg_report *report,
		     struct tg_err *err)
{
	struct kev_scan s = { ctx, app, report, err, 0 };
	bool mapped = false;
	size_t i;
	int rc;

	if (!ctx->kev_map || !ctx->db || !app->id)
		return 0;
	for (i = 0; i < ctx->kev_map->n && !mapped; i++)
		mapped = ctx->kev_map->rows[i].eco == app->eco &&
			 tg_ascii_casecmp(ctx->kev_map->rows[i].package_id, app->id) == 0;
	if (!mapped)
		return 0;
	rc = tg_db_each_kev(ctx->db, kev_entry, &s, err);
	return s.rc ? s.rc : rc;
}

int tg_win_check(const struct tg_win_check_ctx *ctx,
		 const struct tg_win_inventory *w, struct tg_report *report,
		 struct tg_err *err)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; i < w->n_apps && !rc; i++) {
		const struct tg_win_app *a = &w->apps[i];

		if (!a->id)
			continue;
		rc = check_sources(ctx, a, report, err);
		if (!rc)
			rc = check_lists(ctx, a, report, err);
		for (j = 0; !rc && j < a->n_installers; j++)
			rc = check_installer(a, &a->installers[j], report, err);
		if (!rc)
			rc = check_script(ctx, a, report, err);
		if (!rc)
			rc = check_outdated(ctx, a, report, err);
		if (!rc)
			rc = tg_win_check_kev(ctx, a, report, err);
	}
	return rc;
}

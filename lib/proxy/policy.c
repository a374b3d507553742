/* The gate: which projects and files of an upstream page a client may see.
 *
 * Order of rules for a project: deny list, allow list, database present,
 * malicious (whole project). For each file: bad name, missing hash, deny
 * entries with a version specifier, allow entries with one, malicious
 * version, vulnerable version, cooldown. The first rule that blocks is
 * the one reported. */
#define _GNU_SOURCE
#include "proxy_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/pep440.h"
#include "tollgate/proxy_request.h"
#include "tollgate/str.h"
#include "proxy_vulns.h"

void project_decision_release(struct project_decision *d)
{
	size_t i;

	for (i = 0; i < d->n_files; i++) {
		free(d->files[i].id);
		free(d->files[i].message);
	}
	free(d->files);
	free(d->id);
	free(d->message);
	memset(d, 0, sizeof(*d));
}

static const struct tg_proxy_rule *first_match(const struct tg_proxy_rule *r,
					       size_t n, const char *norm,
					       bool with_spec)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].has_spec == with_spec && tg_proxy_pattern_match(r[i].pattern, norm))
			return &r[i];
	return NULL;
}

static bool any_match(const struct tg_proxy_rule *r, size_t n, const char *norm)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tg_proxy_pattern_match(r[i].pattern, norm))
			return true;
	return false;
}

static int block(struct file_block *fb, const char *rule, const char *id,
		 struct tg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The reason of a block: the formatted sentence and the advisory id,
 * both copied into *message and *idp. */
static int set_reason(char **message, char **idp, const char *id, struct tg_err *err,
		      const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static int set_reason(char **message, char **idp, const char *id, struct tg_err *err,
		      const char *fmt, va_list ap)
{
	char msg[600];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	*message = tg_strdup(msg);
	*idp = id ? tg_strdup(id) : NULL;
	if (!*message || (id && !*idp))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

static int block(struct file_block *fb, const char *rule, const char *id,
		 struct tg_err *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	fb->blocked = true;
	fb->rule = rule;
	va_start(ap, fmt);
	rc = set_reason(&fb->message, &fb->id, id, err, fmt, ap);
	va_end(ap);
	return rc;
}

static bool has_strong_hash(const struct tg_simple_file *f)
{
	size_t i;

	for (i = 0; i < f->n_hashes; i++)
		if (strcmp(f->hashes[i].alg, "sha256") == 0 && strlen(f->hashes[i].hex) == 64)
			return true;
	return false;
}

static int project_block(struct project_decision *d, int status,
			 const char *rule, const char *id, struct tg_err *err,
			 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int project_block(struct project_decision *d, int status,
			 const char *rule, const char *id, struct tg_err *err,
			 const char *fmt, ...)
{
	va_list ap;
	int rc;

	d->status = status;
	d->rule = rule;
	va_start(ap, fmt);
	rc = set_reason(&d->message, &d->id, id, err, fmt, ap);
	va_end(ap);
	return rc;
}

static const char *where(const struct tg_proxy_config *cfg)
{
	return cfg->path ? cfg->path : "policy";
}

int policy_evaluate(const struct tg_proxy_config *cfg, struct tg_db *db,
		    const char *norm, const struct tg_simple_project *page,
		    const int64_t *file_time, int64_t now,
		    struct project_decision *d, struct tg_err *err)
{
	const struct tg_proxy_policy_cfg *pol = &cfg->policy;
	const struct tg_proxy_rule *r;
	struct proxy_vulns *vulns = NULL;
	char (*vers)[TG_PEP440_MAX_LEN + 1] = NULL;
	int64_t *release = NULL;
	double cool_s = pol->cooldown_days * 86400.0;
	size_t i, j;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	d->status = 200;
	d->next_change = INT64_MAX;
	r = first_match(pol->deny, pol->n_deny, norm, false);
	if (r)
		return project_block(d, 403, "deny", NULL, err,
				     "project %s is on the deny list (deny entry \"%s\" at %s:%lu)",
				     norm, r->text, where(cfg), r->line);
	if (pol->n_allow && !any_match(pol->allow, pol->n_allow, norm))
		return project_block(d, 403, "allow", NULL, err,
				     "project %s is not on the allow list (%s:%lu)",
				     norm, where(cfg), pol->allow[0].line);
	if (!db)
		return project_block(d, 503, "no-database", NULL, err,
				     "the advisory database is missing or unreadable, so "
				     "nothing can be checked: run 'tollgate db update'");
	rc = proxy_vulns_load(db, norm, &vulns, err);
	if (rc)
		return project_block(d, 503, "database-error", NULL, err,
				     "the advisory database could not be read: %s",
				     err ? err->msg : "error");
	if (proxy_vulns_project_malicious(vulns)) {
		rc = project_block(d, 403, "malicious", proxy_vulns_project_malicious(vulns), err,
				   "project %s is known malware (%s)", norm,
				   proxy_vulns_project_malicious(vulns));
		goto out;
	}
	d->n_files = page->n_files;
	d->files = calloc(page->n_files ? page->n_files : 1, sizeof(*d->files));
	vers = calloc(page->n_files ? page->n_files : 1, sizeof(*vers));
	release = calloc(page->n_files ? page->n_files : 1, sizeof(*release));
	if (!d->files || !vers || !release) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < page->n_files; i++) {
		if (!tg_dist_version(page->files[i].filename, norm, vers[i], sizeof(vers[i]), NULL))
			vers[i][0] = 0;
		release[i] = file_time ? file_time[i] : -1;
	}
	/* A version's release time is its earliest upload: a wheel added
	 * later for a new platform does not restart the cooldown. */
	for (i = 0; i < page->n_files; i++) {
		if (!vers[i][0] || release[i] < 0)
			continue;
		for (j = 0; j < page->n_files; j++)
			if (j != i && file_time && file_time[j] >= 0 && file_time[j] < release[i] &&
			    strcmp(vers[i], vers[j]) == 0)
				release[i] = file_time[j];
	}
	for (i = 0; i < page->n_files && !rc; i++) {
		const struct tg_simple_file *f = &page->files[i];
		struct file_block *fb = &d->files[i];
		const char *v = vers[i];
		struct proxy_vuln_hit hit;

		if (!tg_dist_filename_ok(f->filename)) {
			rc = block(fb, "bad-name", NULL, err,
				   "file name %.200s cannot be served safely", f->filename);
			continue;
		}
		if (pol->require_hashes && !has_strong_hash(f)) {
			rc = block(fb, "no-hash", NULL, err,
				   "the upstream index gives no sha256 for %s, so it cannot be verified",
				   f->filename);
			continue;
		}
		for (j = 0; v[0] && j < pol->n_deny; j++) {
			const struct tg_proxy_rule *dr = &pol->deny[j];
			if (dr->has_spec && tg_proxy_pattern_match(dr->pattern, norm) &&
			    tg_pep440_spec_contains_str(&dr->spec, v, strlen(v), TG_PRE_INCLUDE, NULL))
				break;
		}
		if (v[0] && j < pol->n_deny) {
			rc = block(fb, "deny", NULL, err, "%s %s is denied (deny entry \"%s\" at %s:%lu)",
				   norm, v, pol->deny[j].text, where(cfg), pol->deny[j].line);
			continue;
		}
		if (pol->n_allow && !first_match(pol->allow, pol->n_allow, norm, false)) {
			/* Only specifier entries name this project: one must match. */
			bool ok = false;
			for (j = 0; v[0] && j < pol->n_allow && !ok; j++)
				ok = pol->allow[j].has_spec &&
				     tg_proxy_pattern_match(pol->allow[j].pattern, norm) &&
				     tg_pep440_spec_contains_str(&pol->allow[j].spec, v, strlen(v),
								 TG_PRE_INCLUDE, NULL);
			if (!ok) {
				rc = block(fb, "allow", NULL, err,
					   "%s %s is outside the versions the allow list permits (%s)",
					   norm, v[0] ? v : "(unknown version)", where(cfg));
				continue;
			}
		}
		if (v[0]) {
			bool blocked = false;
			rc = proxy_vulns_check(vulns, v, pol->block_vulnerable, &hit, &blocked, err);
			if (rc)
				break;
			if (blocked) {
				if (hit.malicious)
					rc = block(fb, "malicious", hit.id, err,
						   "%s %s is known malware (%s)", norm, v, hit.id);
				else
					rc = block(fb, "vulnerable", hit.id, err,
						   "%s %s is affected by %s (severity %s; policy "
						   "block-vulnerable = %s)", norm, v, hit.id,
						   hit.severity, tg_proxy_vuln_level_name(pol->block_vulnerable));
				continue;
			}
		}
		if (cool_s > 0 && release[i] >= 0 && (double)(now - release[i]) < cool_s) {
			int64_t until = release[i] + (int64_t)cool_s;
			char when[40];
			proxy_format_time(until, when, sizeof(when));
			rc = block(fb, "cooldown", NULL, err,
				   "%s %s was released less than %g days ago; it will be "
				   "available after %s (policy cooldown-days)", norm,
				   v[0] ? v : f->filename, pol->cooldown_days, when);
			if (until < d->next_change)
				d->next_change = until;
			continue;
		}
	}
	for (i = 0; i < d->n_files; i++)
		if (d->files[i].blocked)
			d->n_blocked++;
out:
	free(vers);
	free(release);
	proxy_vulns_free(vulns);
	return rc;
}

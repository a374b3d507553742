/* The audit gate: ignore rules with expiry, and --fail-on. */
#define _POSIX_C_SOURCE 200809L
#include "tollgate/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tollgate/match.h"
#include "tollgate/str.h"

void tg_policy_today(char out[11])
{
	const char *fixed = getenv("TOLLGATE_TODAY");
	struct tm tm;
	time_t now;

	if (fixed && strlen(fixed) == 10 && fixed[4] == '-' && fixed[7] == '-') {
		memcpy(out, fixed, 10);
		out[10] = '\0';
		return;
	}
	now = time(NULL);
	if (!gmtime_r(&now, &tm)) {
		tg_strlcpy(out, "1970-01-01", 11);
		return;
	}
	{
		char buf[64];

		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday);
		tg_strlcpy(out, buf, 11);
	}
}

static bool id_matches(const struct tg_finding *f, const char *id)
{
	size_t i;

	if (f->id && tg_ascii_casecmp(f->id, id) == 0)
		return true;
	for (i = 0; i < f->n_aliases; i++)
		if (tg_ascii_casecmp(f->aliases[i], id) == 0)
			return true;
	for (i = 0; i < f->n_advisories; i++)
		if (tg_ascii_casecmp(f->advisories[i], id) == 0)
			return true;
	return false;
}

static bool package_matches(const struct tg_finding *f, const char *name)
{
	char *a, *b;
	bool same;

	if (!f->package)
		return false;
	a = tg_match_norm_name(f->eco, f->package);
	b = tg_match_norm_name(f->eco, name);
	same = a && b && strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

static bool version_matches(const struct tg_finding *f, const char *version)
{
	const struct tg_vscheme *s = tg_vscheme_primary(f->eco);
	void *a, *b;
	bool oom = false, same;

	if (!f->version)
		return false;
	if (strcmp(f->version, version) == 0)
		return true;
	if (!s)
		return false;
	a = s->parse(f->version, &oom);
	b = s->parse(version, &oom);
	same = a && b && s->cmp(a, b) == 0;
	if (a)
		s->release(a);
	if (b)
		s->release(b);
	return same;
}

static bool is_vulnerability(const struct tg_finding *f)
{
	return f->kind == TG_FIND_VULNERABILITY || f->kind == TG_FIND_MALICIOUS;
}

int tg_policy_apply_ignores(const struct tg_config *cfg,
			    struct tg_report *report, const char *today,
			    struct tg_err *err)
{
	size_t i, j;
	int rc;

	for (i = 0; cfg && i < cfg->n_ignores; i++) {
		const struct tg_ignore_rule *r = &cfg->ignores[i];
		struct tg_ignore_note note = {
			.id = r->id,
			.reason = r->reason,
			.expires = r->expires[0] ? (char *)r->expires : NULL,
			.package = r->package,
			.version = r->version,
			.origin = cfg->path,
			.line = r->line,
		};

		note.expired = r->expires[0] && strcmp(today, r->expires) > 0;
		for (j = 0; j < report->n_findings; j++) {
			struct tg_finding *f = &report->findings[j];

			if (!is_vulnerability(f) || !id_matches(f, r->id))
				continue;
			if (r->package && !package_matches(f, r->package))
				continue;
			if (r->version && !version_matches(f, r->version))
				continue;
			note.matched++;
			if (note.expired || f->ignored)
				continue;
			f->ignored = true;
			f->ignore_reason = tg_strdup(r->reason);
			f->ignore_expires = r->expires[0] ? tg_strdup(r->expires) : NULL;
			if (!f->ignore_reason || (r->expires[0] && !f->ignore_expires))
				return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
		if (note.expired &&
		    (rc = tg_report_add_warning(report, err,
						"%s:%lu: the ignore of %s expired on %s and no longer applies%s",
						cfg->path ? cfg->path : TG_CONFIG_NAME,
						r->line, r->id, r->expires,
						note.matched ? "" : " (it matches nothing now)")))
			return rc;
		if ((rc = tg_report_add_ignore_note(report, &note, err)))
			return rc;
	}
	return 0;
}

bool tg_policy_finding_fails(const struct tg_finding *f, enum tg_fail_on t)
{
	enum tg_severity s;

	if (f->ignored || !is_vulnerability(f) || t == TG_FAIL_NONE)
		return false;
	if (f->kind == TG_FIND_MALICIOUS || t == TG_FAIL_ANY)
		return true;
	if (t == TG_FAIL_KEV)
		return f->kev;
	s = f->severity == TG_SEV_UNKNOWN ? TG_SEV_MEDIUM : f->severity;
	switch (t) {
	case TG_FAIL_LOW: return s >= TG_SEV_LOW;
	case TG_FAIL_MEDIUM: return s >= TG_SEV_MEDIUM;
	case TG_FAIL_HIGH: return s >= TG_SEV_HIGH;
	case TG_FAIL_CRITICAL: return s >= TG_SEV_CRITICAL;
	default: return true;
	}
}

int tg_policy_evaluate(struct tg_report *report, enum tg_fail_on t,
		       struct tg_err *err)
{
	size_t i;

	free(report->fail_on);
	report->fail_on = tg_strdup(tg_fail_on_name(t));
	if (!report->fail_on)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	report->n_failing = 0;
	for (i = 0; i < report->n_findings; i++)
		if (tg_policy_finding_fails(&report->findings[i], t))
			report->n_failing++;
	report->policy_failed = report->n_failing > 0;
	return 0;
}

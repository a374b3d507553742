/* Building the patch plan from a report (plan.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/plan.h"
#include "tollgate/size.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

void tg_plan_init(struct tg_plan *p)
{
	memset(p, 0, sizeof(*p));
}

static void items_release(struct tg_plan_item *it, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(it[i].id);
		free(it[i].summary);
	}
	free(it);
}

static void step_release(struct tg_plan_step *s)
{
	size_t i;

	free(s->package);
	free(s->version);
	free(s->target);
	free(s->input);
	free(s->origin);
	free(s->note);
	for (i = 0; i < s->n_commands; i++)
		free(s->commands[i]);
	free(s->commands);
	items_release(s->fixes, s->n_fixes);
	items_release(s->open, s->n_open);
	memset(s, 0, sizeof(*s));
}

void tg_plan_release(struct tg_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		step_release(&p->steps[i]);
	free(p->steps);
	free(p->generated_at);
	free(p->tool_version);
	tg_plan_init(p);
}

/* Manifests (winget manifests, nuspec, nupkg) are what a source offers,
 * not what is installed: nothing there to upgrade. */
static bool offer_only(const struct tg_report *r, const struct tg_finding *f)
{
	const char *fmt;

	if (!f->has_pkg_ref || f->inv_index >= r->n_inventories)
		return false;
	fmt = r->inventories[f->inv_index].format;
	return fmt && (strcmp(fmt, "winget-manifest") == 0 || strcmp(fmt, "nuspec") == 0 ||
		       strcmp(fmt, "nupkg") == 0);
}

/* Findings the plan is about: vulnerabilities, malware, and findings that
 * name a newer version (win-outdated). */
static bool plannable(const struct tg_report *r, const struct tg_finding *f)
{
	if (f->ignored || !f->package || offer_only(r, f))
		return false;
	return f->kind == TG_FIND_VULNERABILITY || f->kind == TG_FIND_MALICIOUS ||
	       (f->fixed_version && (f->kind == TG_FIND_POLICY));
}

static int vcmp(enum tg_ecosystem eco, const char *a, const char *b)
{
	const struct tg_vscheme *s = tg_vscheme_primary(eco);
	bool oom = false;
	void *va, *vb;
	int c;

	if (!s)
		return tg_win_version_cmp(a, b);
	va = s->parse(a, &oom);
	vb = s->parse(b, &oom);
	if (va && vb)
		c = s->cmp(va, vb);
	else
		c = tg_win_version_cmp(a, b);
	if (va)
		s->release(va);
	if (vb)
		s->release(vb);
	return c < 0 ? -1 : c > 0;
}

static int add_item(struct tg_plan_item **items, size_t *n, const char *id,
		    enum tg_severity sev, bool kev, const char *summary,
		    struct tg_err *err)
{
	struct tg_plan_item *ni;
	size_t i, bytes;

	for (i = 0; i < *n; i++)
		if (strcmp((*items)[i].id, id) == 0)
			return 0;
	if (!tg_size_mul(*n + 1, sizeof(*ni), &bytes) || !(ni = realloc(*items, bytes)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	*items = ni;
	ni[*n].id = tg_strdup(id);
	ni[*n].summary = NULL;
	if (summary) {
		size_t len = strlen(summary);

		if (len > 300) {
			len = 300;
			/* do not cut a UTF-8 sequence */
			while (len > 0 && ((unsigned char)summary[len] & 0xc0) == 0x80)
				len--;
		}
		ni[*n].summary = tg_strndup(summary, len);
	}
	ni[*n].severity = sev;
	ni[*n].kev = kev;
	(*n)++;
	if (!ni[*n - 1].id || (summary && !ni[*n - 1].summary))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

static int push_cmd(struct tg_plan_step *s, struct tg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int push_cmd(struct tg_plan_step *s, struct tg_err *err, const char *fmt, ...)
{
	char buf[1024];
	char **nc;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return tg_err_set(err, TG_ELIMIT, "command line too long");
	nc = realloc(s->commands, (s->n_commands + 1) * sizeof(char *));
	if (!nc)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	s->commands = nc;
	if (!(nc[s->n_commands] = tg_strdup(buf)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	s->n_commands++;
	return 0;
}

/* A package name safe to paste into a POSIX shell inside single quotes
 * (names with quotes never come out of the parsers, but be sure). */
static bool shell_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '\'' || *s == '\n' || *s == '\r')
			return false;
	return true;
}

static bool is(const char *input, const char *name)
{
	return input && tg_ascii_casecmp(input, name) == 0;
}

int tg_plan_commands(enum tg_ecosystem eco, const char *name, const char *target,
		     const char *input, bool direct, struct tg_plan_step *s,
		     struct tg_err *err)
{
	int rc = 0;

	if (!shell_safe(name) || (target && !shell_safe(target)))
		return tg_err_set(err, TG_EINVAL, "package name or version with a quote");
	switch (eco) {
	case TG_ECO_PYPI:
		if (s->remove)
			return push_cmd(s, err, "pip uninstall '%s'", name);
		if (!target)
			return 0;
		if (is(input, "uv.lock")) {
			rc = push_cmd(s, err, "uv add '%s>=%s'", name, target);
			if (!rc)
				rc = push_cmd(s, err, "uv lock --upgrade-package '%s'", name);
		} else if (is(input, "poetry.lock")) {
			rc = push_cmd(s, err, "poetry add '%s>=%s'", name, target);
		} else if (is(input, "pdm.lock")) {
			rc = push_cmd(s, err, "pdm add '%s>=%s'", name, target);
		} else if (is(input, "pipfile.lock")) {
			rc = push_cmd(s, err, "pipenv install '%s>=%s'", name, target);
		} else {
			rc = push_cmd(s, err, "pip install '%s>=%s'", name, target);
			/* the uv equivalent for uv-managed environments */
			if (!rc)
				rc = push_cmd(s, err, "uv pip install '%s>=%s'", name, target);
		}
		return rc;
	case TG_ECO_NPM:
		if (s->remove)
			return push_cmd(s, err, "npm uninstall '%s'", name);
		if (!target)
			return 0;
		if (direct)
			return push_cmd(s, err, "npm install '%s@^%s'", name, target);
		rc = push_cmd(s, err, "npm update '%s'", name);
		if (!rc && !s->note)
			s->note = tg_asprintf("a dependency of a dependency: if npm update "
					      "keeps the old version, pin it with \"overrides\": "
					      "{\"%s\": \"%s\"} in package.json", name, target);
		return rc;
	case TG_ECO_WINGET:
		if (target)
			return push_cmd(s, err, "winget upgrade --id '%s' --version '%s' --exact",
					name, target);
		return push_cmd(s, err, "winget upgrade --id '%s' --exact", name);
	case TG_ECO_CHOCOLATEY:
		if (target)
			return push_cmd(s, err, "choco upgrade '%s' --version '%s' -y", name, target);
		return push_cmd(s, err, "choco upgrade '%s' -y", name);
	case TG_ECO_UNKNOWN:
		break;
	}
	return 0;
}

/* ---- grouping ---- */

static const char *input_of(const struct tg_report *r, const struct tg_finding *f)
{
	if (f->has_pkg_ref && f->inv_index < r->n_inventories)
		return r->inventories[f->inv_index].format;
	return NULL;
}

static bool same_package(const struct tg_finding *a, const struct tg_finding *b)
{
	char *na, *nb;
	bool same;

	if (a->eco != b->eco)
		return false;
	if ((a->version == NULL) != (b->version == NULL) ||
	    (a->version && strcmp(a->version, b->version) != 0))
		return false;
	na = tg_match_norm_name(a->eco, a->package);
	nb = tg_match_norm_name(b->eco, b->package);
	same = na && nb && (a->eco == TG_ECO_WINGET || a->eco == TG_ECO_CHOCOLATEY
			    ? tg_ascii_casecmp(na, nb) == 0 : strcmp(na, nb) == 0);
	free(na);
	free(nb);
	return same;
}

/* Unrated findings count as medium (as for --fail-on, docs/priority.md). */
static int rank(enum tg_severity s)
{
	return s == TG_SEV_UNKNOWN ? TG_SEV_MEDIUM : (int)s;
}

static int step_order(const void *pa, const void *pb)
{
	const struct tg_plan_step *a = pa, *b = pb;
	int c;

	if (a->remove != b->remove)
		return a->remove ? -1 : 1;
	if (a->kev != b->kev)
		return a->kev ? -1 : 1;
	if (a->kev) {
		if (a->ransomware != b->ransomware)
			return a->ransomware ? -1 : 1;
		/* earlier due date first; a missing one last */
		if (a->kev_due[0] && b->kev_due[0]) {
			c = strcmp(a->kev_due, b->kev_due);
			if (c)
				return c;
		} else if (a->kev_due[0] != b->kev_due[0]) {
			return a->kev_due[0] ? -1 : 1;
		}
	}
	if (a->epss != b->epss)
		return a->epss > b->epss ? -1 : 1;
	if (rank(a->severity) != rank(b->severity))
		return rank(a->severity) > rank(b->severity) ? -1 : 1;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	c = strcmp(a->package, b->package);
	if (c)
		return c;
	return strcmp(a->version ? a->version : "", b->version ? b->version : "");
}

/* The advisory is already listed open under one of its ids. */
static bool already_open(const struct tg_plan_step *s, const struct tg_advisory *a)
{
	size_t i, k;

	for (i = 0; i < s->n_open; i++) {
		if (strcmp(s->open[i].id, a->id) == 0)
			return true;
		for (k = 0; k < a->n_aliases; k++)
			if (strcmp(s->open[i].id, a->aliases[k]) == 0)
				return true;
	}
	return false;
}

/* Advisories of the package that still affect the target. */
static int verify_target(const struct tg_vuln_source *src, struct tg_plan_step *s,
			 struct tg_err *err)
{
	struct tg_advisory_list l;
	char *norm;
	size_t i;
	int rc;

	if (!src || !s->target || !tg_vscheme_primary(s->eco))
		return 0;
	norm = tg_match_norm_name(s->eco, s->package);
	if (!norm)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	tg_advisory_list_init(&l);
	rc = src->advisories(src->ctx, s->eco, norm, &l, err);
	for (i = 0; !rc && i < l.n; i++) {
		enum tg_affect aff;
		char why[160];

		if (l.items[i].withdrawn || already_open(s, &l.items[i]))
			continue;
		rc = tg_advisory_affects(&l.items[i], s->eco, s->target, NULL, &aff, err);
		if (rc || aff != TG_AFFECT_YES)
			continue;
		snprintf(why, sizeof(why), "still affects %s", s->target);
		rc = add_item(&s->open, &s->n_open, l.items[i].id, TG_SEV_UNKNOWN, false, why, err);
	}
	tg_advisory_list_release(&l);
	free(norm);
	return rc;
}

int tg_plan_build(const struct tg_report *r, const struct tg_vuln_source *src,
		  struct tg_plan *out, struct tg_err *err)
{
	size_t i, j, *lead = NULL;
	int rc = 0;

	tg_plan_init(out);
	out->steps = calloc(r->n_findings ? r->n_findings : 1, sizeof(*out->steps));
	lead = calloc(r->n_findings ? r->n_findings : 1, sizeof(*lead));
	if (!out->steps || !lead) {
		free(lead);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	for (i = 0; i < r->n_findings && !rc; i++) {
		const struct tg_finding *f = &r->findings[i];
		struct tg_plan_step *s = NULL;

		if (!plannable(r, f))
			continue;
		out->n_findings++;
		for (j = 0; j < out->n && !s; j++)
			if (same_package(&r->findings[lead[j]], f))
				s = &out->steps[j];
		if (!s) {
			const struct tg_package *p = tg_finding_package(r, f);
			const char *input = input_of(r, f);

			lead[out->n] = i;
			s = &out->steps[out->n++];
			s->eco = f->eco;
			s->package = tg_strdup(f->package);
			s->version = f->version ? tg_strdup(f->version) : NULL;
			s->input = input ? tg_strdup(input) : NULL;
			s->origin = f->origin_path ? tg_asprintf("%s:%lu", f->origin_path,
								 f->origin_line) : NULL;
			s->epss = -1;
			if (!s->package || (f->version && !s->version) || (input && !s->input) ||
			    (f->origin_path && !s->origin)) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				break;
			}
			(void)p;
		}
		if (f->kind == TG_FIND_MALICIOUS)
			s->remove = true;
		if (f->kev) {
			s->kev = true;
			s->ransomware |= f->kev_ransomware;
			if (f->kev_due && (!s->kev_due[0] || strcmp(f->kev_due, s->kev_due) < 0))
				tg_strlcpy(s->kev_due, f->kev_due, sizeof(s->kev_due));
		}
		if (f->epss > s->epss)
			s->epss = f->epss;
		if (f->severity > s->severity)
			s->severity = f->severity;
		if (f->priority > s->priority)
			s->priority = f->priority;
		if (f->fixed_version &&
		    (!s->target || vcmp(s->eco, f->fixed_version, s->target) > 0)) {
			free(s->target);
			if (!(s->target = tg_strdup(f->fixed_version)))
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		}
	}
	/* second pass: what each step fixes and leaves open */
	for (i = 0; i < r->n_findings && !rc; i++) {
		const struct tg_finding *f = &r->findings[i];
		struct tg_plan_step *s = NULL;

		if (!plannable(r, f))
			continue;
		for (j = 0; j < out->n && !s; j++)
			if (same_package(&r->findings[lead[j]], f))
				s = &out->steps[j];
		if (f->fixed_version && s->target && !s->remove) {
			rc = add_item(&s->fixes, &s->n_fixes, f->id, f->severity, f->kev,
				      f->summary, err);
			out->n_fixed++;
		} else if (s->remove) {
			rc = add_item(&s->fixes, &s->n_fixes, f->id, f->severity, f->kev,
				      f->summary, err);
			out->n_fixed++;
		} else {
			rc = add_item(&s->open, &s->n_open, f->id, f->severity, f->kev,
				      f->summary, err);
		}
	}
	for (i = 0; i < out->n && !rc; i++) {
		struct tg_plan_step *s = &out->steps[i];
		const struct tg_finding *f = &r->findings[lead[i]];
		const struct tg_package *p = tg_finding_package(r, f);
		bool direct = p && (p->flags & TG_PKG_DIRECT);

		if (!s->remove)
			rc = verify_target(src, s, err);
		if (!rc)
			rc = tg_plan_commands(s->eco, s->package, s->remove ? NULL : s->target,
					      s->input, direct, s, err);
		if (!rc && !s->target && !s->remove && s->kev &&
		    (s->eco == TG_ECO_WINGET || s->eco == TG_ECO_CHOCOLATEY) && !s->note)
			s->note = tg_strdup("KEV names no fixed version: upgrade to the newest "
					    "release and check the vendor advisory");
	}
	free(lead);
	if (rc) {
		tg_plan_release(out);
		return rc;
	}
	qsort(out->steps, out->n, sizeof(*out->steps), step_order);
	if (r->generated_at)
		out->generated_at = tg_strdup(r->generated_at);
	if (r->tool_version)
		out->tool_version = tg_strdup(r->tool_version);
	return 0;
}

/* Plan writers: table (terminal), markdown, json (docs/plan.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/plan.h"
#include "tollgate/str.h"

#define C_RED "\033[31m"
#define C_YEL "\033[33m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_OFF "\033[0m"

static const char *why(const struct tg_plan_step *s, char *buf, size_t n)
{
	if (s->remove)
		snprintf(buf, n, "malware");
	else if (s->kev)
		snprintf(buf, n, "KEV%s%s%s", s->ransomware ? " ransomware" : "",
			 s->kev_due[0] ? " due " : "", s->kev_due);
	else if (s->epss >= 0)
		snprintf(buf, n, "EPSS %.3f, %s", s->epss, tg_severity_name(s->severity));
	else
		snprintf(buf, n, "%s", tg_severity_name(s->severity));
	return buf;
}

static int add_ids(struct tg_buf *out, const struct tg_plan_item *it, size_t n,
		   struct tg_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++)
		rc = tg_buf_addf(out, err, "%s%s", i ? ", " : "", it[i].id);
	return rc;
}

static const char *target_text(const struct tg_plan_step *s)
{
	if (s->remove)
		return "remove";
	return s->target ? s->target : "newest";
}

int tg_plan_write_table(const struct tg_plan *p, const struct tg_plan_opts *o,
			struct tg_buf *out, struct tg_err *err)
{
	bool color = o && o->color;
	size_t i, k, n_open = 0;
	int rc = 0;

	if (p->n == 0)
		return tg_buf_adds(out, "Nothing to patch: no open findings.\n", err);
	for (i = 0; i < p->n && !rc; i++) {
		const struct tg_plan_step *s = &p->steps[i];
		char w[64];
		const char *c = s->remove || s->ransomware ? C_RED : s->kev ? C_YEL : "";

		n_open += s->n_open;
		rc = tg_buf_addf(out, err, "%s%2zu. %s%s %s -> %s%s  [%s]\n",
				 color ? C_BOLD : "", i + 1, color ? c : "", s->package,
				 s->version ? s->version : "(unpinned)", target_text(s),
				 color ? C_OFF : "", why(s, w, sizeof(w)));
		for (k = 0; k < s->n_commands && !rc; k++)
			rc = tg_buf_addf(out, err, "      $ %s\n", s->commands[k]);
		if (!rc && s->n_fixes) {
			rc = tg_buf_addf(out, err, "      fixes %zu: ", s->n_fixes);
			if (!rc)
				rc = add_ids(out, s->fixes, s->n_fixes, err);
			if (!rc)
				rc = tg_buf_addc(out, '\n', err);
		}
		if (!rc && s->n_open) {
			rc = tg_buf_addf(out, err, "      %sstays open %zu:%s ", color ? C_DIM : "",
					 s->n_open, color ? C_OFF : "");
			if (!rc)
				rc = add_ids(out, s->open, s->n_open, err);
			if (!rc)
				rc = tg_buf_addc(out, '\n', err);
		}
		if (!rc && s->note)
			rc = tg_buf_addf(out, err, "      note: %s\n", s->note);
		if (!rc && s->origin && o && o->verbose > 0)
			rc = tg_buf_addf(out, err, "      from %s\n", s->origin);
	}
	if (!rc)
		rc = tg_buf_addf(out, err,
				 "\n%zu steps; they fix %zu of %zu findings, %zu stay open "
				 "without a known fix.\n",
				 p->n, p->n_fixed, p->n_findings, n_open);
	return rc;
}

/* Markdown table cells: no pipes or newlines. */
static int md(struct tg_buf *out, const char *s, struct tg_err *err)
{
	int rc = 0;

	for (; s && *s && !rc; s++)
		rc = *s == '|' ? tg_buf_adds(out, "\\|", err)
				: tg_buf_addc(out, *s == '\n' ? ' ' : *s, err);
	return rc;
}

int tg_plan_write_markdown(const struct tg_plan *p, const struct tg_plan_opts *o,
			   struct tg_buf *out, struct tg_err *err)
{
	size_t i, k;
	int rc;

	(void)o;
	rc = tg_buf_adds(out, "## Patch plan\n\n", err);
	if (!rc && p->n == 0)
		return tg_buf_adds(out, "Nothing to patch: no open findings.\n", err);
	if (!rc)
		rc = tg_buf_adds(out, "| # | package | from | to | why | command | fixes | stays open |\n"
				 "|---|---|---|---|---|---|---|---|\n", err);
	for (i = 0; i < p->n && !rc; i++) {
		const struct tg_plan_step *s = &p->steps[i];
		char w[64];

		rc = tg_buf_addf(out, err, "| %zu | ", i + 1);
		if (!rc)
			rc = md(out, s->package, err);
		if (!rc)
			rc = tg_buf_adds(out, " | ", err);
		if (!rc)
			rc = md(out, s->version ? s->version : "(unpinned)", err);
		if (!rc)
			rc = tg_buf_addf(out, err, " | %s | %s | ", target_text(s), why(s, w, sizeof(w)));
		for (k = 0; k < s->n_commands && !rc; k++) {
			rc = tg_buf_adds(out, k ? "<br>`" : "`", err);
			if (!rc)
				rc = md(out, s->commands[k], err);
			if (!rc)
				rc = tg_buf_addc(out, '`', err);
		}
		if (!rc)
			rc = tg_buf_adds(out, " | ", err);
		if (!rc)
			rc = add_ids(out, s->fixes, s->n_fixes, err);
		if (!rc)
			rc = tg_buf_adds(out, " | ", err);
		if (!rc)
			rc = add_ids(out, s->open, s->n_open, err);
		if (!rc)
			rc = tg_buf_adds(out, " |\n", err);
	}
	for (i = 0; i < p->n && !rc; i++)
		if (p->steps[i].note) {
			rc = tg_buf_addf(out, err, "\n- %s: ", p->steps[i].package);
			if (!rc)
				rc = md(out, p->steps[i].note, err);
		}
	if (!rc)
		rc = tg_buf_addf(out, err, "\n\n%zu steps fix %zu of %zu findings.\n", p->n,
				 p->n_fixed, p->n_findings);
	return rc;
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *items(const struct tg_plan_item *it, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b,s:o}", "id", it[i].id,
						   "severity", tg_severity_name(it[i].severity),
						   "kev", it[i].kev, "summary", jstr(it[i].summary)));
	return a;
}

int tg_plan_write_json(const struct tg_plan *p, const struct tg_plan_opts *o,
		       struct tg_buf *out, struct tg_err *err)
{
	json_t *doc, *steps = json_array();
	char *text;
	size_t i, k;
	int rc;

	(void)o;
	for (i = 0; steps && i < p->n; i++) {
		const struct tg_plan_step *s = &p->steps[i];
		json_t *cmds = json_array(), *st;

		for (k = 0; cmds && k < s->n_commands; k++)
			json_array_append_new(cmds, json_string(s->commands[k]));
		st = json_pack("{s:i,s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:b,s:b,s:o,s:o,s:s,s:f,s:o,s:o}",
			       "step", (json_int_t)(i + 1),
			       "ecosystem", tg_ecosystem_name(s->eco),
			       "package", s->package,
			       "version", jstr(s->version),
			       "target", jstr(s->target),
			       "action", s->remove ? "remove" : s->target ? "upgrade" : "upgrade-to-newest",
			       "input", jstr(s->input),
			       "origin", jstr(s->origin),
			       "commands", cmds,
			       "note", jstr(s->note),
			       "kev", s->kev,
			       "kev_ransomware", s->ransomware,
			       "kev_due_date", s->kev_due[0] ? json_string(s->kev_due) : json_null(),
			       "epss", s->epss >= 0 ? json_real(s->epss) : json_null(),
			       "severity", tg_severity_name(s->severity),
			       "priority", s->priority,
			       "fixes", items(s->fixes, s->n_fixes),
			       "stays_open", items(s->open, s->n_open));
		if (!st || json_array_append_new(steps, st)) {
			json_decref(steps);
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		}
	}
	doc = json_pack("{s:i,s:o,s:o,s:{s:i,s:i,s:i},s:o}", "schema_version", (json_int_t)1,
			"tool", jstr(p->tool_version), "generated_at", jstr(p->generated_at),
			"summary", "steps", (json_int_t)p->n, "findings", (json_int_t)p->n_findings,
			"fixed", (json_int_t)p->n_fixed, "steps", steps);
	if (!doc)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	if (!text)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	rc = tg_buf_adds(out, text, err);
	if (!rc)
		rc = tg_buf_addc(out, '\n', err);
	free(text);
	return rc;
}

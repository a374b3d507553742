/* Markdown for a pull-request comment: a verdict line, one table row per
 * finding (advisory ids link to their pages), collapsible details, then
 * what was not checked, what was ignored and why. Text from advisories is
 * escaped so it cannot break the table or inject HTML. */
#include <stdio.h>
#include <string.h>

#include "report_util.h"
#include "tollgate/report.h"
#include "tollgate/str.h"

/* Table cells: '|' would end the cell, newlines the row, '<' opens HTML,
 * and backslashes, backticks, '*' '[' ']' are markdown syntax. ('_' is
 * left alone: CommonMark never reads an underscore inside a word, like
 * the one in many package names, as emphasis.) */
static int add_md(struct tg_buf *b, const char *s, struct tg_err *err)
{
	int rc = 0;

	for (; s && *s && !rc; s++) {
		switch (*s) {
		case '|': rc = tg_buf_adds(b, "\\|", err); break;
		case '<': rc = tg_buf_adds(b, "&lt;", err); break;
		case '>': rc = tg_buf_adds(b, "&gt;", err); break;
		case '&': rc = tg_buf_adds(b, "&amp;", err); break;
		case '\n':
		case '\r': rc = tg_buf_addc(b, ' ', err); break;
		case '\\': case '`': case '*': case '[': case ']':
			rc = tg_buf_addf(b, err, "\\%c", *s);
			break;
		default: rc = tg_buf_addc(b, *s, err); break;
		}
	}
	return rc;
}

static const char *sev_mark(const struct tg_finding *f)
{
	if (f->kind == TG_FIND_MALICIOUS)
		return "\xe2\x98\xa0\xef\xb8\x8f"; /* skull */
	switch (f->severity) {
	case TG_SEV_CRITICAL: return "\xf0\x9f\x9f\xa5"; /* red square */
	case TG_SEV_HIGH: return "\xf0\x9f\x9f\xa7";     /* orange */
	case TG_SEV_MEDIUM: return "\xf0\x9f\x9f\xa8";   /* yellow */
	case TG_SEV_LOW: return "\xf0\x9f\x9f\xa6";      /* blue */
	case TG_SEV_NONE:
	case TG_SEV_UNKNOWN: break;
	}
	return "\xe2\xac\x9c"; /* white square */
}

static int add_id_link(struct tg_buf *b, const char *id, struct tg_err *err)
{
	char url[512];
	const char *u = tg_report_advisory_url(id, url, sizeof(url));
	int rc;

	if (!u)
		return add_md(b, id, err);
	rc = tg_buf_addc(b, '[', err);
	if (!rc)
		rc = add_md(b, id, err);
	if (!rc)
		rc = tg_buf_addf(b, err, "](%s)", u);
	return rc;
}

int tg_report_write_markdown(const struct tg_report *r,
			     const struct tg_report_opts *o, struct tg_buf *out,
			     struct tg_err *err)
{
	struct tg_report_counts c;
	size_t i, j;
	int rc;

	(void)o;
	tg_report_count(r, &c);
	if (c.vulns)
		rc = tg_buf_addf(out, err,
				 "### tollgate audit: %zu vulnerabilit%s in %zu of %zu packages\n\n",
				 c.vulns, c.vulns == 1 ? "y" : "ies", c.affected_packages,
				 c.packages);
	else
		rc = tg_buf_addf(out, err,
				 "### tollgate audit: no known vulnerabilities in %zu packages\n\n",
				 c.packages);
	if (!rc && r->fail_on)
		rc = tg_buf_addf(out, err, "%s (`--fail-on %s`%s%zu%s)\n\n",
				 r->policy_failed ? "**Gate: failed** \xe2\x9d\x8c"
						  : "**Gate: passed** \xe2\x9c\x85",
				 r->fail_on, r->policy_failed ? ": " : "",
				 r->policy_failed ? r->n_failing : 0,
				 r->policy_failed ? (r->n_failing == 1 ? " finding at or above"
									: " findings at or above")
						  : "");
	if (!rc && c.vulns) {
		rc = tg_buf_adds(out,
				 "| | Package | Version | Advisory | Severity | KEV / EPSS | Fix | Origin |\n"
				 "|---|---|---|---|---|---|---|---|\n", err);
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];
			char buf[1024];

			if (!tg_finding_is_vuln(f) || f->ignored)
				continue;
			rc = tg_buf_addf(out, err, "| %s | ", sev_mark(f));
			if (!rc)
				rc = add_md(out, f->package, err);
			if (!rc)
				rc = tg_buf_adds(out, " | ", err);
			if (!rc)
				rc = add_md(out, f->version, err);
			if (!rc)
				rc = tg_buf_adds(out, " | ", err);
			if (!rc)
				rc = add_id_link(out, f->id, err);
			if (!rc && f->kind == TG_FIND_MALICIOUS)
				rc = tg_buf_adds(out, " | **malware**", err);
			else if (!rc && f->cvss >= 0)
				rc = tg_buf_addf(out, err, " | %s %.1f", tg_severity_name(f->severity),
						 f->cvss);
			else if (!rc)
				rc = tg_buf_addf(out, err, " | %s", tg_severity_name(f->severity));
			if (!rc)
				rc = tg_buf_addf(out, err, " | %s%s%s", f->kev ? "**KEV**" : "",
						 f->kev_ransomware ? " (ransomware)" : "",
						 f->kev && f->epss >= 0 ? " \xc2\xb7 " : "");
			if (!rc && f->epss >= 0)
				rc = tg_buf_addf(out, err, "%.1f%%", f->epss * 100);
			else if (!rc && !f->kev)
				rc = tg_buf_adds(out, "\xe2\x80\x93", err);
			if (!rc)
				rc = tg_buf_adds(out, " | ", err);
			if (!rc && f->fixed_version) {
				rc = tg_buf_adds(out, "`", err);
				if (!rc)
					rc = tg_buf_adds(out, f->fixed_version, err);
				if (!rc)
					rc = tg_buf_adds(out, "`", err);
			} else if (!rc) {
				rc = tg_buf_adds(out, "no fix", err);
			}
			if (!rc)
				rc = tg_buf_adds(out, " | ", err);
			if (!rc)
				rc = add_md(out, tg_finding_origin(f, buf, sizeof(buf)), err);
			if (!rc)
				rc = tg_buf_adds(out, " |\n", err);
		}
		if (!rc)
			rc = tg_buf_adds(out, "\n<details><summary>Advisory summaries</summary>\n\n", err);
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];

			if (!tg_finding_is_vuln(f) || f->ignored)
				continue;
			rc = tg_buf_adds(out, "- **", err);
			if (!rc)
				rc = add_md(out, f->id, err);
			if (!rc)
				rc = tg_buf_adds(out, "** (", err);
			if (!rc)
				rc = add_md(out, f->package, err);
			if (!rc)
				rc = tg_buf_adds(out, "): ", err);
			if (!rc)
				rc = add_md(out, f->summary ? f->summary : "no summary", err);
			for (j = 0; j < f->n_aliases && !rc; j++) {
				rc = tg_buf_adds(out, j ? ", " : " \xe2\x80\x94 also ", err);
				if (!rc)
					rc = add_md(out, f->aliases[j], err);
			}
			if (!rc)
				rc = tg_buf_addc(out, '\n', err);
		}
		if (!rc)
			rc = tg_buf_adds(out, "\n</details>\n\n", err);
	}
	if (!rc && c.not_checked) {
		rc = tg_buf_addf(out, err, "**Not checked (%zu)**\n\n", c.not_checked);
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];
			char buf[1024];

			if (!tg_finding_is_note(f))
				continue;
			rc = tg_buf_adds(out, "- ", err);
			if (!rc)
				rc = add_md(out, f->package, err);
			if (!rc)
				rc = tg_buf_adds(out, " (", err);
			if (!rc)
				rc = add_md(out, tg_finding_origin(f, buf, sizeof(buf)), err);
			if (!rc)
				rc = tg_buf_adds(out, "): ", err);
			if (!rc)
				rc = add_md(out, f->summary, err);
			if (!rc)
				rc = tg_buf_addc(out, '\n', err);
		}
		if (!rc)
			rc = tg_buf_addc(out, '\n', err);
	}
	if (!rc && c.ignored) {
		rc = tg_buf_addf(out, err, "**Ignored (%zu)** by tollgate.toml\n\n", c.ignored);
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];

			if (!tg_finding_is_vuln(f) || !f->ignored)
				continue;
			rc = tg_buf_adds(out, "- ", err);
			if (!rc)
				rc = add_id_link(out, f->id, err);
			if (!rc)
				rc = tg_buf_adds(out, " in ", err);
			if (!rc)
				rc = add_md(out, f->package, err);
			if (!rc)
				rc = tg_buf_adds(out, ": ", err);
			if (!rc)
				rc = add_md(out, f->ignore_reason, err);
			if (!rc && f->ignore_expires)
				rc = tg_buf_addf(out, err, " (until %s)", f->ignore_expires);
			if (!rc)
				rc = tg_buf_addc(out, '\n', err);
		}
		if (!rc)
			rc = tg_buf_addc(out, '\n', err);
	}
	if (!rc && r->n_warnings) {
		rc = tg_buf_adds(out, "**Warnings**\n\n", err);
		for (i = 0; i < r->n_warnings && !rc; i++) {
			rc = tg_buf_adds(out, "- \xe2\x9a\xa0\xef\xb8\x8f ", err);
			if (!rc)
				rc = add_md(out, r->warnings[i], err);
			if (!rc)
				rc = tg_buf_addc(out, '\n', err);
		}
		if (!rc)
			rc = tg_buf_addc(out, '\n', err);
	}
	if (!rc && r->n_feeds) {
		rc = tg_buf_adds(out, "<sub>Database: ", err);
		for (i = 0; i < r->n_feeds && !rc; i++) {
			rc = tg_buf_addf(out, err, "%s", i ? ", " : "");
			if (!rc)
				rc = add_md(out, r->feeds[i].name, err);
			if (!rc && r->feeds[i].version) {
				rc = tg_buf_adds(out, " ", err);
				if (!rc)
					rc = add_md(out, r->feeds[i].version, err);
			}
		}
		if (!rc)
			rc = tg_buf_adds(out, "</sub>\n", err);
	}
	return rc;
}

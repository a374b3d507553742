/* One self-contained HTML page: inline CSS and a few lines of inline
 * script for sorting and filtering, no external assets, every piece of
 * text escaped. It reads like the table but answers the next questions
 * too: what is this advisory, what else is it called, what do I upgrade
 * to, what was not checked and why. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_util.h"
#include "tollgate/report.h"
#include "tollgate/str.h"

#define DETAILS_MAX 4000 /* characters of advisory details shown per row */

static const char css[] =
	":root{--bg:#f6f7f9;--fg:#1d2330;--mut:#5f6b7a;--card:#fff;--line:#e3e6eb;"
	"--crit:#b3112e;--high:#d9480f;--med:#b08600;--low:#1c6dd0;--unk:#6b7280;--ok:#1f8a4c}"
	"*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',"
	"Roboto,sans-serif;background:var(--bg);color:var(--fg)}"
	"header{background:#1d2330;color:#fff;padding:22px 32px 18px}"
	"header h1{margin:0;font-size:22px;font-weight:600}header .sub{color:#b8c0cc;margin:4px 0 0;font-size:13px}"
	"main{padding:20px 32px 40px;max-width:1500px}"
	".verdict{display:inline-block;margin-top:14px;padding:6px 12px;border-radius:6px;font-weight:600}"
	".verdict.failed{background:#fde2e4;color:#8a1022}.verdict.passed{background:#dcf5e6;color:#14683a}"
	".cards{display:flex;flex-wrap:wrap;gap:12px;margin:18px 0 6px}"
	".card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:118px}"
	".card b{display:block;font-size:24px;line-height:1.2}.card span{color:var(--mut);font-size:12px;text-transform:uppercase;letter-spacing:.04em}"
	".card.crit b{color:var(--crit)}.card.high b{color:var(--high)}.card.med b{color:var(--med)}"
	".card.low b{color:var(--low)}.card.kevc b{color:#7b1fa2}"
	"h2{font-size:17px;margin:28px 0 10px}"
	".controls{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin:8px 0 12px}"
	".controls input[type=search]{padding:7px 10px;border:1px solid var(--line);border-radius:6px;min-width:320px;font:inherit}"
	".controls label{color:var(--mut);user-select:none;cursor:pointer}"
	"table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}"
	"th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}"
	"th{background:#eef0f4;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--mut);"
	"cursor:pointer;white-space:nowrap;position:sticky;top:0}"
	"th.sorted-asc:after{content:' \\25B2'}th.sorted-desc:after{content:' \\25BC'}"
	"tr:hover td{background:#fafbfc}td.num{text-align:right;font-variant-numeric:tabular-nums;color:var(--mut)}"
	".pkg{font-weight:600}.ver,.fix,code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}"
	".fix{color:var(--ok);font-weight:600}.nofix{color:var(--mut)}"
	".pill{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;white-space:nowrap}"
	".pill.critical{background:var(--crit)}.pill.high{background:var(--high)}.pill.medium{background:var(--med)}"
	".pill.low{background:var(--low)}.pill.unknown,.pill.none{background:var(--unk)}.pill.malware{background:#000}"
	".kev{display:inline-block;padding:1px 6px;border-radius:4px;background:#7b1fa2;color:#fff;font-size:12px;font-weight:700}"
	".ransom{background:#000}.epss{color:var(--mut);font-size:12px}"
	".sum{color:var(--mut);margin-top:2px;max-width:620px}"
	"details summary{cursor:pointer;color:var(--low);font-size:12px;margin-top:4px}"
	".det{white-space:pre-wrap;font-size:12.5px;color:#374151;max-width:760px;margin-top:6px;"
	"border-left:3px solid var(--line);padding-left:10px}"
	".aka{font-size:12px;color:var(--mut)}a{color:var(--low);text-decoration:none}a:hover{text-decoration:underline}"
	".origin{font-size:12px;color:var(--mut);overflow-wrap:anywhere;min-width:190px}"
	"td.sev,td.risk,td.fix,td.nofix,td.ver{white-space:nowrap}"
	".note{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}"
	".warn{background:#fff7e0;border:1px solid #f1d48a;border-radius:8px;padding:8px 14px;margin:6px 0}"
	"footer{color:var(--mut);font-size:12px;margin-top:30px}"
	"tr.hidden{display:none}.empty{padding:18px;color:var(--mut)}";

/* Sort on header click (numeric when the cells carry data-v), filter by
 * text and severity. Works without network access and without any
 * library. */
static const char script[] =
	"(function(){var t=document.getElementById('findings');if(!t)return;"
	"var tb=t.tBodies[0],q=document.getElementById('q'),boxes=document.querySelectorAll('input[data-sev]');"
	"function apply(){var s=(q.value||'').toLowerCase(),on={};"
	"boxes.forEach(function(b){on[b.getAttribute('data-sev')]=b.checked});var n=0;"
	"Array.prototype.forEach.call(tb.rows,function(r){var ok=on[r.getAttribute('data-sev')]!==false&&"
	"(!s||r.getAttribute('data-text').indexOf(s)>=0);r.classList.toggle('hidden',!ok);if(ok)n++});"
	"document.getElementById('shown').textContent=n}"
	"q.addEventListener('input',apply);boxes.forEach(function(b){b.addEventListener('change',apply)});"
	"Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){"
	"var asc=!th.classList.contains('sorted-asc');Array.prototype.forEach.call(t.tHead.rows[0].cells,"
	"function(h){h.classList.remove('sorted-asc','sorted-desc')});th.classList.add(asc?'sorted-asc':'sorted-desc');"
	"var rows=Array.prototype.slice.call(tb.rows);rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i],"
	"xv=x.getAttribute('data-v'),yv=y.getAttribute('data-v'),c;if(xv!==null&&yv!==null)c=parseFloat(xv)-parseFloat(yv);"
	"else c=x.textContent.trim().localeCompare(y.textContent.trim(),undefined,{numeric:true});return asc?c:-c});"
	"rows.forEach(function(r){tb.appendChild(r)})})});apply()})();";

#define ADD(s) do { if (!rc) rc = tg_buf_adds(out, (s), err); } while (0)
#define ADDF(...) do { if (!rc) rc = tg_buf_addf(out, err, __VA_ARGS__); } while (0)
#define ESC(s) do { if (!rc) rc = tg_buf_add_html(out, (s), err); } while (0)

static const char *sev_class(const struct tg_finding *f)
{
	return f->kind == TG_FIND_MALICIOUS ? "malware" : tg_severity_name(f->severity);
}

static int add_lower_escaped(struct tg_buf *out, const char *s, struct tg_err *err)
{
	char buf[256];
	size_t i;
	int rc = 0;

	while (s && *s && !rc) {
		for (i = 0; s[i] && i < sizeof(buf) - 1; i++)
			buf[i] = tg_ascii_lower(s[i]);
		buf[i] = '\0';
		rc = tg_buf_add_html(out, buf, err);
		s += i;
	}
	if (!rc)
		rc = tg_buf_addc(out, ' ', err);
	return rc;
}

static int id_link(struct tg_buf *out, const char *id, struct tg_err *err)
{
	char url[512];
	const char *u = tg_report_advisory_url(id, url, sizeof(url));
	int rc = 0;

	if (u) {
		ADD("<a href=\"");
		ESC(u);
		ADD("\" rel=\"noreferrer\">");
		ESC(id);
		ADD("</a>");
	} else {
		ESC(id);
	}
	return rc;
}

static int finding_row(struct tg_buf *out, const struct tg_finding *f,
		       size_t rank, struct tg_err *err)
{
	char buf[1024];
	size_t i;
	int rc = 0;

	ADDF("<tr data-sev=\"%s\" data-text=\"", sev_class(f));
	if (!rc)
		rc = add_lower_escaped(out, f->package, err);
	if (!rc)
		rc = add_lower_escaped(out, f->version, err);
	if (!rc)
		rc = add_lower_escaped(out, f->id, err);
	for (i = 0; i < f->n_aliases && !rc; i++)
		rc = add_lower_escaped(out, f->aliases[i], err);
	if (!rc)
		rc = add_lower_escaped(out, f->summary, err);
	if (!rc)
		rc = add_lower_escaped(out, f->origin_path, err);
	ADDF("\"><td class=\"num\" data-v=\"%.3f\">%zu</td>", f->priority, rank);
	ADD("<td class=\"pkg\">");
	ESC(f->package);
	ADD("</td><td class=\"ver\">");
	ESC(f->version);
	ADD("</td><td>");
	if (!rc)
		rc = id_link(out, f->id, err);
	if (f->summary) {
		ADD("<div class=\"sum\">");
		ESC(f->summary);
		ADD("</div>");
	}
	if (f->n_aliases || f->details) {
		ADD("<details><summary>aliases and details</summary>");
		if (f->n_aliases) {
			ADD("<div class=\"aka\">Also: ");
			for (i = 0; i < f->n_aliases && !rc; i++) {
				if (i)
					ADD(", ");
				rc = id_link(out, f->aliases[i], err);
			}
			ADD("</div>");
		}
		if (f->details) {
			ADD("<div class=\"det\">");
			if (strlen(f->details) > DETAILS_MAX) {
				char *cut = tg_strndup(f->details, DETAILS_MAX);
				if (!cut)
					return tg_err_set(err, TG_ENOMEM, "out of memory");
				ESC(cut);
				free(cut);
				ADD("\xe2\x80\xa6");
			} else {
				ESC(f->details);
			}
			ADD("</div>");
		}
		ADD("</details>");
	}
	ADD("</td>");
	ADDF("<td class=\"sev\" data-v=\"%.1f\"><span class=\"pill %s\">%s</span>",
	     f->kind == TG_FIND_MALICIOUS ? 11.0 : f->cvss >= 0 ? f->cvss : (double)f->severity,
	     sev_class(f), f->kind == TG_FIND_MALICIOUS ? "malware" : tg_severity_name(f->severity));
	if (f->cvss >= 0) {
		ADDF(" <span title=\"");
		ESC(f->cvss_vector);
		ADDF("\">%.1f</span>", f->cvss);
	}
	ADD("</td>");
	ADDF("<td class=\"risk\" data-v=\"%.5f\">", (f->kev ? 10.0 : 0.0) + (f->kev_ransomware ? 5.0 : 0.0) +
				      (f->epss >= 0 ? f->epss : 0.0));
	if (f->kev) {
		ADDF("<span class=\"kev%s\" title=\"CISA Known Exploited Vulnerabilities%s%s\">KEV%s</span> ",
		     f->kev_ransomware ? " ransom" : "",
		     f->kev_due ? ", remediation due " : "", f->kev_due ? f->kev_due : "",
		     f->kev_ransomware ? " \xc2\xb7 ransomware" : "");
	}
	if (f->epss >= 0)
		ADDF("<span class=\"epss\" title=\"EPSS probability of exploitation in 30 days\">%.1f%%</span>",
		     f->epss * 100);
	else if (!f->kev)
		ADD("<span class=\"epss\">\xe2\x80\x93</span>");
	ADD("</td>");
	if (f->fixed_version) {
		ADD("<td class=\"fix\">");
		ESC(f->fixed_version);
		ADD("</td>");
	} else {
		ADD("<td class=\"nofix\">no fix</td>");
	}
	ADD("<td class=\"origin\">");
	ESC(tg_finding_origin(f, buf, sizeof(buf)));
	ADD("</td></tr>\n");
	return rc;
}

int tg_report_write_html(const struct tg_report *r, const struct tg_report_opts *o,
			 struct tg_buf *out, struct tg_err *err)
{
	struct tg_report_counts c;
	struct tg_pkg_row *rows = NULL;
	size_t n_rows = 0, i, rank = 0;
	int rc;

	(void)o;
	tg_report_count(r, &c);
	if ((rc = tg_report_pkg_rows(r, &rows, &n_rows, err)))
		return rc;
	ADD("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
	ADDF("<title>tollgate audit: %zu vulnerabilit%s in %zu packages</title><style>",
	     c.vulns, c.vulns == 1 ? "y" : "ies", c.packages);
	ADD(css);
	ADD("</style></head><body><header><h1>tollgate audit</h1><p class=\"sub\">");
	ADDF("%zu package%s scanned", c.packages, c.packages == 1 ? "" : "s");
	if (r->generated_at) {
		ADD(" \xc2\xb7 ");
		ESC(r->generated_at);
	}
	if (r->tool_version) {
		ADD(" \xc2\xb7 tollgate ");
		ESC(r->tool_version);
	}
	if (r->config_path) {
		ADD(" \xc2\xb7 policy ");
		ESC(r->config_path);
	}
	ADD("</p>");
	if (r->fail_on) {
		if (r->policy_failed)
			ADDF("<div class=\"verdict failed\">Gate failed: %zu finding%s at or above --fail-on ",
			     r->n_failing, r->n_failing == 1 ? "" : "s");
		else
			ADD("<div class=\"verdict passed\">Gate passed: nothing at or above --fail-on ");
		ESC(r->fail_on);
		ADD("</div>");
	}
	ADD("</header><main><div class=\"cards\">");
	ADDF("<div class=\"card\"><b>%zu</b><span>packages</span></div>", c.packages);
	ADDF("<div class=\"card\"><b>%zu</b><span>vulnerable packages</span></div>", c.affected_packages);
	ADDF("<div class=\"card crit\"><b>%zu</b><span>critical</span></div>", c.by_sev[TG_SEV_CRITICAL]);
	ADDF("<div class=\"card high\"><b>%zu</b><span>high</span></div>", c.by_sev[TG_SEV_HIGH]);
	ADDF("<div class=\"card med\"><b>%zu</b><span>medium</span></div>", c.by_sev[TG_SEV_MEDIUM]);
	ADDF("<div class=\"card low\"><b>%zu</b><span>low</span></div>", c.by_sev[TG_SEV_LOW]);
	ADDF("<div class=\"card\"><b>%zu</b><span>unrated</span></div>",
	     c.by_sev[TG_SEV_UNKNOWN] + c.by_sev[TG_SEV_NONE]);
	ADDF("<div class=\"card kevc\"><b>%zu</b><span>known exploited</span></div>", c.kev);
	if (c.malicious)
		ADDF("<div class=\"card crit\"><b>%zu</b><span>malware</span></div>", c.malicious);
	ADDF("<div class=\"card\"><b>%zu</b><span>not checked</span></div>", c.not_checked);
	ADD("</div>");

	ADDF("<h2>Findings (<span id=\"shown\">%zu</span> of %zu)</h2>", c.vulns, c.vulns);
	if (c.vulns) {
		static const char *const sevs[] = { "malware", "critical", "high", "medium",
						     "low", "none", "unknown" };
		ADD("<div class=\"controls\"><input type=\"search\" id=\"q\" "
		    "placeholder=\"Filter: package, advisory id, text, file\" aria-label=\"Filter findings\">");
		for (i = 0; i < sizeof(sevs) / sizeof(sevs[0]); i++)
			ADDF("<label><input type=\"checkbox\" data-sev=\"%s\" checked> %s</label>",
			     sevs[i], sevs[i]);
		ADD("</div><table id=\"findings\"><thead><tr><th title=\"Fix first: KEV, then EPSS, "
		    "then severity (docs/priority.md)\">#</th><th>Package</th><th>Version</th>"
		    "<th>Advisory</th><th>Severity</th><th>KEV / EPSS</th><th>Fix</th><th>Origin</th>"
		    "</tr></thead><tbody>\n");
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];

			if (!tg_finding_is_vuln(f) || f->ignored)
				continue;
			rc = finding_row(out, f, ++rank, err);
		}
		ADD("</tbody></table>");
	} else {
		ADD("<div class=\"note empty\">No known vulnerabilities in the packages scanned.</div>");
	}

	if (c.not_checked) {
		ADDF("<h2>Not checked (%zu)</h2><table><thead><tr><th>Package</th><th>Version</th>"
		     "<th>Why</th><th>Origin</th></tr></thead><tbody>", c.not_checked);
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];
			char buf[1024];

			if (!tg_finding_is_note(f))
				continue;
			ADD("<tr><td class=\"pkg\">");
			ESC(f->package);
			ADD("</td><td class=\"ver\">");
			ESC(f->version ? f->version : "\xe2\x80\x93");
			ADD("</td><td>");
			ESC(f->summary);
			ADD("</td><td class=\"origin\">");
			ESC(tg_finding_origin(f, buf, sizeof(buf)));
			ADD("</td></tr>");
		}
		ADD("</tbody></table>");
	}
	if (c.ignored) {
		ADDF("<h2>Ignored by policy (%zu)</h2><table><thead><tr><th>Advisory</th>"
		     "<th>Package</th><th>Version</th><th>Reason</th><th>Until</th></tr></thead><tbody>",
		     c.ignored);
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];

			if (!tg_finding_is_vuln(f) || !f->ignored)
				continue;
			ADD("<tr><td>");
			if (!rc)
				rc = id_link(out, f->id, err);
			ADD("</td><td class=\"pkg\">");
			ESC(f->package);
			ADD("</td><td class=\"ver\">");
			ESC(f->version);
			ADD("</td><td>");
			ESC(f->ignore_reason);
			ADD("</td><td>");
			ESC(f->ignore_expires ? f->ignore_expires : "no expiry");
			ADD("</td></tr>");
		}
		ADD("</tbody></table>");
	}
	if (r->n_warnings) {
		ADD("<h2>Warnings</h2>");
		for (i = 0; i < r->n_warnings && !rc; i++) {
			ADD("<div class=\"warn\">");
			ESC(r->warnings[i]);
			ADD("</div>");
		}
	}
	ADDF("<h2>Packages scanned (%zu)</h2><details><summary>show all packages</summary>"
	     "<table><thead><tr><th>Package</th><th>Version</th><th>Ecosystem</th><th>Status</th>"
	     "<th>Vulnerabilities</th><th>Origin</th></tr></thead><tbody>", n_rows);
	for (i = 0; i < n_rows && !rc; i++) {
		const struct tg_package *p = rows[i].pkg;
		char buf[1024];

		ADD("<tr><td class=\"pkg\">");
		ESC(p->name);
		ADD("</td><td class=\"ver\">");
		ESC(rows[i].status == TG_PKG_STATUS_UNPINNED ? "\xe2\x80\x93" : p->version);
		ADD("</td><td>");
		ESC(tg_ecosystem_name(p->eco));
		ADD("</td><td>");
		ESC(tg_pkg_status_name(rows[i].status));
		ADDF("</td><td class=\"num\">%zu</td><td class=\"origin\">", rows[i].n_vulns);
		ESC(tg_package_origin(p, buf, sizeof(buf)));
		ADD("</td></tr>");
	}
	ADD("</tbody></table></details><footer>");
	if (r->n_feeds) {
		ADD("Database feeds: ");
		for (i = 0; i < r->n_feeds && !rc; i++) {
			if (i)
				ADD(" \xc2\xb7 ");
			ESC(r->feeds[i].name);
			if (r->feeds[i].version) {
				ADD(" ");
				ESC(r->feeds[i].version);
			}
			if (r->feeds[i].fetched) {
				ADD(" (imported ");
				ESC(r->feeds[i].fetched);
				ADD(")");
			}
		}
		ADD(". ");
	}
	ADD("Priority ranks known exploitation (CISA KEV) first, then the EPSS probability, "
	    "then CVSS severity. Advisory text is shown as published.</footer></main><script>");
	ADD(script);
	ADD("</script></body></html>\n");
	free(rows);
	return rc;
}

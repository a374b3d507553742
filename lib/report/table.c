/* Terminal table: one row per finding, worst first; then what could not
 * be checked, what was ignored, warnings, and a one-line verdict. Colour
 * only when asked (the CLI asks on a TTY without NO_COLOR). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_util.h"
#include "tollgate/report.h"
#include "tollgate/str.h"

enum col { C_PKG, C_VER, C_ID, C_SEV, C_RISK, C_FIX, C_ORIGIN, N_COLS };

static const char *const headers[N_COLS] = {
	"PACKAGE", "VERSION", "ID", "SEVERITY", "KEV/EPSS", "FIX", "ORIGIN"
};

/* Cells borrow the finding's strings; the few formatted ones live in
 * the row, the origins in one buffer for all rows. Lengths and widths
 * are measured once. */
struct cell_row {
	const struct tg_finding *f;
	const char *c[N_COLS];
	size_t len[N_COLS];
	size_t w[N_COLS];
	size_t origin_at; /* offset of the origin in the rows' buffer */
	char sev[32];
	char risk[40];
};

static const char *sev_color(const struct tg_finding *f)
{
	if (f->kind == TG_FIND_MALICIOUS)
		return "1;35";
	switch (f->severity) {
	case TG_SEV_CRITICAL: return "1;31";
	case TG_SEV_HIGH: return "31";
	case TG_SEV_MEDIUM: return "33";
	case TG_SEV_LOW: return "34";
	case TG_SEV_NONE:
	case TG_SEV_UNKNOWN: break;
	}
	return "2";
}

/* Display width of UTF-8 text, counting code points. */
static size_t dwidth(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Width and, in *len, the byte length of s, in one pass. */
static size_t measure(const char *s, size_t *len)
{
	const char *p = s;
	size_t cont = 0;

	for (; *p; p++)
		cont += ((unsigned char)*p & 0xC0) == 0x80;
	*len = (size_t)(p - s);
	return *len - cont;
}

static int add_padded(struct tg_buf *b, const char *s, size_t len, size_t w,
		      size_t width, const char *sgr, bool color, bool last,
		      struct tg_err *err)
{
	int rc = 0;

	if (color && sgr)
		rc = tg_buf_addf(b, err, "\033[%sm", sgr);
	if (!rc)
		rc = tg_buf_add(b, s, len, err);
	if (!rc && color && sgr)
		rc = tg_buf_adds(b, "\033[0m", err);
	if (!rc && !last) {
		/* Padding plus the two-space gutter, in one append. */
		static const char spaces[] = "                                                                ";
		size_t pad = (w < width ? width - w : 0) + 2;

		while (!rc && pad) {
			size_t k = pad < sizeof(spaces) - 1 ? pad : sizeof(spaces) - 1;

			rc = tg_buf_add(b, spaces, k, err);
			pad -= k;
		}
	}
	return rc;
}

/* Keep the end of a long path: "...e-packages/six.dist-info". */
static char *shorten_left(const char *s, size_t max)
{
	size_t w = dwidth(s);

	if (max < 4 || w <= max)
		return tg_strdup(s);
	while (w > max - 3) {
		s++;
		while (((unsigned char)*s & 0xC0) == 0x80)
			s++;
		w--;
	}
	return tg_asprintf("...%s", s);
}

/* "%.1f" of a non-negative x, then suffix, into buf (n bytes), the
 * common case by hand: snprintf of a double costs more than the rest of a
 * row.
 * Exact: when x * 10 lies near a rounding midpoint the decision is left
 * to snprintf. */
static void one_decimal(char *buf, size_t n, double x, const char *suffix)
{
	double y = x * 10, fl, frac;
	unsigned long long t;

	if (!(x >= 0 && x < 1e12)) {
		snprintf(buf, n, "%.1f%s", x, suffix);
		return;
	}
	fl = floor(y);
	frac = y - fl;
	if (fabs(frac - 0.5) < 1e-6) {
		snprintf(buf, n, "%.1f%s", x, suffix);
		return;
	}
	t = (unsigned long long)fl + (frac > 0.5);
	{
		char digits[24], *p = buf;
		unsigned long long whole = t / 10;
		size_t k = 0;

		do
			digits[k++] = (char)('0' + whole % 10);
		while ((whole /= 10) != 0);
		if (k + 2 + strlen(suffix) >= n) {
			snprintf(buf, n, "%.1f%s", x, suffix);
			return;
		}
		while (k)
			*p++ = digits[--k];
		*p++ = '.';
		*p++ = (char)('0' + t % 10);
		tg_strlcpy(p, suffix, n - (size_t)(p - buf));
	}
}

/* Everything but the origin cell, which points into `origins` once all
 * rows are filled (the buffer moves while it grows). */
static int fill_row(struct cell_row *row, const struct tg_finding *f,
		    struct tg_buf *origins)
{
	char buf[1024];
	const char *o;

	row->f = f;
	row->c[C_PKG] = f->package ? f->package : "?";
	row->c[C_VER] = f->version ? f->version : "-";
	row->c[C_ID] = f->id ? f->id : "-";
	if (f->kind == TG_FIND_MALICIOUS)
		row->c[C_SEV] = "MALWARE";
	else if (f->cvss >= 0) {
		size_t k = tg_strlcpy(row->sev, tg_severity_name(f->severity), sizeof(row->sev));

		if (k + 1 < sizeof(row->sev)) {
			row->sev[k++] = ' ';
			one_decimal(row->sev + k, sizeof(row->sev) - k, f->cvss, "");
		}
		row->c[C_SEV] = row->sev;
	} else
		row->c[C_SEV] = tg_severity_name(f->severity);
	row->c[C_RISK] = row->risk;
	if (f->kev) {
		size_t k = tg_strlcpy(row->risk, f->kev_ransomware ? "KEV(R)" : "KEV",
				      sizeof(row->risk));

		if (f->epss >= 0) {
			row->risk[k++] = ' ';
			one_decimal(row->risk + k, sizeof(row->risk) - k, f->epss * 100, "%");
		}
	} else if (f->epss >= 0)
		one_decimal(row->risk, sizeof(row->risk), f->epss * 100, "%");
	else
		row->c[C_RISK] = "-";
	row->c[C_FIX] = f->fixed_version ? f->fixed_version : "none";
	o = tg_finding_origin(f, buf, sizeof(buf));
	row->origin_at = origins->len;
	row->c[C_ORIGIN] = NULL;
	if (tg_buf_add(origins, o, strlen(o) + 1, NULL))
		return TG_ENOMEM;
	for (int i = 0; i < N_COLS; i++)
		if (i != C_ORIGIN)
			row->w[i] = measure(row->c[i], &row->len[i]);
	return 0;
}

static int add_summary_line(struct tg_buf *b, const struct tg_report *r,
			    const struct tg_report_counts *c, bool color,
			    struct tg_err *err)
{
	static const enum tg_severity order[] = { TG_SEV_CRITICAL, TG_SEV_HIGH,
						  TG_SEV_MEDIUM, TG_SEV_LOW };
	size_t i, shown = 0, other;
	int rc;

	if (c->vulns == 0)
		rc = tg_buf_addf(b, err, "No known vulnerabilities in %zu package%s",
				 c->packages, c->packages == 1 ? "" : "s");
	else
		rc = tg_buf_addf(b, err, "%zu vulnerabilit%s (", c->vulns,
				 c->vulns == 1 ? "y" : "ies");
	for (i = 0; !rc && c->vulns && i < 4; i++) {
		if (!c->by_sev[order[i]])
			continue;
		rc = tg_buf_addf(b, err, "%s%zu %s", shown++ ? ", " : "",
				 c->by_sev[order[i]], tg_severity_name(order[i]));
	}
	other = c->by_sev[TG_SEV_UNKNOWN] + c->by_sev[TG_SEV_NONE];
	if (!rc && c->vulns && other)
		rc = tg_buf_addf(b, err, "%s%zu unrated", shown++ ? ", " : "", other);
	if (!rc && c->vulns)
		rc = tg_buf_addf(b, err, ") in %zu of %zu packages", c->affected_packages,
				 c->packages);
	if (!rc && c->kev)
		rc = tg_buf_addf(b, err, "; %zu known exploited (KEV)", c->kev);
	if (!rc && c->malicious)
		rc = tg_buf_addf(b, err, "; %zu MALWARE", c->malicious);
	if (!rc && c->ignored)
		rc = tg_buf_addf(b, err, "; %zu ignored", c->ignored);
	if (!rc && c->not_checked)
		rc = tg_buf_addf(b, err, "; %zu not checked", c->not_checked);
	if (!rc)
		rc = tg_buf_adds(b, ".\n", err);
	if (!rc && r->fail_on) {
		if (r->policy_failed)
			rc = tg_buf_addf(b, err, "%sGate: FAILED%s (--fail-on %s: %zu finding%s)\n",
					 color ? "\033[1;31m" : "", color ? "\033[0m" : "",
					 r->fail_on, r->n_failing, r->n_failing == 1 ? "" : "s");
		else
			rc = tg_buf_addf(b, err, "%sGate: passed%s (--fail-on %s)\n",
					 color ? "\033[32m" : "", color ? "\033[0m" : "",
					 r->fail_on);
	}
	return rc;
}

int tg_report_write_table(const struct tg_report *r, const struct tg_report_opts *o,
			  struct tg_buf *out, struct tg_err *err)
{
	static const struct tg_report_opts defaults;
	struct cell_row *rows;
	struct tg_buf origins;
	struct tg_report_counts c;
	size_t n = 0, i, w[N_COLS], total = 0;
	bool color, ransom = false;
	int rc = 0, k;

	if (!o)
		o = &defaults;
	color = o->color;
	tg_report_count(r, &c);
	tg_buf_init(&origins, TG_BUF_DEFAULT_MAX);
	rows = malloc((r->n_findings ? r->n_findings : 1) * sizeof(*rows));
	if (!rows)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < r->n_findings; i++) {
		const struct tg_finding *f = &r->findings[i];

		if (!tg_finding_is_vuln(f) || f->ignored)
			continue;
		if (fill_row(&rows[n++], f, &origins)) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		if (f->kev_ransomware)
			ransom = true;
	}
	for (i = 0; i < n; i++) {
		rows[i].c[C_ORIGIN] = origins.data + rows[i].origin_at;
		rows[i].w[C_ORIGIN] = measure(rows[i].c[C_ORIGIN], &rows[i].len[C_ORIGIN]);
	}
	for (k = 0; k < N_COLS; k++)
		w[k] = dwidth(headers[k]);
	for (i = 0; i < n; i++)
		for (k = 0; k < N_COLS; k++)
			if (rows[i].w[k] > w[k])
				w[k] = rows[i].w[k];
	for (k = 0; k < N_COLS; k++)
		total += w[k] + 2;
	if (o->width > 0 && total > (size_t)o->width) {
		size_t others = total - w[C_ORIGIN] - 2;
		size_t room = (size_t)o->width > others + 12 ? (size_t)o->width - others : 12;

		if (room < w[C_ORIGIN]) {
			w[C_ORIGIN] = room;
			/* Through the offsets: appending moves the buffer that
			 * the cells point into. */
			for (i = 0; i < n; i++) {
				char *s = shorten_left(origins.data + rows[i].origin_at, room);
				size_t at = origins.len;

				if (!s || tg_buf_add(&origins, s, strlen(s) + 1, NULL)) {
					free(s);
					rc = tg_err_set(err, TG_ENOMEM, "out of memory");
					goto out;
				}
				free(s);
				rows[i].origin_at = at;
			}
			for (i = 0; i < n; i++) {
				rows[i].c[C_ORIGIN] = origins.data + rows[i].origin_at;
				rows[i].w[C_ORIGIN] = measure(rows[i].c[C_ORIGIN],
							      &rows[i].len[C_ORIGIN]);
			}
		}
	}
	if (n) {
		for (k = 0; k < N_COLS && !rc; k++)
			rc = add_padded(out, headers[k], strlen(headers[k]), dwidth(headers[k]),
					w[k], "1", color, k == N_COLS - 1, err);
		if (!rc)
			rc = tg_buf_addc(out, '\n', err);
	}
	for (i = 0; i < n && !rc; i++) {
		const struct tg_finding *f = rows[i].f;

		for (k = 0; k < N_COLS && !rc; k++) {
			const char *sgr = NULL;

			if (k == C_SEV)
				sgr = sev_color(f);
			else if (k == C_RISK && f->kev)
				sgr = "1;35";
			else if (k == C_PKG)
				sgr = "1";
			else if (k == C_FIX && f->fixed_version)
				sgr = "32";
			else if (k == C_ORIGIN)
				sgr = "2";
			rc = add_padded(out, rows[i].c[k], rows[i].len[k], rows[i].w[k], w[k],
					sgr, color, k == N_COLS - 1, err);
		}
		if (!rc)
			rc = tg_buf_addc(out, '\n', err);
		if (!rc && o->verbose > 0 && f->summary)
			rc = tg_buf_addf(out, err, "    %s\n", f->summary);
		if (!rc && o->verbose > 0 && f->n_aliases) {
			rc = tg_buf_adds(out, "    aliases:", err);
			for (size_t a = 0; !rc && a < f->n_aliases; a++)
				rc = tg_buf_addf(out, err, " %s", f->aliases[a]);
			if (!rc)
				rc = tg_buf_addc(out, '\n', err);
		}
	}
	if (!rc && ransom)
		rc = tg_buf_adds(out, "(R) = CISA KEV lists known ransomware use\n", err);

	if (!rc && c.not_checked) {
		rc = tg_buf_addf(out, err, "\n%sNot checked (%zu):%s\n", color ? "\033[1m" : "",
				 c.not_checked, color ? "\033[0m" : "");
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];
			char buf[1024];

			if (!tg_finding_is_note(f))
				continue;
			rc = tg_buf_addf(out, err, "  %s%s%s (%s): %s\n", f->package,
					 f->version ? " " : "", f->version ? f->version : "",
					 tg_finding_origin(f, buf, sizeof(buf)),
					 f->summary ? f->summary : "not checked");
		}
	}
	if (!rc && c.ignored) {
		rc = tg_buf_addf(out, err, "\n%sIgnored (%zu):%s\n", color ? "\033[1m" : "",
				 c.ignored, color ? "\033[0m" : "");
		for (i = 0; i < r->n_findings && !rc; i++) {
			const struct tg_finding *f = &r->findings[i];

			if (!tg_finding_is_vuln(f) || !f->ignored)
				continue;
			rc = tg_buf_addf(out, err, "  %s %s %s: %s%s%s%s\n", f->id,
					 f->package, f->version ? f->version : "",
					 f->ignore_reason ? f->ignore_reason : "",
					 f->ignore_expires ? " (until " : "",
					 f->ignore_expires ? f->ignore_expires : "",
					 f->ignore_expires ? ")" : "");
		}
	}
	if (!rc && r->n_warnings) {
		rc = tg_buf_addf(out, err, "\n%sWarnings:%s\n", color ? "\033[1;33m" : "",
				 color ? "\033[0m" : "");
		for (i = 0; i < r->n_warnings && !rc; i++)
			rc = tg_buf_addf(out, err, "  %s\n", r->warnings[i]);
	}
	if (!rc && (n || c.not_checked || c.ignored || r->n_warnings))
		rc = tg_buf_addc(out, '\n', err);
	if (!rc)
		rc = add_summary_line(out, r, &c, color, err);
out:
	tg_buf_release(&origins);
	free(rows);
	return rc;
}

/* Line parsers for the EPSS CSV, the registry name lists (TSV) and the
 * PyPI simple index (HTML). Pure functions of their input: fuzzed. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/db_feeds.h"
#include "tollgate/str.h"

#define MAX_COLS 16

/* Split s[0..n) at sep in place. Returns the field count, or -1 when there
 * are more than max fields. */
static int split(char *s, size_t n, char sep, char **fields, size_t *lens,
		 int max)
{
	int k = 0;
	size_t start = 0, i;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == sep) {
			if (k == max)
				return -1;
			fields[k] = s + start;
			lens[k] = i - start;
			k++;
			if (i < n)
				s[i] = '\0';
			start = i + 1;
		}
	}
	return k;
}

static bool has_ctl(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

/* ---- EPSS ------------------------------------------------------------ */

void tg_epss_reader_init(struct tg_epss_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->col_cve = r->col_epss = r->col_pct = -1;
}

static bool cve_valid(const char *s, size_t n)
{
	size_t i, digits = 0;

	if (n < 13 || n > 31 || memcmp(s, "CVE-", 4) != 0)
		return false;
	for (i = 4; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[8] != '-')
		return false;
	for (i = 9; i < n; i++, digits++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return digits >= 4;
}

/* A probability written as a plain decimal: digits, at most one '.',
 * optional exponent; the value must be within [0, 1]. */
static bool parse_prob(const char *s, size_t n, double *out)
{
	char tmp[64];
	char *end;
	double v;
	size_t i;

	if (n == 0 || n >= sizeof(tmp))
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' ||
		      c == '-' || c == '+'))
			return false;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	v = strtod(tmp, &end);
	if (end != tmp + n || !isfinite(v) || v < 0.0 || v > 1.0)
		return false;
	*out = v;
	return true;
}

static void copy_field(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void parse_epss_meta(struct tg_epss_reader *r, const char *line,
			    size_t len)
{
	/* "#model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000" */
	size_t i = 1, start;

	while (i < len) {
		const char *key = line + i;
		size_t klen, vstart;

		start = i;
		while (i < len && line[i] != ',')
			i++;
		klen = 0;
		while (start + klen < i && line[start + klen] != ':')
			klen++;
		vstart = start + klen + 1;
		if (start + klen < i) {
			if (klen == 13 && memcmp(key, "model_version", 13) == 0)
				copy_field(r->model_version, sizeof(r->model_version),
					   line + vstart, i - vstart);
			else if (klen == 10 && memcmp(key, "score_date", 10) == 0)
				copy_field(r->score_date, sizeof(r->score_date),
					   line + vstart, i - vstart);
		}
		i++;
	}
}

int tg_epss_read_line(struct tg_epss_reader *r, const char *line, size_t len,
		      const char *origin, struct tg_epss_row *row,
		      bool *have_row, struct tg_err *err)
{
	char buf[256];
	char *fields[MAX_COLS];
	size_t lens[MAX_COLS];
	int n, i;

	*have_row = false;
	r->line++;
	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return 0;
	if (len > TG_FEED_MAX_LINE)
		return tg_err_at(err, TG_ELIMIT, origin, r->line, 0,
				 "line longer than %d bytes", TG_FEED_MAX_LINE);
	if (line[0] == '#') {
		if (!r->have_header)
			parse_epss_meta(r, line, len);
		return 0;
	}
	if (len >= sizeof(buf))
		return tg_err_at(err, TG_EINVAL, origin, r->line, 0,
				 "line is too long for an EPSS row");
	memcpy(buf, line, len);
	buf[len] = '\0';
	n = split(buf, len, ',', fields, lens, MAX_COLS);
	if (n < 0)
		return tg_err_at(err, TG_EINVAL, origin, r->line, 0,
				 "more than %d columns", MAX_COLS);
	if (!r->have_header) {
		for (i = 0; i < n; i++) {
			if (lens[i] == 3 && memcmp(fields[i], "cve", 3) == 0)
				r->col_cve = i;
			else if (lens[i] == 4 && memcmp(fields[i], "epss", 4) == 0)
				r->col_epss = i;
			else if (lens[i] == 10 && memcmp(fields[i], "percentile", 10) == 0)
				r->col_pct = i;
		}
		if (r->col_cve < 0 || r->col_epss < 0 || r->col_pct < 0)
			return tg_err_at(err, TG_EPARSE, origin, r->line, 1,
					 "not an EPSS file: expected the header 'cve,epss,percentile'");
		r->n_cols = n;
		r->have_header = true;
		return 0;
	}
	if (n != r->n_cols)
		return tg_err_at(err, TG_EINVAL, origin, r->line, 0,
				 "%d columns, the header has %d", n, r->n_cols);
	if (!cve_valid(fields[r->col_cve], lens[r->col_cve]))
		return tg_err_at(err, TG_EINVAL, origin, r->line, 1,
				 "not a CVE id: '%.40s'", fields[r->col_cve]);
	if (!parse_prob(fields[r->col_epss], lens[r->col_epss], &row->epss) ||
	    !parse_prob(fields[r->col_pct], lens[r->col_pct], &row->percentile))
		return tg_err_at(err, TG_EINVAL, origin, r->line, 0,
				 "epss and percentile must be numbers between 0 and 1");
	copy_field(row->cve_buf, sizeof(row->cve_buf), fields[r->col_cve],
		   lens[r->col_cve]);
	row->cve = row->cve_buf;
	*have_row = true;
	return 0;
}

/* ---- name lists ------------------------------------------------------ */

void tg_names_reader_init(struct tg_names_reader *r, enum tg_ecosystem eco)
{
	memset(r, 0, sizeof(*r));
	r->eco = eco;
}

/* Column order is fixed by the header, which is checked. */
static const char *const pypi_header[] = { "name", "latest_version",
					   "latest_release_month", "popularity_rank" };
static const char *const npm_header[] = { "name", "latest_version",
					  "downloads_a_month" };

#define MAX_NAME_LEN 512

int tg_names_read_line(struct tg_names_reader *r, char *line, size_t len,
		       const char *origin, struct tg_names_row *row,
		       bool *have_row, struct tg_err *err)
{
	char *fields[MAX_COLS];
	size_t lens[MAX_COLS];
	const char *const *hdr = r->eco == TG_ECO_PYPI ? pypi_header : npm_header;
	int want = r->eco == TG_ECO_PYPI ? 4 : 3;
	int n, i;
	uint64_t num;

	*have_row = false;
	r->line++;
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (len == 0)
		return 0;
	if (len > TG_FEED_MAX_LINE)
		return tg_err_at(err, TG_ELIMIT, origin, r->line, 0,
				 "line longer than %d bytes", TG_FEED_MAX_LINE);
	n = split(line, len, '\t', fields, lens, MAX_COLS);
	if (!r->have_header) {
		if (n != want)
			goto bad_header;
		for (i = 0; i < want; i++)
			if (strlen(hdr[i]) != lens[i] ||
			    memcmp(hdr[i], fields[i], lens[i]) != 0)
				goto bad_header;
		r->have_header = true;
		return 0;
	}
	if (n != want)
		return tg_err_at(err, TG_EINVAL, origin, r->line, 0,
				 "%d tab-separated columns, expected %d", n < 0 ? MAX_COLS : n,
				 want);
	if (lens[0] == 0 || lens[0] > MAX_NAME_LEN || has_ctl(fields[0], lens[0]) ||
	    memchr(fields[0], ' ', lens[0]))
		return tg_err_at(err, TG_EINVAL, origin, r->line, 1,
				 "not a package name: '%.60s'", fields[0]);
	for (i = 1; i < n; i++)
		if (lens[i] > 256 || has_ctl(fields[i], lens[i]))
			return tg_err_at(err, TG_EINVAL, origin, r->line, 0,
					 "column %d is malformed", i + 1);
	row->name = fields[0];
	row->latest_version = lens[1] ? fields[1] : NULL;
	row->last_release = NULL;
	row->rank = row->downloads = -1;
	if (r->eco == TG_ECO_PYPI) {
		if (lens[2])
			row->last_release = fields[2];
		if (lens[3]) {
			if (!tg_parse_u64(fields[3], lens[3], &num) || num > INT64_MAX)
				return tg_err_at(err, TG_EINVAL, origin, r->line, 0,
						 "popularity_rank is not a number: '%.30s'", fields[3]);
			row->rank = (int64_t)num;
		}
	} else if (lens[2]) {
		if (!tg_parse_u64(fields[2], lens[2], &num) || num > INT64_MAX)
			return tg_err_at(err, TG_EINVAL, origin, r->line, 0,
					 "downloads_a_month is not a number: '%.30s'", fields[2]);
		row->downloads = (int64_t)num;
	}
	*have_row = true;
	return 0;
bad_header:
	return tg_err_at(err, TG_EPARSE, origin, r->line, 1,
			 "not a %s name list: the first line must be the header '%s'",
			 r->eco == TG_ECO_PYPI ? "PyPI" : "npm",
			 r->eco == TG_ECO_PYPI
				 ? "name<TAB>latest_version<TAB>latest_release_month<TAB>popularity_rank"
				 : "name<TAB>latest_version<TAB>downloads_a_month");
}

/* ---- PyPI simple index ----------------------------------------------- */

void tg_simple_index_line(char *line, size_t len, const char **name)
{
	/* <a href="/simple/NAME/">NAME</a>: take the anchor text. */
	char *gt, *end;

	*name = NULL;
	if (len < 8)
		return;
	gt = strstr(line, "<a ");
	if (!gt)
		return;
	gt = strchr(gt, '>');
	if (!gt)
		return;
	gt++;
	end = strstr(gt, "</a>");
	if (!end || end == gt || (size_t)(end - gt) > MAX_NAME_LEN)
		return;
	*end = '\0';
	if (has_ctl(gt, (size_t)(end - gt)) || strchr(gt, '<') || strchr(gt, '&') ||
	    strchr(gt, ' '))
		return;
	*name = gt;
}

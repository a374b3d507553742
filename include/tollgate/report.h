/* Report writers: one per output format, all behind one table.
 *
 * A writer turns a finished struct tg_report (findings sorted, policy
 * evaluated) into bytes; it never prints and never touches the file
 * system, so the CLI can write the result atomically (tg_write_file_atomic)
 * and a failed run leaves no half-written report.
 *
 * Formats: table (terminal; coloured when opts->color), json (the schema
 * in docs/json-schema.md), sarif (SARIF 2.1.0), cyclonedx (CycloneDX 1.6
 * with VEX vulnerabilities), markdown (a pull-request comment), html (one
 * self-contained page). Every format lists the packages that could not be
 * checked ("not checked: no exact version").
 */
#ifndef TOLLGATE_REPORT_H
#define TOLLGATE_REPORT_H

#include <stdbool.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/finding.h"

struct tg_report_opts {
	bool color;   /* table: ANSI colours */
	int width;    /* table: terminal columns, 0 = no limit */
	int verbose;  /* table: > 0 adds summaries and aliases under rows */
};

struct tg_report_writer {
	const char *name;      /* "json" */
	const char *summary;   /* one line for --help */
	const char *extension; /* ".json" */
	int (*write)(const struct tg_report *r, const struct tg_report_opts *o,
		     struct tg_buf *out, struct tg_err *err);
	bool shows_details;    /* prints tg_finding.details */
};

/* NULL-terminated, in the order --help lists them. */
extern const struct tg_report_writer *const tg_report_writers[];
/* By name (case-insensitive); "cdx" and "md" are accepted aliases. */
const struct tg_report_writer *tg_report_writer_find(const char *name);

int tg_report_write_table(const struct tg_report *r, const struct tg_report_opts *o,
			  struct tg_buf *out, struct tg_err *err);
int tg_report_write_json(const struct tg_report *r, const struct tg_report_opts *o,
			 struct tg_buf *out, struct tg_err *err);
int tg_report_write_sarif(const struct tg_report *r, const struct tg_report_opts *o,
			  struct tg_buf *out, struct tg_err *err);
int tg_report_write_cyclonedx(const struct tg_report *r,
			      const struct tg_report_opts *o, struct tg_buf *out,
			      struct tg_err *err);
int tg_report_write_markdown(const struct tg_report *r,
			     const struct tg_report_opts *o, struct tg_buf *out,
			     struct tg_err *err);
int tg_report_write_html(const struct tg_report *r, const struct tg_report_opts *o,
			 struct tg_buf *out, struct tg_err *err);

/* Helpers shared with other commands. */

/* Package URL as the SBOM writer spells it (tg_sbom_purl without a
 * source): pkg:pypi/django@3.2.1, pkg:npm/%40scope/name@1.0.0 (version
 * omitted when NULL). */
int tg_report_purl(enum tg_ecosystem eco, const char *name, const char *version,
		   struct tg_buf *out, struct tg_err *err);
/* A web page for an advisory id (NVD for CVE, GitHub for GHSA, osv.dev
 * for PYSEC / MAL / OSV / GSD ids), or NULL when none is known. Writes
 * into buf. */
const char *tg_report_advisory_url(const char *id, char *buf, size_t n);

#endif

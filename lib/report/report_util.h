/* Shared by the report writers (not a public interface). */
#ifndef TOLLGATE_REPORT_UTIL_H
#define TOLLGATE_REPORT_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/finding.h"

enum tg_pkg_status {
	TG_PKG_CHECKED = 0,
	TG_PKG_STATUS_UNPINNED,
	TG_PKG_STATUS_UNKNOWN_VERSION,
	TG_PKG_NOT_COVERED /* no advisory data for the ecosystem */
};

const char *tg_pkg_status_name(enum tg_pkg_status s);

/* Per package (flattened over inventories, in report order). */
struct tg_pkg_row {
	const struct tg_package *pkg;
	size_t inv, idx;
	enum tg_pkg_status status;
	size_t n_vulns;   /* findings not ignored */
	size_t n_ignored;
};

/* Heap array of every package, *n of them. */
int tg_report_pkg_rows(const struct tg_report *r, struct tg_pkg_row **out,
		       size_t *n, struct tg_err *err);

struct tg_report_counts {
	size_t vulns;            /* vulnerability + malware findings, not ignored */
	size_t ignored;
	size_t not_checked;
	size_t by_sev[6];        /* indexed by enum tg_severity, not ignored */
	size_t kev;
	size_t malicious;
	size_t packages;
	size_t affected_packages;
};

void tg_report_count(const struct tg_report *r, struct tg_report_counts *c);

bool tg_finding_is_vuln(const struct tg_finding *f);
bool tg_finding_is_note(const struct tg_finding *f);

/* "requirements.txt:12" or the path alone. Into buf. */
const char *tg_finding_origin(const struct tg_finding *f, char *buf, size_t n);
const char *tg_package_origin(const struct tg_package *p, char *buf, size_t n);

/* jansson helpers that record ENOMEM in *ok instead of failing loudly. */
json_t *tg_jstr(const char *s);        /* JSON null for NULL */
void tg_jset(json_t *obj, const char *key, json_t *v, bool *ok);
void tg_jpush(json_t *arr, json_t *v, bool *ok);
/* Serialise (2-space indent, key order kept, trailing newline) into out. */
int tg_json_emit(json_t *root, struct tg_buf *out, struct tg_err *err);

/* Escape for HTML text and attribute values. */
int tg_buf_add_html(struct tg_buf *b, const char *s, struct tg_err *err);

#endif

/* CVSS scores from vector strings: v3.0, v3.1 (FIRST specification
 * section 7, base equations) and v4.0 (MacroVector lookup and severity
 * distance interpolation of the FIRST v4.0 specification).
 *
 * A v3 vector is scored from its base metrics only; temporal and
 * environmental metrics in the string are validated and ignored. A v4.0
 * vector is scored as FIRST's calculator scores it: every metric present
 * is used (so "E:U" or modified metrics move the score), absent ones take
 * their defaults.
 *
 * Vectors are validated strictly: the prefix, every mandatory base metric
 * exactly once, only defined metric names and values. A bad vector is
 * TG_EPARSE with the offending metric in the message.
 */
#ifndef TOLLGATE_CVSS_H
#define TOLLGATE_CVSS_H

#include "tollgate/err.h"
#include "tollgate/finding.h"

enum tg_cvss_version {
	TG_CVSS_UNKNOWN = 0,
	TG_CVSS_V30,
	TG_CVSS_V31,
	TG_CVSS_V40
};

/* Longest vector accepted (v4.0 with every metric is about 170 bytes). */
#define TG_CVSS_MAX_VECTOR 512

/* Score a vector ("CVSS:3.1/AV:N/..." or "CVSS:4.0/AV:N/..."). On
 * success *score is 0.0..10.0 with one decimal and *version (if not NULL)
 * says which specification was applied. */
int tg_cvss_score(const char *vector, double *score,
		  enum tg_cvss_version *version, struct tg_err *err);

/* Qualitative rating shared by v3 and v4: 0 none, 0.1-3.9 low, 4.0-6.9
 * medium, 7.0-8.9 high, 9.0-10 critical; negative = unknown. */
enum tg_severity tg_cvss_severity(double score);

/* "3.0", "3.1", "4.0" or "unknown". */
const char *tg_cvss_version_name(enum tg_cvss_version v);

#endif

/* Severity buckets and the risk score of docs/priority.md. */
#include "tollgate/match.h"

#include <math.h>
#include <string.h>

#include "tollgate/cvss.h"
#include "tollgate/str.h"

enum tg_severity tg_priority_severity(double cvss, const char *db_severity)
{
	enum tg_severity s;

	if (cvss >= 0)
		return tg_cvss_severity(cvss);
	if (db_severity && tg_severity_parse(db_severity, &s))
		return s;
	return TG_SEV_UNKNOWN;
}

/* Stand-in for a CVSS score when only a qualitative severity is known:
 * the middle of the bucket's CVSS range. Unknown sits with medium so
 * that an unrated advisory is neither buried nor inflated. */
static double severity_stand_in(enum tg_severity s)
{
	switch (s) {
	case TG_SEV_CRITICAL: return 9.5;
	case TG_SEV_HIGH: return 8.0;
	case TG_SEV_MEDIUM: return 5.5;
	case TG_SEV_LOW: return 2.0;
	case TG_SEV_NONE: return 0.0;
	case TG_SEV_UNKNOWN: break;
	}
	return 5.5;
}

double tg_priority_score(const struct tg_finding *f)
{
	double tier = 0, epss_pct = 0, sev;

	if (f->kind == TG_FIND_UNPINNED || f->kind == TG_FIND_UNKNOWN_VERSION)
		return 0.0;
	if (f->kind == TG_FIND_MALICIOUS)
		tier = 2; /* known malware ranks with ransomware-used KEV */
	else if (f->kev)
		tier = f->kev_ransomware ? 2 : 1;
	if (f->epss >= 0)
		epss_pct = floor(fmin(f->epss, 1.0) * 100.0 + 1e-9);
	sev = f->cvss >= 0 ? f->cvss : severity_stand_in(f->severity);
	/* Bands: each term's maximum stays below the next term's step, so the
	 * ordering is lexicographic (tier, EPSS percent, severity) while the
	 * number still reads as "bigger = worse". */
	return tier * 1200.0 + epss_pct * 11.0 + sev;
}

/* CVSS vector strings (untrusted: they come from advisory feeds). A vector
 * either scores in 0..10 with one decimal or is refused with a message. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[TG_CVSS_MAX_VECTOR + 64];
	struct tg_err err;
	enum tg_cvss_version v;
	double score;

	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (tg_cvss_score(buf, &score, &v, &err) != 0) {
		if (!err.msg[0] || score != -1.0)
			abort();
		return 0;
	}
	if (!(score >= 0.0 && score <= 10.0) || v == TG_CVSS_UNKNOWN)
		abort();
	if (fabs(score * 10 - round(score * 10)) > 1e-6)
		abort();
	if (tg_cvss_severity(score) == TG_SEV_UNKNOWN)
		abort();
	return 0;
}

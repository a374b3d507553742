/* tg_sbom_write: the model, then the format's writer. */
#include "sbom_internal.h"

#include "lazy/lazy.h"
#include "tollgate/str.h"

bool tg_sbom_format_parse(const char *s, enum tg_sbom_format *out)
{
	if (!s)
		return false;
	if (tg_ascii_casecmp(s, "cyclonedx") == 0 || tg_ascii_casecmp(s, "cdx") == 0) {
		*out = TG_SBOM_CYCLONEDX;
		return true;
	}
	if (tg_ascii_casecmp(s, "spdx") == 0 || tg_ascii_casecmp(s, "spdx-json") == 0) {
		*out = TG_SBOM_SPDX;
		return true;
	}
	return false;
}

int tg_sbom_write(enum tg_sbom_format fmt, const struct tg_inventory *invs,
		  size_t n, const struct tg_sbom_opts *opts, struct tg_buf *out,
		  struct tg_err *err)
{
	struct sbom_model m;
	int rc;

	/* Component and document ids are SHA-256 based. */
	if ((rc = tg_lazy_require(TG_LAZY_CRYPTO, "SBOM identifiers", err)))
		return rc;
	if ((rc = sbom_model_build(invs, n, opts, &m, err)))
		return rc;
	if (fmt == TG_SBOM_SPDX)
		rc = sbom_write_spdx(&m, out, err);
	else
		rc = sbom_write_cyclonedx(&m, out, err);
	sbom_model_release(&m);
	return rc;
}

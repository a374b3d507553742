/* Software bills of materials: CycloneDX 1.6 JSON and SPDX 2.3 JSON from
 * inventories, package URLs, and SPDX license expressions.
 *
 * A writer takes the inventories of any inputs (lockfiles, environments,
 * images, winget / Chocolatey lists) and lists each distinct package once
 * (same package URL = same component; hashes are merged), sorted by
 * package URL, with hashes, the declared licence and, where the input
 * records them (lockfiles), the dependency edges. The output validates
 * against the official schemas; docs/sbom.md lists the field mapping.
 *
 * Ownership: writers append to a caller-owned tg_buf and never touch the
 * file system (the CLI writes atomically). Nothing here needs freeing
 * except what the caller owns.
 */
#ifndef TOLLGATE_SBOM_H
#define TOLLGATE_SBOM_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/package.h"

enum tg_sbom_format {
	TG_SBOM_CYCLONEDX = 0,
	TG_SBOM_SPDX
};

/* "cyclonedx" / "cdx", "spdx" (case-insensitive). */
bool tg_sbom_format_parse(const char *s, enum tg_sbom_format *out);

struct tg_sbom_opts {
	const char *tool_version;   /* "0.1.0" */
	/* RFC 3339 UTC creation time ("2026-01-02T03:04:05Z"); NULL takes
	 * the current time, or 1970-01-01T00:00:00Z when reproducible. */
	const char *timestamp;
	/* Reproducible: the serial number (CycloneDX) and the document
	 * namespace (SPDX) are derived from a SHA-256 of the content instead
	 * of random, so equal inputs give byte-identical documents. */
	bool reproducible;
	/* What the SBOM describes (metadata.component / document name); NULL:
	 * the first inventory's origin base name. */
	const char *subject;
};

/* Write the SBOM of invs[0..n) into out. TG_EINVAL when there is nothing
 * to describe is not an error: an empty inventory gives an empty SBOM. */
int tg_sbom_write(enum tg_sbom_format fmt, const struct tg_inventory *invs,
		  size_t n, const struct tg_sbom_opts *opts, struct tg_buf *out,
		  struct tg_err *err);

/* Package URL (ECMA-427 / purl-spec) of a package, appended to out:
 *   pypi    name lowercased, runs of '-', '_', '.' become one '-'
 *   npm     "@scope/name" -> pkg:npm/%40scope/name (case kept: npm has
 *           legacy mixed-case packages that differ from lowercase ones)
 *   winget  pkg:winget/<PackageIdentifier>
 *   Chocolatey  pkg:nuget/<id>?repository_url=<feed> (the community
 *           repository unless source names another feed URL)
 *   other   pkg:generic/<name>
 * Every component is percent-encoded except A-Z a-z 0-9 . - _ ~ and ':'.
 * version NULL omits "@version"; source may be NULL. */
int tg_sbom_purl(enum tg_ecosystem eco, const char *name, const char *version,
		 const char *source, struct tg_buf *out, struct tg_err *err);

/* SPDX license expressions (SPDX 2.3 annex D) over the SPDX license list
 * ids this build knows: ids and exceptions matched case-insensitively,
 * '+', AND / OR / WITH (upper or lower case), parentheses. On success
 * returns true and writes the canonical form (list spelling, upper-case
 * operators, single spaces) into out; false when s is not such an
 * expression (free text, unknown ids, LicenseRef-) or out is too small. */
bool tg_spdx_expression(const char *s, char *out, size_t outsz);
/* True when id is on the SPDX license list (case-insensitive). */
bool tg_spdx_license_known(const char *id);

#endif

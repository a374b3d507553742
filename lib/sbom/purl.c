/* Package URLs for SBOM components (ECMA-427 / purl-spec). */
#include <string.h>

#include "sbom_internal.h"
#include "tollgate/str.h"

/* Chocolatey's community repository, the default feed of `choco`. */
#define CHOCO_COMMUNITY_FEED "https://community.chocolatey.org/api/v2/"

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
	       c == '~' || c == ':';
}

static int add_pct(struct tg_buf *out, const char *s, size_t n,
		   struct tg_err *err)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)s[i];

		if (unreserved(c)) {
			rc = tg_buf_addc(out, (char)c, err);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			rc = tg_buf_add(out, e, 3, err);
		}
	}
	return rc;
}

/* purl-spec pypi: lowercase; runs of '-', '_' and '.' become one '-'. */
static int add_pypi_name(struct tg_buf *out, const char *name, struct tg_err *err)
{
	const char *p = name;
	int rc = 0;

	while (*p && !rc) {
		if (*p == '-' || *p == '_' || *p == '.') {
			while (*p == '-' || *p == '_' || *p == '.')
				p++;
			rc = tg_buf_addc(out, '-', err);
		} else {
			char c = tg_ascii_lower(*p++);
			rc = add_pct(out, &c, 1, err);
		}
	}
	return rc;
}

int tg_sbom_purl(enum tg_ecosystem eco, const char *name, const char *version,
		 const char *source, struct tg_buf *out, struct tg_err *err)
{
	const char *type = tg_ecosystem_purl_type(eco);
	int rc;

	if (!name || !*name)
		return tg_err_set(err, TG_EINVAL, "package without a name has no purl");
	if (!type)
		type = "generic";
	if ((rc = tg_buf_addf(out, err, "pkg:%s/", type)))
		return rc;
	if (eco == TG_ECO_PYPI) {
		rc = add_pypi_name(out, name, err);
	} else if (eco == TG_ECO_NPM && name[0] == '@' && strchr(name, '/')) {
		const char *slash = strchr(name, '/');

		rc = add_pct(out, name, (size_t)(slash - name), err);
		if (!rc)
			rc = tg_buf_addc(out, '/', err);
		if (!rc)
			rc = add_pct(out, slash + 1, strlen(slash + 1), err);
	} else {
		rc = add_pct(out, name, strlen(name), err);
	}
	if (!rc && version && *version) {
		rc = tg_buf_addc(out, '@', err);
		if (!rc)
			rc = add_pct(out, version, strlen(version), err);
	}
	if (!rc && eco == TG_ECO_CHOCOLATEY) {
		const char *feed = source && (tg_str_starts_with(source, "https://") ||
					      tg_str_starts_with(source, "http://"))
					   ? source : CHOCO_COMMUNITY_FEED;

		rc = tg_buf_adds(out, "?repository_url=", err);
		if (!rc)
			rc = add_pct(out, feed, strlen(feed), err);
	}
	return rc;
}

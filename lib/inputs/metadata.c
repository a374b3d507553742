/* Core metadata (METADATA, PKG-INFO): RFC 822 style headers up to the
 * first empty line, then the long description, which we ignore (it may be
 * in any encoding, so only the headers are checked for UTF-8). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/str.h"

#define MD_MAX_HEADERS 20000

struct md_fields {
	const char *name, *version, *license, *license_expr, *classifier_license;
	size_t name_n, version_n, license_n, license_expr_n, classifier_license_n;
	unsigned long name_line;
	bool license_multiline;
};

static const char *trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r'))
		(*n)--;
	return s;
}

/* Requires-Dist: "name[extra] (>=1) ; marker" -> name, unless the marker
 * makes it extra-only. */
static int add_requires(struct tg_package *p, const char *v, size_t n,
			struct tg_err *err)
{
	const char *semi = memchr(v, ';', n);
	size_t k = 0;
	char name[IN_MAX_NAME + 1];

	if (semi) {
		size_t mlen = n - (size_t)(semi - v);
		for (size_t i = 0; i + 5 <= mlen; i++)
			if (memcmp(semi + i, "extra", 5) == 0)
				return 0;
	}
	while (k < n && k < IN_MAX_NAME &&
	       ((v[k] >= 'a' && v[k] <= 'z') || (v[k] >= 'A' && v[k] <= 'Z') ||
		(v[k] >= '0' && v[k] <= '9') || v[k] == '.' || v[k] == '-' || v[k] == '_'))
		k++;
	if (k == 0)
		return 0;
	memcpy(name, v, k);
	name[k] = '\0';
	return tg_package_add_dep(p, name, err);
}

int tg_input_parse_metadata(const char *data, size_t len, const char *origin,
			    const char *location, struct tg_inventory *out,
			    struct tg_err *err)
{
	struct md_fields f = { 0 };
	bool last_was_license = false;
	size_t hdr_end = len, i, pos, skip = 0, n_headers = 0;
	unsigned long line = 1, bad_line, bad_col;
	struct tg_package *p;
	char *name = NULL, *version = NULL;
	int rc = 0;

	/* Headers end at the first empty line. */
	for (i = 0; i < len; i++) {
		if (data[i] == '\n' && (i + 1 == len || data[i + 1] == '\n' ||
					(data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n'))) {
			hdr_end = i + 1;
			break;
		}
	}
	rc = in_check_text(data, hdr_end, origin, &skip, err);
	if (rc)
		return rc;
	/* Pass 1: the fields we need (values point into data). */
	for (pos = skip; pos < hdr_end; line++) {
		const char *l = data + pos, *nl = memchr(l, '\n', hdr_end - pos);
		size_t ll = nl ? (size_t)(nl - l) : hdr_end - pos;
		const char *colon;

		pos += ll + (nl ? 1 : 0);
		if (ll > 0 && l[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			break;
		if (l[0] == ' ' || l[0] == '\t') {
			/* Continuations matter only to tell a licence text
			 * from a licence name. */
			if (last_was_license)
				f.license_multiline = true;
			continue;
		}
		last_was_license = false;
		if (++n_headers > MD_MAX_HEADERS)
			return tg_err_at(err, TG_ELIMIT, origin, line, 1,
					 "more than %d metadata headers", MD_MAX_HEADERS);
		colon = memchr(l, ':', ll);
		if (!colon || colon == l) {
			in_line_col(data, (size_t)(l - data), &bad_line, &bad_col);
			return tg_err_at(err, TG_EPARSE, origin, bad_line, bad_col,
					 "metadata line is not 'Field: value'");
		}
		{
			size_t kn = (size_t)(colon - l), vn = ll - kn - 1;
			const char *v = trim(colon + 1, &vn);

#define FIELD(str) (kn == sizeof(str) - 1 && tg_ascii_ncasecmp(l, str, kn) == 0)
			if (FIELD("Name") && !f.name) {
				f.name = v;
				f.name_n = vn;
				f.name_line = line;
			} else if (FIELD("Version") && !f.version) {
				f.version = v;
				f.version_n = vn;
			} else if (FIELD("License-Expression")) {
				f.license_expr = v;
				f.license_expr_n = vn;
			} else if (FIELD("License") && !f.license) {
				f.license = v;
				f.license_n = vn;
				last_was_license = true;
			} else if (FIELD("Classifier") && !f.classifier_license &&
				   vn > 11 && memcmp(v, "License :: ", 11) == 0) {
				const char *last = v;
				for (size_t j = 0; j + 4 <= vn; j++)
					if (memcmp(v + j, " :: ", 4) == 0)
						last = v + j + 4;
				f.classifier_license = last;
				f.classifier_license_n = vn - (size_t)(last - v);
			}
#undef FIELD
		}
	}
	if (!f.name || f.name_n == 0)
		return tg_err_at(err, TG_EINVAL, origin, 1, 1,
				 "metadata has no Name field");
	if (!f.version || f.version_n == 0)
		return tg_err_at(err, TG_EINVAL, origin, f.name_line, 1,
				 "metadata for '%.*s' has no Version field",
				 (int)(f.name_n > 100 ? 100 : f.name_n), f.name);
	name = tg_strndup(f.name, f.name_n);
	version = tg_strndup(f.version, f.version_n);
	if (!name || !version) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	p = in_add(out, TG_ECO_PYPI, name, version, origin, f.name_line, 0, err);
	if (!p) {
		rc = err->code;
		goto out;
	}
	if (location && (rc = in_set(&p->location, location, err)))
		goto out;
	/* A licence field holding a whole licence text is no help in a
	 * table: prefer the SPDX expression, then a one-line License, then
	 * the trove classifier. */
	if (f.license_expr && f.license_expr_n)
		rc = in_setn(&p->license, f.license_expr, f.license_expr_n, err);
	else if (f.license && f.license_n && f.license_n <= 100 &&
		 !(f.license_n == 7 && memcmp(f.license, "UNKNOWN", 7) == 0) &&
		 !f.license_multiline)
		rc = in_setn(&p->license, f.license, f.license_n, err);
	else if (f.classifier_license && f.classifier_license_n)
		rc = in_setn(&p->license, f.classifier_license, f.classifier_license_n, err);
	if (rc)
		goto out;
	/* Pass 2: dependencies. */
	for (pos = skip; pos < hdr_end;) {
		const char *l = data + pos, *nl = memchr(l, '\n', hdr_end - pos);
		size_t ll = nl ? (size_t)(nl - l) : hdr_end - pos;

		pos += ll + (nl ? 1 : 0);
		if (ll > 0 && l[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			break;
		if (ll > 14 && tg_ascii_ncasecmp(l, "Requires-Dist:", 14) == 0) {
			size_t vn = ll - 14;
			const char *v = trim(l + 14, &vn);
			/* p stays valid: nothing is added to out meanwhile. */
			if ((rc = add_requires(&out->pkgs[out->n_pkgs - 1], v, vn, err)))
				goto out;
		}
	}
out:
	free(name);
	free(version);
	return rc;
}

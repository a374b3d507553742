/* Python metadata checks: name and version agreement (wheel file name,
 * .dist-info directory, sdist directory and PKG-INFO), the WHEEL tags
 * that claim purity, the wheel's RECORD against its members, and the
 * repository URL against the name. */
#include "vet/content_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/pep503.h"
#include "tollgate/str.h"
#include "tollgate/verify_record.h"
#include "tollgate/vet_repo.h"

char *vet_meta_field(const char *text, size_t len, const char *key)
{
	const char *s = text, *end = text + len;
	size_t klen = strlen(key);

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (n == 0 || (n == 1 && s[0] == '\r'))
			break; /* headers end at the first blank line */
		if (n > klen && s[klen] == ':' && tg_ascii_ncasecmp(s, key, klen) == 0) {
			const char *v = s + klen + 1;
			const char *ve = s + n;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
				ve--;
			return tg_strndup(v, (size_t)(ve - v));
		}
		s = nl ? nl + 1 : end;
	}
	return NULL;
}

/* Lowercase, runs of - _ . become one '-': name and version spellings
 * that tools treat as the same compare equal. */
static void canon(const char *s, char *out, size_t outsz)
{
	size_t o = 0;
	bool sep = false;

	for (; *s && o + 2 < outsz; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			sep = true;
			continue;
		}
		if (sep && o)
			out[o++] = '-';
		sep = false;
		out[o++] = tg_ascii_lower(*s);
	}
	out[o] = '\0';
}

static int mismatch(struct tg_vet_result *res, const struct vet_member *m,
		    enum tg_vet_level level, const char *msg, struct tg_err *err)
{
	struct tg_vet_reason r = { .rule = "metadata-mismatch", .level = level,
				   .message = (char *)msg };

	if (m)
		r.path = m->path;
	return tg_vet_result_add(res, &r, err);
}

/* "name-version" (any spelling) against the metadata's name and version. */
static bool stem_matches(const char *stem, size_t stem_len, const char *name,
			 const char *version)
{
	char a[600], b[600], joined[600], tmp[600];

	if (stem_len >= sizeof(tmp))
		return false;
	memcpy(tmp, stem, stem_len);
	tmp[stem_len] = '\0';
	canon(tmp, a, sizeof(a));
	snprintf(joined, sizeof(joined), "%s-%s", name, version);
	canon(joined, b, sizeof(b));
	return strcmp(a, b) == 0;
}

static const char *const sdist_suffixes[] = { ".tar.gz", ".tar.bz2", ".tar.xz",
					      ".tgz", ".zip", ".tar", NULL };

static int check_urls(struct vet_pkg *p, const struct vet_member *m,
		      const char *name, struct tg_vet_result *res,
		      struct tg_err *err)
{
	const char *s = m->text, *end = m->text + m->text_len;
	unsigned long line = 1;

	/* Home-page and the Project-URL entries that name the source. */
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char val[512];
		const char *v = NULL;

		if (n == 0 || (n == 1 && s[0] == '\r'))
			break;
		if (n > 10 && tg_ascii_ncasecmp(s, "Home-page:", 10) == 0)
			v = s + 10;
		else if (n > 12 && tg_ascii_ncasecmp(s, "Project-URL:", 12) == 0) {
			const char *comma = memchr(s, ',', n);
			char label[64];
			size_t ln;
			const char *l = s + 12;
			while (*l == ' ')
				l++;
			ln = comma ? (size_t)(comma - l) : 0;
			if (comma && ln < sizeof(label)) {
				char c[64];
				memcpy(label, l, ln);
				label[ln] = '\0';
				canon(label, c, sizeof(c));
				if (strcmp(c, "source") == 0 || strcmp(c, "source-code") == 0 ||
				    strcmp(c, "repository") == 0 || strcmp(c, "code") == 0 ||
				    strcmp(c, "homepage") == 0 || strcmp(c, "github") == 0 ||
				    strcmp(c, "home") == 0)
					v = comma + 1;
			}
		}
		if (v) {
			size_t vn = (size_t)(s + n - v);
			while (vn && (*v == ' ')) {
				v++;
				vn--;
			}
			while (vn && (v[vn - 1] == '\r' || v[vn - 1] == ' '))
				vn--;
			if (vn < sizeof(val)) {
				struct tg_vet_repo r;
				memcpy(val, v, vn);
				val[vn] = '\0';
				if (tg_vet_repo_parse(val, &r))
					return vet_check_repo_url(p, name, val, false, m, line, res,
								  err);
			}
		}
		s = nl ? nl + 1 : end;
		line++;
	}
	return 0;
}

int vet_check_repo_url(struct vet_pkg *p, const char *name, const char *url,
		       bool monorepo, const struct vet_member *where,
		       unsigned long line, struct tg_vet_result *res,
		       struct tg_err *err)
{
	struct tg_vet_repo r;
	char msg[600];
	int rc;

	(void)p;
	if (!tg_vet_repo_parse(url, &r))
		return 0;
	if (!res->repository && (rc = tg_vet_result_set(&res->repository, url, err)))
		return rc;
	if (tg_vet_repo_resembles(name, &r))
		return 0;
	{
		/* A package built from a sub-directory of a larger repository
		 * (npm's repository.directory) is expected to differ. */
		struct tg_vet_reason x = { .rule = "homepage-mismatch",
					   .level = monorepo ? TG_VET_INFO : TG_VET_WARN,
					   .path = where ? where->path : NULL,
					   .line = line, .excerpt = (char *)url };
		snprintf(msg, sizeof(msg), "the package is named %s but its metadata "
			 "points at %s/%s/%s, which does not look related "
			 "(a squat often borrows a famous project's page)%s",
			 name, r.host, r.owner, r.name,
			 monorepo ? "; it names a sub-directory, as monorepo packages do" : "");
		x.message = msg;
		return tg_vet_result_add(res, &x, err);
	}
}

/* The one X.dist-info directory at the top of a wheel. */
static const struct vet_member *find_dist_file(const struct vet_pkg *p,
					       const char *file, size_t *count)
{
	const struct vet_member *found = NULL;
	size_t i, flen = strlen(file);

	*count = 0;
	for (i = 0; i < p->n; i++) {
		const char *rel = p->m[i].rel, *slash = strchr(rel, '/');

		if (p->m[i].type != VM_FILE || !slash || strchr(slash + 1, '/'))
			continue;
		if ((size_t)(slash - rel) > 10 && strncmp(slash - 10, ".dist-info", 10) == 0 &&
		    strlen(slash + 1) == flen && strcmp(slash + 1, file) == 0) {
			(*count)++;
			if (!found)
				found = &p->m[i];
		}
	}
	return found;
}

static int wheel_purity(struct vet_pkg *p, const struct vet_member *wheel)
{
	const char *s = wheel->text, *end = wheel->text + wheel->text_len;
	bool purelib = false, all_any = true, any_tag = false;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		if (n > 16 && tg_ascii_ncasecmp(s, "Root-Is-Purelib:", 16) == 0) {
			const char *v = s + 16;
			while (*v == ' ')
				v++;
			purelib = tg_ascii_ncasecmp(v, "true", 4) == 0;
		} else if (n > 4 && tg_ascii_ncasecmp(s, "Tag:", 4) == 0) {
			any_tag = true;
			if (n < 9 || strncmp(s + n - 9, "-none-any", 9) != 0)
				all_any = false;
		}
		s = nl ? nl + 1 : end;
	}
	if (purelib && any_tag && all_any) {
		p->purity = VET_PURITY_PURE;
		p->purity_why = "the wheel is tagged *-none-any with Root-Is-Purelib";
	} else {
		p->purity = VET_PURITY_NATIVE;
	}
	return 0;
}

static int check_wheel_meta(struct vet_pkg *p, struct tg_vet_result *res,
			    struct tg_err *err)
{
	const struct vet_member *meta, *wheel;
	size_t count = 0, wcount = 0;
	char *name = NULL, *version = NULL, msg[800];
	int rc = 0;

	meta = find_dist_file(p, "METADATA", &count);
	wheel = find_dist_file(p, "WHEEL", &wcount);
	if (wheel && wheel->text)
		wheel_purity(p, wheel);
	if (count > 1 || wcount > 1)
		if ((rc = mismatch(res, NULL, TG_VET_BLOCK, "more than one .dist-info "
				   "directory: installers may pick a different one "
				   "than this check", err)))
			return rc;
	if (!meta || !meta->text)
		return p->kind == TG_VET_ART_WHEEL ?
			mismatch(res, NULL, TG_VET_BLOCK, "no .dist-info/METADATA: "
				 "not a valid wheel", err) : 0;
	name = vet_meta_field(meta->text, meta->text_len, "Name");
	version = vet_meta_field(meta->text, meta->text_len, "Version");
	if (!name || !version) {
		rc = mismatch(res, meta, TG_VET_BLOCK, "METADATA lacks Name or "
			      "Version", err);
		goto out;
	}
	if ((rc = tg_vet_result_set(&res->name, name, err)) ||
	    (rc = tg_vet_result_set(&res->version, version, err)))
		goto out;
	{
		const char *slash = strchr(meta->rel, '/');
		size_t stem = (size_t)(slash - meta->rel) - 10;
		if (!stem_matches(meta->rel, stem, name, version)) {
			snprintf(msg, sizeof(msg), "directory %.*s.dist-info does not "
				 "match METADATA %s %s", (int)stem, meta->rel, name,
				 version);
			if ((rc = mismatch(res, meta, TG_VET_BLOCK, msg, err)))
				goto out;
		}
	}
	if (p->kind == TG_VET_ART_WHEEL && p->filename &&
	    tg_str_ends_with(p->filename, ".whl")) {
		/* {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl */
		const char *base = vet_path_base(p->filename);
		const char *d1 = strchr(base, '-');
		const char *d2 = d1 ? strchr(d1 + 1, '-') : NULL;
		if (d2 && !stem_matches(base, (size_t)(d2 - base), name, version)) {
			snprintf(msg, sizeof(msg), "file name %s does not match "
				 "METADATA %s %s: pip resolves by the file name and "
				 "installs what the metadata says", base, name, version);
			if ((rc = mismatch(res, meta, TG_VET_BLOCK, msg, err)))
				goto out;
		}
	}
	rc = check_urls(p, meta, name, res, err);
out:
	free(name);
	free(version);
	return rc;
}

static int check_sdist_meta(struct vet_pkg *p, struct tg_vet_result *res,
			    struct tg_err *err)
{
	const struct vet_member *pkg = vet_pkg_find(p, "PKG-INFO");
	char *name = NULL, *version = NULL, msg[800];
	int rc = 0;
	size_t i;

	if (!pkg || !pkg->text)
		return 0;
	name = vet_meta_field(pkg->text, pkg->text_len, "Name");
	version = vet_meta_field(pkg->text, pkg->text_len, "Version");
	if (!name || !version) {
		rc = mismatch(res, pkg, TG_VET_WARN, "PKG-INFO lacks Name or Version", err);
		goto out;
	}
	if ((rc = tg_vet_result_set(&res->name, name, err)) ||
	    (rc = tg_vet_result_set(&res->version, version, err)))
		goto out;
	if (p->kind == TG_VET_ART_SDIST && p->root_prefix && *p->root_prefix &&
	    !stem_matches(p->root_prefix, strlen(p->root_prefix) - 1, name, version)) {
		snprintf(msg, sizeof(msg), "top directory %s does not match PKG-INFO "
			 "%s %s", p->root_prefix, name, version);
		if ((rc = mismatch(res, pkg, TG_VET_BLOCK, msg, err)))
			goto out;
	}
	if (p->kind == TG_VET_ART_SDIST && p->filename) {
		const char *base = vet_path_base(p->filename);
		for (i = 0; sdist_suffixes[i]; i++) {
			if (tg_str_ends_with(base, sdist_suffixes[i])) {
				size_t stem = strlen(base) - strlen(sdist_suffixes[i]);
				if (!stem_matches(base, stem, name, version)) {
					snprintf(msg, sizeof(msg), "file name %s does not match "
						 "PKG-INFO %s %s: an index serves it under one "
						 "name, pip installs another", base, name, version);
					rc = mismatch(res, pkg, TG_VET_BLOCK, msg, err);
				}
				break;
			}
		}
		if (rc)
			goto out;
	}
	rc = check_urls(p, pkg, name, res, err);
out:
	free(name);
	free(version);
	return rc;
}

int vet_check_python_meta(struct vet_pkg *p, struct tg_vet_result *res,
			  struct tg_err *err)
{
	/* After a cap stopped the walk, absent files prove nothing. */
	if (p->eco != TG_ECO_PYPI || p->stopped)
		return 0;
	switch (p->kind) {
	case TG_VET_ART_WHEEL:
	case TG_VET_ART_INSTALLED:
		return check_wheel_meta(p, res, err);
	case TG_VET_ART_SDIST:
		return check_sdist_meta(p, res, err);
	case TG_VET_ART_DIR:
		if (vet_pkg_find(p, "PKG-INFO"))
			return check_sdist_meta(p, res, err);
		return check_wheel_meta(p, res, err);
	default:
		return 0;
	}
}

/* ---- wheel RECORD ----------------------------------------------------- */

static int record_reason(struct tg_vet_result *res, const char *path,
			 unsigned long line, const char *msg, struct tg_err *err)
{
	struct tg_vet_reason r = { .rule = "record-mismatch", .level = TG_VET_BLOCK,
				   .message = (char *)msg, .line = line };
	char shown[TG_VET_EXCERPT_MAX + 1];

	if (path) {
		tg_vet_sanitize(path, strlen(path), shown, sizeof(shown));
		r.path = shown;
	}
	return tg_vet_result_add(res, &r, err);
}

static bool is_signature_file(const char *rel)
{
	const char *base = vet_path_base(rel);

	return strcmp(base, "RECORD.jws") == 0 || strcmp(base, "RECORD.p7s") == 0;
}

int vet_check_record(struct vet_pkg *p, struct tg_vet_result *res,
		     struct tg_err *err)
{
	const struct vet_member *rec_m;
	struct tg_record rec;
	struct tg_err perr;
	bool *listed = NULL;
	size_t count, i;
	char msg[600];
	int rc = 0;

	if (p->kind != TG_VET_ART_WHEEL || p->stopped)
		return 0;
	rec_m = find_dist_file(p, "RECORD", &count);
	if (!rec_m || !rec_m->text)
		return record_reason(res, NULL, 0, "the wheel has no .dist-info/RECORD: "
				     "its files cannot be checked against it", err);
	tg_record_init(&rec);
	tg_err_clear(&perr);
	if (tg_record_parse(rec_m->text, rec_m->text_len, rec_m->path, &rec, &perr)) {
		snprintf(msg, sizeof(msg), "RECORD cannot be read exactly: %s", perr.msg);
		rc = record_reason(res, rec_m->path, perr.line, msg, err);
		goto out;
	}
	listed = calloc(p->n ? p->n : 1, sizeof(*listed));
	if (!listed) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < rec.n_rows && rc == 0; i++) {
		const struct tg_record_row *row = &rec.rows[i];
		struct vet_member *m = vet_pkg_find_path(p, row->path);

		if (!m || m->type != VM_FILE) {
			snprintf(msg, sizeof(msg), "RECORD lists a file the wheel does "
				 "not contain");
			rc = record_reason(res, row->path, row->line, msg, err);
			continue;
		}
		listed[m - p->m] = true;
		if (m == rec_m || is_signature_file(m->rel))
			continue;
		if (row->size >= 0 && (unsigned long long)row->size != m->size) {
			snprintf(msg, sizeof(msg), "size is %llu bytes, RECORD line %lu "
				 "says %lld", m->size, row->line, row->size);
			rc = record_reason(res, m->path, 0, msg, err);
			continue;
		}
		if (!row->alg[0]) {
			snprintf(msg, sizeof(msg), "RECORD line %lu gives no hash for "
				 "this file", row->line);
			rc = record_reason(res, m->path, 0, msg, err);
			continue;
		}
		if (strcmp(row->alg, "sha256") == 0 && m->hashed &&
		    (row->digest_len != TG_SHA256_LEN ||
		     memcmp(row->digest, m->sha256, TG_SHA256_LEN) != 0)) {
			snprintf(msg, sizeof(msg), "content does not match the sha256 "
				 "on RECORD line %lu: the file was changed after the "
				 "wheel was built", row->line);
			rc = record_reason(res, m->path, 0, msg, err);
		}
	}
	for (i = 0; i < p->n && rc == 0; i++) {
		if (p->m[i].type != VM_FILE || listed[i] || is_signature_file(p->m[i].rel))
			continue;
		rc = record_reason(res, p->m[i].path, 0, "file is in the wheel but not "
				   "in RECORD: it would be installed unchecked", err);
	}
out:
	free(listed);
	tg_record_release(&rec);
	return rc;
}

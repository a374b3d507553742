/* Hash pinning of lockfiles, and downloaded artifacts checked against it. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tollgate/finding.h"
#include "tollgate/fs.h"
#include "tollgate/hash.h"
#include "tollgate/pep503.h"
#include "tollgate/size.h"
#include "tollgate/pep440.h"
#include "tollgate/str.h"
#include "tollgate/verify_hashes.h"

#define MAX_ARTIFACTS 100000

const char *tg_pin_kind_name(enum tg_pin_kind k)
{
	switch (k) {
	case TG_PIN_NO_HASH: return "no-hash";
	case TG_PIN_WEAK_ONLY: return "weak-hash-only";
	case TG_PIN_UNPINNED: return "unpinned";
	case TG_PIN_MISMATCH: return "hash-mismatch";
	case TG_PIN_MISSING_FILE: return "missing-file";
	case TG_PIN_UNLISTED_FILE: return "unlisted-file";
	}
	return "unknown";
}

void tg_pin_report_init(struct tg_pin_report *r)
{
	memset(r, 0, sizeof(*r));
}

void tg_pin_report_release(struct tg_pin_report *r)
{
	size_t i;

	for (i = 0; i < r->n_issues; i++) {
		free(r->issues[i].package);
		free(r->issues[i].version);
		free(r->issues[i].origin_path);
		free(r->issues[i].file);
		free(r->issues[i].detail);
	}
	free(r->issues);
	memset(r, 0, sizeof(*r));
}

static char *dup_opt(const char *s)
{
	return s ? tg_strdup(s) : NULL;
}

static int add_issue(struct tg_pin_report *r, enum tg_pin_kind kind,
		     const struct tg_package *p, const char *pkg_name, const char *file,
		     const char *detail, struct tg_err *err)
{
	struct tg_pin_issue *is;

	if (r->n_issues == r->cap_issues) {
		size_t ncap = r->cap_issues ? r->cap_issues * 2 : 16, bytes;

		if (!tg_size_mul(ncap, sizeof(*is), &bytes) || !(is = realloc(r->issues, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		r->issues = is;
		r->cap_issues = ncap;
	}
	is = &r->issues[r->n_issues];
	memset(is, 0, sizeof(*is));
	is->kind = kind;
	is->package = dup_opt(p ? p->name : pkg_name);
	is->version = p ? dup_opt(p->version) : NULL;
	is->origin_path = p ? dup_opt(p->origin_path) : NULL;
	is->origin_line = p ? p->origin_line : 0;
	is->file = dup_opt(file);
	is->detail = dup_opt(detail);
	r->n_issues++;
	return 0;
}

static bool strong_alg(const char *alg)
{
	return strcmp(alg, "sha256") == 0 || strcmp(alg, "sha384") == 0 ||
	       strcmp(alg, "sha512") == 0;
}

bool tg_dist_filename_split(const char *fn, char *name, size_t name_sz, char *version,
			    size_t version_sz)
{
	const char *end, *dash, *vend;
	size_t nlen, vlen, i;

	if (tg_str_ends_with(fn, ".whl")) {
		dash = strchr(fn, '-');
		if (!dash)
			return false;
		vend = strchr(dash + 1, '-');
		if (!vend)
			return false;
	} else {
		if (tg_str_ends_with(fn, ".tar.gz"))
			end = fn + strlen(fn) - 7;
		else if (tg_str_ends_with(fn, ".zip"))
			end = fn + strlen(fn) - 4;
		else
			return false;
		dash = NULL;
		for (i = 0; fn + i < end; i++)
			if (fn[i] == '-')
				dash = fn + i;
		if (!dash)
			return false;
		vend = end;
	}
	nlen = (size_t)(dash - fn);
	vlen = (size_t)(vend - dash - 1);
	if (!nlen || !vlen || nlen >= name_sz || vlen >= version_sz)
		return false;
	tg_pep503_normalize(fn, nlen, name);
	for (i = 0; i < vlen; i++)
		version[i] = tg_ascii_lower(dash[1 + i]);
	version[vlen] = '\0';
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The pin and a file name's version are the same release when PEP 440
 * says so (a file names "4.2rc1" for a pin on "4.2.0-rc1"); text that
 * is not a PEP 440 version is compared as written, case aside. */
static bool version_eq(const char *a, const char *b)
{
	struct tg_err e;
	int c;

	if (!a || !b)
		return false;
	if (tg_pep440_cmp_str(a, b, &c, &e) == 0)
		return c == 0;
	return tg_ascii_casecmp(a, b) == 0;
}

int tg_verify_hashes(const struct tg_inventory *inv, const char *artifacts_dir,
		     struct tg_pin_report *out, struct tg_err *err)
{
	size_t i, j;
	bool *has_file = NULL;
	char **files = NULL;
	size_t n_files = 0, cap_files = 0;
	DIR *dh = NULL;
	int rc = 0;

	for (i = 0; i < inv->n_pkgs; i++) {
		const struct tg_package *p = &inv->pkgs[i];
		bool strong = false, weak = false;

		if (p->flags & TG_PKG_SKIPPED_MARKER)
			continue;
		out->n_packages++;
		for (j = 0; j < p->n_hashes; j++) {
			if (strong_alg(p->hashes[j].alg))
				strong = true;
			else
				weak = true;
		}
		if (strong)
			out->n_strong++;
		if (!p->version || (p->flags & TG_PKG_UNPINNED)) {
			char msg[300];

			snprintf(msg, sizeof(msg), "no exact version%s%s",
				 p->specifier ? ": " : "", p->specifier ? p->specifier : "");
			if ((rc = add_issue(out, TG_PIN_UNPINNED, p, NULL, NULL, msg, err)))
				goto out;
		}
		if (!strong && weak)
			rc = add_issue(out, TG_PIN_WEAK_ONLY, p, NULL, NULL,
				       "only md5/sha1 hashes: collisions can be made", err);
		else if (!strong && !(p->flags & (TG_PKG_EDITABLE)))
			rc = add_issue(out, TG_PIN_NO_HASH, p, NULL, NULL,
				       "no hash: any file with this name would be accepted", err);
		if (rc)
			goto out;
	}
	if (!artifacts_dir)
		goto out;

	dh = opendir(artifacts_dir);
	if (!dh) {
		rc = tg_err_at(err, TG_EIO, artifacts_dir, 0, 0, "cannot list artifacts directory");
		goto out;
	}
	{
		struct dirent *de;

		while ((de = readdir(dh))) {
			char nm[256], ver[128];

			if (de->d_name[0] == '.' ||
			    !tg_dist_filename_split(de->d_name, nm, sizeof(nm), ver, sizeof(ver)))
				continue;
			if (n_files >= MAX_ARTIFACTS) {
				rc = tg_err_at(err, TG_ELIMIT, artifacts_dir, 0, 0,
					       "more than %d artifacts", MAX_ARTIFACTS);
				goto out;
			}
			if (n_files == cap_files) {
				size_t ncap = cap_files ? cap_files * 2 : 64;
				char **nf = realloc(files, ncap * sizeof(*nf));

				if (!nf) {
					rc = tg_err_set(err, TG_ENOMEM, "out of memory");
					goto out;
				}
				files = nf;
				cap_files = ncap;
			}
			if (!(files[n_files] = tg_strdup(de->d_name))) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			n_files++;
		}
	}
	if (n_files)
		qsort(files, n_files, sizeof(*files), cmp_str);
	has_file = calloc(inv->n_pkgs ? inv->n_pkgs : 1, sizeof(bool));
	if (!has_file) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n_files; i++) {
		char nm[256], ver[128], hex[65], *path;
		unsigned char dig[32];
		unsigned long long size;
		const struct tg_package *match = NULL;
		bool any_strong = false, ok = false;
		struct stat st;

		tg_dist_filename_split(files[i], nm, sizeof(nm), ver, sizeof(ver));
		path = tg_path_join(artifacts_dir, files[i]);
		if (!path) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		rc = tg_hash_file(path, TG_HASH_SHA256, dig, sizeof(dig), &size, err);
		free(path);
		if (rc)
			goto out;
		out->n_files++;
		tg_hex_encode(dig, 32, hex);
		for (j = 0; j < inv->n_pkgs; j++) {
			const struct tg_package *p = &inv->pkgs[j];
			size_t k;

			if (!p->norm_name || strcmp(p->norm_name, nm) != 0)
				continue;
			if (p->version && !version_eq(p->version, ver))
				continue;
			match = p;
			has_file[j] = true;
			for (k = 0; k < p->n_hashes; k++) {
				if (!strong_alg(p->hashes[k].alg))
					continue;
				any_strong = true;
				if (strcmp(p->hashes[k].alg, "sha256") == 0 &&
				    tg_ascii_casecmp(p->hashes[k].hex, hex) == 0)
					ok = true;
			}
		}
		if (!match) {
			rc = add_issue(out, TG_PIN_UNLISTED_FILE, NULL, nm, files[i],
				       "the lockfile lists no such package and version", err);
		} else if (ok) {
			out->n_files_ok++;
		} else if (any_strong) {
			char msg[200];

			snprintf(msg, sizeof(msg), "sha256 %s is not among the pinned hashes", hex);
			rc = add_issue(out, TG_PIN_MISMATCH, match, NULL, files[i], msg, err);
		}
		if (rc)
			goto out;
	}
	for (j = 0; j < inv->n_pkgs; j++) {
		const struct tg_package *p = &inv->pkgs[j];

		if (has_file[j] || (p->flags & TG_PKG_SKIPPED_MARKER) || !p->n_hashes)
			continue;
		if ((rc = add_issue(out, TG_PIN_MISSING_FILE, p, NULL, NULL,
				    "pinned, but no artifact of this version is in the directory",
				    err)))
			goto out;
	}
out:
	if (dh)
		closedir(dh);
	for (i = 0; i < n_files; i++)
		free(files[i]);
	free(files);
	free(has_file);
	return rc;
}

int tg_pin_report_to_findings(const struct tg_pin_report *r, struct tg_report *rep,
			      struct tg_err *err)
{
	size_t i;

	for (i = 0; i < r->n_issues; i++) {
		const struct tg_pin_issue *is = &r->issues[i];
		struct tg_finding f;
		char id[64], summary[256];

		memset(&f, 0, sizeof(f));
		f.kind = TG_FIND_INTEGRITY;
		f.eco = TG_ECO_PYPI;
		f.package = is->package ? is->package : (char *)"";
		f.version = is->version;
		f.origin_path = is->origin_path;
		f.origin_line = is->origin_line;
		snprintf(id, sizeof(id), "TG-PIN-%s", tg_pin_kind_name(is->kind));
		f.id = id;
		snprintf(summary, sizeof(summary), "%s%s%s", tg_pin_kind_name(is->kind),
			 is->file ? ": " : "", is->file ? is->file : "");
		f.summary = summary;
		f.details = is->detail;
		f.evidence_file = is->file;
		f.cvss = -1;
		f.epss = -1;
		f.epss_percentile = -1;
		f.severity = is->kind == TG_PIN_MISMATCH || is->kind == TG_PIN_UNLISTED_FILE
				     ? TG_SEV_HIGH
			     : is->kind == TG_PIN_NO_HASH || is->kind == TG_PIN_WEAK_ONLY
				     ? TG_SEV_MEDIUM
				     : TG_SEV_LOW;
		if (!tg_report_add_finding(rep, &f, err))
			return err ? (int)err->code : TG_ENOMEM;
	}
	return 0;
}

/* Content analysis: what kind of package this is, which members run at
 * install time, then every check over the member list. Also the public
 * scan entry points. */
#define _POSIX_C_SOURCE 200809L
#include "vet/content_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/fs.h"
#include "tollgate/str.h"

static const char *first_component_end(const char *path)
{
	return strchr(path, '/');
}

/* The single top-level directory every member lives in ("package/",
 * "name-1.0/"), or NULL when members sit at the top or differ. */
static char *common_prefix(const struct vet_pkg *p)
{
	const char *first = NULL;
	size_t flen = 0, i;

	for (i = 0; i < p->n; i++) {
		const char *slash = first_component_end(p->m[i].path);

		if (!slash)
			return NULL;
		if (!first) {
			first = p->m[i].path;
			flen = (size_t)(slash - first);
		} else if ((size_t)(slash - p->m[i].path) != flen ||
			   strncmp(p->m[i].path, first, flen) != 0) {
			return NULL;
		}
	}
	return first ? tg_strndup(first, flen + 1) : NULL;
}

static bool has_top_suffix(const struct vet_pkg *p, const char *suffix,
			   unsigned depth)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const char *rel = p->m[i].rel, *s;
		unsigned d = 0;

		for (s = rel; *s; s++)
			if (*s == '/')
				d++;
		if (d == depth && tg_str_ends_with(rel, suffix))
			return true;
	}
	return false;
}

static bool is_wheel_like(const struct vet_pkg *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const char *rel = p->m[i].rel;
		const char *slash = strchr(rel, '/');

		if (slash && strcmp(slash, "/WHEEL") == 0 &&
		    (size_t)(slash - rel) > 10 &&
		    strncmp(slash - 10, ".dist-info", 10) == 0)
			return true;
	}
	return false;
}

static int detect_layout(struct vet_pkg *p, struct tg_err *err)
{
	char *prefix = NULL;
	int rc = 0;

	if (p->kind == TG_VET_ART_WHEEL || p->kind == TG_VET_ART_NUPKG ||
	    p->kind == TG_VET_ART_DIR || p->kind == TG_VET_ART_INSTALLED)
		return vet_pkg_set_root(p, "", err);
	if (p->kind == TG_VET_ART_AUTO && is_wheel_like(p)) {
		p->kind = TG_VET_ART_WHEEL;
		return vet_pkg_set_root(p, "", err);
	}
	if (p->kind == TG_VET_ART_AUTO && has_top_suffix(p, ".nuspec", 0)) {
		p->kind = TG_VET_ART_NUPKG;
		return vet_pkg_set_root(p, "", err);
	}
	prefix = common_prefix(p);
	rc = vet_pkg_set_root(p, prefix ? prefix : "", err);
	free(prefix);
	if (rc)
		return rc;
	if (p->kind == TG_VET_ART_AUTO) {
		if (vet_pkg_find(p, "package.json"))
			p->kind = TG_VET_ART_NPM;
		else
			p->kind = TG_VET_ART_SDIST;
	}
	return 0;
}

static void detect_ecosystem(struct vet_pkg *p)
{
	switch (p->kind) {
	case TG_VET_ART_NPM:
		p->eco = TG_ECO_NPM;
		break;
	case TG_VET_ART_NUPKG:
		p->eco = TG_ECO_CHOCOLATEY;
		break;
	case TG_VET_ART_DIR:
		if (vet_pkg_find(p, "package.json"))
			p->eco = TG_ECO_NPM;
		else if (has_top_suffix(p, ".nuspec", 0) ||
			 vet_pkg_find(p, "tools/chocolateyInstall.ps1") ||
			 vet_pkg_find(p, "tools/chocolateyinstall.ps1"))
			p->eco = TG_ECO_CHOCOLATEY;
		else
			p->eco = TG_ECO_PYPI;
		break;
	default:
		p->eco = TG_ECO_PYPI;
		break;
	}
}

static const char *eco_word(enum tg_ecosystem eco)
{
	switch (eco) {
	case TG_ECO_PYPI: return "pypi";
	case TG_ECO_NPM: return "npm";
	case TG_ECO_CHOCOLATEY: return "chocolatey";
	default: return "";
	}
}

/* setup.py and setup.cfg run (or configure what runs) when pip builds an
 * sdist; an unpacked directory is installed the same way. */
static void mark_python_install_time(struct vet_pkg *p)
{
	size_t i;

	if (p->eco != TG_ECO_PYPI)
		return;
	for (i = 0; i < p->n; i++) {
		struct vet_member *m = &p->m[i];

		if (m->type != VM_FILE)
			continue;
		if ((p->kind == TG_VET_ART_SDIST || p->kind == TG_VET_ART_DIR) &&
		    (strcmp(m->rel, "setup.py") == 0 || strcmp(m->rel, "setup.cfg") == 0)) {
			m->install_time = true;
			m->install_why = "runs when pip builds or installs the package";
		}
	}
}

static const char *const code_exts[] = {
	"py", "pyw", "pth", "pyx", "js", "cjs", "mjs", "jsx", "ts", "cts", "mts",
	"tsx", "sh", "bash", "zsh", "ps1", "psm1", "psd1", "bat", "cmd", "vbs",
	"rb", "pl", "php", "coffee", "lua", "gyp", "gypi", NULL
};

static bool member_is_code(const struct vet_member *m)
{
	char ext[16];
	size_t i;

	vet_path_ext(m->rel, ext, sizeof(ext));
	for (i = 0; code_exts[i]; i++)
		if (strcmp(ext, code_exts[i]) == 0)
			return true;
	/* Extension-less scripts (npm bin files, shell installers). */
	return m->text_len >= 2 && m->text[0] == '#' && m->text[1] == '!';
}

static int scan_members(struct vet_pkg *p, const struct tg_vet_rules *rules,
			struct tg_vet_result *res, struct tg_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < p->n; i++) {
		struct vet_member *m = &p->m[i];
		struct vet_scan_ctx ctx;

		if (m->type != VM_FILE || !m->text)
			continue;
		memset(&ctx, 0, sizeof(ctx));
		ctx.show_path = m->path;
		ctx.rel = m->rel;
		ctx.text = m->text;
		ctx.len = m->text_len;
		ctx.install_time = m->install_time;
		ctx.code = member_is_code(m);
		ctx.ecosystem = eco_word(p->eco);
		ctx.why = m->install_time ? m->install_why : NULL;
		if ((rc = vet_yara_scan(rules, &ctx, res, err)))
			return rc;
		if (m->text_truncated) {
			struct tg_vet_reason r = { .rule = "scan-incomplete",
						   .level = TG_VET_INFO,
						   .path = m->path };
			char msg[160];
			snprintf(msg, sizeof(msg), "only the first %zu bytes of this "
				 "member were matched against the rules",
				 p->lim->max_scan);
			r.message = msg;
			if ((rc = tg_vet_result_add(res, &r, err)))
				return rc;
		}
	}
	return 0;
}

int vet_analyze(struct vet_pkg *p, const struct tg_vet_rules *rules,
		struct tg_vet_result *res, struct tg_err *err)
{
	int rc;

	if ((rc = detect_layout(p, err)))
		return rc;
	detect_ecosystem(p);
	res->kind = TG_VET_SUBJECT_ARTIFACT;
	res->eco = p->eco;
	if ((rc = tg_vet_result_set(&res->artifact, tg_vet_artifact_name(p->kind), err)))
		return rc;
	mark_python_install_time(p);
	if ((rc = vet_check_pth(p, res, err)) ||
	    (rc = vet_check_npm(p, rules, res, err)) ||
	    (rc = vet_check_choco(p, res, err)) ||
	    (rc = vet_check_python_meta(p, res, err)) ||
	    (rc = vet_check_record(p, res, err)) ||
	    (rc = vet_check_native(p, res, err)))
		return rc;
	return scan_members(p, rules, res, err);
}

/* ---- entry points ----------------------------------------------------- */

int tg_vet_scan_memory(const struct tg_vet_rules *rules,
		       const struct tg_vet_limits *lim, enum tg_vet_artifact kind,
		       const void *data, size_t len, const char *filename,
		       struct tg_vet_result *out, struct tg_err *err)
{
	struct tg_vet_limits defaults;
	struct vet_pkg p;
	int rc;

	if (!lim) {
		tg_vet_limits_init(&defaults);
		lim = &defaults;
	}
	if (!filename)
		filename = "artifact";
	if (kind == TG_VET_ART_AUTO)
		kind = tg_vet_artifact_guess(filename);
	if (kind == TG_VET_ART_DIR || kind == TG_VET_ART_INSTALLED)
		return tg_err_set(err, TG_EUSAGE, "%s: a %s scan needs a directory",
				  filename, tg_vet_artifact_name(kind));
	if ((rc = tg_vet_result_set(&out->subject, filename, err)))
		return rc;
	if (len > lim->max_archive_bytes)
		return tg_vet_result_addf(out, "archive-limit", TG_VET_BLOCK, err,
					  "the archive is %zu bytes, over the cap of %zu",
					  len, lim->max_archive_bytes);
	vet_pkg_init(&p, lim);
	p.kind = kind;
	p.filename = filename;
	rc = vet_walk_archive(&p, data, len, out, err);
	if (rc == 0)
		rc = vet_analyze(&p, rules, out, err);
	vet_pkg_release(&p);
	return rc;
}

int tg_vet_scan_path(const struct tg_vet_rules *rules,
		     const struct tg_vet_limits *lim, enum tg_vet_artifact kind,
		     const char *path, struct tg_vet_result *out,
		     struct tg_err *err)
{
	struct tg_vet_limits defaults;
	struct stat st;
	struct tg_buf b;
	int rc;

	if (!lim) {
		tg_vet_limits_init(&defaults);
		lim = &defaults;
	}
	if (stat(path, &st) < 0)
		return tg_err_at(err, TG_EIO, path, 0, 0, "cannot read: %s",
				 strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		struct vet_pkg p;

		if ((rc = tg_vet_result_set(&out->subject, path, err)))
			return rc;
		vet_pkg_init(&p, lim);
		p.kind = TG_VET_ART_DIR;
		p.filename = path;
		rc = vet_walk_dir(&p, path, out, err);
		if (rc == 0)
			rc = vet_analyze(&p, rules, out, err);
		vet_pkg_release(&p);
		return rc;
	}
	if ((unsigned long long)st.st_size > lim->max_archive_bytes) {
		if ((rc = tg_vet_result_set(&out->subject, path, err)))
			return rc;
		return tg_vet_result_addf(out, "archive-limit", TG_VET_BLOCK, err,
					  "the archive is %lld bytes, over the cap of %zu",
					  (long long)st.st_size, lim->max_archive_bytes);
	}
	tg_buf_init(&b, lim->max_archive_bytes);
	rc = tg_read_file(path, lim->max_archive_bytes, &b, err);
	if (rc == 0) {
		rc = tg_vet_scan_memory(rules, lim, kind, b.data, b.len, path, out, err);
		if (rc && !err->file[0])
			tg_err_locate(err, path, 0, 0);
	}
	tg_buf_release(&b);
	return rc;
}

/* ---- site-packages ---------------------------------------------------- */

static int is_dist_info(const struct dirent *de)
{
	return de->d_name[0] != '.' && tg_str_ends_with(de->d_name, ".dist-info");
}

static bool has_record(const char *site, const char *dist_info)
{
	char *p = tg_asprintf("%s/%s/RECORD", site, dist_info);
	struct stat st;
	bool ok = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return ok;
}

bool tg_vet_is_site_dir(const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, is_dist_info, alphasort), i;
	bool found = false;

	for (i = 0; i < n; i++) {
		if (!found && has_record(dir, names[i]->d_name))
			found = true;
		free(names[i]);
	}
	free(names);
	return found;
}

int tg_vet_scan_site(const struct tg_vet_rules *rules,
		     const struct tg_vet_limits *lim, const char *site_dir,
		     struct tg_vet_result **out, size_t *n_out, struct tg_err *err)
{
	struct tg_vet_limits defaults;
	struct dirent **names = NULL;
	struct tg_vet_result *res = NULL;
	size_t n_res = 0;
	int n, i, rc = 0;

	*out = NULL;
	*n_out = 0;
	if (!lim) {
		tg_vet_limits_init(&defaults);
		lim = &defaults;
	}
	n = scandir(site_dir, &names, is_dist_info, alphasort);
	if (n < 0)
		return tg_err_at(err, TG_EIO, site_dir, 0, 0, "cannot list: %s",
				 strerror(errno));
	if (n > 0 && !(res = calloc((size_t)n, sizeof(*res)))) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n && rc == 0; i++) {
		struct tg_vet_result *r = &res[n_res];
		struct vet_pkg p;
		char *subject;

		if (!has_record(site_dir, names[i]->d_name))
			continue;
		tg_vet_result_init(r);
		n_res++;
		subject = tg_asprintf("%s/%s", site_dir, names[i]->d_name);
		if (!subject) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			break;
		}
		rc = tg_vet_result_set(&r->subject, subject, err);
		free(subject);
		if (rc)
			break;
		vet_pkg_init(&p, lim);
		p.kind = TG_VET_ART_INSTALLED;
		p.filename = names[i]->d_name;
		rc = vet_walk_installed(&p, site_dir, names[i]->d_name, r, err);
		if (rc == 0)
			rc = vet_analyze(&p, rules, r, err);
		vet_pkg_release(&p);
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc) {
		size_t k;
		for (k = 0; k < n_res; k++)
			tg_vet_result_release(&res[k]);
		free(res);
		return rc;
	}
	*out = res;
	*n_out = n_res;
	return 0;
}

/* The input format table, detection by file name and content, and the
 * file / directory entry points. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "windows_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tollgate/fs.h"
#include "tollgate/str.h"

void tg_input_opts_init(struct tg_input_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->python_version = "3.11";
#if defined(__APPLE__)
	opts->platform = "darwin";
#elif defined(_WIN32)
	opts->platform = "win32";
#else
	opts->platform = "linux";
#endif
#if defined(__aarch64__)
	opts->machine = "aarch64";
#elif defined(__i386__)
	opts->machine = "i686";
#else
	opts->machine = "x86_64";
#endif
	opts->evaluate_markers = true;
	opts->include_dev = true;
	opts->include_skipped = false;
	opts->max_file_size = (size_t)64 << 20;
	opts->max_include_depth = 64;
	opts->max_dir_entries = 4000000;
	opts->max_dir_depth = 48;
	opts->max_image_bytes = (size_t)256 << 20;
}

static int parse_metadata_format(const char *data, size_t len,
				 const char *origin,
				 const struct tg_input_opts *opts,
				 struct tg_inventory *out, struct tg_err *err)
{
	(void)opts;
	return tg_input_parse_metadata(data, len, origin, NULL, out, err);
}

static const char *const pat_requirements[] = { "requirements*.txt", "requirements*.in",
	"constraints*.txt", "*-requirements.txt", "*_requirements.txt", NULL };
static const char *const pat_pylock[] = { "pylock.toml", "pylock.*.toml", NULL };
static const char *const pat_uv[] = { "uv.lock", NULL };
static const char *const pat_poetry[] = { "poetry.lock", NULL };
static const char *const pat_pipfile[] = { "Pipfile.lock", NULL };
static const char *const pat_pdm[] = { "pdm.lock", NULL };
static const char *const pat_npm[] = { "package-lock.json", "npm-shrinkwrap.json",
	".package-lock.json", NULL };
static const char *const pat_cdx[] = { "*.cdx.json", "bom.json", "*.bom.json",
	"*.cyclonedx.json", "cyclonedx.json", NULL };
static const char *const pat_spdx[] = { "*.spdx.json", NULL };
static const char *const pat_metadata[] = { "METADATA", "PKG-INFO", NULL };
static const char *const pat_winget_manifest[] = { "*.installer.yaml",
	"*.locale.*.yaml", NULL };
static const char *const pat_choco_config[] = { "packages.config", "*.packages.config", NULL };
static const char *const pat_nuspec[] = { "*.nuspec", NULL };
static const char *const pat_nupkg[] = { "*.nupkg", NULL };

static const struct tg_input_format fmt_requirements = {
	"requirements", "pip requirements / constraints file (-r, -c, --hash, markers)",
	TG_ECO_PYPI, pat_requirements, in_parse_requirements };
static const struct tg_input_format fmt_pylock = {
	"pylock", "PEP 751 pylock.toml", TG_ECO_PYPI, pat_pylock, in_parse_pylock };
static const struct tg_input_format fmt_uv = {
	"uv.lock", "uv lockfile", TG_ECO_PYPI, pat_uv, in_parse_uv_lock };
static const struct tg_input_format fmt_poetry = {
	"poetry.lock", "Poetry lockfile", TG_ECO_PYPI, pat_poetry, in_parse_poetry_lock };
static const struct tg_input_format fmt_pipfile = {
	"pipfile.lock", "pipenv Pipfile.lock", TG_ECO_PYPI, pat_pipfile, in_parse_pipfile_lock };
static const struct tg_input_format fmt_pdm = {
	"pdm.lock", "PDM lockfile", TG_ECO_PYPI, pat_pdm, in_parse_pdm_lock };
static const struct tg_input_format fmt_npm = {
	"package-lock", "npm package-lock.json / npm-shrinkwrap.json (v1-v3)",
	TG_ECO_NPM, pat_npm, in_parse_npm_lock };
static const struct tg_input_format fmt_cdx = {
	"cyclonedx", "CycloneDX JSON SBOM", TG_ECO_UNKNOWN, pat_cdx, in_parse_cyclonedx };
static const struct tg_input_format fmt_spdx = {
	"spdx", "SPDX 2.x JSON SBOM", TG_ECO_UNKNOWN, pat_spdx, in_parse_spdx };
static const struct tg_input_format fmt_metadata = {
	"metadata", "one core-metadata file (METADATA, PKG-INFO)", TG_ECO_PYPI,
	pat_metadata, parse_metadata_format };

/* Windows inputs (docs/windows.md). */
static const struct tg_input_format fmt_winget_export = {
	"winget-export", "`winget export` JSON", TG_ECO_WINGET, NULL,
	in_parse_winget_export };
static const struct tg_input_format fmt_winget_manifest = {
	"winget-manifest", "winget manifest YAML (singleton or multi-file; a folder merges them)",
	TG_ECO_WINGET, pat_winget_manifest, in_parse_winget_manifest };
static const struct tg_input_format fmt_choco_config = {
	"packages.config", "Chocolatey packages.config", TG_ECO_CHOCOLATEY,
	pat_choco_config, in_parse_choco_config };
static const struct tg_input_format fmt_nuspec = {
	"nuspec", "Chocolatey .nuspec (a package folder adds tools/chocolateyInstall.ps1)",
	TG_ECO_CHOCOLATEY, pat_nuspec, in_parse_nuspec };
static const struct tg_input_format fmt_nupkg = {
	"nupkg", "Chocolatey .nupkg (read in memory, never extracted)",
	TG_ECO_CHOCOLATEY, pat_nupkg, in_parse_nupkg };
static const struct tg_input_format fmt_choco_list = {
	"choco-list", "`choco list` output (\"name version\" or -r \"name|version\")",
	TG_ECO_CHOCOLATEY, NULL, in_parse_choco_list };

const struct tg_input_format *const tg_input_formats[] = {
	&fmt_requirements, &fmt_pylock, &fmt_uv, &fmt_poetry, &fmt_pipfile,
	&fmt_pdm, &fmt_npm, &fmt_cdx, &fmt_spdx, &fmt_metadata,
	&fmt_winget_export, &fmt_winget_manifest, &fmt_choco_config,
	&fmt_nuspec, &fmt_nupkg, &fmt_choco_list, NULL
};

const struct tg_input_format *tg_input_format_find(const char *name)
{
	static const struct { const char *alias, *name; } aliases[] = {
		{ "requirements.txt", "requirements" }, { "pip", "requirements" },
		{ "constraints", "requirements" }, { "pylock.toml", "pylock" },
		{ "uv", "uv.lock" }, { "poetry", "poetry.lock" },
		{ "pipfile", "pipfile.lock" }, { "pipenv", "pipfile.lock" },
		{ "pdm", "pdm.lock" }, { "package-lock.json", "package-lock" },
		{ "npm", "package-lock" }, { "npm-shrinkwrap", "package-lock" },
		{ "npm-shrinkwrap.json", "package-lock" }, { "cdx", "cyclonedx" },
		{ "spdx-json", "spdx" }, { "pkg-info", "metadata" },
		{ "winget", "winget-export" }, { "winget-yaml", "winget-manifest" },
		{ "choco-config", "packages.config" }, { "choco", "choco-list" },
		{ "chocolatey", "choco-list" },
	};
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (tg_ascii_casecmp(name, aliases[i].alias) == 0)
			name = aliases[i].name;
	for (i = 0; tg_input_formats[i]; i++)
		if (tg_ascii_casecmp(name, tg_input_formats[i]->name) == 0)
			return tg_input_formats[i];
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

const struct tg_input_format *tg_input_detect(const char *path)
{
	const char *base = base_name(path);
	size_t i, j;

	for (i = 0; tg_input_formats[i]; i++) {
		const char *const *pat = tg_input_formats[i]->patterns;
		for (j = 0; pat && pat[j]; j++)
			if (fnmatch(pat[j], base, 0) == 0)
				return tg_input_formats[i];
	}
	/* requirements/base.txt, requirements/dev.txt, ... */
	if (tg_str_ends_with(base, ".txt") && base != path) {
		size_t dlen = (size_t)(base - path) - 1;
		const char *d = path;
		size_t k = dlen;

		while (k > 0 && path[k - 1] != '/')
			k--;
		d = path + k;
		if (dlen - k == strlen("requirements") &&
		    strncmp(d, "requirements", dlen - k) == 0)
			return &fmt_requirements;
	}
	return NULL;
}

/* First non-blank byte of data (after a BOM). */
static const char *first_token(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
			   data[i] == '\n'))
		i++;
	return i < len ? data + i : NULL;
}

static bool head_contains(const char *data, size_t len, const char *needle)
{
	size_t n = strlen(needle), lim = len < 65536 ? len : 65536, i;

	for (i = 0; i + n <= lim; i++)
		if (memcmp(data + i, needle, n) == 0)
			return true;
	return false;
}

const struct tg_input_format *tg_input_sniff(const char *path,
					     const char *data, size_t len)
{
	const struct tg_input_format *f = path ? tg_input_detect(path) : NULL;
	const char *t;

	if (f)
		return f;
	t = first_token(data, len);
	if (!t)
		return NULL;
	if (*t == '{') {
		if (head_contains(data, len, "\"bomFormat\""))
			return &fmt_cdx;
		if (head_contains(data, len, "\"spdxVersion\""))
			return &fmt_spdx;
		if (head_contains(data, len, "\"lockfileVersion\""))
			return &fmt_npm;
		if (head_contains(data, len, "\"_meta\""))
			return &fmt_pipfile;
		if (in_windows_sniff(data, len))
			return &fmt_winget_export;
		return NULL;
	}
	if (tg_str_starts_with(t, "Metadata-Version:"))
		return &fmt_metadata;
	{
		const char *w = in_windows_sniff(data, len);
		if (w)
			return tg_input_format_find(w);
	}
	if (head_contains(data, len, "lock-version = ") &&
	    head_contains(data, len, "[[packages]]"))
		return &fmt_pylock;
	return NULL;
}

int tg_input_parse_bytes(const char *format, const char *data, size_t len,
			 const char *origin, const struct tg_input_opts *opts,
			 struct tg_inventory *out, struct tg_err *err)
{
	const struct tg_input_format *f;
	struct tg_input_opts defaults;

	tg_err_clear(err);
	if (!opts) {
		tg_input_opts_init(&defaults);
		opts = &defaults;
	}
	if (len > opts->max_file_size)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
				 "input is %zu bytes, over the limit of %zu", len,
				 opts->max_file_size);
	f = format ? tg_input_format_find(format) : tg_input_sniff(origin, data, len);
	if (!f)
		return format ? tg_err_set(err, TG_EUSAGE, "unknown input format '%s'", format)
			      : tg_err_at(err, TG_EINVAL, origin, 0, 0,
					  "cannot tell the input format from the file name "
					  "or content; name it with --input-format");
	if (!out->format && !(out->format = tg_strdup(f->name)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (!out->origin && !(out->origin = tg_strdup(origin)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return f->parse(data, len, origin, opts, out, err);
}

/* A directory holding *.dist-info or *.egg-info entries is a
 * site-packages directory. */
static bool looks_like_site_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool found = false;
	size_t seen = 0;

	if (!d)
		return false;
	while (!found && seen++ < 100000 && (e = readdir(d)) != NULL)
		found = tg_str_ends_with(e->d_name, ".dist-info") ||
			tg_str_ends_with(e->d_name, ".egg-info");
	closedir(d);
	return found;
}

static int set_meta(struct tg_inventory *out, const char *origin,
		    const char *format, struct tg_err *err)
{
	if (!out->origin && !(out->origin = tg_strdup(origin)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (!out->format && !(out->format = tg_strdup(format)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

/* ustar magic at offset 257, or a gzip / zstd / xz stream. */
static bool looks_like_archive(const char *path)
{
	char head[264];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n >= 262 && memcmp(head + 257, "ustar", 5) == 0)
		return true;
	if (n >= 2 && (unsigned char)head[0] == 0x1f && (unsigned char)head[1] == 0x8b)
		return true;
	return false;
}

int tg_input_parse_file(const char *path, const char *format,
			const struct tg_input_opts *opts,
			struct tg_inventory *out, struct tg_err *err)
{
	struct tg_input_opts defaults;
	struct tg_buf b;
	struct stat st;
	int rc;

	tg_err_clear(err);
	if (!opts) {
		tg_input_opts_init(&defaults);
		opts = &defaults;
	}
	if (strcmp(path, "-") != 0 && stat(path, &st) != 0)
		return tg_err_at(err, TG_EIO, path, 0, 0, "cannot open: %s",
				 strerror(errno));
	if (strcmp(path, "-") != 0 && S_ISDIR(st.st_mode)) {
		const char *wfmt = format;
		bool site;

		if ((format && (tg_ascii_casecmp(format, "nuspec") == 0 ||
				tg_ascii_casecmp(format, "winget-manifest") == 0)) ||
		    (!format && in_windows_dir_kind(path, &wfmt))) {
			const struct tg_input_format *wf = tg_input_format_find(wfmt);

			if ((rc = set_meta(out, path, wf->name, err)))
				return rc;
			return in_parse_windows_dir(path, wf->name, out, err);
		}
		if (format && tg_ascii_casecmp(format, "rootfs") == 0)
			site = false;
		else if (format && tg_ascii_casecmp(format, "site-packages") == 0)
			site = true;
		else if (format)
			return tg_err_at(err, TG_EUSAGE, path, 0, 0,
					 "is a directory; format '%s' reads a file", format);
		else
			site = looks_like_site_dir(path);
		if ((rc = set_meta(out, path, site ? "site-packages" : "rootfs", err)))
			return rc;
		if (site)
			return tg_input_parse_site_packages(&path, 1, opts, out, err);
		return tg_input_parse_rootfs(path, opts, out, err);
	}
	if ((format && (tg_ascii_casecmp(format, "image") == 0 ||
			tg_ascii_casecmp(format, "oci") == 0 ||
			tg_ascii_casecmp(format, "docker") == 0)) ||
	    (!format && strcmp(path, "-") != 0 && !tg_input_detect(path) &&
	     looks_like_archive(path))) {
		if ((rc = set_meta(out, path, "image", err)))
			return rc;
		return tg_input_parse_image(path, opts, out, err);
	}
	tg_buf_init(&b, opts->max_file_size);
	rc = tg_read_file(path, opts->max_file_size, &b, err);
	if (!rc)
		rc = tg_input_parse_bytes(format, b.data, b.len, path, opts, out, err);
	tg_buf_release(&b);
	return rc;
}

/* Input parsers: files and directories -> struct tg_inventory.
 *
 * Every supported input format is one entry of a table (name, file-name
 * patterns, parse function). A caller either names the format or lets
 * tg_input_detect() pick it from the file name (and, for JSON SBOMs, from
 * the content). Directory inputs (a site-packages directory, a root file
 * system, a container image tarball) have their own entry points.
 *
 * Ownership: every function fills a caller-initialised struct
 * tg_inventory (tg_inventory_init); on success the caller releases it with
 * tg_inventory_release(). On failure the inventory may hold the packages
 * parsed before the error; the caller still releases it and must not use
 * it as a complete result. Nothing returned here needs any other free.
 *
 * Errors: TG_EIO (unreadable), TG_EPARSE (syntax, encoding: err carries
 * file:line:col), TG_EINVAL (well-formed but not what the format says),
 * TG_ELIMIT (a cap in tg_input_opts was exceeded), TG_EUSAGE (unknown
 * format name, format that cannot take this kind of input).
 */
#ifndef TOLLGATE_INPUTS_H
#define TOLLGATE_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/package.h"

/* Options shared by every parser. Start from tg_input_opts_init(), then
 * override what the user asked for. Strings are borrowed, not copied: they
 * must outlive the parse call. */
struct tg_input_opts {
	/* Target environment for PEP 508 markers. NULL fields take the
	 * defaults documented at tg_input_opts_init(). */
	const char *python_version;  /* "3.12" or "3.12.4" */
	const char *platform;        /* sys_platform: "linux", "darwin", "win32" */
	const char *machine;         /* platform_machine: "x86_64", "arm64", ... */
	bool evaluate_markers;       /* false: keep every entry, flag nothing */
	bool include_dev;            /* keep dev / develop / dev-group packages */
	bool include_skipped;        /* keep marker-false entries, flagged
				      * TG_PKG_SKIPPED_MARKER, instead of dropping */
	size_t max_file_size;        /* bytes per input file (and per member) */
	unsigned max_include_depth;  /* -r / -c nesting */
	size_t max_dir_entries;      /* directory entries visited in a walk */
	unsigned max_dir_depth;      /* directory nesting in a walk */
	size_t max_image_bytes;      /* bytes of METADATA kept from an image */
	/* Optional: the marker target, asked for when a marker is first
	 * evaluated rather than before parsing (the CLI runs the target
	 * interpreter to learn it, which costs more than reading a
	 * lockfile: most inputs have no markers). It overwrites those of
	 * *python_version, *platform and *machine it knows (strings owned
	 * by ctx, valid while the options are); the fields above are the
	 * starting values. */
	void (*target)(void *ctx, const char **python_version, const char **platform,
		       const char **machine);
	void *target_ctx;
};

/* Defaults: python_version = the version this build was configured for
 * ("3.11" unless the CLI fills in the running interpreter's), platform =
 * the host's sys_platform, machine = the host's; evaluate_markers = true,
 * include_dev = true, include_skipped = false, max_file_size = 64 MiB,
 * max_include_depth = 64, max_dir_entries = 4,000,000, max_dir_depth = 48,
 * max_image_bytes = 256 MiB. */
void tg_input_opts_init(struct tg_input_opts *opts);

/* One input format. parse() reads data[0..len) (NUL-terminated at len, but
 * it may contain NUL bytes, which parsers reject) whose name is `origin`
 * (used for errors, for relative includes and as each package's
 * origin_path) and appends packages to *out. */
struct tg_input_format {
	const char *name;              /* "requirements", "uv.lock", ... */
	const char *summary;           /* one line for --help / docs */
	enum tg_ecosystem eco;         /* what it yields (TG_ECO_UNKNOWN: mixed) */
	const char *const *patterns;   /* fnmatch(3) patterns on the base name,
					* NULL-terminated; NULL = never detected */
	int (*parse)(const char *data, size_t len, const char *origin,
		     const struct tg_input_opts *opts, struct tg_inventory *out,
		     struct tg_err *err);
};

/* The table, NULL-terminated, in detection order. */
extern const struct tg_input_format *const tg_input_formats[];

/* Format by name (case-insensitive; a few aliases such as "pipfile",
 * "package-lock.json", "cdx", "requirements.txt" are accepted). */
const struct tg_input_format *tg_input_format_find(const char *name);

/* Format by file name alone; NULL when no pattern matches. A *.txt file
 * whose parent directory is named "requirements" counts as requirements. */
const struct tg_input_format *tg_input_detect(const char *path);

/* Format by file name, then by content (JSON SBOMs: "bomFormat" or
 * "spdxVersion"; package-lock by "lockfileVersion"; METADATA headers).
 * NULL when nothing fits. */
const struct tg_input_format *tg_input_sniff(const char *path,
					     const char *data, size_t len);

/* Parse bytes already in memory with a named format (format NULL: sniff).
 * Used by the fuzz targets and by callers that read inputs themselves. */
int tg_input_parse_bytes(const char *format, const char *data, size_t len,
			 const char *origin, const struct tg_input_opts *opts,
			 struct tg_inventory *out, struct tg_err *err);

/* Parse one input path. format NULL = detect. A directory is parsed as a
 * site-packages directory when it holds *.dist-info or *.egg-info entries,
 * otherwise as a root file system; a tar file that holds manifest.json or
 * index.json is parsed as a container image. Sets out->origin and
 * out->format. */
int tg_input_parse_file(const char *path, const char *format,
			const struct tg_input_opts *opts,
			struct tg_inventory *out, struct tg_err *err);

/* Installed distributions in the given site-packages style directories
 * (each *.dist-info/METADATA, *.egg-info/PKG-INFO or *.egg-info file).
 * Each package's location and origin_path are its metadata directory or
 * file. Missing directories are skipped (sys.path lists some that do not
 * exist); a directory that exists but cannot be read is an error. A
 * distribution found twice (same normalised name in two directories) is
 * reported twice, once per location. */
int tg_input_parse_site_packages(const char *const *dirs, size_t n_dirs,
				 const struct tg_input_opts *opts,
				 struct tg_inventory *out, struct tg_err *err);

/* Every site-packages / dist-packages directory under a root file system
 * (an unpacked container image or a mounted disk): usr/lib/python3*,
 * usr/local/lib/python3*, opt/, home/USER/.local, virtual environments.
 * Symbolic links are not followed; proc, sys and dev are skipped.
 * Locations are reported relative to the root, starting with '/'. */
int tg_input_parse_rootfs(const char *root, const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err);

/* A `docker save` or OCI layout tarball: layers are applied in manifest
 * order with whiteouts (.wh.NAME, .wh..wh..opq) and the Python metadata
 * files of the resulting file view are parsed. Nothing is extracted to
 * disk. With several images in one tarball, the first manifest is used.
 * Locations are "/path/in/image". */
int tg_input_parse_image(const char *tarball, const struct tg_input_opts *opts,
			 struct tg_inventory *out, struct tg_err *err);

/* One core-metadata document (METADATA, PKG-INFO) as a package. location
 * may be NULL. Exposed for verify/vet, which read METADATA from wheels. */
int tg_input_parse_metadata(const char *data, size_t len, const char *origin,
			    const char *location, struct tg_inventory *out,
			    struct tg_err *err);

/* Package URLs (https://github.com/package-url/purl-spec):
 * pkg:type/namespace/name@version?qualifiers#subpath, percent-decoded. */
struct tg_purl {
	char *type;       /* lowercase */
	char *namespace_; /* decoded, segments joined by '/', or NULL */
	char *name;       /* decoded */
	char *version;    /* decoded, or NULL */
	char *subpath;    /* decoded, or NULL */
	char **qual_keys; /* lowercase keys, sorted as given */
	char **qual_values;
	size_t n_quals;
};

/* Parse s into *out (zeroed first). TG_EPARSE on a malformed purl. */
int tg_purl_parse(const char *s, struct tg_purl *out, struct tg_err *err);
void tg_purl_release(struct tg_purl *p);
/* Qualifier value by key, or NULL. */
const char *tg_purl_qualifier(const struct tg_purl *p, const char *key);

#endif

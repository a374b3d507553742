/* Windows applications: winget and Chocolatey inventories, their checks
 * and the KEV product mapping.
 *
 * The input formats (winget export / manifests, Chocolatey packages.config,
 * .nuspec, .nupkg, `choco list`) are entries of the input table
 * (inputs.h); they yield a struct tg_inventory like every other format.
 * The checks need more than a tg_package holds (every installer of a
 * manifest, the static facts of chocolateyInstall.ps1), so the same
 * parsers also fill the richer model below, and tg_win_load() rebuilds it
 * for an inventory from its origin. Nothing is ever run or extracted:
 * install scripts are read as text.
 *
 * Ownership: a tg_win_inventory owns its apps and every string in them;
 * tg_win_inventory_release() frees all of it. tg_win_kev_map owns its
 * rows. Every function returns 0 or a TG_E* code and fills err.
 */
#ifndef TOLLGATE_WINDOWS_H
#define TOLLGATE_WINDOWS_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/finding.h"
#include "tollgate/package.h"

/* Caps on what one input may hold. */
#define TG_WIN_MAX_APPS 100000
#define TG_WIN_MAX_INSTALLERS 256  /* per app */
#define TG_WIN_MAX_YAML_NODES 200000
#define TG_WIN_MAX_SCRIPT ((size_t)4 << 20)

/* One way to install an app: a winget Installers[] entry (root-level
 * defaults already applied) or a download in chocolateyInstall.ps1. */
struct tg_win_installer {
	char *arch;          /* "x64", "x86", "arm64", ... or NULL */
	char *type;          /* winget InstallerType / choco fileType, or NULL */
	char *scope;         /* "user" / "machine" or NULL */
	char *url;           /* download URL, or NULL when none is known */
	bool url_dynamic;    /* the URL is computed at install time */
	char *sha256;        /* winget InstallerSha256 as written, or NULL */
	char *product_code;  /* winget ProductCode, or NULL */
	char *display_version; /* winget AppsAndFeaturesEntries[0].DisplayVersion */
	char *checksum;      /* choco checksum literal, or NULL */
	bool checksum_dynamic; /* choco: given, but not as a literal */
	char *checksum_type; /* choco checksumType as written, or NULL */
	char *file;          /* the file declaring it (installer manifest,
			      * chocolateyInstall.ps1), or NULL */
	unsigned long line;  /* where it is declared in file, 0 if unknown */
};

enum tg_win_kind {
	TG_WIN_INSTALLED = 0, /* what a machine has (export, config, list) */
	TG_WIN_MANIFEST       /* what a source offers (manifest, nuspec) */
};

struct tg_win_app {
	enum tg_ecosystem eco;  /* TG_ECO_WINGET or TG_ECO_CHOCOLATEY */
	enum tg_win_kind kind;
	char *id;               /* PackageIdentifier / choco id */
	char *version;          /* or NULL (ids-only export, unpinned config) */
	char *name;             /* PackageName / nuspec title, or NULL */
	char *publisher;        /* Publisher / nuspec authors, or NULL */
	char *license;          /* License text / nuspec license, or NULL */
	char *license_url;      /* or NULL */
	char *homepage;         /* PackageUrl / projectUrl, or NULL */
	char *source;           /* winget source name, choco source, or NULL */
	char *origin;           /* file it came from */
	unsigned long line;     /* 1-based, 0 if unknown */
	struct tg_win_installer *installers;
	size_t n_installers;
	char **deps;            /* nuspec <dependency id> values */
	char **dep_ranges;      /* matching version ranges ("[26.2]"), or NULL each */
	size_t n_deps;
	/* Chocolatey packages: the package directory (nuspec input) or the
	 * .nupkg file whose tools/ install scripts the checks read;
	 * NULL when the input has no scripts. */
	char *package_path;
	bool has_install_script;
};

struct tg_win_inventory {
	char *origin;
	char *format;
	struct tg_win_app *apps;
	size_t n_apps;
	size_t cap_apps;
};

void tg_win_inventory_init(struct tg_win_inventory *w);
void tg_win_inventory_release(struct tg_win_inventory *w);
/* A new zeroed app owned by w (valid until the next add), or NULL + err. */
struct tg_win_app *tg_win_add_app(struct tg_win_inventory *w,
				  struct tg_err *err);
struct tg_win_installer *tg_win_add_installer(struct tg_win_app *a,
					      struct tg_err *err);
int tg_win_add_dep(struct tg_win_app *a, const char *id, const char *range,
		   struct tg_err *err);
/* Set a string field to a copy of s (NULL clears it). */
int tg_win_set(char **field, const char *s, struct tg_err *err);

/* ---- parsers (also behind the input table) ---- */

/* `winget export` JSON: Sources[].Packages[].PackageIdentifier/Version. */
int tg_win_parse_winget_export(const char *data, size_t len,
			       const char *origin, struct tg_win_inventory *out,
			       struct tg_err *err);
/* One winget manifest file: a singleton, or one of the version /
 * installer / defaultLocale (and locale) files of a multi-file manifest.
 * Yields one app with what that file says. */
int tg_win_parse_winget_manifest(const char *data, size_t len,
				 const char *origin,
				 struct tg_win_inventory *out,
				 struct tg_err *err);
/* A directory of manifests (a version folder, or any tree of them, as in
 * winget-pkgs): the files of each folder are merged into one app per
 * PackageIdentifier + PackageVersion; identifiers and versions must agree
 * between the files of one manifest. */
int tg_win_parse_winget_dir(const char *dir, struct tg_win_inventory *out,
			    struct tg_err *err);
/* True when dir holds *.yaml files (at most a few levels down). */
bool tg_win_dir_has_manifests(const char *dir);

/* Chocolatey packages.config: <packages><package id= version= source= .../>. */
int tg_win_parse_choco_config(const char *data, size_t len, const char *origin,
			      struct tg_win_inventory *out, struct tg_err *err);
/* A .nuspec document. package_path (the package directory whose tools/
 * holds the install scripts) may be NULL. */
int tg_win_parse_nuspec(const char *data, size_t len, const char *origin,
			const char *package_path, struct tg_win_inventory *out,
			struct tg_err *err);
/* A .nupkg (zip) in memory: its .nuspec, and the download facts of
 * tools/chocolateyInstall.ps1. Read with libarchive, never extracted. */
int tg_win_parse_nupkg(const char *data, size_t len, const char *origin,
		       struct tg_win_inventory *out, struct tg_err *err);
/* A Chocolatey package directory (holds one *.nuspec). */
int tg_win_parse_choco_dir(const char *dir, struct tg_win_inventory *out,
			   struct tg_err *err);
/* `choco list` / `choco list --local-only` text ("name version" lines
 * plus banner and summary lines), or the -r form ("name|version"). */
int tg_win_parse_choco_list(const char *data, size_t len, const char *origin,
			    struct tg_win_inventory *out, struct tg_err *err);

/* Static facts of a chocolateyInstall.ps1: each hashtable or call that
 * names url / url64bit with checksum / checksum64 / checksumType becomes
 * an installer. The script is not run: values that are variables are
 * marked dynamic. */
int tg_win_parse_choco_script(const char *data, size_t len, const char *origin,
			      struct tg_win_app *app, struct tg_err *err);

/* Rebuild the model for an inventory that a Windows input format parsed
 * (inv->format is one of them): re-reads inv->origin. *is_windows is
 * false (and out stays empty) for other formats. */
struct tg_inventory;
int tg_win_load(const struct tg_inventory *inv, struct tg_win_inventory *out,
		bool *is_windows, struct tg_err *err);

/* Fill a tg_inventory from the model (what the input table returns). */
int tg_win_to_inventory(const struct tg_win_inventory *w,
			struct tg_inventory *out, struct tg_err *err);

/* Compare two Windows application versions: dot-separated parts,
 * numeric parts numerically, others ASCII case-insensitively; a missing
 * part counts as 0 ("26.2" == "26.2.0"). */
int tg_win_version_cmp(const char *a, const char *b);

/* ---- KEV product mapping (data/windows/kev-map.tsv) ---- */

struct tg_win_kev_row {
	char *vendor_project; /* exactly as in KEV */
	char *product;        /* exactly as in KEV */
	enum tg_ecosystem eco;
	char *package_id;     /* winget PackageIdentifier or choco id */
	unsigned long line;
};

struct tg_win_kev_map {
	struct tg_win_kev_row *rows;
	size_t n;
	size_t cap;
};

void tg_win_kev_map_init(struct tg_win_kev_map *m);
void tg_win_kev_map_release(struct tg_win_kev_map *m);
/* Parse the TSV (columns vendorProject, product, ecosystem, package id;
 * '#' comments, a header line). */
int tg_win_kev_map_parse(const char *data, size_t len, const char *origin,
			 struct tg_win_kev_map *out, struct tg_err *err);
/* Load from a file; path NULL: the shipped data/windows/kev-map.tsv
 * ($TOLLGATE_DATA_DIR/windows, the source tree, the install prefix). */
int tg_win_kev_map_load(const char *path, struct tg_win_kev_map *out,
			struct tg_err *err);

/* ---- checks ---- */

struct tg_toml_value;
struct tg_db;
struct tg_vet_rules;

/* The [windows] table of tollgate.toml:
 *   [windows]
 *   allowed_sources = ["winget", "chocolatey"]  # any source when absent
 *   allow_community = true    # false: flag community-moderated sources
 *   allow = ["Git.Git", "7zip*"]  # when given, anything else is flagged
 *   deny = ["TeamViewer.*"]
 *   [[windows.source]]
 *   package = "Mozilla.Firefox"
 *   source = "winget"
 * Patterns are fnmatch(3) globs, compared case-insensitively. */
struct tg_win_source_pin {
	char *package;
	char *source;
};

struct tg_win_policy {
	char **allowed_sources;
	size_t n_allowed_sources;
	bool allow_community;
	char **allow;
	size_t n_allow;
	char **deny;
	size_t n_deny;
	struct tg_win_source_pin *pins;
	size_t n_pins;
};

void tg_win_policy_init(struct tg_win_policy *p);
void tg_win_policy_release(struct tg_win_policy *p);
/* Read [windows] (table may be NULL: defaults). origin names the config
 * file in errors; unknown keys and wrong types are TG_EINVAL at the key. */
int tg_win_policy_from_toml(const struct tg_toml_value *table,
			    const char *origin, struct tg_win_policy *out,
			    struct tg_err *err);

/* Source kinds: "winget" and the Chocolatey community repository are
 * community-moderated, "msstore" is vendor-published; anything else is a
 * private feed. */
enum tg_win_source_kind {
	TG_WIN_SRC_COMMUNITY,
	TG_WIN_SRC_VENDOR,
	TG_WIN_SRC_PRIVATE
};
enum tg_win_source_kind tg_win_source_kind(enum tg_ecosystem eco,
					   const char *source);

struct tg_win_check_ctx {
	const struct tg_win_policy *policy;
	const struct tg_win_kev_map *kev_map; /* NULL: no KEV check */
	struct tg_db *db;                     /* KEV rows; NULL: no KEV check */
	const struct tg_vet_rules *rules;     /* NULL: structural script checks */
	/* Apps the given manifests offer (every TG_WIN_MANIFEST app of every
	 * input), for the "newer version available" check; may be NULL. */
	const struct tg_win_inventory *available;
	size_t n_available;
};

/* Rule ids of the findings (TG_FIND_POLICY / INTEGRITY / CONTENT_RISK /
 * VULNERABILITY) the checks produce; documented in docs/windows.md. */
#define TG_WIN_RULE_SOURCE "win-source-not-allowed"
#define TG_WIN_RULE_SOURCE_PIN "win-source-pin"
#define TG_WIN_RULE_COMMUNITY "win-community-source"
#define TG_WIN_RULE_DENY "win-denied"
#define TG_WIN_RULE_NOT_ALLOWED "win-not-allowed"
#define TG_WIN_RULE_NO_SHA256 "win-installer-no-sha256"
#define TG_WIN_RULE_NO_CHECKSUM "choco-no-checksum"
#define TG_WIN_RULE_WEAK_CHECKSUM "choco-weak-checksum"
#define TG_WIN_RULE_CHECKSUM_TYPE "choco-checksum-type-mismatch"
#define TG_WIN_RULE_HTTP "win-http-download"
#define TG_WIN_RULE_SCRIPT "choco-install-script"
#define TG_WIN_RULE_OUTDATED "win-outdated"

/* Run every check on the apps of w and append findings to report (the
 * finding's inv_index / pkg_index are not set: Windows findings name the
 * app by eco + id + version + origin). */
int tg_win_check(const struct tg_win_check_ctx *ctx,
		 const struct tg_win_inventory *w, struct tg_report *report,
		 struct tg_err *err);

/* The KEV check alone: one TG_FIND_VULNERABILITY per KEV CVE of a product
 * the app is mapped to (kev = true, due date, ransomware flag, dateAdded
 * in details; KEV states no affected versions, and the finding says so). */
int tg_win_check_kev(const struct tg_win_check_ctx *ctx,
		     const struct tg_win_app *app, struct tg_report *report,
		     struct tg_err *err);

/* The whole Windows step of an audit: for every inventory of report that
 * a Windows format produced, rebuild the model and run tg_win_check with
 * the policy from cfg_windows ([windows] of tollgate.toml, or NULL), the
 * shipped KEV map and the vet rules found next to the binary (rules_dir
 * NULL: the default search; a missing rules directory falls back to the
 * structural checks and adds a report warning). */
int tg_win_audit(struct tg_report *report, struct tg_db *db,
		 const struct tg_toml_value *cfg_windows,
		 const char *cfg_origin, const char *rules_dir,
		 struct tg_err *err);

#endif

/* The package model the content walkers build and the analysers read.
 *
 * A walker (archive in memory, directory, installed distribution) turns
 * its input into a list of members: path, size, SHA-256 of the content,
 * the first bytes (for magic numbers) and, for members that hold text, the
 * text itself up to max_scan bytes. Analysis runs over the whole list so
 * that cross-member facts (package.json scripts naming a file, a WHEEL tag
 * claiming purity, RECORD rows) are known before any member is judged.
 */
#ifndef TG_VET_CONTENT_INTERNAL_H
#define TG_VET_CONTENT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/hash.h"
#include "tollgate/vet.h"
#include "tollgate/vet_content.h"

enum vet_member_type { VM_FILE = 0, VM_DIR, VM_SYMLINK, VM_HARDLINK, VM_OTHER };

#define VET_HEAD_MAX 64

struct vet_member {
	char *path;            /* as stored (archive) or relative (directory) */
	const char *rel;       /* path below the package root (into path) */
	enum vet_member_type type;
	unsigned long long size;
	unsigned char sha256[TG_SHA256_LEN];
	bool hashed;           /* sha256 covers the whole content */
	unsigned char head[VET_HEAD_MAX];
	size_t head_len;
	char *text;            /* NUL-terminated text (<= max_scan), or NULL */
	size_t text_len;
	bool text_truncated;   /* longer than max_scan: only the start kept */
	bool install_time;     /* runs when the package is installed */
	const char *install_why; /* static text: what runs it, or NULL */
	char *link_target;     /* symlink / hardlink target, or NULL */
};

struct vet_pkg {
	enum tg_vet_artifact kind;
	enum tg_ecosystem eco;
	const struct tg_vet_limits *lim;
	struct vet_member *m;
	size_t n, cap;
	char *root_prefix;     /* "package/", "name-1.0/" or "" */
	unsigned long long total; /* uncompressed bytes seen */
	bool stopped;          /* a cap was hit: the member list is partial */
	const char *filename;  /* subject (archive file name or directory) */
	enum { VET_PURITY_UNKNOWN = 0, VET_PURITY_PURE, VET_PURITY_NATIVE } purity;
	const char *purity_why;  /* static text: what claims purity */
	size_t *slots;         /* open-addressing index of m[] by path: i+1 */
	size_t n_slots;
};

void vet_pkg_init(struct vet_pkg *p, const struct tg_vet_limits *lim);
void vet_pkg_release(struct vet_pkg *p);
/* Append a member (takes ownership of path and text, even on error). */
struct vet_member *vet_pkg_add(struct vet_pkg *p, char *path,
			       struct tg_err *err);
/* Regular-file member by path below the root (exact), or NULL. */
struct vet_member *vet_pkg_find(const struct vet_pkg *p, const char *rel);
/* Any member by full stored path, or NULL. */
struct vet_member *vet_pkg_find_path(const struct vet_pkg *p, const char *path);
/* Set root_prefix (copied) and every member's rel accordingly. */
int vet_pkg_set_root(struct vet_pkg *p, const char *prefix, struct tg_err *err);

/* True when the name (extension) says text, or the head has no NUL. */
bool vet_looks_text(const char *path, const unsigned char *head,
		    size_t head_len);
/* Lowercase extension without the dot ("" when none) into out. */
void vet_path_ext(const char *path, char *out, size_t outsz);
const char *vet_path_base(const char *path);

/* ---- walkers (fill p; reasons for traversal and caps go to res) ---- */
int vet_walk_archive(struct vet_pkg *p, const void *data, size_t len,
		     struct tg_vet_result *res, struct tg_err *err);
int vet_walk_dir(struct vet_pkg *p, const char *dir,
		 struct tg_vet_result *res, struct tg_err *err);
/* The files one RECORD lists, relative to site_dir. */
int vet_walk_installed(struct vet_pkg *p, const char *site_dir,
		       const char *dist_info, struct tg_vet_result *res,
		       struct tg_err *err);

/* Read one regular file (<= lim caps) into a new member. */
int vet_member_load_file(struct vet_pkg *p, struct vet_member *m, int fd,
			 struct tg_vet_result *res, struct tg_err *err);

/* ---- analysis ---- */
/* Decide kind/ecosystem/root when AUTO and run every check. */
int vet_analyze(struct vet_pkg *p, const struct tg_vet_rules *rules,
		struct tg_vet_result *res, struct tg_err *err);

/* YARA scan of one text buffer with the member's context. path is what
 * reasons show; rel what rules see. line_base/line_fixed: when the buffer
 * is a synthetic excerpt (an npm script command), every reason gets line
 * line_fixed instead of a computed line. */
struct vet_scan_ctx {
	const char *show_path;
	const char *rel;
	const char *text;
	size_t len;
	bool install_time;
	bool code;
	const char *ecosystem;
	unsigned long line_fixed;
	const char *why; /* appended to messages ("run by postinstall") */
	const char *ext; /* overrides the extension of rel, or NULL */
};
int vet_yara_scan(const struct tg_vet_rules *rules,
		  const struct vet_scan_ctx *ctx, struct tg_vet_result *res,
		  struct tg_err *err);

/* 1-based line number of offset off in text. */
unsigned long vet_line_of(const char *text, size_t len, size_t off);
/* The line containing off, sanitised and capped, into out. */
void vet_line_excerpt(const char *text, size_t len, size_t off, char *out,
		      size_t outsz);

/* Checks written in C (content_checks.c, content_meta.c). */
int vet_check_member_paths(struct vet_pkg *p, struct tg_vet_result *res,
			   struct tg_err *err);
int vet_check_pth(struct vet_pkg *p, struct tg_vet_result *res,
		  struct tg_err *err);
int vet_check_native(struct vet_pkg *p, struct tg_vet_result *res,
		     struct tg_err *err);
int vet_check_npm(struct vet_pkg *p, const struct tg_vet_rules *rules,
		  struct tg_vet_result *res, struct tg_err *err);
int vet_check_choco(struct vet_pkg *p, struct tg_vet_result *res,
		    struct tg_err *err);
int vet_check_python_meta(struct vet_pkg *p, struct tg_vet_result *res,
			  struct tg_err *err);
int vet_check_record(struct vet_pkg *p, struct tg_vet_result *res,
		     struct tg_err *err);

/* Report a repository or homepage URL that does not resemble the package
 * name (rule homepage-mismatch) and remember the first one in res. */
int vet_check_repo_url(struct vet_pkg *p, const char *name, const char *url,
		       bool monorepo, const struct vet_member *where,
		       unsigned long line, struct tg_vet_result *res,
		       struct tg_err *err);

/* Python core-metadata header value (METADATA, PKG-INFO): first field
 * `key` (case-insensitive), heap string or NULL. */
char *vet_meta_field(const char *text, size_t len, const char *key);

#endif

/* Helpers shared by the input parsers (not part of the public API). */
#ifndef TOLLGATE_INPUTS_INTERNAL_H
#define TOLLGATE_INPUTS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"
#include "tollgate/inputs.h"
#include "tollgate/package.h"

/* Longest package name / version / URL we accept from any input. */
#define IN_MAX_NAME 512
#define IN_MAX_VERSION 256
#define IN_MAX_URL 8192

/* Parser entry points named in the format table (registry.c). */
int in_parse_requirements(const char *data, size_t len, const char *origin,
			  const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err);
int in_parse_pipfile_lock(const char *data, size_t len, const char *origin,
			  const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err);
int in_parse_npm_lock(const char *data, size_t len, const char *origin,
		      const struct tg_input_opts *opts,
		      struct tg_inventory *out, struct tg_err *err);
int in_parse_cyclonedx(const char *data, size_t len, const char *origin,
		       const struct tg_input_opts *opts,
		       struct tg_inventory *out, struct tg_err *err);
int in_parse_spdx(const char *data, size_t len, const char *origin,
		  const struct tg_input_opts *opts, struct tg_inventory *out,
		  struct tg_err *err);
int in_parse_metadata_file(const char *data, size_t len, const char *origin,
			   const struct tg_input_opts *opts,
			   struct tg_inventory *out, struct tg_err *err);
int in_parse_pylock(const char *data, size_t len, const char *origin,
		    const struct tg_input_opts *opts, struct tg_inventory *out,
		    struct tg_err *err);
int in_parse_uv_lock(const char *data, size_t len, const char *origin,
		     const struct tg_input_opts *opts, struct tg_inventory *out,
		     struct tg_err *err);
int in_parse_poetry_lock(const char *data, size_t len, const char *origin,
			 const struct tg_input_opts *opts,
			 struct tg_inventory *out, struct tg_err *err);
int in_parse_pdm_lock(const char *data, size_t len, const char *origin,
		      const struct tg_input_opts *opts, struct tg_inventory *out,
		      struct tg_err *err);

/* Append a package. Strings are copied; name is validated (non-empty,
 * printable, at most IN_MAX_NAME bytes) and norm_name derived from it
 * (PEP 503 for PyPI, as written otherwise). Returns the package, owned by
 * inv and valid until the next add, or NULL with err located at
 * origin:line. */
struct tg_package *in_add(struct tg_inventory *inv, enum tg_ecosystem eco,
			  const char *name, const char *version,
			  const char *origin, unsigned long line, unsigned flags,
			  struct tg_err *err);
/* Set an optional string field of p (copied; s NULL leaves it NULL). */
int in_set(char **field, const char *s, struct tg_err *err);
int in_setn(char **field, const char *s, size_t n, struct tg_err *err);

/* "sha256:hex" / "sha256=hex" -> add to p; TG_EINVAL when malformed. */
int in_add_hash_spec(struct tg_package *p, const char *spec,
		     struct tg_err *err);
/* Add alg + hex after checking the hex digits (and the length for
 * algorithms whose digest size is known). */
int in_add_hash(struct tg_package *p, const char *alg, const char *hex,
		struct tg_err *err);
/* npm / SRI integrity "sha512-BASE64 [sha1-BASE64 ...]" -> hex hashes. */
int in_add_integrity(struct tg_package *p, const char *sri,
		     struct tg_err *err);

/* Reject inputs that are not text: NUL bytes or invalid UTF-8 give
 * TG_EPARSE at the offending line:col. A UTF-8 BOM is allowed; *skip is
 * set to its length (0 or 3). */
int in_check_text(const char *data, size_t len, const char *origin,
		  size_t *skip, struct tg_err *err);
/* 1-based line and column of byte offset off in data. */
void in_line_col(const char *data, size_t off, unsigned long *line,
		 unsigned long *col);

/* Markers: evaluate a PEP 508 marker expression for the target
 * environment of opts. *keep is true when the marker holds (or opts says
 * not to evaluate). A marker that cannot be parsed is TG_EPARSE. */
int in_marker_keep(const char *marker, const struct tg_input_opts *opts,
		   const char *origin, unsigned long line, bool *keep,
		   struct tg_err *err);
/* The same for a marker already parsed (tollgate/markers.h). */
struct tg_marker;
int in_marker_keep_parsed(const struct tg_marker *m,
			  const struct tg_input_opts *opts, const char *origin,
			  unsigned long line, bool *keep, struct tg_err *err);

/* JSON with value positions: jansson keeps no positions, so after loading
 * we scan the raw text once more and pair the values it finds, in document
 * order, with a pre-order walk of the jansson tree (jansson keeps object
 * keys in document order and duplicates are rejected, so the two orders
 * agree). Only objects and arrays are recorded; an object member's line is
 * the line of its key. */
struct in_json_doc {
	json_t *root;
	struct in_json_pos *pos; /* sorted by value pointer */
	size_t n_pos;
};
struct in_json_pos {
	const json_t *v;
	unsigned long line;
};
/* Load data as JSON (TG_EPARSE on syntax errors, NUL bytes, invalid
 * UTF-8) and build the position index. The caller releases with
 * in_json_release(). */
int in_json_load(const char *data, size_t len, const char *origin,
		 struct in_json_doc *doc, struct tg_err *err);
void in_json_release(struct in_json_doc *doc);
/* Line of an object or array value, 0 when unknown. */
unsigned long in_json_line(const struct in_json_doc *doc, const json_t *v);

/* Parse a purl for an inventory: ecosystem, display name ("@scope/name"
 * for npm), version. *eco is TG_ECO_UNKNOWN for types we do not audit.
 * Strings are heap copies the caller frees. */
int in_purl_package(const char *purl, enum tg_ecosystem *eco, char **name,
		    char **version, struct tg_err *err);

/* TOML lockfiles: parse with the input caps. The caller frees *doc with
 * tg_toml_free(). */
struct tg_toml;
struct tg_toml_value;
int in_toml_load(const char *data, size_t len, const char *origin,
		 const struct tg_input_opts *opts, struct tg_toml **doc,
		 struct tg_err *err);
/* Evaluate an optional marker string value; *keep true when absent. */
int in_toml_marker(const struct tg_toml_value *marker,
		   const struct tg_input_opts *opts, const char *origin,
		   unsigned long line, bool *keep, struct tg_err *err);
/* Apply the keep / include_skipped rule: returns false when the package
 * is to be dropped, else ORs TG_PKG_SKIPPED_MARKER into *flags as needed. */
bool in_marker_flags(bool keep, const struct tg_input_opts *opts,
		     unsigned *flags);
/* Name at the start of a PEP 508 requirement string ("idna>=2.8; ...")
 * into out (size IN_MAX_NAME + 1); false when there is none. */
bool in_requirement_name(const char *req, char *out);

#endif

/* The per-package record: every affected[] entry that names one package,
 * with its ranges, events and versions list, and an index of those
 * versions lists by canonical version, serialised into one BLOB of the
 * pkg_index table (written by the updater, read by tg_db_pkg_get).
 *
 * Audit reads one package per lookup; reading the same data from the
 * affected/ranges/events tables takes a dozen statements and a row per
 * event, and matching then had to canonicalise and index every listed
 * version (PyPI advisories list most releases of a project, so a popular
 * name carries tens of thousands of them). The record stores the index
 * ready to search.
 *
 * Layout (all integers little-endian, strings u32 length + bytes + NUL,
 * length 0xffffffff for NULL):
 *   "TGP1" str latest u32 n_entries entry* u32 n_keys key*
 *   latest: the package's latest release from the name list, or NULL
 *   entry := str id, i64 group, u8 flags (1 withdrawn, 2 malicious),
 *            str modified, str name, str norm_name, u32 entry_index,
 *            str database_specific, str ecosystem_specific,
 *            u32 n_ranges range*, u32 n_versions, u32 bytes, str*
 *            (bytes: the size of the strings that follow),
 *            u32 bytes, brief (bytes: its size)
 *   brief := str summary, str details, str published, str db_severity,
 *            u32 n_aliases str*, u32 n_severity (str type, str score)*
 *   range := u8 type, str repo, u32 n_events (u8 kind, str version)*
 *   key   := str canonical version, u32 n, u32 entry*n (ascending)
 * keys are sorted by strcmp and unique. The database file may be damaged
 * or hostile: the decoder checks every length, count, index and order. */
#ifndef TOLLGATE_DB_PKG_RECORD_H
#define TOLLGATE_DB_PKG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/buf.h"
#include "tollgate/db.h"
#include "tollgate/err.h"

/* Caps on one record (a hostile file cannot make the reader allocate
 * without end). */
#define TG_PKG_RECORD_MAX_BYTES ((size_t)256 << 20)
#define TG_PKG_RECORD_MAX_ITEMS 4000000u

/* Canonical key of a versions-list entry, as the matcher compares them:
 * PEP 440 normal form for PyPI when the text parses, else the text as
 * published. Heap string, NULL on ENOMEM. */
char *tg_pkg_version_key(enum tg_ecosystem eco, const char *version);

/* Writing one record: begin, add each entry (in the order readers
 * should see them), finish; release in every case. Entries are copied
 * into out as they are added, so their strings need not outlive add. */
struct tg_pkg_key_ref {
	char *key;
	uint32_t entry;
};

struct tg_pkg_encoder {
	enum tg_ecosystem eco;
	struct tg_buf *out;       /* borrowed */
	size_t count_at;          /* offset of n_entries in out */
	size_t n_entries;
	struct tg_pkg_key_ref *refs; /* (key, entry) of every listed version */
	size_t n_refs, cap_refs;
};

int tg_pkg_encoder_begin(struct tg_pkg_encoder *e, enum tg_ecosystem eco,
			 const char *latest, struct tg_buf *out, struct tg_err *err);
/* brief: the advisory's descriptive fields, or NULL for none. */
int tg_pkg_encoder_add(struct tg_pkg_encoder *e, const struct tg_db_affected *a,
		       const struct tg_db_pkg_brief *brief, struct tg_err *err);
int tg_pkg_encoder_finish(struct tg_pkg_encoder *e, struct tg_err *err);
void tg_pkg_encoder_release(struct tg_pkg_encoder *e);

/* Decode data (len bytes; copied, so the caller's buffer may go) for
 * ecosystem eco. origin names the record in errors. */
int tg_pkg_record_decode(const void *data, size_t len, enum tg_ecosystem eco,
			 const char *origin, struct tg_db_pkg **out,
			 struct tg_err *err);
/* The same, taking ownership of blob (malloc'd, len bytes) whatever the
 * outcome. */
int tg_pkg_record_decode_owned(void *blob, size_t len, enum tg_ecosystem eco,
			       const char *origin, struct tg_db_pkg **out,
			       struct tg_err *err);

#endif

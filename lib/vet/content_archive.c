/* Walking an archive held in memory with libarchive.
 *
 * Nothing is written to disk. Only the formats packages use are enabled
 * (zip, tar with gzip / bzip2 / xz), and only libarchive's built-in
 * decompressors: a filter that would run an external program is refused,
 * so a crafted archive cannot make the scanner execute anything. Members
 * whose names are absolute or climb out with "..", and links that point
 * outside the archive root, are reported and not read.
 */
#include "vet/content_internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"
#include "vet/content_load.h"
#include "vet/content_paths.h"
#include "lazy/lazy.h"

static int add_reason(struct tg_vet_result *res, const char *rule,
		      enum tg_vet_level level, const char *path,
		      const char *msg, struct tg_err *err)
{
	struct tg_vet_reason r = { .rule = (char *)rule, .level = level,
				   .message = (char *)msg };
	char shown[TG_VET_EXCERPT_MAX + 1];

	if (path) {
		tg_vet_sanitize(path, strlen(path), shown, sizeof(shown));
		r.path = shown;
	}
	return tg_vet_result_add(res, &r, err);
}

static int open_reader(struct archive **out, struct tg_err *err)
{
	struct archive *a;
	int rc;

	*out = NULL;
	if ((rc = tg_lazy_require(TG_LAZY_ARCHIVE, "reading package archives", err)))
		return rc;
	a = archive_read_new();
	if (!a)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	/* ARCHIVE_WARN here means "falls back to an external program". */
	if (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_filter_bzip2(a) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(a) != ARCHIVE_OK ||
	    archive_read_support_filter_none(a) != ARCHIVE_OK ||
	    archive_read_support_format_zip(a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_format_gnutar(a) != ARCHIVE_OK) {
		archive_read_free(a);
		return tg_err_set(err, TG_EINTERNAL,
				  "libarchive lacks built-in zip/tar/gzip/bzip2/xz support");
	}
	*out = a;
	return 0;
}

static const char *entry_name(struct archive_entry *e)
{
	const char *s = archive_entry_pathname_utf8(e);

	return s ? s : archive_entry_pathname(e);
}

/* Returns 0 to continue, VET_LOAD_STOP to end the walk, or a TG_E* code. */
static int read_member(struct archive *a, struct vet_pkg *p,
		       struct vet_member *m, size_t archive_len,
		       struct tg_vet_result *res, struct tg_err *err)
{
	struct vet_loader ld;
	const struct tg_vet_limits *lim = p->lim;
	char chunk[65536];
	bool complete = false;
	int rc;

	if ((rc = vet_load_begin(&ld, p, m, err)))
		return rc;
	for (;;) {
		la_ssize_t got = archive_read_data(a, chunk, sizeof(chunk));

		if (got == 0) {
			complete = true;
			break;
		}
		if (got < 0) {
			const char *why = archive_error_string(a);
			rc = tg_err_set(err, TG_EPARSE, "member %.200s: %s", m->path,
					why ? why : "unreadable data");
			break;
		}
		rc = vet_load_feed(&ld, chunk, (size_t)got, res, err);
		if (rc)
			break;
		/* The ratio against the whole archive's size stops a bomb
		 * after a few megabytes instead of after max_total. */
		if (p->total > lim->ratio_floor &&
		    p->total / (archive_len ? archive_len : 1) >= lim->max_ratio) {
			char msg[256];
			snprintf(msg, sizeof(msg),
				 "uncompressed data is over %u times the archive's "
				 "size (%zu bytes): a decompression bomb; scanning "
				 "stopped here", lim->max_ratio, archive_len);
			p->stopped = true;
			rc = add_reason(res, "archive-limit", TG_VET_BLOCK, m->path,
					msg, err);
			if (rc == 0)
				rc = VET_LOAD_STOP;
			break;
		}
	}
	{
		int rc2 = vet_load_end(&ld, complete, err);
		if (rc == 0)
			rc = rc2;
	}
	return rc;
}

static int handle_entry(struct archive *a, struct archive_entry *e,
			struct vet_pkg *p, size_t archive_len,
			struct tg_vet_result *res, struct tg_err *err)
{
	const struct tg_vet_limits *lim = p->lim;
	const char *raw = entry_name(e);
	char *norm = NULL;
	struct vet_member *m;
	enum vet_path_verdict pv;
	mode_t type = archive_entry_filetype(e);
	const char *hard = archive_entry_hardlink(e);
	char msg[512];

	if (!raw || !*raw)
		return add_reason(res, "archive-traversal", TG_VET_BLOCK, NULL,
				  "a member has no usable name", err);
	if (strlen(raw) > lim->max_path) {
		snprintf(msg, sizeof(msg), "a member name is longer than %zu bytes",
			 lim->max_path);
		return add_reason(res, "archive-limit", TG_VET_BLOCK, NULL, msg, err);
	}
	pv = vet_path_normalize(raw, &norm);
	if (pv == VET_PATH_NOMEM)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (pv != VET_PATH_OK) {
		snprintf(msg, sizeof(msg), "member path %s: extracting it would write "
			 "outside the target directory",
			 pv == VET_PATH_ABSOLUTE ? "is absolute" : "climbs out with '..'");
		free(norm);
		return add_reason(res, "archive-traversal", TG_VET_BLOCK, raw, msg, err);
	}
	if (type == AE_IFDIR || *norm == '\0') {
		free(norm);
		return 0;
	}
	if (vet_pkg_find_path(p, norm)) {
		snprintf(msg, sizeof(msg), "the archive holds this path more than "
			 "once: tools disagree on which copy is installed");
		if (add_reason(res, "archive-duplicate", TG_VET_WARN, norm, msg, err)) {
			free(norm);
			return err->code;
		}
	}
	if (hard || type == AE_IFLNK) {
		const char *target = hard ? hard : archive_entry_symlink(e);
		bool escapes = !target || vet_link_escapes(norm, target, hard != NULL);

		m = vet_pkg_add(p, norm, err);
		if (!m)
			return err->code;
		m->type = hard ? VM_HARDLINK : VM_SYMLINK;
		if (target && !(m->link_target = tg_strdup(target)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		if (escapes) {
			char shown[160];
			tg_vet_sanitize(target ? target : "", target ? strlen(target) : 0,
					shown, sizeof(shown));
			snprintf(msg, sizeof(msg), "%s points outside the package "
				 "root (to '%s'): extraction could overwrite or read "
				 "files elsewhere", hard ? "hard link" : "symbolic link",
				 shown);
			return add_reason(res, "archive-link-escape", TG_VET_BLOCK,
					  m->path, msg, err);
		}
		return 0;
	}
	if (type != AE_IFREG) {
		snprintf(msg, sizeof(msg), "special file (device, FIFO or socket) "
			 "in a package");
		m = vet_pkg_add(p, norm, err);
		if (!m)
			return err->code;
		m->type = VM_OTHER;
		return add_reason(res, "archive-special", TG_VET_WARN, m->path, msg, err);
	}
	m = vet_pkg_add(p, norm, err);
	if (!m)
		return err->code;
	if (archive_entry_is_encrypted(e)) {
		m->type = VM_OTHER;
		return add_reason(res, "archive-encrypted", TG_VET_WARN, m->path,
				  "encrypted member: its content cannot be checked",
				  err);
	}
	return read_member(a, p, m, archive_len, res, err);
}

int vet_walk_archive(struct vet_pkg *p, const void *data, size_t len,
		     struct tg_vet_result *res, struct tg_err *err)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	size_t entries = 0;
	int rc;

	if ((rc = open_reader(&a, err)))
		return rc;
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		const char *why = archive_error_string(a);
		rc = tg_err_at(err, TG_EPARSE, p->filename, 0, 0,
			       "not a zip or tar archive: %s",
			       why ? why : "unrecognised format");
		goto out;
	}
	for (;;) {
		int r = archive_read_next_header(a, &e);

		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			const char *why = archive_error_string(a);
			rc = tg_err_at(err, TG_EPARSE, p->filename, 0, 0,
				       "unreadable archive after %zu members: %s",
				       entries, why ? why : "corrupt header");
			goto out;
		}
		if (++entries > p->lim->max_entries) {
			char msg[160];
			snprintf(msg, sizeof(msg), "more than %zu members: scanning "
				 "stopped here", p->lim->max_entries);
			p->stopped = true;
			rc = add_reason(res, "archive-limit", TG_VET_BLOCK, NULL, msg, err);
			goto out;
		}
		rc = handle_entry(a, e, p, len, res, err);
		if (rc == VET_LOAD_STOP) {
			rc = 0;
			goto out;
		}
		if (rc)
			goto out;
	}
	if (entries == 0)
		rc = tg_err_at(err, TG_EPARSE, p->filename, 0, 0, "empty archive");
out:
	archive_read_free(a);
	return rc;
}

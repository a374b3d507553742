/* libarchive, loaded on first use (see lazy.h). */
#include "lazy/lazy.h"

#if TG_LAZY_LOAD
#include <archive.h>
#include <archive_entry.h>

#define ARCHIVE_FUNCS(X, V, D)                                                 \
	X(struct archive *, archive_read_new, (void), (), NULL)                \
	X(int, archive_read_free, (struct archive * a), (a), ARCHIVE_FATAL)    \
	X(int, archive_read_support_filter_all, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(int, archive_read_support_filter_bzip2, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(int, archive_read_support_filter_gzip, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(int, archive_read_support_filter_none, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(int, archive_read_support_filter_xz, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(int, archive_read_support_format_gnutar, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(int, archive_read_support_format_tar, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(int, archive_read_support_format_zip, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(int, archive_read_open,                                              \
	  (struct archive * a, void *client_data, archive_open_callback *open_cb, \
	   archive_read_callback *read_cb, archive_close_callback *close_cb),  \
	  (a, client_data, open_cb, read_cb, close_cb), ARCHIVE_FATAL)         \
	X(int, archive_read_open_filename,                                     \
	  (struct archive * a, const char *filename, size_t block_size),       \
	  (a, filename, block_size), ARCHIVE_FATAL)                            \
	X(int, archive_read_open_memory,                                       \
	  (struct archive * a, const void *buff, size_t size), (a, buff, size), \
	  ARCHIVE_FATAL)                                                       \
	X(int, archive_read_next_header,                                       \
	  (struct archive * a, struct archive_entry * *entry), (a, entry),     \
	  ARCHIVE_FATAL)                                                       \
	X(la_ssize_t, archive_read_data, (struct archive * a, void *buff, size_t size), \
	  (a, buff, size), ARCHIVE_FATAL)                                      \
	X(int, archive_read_data_skip, (struct archive * a), (a), ARCHIVE_FATAL) \
	X(const char *, archive_error_string, (struct archive * a), (a),       \
	  "libarchive is not loaded")                                          \
	X(la_int64_t, archive_filter_bytes, (struct archive * a, int n), (a, n), -1) \
	X(__LA_MODE_T, archive_entry_filetype, (struct archive_entry * e), (e), 0) \
	X(const char *, archive_entry_hardlink, (struct archive_entry * e), (e), NULL) \
	X(int, archive_entry_is_encrypted, (struct archive_entry * e), (e), 0) \
	X(const char *, archive_entry_pathname, (struct archive_entry * e), (e), NULL) \
	X(const char *, archive_entry_pathname_utf8, (struct archive_entry * e), (e), NULL) \
	X(la_int64_t, archive_entry_size, (struct archive_entry * e), (e), 0)  \
	X(int, archive_entry_size_is_set, (struct archive_entry * e), (e), 0)  \
	X(const char *, archive_entry_symlink, (struct archive_entry * e), (e), NULL)

TG_LAZY_DEFINE(ARCHIVE_FUNCS, TG_SONAME_ARCHIVE)
TG_LAZY_LOADER(tg_lazy_load_archive)

#else
typedef int tg_lazy_archive_unused;
#endif

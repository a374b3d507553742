/* Growable byte buffer with a hard cap.
 *
 * Everything read from outside goes through a tg_buf so that its size is
 * bounded: growing past `max` fails with TG_ELIMIT instead of allocating
 * without end. The data is always NUL-terminated (the NUL is not counted
 * in len), so text can be used as a C string when it holds no NUL bytes.
 *
 * Ownership: the buffer owns `data`; tg_buf_release() frees it and resets
 * the buffer; tg_buf_detach() hands `data` to the caller (free() it).
 */
#ifndef TOLLGATE_BUF_H
#define TOLLGATE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "tollgate/err.h"

struct tg_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* hard cap on len */
};

#define TG_BUF_DEFAULT_MAX ((size_t)64 << 20)

void tg_buf_init(struct tg_buf *b, size_t max);
void tg_buf_release(struct tg_buf *b);
char *tg_buf_detach(struct tg_buf *b, size_t *len);
void tg_buf_reset(struct tg_buf *b); /* len = 0, keeps the memory */

/* Make room for `extra` more bytes (plus the NUL). */
int tg_buf_grow(struct tg_buf *b, size_t extra, struct tg_err *err);
int tg_buf_add_grow(struct tg_buf *b, const void *p, size_t n, struct tg_err *err);

/* Append n bytes. Inline for the common case, where they fit: report
 * writers append hundreds of thousands of short pieces. */
static inline int tg_buf_add(struct tg_buf *b, const void *p, size_t n,
			     struct tg_err *err)
{
	/* cap > len whenever data is allocated (room for the NUL), so
	 * n < cap - len also rules out overflow. */
	if (n < b->cap - b->len && b->len + n <= b->max) {
		if (n)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return tg_buf_add_grow(b, p, n, err);
}

int tg_buf_adds(struct tg_buf *b, const char *s, struct tg_err *err);
int tg_buf_addc(struct tg_buf *b, char c, struct tg_err *err);
int tg_buf_addf(struct tg_buf *b, struct tg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int tg_buf_vaddf(struct tg_buf *b, struct tg_err *err, const char *fmt,
		 va_list ap) __attribute__((format(printf, 3, 0)));
/* Append s with JSON string escaping (no surrounding quotes). */
int tg_buf_add_json_escaped(struct tg_buf *b, const char *s, size_t n,
			    struct tg_err *err);
/* Shorten to n bytes (n <= len). */
void tg_buf_truncate(struct tg_buf *b, size_t n);

#endif

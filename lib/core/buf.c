#include "tollgate/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"

static char empty_string[1];

void tg_buf_init(struct tg_buf *b, size_t max)
{
	b->data = empty_string;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : TG_BUF_DEFAULT_MAX;
}

void tg_buf_release(struct tg_buf *b)
{
	if (b->cap)
		free(b->data);
	b->data = empty_string;
	b->len = 0;
	b->cap = 0;
}

char *tg_buf_detach(struct tg_buf *b, size_t *len)
{
	char *p;

	if (!b->cap) {
		p = calloc(1, 1);
	} else {
		p = b->data;
	}
	if (len)
		*len = p ? b->len : 0;
	b->data = empty_string;
	b->len = 0;
	b->cap = 0;
	return p;
}

void tg_buf_reset(struct tg_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

int tg_buf_grow(struct tg_buf *b, size_t extra, struct tg_err *err)
{
	size_t need, newcap;
	char *p;

	if (!tg_size_add(b->len, extra, &need) || need > b->max)
		return tg_err_set(err, TG_ELIMIT,
				  "data exceeds the limit of %zu bytes", b->max);
	if (!tg_size_add(need, 1, &need))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	if (need <= b->cap)
		return 0;
	newcap = b->cap ? b->cap : 64;
	while (newcap < need) {
		if (!tg_size_mul(newcap, 2, &newcap)) {
			newcap = need;
			break;
		}
	}
	if (newcap > b->max + 1 && need <= b->max + 1)
		newcap = b->max + 1;
	p = realloc(b->cap ? b->data : NULL, newcap);
	if (!p)
		return tg_err_set(err, TG_ENOMEM,
				  "out of memory growing a buffer to %zu bytes",
				  newcap);
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = newcap;
	return 0;
}

/* tg_buf_add's path when the buffer must grow (see buf.h). */
int tg_buf_add_grow(struct tg_buf *b, const void *p, size_t n, struct tg_err *err)
{
	int rc = tg_buf_grow(b, n, err);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int tg_buf_adds(struct tg_buf *b, const char *s, struct tg_err *err)
{
	return tg_buf_add(b, s, strlen(s), err);
}

int tg_buf_addc(struct tg_buf *b, char c, struct tg_err *err)
{
	return tg_buf_add(b, &c, 1, err);
}

int tg_buf_vaddf(struct tg_buf *b, struct tg_err *err, const char *fmt,
		 va_list ap)
{
	va_list cp;
	int n;
	int rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return tg_err_set(err, TG_EINTERNAL, "bad format string");
	rc = tg_buf_grow(b, (size_t)n, err);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int tg_buf_addf(struct tg_buf *b, struct tg_err *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = tg_buf_vaddf(b, err, fmt, ap);
	va_end(ap);
	return rc;
}

int tg_buf_add_json_escaped(struct tg_buf *b, const char *s, size_t n,
			    struct tg_err *err)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;
	int rc;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 0;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			elen = 2;
		} else if (c == '\n') {
			memcpy(esc, "\\n", 2);
			elen = 2;
		} else if (c == '\r') {
			memcpy(esc, "\\r", 2);
			elen = 2;
		} else if (c == '\t') {
			memcpy(esc, "\\t", 2);
			elen = 2;
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		if (!elen)
			continue;
		rc = tg_buf_add(b, s + start, i - start, err);
		if (!rc)
			rc = tg_buf_add(b, esc, elen, err);
		if (rc)
			return rc;
		start = i + 1;
	}
	return tg_buf_add(b, s + start, n - start, err);
}

void tg_buf_truncate(struct tg_buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->data[n] = '\0';
	}
}

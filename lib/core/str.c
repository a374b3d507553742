#include "tollgate/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"

size_t tg_strlcpy(char *dst, const char *src, size_t dstsz)
{
	size_t n = strlen(src);

	if (dstsz) {
		size_t c = n < dstsz - 1 ? n : dstsz - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

char *tg_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

uint32_t tg_str_hash(const char *s, uint32_t seed)
{
	uint32_t h = seed;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

char *tg_strdup(const char *s)
{
	return tg_strndup(s, strlen(s));
}

char *tg_strdup_opt(const char *s, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	d = tg_strdup(s);
	if (!d)
		*ok = false;
	return d;
}

int tg_strv_push(char ***v, size_t *n, const char *s, size_t max,
		 const char *what, struct tg_err *err)
{
	char **nv;
	char *d;
	size_t bytes;

	if (*n >= max)
		return tg_err_set(err, TG_ELIMIT, "more than %zu %s", max, what);
	if (!tg_size_mul(*n + 1, sizeof(char *), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	d = tg_strdup(s);
	nv = d ? realloc(*v, bytes) : NULL;
	if (!nv) {
		free(d);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	nv[(*n)++] = d;
	*v = nv;
	return 0;
}

char *tg_asprintf(const char *fmt, ...)
{
	va_list ap, cp;
	char *p;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		va_end(ap);
		return NULL;
	}
	p = malloc((size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

bool tg_str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool tg_str_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

char tg_ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int tg_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)tg_ascii_lower(a[i]);
		unsigned char y = (unsigned char)tg_ascii_lower(b[i]);
		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			return 0;
	}
	return 0;
}

int tg_ascii_casecmp(const char *a, const char *b)
{
	return tg_ascii_ncasecmp(a, b, (size_t)-1);
}

bool tg_parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(s[i] - '0'), &v))
			return false;
	}
	*out = v;
	return true;
}

bool tg_parse_i64(const char *s, int64_t *out)
{
	bool neg = false;
	uint64_t u;
	size_t n;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	n = strlen(s);
	if (!tg_parse_u64(s, n, &u))
		return false;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return false;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return false;
		*out = (int64_t)u;
	}
	return true;
}

void tg_hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool tg_hex_decode(const char *hex, size_t hexlen, unsigned char *out,
		   size_t outlen)
{
	size_t i;

	if (hexlen != 2 * outlen)
		return false;
	for (i = 0; i < outlen; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

bool tg_utf8_valid(const char *p, size_t n, size_t *bad_off)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len, k;
		unsigned long cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			goto bad;
		}
		if (n - i < len)
			goto bad;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += len;
	}
	return true;
bad:
	if (bad_off)
		*bad_off = i;
	return false;
}

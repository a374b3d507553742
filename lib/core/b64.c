/* Strict base64 (standard and URL-safe alphabets). */
#include <string.h>

#include "core/b64.h"

static int b64_value(char c, enum tg_b64_alphabet alpha)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (alpha == TG_B64_STD) {
		if (c == '+')
			return 62;
		if (c == '/')
			return 63;
	} else {
		if (c == '-')
			return 62;
		if (c == '_')
			return 63;
	}
	return -1;
}

int tg_b64_decode(const char *s, size_t n, enum tg_b64_alphabet alpha,
		  struct tg_buf *out, struct tg_err *err)
{
	size_t i, pad = 0, data = 0, total = 0;
	unsigned acc = 0;
	int bits = 0;

	/* Line breaks are skipped in the standard alphabet: bundles made with
	 * `base64` (76-column lines) are accepted by protobuf JSON decoders. */
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (alpha == TG_B64_STD && (c == '\n' || c == '\r'))
			continue;
		total++;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)
			return tg_err_set(err, TG_EPARSE, "base64: data after padding");
		{
			int v = b64_value(c, alpha);

			if (v < 0)
				return tg_err_set(err, TG_EPARSE,
						  "base64: invalid character at offset %zu", i);
			acc = (acc << 6) | (unsigned)v;
		}
		data++;
		bits += 6;
		if (bits >= 8) {
			int rc;

			bits -= 8;
			rc = tg_buf_addc(out, (char)((acc >> bits) & 0xff), err);
			if (rc)
				return rc;
		}
	}
	if (pad > 2 || (pad && total % 4 != 0))
		return tg_err_set(err, TG_EPARSE, "base64: bad padding");
	if (data % 4 == 1)
		return tg_err_set(err, TG_EPARSE, "base64: impossible length %zu", n);
	/* Leftover bits must be zero: a canonical encoding has no junk there. */
	if (bits && (acc & ((1u << bits) - 1)))
		return tg_err_set(err, TG_EPARSE, "base64: non-canonical trailing bits");
	return 0;
}

long tg_b64_decode_into(const char *s, size_t n, enum tg_b64_alphabet alpha,
			unsigned char *out, size_t cap)
{
	struct tg_buf b;
	long got = -1;

	tg_buf_init(&b, cap + 4);
	if (tg_b64_decode(s, n, alpha, &b, NULL) == 0 && b.len <= cap) {
		memcpy(out, b.data, b.len);
		got = (long)b.len;
	}
	tg_buf_release(&b);
	return got;
}

bool tg_b64_decode_exact(const char *s, size_t n, enum tg_b64_alphabet alpha,
			 unsigned char *out, size_t outlen)
{
	return tg_b64_decode_into(s, n, alpha, out, outlen) == (long)outlen;
}

int tg_b64_encode(const unsigned char *in, size_t n, struct tg_buf *out,
		  struct tg_err *err)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	int rc;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		char q[4] = { tbl[v >> 18], tbl[(v >> 12) & 63], tbl[(v >> 6) & 63],
			      tbl[v & 63] };
		if ((rc = tg_buf_add(out, q, 4, err)))
			return rc;
	}
	if (i < n) {
		unsigned v = (unsigned)in[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		q[0] = tbl[v >> 18];
		q[1] = tbl[(v >> 12) & 63];
		q[2] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		q[3] = '=';
		if ((rc = tg_buf_add(out, q, 4, err)))
			return rc;
	}
	return 0;
}

/* Strict TOML 1.0.0 parser: bytes -> struct tg_toml.
 *
 * One pass, recursive only into arrays and inline tables (whose depth is
 * capped). Positions are computed by a cursor that only moves forward, so
 * the cost of line/column tracking stays linear in the input size. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syntax/toml_internal.h"
#include "tollgate/buf.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

/* Hard ceiling on the depth a caller may ask for: parsing recurses once per
 * array or inline-table level. */
#define DEPTH_CEILING 1024u

struct keyseg {
	size_t off, len; /* decoded bytes in parser.keys */
	unsigned long line, col;
};

struct parser {
	const char *s;
	size_t n, i;
	const char *origin;
	struct tg_err *err;
	struct tg_toml *doc;
	struct tg_toml_limits lim;
	size_t nvalues;
	struct tg_toml_value *cur; /* table that receives key/value lines */
	struct tg_buf str;         /* decoded string value */
	struct tg_buf keys;        /* decoded segments of the current key */
	struct keyseg *segs;
	size_t nsegs, capsegs;
	/* forward-only position cursor */
	size_t t_off;
	unsigned long t_line, t_col;
};

static void locate(struct parser *p, size_t off, unsigned long *line,
		   unsigned long *col)
{
	if (off > p->n)
		off = p->n;
	if (off < p->t_off) {
		/* Rare (errors reported at an earlier token): step back to off,
		 * then recount the column from the start of its line. */
		size_t ls;
		while (p->t_off > off)
			if (p->s[--p->t_off] == '\n')
				p->t_line--;
		for (ls = off; ls > 0 && p->s[ls - 1] != '\n'; ls--)
			;
		p->t_col = 1;
		for (; ls < off; ls++)
			if (((unsigned char)p->s[ls] & 0xc0) != 0x80)
				p->t_col++;
	}
	while (p->t_off < off) {
		unsigned char c = (unsigned char)p->s[p->t_off++];
		if (c == '\n') {
			p->t_line++;
			p->t_col = 1;
		} else if ((c & 0xc0) != 0x80) {
			p->t_col++;
		}
	}
	*line = p->t_line;
	*col = p->t_col;
}

static int perr_code(struct parser *p, int code, size_t off, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

static int perr_code(struct parser *p, int code, size_t off, const char *fmt,
		     ...)
{
	char msg[TG_ERR_MSG_MAX];
	unsigned long line, col;
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		tg_strlcpy(msg, "(unformattable error message)", sizeof(msg));
	va_end(ap);
	locate(p, off, &line, &col);
	return tg_err_at(p->err, (enum tg_code)code, p->origin, line, col, "%s",
			 msg);
}

#define perr(p, off, ...) perr_code((p), TG_EPARSE, (off), __VA_ARGS__)

static int nomem(struct parser *p)
{
	return perr_code(p, TG_ENOMEM, p->i, "out of memory while parsing TOML");
}

/* A short description of what is at off, for "expected X, found Y". */
static const char *found(const struct parser *p, size_t off, char *buf,
			 size_t bufsz)
{
	unsigned char c;

	if (off >= p->n)
		return "end of input";
	c = (unsigned char)p->s[off];
	if (c == '\n' || (c == '\r' && off + 1 < p->n && p->s[off + 1] == '\n'))
		return "end of line";
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, bufsz, "'%c'", c);
	else if (c == ' ')
		return "a space";
	else if (c == '\t')
		return "a tab";
	else if (c < 0x80)
		snprintf(buf, bufsz, "control character U+%04X", c);
	else
		return "a non-ASCII character";
	return buf;
}

static bool is_bare_key_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A key path for messages: bare segments as written, others quoted, the
 * whole shortened when long. */
static const char *key_name(const struct parser *p, size_t first,
			    size_t count, char *buf, size_t bufsz)
{
	size_t k, used = 0;

	buf[0] = '\0';
	for (k = first; k < first + count && used + 8 < bufsz; k++) {
		const struct keyseg *sg = &p->segs[k];
		const char *key = p->keys.data + sg->off;
		bool bare = sg->len > 0;
		size_t j;

		for (j = 0; j < sg->len; j++)
			if (!is_bare_key_char((unsigned char)key[j]))
				bare = false;
		if (k > first)
			buf[used++] = '.';
		if (!bare)
			buf[used++] = '"';
		for (j = 0; j < sg->len && used + 6 < bufsz; j++) {
			unsigned char c = (unsigned char)key[j];
			buf[used++] = (c < 0x20 || c == 0x7f || c == '"') ? '?'
									  : (char)c;
		}
		if (j < sg->len) {
			used += (size_t)snprintf(buf + used, bufsz - used, "...");
			break;
		}
		if (!bare)
			buf[used++] = '"';
		buf[used] = '\0';
	}
	if (used >= bufsz)
		used = bufsz - 1;
	buf[used] = '\0';
	return buf;
}

static const char *what_value(const struct tg_toml_value *v)
{
	switch (v->type) {
	case TG_TOML_TABLE:
		return v->kind == TG_TBL_INLINE ? "an inline table" : "a table";
	case TG_TOML_ARRAY:
		return v->kind == TG_ARR_TABLES ? "an array of tables" : "an array";
	case TG_TOML_STRING: return "a string";
	case TG_TOML_INTEGER: return "an integer";
	case TG_TOML_FLOAT: return "a float";
	case TG_TOML_BOOL: return "a boolean";
	default: return "a date/time";
	}
}

/* New value at line:col, nested `depth` levels below the root; counts
 * against the value and depth caps. */
static int make_value(struct parser *p, enum tg_toml_type type,
		      unsigned long line, unsigned long col, unsigned depth,
		      struct tg_toml_value **out)
{
	struct tg_toml_value *v;

	if (depth > p->lim.max_depth)
		return tg_err_at(p->err, TG_ELIMIT, p->origin, line, col,
				 "nesting deeper than the limit of %u levels",
				 p->lim.max_depth);
	if (p->nvalues >= p->lim.max_values)
		return tg_err_at(p->err, TG_ELIMIT, p->origin, line, col,
				 "more than the limit of %zu values in one document",
				 p->lim.max_values);
	v = tg_toml_new_value(p->doc, type, line, col);
	if (!v)
		return nomem(p);
	v->depth = (uint16_t)depth;
	p->nvalues++;
	*out = v;
	return 0;
}

/* New value whose text starts at offset off. */
static int new_value(struct parser *p, enum tg_toml_type type, size_t off,
		     unsigned depth, struct tg_toml_value **out)
{
	unsigned long line, col;

	locate(p, off, &line, &col);
	return make_value(p, type, line, col, depth, out);
}

/* A table created where a key segment was written. */
static int new_table_at_seg(struct parser *p, struct tg_toml_value *parent,
			    const struct keyseg *sg, enum tg_toml_table_kind kind,
			    struct tg_toml_value **out)
{
	struct tg_toml_value *t;
	int rc;

	if ((rc = make_value(p, TG_TOML_TABLE, sg->line, sg->col,
			     parent->depth + 1u, &t)))
		return rc;
	t->kind = (uint8_t)kind;
	if (tg_toml_table_add(p->doc, parent, p->keys.data + sg->off, sg->len,
			      t, sg->line, sg->col))
		return nomem(p);
	*out = t;
	return 0;
}

/* --- whitespace, comments, newlines --- */

static void skip_ws(struct parser *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		p->i++;
}

static bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* At '#': skip to the end of the line (not consuming the newline). */
static int skip_comment(struct parser *p)
{
	p->i++;
	while (p->i < p->n) {
		unsigned char c = (unsigned char)p->s[p->i];

		if (c == '\n')
			break;
		if (c == '\r') {
			if (p->i + 1 < p->n && p->s[p->i + 1] == '\n')
				break;
			return perr(p, p->i,
				    "carriage return without a following newline in a comment");
		}
		if (is_control(c))
			return perr(p, p->i,
				    "control character U+%04X is not allowed in a comment",
				    c);
		p->i++;
	}
	return 0;
}

/* At a newline: consume it. Returns false when there is none. */
static bool eat_newline(struct parser *p)
{
	if (p->i < p->n && p->s[p->i] == '\n') {
		p->i++;
		return true;
	}
	if (p->i + 1 < p->n && p->s[p->i] == '\r' && p->s[p->i + 1] == '\n') {
		p->i += 2;
		return true;
	}
	return false;
}

/* Spaces, an optional comment, then a newline or the end of input. */
static int end_of_line(struct parser *p, const char *after)
{
	char fb[32];
	int rc;

	skip_ws(p);
	if (p->i < p->n && p->s[p->i] == '#' && (rc = skip_comment(p)))
		return rc;
	if (p->i >= p->n || eat_newline(p))
		return 0;
	if (p->s[p->i] == '\r')
		return perr(p, p->i,
			    "carriage return without a following newline");
	return perr(p, p->i, "expected end of line after %s, found %s", after,
		    found(p, p->i, fb, sizeof(fb)));
}

/* Inside arrays: whitespace, newlines and comments in any mix. */
static int skip_ws_nl_comments(struct parser *p)
{
	int rc;

	for (;;) {
		skip_ws(p);
		if (p->i >= p->n)
			return 0;
		if (p->s[p->i] == '#') {
			if ((rc = skip_comment(p)))
				return rc;
		} else if (!eat_newline(p)) {
			if (p->s[p->i] == '\r')
				return perr(p, p->i,
					    "carriage return without a following newline");
			return 0;
		}
	}
}

/* --- strings --- */

struct sink {
	struct tg_buf *buf;
	size_t base, limit;
	size_t open; /* offset of the opening quote, for errors */
	const char *what;
};

static int put(struct parser *p, struct sink *k, const char *data, size_t n)
{
	if (k->buf->len - k->base > k->limit ||
	    n > k->limit - (k->buf->len - k->base))
		return perr_code(p, TG_ELIMIT, k->open,
				 "%s longer than the limit of %zu bytes", k->what,
				 k->limit);
	if (tg_buf_add(k->buf, data, n, NULL))
		return nomem(p);
	return 0;
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

static size_t utf8_encode(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* At the backslash of an escape in a basic string. */
static int parse_escape(struct parser *p, struct sink *k, bool multiline)
{
	size_t at = p->i;
	char out[4];
	unsigned long cp = 0;
	size_t ndig, d;
	char e;

	if (at + 1 >= p->n)
		return perr(p, k->open, "unterminated string");
	e = p->s[at + 1];
	switch (e) {
	case 'b': out[0] = '\b'; break;
	case 't': out[0] = '\t'; break;
	case 'n': out[0] = '\n'; break;
	case 'f': out[0] = '\f'; break;
	case 'r': out[0] = '\r'; break;
	case '"': out[0] = '"'; break;
	case '\\': out[0] = '\\'; break;
	case 'u':
	case 'U':
		ndig = e == 'u' ? 4 : 8;
		for (d = 0; d < ndig; d++) {
			int h = at + 2 + d < p->n ? hexval(p->s[at + 2 + d]) : -1;
			if (h < 0)
				return perr(p, at,
					    "\\%c escape needs exactly %zu hexadecimal digits",
					    e, ndig);
			cp = cp << 4 | (unsigned long)h;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return perr(p, at,
				    "escape \\%c%0*lX is not a Unicode scalar value",
				    e, (int)ndig, cp);
		p->i = at + 2 + ndig;
		return put(p, k, out, utf8_encode(cp, out));
	default:
		if (multiline && (e == ' ' || e == '\t' || e == '\n' || e == '\r')) {
			/* Line-ending backslash: the rest of this line must be blank,
			 * then every space and newline up to the next text goes. */
			size_t j = at + 1;
			while (j < p->n && (p->s[j] == ' ' || p->s[j] == '\t'))
				j++;
			if (!(j < p->n && (p->s[j] == '\n' ||
					   (p->s[j] == '\r' && j + 1 < p->n &&
					    p->s[j + 1] == '\n'))))
				return perr(p, at,
					    "a backslash followed by spaces must end the line (line-ending backslash)");
			while (j < p->n) {
				if (p->s[j] == ' ' || p->s[j] == '\t' || p->s[j] == '\n')
					j++;
				else if (p->s[j] == '\r' && j + 1 < p->n &&
					 p->s[j + 1] == '\n')
					j += 2;
				else
					break;
			}
			p->i = j;
			return 0;
		}
		if ((unsigned char)e > 0x20 && (unsigned char)e < 0x7f)
			return perr(p, at,
				    "invalid escape sequence '\\%c' (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)",
				    e);
		return perr(p, at, "invalid escape sequence: backslash followed by %s",
			    e == '\n' || e == '\r' ? "end of line" : "an invalid character");
	}
	p->i = at + 2;
	return put(p, k, out, 1);
}

/* At the opening quote of a basic ("...") or multi-line basic ("""...""")
 * string, or the literal ('...', '''...''') forms; decodes into k. */
static int parse_string(struct parser *p, struct sink *k, bool allow_multiline)
{
	const char q = p->s[p->i];
	const bool basic = q == '"';
	bool ml = p->i + 2 < p->n && p->s[p->i + 1] == q && p->s[p->i + 2] == q;
	int rc;

	k->open = p->i;
	if (ml && !allow_multiline)
		return perr(p, p->i, "a key cannot be a multi-line string");
	if (ml) {
		p->i += 3;
		/* A newline right after the opening delimiter is trimmed. */
		eat_newline(p);
	} else {
		p->i++;
	}
	for (;;) {
		size_t run = p->i;
		unsigned char c;

		while (p->i < p->n) {
			c = (unsigned char)p->s[p->i];
			if (c == (unsigned char)q || (basic && c == '\\') ||
			    c < 0x20 || c == 0x7f)
				break;
			p->i++;
		}
		if (p->i > run && (rc = put(p, k, p->s + run, p->i - run)))
			return rc;
		if (p->i >= p->n)
			return perr(p, k->open, "unterminated %s string",
				    ml ? "multi-line" : basic ? "basic" : "literal");
		c = (unsigned char)p->s[p->i];
		if (c == (unsigned char)q) {
			size_t nq = 0;
			if (!ml) {
				p->i++;
				return 0;
			}
			while (p->i + nq < p->n && p->s[p->i + nq] == q)
				nq++;
			if (nq < 3) {
				if ((rc = put(p, k, p->s + p->i, nq)))
					return rc;
				p->i += nq;
				continue;
			}
			if (nq > 5)
				return perr(p, p->i + 5,
					    "three quotes in a row end a multi-line string; escape one of them");
			if ((rc = put(p, k, p->s + p->i, nq - 3)))
				return rc;
			p->i += nq;
			return 0;
		}
		if (c == '\\') {
			if ((rc = parse_escape(p, k, ml)))
				return rc;
			continue;
		}
		if (c == '\t') {
			if ((rc = put(p, k, "\t", 1)))
				return rc;
			p->i++;
			continue;
		}
		if (ml && (c == '\n' || (c == '\r' && p->i + 1 < p->n &&
					 p->s[p->i + 1] == '\n'))) {
			/* CRLF is stored as LF so that a document means the same on
			 * every platform. */
			if ((rc = put(p, k, "\n", 1)))
				return rc;
			p->i += c == '\r' ? 2 : 1;
			continue;
		}
		if (c == '\n' || c == '\r')
			return perr(p, p->i,
				    c == '\r' && ml ? "carriage return without a following newline in a string"
						    : "newline in a single-line string (use %s for multi-line strings)",
				    basic ? "\"\"\"" : "'''");
		return perr(p, p->i,
			    basic ? "control character U+%04X must be escaped in a string"
				  : "control character U+%04X is not allowed in a literal string",
			    c);
	}
}

/* --- keys --- */

static int add_seg(struct parser *p, size_t off, size_t len, size_t src)
{
	struct keyseg *sg;

	if (p->nsegs == p->capsegs) {
		size_t ncap = p->capsegs ? p->capsegs * 2 : 8;
		struct keyseg *ns = realloc(p->segs, ncap * sizeof(*ns));
		if (!ns)
			return nomem(p);
		p->segs = ns;
		p->capsegs = ncap;
	}
	sg = &p->segs[p->nsegs++];
	sg->off = off;
	sg->len = len;
	locate(p, src, &sg->line, &sg->col);
	return 0;
}

/* A key: one or more segments separated by dots, into p->segs. */
static int parse_key(struct parser *p)
{
	char fb[32];
	int rc;

	p->nsegs = 0;
	tg_buf_reset(&p->keys);
	for (;;) {
		size_t start = p->i, off = p->keys.len;
		unsigned char c = p->i < p->n ? (unsigned char)p->s[p->i] : 0;

		if (p->nsegs >= p->lim.max_depth)
			return perr_code(p, TG_ELIMIT, start,
					 "dotted key with more than the limit of %u parts",
					 p->lim.max_depth);
		if (p->i < p->n && is_bare_key_char(c)) {
			while (p->i < p->n &&
			       is_bare_key_char((unsigned char)p->s[p->i]))
				p->i++;
			if (p->i - start > p->lim.max_key_len)
				return perr_code(p, TG_ELIMIT, start,
						 "key longer than the limit of %zu bytes",
						 p->lim.max_key_len);
			if (tg_buf_add(&p->keys, p->s + start, p->i - start, NULL))
				return nomem(p);
		} else if (p->i < p->n && (c == '"' || c == '\'')) {
			struct sink k = { &p->keys, off, p->lim.max_key_len, start,
					  "key" };
			if ((rc = parse_string(p, &k, false)))
				return rc;
		} else if (c == '=' && p->i < p->n) {
			return perr(p, start, "missing key before '='");
		} else {
			return perr(p, start,
				    "expected a key (letters, digits, '_', '-' or a quoted string), found %s",
				    found(p, start, fb, sizeof(fb)));
		}
		if ((rc = add_seg(p, off, p->keys.len - off, start)))
			return rc;
		skip_ws(p);
		if (p->i < p->n && p->s[p->i] == '.') {
			p->i++;
			skip_ws(p);
			continue;
		}
		return 0;
	}
}

/* --- numbers, booleans, dates --- */

static bool is_token_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' ||
	       c == '.' || c == ':';
}

static bool is_base_digit(char c, int base)
{
	switch (base) {
	case 2: return c == '0' || c == '1';
	case 8: return c >= '0' && c <= '7';
	case 16: return hexval(c) >= 0;
	default: return is_digit(c);
	}
}

/* Digits of the base with single underscores only between two digits.
 * Advances *j; *nd counts the digits. False when an underscore is
 * misplaced. */
static bool scan_digits(const char *t, size_t len, size_t *j, int base,
			size_t *nd)
{
	size_t k = *j;

	*nd = 0;
	while (k < len) {
		if (is_base_digit(t[k], base)) {
			(*nd)++;
			k++;
		} else if (t[k] == '_') {
			if (k == *j || !is_base_digit(t[k - 1], base) ||
			    k + 1 >= len || !is_base_digit(t[k + 1], base)) {
				*j = k;
				return false;
			}
			k++;
		} else {
			break;
		}
	}
	*j = k;
	return true;
}

static int parse_float_text(struct parser *p, size_t start, size_t len,
			    double *out)
{
	const char *t = p->s + start;
	const char *dp = localeconv()->decimal_point;
	size_t dplen = dp && *dp ? strlen(dp) : 1;
	struct tg_buf b;
	char *end;
	size_t k;
	int rc = 0;

	/* strtod follows the locale's decimal point; TOML's is always '.'. */
	tg_buf_init(&b, SIZE_MAX / 2);
	for (k = 0; k < len && !rc; k++) {
		if (t[k] == '_')
			continue;
		if (t[k] == '.')
			rc = tg_buf_add(&b, dp && *dp ? dp : ".", dplen, NULL);
		else
			rc = tg_buf_addc(&b, t[k], NULL);
	}
	if (rc) {
		tg_buf_release(&b);
		return nomem(p);
	}
	errno = 0;
	*out = strtod(b.data, &end);
	if (end != b.data + b.len)
		rc = perr(p, start, "invalid float '%.*s'", (int)(len > 64 ? 64 : len), t);
	else if (errno == ERANGE && isinf(*out))
		rc = perr(p, start, "float '%.*s' is out of range for a 64-bit float",
			  (int)(len > 64 ? 64 : len), t);
	tg_buf_release(&b);
	return rc;
}

static int parse_number(struct parser *p, size_t start, size_t len,
			unsigned depth, struct tg_toml_value **out)
{
	const char *t = p->s + start;
	const int shown = (int)(len > 64 ? 64 : len);
	bool neg = false, is_float = false;
	size_t k = 0, j, nd;
	int base = 10, rc;
	struct tg_toml_value *v;

	if (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-';
		k = 1;
	}
	if (len - k == 3 && (!memcmp(t + k, "inf", 3) || !memcmp(t + k, "nan", 3))) {
		if ((rc = new_value(p, TG_TOML_FLOAT, start, depth, &v)))
			return rc;
		v->u.f = t[k] == 'i' ? (neg ? -INFINITY : INFINITY)
				     : (neg ? -NAN : NAN);
		*out = v;
		return 0;
	}
	if (len - k >= 2 && t[k] == '0' &&
	    (t[k + 1] == 'x' || t[k + 1] == 'o' || t[k + 1] == 'b')) {
		base = t[k + 1] == 'x' ? 16 : t[k + 1] == 'o' ? 8 : 2;
		if (k)
			return perr(p, start,
				    "a sign is not allowed on hexadecimal, octal or binary integers");
		j = k + 2;
		if (!scan_digits(t, len, &j, base, &nd))
			return perr(p, start + j,
				    "underscores in numbers must be between two digits");
		if (!nd || j != len)
			return perr(p, start + j, "invalid %s integer '%.*s'",
				    base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary",
				    shown, t);
	} else {
		if (k >= len || !is_digit(t[k]))
			return perr(p, start,
				    "expected a value (string, number, boolean, date, array or inline table), found '%.*s'",
				    shown, t);
		j = k;
		if (!scan_digits(t, len, &j, 10, &nd))
			return perr(p, start + j,
				    "underscores in numbers must be between two digits");
		if (t[k] == '0' && nd > 1)
			return perr(p, start,
				    "leading zeros are not allowed in '%.*s'", shown, t);
		if (j < len && t[j] == '.') {
			size_t dot = j++;
			is_float = true;
			if (!scan_digits(t, len, &j, 10, &nd))
				return perr(p, start + j,
					    "underscores in numbers must be between two digits");
			if (!nd)
				return perr(p, start + dot,
					    "a decimal point must be followed by a digit in '%.*s'",
					    shown, t);
		}
		if (j < len && (t[j] == 'e' || t[j] == 'E')) {
			size_t e = j++;
			is_float = true;
			if (j < len && (t[j] == '+' || t[j] == '-'))
				j++;
			if (!scan_digits(t, len, &j, 10, &nd))
				return perr(p, start + j,
					    "underscores in numbers must be between two digits");
			if (!nd)
				return perr(p, start + e,
					    "an exponent needs digits in '%.*s'", shown, t);
		}
		if (j != len)
			return perr(p, start + j, "invalid character '%c' in number '%.*s'",
				    t[j], shown, t);
	}
	if (is_float) {
		double d = 0;
		if ((rc = parse_float_text(p, start, len, &d)))
			return rc;
		if ((rc = new_value(p, TG_TOML_FLOAT, start, depth, &v)))
			return rc;
		v->u.f = d;
		*out = v;
		return 0;
	}
	{
		/* Accumulate as unsigned: the magnitude of INT64_MIN fits. */
		const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		uint64_t acc = 0;
		size_t m = base == 10 ? k : k + 2;

		for (; m < len; m++) {
			unsigned dv;
			if (t[m] == '_')
				continue;
			dv = (unsigned)hexval(t[m]);
			if (acc > (limit - dv) / (uint64_t)base)
				return perr(p, start,
					    "integer '%.*s' does not fit in 64 bits (%s)",
					    shown, t,
					    neg ? "minimum -9223372036854775808"
						: "maximum 9223372036854775807");
			acc = acc * (uint64_t)base + dv;
		}
		if ((rc = new_value(p, TG_TOML_INTEGER, start, depth, &v)))
			return rc;
		if (neg)
			v->u.i = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
		else
			v->u.i = (int64_t)acc;
		*out = v;
		return 0;
	}
}

static bool digits_at(const char *t, size_t len, size_t at, size_t count,
		      int *val)
{
	size_t k;
	int v = 0;

	if (at + count > len)
		return false;
	for (k = 0; k < count; k++) {
		if (!is_digit(t[at + k]))
			return false;
		v = v * 10 + (t[at + k] - '0');
	}
	*val = v;
	return true;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* HH:MM:SS[.fraction] at t[*k]. Returns an error text or NULL. */
static const char *scan_time(const char *t, size_t len, size_t *k,
			     struct tg_toml_datetime *dt)
{
	size_t at = *k;

	if (!digits_at(t, len, at, 2, &dt->hour) || at + 2 >= len ||
	    t[at + 2] != ':' || !digits_at(t, len, at + 3, 2, &dt->minute))
		return "expected a time as HH:MM:SS";
	if (at + 5 >= len || t[at + 5] != ':' ||
	    !digits_at(t, len, at + 6, 2, &dt->second))
		return "seconds are required in TOML 1.0 times (HH:MM:SS)";
	if (dt->hour > 23)
		return "hour must be 00-23";
	if (dt->minute > 59)
		return "minute must be 00-59";
	if (dt->second > 60)
		return "second must be 00-60";
	at += 8;
	if (at < len && t[at] == '.') {
		size_t nd = 0;
		at++;
		while (at < len && is_digit(t[at])) {
			if (nd < 9) {
				dt->nanosecond = dt->nanosecond * 10 + (uint32_t)(t[at] - '0');
				nd++;
			}
			at++;
		}
		if (!nd)
			return "a decimal point in a time must be followed by digits";
		dt->frac_digits = (int)nd;
		for (; nd < 9; nd++)
			dt->nanosecond *= 10;
	}
	*k = at;
	return NULL;
}

static int parse_datetime(struct parser *p, size_t start, size_t len,
			  unsigned depth, struct tg_toml_value **out)
{
	const char *t = p->s + start;
	const int shown = (int)(len > 64 ? 64 : len);
	struct tg_toml_datetime dt;
	enum tg_toml_type type;
	const char *why = NULL;
	size_t k = 0;
	int rc;
	struct tg_toml_value *v;

	memset(&dt, 0, sizeof(dt));
	if (len >= 3 && is_digit(t[0]) && is_digit(t[1]) && t[2] == ':') {
		type = TG_TOML_TIME_LOCAL;
		why = scan_time(t, len, &k, &dt);
	} else {
		if (!digits_at(t, len, 0, 4, &dt.year) || len < 5 || t[4] != '-' ||
		    !digits_at(t, len, 5, 2, &dt.month) || len < 8 || t[7] != '-' ||
		    !digits_at(t, len, 8, 2, &dt.day))
			why = "expected a date as YYYY-MM-DD";
		else if (dt.month < 1 || dt.month > 12)
			why = "month must be 01-12";
		else if (dt.day < 1 || dt.day > days_in_month(dt.year, dt.month))
			why = "day is out of range for the month";
		k = 10;
		type = TG_TOML_DATE_LOCAL;
		if (!why && len > 10) {
			if (t[10] != 'T' && t[10] != 't' && t[10] != ' ')
				why = "expected 'T' or a space between date and time";
			else {
				k = 11;
				type = TG_TOML_DATETIME_LOCAL;
				why = scan_time(t, len, &k, &dt);
			}
			if (!why && k < len && (t[k] == 'Z' || t[k] == 'z')) {
				type = TG_TOML_DATETIME;
				dt.offset_z = true;
				k++;
			} else if (!why && k < len && (t[k] == '+' || t[k] == '-')) {
				int oh, om;
				if (!digits_at(t, len, k + 1, 2, &oh) || k + 3 >= len ||
				    t[k + 3] != ':' || !digits_at(t, len, k + 4, 2, &om))
					why = "expected a time offset as +HH:MM or -HH:MM";
				else if (oh > 23 || om > 59)
					why = "time offset out of range";
				else {
					type = TG_TOML_DATETIME;
					dt.offset_minutes = (oh * 60 + om) * (t[k] == '-' ? -1 : 1);
					k += 6;
				}
			}
		}
	}
	if (!why && k != len)
		why = "unexpected characters after the date/time";
	if (why)
		return perr(p, start, "invalid date/time '%.*s': %s", shown, t, why);
	if ((rc = new_value(p, type, start, depth, &v)))
		return rc;
	v->u.dt = dt;
	*out = v;
	return 0;
}

/* A bare value: boolean, number, date or time. */
static int parse_bare_value(struct parser *p, unsigned depth,
			    struct tg_toml_value **out)
{
	size_t start = p->i, end = p->i, len, lead = 0;
	const char *t = p->s + start;
	char fb[32];
	int rc;

	while (end < p->n && is_token_char((unsigned char)p->s[end]))
		end++;
	/* "1979-05-27 07:32:00": a space may separate date and time. */
	if (end - start == 10 && end + 3 < p->n && p->s[end] == ' ' &&
	    is_digit(p->s[end + 1]) && is_digit(p->s[end + 2]) &&
	    p->s[end + 3] == ':' && t[4] == '-') {
		end++;
		while (end < p->n && is_token_char((unsigned char)p->s[end]))
			end++;
	}
	len = end - start;
	if (!len)
		return perr(p, start,
			    "expected a value (string, number, boolean, date, array or inline table), found %s",
			    found(p, start, fb, sizeof(fb)));
	p->i = end;
	if ((len == 4 && !memcmp(t, "true", 4)) ||
	    (len == 5 && !memcmp(t, "false", 5))) {
		struct tg_toml_value *v;
		if ((rc = new_value(p, TG_TOML_BOOL, start, depth, &v)))
			return rc;
		v->u.b = len == 4;
		*out = v;
		return 0;
	}
	while (lead < len && is_digit(t[lead]))
		lead++;
	if (lead > 0 && lead < len && (t[lead] == '-' || t[lead] == ':'))
		return parse_datetime(p, start, len, depth, out);
	return parse_number(p, start, len, depth, out);
}

/* --- compound values --- */

static int parse_value(struct parser *p, unsigned depth,
		       struct tg_toml_value **out);
static int parse_keyval(struct parser *p, struct tg_toml_value *table);

static int parse_array(struct parser *p, unsigned depth,
		       struct tg_toml_value **out)
{
	size_t open = p->i;
	struct tg_toml_value *a, *item;
	char fb[32];
	int rc;

	if ((rc = new_value(p, TG_TOML_ARRAY, open, depth, &a)))
		return rc;
	a->kind = TG_ARR_STATIC;
	p->i++;
	for (;;) {
		if ((rc = skip_ws_nl_comments(p)))
			return rc;
		if (p->i >= p->n)
			return perr(p, open, "unterminated array (missing ']')");
		if (p->s[p->i] == ']')
			break;
		if ((rc = parse_value(p, depth + 1, &item)))
			return rc;
		if (tg_toml_array_add(a, item))
			return nomem(p);
		if ((rc = skip_ws_nl_comments(p)))
			return rc;
		if (p->i >= p->n)
			return perr(p, open, "unterminated array (missing ']')");
		if (p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->s[p->i] == ']')
			break;
		return perr(p, p->i, "expected ',' or ']' after an array element, found %s",
			    found(p, p->i, fb, sizeof(fb)));
	}
	p->i++;
	*out = a;
	return 0;
}

static int parse_inline_table(struct parser *p, unsigned depth,
			      struct tg_toml_value **out)
{
	size_t open = p->i;
	struct tg_toml_value *t;
	char fb[32];
	int rc;

	if ((rc = new_value(p, TG_TOML_TABLE, open, depth, &t)))
		return rc;
	t->kind = TG_TBL_INLINE;
	p->i++;
	skip_ws(p);
	if (p->i < p->n && p->s[p->i] == '}') {
		p->i++;
		*out = t;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (p->i >= p->n)
			return perr(p, open, "unterminated inline table (missing '}')");
		if (p->s[p->i] == '\n' || p->s[p->i] == '\r')
			return perr(p, p->i,
				    "inline tables must be written on one line in TOML 1.0");
		if ((rc = parse_keyval(p, t)))
			return rc;
		skip_ws(p);
		if (p->i >= p->n)
			return perr(p, open, "unterminated inline table (missing '}')");
		if (p->s[p->i] == ',') {
			p->i++;
			skip_ws(p);
			if (p->i < p->n && p->s[p->i] == '}')
				return perr(p, p->i,
					    "trailing comma is not allowed in an inline table in TOML 1.0");
			continue;
		}
		if (p->s[p->i] == '}')
			break;
		if (p->s[p->i] == '\n' || p->s[p->i] == '\r')
			return perr(p, p->i,
				    "inline tables must be written on one line in TOML 1.0; expected ',' or '}'");
		return perr(p, p->i, "expected ',' or '}' in inline table, found %s",
			    found(p, p->i, fb, sizeof(fb)));
	}
	p->i++;
	*out = t;
	return 0;
}

static int parse_value(struct parser *p, unsigned depth,
		       struct tg_toml_value **out)
{
	char c = p->i < p->n ? p->s[p->i] : '\0';
	int rc;

	if (depth > p->lim.max_depth)
		return perr_code(p, TG_ELIMIT, p->i,
				 "nesting deeper than the limit of %u levels",
				 p->lim.max_depth);
	if (c == '"' || c == '\'') {
		struct sink k = { &p->str, 0, p->lim.max_string_len, p->i, "string" };
		size_t open = p->i;
		struct tg_toml_value *v;
		char *s;

		tg_buf_reset(&p->str);
		if ((rc = parse_string(p, &k, true)))
			return rc;
		if ((rc = new_value(p, TG_TOML_STRING, open, depth, &v)))
			return rc;
		s = tg_toml_alloc(p->doc, p->str.len + 1);
		if (!s)
			return nomem(p);
		memcpy(s, p->str.data, p->str.len);
		v->u.str.s = s;
		v->u.str.len = p->str.len;
		*out = v;
		return 0;
	}
	if (c == '[')
		return parse_array(p, depth, out);
	if (c == '{')
		return parse_inline_table(p, depth, out);
	return parse_bare_value(p, depth, out);
}

/* key = value into table (the current section's table or an inline table
 * being built): dotted keys walk or create tables, the last part must be
 * new. */
static int parse_keyval(struct parser *p, struct tg_toml_value *table)
{
	struct tg_toml_value *t = table, *v;
	const struct keyseg *last;
	char kn[160], fb[32];
	size_t k, slot;
	long idx;
	int rc;

	if ((rc = parse_key(p)))
		return rc;
	skip_ws(p);
	if (p->i >= p->n || p->s[p->i] != '=')
		return perr(p, p->i, "expected '=' after key '%s', found %s",
			    key_name(p, 0, p->nsegs, kn, sizeof(kn)),
			    found(p, p->i, fb, sizeof(fb)));
	p->i++;
	skip_ws(p);
	for (k = 0; k + 1 < p->nsegs; k++) {
		const struct keyseg *sg = &p->segs[k];
		idx = tg_toml_find(t, p->keys.data + sg->off, sg->len);
		if (idx < 0) {
			if ((rc = new_table_at_seg(p, t, sg, TG_TBL_DOTTED, &t)))
				return rc;
			continue;
		}
		v = t->u.tab.kv[idx].value;
		if (v->type == TG_TOML_TABLE && v->kind == TG_TBL_DOTTED) {
			t = v;
			continue;
		}
		if (v->type == TG_TOML_TABLE && v->kind == TG_TBL_INLINE)
			return tg_err_at(p->err, TG_EPARSE, p->origin, sg->line, sg->col,
					 "cannot add to '%s': it is an inline table (line %lu), which is complete once written",
					 key_name(p, 0, k + 1, kn, sizeof(kn)), v->line);
		if (v->type == TG_TOML_TABLE)
			return tg_err_at(p->err, TG_EPARSE, p->origin, sg->line, sg->col,
					 "cannot add to table '%s' with a dotted key: it is defined by a [table] header (line %lu)",
					 key_name(p, 0, k + 1, kn, sizeof(kn)), v->line);
		return tg_err_at(p->err, TG_EPARSE, p->origin, sg->line, sg->col,
				 "key '%s' is already %s (line %lu, column %lu), not a table",
				 key_name(p, 0, k + 1, kn, sizeof(kn)), what_value(v),
				 v->line, v->col);
	}
	last = &p->segs[p->nsegs - 1];
	idx = tg_toml_find(t, p->keys.data + last->off, last->len);
	if (idx >= 0) {
		const struct tg_toml_kv *kv = &t->u.tab.kv[idx];
		return tg_err_at(p->err, TG_EPARSE, p->origin, last->line, last->col,
				 "duplicate key '%s' (first defined at line %lu, column %lu)",
				 key_name(p, 0, p->nsegs, kn, sizeof(kn)), kv->line,
				 kv->col);
	}
	/* Claim the key before parsing the value: an inline table in the
	 * value reuses the key buffers. */
	if (tg_toml_table_add(p->doc, t, p->keys.data + last->off, last->len,
			      NULL, last->line, last->col))
		return nomem(p);
	slot = t->u.tab.n - 1;
	if ((rc = parse_value(p, t->depth + 1u, &v)))
		return rc;
	t->u.tab.kv[slot].value = v;
	return 0;
}

/* [a.b.c] or [[a.b.c]] */
static int parse_header(struct parser *p)
{
	size_t open = p->i;
	bool aot = p->i + 1 < p->n && p->s[p->i + 1] == '[';
	struct tg_toml_value *t = p->doc->root, *v, *nt;
	unsigned long oline, ocol;
	const struct keyseg *last;
	char kn[160], fb[32];
	size_t k;
	long idx;
	int rc;

	locate(p, open, &oline, &ocol);
	p->i += aot ? 2 : 1;
	skip_ws(p);
	if ((rc = parse_key(p)))
		return rc;
	skip_ws(p);
	if (p->i >= p->n || p->s[p->i] != ']' ||
	    (aot && (p->i + 1 >= p->n || p->s[p->i + 1] != ']')))
		return perr(p, p->i, "expected '%s' to close the header [%s%s, found %s",
			    aot ? "]]" : "]", aot ? "[" : "",
			    key_name(p, 0, p->nsegs, kn, sizeof(kn)),
			    found(p, p->i, fb, sizeof(fb)));
	p->i += aot ? 2 : 1;
	for (k = 0; k + 1 < p->nsegs; k++) {
		const struct keyseg *sg = &p->segs[k];
		idx = tg_toml_find(t, p->keys.data + sg->off, sg->len);
		if (idx < 0) {
			if ((rc = new_table_at_seg(p, t, sg, TG_TBL_IMPLICIT, &t)))
				return rc;
			continue;
		}
		v = t->u.tab.kv[idx].value;
		if (v->type == TG_TOML_TABLE && v->kind != TG_TBL_INLINE) {
			t = v;
			continue;
		}
		if (v->type == TG_TOML_ARRAY && v->kind == TG_ARR_TABLES) {
			t = v->u.arr.items[v->u.arr.n - 1];
			continue;
		}
		if (v->type == TG_TOML_TABLE)
			return tg_err_at(p->err, TG_EPARSE, p->origin, sg->line, sg->col,
					 "cannot add to '%s': it is an inline table (line %lu), which is complete once written",
					 key_name(p, 0, k + 1, kn, sizeof(kn)), v->line);
		if (v->type == TG_TOML_ARRAY)
			return tg_err_at(p->err, TG_EPARSE, p->origin, sg->line, sg->col,
					 "cannot add to '%s': it is an array written as a value (line %lu), not an array of tables",
					 key_name(p, 0, k + 1, kn, sizeof(kn)), v->line);
		return tg_err_at(p->err, TG_EPARSE, p->origin, sg->line, sg->col,
				 "key '%s' is already %s (line %lu, column %lu), not a table",
				 key_name(p, 0, k + 1, kn, sizeof(kn)), what_value(v),
				 v->line, v->col);
	}
	last = &p->segs[p->nsegs - 1];
	key_name(p, 0, p->nsegs, kn, sizeof(kn));
	idx = tg_toml_find(t, p->keys.data + last->off, last->len);
	v = idx >= 0 ? t->u.tab.kv[idx].value : NULL;
	if (!aot) {
		if (!v) {
			if ((rc = new_table_at_seg(p, t, last, TG_TBL_HEADER, &nt)))
				return rc;
			nt->line = oline;
			nt->col = ocol;
			p->cur = nt;
			return 0;
		}
		if (v->type == TG_TOML_TABLE && v->kind == TG_TBL_IMPLICIT) {
			v->kind = TG_TBL_HEADER;
			v->line = oline;
			v->col = ocol;
			p->cur = v;
			return 0;
		}
		if (v->type == TG_TOML_TABLE && v->kind == TG_TBL_HEADER)
			return tg_err_at(p->err, TG_EPARSE, p->origin, oline, ocol,
					 "table [%s] is defined twice (first at line %lu)",
					 kn, v->line);
		if (v->type == TG_TOML_TABLE && v->kind == TG_TBL_DOTTED)
			return tg_err_at(p->err, TG_EPARSE, p->origin, oline, ocol,
					 "table [%s] was already defined by dotted keys (line %lu)",
					 kn, v->line);
		if (v->type == TG_TOML_ARRAY && v->kind == TG_ARR_TABLES)
			return tg_err_at(p->err, TG_EPARSE, p->origin, oline, ocol,
					 "[%s] conflicts with the array of tables [[%s]] (line %lu)",
					 kn, kn, v->line);
		return tg_err_at(p->err, TG_EPARSE, p->origin, oline, ocol,
				 "cannot define table [%s]: the key is already %s (line %lu)",
				 kn, what_value(v), v->line);
	}
	if (!v) {
		struct tg_toml_value *arr;
		if ((rc = make_value(p, TG_TOML_ARRAY, oline, ocol, t->depth + 1u, &arr)))
			return rc;
		arr->kind = TG_ARR_TABLES;
		if (tg_toml_table_add(p->doc, t, p->keys.data + last->off, last->len,
				      arr, last->line, last->col))
			return nomem(p);
		v = arr;
	} else if (v->type != TG_TOML_ARRAY || v->kind != TG_ARR_TABLES) {
		if (v->type == TG_TOML_ARRAY)
			return tg_err_at(p->err, TG_EPARSE, p->origin, oline, ocol,
					 "cannot append to '%s' with [[%s]]: it is an array written as a value (line %lu)",
					 kn, kn, v->line);
		return tg_err_at(p->err, TG_EPARSE, p->origin, oline, ocol,
				 "[[%s]] conflicts with '%s', which is already %s (line %lu)",
				 kn, kn, what_value(v), v->line);
	}
	if ((rc = make_value(p, TG_TOML_TABLE, oline, ocol, v->depth + 1u, &nt)))
		return rc;
	nt->kind = TG_TBL_HEADER;
	if (tg_toml_array_add(v, nt))
		return nomem(p);
	p->cur = nt;
	return 0;
}

static int parse_document(struct parser *p)
{
	char kn[160];
	int rc;

	while (p->i < p->n) {
		char c;

		skip_ws(p);
		if (p->i >= p->n)
			break;
		c = p->s[p->i];
		if (c == '#' || c == '\n' || c == '\r') {
			if ((rc = end_of_line(p, "a comment")))
				return rc;
			continue;
		}
		if (c == '[') {
			if ((rc = parse_header(p)))
				return rc;
			snprintf(kn, sizeof(kn), "a table header");
		} else {
			if ((rc = parse_keyval(p, p->cur)))
				return rc;
			snprintf(kn, sizeof(kn), "the value of '");
			key_name(p, 0, p->nsegs, kn + strlen(kn), sizeof(kn) - strlen(kn) - 2);
			tg_strlcpy(kn + strlen(kn), "'", sizeof(kn) - strlen(kn));
		}
		if ((rc = end_of_line(p, kn)))
			return rc;
	}
	return 0;
}

int tg_toml_parse_ex(const char *data, size_t len, const char *origin,
		     const struct tg_toml_limits *limits, struct tg_toml **out,
		     struct tg_err *err)
{
	struct parser p;
	size_t bad;
	int rc;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	if (limits)
		p.lim = *limits;
	if (!p.lim.max_input)
		p.lim.max_input = TG_TOML_DEFAULT_MAX_INPUT;
	if (!p.lim.max_depth)
		p.lim.max_depth = TG_TOML_DEFAULT_MAX_DEPTH;
	if (p.lim.max_depth > DEPTH_CEILING)
		p.lim.max_depth = DEPTH_CEILING;
	if (!p.lim.max_key_len)
		p.lim.max_key_len = TG_TOML_DEFAULT_MAX_KEY_LEN;
	if (!p.lim.max_string_len)
		p.lim.max_string_len = TG_TOML_DEFAULT_MAX_STRING_LEN;
	if (!p.lim.max_values)
		p.lim.max_values = TG_TOML_DEFAULT_MAX_VALUES;
	p.origin = origin ? origin : "";
	p.err = err;
	p.t_line = 1;
	p.t_col = 1;
	if (!data && len)
		return tg_err_set(err, TG_EUSAGE, "tg_toml_parse: NULL data");
	if (len > p.lim.max_input)
		return tg_err_at(err, TG_ELIMIT, p.origin, 0, 0,
				 "TOML input is %zu bytes, more than the limit of %zu",
				 len, p.lim.max_input);
	p.s = data ? data : "";
	p.n = len;
	/* A BOM is not part of the document; columns count from after it. */
	if (p.n >= 3 && !memcmp(p.s, "\xef\xbb\xbf", 3)) {
		p.s += 3;
		p.n -= 3;
	}
	if (!tg_utf8_valid(p.s, p.n, &bad))
		return perr(&p, bad, "invalid UTF-8 (byte 0x%02X)",
			    (unsigned char)p.s[bad]);
	p.doc = tg_toml_doc_new(p.origin);
	if (!p.doc)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	tg_buf_init(&p.str, SIZE_MAX / 2);
	tg_buf_init(&p.keys, SIZE_MAX / 2);
	p.doc->root = tg_toml_new_value(p.doc, TG_TOML_TABLE, 1, 1);
	if (!p.doc->root) {
		rc = nomem(&p);
		goto out;
	}
	p.doc->root->kind = TG_TBL_ROOT;
	p.nvalues = 1;
	p.cur = p.doc->root;
	rc = parse_document(&p);
out:
	tg_buf_release(&p.str);
	tg_buf_release(&p.keys);
	free(p.segs);
	if (rc) {
		tg_toml_free(p.doc);
		return rc;
	}
	*out = p.doc;
	return 0;
}

int tg_toml_parse(const char *data, size_t len, const char *origin,
		  struct tg_toml **out, struct tg_err *err)
{
	return tg_toml_parse_ex(data, len, origin, NULL, out, err);
}

/* Strict TOML 1.0 parser producing a read-only document tree.
 *
 * tg_toml_parse() accepts exactly TOML 1.0.0 (checked against the toml-test
 * suite): the whole input must be valid UTF-8, every rule on keys, tables,
 * arrays of tables, strings, numbers and date-times is enforced, and a
 * violation is a TG_EPARSE error at origin:line:col with a message that
 * says what was expected. Exceeding a cap (struct tg_toml_limits) is a
 * TG_ELIMIT error, also located.
 *
 * Ownership: the document owns every value, key and string reachable from
 * it. Pointers obtained through the accessors stay valid until
 * tg_toml_free(doc) and must not be freed or written through. The tree is
 * never modified after parsing, so concurrent readers are safe.
 *
 * Positions: every value records the 1-based line and column where it
 * starts in the source: the first character of a scalar, the '[' of an
 * array, the '{' of an inline table; the '[' of the header for a table
 * defined by [header], for an [[array]] element and for the array of
 * tables itself (its first header); the key segment that created a table
 * implicitly (a dotted key, or a parent on a header path) until a later
 * [header] defines it. Columns count Unicode code points (a tab is one);
 * after a leading BOM they count from the first character after it. Table
 * entries also record the position of their key.
 *
 * Strings are NUL-terminated for convenience, but TOML strings may contain
 * U+0000 (written \u0000), so the length is always available as well.
 */
#ifndef TOLLGATE_TOML_H
#define TOLLGATE_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tollgate/err.h"

struct tg_toml;       /* a parsed document */
struct tg_toml_value; /* a node of it */

enum tg_toml_type {
	TG_TOML_TABLE,
	TG_TOML_ARRAY,
	TG_TOML_STRING,
	TG_TOML_INTEGER,
	TG_TOML_FLOAT,
	TG_TOML_BOOL,
	TG_TOML_DATETIME,       /* offset date-time: 1979-05-27T07:32:00Z */
	TG_TOML_DATETIME_LOCAL, /* 1979-05-27T07:32:00 */
	TG_TOML_DATE_LOCAL,     /* 1979-05-27 */
	TG_TOML_TIME_LOCAL      /* 07:32:00 */
};

/* Caps on what an input may make the parser do. A zero field means "use
 * the default". */
struct tg_toml_limits {
	size_t max_input;      /* bytes of input; default 64 MiB */
	unsigned max_depth;    /* nesting of tables and arrays; default 128 */
	size_t max_key_len;    /* bytes of one key segment; default 64 KiB */
	size_t max_string_len; /* bytes of one decoded string; default 16 MiB */
	size_t max_values;     /* values in the whole document; default 4 Mi */
};

#define TG_TOML_DEFAULT_MAX_INPUT ((size_t)64 << 20)
#define TG_TOML_DEFAULT_MAX_DEPTH 128u
#define TG_TOML_DEFAULT_MAX_KEY_LEN ((size_t)64 << 10)
#define TG_TOML_DEFAULT_MAX_STRING_LEN ((size_t)16 << 20)
#define TG_TOML_DEFAULT_MAX_VALUES ((size_t)4 << 20)

/* Parse data[0..len) (need not be NUL-terminated; a leading UTF-8 BOM is
 * skipped). origin names the input in errors and is copied ("" or NULL
 * when there is none). On success *out is a new document the caller frees
 * with tg_toml_free(); on failure *out is NULL and err says why:
 * TG_EPARSE (not TOML 1.0), TG_ELIMIT (a cap), TG_ENOMEM. */
int tg_toml_parse(const char *data, size_t len, const char *origin,
		  struct tg_toml **out, struct tg_err *err);
/* The same with explicit caps (limits may be NULL). */
int tg_toml_parse_ex(const char *data, size_t len, const char *origin,
		     const struct tg_toml_limits *limits, struct tg_toml **out,
		     struct tg_err *err);
void tg_toml_free(struct tg_toml *doc);

/* The root table, never NULL for a parsed document. */
const struct tg_toml_value *tg_toml_root(const struct tg_toml *doc);
/* The origin given to the parser ("" when none). */
const char *tg_toml_origin(const struct tg_toml *doc);

enum tg_toml_type tg_toml_type(const struct tg_toml_value *v);
/* "table", "array", "string", "integer", "float", "bool", "datetime",
 * "datetime-local", "date-local", "time-local" (toml-test's names). */
const char *tg_toml_type_name(enum tg_toml_type t);
unsigned long tg_toml_line(const struct tg_toml_value *v);
unsigned long tg_toml_col(const struct tg_toml_value *v);

/* Record an error located at v in the document's origin; returns code.
 * For callers that find a value unacceptable ("line 12: version must be a
 * string"). v may be NULL (no location). */
int tg_toml_err_at(struct tg_err *err, enum tg_code code,
		   const struct tg_toml *doc, const struct tg_toml_value *v,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* --- tables: entries in document order --- */

struct tg_toml_entry {
	const char *key; /* NUL-terminated; may also contain NUL: see key_len */
	size_t key_len;
	const struct tg_toml_value *value;
	unsigned long line, col; /* where the key was written */
};

/* Number of entries; 0 when t is not a table. */
size_t tg_toml_table_len(const struct tg_toml_value *t);
/* Entry i (0-based) in document order; false when out of range or t is
 * not a table. */
bool tg_toml_table_entry(const struct tg_toml_value *t, size_t i,
			 struct tg_toml_entry *out);
/* Value of key (a single key, not a dotted path) or NULL when absent or t
 * is not a table. tg_toml_getn takes a length for keys with NUL. */
const struct tg_toml_value *tg_toml_get(const struct tg_toml_value *t,
					const char *key);
const struct tg_toml_value *tg_toml_getn(const struct tg_toml_value *t,
					 const char *key, size_t key_len);
/* Convenience: the string value of key, or NULL when absent or not a
 * string. */
const char *tg_toml_get_str(const struct tg_toml_value *t, const char *key);

/* --- arrays --- */

/* Number of items; 0 when a is not an array. */
size_t tg_toml_array_len(const struct tg_toml_value *a);
/* Item i or NULL when out of range or a is not an array. */
const struct tg_toml_value *tg_toml_array_at(const struct tg_toml_value *a,
					     size_t i);

/* --- scalars: each returns false (leaving *out alone) when v is NULL or
 * of another type; no conversions between types. --- */

/* *s is NUL-terminated; *len (when len is not NULL) is its byte length. */
bool tg_toml_string(const struct tg_toml_value *v, const char **s,
		    size_t *len);
bool tg_toml_int(const struct tg_toml_value *v, int64_t *out);
bool tg_toml_float(const struct tg_toml_value *v, double *out);
bool tg_toml_bool(const struct tg_toml_value *v, bool *out);

/* The components of any of the four date/time types. Fields a type does
 * not have are 0. Fractional seconds beyond nanoseconds are truncated (as
 * TOML allows); frac_digits keeps how many digits were written (capped at
 * 9), so rendering reproduces the original precision. */
struct tg_toml_datetime {
	int year, month, day;
	int hour, minute, second;
	uint32_t nanosecond;
	int frac_digits;    /* 0 = no fractional part written */
	bool offset_z;      /* offset written as Z (or z) */
	int offset_minutes; /* east of UTC; for TG_TOML_DATETIME only */
};

bool tg_toml_datetime(const struct tg_toml_value *v,
		      struct tg_toml_datetime *out);

/* Render v (one of the four date/time types) in RFC 3339 / TOML form with
 * 'T' and 'Z' upper case and the original fractional precision, e.g.
 * "1979-05-27T00:32:00.999-07:00", "1979-05-27", "07:32:00". Needs at most
 * TG_TOML_DATETIME_MAX bytes; returns false when v is not a date/time or
 * outsz is too small. */
#define TG_TOML_DATETIME_MAX 40
bool tg_toml_datetime_format(const struct tg_toml_value *v, char *out,
			     size_t outsz);

#endif

/* libFuzzer target for the TOML parser.
 *
 * Parses the input and, when it is accepted, walks the whole tree through
 * the public accessors, checking invariants a caller relies on: every value
 * has a position, strings are valid UTF-8 and NUL-terminated at their
 * length, table lookups find every key, date/times render.
 * The seed corpus (files named seed-*) are cases of the toml-test suite
 * (MIT, see tests/data/third_party/toml-test/LICENSE); crash-* files are
 * kept regressions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/str.h"
#include "tollgate/toml.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

static void walk(const struct tg_toml_value *v, unsigned depth)
{
	size_t i, n;

	check(v != NULL && depth <= TG_TOML_DEFAULT_MAX_DEPTH + 1);
	check(tg_toml_line(v) >= 1 && tg_toml_col(v) >= 1);
	switch (tg_toml_type(v)) {
	case TG_TOML_TABLE:
		n = tg_toml_table_len(v);
		for (i = 0; i < n; i++) {
			struct tg_toml_entry e;
			check(tg_toml_table_entry(v, i, &e));
			check(e.key[e.key_len] == '\0');
			check(tg_utf8_valid(e.key, e.key_len, NULL));
			check(tg_toml_getn(v, e.key, e.key_len) == e.value);
			check(e.line >= 1 && e.col >= 1);
			walk(e.value, depth + 1);
		}
		break;
	case TG_TOML_ARRAY:
		n = tg_toml_array_len(v);
		for (i = 0; i < n; i++)
			walk(tg_toml_array_at(v, i), depth + 1);
		check(tg_toml_array_at(v, n) == NULL);
		break;
	case TG_TOML_STRING: {
		const char *s;
		size_t len;
		check(tg_toml_string(v, &s, &len));
		check(s[len] == '\0');
		check(tg_utf8_valid(s, len, NULL));
		break;
	}
	case TG_TOML_DATETIME:
	case TG_TOML_DATETIME_LOCAL:
	case TG_TOML_DATE_LOCAL:
	case TG_TOML_TIME_LOCAL: {
		char buf[TG_TOML_DATETIME_MAX];
		check(tg_toml_datetime_format(v, buf, sizeof(buf)));
		break;
	}
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_toml *doc = NULL, *small = NULL;
	struct tg_err err, serr;
	/* Tight caps reach every limit check with short inputs. */
	const struct tg_toml_limits tight = { .max_input = 2048, .max_depth = 4,
					      .max_key_len = 8, .max_string_len = 16,
					      .max_values = 40 };
	int rc = tg_toml_parse((const char *)data, size, "fuzz.toml", &doc, &err);
	int src = tg_toml_parse_ex((const char *)data, size, "fuzz.toml", &tight,
				   &small, &serr);

	if (rc) {
		check(doc == NULL);
		check((int)err.code == rc && err.msg[0] != '\0');
		check(err.line >= 1 || rc == TG_ELIMIT);
		check(rc == TG_EPARSE || rc == TG_ELIMIT || rc == TG_ENOMEM);
	} else {
		walk(tg_toml_root(doc), 0);
	}
	/* Caps only ever turn success into a limit error, never the reverse. */
	if (src) {
		check(small == NULL);
		check(src == TG_ELIMIT || src == rc);
	} else {
		check(rc == 0);
		walk(tg_toml_root(small), 0);
	}
	tg_toml_free(doc);
	tg_toml_free(small);
	return 0;
}

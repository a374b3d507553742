/* RECORD parsing (CSV with RFC 4180 quoting, as Python's csv module
 * writes it) and hash/size rows. */
#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/size.h"
#include "tollgate/str.h"
#include "tollgate/verify_record.h"
#include "core/b64.h"

void tg_record_init(struct tg_record *r)
{
	memset(r, 0, sizeof(*r));
}

void tg_record_release(struct tg_record *r)
{
	size_t i;

	for (i = 0; i < r->n_rows; i++)
		free(r->rows[i].path);
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

struct csv_state {
	const char *p;
	const char *end;
	unsigned long line;
	const char *origin;
};

/* Read one field into f; *eol is set when the row ended after it. */
static int csv_field(struct csv_state *st, struct tg_buf *f, bool *eol,
		     struct tg_err *err)
{
	int rc;

	unsigned long start = st->line;

	tg_buf_reset(f);
	*eol = false;
	if (st->p < st->end && *st->p == '"') {
		st->p++;
		for (;;) {
			if (st->p >= st->end)
				return tg_err_at(err, TG_EPARSE, st->origin, start, 0,
						 "unterminated quoted field");
			if (*st->p == '"') {
				if (st->p + 1 < st->end && st->p[1] == '"') {
					if ((rc = tg_buf_addc(f, '"', err)))
						return rc;
					st->p += 2;
					continue;
				}
				st->p++;
				break;
			}
			if (*st->p == '\n')
				st->line++;
			if ((rc = tg_buf_addc(f, *st->p, err)))
				return rc;
			st->p++;
		}
		if (st->p < st->end && *st->p != ',' && *st->p != '\n' && *st->p != '\r')
			return tg_err_at(err, TG_EPARSE, st->origin, st->line, 0,
					 "text after closing quote");
	} else {
		while (st->p < st->end && *st->p != ',' && *st->p != '\n' &&
		       *st->p != '\r') {
			if (*st->p == '"')
				return tg_err_at(err, TG_EPARSE, st->origin, st->line, 0,
						 "quote inside unquoted field");
			if ((rc = tg_buf_addc(f, *st->p, err)))
				return rc;
			st->p++;
		}
	}
	if (st->p >= st->end) {
		*eol = true;
	} else if (*st->p == ',') {
		st->p++;
	} else {
		if (*st->p == '\r')
			st->p++;
		if (st->p < st->end && *st->p == '\n')
			st->p++;
		*eol = true;
	}
	return 0;
}

static int parse_hash(const char *s, struct tg_record_row *row,
		      const struct csv_state *st, struct tg_err *err)
{
	const char *eq = strchr(s, '=');
	size_t want;

	if (!*s)
		return 0;
	if (!eq || (size_t)(eq - s) >= sizeof(row->alg))
		return tg_err_at(err, TG_EPARSE, st->origin, row->line, 0,
				 "hash field '%.40s' is not ALG=DIGEST", s);
	memcpy(row->alg, s, (size_t)(eq - s));
	row->alg[eq - s] = '\0';
	if (strcmp(row->alg, "sha256") == 0)
		want = 32;
	else if (strcmp(row->alg, "sha384") == 0)
		want = 48;
	else if (strcmp(row->alg, "sha512") == 0)
		want = 64;
	else
		return tg_err_at(err, TG_EPARSE, st->origin, row->line, 0,
				 "hash algorithm '%s' is not accepted (sha256, sha384, sha512)",
				 row->alg);
	if (!tg_b64_decode_exact(eq + 1, strlen(eq + 1), TG_B64_URL, row->digest, want))
		return tg_err_at(err, TG_EPARSE, st->origin, row->line, 0,
				 "%s digest is not %zu bytes of URL-safe base64", row->alg,
				 want);
	row->digest_len = want;
	return 0;
}

int tg_record_parse(const char *data, size_t len, const char *origin,
		    struct tg_record *out, struct tg_err *err)
{
	struct csv_state st = { data, data + len, 1, origin };
	struct tg_buf f;
	int rc = 0;

	if (len > TG_RECORD_MAX_BYTES)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
				 "RECORD is larger than %zu bytes", TG_RECORD_MAX_BYTES);
	tg_buf_init(&f, TG_RECORD_MAX_PATH);
	while (st.p < st.end) {
		struct tg_record_row row;
		bool eol;
		int nf;

		if (*st.p == '\n' || *st.p == '\r') { /* blank line */
			if (*st.p == '\n')
				st.line++;
			st.p++;
			continue;
		}
		memset(&row, 0, sizeof(row));
		row.line = st.line;
		row.size = -1;
		for (nf = 0;; nf++) {
			if ((rc = csv_field(&st, &f, &eol, err))) {
				tg_err_locate(err, origin, st.line, 0);
				goto row_fail;
			}
			if (nf == 0) {
				if (f.len == 0 || memchr(f.data, '\0', f.len)) {
					rc = tg_err_at(err, TG_EPARSE, origin, row.line, 0,
						       "empty or binary path");
					goto row_fail;
				}
				if (!(row.path = tg_strndup(f.data, f.len))) {
					rc = tg_err_set(err, TG_ENOMEM, "out of memory");
					goto row_fail;
				}
			} else if (nf == 1) {
				if ((rc = parse_hash(f.data, &row, &st, err)))
					goto row_fail;
			} else if (nf == 2) {
				uint64_t v;

				if (f.len && (!tg_parse_u64(f.data, f.len, &v) ||
					      v > (uint64_t)1 << 50)) {
					rc = tg_err_at(err, TG_EPARSE, origin, row.line, 0,
						       "size '%.30s' is not a byte count", f.data);
					goto row_fail;
				}
				if (f.len)
					row.size = (long long)v;
			} else {
				rc = tg_err_at(err, TG_EPARSE, origin, row.line, 0,
					       "row has more than 3 fields");
				goto row_fail;
			}
			if (eol)
				break;
		}
		if (nf != 2) {
			rc = tg_err_at(err, TG_EPARSE, origin, row.line, 0,
				       "row has %d field(s), wanted 3 (path,hash,size)",
				       nf + 1);
			goto row_fail;
		}
		if (out->n_rows >= TG_RECORD_MAX_ROWS) {
			rc = tg_err_at(err, TG_ELIMIT, origin, row.line, 0,
				       "more than %d rows", TG_RECORD_MAX_ROWS);
			goto row_fail;
		}
		if (out->n_rows == out->cap_rows) {
			size_t ncap = out->cap_rows ? out->cap_rows * 2 : 64, bytes;
			struct tg_record_row *nr;

			if (!tg_size_mul(ncap, sizeof(*nr), &bytes) ||
			    !(nr = realloc(out->rows, bytes))) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto row_fail;
			}
			out->rows = nr;
			out->cap_rows = ncap;
		}
		out->rows[out->n_rows++] = row;
		st.line++;
		continue;
row_fail:
		free(row.path);
		break;
	}
	tg_buf_release(&f);
	return rc;
}

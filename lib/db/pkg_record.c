/* Per-package records: encoding (updater), decoding and lookups (reader).
 * The layout is described in pkg_record.h. */
#include "db/pkg_record.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/pep440.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

#define NULL_LEN 0xffffffffu
/* The fewest bytes each item can take (every string at least a length
 * and a NUL, a NULL string its length alone). */
#define MIN_STR 5
#define MIN_ENTRY 56
#define MIN_RANGE 9
#define MIN_EVENT 6
#define MIN_KEY 9
static const char magic[4] = { 'T', 'G', 'P', '1' };

/* ---- keys ---- */

char *tg_pkg_version_key(enum tg_ecosystem eco, const char *version)
{
	struct tg_pep440 v;
	struct tg_err err;
	struct tg_buf b;

	if (eco != TG_ECO_PYPI || tg_pep440_parse_str(version, &v, &err) != 0)
		return tg_strdup(version);
	tg_buf_init(&b, 4096);
	if (tg_pep440_normalize(&v, &b, &err) != 0) {
		tg_pep440_release(&v);
		tg_buf_release(&b);
		return tg_strdup(version);
	}
	tg_pep440_release(&v);
	return tg_buf_detach(&b, NULL);
}

/* ---- encoding ---- */

static int put_u32(struct tg_buf *b, uint32_t v, struct tg_err *err)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	return tg_buf_add(b, x, 4, err);
}

static int put_u8(struct tg_buf *b, unsigned v, struct tg_err *err)
{
	unsigned char x = (unsigned char)v;
	return tg_buf_add(b, &x, 1, err);
}

static int put_i64(struct tg_buf *b, int64_t v, struct tg_err *err)
{
	uint64_t u = (uint64_t)v;
	int rc = put_u32(b, (uint32_t)u, err);
	return rc ? rc : put_u32(b, (uint32_t)(u >> 32), err);
}

static int put_count(struct tg_buf *b, size_t n, struct tg_err *err)
{
	if (n > TG_PKG_RECORD_MAX_ITEMS)
		return tg_err_set(err, TG_ELIMIT, "package record: %zu items (limit %u)",
				  n, TG_PKG_RECORD_MAX_ITEMS);
	return put_u32(b, (uint32_t)n, err);
}

static int put_str(struct tg_buf *b, const char *s, struct tg_err *err)
{
	size_t n;
	int rc;

	if (!s)
		return put_u32(b, NULL_LEN, err);
	n = strlen(s);
	if (n >= NULL_LEN)
		return tg_err_set(err, TG_ELIMIT, "package record: string too long");
	if ((rc = put_u32(b, (uint32_t)n, err)))
		return rc;
	return tg_buf_add(b, s, n + 1, err);
}

static int key_ref_cmp(const void *pa, const void *pb)
{
	const struct tg_pkg_key_ref *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return a->entry < b->entry ? -1 : a->entry > b->entry;
}

/* A u32 placeholder at *at, filled by end_sized with the size of what
 * was written after it. */
static int begin_sized(struct tg_buf *b, size_t *at, struct tg_err *err)
{
	*at = b->len;
	return put_u32(b, 0, err);
}

static int end_sized(struct tg_buf *b, size_t at, struct tg_err *err)
{
	size_t bytes = b->len - at - 4;
	unsigned char *p;

	if (bytes >= NULL_LEN)
		return tg_err_set(err, TG_ELIMIT, "package record: entry too long");
	p = (unsigned char *)b->data + at;
	p[0] = (unsigned char)bytes;
	p[1] = (unsigned char)(bytes >> 8);
	p[2] = (unsigned char)(bytes >> 16);
	p[3] = (unsigned char)(bytes >> 24);
	return 0;
}

static int put_brief(struct tg_buf *b, const struct tg_db_pkg_brief *br,
		     struct tg_err *err)
{
	static const struct tg_db_pkg_brief none;
	size_t at, i;
	int rc;

	if (!br)
		br = &none;
	if ((rc = begin_sized(b, &at, err)) ||
	    (rc = put_str(b, br->summary, err)) ||
	    (rc = put_str(b, br->details, err)) ||
	    (rc = put_str(b, br->published, err)) ||
	    (rc = put_str(b, br->db_severity, err)) ||
	    (rc = put_count(b, br->n_aliases, err)))
		return rc;
	for (i = 0; i < br->n_aliases; i++)
		if ((rc = put_str(b, br->aliases[i], err)))
			return rc;
	if ((rc = put_count(b, br->n_severity, err)))
		return rc;
	for (i = 0; i < 2 * br->n_severity; i++)
		if ((rc = put_str(b, br->severity[i], err)))
			return rc;
	return end_sized(b, at, err);
}

static int put_entry(struct tg_buf *b, const struct tg_db_affected *a,
		     const struct tg_db_pkg_brief *brief, struct tg_err *err)
{
	size_t i, j;
	int rc;

	if ((rc = put_str(b, a->advisory_id, err)) ||
	    (rc = put_i64(b, a->group, err)) ||
	    (rc = put_u8(b, (a->withdrawn ? 1u : 0u) | (a->malicious ? 2u : 0u), err)) ||
	    (rc = put_str(b, a->modified, err)) ||
	    (rc = put_str(b, a->name, err)) ||
	    (rc = put_str(b, a->norm_name, err)) ||
	    (rc = put_u32(b, a->entry_index, err)) ||
	    (rc = put_str(b, a->database_specific, err)) ||
	    (rc = put_str(b, a->ecosystem_specific, err)) ||
	    (rc = put_count(b, a->n_ranges, err)))
		return rc;
	for (i = 0; i < a->n_ranges; i++) {
		const struct tg_db_range *r = &a->ranges[i];

		if ((rc = put_u8(b, (unsigned)r->type, err)) ||
		    (rc = put_str(b, r->repo, err)) ||
		    (rc = put_count(b, r->n_events, err)))
			return rc;
		for (j = 0; j < r->n_events; j++)
			if ((rc = put_u8(b, (unsigned)r->events[j].kind, err)) ||
			    (rc = put_str(b, r->events[j].version, err)))
				return rc;
	}
	/* The byte size of the list first: readers that do not want the
	 * list (the matcher uses the key index) step over it. */
	{
		size_t at;

		if ((rc = put_count(b, a->n_versions, err)) || (rc = begin_sized(b, &at, err)))
			return rc;
		for (i = 0; i < a->n_versions; i++)
			if ((rc = put_str(b, a->versions[i], err)))
				return rc;
		if ((rc = end_sized(b, at, err)))
			return rc;
	}
	return put_brief(b, brief, err);
}

int tg_pkg_encoder_begin(struct tg_pkg_encoder *e, enum tg_ecosystem eco,
			 const char *latest, struct tg_buf *out, struct tg_err *err)
{
	memset(e, 0, sizeof(*e));
	e->eco = eco;
	e->out = out;
	if (tg_buf_add(out, magic, sizeof(magic), err) || put_str(out, latest, err))
		return err->code;
	e->count_at = out->len;
	return put_u32(out, 0, err);
}

int tg_pkg_encoder_add(struct tg_pkg_encoder *e, const struct tg_db_affected *a,
		       const struct tg_db_pkg_brief *brief, struct tg_err *err)
{
	size_t i, need;
	int rc;

	if (e->n_entries >= TG_PKG_RECORD_MAX_ITEMS ||
	    !tg_size_add(e->n_refs, a->n_versions, &need) ||
	    need > TG_PKG_RECORD_MAX_ITEMS)
		return tg_err_set(err, TG_ELIMIT, "package record of %s: too many entries "
				  "or versions", a->norm_name ? a->norm_name : "?");
	if ((rc = put_entry(e->out, a, brief, err)))
		return rc;
	if (need > e->cap_refs) {
		size_t ncap = e->cap_refs ? e->cap_refs : 64, bytes;
		struct tg_pkg_key_ref *nr;

		while (ncap < need)
			ncap *= 2;
		if (!tg_size_mul(ncap, sizeof(*nr), &bytes) ||
		    !(nr = realloc(e->refs, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		e->refs = nr;
		e->cap_refs = ncap;
	}
	for (i = 0; i < a->n_versions; i++) {
		char *key = tg_pkg_version_key(e->eco, a->versions[i]);

		if (!key)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		e->refs[e->n_refs].key = key;
		e->refs[e->n_refs++].entry = (uint32_t)e->n_entries;
	}
	e->n_entries++;
	return 0;
}

int tg_pkg_encoder_finish(struct tg_pkg_encoder *e, struct tg_err *err)
{
	struct tg_pkg_key_ref *refs = e->refs;
	size_t n = e->n_refs, i, j, k, n_keys = 0;
	unsigned char *cnt;
	int rc;

	if (n > 1)
		qsort(refs, n, sizeof(*refs), key_ref_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(refs[i].key, refs[i - 1].key) != 0)
			n_keys++;
	if ((rc = put_u32(e->out, (uint32_t)n_keys, err)))
		return rc;
	for (i = 0; i < n; i = j) {
		size_t n_entries = 0;

		for (j = i; j < n && strcmp(refs[j].key, refs[i].key) == 0; j++)
			if (j == i || refs[j].entry != refs[j - 1].entry)
				n_entries++;
		if ((rc = put_str(e->out, refs[i].key, err)) ||
		    (rc = put_u32(e->out, (uint32_t)n_entries, err)))
			return rc;
		for (k = i; k < j; k++)
			if ((k == i || refs[k].entry != refs[k - 1].entry) &&
			    (rc = put_u32(e->out, refs[k].entry, err)))
				return rc;
	}
	cnt = (unsigned char *)e->out->data + e->count_at;
	cnt[0] = (unsigned char)e->n_entries;
	cnt[1] = (unsigned char)(e->n_entries >> 8);
	cnt[2] = (unsigned char)(e->n_entries >> 16);
	cnt[3] = (unsigned char)(e->n_entries >> 24);
	return 0;
}

void tg_pkg_encoder_release(struct tg_pkg_encoder *e)
{
	size_t i;

	for (i = 0; i < e->n_refs; i++)
		free(e->refs[i].key);
	free(e->refs);
	memset(e, 0, sizeof(*e));
}

/* ---- decoding ---- */

struct pkg_key {
	const char *key;
	const unsigned char *entries; /* n little-endian u32 */
	size_t n;
};

struct pkg_entry {
	struct tg_db_affected a;      /* versions left empty */
	const unsigned char *versions; /* first versions-list string */
	size_t n_versions;
	size_t versions_bytes;
	const unsigned char *brief;    /* checked when read */
	size_t brief_bytes;
};

struct tg_db_pkg {
	unsigned char *blob;
	size_t len;
	struct pkg_entry *entries;
	size_t n_entries;
	struct tg_db_range *ranges;
	struct tg_db_event *events;
	struct pkg_key *keys;
	size_t n_keys;
	const char *latest;
	const char **versions; /* scratch for tg_db_pkg_entry */
	size_t cap_versions;
	const char **strs;     /* scratch for tg_db_pkg_brief */
	size_t cap_strs;
};

struct reader {
	const unsigned char *p, *end;
	const char *origin;
	struct tg_err *err;
	bool bad;
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void bad(struct reader *r, const char *what)
{
	if (!r->bad)
		tg_err_set(r->err, TG_EDB, "%s: damaged package record (%s); "
			   "run 'tollgate db update' to rebuild the database",
			   r->origin, what);
	r->bad = true;
	r->p = r->end;
}

static uint32_t get_u32(struct reader *r)
{
	uint32_t v;

	if (r->end - r->p < 4) {
		bad(r, "truncated");
		return 0;
	}
	v = le32(r->p);
	r->p += 4;
	return v;
}

static unsigned get_u8(struct reader *r)
{
	if (r->p >= r->end) {
		bad(r, "truncated");
		return 0;
	}
	return *r->p++;
}

static int64_t get_i64(struct reader *r)
{
	uint64_t lo = get_u32(r), hi = get_u32(r);
	return (int64_t)(lo | hi << 32);
}

/* A count of items that each take at least min_bytes of what follows:
 * a count the rest of the record cannot hold is damage, whatever the cap
 * (and would otherwise size an allocation). */
static size_t get_count(struct reader *r, size_t min_bytes)
{
	uint32_t n = get_u32(r);

	if (n > TG_PKG_RECORD_MAX_ITEMS || n > (size_t)(r->end - r->p) / min_bytes) {
		bad(r, "count out of range");
		return 0;
	}
	return n;
}

static const char *get_str(struct reader *r)
{
	uint32_t n = get_u32(r);
	const char *s;

	if (r->bad || n == NULL_LEN)
		return NULL;
	if ((size_t)(r->end - r->p) <= n || r->p[n] != '\0') {
		bad(r, "string out of range");
		return NULL;
	}
	s = (const char *)r->p;
	r->p += (size_t)n + 1;
	return s;
}

static const char *get_str_nonnull(struct reader *r, const char *what)
{
	const char *s = get_str(r);

	if (!s && !r->bad)
		bad(r, what);
	return s;
}

static bool grow_to(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 16, bytes;
	void *np;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	if (!tg_size_mul(ncap, size, &bytes))
		return false;
	np = realloc(*p, bytes);
	if (!np)
		return false;
	*p = np;
	*cap = ncap;
	return true;
}

/* First pass over one entry: fields, ranges and events into p's arrays
 * (as indices; pointers are fixed once the arrays stop moving). */
struct counts {
	size_t n_ranges, cap_ranges, n_events, cap_events;
	size_t *first_event; /* per range */
	size_t cap_first;
};

static int read_entry(struct reader *r, struct tg_db_pkg *p, struct pkg_entry *e,
		      struct counts *c, struct tg_err *err)
{
	size_t n_ranges, i, j, bytes;
	unsigned flags;

	memset(e, 0, sizeof(*e));
	e->a.advisory_id = get_str_nonnull(r, "entry without an id");
	e->a.group = get_i64(r);
	flags = get_u8(r);
	e->a.withdrawn = flags & 1;
	e->a.malicious = (flags & 2) != 0;
	e->a.modified = get_str(r);
	e->a.name = get_str_nonnull(r, "entry without a name");
	e->a.norm_name = get_str_nonnull(r, "entry without a name");
	e->a.entry_index = get_u32(r);
	e->a.database_specific = get_str(r);
	e->a.ecosystem_specific = get_str(r);
	n_ranges = get_count(r, MIN_RANGE);
	for (i = 0; i < n_ranges && !r->bad; i++) {
		struct tg_db_range *rg;
		unsigned type;
		size_t n_events;

		if (!grow_to((void **)&p->ranges, &c->cap_ranges, c->n_ranges + 1,
			     sizeof(*p->ranges)) ||
		    !grow_to((void **)&c->first_event, &c->cap_first, c->n_ranges + 1,
			     sizeof(*c->first_event)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		rg = &p->ranges[c->n_ranges];
		memset(rg, 0, sizeof(*rg));
		type = get_u8(r);
		if (type > TG_RANGE_GIT)
			bad(r, "unknown range type");
		rg->type = (enum tg_db_range_type)type;
		rg->repo = get_str(r);
		n_events = get_count(r, MIN_EVENT);
		c->first_event[c->n_ranges] = c->n_events;
		rg->n_events = n_events;
		c->n_ranges++;
		for (j = 0; j < n_events && !r->bad; j++) {
			struct tg_db_event *ev;
			unsigned kind;

			if (!grow_to((void **)&p->events, &c->cap_events, c->n_events + 1,
				     sizeof(*p->events)))
				return tg_err_set(err, TG_ENOMEM, "out of memory");
			ev = &p->events[c->n_events++];
			kind = get_u8(r);
			if (kind > TG_EVENT_LIMIT)
				bad(r, "unknown event kind");
			ev->kind = (enum tg_db_event_kind)kind;
			ev->version = get_str_nonnull(r, "event without a version");
		}
	}
	e->a.n_ranges = n_ranges;
	e->n_versions = get_count(r, MIN_STR);
	bytes = get_u32(r);
	if (!r->bad && (bytes > (size_t)(r->end - r->p) || bytes < e->n_versions * 5))
		bad(r, "versions list out of range");
	/* Checked when a reader asks for the list (tg_db_pkg_entry). */
	e->versions = r->p;
	e->versions_bytes = bytes;
	if (!r->bad)
		r->p += bytes;
	bytes = get_u32(r);
	if (!r->bad && bytes > (size_t)(r->end - r->p))
		bad(r, "advisory fields out of range");
	e->brief = r->p;
	e->brief_bytes = bytes;
	if (!r->bad)
		r->p += bytes;
	return r->bad ? r->err->code : 0;
}

static int read_keys(struct reader *r, struct tg_db_pkg *p, struct tg_err *err)
{
	size_t i, k;

	p->n_keys = get_count(r, MIN_KEY);
	if (r->bad)
		return err->code;
	p->keys = calloc(p->n_keys ? p->n_keys : 1, sizeof(*p->keys));
	if (!p->keys)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < p->n_keys && !r->bad; i++) {
		struct pkg_key *key = &p->keys[i];

		key->key = get_str_nonnull(r, "NULL version key");
		key->n = get_count(r, 4);
		if (r->bad)
			break;
		if (i && strcmp(p->keys[i - 1].key, key->key) >= 0) {
			bad(r, "version keys out of order");
			break;
		}
		if ((size_t)(r->end - r->p) / 4 < key->n) {
			bad(r, "truncated");
			break;
		}
		key->entries = r->p;
		for (k = 0; k < key->n; k++) {
			uint32_t e = le32(r->p + 4 * k);

			if (e >= p->n_entries || (k && e <= le32(r->p + 4 * (k - 1)))) {
				bad(r, "version key lists an unknown entry");
				break;
			}
		}
		r->p += 4 * key->n;
	}
	return r->bad ? err->code : 0;
}

int tg_pkg_record_decode(const void *data, size_t len, enum tg_ecosystem eco,
			 const char *origin, struct tg_db_pkg **out,
			 struct tg_err *err)
{
	void *copy;

	*out = NULL;
	if (len > TG_PKG_RECORD_MAX_BYTES)
		return tg_err_set(err, TG_ELIMIT, "%s: package record of %zu bytes (limit %zu)",
				  origin, len, TG_PKG_RECORD_MAX_BYTES);
	if (!(copy = malloc(len ? len : 1)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (len)
		memcpy(copy, data, len);
	return tg_pkg_record_decode_owned(copy, len, eco, origin, out, err);
}

int tg_pkg_record_decode_owned(void *blob, size_t len, enum tg_ecosystem eco,
			       const char *origin, struct tg_db_pkg **out,
			       struct tg_err *err)
{
	struct tg_db_pkg *p;
	struct reader r = { NULL, NULL, origin, err, false };
	struct counts c = { 0 };
	size_t i, n, first_range = 0;
	int rc = 0;

	*out = NULL;
	if (len > TG_PKG_RECORD_MAX_BYTES) {
		free(blob);
		return tg_err_set(err, TG_ELIMIT, "%s: package record of %zu bytes (limit %zu)",
				  origin, len, TG_PKG_RECORD_MAX_BYTES);
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		free(blob);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	p->blob = blob;
	p->len = len;
	r.p = p->blob;
	r.end = p->blob + len;
	if (len < sizeof(magic) || memcmp(p->blob, magic, sizeof(magic)) != 0) {
		bad(&r, "unknown format");
		rc = err->code;
		goto out;
	}
	r.p += sizeof(magic);
	p->latest = get_str(&r);
	n = get_count(&r, MIN_ENTRY);
	if (!r.bad && !(p->entries = calloc(n ? n : 1, sizeof(*p->entries)))) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n && !r.bad; i++) {
		if ((rc = read_entry(&r, p, &p->entries[i], &c, err)))
			goto out;
		p->n_entries++;
	}
	if (r.bad || (rc = read_keys(&r, p, err)))
		goto out_bad;
	if (r.p != r.end) {
		bad(&r, "trailing bytes");
		goto out_bad;
	}
	/* The arrays no longer move: point entries at their ranges and
	 * ranges at their events. */
	for (i = 0; i < c.n_ranges; i++)
		p->ranges[i].events = p->ranges[i].n_events ? p->events + c.first_event[i]
							     : NULL;
	for (i = 0; i < p->n_entries; i++) {
		struct tg_db_affected *a = &p->entries[i].a;

		a->eco = eco;
		a->ranges = a->n_ranges ? p->ranges + first_range : NULL;
		first_range += a->n_ranges;
	}
	*out = p;
	p = NULL;
	goto out;
out_bad:
	rc = err->code ? err->code : TG_EDB;
out:
	free(c.first_event);
	tg_db_pkg_free(p);
	return rc;
}

const char *tg_db_pkg_latest(const struct tg_db_pkg *p)
{
	return p ? p->latest : NULL;
}

size_t tg_db_pkg_count(const struct tg_db_pkg *p)
{
	return p ? p->n_entries : 0;
}

int tg_db_pkg_entry(struct tg_db_pkg *p, size_t i, bool with_versions,
		    struct tg_db_affected *out, struct tg_err *err)
{
	const struct pkg_entry *e;
	struct reader r;
	size_t k;

	if (!p || i >= p->n_entries)
		return tg_err_set(err, TG_EINTERNAL, "package record entry out of range");
	e = &p->entries[i];
	*out = e->a;
	if (!with_versions || !e->n_versions)
		return 0;
	if (!grow_to((void **)&p->versions, &p->cap_versions, e->n_versions,
		     sizeof(*p->versions)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	r = (struct reader){ e->versions, e->versions + e->versions_bytes,
			     "package record", err, false };
	for (k = 0; k < e->n_versions && !r.bad; k++)
		p->versions[k] = get_str_nonnull(&r, "NULL in a versions list");
	if (!r.bad && r.p != r.end)
		bad(&r, "versions list size");
	if (r.bad)
		return err->code;
	out->versions = p->versions;
	out->n_versions = e->n_versions;
	return 0;
}

int tg_db_pkg_brief(struct tg_db_pkg *p, size_t i, struct tg_db_pkg_brief *out,
		    struct tg_err *err)
{
	const struct pkg_entry *e;
	struct reader r;
	size_t n_aliases, n_sev, k;

	memset(out, 0, sizeof(*out));
	if (!p || i >= p->n_entries)
		return tg_err_set(err, TG_EINTERNAL, "package record entry out of range");
	e = &p->entries[i];
	r = (struct reader){ e->brief, e->brief + e->brief_bytes, "package record", err, false };
	out->summary = get_str(&r);
	out->details = get_str(&r);
	out->published = get_str(&r);
	out->db_severity = get_str(&r);
	n_aliases = get_count(&r, MIN_STR);
	if (!r.bad && !grow_to((void **)&p->strs, &p->cap_strs, n_aliases + 1, sizeof(*p->strs)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (k = 0; k < n_aliases && !r.bad; k++)
		p->strs[k] = get_str_nonnull(&r, "NULL alias");
	n_sev = get_count(&r, 2 * MIN_STR);
	if (!r.bad && !grow_to((void **)&p->strs, &p->cap_strs, n_aliases + 2 * n_sev + 1,
			       sizeof(*p->strs)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (k = 0; k < 2 * n_sev && !r.bad; k++)
		p->strs[n_aliases + k] = get_str_nonnull(&r, "NULL severity");
	if (!r.bad && r.p != r.end)
		bad(&r, "advisory fields size");
	if (r.bad) {
		memset(out, 0, sizeof(*out));
		return err->code;
	}
	out->aliases = p->strs;
	out->n_aliases = n_aliases;
	out->severity = p->strs + n_aliases;
	out->n_severity = n_sev;
	return 0;
}

size_t tg_db_pkg_listing(const struct tg_db_pkg *p, const char *key,
			 const void **at)
{
	size_t lo = 0, hi = p ? p->n_keys : 0;

	*at = NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, p->keys[mid].key);

		if (c == 0) {
			*at = p->keys[mid].entries;
			return p->keys[mid].n;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

size_t tg_db_pkg_listing_at(const void *at, size_t k)
{
	return le32((const unsigned char *)at + 4 * k);
}

void tg_db_pkg_free(struct tg_db_pkg *p)
{
	if (!p)
		return;
	free(p->blob);
	free(p->entries);
	free(p->ranges);
	free(p->events);
	free(p->keys);
	free(p->versions);
	free(p->strs);
	free(p);
}

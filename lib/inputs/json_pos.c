/* Line numbers for JSON values (see struct in_json_doc in internal.h).
 *
 * The raw scan runs only on text jansson has already accepted, so it can
 * rely on the syntax being valid; it still never reads past len. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/size.h"

/* jansson caps nesting at 2048; the scan keeps its own bounded stack. */
#define POS_MAX_DEPTH 4096

struct scan {
	unsigned long *lines; /* line of each value, in document order */
	unsigned char *is_container;
	size_t n, cap;
};

static int scan_push(struct scan *s, unsigned long line, bool container)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 256, b1, b2;
		unsigned long *nl;
		unsigned char *nc;

		if (!tg_size_mul(ncap, sizeof(*nl), &b1) || !tg_size_mul(ncap, 1, &b2))
			return -1;
		nl = realloc(s->lines, b1);
		if (!nl)
			return -1;
		s->lines = nl;
		nc = realloc(s->is_container, b2);
		if (!nc)
			return -1;
		s->is_container = nc;
		s->cap = ncap;
	}
	s->lines[s->n] = line;
	s->is_container[s->n] = container;
	s->n++;
	return 0;
}

static size_t skip_string(const char *d, size_t len, size_t i, unsigned long *line)
{
	/* d[i] == '"' */
	for (i++; i < len; i++) {
		if (d[i] == '\\') {
			i++;
		} else if (d[i] == '"') {
			return i + 1;
		} else if (d[i] == '\n') {
			(*line)++; /* cannot happen in valid JSON; keep counting */
		}
	}
	return len;
}

static int scan_text(const char *d, size_t len, struct scan *s)
{
	/* Per depth: 'o' object expecting key, 'v' object expecting value,
	 * 'a' array. */
	char stack[POS_MAX_DEPTH];
	unsigned long key_line[POS_MAX_DEPTH];
	size_t depth = 0, i = 0;
	unsigned long line = 1;

	while (i < len) {
		char c = d[i];
		unsigned long vline;

		if (c == '\n') {
			line++;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == ',') {
			if (c == ',' && depth > 0 && stack[depth - 1] == 'v')
				stack[depth - 1] = 'o';
			i++;
			continue;
		}
		if (c == ':') {
			i++;
			continue;
		}
		if (c == '}' || c == ']') {
			if (depth > 0)
				depth--;
			i++;
			continue;
		}
		if (c == '"' && depth > 0 && stack[depth - 1] == 'o') {
			key_line[depth - 1] = line;
			stack[depth - 1] = 'v';
			i = skip_string(d, len, i, &line);
			continue;
		}
		/* A value starts here. */
		vline = (depth > 0 && stack[depth - 1] == 'v') ? key_line[depth - 1] : line;
		if (c == '{' || c == '[') {
			if (scan_push(s, vline, true))
				return -1;
			if (depth >= POS_MAX_DEPTH)
				return -1;
			stack[depth++] = c == '{' ? 'o' : 'a';
			i++;
			continue;
		}
		if (scan_push(s, vline, false))
			return -1;
		if (c == '"') {
			i = skip_string(d, len, i, &line);
		} else {
			while (i < len && d[i] != ',' && d[i] != '}' && d[i] != ']' &&
			       d[i] != ' ' && d[i] != '\n' && d[i] != '\r' && d[i] != '\t')
				i++;
		}
	}
	return 0;
}

struct walk {
	const struct scan *s;
	size_t next;
	struct in_json_pos *pos;
	size_t n_pos, cap_pos;
	bool mismatch;
};

static int walk_add(struct walk *w, const json_t *v, unsigned long line)
{
	if (w->n_pos == w->cap_pos) {
		size_t ncap = w->cap_pos ? w->cap_pos * 2 : 64, bytes;
		struct in_json_pos *np;

		if (!tg_size_mul(ncap, sizeof(*np), &bytes))
			return -1;
		np = realloc(w->pos, bytes);
		if (!np)
			return -1;
		w->pos = np;
		w->cap_pos = ncap;
	}
	w->pos[w->n_pos].v = v;
	w->pos[w->n_pos].line = line;
	w->n_pos++;
	return 0;
}

/* Depth is bounded by jansson's own nesting limit. */
static int walk_tree(struct walk *w, const json_t *v)
{
	size_t idx = w->next++;
	bool container = json_is_object(v) || json_is_array(v);

	if (idx >= w->s->n || (bool)w->s->is_container[idx] != container) {
		w->mismatch = true;
		return 0;
	}
	if (!container)
		return 0;
	if (walk_add(w, v, w->s->lines[idx]))
		return -1;
	if (json_is_object(v)) {
		const char *key;
		json_t *child;

		json_object_foreach((json_t *)v, key, child) {
			if (walk_tree(w, child))
				return -1;
			if (w->mismatch)
				return 0;
		}
	} else {
		size_t i;
		json_t *child;

		json_array_foreach(v, i, child) {
			if (walk_tree(w, child))
				return -1;
			if (w->mismatch)
				return 0;
		}
	}
	return 0;
}

static int pos_cmp(const void *a, const void *b)
{
	const struct in_json_pos *x = a, *y = b;

	if (x->v == y->v)
		return 0;
	return (const char *)x->v < (const char *)y->v ? -1 : 1;
}

int in_json_load(const char *data, size_t len, const char *origin,
		 struct in_json_doc *doc, struct tg_err *err)
{
	struct scan s = { 0 };
	struct walk w = { 0 };
	size_t skip;
	int rc;

	memset(doc, 0, sizeof(*doc));
	rc = in_check_text(data, len, origin, &skip, err);
	if (rc)
		return rc;
	doc->root = tg_json_load(data + skip, len - skip, origin, err);
	if (!doc->root)
		return TG_EPARSE;
	if (scan_text(data + skip, len - skip, &s) == 0) {
		w.s = &s;
		if (walk_tree(&w, doc->root) == 0 && !w.mismatch && w.next == s.n) {
			qsort(w.pos, w.n_pos, sizeof(*w.pos), pos_cmp);
			doc->pos = w.pos;
			doc->n_pos = w.n_pos;
			w.pos = NULL;
		}
	}
	/* Without positions packages still parse; they just get line 0. */
	free(w.pos);
	free(s.lines);
	free(s.is_container);
	return 0;
}

void in_json_release(struct in_json_doc *doc)
{
	json_decref(doc->root);
	free(doc->pos);
	memset(doc, 0, sizeof(*doc));
}

unsigned long in_json_line(const struct in_json_doc *doc, const json_t *v)
{
	struct in_json_pos key = { .v = v };
	const struct in_json_pos *hit;

	if (!doc->pos || !v)
		return 0;
	hit = bsearch(&key, doc->pos, doc->n_pos, sizeof(*doc->pos), pos_cmp);
	return hit ? hit->line : 0;
}

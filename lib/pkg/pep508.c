/* PEP 508 requirement lines: name, extras, specifier or URL, marker. */
#include "tollgate/pep508.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pep508_lex.h"
#include "tollgate/pep503.h"
#include "tollgate/str.h"

struct rp {
	const char *s;
	size_t n;
	size_t pos;
	struct tg_err *err;
};

static int fail_at(struct rp *p, size_t at, enum tg_code code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(struct rp *p, size_t at, enum tg_code code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tg_err_at(p->err, code, "", 0, at + 1, "%s at column %zu", msg, at + 1);
}

static void skip_ws(struct rp *p)
{
	p->pos = tg_pep508_ws_end(p->s, p->n, p->pos);
}

/* Python's "$": the end, or just before one final newline. */
static bool at_end(const struct rp *p)
{
	return p->pos == p->n || (p->pos + 1 == p->n && p->s[p->pos] == '\n');
}

static bool at_char(const struct rp *p, char c)
{
	return p->pos < p->n && p->s[p->pos] == c;
}

void tg_requirement_release(struct tg_requirement *r)
{
	size_t i;

	if (!r)
		return;
	free(r->name);
	free(r->norm_name);
	for (i = 0; i < r->n_extras; i++)
		free(r->extras[i]);
	free(r->extras);
	free(r->specifier);
	tg_pep440_specset_release(&r->spec);
	free(r->url);
	if (r->marker) {
		tg_marker_release(r->marker);
		free(r->marker);
	}
	memset(r, 0, sizeof(*r));
}

static int nomem(struct rp *p)
{
	return tg_err_set(p->err, TG_ENOMEM, "out of memory parsing a requirement");
}

static int parse_extras(struct rp *p, struct tg_requirement *r)
{
	size_t open = p->pos, e;

	p->pos++;
	skip_ws(p);
	e = tg_pep508_identifier_end(p->s, p->n, p->pos);
	while (e > p->pos) {
		char **grown;
		if (r->n_extras >= TG_PEP508_MAX_EXTRAS)
			return fail_at(p, p->pos, TG_ELIMIT, "more than %d extras",
				       TG_PEP508_MAX_EXTRAS);
		grown = realloc(r->extras, (r->n_extras + 1) * sizeof(*grown));
		if (!grown)
			return nomem(p);
		r->extras = grown;
		if (!(r->extras[r->n_extras] = tg_strndup(p->s + p->pos, e - p->pos)))
			return nomem(p);
		r->n_extras++;
		p->pos = e;
		skip_ws(p);
		if (tg_pep508_identifier_end(p->s, p->n, p->pos) > p->pos)
			return fail_at(p, p->pos, TG_EPARSE,
				       "expected a comma between extra names");
		if (!at_char(p, ','))
			break;
		p->pos++;
		skip_ws(p);
		e = tg_pep508_identifier_end(p->s, p->n, p->pos);
		if (e == p->pos)
			return fail_at(p, p->pos, TG_EPARSE,
				       "expected an extra name after the comma");
	}
	skip_ws(p);
	if (!at_char(p, ']'))
		return fail_at(p, p->pos, TG_EPARSE,
			       "expected ']' to close the '[' of the extras at column %zu",
			       open + 1);
	p->pos++;
	return 0;
}

/* SPECIFIER (WS? ',' WS? SPECIFIER)*, collected as packaging collects it. */
static int parse_versions(struct rp *p, struct tg_buf *spec)
{
	size_t e;
	int rc;

	while ((e = tg_pep508_specifier_end(p->s, p->n, p->pos)) > p->pos) {
		size_t start = p->pos;

		if ((rc = tg_buf_add(spec, p->s + start, e - start, p->err)))
			return rc;
		p->pos = e;
		if (p->n - e >= 2 && p->s[e] == '.' && p->s[e + 1] == '*') {
			if (p->s[start] == '=' || p->s[start] == '!')
				return fail_at(p, e + 1, TG_EPARSE,
					       "'.*' cannot follow a pre-, post-, dev-release "
					       "or local version");
			return fail_at(p, e + 1, TG_EPARSE,
				       "'.*' is only allowed with == and !=");
		}
		if (e + 1 < p->n && p->s[e] == '+' &&
		    ((p->s[e + 1] >= 'a' && p->s[e + 1] <= 'z') ||
		     (p->s[e + 1] >= '0' && p->s[e + 1] <= '9')))
			return fail_at(p, e, TG_EPARSE,
				       "a local version label is only allowed with == and !=");
		skip_ws(p);
		if (!at_char(p, ','))
			break;
		if ((rc = tg_buf_addc(spec, ',', p->err)))
			return rc;
		p->pos++;
		skip_ws(p);
	}
	return 0;
}

static int parse_marker_part(struct rp *p, struct tg_requirement *r)
{
	int rc;

	p->pos++; /* ';' */
	if (!(r->marker = calloc(1, sizeof(*r->marker))))
		return nomem(p);
	if ((rc = tg_marker_parse_at(p->s, p->n, &p->pos, r->marker, p->err))) {
		free(r->marker);
		r->marker = NULL;
		return rc;
	}
	skip_ws(p);
	return 0;
}

static int parse(struct rp *p, struct tg_requirement *r)
{
	struct tg_buf spec;
	size_t e;
	int rc = 0;

	skip_ws(p);
	e = tg_pep508_identifier_end(p->s, p->n, p->pos);
	if (e == p->pos)
		return fail_at(p, p->pos, TG_EPARSE,
			       "expected a package name at the start of the requirement");
	if (!(r->name = tg_strndup(p->s + p->pos, e - p->pos)) ||
	    !(r->norm_name = tg_pep503_normalize_dup(p->s + p->pos, e - p->pos)))
		return nomem(p);
	p->pos = e;
	skip_ws(p);
	if (at_char(p, '[') && (rc = parse_extras(p, r)))
		return rc;
	skip_ws(p);

	if (at_char(p, '@')) {
		size_t url_start;
		p->pos++;
		skip_ws(p);
		url_start = p->pos;
		while (p->pos < p->n && p->s[p->pos] != ' ' && p->s[p->pos] != '\t')
			p->pos++;
		if (p->pos == url_start)
			return fail_at(p, p->pos, TG_EPARSE, "expected a URL after '@'");
		if (!(r->url = tg_strndup(p->s + url_start, p->pos - url_start)))
			return nomem(p);
		if (at_end(p))
			return 0;
		skip_ws(p);
		if (at_end(p))
			return 0;
		if (!at_char(p, ';'))
			return fail_at(p, p->pos, TG_EPARSE,
				       "expected ';' (after the URL and a space) or the end");
	} else {
		size_t open = (size_t)-1;

		tg_buf_init(&spec, p->n + 1);
		if (at_char(p, '(')) {
			open = p->pos++;
		}
		skip_ws(p);
		rc = parse_versions(p, &spec);
		skip_ws(p);
		if (!rc && open != (size_t)-1) {
			if (!at_char(p, ')'))
				rc = fail_at(p, p->pos, TG_EPARSE,
					     "expected ')' to close the '(' at column %zu",
					     open + 1);
			else
				p->pos++;
		}
		if (!rc) {
			size_t len;
			r->specifier = tg_buf_detach(&spec, &len);
			if (!r->specifier)
				rc = nomem(p);
			else if ((rc = tg_pep440_spec_parse(r->specifier, len, &r->spec,
							    p->err)))
				tg_err_prefix(p->err, "in the version specifier: ");
		}
		tg_buf_release(&spec);
		if (rc)
			return rc;
		skip_ws(p);
		if (at_end(p))
			return 0;
		if (!at_char(p, ';'))
			return fail_at(p, p->pos, TG_EPARSE, "%s",
				       r->specifier[0]
				       ? "expected ',' (within the version specifier), ';' "
					 "(before a marker) or the end"
				       : "expected a version specifier, ';' (before a "
					 "marker) or the end");
	}
	if ((rc = parse_marker_part(p, r)))
		return rc;
	if (!at_end(p))
		return fail_at(p, p->pos, TG_EPARSE,
			       "expected the end of the requirement");
	return 0;
}

int tg_pep508_parse(const char *s, size_t n, struct tg_requirement *out,
		    struct tg_err *err)
{
	struct rp p = { .s = s, .n = n, .err = err };
	int rc;

	memset(out, 0, sizeof(*out));
	if (n > TG_PEP508_MAX_LENGTH)
		return tg_err_set(err, TG_ELIMIT, "requirement longer than %u bytes",
				  TG_PEP508_MAX_LENGTH);
	rc = parse(&p, out);
	if (rc)
		tg_requirement_release(out);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tg_requirement_format(const struct tg_requirement *r, struct tg_buf *out,
			  struct tg_err *err)
{
	struct tg_buf spec;
	int rc = tg_buf_adds(out, r->name, err);
	size_t i;

	if (!rc && r->n_extras) {
		char **sorted = malloc(r->n_extras * sizeof(*sorted));
		if (!sorted)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		memcpy(sorted, r->extras, r->n_extras * sizeof(*sorted));
		qsort(sorted, r->n_extras, sizeof(*sorted), cmp_str);
		rc = tg_buf_addc(out, '[', err);
		for (i = 0; !rc && i < r->n_extras; i++) {
			if (i && strcmp(sorted[i], sorted[i - 1]) == 0)
				continue;
			if (i)
				rc = tg_buf_addc(out, ',', err);
			if (!rc)
				rc = tg_buf_adds(out, sorted[i], err);
		}
		if (!rc)
			rc = tg_buf_addc(out, ']', err);
		free(sorted);
	}
	tg_buf_init(&spec, 0);
	if (!rc)
		rc = tg_pep440_specset_format(&r->spec, &spec, err);
	if (!rc)
		rc = tg_buf_add(out, spec.data, spec.len, err);
	tg_buf_release(&spec);
	if (!rc && r->url) {
		rc = tg_buf_addf(out, err, " @ %s", r->url);
		if (!rc && r->marker)
			rc = tg_buf_addc(out, ' ', err);
	}
	if (!rc && r->marker) {
		rc = tg_buf_adds(out, "; ", err);
		if (!rc)
			rc = tg_marker_format(r->marker, out, err);
	}
	return rc;
}

int tg_requirement_applies(const struct tg_requirement *r,
			   const struct tg_marker_env *env, bool *result,
			   struct tg_err *err)
{
	*result = true;
	if (!r->marker)
		return 0;
	return tg_marker_evaluate(r->marker, env, result, err);
}

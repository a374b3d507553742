/* vet results: reasons, verdicts and excerpt sanitising. */
#include "tollgate/vet.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"
#include "tollgate/str.h"
#include "vet/vet_internal.h"

static const char *const level_names[] = { "ok", "info", "warn", "block" };

const char *tg_vet_level_name(enum tg_vet_level l)
{
	if ((unsigned)l < sizeof(level_names) / sizeof(level_names[0]))
		return level_names[l];
	return "?";
}

bool tg_vet_level_parse(const char *s, enum tg_vet_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (tg_ascii_casecmp(s, level_names[i]) == 0) {
			*out = (enum tg_vet_level)i;
			return true;
		}
	}
	return false;
}

bool tg_vet_utf8_next(const char *p, size_t n, size_t *i, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)p;
	unsigned char c = s[*i];
	size_t len, k;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return true;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else {
		goto bad;
	}
	if (n - *i < len)
		goto bad;
	for (k = 1; k < len; k++) {
		if ((s[*i + k] & 0xc0) != 0x80)
			goto bad;
		v = v << 6 | (s[*i + k] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto bad;
	*i += len;
	*cp = v;
	return true;
bad:
	(*i)++;
	*cp = 0xfffd;
	return false;
}

bool tg_vet_cp_invisible(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       cp == 0xad || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	       cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

void tg_vet_sanitize(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i = 0, o = 0;
	bool space = false, cut = false;

	if (outsz < 4) {
		if (outsz)
			out[0] = '\0';
		return;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n) {
		size_t start = i;
		uint32_t cp;
		bool ok = tg_vet_utf8_next(s, n, &i, &cp);
		size_t w;

		if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n') {
			space = true;
			continue;
		}
		w = ok && !tg_vet_cp_invisible(cp) ? i - start : 1;
		if (o + (space ? 1 : 0) + w > outsz - 4) {
			cut = true;
			break;
		}
		if (space && o > 0)
			out[o++] = ' ';
		space = false;
		if (ok && !tg_vet_cp_invisible(cp)) {
			memcpy(out + o, s + start, w);
			o += w;
		} else {
			out[o++] = '?';
		}
	}
	if (cut) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

void tg_vet_result_init(struct tg_vet_result *r)
{
	memset(r, 0, sizeof(*r));
}

static void reason_release(struct tg_vet_reason *x)
{
	free(x->rule);
	free(x->message);
	free(x->similar_to);
	free(x->path);
	free(x->excerpt);
	memset(x, 0, sizeof(*x));
}

void tg_vet_result_release(struct tg_vet_result *r)
{
	size_t i;

	for (i = 0; i < r->n_reasons; i++)
		reason_release(&r->reasons[i]);
	free(r->reasons);
	free(r->subject);
	free(r->name);
	free(r->version);
	free(r->artifact);
	free(r->repository);
	tg_vet_result_init(r);
}

static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = tg_strdup(src);
	return *dst ? 0 : -1;
}

int tg_vet_result_set(char **field, const char *s, struct tg_err *err)
{
	char *copy = NULL;

	if (s && !(copy = tg_strdup(s)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

int tg_vet_result_add(struct tg_vet_result *r, const struct tg_vet_reason *tmpl,
		      struct tg_err *err)
{
	struct tg_vet_reason x;

	if (tmpl->level > r->verdict && tmpl->level != TG_VET_INFO)
		r->verdict = tmpl->level;
	if (r->n_reasons >= TG_VET_MAX_REASONS) {
		r->n_dropped++;
		return 0;
	}
	if (r->n_reasons == r->cap_reasons) {
		size_t cap = r->cap_reasons ? r->cap_reasons * 2 : 4, bytes;
		struct tg_vet_reason *p;

		if (!tg_size_mul(cap, sizeof(*p), &bytes))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		p = realloc(r->reasons, bytes);
		if (!p)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		r->reasons = p;
		r->cap_reasons = cap;
	}
	memset(&x, 0, sizeof(x));
	x.level = tmpl->level;
	x.line = tmpl->line;
	if (dup_opt(&x.rule, tmpl->rule ? tmpl->rule : "?") ||
	    dup_opt(&x.message, tmpl->message ? tmpl->message : "") ||
	    dup_opt(&x.similar_to, tmpl->similar_to) ||
	    dup_opt(&x.path, tmpl->path))
		goto nomem;
	if (tmpl->excerpt) {
		char line[TG_VET_EXCERPT_MAX + 1];

		tg_vet_sanitize(tmpl->excerpt, strlen(tmpl->excerpt), line,
				sizeof(line));
		if (dup_opt(&x.excerpt, line))
			goto nomem;
	}
	r->reasons[r->n_reasons++] = x;
	return 0;
nomem:
	reason_release(&x);
	return tg_err_set(err, TG_ENOMEM, "out of memory");
}

int tg_vet_result_addf(struct tg_vet_result *r, const char *rule,
		       enum tg_vet_level level, struct tg_err *err,
		       const char *fmt, ...)
{
	struct tg_vet_reason x = { .rule = (char *)rule, .level = level };
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x.message = msg;
	return tg_vet_result_add(r, &x, err);
}

bool tg_vet_result_has(const struct tg_vet_result *r, const char *rule)
{
	size_t i;

	for (i = 0; i < r->n_reasons; i++)
		if (strcmp(r->reasons[i].rule, rule) == 0)
			return true;
	return false;
}

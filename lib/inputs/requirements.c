/* pip requirements files.
 *
 * Lines are read the way pip reads them: a line ending in '\' continues on
 * the next (unless it is a comment line); '#' starts a comment at the start
 * of a line or after whitespace (so URL fragments such as "#egg=" survive);
 * blank lines are skipped. A line is either options (-r, -c, -e, -i,
 * --extra-index-url, --trusted-host, -f, --pre, --no-binary, ...) or a
 * requirement followed by per-requirement options (--hash). ${VAR}
 * references are left as written: expanding the environment could copy
 * credentials into reports.
 *
 * -r includes are parsed in place; -c constraint files are read into a
 * side list that pins requirements left unpinned (as pip applies them) but
 * adds no packages, since pip installs nothing only a constraint names. */
#define _XOPEN_SOURCE 700
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pep508_lex.h"
#include "tollgate/fs.h"
#include "tollgate/markers.h"
#include "tollgate/pep440.h"
#include "tollgate/pep503.h"
#include "tollgate/pep508.h"
#include "tollgate/str.h"

#define REQ_MAX_LINE ((size_t)1 << 20)
#define REQ_MAX_FILES 10000

struct req_ctx {
	const struct tg_input_opts *opts;
	struct tg_inventory *out;
	struct tg_inventory constraints;
	char *chain[1024];  /* real paths of the files being read */
	const char *chain_disp[1024];
	unsigned depth;
	size_t files_read;
};

static int parse_buffer(struct req_ctx *x, const char *data, size_t len,
			const char *origin, bool constraint, struct tg_err *err);

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

/* ---------------------------------------------------------------------
 * Includes */

static int chain_message(struct req_ctx *x, const char *last, char *buf,
			 size_t bufsz)
{
	size_t used = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < x->depth && used < bufsz; i++) {
		/* Long chains: the first two links, then the last two. */
		if (x->depth > 5 && i == 2) {
			used += (size_t)snprintf(buf + used, bufsz - used,
						 "... (%u more) -> ", x->depth - 4);
			i = x->depth - 3;
			continue;
		}
		used += (size_t)snprintf(buf + used, bufsz - used, "%s -> ",
					 x->chain_disp[i]);
	}
	if (used < bufsz)
		snprintf(buf + used, bufsz - used, "%s", last);
	return 0;
}

static int include_file(struct req_ctx *x, const char *includer,
			const char *target, bool constraint, unsigned long line,
			unsigned long col, struct tg_err *err)
{
	char chainbuf[400];
	char *path = NULL, *real = NULL;
	struct tg_buf b;
	unsigned i;
	int rc = 0;

	if (strstr(target, "://")) {
		return tg_err_at(err, TG_EINVAL, includer, line, col,
				 "remote include '%.200s' is not read (tollgate works offline); "
				 "download it and include the local copy", target);
	}
	if (target[0] == '/') {
		path = tg_strdup(target);
	} else {
		const char *slash = strrchr(includer, '/');
		if (slash) {
			char *dir = tg_strndup(includer, (size_t)(slash - includer));
			path = dir ? tg_path_join(dir, target) : NULL;
			free(dir);
		} else {
			path = tg_strdup(target);
		}
	}
	if (!path)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (x->depth >= x->opts->max_include_depth || x->depth >= 1024) {
		chain_message(x, path, chainbuf, sizeof(chainbuf));
		rc = tg_err_at(err, TG_ELIMIT, includer, line, col,
			       "requirement includes nested deeper than %u: %s",
			       x->opts->max_include_depth, chainbuf);
		goto out;
	}
	if (++x->files_read > REQ_MAX_FILES) {
		rc = tg_err_at(err, TG_ELIMIT, includer, line, col,
			       "more than %d requirement files included", REQ_MAX_FILES);
		goto out;
	}
	real = realpath(path, NULL);
	if (!real) {
		rc = tg_err_at(err, TG_EIO, includer, line, col,
			       "cannot open included file '%.300s': %s", path, strerror(errno));
		goto out;
	}
	for (i = 0; i < x->depth; i++) {
		if (strcmp(x->chain[i], real) == 0) {
			chain_message(x, path, chainbuf, sizeof(chainbuf));
			rc = tg_err_at(err, TG_EINVAL, includer, line, col,
				       "requirement files include each other in a cycle: %s",
				       chainbuf);
			goto out;
		}
	}
	tg_buf_init(&b, x->opts->max_file_size);
	rc = tg_read_file(path, x->opts->max_file_size, &b, err);
	if (!rc) {
		x->chain[x->depth] = real;
		x->chain_disp[x->depth] = path;
		x->depth++;
		rc = parse_buffer(x, b.data, b.len, path, constraint, err);
		x->depth--;
	}
	tg_buf_release(&b);
out:
	free(real);
	free(path);
	return rc;
}

/* ---------------------------------------------------------------------
 * One requirement */

struct req_parts {
	char name[IN_MAX_NAME + 1];
	struct tg_marker *marker_parsed; /* PEP 508 form */
	char why_buf[TG_ERR_MSG_MAX];
	char *spec;    /* ">=1,<2" without spaces, or NULL */
	char *url;     /* direct reference, or NULL */
	char *marker;  /* or NULL */
	bool vcs, editable, is_url;
};

static void req_parts_release(struct req_parts *r)
{
	if (r->marker_parsed) {
		tg_marker_release(r->marker_parsed);
		free(r->marker_parsed);
	}
	free(r->spec);
	free(r->url);
	free(r->marker);
	memset(r, 0, sizeof(*r));
}

static bool is_vcs_url(const char *s)
{
	return tg_str_starts_with(s, "git+") || tg_str_starts_with(s, "hg+") ||
	       tg_str_starts_with(s, "svn+") || tg_str_starts_with(s, "bzr+");
}

static bool has_archive_ext(const char *s, size_t n)
{
	static const char *const exts[] = { ".whl", ".tar.gz", ".zip", ".tar.bz2",
		".tgz", ".tar.xz" };
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t k = strlen(exts[i]);
		if (n >= k && memcmp(s + n - k, exts[i], k) == 0)
			return true;
	}
	return false;
}

/* A bare URL or path (pip accepts these besides PEP 508 "name @ url"). */
static bool is_direct_form(const char *s, size_t n)
{
	size_t first = 0, i;
	const char *at = memchr(s, '@', n);

	while (first < n && !is_space(s[first]) && s[first] != ';')
		first++;
	if (n >= 4 && (memcmp(s, "git+", 4) == 0 || memcmp(s, "hg+", 3) == 0 ||
		       memcmp(s, "svn+", 4) == 0 || memcmp(s, "bzr+", 4) == 0))
		return true;
	if (s[0] == '.' || s[0] == '/' || (n >= 5 && memcmp(s, "file:", 5) == 0))
		return true;
	/* a scheme before any '@': "https://user@host/x.whl" */
	for (i = 0; i + 2 < first && (!at || s + i < at); i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return true;
	if (at)
		return false; /* name @ url */
	return memchr(s, '/', first) != NULL || has_archive_ext(s, first);
}

/* Name of a direct reference: #egg=NAME, else the distribution part of an
 * archive file name ("name-1.0-py3-none-any.whl", "name-1.0.tar.gz"),
 * else the last path segment. */
static void name_from_url(const char *url, char *out)
{
	const char *egg = strstr(url, "#egg=");
	const char *end, *seg, *p;
	size_t n = 0;

	if (!egg)
		egg = strstr(url, "&egg=");
	if (egg) {
		egg += 5;
		while (is_name_char(egg[n]) && n < IN_MAX_NAME)
			n++;
		memcpy(out, egg, n);
		out[n] = '\0';
		if (n)
			return;
	}
	end = url + strcspn(url, "#?");
	while (end > url && end[-1] == '/')
		end--;
	seg = end;
	while (seg > url && seg[-1] != '/' && seg[-1] != ':')
		seg--;
	/* archive: stop at "-<digit>" */
	for (p = seg; p < end && n < IN_MAX_NAME; p++) {
		if (*p == '-' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
			break;
		if (!is_name_char(*p))
			break;
		out[n++] = *p;
	}
	while (n > 0 && (out[n - 1] == '.' || out[n - 1] == '-' || out[n - 1] == '_'))
		n--;
	if (n >= 4 && tg_str_ends_with(out, ".git"))
		n -= 4;
	out[n] = '\0';
}

/* Split "url ; marker" (pip wants whitespace before the ';' of a URL). */
static int split_url_marker(const char *s, size_t n, struct req_parts *r,
			    struct tg_err *err)
{
	size_t i, url_end = n;

	for (i = 0; i < n; i++) {
		if (s[i] == ';' && (i == 0 || is_space(s[i - 1]) ||
				    (i + 1 < n && is_space(s[i + 1])))) {
			url_end = i;
			break;
		}
	}
	while (url_end > 0 && is_space(s[url_end - 1]))
		url_end--;
	if (!(r->url = tg_strndup(s, url_end)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (i < n) {
		const char *m = s + i + 1;
		while (is_space(*m))
			m++;
		if (*m && !(r->marker = tg_strndup(m, (size_t)(s + n - m))))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	return 0;
}

/* The same requirement read leniently, as older pip did: any version text
 * after an operator ("==1.0-final", "==5.11.2.x"). Used only when the
 * strict PEP 508 reading fails, so that an inventory still lists such
 * pins instead of rejecting the whole file. */
static int parse_requirement_lenient(const char *s, size_t n, struct req_parts *r,
				     size_t *bad_off, const char **why,
				     struct tg_err *err)
{
	size_t i = 0, k;
	struct tg_buf spec;
	int rc = 0;

	/* name */
	if (!(i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= '0' && s[i] <= '9')))) {
		*bad_off = i;
		*why = "expected a project name";
		return 0;
	}
	k = 0;
	while (i < n && is_name_char(s[i]) && k < IN_MAX_NAME)
		r->name[k++] = s[i++];
	r->name[k] = '\0';
	if (!tg_pep508_name_valid(r->name, k)) {
		*bad_off = i - 1;
		*why = "project name must end with a letter or digit";
		return 0;
	}
	while (i < n && is_space(s[i]))
		i++;
	/* extras */
	if (i < n && s[i] == '[') {
		size_t close = i + 1;
		while (close < n && s[close] != ']') {
			if (!is_name_char(s[close]) && s[close] != ',' && !is_space(s[close])) {
				*bad_off = close;
				*why = "bad character in extras";
				return 0;
			}
			close++;
		}
		if (close >= n) {
			*bad_off = i;
			*why = "'[' of the extras is not closed";
			return 0;
		}
		i = close + 1;
		while (i < n && is_space(s[i]))
			i++;
	}
	/* direct reference */
	if (i < n && s[i] == '@') {
		i++;
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n) {
			*bad_off = i;
			*why = "expected a URL after '@'";
			return 0;
		}
		rc = split_url_marker(s + i, n - i, r, err);
		if (rc)
			return rc;
		r->is_url = true;
		r->vcs = is_vcs_url(r->url);
		return 0;
	}
	/* version specifiers, optionally in parentheses */
	tg_buf_init(&spec, IN_MAX_VERSION * 4);
	{
		size_t spec_start = i;
		bool paren = i < n && s[i] == '(';
		if (paren)
			i++;
		while (i < n && s[i] != ';' && s[i] != ')') {
			char c = s[i];
			if (is_space(c)) {
				i++;
				continue;
			}
			if (!(strchr("<>=!~,*+.-_", c) || (c >= '0' && c <= '9') ||
			      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
				*bad_off = i;
				*why = "unexpected character in the version specifier";
				goto spec_done;
			}
			if ((rc = tg_buf_addc(&spec, c, err))) {
				rc = 0;
				*bad_off = i;
				*why = "version specifier too long";
				goto spec_done;
			}
			i++;
		}
		if (paren) {
			if (i >= n || s[i] != ')') {
				*bad_off = i;
				*why = "expected ')' after the version specifier";
				goto spec_done;
			}
			i++;
			while (i < n && is_space(s[i]))
				i++;
		} else if (i < n && s[i] == ')') {
			*bad_off = i;
			*why = "unexpected ')'";
			goto spec_done;
		}
		if (spec.len) {
			/* Each clause starts with an operator. */
			const char *p = spec.data;
			while (*p) {
				if (!strchr("<>=!~", *p)) {
					*bad_off = spec_start;
					*why = "version specifier clause without an operator "
					       "(write name==1.0, not name 1.0)";
					goto spec_done;
				}
				p = strchr(p, ',');
				if (!p)
					break;
				p++;
			}
			r->spec = tg_buf_detach(&spec, NULL);
		}
	}
	if (i < n && s[i] == ';') {
		const char *m = s + i + 1;
		while (is_space(*m) && m < s + n)
			m++;
		if (m < s + n && !(r->marker = tg_strndup(m, (size_t)(s + n - m))))
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
	} else if (i < n) {
		*bad_off = i;
		*why = "unexpected text after the requirement";
	}
spec_done:
	tg_buf_release(&spec);
	return rc;
}

/* The line of nearly every lockfile and `pip freeze`: NAME==VERSION,
 * nothing else, the version in canonical form. The full PEP 508 parse
 * reads it the same way (name as written, specifier "==VERSION"); this
 * reads it in a tenth of the time. false: take the full parse. */
static bool parse_pinned(const char *s, size_t n, struct req_parts *r, bool *oom)
{
	size_t k = tg_pep508_identifier_end(s, n, 0); /* as the full parse */

	if (k == 0 || k > IN_MAX_NAME || n - k < 3 || s[k] != '=' || s[k + 1] != '=' ||
	    !tg_pep440_is_canonical(s + k + 2, n - k - 2))
		return false;
	memcpy(r->name, s, k);
	r->name[k] = '\0';
	if (!(r->spec = tg_strndup(s + k, n - k)))
		*oom = true;
	return true;
}

/* Parse a requirement string s[0..n). *bad_off gets the offset of a
 * syntax error and *why its reason. */
static int parse_requirement(const char *s, size_t n, struct req_parts *r,
			     size_t *bad_off, const char **why, struct tg_err *err)
{
	bool oom = false;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	*why = NULL;
	if (parse_pinned(s, n, r, &oom))
		return oom ? tg_err_set(err, TG_ENOMEM, "out of memory") : 0;
	if (is_direct_form(s, n)) {
		rc = split_url_marker(s, n, r, err);
		if (rc)
			return rc;
		r->is_url = true;
		r->vcs = is_vcs_url(r->url);
		name_from_url(r->url, r->name);
		if (!r->name[0]) {
			*bad_off = 0;
			*why = "cannot tell the project name of this URL or path (add #egg=NAME)";
		}
		return 0;
	}
	{
		struct tg_requirement req;
		struct tg_err perr;
		size_t k, o = 0;

		tg_err_clear(&perr);
		if (tg_pep508_parse(s, n, &req, &perr) != 0) {
			const char *lwhy = NULL;
			size_t loff = 0;

			if (perr.code == TG_ENOMEM)
				return tg_err_set(err, TG_ENOMEM, "out of memory");
			rc = parse_requirement_lenient(s, n, r, &loff, &lwhy, err);
			if (rc || !lwhy)
				return rc;
			/* Both readings fail: the strict one explains better. */
			req_parts_release(r);
			*bad_off = perr.col ? perr.col - 1 : 0;
			tg_strlcpy(r->why_buf, perr.msg, sizeof(r->why_buf));
			*why = r->why_buf;
			return 0;
		}
		tg_strlcpy(r->name, req.name, sizeof(r->name));
		if (req.url) {
			r->url = req.url;
			req.url = NULL;
			r->is_url = true;
			r->vcs = is_vcs_url(r->url);
		} else if (req.specifier && *req.specifier) {
			/* the specifier without spaces: ">=1,<2" */
			r->spec = req.specifier;
			req.specifier = NULL;
			for (k = 0; r->spec[k]; k++)
				if (!is_space(r->spec[k]))
					r->spec[o++] = r->spec[k];
			r->spec[o] = '\0';
		}
		r->marker_parsed = req.marker;
		req.marker = NULL;
		tg_requirement_release(&req);
	}
	return rc;
}

/* pip checks a "#sha256=HEX" (or md5, sha1, ...) URL fragment like a
 * --hash option. */
static int url_fragment_hash(struct tg_package *p, const char *url,
			     struct tg_err *err)
{
	static const char *const algs[] = { "sha256", "sha384", "sha512", "sha224",
		"sha1", "md5" };
	const char *frag = strchr(url, '#');
	size_t i;

	if (!frag)
		return 0;
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		size_t an = strlen(algs[i]);
		const char *a = frag;

		while ((a = strstr(a, algs[i])) != NULL) {
			if ((a[-1] == '#' || a[-1] == '&') && a[an] == '=') {
				char hex[257];
				size_t hn = strcspn(a + an + 1, "&");
				if (hn >= sizeof(hex))
					return tg_err_set(err, TG_EINVAL, "URL hash too long");
				memcpy(hex, a + an + 1, hn);
				hex[hn] = '\0';
				return in_add_hash(p, algs[i], hex, err);
			}
			a += an;
		}
	}
	return 0;
}

/* "==1.2.3" or "===x" alone is an exact pin; "==1.2.*" is not. */
static const char *exact_version(const char *spec)
{
	if (!spec || strchr(spec, ','))
		return NULL;
	if (strncmp(spec, "===", 3) == 0)
		return spec[3] ? spec + 3 : NULL;
	if (strncmp(spec, "==", 2) == 0 && spec[2] && !strchr(spec, '*'))
		return spec + 2;
	return NULL;
}

/* ---------------------------------------------------------------------
 * Lines */

struct tok {
	const char *s;
	size_t n;
	size_t off; /* offset in the logical line */
};

#define MAX_TOKS 4096

static size_t tokenize(const char *line, size_t n, struct tok *toks, size_t max)
{
	size_t i = 0, nt = 0;

	while (i < n && nt < max) {
		while (i < n && is_space(line[i]))
			i++;
		if (i >= n)
			break;
		toks[nt].s = line + i;
		toks[nt].off = i;
		while (i < n && !is_space(line[i]))
			i++;
		toks[nt].n = (size_t)(line + i - toks[nt].s);
		nt++;
	}
	return nt;
}

/* Option name matching "-x", "--long" with value attached (=, or glued
 * for short options) or in the next token. */
static bool opt_match(const struct tok *t, size_t nt, size_t *i,
		      const char *shortopt, const char *longopt,
		      const char **val, size_t *vlen, bool *missing)
{
	const struct tok *k = &t[*i];
	size_t ln = longopt ? strlen(longopt) : 0;
	size_t sn = shortopt ? strlen(shortopt) : 0;

	*missing = false;
	if (longopt && k->n >= ln && memcmp(k->s, longopt, ln) == 0 &&
	    (k->n == ln || k->s[ln] == '=')) {
		if (k->n > ln) {
			*val = k->s + ln + 1;
			*vlen = k->n - ln - 1;
			return true;
		}
	} else if (shortopt && k->n >= sn && memcmp(k->s, shortopt, sn) == 0) {
		if (k->n > sn) {
			*val = k->s + sn + (k->s[sn] == '=' ? 1 : 0);
			*vlen = k->n - sn - (k->s[sn] == '=' ? 1 : 0);
			return true;
		}
	} else {
		return false;
	}
	if (*i + 1 >= nt) {
		*missing = true;
		return true;
	}
	(*i)++;
	*val = t[*i].s;
	*vlen = t[*i].n;
	return true;
}

static bool flag_match(const struct tok *k, const char *name)
{
	return k->n == strlen(name) && memcmp(k->s, name, k->n) == 0;
}

static bool host_of(const char *url, size_t n, char *out, size_t outsz)
{
	const char *p = url, *end = url + n, *h;
	size_t hn;

	h = NULL;
	for (; p + 2 < end; p++)
		if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
			h = p + 3;
			break;
		}
	if (!h)
		h = url;
	{
		const char *at = h;
		for (p = h; p < end && *p != '/'; p++)
			if (*p == '@')
				at = p + 1;
		h = at;
	}
	for (hn = 0; h + hn < end && h[hn] != '/' && h[hn] != ':' && h[hn] != '?'; hn++)
		;
	if (hn == 0 || hn >= outsz)
		return false;
	memcpy(out, h, hn);
	out[hn] = '\0';
	return true;
}

static int add_index(struct tg_inventory *out, const char *v, size_t n,
		     struct tg_err *err)
{
	char *s = tg_strndup(v, n);
	size_t i;
	int rc = 0;

	if (!s)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < out->n_index_urls; i++)
		if (strcmp(out->index_urls[i], s) == 0)
			break;
	if (i == out->n_index_urls)
		rc = tg_inventory_add_index_url(out, s, err);
	free(s);
	return rc;
}

static int add_requirement(struct req_ctx *x, const struct tok *t, size_t nt,
			   size_t req_toks, bool editable, const char *origin,
			   unsigned long line, const char *logical, bool constraint,
			   struct tg_err *err)
{
	struct tg_inventory *inv = constraint ? &x->constraints : x->out;
	struct req_parts r;
	struct tg_package *p;
	const char *why = NULL, *exact;
	size_t bad = 0, start, end, i;
	unsigned flags = 0;
	bool keep = true;
	int rc;

	start = t[0].off;
	end = t[req_toks - 1].off + t[req_toks - 1].n;
	rc = parse_requirement(logical + start, end - start, &r, &bad, &why, err);
	if (rc)
		goto out;
	if (why) {
		rc = tg_err_at(err, TG_EPARSE, origin, line, start + bad + 1,
			       "%s in requirement '%.*s'", why,
			       (int)((end - start) > 200 ? 200 : (end - start)),
			       logical + start);
		goto out;
	}
	if (editable) {
		flags |= TG_PKG_EDITABLE;
		if (!r.is_url) {
			/* -e takes a path or URL; a bare name is a path. */
			char *u = tg_strndup(logical + start, end - start);
			if (!u) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			free(r.url);
			r.url = u;
			r.is_url = true;
			free(r.spec);
			r.spec = NULL;
		}
		if (!r.name[0] || strcmp(r.name, ".") == 0) {
			/* "-e ." names the directory of the including file. */
			char *base = tg_strdup(origin), *slash, *real;
			const char *dir = ".";
			if (!base) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			slash = strrchr(base, '/');
			if (slash) {
				*slash = '\0';
				dir = base;
			}
			{
				char *joined = tg_path_join(dir, r.url);
				real = joined ? realpath(joined, NULL) : NULL;
				free(joined);
			}
			if (real) {
				const char *b = strrchr(real, '/');
				tg_strlcpy(r.name, b && b[1] ? b + 1 : real, sizeof(r.name));
				free(real);
			} else {
				tg_strlcpy(r.name, r.url, sizeof(r.name));
			}
			free(base);
		}
	}
	if (r.is_url)
		flags |= r.vcs ? TG_PKG_VCS : TG_PKG_URL;
	if (!constraint)
		flags |= TG_PKG_DIRECT;
	rc = r.marker_parsed ?
		in_marker_keep_parsed(r.marker_parsed, x->opts, origin, line, &keep, err) :
		in_marker_keep(r.marker, x->opts, origin, line, &keep, err);
	if (rc)
		goto out;
	if (!in_marker_flags(keep, x->opts, &flags))
		goto out;
	exact = r.is_url ? NULL : exact_version(r.spec);
	p = in_add(inv, TG_ECO_PYPI, r.name, exact, origin, line, flags, err);
	if (!p) {
		rc = err->code;
		goto out;
	}
	if (!exact && r.spec && (rc = in_set(&p->specifier, r.spec, err)))
		goto out;
	if (r.url && (rc = in_set(&p->url, r.url, err)))
		goto out;
	if (r.url && (rc = url_fragment_hash(&inv->pkgs[inv->n_pkgs - 1], r.url, err))) {
		tg_err_locate(err, origin, line, start + 1);
		goto out;
	}
	/* per-requirement options */
	for (i = req_toks; i < nt; i++) {
		const char *v;
		size_t vn;
		bool missing;

		if (opt_match(t, nt, &i, NULL, "--hash", &v, &vn, &missing)) {
			char *h;
			if (missing) {
				rc = tg_err_at(err, TG_EPARSE, origin, line, t[i].off + 1,
					       "--hash needs a value (--hash=sha256:HEX)");
				goto out;
			}
			h = tg_strndup(v, vn);
			if (!h) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			rc = in_add_hash_spec(&inv->pkgs[inv->n_pkgs - 1], h, err);
			free(h);
			if (rc) {
				tg_err_locate(err, origin, line, (unsigned long)(v - logical) + 1);
				goto out;
			}
		} else if (opt_match(t, nt, &i, NULL, "--config-settings", &v, &vn, &missing) ||
			   opt_match(t, nt, &i, NULL, "--global-option", &v, &vn, &missing) ||
			   opt_match(t, nt, &i, NULL, "--install-option", &v, &vn, &missing)) {
			if (missing) {
				rc = tg_err_at(err, TG_EPARSE, origin, line, t[i].off + 1,
					       "option needs a value");
				goto out;
			}
		} else {
			rc = tg_err_at(err, TG_EPARSE, origin, line, t[i].off + 1,
				       "unknown option '%.*s' after a requirement",
				       (int)(t[i].n > 60 ? 60 : t[i].n), t[i].s);
			goto out;
		}
	}
out:
	req_parts_release(&r);
	return rc;
}

static int handle_line(struct req_ctx *x, const char *logical, size_t n,
		       const char *origin, unsigned long line, bool constraint,
		       struct tg_err *err)
{
	struct tok *t;
	size_t nt, i, req_toks = 0;
	int rc = 0;

	t = malloc(MAX_TOKS * sizeof(*t));
	if (!t)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	nt = tokenize(logical, n, t, MAX_TOKS);
	if (nt == MAX_TOKS) {
		rc = tg_err_at(err, TG_ELIMIT, origin, line, 1,
			       "more than %d words on one line", MAX_TOKS);
		goto out;
	}
	if (nt == 0)
		goto out;
	while (req_toks < nt && t[req_toks].s[0] != '-')
		req_toks++;
	if (req_toks > 0) {
		rc = add_requirement(x, t, nt, req_toks, false, origin, line, logical,
				     constraint, err);
		goto out;
	}
	for (i = 0; i < nt && !rc; i++) {
		const char *v = NULL;
		size_t vn = 0;
		bool missing = false;
		unsigned long col = t[i].off + 1;
		char *val = NULL;

#define NEEDVAL()                                                                    \
	do {                                                                         \
		if (missing) {                                                       \
			rc = tg_err_at(err, TG_EPARSE, origin, line, col,            \
				       "option '%.*s' needs a value",               \
				       (int)(t[i].n > 40 ? 40 : t[i].n), t[i].s);   \
			break;                                                       \
		}                                                                    \
		if (!(val = tg_strndup(v, vn))) {                                    \
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");            \
			break;                                                       \
		}                                                                    \
	} while (0)

		if (opt_match(t, nt, &i, "-r", "--requirement", &v, &vn, &missing)) {
			NEEDVAL();
			if (!rc)
				rc = include_file(x, origin, val, constraint, line, col, err);
		} else if (opt_match(t, nt, &i, "-c", "--constraint", &v, &vn, &missing)) {
			NEEDVAL();
			if (!rc)
				rc = include_file(x, origin, val, true, line, col, err);
		} else if (opt_match(t, nt, &i, "-e", "--editable", &v, &vn, &missing)) {
			struct tok et[MAX_TOKS > 64 ? 64 : MAX_TOKS];
			size_t ent = 0, j;

			if (missing) {
				rc = tg_err_at(err, TG_EPARSE, origin, line, col,
					       "-e needs a path or URL");
				break;
			}
			/* The editable target, then its own options. */
			et[ent].s = v;
			et[ent].n = vn;
			et[ent].off = (size_t)(v - logical);
			ent++;
			for (j = i + 1; j < nt && ent < 64; j++)
				et[ent++] = t[j];
			rc = add_requirement(x, et, ent, 1, true, origin, line, logical,
					     constraint, err);
			i = nt;
		} else if (opt_match(t, nt, &i, "-i", "--index-url", &v, &vn, &missing) ||
			   opt_match(t, nt, &i, NULL, "--extra-index-url", &v, &vn, &missing)) {
			NEEDVAL();
			if (!rc)
				rc = add_index(x->out, v, vn, err);
		} else if (opt_match(t, nt, &i, "-f", "--find-links", &v, &vn, &missing)) {
			NEEDVAL();
			if (!rc)
				rc = add_index(x->out, v, vn, err);
		} else if (opt_match(t, nt, &i, NULL, "--trusted-host", &v, &vn, &missing)) {
			char host[256];
			NEEDVAL();
			if (!rc && host_of(v, vn, host, sizeof(host)))
				rc = tg_inventory_add_trusted_host(x->out, host, err);
		} else if (opt_match(t, nt, &i, NULL, "--no-binary", &v, &vn, &missing) ||
			   opt_match(t, nt, &i, NULL, "--only-binary", &v, &vn, &missing) ||
			   opt_match(t, nt, &i, NULL, "--use-feature", &v, &vn, &missing) ||
			   opt_match(t, nt, &i, NULL, "--config-settings", &v, &vn, &missing) ||
			   opt_match(t, nt, &i, NULL, "--global-option", &v, &vn, &missing)) {
			NEEDVAL();
		} else if (flag_match(&t[i], "--pre") || flag_match(&t[i], "--no-index") ||
			   flag_match(&t[i], "--prefer-binary") ||
			   flag_match(&t[i], "--require-hashes")) {
			/* Install policy: nothing to record in an inventory. */
		} else {
			rc = tg_err_at(err, TG_EPARSE, origin, line, col,
				       "unknown option '%.*s' in a requirements file",
				       (int)(t[i].n > 60 ? 60 : t[i].n), t[i].s);
		}
#undef NEEDVAL
		free(val);
	}
out:
	free(t);
	return rc;
}

/* A comment starts with '#' at the beginning of a line or after
 * whitespace; returns the length of the line without it. */
static size_t strip_comment(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '#' && (i == 0 || is_space(s[i - 1])))
			return i;
	return n;
}

static bool is_comment_line(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_space(s[i]))
		i++;
	return i < n && s[i] == '#';
}

static int parse_buffer(struct req_ctx *x, const char *data, size_t len,
			const char *origin, bool constraint, struct tg_err *err)
{
	struct tg_buf logical;
	size_t pos, skip;
	unsigned long line = 0, start_line = 0;
	int rc;

	rc = in_check_text(data, len, origin, &skip, err);
	if (rc)
		return rc;
	tg_buf_init(&logical, REQ_MAX_LINE);
	for (pos = skip; pos < len && !rc;) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - l) : len - pos;
		bool cont;

		line++;
		pos += ll + (nl ? 1 : 0);
		if (ll > 0 && l[ll - 1] == '\r')
			ll--;
		if (ll > REQ_MAX_LINE) {
			rc = tg_err_at(err, TG_ELIMIT, origin, line, 1,
				       "line is %zu bytes long, over the limit of %zu", ll,
				       REQ_MAX_LINE);
			break;
		}
		if (logical.len == 0)
			start_line = line;
		cont = ll > 0 && l[ll - 1] == '\\' && !is_comment_line(l, ll);
		if (cont) {
			size_t a = 0, b = ll;
			/* pip strips backslashes at both ends of a continued line */
			while (a < b && l[a] == '\\')
				a++;
			while (b > a && l[b - 1] == '\\')
				b--;
			rc = tg_buf_add(&logical, l + a, b - a, err);
			if (rc) {
				tg_err_at(err, TG_ELIMIT, origin, start_line, 1,
					  "continued line longer than %zu bytes", REQ_MAX_LINE);
				break;
			}
			if (pos < len)
				continue;
		} else {
			if (logical.len && is_comment_line(l, ll)) {
				/* A comment ends a continuation. */
			} else if ((rc = tg_buf_add(&logical, l, ll, err))) {
				tg_err_at(err, TG_ELIMIT, origin, start_line, 1,
					  "continued line longer than %zu bytes", REQ_MAX_LINE);
				break;
			}
		}
		{
			size_t n = strip_comment(logical.data, logical.len);
			while (n > 0 && is_space(logical.data[n - 1]))
				n--;
			logical.data[n] = '\0';
			if (n > 0)
				rc = handle_line(x, logical.data, n, origin, start_line,
						 constraint, err);
		}
		tg_buf_reset(&logical);
	}
	tg_buf_release(&logical);
	return rc;
}

/* pip applies a constraint to a requirement of the same project: an
 * unpinned requirement takes the constraint's exact version and hashes. */
static int apply_constraints(struct req_ctx *x, struct tg_err *err)
{
	size_t i, j;
	int rc;

	for (i = 0; i < x->out->n_pkgs; i++) {
		struct tg_package *p = &x->out->pkgs[i];

		if (p->version || (p->flags & (TG_PKG_URL | TG_PKG_VCS)))
			continue;
		for (j = 0; j < x->constraints.n_pkgs; j++) {
			const struct tg_package *c = &x->constraints.pkgs[j];
			size_t h;

			if (!c->version || strcmp(c->norm_name, p->norm_name) != 0)
				continue;
			if ((rc = in_set(&p->version, c->version, err)))
				return rc;
			p->flags &= ~(unsigned)TG_PKG_UNPINNED;
			if (p->n_hashes == 0)
				for (h = 0; h < c->n_hashes; h++)
					if ((rc = in_add_hash(p, c->hashes[h].alg, c->hashes[h].hex, err)))
						return rc;
			break;
		}
	}
	return 0;
}

int in_parse_requirements(const char *data, size_t len, const char *origin,
			  const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err)
{
	struct req_ctx x;
	char *real;
	int rc;

	memset(&x, 0, sizeof(x));
	x.opts = opts;
	x.out = out;
	tg_inventory_init(&x.constraints);
	/* The top file is the first link of any include chain. */
	real = realpath(origin, NULL);
	if (real) {
		x.chain[0] = real;
		x.chain_disp[0] = origin;
		x.depth = 1;
	}
	rc = parse_buffer(&x, data, len, origin, false, err);
	if (!rc)
		rc = apply_constraints(&x, err);
	free(real);
	tg_inventory_release(&x.constraints);
	return rc;
}

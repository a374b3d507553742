/* Static facts of chocolateyInstall.ps1: which URLs a package downloads
 * and which checksums guard them. The script is never run; this reads the
 * three shapes Chocolatey packages use:
 *
 *   $packageArgs = @{ url = '...'; url64bit = '...'; checksum = '...';
 *                     checksum64 = '...'; checksumType = 'sha256' }
 *   Install-ChocolateyPackage -Url '...' -Checksum '...' -ChecksumType sha256
 *   Install-ChocolateyPackage 'name' 'exe' '/S' 'http://...' 'http://...'
 *
 * Values are 'literals', "strings" (with $variables substituted when the
 * variable was assigned a literal earlier), or expressions, which are kept
 * as written and marked dynamic. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/buf.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

#define SCRIPT_MAX_VARS 512
#define SCRIPT_MAX_DEPTH 32
#define SCRIPT_MAX_VALUE 8192

struct var {
	char *name;  /* lowercase, without '$' */
	char *value;
};

struct script {
	const char *s;
	size_t n;
	const char *origin;
	struct var vars[SCRIPT_MAX_VARS];
	size_t n_vars;
	struct tg_win_app *app;
	struct tg_err *err;
};

/* A value as read: text, and whether it is only known at run time. */
struct value {
	char *text;
	bool dynamic;
};

static void value_release(struct value *v)
{
	free(v->text);
	v->text = NULL;
	v->dynamic = false;
}

static unsigned long line_at(const struct script *sc, size_t off)
{
	unsigned long line, col;

	in_line_col(sc->s, off, &line, &col);
	return line;
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static const char *var_get(const struct script *sc, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sc->n_vars; i++)
		if (strlen(sc->vars[i].name) == n &&
		    tg_ascii_ncasecmp(sc->vars[i].name, name, n) == 0)
			return sc->vars[i].value;
	return NULL;
}

/* End of a quoted string starting at s[i] (the quote), i.e. the index
 * after the closing quote; n when unterminated. Doubled quotes and
 * backtick escapes (in "...") stay inside. */
static size_t skip_quoted(const char *s, size_t n, size_t i)
{
	char q = s[i];

	for (i++; i < n; i++) {
		if (q == '"' && s[i] == '`' && i + 1 < n) {
			i++;
			continue;
		}
		if (s[i] == q) {
			if (i + 1 < n && s[i + 1] == q) {
				i++;
				continue;
			}
			return i + 1;
		}
	}
	return n;
}

/* Evaluate s[b..e) (trimmed) as a value. */
static int eval_value(const struct script *sc, const char *s, size_t n,
		      struct value *out, struct tg_err *err)
{
	struct tg_buf b;
	size_t i;
	int rc = 0;

	out->text = NULL;
	out->dynamic = false;
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == ',' || s[n - 1] == ';'))
		n--;
	if (n == 0)
		return 0;
	if (n > SCRIPT_MAX_VALUE)
		n = SCRIPT_MAX_VALUE;
	tg_buf_init(&b, SCRIPT_MAX_VALUE * 4);
	if ((s[0] == '\'' || s[0] == '"') && skip_quoted(s, n, 0) == n) {
		char q = s[0];

		for (i = 1; i + 1 < n && !rc; i++) {
			if (s[i] == q && s[i + 1] == q) {
				rc = tg_buf_addc(&b, q, err);
				i++;
			} else if (q == '"' && s[i] == '`' && i + 2 < n) {
				rc = tg_buf_addc(&b, s[++i], err);
			} else if (q == '"' && s[i] == '$') {
				/* $name or ${name}: substitute a known literal */
				size_t vb = i + 1, ve;
				bool braced = vb < n && s[vb] == '{';
				const char *val;

				if (braced)
					vb++;
				ve = vb;
				while (ve < n && word_char(s[ve]))
					ve++;
				val = ve > vb ? var_get(sc, s + vb, ve - vb) : NULL;
				if (braced && (ve >= n || s[ve] != '}'))
					val = NULL;
				if (val && !(ve < n && s[ve] == '.') && !(ve < n && s[ve] == '[')) {
					rc = tg_buf_adds(&b, val, err);
					i = braced ? ve : ve - 1;
				} else {
					out->dynamic = true;
					rc = tg_buf_addc(&b, '$', err);
				}
			} else {
				rc = tg_buf_addc(&b, s[i], err);
			}
		}
	} else if (s[0] == '$') {
		size_t ve = 1;
		const char *val;

		while (ve < n && word_char(s[ve]))
			ve++;
		val = ve == n ? var_get(sc, s + 1, ve - 1) : NULL;
		if (val) {
			rc = tg_buf_adds(&b, val, err);
		} else {
			out->dynamic = true;
			rc = tg_buf_add(&b, s, n, err);
		}
	} else if (s[0] != '@' && s[0] != '(' && s[0] != '-') {
		/* a bare word: sha256, exe, ... */
		for (i = 0; i < n; i++)
			if (!word_char(s[i]) && s[i] != '.' && s[i] != '-')
				break;
		if (i < n)
			out->dynamic = true;
		rc = tg_buf_add(&b, s, n, err);
	} else {
		out->dynamic = true;
		rc = tg_buf_add(&b, s, n, err);
	}
	if (!rc)
		out->text = tg_buf_detach(&b, NULL);
	tg_buf_release(&b);
	return rc;
}

/* A variable assigned anything else than a literal is no longer known. */
static void forget_var(struct script *sc, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sc->n_vars; i++) {
		if (strlen(sc->vars[i].name) == n &&
		    tg_ascii_ncasecmp(sc->vars[i].name, name, n) == 0) {
			free(sc->vars[i].name);
			free(sc->vars[i].value);
			sc->vars[i] = sc->vars[--sc->n_vars];
			return;
		}
	}
}

/* Record `$name = 'literal'` assignments at the start of a line; a later
 * assignment of anything else forgets the value (the script is read top
 * to bottom once, so a value used before a reassignment is still read
 * with the last literal: good enough for the download facts). */
static int collect_vars(struct script *sc)
{
	size_t pos = 0;
	int rc = 0;

	while (pos < sc->n && !rc) {
		const char *l = sc->s + pos;
		const char *nl = memchr(l, '\n', sc->n - pos);
		size_t n = nl ? (size_t)(nl - l) : sc->n - pos, i = 0, nb, ne;

		pos += n + (nl ? 1 : 0);
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i >= n || l[i] != '$')
			continue;
		nb = ++i;
		while (i < n && word_char(l[i]))
			i++;
		ne = i;
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (ne == nb || i >= n || l[i] != '=' || (i + 1 < n && l[i + 1] == '='))
			continue;
		i++;
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		forget_var(sc, l + nb, ne - nb);
		if (i < n && (l[i] == '\'' || l[i] == '"')) {
			size_t end = skip_quoted(l, n, i);
			struct value v;
			size_t k = end;

			while (k < n && (l[k] == ' ' || l[k] == '\t' || l[k] == '\r'))
				k++;
			if (k != n && l[k] != '#')
				continue; /* an expression such as '..' -f $x */
			if ((rc = eval_value(sc, l + i, end - i, &v, sc->err)))
				break;
			if (!v.dynamic && v.text) {
				char *name = tg_strndup(l + nb, ne - nb);

				if (!name) {
					value_release(&v);
					return tg_err_set(sc->err, TG_ENOMEM, "out of memory");
				}
				if (sc->n_vars < SCRIPT_MAX_VARS) {
					sc->vars[sc->n_vars].name = name;
					sc->vars[sc->n_vars].value = v.text;
					sc->n_vars++;
					v.text = NULL;
				} else {
					free(name);
				}
			}
			value_release(&v);
		}
	}
	return rc;
}

/* The download parameters found in one hashtable or call. */
enum slot { S_URL, S_URL64, S_SUM, S_SUM64, S_TYPE, S_TYPE64, S_FILETYPE, S__N };

struct params {
	struct value v[S__N];
	unsigned long line;
};

static int slot_of(const char *k, size_t n)
{
	static const struct { const char *name; enum slot s; } map[] = {
		{ "url", S_URL }, { "url32", S_URL }, { "url32bit", S_URL },
		{ "url64", S_URL64 }, { "url64bit", S_URL64 },
		{ "checksum", S_SUM }, { "checksum32", S_SUM },
		{ "checksum64", S_SUM64 },
		{ "checksumtype", S_TYPE }, { "checksumtype32", S_TYPE },
		{ "checksumtype64", S_TYPE64 }, { "filetype", S_FILETYPE },
		{ "installertype", S_FILETYPE },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].name) == n && tg_ascii_ncasecmp(map[i].name, k, n) == 0)
			return (int)map[i].s;
	return -1;
}

static void params_release(struct params *p)
{
	size_t i;

	for (i = 0; i < S__N; i++)
		value_release(&p->v[i]);
}

static int set_param(struct script *sc, struct params *p, const char *k,
		     size_t kn, const char *v, size_t vn)
{
	int s = slot_of(k, kn);

	if (s < 0 || p->v[s].text)
		return 0;
	return eval_value(sc, v, vn, &p->v[s], sc->err);
}

static int add_one(struct script *sc, const struct params *p, enum slot url,
		   enum slot sum, enum slot type, const char *arch)
{
	const struct value *t = p->v[type].text ? &p->v[type] : &p->v[S_TYPE];
	struct tg_win_installer *in;
	int rc;

	if (!p->v[url].text)
		return 0;
	in = tg_win_add_installer(sc->app, sc->err);
	if (!in) {
		tg_err_locate(sc->err, sc->origin, p->line, 0);
		return sc->err->code;
	}
	in->line = p->line;
	in->url_dynamic = p->v[url].dynamic;
	in->checksum_dynamic = p->v[sum].text && p->v[sum].dynamic;
	if ((rc = tg_win_set(&in->file, sc->origin, sc->err)) ||
	    (rc = tg_win_set(&in->url, p->v[url].text, sc->err)) ||
	    (rc = tg_win_set(&in->arch, arch, sc->err)) ||
	    (rc = tg_win_set(&in->type, p->v[S_FILETYPE].dynamic ? NULL :
			     p->v[S_FILETYPE].text, sc->err)) ||
	    (rc = tg_win_set(&in->checksum, p->v[sum].dynamic ? NULL :
			     p->v[sum].text, sc->err)) ||
	    (rc = tg_win_set(&in->checksum_type, t->dynamic ? NULL : t->text, sc->err)))
		return rc;
	if (in->checksum && !*in->checksum) {
		free(in->checksum);
		in->checksum = NULL; /* checksum = '' is no checksum */
	}
	return 0;
}

static int emit(struct script *sc, const struct params *p)
{
	int rc = add_one(sc, p, S_URL, S_SUM, S_TYPE, "x86");

	if (!rc)
		rc = add_one(sc, p, S_URL64, S_SUM64, S_TYPE64, "x64");
	return rc;
}

static int scan_tables(struct script *sc, size_t from, size_t to, unsigned depth);

/* One hashtable body s[b..e): entries split by newlines or ';' at its own
 * level; nested tables are read on their own. */
static int read_table(struct script *sc, size_t b, size_t e, unsigned depth)
{
	struct params p;
	size_t i = b, start = b;
	int rc = 0, nest = 0;

	memset(&p, 0, sizeof(p));
	p.line = line_at(sc, b);
	for (i = b; i <= e && !rc; i++) {
		char c = i < e ? sc->s[i] : '\n';

		if (i < e && (c == '\'' || c == '"')) {
			i = skip_quoted(sc->s, e, i) - 1;
			continue;
		}
		if (i < e && c == '#' && nest == 0) {
			while (i < e && sc->s[i] != '\n')
				i++;
			c = '\n';
		}
		if (c == '{' || c == '(')
			nest++;
		else if ((c == '}' || c == ')') && nest > 0)
			nest--;
		if (nest == 0 && (c == '\n' || c == ';')) {
			/* entry s[start..i): key = value */
			const char *l = sc->s + start;
			size_t n = i - start, k = 0, kb, ke;

			while (k < n && (l[k] == ' ' || l[k] == '\t' || l[k] == '\r'))
				k++;
			if (k < n && (l[k] == '\'' || l[k] == '"')) {
				size_t q = skip_quoted(l, n, k);
				kb = k + 1;
				ke = q > kb ? q - 1 : kb;
				k = q;
			} else {
				kb = k;
				while (k < n && word_char(l[k]))
					k++;
				ke = k;
			}
			while (k < n && (l[k] == ' ' || l[k] == '\t'))
				k++;
			if (ke > kb && k < n && l[k] == '=')
				rc = set_param(sc, &p, l + kb, ke - kb, l + k + 1, n - k - 1);
			start = i + 1;
		}
	}
	if (!rc)
		rc = emit(sc, &p);
	params_release(&p);
	if (!rc)
		rc = scan_tables(sc, b, e, depth + 1);
	return rc;
}

/* Find every @{ ... } in s[from..to) at this level and read it. */
static int scan_tables(struct script *sc, size_t from, size_t to, unsigned depth)
{
	size_t i;
	int rc = 0;

	if (depth > SCRIPT_MAX_DEPTH)
		return 0;
	for (i = from; i < to && !rc; i++) {
		char c = sc->s[i];

		if (c == '\'' || c == '"') {
			i = skip_quoted(sc->s, to, i) - 1;
		} else if (c == '#') {
			while (i < to && sc->s[i] != '\n')
				i++;
		} else if (c == '@' && i + 1 < to && sc->s[i + 1] == '{') {
			size_t j = i + 2;
			int nest = 1;

			for (; j < to && nest; j++) {
				if (sc->s[j] == '\'' || sc->s[j] == '"')
					j = skip_quoted(sc->s, to, j) - 1;
				else if (sc->s[j] == '{')
					nest++;
				else if (sc->s[j] == '}')
					nest--;
			}
			if (nest)
				return 0; /* unterminated: nothing more to learn */
			rc = read_table(sc, i + 2, j - 1, depth);
			i = j - 1;
		}
	}
	return rc;
}

/* Commands that download, with their positional url parameters. */
static const struct {
	const char *name;
	int url_pos;   /* 0-based positional index of url, -1 none */
	int url64_pos;
} commands[] = {
	{ "Install-ChocolateyPackage", 3, 4 },
	{ "Install-ChocolateyZipPackage", 1, 3 },
	{ "Get-ChocolateyWebFile", 2, 3 },
	{ "Install-ChocolateyVsixPackage", 1, -1 },
	{ "Install-ChocolateyPowershellCommand", 2, -1 },
};

/* Split a command line into arguments (quotes kept). */
static int read_call(struct script *sc, size_t b, size_t e, int url_pos,
		     int url64_pos)
{
	struct params p;
	size_t i = b;
	int pos = 0, rc = 0;

	memset(&p, 0, sizeof(p));
	p.line = line_at(sc, b);
	while (i < e && !rc) {
		size_t ab, ae;

		while (i < e && (sc->s[i] == ' ' || sc->s[i] == '\t' || sc->s[i] == '`' ||
				 sc->s[i] == '\r' || sc->s[i] == '\n'))
			i++;
		if (i >= e || sc->s[i] == '#' || sc->s[i] == '|' || sc->s[i] == ';')
			break;
		ab = i;
		if (sc->s[i] == '\'' || sc->s[i] == '"') {
			i = skip_quoted(sc->s, e, i);
		} else if (sc->s[i] == '(') {
			int nest = 0;
			for (; i < e; i++) {
				if (sc->s[i] == '(')
					nest++;
				else if (sc->s[i] == ')' && --nest == 0) {
					i++;
					break;
				}
			}
		} else {
			while (i < e && sc->s[i] != ' ' && sc->s[i] != '\t' &&
			       sc->s[i] != '\r' && sc->s[i] != '\n')
				i++;
		}
		ae = i;
		if (sc->s[ab] == '@')
			break; /* splatting: the hashtable was read already */
		if (sc->s[ab] == '-' && ae > ab + 1 && word_char(sc->s[ab + 1])) {
			/* -Name value (or -Name:value) */
			size_t kb = ab + 1, ke = kb, vb, ve;

			while (ke < ae && word_char(sc->s[ke]))
				ke++;
			if (ke < ae && sc->s[ke] == ':') {
				vb = ke + 1;
				ve = ae;
			} else {
				while (i < e && (sc->s[i] == ' ' || sc->s[i] == '\t'))
					i++;
				vb = i;
				if (i < e && (sc->s[i] == '\'' || sc->s[i] == '"'))
					i = skip_quoted(sc->s, e, i);
				else
					while (i < e && sc->s[i] != ' ' && sc->s[i] != '\t' &&
					       sc->s[i] != '\r' && sc->s[i] != '\n')
						i++;
				ve = i;
			}
			rc = set_param(sc, &p, sc->s + kb, ke - kb, sc->s + vb, ve - vb);
			continue;
		}
		if (pos == url_pos)
			rc = set_param(sc, &p, "url", 3, sc->s + ab, ae - ab);
		else if (pos == url64_pos)
			rc = set_param(sc, &p, "url64bit", 8, sc->s + ab, ae - ab);
		pos++;
	}
	if (!rc)
		rc = emit(sc, &p);
	params_release(&p);
	return rc;
}

static int scan_calls(struct script *sc)
{
	size_t pos = 0;
	int rc = 0;

	while (pos < sc->n && !rc) {
		const char *l = sc->s + pos;
		size_t k, i = 0, end = pos;

		/* the logical line: physical lines joined by a trailing backtick */
		for (;;) {
			const char *nl = memchr(sc->s + end, '\n', sc->n - end);
			size_t le = nl ? (size_t)(nl - sc->s) : sc->n;
			size_t t = le;

			while (t > end && (sc->s[t - 1] == '\r' || sc->s[t - 1] == ' '))
				t--;
			end = le;
			if (!nl || t == pos || sc->s[t - 1] != '`')
				break;
			end = le + 1;
		}
		while (i < end - pos && (l[i] == ' ' || l[i] == '\t'))
			i++;
		for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
			size_t cn = strlen(commands[k].name);

			if (end - pos - i > cn &&
			    tg_ascii_ncasecmp(l + i, commands[k].name, cn) == 0 &&
			    (l[i + cn] == ' ' || l[i + cn] == '\t' || l[i + cn] == '`')) {
				rc = read_call(sc, pos + i + cn, end, commands[k].url_pos,
					       commands[k].url64_pos);
				break;
			}
		}
		pos = end < sc->n ? end + 1 : sc->n;
	}
	return rc;
}

int tg_win_parse_choco_script(const char *data, size_t len, const char *origin,
			      struct tg_win_app *app, struct tg_err *err)
{
	struct script *sc;
	size_t skip, i;
	int rc;

	if (len > TG_WIN_MAX_SCRIPT)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
				 "install script is %zu bytes, over the limit of %zu",
				 len, TG_WIN_MAX_SCRIPT);
	if ((rc = in_check_text(data, len, origin, &skip, err)))
		return rc;
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	sc->s = data + skip;
	sc->n = len - skip;
	sc->origin = origin;
	sc->app = app;
	sc->err = err;
	rc = collect_vars(sc);
	if (!rc)
		rc = scan_tables(sc, 0, sc->n, 0);
	if (!rc)
		rc = scan_calls(sc);
	for (i = 0; i < sc->n_vars; i++) {
		free(sc->vars[i].name);
		free(sc->vars[i].value);
	}
	free(sc);
	return rc;
}

/* The shipped YARA rules: finding, compiling once, scanning text members.
 *
 * Rules see each member through external variables, so a rule can say
 * "only in setup.py" or "only in code" without the C side knowing it:
 *   path (below the package root), basename, ext (lowercase, no dot),
 *   ecosystem ("pypi", "npm", "chocolatey"), install_time (the member runs
 *   when the package is installed), code (a program, not prose or data).
 * Each rule's meta gives the reason: id, severity, summary, and optionally
 * install_severity and check (a post-filter written in C).
 */
#define _POSIX_C_SOURCE 200809L
#include "vet/content_internal.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yara.h>

#include "tollgate/fs.h"
#include "tollgate/str.h"
#include "lazy/lazy.h"

#ifndef TG_DATA_DIR
#define TG_DATA_DIR "/usr/local/share/tollgate"
#endif
#ifndef TG_SOURCE_DATA_DIR
#define TG_SOURCE_DATA_DIR "."
#endif

#define VET_YARA_TIMEOUT_S 20
#define VET_RULES_MAX_FILES 256

struct tg_vet_rules {
	YR_RULES *rules;
	size_t count;
};

/* ---- finding the rules ------------------------------------------------ */

static bool is_dir(const char *p)
{
	struct stat st;

	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;

	return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *tg_vet_rules_find(const char *explicit_dir, const char *exe_dir,
			struct tg_err *err)
{
	const char *env = getenv("TOLLGATE_RULES_DIR");
	char *cand[3] = { NULL, NULL, NULL };
	char *found = NULL;
	size_t i;

	if (explicit_dir && *explicit_dir) {
		if (is_dir(explicit_dir))
			return tg_strdup(explicit_dir);
		tg_err_set(err, TG_EIO, "rules directory '%s' does not exist",
			   explicit_dir);
		return NULL;
	}
	if (env && *env) {
		if (is_dir(env))
			return tg_strdup(env);
		tg_err_set(err, TG_EIO, "TOLLGATE_RULES_DIR='%s' is not a directory",
			   env);
		return NULL;
	}
	if (exe_dir && *exe_dir) {
		char *cache = tg_asprintf("%s/CMakeCache.txt", exe_dir);
		if (is_file(cache))
			cand[0] = tg_strdup(TG_SOURCE_DATA_DIR "/rules");
		free(cache);
		cand[1] = tg_asprintf("%s/../share/tollgate/rules", exe_dir);
	}
	cand[2] = tg_strdup(TG_DATA_DIR "/rules");
	for (i = 0; i < 3; i++) {
		if (!found && is_dir(cand[i]))
			found = cand[i];
		else
			free(cand[i]);
	}
	if (!found)
		tg_err_set(err, TG_EIO, "no rules directory: tried %s%s%s/rules; "
			   "use --rules DIR or TOLLGATE_RULES_DIR",
			   exe_dir ? exe_dir : "", exe_dir ? "/../share/tollgate/rules, " : "",
			   TG_DATA_DIR);
	return found;
}

/* ---- compiling -------------------------------------------------------- */

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

struct compile_errs {
	struct tg_err *err;
	const char *origin; /* names the source when YARA gives no file */
	bool failed;
};

static void compiler_cb(int level, const char *file, int line,
			const YR_RULE *rule, const char *msg, void *user)
{
	struct compile_errs *ce = user;

	(void)rule;
	if (level != YARA_ERROR_LEVEL_ERROR || ce->failed)
		return;
	ce->failed = true;
	tg_err_at(ce->err, TG_EPARSE, file ? file : ce->origin ? ce->origin : "rules",
		  (unsigned long)(line > 0 ? line : 0), 0, "YARA: %s", msg);
}

static int define_externals(YR_COMPILER *c)
{
	if (yr_compiler_define_string_variable(c, "path", "") ||
	    yr_compiler_define_string_variable(c, "basename", "") ||
	    yr_compiler_define_string_variable(c, "ext", "") ||
	    yr_compiler_define_string_variable(c, "ecosystem", "") ||
	    yr_compiler_define_boolean_variable(c, "install_time", 0) ||
	    yr_compiler_define_boolean_variable(c, "code", 0))
		return -1;
	return 0;
}

static const char *meta_str(const YR_RULE *rule, const char *key)
{
	const YR_META *meta;

	yr_rule_metas_foreach(rule, meta) {
		if (strcmp(meta->identifier, key) == 0 &&
		    meta->type == META_TYPE_STRING)
			return meta->string;
	}
	return NULL;
}

static int validate_rules(struct tg_vet_rules *r, struct tg_err *err)
{
	const YR_RULE *rule;

	yr_rules_foreach(r->rules, rule) {
		const char *id = meta_str(rule, "id");
		const char *sev = meta_str(rule, "severity");
		const char *isev = meta_str(rule, "install_severity");
		const char *check = meta_str(rule, "check");
		enum tg_vet_level l;

		if (!id || !*id || !sev || !meta_str(rule, "summary"))
			return tg_err_set(err, TG_EINVAL, "YARA rule %s lacks meta "
					  "id, severity or summary", rule->identifier);
		if (!tg_vet_level_parse(sev, &l) || l == TG_VET_OK ||
		    (isev && (!tg_vet_level_parse(isev, &l) || l == TG_VET_OK)))
			return tg_err_set(err, TG_EINVAL, "YARA rule %s: severity must "
					  "be info, warn or block", rule->identifier);
		if (check && strcmp(check, "public_ip") != 0 &&
		    strcmp(check, "long_blob") != 0)
			return tg_err_set(err, TG_EINVAL, "YARA rule %s: unknown check "
					  "'%s'", rule->identifier, check);
		r->count++;
	}
	return 0;
}

typedef int (*add_fn)(YR_COMPILER *c, const void *src, const char *origin,
		      struct compile_errs *ce);

static int finish_compile(YR_COMPILER *c, struct compile_errs *ce,
			  struct tg_vet_rules **out, struct tg_err *err)
{
	struct tg_vet_rules *r = calloc(1, sizeof(*r));
	int rc;

	if (!r)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (yr_compiler_get_rules(c, &r->rules) != ERROR_SUCCESS) {
		free(r);
		return tg_err_set(err, TG_ENOMEM, "YARA: cannot build the rule set");
	}
	(void)ce;
	if ((rc = validate_rules(r, err))) {
		tg_vet_rules_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

static int init_yara(struct tg_err *err)
{
	int rc;

	if ((rc = tg_lazy_require(TG_LAZY_YARA, "the install-script rules", err)))
		return rc;
	pthread_mutex_lock(&init_lock);
	rc = yr_initialize();
	pthread_mutex_unlock(&init_lock);
	if (rc != ERROR_SUCCESS)
		return tg_err_set(err, TG_EINTERNAL, "YARA failed to initialise (%d)", rc);
	return 0;
}

static void fini_yara(void)
{
	pthread_mutex_lock(&init_lock);
	yr_finalize();
	pthread_mutex_unlock(&init_lock);
}

static int new_compiler(YR_COMPILER **c, struct compile_errs *ce,
			struct tg_err *err)
{
	if (yr_compiler_create(c) != ERROR_SUCCESS)
		return tg_err_set(err, TG_ENOMEM, "YARA: cannot create a compiler");
	yr_compiler_set_callback(*c, compiler_cb, ce);
	if (define_externals(*c)) {
		yr_compiler_destroy(*c);
		*c = NULL;
		return tg_err_set(err, TG_EINTERNAL, "YARA: cannot define variables");
	}
	return 0;
}

static int has_yar_suffix(const struct dirent *de)
{
	return de->d_name[0] != '.' && tg_str_ends_with(de->d_name, ".yar");
}

int tg_vet_rules_load(const char *dir, struct tg_vet_rules **out,
		      struct tg_err *err)
{
	struct compile_errs ce = { .err = err };
	YR_COMPILER *c = NULL;
	struct dirent **names = NULL;
	int n = -1, i, rc;

	*out = NULL;
	if ((rc = init_yara(err)))
		return rc;
	if ((rc = new_compiler(&c, &ce, err)))
		goto fail;
	n = scandir(dir, &names, has_yar_suffix, alphasort);
	if (n < 0) {
		rc = tg_err_at(err, TG_EIO, dir, 0, 0, "cannot list rules: %s",
			       strerror(errno));
		goto fail;
	}
	if (n == 0) {
		rc = tg_err_at(err, TG_EIO, dir, 0, 0, "no *.yar rule files");
		goto fail;
	}
	if (n > VET_RULES_MAX_FILES) {
		rc = tg_err_at(err, TG_ELIMIT, dir, 0, 0, "more than %d rule files",
			       VET_RULES_MAX_FILES);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		char *path = tg_path_join(dir, names[i]->d_name);
		FILE *f;

		if (!path) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto fail;
		}
		f = fopen(path, "r");
		if (!f) {
			rc = tg_err_at(err, TG_EIO, path, 0, 0, "cannot read: %s",
				       strerror(errno));
			free(path);
			goto fail;
		}
		if (yr_compiler_add_file(c, f, NULL, path) != 0 || ce.failed) {
			fclose(f);
			free(path);
			rc = ce.failed ? (int)err->code :
				tg_err_set(err, TG_EPARSE, "YARA: cannot compile rules");
			goto fail;
		}
		fclose(f);
		free(path);
	}
	rc = finish_compile(c, &ce, out, err);
	if (rc)
		goto fail;
	yr_compiler_destroy(c);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
fail:
	if (c)
		yr_compiler_destroy(c);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	fini_yara();
	return rc;
}

int tg_vet_rules_load_string(const char *source, const char *origin,
			     struct tg_vet_rules **out, struct tg_err *err)
{
	struct compile_errs ce = { .err = err, .origin = origin };
	YR_COMPILER *c = NULL;
	int rc;

	*out = NULL;
	if ((rc = init_yara(err)))
		return rc;
	if ((rc = new_compiler(&c, &ce, err)))
		goto fail;
	if (yr_compiler_add_string(c, source, NULL) != 0 || ce.failed) {
		rc = ce.failed ? (int)err->code :
			tg_err_at(err, TG_EPARSE, origin, 0, 0, "YARA: cannot compile");
		goto fail;
	}
	rc = finish_compile(c, &ce, out, err);
	if (rc)
		goto fail;
	yr_compiler_destroy(c);
	return 0;
fail:
	if (c)
		yr_compiler_destroy(c);
	fini_yara();
	return rc;
}

void tg_vet_rules_free(struct tg_vet_rules *r)
{
	if (!r)
		return;
	if (r->rules) {
		yr_rules_destroy(r->rules);
		fini_yara();
	}
	free(r);
}

size_t tg_vet_rules_count(const struct tg_vet_rules *r)
{
	return r ? r->count : 0;
}

/* ---- scanning --------------------------------------------------------- */

#define VET_MAX_HITS 64

struct hit {
	const char *id;
	enum tg_vet_level level;
	const char *summary;
	size_t offset;
};

struct scan_state {
	const struct vet_scan_ctx *ctx;
	struct hit hits[VET_MAX_HITS];
	size_t n_hits;
};

static bool octet(const char **p, unsigned *out)
{
	unsigned v = 0, digits = 0;

	while (**p >= '0' && **p <= '9' && digits < 4) {
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
		digits++;
	}
	*out = v;
	return digits > 0 && digits <= 3 && v <= 255;
}

/* A raw IPv4 address in a URL that could reach another machine: not
 * loopback, private, link-local, carrier NAT, multicast or unspecified.
 * Documentation ranges stay in (they are how inert samples are written). */
static bool public_ipv4_at(const char *s, size_t n)
{
	const char *p = NULL;
	unsigned a, b, c, d;
	char tmp[64];
	size_t k;

	for (k = 0; k + 3 <= n; k++) {
		if (memcmp(s + k, "://", 3) == 0) {
			p = s + k + 3;
			break;
		}
	}
	if (!p)
		return false;
	k = (size_t)(s + n - p);
	if (k >= sizeof(tmp))
		k = sizeof(tmp) - 1;
	memcpy(tmp, p, k);
	tmp[k] = '\0';
	p = tmp;
	if (!octet(&p, &a) || *p++ != '.' || !octet(&p, &b) || *p++ != '.' ||
	    !octet(&p, &c) || *p++ != '.' || !octet(&p, &d))
		return false;
	(void)c;
	(void)d;
	if (a == 0 || a == 10 || a == 127 || a >= 224)
		return false;
	if ((a == 169 && b == 254) || (a == 172 && b >= 16 && b <= 31) ||
	    (a == 192 && b == 168) || (a == 100 && b >= 64 && b <= 127))
		return false;
	return true;
}

static bool is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=' ||
	       c == '-' || c == '_';
}

static bool is_hexish(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F') || c == '\\' || c == 'x';
}

/* A quoted run of base64 (>= VET_BLOB_B64 chars) or hex (>= VET_BLOB_HEX)
 * characters: the payload of a "decode and exec" dropper. Linear in the
 * text, run only for members where the rule's strings already matched. */
#define VET_BLOB_B64 400
#define VET_BLOB_HEX 600
static bool find_long_blob(const char *text, size_t len, size_t *off)
{
	size_t i = 0;

	while (i < len) {
		size_t j, b64 = 0, hex = 0;
		char q = text[i];

		if (q != '"' && q != '\'') {
			i++;
			continue;
		}
		for (j = i + 1; j < len && text[j] != q; j++) {
			unsigned char c = (unsigned char)text[j];
			if (b64 == j - i - 1 && is_b64(c))
				b64++;
			if (hex == j - i - 1 && is_hexish(c))
				hex++;
			if (b64 != j - i && hex != j - i)
				break;
		}
		if (b64 >= VET_BLOB_B64 || hex >= VET_BLOB_HEX) {
			*off = i;
			return true;
		}
		i = j > i + 1 ? j : i + 1;
	}
	return false;
}

static int scan_cb(YR_SCAN_CONTEXT *context, int message, void *message_data,
		   void *user_data)
{
	struct scan_state *st = user_data;
	const YR_RULE *rule = message_data;
	const YR_STRING *string;
	const YR_MATCH *match;
	const char *check, *sev, *isev;
	enum tg_vet_level level = TG_VET_WARN;
	bool have = false, need_ip;
	size_t best = 0;

	if (message != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	check = meta_str(rule, "check");
	need_ip = check && strcmp(check, "public_ip") == 0;
	yr_rule_strings_foreach(rule, string) {
		yr_string_matches_foreach(context, string, match) {
			size_t off = (size_t)(match->base + match->offset);

			if (need_ip) {
				size_t len = (size_t)match->match_length;
				if (off >= st->ctx->len)
					continue;
				if (len > st->ctx->len - off)
					len = st->ctx->len - off;
				if (!public_ipv4_at(st->ctx->text + off, len))
					continue;
			}
			if (!have || off < best) {
				best = off;
				have = true;
			}
		}
	}
	if (need_ip && !have)
		return CALLBACK_CONTINUE;
	if (check && strcmp(check, "long_blob") == 0) {
		size_t off;
		if (!find_long_blob(st->ctx->text, st->ctx->len, &off))
			return CALLBACK_CONTINUE;
		best = off;
		have = true;
	}
	sev = meta_str(rule, "severity");
	isev = meta_str(rule, "install_severity");
	if (st->ctx->install_time && isev)
		sev = isev;
	if (sev)
		tg_vet_level_parse(sev, &level);
	if (st->n_hits < VET_MAX_HITS) {
		struct hit *h = &st->hits[st->n_hits++];
		h->id = meta_str(rule, "id");
		h->summary = meta_str(rule, "summary");
		h->level = level;
		h->offset = have ? best : 0;
	}
	return CALLBACK_CONTINUE;
}

int vet_yara_scan(const struct tg_vet_rules *rules,
		  const struct vet_scan_ctx *ctx, struct tg_vet_result *res,
		  struct tg_err *err)
{
	struct scan_state st = { .ctx = ctx };
	YR_SCANNER *sc = NULL;
	char ext[16], msg[768], excerpt[TG_VET_EXCERPT_MAX + 1];
	size_t i, j;
	int yrc, rc = 0;

	if (!rules || !rules->rules || ctx->len == 0)
		return 0;
	if (yr_scanner_create(rules->rules, &sc) != ERROR_SUCCESS)
		return tg_err_set(err, TG_ENOMEM, "YARA: cannot create a scanner");
	if (ctx->ext)
		tg_strlcpy(ext, ctx->ext, sizeof(ext));
	else
		vet_path_ext(ctx->rel, ext, sizeof(ext));
	yr_scanner_define_string_variable(sc, "path", ctx->rel);
	yr_scanner_define_string_variable(sc, "basename", vet_path_base(ctx->rel));
	yr_scanner_define_string_variable(sc, "ext", ext);
	yr_scanner_define_string_variable(sc, "ecosystem",
					  ctx->ecosystem ? ctx->ecosystem : "");
	yr_scanner_define_boolean_variable(sc, "install_time", ctx->install_time);
	yr_scanner_define_boolean_variable(sc, "code", ctx->code);
	yr_scanner_set_callback(sc, scan_cb, &st);
	yr_scanner_set_timeout(sc, VET_YARA_TIMEOUT_S);
	yrc = yr_scanner_scan_mem(sc, (const uint8_t *)ctx->text, ctx->len);
	yr_scanner_destroy(sc);
	if (yrc == ERROR_SCAN_TIMEOUT) {
		struct tg_vet_reason r = { .rule = "scan-incomplete",
					   .level = TG_VET_WARN,
					   .path = (char *)ctx->show_path };
		snprintf(msg, sizeof(msg), "rule matching gave up after %d seconds "
			 "on this member: it was not fully checked",
			 VET_YARA_TIMEOUT_S);
		r.message = msg;
		if ((rc = tg_vet_result_add(res, &r, err)))
			return rc;
	} else if (yrc != ERROR_SUCCESS && yrc != ERROR_TOO_MANY_MATCHES) {
		return tg_err_set(err, TG_EINTERNAL, "YARA scan of %s failed (%d)",
				  ctx->show_path, yrc);
	}
	/* One reason per rule id and member: the strongest match wins. */
	for (i = 0; i < st.n_hits; i++) {
		struct hit *h = &st.hits[i];
		struct tg_vet_reason r = { .rule = (char *)h->id, .level = h->level,
					   .path = (char *)ctx->show_path };
		bool dup = false;

		for (j = 0; j < st.n_hits; j++) {
			if (j == i || strcmp(st.hits[j].id, h->id) != 0)
				continue;
			if (st.hits[j].level > h->level ||
			    (st.hits[j].level == h->level && j < i)) {
				dup = true;
				break;
			}
		}
		if (dup)
			continue;
		r.line = ctx->line_fixed ? ctx->line_fixed :
			vet_line_of(ctx->text, ctx->len, h->offset);
		vet_line_excerpt(ctx->text, ctx->len, h->offset, excerpt,
				 sizeof(excerpt));
		r.excerpt = excerpt;
		snprintf(msg, sizeof(msg), "%s%s%s", h->summary,
			 ctx->why ? "; " : "", ctx->why ? ctx->why : "");
		r.message = msg;
		if ((rc = tg_vet_result_add(res, &r, err)))
			return rc;
	}
	return 0;
}

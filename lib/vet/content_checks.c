/* Structural checks written in C: .pth import lines, npm install scripts,
 * Chocolatey install scripts and native binaries in pure packages. */
#include "vet/content_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/str.h"

static int reason(struct tg_vet_result *res, const char *rule,
		  enum tg_vet_level level, const struct vet_member *m,
		  unsigned long line, const char *excerpt, size_t excerpt_len,
		  const char *msg, struct tg_err *err)
{
	struct tg_vet_reason r = { .rule = (char *)rule, .level = level,
				   .message = (char *)msg, .line = line };
	char shown[TG_VET_EXCERPT_MAX + 1];

	if (m)
		r.path = m->path;
	if (excerpt) {
		tg_vet_sanitize(excerpt, excerpt_len, shown, sizeof(shown));
		r.excerpt = shown;
	}
	return tg_vet_result_add(res, &r, err);
}

/* ---- .pth files ------------------------------------------------------- */

/* site.py executes a .pth line that starts with "import " or "import\t"
 * in every interpreter start, before any user code. */
static bool pth_is_installed(const struct vet_pkg *p, const char *rel)
{
	const char *slash = strchr(rel, '/');

	if (!tg_str_ends_with(rel, ".pth"))
		return false;
	switch (p->kind) {
	case TG_VET_ART_WHEEL:
		if (!slash)
			return true;
		/* name.data/purelib/x.pth and platlib land in site-packages. */
		if (slash - rel > 5 && strncmp(slash - 5, ".data", 5) == 0) {
			const char *rest = slash + 1;
			if (tg_str_starts_with(rest, "purelib/") ||
			    tg_str_starts_with(rest, "platlib/"))
				return strchr(rest + 8, '/') == NULL;
		}
		return false;
	case TG_VET_ART_INSTALLED:
	case TG_VET_ART_DIR:
		return slash == NULL;
	default:
		return false;
	}
}

int vet_check_pth(struct vet_pkg *p, struct tg_vet_result *res,
		  struct tg_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < p->n; i++) {
		struct vet_member *m = &p->m[i];
		const char *s, *end;
		unsigned long line = 1;

		if (m->type != VM_FILE || !m->text || !pth_is_installed(p, m->rel))
			continue;
		for (s = m->text, end = m->text + m->text_len; s < end; line++) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

			if (n >= 7 && strncmp(s, "import", 6) == 0 &&
			    (s[6] == ' ' || s[6] == '\t')) {
				m->install_time = true;
				m->install_why = "a .pth import line runs at every Python start";
				rc = reason(res, "pth-exec", TG_VET_WARN, m, line, s, n,
					    "this .pth file has an import line: Python runs "
					    "it at every interpreter start, before any program",
					    err);
				if (rc)
					return rc;
				break;
			}
			s = nl ? nl + 1 : end;
		}
	}
	return 0;
}

/* ---- npm package.json ------------------------------------------------- */

static const char *const npm_hooks[] = { "preinstall", "install", "postinstall",
					 NULL };
static const char *const npm_hook_why[] = {
	"run by the npm preinstall script", "run by the npm install script",
	"run by the npm postinstall script"
};

static unsigned long line_of_key(const struct vet_member *m, const char *key)
{
	char quoted[64];
	const char *hit;

	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	hit = strstr(m->text, quoted);
	return hit ? vet_line_of(m->text, m->text_len, (size_t)(hit - m->text)) : 0;
}

/* Files a hook command names ("node scripts/postinstall.js", "sh x.sh")
 * run at install time too; node also resolves a bare "x" to "x.js". */
static void mark_script_files(struct vet_pkg *p, const char *cmd,
			      const char *why)
{
	const char *s = cmd;
	char tok[512];

	while (*s) {
		size_t n = 0;
		struct vet_member *m;

		while (*s && strchr(" \t\r\n&;|()<>\"'=`", *s))
			s++;
		while (*s && !strchr(" \t\r\n&;|()<>\"'=`", *s)) {
			if (n + 4 < sizeof(tok))
				tok[n++] = *s;
			s++;
		}
		tok[n] = '\0';
		if (!n)
			continue;
		{
			const char *t = tok;
			while (tg_str_starts_with(t, "./"))
				t += 2;
			m = vet_pkg_find(p, t);
			if (!m) {
				char withjs[520];
				snprintf(withjs, sizeof(withjs), "%s.js", t);
				m = vet_pkg_find(p, withjs);
			}
		}
		if (m) {
			m->install_time = true;
			m->install_why = why;
		}
	}
}

static bool json_nonempty(json_t *v)
{
	return v && !json_is_null(v) &&
	       !(json_is_array(v) && json_array_size(v) == 0) &&
	       !(json_is_object(v) && json_object_size(v) == 0) &&
	       !(json_is_false(v));
}

/* npm pack names a tarball "<name without @, / as ->-<version>.tgz". */
static int check_npm_filename(struct vet_pkg *p, const struct vet_member *m,
			      const char *name, const char *version,
			      struct tg_vet_result *res, struct tg_err *err)
{
	const char *base = vet_path_base(p->filename ? p->filename : "");
	char want[600], msg[900];
	size_t i, o = 0;

	if (!tg_str_ends_with(base, ".tgz"))
		return 0;
	for (i = 0; name[i] && o + 1 < sizeof(want); i++) {
		if (name[i] == '@' && i == 0)
			continue;
		want[o++] = name[i] == '/' ? '-' : name[i];
	}
	want[o] = '\0';
	snprintf(want + o, sizeof(want) - o, "-%s.tgz", version);
	if (strcmp(base, want) == 0)
		return 0;
	/* Only names that follow the npm pack pattern are evidence; other
	 * cache layouts rename files freely. */
	{
		const char *dash = strrchr(base, '-');
		if (!dash || !(dash[1] >= '0' && dash[1] <= '9'))
			return 0;
	}
	snprintf(msg, sizeof(msg), "file is named %s but package.json says %s@%s",
		 base, name, version);
	return reason(res, "metadata-mismatch", TG_VET_WARN, m,
		      line_of_key(m, "version"), NULL, 0, msg, err);
}

int vet_check_npm(struct vet_pkg *p, const struct tg_vet_rules *rules,
		  struct tg_vet_result *res, struct tg_err *err)
{
	struct vet_member *m;
	json_t *root = NULL, *scripts, *v;
	json_error_t jerr;
	const char *name, *version;
	bool any_hook = false;
	size_t i;
	int rc = 0;

	if (p->eco != TG_ECO_NPM)
		return 0;
	m = vet_pkg_find(p, "package.json");
	if (!m || !m->text)
		return reason(res, "manifest-invalid", TG_VET_WARN, NULL, 0, NULL, 0,
			      "no package.json at the package root", err);
	root = json_loadb(m->text, m->text_len, 0, &jerr);
	if (!root || !json_is_object(root)) {
		char msg[300];
		snprintf(msg, sizeof(msg), "package.json is not a JSON object: %s",
			 root ? "wrong type" : jerr.text);
		rc = reason(res, "manifest-invalid", TG_VET_WARN, m,
			    root ? 0 : (unsigned long)(jerr.line > 0 ? jerr.line : 0),
			    NULL, 0, msg, err);
		goto out;
	}
	{
		json_t *strict = json_loadb(m->text, m->text_len,
					    JSON_REJECT_DUPLICATES, &jerr);
		if (!strict) {
			char msg[300];
			snprintf(msg, sizeof(msg), "package.json repeats a key (%s): "
				 "npm silently uses the last copy", jerr.text);
			rc = reason(res, "manifest-invalid", TG_VET_WARN, m,
				    (unsigned long)(jerr.line > 0 ? jerr.line : 0),
				    NULL, 0, msg, err);
			if (rc)
				goto out;
		}
		json_decref(strict);
	}
	name = tg_json_str(root, "name");
	version = tg_json_str(root, "version");
	if (name && (rc = tg_vet_result_set(&res->name, name, err)))
		goto out;
	if (version && (rc = tg_vet_result_set(&res->version, version, err)))
		goto out;
	scripts = json_object_get(root, "scripts");
	for (i = 0; npm_hooks[i] && json_is_object(scripts); i++) {
		const char *cmd;
		unsigned long line;
		char msg[256];
		struct vet_scan_ctx ctx;

		v = json_object_get(scripts, npm_hooks[i]);
		if (!json_is_string(v))
			continue;
		cmd = json_string_value(v);
		any_hook = true;
		line = line_of_key(m, npm_hooks[i]);
		snprintf(msg, sizeof(msg), "npm runs this %s command when the package "
			 "is installed", npm_hooks[i]);
		if ((rc = reason(res, "npm-install-script", TG_VET_WARN, m, line, cmd,
				 strlen(cmd), msg, err)))
			goto out;
		mark_script_files(p, cmd, npm_hook_why[i]);
		memset(&ctx, 0, sizeof(ctx));
		ctx.show_path = m->path;
		ctx.rel = m->rel;
		ctx.text = cmd;
		ctx.len = strlen(cmd);
		ctx.install_time = true;
		ctx.code = true;
		ctx.ecosystem = "npm";
		ctx.line_fixed = line ? line : 1;
		ctx.why = npm_hook_why[i] + 4; /* "by the npm ... script" */
		ctx.ext = "sh";
		if ((rc = vet_yara_scan(rules, &ctx, res, err)))
			goto out;
	}
	if (!any_hook && vet_pkg_find(p, "binding.gyp")) {
		if ((rc = reason(res, "npm-install-script", TG_VET_INFO,
				 vet_pkg_find(p, "binding.gyp"), 0, NULL, 0,
				 "binding.gyp present: npm runs node-gyp rebuild at "
				 "install, compiling native code", err)))
			goto out;
	}
	/* What the manifest says about native code decides whether a
	 * binary in the tarball is expected. */
	if (json_is_true(json_object_get(root, "gypfile")) ||
	    vet_pkg_find(p, "binding.gyp") ||
	    json_nonempty(json_object_get(root, "os")) ||
	    json_nonempty(json_object_get(root, "cpu")) ||
	    json_nonempty(json_object_get(root, "binary"))) {
		p->purity = VET_PURITY_NATIVE;
	} else {
		for (i = 0; i < p->n; i++) {
			if (tg_str_starts_with(p->m[i].rel, "prebuilds/")) {
				p->purity = VET_PURITY_NATIVE;
				break;
			}
		}
		if (p->purity != VET_PURITY_NATIVE) {
			p->purity = VET_PURITY_PURE;
			p->purity_why = "package.json declares no native build, "
					"os or cpu";
		}
	}
	if (name && version && (rc = check_npm_filename(p, m, name, version, res, err)))
		goto out;
	{
		const char *repo = NULL, *dir = NULL;
		v = json_object_get(root, "repository");
		if (json_is_string(v)) {
			repo = json_string_value(v);
		} else if (json_is_object(v)) {
			repo = tg_json_str(v, "url");
			dir = tg_json_str(v, "directory");
		}
		if (repo && name &&
		    (rc = vet_check_repo_url(p, name, repo, dir && *dir, m,
					     line_of_key(m, "repository"), res, err)))
			goto out;
	}
out:
	json_decref(root);
	return rc;
}

/* ---- Chocolatey ------------------------------------------------------- */

static bool is_choco_script(const char *rel)
{
	const char *base = vet_path_base(rel);

	return tg_ascii_casecmp(base, "chocolateyInstall.ps1") == 0 ||
	       tg_ascii_casecmp(base, "chocolateyBeforeModify.ps1") == 0 ||
	       tg_ascii_casecmp(base, "chocolateyUninstall.ps1") == 0;
}

/* Text between <tag> and </tag> in a nuspec, or NULL. */
static char *xml_text(const char *xml, const char *tag)
{
	char open[64], close[64];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	a = strstr(xml, open);
	if (!a)
		return NULL;
	a += strlen(open);
	b = strstr(a, close);
	if (!b || b - a > 256)
		return NULL;
	while (a < b && (*a == ' ' || *a == '\n' || *a == '\r' || *a == '\t'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\n' || b[-1] == '\r' || b[-1] == '\t'))
		b--;
	return tg_strndup(a, (size_t)(b - a));
}

int vet_check_choco(struct vet_pkg *p, struct tg_vet_result *res,
		    struct tg_err *err)
{
	size_t i;
	int rc;

	if (p->eco != TG_ECO_CHOCOLATEY)
		return 0;
	for (i = 0; i < p->n; i++) {
		struct vet_member *m = &p->m[i];

		if (m->type == VM_FILE && is_choco_script(m->rel)) {
			m->install_time = true;
			m->install_why = "run by Chocolatey with administrator rights";
			if (tg_ascii_casecmp(vet_path_base(m->rel), "chocolateyInstall.ps1") == 0 &&
			    (rc = reason(res, "choco-install-script", TG_VET_INFO, m, 0,
					 NULL, 0, "Chocolatey runs this PowerShell script "
					 "with administrator rights at install", err)))
				return rc;
		}
		if (m->type == VM_FILE && m->text && !strchr(m->rel, '/') &&
		    tg_str_ends_with(m->rel, ".nuspec")) {
			char *id = xml_text(m->text, "id");
			char *ver = xml_text(m->text, "version");

			if (id && (rc = tg_vet_result_set(&res->name, id, err)) == 0 && ver)
				rc = tg_vet_result_set(&res->version, ver, err);
			if (rc == 0 && id && ver && p->filename &&
			    tg_str_ends_with(p->filename, ".nupkg")) {
				char want[600], msg[800];
				const char *base = vet_path_base(p->filename);
				snprintf(want, sizeof(want), "%s.%s.nupkg", id, ver);
				if (tg_ascii_casecmp(base, want) != 0) {
					snprintf(msg, sizeof(msg), "file is named %s but the "
						 "nuspec says %s %s", base, id, ver);
					rc = reason(res, "metadata-mismatch", TG_VET_WARN, m,
						    0, NULL, 0, msg, err);
				}
			}
			free(id);
			free(ver);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* ---- native binaries -------------------------------------------------- */

static const char *native_kind(const struct vet_member *m)
{
	const unsigned char *h = m->head;
	size_t n = m->head_len;

	if (n >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F')
		return "ELF";
	if (n >= 4 && ((h[0] == 0xfe && h[1] == 0xed && h[2] == 0xfa &&
			(h[3] == 0xce || h[3] == 0xcf)) ||
		       ((h[0] == 0xce || h[0] == 0xcf) && h[1] == 0xfa &&
			h[2] == 0xed && h[3] == 0xfe)))
		return "Mach-O";
	/* Universal Mach-O shares CAFEBABE with Java classes; a class file
	 * has its version (>= 45) where a fat header has a small count. */
	if (n >= 8 && h[0] == 0xca && h[1] == 0xfe && h[2] == 0xba && h[3] == 0xbe) {
		unsigned long v = (unsigned long)h[4] << 24 | (unsigned long)h[5] << 16 |
				  (unsigned long)h[6] << 8 | h[7];
		if (v > 0 && v < 45)
			return "Mach-O";
	}
	/* MZ followed by binary header bytes (text files may start "MZ"). */
	if (n >= 64 && h[0] == 'M' && h[1] == 'Z' && memchr(h + 2, 0, n - 2))
		return "PE";
	return NULL;
}

int vet_check_native(struct vet_pkg *p, struct tg_vet_result *res,
		     struct tg_err *err)
{
	enum tg_vet_level level;
	const char *claim;
	size_t i, shown = 0, total = 0;
	int rc;

	if (p->purity == VET_PURITY_NATIVE)
		return 0;
	if (p->purity == VET_PURITY_PURE) {
		level = TG_VET_BLOCK;
		claim = p->purity_why;
	} else if (p->kind == TG_VET_ART_SDIST) {
		level = TG_VET_WARN;
		claim = "a source distribution should hold source, not binaries";
	} else {
		level = TG_VET_INFO;
		claim = "native executable code";
	}
	for (i = 0; i < p->n; i++) {
		const char *kind = p->m[i].type == VM_FILE ? native_kind(&p->m[i]) : NULL;
		enum tg_vet_level l = level;
		char msg[400];

		if (!kind)
			continue;
		if (++total > 10)
			continue;
		shown++;
		/* Packaging tools ship Windows launcher stubs (setuptools'
		 * cli.exe, distlib's t64.exe) in pure wheels: a PE file there is
		 * worth a look, an ELF or Mach-O file is not explainable. */
		if (l == TG_VET_BLOCK && strcmp(kind, "PE") == 0) {
			l = TG_VET_WARN;
			snprintf(msg, sizeof(msg), "Windows PE executable in a package "
				 "that claims to be pure (%s); launcher stubs of packaging "
				 "tools look like this, anything else should not be here",
				 claim);
		} else if (l == TG_VET_BLOCK) {
			snprintf(msg, sizeof(msg), "%s binary in a package that claims to "
				 "be pure: %s", kind, claim);
		} else {
			snprintf(msg, sizeof(msg), "%s binary (%s)", kind, claim);
		}
		if ((rc = reason(res, "native-binary", l, &p->m[i], 0, NULL, 0, msg, err)))
			return rc;
	}
	if (total > shown)
		return tg_vet_result_addf(res, "native-binary", level, err,
					  "%zu more native binaries not listed",
					  total - shown);
	return 0;
}

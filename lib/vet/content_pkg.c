/* The member list shared by the content walkers and checks. */
#include "vet/content_internal.h"

#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"
#include "tollgate/str.h"

void tg_vet_limits_init(struct tg_vet_limits *l)
{
	l->max_archive_bytes = (size_t)512 << 20;
	l->max_entries = 100000;
	l->max_total = 2ULL << 30;
	l->max_entry = 512ULL << 20;
	l->max_ratio = 200;
	l->ratio_floor = 4ULL << 20;
	l->max_scan = (size_t)32 << 20;
	l->max_path = 4096;
	l->max_depth = 64;
}

static const char *const artifact_names[] = {
	[TG_VET_ART_AUTO] = "auto",     [TG_VET_ART_WHEEL] = "wheel",
	[TG_VET_ART_SDIST] = "sdist",   [TG_VET_ART_NPM] = "npm",
	[TG_VET_ART_NUPKG] = "nupkg",   [TG_VET_ART_DIR] = "directory",
	[TG_VET_ART_INSTALLED] = "installed",
};

const char *tg_vet_artifact_name(enum tg_vet_artifact a)
{
	if ((unsigned)a < sizeof(artifact_names) / sizeof(artifact_names[0]))
		return artifact_names[a];
	return "?";
}

bool tg_vet_artifact_parse(const char *s, enum tg_vet_artifact *out)
{
	size_t i;

	for (i = 0; i < sizeof(artifact_names) / sizeof(artifact_names[0]); i++) {
		if (tg_ascii_casecmp(s, artifact_names[i]) == 0) {
			*out = (enum tg_vet_artifact)i;
			return true;
		}
	}
	if (tg_ascii_casecmp(s, "dir") == 0) {
		*out = TG_VET_ART_DIR;
		return true;
	}
	return false;
}

static bool ends_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && tg_ascii_casecmp(s + n - m, suffix) == 0;
}

enum tg_vet_artifact tg_vet_artifact_guess(const char *filename)
{
	const char *base = vet_path_base(filename);

	if (ends_ci(base, ".whl"))
		return TG_VET_ART_WHEEL;
	if (ends_ci(base, ".nupkg"))
		return TG_VET_ART_NUPKG;
	if (ends_ci(base, ".tgz"))
		return TG_VET_ART_NPM;
	if (ends_ci(base, ".tar.gz") || ends_ci(base, ".tar.bz2") ||
	    ends_ci(base, ".tar.xz") || ends_ci(base, ".zip") ||
	    ends_ci(base, ".tar"))
		return TG_VET_ART_SDIST;
	return TG_VET_ART_AUTO;
}

void vet_pkg_init(struct vet_pkg *p, const struct tg_vet_limits *lim)
{
	memset(p, 0, sizeof(*p));
	p->lim = lim;
}

void vet_pkg_release(struct vet_pkg *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->m[i].path);
		free(p->m[i].text);
		free(p->m[i].link_target);
	}
	free(p->m);
	free(p->root_prefix);
	free(p->slots);
	memset(p, 0, sizeof(*p));
}

static size_t path_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void index_put(size_t *slots, size_t n_slots, const char *path,
		      size_t idx)
{
	size_t i = path_hash(path) & (n_slots - 1);

	while (slots[i])
		i = (i + 1) & (n_slots - 1);
	slots[i] = idx + 1;
}

/* Keep the index at most half full; rebuilt from m[] when it grows. */
static int index_grow(struct vet_pkg *p, struct tg_err *err)
{
	size_t n = p->n_slots ? p->n_slots * 2 : 256, i, bytes;
	size_t *slots;

	if (!tg_size_mul(n, sizeof(*slots), &bytes) || !(slots = calloc(n, sizeof(*slots))))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < p->n; i++)
		index_put(slots, n, p->m[i].path, i);
	free(p->slots);
	p->slots = slots;
	p->n_slots = n;
	return 0;
}

struct vet_member *vet_pkg_add(struct vet_pkg *p, char *path,
			       struct tg_err *err)
{
	struct vet_member *m;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64, bytes;
		struct vet_member *nm;

		if (!tg_size_mul(cap, sizeof(*nm), &bytes) ||
		    !(nm = realloc(p->m, bytes))) {
			free(path);
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		p->m = nm;
		p->cap = cap;
	}
	if ((p->n + 1) * 2 > p->n_slots && index_grow(p, err)) {
		free(path);
		return NULL;
	}
	m = &p->m[p->n];
	memset(m, 0, sizeof(*m));
	m->path = path;
	m->rel = path;
	index_put(p->slots, p->n_slots, path, p->n);
	p->n++;
	return m;
}

struct vet_member *vet_pkg_find_path(const struct vet_pkg *p, const char *path)
{
	size_t i, found = 0;

	if (!p->n_slots)
		return NULL;
	/* The last member stored under a path wins, as with extraction. */
	for (i = path_hash(path) & (p->n_slots - 1); p->slots[i];
	     i = (i + 1) & (p->n_slots - 1))
		if (strcmp(p->m[p->slots[i] - 1].path, path) == 0 &&
		    p->slots[i] > found)
			found = p->slots[i];
	return found ? &p->m[found - 1] : NULL;
}

struct vet_member *vet_pkg_find(const struct vet_pkg *p, const char *rel)
{
	struct vet_member *m;
	char *full;

	if (!p->root_prefix || !*p->root_prefix) {
		m = vet_pkg_find_path(p, rel);
	} else {
		full = tg_asprintf("%s%s", p->root_prefix, rel);
		if (!full)
			return NULL;
		m = vet_pkg_find_path(p, full);
		free(full);
	}
	return m && m->type == VM_FILE ? m : NULL;
}

int vet_pkg_set_root(struct vet_pkg *p, const char *prefix, struct tg_err *err)
{
	size_t i, n = strlen(prefix);
	char *copy = tg_strdup(prefix);

	if (!copy)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	free(p->root_prefix);
	p->root_prefix = copy;
	for (i = 0; i < p->n; i++)
		p->m[i].rel = strncmp(p->m[i].path, prefix, n) == 0 ?
			p->m[i].path + n : p->m[i].path;
	return 0;
}

const char *vet_path_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

void vet_path_ext(const char *path, char *out, size_t outsz)
{
	const char *base = vet_path_base(path);
	const char *dot = strrchr(base, '.');
	size_t i = 0;

	if (outsz == 0)
		return;
	if (dot && dot != base) {
		for (dot++; *dot && i + 1 < outsz; dot++)
			out[i++] = tg_ascii_lower(*dot);
	}
	out[i] = '\0';
}

/* Extensions whose members are read as text whatever their first bytes. */
static const char *const text_exts[] = {
	"py", "pyw", "pyi", "pth", "pyx", "pxd", "cfg", "toml", "ini", "txt",
	"js", "cjs", "mjs", "jsx", "ts", "cts", "mts", "tsx", "json", "sh",
	"bash", "zsh", "ps1", "psm1", "psd1", "bat", "cmd", "vbs", "nuspec",
	"xml", "yml", "yaml", "rb", "pl", "php", "gyp", "gypi", "md", "rst",
	"html", "htm", "in", "csv", "map", "coffee", "lua", "tcl", "r", NULL
};

bool vet_looks_text(const char *path, const unsigned char *head,
		    size_t head_len)
{
	char ext[16];
	size_t i;

	vet_path_ext(path, ext, sizeof(ext));
	for (i = 0; text_exts[i]; i++)
		if (strcmp(ext, text_exts[i]) == 0)
			return true;
	if (head_len == 0)
		return false;
	return memchr(head, '\0', head_len) == NULL;
}

unsigned long vet_line_of(const char *text, size_t len, size_t off)
{
	unsigned long line = 1;
	const char *p = text, *end = text + (off < len ? off : len);

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

void vet_line_excerpt(const char *text, size_t len, size_t off, char *out,
		      size_t outsz)
{
	size_t start = off < len ? off : len, end = start;
	size_t budget = 4 * outsz;

	/* Minified code has megabyte lines: centre on the match instead of
	 * starting at a line start far before it. */
	while (start > 0 && text[start - 1] != '\n' && off - start < outsz / 3)
		start--;
	while (end < len && text[end] != '\n' && end - start < budget)
		end++;
	tg_vet_sanitize(text + start, end - start, out, outsz);
}

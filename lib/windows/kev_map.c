/* The KEV product -> package mapping table (data/windows/kev-map.tsv). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tollgate/buf.h"
#include "tollgate/fs.h"
#include "tollgate/size.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

#define MAP_MAX_ROWS 100000
#define MAP_MAX_BYTES ((size_t)8 << 20)

void tg_win_kev_map_init(struct tg_win_kev_map *m)
{
	memset(m, 0, sizeof(*m));
}

void tg_win_kev_map_release(struct tg_win_kev_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->rows[i].vendor_project);
		free(m->rows[i].product);
		free(m->rows[i].package_id);
	}
	free(m->rows);
	tg_win_kev_map_init(m);
}

static int add_row(struct tg_win_kev_map *m, char **f, enum tg_ecosystem eco,
		   unsigned long line, struct tg_err *err)
{
	struct tg_win_kev_row *r;

	if (m->n >= MAP_MAX_ROWS)
		return tg_err_set(err, TG_ELIMIT, "more than %d mapping rows", MAP_MAX_ROWS);
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64, bytes;

		if (!tg_size_mul(cap, sizeof(*r), &bytes) || !(r = realloc(m->rows, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		m->rows = r;
		m->cap = cap;
	}
	r = &m->rows[m->n];
	r->vendor_project = tg_strdup(f[0]);
	r->product = tg_strdup(f[1]);
	r->package_id = tg_strdup(f[3]);
	r->eco = eco;
	r->line = line;
	m->n++;
	if (!r->vendor_project || !r->product || !r->package_id)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

int tg_win_kev_map_parse(const char *data, size_t len, const char *origin,
			 struct tg_win_kev_map *out, struct tg_err *err)
{
	size_t pos = 0;
	unsigned long line = 0;
	bool header = false;
	int rc = 0;

	if (memchr(data, '\0', len))
		return tg_err_at(err, TG_EPARSE, origin, 0, 0, "NUL byte in the mapping table");
	while (pos < len && !rc) {
		const char *l = data + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		char *copy, *f[5] = { 0 }, *p;
		size_t k = 0;
		enum tg_ecosystem eco;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n && l[n - 1] == '\r')
			n--;
		if (n == 0 || l[0] == '#')
			continue;
		copy = tg_strndup(l, n);
		if (!copy)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		for (p = copy, f[k++] = p; *p && k < 5; p++)
			if (*p == '\t') {
				*p = '\0';
				f[k++] = p + 1;
			}
		if (k != 4 || !*f[0] || !*f[1] || !*f[3]) {
			rc = tg_err_at(err, TG_EPARSE, origin, line, 0,
				       "expected 4 tab-separated columns: vendorProject, "
				       "product, ecosystem, package");
		} else if (!header && strcmp(f[0], "vendorProject") == 0) {
			header = true; /* an optional header line */
		} else if (!tg_ecosystem_parse(f[2], &eco) ||
			   (eco != TG_ECO_WINGET && eco != TG_ECO_CHOCOLATEY)) {
			rc = tg_err_at(err, TG_EINVAL, origin, line, 0,
				       "ecosystem '%s' is not winget or chocolatey", f[2]);
		} else {
			rc = add_row(out, f, eco, line, err);
		}
		free(copy);
	}
	return rc;
}

static bool is_file(const char *p)
{
	struct stat st;

	return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int tg_win_kev_map_load(const char *path, struct tg_win_kev_map *out,
			struct tg_err *err)
{
	const char *env = getenv("TOLLGATE_DATA_DIR");
	char *candidates[3] = { 0 };
	const char *use = path;
	struct tg_buf b;
	size_t i;
	int rc;

	if (!use) {
		if (env && *env)
			candidates[0] = tg_asprintf("%s/windows/kev-map.tsv", env);
#ifdef TG_SOURCE_DATA_DIR
		/* a build from a source tree uses the table next to its sources */
		candidates[1] = tg_strdup(TG_SOURCE_DATA_DIR "/data/windows/kev-map.tsv");
#endif
#ifdef TG_DATA_DIR
		candidates[2] = tg_strdup(TG_DATA_DIR "/windows/kev-map.tsv");
#endif
		for (i = 0; i < 3 && !use; i++)
			if (is_file(candidates[i]))
				use = candidates[i];
		if (!use) {
			rc = tg_err_set(err, TG_EIO,
					"no KEV mapping table (windows/kev-map.tsv) in $TOLLGATE_DATA_DIR, "
					"the source tree or the install prefix");
			goto out;
		}
	}
	tg_buf_init(&b, MAP_MAX_BYTES);
	rc = tg_read_file(use, MAP_MAX_BYTES, &b, err);
	if (!rc)
		rc = tg_win_kev_map_parse(b.data, b.len, use, out, err);
	tg_buf_release(&b);
out:
	for (i = 0; i < 3; i++)
		free(candidates[i]);
	return rc;
}

/* The Windows application model: building, releasing, version order and
 * the conversion to a plain inventory. */
#include <stdlib.h>
#include <string.h>

#include "tollgate/size.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

void tg_win_inventory_init(struct tg_win_inventory *w)
{
	memset(w, 0, sizeof(*w));
}

static void installer_release(struct tg_win_installer *i)
{
	free(i->arch);
	free(i->type);
	free(i->scope);
	free(i->url);
	free(i->sha256);
	free(i->product_code);
	free(i->display_version);
	free(i->file);
	free(i->checksum);
	free(i->checksum_type);
}

static void app_release(struct tg_win_app *a)
{
	size_t i;

	free(a->id);
	free(a->version);
	free(a->name);
	free(a->publisher);
	free(a->license);
	free(a->license_url);
	free(a->homepage);
	free(a->source);
	free(a->origin);
	free(a->package_path);
	for (i = 0; i < a->n_installers; i++)
		installer_release(&a->installers[i]);
	free(a->installers);
	for (i = 0; i < a->n_deps; i++) {
		free(a->deps[i]);
		free(a->dep_ranges[i]);
	}
	free(a->deps);
	free(a->dep_ranges);
	memset(a, 0, sizeof(*a));
}

void tg_win_inventory_release(struct tg_win_inventory *w)
{
	size_t i;

	for (i = 0; i < w->n_apps; i++)
		app_release(&w->apps[i]);
	free(w->apps);
	free(w->origin);
	free(w->format);
	memset(w, 0, sizeof(*w));
}

int tg_win_set(char **field, const char *s, struct tg_err *err)
{
	char *d = NULL;

	if (s && !(d = tg_strdup(s)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	free(*field);
	*field = d;
	return 0;
}

struct tg_win_app *tg_win_add_app(struct tg_win_inventory *w,
				  struct tg_err *err)
{
	struct tg_win_app *n;
	size_t cap, bytes;

	if (w->n_apps >= TG_WIN_MAX_APPS) {
		tg_err_set(err, TG_ELIMIT, "more than %d applications in one input",
			   TG_WIN_MAX_APPS);
		return NULL;
	}
	if (w->n_apps == w->cap_apps) {
		cap = w->cap_apps ? w->cap_apps * 2 : 16;
		if (!tg_size_mul(cap, sizeof(*n), &bytes) ||
		    !(n = realloc(w->apps, bytes))) {
			tg_err_set(err, TG_ENOMEM, "out of memory");
			return NULL;
		}
		w->apps = n;
		w->cap_apps = cap;
	}
	n = &w->apps[w->n_apps++];
	memset(n, 0, sizeof(*n));
	return n;
}

struct tg_win_installer *tg_win_add_installer(struct tg_win_app *a,
					      struct tg_err *err)
{
	struct tg_win_installer *n;
	size_t bytes;

	if (a->n_installers >= TG_WIN_MAX_INSTALLERS) {
		tg_err_set(err, TG_ELIMIT, "more than %d installers for one package",
			   TG_WIN_MAX_INSTALLERS);
		return NULL;
	}
	if (!tg_size_mul(a->n_installers + 1, sizeof(*n), &bytes) ||
	    !(n = realloc(a->installers, bytes))) {
		tg_err_set(err, TG_ENOMEM, "out of memory");
		return NULL;
	}
	a->installers = n;
	n = &a->installers[a->n_installers++];
	memset(n, 0, sizeof(*n));
	return n;
}

int tg_win_add_dep(struct tg_win_app *a, const char *id, const char *range,
		   struct tg_err *err)
{
	char **d, **r;
	size_t bytes;
	char *did, *drange = NULL;

	if (a->n_deps >= 4096)
		return tg_err_set(err, TG_ELIMIT, "more than 4096 dependencies");
	if (!tg_size_mul(a->n_deps + 1, sizeof(char *), &bytes))
		return tg_err_set(err, TG_ELIMIT, "size overflow");
	did = tg_strdup(id);
	if (range)
		drange = tg_strdup(range);
	if (!did || (range && !drange))
		goto oom;
	d = realloc(a->deps, bytes);
	if (!d)
		goto oom;
	a->deps = d;
	r = realloc(a->dep_ranges, bytes);
	if (!r)
		goto oom;
	a->dep_ranges = r;
	a->deps[a->n_deps] = did;
	a->dep_ranges[a->n_deps] = drange;
	a->n_deps++;
	return 0;
oom:
	free(did);
	free(drange);
	return tg_err_set(err, TG_ENOMEM, "out of memory");
}

/* Next dot-separated part of *s as [b, e). */
static bool next_part(const char **s, const char **b, const char **e)
{
	const char *p = *s;

	if (!p)
		return false;
	*b = p;
	while (*p && *p != '.')
		p++;
	*e = p;
	*s = *p ? p + 1 : NULL;
	return true;
}

static bool all_digits(const char *b, const char *e)
{
	if (b == e)
		return false;
	for (; b < e; b++)
		if (*b < '0' || *b > '9')
			return false;
	return true;
}

/* Compare digit strings by value without overflow. */
static int cmp_num(const char *ab, const char *ae, const char *bb, const char *be)
{
	size_t la, lb;

	while (ab < ae - 1 && *ab == '0')
		ab++;
	while (bb < be - 1 && *bb == '0')
		bb++;
	la = (size_t)(ae - ab);
	lb = (size_t)(be - bb);
	if (la != lb)
		return la < lb ? -1 : 1;
	for (; ab < ae; ab++, bb++)
		if (*ab != *bb)
			return *ab < *bb ? -1 : 1;
	return 0;
}

static bool zero_part(const char *b, const char *e)
{
	if (b == e)
		return true;
	for (; b < e; b++)
		if (*b != '0')
			return false;
	return true;
}

int tg_win_version_cmp(const char *a, const char *b)
{
	const char *pa = a, *pb = b;

	for (;;) {
		const char *ab = NULL, *ae = NULL, *bb = NULL, *be = NULL;
		bool ha = next_part(&pa, &ab, &ae);
		bool hb = next_part(&pb, &bb, &be);
		int c;

		if (!ha && !hb)
			return 0;
		if (!ha) {
			if (!zero_part(bb, be))
				return -1;
			continue;
		}
		if (!hb) {
			if (!zero_part(ab, ae))
				return 1;
			continue;
		}
		if (all_digits(ab, ae) && all_digits(bb, be)) {
			c = cmp_num(ab, ae, bb, be);
		} else if (all_digits(ab, ae) != all_digits(bb, be)) {
			/* "1.0.beta" sorts below "1.0.0": a word is a pre-release. */
			c = all_digits(ab, ae) ? 1 : -1;
		} else {
			size_t la = (size_t)(ae - ab), lb = (size_t)(be - bb);
			size_t n = la < lb ? la : lb;

			c = tg_ascii_ncasecmp(ab, bb, n);
			if (c == 0 && la != lb)
				c = la < lb ? -1 : 1;
		}
		if (c)
			return c < 0 ? -1 : 1;
	}
}

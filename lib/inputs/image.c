/* Container image tarballs: `docker save` (manifest.json, <id>/layer.tar)
 * and OCI image layouts (index.json, blobs/sha256/<digest>), read with
 * libarchive in one pass without extracting anything.
 *
 * Layers may come in any order inside the tarball, and manifest.json often
 * comes last, so the pass records, per tar member, the Python metadata
 * files and whiteouts its layer holds (any member that opens as a tar
 * archive is a candidate layer; JSON members are kept as possible
 * manifests). The manifest then gives the layer order, the whiteouts are
 * applied lower layer first, and the metadata left in the final file view
 * is parsed. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/size.h"
#include "tollgate/str.h"
#include "lazy/lazy.h"

#define IMG_MAX_JSON ((size_t)4 << 20)
#define IMG_MAX_META ((size_t)1 << 20) /* headers come first; enough */
#define IMG_MAX_EVENTS 2000000
#define IMG_MAX_MEMBERS 100000
#define IMG_MAX_PATH 4096

enum ev_kind { EV_FILE, EV_WHITEOUT, EV_OPAQUE };

struct ev {
	size_t member;  /* index into members */
	enum ev_kind kind;
	char *path;     /* normalised, no leading '/' */
	char *data;     /* EV_FILE: metadata bytes */
	size_t len;
	size_t rank;    /* position of its layer in the manifest */
	bool in_view;   /* a manifest may list one layer twice */
};

struct member {
	char *name;
	char *json;     /* small JSON member, or NULL */
	size_t json_len;
};

struct img {
	const char *tarball;
	const struct tg_input_opts *opts;
	struct member *members;
	size_t n_members, cap_members;
	struct ev *evs;
	size_t n_evs, cap_evs;
	size_t kept_bytes;
};

static void normalise(char *p)
{
	char *s = p;

	while (s[0] == '.' && s[1] == '/')
		s += 2;
	while (*s == '/')
		s++;
	if (s != p)
		memmove(p, s, strlen(s) + 1);
}

/* Python metadata inside a site-packages / dist-packages directory. */
static bool wanted_path(const char *p)
{
	const char *dir = strstr(p, "site-packages/");
	const char *rest, *slash;

	if (!dir)
		dir = strstr(p, "dist-packages/");
	if (!dir)
		return false;
	rest = dir + strlen("site-packages/");
	slash = strchr(rest, '/');
	if (!slash)
		return tg_str_ends_with(rest, ".egg-info");
	if (strchr(slash + 1, '/'))
		return false;
	return (strcmp(slash + 1, "METADATA") == 0 &&
		(size_t)(slash - rest) > 10 && strncmp(slash - 10, ".dist-info", 10) == 0) ||
	       (strcmp(slash + 1, "PKG-INFO") == 0 &&
		(size_t)(slash - rest) > 9 && strncmp(slash - 9, ".egg-info", 9) == 0);
}

static int add_event(struct img *im, size_t member, enum ev_kind kind,
		     const char *path, char *data, size_t len, struct tg_err *err)
{
	struct ev *e;

	if (im->n_evs >= IMG_MAX_EVENTS)
		return tg_err_at(err, TG_ELIMIT, im->tarball, 0, 0,
				 "more than %d metadata files and whiteouts in the image",
				 IMG_MAX_EVENTS);
	if (im->n_evs == im->cap_evs) {
		size_t ncap = im->cap_evs ? im->cap_evs * 2 : 64, bytes;
		struct ev *nv;

		if (!tg_size_mul(ncap, sizeof(*nv), &bytes) || !(nv = realloc(im->evs, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		im->evs = nv;
		im->cap_evs = ncap;
	}
	e = &im->evs[im->n_evs];
	memset(e, 0, sizeof(*e));
	e->path = tg_strdup(path);
	if (!e->path)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	e->member = member;
	e->kind = kind;
	e->data = data;
	e->len = len;
	im->n_evs++;
	return 0;
}

/* Read up to max bytes of the current entry into a new buffer. */
static int read_entry(struct archive *a, size_t max, char **out, size_t *len,
		      const char *what, struct tg_err *err)
{
	struct tg_buf b;
	char chunk[16384];
	la_ssize_t n;

	tg_buf_init(&b, max);
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		size_t room = max - b.len, take = (size_t)n < room ? (size_t)n : room;
		if (take && tg_buf_add(&b, chunk, take, err)) {
			tg_buf_release(&b);
			return err->code;
		}
	}
	if (n < 0) {
		tg_buf_release(&b);
		return tg_err_set(err, TG_EPARSE, "%s: %s", what, archive_error_string(a));
	}
	*out = tg_buf_detach(&b, len);
	return 0;
}

struct nested {
	struct archive *outer;
	char buf[65536];
};

static la_ssize_t nested_read(struct archive *a, void *ctx, const void **buf)
{
	struct nested *n = ctx;
	la_ssize_t r;

	(void)a;
	r = archive_read_data(n->outer, n->buf, sizeof(n->buf));
	*buf = n->buf;
	return r < 0 ? -1 : r;
}

/* Scan one member as a layer, streamed from the outer archive or (mem)
 * from memory; a member that is not an archive is left alone. */
static int scan_layer(struct img *im, struct archive *outer, const char *mem,
		      size_t mem_len, size_t member, struct tg_err *err)
{
	struct archive *in = archive_read_new();
	struct archive_entry *e;
	struct nested *nctx = malloc(sizeof(*nctx));
	bool first = true;
	int rc = 0, r;

	if (!in || !nctx) {
		archive_read_free(in);
		free(nctx);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	nctx->outer = outer;
	archive_read_support_format_tar(in);
	archive_read_support_filter_all(in);
	if (mem ? archive_read_open_memory(in, mem, mem_len) != ARCHIVE_OK
		: archive_read_open(in, nctx, NULL, nested_read, NULL) != ARCHIVE_OK)
		goto out;
	while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		const char *raw = archive_entry_pathname(e);
		char path[IMG_MAX_PATH];
		const char *base;

		first = false;
		if (!raw || strlen(raw) >= sizeof(path))
			continue;
		memcpy(path, raw, strlen(raw) + 1);
		normalise(path);
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		if (strncmp(base, ".wh.", 4) == 0) {
			char target[IMG_MAX_PATH];
			size_t dirlen = (size_t)(base - path);

			if (strcmp(base, ".wh..wh..opq") == 0) {
				/* the directory itself, without its trailing '/' */
				memcpy(target, path, dirlen ? dirlen - 1 : 0);
				target[dirlen ? dirlen - 1 : 0] = '\0';
				rc = add_event(im, member, EV_OPAQUE, target, NULL, 0, err);
			} else {
				memcpy(target, path, dirlen);
				tg_strlcpy(target + dirlen, base + 4, sizeof(target) - dirlen);
				rc = add_event(im, member, EV_WHITEOUT, target, NULL, 0, err);
			}
		} else if (archive_entry_filetype(e) == AE_IFREG && wanted_path(path)) {
			char *data = NULL;
			size_t len = 0;

			rc = read_entry(in, IMG_MAX_META, &data, &len, path, err);
			if (rc) {
				tg_err_prefix(err, "%s: layer %s", im->tarball,
					      im->members[member].name);
				break;
			}
			if (!tg_size_add(im->kept_bytes, len, &im->kept_bytes) ||
			    im->kept_bytes > im->opts->max_image_bytes) {
				free(data);
				rc = tg_err_at(err, TG_ELIMIT, im->tarball, 0, 0,
					       "more than %zu bytes of package metadata in the image",
					       im->opts->max_image_bytes);
				break;
			}
			rc = add_event(im, member, EV_FILE, path, data, len, err);
			if (rc)
				free(data);
		}
		if (rc)
			break;
	}
	if (!rc && !first && r == ARCHIVE_FATAL)
		rc = tg_err_at(err, TG_EPARSE, im->tarball, 0, 0, "layer %s is damaged: %s",
			       im->members[member].name, archive_error_string(in));
out:
	archive_read_free(in);
	free(nctx);
	return rc;
}

static int add_member(struct img *im, const char *name, struct tg_err *err)
{
	struct member *m;

	if (im->n_members >= IMG_MAX_MEMBERS)
		return tg_err_at(err, TG_ELIMIT, im->tarball, 0, 0,
				 "more than %d members in the image tarball", IMG_MAX_MEMBERS);
	if (im->n_members == im->cap_members) {
		size_t ncap = im->cap_members ? im->cap_members * 2 : 32, bytes;
		struct member *nv;

		if (!tg_size_mul(ncap, sizeof(*nv), &bytes) || !(nv = realloc(im->members, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		im->members = nv;
		im->cap_members = ncap;
	}
	m = &im->members[im->n_members];
	memset(m, 0, sizeof(*m));
	if (!(m->name = tg_strdup(name)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	normalise(m->name);
	im->n_members++;
	return 0;
}

static int first_pass(struct img *im, struct tg_err *err)
{
	struct archive *a;
	struct archive_entry *e;
	int r, rc = 0;

	if ((rc = tg_lazy_require(TG_LAZY_ARCHIVE, "reading image tarballs", err)))
		return rc;
	a = archive_read_new();
	if (!a)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	archive_read_support_format_tar(a);
	archive_read_support_filter_all(a);
	if (archive_read_open_filename(a, im->tarball, 65536) != ARCHIVE_OK) {
		rc = tg_err_at(err, TG_EIO, im->tarball, 0, 0, "cannot open image: %s",
			       archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(e);
		la_int64_t size = archive_entry_size(e);
		struct member *m;

		if (!name || archive_entry_filetype(e) != AE_IFREG)
			continue;
		if ((rc = add_member(im, name, err)))
			goto out;
		m = &im->members[im->n_members - 1];
		if (size >= 0 && (size_t)size <= IMG_MAX_JSON) {
			/* Small members: manifests (JSON) or small layers. */
			char *data = NULL;
			size_t len = 0;

			rc = read_entry(a, IMG_MAX_JSON, &data, &len, name, err);
			if (rc) {
				tg_err_locate(err, im->tarball, 0, 0);
				goto out;
			}
			if (len > 0 && (data[0] == '{' || data[0] == '[')) {
				m->json = data;
				m->json_len = len;
				continue;
			}
			if (len > 0)
				rc = scan_layer(im, NULL, data, len, im->n_members - 1, err);
			free(data);
			if (rc)
				tg_err_locate(err, im->tarball, 0, 0);
			if (rc)
				goto out;
			continue;
		}
		if ((rc = scan_layer(im, a, NULL, 0, im->n_members - 1, err))) {
			tg_err_locate(err, im->tarball, 0, 0);
			goto out;
		}
	}
	if (r == ARCHIVE_FATAL)
		rc = tg_err_at(err, TG_EPARSE, im->tarball, 0, 0, "not a readable tar archive: %s",
			       archive_error_string(a));
out:
	archive_read_free(a);
	return rc;
}

static ssize_t find_member(const struct img *im, const char *name)
{
	size_t i;

	for (i = 0; i < im->n_members; i++)
		if (strcmp(im->members[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

static json_t *member_json(const struct img *im, const char *name)
{
	ssize_t i = find_member(im, name);

	if (i < 0 || !im->members[i].json)
		return NULL;
	return json_loadb(im->members[i].json, im->members[i].json_len, 0, NULL);
}

/* Layer member indexes in order, from manifest.json or index.json. */
static int layer_order(const struct img *im, size_t **order, size_t *n,
		       struct tg_err *err)
{
	json_t *root = member_json(im, "manifest.json"), *layers = NULL, *l;
	size_t i;
	int rc = 0;

	*order = NULL;
	*n = 0;
	if (json_is_array(root) && json_array_size(root) > 0) {
		layers = json_incref(tg_json_arr(json_array_get(root, 0), "Layers"));
	} else {
		/* OCI: index -> (nested indexes) -> manifest -> layers */
		json_t *doc = member_json(im, "index.json");
		unsigned hops = 0;

		while (doc && hops++ < 4 && !layers) {
			json_t *next = NULL;
			json_t *mans = tg_json_arr(doc, "manifests");

			if (tg_json_arr(doc, "layers")) {
				layers = json_incref(tg_json_arr(doc, "layers"));
			} else if (json_array_size(mans) > 0) {
				const char *dg = tg_json_str(json_array_get(mans, 0), "digest");
				if (dg && strncmp(dg, "sha256:", 7) == 0) {
					char blob[128];
					snprintf(blob, sizeof(blob), "blobs/sha256/%.80s", dg + 7);
					next = member_json(im, blob);
				}
			}
			json_decref(doc);
			doc = next;
		}
		json_decref(doc);
	}
	json_decref(root);
	if (!layers)
		return tg_err_at(err, TG_EINVAL, im->tarball, 0, 0,
				 "not a container image: no manifest.json or OCI index.json "
				 "naming its layers");
	*order = calloc(json_array_size(layers) + 1, sizeof(**order));
	if (!*order) {
		json_decref(layers);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	json_array_foreach(layers, i, l) {
		char name[IMG_MAX_PATH];
		const char *s = json_is_string(l) ? json_string_value(l) : tg_json_str(l, "digest");
		ssize_t m;

		if (!s)
			continue;
		if (!json_is_string(l) && strncmp(s, "sha256:", 7) == 0)
			snprintf(name, sizeof(name), "blobs/sha256/%s", s + 7);
		else
			tg_strlcpy(name, s, sizeof(name));
		normalise(name);
		m = find_member(im, name);
		if (m < 0) {
			rc = tg_err_at(err, TG_EINVAL, im->tarball, 0, 0,
				       "manifest names layer %.200s, which the tarball lacks", name);
			break;
		}
		(*order)[(*n)++] = (size_t)m;
	}
	json_decref(layers);
	return rc;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when path or one of its ancestor directories is in the sorted
 * set (an empty string in the set stands for the root). */
static bool hidden_by(const char *path, char **set, size_t n)
{
	char buf[IMG_MAX_PATH];
	size_t len = strlen(path), i;
	const char *key = buf;

	if (n == 0)
		return false;
	if (n > 0 && set[0][0] == '\0')
		return true;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, path, len + 1);
	for (i = len + 1; i-- > 0;) {
		if (i == len || buf[i] == '/') {
			buf[i] = '\0';
			if (i > 0 && bsearch(&key, set, n, sizeof(*set), str_cmp))
				return true;
		}
	}
	return false;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = *(const struct ev *const *)a, *y = *(const struct ev *const *)b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int build_view(struct img *im, const size_t *order, size_t n_order,
		      struct tg_inventory *out, struct tg_err *err)
{
	struct ev **view = NULL;
	char **wh = NULL;
	size_t n_view = 0, li, i, j;
	int rc = 0;

	view = calloc(im->n_evs + 1, sizeof(*view));
	wh = calloc(im->n_evs + 1, sizeof(*wh));
	if (!view || !wh) {
		free(view);
		free(wh);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	for (li = 0; li < n_order; li++) {
		size_t m = order[li], n_wh = 0;

		/* Whiteouts (.wh.NAME and opaque .wh..wh..opq) hide what the
		 * lower layers hold at or under their path. */
		for (i = 0; i < im->n_evs; i++)
			if (im->evs[i].member == m && im->evs[i].kind != EV_FILE)
				wh[n_wh++] = im->evs[i].path;
		if (n_wh) {
			qsort(wh, n_wh, sizeof(*wh), str_cmp);
			for (i = j = 0; i < n_view; i++) {
				if (!hidden_by(view[i]->path, wh, n_wh))
					view[j++] = view[i];
				else
					view[i]->in_view = false;
			}
			n_view = j;
		}
		for (i = 0; i < im->n_evs; i++) {
			if (im->evs[i].member == m && im->evs[i].kind == EV_FILE) {
				im->evs[i].rank = li;
				if (!im->evs[i].in_view)
					view[n_view++] = &im->evs[i];
				im->evs[i].in_view = true;
			}
		}
	}
	/* The same path in several layers: the top one wins. */
	qsort(view, n_view, sizeof(*view), ev_cmp);
	for (i = j = 0; i < n_view; i++) {
		if (i + 1 < n_view && strcmp(view[i]->path, view[i + 1]->path) == 0)
			continue;
		view[j++] = view[i];
	}
	n_view = j;
	for (i = 0; i < n_view && !rc; i++) {
		struct ev *f = view[i];
		char *origin = tg_asprintf("%s!/%s", im->tarball, f->path);
		char *loc;
		const char *slash = strrchr(f->path, '/');

		if (!slash || tg_str_ends_with(f->path, ".egg-info"))
			loc = tg_asprintf("/%s", f->path);
		else
			loc = tg_asprintf("/%.*s", (int)(slash - f->path), f->path);
		if (!origin || !loc)
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		else
			rc = tg_input_parse_metadata(f->data, f->len, origin, loc, out, err);
		free(origin);
		free(loc);
	}
	free(view);
	free(wh);
	return rc;
}

int tg_input_parse_image(const char *tarball, const struct tg_input_opts *opts,
			 struct tg_inventory *out, struct tg_err *err)
{
	struct img im;
	size_t *order = NULL, n_order = 0, i;
	int rc;

	memset(&im, 0, sizeof(im));
	im.tarball = tarball;
	im.opts = opts;
	rc = first_pass(&im, err);
	if (!rc)
		rc = layer_order(&im, &order, &n_order, err);
	if (!rc)
		rc = build_view(&im, order, n_order, out, err);
	free(order);
	for (i = 0; i < im.n_evs; i++) {
		free(im.evs[i].path);
		free(im.evs[i].data);
	}
	free(im.evs);
	for (i = 0; i < im.n_members; i++) {
		free(im.members[i].name);
		free(im.members[i].json);
	}
	free(im.members);
	return rc;
}

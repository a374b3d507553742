/* winget manifests (YAML, schema 1.x): singleton, or the multi-file set of
 * a version folder (version, installer, defaultLocale, locale files).
 *
 * YAML is read with libyaml's document loader. Every scalar is kept as
 * the text written: `PackageVersion: "26.02"` and `PackageVersion: 26.02`
 * both give "26.02", and nothing is ever turned into a number. Only the
 * keys the model needs are visited, so aliases cannot make a walk
 * explode; the node count of a document is capped. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "windows_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "tollgate/fs.h"
#include "tollgate/str.h"
#include "tollgate/windows.h"

/* Root-level keys of an installer manifest that are defaults for every
 * installer (an installer's own value wins). */
static const char *const installer_keys[] = {
	"Architecture", "InstallerType", "Scope", "InstallerUrl",
	"InstallerSha256", "ProductCode", NULL
};

struct ymanifest {
	yaml_document_t doc;
	yaml_node_t *root;
	const char *origin;
};

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map,
			    const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    strlen(key) == k->data.scalar.length &&
		    memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

/* The scalar text of map[key] (NUL-terminated by libyaml), or NULL.
 * YAML's null (`~`, `null`, empty plain) counts as absent. */
static const char *map_str(yaml_document_t *doc, yaml_node_t *map,
			   const char *key)
{
	yaml_node_t *v = map_get(doc, map, key);
	const char *s;

	if (!v || v->type != YAML_SCALAR_NODE)
		return NULL;
	s = (const char *)v->data.scalar.value;
	if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	     strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0))
		return NULL;
	if (strlen(s) != v->data.scalar.length)
		return NULL; /* an escaped NUL: not a usable value */
	return s;
}

static unsigned long node_line(yaml_node_t *n)
{
	return n ? (unsigned long)n->start_mark.line + 1 : 0;
}

static int yaml_load(const char *data, size_t len, const char *origin,
		     struct ymanifest *m, struct tg_err *err)
{
	yaml_parser_t parser;
	size_t nodes;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	m->origin = origin;
	if (!yaml_parser_initialize(&parser))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &m->doc)) {
		rc = tg_err_at(err, TG_EPARSE, origin,
			       (unsigned long)parser.problem_mark.line + 1,
			       (unsigned long)parser.problem_mark.column + 1,
			       "YAML: %s%s%s",
			       parser.problem ? parser.problem : "syntax error",
			       parser.context ? " " : "",
			       parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_parser_delete(&parser);
	nodes = (size_t)(m->doc.nodes.top - m->doc.nodes.start);
	if (nodes > TG_WIN_MAX_YAML_NODES) {
		yaml_document_delete(&m->doc);
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
				 "YAML document has %zu nodes, over the limit of %d",
				 nodes, TG_WIN_MAX_YAML_NODES);
	}
	m->root = yaml_document_get_root_node(&m->doc);
	if (!m->root || m->root->type != YAML_MAPPING_NODE) {
		yaml_document_delete(&m->doc);
		return tg_err_at(err, TG_EINVAL, origin, 1, 1,
				 "not a winget manifest: the document is not a mapping");
	}
	return 0;
}

static int set_field(char **field, const char *s, struct tg_err *err)
{
	if (!s || *field)
		return 0; /* first value wins when merging */
	return tg_win_set(field, s, err);
}

static int check_len(const char *s, size_t max, const char *what,
		     const char *origin, unsigned long line, struct tg_err *err)
{
	if (s && (!*s || strlen(s) > max))
		return tg_err_at(err, TG_EINVAL, origin, line, 0,
				 "%s is empty or longer than %zu bytes", what, max);
	return 0;
}

static int fill_installer(struct ymanifest *m, yaml_node_t *inst,
			  struct tg_win_installer *out, struct tg_err *err)
{
	yaml_node_t *afe = map_get(&m->doc, inst, "AppsAndFeaturesEntries");
	const char *vals[6];
	size_t k;
	int rc;

	for (k = 0; installer_keys[k]; k++) {
		/* installer level first, then the manifest's root default */
		const char *v = map_str(&m->doc, inst, installer_keys[k]);
		if (!v)
			v = map_str(&m->doc, m->root, installer_keys[k]);
		vals[k] = v;
	}
	if ((rc = check_len(vals[3], IN_MAX_URL, "InstallerUrl", m->origin,
			    node_line(inst), err)))
		return rc;
	out->line = node_line(inst);
	if ((rc = tg_win_set(&out->file, m->origin, err)) ||
	    (rc = tg_win_set(&out->arch, vals[0], err)) ||
	    (rc = tg_win_set(&out->type, vals[1], err)) ||
	    (rc = tg_win_set(&out->scope, vals[2], err)) ||
	    (rc = tg_win_set(&out->url, vals[3], err)) ||
	    (rc = tg_win_set(&out->sha256, vals[4], err)) ||
	    (rc = tg_win_set(&out->product_code, vals[5], err)))
		return rc;
	if (!afe)
		afe = map_get(&m->doc, m->root, "AppsAndFeaturesEntries");
	if (afe && afe->type == YAML_SEQUENCE_NODE &&
	    afe->data.sequence.items.top > afe->data.sequence.items.start) {
		yaml_node_t *e = yaml_document_get_node(&m->doc,
							*afe->data.sequence.items.start);
		rc = tg_win_set(&out->display_version,
				map_str(&m->doc, e, "DisplayVersion"), err);
	}
	return rc;
}

static int fill_installers(struct ymanifest *m, struct tg_win_app *a,
			   struct tg_err *err)
{
	yaml_node_t *list = map_get(&m->doc, m->root, "Installers");
	yaml_node_item_t *it;
	int rc;

	if (!list)
		return 0;
	if (list->type != YAML_SEQUENCE_NODE)
		return tg_err_at(err, TG_EINVAL, m->origin, node_line(list), 0,
				 "\"Installers\" is not a list");
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *inst = yaml_document_get_node(&m->doc, *it);
		struct tg_win_installer *out;

		if (!inst || inst->type != YAML_MAPPING_NODE)
			return tg_err_at(err, TG_EINVAL, m->origin, node_line(inst), 0,
					 "an \"Installers\" entry is not a mapping");
		out = tg_win_add_installer(a, err);
		if (!out) {
			tg_err_locate(err, m->origin, node_line(inst), 0);
			return err->code;
		}
		if ((rc = fill_installer(m, inst, out, err)))
			return rc;
	}
	return 0;
}

/* Fill app from one parsed manifest; fields already set stay (merging a
 * folder fills from the version, installer, defaultLocale, then other
 * locale files). *type receives ManifestType. */
enum pick { PICK_ANY, PICK_MAIN, PICK_DEFAULT_LOCALE, PICK_OTHER_LOCALE };

static bool picked(const char *mtype, enum pick pick)
{
	bool dflt = strcmp(mtype, "defaultLocale") == 0;
	bool other = strcmp(mtype, "locale") == 0;

	switch (pick) {
	case PICK_ANY: return true;
	case PICK_MAIN: return !dflt && !other;
	case PICK_DEFAULT_LOCALE: return dflt;
	case PICK_OTHER_LOCALE: return other;
	}
	return false;
}

static int fill_app(struct ymanifest *m, struct tg_win_app *a,
		    enum pick pick, bool *used, struct tg_err *err)
{
	yaml_document_t *d = &m->doc;
	const char *id = map_str(d, m->root, "PackageIdentifier");
	const char *ver = map_str(d, m->root, "PackageVersion");
	const char *mtype = map_str(d, m->root, "ManifestType");
	const char *lic = map_str(d, m->root, "License");
	int rc;

	*used = false;
	if (!id || !mtype)
		return tg_err_at(err, TG_EINVAL, m->origin, 1, 1,
				 "not a winget manifest: %s is missing",
				 !id ? "PackageIdentifier" : "ManifestType");
	if (!picked(mtype, pick))
		return 0;
	*used = true;
	if ((rc = check_len(id, IN_MAX_NAME, "PackageIdentifier", m->origin, 1, err)) ||
	    (rc = check_len(ver, IN_MAX_VERSION, "PackageVersion", m->origin, 1, err)))
		return rc;
	if (a->id && tg_ascii_casecmp(a->id, id) != 0)
		return tg_err_at(err, TG_EINVAL, m->origin, 1, 1,
				 "PackageIdentifier '%s' differs from '%s' in %s", id,
				 a->id, a->origin);
	if (a->version && ver && strcmp(a->version, ver) != 0)
		return tg_err_at(err, TG_EINVAL, m->origin, 1, 1,
				 "PackageVersion '%s' differs from '%s' in %s", ver,
				 a->version, a->origin);
	a->eco = TG_ECO_WINGET;
	a->kind = TG_WIN_MANIFEST;
	if (!a->line)
		a->line = 1;
	if ((rc = set_field(&a->id, id, err)) ||
	    (rc = set_field(&a->version, ver, err)) ||
	    (rc = set_field(&a->origin, m->origin, err)) ||
	    (rc = set_field(&a->name, map_str(d, m->root, "PackageName"), err)) ||
	    (rc = set_field(&a->publisher, map_str(d, m->root, "Publisher"), err)) ||
	    (rc = set_field(&a->license, lic, err)) ||
	    (rc = set_field(&a->license_url, map_str(d, m->root, "LicenseUrl"), err)) ||
	    (rc = set_field(&a->homepage, map_str(d, m->root, "PackageUrl"), err)))
		return rc;
	if (strcmp(mtype, "installer") == 0 || strcmp(mtype, "singleton") == 0 ||
	    strcmp(mtype, "merged") == 0)
		return fill_installers(m, a, err);
	if (strcmp(mtype, "version") != 0 && strcmp(mtype, "defaultLocale") != 0 &&
	    strcmp(mtype, "locale") != 0)
		return tg_err_at(err, TG_EINVAL, m->origin, 1, 1,
				 "unknown ManifestType '%.64s'", mtype);
	return 0;
}

static int parse_into(const char *data, size_t len, const char *origin,
		      struct tg_win_app *a, enum pick pick, bool *used,
		      struct tg_err *err)
{
	struct ymanifest m;
	size_t skip;
	int rc;

	if ((rc = in_check_text(data, len, origin, &skip, err)))
		return rc;
	if ((rc = yaml_load(data + skip, len - skip, origin, &m, err)))
		return rc;
	rc = fill_app(&m, a, pick, used, err);
	yaml_document_delete(&m.doc);
	return rc;
}

int tg_win_parse_winget_manifest(const char *data, size_t len,
				 const char *origin,
				 struct tg_win_inventory *out,
				 struct tg_err *err)
{
	struct tg_win_app *a = tg_win_add_app(out, err);
	bool used;

	if (!a)
		return err->code;
	return parse_into(data, len, origin, a, PICK_ANY, &used, err);
}

/* ---- folders ---- */

#define DIR_MAX_ENTRIES 200000
#define DIR_MAX_DEPTH 12
#define DIR_MAX_FILE ((size_t)16 << 20)

struct walk {
	size_t seen;
	struct tg_win_inventory *out;
	struct tg_err *err;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Sorted entry names of dir (without . and ..). */
static int list_dir(const char *dir, struct walk *w, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return tg_err_at(w->err, TG_EIO, dir, 0, 0, "cannot read directory: %s",
				 strerror(errno));
	while ((e = readdir(d)) != NULL) {
		char **nv;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (++w->seen > DIR_MAX_ENTRIES) {
			closedir(d);
			free_names(*names, *n);
			*names = NULL;
			*n = 0;
			return tg_err_at(w->err, TG_ELIMIT, dir, 0, 0,
					 "more than %d directory entries", DIR_MAX_ENTRIES);
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(*names, cap * sizeof(char *));
			if (!nv)
				goto oom;
			*names = nv;
		}
		if (!((*names)[*n] = tg_strdup(e->d_name)))
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(char *), cmp_names);
	return 0;
oom:
	closedir(d);
	free_names(*names, *n);
	*names = NULL;
	*n = 0;
	return tg_err_set(w->err, TG_ENOMEM, "out of memory");
}

static bool is_yaml(const char *name)
{
	return tg_str_ends_with(name, ".yaml") || tg_str_ends_with(name, ".yml");
}

/* Merge the manifest files of one folder into one app: the version and
 * installer (or singleton) files first, then the defaultLocale file, then
 * other locales, which only fill what is still missing. */
static int merge_folder(const char *dir, char **names, size_t n, struct walk *w)
{
	static const enum pick order[] = { PICK_MAIN, PICK_DEFAULT_LOCALE,
					   PICK_OTHER_LOCALE };
	struct tg_win_app *a;
	struct tg_buf b;
	size_t pass, i, used = 0;
	int rc = 0;

	a = tg_win_add_app(w->out, w->err);
	if (!a)
		return w->err->code;
	tg_buf_init(&b, DIR_MAX_FILE);
	for (pass = 0; pass < 3 && !rc; pass++) {
		for (i = 0; i < n && !rc; i++) {
			char *path;
			bool took = false;

			if (!is_yaml(names[i]))
				continue;
			path = tg_path_join(dir, names[i]);
			if (!path) {
				rc = tg_err_set(w->err, TG_ENOMEM, "out of memory");
				break;
			}
			tg_buf_reset(&b);
			rc = tg_read_file(path, DIR_MAX_FILE, &b, w->err);
			if (!rc)
				rc = parse_into(b.data, b.len, path, a, order[pass],
						&took, w->err);
			used += took;
			free(path);
		}
	}
	tg_buf_release(&b);
	/* the app is known by its folder */
	if (!rc && used)
		rc = tg_win_set(&a->origin, dir, w->err);
	if (!rc && !used) {
		w->out->n_apps--; /* nothing was read into it */
	}
	return rc;
}

static int walk_dir(const char *dir, unsigned depth, struct walk *w)
{
	char **names;
	size_t n, i, n_yaml = 0;
	int rc;

	if (depth > DIR_MAX_DEPTH)
		return tg_err_at(w->err, TG_ELIMIT, dir, 0, 0,
				 "directories nested deeper than %d", DIR_MAX_DEPTH);
	if ((rc = list_dir(dir, w, &names, &n)))
		return rc;
	for (i = 0; i < n; i++)
		if (is_yaml(names[i]))
			n_yaml++;
	if (n_yaml)
		rc = merge_folder(dir, names, n, w);
	for (i = 0; i < n && !rc; i++) {
		char *path;
		struct stat st;

		if (names[i][0] == '.')
			continue;
		path = tg_path_join(dir, names[i]);
		if (!path) {
			rc = tg_err_set(w->err, TG_ENOMEM, "out of memory");
			break;
		}
		/* lstat: symbolic links are not followed */
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk_dir(path, depth + 1, w);
		free(path);
	}
	free_names(names, n);
	return rc;
}

int tg_win_parse_winget_dir(const char *dir, struct tg_win_inventory *out,
			    struct tg_err *err)
{
	struct walk w = { 0, out, err };
	size_t before = out->n_apps;
	int rc;

	rc = walk_dir(dir, 0, &w);
	if (!rc && out->n_apps == before)
		rc = tg_err_at(err, TG_EINVAL, dir, 0, 0,
			       "no winget manifest (*.yaml) in this directory");
	return rc;
}

static bool has_manifest(const char *dir, unsigned depth, size_t *budget)
{
	DIR *d;
	struct dirent *e;
	bool found = false;

	if (depth > 6 || !(d = opendir(dir)))
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		char *path;
		struct stat st;

		if (e->d_name[0] == '.' || *budget == 0)
			continue;
		(*budget)--;
		if (depth == 0 && (strcmp(e->d_name, "usr") == 0 ||
				   strcmp(e->d_name, "etc") == 0))
			break; /* a root file system */
		path = tg_path_join(dir, e->d_name);
		if (!path)
			break;
		if (lstat(path, &st) == 0) {
			if (S_ISREG(st.st_mode) && is_yaml(e->d_name)) {
				FILE *f = fopen(path, "rb");
				char head[4096];
				size_t got = f ? fread(head, 1, sizeof(head) - 1, f) : 0;

				if (f)
					fclose(f);
				head[got] = '\0';
				found = strstr(head, "PackageIdentifier:") &&
					strstr(head, "ManifestType:");
			} else if (S_ISDIR(st.st_mode)) {
				found = has_manifest(path, depth + 1, budget);
			}
		}
		free(path);
	}
	closedir(d);
	return found;
}

bool tg_win_dir_has_manifests(const char *dir)
{
	size_t budget = 5000;

	return has_manifest(dir, 0, &budget);
}

int in_parse_winget_manifest(const char *data, size_t len, const char *origin,
			     const struct tg_input_opts *opts,
			     struct tg_inventory *out, struct tg_err *err)
{
	(void)opts;
	return in_win_parse(tg_win_parse_winget_manifest, data, len, origin, out, err);
}

/* One OSV advisory (JSON) -> struct tg_osv_record.
 *
 * Strict about the fields the matcher relies on (id, ranges, events), lax
 * about everything else: unknown fields are ignored so that newer schema
 * versions still import. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"
#include "tollgate/db_feeds.h"
#include "tollgate/json.h"
#include "tollgate/str.h"

struct ctx {
	const char *origin;
	struct tg_err *err;
	size_t items;
};

static int count_items(struct ctx *c, size_t n, const char *what)
{
	c->items += n;
	if (c->items > TG_OSV_MAX_ITEMS || n > TG_OSV_MAX_ITEMS)
		return tg_err_at(c->err, TG_ELIMIT, c->origin, 0, 0,
				 "advisory has more than %d entries in total (at %s)",
				 TG_OSV_MAX_ITEMS, what);
	return 0;
}

static int bad(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0, "%s", msg);
}

/* Optional string member: absent or null -> NULL, other types -> error. */
static int opt_str(struct ctx *c, json_t *obj, const char *key,
		   const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(c, "'%s' is not a string", key);
	*out = json_string_value(v);
	return 0;
}

static bool has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool id_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > TG_OSV_MAX_ID_LEN)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* Array of id strings (aliases, related). */
static int id_array(struct ctx *c, json_t *obj, const char *key,
		    const char ***out, size_t *n)
{
	json_t *arr = json_object_get(obj, key), *v;
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return bad(c, "'%s' is not an array", key);
	if ((rc = count_items(c, json_array_size(arr), key)))
		return rc;
	if (json_array_size(arr) == 0)
		return 0;
	*out = calloc(json_array_size(arr), sizeof(**out));
	if (!*out)
		return tg_err_set(c->err, TG_ENOMEM, "out of memory");
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v) || !id_ok(json_string_value(v)))
			return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
					 "'%s[%zu]' is not a valid id", key, i);
		(*out)[(*n)++] = json_string_value(v);
	}
	return 0;
}

static int dump_obj(struct ctx *c, json_t *obj, const char *key, char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return bad(c, "'%s' is not an object", key);
	*out = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!*out)
		return tg_err_set(c->err, TG_ENOMEM, "out of memory");
	return 0;
}

static int parse_pairs(struct ctx *c, json_t *root, const char *key,
		       const char *ka, const char *kb, bool a_required,
		       struct tg_osv_pair **out, size_t *n)
{
	json_t *arr = json_object_get(root, key), *v;
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return bad(c, "'%s' is not an array", key);
	if ((rc = count_items(c, json_array_size(arr), key)))
		return rc;
	if (json_array_size(arr) == 0)
		return 0;
	*out = calloc(json_array_size(arr), sizeof(**out));
	if (!*out)
		return tg_err_set(c->err, TG_ENOMEM, "out of memory");
	json_array_foreach(arr, i, v) {
		const char *a, *b;
		if (!json_is_object(v))
			return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
					 "'%s[%zu]' is not an object", key, i);
		if ((rc = opt_str(c, v, ka, &a)) || (rc = opt_str(c, v, kb, &b)))
			return rc;
		if (!b || (a_required && !a))
			return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
					 "'%s[%zu]' lacks '%s'", key, i,
					 !b ? kb : ka);
		(*out)[*n].a = a;
		(*out)[*n].b = b;
		(*n)++;
	}
	return 0;
}

static int parse_range(struct ctx *c, json_t *jr, const char *where,
		       struct tg_osv_range *r)
{
	json_t *events, *ev;
	const char *type;
	size_t i;
	int rc;

	if (!json_is_object(jr))
		return bad(c, "%s is not an object", where);
	if ((rc = opt_str(c, jr, "type", &type)))
		return rc;
	if (!type)
		return bad(c, "%s has no 'type'", where);
	if (!tg_db_range_type_parse(type, &r->type))
		return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
				 "%s has unknown type '%.40s'", where, type);
	if ((rc = opt_str(c, jr, "repo", &r->repo)))
		return rc;
	events = json_object_get(jr, "events");
	if (!json_is_array(events) || json_array_size(events) == 0)
		return bad(c, "%s has no 'events' array", where);
	if ((rc = count_items(c, json_array_size(events), "events")))
		return rc;
	r->events = calloc(json_array_size(events), sizeof(*r->events));
	if (!r->events)
		return tg_err_set(c->err, TG_ENOMEM, "out of memory");
	json_array_foreach(events, i, ev) {
		const char *key;
		json_t *val;
		bool seen = false;

		if (!json_is_object(ev))
			return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
					 "%s event %zu is not an object", where, i);
		/* Exactly one known kind per event; other keys are ignored. */
		json_object_foreach(ev, key, val) {
			enum tg_db_event_kind k;
			if (!tg_db_event_kind_parse(key, &k))
				continue;
			if (seen || !json_is_string(val) ||
			    json_string_length(val) == 0)
				return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
						 "%s event %zu is malformed", where, i);
			r->events[r->n_events].kind = k;
			r->events[r->n_events].version = json_string_value(val);
			seen = true;
		}
		if (!seen)
			return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
					 "%s event %zu has no introduced, fixed, last_affected or limit",
					 where, i);
		r->n_events++;
	}
	return 0;
}

static int parse_affected(struct ctx *c, json_t *ja, size_t index,
			  struct tg_osv_record *rec)
{
	json_t *pkg, *ranges, *versions, *v;
	const char *eco_s, *name;
	struct tg_osv_affected *a;
	enum tg_ecosystem eco;
	char where[64];
	size_t i;
	int rc;

	if (!json_is_object(ja))
		return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
				 "affected[%zu] is not an object", index);
	pkg = json_object_get(ja, "package");
	if (!pkg || json_is_null(pkg)) {
		/* OSV allows affected entries without a package (pure GIT
		 * ranges): nothing to match by name. */
		rec->n_affected_other++;
		return 0;
	}
	if (!json_is_object(pkg))
		return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
				 "affected[%zu].package is not an object", index);
	if ((rc = opt_str(c, pkg, "ecosystem", &eco_s)) ||
	    (rc = opt_str(c, pkg, "name", &name)))
		return rc;
	if (!eco_s || !name || !*name)
		return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
				 "affected[%zu].package lacks ecosystem or name", index);
	/* Exact OSV spellings only: "PyPI", "npm". Suffixed ("Debian:12") and
	 * unknown ecosystems are not ours to match. */
	if (strcmp(eco_s, "PyPI") == 0)
		eco = TG_ECO_PYPI;
	else if (strcmp(eco_s, "npm") == 0)
		eco = TG_ECO_NPM;
	else {
		rec->n_affected_other++;
		return 0;
	}
	if (strlen(name) > 1024)
		return tg_err_at(c->err, TG_ELIMIT, c->origin, 0, 0,
				 "affected[%zu].package.name is longer than 1024 bytes", index);
	a = &rec->affected[rec->n_affected++];
	a->index = (unsigned)index;
	a->eco = eco;
	a->name = name;
	a->norm_name = tg_db_norm_name(eco, name);
	if (!a->norm_name)
		return tg_err_set(c->err, TG_ENOMEM, "out of memory");
	if ((rc = opt_str(c, pkg, "purl", &a->purl)))
		return rc;

	ranges = json_object_get(ja, "ranges");
	if (ranges && !json_is_null(ranges)) {
		if (!json_is_array(ranges))
			return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
					 "affected[%zu].ranges is not an array", index);
		if ((rc = count_items(c, json_array_size(ranges), "ranges")))
			return rc;
		if (json_array_size(ranges)) {
			a->ranges = calloc(json_array_size(ranges), sizeof(*a->ranges));
			if (!a->ranges)
				return tg_err_set(c->err, TG_ENOMEM, "out of memory");
		}
		json_array_foreach(ranges, i, v) {
			snprintf(where, sizeof(where), "affected[%zu].ranges[%zu]",
				 index, i);
			/* Counted first so that a failure frees its events. */
			a->n_ranges++;
			if ((rc = parse_range(c, v, where, &a->ranges[i])))
				return rc;
		}
	}
	versions = json_object_get(ja, "versions");
	if (versions && !json_is_null(versions)) {
		if (!json_is_array(versions))
			return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
					 "affected[%zu].versions is not an array", index);
		if ((rc = count_items(c, json_array_size(versions), "versions")))
			return rc;
		if (json_array_size(versions)) {
			a->versions = calloc(json_array_size(versions), sizeof(*a->versions));
			if (!a->versions)
				return tg_err_set(c->err, TG_ENOMEM, "out of memory");
		}
		json_array_foreach(versions, i, v) {
			/* Versions are stored newline-joined: no control
			 * characters, which no ecosystem allows anyway. */
			if (!json_is_string(v) || json_string_length(v) == 0 ||
			    has_ctl(json_string_value(v)))
				return tg_err_at(c->err, TG_EINVAL, c->origin, 0, 0,
						 "affected[%zu].versions[%zu] is not a version string",
						 index, i);
			a->versions[a->n_versions++] = json_string_value(v);
		}
	}
	if ((rc = dump_obj(c, ja, "database_specific", &a->database_specific)) ||
	    (rc = dump_obj(c, ja, "ecosystem_specific", &a->ecosystem_specific)))
		return rc;
	return 0;
}

void tg_osv_record_release(struct tg_osv_record *r)
{
	size_t i, j;

	if (!r)
		return;
	for (i = 0; i < r->n_affected; i++) {
		struct tg_osv_affected *a = &r->affected[i];
		for (j = 0; j < a->n_ranges; j++)
			free(a->ranges[j].events);
		free(a->ranges);
		free(a->versions);
		free(a->norm_name);
		free(a->database_specific);
		free(a->ecosystem_specific);
	}
	free(r->affected);
	free(r->aliases);
	free(r->related);
	free(r->severity);
	free(r->references);
	free(r->database_specific);
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

int tg_osv_parse(const char *data, size_t len, const char *origin,
		 struct tg_osv_record *out, struct tg_err *err)
{
	struct ctx c = { .origin = origin, .err = err };
	json_t *root, *affected, *v, *dbs;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > TG_OSV_MAX_JSON_BYTES)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0,
				 "advisory is %zu bytes, over the limit of %zu",
				 len, TG_OSV_MAX_JSON_BYTES);
	root = tg_json_load(data, len, origin, err);
	if (!root)
		return TG_EPARSE;
	out->root = root;
	if (!json_is_object(root)) {
		rc = tg_err_at(err, TG_EINVAL, origin, 0, 0,
			       "advisory is not a JSON object");
		goto fail;
	}
	if ((rc = opt_str(&c, root, "id", &out->id)))
		goto fail;
	if (!out->id || !id_ok(out->id)) {
		rc = tg_err_at(err, TG_EINVAL, origin, 0, 0,
			       "advisory has no valid 'id'");
		goto fail;
	}
	if ((rc = opt_str(&c, root, "modified", &out->modified)))
		goto fail;
	if (!out->modified) {
		rc = tg_err_at(err, TG_EINVAL, origin, 0, 0,
			       "advisory %s has no 'modified' time", out->id);
		goto fail;
	}
	if ((rc = opt_str(&c, root, "published", &out->published)) ||
	    (rc = opt_str(&c, root, "withdrawn", &out->withdrawn)) ||
	    (rc = opt_str(&c, root, "summary", &out->summary)) ||
	    (rc = opt_str(&c, root, "details", &out->details)) ||
	    (rc = id_array(&c, root, "aliases", &out->aliases, &out->n_aliases)) ||
	    (rc = id_array(&c, root, "related", &out->related, &out->n_related)) ||
	    (rc = parse_pairs(&c, root, "severity", "type", "score", true,
			      &out->severity, &out->n_severity)) ||
	    (rc = parse_pairs(&c, root, "references", "type", "url", false,
			      &out->references, &out->n_references)) ||
	    (rc = dump_obj(&c, root, "database_specific", &out->database_specific)))
		goto fail;
	out->malicious = strncmp(out->id, "MAL-", 4) == 0;
	dbs = json_object_get(root, "database_specific");
	if (json_is_object(dbs)) {
		v = json_object_get(dbs, "severity");
		if (json_is_string(v))
			out->db_severity = json_string_value(v);
	}

	affected = json_object_get(root, "affected");
	if (affected && !json_is_null(affected)) {
		if (!json_is_array(affected)) {
			rc = tg_err_at(err, TG_EINVAL, origin, 0, 0,
				       "'affected' is not an array");
			goto fail;
		}
		if ((rc = count_items(&c, json_array_size(affected), "affected")))
			goto fail;
		if (json_array_size(affected)) {
			out->affected = calloc(json_array_size(affected),
					       sizeof(*out->affected));
			if (!out->affected) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto fail;
			}
		}
		json_array_foreach(affected, i, v) {
			if ((rc = parse_affected(&c, v, i, out)))
				goto fail;
		}
	}
	return 0;
fail:
	tg_osv_record_release(out);
	return rc;
}

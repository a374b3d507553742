/* PEP 740 attestations and PyPI provenance objects on top of the Sigstore
 * bundle verifier. */
#include <stdlib.h>
#include <string.h>

#include "tollgate/json.h"
#include "tollgate/pep503.h"
#include "tollgate/str.h"
#include "tollgate/verify_attest.h"
#include "core/b64.h"

#define MAX_TAGS 256

void tg_attest_result_init(struct tg_attest_result *r)
{
	memset(r, 0, sizeof(*r));
	tg_sigstore_result_init(&r->sig);
}

void tg_attest_result_release(struct tg_attest_result *r)
{
	tg_sigstore_result_release(&r->sig);
	free(r->subject_name);
	free(r->predicate_type);
	free(r->slsa_builder_id);
	free(r->slsa_source_repo);
	free(r->slsa_source_ref);
	free(r->slsa_source_digest);
	free(r->slsa_config_path);
	free(r->publisher_kind);
	free(r->publisher_repository);
	free(r->publisher_workflow);
	free(r->publisher_environment);
	memset(r, 0, sizeof(*r));
}

/* ---- distribution file names ---- */

struct dist_name {
	char name[256];
	char version[128];
	char build[64];
	char ext[8];     /* "whl", "tar.gz", "zip" */
	char *tags[MAX_TAGS];
	size_t n_tags;
};

static void dist_name_free(struct dist_name *d)
{
	size_t i;

	for (i = 0; i < d->n_tags; i++)
		free(d->tags[i]);
	d->n_tags = 0;
}

static int cmp_tag(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split s on sep into at most max parts (pointers into a copy in buf). */
static size_t split(char *buf, char sep, char **parts, size_t max)
{
	size_t n = 0;
	char *p = buf;

	while (n < max) {
		char *q = strchr(p, sep);

		parts[n++] = p;
		if (!q)
			return n;
		*q = '\0';
		p = q + 1;
	}
	return max + 1; /* too many */
}

static bool lower_copy(char *dst, size_t dstsz, const char *src)
{
	size_t i, n = strlen(src);

	if (n == 0 || n >= dstsz)
		return false;
	for (i = 0; i <= n; i++)
		dst[i] = tg_ascii_lower(src[i]);
	return true;
}

static bool parse_dist_name(const char *fn, struct dist_name *d)
{
	char buf[512], *parts[8];
	size_t n, len = strlen(fn);

	memset(d, 0, sizeof(*d));
	if (len >= sizeof(buf) || strchr(fn, '/'))
		return false;
	memcpy(buf, fn, len + 1);
	if (tg_str_ends_with(buf, ".whl")) {
		char *py[16], *abi[16], *plat[16];
		size_t npy, nabi, nplat, i, j, k;

		buf[len - 4] = '\0';
		n = split(buf, '-', parts, 6);
		if (n != 5 && n != 6)
			return false;
		tg_strlcpy(d->ext, "whl", sizeof(d->ext));
		if (n == 6 && !lower_copy(d->build, sizeof(d->build), parts[2]))
			return false;
		npy = split(parts[n - 3], '.', py, 16);
		nabi = split(parts[n - 2], '.', abi, 16);
		nplat = split(parts[n - 1], '.', plat, 16);
		if (npy > 16 || nabi > 16 || nplat > 16)
			return false;
		for (i = 0; i < npy; i++)
			for (j = 0; j < nabi; j++)
				for (k = 0; k < nplat; k++) {
					if (d->n_tags >= MAX_TAGS)
						return false;
					if (!(d->tags[d->n_tags] = tg_asprintf("%s-%s-%s", py[i], abi[j],
										  plat[k])))
						return false;
					d->n_tags++;
				}
		qsort(d->tags, d->n_tags, sizeof(char *), cmp_tag);
	} else {
		char *dash;

		if (tg_str_ends_with(buf, ".tar.gz")) {
			buf[len - 7] = '\0';
			tg_strlcpy(d->ext, "tar.gz", sizeof(d->ext));
		} else if (tg_str_ends_with(buf, ".zip")) {
			buf[len - 4] = '\0';
			tg_strlcpy(d->ext, "zip", sizeof(d->ext));
		} else {
			return false;
		}
		dash = strrchr(buf, '-');
		if (!dash)
			return false;
		*dash = '\0';
		parts[0] = buf;
		parts[1] = dash + 1;
	}
	if (strlen(parts[0]) >= sizeof(d->name) || !*parts[0])
		return false;
	tg_pep503_normalize(parts[0], strlen(parts[0]), d->name);
	return lower_copy(d->version, sizeof(d->version), parts[1]);
}

bool tg_dist_names_equal(const char *a, const char *b)
{
	struct dist_name da, db;
	bool eq = false;
	size_t i, j;

	if (strcmp(a, b) == 0)
		return true;
	if (!parse_dist_name(a, &da)) {
		dist_name_free(&da);
		return false;
	}
	if (!parse_dist_name(b, &db)) {
		dist_name_free(&da);
		dist_name_free(&db);
		return false;
	}
	if (strcmp(da.name, db.name) || strcmp(da.version, db.version) ||
	    strcmp(da.build, db.build) || strcmp(da.ext, db.ext))
		goto out;
	/* Tag sets compare as sets (duplicates collapse). */
	for (i = 0, j = 0;;) {
		while (i + 1 < da.n_tags && strcmp(da.tags[i], da.tags[i + 1]) == 0)
			i++;
		while (j + 1 < db.n_tags && strcmp(db.tags[j], db.tags[j + 1]) == 0)
			j++;
		if (i >= da.n_tags || j >= db.n_tags) {
			eq = i >= da.n_tags && j >= db.n_tags;
			break;
		}
		if (strcmp(da.tags[i], db.tags[j]) != 0)
			break;
		i++;
		j++;
	}
out:
	dist_name_free(&da);
	dist_name_free(&db);
	return eq;
}

/* ---- statement facts ---- */

static char *dup_or_null(const char *s)
{
	return s ? tg_strdup(s) : NULL;
}

static void slsa_facts(const json_t *st, struct tg_attest_result *res)
{
	const json_t *pred = tg_json_obj(st, "predicate");
	const char *pt = res->predicate_type;

	if (!pt || !pred)
		return;
	if (strcmp(pt, "https://slsa.dev/provenance/v1") == 0) {
		const json_t *bd = tg_json_obj(pred, "buildDefinition");
		const json_t *wf = tg_json_obj(tg_json_obj(bd, "externalParameters"), "workflow");
		const json_t *deps = tg_json_arr(bd, "resolvedDependencies");
		const json_t *dg = tg_json_obj(json_array_get(deps, 0), "digest");

		res->slsa_builder_id =
			dup_or_null(tg_json_str(tg_json_obj(tg_json_obj(pred, "runDetails"), "builder"),
						"id"));
		res->slsa_source_repo = dup_or_null(tg_json_str(wf, "repository"));
		res->slsa_source_ref = dup_or_null(tg_json_str(wf, "ref"));
		res->slsa_config_path = dup_or_null(tg_json_str(wf, "path"));
		if (tg_json_str(dg, "gitCommit"))
			res->slsa_source_digest = tg_asprintf("gitCommit:%s", tg_json_str(dg, "gitCommit"));
		else if (tg_json_str(dg, "sha1"))
			res->slsa_source_digest = tg_asprintf("sha1:%s", tg_json_str(dg, "sha1"));
	} else if (strcmp(pt, "https://slsa.dev/provenance/v0.2") == 0) {
		const json_t *cs = tg_json_obj(tg_json_obj(pred, "invocation"), "configSource");
		const json_t *dg = tg_json_obj(cs, "digest");

		res->slsa_builder_id = dup_or_null(tg_json_str(tg_json_obj(pred, "builder"), "id"));
		res->slsa_source_repo = dup_or_null(tg_json_str(cs, "uri"));
		res->slsa_config_path = dup_or_null(tg_json_str(cs, "entryPoint"));
		if (tg_json_str(dg, "sha1"))
			res->slsa_source_digest = tg_asprintf("sha1:%s", tg_json_str(dg, "sha1"));
	}
}

static int check_subject(const struct tg_attest_result *res_in, const struct tg_dist_ref *dist,
			 struct tg_attest_result *res, struct tg_err *err)
{
	json_t *st;
	const json_t *subj, *s0;
	const char *name, *dg;
	char hex[65];
	int rc = 0;

	st = tg_json_load((const char *)res_in->sig.payload, res_in->sig.payload_len, "statement",
			  err);
	if (!st)
		return tg_err_set(err, TG_EVERIFY, "attestation statement: not JSON");
	subj = tg_json_arr(st, "subject");
	if (json_array_size(subj) != 1) {
		rc = tg_err_set(err, TG_EVERIFY,
				"attestation statement: needs exactly one subject, has %zu",
				json_array_size(subj));
		goto out;
	}
	s0 = json_array_get(subj, 0);
	name = tg_json_str(s0, "name");
	dg = tg_json_str(tg_json_obj(s0, "digest"), "sha256");
	tg_hex_encode(dist->sha256, 32, hex);
	if (!dg || tg_ascii_casecmp(dg, hex) != 0) {
		rc = tg_err_set(err, TG_EVERIFY,
				"attestation subject: sha256 %s is not the distribution's %s",
				dg ? dg : "(none)", hex);
		goto out;
	}
	if (!name || !tg_dist_names_equal(name, dist->filename)) {
		rc = tg_err_set(err, TG_EVERIFY,
				"attestation subject: name %s does not name the distribution %s",
				name ? name : "(none)", dist->filename);
		goto out;
	}
	res->subject_name = tg_strdup(name);
	res->predicate_type = dup_or_null(tg_json_str(st, "predicateType"));
	slsa_facts(st, res);
out:
	json_decref(st);
	return rc;
}

int tg_attestation_verify_json(const struct tg_sigstore_root *root, const json_t *att,
			       const char *origin, const struct tg_dist_ref *dist,
			       const struct tg_sigstore_policy *pol,
			       struct tg_attest_result *res, struct tg_err *err)
{
	const json_t *vm = tg_json_obj(att, "verification_material");
	const json_t *env = tg_json_obj(att, "envelope");
	const json_t *entries = tg_json_arr(vm, "transparency_entries");
	const json_t *ver = json_object_get(att, "version");
	struct tg_sigstore_artifact art;
	json_t *bundle;
	int rc;

	if (!json_is_integer(ver) || json_integer_value(ver) != 1)
		return tg_err_at(err, TG_EPARSE, origin, 0, 0, "attestation: version is not 1");
	if (!tg_json_str(vm, "certificate") || !entries || !tg_json_str(env, "statement") ||
	    !tg_json_str(env, "signature"))
		return tg_err_at(err, TG_EPARSE, origin, 0, 0,
				 "attestation: needs verification_material.certificate, "
				 "transparency_entries, envelope.statement and envelope.signature");
	/* The same material as a v0.3 Sigstore bundle with a DSSE envelope. */
	bundle = json_pack("{s:s, s:{s:{s:s}, s:O}, s:{s:s, s:s, s:[{s:s}]}}",
			   "mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json",
			   "verificationMaterial", "certificate", "rawBytes",
			   tg_json_str(vm, "certificate"), "tlogEntries", entries,
			   "dsseEnvelope", "payload", tg_json_str(env, "statement"), "payloadType",
			   "application/vnd.in-toto+json", "signatures", "sig",
			   tg_json_str(env, "signature"));
	if (!bundle)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	memset(&art, 0, sizeof(art));
	memcpy(art.sha256, dist->sha256, 32);
	rc = tg_sigstore_verify_json(root, bundle, origin, &art, pol, &res->sig, err);
	json_decref(bundle);
	if (rc)
		return rc;
	rc = check_subject(res, dist, res, err);
	if (rc)
		tg_err_locate(err, origin, 0, 0);
	return rc;
}

int tg_attestation_verify(const struct tg_sigstore_root *root, const char *data,
			  size_t len, const char *origin, const struct tg_dist_ref *dist,
			  const struct tg_sigstore_policy *pol,
			  struct tg_attest_result *res, struct tg_err *err)
{
	json_t *j;
	int rc;

	if (len > TG_ATTEST_MAX_BYTES)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0, "attestation over %zu bytes",
				 TG_ATTEST_MAX_BYTES);
	if (!(j = tg_json_load(data, len, origin, err)))
		return TG_EPARSE;
	rc = tg_attestation_verify_json(root, j, origin, dist, pol, res, err);
	json_decref(j);
	return rc;
}

/* ---- provenance ---- */

static char *cert_repository(const struct tg_sigstore_result *s)
{
	const char *uri = s->source_repo_uri;
	const char *p;

	if (!uri || !(p = strstr(uri, "://")) || !(p = strchr(p + 3, '/')))
		return s->gh_repository ? tg_strdup(s->gh_repository) : NULL;
	return tg_strdup(p + 1);
}

static int check_publisher(const json_t *pub, struct tg_attest_result *r, struct tg_err *err)
{
	const char *kind = tg_json_str(pub, "kind");
	const char *repo = tg_json_str(pub, "repository");
	const char *wf = tg_json_str(pub, "workflow");
	const char *wfp = tg_json_str(pub, "workflow_filepath");
	const char *envname = tg_json_str(pub, "environment");
	const char *want_wf;
	char *crepo = cert_repository(&r->sig);
	const char *cfg = r->sig.build_config_uri;
	const char *at, *path;
	int rc = 0;

	r->publisher_kind = dup_or_null(kind);
	r->publisher_repository = dup_or_null(repo);
	r->publisher_workflow = dup_or_null(wf ? wf : wfp);
	r->publisher_environment = dup_or_null(envname);
	if (!kind || (strcmp(kind, "GitHub") && strcmp(kind, "GitLab"))) {
		rc = tg_err_set(err, TG_EVERIFY,
				"provenance publisher: kind %s cannot be checked against the "
				"certificate", kind ? kind : "(none)");
		goto out;
	}
	if (!repo || !crepo || tg_ascii_casecmp(repo, crepo) != 0) {
		rc = tg_err_set(err, TG_EVERIFY,
				"provenance publisher: repository %s disagrees with the "
				"certificate's %s", repo ? repo : "(none)", crepo ? crepo : "(none)");
		goto out;
	}
	want_wf = strcmp(kind, "GitHub") == 0 ? wf : wfp;
	/* Build Config URI: https://host/<repo>/<path>@<ref> */
	path = cfg ? strstr(cfg, repo) : NULL;
	if (path) {
		path += strlen(repo);
		while (*path == '/')
			path++;
	}
	at = path ? strchr(path, '@') : NULL;
	if (!want_wf || !path || !at) {
		rc = tg_err_set(err, TG_EVERIFY,
				"provenance publisher: no workflow to compare with the certificate");
		goto out;
	}
	{
		size_t plen = (size_t)(at - path);
		const char *base = path;
		const char *sl;

		if (strcmp(kind, "GitHub") == 0) {
			/* GitHub publishers name the file in .github/workflows/. */
			for (sl = path; sl < at; sl++)
				if (*sl == '/')
					base = sl + 1;
			plen = (size_t)(at - base);
		}
		if (strlen(want_wf) != plen || strncmp(base, want_wf, plen) != 0) {
			rc = tg_err_set(err, TG_EVERIFY,
					"provenance publisher: workflow %s disagrees with the "
					"certificate's Build Config URI %s", want_wf, cfg);
			goto out;
		}
	}
out:
	free(crepo);
	return rc;
}

int tg_provenance_verify(const struct tg_sigstore_root *root, const char *data,
			 size_t len, const char *origin, const struct tg_dist_ref *dist,
			 const struct tg_sigstore_policy *pol,
			 struct tg_attest_result **out, size_t *n, struct tg_err *err)
{
	json_t *j, *bundles, *bdl;
	size_t i, k, total = 0;
	struct tg_attest_result *res = NULL;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (len > TG_ATTEST_MAX_BYTES)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0, "provenance over %zu bytes",
				 TG_ATTEST_MAX_BYTES);
	if (!(j = tg_json_load(data, len, origin, err)))
		return TG_EPARSE;
	bundles = tg_json_arr(j, "attestation_bundles");
	if (!json_is_integer(json_object_get(j, "version")) ||
	    json_integer_value(json_object_get(j, "version")) != 1 || !bundles ||
	    json_array_size(bundles) == 0) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0,
			       "provenance: needs version 1 and attestation_bundles");
		goto out;
	}
	json_array_foreach(bundles, i, bdl)
		total += json_array_size(tg_json_arr(bdl, "attestations"));
	if (total == 0 || total > TG_ATTEST_MAX_ATTESTATIONS) {
		rc = tg_err_at(err, TG_EPARSE, origin, 0, 0,
			       "provenance: %zu attestations (1 to %d accepted)", total,
			       TG_ATTEST_MAX_ATTESTATIONS);
		goto out;
	}
	res = calloc(total, sizeof(*res));
	if (!res) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(bundles, i, bdl) {
		const json_t *pub = tg_json_obj(bdl, "publisher");
		json_t *att;

		json_array_foreach(tg_json_arr(bdl, "attestations"), k, att) {
			struct tg_attest_result *r = &res[*n];

			tg_attest_result_init(r);
			(*n)++;
			if ((rc = tg_attestation_verify_json(root, att, origin, dist, pol, r, err)))
				goto out;
			if (!pub) {
				rc = tg_err_at(err, TG_EVERIFY, origin, 0, 0,
					       "provenance publisher: missing");
				goto out;
			}
			if ((rc = check_publisher(pub, r, err))) {
				tg_err_locate(err, origin, 0, 0);
				goto out;
			}
		}
	}
out:
	json_decref(j);
	if (rc) {
		for (i = 0; i < *n; i++)
			tg_attest_result_release(&res[i]);
		free(res);
		*n = 0;
		return rc;
	}
	*out = res;
	return 0;
}

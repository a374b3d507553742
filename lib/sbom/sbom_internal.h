/* Shared by the SBOM writers (not a public header). */
#ifndef TOLLGATE_SBOM_INTERNAL_H
#define TOLLGATE_SBOM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/package.h"
#include "tollgate/sbom.h"

/* The SPDX license list, sorted ASCII case-insensitively (spdx_ids.c). */
extern const char *const sbom_spdx_licenses[];
extern const size_t sbom_spdx_licenses_count;
extern const char *const sbom_spdx_exceptions[];
extern const size_t sbom_spdx_exceptions_count;
/* "3.28": the list version, for SPDX creationInfo.licenseListVersion. */
extern const char sbom_spdx_list_version[];

/* JSON helpers of both writers (sbom_json.c). */
struct json_t;
/* A JSON string of s with invalid UTF-8 bytes replaced by '?' (jansson
 * refuses them); NULL only on ENOMEM. */
struct json_t *sbom_jstr(const char *s);
/* Set key / append v, which may be NULL on ENOMEM: *ok goes false then. */
void sbom_put(struct json_t *o, const char *key, struct json_t *v, bool *ok);
void sbom_append(struct json_t *a, struct json_t *v, bool *ok);
/* The format's name for one of our lowercase hash algorithm names, NULL
 * when the format has none. */
const char *sbom_hash_alg(const char *alg, enum tg_sbom_format fmt);

/* One component: every package of the inputs with the same package URL. */
struct sbom_comp {
	char *purl;
	const struct tg_package *pkg;  /* the first package seen */
	size_t inv;                    /* its inventory */
	struct tg_hash_pin *hashes;    /* union over the merged packages, sorted */
	size_t n_hashes;
	size_t *deps;                  /* indexes of components it depends on */
	size_t n_deps;
	bool has_deps_info;            /* its input records dependencies */
	bool direct;                   /* some merged package is direct */
	bool root;                     /* what the document describes: direct,
					  or (no input says) nothing depends on it */
	char *id;                      /* SPDXRef-Package-N / bom-ref */
};

struct sbom_model {
	struct sbom_comp *comps;       /* sorted by purl */
	size_t n;
	char *subject;                 /* what the document describes */
	char *timestamp;
	char *tool_version;
	bool reproducible;
};

/* Collect, merge, sort and link the packages of invs. */
int sbom_model_build(const struct tg_inventory *invs, size_t n,
		     const struct tg_sbom_opts *opts, struct sbom_model *m,
		     struct tg_err *err);
void sbom_model_release(struct sbom_model *m);

/* The document's UUID text (36 chars + NUL): random, or for a
 * reproducible model name-based on seed, what the document describes, so
 * that equal inputs give equal documents. Takes seed (NULL: TG_ENOMEM). */
int sbom_doc_uuid(const struct sbom_model *m, struct json_t *seed, char out[37],
		  struct tg_err *err);

/* First line of s, at most max bytes (cut on a UTF-8 boundary); heap. */
char *sbom_first_line(const char *s, size_t max);

int sbom_write_cyclonedx(const struct sbom_model *m, struct tg_buf *out,
			 struct tg_err *err);
int sbom_write_spdx(const struct sbom_model *m, struct tg_buf *out,
		    struct tg_err *err);

#endif

/* libFuzzer target: vet's name checks (normalisation, look-alike
 * skeletons, deletion neighbourhoods, weighted distance and its
 * explanation, affix splitting). The first byte picks PyPI or npm; the rest
 * is the name. The index holds a fixed set of real popular names so that
 * the resemblance paths run, not only "unknown". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/err.h"
#include "tollgate/vet.h"
#include "tollgate/vet_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const pypi_names[] = {
	"boto3", "urllib3", "botocore", "requests", "setuptools", "certifi",
	"idna", "charset-normalizer", "python-dateutil", "typing-extensions",
	"packaging", "numpy", "pyyaml", "six", "colorama", "jellyfish", "django",
	"flask", "pandas", "cryptography", "bcrypt", "fabric", "pykafka",
	"acquisition", "crytic-compile", "discord-py", "google-cloud-storage",
	NULL
};
static const char *const npm_names[] = {
	"semver", "debug", "chalk", "lodash", "react", "@babel/core", "@types/node",
	"cross-env", "jquery", "mongoose", "node-sass", "dayjs", "express", NULL
};

static struct tg_vet_names *idx[2];

static struct tg_vet_names *build(enum tg_ecosystem eco, const char *const *names)
{
	struct tg_vet_names *n = NULL;
	struct tg_err err;
	size_t i;

	if (tg_vet_names_new(eco, NULL, &n, &err))
		return NULL;
	for (i = 0; names[i]; i++)
		tg_vet_names_add(n, names[i], "1.0.0", "2026-01",
				 eco == TG_ECO_PYPI ? (int64_t)i + 1 : -1,
				 eco == TG_ECO_NPM ? (int64_t)(100000000 - i) : -1, &err);
	tg_vet_names_add(n, "some-new-thing", "0.1.0", "2026-11", -1, 3, &err);
	tg_vet_names_add(n, "lodahs", "0.0.1-security", "2020-01", -1, 300, &err);
	if (tg_vet_names_build(n, &err)) {
		tg_vet_names_free(n);
		return NULL;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_vet_result r;
	struct tg_err err;
	char *name;
	int which;

	if (!idx[0]) {
		idx[0] = build(TG_ECO_PYPI, pypi_names);
		idx[1] = build(TG_ECO_NPM, npm_names);
	}
	if (size < 1 || !idx[0] || !idx[1])
		return 0;
	which = data[0] & 1;
	name = malloc(size);
	if (!name)
		return 0;
	memcpy(name, data + 1, size - 1);
	name[size - 1] = '\0';
	tg_vet_result_init(&r);
	(void)tg_vet_names_check(idx[which], name, 1795564800, &r, &err);
	tg_vet_result_release(&r);
	free(name);
	return 0;
}

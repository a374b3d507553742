/* libFuzzer target: PEP 740 attestations and PyPI provenance objects. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/err.h"
#include "tollgate/str.h"
#include "tollgate/verify_attest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tg_sigstore_root *root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_dist_ref dist;
	struct tg_sigstore_policy pol = { 0 };
	struct tg_attest_result res, *many = NULL;
	struct tg_err err;
	size_t n = 0, i;

	if (!root && tg_sigstore_root_load_file(NULL, &root, &err) != 0)
		abort();
	memset(&dist, 0, sizeof(dist));
	dist.filename = "pypi_attestations-0.0.19.tar.gz";
	tg_hex_decode("9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3", 64,
		      dist.sha256, 32);
	pol.repository = "trailofbits/pypi-attestations";
	pol.workflow = "release.yml";
	pol.now = 1767225600;
	tg_attest_result_init(&res);
	(void)tg_attestation_verify(root, (const char *)data, size, "fuzz", &dist, &pol, &res, &err);
	tg_attest_result_release(&res);
	if (tg_provenance_verify(root, (const char *)data, size, "fuzz", &dist, &pol, &many, &n,
				 &err) == 0) {
		for (i = 0; i < n; i++)
			tg_attest_result_release(&many[i]);
		free(many);
	}
	/* Distribution-name comparison takes attacker-chosen names too. */
	if (size < 400) {
		char name[401];

		memcpy(name, data, size);
		name[size] = '\0';
		(void)tg_dist_names_equal(name, "spt3g-1.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
	}
	return 0;
}

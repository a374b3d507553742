/* libFuzzer target: Sigstore bundle parsing and verification against the
 * shipped production trust root (certificates, DSSE, in-toto statements,
 * checkpoints, timestamps all pass through here). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tollgate/err.h"
#include "tollgate/sigstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tg_sigstore_root *root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_sigstore_artifact art = { { 0 }, NULL, 0 };
	struct tg_sigstore_policy pol = { 0 };
	struct tg_sigstore_result res;
	struct tg_err err;

	if (!root && tg_sigstore_root_load_file(NULL, &root, &err) != 0)
		abort(); /* the shipped root must load */
	/* sha256 of the conformance suite's a.txt */
	tg_sigstore_parse_digest(
		"sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf",
		art.sha256);
	pol.identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
		       ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
	pol.issuer = "https://token.actions.githubusercontent.com";
	pol.now = 1767225600; /* fixed: runs must not depend on the clock */
	tg_sigstore_result_init(&res);
	(void)tg_sigstore_verify(root, (const char *)data, size, "fuzz", &art, &pol, &res, &err);
	tg_sigstore_result_release(&res);
	/* Trust roots are parsed from the same bytes too. */
	{
		struct tg_sigstore_root *r = NULL;

		if (tg_sigstore_root_load((const char *)data, size, "fuzz", &r, &err) == 0)
			tg_sigstore_root_free(r);
	}
	return 0;
}

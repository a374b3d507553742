/* libFuzzer target: the CycloneDX and SPDX parsers and purl parsing (see
 * fuzz_input_common.h). Every input goes through both SBOM parsers; the
 * first line is also parsed as a purl. */
#include "fuzz_input_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_purl p;
	struct tg_err err;
	char line[512];
	size_t n = 0;

	fz_parse("cyclonedx", data, size, "bom.cdx.json");
	fz_parse("spdx", data, size, "bom.spdx.json");
	while (n < size && n < sizeof(line) - 1 && data[n] != '\n' && data[n] != '\0') {
		line[n] = (char)data[n];
		n++;
	}
	line[n] = '\0';
	if (tg_purl_parse(line, &p, &err) == 0) {
		fz_check(p.type && p.name && *p.type);
		tg_purl_release(&p);
	}
	return 0;
}

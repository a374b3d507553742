/* libFuzzer target: the pylock input parser (see fuzz_input_common.h). */
#include "fuzz_input_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_parse("pylock", data, size, "pylock.toml");
}

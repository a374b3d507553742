/* libFuzzer target: RECORD (CSV) parsing. */
#include <stddef.h>
#include <stdint.h>

#include "tollgate/err.h"
#include "tollgate/verify_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_record r;
	struct tg_err err;

	tg_record_init(&r);
	(void)tg_record_parse((const char *)data, size, "RECORD", &r, &err);
	tg_record_release(&r);
	return 0;
}

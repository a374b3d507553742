/* Checked size arithmetic: every size computed from outside input goes
 * through these so that an overflow is an error, not a short allocation. */
#ifndef TOLLGATE_SIZE_H
#define TOLLGATE_SIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Return true and store a+b (a*b) in *out, or false on overflow. */
static inline bool tg_size_add(size_t a, size_t b, size_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

static inline bool tg_size_mul(size_t a, size_t b, size_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

#endif

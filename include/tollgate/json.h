/* jansson helpers: loading with caps and located errors. */
#ifndef TOLLGATE_JSON_H
#define TOLLGATE_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "tollgate/err.h"

/* Parse data[0..len) as one JSON document. Rejects NUL bytes, duplicate
 * keys are an error. On error returns NULL and
 * sets err at origin:line:column with jansson's message. The caller owns
 * the result (json_decref). */
json_t *tg_json_load(const char *data, size_t len, const char *origin,
		     struct tg_err *err);

/* Typed getters that return NULL / fallback when absent or mistyped. */
const char *tg_json_str(const json_t *obj, const char *key);
json_t *tg_json_arr(const json_t *obj, const char *key);
json_t *tg_json_obj(const json_t *obj, const char *key);

#endif

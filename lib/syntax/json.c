#include "tollgate/json.h"

json_t *tg_json_load(const char *data, size_t len, const char *origin,
		     struct tg_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);

	if (!root) {
		tg_err_at(err, TG_EPARSE, origin,
			  jerr.line > 0 ? (unsigned long)jerr.line : 0,
			  jerr.column > 0 ? (unsigned long)jerr.column : 0,
			  "invalid JSON: %s", jerr.text);
	}
	return root;
}

const char *tg_json_str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *tg_json_arr(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_array(v) ? v : NULL;
}

json_t *tg_json_obj(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_object(v) ? v : NULL;
}

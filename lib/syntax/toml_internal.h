/* Private layout of TOML documents, shared by the parser (toml_parse.c)
 * and the document/accessor code (toml_doc.c). */
#ifndef TOLLGATE_TOML_INTERNAL_H
#define TOLLGATE_TOML_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tollgate/toml.h"

/* How a table came to exist; decides what may later add to it. */
enum tg_toml_table_kind {
	TG_TBL_ROOT,
	TG_TBL_IMPLICIT, /* parent on a [header] path; one [header] may define it */
	TG_TBL_HEADER,   /* opened by [header] or [[header]] */
	TG_TBL_DOTTED,   /* created by a dotted key; only more dotted keys of
			  * the same table section may extend it */
	TG_TBL_INLINE    /* { ... }: closed once written */
};

enum tg_toml_array_kind {
	TG_ARR_STATIC, /* [ ... ] value: closed once written */
	TG_ARR_TABLES  /* built by [[header]] elements */
};

struct tg_toml_kv {
	char *key;
	size_t key_len;
	struct tg_toml_value *value;
	unsigned long line, col;
};

struct tg_toml_value {
	uint8_t type; /* enum tg_toml_type */
	uint8_t kind; /* table or array kind */
	uint16_t depth;
	unsigned long line, col;
	union {
		struct {
			char *s;
			size_t len;
		} str;
		int64_t i;
		double f;
		bool b;
		struct tg_toml_datetime dt;
		struct {
			struct tg_toml_kv *kv;
			size_t n, cap;
			uint32_t *slots; /* open addressing: index+1, 0 = free */
			size_t nslots;   /* 0 until the table is large */
			uint64_t seed;
		} tab;
		struct {
			struct tg_toml_value **items;
			size_t n, cap;
		} arr;
	} u;
};

struct tg_toml_chunk;

struct tg_toml {
	struct tg_toml_chunk *chunks;
	struct tg_toml_value *root;
	char *origin;
	/* Tables and arrays own malloc'd vectors; keeping them in one list lets
	 * tg_toml_free release everything without recursing. */
	struct tg_toml_value **containers;
	size_t ncontainers, capcontainers;
	uint64_t seed;
};

/* Allocate n zeroed bytes owned by the document; NULL on ENOMEM. */
void *tg_toml_alloc(struct tg_toml *doc, size_t n);
/* New value of the given type, registered with the document. */
struct tg_toml_value *tg_toml_new_value(struct tg_toml *doc,
					enum tg_toml_type type,
					unsigned long line, unsigned long col);
/* Index of key in table t, or -1. */
long tg_toml_find(const struct tg_toml_value *t, const char *key,
		  size_t key_len);
/* Append key (copied) -> value to table t; the caller checked that the
 * key is absent. 0 or TG_ENOMEM. */
int tg_toml_table_add(struct tg_toml *doc, struct tg_toml_value *t,
		      const char *key, size_t key_len,
		      struct tg_toml_value *value, unsigned long line,
		      unsigned long col);
int tg_toml_array_add(struct tg_toml_value *a, struct tg_toml_value *item);

struct tg_toml *tg_toml_doc_new(const char *origin);

#endif

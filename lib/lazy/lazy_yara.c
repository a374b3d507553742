/* libyara, loaded on first use (see lazy.h). */
#include "lazy/lazy.h"

#if TG_LAZY_LOAD
#include <stdio.h>
#include <yara.h>

#define YARA_FUNCS(X, V, D)                                                    \
	X(int, yr_initialize, (void), (), ERROR_INTERNAL_FATAL_ERROR)          \
	X(int, yr_finalize, (void), (), ERROR_INTERNAL_FATAL_ERROR)            \
	X(int, yr_compiler_create, (YR_COMPILER * *compiler), (compiler),      \
	  ERROR_INTERNAL_FATAL_ERROR)                                          \
	V(yr_compiler_destroy, (YR_COMPILER * compiler), (compiler))           \
	V(yr_compiler_set_callback,                                            \
	  (YR_COMPILER * compiler, YR_COMPILER_CALLBACK_FUNC callback, void *user_data), \
	  (compiler, callback, user_data))                                     \
	X(int, yr_compiler_add_file,                                           \
	  (YR_COMPILER * compiler, FILE * rules_file, const char *namespace_,  \
	   const char *file_name),                                             \
	  (compiler, rules_file, namespace_, file_name), 1)                    \
	X(int, yr_compiler_add_string,                                         \
	  (YR_COMPILER * compiler, const char *rules_string, const char *namespace_), \
	  (compiler, rules_string, namespace_), 1)                             \
	X(int, yr_compiler_define_boolean_variable,                            \
	  (YR_COMPILER * compiler, const char *identifier, int value),         \
	  (compiler, identifier, value), ERROR_INTERNAL_FATAL_ERROR)           \
	X(int, yr_compiler_define_string_variable,                             \
	  (YR_COMPILER * compiler, const char *identifier, const char *value), \
	  (compiler, identifier, value), ERROR_INTERNAL_FATAL_ERROR)           \
	X(int, yr_compiler_get_rules, (YR_COMPILER * compiler, YR_RULES * *rules), \
	  (compiler, rules), ERROR_INTERNAL_FATAL_ERROR)                       \
	X(int, yr_rules_destroy, (YR_RULES * rules), (rules), ERROR_INTERNAL_FATAL_ERROR) \
	X(int, yr_scanner_create, (YR_RULES * rules, YR_SCANNER * *scanner),   \
	  (rules, scanner), ERROR_INTERNAL_FATAL_ERROR)                        \
	V(yr_scanner_destroy, (YR_SCANNER * scanner), (scanner))               \
	V(yr_scanner_set_callback,                                             \
	  (YR_SCANNER * scanner, YR_CALLBACK_FUNC callback, void *user_data),  \
	  (scanner, callback, user_data))                                      \
	V(yr_scanner_set_timeout, (YR_SCANNER * scanner, int timeout), (scanner, timeout)) \
	X(int, yr_scanner_define_boolean_variable,                             \
	  (YR_SCANNER * scanner, const char *identifier, int value),           \
	  (scanner, identifier, value), ERROR_INTERNAL_FATAL_ERROR)            \
	X(int, yr_scanner_define_string_variable,                              \
	  (YR_SCANNER * scanner, const char *identifier, const char *value),   \
	  (scanner, identifier, value), ERROR_INTERNAL_FATAL_ERROR)            \
	X(int, yr_scanner_scan_mem,                                            \
	  (YR_SCANNER * scanner, const uint8_t *buffer, size_t buffer_size),   \
	  (scanner, buffer, buffer_size), ERROR_INTERNAL_FATAL_ERROR)

TG_LAZY_DEFINE(YARA_FUNCS, TG_SONAME_YARA)
TG_LAZY_LOADER(tg_lazy_load_yara)

#else
typedef int tg_lazy_yara_unused;
#endif

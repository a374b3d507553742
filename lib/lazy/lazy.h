/* Loading the heavy optional libraries on first use.
 *
 * libcurl, libmicrohttpd, libarchive, libyara and libxml2 pull in about
 * forty more shared objects (TLS, Kerberos, LDAP, ICU, ...), and
 * libcrypto alone carries some 17,000 relocations. Linked normally, every
 * run pays for mapping and relocating them: most of a short command's
 * start-up. An `audit` of a lockfile needs none of them.
 *
 * With TG_LAZY_LOAD (the default where CMake finds each library's
 * SONAME), the executable does not link them. Instead, lib/lazy/lazy_*.c
 * define each library function tollgate calls, under its real name and
 * with the header's prototype, as a small forwarder: the first call
 * dlopen()s the exact SONAME the build was compiled against and resolves
 * every function tollgate uses from it, once, under pthread_once. Code
 * elsewhere calls libcurl as usual and does not know.
 *
 * A library that cannot be loaded makes its forwarders return the
 * library's own failure value (NULL, an error code), which callers
 * already handle; tg_lazy_require() turns the same condition into a
 * message naming the library and the reason, for the entry points that
 * want to say why.
 *
 * Without TG_LAZY_LOAD the libraries are linked as usual and
 * tg_lazy_require() always succeeds.
 */
#ifndef TG_LAZY_H
#define TG_LAZY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"

enum tg_lazy_which {
	TG_LAZY_CURL,
	TG_LAZY_MHD,
	TG_LAZY_ARCHIVE,
	TG_LAZY_YARA,
	TG_LAZY_XML,
	TG_LAZY_CRYPTO,
};

/* 0 when the library is usable (loading it now if needed); otherwise
 * TG_EINTERNAL with "cannot load libcurl.so.4 (needed for WHAT): why".
 * what: a few words for the message ("downloads"). */
int tg_lazy_require(enum tg_lazy_which which, const char *what, struct tg_err *err);

/* --- for lib/lazy/lazy_*.c only --------------------------------------- */

struct tg_lazy_lib {
	const char *soname;
	pthread_once_t once;
	bool ok;
	char why[256]; /* dlerror() text when !ok */
};

/* dlopen() lib->soname and call resolve(handle) (which fills the
 * function table with tg_lazy_sym() and says whether all were found).
 * Runs once per process; later calls return the first outcome. */
bool tg_lazy_open(struct tg_lazy_lib *lib, void (*once)(void));

/* Body of a per-library pthread_once routine. */
void tg_lazy_do_open(struct tg_lazy_lib *lib, bool (*resolve)(void *handle));

/* Store the address of symbol name in slot (a function or object pointer
 * of size size). false, with lib->why set, when it is missing. */
bool tg_lazy_sym(struct tg_lazy_lib *lib, void *handle, const char *name,
		 void *slot, size_t size);

/* Each lazy_*.c file lists the functions it forwards as
 *   X(return type, name, (parameters), (arguments), value when unloaded)
 *   V(name, (parameters), (arguments))          for functions returning void
 *   D(type, name)   resolved only, no forwarder: a variable of that type,
 *                   or a function of that function type whose forwarder
 *                   is written by hand (variadic ones)
 * and expands TG_LAZY_DEFINE(list, soname) to get the table, the loader
 * and the forwarders. */
#define TG_LAZY_FIELD(ret, name, params, args, fail) ret(*name) params;
#define TG_LAZY_FIELDV(name, params, args) void(*name) params;
#define TG_LAZY_FIELDD(type, name) type *name;
#define TG_LAZY_RESOLVE(ret, name, params, args, fail) \
	ok = ok && tg_lazy_sym(&lazy_lib, h, #name, &lazy_fn.name, sizeof lazy_fn.name);
#define TG_LAZY_RESOLVEV(name, params, args) \
	ok = ok && tg_lazy_sym(&lazy_lib, h, #name, &lazy_fn.name, sizeof lazy_fn.name);
#define TG_LAZY_RESOLVED(type, name) \
	ok = ok && tg_lazy_sym(&lazy_lib, h, #name, &lazy_fn.name, sizeof lazy_fn.name);
#define TG_LAZY_NONE(type, name)
#define TG_LAZY_STUB(ret, name, params, args, fail) \
	ret name params                                    \
	{                                                  \
		if (!lazy_load())                          \
			return fail;                       \
		return lazy_fn.name args;                  \
	}
#define TG_LAZY_STUBV(name, params, args) \
	void name params                  \
	{                                 \
		if (lazy_load())          \
			lazy_fn.name args; \
	}

#define TG_LAZY_DEFINE(LIST, soname)                                     \
	static struct {                                                  \
		LIST(TG_LAZY_FIELD, TG_LAZY_FIELDV, TG_LAZY_FIELDD)                      \
	} lazy_fn;                                                       \
	static struct tg_lazy_lib lazy_lib = { soname, PTHREAD_ONCE_INIT, \
					       false, "" };              \
	static bool lazy_resolve(void *h)                                \
	{                                                                \
		bool ok = true;                                          \
		LIST(TG_LAZY_RESOLVE, TG_LAZY_RESOLVEV, TG_LAZY_RESOLVED)                  \
		return ok;                                               \
	}                                                                \
	static void lazy_once(void)                                      \
	{                                                                \
		tg_lazy_do_open(&lazy_lib, lazy_resolve);                \
	}                                                                \
	static bool lazy_load(void)                                      \
	{                                                                \
		return tg_lazy_open(&lazy_lib, lazy_once);               \
	}                                                                \
	LIST(TG_LAZY_STUB, TG_LAZY_STUBV, TG_LAZY_NONE)

/* Each lazy_*.c file also defines its library's tg_lazy_load_*(), used by
 * tg_lazy_require(). */
bool tg_lazy_load_curl(const char **soname, const char **why);
bool tg_lazy_load_mhd(const char **soname, const char **why);
bool tg_lazy_load_archive(const char **soname, const char **why);
bool tg_lazy_load_yara(const char **soname, const char **why);
bool tg_lazy_load_xml(const char **soname, const char **why);
bool tg_lazy_load_crypto(const char **soname, const char **why);

#define TG_LAZY_LOADER(fname)                                     \
	bool fname(const char **soname, const char **why)         \
	{                                                         \
		bool ok = lazy_load();                            \
		*soname = lazy_lib.soname;                        \
		*why = lazy_lib.why;                              \
		return ok;                                        \
	}

#endif

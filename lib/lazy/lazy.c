/* The shared part of the on-demand library loader (see lazy.h). */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "lazy/lazy.h"
#include "tollgate/str.h"

#if TG_LAZY_LOAD

void tg_lazy_do_open(struct tg_lazy_lib *lib, bool (*resolve)(void *handle))
{
	/* RTLD_LOCAL: the library's symbols must not become candidates for
	 * other objects' lookups, in particular not displace these forwarders. */
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	const char *e;

	if (!h) {
		e = dlerror();
		tg_strlcpy(lib->why, e ? e : "dlopen failed", sizeof(lib->why));
		return;
	}
	/* A handle that lacks a symbol is kept open: unloading a library that
	 * ran constructors is riskier than the memory it holds. */
	lib->ok = resolve(h);
}

bool tg_lazy_open(struct tg_lazy_lib *lib, void (*once)(void))
{
	pthread_once(&lib->once, once);
	return lib->ok;
}

bool tg_lazy_sym(struct tg_lazy_lib *lib, void *handle, const char *name,
		 void *slot, size_t size)
{
	void *p;

	dlerror();
	p = dlsym(handle, name);
	if (!p || size != sizeof(p)) {
		snprintf(lib->why, sizeof(lib->why), "%s has no symbol %s",
			 lib->soname, name);
		return false;
	}
	/* POSIX guarantees that dlsym's object pointer converts to a
	 * function pointer; memcpy says so without a cast ISO C lacks. */
	memcpy(slot, &p, size);
	return true;
}

int tg_lazy_require(enum tg_lazy_which which, const char *what, struct tg_err *err)
{
	const char *soname = "", *why = "";
	bool ok = false;

	switch (which) {
	case TG_LAZY_CURL: ok = tg_lazy_load_curl(&soname, &why); break;
	case TG_LAZY_MHD: ok = tg_lazy_load_mhd(&soname, &why); break;
	case TG_LAZY_ARCHIVE: ok = tg_lazy_load_archive(&soname, &why); break;
	case TG_LAZY_YARA: ok = tg_lazy_load_yara(&soname, &why); break;
	case TG_LAZY_XML: ok = tg_lazy_load_xml(&soname, &why); break;
	case TG_LAZY_CRYPTO: ok = tg_lazy_load_crypto(&soname, &why); break;
	}
	if (ok)
		return 0;
	return tg_err_set(err, TG_EINTERNAL,
			  "cannot load %s (needed for %s): %s; install the package "
			  "that provides it", soname, what, why);
}

#else

int tg_lazy_require(enum tg_lazy_which which, const char *what, struct tg_err *err)
{
	(void)which;
	(void)what;
	(void)err;
	return 0;
}

#endif

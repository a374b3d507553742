/* libcurl, loaded on first use (see lazy.h). */
#include "lazy/lazy.h"

#if TG_LAZY_LOAD
#include <stdarg.h>

/* The type-checking macros would rename the definitions below. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

typedef CURLcode curl_setopt_fn(CURL *, CURLoption, ...);
typedef CURLcode curl_getinfo_fn(CURL *, CURLINFO, ...);
typedef CURLSHcode curl_share_setopt_fn(CURLSH *, CURLSHoption, ...);

#define CURL_FUNCS(X, V, D)                                                   \
	X(CURLcode, curl_global_init, (long flags), (flags), CURLE_FAILED_INIT) \
	V(curl_global_cleanup, (void), ())                                    \
	X(CURL *, curl_easy_init, (void), (), NULL)                           \
	X(CURLcode, curl_easy_perform, (CURL * curl), (curl), CURLE_FAILED_INIT) \
	V(curl_easy_cleanup, (CURL * curl), (curl))                           \
	X(const char *, curl_easy_strerror, (CURLcode code), (code),          \
	  "libcurl is not loaded")                                            \
	X(char *, curl_easy_unescape,                                         \
	  (CURL * handle, const char *string, int length, int *outlength),    \
	  (handle, string, length, outlength), NULL)                          \
	V(curl_free, (void *p), (p))                                          \
	X(CURLSH *, curl_share_init, (void), (), NULL)                        \
	X(CURLSHcode, curl_share_cleanup, (CURLSH * share), (share),          \
	  CURLSHE_NOT_BUILT_IN)                                               \
	X(struct curl_slist *, curl_slist_append,                             \
	  (struct curl_slist * list, const char *data), (list, data), NULL)   \
	V(curl_slist_free_all, (struct curl_slist * list), (list))            \
	X(CURLU *, curl_url, (void), (), NULL)                                \
	V(curl_url_cleanup, (CURLU * handle), (handle))                       \
	X(CURLUcode, curl_url_get,                                            \
	  (CURLU * handle, CURLUPart what, char **part, unsigned int flags),  \
	  (handle, what, part, flags), CURLUE_OUT_OF_MEMORY)                  \
	X(CURLUcode, curl_url_set,                                            \
	  (CURLU * handle, CURLUPart what, const char *part, unsigned int flags), \
	  (handle, what, part, flags), CURLUE_OUT_OF_MEMORY)                  \
	X(char *, curl_version, (void), (), (char *)"unavailable")            \
	D(curl_setopt_fn, curl_easy_setopt)                                   \
	D(curl_getinfo_fn, curl_easy_getinfo)                                 \
	D(curl_share_setopt_fn, curl_share_setopt)

TG_LAZY_DEFINE(CURL_FUNCS, TG_SONAME_CURL)
TG_LAZY_LOADER(tg_lazy_load_curl)

/* The variadic ones forward their one argument with the type libcurl
 * reads for that option: options are numbered by type in ranges of
 * 10000 (long, object pointer, function pointer, curl_off_t, blob). */
CURLcode(curl_easy_setopt)(CURL *curl, CURLoption option, ...)
{
	va_list ap;
	CURLcode rc;

	if (!lazy_load())
		return CURLE_FAILED_INIT;
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = lazy_fn.curl_easy_setopt(curl, option, va_arg(ap, long));
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		rc = lazy_fn.curl_easy_setopt(curl, option, va_arg(ap, void *));
	else if (option < CURLOPTTYPE_OFF_T)
		rc = lazy_fn.curl_easy_setopt(curl, option, va_arg(ap, void (*)(void)));
	else if (option < CURLOPTTYPE_BLOB)
		rc = lazy_fn.curl_easy_setopt(curl, option, va_arg(ap, curl_off_t));
	else
		rc = lazy_fn.curl_easy_setopt(curl, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode(curl_easy_getinfo)(CURL *curl, CURLINFO info, ...)
{
	va_list ap;
	CURLcode rc;

	if (!lazy_load())
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	rc = lazy_fn.curl_easy_getinfo(curl, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLSHcode(curl_share_setopt)(CURLSH *share, CURLSHoption option, ...)
{
	va_list ap;
	CURLSHcode rc;

	if (!lazy_load())
		return CURLSHE_NOT_BUILT_IN;
	va_start(ap, option);
	switch (option) {
	case CURLSHOPT_SHARE:
	case CURLSHOPT_UNSHARE:
		rc = lazy_fn.curl_share_setopt(share, option, va_arg(ap, int));
		break;
	case CURLSHOPT_LOCKFUNC:
	case CURLSHOPT_UNLOCKFUNC:
		rc = lazy_fn.curl_share_setopt(share, option, va_arg(ap, void (*)(void)));
		break;
	default:
		rc = lazy_fn.curl_share_setopt(share, option, va_arg(ap, void *));
		break;
	}
	va_end(ap);
	return rc;
}

#else
typedef int tg_lazy_curl_unused;
#endif

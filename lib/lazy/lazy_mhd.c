/* libmicrohttpd, loaded on first use (see lazy.h). */
#include "lazy/lazy.h"

#if TG_LAZY_LOAD
#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>

typedef struct MHD_Daemon *mhd_start_va_fn(unsigned int, uint16_t, MHD_AcceptPolicyCallback,
					   void *, MHD_AccessHandlerCallback, void *, va_list);
typedef const union MHD_ConnectionInfo *mhd_conn_info_fn(struct MHD_Connection *,
							  enum MHD_ConnectionInfoType, ...);
typedef const union MHD_DaemonInfo *mhd_daemon_info_fn(struct MHD_Daemon *,
						       enum MHD_DaemonInfoType, ...);

#define MHD_FUNCS(X, V, D)                                                     \
	X(enum MHD_Result, MHD_add_response_header,                            \
	  (struct MHD_Response * response, const char *header, const char *content), \
	  (response, header, content), MHD_NO)                                 \
	X(struct MHD_Response *, MHD_create_response_from_buffer,              \
	  (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode),       \
	  (size, buffer, mode), NULL)                                          \
	X(struct MHD_Response *, MHD_create_response_from_buffer_with_free_callback_cls, \
	  (size_t size, void *buffer, MHD_ContentReaderFreeCallback crfc, void *crfc_cls), \
	  (size, buffer, crfc, crfc_cls), NULL)                                \
	X(struct MHD_Response *, MHD_create_response_from_fd64,                \
	  (uint64_t size, int fd), (size, fd), NULL)                           \
	V(MHD_destroy_response, (struct MHD_Response * response), (response))  \
	X(int, MHD_get_connection_values,                                      \
	  (struct MHD_Connection * connection, enum MHD_ValueKind kind,        \
	   MHD_KeyValueIterator iterator, void *iterator_cls),                 \
	  (connection, kind, iterator, iterator_cls), -1)                      \
	X(const char *, MHD_lookup_connection_value,                           \
	  (struct MHD_Connection * connection, enum MHD_ValueKind kind, const char *key), \
	  (connection, kind, key), NULL)                                       \
	X(enum MHD_Result, MHD_queue_response,                                 \
	  (struct MHD_Connection * connection, unsigned int status_code,       \
	   struct MHD_Response *response),                                     \
	  (connection, status_code, response), MHD_NO)                         \
	V(MHD_suspend_connection, (struct MHD_Connection * connection), (connection)) \
	V(MHD_resume_connection, (struct MHD_Connection * connection), (connection)) \
	V(MHD_stop_daemon, (struct MHD_Daemon * daemon), (daemon))             \
	D(mhd_start_va_fn, MHD_start_daemon_va)                                \
	D(mhd_conn_info_fn, MHD_get_connection_info)                           \
	D(mhd_daemon_info_fn, MHD_get_daemon_info)

TG_LAZY_DEFINE(MHD_FUNCS, TG_SONAME_MHD)
TG_LAZY_LOADER(tg_lazy_load_mhd)

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port,
				    MHD_AcceptPolicyCallback apc, void *apc_cls,
				    MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	struct MHD_Daemon *d;
	va_list ap;

	if (!lazy_load())
		return NULL;
	va_start(ap, dh_cls);
	d = lazy_fn.MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

/* The information calls are variadic for future kinds; libmicrohttpd reads
 * no extra argument for any kind tollgate asks for, so none is passed on. */
const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *connection,
							 enum MHD_ConnectionInfoType info_type,
							 ...)
{
	if (!lazy_load())
		return NULL;
	return lazy_fn.MHD_get_connection_info(connection, info_type);
}

const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
						enum MHD_DaemonInfoType info_type, ...)
{
	if (!lazy_load())
		return NULL;
	return lazy_fn.MHD_get_daemon_info(daemon, info_type);
}

#else
typedef int tg_lazy_mhd_unused;
#endif

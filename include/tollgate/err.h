/* Error values returned by libtollgate.
 *
 * Every fallible library function returns an int (0 on success, a TG_E*
 * code otherwise) and fills a caller-owned struct tg_err. The library never
 * prints; the CLI formats the error with tg_err_format() and maps the code
 * to an exit status. A tg_err owns no heap memory: it can live on the stack
 * and needs no release.
 */
#ifndef TOLLGATE_ERR_H
#define TOLLGATE_ERR_H

#include <stddef.h>

enum tg_code {
	TG_OK = 0,
	TG_EUSAGE,   /* the caller asked for something meaningless */
	TG_EPARSE,   /* input could not be parsed (syntax, encoding) */
	TG_EINVAL,   /* input parsed but a value is not acceptable */
	TG_ELIMIT,   /* a size, count or depth cap was exceeded */
	TG_EIO,      /* a file could not be read or written */
	TG_ENOMEM,   /* allocation failed */
	TG_EDB,      /* database missing, stale or corrupt */
	TG_ENET,     /* network or upstream failure */
	TG_EVERIFY,  /* a cryptographic or integrity check failed */
	TG_EINTERNAL /* a bug: an invariant did not hold */
};

#define TG_ERR_MSG_MAX 512
#define TG_ERR_PATH_MAX 512

struct tg_err {
	enum tg_code code;
	char msg[TG_ERR_MSG_MAX];
	char file[TG_ERR_PATH_MAX]; /* input at fault, "" when none */
	unsigned long line;         /* 1-based, 0 when unknown */
	unsigned long col;          /* 1-based, 0 when unknown */
};

/* Reset to "no error". */
void tg_err_clear(struct tg_err *err);

/* Record an error without an input location; returns code so callers can
 * write `return tg_err_set(err, TG_EIO, "...")`. err may be NULL. */
int tg_err_set(struct tg_err *err, enum tg_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record an error at file:line:col of an input (line/col 0 = unknown). */
int tg_err_at(struct tg_err *err, enum tg_code code, const char *file,
	      unsigned long line, unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Attach an input location to an error that has none yet. */
void tg_err_locate(struct tg_err *err, const char *file, unsigned long line,
		   unsigned long col);

/* Prefix the message with context ("reading RECORD: ..."). */
void tg_err_prefix(struct tg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "file:line:col: message" (parts omitted when unknown) into out. */
void tg_err_format(const struct tg_err *err, char *out, size_t outsz);

/* Short stable name of a code ("parse", "limit", ...). */
const char *tg_code_name(enum tg_code code);

#endif

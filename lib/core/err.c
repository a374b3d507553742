#include "tollgate/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tollgate/str.h"

void tg_err_clear(struct tg_err *err)
{
	if (!err)
		return;
	err->code = TG_OK;
	err->msg[0] = '\0';
	err->file[0] = '\0';
	err->line = 0;
	err->col = 0;
}

static void set_msg(struct tg_err *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void set_msg(struct tg_err *err, const char *fmt, va_list ap)
{
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (n < 0)
		tg_strlcpy(err->msg, "(unformattable error message)",
			   sizeof(err->msg));
}

int tg_err_set(struct tg_err *err, enum tg_code code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return (int)code;
	tg_err_clear(err);
	err->code = code;
	va_start(ap, fmt);
	set_msg(err, fmt, ap);
	va_end(ap);
	return (int)code;
}

int tg_err_at(struct tg_err *err, enum tg_code code, const char *file,
	      unsigned long line, unsigned long col, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return (int)code;
	tg_err_clear(err);
	err->code = code;
	if (file)
		tg_strlcpy(err->file, file, sizeof(err->file));
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	set_msg(err, fmt, ap);
	va_end(ap);
	return (int)code;
}

void tg_err_locate(struct tg_err *err, const char *file, unsigned long line,
		   unsigned long col)
{
	if (!err)
		return;
	if (!err->file[0] && file)
		tg_strlcpy(err->file, file, sizeof(err->file));
	if (!err->line) {
		err->line = line;
		err->col = col;
	}
}

void tg_err_prefix(struct tg_err *err, const char *fmt, ...)
{
	char joined[TG_ERR_MSG_MAX];
	size_t plen, mlen;
	va_list ap;
	int n;

	if (!err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(joined, sizeof(joined) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	plen = strlen(joined);
	memcpy(joined + plen, ": ", 3);
	plen += 2;
	mlen = strlen(err->msg);
	if (mlen > sizeof(joined) - 1 - plen)
		mlen = sizeof(joined) - 1 - plen; /* a long chain is cut, not overflowed */
	memcpy(joined + plen, err->msg, mlen);
	joined[plen + mlen] = '\0';
	memcpy(err->msg, joined, sizeof(err->msg));
}

void tg_err_format(const struct tg_err *err, char *out, size_t outsz)
{
	if (!outsz)
		return;
	if (err->file[0] && err->line && err->col)
		snprintf(out, outsz, "%s:%lu:%lu: %s", err->file, err->line,
			 err->col, err->msg);
	else if (err->file[0] && err->line)
		snprintf(out, outsz, "%s:%lu: %s", err->file, err->line,
			 err->msg);
	else if (err->file[0])
		snprintf(out, outsz, "%s: %s", err->file, err->msg);
	else
		snprintf(out, outsz, "%s", err->msg);
}

const char *tg_code_name(enum tg_code code)
{
	switch (code) {
	case TG_OK: return "ok";
	case TG_EUSAGE: return "usage";
	case TG_EPARSE: return "parse";
	case TG_EINVAL: return "invalid";
	case TG_ELIMIT: return "limit";
	case TG_EIO: return "io";
	case TG_ENOMEM: return "nomem";
	case TG_EDB: return "database";
	case TG_ENET: return "network";
	case TG_EVERIFY: return "verify";
	case TG_EINTERNAL: return "internal";
	}
	return "unknown";
}

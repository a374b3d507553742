/* Line reader over a gzip file (zlib), with a line-length cap. Plain files
 * are read as-is (zlib's transparent mode), which lets a mirror keep an
 * uncompressed copy under the same name. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "db/db_import.h"
#include "tollgate/str.h"

struct tg_gzlines {
	gzFile gz;
	const char *origin;
	char *buf;         /* holds at most one line plus read-ahead */
	size_t cap, start, end;
	bool eof;
	uint64_t size;
	unsigned long line;
};

int tg_gzlines_open(const char *file, const char *origin,
		    struct tg_gzlines **out, struct tg_err *err)
{
	struct tg_gzlines *g;
	struct stat st;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	g->origin = origin;
	g->cap = 2 * (size_t)TG_FEED_MAX_LINE + 2;
	g->buf = malloc(g->cap);
	if (!g->buf) {
		free(g);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	g->gz = gzopen(file, "rb");
	if (!g->gz) {
		int e = errno;
		free(g->buf);
		free(g);
		return tg_err_at(err, TG_EIO, origin, 0, 0, "cannot open: %s",
				 e ? strerror(e) : "out of memory");
	}
	gzbuffer(g->gz, 1 << 17);
	if (stat(file, &st) == 0)
		g->size = (uint64_t)st.st_size;
	*out = g;
	return 0;
}

static int fill(struct tg_gzlines *g, struct tg_err *err)
{
	int n, errnum;
	const char *msg;

	if (g->start > 0) {
		memmove(g->buf, g->buf + g->start, g->end - g->start);
		g->end -= g->start;
		g->start = 0;
	}
	n = gzread(g->gz, g->buf + g->end, (unsigned)(g->cap - 1 - g->end));
	if (n < 0) {
		msg = gzerror(g->gz, &errnum);
		return tg_err_at(err, TG_EPARSE, g->origin, g->line + 1, 0,
				 "damaged gzip data: %s",
				 errnum == Z_ERRNO ? strerror(errno) : msg);
	}
	if (n == 0) {
		/* zlib reports a cut-off stream only through gzerror. */
		msg = gzerror(g->gz, &errnum);
		if (errnum != Z_OK && errnum != Z_STREAM_END)
			return tg_err_at(err, TG_EPARSE, g->origin, g->line + 1, 0,
					 "damaged or truncated gzip data: %s", msg);
		g->eof = true;
	}
	g->end += (size_t)n;
	return 0;
}

int tg_gzlines_next(struct tg_gzlines *g, char **line, size_t *len,
		    bool *eof, struct tg_err *err)
{
	size_t scan = g->start;
	int rc;

	*eof = false;
	for (;;) {
		char *nl = memchr(g->buf + scan, '\n', g->end - scan);

		if (nl) {
			*nl = '\0';
			*line = g->buf + g->start;
			*len = (size_t)(nl - *line);
			g->start = (size_t)(nl - g->buf) + 1;
			g->line++;
			return 0;
		}
		if (g->end - g->start > (size_t)TG_FEED_MAX_LINE)
			return tg_err_at(err, TG_ELIMIT, g->origin, g->line + 1, 0,
					 "line longer than %d bytes", TG_FEED_MAX_LINE);
		if (g->eof) {
			if (g->end == g->start) {
				*eof = true;
				return 0;
			}
			/* last line without a newline */
			g->buf[g->end] = '\0';
			*line = g->buf + g->start;
			*len = g->end - g->start;
			g->start = g->end;
			g->line++;
			return 0;
		}
		scan = g->end - g->start; /* offset after the move in fill() */
		if ((rc = fill(g, err)))
			return rc;
		scan += g->start;
	}
}

uint64_t tg_gzlines_offset(struct tg_gzlines *g)
{
	z_off_t o = gzoffset(g->gz);
	return o > 0 ? (uint64_t)o : 0;
}

uint64_t tg_gzlines_size(struct tg_gzlines *g)
{
	return g->size;
}

void tg_gzlines_close(struct tg_gzlines *g)
{
	if (!g)
		return;
	if (g->gz)
		gzclose(g->gz);
	free(g->buf);
	free(g);
}

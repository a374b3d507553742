#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

const char *cli_c(const struct tg_cli *cli, const char *sgr)
{
	static char codes[8][16];
	static unsigned next;
	char *slot;

	if (!cli->color)
		return "";
	slot = codes[next++ % 8];
	snprintf(slot, sizeof(codes[0]), "\033[%sm", sgr);
	return slot;
}

static void vmsg(struct tg_cli *cli, const char *kind, const char *sgr,
		 const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void vmsg(struct tg_cli *cli, const char *kind, const char *sgr,
		 const char *fmt, va_list ap)
{
	if (cli->color_err)
		fprintf(stderr, "%s: \033[%sm%s\033[0m: ", cli->prog, sgr, kind);
	else
		fprintf(stderr, "%s: %s: ", cli->prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_exit_code(enum tg_code code)
{
	switch (code) {
	case TG_OK: return TG_EXIT_OK;
	case TG_EUSAGE: return TG_EXIT_USAGE;
	case TG_EDB: return TG_EXIT_DB;
	case TG_ENET: return TG_EXIT_NETWORK;
	case TG_EVERIFY: return TG_EXIT_POLICY;
	case TG_EPARSE:
	case TG_EINVAL:
	case TG_ELIMIT:
	case TG_EIO:
	case TG_ENOMEM:
	case TG_EINTERNAL:
		return TG_EXIT_INPUT;
	}
	return TG_EXIT_INPUT;
}

int cli_fail(struct tg_cli *cli, const struct tg_err *err)
{
	char line[TG_ERR_MSG_MAX + TG_ERR_PATH_MAX + 64];

	tg_err_format(err, line, sizeof(line));
	if (cli->color_err)
		fprintf(stderr, "%s: \033[1;31merror\033[0m: %s\n", cli->prog, line);
	else
		fprintf(stderr, "%s: error: %s\n", cli->prog, line);
	return cli_exit_code(err->code);
}

int cli_usage_error(struct tg_cli *cli, const struct tg_command *cmd,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, "error", "1;31", fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "Run '%s help %s' for usage.\n", cli->prog,
			cmd->name);
	else
		fprintf(stderr, "Run '%s --help' for usage.\n", cli->prog);
	return TG_EXIT_USAGE;
}

void cli_warn(struct tg_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg(cli, "warning", "1;33", fmt, ap);
	va_end(ap);
}

void cli_info(struct tg_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->verbosity < 1)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", cli->prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void progress_draw(struct cli_progress *p)
{
	const int width = 30;

	if (p->total) {
		unsigned long long d = p->done > p->total ? p->total : p->done;
		int fill = (int)(d * (unsigned long long)width / p->total);
		int pct = (int)(d * 100 / p->total);
		fprintf(stderr, "\r%-24.24s [%.*s%*s] %3d%%", p->label, fill,
			"##############################", width - fill, "", pct);
	} else {
		fprintf(stderr, "\r%-24.24s %llu", p->label, p->done);
	}
	fflush(stderr);
	p->drawn = true;
}

void cli_progress_start(struct cli_progress *p, const struct tg_cli *cli,
			const char *label, unsigned long long total)
{
	memset(p, 0, sizeof(*p));
	p->cli = cli;
	p->label = label;
	p->total = total;
	if (cli->progress)
		progress_draw(p);
	p->last_draw_ms = now_ms();
}

void cli_progress_update(struct cli_progress *p, unsigned long long done)
{
	long long t;

	p->done = done;
	if (!p->cli || !p->cli->progress)
		return;
	t = now_ms();
	if (t - p->last_draw_ms < 100)
		return;
	p->last_draw_ms = t;
	progress_draw(p);
}

void cli_progress_end(struct cli_progress *p)
{
	if (!p->cli || !p->cli->progress)
		return;
	if (p->total)
		p->done = p->total;
	progress_draw(p);
	fputc('\n', stderr);
}

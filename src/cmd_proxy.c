/* `tollgate proxy`: serve a policy-gated package index to pip and uv. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "tollgate/proxy.h"
#include "tollgate/proxy_config.h"
#include "tollgate/str.h"

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void log_line(void *ctx, const char *level, const char *msg)
{
	struct tg_cli *cli = ctx;
	struct timespec ts;
	struct tm tm;
	char when[32];

	if (cli->verbosity < 0 && strcmp(level, "error") != 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&log_mu);
	fprintf(stderr, "%s tollgate proxy: %s: %s\n", when, level, msg);
	pthread_mutex_unlock(&log_mu);
}

static void audit_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	pthread_mutex_lock(&log_mu);
	fwrite(line, 1, len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	pthread_mutex_unlock(&log_mu);
}

struct opts {
	const char *config;
	bool check;
	const char *listen;
	long port;
	const char *cache_dir;
	const char *upstream;
};

static int load(struct tg_cli *cli, const struct opts *o, struct tg_proxy_config *cfg,
		struct tg_err *err)
{
	const char *path = o->config;
	int rc;

	(void)cli;
	if (!path && access("tollgate.toml", R_OK) == 0)
		path = "tollgate.toml";
	tg_proxy_config_init(cfg);
	rc = tg_proxy_config_load(path, cfg, err);
	if (rc)
		return rc;
	if (o->listen) {
		if (tg_strlcpy(cfg->listen, o->listen, sizeof(cfg->listen)) >= sizeof(cfg->listen))
			return tg_err_set(err, TG_EUSAGE, "--listen: address too long");
	}
	if (o->port >= 0)
		cfg->port = (unsigned)o->port;
	if (o->cache_dir) {
		free(cfg->cache_dir);
		cfg->cache_dir = tg_strdup(o->cache_dir);
	}
	return 0;
}

static int run_proxy(struct tg_cli *cli, int argc, char **argv)
{
	struct opts o = { .port = -1 };
	struct tg_proxy_config cfg;
	struct tg_proxy_hooks hooks = { cli, log_line, audit_line };
	struct tg_proxy *p = NULL;
	struct tg_err err;
	sigset_t set;
	int i, sig, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--config") == 0 && i + 1 < argc) {
			o.config = argv[++i];
		} else if (strcmp(a, "--check-config") == 0) {
			o.check = true;
		} else if (strcmp(a, "--listen") == 0 && i + 1 < argc) {
			o.listen = argv[++i];
		} else if (strcmp(a, "--port") == 0 && i + 1 < argc) {
			uint64_t v;
			const char *s = argv[++i];
			if (!tg_parse_u64(s, strlen(s), &v) || v > 65535)
				return cli_usage_error(cli, &tg_cmd_proxy, "--port: not a port number: %s", s);
			o.port = (long)v;
		} else if (strcmp(a, "--cache-dir") == 0 && i + 1 < argc) {
			o.cache_dir = argv[++i];
		} else {
			return cli_usage_error(cli, &tg_cmd_proxy, "unknown option or missing value: %s", a);
		}
	}
	tg_err_clear(&err);
	rc = load(cli, &o, &cfg, &err);
	if (rc) {
		tg_proxy_config_release(&cfg);
		return cli_fail(cli, &err);
	}
	if (o.check) {
		printf("%s: ok (%zu upstream%s, %zu deny, %zu allow, cooldown %g days, "
		       "block-vulnerable %s)\n", cfg.path ? cfg.path : "(defaults)",
		       cfg.n_upstreams, cfg.n_upstreams == 1 ? "" : "s", cfg.policy.n_deny,
		       cfg.policy.n_allow, cfg.policy.cooldown_days,
		       tg_proxy_vuln_level_name(cfg.policy.block_vulnerable));
		tg_proxy_config_release(&cfg);
		return TG_EXIT_OK;
	}
	/* Signals are taken by this thread only (sigwait below): block them
	 * before any server thread exists so that every thread inherits it. */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = tg_proxy_start(&cfg, cli->db_path, &hooks, &p, &err);
	tg_proxy_config_release(&cfg);
	if (rc)
		return cli_fail(cli, &err);
	{
		char msg[256];
		snprintf(msg, sizeof(msg), "listening on port %u (index at /simple/)",
			 tg_proxy_port(p));
		log_line(cli, "info", msg);
	}
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			struct tg_proxy_config ncfg;
			tg_err_clear(&err);
			if (load(cli, &o, &ncfg, &err) == 0 && tg_proxy_reload(p, &ncfg, &err) == 0) {
				log_line(cli, "info", "configuration reloaded");
			} else {
				char msg[TG_ERR_MSG_MAX + TG_ERR_PATH_MAX + 200];
				char e[TG_ERR_MSG_MAX + TG_ERR_PATH_MAX + 40];
				tg_err_format(&err, e, sizeof(e));
				snprintf(msg, sizeof(msg), "reload failed, keeping the running "
					 "configuration: %s", e);
				log_line(cli, "error", msg);
			}
			tg_proxy_config_release(&ncfg);
			continue;
		}
		break;
	}
	log_line(cli, "info", "shutting down");
	tg_proxy_stop(p);
	return TG_EXIT_OK;
}

const struct tg_command tg_cmd_proxy = {
	.name = "proxy",
	.summary = "serve a policy-gated package index to pip and uv",
	.usage = "proxy [--config FILE] [--listen ADDR] [--port N] [--cache-dir DIR]\n"
		 "proxy --check-config [--config FILE]",
	.help =
	"Serves the Python simple repository API (PEP 503 HTML and PEP 691\n"
	"JSON) from the upstream indexes in tollgate.toml, and passes every\n"
	"page and file through the [policy]: deny and allow lists, known\n"
	"malware, known vulnerabilities, a cooldown on new releases, and\n"
	"SHA-256 verification of every file before it is served. Point\n"
	"clients at it:\n"
	"\n"
	"  pip install --index-url http://127.0.0.1:8080/simple/ NAME\n"
	"  UV_INDEX_URL=http://127.0.0.1:8080/simple/ uv pip install NAME\n"
	"\n"
	"  --config FILE     settings file (default: ./tollgate.toml when\n"
	"                    present, else built-in defaults: pypi.org)\n"
	"  --listen ADDR     address to bind (default 127.0.0.1)\n"
	"  --port N          port (default 8080; 0 picks a free one)\n"
	"  --cache-dir DIR   where pages and verified files are kept\n"
	"  --check-config    validate the configuration and exit\n"
	"\n"
	"SIGHUP reloads the configuration without dropping connections;\n"
	"SIGINT or SIGTERM stop the server. See docs/proxy.md.\n"
	"\n"
	"Exit status: 0 stopped cleanly or configuration valid; 2 usage;\n"
	"3 the configuration is invalid (file:line in the message); 4 no\n"
	"database path; 5 the address cannot be bound.",
	.run = run_proxy,
};

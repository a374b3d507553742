/* The audit log: one JSON object per line for every policy decision. */
#define _GNU_SOURCE
#include "proxy_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tollgate/str.h"

struct audit_log {
	pthread_mutex_t mu;
	int fd;                 /* -1 with hooks->audit for stdout */
	struct tg_proxy_hooks hooks;
};

struct audit_log *audit_open(const char *path, const struct tg_proxy_hooks *hooks,
			     struct tg_err *err)
{
	struct audit_log *a;

	if (!path)
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a) {
		tg_err_set(err, TG_ENOMEM, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&a->mu, NULL);
	a->fd = -1;
	if (hooks)
		a->hooks = *hooks;
	if (strcmp(path, "-") != 0) {
		a->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (a->fd < 0) {
			tg_err_set(err, TG_EIO, "cannot open audit log %s: %s", path, strerror(errno));
			pthread_mutex_destroy(&a->mu);
			free(a);
			return NULL;
		}
	}
	return a;
}

void audit_close(struct audit_log *a)
{
	if (!a)
		return;
	if (a->fd >= 0)
		close(a->fd);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

static void field(struct tg_buf *b, const char *k, const char *v)
{
	if (!v)
		return;
	tg_buf_addf(b, NULL, ",\"%s\":\"", k);
	tg_buf_add_json_escaped(b, v, strlen(v), NULL);
	tg_buf_addc(b, '"', NULL);
}

void audit_write(struct audit_log *a, const struct audit_event *ev)
{
	struct tg_buf b;
	struct timespec ts;
	char when[40];

	if (!a)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	proxy_format_time((int64_t)ts.tv_sec, when, sizeof(when));
	/* "2025-01-02T03:04:05Z" -> with milliseconds */
	tg_buf_init(&b, 64 * 1024);
	when[19] = 0;
	tg_buf_addf(&b, NULL, "{\"time\":\"%s.%03ldZ\"", when, ts.tv_nsec / 1000000);
	field(&b, "client", ev->client);
	field(&b, "project", ev->project);
	field(&b, "version", ev->version);
	field(&b, "file", ev->file);
	field(&b, "decision", ev->decision);
	field(&b, "rule", ev->rule);
	field(&b, "advisory", ev->id);
	field(&b, "upstream", ev->upstream);
	field(&b, "sha256", ev->sha256);
	field(&b, "message", ev->message);
	if (ev->status)
		tg_buf_addf(&b, NULL, ",\"status\":%d", ev->status);
	tg_buf_adds(&b, "}", NULL);
	pthread_mutex_lock(&a->mu);
	if (a->fd >= 0) {
		tg_buf_addc(&b, '\n', NULL);
		{
			size_t off = 0;
			while (off < b.len) {
				ssize_t w = write(a->fd, b.data + off, b.len - off);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					break;
				off += (size_t)w;
			}
		}
	} else if (a->hooks.audit) {
		a->hooks.audit(a->hooks.ctx, b.data, b.len);
	}
	pthread_mutex_unlock(&a->mu);
	tg_buf_release(&b);
}

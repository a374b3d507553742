/* Files cache: verified distribution files stored by SHA-256 under
 * <dir>/files/<first two hex digits>/<hex>, written through <dir>/tmp/ and
 * renamed into place only after the hash matched. Bounded in size: when
 * over the limit the least recently used files (by atime, which every
 * serve sets) are removed until 90% of the limit is left. */
#define _GNU_SOURCE
#include "proxy_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tollgate/fs.h"
#include "tollgate/str.h"

struct file_cache {
	char *dir, *files, *tmp;
	pthread_mutex_t mu;     /* eviction */
	atomic_ullong bytes;
	atomic_ullong max;
	struct proxy_metrics *m;
	atomic_uint seq;
};

struct entry {
	char *path;
	int64_t atime;
	uint64_t size;
};

typedef int (*walk_fn)(const char *path, const struct stat *st, void *ctx);

static int walk_files(const char *files, walk_fn fn, void *ctx)
{
	DIR *d = opendir(files), *sd;
	struct dirent *de, *se;
	int rc = 0;

	if (!d)
		return 0;
	while (!rc && (de = readdir(d))) {
		char *sub;
		if (de->d_name[0] == '.' || strlen(de->d_name) != 2)
			continue;
		sub = tg_path_join(files, de->d_name);
		if (!sub || !(sd = opendir(sub))) {
			free(sub);
			continue;
		}
		while (!rc && (se = readdir(sd))) {
			struct stat st;
			char *p;
			if (se->d_name[0] == '.' || strlen(se->d_name) != 64)
				continue;
			p = tg_path_join(sub, se->d_name);
			if (p && stat(p, &st) == 0 && S_ISREG(st.st_mode))
				rc = fn(p, &st, ctx);
			free(p);
		}
		closedir(sd);
		free(sub);
	}
	closedir(d);
	return rc;
}

static int sum_fn(const char *path, const struct stat *st, void *ctx)
{
	(void)path;
	*(unsigned long long *)ctx += (unsigned long long)st->st_size;
	return 0;
}

static void clean_tmp(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;

	if (!d)
		return;
	/* Left over from a crash: never complete, never verified. */
	while ((de = readdir(d))) {
		char *p;
		if (de->d_name[0] == '.')
			continue;
		p = tg_path_join(tmp, de->d_name);
		if (p)
			unlink(p);
		free(p);
	}
	closedir(d);
}

int file_cache_open(const char *dir, uint64_t max_bytes, struct proxy_metrics *m,
		    struct file_cache **out, struct tg_err *err)
{
	struct file_cache *c = calloc(1, sizeof(*c));
	unsigned long long total = 0;
	int rc;

	if (!c)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	c->dir = tg_strdup(dir);
	c->files = tg_path_join(dir, "files");
	c->tmp = tg_path_join(dir, "tmp");
	if (!c->dir || !c->files || !c->tmp) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = tg_mkdir_p(c->files, err)) || (rc = tg_mkdir_p(c->tmp, err))) {
		tg_err_prefix(err, "cache directory");
		goto fail;
	}
	pthread_mutex_init(&c->mu, NULL);
	clean_tmp(c->tmp);
	walk_files(c->files, sum_fn, &total);
	atomic_store(&c->bytes, total);
	atomic_store(&c->max, max_bytes);
	c->m = m;
	if (m)
		atomic_store(&m->cache_bytes, total);
	*out = c;
	return 0;
fail:
	free(c->dir);
	free(c->files);
	free(c->tmp);
	free(c);
	return rc;
}

void file_cache_close(struct file_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->mu);
	free(c->dir);
	free(c->files);
	free(c->tmp);
	free(c);
}

const char *file_cache_dir(const struct file_cache *c)
{
	return c->dir;
}

void file_cache_set_max(struct file_cache *c, uint64_t max_bytes)
{
	atomic_store(&c->max, max_bytes);
}

char *file_cache_path(struct file_cache *c, const char *hex)
{
	return tg_asprintf("%s/%.2s/%s", c->files, hex, hex);
}

int file_cache_tmp(struct file_cache *c, char **path, struct tg_err *err)
{
	unsigned seq = atomic_fetch_add(&c->seq, 1);
	int fd;

	*path = tg_asprintf("%s/%ld-%u.part", c->tmp, (long)getpid(), seq);
	if (!*path)
		return -tg_err_set(err, TG_ENOMEM, "out of memory");
	fd = open(*path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		tg_err_set(err, TG_EIO, "cannot create %s: %s", *path, strerror(errno));
		free(*path);
		*path = NULL;
		return -1;
	}
	return fd;
}

struct collect {
	struct entry *e;
	size_t n, cap;
};

static int collect_fn(const char *path, const struct stat *st, void *ctx)
{
	struct collect *c = ctx;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 256;
		struct entry *ne;
		if (ncap > 10000000 || !(ne = realloc(c->e, ncap * sizeof(*ne))))
			return 1;
		c->e = ne;
		c->cap = ncap;
	}
	c->e[c->n].path = tg_strdup(path);
	if (!c->e[c->n].path)
		return 1;
	c->e[c->n].atime = (int64_t)st->st_atim.tv_sec;
	c->e[c->n].size = (uint64_t)st->st_size;
	c->n++;
	return 0;
}

static int by_atime(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->atime < y->atime ? -1 : x->atime > y->atime;
}

static void evict(struct file_cache *c, const char *keep)
{
	struct collect col = { 0 };
	uint64_t max = atomic_load(&c->max), target = max / 10 * 9, total = 0;
	size_t i;

	pthread_mutex_lock(&c->mu);
	if (atomic_load(&c->bytes) <= max)
		goto out;
	walk_files(c->files, collect_fn, &col);
	for (i = 0; i < col.n; i++)
		total += col.e[i].size;
	qsort(col.e, col.n, sizeof(col.e[0]), by_atime);
	for (i = 0; i < col.n && total > target; i++) {
		if (keep && strcmp(col.e[i].path, keep) == 0)
			continue;
		/* A file being served stays readable through its open fd. */
		if (unlink(col.e[i].path) == 0) {
			total -= col.e[i].size;
			if (c->m)
				atomic_fetch_add(&c->m->evictions, 1);
		}
	}
	atomic_store(&c->bytes, total);
	if (c->m)
		atomic_store(&c->m->cache_bytes, total);
out:
	for (i = 0; i < col.n; i++)
		free(col.e[i].path);
	free(col.e);
	pthread_mutex_unlock(&c->mu);
}

int file_cache_commit(struct file_cache *c, const char *tmp, const char *hex,
		      uint64_t size, struct tg_err *err)
{
	char *dst = file_cache_path(c, hex), *sub;
	struct stat st;
	bool existed;
	int rc = 0;

	if (!dst)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	sub = tg_asprintf("%s/%.2s", c->files, hex);
	if (!sub || tg_mkdir_p(sub, err)) {
		rc = err && err->code ? (int)err->code : tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	existed = stat(dst, &st) == 0;
	if (rename(tmp, dst) != 0) {
		rc = tg_err_set(err, TG_EIO, "cannot move %s into the cache: %s", tmp, strerror(errno));
		goto out;
	}
	if (!existed) {
		atomic_fetch_add(&c->bytes, size);
		if (c->m)
			atomic_fetch_add(&c->m->cache_bytes, size);
	}
	if (atomic_load(&c->bytes) > atomic_load(&c->max))
		evict(c, dst);
out:
	free(sub);
	free(dst);
	return rc;
}

void file_cache_touch(struct file_cache *c, const char *path)
{
	struct timespec ts[2];

	(void)c;
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_NOW;
	ts[1].tv_sec = 0;
	ts[1].tv_nsec = UTIME_OMIT;
	utimensat(AT_FDCWD, path, ts, 0);
}

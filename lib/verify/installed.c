/* Installed-distribution integrity: every *.dist-info/RECORD in a site
 * directory checked against the files on disk, plus the files under each
 * distribution's top-level directories that no RECORD lists.
 *
 * Hashing dominates the run time, so the rows of all distributions are
 * hashed in one pass by a few threads; everything else is single-threaded. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "lazy/lazy.h"
#include "tollgate/buf.h"
#include "tollgate/finding.h"
#include "tollgate/fs.h"
#include "tollgate/size.h"
#include "tollgate/str.h"
#include "tollgate/verify_record.h"

#define WALK_MAX_DEPTH 64
#define WALK_MAX_FILES 2000000
#define HASH_CHUNK (256 * 1024)

const char *tg_installed_problem_name(enum tg_installed_problem_kind k)
{
	switch (k) {
	case TG_INST_MODIFIED: return "modified";
	case TG_INST_SIZE: return "size-mismatch";
	case TG_INST_MISSING: return "missing";
	case TG_INST_UNRECORDED: return "unrecorded";
	case TG_INST_NO_HASH: return "no-hash";
	case TG_INST_OUTSIDE: return "outside-root";
	case TG_INST_UNREADABLE: return "unreadable";
	case TG_INST_NO_RECORD: return "no-record";
	case TG_INST_BAD_RECORD: return "bad-record";
	}
	return "unknown";
}

void tg_installed_report_init(struct tg_installed_report *r)
{
	memset(r, 0, sizeof(*r));
}

static void problems_free(struct tg_installed_problem *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].path);
		free(p[i].detail);
	}
	free(p);
}

void tg_installed_report_release(struct tg_installed_report *r)
{
	size_t i;

	for (i = 0; i < r->n_dists; i++) {
		struct tg_installed_dist *d = &r->dists[i];

		free(d->name);
		free(d->version);
		free(d->dist_info);
		free(d->site_dir);
		problems_free(d->problems, d->n_problems);
	}
	free(r->dists);
	problems_free(r->site_problems, r->n_site_problems);
	memset(r, 0, sizeof(*r));
}

size_t tg_installed_problem_count(const struct tg_installed_report *r)
{
	size_t i, n = r->n_site_problems;

	for (i = 0; i < r->n_dists; i++)
		n += r->dists[i].n_problems;
	return n;
}

static int add_problem(struct tg_installed_problem **arr, size_t *n, size_t *cap,
		       enum tg_installed_problem_kind kind, const char *path,
		       const char *detail, struct tg_err *err)
{
	struct tg_installed_problem *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8, bytes;

		if (!tg_size_mul(ncap, sizeof(**arr), &bytes) ||
		    !(p = realloc(*arr, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		*arr = p;
		*cap = ncap;
	}
	p = &(*arr)[*n];
	p->kind = kind;
	p->path = tg_strdup(path ? path : "");
	p->detail = detail ? tg_strdup(detail) : NULL;
	if (!p->path || (detail && !p->detail)) {
		free(p->path);
		free(p->detail);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	(*n)++;
	return 0;
}

static int dist_problem(struct tg_installed_dist *d,
			enum tg_installed_problem_kind kind, const char *path,
			const char *detail, struct tg_err *err)
{
	return add_problem(&d->problems, &d->n_problems, &d->cap_problems, kind, path,
			   detail, err);
}

/* ---- a set of path strings (open addressing; keys are borrowed) ---- */

struct strset {
	const char **slots;
	size_t cap; /* power of two */
	size_t n;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int strset_add(struct strset *set, const char *key, struct tg_err *err)
{
	size_t i;

	if ((set->n + 1) * 2 > set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 1024, j;
		const char **ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		for (j = 0; j < set->cap; j++) {
			if (!set->slots[j])
				continue;
			i = str_hash(set->slots[j]) & (ncap - 1);
			while (ns[i])
				i = (i + 1) & (ncap - 1);
			ns[i] = set->slots[j];
		}
		free(set->slots);
		set->slots = ns;
		set->cap = ncap;
	}
	i = str_hash(key) & (set->cap - 1);
	while (set->slots[i]) {
		if (strcmp(set->slots[i], key) == 0)
			return 0;
		i = (i + 1) & (set->cap - 1);
	}
	set->slots[i] = key;
	set->n++;
	return 0;
}

static bool strset_has(const struct strset *set, const char *key)
{
	size_t i;

	if (!set->cap)
		return false;
	i = str_hash(key) & (set->cap - 1);
	while (set->slots[i]) {
		if (strcmp(set->slots[i], key) == 0)
			return true;
		i = (i + 1) & (set->cap - 1);
	}
	return false;
}

/* ---- paths ---- */

/* Lexically normalise "base/rel" (base absolute and normalised): collapse
 * ".", "..", "//". Returns a heap string, or NULL when rel is absurd. */
static char *path_resolve(const char *base, const char *rel)
{
	size_t cap = strlen(base) + strlen(rel) + 2, n;
	char *out = malloc(cap);
	const char *p;

	if (!out)
		return NULL;
	if (rel[0] == '/') {
		out[0] = '\0';
		n = 0;
	} else {
		n = strlen(base);
		memcpy(out, base, n + 1);
		if (n == 1) /* base "/" */
			n = 0;
	}
	p = rel;
	while (*p) {
		const char *seg = p;
		size_t len;

		while (*p && *p != '/')
			p++;
		len = (size_t)(p - seg);
		if (*p == '/')
			p++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--; /* drop the slash */
			out[n] = '\0';
			continue;
		}
		out[n++] = '/';
		memcpy(out + n, seg, len);
		n += len;
		out[n] = '\0';
	}
	if (n == 0) {
		out[0] = '/';
		out[1] = '\0';
	}
	return out;
}

static bool path_within(const char *path, const char *root)
{
	size_t rl = strlen(root);

	if (rl == 1 && root[0] == '/')
		return path[0] == '/';
	return strncmp(path, root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0');
}

/* The environment prefix of a site directory: .../lib/pythonX.Y/site-packages
 * (or dist-packages) -> ..., Lib/site-packages -> ...; else the directory. */
static char *derive_root(const char *site)
{
	const char *tail = strrchr(site, '/');
	char *root;
	size_t len;

	if (!tail || (strcmp(tail, "/site-packages") && strcmp(tail, "/dist-packages")))
		return tg_strdup(site);
	len = (size_t)(tail - site);
	root = tg_strndup(site, len);
	if (!root)
		return NULL;
	tail = strrchr(root, '/');
	if (tail && (tg_str_starts_with(tail, "/python") || tg_str_starts_with(tail, "/pypy") ||
		     strcmp(tail, "/Lib") == 0)) {
		root[tail - root] = '\0';
		if (strcmp(tail, "/Lib") != 0) {
			tail = strrchr(root, '/');
			if (tail && (strcmp(tail, "/lib") == 0 || strcmp(tail, "/lib64") == 0))
				root[tail - root] = '\0';
		}
	}
	if (!root[0]) {
		root[0] = '/';
		root[1] = '\0';
	}
	return root;
}

/* ---- hashing jobs ---- */

enum job_result { JOB_OK, JOB_MODIFIED, JOB_SIZE, JOB_MISSING, JOB_UNREADABLE,
		  JOB_OUTSIDE };

struct job {
	const char *abs;            /* normalised absolute path */
	const struct tg_record_row *row;
	const char *root;
	enum job_result result;
	unsigned long long size;    /* bytes read */
	int sys_errno;
};

struct pool {
	struct job *jobs;
	size_t n;
	atomic_size_t next;
	const EVP_MD *md256, *md384, *md512;
};

static void run_job(struct pool *pool, struct job *j, unsigned char *chunk,
		    EVP_MD_CTX *ctx)
{
	const EVP_MD *md;
	struct stat st;
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	int fd;
	char *real = NULL;

	if (lstat(j->abs, &st) != 0) {
		j->sys_errno = errno;
		j->result = errno == ENOENT || errno == ENOTDIR ? JOB_MISSING : JOB_UNREADABLE;
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		/* Read through a link only when its target stays in the root. */
		real = realpath(j->abs, NULL);
		if (!real) {
			j->sys_errno = errno;
			j->result = JOB_MISSING;
			return;
		}
		if (!path_within(real, j->root)) {
			free(real);
			j->result = JOB_OUTSIDE;
			return;
		}
	}
	fd = open(real ? real : j->abs, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	free(real);
	if (fd < 0) {
		j->sys_errno = errno;
		j->result = JOB_UNREADABLE;
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		j->sys_errno = EISDIR;
		j->result = JOB_UNREADABLE;
		return;
	}
	md = j->row->digest_len == 64 ? pool->md512
	     : j->row->digest_len == 48 ? pool->md384 : pool->md256;
	if (!EVP_DigestInit_ex(ctx, md, NULL)) {
		close(fd);
		j->result = JOB_UNREADABLE;
		return;
	}
	j->size = 0;
	for (;;) {
		ssize_t r = read(fd, chunk, HASH_CHUNK);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			j->sys_errno = errno;
			j->result = JOB_UNREADABLE;
			close(fd);
			return;
		}
		if (r == 0)
			break;
		EVP_DigestUpdate(ctx, chunk, (size_t)r);
		j->size += (unsigned long long)r;
	}
	close(fd);
	EVP_DigestFinal_ex(ctx, dig, &dlen);
	if (dlen != j->row->digest_len || memcmp(dig, j->row->digest, dlen) != 0)
		j->result = JOB_MODIFIED;
	else if (j->row->size >= 0 && (unsigned long long)j->row->size != j->size)
		j->result = JOB_SIZE;
	else
		j->result = JOB_OK;
}

static void *pool_worker(void *arg)
{
	struct pool *pool = arg;
	unsigned char *chunk = malloc(HASH_CHUNK);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	for (;;) {
		size_t i = atomic_fetch_add(&pool->next, 1);

		if (i >= pool->n)
			break;
		if (!chunk || !ctx) {
			pool->jobs[i].result = JOB_UNREADABLE;
			pool->jobs[i].sys_errno = ENOMEM;
			continue;
		}
		run_job(pool, &pool->jobs[i], chunk, ctx);
	}
	EVP_MD_CTX_free(ctx);
	free(chunk);
	return NULL;
}

static void pool_run(struct pool *pool, unsigned threads)
{
	pthread_t tid[16];
	unsigned started = 0, i;

	if (threads > 16)
		threads = 16;
	for (i = 1; i < threads; i++)
		if (pthread_create(&tid[started], NULL, pool_worker, pool) == 0)
			started++;
	pool_worker(pool); /* the calling thread works too */
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

/* ---- per-distribution state while checking one site directory ---- */

struct dist_work {
	size_t dist_index;      /* into report->dists */
	char *dist_info_abs;
	struct tg_record record;
	char **abs;             /* normalised absolute path per row */
	bool record_ok;
};

static bool row_needs_no_hash(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strcmp(base, "RECORD") == 0 || strcmp(base, "RECORD.jws") == 0 ||
	       strcmp(base, "RECORD.p7s") == 0 || tg_str_ends_with(path, ".pyc") ||
	       tg_str_ends_with(path, ".pyo");
}

static int add_dist(struct tg_installed_report *r, const char *site,
		    const char *entry, struct tg_err *err)
{
	struct tg_installed_dist *d;
	const char *dot = strrchr(entry, '.');
	const char *dash;

	if (r->n_dists == r->cap_dists) {
		size_t ncap = r->cap_dists ? r->cap_dists * 2 : 64, bytes;
		struct tg_installed_dist *nd;

		if (!tg_size_mul(ncap, sizeof(*nd), &bytes) || !(nd = realloc(r->dists, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		r->dists = nd;
		r->cap_dists = ncap;
	}
	d = &r->dists[r->n_dists];
	memset(d, 0, sizeof(*d));
	/* "<name>-<version>.dist-info": name has no '-' once normalised. */
	dash = memchr(entry, '-', (size_t)(dot - entry));
	d->name = tg_strndup(entry, dash ? (size_t)(dash - entry) : (size_t)(dot - entry));
	d->version = dash ? tg_strndup(dash + 1, (size_t)(dot - dash - 1)) : tg_strdup("");
	d->dist_info = tg_strdup(entry);
	d->site_dir = tg_strdup(site);
	r->n_dists++;
	if (!d->name || !d->version || !d->dist_info || !d->site_dir)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Walk dir (absolute) for files that no RECORD lists. */
static int walk_unrecorded(const char *dir, const char *site, int depth,
			   const struct strset *recorded, struct tg_installed_dist *d,
			   size_t *budget, struct tg_err *err)
{
	DIR *dh;
	struct dirent *de;
	int rc = 0;
	bool in_pycache;
	const char *base = strrchr(dir, '/');

	if (depth > WALK_MAX_DEPTH)
		return dist_problem(d, TG_INST_UNREADABLE, dir + strlen(site) + 1,
				    "directory nesting deeper than the walk limit", err);
	in_pycache = base && strcmp(base, "/__pycache__") == 0;
	dh = opendir(dir);
	if (!dh)
		return 0; /* vanished or unreadable: RECORD rows report it */
	while ((de = readdir(dh))) {
		char *child;
		bool is_dir;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*budget == 0) {
			rc = dist_problem(d, TG_INST_UNREADABLE, dir + strlen(site) + 1,
					  "too many files to walk", err);
			break;
		}
		(*budget)--;
		child = tg_path_join(dir, de->d_name);
		if (!child) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			break;
		}
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;

			is_dir = lstat(child, &st) == 0 && S_ISDIR(st.st_mode);
		} else {
			is_dir = de->d_type == DT_DIR;
		}
		if (is_dir) {
			rc = walk_unrecorded(child, site, depth + 1, recorded, d, budget, err);
		} else if (!strset_has(recorded, child)) {
			if (in_pycache && (tg_str_ends_with(de->d_name, ".pyc") ||
					   tg_str_ends_with(de->d_name, ".pyo")))
				d->n_pyc_ignored++;
			else
				rc = dist_problem(d, TG_INST_UNRECORDED,
						  child + strlen(site) + 1,
						  "present on disk, in no RECORD", err);
		}
		free(child);
		if (rc)
			break;
	}
	closedir(dh);
	return rc;
}

static int read_top_level(const char *dist_info_abs, char ***names, size_t *n,
			  struct tg_err *err)
{
	char *path = tg_path_join(dist_info_abs, "top_level.txt");
	struct tg_buf b;
	char *p, *line;
	int rc = 0;

	*names = NULL;
	*n = 0;
	if (!path)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	tg_buf_init(&b, 1 << 20);
	if (tg_read_file(path, 1 << 20, &b, NULL) != 0)
		goto out; /* optional file */
	for (p = b.data; p && *p; p = line) {
		char *end;

		line = strchr(p, '\n');
		end = line ? line : p + strlen(p);
		if (line)
			line++;
		while (end > p && (end[-1] == '\r' || end[-1] == ' '))
			end--;
		if (end == p || memchr(p, '/', (size_t)(end - p)) || *p == '.')
			continue;
		if (*n >= 4096)
			break;
		{
			char **nn = realloc(*names, (*n + 1) * sizeof(*nn));

			if (!nn) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			*names = nn;
			if (!((*names)[*n] = tg_strndup(p, (size_t)(end - p)))) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			(*n)++;
		}
	}
out:
	tg_buf_release(&b);
	free(path);
	return rc;
}

static int check_site(const char *site, const char *root_opt, unsigned threads,
		      struct tg_installed_report *r, struct tg_err *err)
{
	DIR *dh = NULL;
	struct dirent *de;
	char **entries = NULL;
	size_t n_entries = 0, cap_entries = 0, i, j, n_work = 0, n_jobs = 0;
	struct dist_work *work = NULL;
	struct strset recorded = { 0 }, walked = { 0 };
	struct pool pool;
	char *root = NULL;
	char *site_real = NULL;
	struct tg_buf rb;
	int rc = 0;
	size_t budget = WALK_MAX_FILES;
	char **tops = NULL;
	size_t n_tops = 0;

	memset(&pool, 0, sizeof(pool));
	tg_buf_init(&rb, TG_RECORD_MAX_BYTES);
	site_real = realpath(site, NULL);
	if (!site_real) {
		rc = tg_err_at(err, TG_EIO, site, 0, 0, "cannot resolve site directory: %s",
			       strerror(errno));
		goto out;
	}
	root = root_opt ? realpath(root_opt, NULL) : derive_root(site_real);
	if (!root) {
		rc = tg_err_at(err, TG_EIO, root_opt ? root_opt : site, 0, 0,
			       "cannot resolve root: %s", strerror(errno));
		goto out;
	}
	dh = opendir(site_real);
	if (!dh) {
		rc = tg_err_at(err, TG_EIO, site, 0, 0, "cannot list: %s", strerror(errno));
		goto out;
	}
	while ((de = readdir(dh))) {
		if (de->d_name[0] == '.')
			continue;
		if (n_entries == cap_entries) {
			size_t ncap = cap_entries ? cap_entries * 2 : 256;
			char **ne = realloc(entries, ncap * sizeof(*ne));

			if (!ne) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			entries = ne;
			cap_entries = ncap;
		}
		if (!(entries[n_entries] = tg_strdup(de->d_name))) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		n_entries++;
		if (n_entries > 1000000) {
			rc = tg_err_at(err, TG_ELIMIT, site, 0, 0, "too many entries");
			goto out;
		}
	}
	closedir(dh);
	dh = NULL;
	qsort(entries, n_entries, sizeof(*entries), cmp_str);

	work = calloc(n_entries ? n_entries : 1, sizeof(*work));
	if (!work) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	/* 1. Parse every RECORD; note the paths they list. */
	for (i = 0; i < n_entries; i++) {
		bool is_dist = tg_str_ends_with(entries[i], ".dist-info");
		bool is_egg = tg_str_ends_with(entries[i], ".egg-info");
		struct dist_work *w;
		struct tg_installed_dist *d;
		char *rec_path;
		struct tg_err perr;

		if (!is_dist && !is_egg)
			continue;
		if ((rc = add_dist(r, site_real, entries[i], err)))
			goto out;
		d = &r->dists[r->n_dists - 1];
		if (is_egg) {
			if ((rc = dist_problem(d, TG_INST_NO_RECORD, entries[i],
					       "legacy .egg-info install: no RECORD with hashes",
					       err)))
				goto out;
			continue;
		}
		w = &work[n_work++];
		w->dist_index = r->n_dists - 1;
		tg_record_init(&w->record);
		w->dist_info_abs = tg_path_join(site_real, entries[i]);
		rec_path = w->dist_info_abs ? tg_path_join(w->dist_info_abs, "RECORD") : NULL;
		if (!rec_path) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		tg_buf_reset(&rb);
		if (access(rec_path, F_OK) != 0) {
			free(rec_path);
			if ((rc = dist_problem(d, TG_INST_NO_RECORD, entries[i],
					       "no RECORD file", err)))
				goto out;
			continue;
		}
		tg_err_clear(&perr);
		if (tg_read_file(rec_path, TG_RECORD_MAX_BYTES, &rb, &perr) ||
		    tg_record_parse(rb.data, rb.len, rec_path, &w->record, &perr)) {
			char msg[TG_ERR_MSG_MAX + 64];

			tg_err_format(&perr, msg, sizeof(msg));
			free(rec_path);
			tg_record_release(&w->record);
			if ((rc = dist_problem(d, TG_INST_BAD_RECORD, entries[i], msg, err)))
				goto out;
			continue;
		}
		free(rec_path);
		d->has_record = true;
		w->record_ok = true;
		d->n_files = w->record.n_rows;
		w->abs = calloc(w->record.n_rows ? w->record.n_rows : 1, sizeof(char *));
		if (!w->abs) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		for (j = 0; j < w->record.n_rows; j++) {
			if (!(w->abs[j] = path_resolve(site_real, w->record.rows[j].path))) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			if ((rc = strset_add(&recorded, w->abs[j], err)))
				goto out;
			if (w->record.rows[j].digest_len)
				n_jobs++;
		}
	}

	/* 2. Hash every row that has a hash, all distributions at once. */
	pool.jobs = calloc(n_jobs ? n_jobs : 1, sizeof(*pool.jobs));
	if (!pool.jobs) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n_work; i++) {
		struct dist_work *w = &work[i];
		struct tg_installed_dist *d = &r->dists[w->dist_index];

		if (!w->record_ok)
			continue;
		for (j = 0; j < w->record.n_rows; j++) {
			const struct tg_record_row *row = &w->record.rows[j];

			if (!path_within(w->abs[j], root)) {
				char msg[256];

				snprintf(msg, sizeof(msg), "resolves outside %s: not read", root);
				if ((rc = dist_problem(d, TG_INST_OUTSIDE, row->path, msg, err)))
					goto out;
				if (row->digest_len)
					n_jobs--;
				continue;
			}
			if (!row->digest_len) {
				if (row_needs_no_hash(row->path))
					continue;
				if ((rc = dist_problem(d, TG_INST_NO_HASH, row->path,
						       "RECORD lists no hash for this file", err)))
					goto out;
				continue;
			}
			pool.jobs[pool.n].abs = w->abs[j];
			pool.jobs[pool.n].row = row;
			pool.jobs[pool.n].root = root;
			pool.n++;
		}
	}
	pool.md256 = EVP_sha256();
	pool.md384 = EVP_sha384();
	pool.md512 = EVP_sha512();
	atomic_init(&pool.next, 0);
	pool_run(&pool, threads ? threads : 2);

	/* 3. Turn job results into problems, in RECORD order. */
	{
		size_t k = 0;

		for (i = 0; i < n_work; i++) {
			struct dist_work *w = &work[i];
			struct tg_installed_dist *d = &r->dists[w->dist_index];

			if (!w->record_ok)
				continue;
			for (; k < pool.n && pool.jobs[k].row >= w->record.rows &&
			       pool.jobs[k].row < w->record.rows + w->record.n_rows; k++) {
				struct job *jb = &pool.jobs[k];
				char msg[256];

				r->n_files += jb->result == JOB_OK || jb->result == JOB_MODIFIED ||
					      jb->result == JOB_SIZE;
				r->bytes += jb->size;
				d->bytes += jb->size;
				switch (jb->result) {
				case JOB_OK:
					d->n_verified++;
					break;
				case JOB_MODIFIED:
					snprintf(msg, sizeof(msg),
						 "%s differs from RECORD (%llu bytes on disk, %lld in RECORD)",
						 jb->row->alg, jb->size, jb->row->size);
					rc = dist_problem(d, TG_INST_MODIFIED, jb->row->path, msg, err);
					break;
				case JOB_SIZE:
					snprintf(msg, sizeof(msg),
						 "hash matches but size is %llu, RECORD says %lld",
						 jb->size, jb->row->size);
					rc = dist_problem(d, TG_INST_SIZE, jb->row->path, msg, err);
					break;
				case JOB_MISSING:
					rc = dist_problem(d, TG_INST_MISSING, jb->row->path,
							  "listed in RECORD, not on disk", err);
					break;
				case JOB_OUTSIDE:
					rc = dist_problem(d, TG_INST_OUTSIDE, jb->row->path,
							  "symbolic link leads outside the environment: not read",
							  err);
					break;
				case JOB_UNREADABLE:
					snprintf(msg, sizeof(msg), "cannot read: %s",
						 strerror(jb->sys_errno));
					rc = dist_problem(d, TG_INST_UNREADABLE, jb->row->path, msg, err);
					break;
				}
				if (rc)
					goto out;
			}
		}
	}

	/* 4. Unrecorded files under each distribution's directories. */
	for (i = 0; i < n_work; i++) {
		struct dist_work *w = &work[i];
		struct tg_installed_dist *d = &r->dists[w->dist_index];
		size_t t;

		if (!w->record_ok)
			continue;
		if ((rc = read_top_level(w->dist_info_abs, &tops, &n_tops, err)))
			goto out;
		/* Directories named by RECORD paths count as top-level too. */
		for (j = 0; j < w->record.n_rows; j++) {
			const char *a = w->abs[j];
			const char *rest, *slash;
			char **nt;

			if (!path_within(a, site_real) || strlen(a) <= strlen(site_real))
				continue;
			rest = a + strlen(site_real) + 1;
			slash = strchr(rest, '/');
			if (!slash)
				continue;
			for (t = 0; t < n_tops; t++)
				if (strlen(tops[t]) == (size_t)(slash - rest) &&
				    strncmp(tops[t], rest, (size_t)(slash - rest)) == 0)
					break;
			if (t < n_tops)
				continue;
			nt = realloc(tops, (n_tops + 1) * sizeof(*nt));
			if (!nt) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			tops = nt;
			if (!(tops[n_tops] = tg_strndup(rest, (size_t)(slash - rest)))) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			n_tops++;
		}
		for (t = 0; t < n_tops; t++) {
			char *abs = tg_path_join(site_real, tops[t]);
			struct stat st;

			if (!abs) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				goto out;
			}
			/* A namespace directory shared by several distributions is
			 * walked once; `walked` keeps the key alive via `tops` of the
			 * distribution that walked it, so store our own copy. */
			if (strset_has(&walked, abs) || lstat(abs, &st) != 0 ||
			    !S_ISDIR(st.st_mode) || strcmp(tops[t], "__pycache__") == 0) {
				free(abs);
				continue;
			}
			if ((rc = strset_add(&walked, abs, err))) {
				free(abs);
				goto out;
			}
			rc = walk_unrecorded(abs, site_real, 0, &recorded, d, &budget, err);
			if (rc)
				goto out;
		}
		for (t = 0; t < n_tops; t++)
			free(tops[t]);
		free(tops);
		tops = NULL;
		n_tops = 0;
	}

	/* 5. *.pth files at the top of the site that no RECORD lists. */
	for (i = 0; i < n_entries; i++) {
		char *abs;

		if (!tg_str_ends_with(entries[i], ".pth"))
			continue;
		if (!(abs = tg_path_join(site_real, entries[i]))) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
		if (!strset_has(&recorded, abs)) {
			char msg[TG_ERR_PATH_MAX + 80];

			snprintf(msg, sizeof(msg),
				 "in %s, listed by no RECORD: runs at every interpreter start",
				 site_real);
			rc = add_problem(&r->site_problems, &r->n_site_problems,
					 &r->cap_site_problems, TG_INST_UNRECORDED, entries[i],
					 msg, err);
		}
		free(abs);
		if (rc)
			goto out;
	}
out:
	if (tops) {
		size_t t;

		for (t = 0; t < n_tops; t++)
			free(tops[t]);
		free(tops);
	}
	if (dh)
		closedir(dh);
	for (i = 0; i < n_work; i++) {
		if (work[i].abs)
			for (j = 0; j < work[i].record.n_rows; j++)
				free(work[i].abs[j]);
		free(work[i].abs);
		free(work[i].dist_info_abs);
		tg_record_release(&work[i].record);
	}
	free(work);
	for (i = 0; i < walked.cap; i++)
		free((char *)walked.slots[i]);
	free(walked.slots);
	free(recorded.slots);
	free(pool.jobs);
	for (i = 0; i < n_entries; i++)
		free(entries[i]);
	free(entries);
	free(root);
	free(site_real);
	tg_buf_release(&rb);
	return rc;
}

int tg_verify_installed(const char *const *site_dirs, size_t n,
			const struct tg_installed_opts *opts,
			struct tg_installed_report *out, struct tg_err *err)
{
	size_t i;
	int rc;

	if ((rc = tg_lazy_require(TG_LAZY_CRYPTO, "hashing", err)))
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = check_site(site_dirs[i], opts ? opts->root : NULL,
				     opts ? opts->threads : 0, out, err)))
			return rc;
	}
	return 0;
}

static int add_finding(struct tg_report *rep, const struct tg_installed_dist *d,
		       const struct tg_installed_problem *p, struct tg_err *err)
{
	struct tg_finding f;
	char id[64], summary[TG_ERR_MSG_MAX];

	memset(&f, 0, sizeof(f));
	f.kind = TG_FIND_INTEGRITY;
	f.eco = TG_ECO_PYPI;
	f.package = d ? d->name : (char *)"(site)";
	f.version = d ? d->version : NULL;
	f.origin_path = d ? d->site_dir : NULL;
	snprintf(id, sizeof(id), "TG-RECORD-%s", tg_installed_problem_name(p->kind));
	f.id = id;
	snprintf(summary, sizeof(summary), "%s %s", tg_installed_problem_name(p->kind), p->path);
	f.summary = summary;
	f.details = p->detail;
	f.evidence_file = p->path;
	f.cvss = -1;
	f.epss = -1;
	f.epss_percentile = -1;
	f.severity = p->kind == TG_INST_MODIFIED || p->kind == TG_INST_SIZE ||
				     p->kind == TG_INST_MISSING || p->kind == TG_INST_UNRECORDED
			     ? TG_SEV_HIGH
			     : TG_SEV_MEDIUM;
	return tg_report_add_finding(rep, &f, err) ? 0 : (err ? (int)err->code : TG_ENOMEM);
}

int tg_installed_to_findings(const struct tg_installed_report *r, struct tg_report *rep,
			     struct tg_err *err)
{
	size_t i, j;
	int rc;

	for (i = 0; i < r->n_dists; i++)
		for (j = 0; j < r->dists[i].n_problems; j++)
			if ((rc = add_finding(rep, &r->dists[i], &r->dists[i].problems[j], err)))
				return rc;
	for (j = 0; j < r->n_site_problems; j++)
		if ((rc = add_finding(rep, NULL, &r->site_problems[j], err)))
			return rc;
	return 0;
}

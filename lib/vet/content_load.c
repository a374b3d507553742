/* Member content loading shared by the walkers: hashing, magic bytes,
 * text capture and the size caps. */
#include "vet/content_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tollgate/buf.h"
#include "tollgate/str.h"

int vet_load_begin(struct vet_loader *ld, struct vet_pkg *p,
		   struct vet_member *m, struct tg_err *err)
{
	memset(ld, 0, sizeof(*ld));
	ld->p = p;
	ld->m = m;
	ld->h = tg_hash_new(TG_HASH_SHA256, err);
	if (!ld->h)
		return err->code ? (int)err->code : TG_ENOMEM;
	tg_buf_init(&ld->text, p->lim->max_scan);
	return 0;
}

static int limit_reason(struct vet_loader *ld, struct tg_vet_result *res,
			struct tg_err *err, const char *what,
			unsigned long long cap)
{
	struct tg_vet_reason r = { .rule = "archive-limit",
				   .level = TG_VET_BLOCK,
				   .path = ld->m->path };
	char msg[256];

	snprintf(msg, sizeof(msg),
		 "%s exceeds the cap of %llu bytes: a decompression bomb or a "
		 "package built to exhaust scanners; scanning stopped here",
		 what, cap);
	r.message = msg;
	ld->p->stopped = true;
	return tg_vet_result_add(res, &r, err);
}

int vet_load_feed(struct vet_loader *ld, const void *data, size_t n,
		  struct tg_vet_result *res, struct tg_err *err)
{
	struct vet_member *m = ld->m;
	const struct tg_vet_limits *lim = ld->p->lim;
	int rc;

	if (n == 0)
		return 0;
	if (m->size + n > lim->max_entry) {
		rc = limit_reason(ld, res, err, "one member's uncompressed size",
				  lim->max_entry);
		return rc ? rc : VET_LOAD_STOP;
	}
	if (ld->p->total + n > lim->max_total) {
		rc = limit_reason(ld, res, err, "the total uncompressed size",
				  lim->max_total);
		return rc ? rc : VET_LOAD_STOP;
	}
	m->size += n;
	ld->p->total += n;
	if ((rc = tg_hash_update(ld->h, data, n, err)))
		return rc;
	if (m->head_len < VET_HEAD_MAX) {
		size_t take = VET_HEAD_MAX - m->head_len;
		if (take > n)
			take = n;
		memcpy(m->head + m->head_len, data, take);
		m->head_len += take;
	}
	if (!ld->decided) {
		size_t probe = n < 4096 ? n : 4096;
		ld->decided = true;
		ld->keep_text = vet_looks_text(m->rel, data, probe);
	}
	if (ld->keep_text && !m->text_truncated) {
		size_t room = lim->max_scan - ld->text.len;
		size_t take = n < room ? n : room;
		if (take && (rc = tg_buf_add(&ld->text, data, take, err)))
			return rc;
		if (take < n)
			m->text_truncated = true;
	}
	return 0;
}

int vet_load_end(struct vet_loader *ld, bool complete, struct tg_err *err)
{
	struct vet_member *m = ld->m;
	size_t len = 0;
	int rc = 0;

	if (complete) {
		size_t dlen = 0;
		rc = tg_hash_final(ld->h, m->sha256, sizeof(m->sha256), &dlen, err);
		m->hashed = rc == 0;
	}
	tg_hash_free(ld->h);
	ld->h = NULL;
	if (rc == 0 && ld->keep_text) {
		if (ld->text.len == 0) {
			m->text = tg_strdup("");
			if (!m->text)
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			tg_buf_release(&ld->text);
		} else {
			m->text = tg_buf_detach(&ld->text, &len);
			m->text_len = len;
		}
	} else {
		tg_buf_release(&ld->text);
	}
	return rc;
}

int vet_member_load_file(struct vet_pkg *p, struct vet_member *m, int fd,
			 struct tg_vet_result *res, struct tg_err *err)
{
	struct vet_loader ld;
	char chunk[65536];
	bool complete = true;
	int rc;

	if ((rc = vet_load_begin(&ld, p, m, err)))
		return rc;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = tg_err_set(err, TG_EIO, "%s: %s", m->path,
					strerror(errno));
			complete = false;
			break;
		}
		if (got == 0)
			break;
		rc = vet_load_feed(&ld, chunk, (size_t)got, res, err);
		if (rc) {
			complete = false;
			break;
		}
	}
	{
		int rc2 = vet_load_end(&ld, complete, err);
		if (rc == 0)
			rc = rc2;
	}
	return rc;
}

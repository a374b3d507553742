/* Streaming a member's bytes into the package model (internal). */
#ifndef TG_VET_CONTENT_LOAD_H
#define TG_VET_CONTENT_LOAD_H

#include "tollgate/buf.h"
#include "vet/content_internal.h"

/* vet_load_feed() returns this (not a TG_E* code) when a cap was hit: the
 * reason is recorded and the walk must stop. */
#define VET_LOAD_STOP 1000

struct vet_loader {
	struct vet_pkg *p;
	struct vet_member *m;
	struct tg_hash *h;
	struct tg_buf text;
	bool decided;   /* text or binary decided on the first chunk */
	bool keep_text;
};

int vet_load_begin(struct vet_loader *ld, struct vet_pkg *p,
		   struct vet_member *m, struct tg_err *err);
int vet_load_feed(struct vet_loader *ld, const void *data, size_t n,
		  struct tg_vet_result *res, struct tg_err *err);
/* complete: every byte was fed, so the digest is the member's. */
int vet_load_end(struct vet_loader *ld, bool complete, struct tg_err *err);

#endif

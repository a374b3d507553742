/* The component list both SBOM writers print: every package of the inputs
 * once per package URL, sorted, with hashes merged and dependency edges
 * resolved to components. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sbom_internal.h"
#include "tollgate/pep503.h"
#include "tollgate/size.h"
#include "tollgate/str.h"

struct entry {
	char *purl;
	size_t inv;
	size_t pkg;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->purl, y->purl);

	if (c)
		return c;
	if (x->inv != y->inv)
		return x->inv < y->inv ? -1 : 1;
	return x->pkg < y->pkg ? -1 : (x->pkg > y->pkg);
}

static int cmp_hash(const void *a, const void *b)
{
	const struct tg_hash_pin *x = a, *y = b;
	int c = strcmp(x->alg, y->alg);

	return c ? c : strcmp(x->hex, y->hex);
}

/* Name as dependency lists spell it, folded the way the ecosystem
 * compares names. Heap string. */
static char *dep_key(enum tg_ecosystem eco, const char *name)
{
	char *k;

	if (eco == TG_ECO_PYPI)
		return tg_pep503_normalize_dup(name, strlen(name));
	k = tg_strdup(name);
	if (k && (eco == TG_ECO_WINGET || eco == TG_ECO_CHOCOLATEY))
		for (char *c = k; *c; c++)
			*c = tg_ascii_lower(*c);
	return k;
}

static int add_hashes(struct sbom_comp *c, const struct tg_package *p,
		      struct tg_err *err)
{
	size_t i, j, bytes;

	for (i = 0; i < p->n_hashes; i++) {
		struct tg_hash_pin *nh;
		bool dup = false;

		for (j = 0; j < c->n_hashes && !dup; j++)
			dup = strcmp(c->hashes[j].alg, p->hashes[i].alg) == 0 &&
			      strcmp(c->hashes[j].hex, p->hashes[i].hex) == 0;
		if (dup)
			continue;
		if (!tg_size_mul(c->n_hashes + 1, sizeof(*nh), &bytes) ||
		    !(nh = realloc(c->hashes, bytes)))
			return tg_err_set(err, TG_ENOMEM, "out of memory");
		c->hashes = nh;
		nh[c->n_hashes].alg = tg_strdup(p->hashes[i].alg);
		nh[c->n_hashes].hex = tg_strdup(p->hashes[i].hex);
		c->n_hashes++;
		if (!nh[c->n_hashes - 1].alg || !nh[c->n_hashes - 1].hex)
			return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	return 0;
}

struct name_ref {
	char *key;
	size_t inv;
	size_t comp;
};

static int cmp_name_ref(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int c;

	if (x->inv != y->inv)
		return x->inv < y->inv ? -1 : 1;
	c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->comp < y->comp ? -1 : (x->comp > y->comp);
}

static int add_dep(struct sbom_comp *c, size_t target, struct tg_err *err)
{
	size_t i, *nd, bytes;

	for (i = 0; i < c->n_deps; i++)
		if (c->deps[i] == target)
			return 0;
	if (!tg_size_mul(c->n_deps + 1, sizeof(size_t), &bytes) ||
	    !(nd = realloc(c->deps, bytes)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	c->deps = nd;
	c->deps[c->n_deps++] = target;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : (x > y);
}

/* Resolve every dependency name to a component of the same inventory. */
static bool is_depended_on(const struct sbom_model *m, size_t k)
{
	size_t i, j;

	for (i = 0; i < m->n; i++)
		for (j = 0; j < m->comps[i].n_deps; j++)
			if (m->comps[i].deps[j] == k && i != k)
				return true;
	return false;
}

/* The direct dependencies when some input says which they are, else the
 * components nothing else depends on (the roots of the graph). */
static void mark_roots(struct sbom_model *m)
{
	bool any_direct = false;
	size_t i;

	for (i = 0; i < m->n; i++)
		any_direct |= m->comps[i].direct;
	for (i = 0; i < m->n; i++)
		m->comps[i].root = any_direct ? m->comps[i].direct : !is_depended_on(m, i);
}

static int link_deps(const struct tg_inventory *invs, struct sbom_model *m,
		     struct entry *ents, size_t n_ents, struct tg_err *err)
{
	struct name_ref *refs;
	size_t i, j, n_refs = 0;
	int rc = 0;

	refs = calloc(n_ents ? n_ents : 1, sizeof(*refs));
	if (!refs)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	/* ents[i] merged into component ents[i].pkg? no: the owner is found
	 * by purl, which entries share with their component (sorted alike) */
	for (i = 0, j = 0; i < n_ents; i++) {
		const struct tg_package *p = &invs[ents[i].inv].pkgs[ents[i].pkg];

		while (j < m->n && strcmp(m->comps[j].purl, ents[i].purl) != 0)
			j++;
		if (j == m->n) {
			rc = tg_err_set(err, TG_EINTERNAL, "sbom: entry without component");
			goto out;
		}
		refs[n_refs].key = dep_key(p->eco, p->name);
		refs[n_refs].inv = ents[i].inv;
		refs[n_refs].comp = j;
		if (!refs[n_refs++].key) {
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
			goto out;
		}
	}
	qsort(refs, n_refs, sizeof(*refs), cmp_name_ref);
	for (i = 0, j = 0; i < n_ents && !rc; i++) {
		const struct tg_package *p = &invs[ents[i].inv].pkgs[ents[i].pkg];
		struct sbom_comp *c;
		size_t d;

		while (j < m->n && strcmp(m->comps[j].purl, ents[i].purl) != 0)
			j++;
		c = &m->comps[j];
		for (d = 0; d < p->n_deps && !rc; d++) {
			struct name_ref key = { 0 }, *hit;

			key.key = dep_key(p->eco, p->deps[d]);
			key.inv = ents[i].inv;
			if (!key.key) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				break;
			}
			/* the first component of that name in the inventory */
			hit = NULL;
			{
				size_t lo = 0, hi = n_refs;
				while (lo < hi) {
					size_t mid = lo + (hi - lo) / 2;
					int cmp = refs[mid].inv != key.inv ?
						(refs[mid].inv < key.inv ? -1 : 1) :
						strcmp(refs[mid].key, key.key);
					if (cmp < 0)
						lo = mid + 1;
					else
						hi = mid;
				}
				if (lo < n_refs && refs[lo].inv == key.inv &&
				    strcmp(refs[lo].key, key.key) == 0)
					hit = &refs[lo];
			}
			free(key.key);
			if (hit && hit->comp != j)
				rc = add_dep(c, hit->comp, err);
		}
	}
	for (i = 0; i < m->n; i++)
		if (m->comps[i].n_deps > 1)
			qsort(m->comps[i].deps, m->comps[i].n_deps, sizeof(size_t), cmp_size);
out:
	for (i = 0; i < n_refs; i++)
		free(refs[i].key);
	free(refs);
	return rc;
}

static char *spdx_id(const struct sbom_comp *c)
{
	const struct tg_package *p = c->pkg;
	unsigned char md[32];
	unsigned int mdlen = 0;
	struct tg_buf b;
	char hex[9];
	const char *parts[2] = { p->name, p->version };
	size_t i;
	const char *s;
	char *out;

	if (!EVP_Digest(c->purl, strlen(c->purl), md, &mdlen, EVP_sha256(), NULL))
		return NULL;
	tg_hex_encode(md, 4, hex);
	tg_buf_init(&b, 4096);
	if (tg_buf_adds(&b, "SPDXRef-Package-", NULL))
		goto fail;
	for (i = 0; i < 2; i++) {
		size_t k = 0;

		if (!parts[i])
			continue;
		for (s = parts[i]; *s && k < 60; s++, k++) {
			char ch = *s;
			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-'))
				ch = '-';
			if (tg_buf_addc(&b, ch, NULL))
				goto fail;
		}
		if (tg_buf_addc(&b, '-', NULL))
			goto fail;
	}
	if (tg_buf_adds(&b, hex, NULL))
		goto fail;
	out = tg_buf_detach(&b, NULL);
	return out;
fail:
	tg_buf_release(&b);
	return NULL;
}

static char *base_name_dup(const char *path)
{
	const char *s;
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	s = path + n;
	while (s > path && s[-1] != '/')
		s--;
	return tg_strndup(s, (size_t)(path + n - s));
}

static char *now_rfc3339(void)
{
	time_t t = time(NULL);
	struct tm tm;
	char buf[32];

	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return tg_strdup(buf);
}

int sbom_model_build(const struct tg_inventory *invs, size_t n,
		     const struct tg_sbom_opts *opts, struct sbom_model *m,
		     struct tg_err *err)
{
	struct entry *ents = NULL;
	size_t n_ents = 0, total = 0, i, j, bytes;
	struct tg_buf b;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	tg_buf_init(&b, 1 << 16);
	for (i = 0; i < n; i++)
		if (!tg_size_add(total, invs[i].n_pkgs, &total))
			return tg_err_set(err, TG_ELIMIT, "too many packages");
	if (!tg_size_mul(total ? total : 1, sizeof(*ents), &bytes) ||
	    !(ents = malloc(bytes)))
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	for (i = 0; i < n && !rc; i++) {
		for (j = 0; j < invs[i].n_pkgs && !rc; j++) {
			const struct tg_package *p = &invs[i].pkgs[j];

			/* not part of the target environment */
			if (p->flags & TG_PKG_SKIPPED_MARKER)
				continue;
			tg_buf_reset(&b);
			rc = tg_sbom_purl(p->eco, p->name, p->version, p->source, &b, err);
			if (rc)
				break;
			ents[n_ents].purl = tg_strdup(b.data);
			ents[n_ents].inv = i;
			ents[n_ents].pkg = j;
			if (!ents[n_ents++].purl)
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		}
	}
	if (rc)
		goto out;
	qsort(ents, n_ents, sizeof(*ents), cmp_entry);
	m->comps = calloc(n_ents ? n_ents : 1, sizeof(*m->comps));
	if (!m->comps) {
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n_ents && !rc; i++) {
		const struct tg_package *p = &invs[ents[i].inv].pkgs[ents[i].pkg];
		struct sbom_comp *c;

		if (m->n == 0 || strcmp(m->comps[m->n - 1].purl, ents[i].purl) != 0) {
			c = &m->comps[m->n++];
			c->purl = tg_strdup(ents[i].purl);
			c->pkg = p;
			c->inv = ents[i].inv;
			if (!c->purl) {
				rc = tg_err_set(err, TG_ENOMEM, "out of memory");
				break;
			}
		}
		c = &m->comps[m->n - 1];
		c->direct |= (p->flags & TG_PKG_DIRECT) != 0;
		c->has_deps_info |= p->n_deps > 0;
		rc = add_hashes(c, p, err);
	}
	for (i = 0; i < n && !rc; i++) {
		/* an input that records dependencies for some package records
		 * them for all: its leaves have an empty list, not no list */
		bool any = false;

		for (j = 0; j < invs[i].n_pkgs; j++)
			any |= invs[i].pkgs[j].n_deps > 0;
		if (any)
			for (j = 0; j < m->n; j++)
				if (m->comps[j].inv == i)
					m->comps[j].has_deps_info = true;
	}
	if (!rc)
		rc = link_deps(invs, m, ents, n_ents, err);
	if (!rc)
		mark_roots(m);
	for (i = 0; i < m->n && !rc; i++) {
		struct sbom_comp *c = &m->comps[i];

		if (c->n_hashes > 1)
			qsort(c->hashes, c->n_hashes, sizeof(*c->hashes), cmp_hash);
		if (!(c->id = spdx_id(c)))
			rc = tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	if (rc)
		goto out;
	if (opts && opts->subject)
		m->subject = tg_strdup(opts->subject);
	else if (n > 0 && invs[0].origin && strcmp(invs[0].origin, "-") != 0)
		m->subject = base_name_dup(invs[0].origin);
	else
		m->subject = tg_strdup("sbom");
	if (opts && opts->timestamp)
		m->timestamp = tg_strdup(opts->timestamp);
	else if (opts && opts->reproducible)
		m->timestamp = tg_strdup("1970-01-01T00:00:00Z");
	else
		m->timestamp = now_rfc3339();
	m->tool_version = tg_strdup(opts && opts->tool_version ? opts->tool_version : "0");
	m->reproducible = opts && opts->reproducible;
	if (!m->subject || !m->timestamp || !m->tool_version)
		rc = tg_err_set(err, TG_ENOMEM, "out of memory");
out:
	for (i = 0; i < n_ents; i++)
		free(ents[i].purl);
	free(ents);
	tg_buf_release(&b);
	if (rc)
		sbom_model_release(m);
	return rc;
}

void sbom_model_release(struct sbom_model *m)
{
	size_t i, j;

	for (i = 0; i < m->n; i++) {
		struct sbom_comp *c = &m->comps[i];

		free(c->purl);
		free(c->id);
		free(c->deps);
		for (j = 0; j < c->n_hashes; j++) {
			free(c->hashes[j].alg);
			free(c->hashes[j].hex);
		}
		free(c->hashes);
	}
	free(m->comps);
	free(m->subject);
	free(m->timestamp);
	free(m->tool_version);
	memset(m, 0, sizeof(*m));
}

int sbom_doc_uuid(const struct sbom_model *m, json_t *seed, char out[37],
		  struct tg_err *err)
{
	unsigned char b[16], md[32];
	unsigned int mdlen = 0;
	char hex[33], *body = seed ? json_dumps(seed, JSON_COMPACT) : NULL;
	int rc = 0;

	json_decref(seed);
	if (!body)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	if (!m->reproducible) {
		if (RAND_bytes(b, 16) != 1)
			rc = tg_err_set(err, TG_EINTERNAL, "no random bytes for a serial number");
	} else if (!EVP_Digest(body, strlen(body), md, &mdlen, EVP_sha256(), NULL)) {
		rc = tg_err_set(err, TG_EINTERNAL, "SHA-256 failed");
	} else {
		memcpy(b, md, 16);
	}
	free(body);
	if (rc)
		return rc;
	/* RFC 4122: version 4 (random) or 5 (name-based), and the variant */
	b[6] = (unsigned char)((b[6] & 0x0f) | ((m->reproducible ? 5 : 4) << 4));
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	tg_hex_encode(b, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
	return 0;
}

char *sbom_first_line(const char *s, size_t max)
{
	size_t n = 0;

	while (s[n] == ' ' || s[n] == '\t' || s[n] == '\r' || s[n] == '\n')
		s++;
	while (s[n] && s[n] != '\n' && s[n] != '\r')
		n++;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > max) {
		n = max;
		/* do not cut a UTF-8 sequence */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return tg_strndup(s, n);
}

/* Client input to the proxy: the first line is a request path, the second
 * an Authorization header, the third a distribution file name; each goes
 * through the same code the server runs. Invariants: routes to files
 * carry safe names, redirects point at the normalised name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/pep503.h"
#include "tollgate/proxy_request.h"

static char *line(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
	size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
	char *out = malloc(n + 1);

	if (!out)
		abort();
	memcpy(out, s, n);
	out[n] = 0;
	*p = nl ? nl + 1 : end;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *path = line(&p, end), *auth = line(&p, end), *file = line(&p, end);
	struct tg_proxy_target t;
	char ver[64];

	tg_proxy_route(path, &t);
	if (t.route == TG_ROUTE_FILE && !tg_dist_filename_ok(t.filename))
		abort();
	if (t.route == TG_ROUTE_PROJECT || t.route == TG_ROUTE_FILE) {
		char norm[TG_PROXY_NAME_MAX + 1];
		tg_pep503_normalize(t.project, strlen(t.project), norm);
		if (strcmp(norm, t.project) != 0)
			abort();
	}
	(void)tg_proxy_auth_ok(auth, "fuzz-token-123");
	(void)tg_proxy_auth_ok(auth, NULL);
	if (tg_dist_version(file, "pip", ver, sizeof(ver), NULL) && !ver[0])
		abort();
	(void)tg_dist_filename_ok(file);
	free(path);
	free(auth);
	free(file);
	return 0;
}

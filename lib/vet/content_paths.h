/* Member path checks shared by the walkers (internal). */
#ifndef TG_VET_CONTENT_PATHS_H
#define TG_VET_CONTENT_PATHS_H

#include <stdbool.h>

enum vet_path_verdict {
	VET_PATH_OK = 0,
	VET_PATH_ABSOLUTE,  /* "/x", "\\x", "C:x" */
	VET_PATH_TRAVERSAL, /* a ".." component (with / or \ separators) */
	VET_PATH_NOMEM
};

/* Normalise an archive member name: '\' counts as a separator for the
 * checks (Windows extractors treat it so), "." components and repeated
 * separators are dropped, a trailing '/' removed. *out gets a heap copy
 * when the verdict is OK (and may be set otherwise; free it either way). */
enum vet_path_verdict vet_path_normalize(const char *raw, char **out);

/* True when a link at `path` (normalised, relative to the archive root)
 * with this target would point outside the root. Hard-link targets are
 * relative to the root, symbolic ones to the link's directory. */
bool vet_link_escapes(const char *path, const char *target, bool hard);

#endif

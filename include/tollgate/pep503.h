/* PEP 503 project-name normalisation and PEP 508 name validity. */
#ifndef TOLLGATE_PEP503_H
#define TOLLGATE_PEP503_H

#include <stdbool.h>
#include <stddef.h>

/* Lowercase, and runs of '-', '_', '.' become one '-'. out must hold
 * strlen(name)+1 bytes; returns the normalised length. */
size_t tg_pep503_normalize(const char *name, size_t n, char *out);
/* Heap copy of the normalised name (NULL on ENOMEM). */
char *tg_pep503_normalize_dup(const char *name, size_t n);
/* PEP 508 name: ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$, case-insensitive. */
bool tg_pep508_name_valid(const char *name, size_t n);

#endif

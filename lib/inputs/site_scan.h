/* Scanning one site-packages directory (shared by the site-packages,
 * root file system and --env inputs). */
#ifndef TOLLGATE_INPUTS_SITE_SCAN_H
#define TOLLGATE_INPUTS_SITE_SCAN_H

#include <stddef.h>

#include "tollgate/inputs.h"

/* Add every distribution whose metadata is found directly in dir. display
 * is the directory as it should appear in each package's location (the
 * path inside a root file system, for instance). *budget counts down the
 * directory entries visited; reaching 0 is TG_ELIMIT. */
int in_scan_site_dir(const char *dir, const char *display,
		     const struct tg_input_opts *opts, struct tg_inventory *out,
		     size_t *budget, struct tg_err *err);

#endif

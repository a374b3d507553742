/* Entry points of the Windows input formats named in the format table
 * (registry.c). Not a public header: callers use inputs.h / windows.h. */
#ifndef TOLLGATE_INPUTS_WINDOWS_INPUTS_H
#define TOLLGATE_INPUTS_WINDOWS_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/err.h"
#include "tollgate/inputs.h"
#include "tollgate/package.h"

int in_parse_winget_export(const char *data, size_t len, const char *origin,
			   const struct tg_input_opts *opts,
			   struct tg_inventory *out, struct tg_err *err);
int in_parse_winget_manifest(const char *data, size_t len, const char *origin,
			     const struct tg_input_opts *opts,
			     struct tg_inventory *out, struct tg_err *err);
int in_parse_choco_config(const char *data, size_t len, const char *origin,
			  const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err);
int in_parse_nuspec(const char *data, size_t len, const char *origin,
		    const struct tg_input_opts *opts, struct tg_inventory *out,
		    struct tg_err *err);
int in_parse_nupkg(const char *data, size_t len, const char *origin,
		   const struct tg_input_opts *opts, struct tg_inventory *out,
		   struct tg_err *err);
int in_parse_choco_list(const char *data, size_t len, const char *origin,
			const struct tg_input_opts *opts,
			struct tg_inventory *out, struct tg_err *err);

/* Run a Windows parser and turn its applications into packages; what the
 * in_parse_* entry points of the Windows formats have in common. */
struct tg_win_inventory;
typedef int (*in_win_parse_fn)(const char *data, size_t len, const char *origin,
			       struct tg_win_inventory *w, struct tg_err *err);
int in_win_parse(in_win_parse_fn parse, const char *data, size_t len,
		 const char *origin, struct tg_inventory *out, struct tg_err *err);

/* Directory inputs: a Chocolatey package folder (holds a *.nuspec) or a
 * folder (tree) of winget manifests. *format is "nuspec" or
 * "winget-manifest"; false when the directory is neither. */
/* A directory holding a *.nuspec. */
bool in_dir_is_choco_package(const char *dir);
bool in_windows_dir_kind(const char *dir, const char **format);
int in_parse_windows_dir(const char *dir, const char *format,
			 struct tg_inventory *out, struct tg_err *err);

/* Content sniffing for names no pattern catches: a winget export
 * (JSON with "Sources" and "PackageIdentifier"), a singleton winget
 * manifest, `choco list` output. NULL when none fits. */
const char *in_windows_sniff(const char *data, size_t len);

#endif

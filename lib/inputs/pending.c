/* Formats whose parsers are not in this build yet: a clear error instead
 * of a silently empty inventory. */
#include "internal.h"

#define PENDING(fn, what)                                                        \
	int fn(const char *data, size_t len, const char *origin,                 \
	       const struct tg_input_opts *opts, struct tg_inventory *out,       \
	       struct tg_err *err)                                               \
	{                                                                        \
		(void)data; (void)len; (void)opts; (void)out;                    \
		return tg_err_at(err, TG_EUSAGE, origin, 0, 0,                   \
				 "%s input is not supported by this build yet", what); \
	}



int tg_input_parse_rootfs(const char *root, const struct tg_input_opts *opts,
			  struct tg_inventory *out, struct tg_err *err)
{
	(void)opts; (void)out;
	return tg_err_at(err, TG_EUSAGE, root, 0, 0,
			 "root file system input is not supported by this build yet");
}

int tg_input_parse_image(const char *tarball, const struct tg_input_opts *opts,
			 struct tg_inventory *out, struct tg_err *err)
{
	(void)opts; (void)out;
	return tg_err_at(err, TG_EUSAGE, tarball, 0, 0,
			 "container image input is not supported by this build yet");
}

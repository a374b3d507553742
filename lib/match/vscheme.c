/* Version schemes by ecosystem. */
#include "tollgate/match.h"

const struct tg_vscheme *tg_vscheme_for(enum tg_ecosystem eco,
					enum tg_osv_range_type type)
{
	(void)eco;
	(void)type;
	return NULL;
}

const struct tg_vscheme *tg_vscheme_primary(enum tg_ecosystem eco)
{
	return tg_vscheme_for(eco, TG_OSV_RANGE_ECOSYSTEM);
}

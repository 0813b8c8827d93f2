/* res_countries.c: countries (shared by all organizations, client ids:
 * the ISO 3166-1 alpha-2 code). */
#include "first.h"
#include "resource.h"

static const struct attribute attrs[] = {
	{ "name", "name", T_STRING, A_REQ | A_PAT, 255, NULL },
	{ "iso3Code", "iso3_code", T_STRING, A_REQ | A_UNIQ, 3, NULL },
	ATTRS_TIMESTAMPS,
};

static const char *const title[] = { "name", NULL };

const struct resource res_countries = {
	.type = "countries", .table = "countries", .id_column = "iso2_code",
	.id_kind = ID_STRING, .id_max_len = 2,
	.ownership = OWN_SHARED,
	.attrs = RES_ATTRS(attrs), .rels = RES_NO_RELS,
	.actions = ACT_GET | ACT_LIST | ACT_CREATE | ACT_UPDATE | ACT_DELETE | ACT_DELETE_LIST,
	.title_columns = title,
};

/* res_organizations.c: organizations (owned by itself: a user sees its own). */
#include "first.h"
#include "resource.h"

static const struct attribute attrs[] = {
	{ "name", "name", T_STRING, A_REQ | A_UNIQ | A_PAT, 255, NULL },
	{ "description", "description", T_TEXT, 0, 65535, NULL },
	{ "enabled", "enabled", T_BOOL, 0, 0, NULL },
	ATTRS_TIMESTAMPS,
};

static const struct relationship rels[] = {
	{ .name = "businessUnits", .target = "businessunits", .kind = REL_TO_MANY, .flags = R_RO,
	  .target_fk = "organization_id" },
	{ .name = "users", .target = "users", .kind = REL_TO_MANY, .flags = R_RO,
	  .target_fk = "organization_id" },
};

static const char *const title[] = { "name", NULL };

const struct resource res_organizations = {
	.type = "organizations", .table = "organizations", .id_column = "id", .id_kind = ID_INT,
	.ownership = OWN_ITSELF,
	.attrs = RES_ATTRS(attrs), .rels = RES_RELS(rels),
	.actions = ACT_GET | ACT_LIST | ACT_UPDATE,
	.title_columns = title,
	.auth_data = 1,
};

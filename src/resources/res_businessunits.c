/* res_businessunits.c: business units (organization-owned, a tree by owner). */
#include "first.h"
#include "resource.h"

static const struct attribute attrs[] = {
	{ "name", "name", T_STRING, A_REQ | A_PAT, 255, NULL },
	{ "phone", "phone", T_STRING, 0, 100, NULL },
	{ "email", "email", T_STRING, A_EMAIL, 255, NULL },
	{ "fax", "fax", T_STRING, 0, 100, NULL },
	{ "website", "website", T_STRING, 0, 255, NULL },
	ATTRS_TIMESTAMPS,
};

static const struct relationship rels[] = {
	{ .name = "organization", .target = "organizations", .kind = REL_TO_ONE, .flags = R_RO,
	  .column = "organization_id" },
	{ .name = "owner", .target = "businessunits", .kind = REL_TO_ONE, .flags = R_NULLABLE,
	  .column = "parent_id" },
	{ .name = "users", .target = "users", .kind = REL_TO_MANY,
	  .join_table = "user_business_units", .join_self = "business_unit_id", .join_target = "user_id" },
};

static const char *const title[] = { "name", NULL };

const struct resource res_businessunits = {
	.type = "businessunits", .table = "business_units", .id_column = "id", .id_kind = ID_INT,
	.ownership = OWN_ORGANIZATION, .org_column = "organization_id",
	.attrs = RES_ATTRS(attrs), .rels = RES_RELS(rels),
	.actions = ACT_GET | ACT_LIST | ACT_CREATE | ACT_UPDATE | ACT_DELETE | ACT_DELETE_LIST,
	.title_columns = title,
	.auth_data = 1,
};

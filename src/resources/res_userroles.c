/* res_userroles.c: roles (organization-owned; NULL organization = shared). */
#include "first.h"
#include "resource.h"
#include "rules.h"

static const struct attribute attrs[] = {
	{ "role", "role", T_STRING, A_REQ | A_UNIQ, 255, NULL },
	{ "label", "label", T_STRING, A_REQ, 255, NULL },
	{ "extend_description", "extend_description", T_TEXT, 0, 65535, NULL },
	ATTRS_TIMESTAMPS,
};

static const struct relationship rels[] = {
	{ .name = "organization", .target = "organizations", .kind = REL_TO_ONE,
	  .flags = R_RO | R_NULLABLE, .column = "organization_id" },
	{ .name = "users", .target = "users", .kind = REL_TO_MANY, .flags = R_RO,
	  .join_table = "user_roles", .join_self = "role_id", .join_target = "user_id" },
};

static const char *const title[] = { "label", NULL };

const struct resource res_userroles = {
	.type = "userroles", .table = "roles", .id_column = "id", .id_kind = ID_INT,
	.ownership = OWN_ORGANIZATION, .org_column = "organization_id", .org_null_is_shared = 1,
	.attrs = RES_ATTRS(attrs), .rels = RES_RELS(rels),
	.actions = ACT_GET | ACT_LIST | ACT_CREATE | ACT_UPDATE | ACT_DELETE | ACT_DELETE_LIST,
	.title_columns = title,
	.auth_data = 1,
	.check = rules_role_name,
};

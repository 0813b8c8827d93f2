/* res_users.c: users (business-unit-owned). The password is write-only. */
#include "first.h"
#include "resource.h"
#include "grants.h"
#include "rules.h"

static const struct attribute attrs[] = {
	{ "username", "username", T_STRING, A_REQ | A_UNIQ | A_PAT, 255, NULL },
	{ "email", "email", T_STRING, A_REQ | A_UNIQ | A_PAT | A_EMAIL, 255, NULL },
	{ "namePrefix", "name_prefix", T_STRING, 0, 255, NULL },
	{ "firstName", "first_name", T_STRING, A_PAT, 255, NULL },
	{ "middleName", "middle_name", T_STRING, 0, 255, NULL },
	{ "lastName", "last_name", T_STRING, A_PAT, 255, NULL },
	{ "nameSuffix", "name_suffix", T_STRING, 0, 255, NULL },
	{ "birthday", "birthday", T_DATE, 0, 0, NULL },
	{ "enabled", "enabled", T_BOOL, 0, 0, NULL },
	{ "lastLogin", "last_login", T_DATETIME, A_RO, 0, NULL },
	{ "loginCount", "login_count", T_INT, A_RO, 0, NULL },
	{ "password", "password_hash", T_STRING, A_WO | A_HASHED, 255, NULL, 8 },
	ATTRS_TIMESTAMPS,
};

static const struct relationship rels[] = {
	{ .name = "owner", .target = "businessunits", .kind = REL_TO_ONE, .flags = R_REQ,
	  .column = "business_unit_id" },
	{ .name = "businessUnits", .target = "businessunits", .kind = REL_TO_MANY,
	  .join_table = "user_business_units", .join_self = "user_id", .join_target = "business_unit_id" },
	{ .name = "organization", .target = "organizations", .kind = REL_TO_ONE, .flags = R_RO,
	  .column = "organization_id" },
	{ .name = "roles", .target = "userroles", .kind = REL_TO_MANY,
	  .join_table = "user_roles", .join_self = "user_id", .join_target = "role_id" },
};

/* The list indexes (sql/schema.sql). */
static const struct res_index indexes[] = {
	{ "ix_users_org", { "organization_id", "id" } },
	{ "ix_users_org_last_name", { "organization_id", "last_name" } },
};

static const char *const title[] = { "first_name", "last_name", NULL };

const struct resource res_users = {
	.type = "users", .table = "users", .id_column = "id", .id_kind = ID_INT,
	.ownership = OWN_BUSINESS_UNIT, .org_column = "organization_id",
	.owner_column = "business_unit_id",
	.attrs = RES_ATTRS(attrs), .rels = RES_RELS(rels),
	.actions = ACT_GET | ACT_LIST | ACT_CREATE | ACT_UPDATE | ACT_DELETE | ACT_DELETE_LIST,
	.title_columns = title,
	.auth_data = 1,
	.indexes = RES_INDEXES(indexes),
	.check = rules_user_membership,
	.guard = grants_check_user,
	.write_scope = grants_user_scope,
	.write_scope_denied = { "The user ",
				" holds permissions you do not hold: you cannot change or delete it." },
};

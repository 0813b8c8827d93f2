/* res_accounts.c: accounts (user-owned). The contacting-activity fields are
 * read-only: calls keep them exact. */
#include "first.h"
#include "resource.h"

static const struct attribute attrs[] = {
	{ "name", "name", T_STRING, A_REQ | A_PAT, 255, NULL },
	{ "description", "description", T_TEXT, 0, 65535, NULL },
	{ "annualRevenue", "annual_revenue", T_MONEY, 0, 0, NULL },
	{ "employeesCount", "employees_count", T_INT, 0, 0, NULL },
	ATTRS_CONTACTING_ACTIVITY,
	ATTRS_TIMESTAMPS,
};

static const struct relationship rels[] = {
	RELS_USER_OWNED,
	{ .name = "contacts", .target = "contacts", .kind = REL_TO_MANY,
	  .join_table = "account_contacts", .join_self = "account_id", .join_target = "contact_id",
	  .join_org = "organization_id", .join_index = "PRIMARY" },
	{ .name = "defaultContact", .target = "contacts", .kind = REL_TO_ONE, .flags = R_NULLABLE,
	  .column = "default_contact_id" },
};

/* The list indexes (sql/schema.sql). */
static const struct res_index indexes[] = {
	{ "ix_accounts_org", { "organization_id", "id" } },
	{ "ix_accounts_org_name", { "organization_id", "name" } },
	{ "ix_accounts_org_created", { "organization_id", "created_at" } },
};

static const char *const title[] = { "name", NULL };

const struct resource res_accounts = {
	.type = "accounts", .table = "accounts", .id_column = "id", .id_kind = ID_INT,
	.ownership = OWN_USER, .org_column = "organization_id", .owner_column = "owner_id",
	.attrs = RES_ATTRS(attrs), .rels = RES_RELS(rels),
	.actions = ACT_GET | ACT_LIST | ACT_CREATE | ACT_UPDATE | ACT_DELETE | ACT_DELETE_LIST,
	.title_columns = title,
	.indexes = RES_INDEXES(indexes),
};

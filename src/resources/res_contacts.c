/* res_contacts.c: contacts (user-owned). */
#include "first.h"
#include "resource.h"
#include "rules.h"

static const char *const genders[] = { "male", "female", NULL };

static const struct attribute attrs[] = {
	{ "namePrefix", "name_prefix", T_STRING, 0, 255, NULL },
	{ "firstName", "first_name", T_STRING, A_PAT, 255, NULL },
	{ "middleName", "middle_name", T_STRING, 0, 255, NULL },
	{ "lastName", "last_name", T_STRING, A_PAT, 255, NULL },
	{ "nameSuffix", "name_suffix", T_STRING, 0, 255, NULL },
	{ "gender", "gender", T_ENUM, 0, 0, genders },
	{ "birthday", "birthday", T_DATE, 0, 0, NULL },
	{ "description", "description", T_TEXT, 0, 65535, NULL },
	{ "jobTitle", "job_title", T_STRING, 0, 255, NULL },
	{ "email", "email", T_STRING, A_PAT | A_EMAIL, 255, NULL },
	{ "phone", "phone", T_STRING, 0, 100, NULL },
	{ "fax", "fax", T_STRING, 0, 100, NULL },
	{ "skype", "skype", T_STRING, 0, 255, NULL },
	{ "twitter", "twitter", T_STRING, 0, 255, NULL },
	ATTRS_CONTACTING_ACTIVITY,
	ATTRS_TIMESTAMPS,
};

static const struct relationship rels[] = {
	RELS_USER_OWNED,
	{ .name = "assignedTo", .target = "users", .kind = REL_TO_ONE, .flags = R_NULLABLE,
	  .column = "assigned_to_id" },
	{ .name = "reportsTo", .target = "contacts", .kind = REL_TO_ONE, .flags = R_NULLABLE,
	  .column = "reports_to_id" },
	{ .name = "accounts", .target = "accounts", .kind = REL_TO_MANY,
	  .join_table = "account_contacts", .join_self = "contact_id", .join_target = "account_id",
	  .join_org = "organization_id", .join_index = "ix_ac_contact" },
	{ .name = "country", .target = "countries", .kind = REL_TO_ONE, .flags = R_NULLABLE,
	  .column = "country_code" },
};

/* The list indexes (sql/schema.sql). A lastName filter sorted by createdAt
 * either walks ix_contacts_org_created, testing lastName on its entries, or
 * reads the matches from the last one, with the owner for the user and unit
 * levels (sql/plan.c). */
static const struct res_index indexes[] = {
	{ "ix_contacts_org", { "organization_id", "id" } },
	{ "ix_contacts_org_last_name", { "organization_id", "last_name" } },
	{ "ix_contacts_org_first_name", { "organization_id", "first_name" } },
	{ "ix_contacts_org_email", { "organization_id", "email" } },
	{ "ix_contacts_org_created", { "organization_id", "created_at", "id", "last_name" } },
	{ "ix_contacts_org_last_name_created",
	  { "organization_id", "last_name", "created_at", "owner_id" } },
};

static const char *const title[] = { "first_name", "last_name", NULL };

const struct resource res_contacts = {
	.type = "contacts", .table = "contacts", .id_column = "id", .id_kind = ID_INT,
	.ownership = OWN_USER, .org_column = "organization_id", .owner_column = "owner_id",
	.attrs = RES_ATTRS(attrs), .rels = RES_RELS(rels),
	.actions = ACT_GET | ACT_LIST | ACT_CREATE | ACT_UPDATE | ACT_DELETE | ACT_DELETE_LIST,
	.title_columns = title,
	.indexes = RES_INDEXES(indexes),
	.check = rules_contact_name,
};

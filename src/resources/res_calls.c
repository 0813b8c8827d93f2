/* res_calls.c: calls (user-owned contacting activity; activity.c keeps
 * the counts of their contacts and accounts exact). */
#include "first.h"
#include "resource.h"
#include "activity.h"

static const char *const directions[] = { "incoming", "outgoing", NULL };

static const struct attribute attrs[] = {
	{ "subject", "subject", T_STRING, A_REQ | A_PAT, 255, NULL },
	{ "phoneNumber", "phone_number", T_STRING, A_REQ, 255, NULL },
	{ "notes", "notes", T_TEXT, 0, 65535, NULL },
	{ "callDateTime", "call_date_time", T_DATETIME, A_REQ, 0, NULL },
	{ "direction", "direction", T_ENUM, A_REQ, 0, directions },
	{ "duration", "duration", T_INT, A_UNSIGNED, 0, NULL },
	ATTRS_TIMESTAMPS,
};

static const struct relationship rels[] = {
	RELS_USER_OWNED,
	{ .name = "contact", .target = "contacts", .kind = REL_TO_ONE, .flags = R_NULLABLE | R_LOCK,
	  .column = "contact_id" },
	{ .name = "account", .target = "accounts", .kind = REL_TO_ONE, .flags = R_NULLABLE | R_LOCK,
	  .column = "account_id" },
};

/* The list indexes (sql/schema.sql). */
static const struct res_index indexes[] = {
	{ "ix_calls_org", { "organization_id", "id" } },
	{ "ix_calls_org_time", { "organization_id", "call_date_time" } },
	{ "ix_calls_org_created", { "organization_id", "created_at" } },
};

static const char *const title[] = { "subject", NULL };

const struct resource res_calls = {
	.type = "calls", .table = "calls", .id_column = "id", .id_kind = ID_INT,
	.ownership = OWN_USER, .org_column = "organization_id", .owner_column = "owner_id",
	.attrs = RES_ATTRS(attrs), .rels = RES_RELS(rels),
	.actions = ACT_GET | ACT_LIST | ACT_CREATE | ACT_UPDATE | ACT_DELETE | ACT_DELETE_LIST,
	.title_columns = title,
	.indexes = RES_INDEXES(indexes),
	.changing = activity_calls_changing,
	.flush = activity_flush,
};

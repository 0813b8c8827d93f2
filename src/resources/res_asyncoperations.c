/* res_asyncoperations.c: batch jobs (section 9), readable by id only, with
 * the subresource `errors` (op_async_errors.c). The job's own columns
 * (lease, counters: batch_job.h) are not attributes. */
#include "first.h"
#include "resource.h"

static const char *const statuses[] = { "new", "running", "failed", "success", "cancelled", NULL };

static const struct attribute attrs[] = {
	{ "status", "status", T_ENUM, A_RO, 0, statuses },
	{ "progress", "progress", T_DECIMAL, A_RO, 0, NULL },
	{ "entityType", "entity_type", T_STRING, A_RO, 64, NULL },
	{ "elapsedTime", "elapsed_time", T_INT, A_RO, 0, NULL },
	{ "summary", "summary", T_JSON, A_RO, 0, NULL },
	ATTRS_TIMESTAMPS,
};

static const char *const title[] = { "entity_type", NULL };

const struct resource res_asyncoperations = {
	.type = "asyncoperations", .table = "async_operations", .id_column = "id", .id_kind = ID_INT,
	.ownership = OWN_USER, .org_column = "organization_id", .owner_column = "owner_id",
	.attrs = RES_ATTRS(attrs), .rels = RES_NO_RELS,
	.actions = ACT_GET,
	.title_columns = title,
	.errors_subresource = "errors",
};
